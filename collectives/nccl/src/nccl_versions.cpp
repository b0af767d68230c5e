// cuda_versions: the CUDA runtime, driver and NCCL versions for the run manifest.
#include <cuda_runtime_api.h>
#include <nccl.h>

#include "railcheck/collectives/nccl_collective.h"

namespace railcheck {

CudaVersions cuda_versions() noexcept {
  CudaVersions versions;
  if (cudaRuntimeGetVersion(&versions.cuda_runtime) != cudaSuccess) versions.cuda_runtime = 0;
  if (cudaDriverGetVersion(&versions.cuda_driver) != cudaSuccess) versions.cuda_driver = 0;
  (void)cudaGetLastError();
  if (ncclGetVersion(&versions.nccl) != ncclSuccess) versions.nccl = 0;
  return versions;
}

}  // namespace railcheck
