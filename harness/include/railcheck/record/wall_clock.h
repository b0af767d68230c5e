// The wall clock records are stamped with (start_unix_s / end_unix_s): system_clock seconds since the epoch,
// comparable across the hosts of a run as far as their clocks are synchronized (NTP/PTP).
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace railcheck {

inline double unix_now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

enum class TimeZone { kUtc, kLocal };

/// `unix_s` (seconds since 1970) through strftime's `format` (at most 63 characters of output), in UTC or the
/// local zone.
inline std::string format_unix_time(double unix_s, const char* format, TimeZone zone) {
  const auto when = static_cast<std::time_t>(unix_s);
  std::tm parts{};
  if (zone == TimeZone::kUtc) {
    gmtime_r(&when, &parts);
  } else {
    localtime_r(&when, &parts);
  }
  char text[64];
  return std::string(text, std::strftime(text, sizeof text, format, &parts));
}

/// A duration as H:MM:SS ("0:02:05", "4:00:00"); negative durations read 0:00:00.
inline std::string format_hms(double seconds) {
  const long s = seconds > 0 ? static_cast<long>(seconds) : 0L;
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return text;
}

/// Now through strftime's `format`, as format_unix_time.
inline std::string format_time_now(const char* format, TimeZone zone) {
  return format_unix_time(static_cast<double>(std::time(nullptr)), format, zone);
}

}  // namespace railcheck
