// NCCL's datatype and reduction operator for each railcheck type and operator.
#pragma once

#include <nccl.h>

#include "railcheck/collectives/data_type.h"

namespace railcheck {

ncclDataType_t nccl_data_type(DataType type);
ncclRedOp_t nccl_red_op(ReduceOp op);

}  // namespace railcheck
