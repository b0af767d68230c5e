// The interface every collective backend implements (NCCL on device memory, MPI on host memory).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "railcheck/collectives/buffer.h"
#include "railcheck/collectives/collective_kind.h"
#include "railcheck/collectives/data_type.h"
#include "railcheck/collectives/timer.h"

namespace railcheck {

/// One call, with nccl-tests' (and NCCL's) argument meanings: `count` is the NCCL count argument (elements
/// per rank for all_reduce/broadcast/reduce/send_recv, per-rank chunk for all_gather/reduce_scatter/all_to_all).
/// In place means NCCL's pointer convention: send == recv (all_reduce, broadcast, reduce, all_to_all,
/// send_recv), send == recv + rank*count (all_gather), recv == send + rank*count (reduce_scatter).
struct CollectiveCall {
  CollectiveKind kind = CollectiveKind::kAllReduce;
  const void* send = nullptr;
  void* recv = nullptr;
  std::size_t count = 0;
  DataType type = DataType::kFloat32;
  ReduceOp op = ReduceOp::kSum;
  int root = 0;
};

/// A communicator plus the memory and timers that go with it. Not thread-safe; one per rank and group.
class Collective {
 public:
  virtual ~Collective() = default;

  /// "nccl" or "mpi".
  virtual std::string_view backend_name() const = 0;
  virtual int rank() const = 0;
  virtual int size() const = 0;

  /// Memory the collective can read and write; contents undefined.
  virtual Buffer allocate(std::size_t bytes) = 0;
  /// Blocking copies between host memory and a buffer (offset in bytes).
  virtual void upload(Buffer& dst, std::size_t offset, std::span<const std::byte> src) = 0;
  virtual void download(const Buffer& src, std::size_t offset, std::span<std::byte> dst) = 0;

  virtual std::unique_ptr<Timer> make_timer() = 0;

  /// Device memory free for buffers now (cudaMemGetInfo), for backends whose buffers live on a device;
  /// nullopt for host-memory backends.
  virtual std::optional<std::size_t> free_device_memory_bytes() const { return std::nullopt; }

  /// Whether the backend can run `kind` in place at all (a backend that cannot gets skipped in-place rows).
  virtual bool supports_in_place(CollectiveKind kind) const = 0;
  /// Whether an in-place call of `kind` has a defined result. false: it runs (nccl-tests times it and counts
  /// it in its average) but its send and receive regions overlap in a way the library does not order (NCCL's
  /// grouped sends and receives of all_to_all and send_recv), so it is timed and never checked.
  virtual bool in_place_result_defined(CollectiveKind kind) const {
    (void)kind;
    return true;
  }
  /// Enqueues one call. MPI completes it before returning; NCCL queues it on the backend's stream.
  /// Throws Error on failure. A hang is caught by the harness watchdog, not here.
  virtual void run(const CollectiveCall& call) = 0;
  /// Blocks until every queued call has completed.
  virtual void synchronize() = 0;

  /// Capture of the timed loop as a CUDA graph (NCCL only): begin_capture(); run()...; end_capture();
  /// replay_capture() launches the captured work once. Backends without graphs return false.
  virtual bool supports_graph_capture() const { return false; }
  virtual void begin_capture() {}
  virtual void end_capture() {}
  virtual void replay_capture() {}

  /// A sub-communicator of the ranks that pass the same color, ordered by key (MPI_Comm_split semantics).
  /// A negative color means this rank joins no group: it gets nullptr. Collective over all ranks of this
  /// communicator.
  virtual std::unique_ptr<Collective> split(int color, int key) = 0;
};

}  // namespace railcheck
