#include "railcheck/output/interval_stamp.h"

namespace railcheck {

void IntervalStamp::record(const Record& record) {
  if (!interval_) {
    next_.record(record);
    return;
  }
  Record stamped = record;
  stamp_interval(stamped, *interval_);
  next_.record(stamped);
}

}  // namespace railcheck
