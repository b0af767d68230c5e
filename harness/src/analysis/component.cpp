// Component identities: constructors, labels and JSON.
#include "railcheck/analysis/component.h"

#include <stdexcept>
#include <tuple>
#include <utility>

namespace railcheck::analysis {

std::string_view key_of(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::kNode:
      return "node";
    case ComponentKind::kGpu:
      return "gpu";
    case ComponentKind::kNic:
      return "nic";
    case ComponentKind::kLink:
      return "link";
    case ComponentKind::kFabricLink:
      return "fabric_link";
    case ComponentKind::kFabricSwitch:
      return "fabric_switch";
  }
  return "node";
}

std::optional<ComponentKind> parse_component_kind(std::string_view text) {
  for (ComponentKind kind : {ComponentKind::kNode, ComponentKind::kGpu, ComponentKind::kNic, ComponentKind::kLink,
                             ComponentKind::kFabricLink, ComponentKind::kFabricSwitch}) {
    if (key_of(kind) == text) return kind;
  }
  return std::nullopt;
}

ComponentId make_node(std::string host) {
  ComponentId id;
  id.kind = ComponentKind::kNode;
  id.host = std::move(host);
  return id;
}

ComponentId make_gpu(std::string host, int gpu) {
  ComponentId id;
  id.kind = ComponentKind::kGpu;
  id.host = std::move(host);
  id.gpu = gpu;
  return id;
}

ComponentId make_nic(std::string host, std::string nic, int rail) {
  ComponentId id;
  id.kind = ComponentKind::kNic;
  id.host = std::move(host);
  id.nic = std::move(nic);
  id.rail = rail;
  return id;
}

ComponentId make_link(std::string host_a, std::string nic_a, std::string host_b, std::string nic_b, int rail) {
  if (std::tie(host_b, nic_b) < std::tie(host_a, nic_a)) {
    std::swap(host_a, host_b);
    std::swap(nic_a, nic_b);
  }
  ComponentId id;
  id.kind = ComponentKind::kLink;
  id.host = std::move(host_a);
  id.nic = std::move(nic_a);
  id.peer_host = std::move(host_b);
  id.peer_nic = std::move(nic_b);
  id.rail = rail;
  return id;
}

ComponentId make_fabric_link(std::string from, std::string to) {
  ComponentId id;
  id.kind = ComponentKind::kFabricLink;
  id.host = std::move(from);
  id.peer_host = std::move(to);
  return id;
}

ComponentId make_fabric_switch(std::string name) {
  ComponentId id;
  id.kind = ComponentKind::kFabricSwitch;
  id.host = std::move(name);
  return id;
}

std::string label(const ComponentId& id) {
  switch (id.kind) {
    case ComponentKind::kNode:
      return id.host;
    case ComponentKind::kGpu:
      return id.host + " GPU " + std::to_string(id.gpu);
    case ComponentKind::kNic:
      return id.host + " NIC " + id.nic + (id.rail >= 0 ? " (rail " + std::to_string(id.rail) + ")" : "");
    case ComponentKind::kLink:
      return "link " + id.host + "(" + id.nic + ") <-> " + id.peer_host + "(" + id.peer_nic + ") rail " +
             std::to_string(id.rail);
    case ComponentKind::kFabricLink:
      return "fabric link " + id.host + " -> " + id.peer_host;
    case ComponentKind::kFabricSwitch:
      return "fabric switch " + id.host;
  }
  return id.host;
}

nlohmann::json to_json(const ComponentId& id) {
  nlohmann::json json = {{"kind", key_of(id.kind)}, {"host", id.host}};
  switch (id.kind) {
    case ComponentKind::kNode:
      break;
    case ComponentKind::kGpu:
      json["gpu"] = id.gpu;
      break;
    case ComponentKind::kNic:
      json["nic"] = id.nic;
      json["rail"] = id.rail;
      break;
    case ComponentKind::kLink:
      json["nic"] = id.nic;
      json["peer_host"] = id.peer_host;
      json["peer_nic"] = id.peer_nic;
      json["rail"] = id.rail;
      break;
    case ComponentKind::kFabricLink:
      json["peer_host"] = id.peer_host;
      break;
    case ComponentKind::kFabricSwitch:
      break;
  }
  return json;
}

namespace {

const nlohmann::json& field(const nlohmann::json& json, const char* name, nlohmann::json::value_t type) {
  const auto it = json.find(name);
  if (it == json.end()) throw std::invalid_argument(std::string("component: missing field \"") + name + "\"");
  const bool ok = type == nlohmann::json::value_t::number_integer ? it->is_number_integer() : it->type() == type;
  if (!ok) throw std::invalid_argument(std::string("component: field \"") + name + "\" has the wrong type");
  return *it;
}

std::string string_field(const nlohmann::json& json, const char* name) {
  return field(json, name, nlohmann::json::value_t::string).get<std::string>();
}

int int_field(const nlohmann::json& json, const char* name) {
  return field(json, name, nlohmann::json::value_t::number_integer).get<int>();
}

}  // namespace

ComponentId component_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("component: not an object");
  const std::string kind_text = string_field(json, "kind");
  const std::optional<ComponentKind> kind = parse_component_kind(kind_text);
  if (!kind) throw std::invalid_argument("component: field \"kind\": unknown kind \"" + kind_text + "\"");
  const std::string host = string_field(json, "host");
  switch (*kind) {
    case ComponentKind::kNode:
      return make_node(host);
    case ComponentKind::kGpu:
      return make_gpu(host, int_field(json, "gpu"));
    case ComponentKind::kNic:
      return make_nic(host, string_field(json, "nic"), int_field(json, "rail"));
    case ComponentKind::kLink:
      return make_link(host, string_field(json, "nic"), string_field(json, "peer_host"), string_field(json, "peer_nic"),
                       int_field(json, "rail"));
    case ComponentKind::kFabricLink:
      return make_fabric_link(host, string_field(json, "peer_host"));
    case ComponentKind::kFabricSwitch:
      return make_fabric_switch(host);
  }
  return make_node(host);
}

}  // namespace railcheck::analysis
