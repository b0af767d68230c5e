#include "railcheck/output/placement_rows.h"

namespace railcheck {

void PlacementRows::add(const CollectiveRecord& record) {
  if (!record.in_place) {
    flush();
    pending_ = record;
    return;
  }
  if (pending_ && pending_->size_bytes == record.size_bytes && pending_->test_name == record.test_name) {
    const CollectiveRecord out_of_place = std::move(*pending_);
    pending_.reset();
    row_(&out_of_place, &record);
    return;
  }
  flush();
  row_(nullptr, &record);
}

void PlacementRows::flush() {
  if (!pending_) return;
  const CollectiveRecord out_of_place = std::move(*pending_);
  pending_.reset();
  row_(&out_of_place, nullptr);
}

}  // namespace railcheck
