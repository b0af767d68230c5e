// Element types and reduction operators, named the way nccl-tests names them (-d, -o).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace railcheck {

enum class DataType { kInt8, kUint8, kInt32, kUint32, kInt64, kUint64, kFloat16, kBfloat16, kFloat32, kFloat64 };
enum class ReduceOp { kSum, kProd, kMax, kMin, kAvg };

/// Bytes per element.
std::size_t size_of(DataType type);
/// nccl-tests' name for the type: int8 uint8 int32 uint32 int64 uint64 half bfloat16 float double.
std::string_view name_of(DataType type);
/// nccl-tests' name for the operator: sum prod max min avg.
std::string_view name_of(ReduceOp op);
/// True for half, bfloat16, float, double.
bool is_floating(DataType type);

/// Parses a type name; accepts nccl-tests' names and aliases (char, int, uint, fp16, bf16, fp32, fp64...).
std::optional<DataType> parse_data_type(std::string_view text);
/// Parses an operator name (sum, prod, max, min, avg).
std::optional<ReduceOp> parse_reduce_op(std::string_view text);

/// Every type and operator, for listings in error messages and sweeps.
std::span<const DataType> all_data_types();
std::span<const ReduceOp> all_reduce_ops();
/// "int8, uint8, ..." for error messages.
std::string data_type_choices();
std::string reduce_op_choices();

}  // namespace railcheck
