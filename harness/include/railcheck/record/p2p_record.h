// One measured link: who to whom over which NICs, what was measured, and the numbers (or the error).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/plan/p2p_options.h"
#include "railcheck/record/pass_summary.h"

namespace railcheck {

/// perftest's latency columns (t_min, t_max, t_typical = median, t_avg, t_stdev, 99%, 99.9%), microseconds.
struct LatencyStats {
  int count = 0;  ///< samples measured (perftest's statistics leave out the 2 largest)
  double min_us = 0, max_us = 0, typical_us = 0, avg_us = 0, stdev_us = 0, p99_us = 0, p99_9_us = 0;
  double max_of_all_us = 0;  ///< the largest sample, which perftest's t_max leaves out
};
/// perftest's latency statistics (print_report_lat) of one-way latencies in seconds: the samples sorted, the
/// 2 largest left out (m remain; with 2 or fewer nothing is), t_min the smallest, t_max the m-th (0-based:
/// the second largest), t_typical the median of the m, t_avg their mean, t_stdev from deviations truncated
/// to whole microseconds, 99% and 99.9% the samples at ceil(0.99 m) and ceil(0.999 m) (0-based, of all).
/// Empty: count 0.
LatencyStats latency_stats(std::span<const double> samples_s);

/// What the sending side's connection counted of its losses over the timed part (bandwidth ops).
struct LossStats {
  std::string source;               ///< "tcp_info" (kernel TCP_INFO of every stream) or "ib_port_counters"
                                    ///< (the sending RDMA port's sysfs counters)
  std::uint64_t sent = 0;           ///< data segments (TCP) or packets (verbs) sent
  std::uint64_t retransmitted = 0;  ///< of those, retransmitted (verbs: the HCA's retry events)
  std::uint64_t spurious = 0;       ///< of the retransmitted, reported by the peer as duplicates (not lost)
  std::uint64_t errors = 0;         ///< completions in error (verbs: on the port); 0 for TCP
  /// The share of segments sent again because they were lost: (retransmitted - spurious) / sent.
  double rate() const {
    const std::uint64_t lost = retransmitted > spurious ? retransmitted - spurious : 0;
    return sent > 0 ? static_cast<double>(lost) / static_cast<double>(sent) : 0.0;
  }
};

enum class P2pOp { kBandwidth, kBidirectionalBandwidth, kLatency };
std::string_view key_of(P2pOp op);  // "bw", "bw_bidir", "lat"

struct P2pRecord {
  std::string test;             ///< suite entry name; empty for `railcheck p2p`
  std::string phase = "first";  ///< "first" (all pairs), "retest" (second pass over suspects) or "fabric" (a flow
                                ///< of a fabric test's stage; round is the stage)
  P2pOp op = P2pOp::kBandwidth;
  std::string transport;          ///< tcp | verbs
  std::string transfer = "send";  ///< send | write | read (perftest's names); latency: send (ping-pong)
  int round = 0;                  ///< planner round, 0-based; the pairs of one round ran at the same time
  bool within_node = false;
  int src_rank = 0, dst_rank = 0;
  std::string src_host, dst_host;
  std::string src_nic, dst_nic;  ///< device names ("eth0")
  std::string src_addr, dst_addr;
  int rail = 0;
  std::size_t size_bytes = 0;
  int iters = 0;  ///< bandwidth: messages per direction, per QP on verbs (perftest's #iterations), per
                  ///< connection on TCP (whose sockets share each message); latency: ping-pongs
  int streams = 1;
  int tx_depth = 1;
  std::optional<int> cq_mod;  ///< verbs write/read: one signalled completion in every cq_mod per QP (perftest -Q)
  bool ok = true;
  std::string error;          ///< when !ok: what failed, naming the peer
  double start_unix_s = 0.0;  ///< wall clock (system_clock) at the start and end of the timed part
  double end_unix_s = 0.0;
  double bw_gbps = 0.0;                   ///< bandwidth ops: GB/s (1e9 bytes/s); bidirectional: both directions summed
  std::optional<double> peak_bw_gbps;     ///< perftest's BW peak (stream_peak.h), GB/s; one-way streams on a
                                          ///< transport whose completions mean delivery (verbs) only
  std::optional<LatencyStats> lat;        ///< latency op: one-way latency (round trip / 2)
  std::optional<LossStats> loss;          ///< bandwidth ops where the transport counts retransmits (the sender's)
  std::optional<int> interval;            ///< a soak's interval (0-based) it was measured in; unset outside a soak
  std::optional<PassSummary> passes;      ///< a soak: this is the interval's median pass of `passes.count`
  std::vector<std::string> route;         ///< a fabric flow: the directed links it crossed, as the topology's route
                                          ///< oracle walks them ("node1/fab0 -> leaf1:1", "leaf1:4 -> spine2:1", ...)
  std::vector<std::string> return_route;  ///< a fabric flow: the links its acknowledgements cross (dst -> src)
};

/// The record as results.json keeps it (results-schema: $defs/p2p_record); "kind": "p2p".
nlohmann::json to_json(const P2pRecord& record);
P2pRecord p2p_record_from_json(const nlohmann::json& json);
/// Keyed by test, phase, op, round, pair, NICs and size; figure bw_gbps (latency: lat_us.typical, lower
/// better); a failed transfer measured nothing and counts as failed.
SoakFold soak_fold(const P2pRecord& record);

/// Link matrix for one op and rail: rows sources, columns destinations, in `hosts` order. Bandwidth ops show
/// bandwidth in `unit`, latency shows typical us; "-" unmeasured, "ERR" failed. First-pass records only
/// (re-tests are listed, not put in the matrix). Pure, for the console.
std::string format_link_matrix(const std::vector<P2pRecord>& records, const std::vector<std::string>& hosts, P2pOp op,
                               int rail, BandwidthUnit unit);

}  // namespace railcheck
