#include "mpi_types.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "railcheck/collectives/mpi_call.h"
#include "railcheck/kernels/float16.h"

namespace railcheck {
namespace {

using kernels::bfloat16_to_float;
using kernels::float_to_bfloat16;
using kernels::float_to_half;
using kernels::half_to_float;

constexpr std::array kReducible = {ReduceOp::kSum, ReduceOp::kProd, ReduceOp::kMax, ReduceOp::kMin};

template <float (*ToFloat)(std::uint16_t), std::uint16_t (*FromFloat)(float), ReduceOp Op>
void reduce16(void* in, void* inout, int* len, MPI_Datatype*) {
  const auto* a = static_cast<const std::uint16_t*>(in);
  auto* b = static_cast<std::uint16_t*>(inout);
  for (int i = 0; i < *len; ++i) {
    const float x = ToFloat(a[i]);
    const float y = ToFloat(b[i]);
    float r = 0.0f;
    if constexpr (Op == ReduceOp::kSum) r = x + y;
    if constexpr (Op == ReduceOp::kProd) r = x * y;
    if constexpr (Op == ReduceOp::kMax) r = std::max(x, y);
    if constexpr (Op == ReduceOp::kMin) r = std::min(x, y);
    b[i] = FromFloat(r);
  }
}

template <float (*ToFloat)(std::uint16_t), std::uint16_t (*FromFloat)(float)>
std::array<MPI_Op, 4> create_ops() {
  std::array<MPI_User_function*, 4> functions = {
      &reduce16<ToFloat, FromFloat, ReduceOp::kSum>, &reduce16<ToFloat, FromFloat, ReduceOp::kProd>,
      &reduce16<ToFloat, FromFloat, ReduceOp::kMax>, &reduce16<ToFloat, FromFloat, ReduceOp::kMin>};
  std::array<MPI_Op, 4> ops{};
  for (std::size_t i = 0; i < ops.size(); ++i) RC_MPI_CALL(MPI_Op_create(functions[i], 1, &ops[i]));
  return ops;
}

std::size_t op_index(ReduceOp op) {
  if (op == ReduceOp::kAvg) op = ReduceOp::kSum;
  return static_cast<std::size_t>(std::find(kReducible.begin(), kReducible.end(), op) - kReducible.begin());
}

template <typename T>
void divide_as(void* data, std::size_t count, int divisor) {
  auto* values = static_cast<T*>(data);
  for (std::size_t i = 0; i < count; ++i) values[i] = static_cast<T>(values[i] / static_cast<T>(divisor));
}

template <float (*ToFloat)(std::uint16_t), std::uint16_t (*FromFloat)(float)>
void divide16(void* data, std::size_t count, int divisor) {
  auto* values = static_cast<std::uint16_t*>(data);
  for (std::size_t i = 0; i < count; ++i) values[i] = FromFloat(ToFloat(values[i]) / static_cast<float>(divisor));
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
    : half_ops_(create_ops<half_to_float, float_to_half>()),
      bfloat16_ops_(create_ops<bfloat16_to_float, float_to_bfloat16>()) {}

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

void divide_elements(void* data, std::size_t count, DataType type, int divisor) {
  switch (type) {
    case DataType::kInt8:
      divide_as<std::int8_t>(data, count, divisor);
      break;
    case DataType::kUint8:
      divide_as<std::uint8_t>(data, count, divisor);
      break;
    case DataType::kInt32:
      divide_as<std::int32_t>(data, count, divisor);
      break;
    case DataType::kUint32:
      divide_as<std::uint32_t>(data, count, divisor);
      break;
    case DataType::kInt64:
      divide_as<std::int64_t>(data, count, divisor);
      break;
    case DataType::kUint64:
      divide_as<std::uint64_t>(data, count, divisor);
      break;
    case DataType::kFloat16:
      divide16<half_to_float, float_to_half>(data, count, divisor);
      break;
    case DataType::kBfloat16:
      divide16<bfloat16_to_float, float_to_bfloat16>(data, count, divisor);
      break;
    case DataType::kFloat32:
      divide_as<float>(data, count, divisor);
      break;
    case DataType::kFloat64:
      divide_as<double>(data, count, divisor);
      break;
  }
}

}  // namespace railcheck
