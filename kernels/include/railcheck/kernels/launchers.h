// Plain C++ launchers for railcheck's CUDA kernels. Every launcher is asynchronous on `stream` (it only
// enqueues) and throws railcheck::Error when the launch itself fails. Pointers are device (or mapped) memory.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

#include "railcheck/collectives/data_type.h"
#include "railcheck/kernels/expected_value.h"

namespace railcheck::kernels {

/// Writes rank `rank`'s (of `nranks`) check pattern for pass `seed` into `count` elements of `type` at
/// `data` (the device twin of harness make_check_input; `use`: which reduction the inputs are for).
void launch_fill_pattern(void* data, std::uint64_t count, DataType type, int rank, std::uint32_t seed, PatternUse use,
                         int nranks, cudaStream_t stream);

/// Adds to `*wrong_count` the number of the `count` elements at `data` that differ from
/// expected_value(params, i) by more than `max_ulps` (0: bit for bit; the device twin of harness
/// count_wrong_elements).
void launch_verify_pattern(const void* data, std::uint64_t count, DataType type, const ExpectedParams& params,
                           int max_ulps, unsigned long long* wrong_count, cudaStream_t stream);

/// HBM bandwidth kernels with 16-byte accesses over bytes rounded down to a multiple of 16.
/// read: XORs every word into *sink (so the loads cannot be removed); write: stores `value` everywhere;
/// copy: dst = src.
void launch_hbm_read(const void* data, std::uint64_t bytes, unsigned long long* sink, cudaStream_t stream);
void launch_hbm_write(void* data, std::uint64_t bytes, std::uint32_t value, cudaStream_t stream);
void launch_hbm_copy(void* dst, const void* src, std::uint64_t bytes, cudaStream_t stream);

/// Holds `stream` until released, so timed work can be queued before the clock starts (nvbandwidth's method):
/// construct, enqueue the work, start the timer, release(). The latch gives up by itself after `timeout_s`
/// (timed_out() then says so) so a forgotten release never wedges the GPU. Move-only owner of the mapped flag.
class StreamLatch {
 public:
  StreamLatch(cudaStream_t stream, double timeout_s);
  StreamLatch(const StreamLatch&) = delete;
  StreamLatch& operator=(const StreamLatch&) = delete;
  StreamLatch(StreamLatch&& other) noexcept;
  StreamLatch& operator=(StreamLatch&&) = delete;
  /// Releases the stream if still held, then frees the flag (after the kernel has let go).
  ~StreamLatch();

  /// Lets the queued work run. Idempotent.
  void release();
  /// Whether the latch gave up before release() (valid once the latch kernel has finished).
  bool timed_out() const;

 private:
  volatile int* host_flags_ = nullptr;  // [0] release, [1] timed out; pinned and mapped
  cudaStream_t stream_ = nullptr;
};

}  // namespace railcheck::kernels
