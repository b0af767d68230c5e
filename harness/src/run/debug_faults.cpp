#include "railcheck/run/debug_faults.h"

#include <chrono>
#include <thread>

#include "railcheck/run/check.h"

namespace railcheck {
namespace {

class FaultyCollective final : public Collective {
 public:
  FaultyCollective(std::unique_ptr<Collective> inner, const DebugFaults& faults, bool slow, bool corrupt)
      : inner_(std::move(inner)), faults_(faults), slow_(slow), corrupt_(corrupt) {}

  std::string_view backend_name() const override { return inner_->backend_name(); }
  int rank() const override { return inner_->rank(); }
  int size() const override { return inner_->size(); }
  Buffer allocate(std::size_t bytes) override { return inner_->allocate(bytes); }
  void upload(Buffer& dst, std::size_t offset, std::span<const std::byte> src) override {
    inner_->upload(dst, offset, src);
  }
  void download(const Buffer& src, std::size_t offset, std::span<std::byte> dst) override {
    inner_->download(src, offset, dst);
    if (corrupt_) corrupt_elements(dst, last_type_, kCorruptedElements);
  }
  std::unique_ptr<Timer> make_timer() override { return inner_->make_timer(); }
  bool supports_in_place(CollectiveKind kind) const override { return inner_->supports_in_place(kind); }
  void run(const CollectiveCall& call) override {
    last_type_ = call.type;
    inner_->run(call);
    if (slow_) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(faults_.slow_ms));
  }
  void synchronize() override { inner_->synchronize(); }
  bool supports_graph_capture() const override { return inner_->supports_graph_capture(); }
  void begin_capture() override { inner_->begin_capture(); }
  void end_capture() override { inner_->end_capture(); }
  void replay_capture() override { inner_->replay_capture(); }
  std::unique_ptr<Collective> split(int color, int key) override {
    std::unique_ptr<Collective> group = inner_->split(color, key);
    if (!group) return nullptr;
    return std::make_unique<FaultyCollective>(std::move(group), faults_, slow_, corrupt_);
  }

 private:
  std::unique_ptr<Collective> inner_;
  const DebugFaults& faults_;
  bool slow_;
  bool corrupt_;
  DataType last_type_ = DataType::kFloat32;  // the element type of the result download() returns
};

}  // namespace

std::unique_ptr<Collective> with_debug_faults(std::unique_ptr<Collective> collective, const DebugFaults& faults,
                                              int world_rank) {
  const bool slow = faults.slow_rank == world_rank;
  const bool corrupt = faults.corrupt_rank == world_rank;
  if (!slow && !corrupt) return collective;
  return std::make_unique<FaultyCollective>(std::move(collective), faults, slow, corrupt);
}

void HangFault::on_step_begin(const StepInfo& step) {
  if (faults_.hang_rank != bootstrap_.rank() || step.kind != StepKind::kMeasure) return;
  while (!bootstrap_.job_ended()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

}  // namespace railcheck
