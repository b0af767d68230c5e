#include "railcheck/collectives/data_type.h"

#include <array>
#include <string>
#include <utility>

namespace railcheck {
namespace {

constexpr std::array kTypes = {DataType::kInt8,    DataType::kUint8,  DataType::kInt32,   DataType::kUint32,
                               DataType::kInt64,   DataType::kUint64, DataType::kFloat16, DataType::kBfloat16,
                               DataType::kFloat32, DataType::kFloat64};
constexpr std::array kOps = {ReduceOp::kSum, ReduceOp::kProd, ReduceOp::kMax, ReduceOp::kMin, ReduceOp::kAvg};

constexpr std::array<std::pair<std::string_view, DataType>, 22> kTypeAliases = {{
    {"int8", DataType::kInt8},         {"char", DataType::kInt8},       {"uint8", DataType::kUint8},
    {"int32", DataType::kInt32},       {"int", DataType::kInt32},       {"uint32", DataType::kUint32},
    {"uint", DataType::kUint32},       {"int64", DataType::kInt64},     {"uint64", DataType::kUint64},
    {"half", DataType::kFloat16},      {"float16", DataType::kFloat16}, {"fp16", DataType::kFloat16},
    {"bfloat16", DataType::kBfloat16}, {"bf16", DataType::kBfloat16},   {"float", DataType::kFloat32},
    {"float32", DataType::kFloat32},   {"fp32", DataType::kFloat32},    {"double", DataType::kFloat64},
    {"float64", DataType::kFloat64},   {"fp64", DataType::kFloat64},    {"int8_t", DataType::kInt8},
    {"uint8_t", DataType::kUint8},
}};

template <typename T, std::size_t N, typename F>
std::string join(const std::array<T, N>& items, F name) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += name(item);
  }
  return out;
}

}  // namespace

std::size_t size_of(DataType type) {
  switch (type) {
    case DataType::kInt8:
    case DataType::kUint8:
      return 1;
    case DataType::kFloat16:
    case DataType::kBfloat16:
      return 2;
    case DataType::kInt32:
    case DataType::kUint32:
    case DataType::kFloat32:
      return 4;
    case DataType::kInt64:
    case DataType::kUint64:
    case DataType::kFloat64:
      return 8;
  }
  return 1;
}

std::string_view name_of(DataType type) {
  switch (type) {
    case DataType::kInt8:
      return "int8";
    case DataType::kUint8:
      return "uint8";
    case DataType::kInt32:
      return "int32";
    case DataType::kUint32:
      return "uint32";
    case DataType::kInt64:
      return "int64";
    case DataType::kUint64:
      return "uint64";
    case DataType::kFloat16:
      return "half";
    case DataType::kBfloat16:
      return "bfloat16";
    case DataType::kFloat32:
      return "float";
    case DataType::kFloat64:
      return "double";
  }
  return "?";
}

std::string_view name_of(ReduceOp op) {
  switch (op) {
    case ReduceOp::kSum:
      return "sum";
    case ReduceOp::kProd:
      return "prod";
    case ReduceOp::kMax:
      return "max";
    case ReduceOp::kMin:
      return "min";
    case ReduceOp::kAvg:
      return "avg";
  }
  return "?";
}

bool is_floating(DataType type) {
  return type == DataType::kFloat16 || type == DataType::kBfloat16 || type == DataType::kFloat32 ||
         type == DataType::kFloat64;
}

std::optional<DataType> parse_data_type(std::string_view text) {
  for (const auto& [alias, type] : kTypeAliases) {
    if (alias == text) return type;
  }
  return std::nullopt;
}

std::optional<ReduceOp> parse_reduce_op(std::string_view text) {
  for (ReduceOp op : kOps) {
    if (name_of(op) == text) return op;
  }
  return std::nullopt;
}

std::span<const DataType> all_data_types() { return kTypes; }
std::span<const ReduceOp> all_reduce_ops() { return kOps; }
std::string data_type_choices() {
  return join(kTypes, [](DataType t) { return std::string(name_of(t)); });
}
std::string reduce_op_choices() {
  return join(kOps, [](ReduceOp o) { return std::string(name_of(o)); });
}

}  // namespace railcheck
