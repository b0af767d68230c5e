// The wall clock records are stamped with (start_unix_s / end_unix_s): system_clock seconds since the epoch,
// comparable across the hosts of a run as far as their clocks are synchronized (NTP/PTP).
#pragma once

#include <chrono>

namespace railcheck {

inline double unix_now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace railcheck
