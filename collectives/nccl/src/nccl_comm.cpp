#include "nccl_comm.h"

#include "railcheck/collectives/nccl_call.h"

namespace railcheck {

void NcclComm::reset() noexcept {
  if (comm_ == nullptr) return;
  ncclResult_t async_error = ncclSuccess;
  if (!failed_ && (ncclCommGetAsyncError(comm_, &async_error) != ncclSuccess || async_error != ncclSuccess)) {
    failed_ = true;
  }
  if (failed_) {
    warn_nccl(ncclCommAbort(comm_), "ncclCommAbort");
  } else {
    warn_nccl(ncclCommDestroy(comm_), "ncclCommDestroy");
  }
  comm_ = nullptr;
  failed_ = false;
}

NcclGroup::NcclGroup() {
  RC_NCCL_CALL(ncclGroupStart());
  open_ = true;
}

NcclGroup::~NcclGroup() {
  if (open_) warn_nccl(ncclGroupEnd(), "ncclGroupEnd");
}

void NcclGroup::end() {
  open_ = false;
  RC_NCCL_CALL(ncclGroupEnd());
}

}  // namespace railcheck
