// Calls f(T{}) with the storage type of a DataType, on the host side of a launcher.
#pragma once

#include <cstdint>

#include "railcheck/collectives/data_type.h"
#include "railcheck/kernels/element.h"

namespace railcheck::kernels {

template <typename F>
void dispatch_type(DataType type, F&& f) {
  switch (type) {
    case DataType::kInt8:
      f(std::int8_t{});
      break;
    case DataType::kUint8:
      f(std::uint8_t{});
      break;
    case DataType::kInt32:
      f(std::int32_t{});
      break;
    case DataType::kUint32:
      f(std::uint32_t{});
      break;
    case DataType::kInt64:
      f(std::int64_t{});
      break;
    case DataType::kUint64:
      f(std::uint64_t{});
      break;
    case DataType::kFloat16:
      f(Half{});
      break;
    case DataType::kBfloat16:
      f(BFloat16{});
      break;
    case DataType::kFloat32:
      f(float{});
      break;
    case DataType::kFloat64:
      f(double{});
      break;
  }
}

/// Blocks for a grid-stride loop over `n` items: enough to fill the GPU, never more than needed.
inline unsigned int grid_for(std::uint64_t n, unsigned int block) {
  const std::uint64_t blocks = (n + block - 1) / block;
  return static_cast<unsigned int>(blocks < 65535 * 8 ? (blocks == 0 ? 1 : blocks) : 65535 * 8);
}

}  // namespace railcheck::kernels
