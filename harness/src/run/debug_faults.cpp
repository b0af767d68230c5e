#include "railcheck/run/debug_faults.h"

#include <chrono>
#include <thread>

#include "railcheck/collectives/collective_decorator.h"
#include "railcheck/run/check.h"

namespace railcheck {
namespace {

// The backend with the debug faults of one rank: a sleep after each call, wrong elements in each result, or
// one flipped bit in each result.
class FaultyCollective final : public CollectiveDecorator {
 public:
  FaultyCollective(std::unique_ptr<Collective> inner, const DebugFaults& faults, bool slow, bool corrupt, bool flip)
      : CollectiveDecorator(std::move(inner)), faults_(faults), slow_(slow), corrupt_(corrupt), flip_(flip) {}

  void download(const Buffer& src, std::size_t offset, std::span<std::byte> dst) override {
    inner().download(src, offset, dst);
    if (corrupt_) corrupt_elements(dst, last_type_, kCorruptedElements);
    const std::size_t width = size_of(last_type_);
    if (flip_ && dst.size() >= width) {
      // The lowest bit of the middle element (little-endian: its first byte), a real type's last mantissa bit.
      dst[(dst.size() / width / 2) * width] ^= std::byte{1};
    }
  }
  void run(const CollectiveCall& call) override {
    last_type_ = call.type;
    inner().run(call);
    if (slow_) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(faults_.slow_ms));
  }
  std::unique_ptr<Collective> split(int color, int key) override {
    std::unique_ptr<Collective> group = inner().split(color, key);
    if (!group) return nullptr;
    return std::make_unique<FaultyCollective>(std::move(group), faults_, slow_, corrupt_, flip_);
  }

 private:
  const DebugFaults& faults_;
  bool slow_;
  bool corrupt_;
  bool flip_;
  DataType last_type_ = DataType::kFloat32;  // the element type of the result download() returns
};

}  // namespace

std::unique_ptr<Collective> with_debug_faults(std::unique_ptr<Collective> collective, const DebugFaults& faults,
                                              int world_rank) {
  const bool slow = faults.slow_rank == world_rank;
  const bool corrupt = faults.corrupt_rank == world_rank;
  const bool flip = faults.flip_bit_rank == world_rank;
  if (!slow && !corrupt && !flip) return collective;
  return std::make_unique<FaultyCollective>(std::move(collective), faults, slow, corrupt, flip);
}

void HangFault::on_step_begin(const StepInfo& step) {
  if (faults_.hang_rank != bootstrap_.rank() || step.kind != StepKind::kMeasure) return;
  while (!bootstrap_.job_ended()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

}  // namespace railcheck
