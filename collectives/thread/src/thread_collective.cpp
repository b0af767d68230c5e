#include "railcheck/collectives/thread_collective.h"

#include <cstring>
#include <string>

#include "railcheck/collectives/host_memory_collective.h"
#include "railcheck/collectives/host_reduce.h"
#include "railcheck/core/error.h"

namespace railcheck {
namespace {

// Elements each rank contributes and receives for one call (`count` is NCCL's count argument).
struct CallShape {
  std::size_t input = 0;
  std::size_t output = 0;
};

CallShape shape_of(CollectiveKind kind, std::size_t count, std::size_t ranks) {
  switch (kind) {
    case CollectiveKind::kAllGather:
      return {count, count * ranks};
    case CollectiveKind::kReduceScatter:
      return {count * ranks, count};
    case CollectiveKind::kAllToAll:
      return {count * ranks, count * ranks};
    case CollectiveKind::kAllReduce:
    case CollectiveKind::kBroadcast:
    case CollectiveKind::kReduce:
    case CollectiveKind::kSendRecv:
      return {count, count};
  }
  return {count, count};
}

class ThreadCollective final : public HostMemoryCollective {
 public:
  ThreadCollective(std::shared_ptr<ThreadGroup> group, int rank) : group_(std::move(group)), rank_(rank) {}

  std::string_view backend_name() const override { return "thread"; }
  int rank() const override { return rank_; }
  int size() const override { return group_->size(); }

  void synchronize() override { group_->job()->throw_if_ended(); }

  void run(const CollectiveCall& call) override;

  std::unique_ptr<Collective> split(int color, int key) override {
    auto [group, index] = group_->split(rank_, color, key);
    if (!group) return nullptr;
    return std::make_unique<ThreadCollective>(std::move(group), index);
  }

 private:
  std::shared_ptr<ThreadGroup> group_;
  int rank_;
};

void ThreadCollective::run(const CollectiveCall& call) {
  const std::size_t ranks = static_cast<std::size_t>(size());
  const std::size_t width = size_of(call.type);
  const CallShape shape = shape_of(call.kind, call.count, ranks);
  const std::size_t chunk = call.count * width;
  // Every rank's input, copied before anyone writes an output: in-place calls read what they overwrite.
  const auto* send = static_cast<const char*>(call.send);
  const std::vector<std::string> inputs = group_->allgather(rank_, std::string(send, shape.input * width));
  auto input_of = [&](std::size_t r) { return inputs[r].data(); };
  auto* recv = static_cast<char*>(call.recv);
  const auto me = static_cast<std::size_t>(rank_);

  auto reduce_chunk = [&](std::size_t offset, char* out) {
    std::memcpy(out, input_of(0) + offset, chunk);
    for (std::size_t r = 1; r < ranks; ++r) reduce_elements(input_of(r) + offset, out, call.count, call.type, call.op);
    if (call.op == ReduceOp::kAvg) divide_elements(out, call.count, call.type, static_cast<int>(ranks));
  };
  switch (call.kind) {
    case CollectiveKind::kAllReduce:
      reduce_chunk(0, recv);
      break;
    case CollectiveKind::kReduce:
      if (rank_ == call.root) reduce_chunk(0, recv);
      break;
    case CollectiveKind::kReduceScatter:
      reduce_chunk(me * chunk, recv);
      break;
    case CollectiveKind::kAllGather:
      for (std::size_t r = 0; r < ranks; ++r) std::memcpy(recv + r * chunk, input_of(r), chunk);
      break;
    case CollectiveKind::kAllToAll:
      for (std::size_t r = 0; r < ranks; ++r) std::memcpy(recv + r * chunk, input_of(r) + me * chunk, chunk);
      break;
    case CollectiveKind::kBroadcast:
      std::memcpy(recv, input_of(static_cast<std::size_t>(call.root)), chunk);
      break;
    case CollectiveKind::kSendRecv:
      std::memcpy(recv, input_of((me + ranks - 1) % ranks), chunk);
      break;
  }
}

}  // namespace

std::unique_ptr<Collective> make_thread_collective(std::shared_ptr<ThreadGroup> group, int rank) {
  return std::make_unique<ThreadCollective>(std::move(group), rank);
}

}  // namespace railcheck
