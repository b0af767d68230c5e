#include "railcheck/collectives/verbs_api.h"

#include <cstring>

namespace railcheck {
namespace {

class RealVerbsApi final : public VerbsApi {
 public:
  ibv_device** get_device_list(int* count) override { return ::ibv_get_device_list(count); }
  void free_device_list(ibv_device** list) override { ::ibv_free_device_list(list); }
  std::string device_name(ibv_device* device) override {
    const char* name = ::ibv_get_device_name(device);
    return name ? name : "?";
  }
  ibv_context* open_device(ibv_device* device) override { return ::ibv_open_device(device); }
  int close_device(ibv_context* context) override { return ::ibv_close_device(context); }
  int query_device(ibv_context* context, ibv_device_attr* attr) override { return ::ibv_query_device(context, attr); }
  int query_port(ibv_context* context, std::uint8_t port, ibv_port_attr* attr) override {
    return ::ibv_query_port(context, port, attr);
  }
  int query_gid(ibv_context* context, std::uint8_t port, int index, ibv_gid_entry* entry) override {
    return ::ibv_query_gid_ex(context, port, static_cast<std::uint32_t>(index), entry, 0);
  }
  ibv_pd* alloc_pd(ibv_context* context) override { return ::ibv_alloc_pd(context); }
  int dealloc_pd(ibv_pd* pd) override { return ::ibv_dealloc_pd(pd); }
  ibv_cq* create_cq(ibv_context* context, int cqe) override {
    return ::ibv_create_cq(context, cqe, nullptr, nullptr, 0);
  }
  int destroy_cq(ibv_cq* cq) override { return ::ibv_destroy_cq(cq); }
  ibv_qp* create_qp(ibv_pd* pd, ibv_qp_init_attr* attr) override { return ::ibv_create_qp(pd, attr); }
  int destroy_qp(ibv_qp* qp) override { return ::ibv_destroy_qp(qp); }
  int modify_qp(ibv_qp* qp, ibv_qp_attr* attr, int mask) override { return ::ibv_modify_qp(qp, attr, mask); }
  ibv_mr* reg_mr(ibv_pd* pd, void* address, std::size_t bytes, int access) override {
    return ::ibv_reg_mr(pd, address, bytes, access);
  }
  ibv_mr* reg_dmabuf_mr(ibv_pd* pd, std::uint64_t offset, std::size_t bytes, std::uint64_t iova, int fd,
                        int access) override {
    return ::ibv_reg_dmabuf_mr(pd, offset, bytes, iova, fd, access);
  }
  int dereg_mr(ibv_mr* mr) override { return ::ibv_dereg_mr(mr); }
  int post_send(ibv_qp* qp, ibv_send_wr* wr, ibv_send_wr** bad) override { return ::ibv_post_send(qp, wr, bad); }
  int post_recv(ibv_qp* qp, ibv_recv_wr* wr, ibv_recv_wr** bad) override { return ::ibv_post_recv(qp, wr, bad); }
  int poll_cq(ibv_cq* cq, int n, ibv_wc* wc) override { return ::ibv_poll_cq(cq, n, wc); }
};

}  // namespace

std::shared_ptr<VerbsApi> make_real_verbs_api() { return std::make_shared<RealVerbsApi>(); }

std::string verbs_errno_text(int error) {
  const char* name = strerrorname_np(error);
  return std::string(std::strerror(error)) + " (errno " + std::to_string(error) +
         (name ? std::string(", ") + name : "") + ")";
}

std::string verbs_failure_detail(const std::string& device, int error) {
  return device + ": " + verbs_errno_text(error);
}

}  // namespace railcheck
