#include "railcheck/collectives/verbs_resources.h"

#include <cstdio>
#include <cstring>

namespace railcheck {

int verbs_release(VerbsApi& api, ibv_context* raw) { return api.close_device(raw); }
int verbs_release(VerbsApi& api, ibv_pd* raw) { return api.dealloc_pd(raw); }
int verbs_release(VerbsApi& api, ibv_cq* raw) { return api.destroy_cq(raw); }
int verbs_release(VerbsApi& api, ibv_qp* raw) { return api.destroy_qp(raw); }
int verbs_release(VerbsApi& api, ibv_mr* raw) { return api.dereg_mr(raw); }
const char* verbs_release_name(const ibv_context*) { return "ibv_close_device"; }
const char* verbs_release_name(const ibv_pd*) { return "ibv_dealloc_pd"; }
const char* verbs_release_name(const ibv_cq*) { return "ibv_destroy_cq"; }
const char* verbs_release_name(const ibv_qp*) { return "ibv_destroy_qp"; }
const char* verbs_release_name(const ibv_mr*) { return "ibv_dereg_mr"; }

void log_verbs_release_failure(const char* call, const std::string& device, int error) noexcept {
  std::fprintf(stderr, "railcheck: warning: verbs: %s on %s failed: %s (errno %d)\n", call, device.c_str(),
               std::strerror(error), error);
}

VerbsDeviceList VerbsDeviceList::open(std::shared_ptr<VerbsApi> api) noexcept {
  VerbsDeviceList list;
  list.api_ = std::move(api);
  errno = 0;
  int count = 0;
  list.list_ = list.api_->get_device_list(&count);
  if (!list.list_) {
    const int error = errno != 0 ? errno : EIO;
    list.reason_ = "no RDMA devices: ibv_get_device_list: " + std::string(std::strerror(error));
    if (error == ENOSYS)
      list.reason_ += " (kernel without RDMA support?)";
    else
      list.reason_ += " (errno " + std::to_string(error) + ")";
    return list;
  }
  list.count_ = count > 0 ? count : 0;
  if (list.count_ == 0) {
    list.reason_ = "no RDMA devices: ibv_get_device_list found none (no RDMA NIC, or its driver is not loaded)";
  }
  return list;
}

VerbsDeviceList::VerbsDeviceList(VerbsDeviceList&& other) noexcept
    : api_(std::move(other.api_)),
      list_(std::exchange(other.list_, nullptr)),
      count_(std::exchange(other.count_, 0)),
      reason_(std::move(other.reason_)) {}

VerbsDeviceList& VerbsDeviceList::operator=(VerbsDeviceList&& other) noexcept {
  if (this != &other) {
    if (list_) api_->free_device_list(list_);
    api_ = std::move(other.api_);
    list_ = std::exchange(other.list_, nullptr);
    count_ = std::exchange(other.count_, 0);
    reason_ = std::move(other.reason_);
  }
  return *this;
}

VerbsDeviceList::~VerbsDeviceList() {
  if (list_) api_->free_device_list(list_);
}

}  // namespace railcheck
