#include "railcheck/collectives/nccl_collective.h"

#include <thread>

#include "cuda_event_timer.h"
#include "nccl_bootstrap.h"
#include "nccl_comm.h"
#include "nccl_types.h"
#include "railcheck/collectives/cuda_handles.h"
#include "railcheck/collectives/nccl_call.h"

namespace railcheck {
namespace {

class NcclCollective final : public Collective {
 public:
  NcclCollective(int device, std::shared_ptr<CudaStream> stream, NcclComm comm)
      : device_(device), stream_(std::move(stream)), comm_(std::move(comm)) {
    RC_NCCL_CALL(ncclCommUserRank(comm_.get(), &rank_));
    RC_NCCL_CALL(ncclCommCount(comm_.get(), &size_));
  }
  NcclCollective(const NcclCollective&) = delete;
  NcclCollective& operator=(const NcclCollective&) = delete;
  ~NcclCollective() override { discard_capture(); }

  std::string_view backend_name() const override { return "nccl"; }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  Buffer allocate(std::size_t bytes) override {
    RC_CUDA_CALL(cudaSetDevice(device_));
    return allocate_device_buffer(bytes, stream());
  }

  void upload(Buffer& dst, std::size_t offset, std::span<const std::byte> src) override {
    check_copy_range(dst, offset, src.size());
    copy(dst.bytes_ptr() + offset, src.data(), src.size());
  }

  void download(const Buffer& src, std::size_t offset, std::span<std::byte> dst) override {
    check_copy_range(src, offset, dst.size());
    copy(dst.data(), src.bytes_ptr() + offset, dst.size());
  }

  std::unique_ptr<Timer> make_timer() override { return std::make_unique<CudaEventTimer>(stream_, device_); }

  std::optional<std::size_t> free_device_memory_bytes() const override {
    RC_CUDA_CALL(cudaSetDevice(device_));
    std::size_t free_bytes = 0, total_bytes = 0;
    RC_CUDA_CALL(cudaMemGetInfo(&free_bytes, &total_bytes));
    return free_bytes;
  }

  bool supports_in_place(CollectiveKind) const override { return true; }
  // As nccl-tests: in place, all_to_all and send_recv are grouped ncclSend / ncclRecv over one buffer, whose
  // order NCCL does not define; they are timed (and averaged) but not checked.
  bool in_place_result_defined(CollectiveKind kind) const override {
    return kind != CollectiveKind::kAllToAll && kind != CollectiveKind::kSendRecv;
  }

  void run(const CollectiveCall& call) override;
  void synchronize() override;

  bool supports_graph_capture() const override { return true; }
  void begin_capture() override;
  void end_capture() override;
  void replay_capture() override;

  std::unique_ptr<Collective> split(int color, int key) override;

 private:
  cudaStream_t stream() const { return stream_->get(); }

  // Blocking, and ordered after the work already queued on the stream.
  void copy(void* dst, const void* src, std::size_t bytes) {
    if (bytes == 0) return;
    RC_CUDA_CALL(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDefault, stream()));
    RC_CUDA_CALL(cudaStreamSynchronize(stream()));
  }

  void enqueue(const CollectiveCall& call);
  void check_async_error();
  void discard_capture() noexcept;

