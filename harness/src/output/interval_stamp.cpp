#include "railcheck/output/interval_stamp.h"

namespace railcheck {

void IntervalStamp::record(const Record& record) {
  if (!interval_) {
    next_.record(record);
    return;
  }
  Record stamped = record;
  std::visit(
      [this](auto& r) {
        if constexpr (requires { r.interval; }) r.interval = interval_;
      },
      stamped);
  next_.record(stamped);
}

}  // namespace railcheck
