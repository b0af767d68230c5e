#include "railcheck/collectives/mpi_collective.h"

#include <climits>
#include <cstring>

#include "mpi_types.h"
#include "railcheck/collectives/host_memory_collective.h"
#include "railcheck/collectives/mpi_call.h"
#include "railcheck/collectives/mpi_comm.h"

namespace railcheck {
namespace {

constexpr int kSendRecvTag = 7;

class MpiCollective final : public HostMemoryCollective {
 public:
  explicit MpiCollective(MpiComm comm) : comm_(std::move(comm)) {
    RC_MPI_CALL(MPI_Comm_rank(comm_.get(), &rank_));
    RC_MPI_CALL(MPI_Comm_size(comm_.get(), &size_));
  }

  std::string_view backend_name() const override { return "mpi"; }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void run(const CollectiveCall& call) override;
  void synchronize() override {}

  std::unique_ptr<Collective> split(int color, int key) override {
    MPI_Comm sub = MPI_COMM_NULL;
    RC_MPI_CALL(MPI_Comm_split(comm_.get(), color < 0 ? MPI_UNDEFINED : color, key, &sub));
    if (sub == MPI_COMM_NULL) return nullptr;
    MpiComm owned(sub);
    RC_MPI_CALL(MPI_Comm_set_errhandler(sub, MPI_ERRORS_RETURN));
    return std::make_unique<MpiCollective>(std::move(owned));
  }

 private:
  MpiComm comm_;
  MpiReduceOps ops_;
  int rank_ = 0;
  int size_ = 1;
};

void MpiCollective::run(const CollectiveCall& call) {
  if (call.count > static_cast<std::size_t>(INT_MAX)) {
    throw Error("count " + std::to_string(call.count) + " exceeds the MPI host backend's limit of INT_MAX elements");
  }
  const int count = static_cast<int>(call.count);
  const MPI_Datatype type = mpi_datatype(call.type);
  const MPI_Op op = ops_.get(call.type, call.op);
  const MPI_Comm comm = comm_.get();
  const std::size_t chunk_bytes = call.count * size_of(call.type);
  auto* recv = static_cast<std::byte*>(call.recv);
  auto* send = const_cast<std::byte*>(static_cast<const std::byte*>(call.send));
  const bool same = send == recv;

  switch (call.kind) {
    case CollectiveKind::kAllReduce:
      RC_MPI_CALL(MPI_Allreduce(same ? MPI_IN_PLACE : send, recv, count, type, op, comm));
      if (call.op == ReduceOp::kAvg) divide_elements(recv, call.count, call.type, size_);
      break;
    case CollectiveKind::kAllGather:
      if (send == recv + rank_ * chunk_bytes) {
        RC_MPI_CALL(MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, recv, count, type, comm));
      } else {
        RC_MPI_CALL(MPI_Allgather(send, count, type, recv, count, type, comm));
      }
      break;
    case CollectiveKind::kReduceScatter:
      if (recv == send + rank_ * chunk_bytes) {  // NCCL's in-place layout; MPI leaves the result at the start
        RC_MPI_CALL(MPI_Reduce_scatter_block(MPI_IN_PLACE, send, count, type, op, comm));
        if (rank_ != 0) std::memmove(recv, send, chunk_bytes);
      } else {
        RC_MPI_CALL(MPI_Reduce_scatter_block(send, recv, count, type, op, comm));
      }
      if (call.op == ReduceOp::kAvg) divide_elements(recv, call.count, call.type, size_);
      break;
    case CollectiveKind::kAllToAll:
      if (same) {
        RC_MPI_CALL(MPI_Alltoall(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, recv, count, type, comm));
      } else {
        RC_MPI_CALL(MPI_Alltoall(send, count, type, recv, count, type, comm));
      }
      break;
    case CollectiveKind::kBroadcast:
      if (rank_ == call.root && !same) std::memcpy(recv, send, chunk_bytes);
      RC_MPI_CALL(MPI_Bcast(recv, count, type, call.root, comm));
      break;
    case CollectiveKind::kReduce:
      if (rank_ == call.root) {
        RC_MPI_CALL(MPI_Reduce(same ? MPI_IN_PLACE : send, recv, count, type, op, call.root, comm));
        if (call.op == ReduceOp::kAvg) divide_elements(recv, call.count, call.type, size_);
      } else {
        RC_MPI_CALL(MPI_Reduce(send, nullptr, count, type, op, call.root, comm));
      }
      break;
    case CollectiveKind::kSendRecv: {
      const int next = (rank_ + 1) % size_;
      const int previous = (rank_ - 1 + size_) % size_;
      if (same) {
        RC_MPI_CALL(MPI_Sendrecv_replace(recv, count, type, next, kSendRecvTag, previous, kSendRecvTag, comm,
                                         MPI_STATUS_IGNORE));
      } else {
        RC_MPI_CALL(MPI_Sendrecv(send, count, type, next, kSendRecvTag, recv, count, type, previous, kSendRecvTag, comm,
                                 MPI_STATUS_IGNORE));
      }
      break;
    }
  }
}

}  // namespace

std::unique_ptr<Collective> make_mpi_collective(MPI_Comm comm) {
  return std::make_unique<MpiCollective>(MpiComm::duplicate(comm));
}

}  // namespace railcheck