  // Destroyed in reverse order: graph exec, then communicator, then (its last owner gone) the stream.
  int device_;
  std::shared_ptr<CudaStream> stream_;  // shared with timers
  NcclComm comm_;
  CudaGraphExec graph_exec_;
  bool capturing_ = false;
  int rank_ = 0;
  int size_ = 1;
};

void NcclCollective::run(const CollectiveCall& call) {
  try {
    enqueue(call);
  } catch (const Error&) {
    comm_.mark_failed();
    throw;
  }
}

void NcclCollective::enqueue(const CollectiveCall& call) {
  const ncclDataType_t type = nccl_data_type(call.type);
  const ncclComm_t comm = comm_.get();
  const cudaStream_t s = stream();
  const std::size_t count = call.count;
  switch (call.kind) {
    case CollectiveKind::kAllReduce:
      RC_NCCL_CALL(ncclAllReduce(call.send, call.recv, count, type, nccl_red_op(call.op), comm, s));
      break;
    case CollectiveKind::kAllGather:
      RC_NCCL_CALL(ncclAllGather(call.send, call.recv, count, type, comm, s));
      break;
    case CollectiveKind::kReduceScatter:
      RC_NCCL_CALL(ncclReduceScatter(call.send, call.recv, count, type, nccl_red_op(call.op), comm, s));
      break;
    case CollectiveKind::kAllToAll: {  // as nccl-tests: one send and one receive of `count` per peer
      const std::size_t chunk_bytes = count * size_of(call.type);
      const auto* send = static_cast<const std::byte*>(call.send);
      auto* recv = static_cast<std::byte*>(call.recv);
      NcclGroup group;
      for (int peer = 0; peer < size_; ++peer) {
        const std::size_t offset = static_cast<std::size_t>(peer) * chunk_bytes;
        RC_NCCL_CALL(ncclSend(send + offset, count, type, peer, comm, s));
        RC_NCCL_CALL(ncclRecv(recv + offset, count, type, peer, comm, s));
      }
      group.end();
      break;
    }
    case CollectiveKind::kBroadcast:
      RC_NCCL_CALL(ncclBroadcast(call.send, call.recv, count, type, call.root, comm, s));
      break;
    case CollectiveKind::kReduce:
      RC_NCCL_CALL(ncclReduce(call.send, call.recv, count, type, nccl_red_op(call.op), call.root, comm, s));
      break;
    case CollectiveKind::kSendRecv: {  // ring: send to the next rank, receive from the previous one
      const int next = (rank_ + 1) % size_;
      const int previous = (rank_ - 1 + size_) % size_;
      NcclGroup group;
      RC_NCCL_CALL(ncclSend(call.send, count, type, next, comm, s));
      RC_NCCL_CALL(ncclRecv(call.recv, count, type, previous, comm, s));
      group.end();
      break;
    }
  }
}

// Polls instead of cudaStreamSynchronize so that a dead peer or network error (reported asynchronously by
// NCCL) throws instead of hanging, as nccl-tests does.
void NcclCollective::synchronize() {
  if (capturing_) throw Error("synchronize() called inside a CUDA graph capture; call end_capture() first");
  cudaError_t status = cudaSuccess;
  while ((status = cudaStreamQuery(stream())) == cudaErrorNotReady) {
    check_async_error();
    std::this_thread::yield();
  }
  if (status != cudaSuccess) {
    comm_.mark_failed();
    throw_cuda_error(status, "cudaStreamQuery(stream)", __FILE__, __LINE__);
  }
  check_async_error();
}

void NcclCollective::check_async_error() {
  ncclResult_t async_error = ncclSuccess;
  RC_NCCL_CALL(ncclCommGetAsyncError(comm_.get(), &async_error));
  if (async_error != ncclSuccess) {
    comm_.mark_failed();
    throw_nccl_error(async_error, "ncclCommGetAsyncError(comm, &async_error)", __FILE__, __LINE__);
  }
}

void NcclCollective::begin_capture() {
  if (capturing_) throw Error("begin_capture() called while a capture is already open");
  if (graph_exec_) {
    synchronize();  // the previous graph may still be running
    graph_exec_.reset();
  }
  RC_CUDA_CALL(cudaStreamBeginCapture(stream(), cudaStreamCaptureModeThreadLocal));
  capturing_ = true;
}

void NcclCollective::end_capture() {
  if (!capturing_) throw Error("end_capture() called without begin_capture()");
  capturing_ = false;
  cudaGraph_t raw = nullptr;
  RC_CUDA_CALL(cudaStreamEndCapture(stream(), &raw));
  const CudaGraph graph(raw);  // the executable graph does not need it after instantiation
  graph_exec_ = instantiate_graph(graph);
}

void NcclCollective::replay_capture() {
  if (!graph_exec_) throw Error("replay_capture() called without a completed capture");
  RC_CUDA_CALL(cudaGraphLaunch(graph_exec_.get(), stream()));
}

void NcclCollective::discard_capture() noexcept {
  if (!capturing_) return;
  capturing_ = false;
  cudaGraph_t raw = nullptr;
  warn_cuda(cudaStreamEndCapture(stream(), &raw), "cudaStreamEndCapture");
  CudaGraph discarded(raw);
}

std::unique_ptr<Collective> NcclCollective::split(int color, int key) {
  ncclComm_t raw = nullptr;
  try {
    RC_NCCL_CALL(ncclCommSplit(comm_.get(), color < 0 ? NCCL_SPLIT_NOCOLOR : color, key, &raw, nullptr));
  } catch (const Error&) {
    comm_.mark_failed();
    throw;
  }
  if (raw == nullptr) return nullptr;  // color < 0: this rank joins no group
  NcclComm child(raw);
  RC_CUDA_CALL(cudaSetDevice(device_));
  auto stream = std::make_shared<CudaStream>(make_non_blocking_stream());
  return std::make_unique<NcclCollective>(device_, std::move(stream), std::move(child));
}

}  // namespace

std::unique_ptr<Collective> make_nccl_collective(MPI_Comm comm, int device, const NcclCommOptions& options) {
  // Local CUDA setup first, agreed on by every rank: one bad GPU fails all ranks instead of hanging them.
  std::shared_ptr<CudaStream> stream;
  std::string failure;
  try {
    RC_CUDA_CALL(cudaSetDevice(device));
    stream = std::make_shared<CudaStream>(make_non_blocking_stream());
  } catch (const Error& error) {
    failure = error.what();
  }
  agree_on_success(comm, failure, "CUDA device setup");
  NcclComm nccl = create_nccl_comm(comm, options);
  return std::make_unique<NcclCollective>(device, std::move(stream), std::move(nccl));
}

}  // namespace railcheck
