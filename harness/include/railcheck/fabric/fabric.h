// A fabric as fabric-scale localization sees it (issue #18): devices (NIC ports, leaf / spine / core switches)
// joined by cables, each cable two directed links. The directed link is what a flow crosses and what a verdict
// names ("leaf-3:17 -> spine-1:4"), since a cable can be slow one way only. Pure data; importers and
// generators build it, the route oracle walks it, the planner loads it, the solver judges its links.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace railcheck::fabric {

/// How far a device sits from the hosts: a NIC port is tier 0, the switches it plugs into tier 1 (leaf), then
/// 2 (spine), 3 (core).
enum class Tier { kNic = 0, kLeaf = 1, kSpine = 2, kCore = 3 };
std::string_view name_of(Tier tier);  // "nic", "leaf", "spine", "core"

struct Device {
  std::string id;  ///< unique: a GUID ("S-0ff08c432172aa1a") or a generated name ("leaf-su0-r1")
  Tier tier = Tier::kNic;
  std::string host;  ///< NIC: its host
  std::string nic;   ///< NIC: its device name ("mlx5_3")
  int rail = -1;     ///< NIC and rail-aligned leaf: the rail; -1 none
  std::string name;  ///< what the device calls itself (an InfiniBand NodeDescription); "" none
};

/// One direction of a cable: from a device's port to the peer's port.
struct DirectedLink {
  int from = 0, to = 0;            ///< device indices
  int from_port = 0, to_port = 0;  ///< switch port numbers (1-based as ibnetdiscover prints them; 1 for a NIC)
  int cable = 0;                   ///< index of the cable it belongs to; its reverse is the other link of it
};

class Fabric {
 public:
  /// Adds a device; throws std::invalid_argument when its id is taken.
  int add_device(Device device);
  /// Adds a cable between two devices' ports: two directed links (a -> b, then b -> a). Throws
  /// std::invalid_argument for an unknown device, a port already cabled, or a cable from a device to itself.
  int add_cable(int a, int a_port, int b, int b_port);

  const std::vector<Device>& devices() const { return devices_; }
  const std::vector<DirectedLink>& links() const { return links_; }
  std::size_t cables() const { return links_.size() / 2; }
  const Device& device(int index) const { return devices_.at(static_cast<std::size_t>(index)); }
  std::optional<int> find(const std::string& id) const;
  /// The directed link from device `from` to device `to` (the first cable between them), if they are cabled.
  std::optional<int> link_between(int from, int to) const;
  /// The directed links leaving `device`, in the order they were cabled.
  const std::vector<int>& out_links(int device) const { return out_.at(static_cast<std::size_t>(device)); }
  /// The reverse direction of a link (the same cable).
  int reverse(int link) const { return link ^ 1; }
  /// "leaf-su0-r1:3 -> spine-0:1", or "node3/mlx5_1 -> leaf-su0-r1:3" for a NIC end: what a verdict names.
  std::string describe(int link) const;

 private:
  std::vector<Device> devices_;
  std::vector<DirectedLink> links_;
  std::vector<std::vector<int>> out_;
  std::map<std::string, int> by_id_;
  std::map<std::pair<int, int>, int> cabled_ports_;  ///< (device, port) -> cable
};

}  // namespace railcheck::fabric
