// Elements of a raw byte buffer (a check input or result) read and written as a given type, for tests.
#pragma once

#include <cstddef>
#include <cstring>
#include <vector>

namespace railcheck::test {

template <typename S>
S load(const std::vector<std::byte>& bytes, std::size_t index) {
  S value;
  std::memcpy(&value, bytes.data() + index * sizeof(S), sizeof(S));
  return value;
}

template <typename S>
void store(std::vector<std::byte>& bytes, std::size_t index, S value) {
  std::memcpy(bytes.data() + index * sizeof(S), &value, sizeof(S));
}

}  // namespace railcheck::test
