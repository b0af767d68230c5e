// The seam over libibverbs: exactly the calls the verbs transport makes, as virtual functions, so the
// connection logic (QP attributes, state order, error paths, release order) is unit-tested with a fake.
// RealVerbsApi forwards each call to libibverbs unchanged; nothing else in railcheck calls ibv_* directly.
//
// Conventions, the same as libibverbs': calls returning a pointer return nullptr and set errno on failure;
// calls returning int return 0 on success and an errno value (or -1 with errno set) on failure. The seam
// does not throw; RC_VERBS_CALL converts failures into railcheck::Error at the call site.
#pragma once

#include <infiniband/verbs.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "railcheck/core/error.h"

namespace railcheck {

class VerbsApi {
 public:
  virtual ~VerbsApi() = default;
  /// ibv_get_device_list: nullptr + errno on failure (ENOSYS on a kernel without RDMA support).
  virtual ibv_device** get_device_list(int* count) = 0;
  virtual void free_device_list(ibv_device** list) = 0;
  /// ibv_get_device_name: "mlx5_0".
  virtual std::string device_name(ibv_device* device) = 0;
  virtual ibv_context* open_device(ibv_device* device) = 0;
  virtual int close_device(ibv_context* context) = 0;
  virtual int query_device(ibv_context* context, ibv_device_attr* attr) = 0;
  virtual int query_port(ibv_context* context, std::uint8_t port, ibv_port_attr* attr) = 0;
  /// ibv_query_gid_ex: the GID at `index` with its type (IB, RoCE v1, RoCE v2).
  virtual int query_gid(ibv_context* context, std::uint8_t port, int index, ibv_gid_entry* entry) = 0;
  virtual ibv_pd* alloc_pd(ibv_context* context) = 0;
  virtual int dealloc_pd(ibv_pd* pd) = 0;
  virtual ibv_cq* create_cq(ibv_context* context, int cqe) = 0;
  virtual int destroy_cq(ibv_cq* cq) = 0;
  virtual ibv_qp* create_qp(ibv_pd* pd, ibv_qp_init_attr* attr) = 0;
  virtual int destroy_qp(ibv_qp* qp) = 0;
  virtual int modify_qp(ibv_qp* qp, ibv_qp_attr* attr, int mask) = 0;
  virtual ibv_mr* reg_mr(ibv_pd* pd, void* address, std::size_t bytes, int access) = 0;
  /// ibv_reg_dmabuf_mr: registers `bytes` at `offset` in the dma-buf `fd`, addressed by the peer as `iova`.
  virtual ibv_mr* reg_dmabuf_mr(ibv_pd* pd, std::uint64_t offset, std::size_t bytes, std::uint64_t iova, int fd,
                                int access) = 0;
  virtual int dereg_mr(ibv_mr* mr) = 0;
  virtual int post_send(ibv_qp* qp, ibv_send_wr* wr, ibv_send_wr** bad) = 0;
  virtual int post_recv(ibv_qp* qp, ibv_recv_wr* wr, ibv_recv_wr** bad) = 0;
  /// ibv_poll_cq: number of completions written to `wc` (0..n), negative on failure.
  virtual int poll_cq(ibv_cq* cq, int n, ibv_wc* wc) = 0;
};

/// The seam that calls libibverbs. Stateless; one may be shared by every transport of a process.
std::shared_ptr<VerbsApi> make_real_verbs_api();

/// "Function not implemented (errno 38, ENOSYS)".
std::string verbs_errno_text(int error);

/// The errno of a failed call's result, 0 on success: null pointer -> errno; nonzero int -> the value, or
/// errno when it is negative (EIO when errno is unset).
template <typename T>
int verbs_call_error(T* result) {
  return result != nullptr ? 0 : (errno != 0 ? errno : EIO);
}
inline int verbs_call_error(int result) { return result == 0 ? 0 : result > 0 ? result : (errno != 0 ? errno : EIO); }

/// Message detail for a failed call on `device`: "mlx5_0: Connection timed out (errno 110, ETIMEDOUT)".
std::string verbs_failure_detail(const std::string& device, int error);

}  // namespace railcheck

// Converts a failing verbs call into railcheck::Error naming the call text, the device, errno and file:line.
// Pointer results fail when null (errno); int results fail when nonzero (the value, or errno when it is -1).
// Evaluates to the call's result. `device` is any expression convertible to std::string.
#define RC_VERBS_CALL(device, call)                                                                           \
  ([&]() {                                                                                                    \
    errno = 0;                                                                                                \
    auto rc_verbs_result_ = (call);                                                                           \
    const int rc_verbs_error_ = ::railcheck::verbs_call_error(rc_verbs_result_);                              \
    if (rc_verbs_error_ != 0) {                                                                               \
      throw ::railcheck::Error(::railcheck::format_call_error(                                                \
          "verbs", #call, __FILE__, __LINE__, ::railcheck::verbs_failure_detail((device), rc_verbs_error_))); \
    }                                                                                                         \
    return rc_verbs_result_;                                                                                  \
  }())
