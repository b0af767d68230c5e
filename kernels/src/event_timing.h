// Times `iters` calls of `enqueue` on `stream` with CUDA events after one untimed warm-up call.
#pragma once

#include <cuda_runtime_api.h>

#include "railcheck/collectives/cuda_call.h"
#include "railcheck/collectives/cuda_handles.h"

namespace railcheck::kernels {

template <typename Enqueue>
double seconds_per_iter(cudaStream_t stream, int iters, Enqueue&& enqueue) {
  enqueue();
  CudaEvent start = make_timing_event();
  CudaEvent stop = make_timing_event();
  RC_CUDA_CALL(cudaEventRecord(start.get(), stream));
  for (int i = 0; i < iters; ++i) enqueue();
  RC_CUDA_CALL(cudaEventRecord(stop.get(), stream));
  RC_CUDA_CALL(cudaEventSynchronize(stop.get()));
  float ms = 0.0f;
  RC_CUDA_CALL(cudaEventElapsedTime(&ms, start.get(), stop.get()));
  return ms / 1.0e3 / iters;
}

inline double gbps(double bytes_moved, double seconds) { return seconds > 0 ? bytes_moved / seconds / 1.0e9 : 0.0; }

}  // namespace railcheck::kernels
