// The simulator's fabric: N nodes x R rails, one NIC per rail and one GPU per rail on every node (GPU i sits
// on rail i), each part with a speed factor (1 = healthy), plus the links between two nodes' NICs of one rail.
// Measurements are the nominal bandwidth times the slowest part they cross, times multiplicative noise drawn
// from the caller's seeded generator. Pure data and arithmetic: no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

namespace railcheck::simulate {

struct FabricOptions {
  int nodes = 64;                  ///< N: nodes in the fabric (>= 2)
  int rails = 8;                   ///< R: rails; every node has one NIC and one GPU per rail (>= 1)
  double nic_gbps = 50.0;          ///< what a healthy NIC pair or ring reaches (400 Gb/s NIC = 50 GB/s)
  double gpu_check_gbps = 2000.0;  ///< what a healthy GPU's single-GPU check reaches (device memory copy)
  double noise = 0.05;             ///< standard deviation of the Gaussian noise factor (1 + noise * z), as a
                                   ///< fraction of the value; drawn anew for every measurement
  double dips = 0.0;               ///< chance that a bandwidth measurement dips to 20-70 % of its value (a
                                   ///< busy host, a burst of other traffic), as on a loaded CI machine
  bool loss_evidence = false;      ///< p2p measurements also give the share of packets sent again (TCP
                                   ///< retransmits, verbs retries), as the TCP transport's records do
};

/// The fabric's state: speed factors per NIC, GPU and link. Copyable; one per scenario.
class FabricModel {
 public:
  /// Throws std::invalid_argument when nodes < 2, rails < 1, a bandwidth <= 0, noise < 0 or dips outside [0, 1].
  explicit FabricModel(FabricOptions options);

  const FabricOptions& options() const { return options_; }
  int nodes() const { return options_.nodes; }
  int rails() const { return options_.rails; }

  /// Degradations: `factor` in (0, 1] of nominal. Throw std::out_of_range for indices outside the fabric.
  void set_nic_factor(int node, int rail, double factor);
  void set_gpu_factor(int node, int gpu, double factor);
  /// The link between the rail-`rail` NICs of node_a and node_b (either order; node_a != node_b).
  void set_link_factor(int node_a, int node_b, int rail, double factor);
  /// One direction of that link only (a weak laser, one bad lane): what `from` sends to `to`.
  void set_link_direction_factor(int from, int to, int rail, double factor);
  /// A NIC that drops `rate` of the packets through it (0 healthy): every link through it sends that share
  /// again; its bandwidth is not modelled as lower (on a low-latency path TCP recovers fast).
  void set_nic_loss(int node, int rail, double rate);

  double nic_factor(int node, int rail) const;
  double gpu_factor(int node, int gpu) const;
  double link_factor(int node_a, int node_b, int rail) const;      ///< 1 unless set
  double link_direction_factor(int from, int to, int rail) const;  ///< 1 unless set
  double nic_loss(int node, int rail) const;

  /// p2p bandwidth from the rail-`rail` NIC of `from` to that of `to`: nic_gbps x min(NIC from, NIC to, link,
  /// link from -> to) x noise.
  double measure_link_gbps(int from, int to, int rail, std::mt19937_64& rng) const;
  /// The share of what `from` sent to `to` that was sent again: the two NICs' loss rates summed, x noise
  /// (never below 0); exactly 0 on a healthy path.
  double measure_retransmit_rate(int from, int to, int rail, std::mt19937_64& rng) const;
  /// One single-GPU check result: gpu_check_gbps x GPU factor x noise.
  double measure_gpu_gbps(int node, int gpu, std::mt19937_64& rng) const;
  /// All-reduce bus bandwidth of the rail-`rail` GPUs of `ring` (nodes in ring order), modelled as a ring:
  /// nic_gbps x the slowest of their NICs, their GPUs and the ring-adjacent links (ring[i], ring[i+1], and
  /// the last back to the first) x noise. One node: no network is crossed, only its GPU counts.
  double measure_ring_gbps(const std::vector<int>& ring, int rail, std::mt19937_64& rng) const;

 private:
  double noisy(double value, std::mt19937_64& rng) const;
  /// `value`, or with chance options.dips a dip of it (20-70 %).
  double dipped(double value, std::mt19937_64& rng) const;
  std::size_t index(int node, int rail) const;

  FabricOptions options_;
  std::vector<double> nic_factor_;                                // [node * rails + rail]
  std::vector<double> gpu_factor_;                                // [node * rails + gpu]
  std::map<std::tuple<int, int, int>, double> link_factor_;       // (lower node, higher node, rail), degraded only
  std::map<std::tuple<int, int, int>, double> direction_factor_;  // (from, to, rail), degraded only
  std::vector<double> nic_loss_;                                  // [node * rails + rail]
};

/// Names the analysis sees: "node7", and the NIC of rail r "mlx5_<r>". Node index back from a host name
/// (std::invalid_argument when it is not one of ours).
std::string host_name(int node);
std::string nic_name(int rail);
int node_of_host(const std::string& host);

}  // namespace railcheck::simulate
