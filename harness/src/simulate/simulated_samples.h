// Analysis samples measured on a FabricModel, named the way real records name them (private to simulate/).
#pragma once

#include <cstddef>
#include <random>
#include <vector>

#include "railcheck/analysis/pair_matrix.h"
#include "railcheck/analysis/samples.h"
#include "railcheck/simulate/fabric_model.h"

namespace railcheck::simulate {

inline constexpr const char* kLinkMetric = "p2p.bw bw_gbps";
inline constexpr const char* kLossMetric = "p2p.bw retrans_rate";
inline constexpr std::size_t kLinkSizeBytes = std::size_t{64} << 20;
inline constexpr const char* kGpuMetric = "gpu.hbm_copy bw_gbps";
inline constexpr std::size_t kGpuSizeBytes = std::size_t{1} << 30;

/// One-way p2p bandwidth from the rail-`rail` NIC of `from` to that of `to`, as a (directional) LinkSample.
analysis::LinkSample link_sample(const FabricModel& fabric, int from, int to, int rail, int round, bool retest,
                                 std::mt19937_64& rng);

/// What railcheck's p2p bandwidth test measures for one pair: both directions, each with its retransmit
/// share when the fabric models loss evidence (FabricOptions::loss_evidence), appended to `out`.
void add_pair_samples(const FabricModel& fabric, int node_a, int node_b, int rail, int round, bool retest,
                      std::mt19937_64& rng, std::vector<analysis::LinkSample>& out);

/// The re-test pairs of `plan`, measured as add_pair_samples does (retest = true, round = the pair's round in
/// retest_rounds order).
std::vector<analysis::LinkSample> measure_retests(const FabricModel& fabric,
                                                  const std::vector<std::vector<analysis::RetestPair>>& rounds,
                                                  std::mt19937_64& rng);

/// `samples` single-GPU check results of one GPU (rail -1: every GPU of the fleet is the same model).
void add_gpu_check_samples(const FabricModel& fabric, int node, int gpu, int samples, std::mt19937_64& rng,
                           std::vector<analysis::UnitSample>& out);

}  // namespace railcheck::simulate
