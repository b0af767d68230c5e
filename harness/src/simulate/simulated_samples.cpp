#include "simulated_samples.h"

namespace railcheck::simulate {

analysis::LinkSample link_sample(const FabricModel& fabric, int from, int to, int rail, int round, bool retest,
                                 std::mt19937_64& rng) {
  analysis::LinkSample sample;
  sample.host_a = host_name(from);
  sample.nic_a = nic_name(rail);
  sample.host_b = host_name(to);
  sample.nic_b = nic_name(rail);
  sample.rail = rail;
  sample.metric = kLinkMetric;
  sample.size_bytes = kLinkSizeBytes;
  sample.value = fabric.measure_link_gbps(from, to, rail, rng);
  sample.round = round;
  sample.retest = retest;
  sample.directional = true;
  return sample;
}

void add_pair_samples(const FabricModel& fabric, int node_a, int node_b, int rail, int round, bool retest,
                      std::mt19937_64& rng, std::vector<analysis::LinkSample>& out) {
  for (const auto& [from, to] : {std::pair{node_a, node_b}, std::pair{node_b, node_a}}) {
    out.push_back(link_sample(fabric, from, to, rail, round, retest, rng));
    if (!fabric.options().loss_evidence) continue;
    analysis::LinkSample loss = out.back();
    loss.metric = kLossMetric;
    loss.higher_is_better = false;
    loss.value = fabric.measure_retransmit_rate(from, to, rail, rng);
    out.push_back(std::move(loss));
  }
}

std::vector<analysis::LinkSample> measure_retests(const FabricModel& fabric,
                                                  const std::vector<std::vector<analysis::RetestPair>>& rounds,
                                                  std::mt19937_64& rng) {
  std::vector<analysis::LinkSample> samples;
  for (std::size_t round = 0; round < rounds.size(); ++round) {
    for (const analysis::RetestPair& pair : rounds[round]) {
      add_pair_samples(fabric, node_of_host(pair.host_a), node_of_host(pair.host_b), pair.rail, static_cast<int>(round),
                       true, rng, samples);
    }
  }
  return samples;
}

void add_gpu_check_samples(const FabricModel& fabric, int node, int gpu, int samples, std::mt19937_64& rng,
                           std::vector<analysis::UnitSample>& out) {
  for (int i = 0; i < samples; ++i) {
    analysis::UnitSample sample;
    sample.unit = analysis::make_gpu(host_name(node), gpu);
    sample.metric = kGpuMetric;
    sample.size_bytes = kGpuSizeBytes;
    sample.rail = -1;
    sample.value = fabric.measure_gpu_gbps(node, gpu, rng);
    out.push_back(std::move(sample));
  }
}

}  // namespace railcheck::simulate
