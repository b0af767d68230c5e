// Move-only owner of an NCCL communicator, and a scope guard for ncclGroupStart/ncclGroupEnd.
#pragma once

#include <nccl.h>

#include <utility>

namespace railcheck {

/// Destroys the communicator (ncclCommDestroy) when it goes away, or aborts it (ncclCommAbort) when a
/// failure was marked or NCCL reports an asynchronous error, so that a broken peer cannot hang the teardown.
class NcclComm {
 public:
  NcclComm() = default;
  /// Takes ownership of `comm`.
  explicit NcclComm(ncclComm_t comm) : comm_(comm) {}
  NcclComm(const NcclComm&) = delete;
  NcclComm& operator=(const NcclComm&) = delete;
  NcclComm(NcclComm&& other) noexcept
      : comm_(std::exchange(other.comm_, nullptr)), failed_(std::exchange(other.failed_, false)) {}
  NcclComm& operator=(NcclComm&& other) noexcept {
    if (this != &other) {
      reset();
      comm_ = std::exchange(other.comm_, nullptr);
      failed_ = std::exchange(other.failed_, false);
    }
    return *this;
  }
  ~NcclComm() { reset(); }

  ncclComm_t get() const { return comm_; }
  /// A call on this communicator failed: abort instead of destroy.
  void mark_failed() noexcept { failed_ = true; }

 private:
  void reset() noexcept;

  ncclComm_t comm_ = nullptr;
  bool failed_ = false;
};

/// ncclGroupStart() on construction; end() calls ncclGroupEnd() and throws its error. If the scope is left
/// by an exception first, the destructor closes the group and logs.
class NcclGroup {
 public:
  NcclGroup();
  NcclGroup(const NcclGroup&) = delete;
  NcclGroup& operator=(const NcclGroup&) = delete;
  ~NcclGroup();

  void end();

 private:
  bool open_ = false;
};

}  // namespace railcheck
