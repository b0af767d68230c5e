// The analysis input: measurements flattened out of records, each naming the component(s) it describes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/component.h"

namespace railcheck::analysis {

/// One value that belongs to one unit (a GPU, a NIC, a node): a per-rank collective time, a single-GPU check,
/// a NIC's loopback bandwidth. Units of one (metric, size, rail) are compared with each other.
struct UnitSample {
  ComponentId unit;
  std::string metric;  ///< "<test_key> <field>", e.g. "all_reduce.float.sum busbw_gbps"
  std::size_t size_bytes = 0;
  int rail = -1;  ///< -1: not rail-specific (compare across the whole fleet)
  double value = 0.0;
  bool higher_is_better = true;  ///< bandwidth true, time/latency false
};

/// One value measured over a link between two NICs (p2p bandwidth or latency).
struct LinkSample {
  std::string test;           ///< the suite test it belongs to ("tcp_links"; "" for `railcheck p2p`): links
                              ///< of different tests (TCP and verbs) are never judged against each other
  std::string host_a, nic_a;  ///< the source (or the listening side for symmetric ops)
  std::string host_b, nic_b;
  int rail = 0;
  std::string metric;  ///< "p2p.bw bw_gbps", "p2p.lat lat_us.typical"
  std::size_t size_bytes = 0;
  double value = 0.0;
  bool higher_is_better = true;
  int round = 0;   ///< planner round the pair ran in
  bool ok = true;  ///< false: the transfer failed (value meaningless); counts as slow
  std::string error;
  bool retest = false;        ///< measured in the second pass (re-test of a suspect), not the first
  bool directional = false;   ///< host_a -> host_b is the only way it measured (one-way bandwidth, loss):
                              ///< judged per direction, never pooled with host_b -> host_a
  int interval = -1;          ///< the soak interval it was measured in; -1 outside a soak
  double start_unix_s = 0.0;  ///< when it was measured (0: not recorded)
};

/// One value of a whole group (a collective's busbw over a communicator): baselines and bisection use it.
struct GroupSample {
  std::string group;  ///< "world", "rail0", "bisect r1 g0", ...
  std::vector<std::string> hosts;
  int nranks = 0;
  std::string metric;  ///< "all_reduce.float.sum busbw_gbps"
  std::size_t size_bytes = 0;
  double value = 0.0;
  bool higher_is_better = true;
  int interval = -1;          ///< the soak interval it was measured in; -1 outside a soak
  double start_unix_s = 0.0;  ///< when it was measured (0: not recorded)
};

/// One flow of a fabric test's stage (a p2p record of phase "fabric"): judged by the fabric solver over the
/// directed links of its route, never by the pair matrix.
struct FabricFlowSample {
  std::string test;
  int stage = 0;
  std::string src_host, dst_host;
  std::string src_nic, dst_nic;
  int rail = 0;
  std::vector<std::string> route;         ///< the directed links it crossed ("leaf1:4 -> spine2:1")
  std::vector<std::string> return_route;  ///< the links its acknowledgements crossed (empty: not recorded)
  std::size_t size_bytes = 0;
  bool ok = true;  ///< false: the transfer failed (a bad flow)
  std::string error;
  double gbps = 0.0;
  std::optional<double> loss_rate;  ///< the sender's retransmitted share, where the transport counted it
};

struct Samples {
  std::vector<UnitSample> units;
  std::vector<LinkSample> links;
  std::vector<GroupSample> groups;
  std::vector<FabricFlowSample> fabric_flows;
};

/// Extracts samples from a results document's "records" array (collective and p2p records, results schema
/// 1.x): p2p bandwidth (directional for "bw"), latency (typical and p99) and the TCP retransmit share
/// ("p2p.bw retrans_rate", from "loss") as LinkSamples (within-node pairs too; "phase": "retest" marks re-tests);
/// p2p records of phase "fabric" (a fabric test's flows, schema 1.4) as FabricFlowSamples;
/// collectives' busbw as GroupSamples; single-GPU checks (gpu_check records) as UnitSamples of their GPU
/// ("gpu.hbm_copy bw_gbps", "gpu.gemm.bf16 tflops"), judged against the fleet's GPUs. Skipped and failed
/// records give nothing. A soak's records (with "interval") give samples with their interval and start time.
/// Throws std::invalid_argument naming the record index and field when a record is malformed.
Samples samples_from_records(const nlohmann::json& records);

/// Moves the samples of a soak's intervals (interval >= 0) out of `samples` into the result: they are judged
/// over time (soak_drift.h), not pooled with each other as one pass.
Samples take_soak_samples(Samples& samples);

}  // namespace railcheck::analysis
