// The automatic rail rule and rail numbering.
#include <algorithm>
#include <set>

#include "railcheck/topology/rails.h"

namespace railcheck {
namespace {

// Candidate NICs: the RDMA ones, or the plain Ethernet ones when there is no RDMA NIC (indices into nics).
std::vector<std::size_t> rail_candidates(const std::vector<NicDevice>& nics) {
  std::vector<std::size_t> rdma, ethernet;
  for (std::size_t n = 0; n < nics.size(); ++n) (nics[n].kind == NicKind::kRdma ? rdma : ethernet).push_back(n);
  std::vector<std::size_t> chosen = rdma.empty() ? ethernet : rdma;
  std::stable_sort(chosen.begin(), chosen.end(),
                   [&](std::size_t a, std::size_t b) { return nics[a].placement.bus_id < nics[b].placement.bus_id; });
  return chosen;
}

}  // namespace

// Numbers rails by the NIC's bus id among the NICs in use (shared with rail_override.cpp).
void number_rails(RailMap& map, const std::vector<NicDevice>& nics) {
  std::set<std::pair<std::string, std::string>> in_use;  // (bus id, name)
  for (const RailAssignment& r : map.rails) {
    for (const NicDevice& nic : nics) {
      if (nic.name == r.nic) in_use.insert({nic.placement.bus_id, nic.name});
    }
  }
  for (RailAssignment& r : map.rails) {
    int rail = 0;
    for (const auto& [bus_id, name] : in_use) {
      if (name == r.nic) break;
      ++rail;
    }
    r.rail = rail;
  }
}

AffinityMatrix affinity_matrix(const std::vector<GpuDevice>& gpus, const std::vector<NicDevice>& nics) {
  AffinityMatrix matrix(gpus.size(), std::vector<Affinity>(nics.size(), Affinity::kSys));
  for (std::size_t g = 0; g < gpus.size(); ++g) {
    for (std::size_t n = 0; n < nics.size(); ++n)
      matrix[g][n] = classify_affinity(gpus[g].placement, nics[n].placement);
  }
  return matrix;
}

RailMap assign_rails(const std::vector<GpuDevice>& gpus, const std::vector<NicDevice>& nics,
                     const AffinityMatrix& affinity) {
  RailMap map;
  const std::vector<std::size_t> candidates = rail_candidates(nics);  // in bus id order
  if (gpus.empty() || candidates.empty()) return map;
  const bool shared = candidates.size() < gpus.size();
  std::vector<int> users(nics.size(), 0);
  for (std::size_t g = 0; g < gpus.size(); ++g) {
    std::size_t best = nics.size();
    for (std::size_t n : candidates) {  // strict "<" keeps the earlier (lower bus id) NIC on ties
      if (!shared && users[n] > 0) continue;
      if (best == nics.size() || affinity[g][n] < affinity[g][best] ||
          (shared && affinity[g][n] == affinity[g][best] && users[n] < users[best])) {
        best = n;
      }
    }
    ++users[best];
    map.rails.push_back({0, gpus[g].placement.bus_id, nics[best].name, affinity[g][best]});
  }
  number_rails(map, nics);
  return map;
}

}  // namespace railcheck
