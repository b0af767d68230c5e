#include "railcheck/output/summary_sink.h"

#include <algorithm>
#include <cstdio>

namespace railcheck {

std::optional<bool> avg_busbw_ok(const RunSummary& s) {
  if (!s.min_avg_busbw_gbps) return std::nullopt;
  return s.avg_busbw_gbps >= 0.9 * *s.min_avg_busbw_gbps;
}

nlohmann::json to_json(const RunSummary& s) {
  nlohmann::json out = {{"records", s.records},
                        {"skipped_records", s.skipped_records},
                        {"wrong_records", s.wrong_records},
                        {"wrong_elements", s.wrong_elements},
                        {"out_of_bounds", s.out_of_bounds},
                        {"avg_busbw_gbps", s.avg_busbw_gbps},
                        {"problems", s.problems},
                        {"exit_code", s.exit_code}};
  if (s.min_avg_busbw_gbps) out["min_avg_busbw_gbps"] = *s.min_avg_busbw_gbps;
  return out;
}

SummarySink::SummarySink(std::optional<double> min_avg_busbw_gbps) { summary_.min_avg_busbw_gbps = min_avg_busbw_gbps; }

RunSummary SummarySink::summary() const {
  RunSummary s = summary_;
  if (busbw_records_ > 0 && avg_busbw_ok(s) == false) {
    char text[160];
    std::snprintf(text, sizeof text, "Avg bus bandwidth %g GB/s is below 0.9 x NCCL_TESTS_MIN_BW (%g GB/s)",
                  s.avg_busbw_gbps, *s.min_avg_busbw_gbps);
    s.problems.emplace_back(text);
    s.exit_code = std::max(s.exit_code, kExitDegraded);
  }
  return s;
}

void SummarySink::record(const Record& record) {
  ++summary_.records;
  std::visit([this](const auto& r) { count(r); }, record);
  if (!summary_.problems.empty()) summary_.exit_code = std::max(summary_.exit_code, kExitDegraded);
}

void SummarySink::note(NoteLevel level, const std::string& text) {
  if (level != NoteLevel::kFailure) return;
  summary_.problems.push_back(text);
  summary_.exit_code = std::max(summary_.exit_code, kExitDegraded);
}

void SummarySink::count(const CollectiveRecord& r) {
  if (r.status == RecordStatus::kSkipped) ++summary_.skipped_records;
  if (r.status == RecordStatus::kWrong) ++summary_.wrong_records;
  if (r.wrong_elements > 0) summary_.wrong_elements += r.wrong_elements;
  for (const RankResult& rank : r.ranks) summary_.out_of_bounds += rank.wrong_elements > 0 ? 1 : 0;
  if (r.status != RecordStatus::kSkipped) {
    busbw_sum_ += r.busbw_gbps;
    ++busbw_records_;
    summary_.avg_busbw_gbps = busbw_sum_ / busbw_records_;
  }
  for (const RankResult& rank : r.ranks) {
    if (rank.wrong_elements <= 0) continue;
    summary_.problems.push_back("rank " + std::to_string(rank.rank) + " (" + rank.host + "): " +
                                std::to_string(rank.wrong_elements) + " wrong elements in " + r.test_name + " " +
                                std::to_string(r.size_bytes) + " B " + (r.in_place ? "in-place" : "out-of-place"));
  }
}

void SummarySink::count(const P2pRecord& r) {
  if (r.ok) return;
  summary_.problems.push_back("link " + r.src_host + "(" + r.src_nic + ") <-> " + r.dst_host + "(" + r.dst_nic +
                              ") rail " + std::to_string(r.rail) + ": " + r.error);
}

void SummarySink::count(const GpuCheckRecord& r) {
  const std::string where = "gpu " + (r.device ? std::to_string(*r.device) : std::string("-")) + " on " + r.host +
                            (r.pci_bus_id.empty() ? "" : " (" + r.pci_bus_id + ")") + " " + r.test_key;
  switch (r.status) {
    case GpuCheckStatus::kOk:
      break;
    case GpuCheckStatus::kSkipped:
      ++summary_.skipped_records;
      break;
    case GpuCheckStatus::kWrong:
      ++summary_.wrong_records;
      summary_.wrong_elements += std::max<std::int64_t>(0, r.wrong);
      summary_.problems.push_back(where + ": " + std::to_string(r.wrong) + " of " + std::to_string(r.checked) +
                                  " checked elements wrong");
      break;
    case GpuCheckStatus::kError:
      ++summary_.wrong_records;
      summary_.problems.push_back(where + ": " + r.error);
      break;
  }
}

void SummarySink::count(const BisectionRecord&) {}  // judged by the analysis, not counted as a problem
void SummarySink::count(const TelemetryRecord&) {}  // likewise: the telemetry rules judge it

}  // namespace railcheck
