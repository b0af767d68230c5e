// The NCCL backend: collectives on GPU memory through NCCL, one rank per GPU, plus the CUDA queries the
// harness needs before it picks a backend (which versions? the GPU probe itself is in cuda_probe.h).
#pragma once

#include <mpi.h>

#include <memory>
#include <optional>
#include <string>

#include "railcheck/collectives/collective.h"
#include "railcheck/collectives/cuda_probe.h"  // probe_cuda_devices, gpu_info

namespace railcheck {

/// Versions encoded as the libraries encode them; 0 where unknown (e.g. cuda_driver without a driver).
struct CudaVersions {
  int cuda_runtime = 0;  ///< cudaRuntimeGetVersion, e.g. 13000
  int cuda_driver = 0;   ///< cudaDriverGetVersion: the newest CUDA the driver supports, 0 without a driver
  int nccl = 0;          ///< ncclGetVersion of the loaded library, e.g. 22809 for 2.28.9
};

/// Never throws.
CudaVersions cuda_versions() noexcept;

/// An NCCL communicator over the ranks of `comm`, on CUDA device `device` (made current with cudaSetDevice),
/// with its own non-blocking stream on which run() queues work.
///
/// Collective over `comm`: every rank calls it. Rank 0 of `comm` creates the NCCL unique id and broadcasts it
/// with MPI_Bcast; the caller keeps `comm`, which is not used afterwards. When the CUDA setup or the unique id
/// fails on some rank, every rank throws Error (instead of the others waiting forever); a failure inside
/// ncclCommInitRank itself is only seen by the failing rank and left to the harness watchdog.
///
/// The returned Collective:
/// - allocate() returns zeroed device memory (MemoryKind::kDevice); upload()/download() block and are ordered
///   after the work queued on the stream.
/// - run() only queues work on the stream and never waits for the GPU; synchronize() waits for it, polling
///   ncclCommGetAsyncError so that a failed peer or network error throws instead of hanging.
/// - make_timer() times with CUDA events on the stream; a timer may outlive its collective.
/// - supports_graph_capture() is true: begin_capture() starts a thread-local capture of the stream,
///   end_capture() instantiates it, replay_capture() launches it. Timer start()/lap() must be called outside
///   the capture (around replay_capture()); inside it they throw.
/// - split(color, key) uses ncclCommSplit (collective over this communicator); a rank passing color < 0
///   joins no group and gets nullptr. The child shares the device and has its own stream.
/// - After any failed NCCL call or asynchronous NCCL error the communicator is aborted (ncclCommAbort)
///   instead of destroyed when the collective goes away.
/// Communicator settings beyond NCCL's defaults (nccl-tests' flags that set ncclConfig_t).
struct NcclCommOptions {
  std::optional<int> cta_policy;  ///< -x: ncclConfig_t.CTAPolicy (0 default, 1 efficiency, 2 zero); NCCL >= 2.27
};

std::unique_ptr<Collective> make_nccl_collective(MPI_Comm comm, int device, const NcclCommOptions& options = {});

}  // namespace railcheck
