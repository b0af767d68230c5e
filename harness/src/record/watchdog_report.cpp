#include "railcheck/record/watchdog_report.h"

#include "railcheck/core/exit_codes.h"
#include "railcheck/record/record_kinds.h"

namespace railcheck {

nlohmann::json to_json(const WatchdogReport& report) {
  nlohmann::json lost = nlohmann::json::array();
  for (const LostRank& rank : report.lost) {
    lost.push_back({{"rank", rank.rank},
                    {"host", rank.host},
                    {"pid", rank.pid},
                    {"state", rank.state},
                    {"last_step", rank.last_step},
                    {"silent_s", rank.silent_s}});
  }
  return {{"type", line_type_info(LineType::kWatchdog).name},
          {"step", report.step},
          {"reporter", report.reporter},
          {"waited_s", report.waited_s},
          {"timeout_s", report.timeout_s},
          {"lost_ranks", std::move(lost)},
          {"waiting_ranks", report.waiting},
          {"exit_code", kWatchdogExitCode},
          {"text", report.text}};
}

}  // namespace railcheck
