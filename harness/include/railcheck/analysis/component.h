// The parts analysis can blame: a node, one GPU of a node, one NIC of a node, the path between two NICs, or one
// direction of one cable of the fabric (a fabric test's solver names it from the topology).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace railcheck::analysis {

enum class ComponentKind { kNode, kGpu, kNic, kLink, kFabricLink, kFabricSwitch };
std::string_view key_of(ComponentKind kind);  // "node", "gpu", "nic", "link", "fabric_link", "fabric_switch"
std::optional<ComponentKind> parse_component_kind(std::string_view text);

/// Identity of a component. Unused fields stay empty / -1 so that equal parts compare equal:
///   node: host;  gpu: host + gpu (local index);  nic: host + nic (device name) + rail (-1: not known, as for
///   a NIC only the telemetry saw);
///   link: host + nic and peer_host + peer_nic + rail, stored with (host, nic) <= (peer_host, peer_nic) (see
///   make_link);
///   fabric_link: host = the sending end, peer_host = the receiving end, as the topology names them
///   ("leaf1:4", "spine2:1", "node1/fab0"): directed, never reordered.
struct ComponentId {
  ComponentKind kind = ComponentKind::kNode;
  std::string host;
  int gpu = -1;
  std::string nic;
  int rail = -1;
  std::string peer_host;
  std::string peer_nic;

  auto operator<=>(const ComponentId&) const = default;
  bool operator==(const ComponentId&) const = default;
};

ComponentId make_node(std::string host);
ComponentId make_gpu(std::string host, int gpu);
ComponentId make_nic(std::string host, std::string nic, int rail);
/// Orders the two ends so a link has one identity whichever way it was measured.
ComponentId make_link(std::string host_a, std::string nic_a, std::string host_b, std::string nic_b, int rail);
/// One direction of a fabric cable, from the port `from` ("leaf1:4") to the port `to` ("spine2:1").
ComponentId make_fabric_link(std::string from, std::string to);
/// A fabric switch by its name in the topology ("leaf1", "S-0002c90200000001"): every flow through it was slow.
ComponentId make_fabric_switch(std::string name);

/// What an operator reads: "node3", "node3 GPU 2", "node3 NIC mlx5_2 (rail 2)",
/// "link node1(mlx5_0) <-> node3(mlx5_0) rail 0", "fabric link leaf1:4 -> spine2:1".
std::string label(const ComponentId& id);

nlohmann::json to_json(const ComponentId& id);
/// Throws std::invalid_argument naming the missing field.
ComponentId component_from_json(const nlohmann::json& json);

}  // namespace railcheck::analysis
