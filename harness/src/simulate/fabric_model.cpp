#include "railcheck/simulate/fabric_model.h"

#include <algorithm>
#include <stdexcept>

namespace railcheck::simulate {

FabricModel::FabricModel(FabricOptions options) : options_(options) {
  if (options_.nodes < 2) throw std::invalid_argument("fabric: nodes must be >= 2");
  if (options_.rails < 1) throw std::invalid_argument("fabric: rails must be >= 1");
  if (!(options_.nic_gbps > 0) || !(options_.gpu_check_gbps > 0)) {
    throw std::invalid_argument("fabric: nominal bandwidths must be > 0");
  }
  if (!(options_.noise >= 0)) throw std::invalid_argument("fabric: noise must be >= 0");
  if (!(options_.dips >= 0 && options_.dips <= 1)) throw std::invalid_argument("fabric: dips must be in [0, 1]");
  const auto parts = static_cast<std::size_t>(options_.nodes) * static_cast<std::size_t>(options_.rails);
  nic_factor_.assign(parts, 1.0);
  gpu_factor_.assign(parts, 1.0);
  nic_loss_.assign(parts, 0.0);
}

std::size_t FabricModel::index(int node, int rail) const {
  if (node < 0 || node >= options_.nodes || rail < 0 || rail >= options_.rails) {
    throw std::out_of_range("fabric: node " + std::to_string(node) + " rail " + std::to_string(rail) + " is outside " +
                            std::to_string(options_.nodes) + " x " + std::to_string(options_.rails));
  }
  return static_cast<std::size_t>(node) * static_cast<std::size_t>(options_.rails) + static_cast<std::size_t>(rail);
}

void FabricModel::set_nic_factor(int node, int rail, double factor) { nic_factor_[index(node, rail)] = factor; }
void FabricModel::set_gpu_factor(int node, int gpu, double factor) { gpu_factor_[index(node, gpu)] = factor; }

void FabricModel::set_link_factor(int node_a, int node_b, int rail, double factor) {
  index(node_a, rail);
  index(node_b, rail);
  if (node_a == node_b) throw std::out_of_range("fabric: a link needs two different nodes");
  link_factor_[{std::min(node_a, node_b), std::max(node_a, node_b), rail}] = factor;
}

void FabricModel::set_link_direction_factor(int from, int to, int rail, double factor) {
  index(from, rail);
  index(to, rail);
  if (from == to) throw std::out_of_range("fabric: a link needs two different nodes");
  direction_factor_[{from, to, rail}] = factor;
}

void FabricModel::set_nic_loss(int node, int rail, double rate) { nic_loss_[index(node, rail)] = rate; }

double FabricModel::nic_factor(int node, int rail) const { return nic_factor_[index(node, rail)]; }
double FabricModel::nic_loss(int node, int rail) const { return nic_loss_[index(node, rail)]; }

double FabricModel::link_direction_factor(int from, int to, int rail) const {
  if (direction_factor_.empty()) return 1.0;
  const auto it = direction_factor_.find({from, to, rail});
  return it == direction_factor_.end() ? 1.0 : it->second;
}
double FabricModel::gpu_factor(int node, int gpu) const { return gpu_factor_[index(node, gpu)]; }

double FabricModel::link_factor(int node_a, int node_b, int rail) const {
  if (link_factor_.empty()) return 1.0;
  const auto it = link_factor_.find({std::min(node_a, node_b), std::max(node_a, node_b), rail});
  return it == link_factor_.end() ? 1.0 : it->second;
}

double FabricModel::noisy(double value, std::mt19937_64& rng) const {
  if (options_.noise == 0) return value;
  std::normal_distribution<double> z(0.0, 1.0);
  return value * std::max(0.01, 1.0 + options_.noise * z(rng));  // a measurement never reaches zero or below
}

double FabricModel::dipped(double value, std::mt19937_64& rng) const {
  if (options_.dips == 0) return value;
  std::uniform_real_distribution<double> chance(0.0, 1.0);
  if (chance(rng) >= options_.dips) return value;
  return value * std::uniform_real_distribution<double>(0.2, 0.7)(rng);
}

double FabricModel::measure_link_gbps(int from, int to, int rail, std::mt19937_64& rng) const {
  const double slowest = std::min({nic_factor(from, rail), nic_factor(to, rail), link_factor(from, to, rail),
                                   link_direction_factor(from, to, rail)});
  return dipped(noisy(options_.nic_gbps * slowest, rng), rng);
}

double FabricModel::measure_retransmit_rate(int from, int to, int rail, std::mt19937_64& rng) const {
  const double rate = nic_loss(from, rail) + nic_loss(to, rail);
  return rate == 0.0 ? 0.0 : noisy(rate, rng);
}

double FabricModel::measure_gpu_gbps(int node, int gpu, std::mt19937_64& rng) const {
  return noisy(options_.gpu_check_gbps * gpu_factor(node, gpu), rng);
}

double FabricModel::measure_ring_gbps(const std::vector<int>& ring, int rail, std::mt19937_64& rng) const {
  if (ring.empty()) throw std::invalid_argument("fabric: a ring needs at least one node");
  double slowest = 1.0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    slowest = std::min(slowest, gpu_factor(ring[i], rail));
    if (ring.size() < 2) continue;
    slowest = std::min(slowest, nic_factor(ring[i], rail));
    const int next = ring[(i + 1) % ring.size()];
    if (ring.size() > 2 || i == 0) slowest = std::min(slowest, link_factor(ring[i], next, rail));
  }
  return dipped(noisy(options_.nic_gbps * slowest, rng), rng);
}

std::string host_name(int node) { return "node" + std::to_string(node); }
std::string nic_name(int rail) { return "mlx5_" + std::to_string(rail); }

int node_of_host(const std::string& host) {
  if (host.rfind("node", 0) != 0 || host.size() == 4) throw std::invalid_argument("not a simulated host: " + host);
  std::size_t used = 0;
  const int node = std::stoi(host.substr(4), &used);
  if (used != host.size() - 4 || node < 0) throw std::invalid_argument("not a simulated host: " + host);
  return node;
}

}  // namespace railcheck::simulate
