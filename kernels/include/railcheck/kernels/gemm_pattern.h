// GEMM check inputs: small integers in [-2, 2], exact in bf16, fp16, tf32 and fp64, so the exact product is
// known on the host (an integer dot product) and any wrong element stands out.
#pragma once

#include <cstdint>

#include "railcheck/kernels/host_device.h"

namespace railcheck::kernels {

/// Element (row, col) of GEMM input `salt` (A and B use different salts).
RC_HOST_DEVICE inline int gemm_input(std::uint64_t row, std::uint64_t col, std::uint32_t salt) {
  return static_cast<int>((row * 7u + col * 13u + static_cast<std::uint64_t>(salt) * 5u) % 5u) - 2;
}

}  // namespace railcheck::kernels
