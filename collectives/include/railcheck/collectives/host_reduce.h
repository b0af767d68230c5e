// Element-wise reductions on host memory for every railcheck type and operator: what the MPI backend's
// user-defined operators (half, bfloat16) and the in-process thread backend compute.
#pragma once

#include <cstddef>

#include "railcheck/collectives/data_type.h"

namespace railcheck {

/// inout[i] = inout[i] (op) in[i] for `count` elements of `type`. half and bfloat16 reduce in float and round
/// back at every step (as NCCL does); avg reduces as sum (divide_elements afterwards).
void reduce_elements(const void* in, void* inout, std::size_t count, DataType type, ReduceOp op);

/// Divides `count` elements at `data` by `divisor` in place (ncclAvg's post-division; integers truncate).
void divide_elements(void* data, std::size_t count, DataType type, int divisor);

}  // namespace railcheck
