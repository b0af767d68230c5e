#include "railcheck/record/p2p_record.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "railcheck/record/record_kinds.h"
#include "railcheck/record/stats.h"

namespace railcheck {

LatencyStats latency_stats(std::span<const double> samples_s) {
  LatencyStats l;
  if (samples_s.empty()) return l;
  std::vector<double> d(samples_s.begin(), samples_s.end());
  for (double& value : d) value *= 1.0e6;
  std::sort(d.begin(), d.end());
  const std::size_t n = d.size();
  constexpr std::size_t kTail = 2;  // perftest's LAT_MEASURE_TAIL
  const std::size_t m = n > kTail ? n - kTail : n;
  l.count = static_cast<int>(n);
  l.min_us = d.front();
  l.max_us = d[std::min(m, n - 1)];
  l.max_of_all_us = d.back();
  l.typical_us = m % 2 == 0 ? (d[m / 2] + d[m / 2 - 1]) / 2 : d[m / 2];
  double sum = 0.0;
  for (std::size_t i = 0; i < m; ++i) sum += d[i];
  l.avg_us = sum / static_cast<double>(m);
  double square_sum = 0.0;
  for (std::size_t i = 0; i < m; ++i) {
    const int deviation = static_cast<int>(l.avg_us - d[i]);  // perftest's int: truncated to whole microseconds
    square_sum += static_cast<double>(deviation) * deviation;
  }
  l.stdev_us = std::sqrt(square_sum / static_cast<double>(m));
  auto at = [&](double fraction) {
    const auto index = static_cast<std::size_t>(std::ceil(static_cast<double>(m) * fraction));
    return d[std::min(index, n - 1)];
  };
  l.p99_us = at(0.99);
  l.p99_9_us = at(0.999);
  return l;
}

std::string_view key_of(P2pOp op) {
  switch (op) {
    case P2pOp::kBandwidth:
      return "bw";
    case P2pOp::kBidirectionalBandwidth:
      return "bw_bidir";
    case P2pOp::kLatency:
      return "lat";
  }
  return "bw";
}

nlohmann::json to_json(const P2pRecord& r) {
  nlohmann::json j = {{"kind", line_type_info(LineType::kP2p).record_kind},
                      {"test_key", "p2p." + std::string(key_of(r.op))},
                      {"op", key_of(r.op)},
                      {"transport", r.transport},
                      {"transfer", r.transfer},
                      {"round", r.round},
                      {"within_node", r.within_node},
                      {"src_rank", r.src_rank},
                      {"dst_rank", r.dst_rank},
                      {"src_host", r.src_host},
                      {"dst_host", r.dst_host},
                      {"src_nic", r.src_nic},
                      {"dst_nic", r.dst_nic},
                      {"src_addr", r.src_addr},
                      {"dst_addr", r.dst_addr},
                      {"rail", r.rail},
                      {"size_bytes", r.size_bytes},
                      {"iters", r.iters},
                      {"streams", r.streams},
                      {"tx_depth", r.tx_depth},
                      {"status", r.ok ? "ok" : "error"},
                      {"start_unix_s", r.start_unix_s},
                      {"end_unix_s", r.end_unix_s},
                      {"bw_gbps", nullptr},
                      {"bw_gbits", nullptr},
                      {"lat_us", nullptr}};
  if (!r.ok) j["error"] = r.error;
  if (!r.test.empty()) j["test"] = r.test;
  j["phase"] = r.phase;
  if (r.ok && r.op != P2pOp::kLatency) {
    j["bw_gbps"] = r.bw_gbps;
    j["bw_gbits"] = r.bw_gbps * 8.0;
    j["peak_bw_gbps"] = r.peak_bw_gbps ? nlohmann::json(*r.peak_bw_gbps) : nlohmann::json(nullptr);
  }
  if (r.cq_mod) j["cq_mod"] = *r.cq_mod;
  if (r.interval) j["interval"] = *r.interval;
  if (r.passes) j["passes"] = to_json(*r.passes);
  if (!r.route.empty()) j["route"] = r.route;
  if (!r.return_route.empty()) j["return_route"] = r.return_route;
  j["loss"] = nullptr;
  if (r.ok && r.loss) {
    j["loss"] = {{"source", r.loss->source},     {"sent", r.loss->sent},     {"retransmitted", r.loss->retransmitted},
                 {"spurious", r.loss->spurious}, {"errors", r.loss->errors}, {"rate", r.loss->rate()}};
  }
  if (r.ok && r.lat) {
    j["lat_us"] = {{"count", r.lat->count},        {"min", r.lat->min_us},     {"max", r.lat->max_us},
                   {"typical", r.lat->typical_us}, {"avg", r.lat->avg_us},     {"stdev", r.lat->stdev_us},
                   {"p99", r.lat->p99_us},         {"p99_9", r.lat->p99_9_us}, {"max_of_all", r.lat->max_of_all_us}};
  }
  return j;
}

P2pRecord p2p_record_from_json(const nlohmann::json& j) {
  P2pRecord r;
  const std::string op = j.at("op");
  r.op = op == "lat" ? P2pOp::kLatency : op == "bw_bidir" ? P2pOp::kBidirectionalBandwidth : P2pOp::kBandwidth;
  r.transport = j.at("transport");
  r.transfer = j.value("transfer", std::string("send"));  // absent before schema 1.1's p2p transfers
  r.test = j.value("test", std::string());
  r.phase = j.value("phase", std::string("first"));
  r.round = j.at("round");
  r.within_node = j.at("within_node");
  r.src_rank = j.at("src_rank");
  r.dst_rank = j.at("dst_rank");
  r.src_host = j.at("src_host");
  r.dst_host = j.at("dst_host");
  r.src_nic = j.at("src_nic");
  r.dst_nic = j.at("dst_nic");
  r.src_addr = j.at("src_addr");
  r.dst_addr = j.at("dst_addr");
  r.rail = j.at("rail");
  r.size_bytes = j.at("size_bytes");
  r.iters = j.at("iters");
  r.streams = j.at("streams");
  r.tx_depth = j.at("tx_depth");
  r.ok = j.at("status") == "ok";
  if (j.contains("error")) r.error = j.at("error");
  r.start_unix_s = j.at("start_unix_s");
  r.end_unix_s = j.at("end_unix_s");
  if (!j.at("bw_gbps").is_null()) r.bw_gbps = j.at("bw_gbps");
  if (j.contains("peak_bw_gbps") && !j.at("peak_bw_gbps").is_null()) r.peak_bw_gbps = j.at("peak_bw_gbps");
  if (j.contains("cq_mod")) r.cq_mod = j.at("cq_mod").get<int>();
  if (j.contains("interval")) r.interval = j.at("interval").get<int>();
  if (j.contains("passes")) r.passes = pass_summary_from_json(j.at("passes"));
  if (j.contains("route")) r.route = j.at("route").get<std::vector<std::string>>();
  if (j.contains("return_route")) r.return_route = j.at("return_route").get<std::vector<std::string>>();
  if (j.contains("loss") && !j.at("loss").is_null()) {
    const auto& l = j.at("loss");
    r.loss = LossStats{l.at("source"), l.at("sent"), l.at("retransmitted"), l.value("spurious", std::uint64_t{0}),
                       l.value("errors", std::uint64_t{0})};
  }
  if (!j.at("lat_us").is_null()) {
    const auto& l = j.at("lat_us");
    r.lat = LatencyStats{
        l.at("count"),   l.at("min"),   l.at("max"),
        l.at("typical"), l.at("avg"),   l.at("stdev"),
        l.at("p99"),     l.at("p99_9"), l.value("max_of_all", l.at("max").get<double>())};  // 1.0 records lack it
  }
  return r;
}

std::string format_link_matrix(const std::vector<P2pRecord>& records, const std::vector<std::string>& hosts, P2pOp op,
                               int rail, BandwidthUnit unit) {
  std::size_t width = 8;
  for (const auto& h : hosts) width = std::max(width, h.size() + 1);
  auto pad = [width](std::string text) {
    if (text.size() < width) text.insert(0, width - text.size(), ' ');
    return text;
  };
  const std::string what = op == P2pOp::kLatency ? "typical one-way latency, us" : std::string(unit_name(unit));
  std::string out = "# " + std::string(key_of(op)) + " rail " + std::to_string(rail) + " (" + what +
                    "; row = source, column = destination)\n" + pad("src\\dst");
  for (const auto& h : hosts) out += " " + pad(h);
  out += "\n";
  for (const auto& src : hosts) {
    out += pad(src);
    for (const auto& dst : hosts) {
      std::string cell = "-";
      for (const P2pRecord& r : records) {
        if (r.op != op || r.rail != rail || r.within_node || r.phase != "first") continue;
        const bool match = (r.src_host == src && r.dst_host == dst) ||
                           (op != P2pOp::kBandwidth && r.src_host == dst && r.dst_host == src);
        if (!match) continue;
        char text[32];
        if (!r.ok) {
          cell = "ERR";
        } else if (op == P2pOp::kLatency) {
          std::snprintf(text, sizeof text, "%.1f", r.lat ? r.lat->typical_us : 0.0);
          cell = text;
        } else {
          std::snprintf(text, sizeof text, "%.3f", in_unit(r.bw_gbps, unit));
          cell = text;
        }
      }
      out += " " + pad(cell);
    }
    out += "\n";
  }
  return out;
}

SoakFold soak_fold(const P2pRecord& r) {
  SoakFold f;
  f.key = "p2p|" + r.test + "|" + r.phase + "|" + std::string(key_of(r.op)) + "|" + r.transfer + "|" +
          std::to_string(r.round) + "|" + std::to_string(r.src_rank) + ">" + std::to_string(r.dst_rank) + "|" +
          r.src_nic + ">" + r.dst_nic + "|" + std::to_string(r.rail) + "|" + std::to_string(r.size_bytes);
  const bool latency = r.op == P2pOp::kLatency;
  f.figure_name = latency ? "lat_us.typical" : "bw_gbps";
  f.higher_is_better = !latency;
  if (r.ok && (!latency || r.lat)) f.figure = latency ? r.lat->typical_us : r.bw_gbps;
  f.failed = !r.ok;
  return f;
}

}  // namespace railcheck
