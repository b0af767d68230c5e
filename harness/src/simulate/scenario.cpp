#include "railcheck/simulate/scenario.h"

#include <set>
#include <stdexcept>
#include <string>

namespace railcheck::simulate {
namespace {

Fault draw_fault(FaultKind kind, const FabricOptions& fabric, double factor, std::mt19937_64& rng) {
  std::uniform_int_distribution<int> node_of(0, fabric.nodes - 1);
  std::uniform_int_distribution<int> rail_of(0, fabric.rails - 1);
  Fault fault{kind, node_of(rng), rail_of(rng), -1, factor};
  if (kind == FaultKind::kLink || kind == FaultKind::kLinkOneWay) {
    int peer = node_of(rng);
    while (peer == fault.node) peer = node_of(rng);
    fault.peer_node = peer;
    if (kind == FaultKind::kLink) {  // one-way keeps its sender first
      fault.peer_node = std::max(fault.node, peer);
      fault.node = std::min(fault.node, peer);
    }
  }
  return fault;
}

constexpr FaultKind kAllKinds[] = {FaultKind::kNic, FaultKind::kLink, FaultKind::kGpu, FaultKind::kLinkOneWay,
                                   FaultKind::kLossyNic};

}  // namespace

std::string_view key_of(FaultKind kind) {
  switch (kind) {
    case FaultKind::kNic:
      return "nic";
    case FaultKind::kLink:
      return "link";
    case FaultKind::kGpu:
      return "gpu";
    case FaultKind::kLinkOneWay:
      return "link_one_way";
    case FaultKind::kLossyNic:
      return "lossy_nic";
  }
  return "?";
}

std::optional<FaultKind> parse_fault_kind(std::string_view text) {
  for (FaultKind kind : kAllKinds) {
    if (text == key_of(kind)) return kind;
  }
  return std::nullopt;
}

std::vector<Scenario> generate_scenarios(int count, const FabricOptions& fabric, const ScenarioOptions& options,
                                         std::uint64_t seed) {
  if (options.faults < 0) throw std::invalid_argument("scenarios: faults must be >= 0");
  if (options.kinds.empty()) throw std::invalid_argument("scenarios: no fault kinds to draw from");
  if (!(options.min_factor > 0 && options.min_factor <= options.max_factor && options.max_factor <= 1)) {
    throw std::invalid_argument("scenarios: fault factors must satisfy 0 < min <= max <= 1");
  }
  // Fewest distinct parts of an allowed kind: NICs and GPUs N x R each, links R x N(N-1)/2.
  const double parts = static_cast<double>(fabric.nodes) * fabric.rails;
  if (options.faults > parts) throw std::invalid_argument("scenarios: more faults than parts in the fabric");

  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> kind_of(0, options.kinds.size() - 1);
  if (!(options.min_loss > 0 && options.min_loss <= options.max_loss && options.max_loss < 1)) {
    throw std::invalid_argument("scenarios: loss shares must satisfy 0 < min <= max < 1");
  }
  std::uniform_real_distribution<double> factor_of(options.min_factor, options.max_factor);
  std::uniform_real_distribution<double> loss_of(options.min_loss, options.max_loss);
  std::vector<Scenario> scenarios;
  for (int i = 0; i < count; ++i) {
    Scenario scenario;
    scenario.index = i;
    scenario.noise_seed = rng();
    std::set<analysis::ComponentId> taken;
    while (static_cast<int>(scenario.faults.size()) < options.faults) {
      const FaultKind kind = options.kinds[kind_of(rng)];
      const double factor = kind == FaultKind::kLossyNic ? loss_of(rng) : factor_of(rng);
      const Fault fault = draw_fault(kind, fabric, factor, rng);
      if (taken.insert(component_of(fault)).second) scenario.faults.push_back(fault);
    }
    scenarios.push_back(std::move(scenario));
  }
  return scenarios;
}

FabricModel apply(const Scenario& scenario, const FabricOptions& fabric) {
  FabricModel model(fabric);
  for (const Fault& fault : scenario.faults) {
    switch (fault.kind) {
      case FaultKind::kNic:
        model.set_nic_factor(fault.node, fault.rail, fault.factor);
        break;
      case FaultKind::kGpu:
        model.set_gpu_factor(fault.node, fault.rail, fault.factor);
        break;
      case FaultKind::kLink:
        model.set_link_factor(fault.node, fault.peer_node, fault.rail, fault.factor);
        break;
      case FaultKind::kLinkOneWay:
        model.set_link_direction_factor(fault.node, fault.peer_node, fault.rail, fault.factor);
        break;
      case FaultKind::kLossyNic:
        model.set_nic_loss(fault.node, fault.rail, fault.factor);
        break;
    }
  }
  return model;
}

analysis::ComponentId component_of(const Fault& fault) {
  switch (fault.kind) {
    case FaultKind::kNic:
    case FaultKind::kLossyNic:
      return analysis::make_nic(host_name(fault.node), nic_name(fault.rail), fault.rail);
    case FaultKind::kGpu:
      return analysis::make_gpu(host_name(fault.node), fault.rail);
    case FaultKind::kLink:
    case FaultKind::kLinkOneWay:
      return analysis::make_link(host_name(fault.node), nic_name(fault.rail), host_name(fault.peer_node),
                                 nic_name(fault.rail), fault.rail);
  }
  return {};
}

std::string direction_of(const Fault& fault) {
  if (fault.kind != FaultKind::kLinkOneWay) return "";
  return component_of(fault).host == host_name(fault.node) ? "a_to_b" : "b_to_a";
}

}  // namespace railcheck::simulate
