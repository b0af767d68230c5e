// RC_HOST_DEVICE marks functions compiled for both the host and CUDA devices (host twins of kernels).
#pragma once

#if defined(__CUDACC__)
#define RC_HOST_DEVICE __host__ __device__
#else
#define RC_HOST_DEVICE
#endif
