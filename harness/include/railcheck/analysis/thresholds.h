// Analysis thresholds: data (a suite's "analysis" object, the simulator's flags), never constants in code.
// The defaults are what an acceptance run uses when the suite says nothing.
#pragma once

#include <string>
#include <vector>

namespace railcheck::analysis {

/// Fleet-relative outliers (median / MAD over the units of one metric, size and rail).
struct OutlierOptions {
  double warn_spreads = 4.0;     ///< worse than the centre by more than this many spreads -> warn ...
  double fail_spreads = 6.0;     ///< ... -> fail
  double warn_deviation = 0.10;  ///< and also by at least this fraction of the centre (both must hold)
  double fail_deviation = 0.20;
  double min_relative_spread = 0.02;  ///< spread floor as a fraction of the median (see robust_centre)
  double decisive_deviation = 0.75;   ///< worse than the centre by at least this fraction -> fail whatever the
                                      ///< spreads: a group whose healthy units scatter widely (a spread of a
                                      ///< third of the median) cannot hide a unit at a quarter of its speed;
                                      ///< 0 turns the rule off. Not lower: a mildly slow NIC (0.6 of nominal)
                                      ///< would then fail single noisy links instead of standing out as a NIC
  int min_units = 4;                  ///< fewer units than this: no fleet verdict (skip with a reason)
};

/// Pair-matrix analysis over the links of one rail, metric and size.
struct PairMatrixOptions {
  OutlierOptions link;                     ///< when a link counts as slow against the rail's links (fail level = slow)
  double suspect_share = 0.5;              ///< a NIC is suspect when more than this share of its pairs is slow ...
  int min_slow_pairs = 2;                  ///< ... and at least this many (with fewer pairs, every pair must be slow)
  int retest_peers = 2;                    ///< second pass: good peers each suspect is re-tested with
  int retest_link_repeats = 2;             ///< ... and how often a suspect or shadowed link is re-tested as
                                           ///< itself (slow again = in most of them, per way): one re-test
                                           ///< that dips as the first pass did would fail a healthy cable
  int retest_alone_max_pairs = 16;         ///< a second pass of at most this many pairs runs them one at a time,
                                           ///< each alone on the fabric and its hosts: a first-pass dip that
                                           ///< pairs sharing a host's cores, PCIe or a switch uplink caused cannot
                                           ///< come back. A larger one (a fabric-wide problem) shares rounds
  double retest_spreads = 4.0;             ///< a re-test is slow again when worse than the first pass's healthy
                                           ///< centre by link.fail_deviation AND this many spreads (the suspect
                                           ///< already stood out once; few reference links give a wide spread)
  double latency_floor_us = 50.0;          ///< a typical latency is slow only when also this many microseconds
                                           ///< worse than the rail's centre: on a shared host a healthy TCP
                                           ///< path's typical latency went from 6 to 24 us, in a re-test too.
                                           ///< A verbs-only suite can set it near its fabric's latency (2-5 us)
  double tail_latency_floor_us = 20000.0;  ///< the same floor for tail latency (p99): a stall, not jitter.
                                           ///< On a busy 2-core host a healthy TCP path's p99 of 50 ping-pongs
                                           ///< reached 1.7 ms; a lost packet waits for a retransmit timeout
                                           ///< (>= 200 ms on Linux)
  double loss_floor = 0.005;               ///< a link is lossy when the share of what it sent that was retransmitted
                                           ///< exceeds the rail's centre by at least this (0.005 = 0.5 %); healthy
                                           ///< links retransmit ~nothing, so no spread-based rule can apply
};

/// Baseline comparison (tolerances in the baseline file win over these).
struct BaselineOptions {
  double warn_tolerance = 0.10;  ///< below expected by more than this fraction -> warn
  double fail_tolerance = 0.20;  ///< -> fail
};

/// Bisection of a slow group (collectives): when a group's value is below expected by more than
/// `slow_tolerance`, it is split in halves until groups of `min_group_nodes` or fewer are reached.
struct BisectionOptions {
  double slow_tolerance = 0.20;
  int min_group_nodes = 2;
  int max_rounds = 32;
};

/// What every host must have, judged from the run manifest's inventory (its "host_gpus").
struct InventoryOptions {
  int expect_gpus = 0;  ///< GPUs each host must show (--expect-gpus); fewer fails the node. 0: not checked
};

/// A soak's parts over its intervals (soak_drift.h): each part's reference is the median of its first
/// window_intervals intervals after warmup_intervals; the median of its last window_intervals is compared to it.
struct SoakOptions {
  int warmup_intervals = 1;        ///< intervals left out of the reference (clocks, caches and links settling)
  int window_intervals = 3;        ///< K: intervals in the reference and in the window judged against it
  double drift = 0.05;             ///< the last K's median below the reference by more than this share -> fail
  double dip = 0.20;               ///< a single interval below the reference by more than this share -> warn
  double fabric_share = 0.5;       ///< more than this share of one metric's parts low in one interval: the fabric
                                   ///< (or the whole job) slowed, and no part is blamed for that interval
  double noise_spreads = 3.0;      ///< a noisy metric needs a larger drop: drift is at least this many times its
                                   ///< noise (the robust spread of its steps from interval to interval)
  double dip_noise_spreads = 5.0;  ///< ... and a dip this many: one interval of one part is a single value, and
                                   ///< a soak has many (parts x intervals) that could stray by chance
};

/// One telemetry rule: a counter of one source that must not grow by more than `above` over the run (per
/// "run"), or faster than `above` per second / minute / hour over the time it was watched. Judged per device
/// on the sum of the run's telemetry windows (telemetry_rules.h).
struct TelemetryRule {
  std::string source;           ///< "netdev", "rdma", "tcp", "gpu"
  std::string counter;          ///< "carrier_changes", "symbol_error"; a gauge's name for the gauge stats
  double above = 0.0;           ///< the most it may grow (per `per`), or the most the gauge stat may reach
  std::string per;              ///< "run", "second", "minute", "hour" (growth only)
  std::string status;           ///< what growth beyond it gives: "fail" or "warn" ("off": the rule is dropped)
  std::string means;            ///< what it means, for the evidence: "the link went down and came back"
  std::string stat = "growth";  ///< "growth" (a counter), or for a gauge "max" (its highest reading) or
                                ///< "nonzero_run" (most consecutive reads at non-zero: a throttle bit held on)
};

/// The defaults follow the fabric monitors' tables (../shared/reference/burnin-telemetry.md 4.5): any link
/// flap, port-down, integrity or buffer-overrun error fails; error rates above the IBTA / NVSentinel levels
/// warn; on GPUs any XID, uncorrectable ECC error, pending or failed row remap, NVLink replay or recovery,
/// and a hardware slowdown, thermal or power-brake bit held for 3 reads fail (DCGM, NVSentinel, gpud). TCP
/// retransmits have no rule: a lossy host makes its healthy peers retransmit too, so they are cited
/// as evidence and the pair matrix names the lossy end.
struct TelemetryOptions {
  std::vector<TelemetryRule> rules = {
      {"netdev", "carrier_changes", 0, "run", "fail", "the link went down and came back (carrier changes)"},
      {"netdev", "rx_crc_errors", 0, "run", "warn", "frames arrived corrupted (CRC errors: cable, transceiver)"},
      {"rdma", "link_downed", 0, "run", "fail", "the port went down (link_downed)"},
      {"rdma", "local_link_integrity_errors", 0, "run", "fail", "the link's integrity checks failed"},
      {"rdma", "excessive_buffer_overrun_errors", 0, "run", "fail", "receive buffers overran"},
      {"rdma", "rnr_nak_retry_err", 0, "run", "fail", "a peer ran out of receive buffers until retries failed"},
      {"rdma", "symbol_error", 120, "hour", "fail", "symbol errors above the IBTA bit error rate (1e-12)"},
      {"rdma", "link_error_recovery", 5, "minute", "warn", "the link retrained"},
      {"rdma", "port_rcv_errors", 10, "second", "warn", "malformed packets were received"},
      {"rdma", "port_xmit_discards", 100, "second", "warn", "packets were discarded before sending (congestion)"},
      {"rdma", "roce_slow_restart", 10, "second", "warn", "RoCE flows restarted slowly (congestion control)"},
      {"rdma", "local_ack_timeout_err", 1, "second", "warn",
       "acknowledgements timed out (a lossy path or a dead peer)"},
      {"gpu", "xid_events", 0, "run", "fail",
       "the driver reported XID errors (xid_<code> names them; the kernel log has the detail)"},
      {"gpu", "ecc_uncorrected_volatile", 0, "run", "fail", "uncorrectable ECC errors in GPU memory"},
      {"gpu", "remapped_rows_pending", 0, "run", "fail", "a memory row remap is pending (the GPU needs a reset)",
       "max"},
      {"gpu", "remapped_rows_failure", 0, "run", "fail", "a memory row remap failed (replace the GPU)", "max"},
      {"gpu", "pcie_replay", 31, "minute", "fail", "PCIe replays above Gen5 x16's bit error rate (31 per minute)"},
      {"gpu", "nvlink_replay_errors", 0, "run", "fail", "NVLink replayed packets"},
      {"gpu", "nvlink_recovery_errors", 0, "run", "fail", "an NVLink went through recovery"},
      {"gpu", "nvlink_crc_errors", 100, "second", "fail", "NVLink CRC errors at 100 per second or more"},
      {"gpu", "clocks_event_hw_slowdown", 2, "run", "fail",
       "hardware slowdown held for 3 reads or more (power supply, temperature)", "nonzero_run"},
      {"gpu", "clocks_event_hw_thermal", 2, "run", "fail", "hardware thermal slowdown held for 3 reads or more",
       "nonzero_run"},
      {"gpu", "clocks_event_hw_power_brake", 2, "run", "fail", "the power brake held for 3 reads or more",
       "nonzero_run"},
      {"gpu", "clocks_event_sw_thermal", 2, "run", "warn", "software thermal slowdown held for 3 reads or more",
       "nonzero_run"},
      {"gpu", "temperature_over_max_c", 0, "run", "fail", "the GPU ran above its maximum operating temperature", "max"},
  };
};

/// A fabric test's flows (fabric_flows.h): which are bad, and how the solver names the links behind them.
struct FabricOptions {
  double slow_ratio = 0.5;        ///< a flow below this share of the test's median flow is slow (every flow of a stage
                                  ///< has a path of its own, so a healthy fabric gives every flow about the same rate)
  double loss_floor = 0.005;      ///< a flow whose sender retransmitted more than this share of what it sent is bad
                                  ///< too: a lossy link can keep most of its rate on a short round trip
  double slow_share = 0.5;        ///< the solver's candidate rule (tomography.h, TomographyOptions::slow_share)
  int min_margin = 1;             ///< the solver's margin (TomographyOptions::min_margin)
  double ack_shadow_ratio = 2.0;  ///< a named link whose bad flows all send their acknowledgements over another
                                  ///< named link and run at least this many times faster than that link's bad
                                  ///< flows is its shadow (explained, not failed): a link slow one way slows
                                  ///< the flows whose ACKs it carries too (TCP: the ACKs queue behind its data)
  double gray_below = 0.65;  ///< a link the gray fit (fabric/gray_fit.h) puts below this share of normal speed, and
                             ///< the slow / healthy pass did not name, warns as partly slow; 0 turns the fit off
};

struct AnalysisOptions {
  InventoryOptions inventory;
  OutlierOptions fleet;
  PairMatrixOptions pairs;
  BaselineOptions baseline;
  BisectionOptions bisection;
  SoakOptions soak;
  TelemetryOptions telemetry;
  FabricOptions fabric;
};

}  // namespace railcheck::analysis
