// p2p records for the console: perftest-like lines and per-rail link matrices.
#include <cstdio>
#include <set>

#include "railcheck/output/console_sink.h"
#include "railcheck/plan/sizes.h"

namespace railcheck {

std::string format_p2p_line(const P2pRecord& r, BandwidthUnit unit) {
  char text[512];
  if (!r.ok) {
    std::snprintf(text, sizeof text, "%5d  %s(%s) -> %s(%s)  rail %d  %-8s ERROR: %s", r.round, r.src_host.c_str(),
                  r.src_nic.c_str(), r.dst_host.c_str(), r.dst_nic.c_str(), r.rail, std::string(key_of(r.op)).c_str(),
                  r.error.c_str());
  } else if (r.op == P2pOp::kLatency && r.lat) {
    std::snprintf(text, sizeof text,
                  "%5d  %s(%s) -> %s(%s)  rail %d  %-8s %6s x%-6d t_min %.2f t_max %.2f t_typical %.2f t_avg %.2f "
                  "t_stdev %.2f 99%% %.2f 99.9%% %.2f us",
                  r.round, r.src_host.c_str(), r.src_nic.c_str(), r.dst_host.c_str(), r.dst_nic.c_str(), r.rail, "lat",
                  format_size(r.size_bytes).c_str(), r.iters, r.lat->min_us, r.lat->max_us, r.lat->typical_us,
                  r.lat->avg_us, r.lat->stdev_us, r.lat->p99_us, r.lat->p99_9_us);
  } else {
    // perftest's order: BW peak, BW average, MsgRate (messages of both directions for bw_bidir).
    char peak[32] = "-";
    if (r.peak_bw_gbps) std::snprintf(peak, sizeof peak, "%.3f", in_unit(*r.peak_bw_gbps, unit));
    const double mpps = r.size_bytes > 0 ? r.bw_gbps * 1e9 / static_cast<double>(r.size_bytes) / 1e6 : 0.0;
    std::snprintf(text, sizeof text, "%5d  %s(%s) -> %s(%s)  rail %d  %-8s %6s x%-6d peak %s avg %.3f %s %.6f Mpps",
                  r.round, r.src_host.c_str(), r.src_nic.c_str(), r.dst_host.c_str(), r.dst_nic.c_str(), r.rail,
                  std::string(key_of(r.op)).c_str(), format_size(r.size_bytes).c_str(), r.iters, peak,
                  in_unit(r.bw_gbps, unit), std::string(unit_name(unit)).c_str(), mpps);
  }
  return text;
}

std::string format_link_matrices(const std::vector<P2pRecord>& records, const std::vector<std::string>& hosts,
                                 BandwidthUnit unit) {
  std::set<int> rails;
  std::set<P2pOp> ops;
  for (const P2pRecord& r : records) {
    rails.insert(r.rail);
    ops.insert(r.op);
  }
  std::string out;
  for (int rail : rails) {
    for (P2pOp op : {P2pOp::kBandwidth, P2pOp::kBidirectionalBandwidth}) {
      if (ops.count(op)) out += format_link_matrix(records, hosts, op, rail, unit);
    }
    if (ops.count(P2pOp::kLatency)) out += format_link_matrix(records, hosts, P2pOp::kLatency, rail, unit);
  }
  return out;
}

}  // namespace railcheck
