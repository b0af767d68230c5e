#include "railcheck/record/record.h"

namespace railcheck {
namespace {

LineType line_type(const CollectiveRecord&) { return LineType::kRecord; }
LineType line_type(const P2pRecord&) { return LineType::kP2p; }
LineType line_type(const GpuCheckRecord&) { return LineType::kGpuCheck; }
LineType line_type(const BisectionRecord&) { return LineType::kBisection; }
LineType line_type(const TelemetryRecord&) { return LineType::kTelemetry; }

}  // namespace

LineType line_type_of(const Record& record) {
  return std::visit([](const auto& r) { return line_type(r); }, record);
}

nlohmann::json to_json(const Record& record) {
  return std::visit([](const auto& r) { return to_json(r); }, record);
}

std::optional<int> interval_of(const Record& record) {
  return std::visit(
      [](const auto& r) -> std::optional<int> {
        if constexpr (requires { r.interval; }) return r.interval;
        return std::nullopt;
      },
      record);
}

void stamp_interval(Record& record, int interval) {
  std::visit(
      [interval](auto& r) {
        if constexpr (requires { r.interval; }) r.interval = interval;
      },
      record);
}

}  // namespace railcheck
