// Memory that a backend allocates for a collective: move-only, freed by the deleter the backend gave it.
#pragma once

#include <cstddef>
#include <functional>
#include <utility>

namespace railcheck {

enum class MemoryKind { kHost, kDevice };

/// Owns `bytes` bytes at `data()` in host or device memory. The deleter runs once, from the destructor, and
/// must not throw.
class Buffer {
 public:
  using Deleter = std::function<void(void*)>;  // must not throw

  Buffer() = default;
  Buffer(void* data, std::size_t bytes, MemoryKind kind, Deleter deleter)
      : data_(data), bytes_(bytes), kind_(kind), deleter_(std::move(deleter)) {}
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& other) noexcept { swap(other); }
  Buffer& operator=(Buffer&& other) noexcept {
    Buffer(std::move(other)).swap(*this);
    return *this;
  }
  ~Buffer() {
    if (data_ != nullptr && deleter_) deleter_(data_);
  }

  void* data() const { return data_; }
  std::byte* bytes_ptr() const { return static_cast<std::byte*>(data_); }
  std::size_t size() const { return bytes_; }
  MemoryKind kind() const { return kind_; }

 private:
  void swap(Buffer& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(bytes_, other.bytes_);
    std::swap(kind_, other.kind_);
    std::swap(deleter_, other.deleter_);
  }

  void* data_ = nullptr;
  std::size_t bytes_ = 0;
  MemoryKind kind_ = MemoryKind::kHost;
  Deleter deleter_;
};

/// Throws Error unless bytes [offset, offset + bytes) lie inside `buffer` (the check of every upload and
/// download; safe against offset + bytes overflowing).
void check_copy_range(const Buffer& buffer, std::size_t offset, std::size_t bytes);

}  // namespace railcheck
