// Profile files: parsing with errors that name the file and the field.
#include "railcheck/topology/profile.h"

#include <algorithm>
#include <array>

#include "railcheck/core/error.h"
#include "railcheck/input/json_input.h"

namespace railcheck {
namespace {

using nlohmann::json;

// Values as the kernel writes them in ports/<n>/state and phys_state.
constexpr std::array<std::string_view, 6> kPortStates{"NOP", "DOWN", "INIT", "ARMED", "ACTIVE", "ACTIVE_DEFER"};
constexpr std::array<std::string_view, 7> kPhysStates{
    "Sleep", "Polling", "Disabled", "PortConfigurationTraining", "LinkUp", "LinkErrorRecovery", "Phy Test"};
constexpr std::array<std::string_view, 2> kLinkLayers{"InfiniBand", "Ethernet"};

template <std::size_t N>
std::string one_of(const JsonFields& fields, const json& value, const std::string& path,
                   const std::array<std::string_view, N>& choices) {
  const std::string text = fields.string_field(value, path);
  if (std::find(choices.begin(), choices.end(), text) != choices.end()) return text;
  std::string list;
  for (std::string_view choice : choices) list += (list.empty() ? "" : ", ") + std::string(choice);
  fields.fail(path, "unknown value '" + text + "'; choose one of " + list + " (as sysfs writes them)");
}

PcieExpectation read_pcie(const JsonFields& fields, const json& value, const std::string& path) {
  fields.expect_object(value, path, {"current_gen", "max_gen", "current_width", "max_width"});
  PcieExpectation pcie;
  if (value.contains("current_gen"))
    pcie.current_gen = fields.int_field(value["current_gen"], path + ".current_gen", 1, 7);
  if (value.contains("max_gen")) pcie.max_gen = fields.int_field(value["max_gen"], path + ".max_gen", 1, 7);
  if (value.contains("current_width")) {
    pcie.current_width = fields.int_field(value["current_width"], path + ".current_width", 1, 32);
  }
  if (value.contains("max_width")) pcie.max_width = fields.int_field(value["max_width"], path + ".max_width", 1, 32);
  return pcie;
}

GpuExpectation read_gpus(const JsonFields& fields, const json& value) {
  fields.expect_object(value, "gpus", {"count", "model", "pci_device_ids", "pcie"});
  GpuExpectation gpus;
  if (value.contains("count")) gpus.count = fields.int_field(value["count"], "gpus.count", 0, 1024);
  if (value.contains("model")) {
    gpus.model = fields.string_field(value["model"], "gpus.model");
    if (gpus.model.empty())
      fields.fail("gpus.model", "empty; give part of the NVML name such as \"H100\", or leave it out");
  }
  if (value.contains("pci_device_ids")) {
    const json& ids = value["pci_device_ids"];
    if (!ids.is_array() || ids.empty())
      fields.fail("gpus.pci_device_ids", "expected a non-empty array such as [\"0x2330\"]");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const std::string path = "gpus.pci_device_ids[" + std::to_string(i) + "]";
      std::string id = fields.string_field(ids[i], path);
      for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (id.size() != 6 || id.rfind("0x", 0) != 0 ||
          id.find_first_not_of("0123456789abcdef", 2) != std::string::npos) {
        fields.fail(path, "'" + ids[i].get<std::string>() +
                              "' is not a PCI device id; write it as sysfs does, e.g. \"0x2330\"");
      }
      gpus.pci_device_ids.push_back(id);
    }
  }
  if (value.contains("pcie")) gpus.pcie = read_pcie(fields, value["pcie"], "gpus.pcie");
  return gpus;
}

NicExpectation read_nics(const JsonFields& fields, const json& value) {
  fields.expect_object(value, "nics",
                       {"count", "port_state", "phys_state", "rate_gbps", "link_layer", "require_gid", "pcie"});
  NicExpectation nics;
  if (value.contains("count")) nics.count = fields.int_field(value["count"], "nics.count", 0, 1024);
  if (value.contains("port_state"))
    nics.port_state = one_of(fields, value["port_state"], "nics.port_state", kPortStates);
  if (value.contains("phys_state"))
    nics.phys_state = one_of(fields, value["phys_state"], "nics.phys_state", kPhysStates);
  if (value.contains("rate_gbps")) {
    nics.rate_gbps = fields.number_field(value["rate_gbps"], "nics.rate_gbps", 0.0);
    if (*nics.rate_gbps <= 0) fields.fail("nics.rate_gbps", "expected a rate above 0 in Gb/s, such as 400");
  }
  if (value.contains("link_layer"))
    nics.link_layer = one_of(fields, value["link_layer"], "nics.link_layer", kLinkLayers);
  if (value.contains("require_gid")) nics.require_gid = fields.bool_field(value["require_gid"], "nics.require_gid");
  if (value.contains("pcie")) nics.pcie = read_pcie(fields, value["pcie"], "nics.pcie");
  return nics;
}

RailExpectation read_rails(const JsonFields& fields, const json& value) {
  fields.expect_object(value, "rails", {"affinity"});
  RailExpectation rails;
  if (value.contains("affinity")) {
    const std::string text = fields.string_field(value["affinity"], "rails.affinity");
    rails.affinity = parse_affinity(text);
    if (!rails.affinity) {
      fields.fail("rails.affinity",
                  "unknown affinity '" + text + "'; choose one of PIX, PXB, PHB, NODE, SYS (closest first)");
    }
  }
  return rails;
}

}  // namespace

HardwareProfile parse_profile(std::string_view json_text, const std::string& source) {
  const JsonFields fields(source);
  const json document = fields.parse(json_text);
  fields.expect_object(document, "", {"schema_version", "name", "description", "gpus", "nics", "rails"},
                       {"schema_version", "name"});
  fields.expect_schema_version(document, kProfileSchemaVersion);
  HardwareProfile profile;
  profile.source = source;
  profile.name = fields.string_field(document["name"], "name");
  if (profile.name.empty()) fields.fail("name", "empty; name the hardware class, e.g. \"dgx-h100\"");
  if (document.contains("description"))
    profile.description = fields.string_field(document["description"], "description");
  if (document.contains("gpus")) profile.gpus = read_gpus(fields, document["gpus"]);
  if (document.contains("nics")) profile.nics = read_nics(fields, document["nics"]);
  if (document.contains("rails")) profile.rails = read_rails(fields, document["rails"]);
  return profile;
}

HardwareProfile load_profile(const std::filesystem::path& path) {
  const std::string text =
      read_input_file(path, "profile file", "give a profile such as suites/profiles/dgx-h100.json");
  return parse_profile(text, path.string());
}

}  // namespace railcheck
