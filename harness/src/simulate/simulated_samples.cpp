#include "simulated_samples.h"

namespace railcheck::simulate {

analysis::LinkSample link_sample(const FabricModel& fabric, int node_a, int node_b, int rail, int round, bool retest,
                                 std::mt19937_64& rng) {
  analysis::LinkSample sample;
  sample.host_a = host_name(node_a);
  sample.nic_a = nic_name(rail);
  sample.host_b = host_name(node_b);
  sample.nic_b = nic_name(rail);
  sample.rail = rail;
  sample.metric = kLinkMetric;
  sample.size_bytes = kLinkSizeBytes;
  sample.value = fabric.measure_link_gbps(node_a, node_b, rail, rng);
  sample.round = round;
  sample.retest = retest;
  return sample;
}

std::vector<analysis::LinkSample> measure_retests(const FabricModel& fabric,
                                                  const std::vector<std::vector<analysis::RetestPair>>& rounds,
                                                  std::mt19937_64& rng) {
  std::vector<analysis::LinkSample> samples;
  for (std::size_t round = 0; round < rounds.size(); ++round) {
    for (const analysis::RetestPair& pair : rounds[round]) {
      samples.push_back(link_sample(fabric, node_of_host(pair.host_a), node_of_host(pair.host_b), pair.rail,
                                    static_cast<int>(round), true, rng));
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
