// Move-only RAII owners of libibverbs objects, released through the VerbsApi seam. Destructors are noexcept:
// a failed release (EBUSY from a QP still attached, a PD with live MRs) is logged to stderr, never thrown.
// Owners keep the seam alive (shared_ptr) and the device name for messages.
//
// Release order is the caller's: declare owners so that members destroy in reverse of creation
// (MRs and QPs before their CQ, the CQ before the PD, the PD before the context), as VerbsConnection does.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "railcheck/collectives/verbs_api.h"

namespace railcheck {

/// The releasing call and its name for logs, per owned type.
int verbs_release(VerbsApi& api, ibv_context* raw);
int verbs_release(VerbsApi& api, ibv_pd* raw);
int verbs_release(VerbsApi& api, ibv_cq* raw);
int verbs_release(VerbsApi& api, ibv_qp* raw);
int verbs_release(VerbsApi& api, ibv_mr* raw);
const char* verbs_release_name(const ibv_context*);
const char* verbs_release_name(const ibv_pd*);
const char* verbs_release_name(const ibv_cq*);
const char* verbs_release_name(const ibv_qp*);
const char* verbs_release_name(const ibv_mr*);
/// Logs "railcheck: warning: verbs: <call> on <device> failed: <errno text>" (noexcept).
void log_verbs_release_failure(const char* call, const std::string& device, int error) noexcept;

/// Owns one ibv_context / ibv_pd / ibv_cq / ibv_qp / ibv_mr; empty when default-constructed or moved from.
template <typename T>
class VerbsOwner {
 public:
  VerbsOwner() = default;
  /// Takes `raw` (non-null, just created through `api`) for release on destruction.
  VerbsOwner(std::shared_ptr<VerbsApi> api, T* raw, std::string device) noexcept
      : api_(std::move(api)), raw_(raw), device_(std::move(device)) {}
  VerbsOwner(VerbsOwner&& other) noexcept
      : api_(std::move(other.api_)), raw_(std::exchange(other.raw_, nullptr)), device_(std::move(other.device_)) {}
  VerbsOwner& operator=(VerbsOwner&& other) noexcept {
    if (this != &other) {
      reset();
      api_ = std::move(other.api_);
      raw_ = std::exchange(other.raw_, nullptr);
      device_ = std::move(other.device_);
    }
    return *this;
  }
  VerbsOwner(const VerbsOwner&) = delete;
  VerbsOwner& operator=(const VerbsOwner&) = delete;
  ~VerbsOwner() { reset(); }

  T* get() const noexcept { return raw_; }
  explicit operator bool() const noexcept { return raw_ != nullptr; }
  const std::string& device() const noexcept { return device_; }
  /// Releases now (logging a failure); the owner is empty afterwards.
  void reset() noexcept {
    if (!raw_) return;
    T* raw = std::exchange(raw_, nullptr);
    errno = 0;
    const int rc = verbs_release(*api_, raw);
    if (rc != 0) log_verbs_release_failure(verbs_release_name(raw), device_, rc > 0 ? rc : errno);
  }

 private:
  std::shared_ptr<VerbsApi> api_;
  T* raw_ = nullptr;
  std::string device_;
};

using VerbsContext = VerbsOwner<ibv_context>;
using VerbsPd = VerbsOwner<ibv_pd>;
using VerbsCq = VerbsOwner<ibv_cq>;
using VerbsQp = VerbsOwner<ibv_qp>;
using VerbsMr = VerbsOwner<ibv_mr>;

/// Owns the array from ibv_get_device_list. `open()` never throws for "no devices": a null list with
/// ENOSYS (kernel without RDMA support), any other errno, or an empty list all give size() == 0 and a
/// plain reason().
class VerbsDeviceList {
 public:
  static VerbsDeviceList open(std::shared_ptr<VerbsApi> api) noexcept;
  VerbsDeviceList(VerbsDeviceList&& other) noexcept;
  VerbsDeviceList& operator=(VerbsDeviceList&& other) noexcept;
  VerbsDeviceList(const VerbsDeviceList&) = delete;
  VerbsDeviceList& operator=(const VerbsDeviceList&) = delete;
  ~VerbsDeviceList();

  int size() const noexcept { return count_; }
  ibv_device* at(int index) const noexcept { return list_[index]; }
  /// Why there are no devices ("no RDMA devices: ibv_get_device_list: Function not implemented (kernel
  /// without RDMA support?)"); empty when size() > 0.
  const std::string& reason() const noexcept { return reason_; }

 private:
  VerbsDeviceList() = default;
  std::shared_ptr<VerbsApi> api_;
  ibv_device** list_ = nullptr;
  int count_ = 0;
  std::string reason_;
};

}  // namespace railcheck
