#include "railcheck/telemetry/counter_sources.h"

namespace railcheck::telemetry {

std::vector<std::unique_ptr<CounterSource>> standard_sources(const SysfsRoot& root,
                                                             const std::vector<std::string>& exclude,
                                                             const std::string& nvml_library) {
  std::vector<std::unique_ptr<CounterSource>> sources;
  sources.push_back(netdev_source(exclude));
  sources.push_back(tcp_source(root));
  sources.push_back(rdma_source(root, exclude));
  sources.push_back(nvml_source(nvml_library));
  return sources;
}

}  // namespace railcheck::telemetry
