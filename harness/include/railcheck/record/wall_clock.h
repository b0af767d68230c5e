// The wall clock records are stamped with (start_unix_s / end_unix_s): system_clock seconds since the epoch,
// comparable across the hosts of a run as far as their clocks are synchronized (NTP/PTP).
#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace railcheck {

inline double unix_now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

enum class TimeZone { kUtc, kLocal };

/// Now through strftime's `format` (at most 63 characters of output), in UTC or the local zone.
inline std::string format_time_now(const char* format, TimeZone zone) {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  if (zone == TimeZone::kUtc) {
    gmtime_r(&now, &parts);
  } else {
    localtime_r(&now, &parts);
  }
  char text[64];
  return std::string(text, std::strftime(text, sizeof text, format, &parts));
}

}  // namespace railcheck
