#include "mpi_types.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "railcheck/collectives/host_reduce.h"
#include "railcheck/collectives/mpi_call.h"

namespace railcheck {
namespace {

constexpr std::array kReducible = {ReduceOp::kSum, ReduceOp::kProd, ReduceOp::kMax, ReduceOp::kMin};

// MPI_User_function for 16-bit floating types: the shared host reduction.
template <DataType Type, ReduceOp Op>
void reduce16(void* in, void* inout, int* len, MPI_Datatype*) {
  reduce_elements(in, inout, static_cast<std::size_t>(*len), Type, Op);
}

template <DataType Type>
std::array<MPI_Op, 4> create_ops() {
  std::array<MPI_User_function*, 4> functions = {&reduce16<Type, ReduceOp::kSum>, &reduce16<Type, ReduceOp::kProd>,
                                                 &reduce16<Type, ReduceOp::kMax>, &reduce16<Type, ReduceOp::kMin>};
  std::array<MPI_Op, 4> ops{};
  for (std::size_t i = 0; i < ops.size(); ++i) RC_MPI_CALL(MPI_Op_create(functions[i], 1, &ops[i]));
  return ops;
}

std::size_t op_index(ReduceOp op) {
  if (op == ReduceOp::kAvg) op = ReduceOp::kSum;
  return static_cast<std::size_t>(std::find(kReducible.begin(), kReducible.end(), op) - kReducible.begin());
}

}  // namespace

MPI_Datatype mpi_datatype(DataType type) {
  switch (type) {
    case DataType::kInt8:
      return MPI_INT8_T;
    case DataType::kUint8:
      return MPI_UINT8_T;
    case DataType::kInt32:
      return MPI_INT32_T;
    case DataType::kUint32:
      return MPI_UINT32_T;
    case DataType::kInt64:
      return MPI_INT64_T;
    case DataType::kUint64:
      return MPI_UINT64_T;
    case DataType::kFloat16:
    case DataType::kBfloat16:
      return MPI_UINT16_T;
    case DataType::kFloat32:
      return MPI_FLOAT;
    case DataType::kFloat64:
      return MPI_DOUBLE;
  }
  return MPI_BYTE;
}

MpiReduceOps::MpiReduceOps()
    : half_ops_(create_ops<DataType::kFloat16>()), bfloat16_ops_(create_ops<DataType::kBfloat16>()) {}

MpiReduceOps::~MpiReduceOps() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (finalized) return;
  for (auto* ops : {&half_ops_, &bfloat16_ops_}) {
    for (MPI_Op& op : *ops) {
      if (op != MPI_OP_NULL && MPI_Op_free(&op) != MPI_SUCCESS) std::fprintf(stderr, "railcheck: MPI_Op_free failed\n");
    }
  }
}

MPI_Op MpiReduceOps::get(DataType type, ReduceOp op) const {
  if (type == DataType::kFloat16) return half_ops_[op_index(op)];
  if (type == DataType::kBfloat16) return bfloat16_ops_[op_index(op)];
  switch (op) {
    case ReduceOp::kSum:
    case ReduceOp::kAvg:
      return MPI_SUM;
    case ReduceOp::kProd:
      return MPI_PROD;
    case ReduceOp::kMax:
      return MPI_MAX;
    case ReduceOp::kMin:
      return MPI_MIN;
  }
  return MPI_SUM;
}

}  // namespace railcheck
