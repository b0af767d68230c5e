// Rail override files: parsing, and applying one to the devices of this node.
#include <algorithm>

#include "railcheck/core/error.h"
#include "railcheck/input/json_input.h"
#include "railcheck/topology/rails.h"

namespace railcheck {
namespace {

std::string gpu_list(const std::vector<GpuDevice>& gpus) {
  if (gpus.empty()) return "none found";
  std::string text;
  for (const GpuDevice& gpu : gpus) text += (text.empty() ? "" : ", ") + gpu.placement.bus_id;
  return text;
}

std::string nic_list(const std::vector<NicDevice>& nics) {
  if (nics.empty()) return "none found";
  std::string text;
  for (const NicDevice& nic : nics) text += (text.empty() ? "" : ", ") + nic.name;
  return text;
}

}  // namespace

RailOverride parse_rail_override(std::string_view json_text, const std::string& source) {
  const JsonFields fields(source);
  const nlohmann::json document = fields.parse(json_text);
  fields.expect_object(document, "", {"schema_version", "description", "rails"}, {"rails"});
  fields.expect_schema_version(document, kRailOverrideSchemaVersion);
  if (document.contains("description")) (void)fields.string_field(document["description"], "description");
  const nlohmann::json& rails = document["rails"];
  if (!rails.is_array() || rails.empty()) {
    fields.fail("rails", "expected a non-empty array of {\"gpu\": \"<PCI bus id>\", \"nic\": \"<device>\"}");
  }
  RailOverride result;
  result.source = source;
  for (std::size_t i = 0; i < rails.size(); ++i) {
    const std::string path = "rails[" + std::to_string(i) + "]";
    fields.expect_object(rails[i], path, {"gpu", "nic"}, {"gpu", "nic"});
    const std::string gpu_text = fields.string_field(rails[i]["gpu"], path + ".gpu");
    const auto gpu = normalize_pci_bus_id(gpu_text);
    if (!gpu) fields.fail(path + ".gpu", "'" + gpu_text + "' is not a PCI bus id; write it as 0000:1b:00.0");
    const std::string nic = fields.string_field(rails[i]["nic"], path + ".nic");
    if (nic.empty()) fields.fail(path + ".nic", "empty; name the NIC as in /sys/class/infiniband, e.g. mlx5_0");
    const auto earlier = std::find_if(result.entries.begin(), result.entries.end(),
                                      [&](const auto& entry) { return entry.first == *gpu; });
    if (earlier != result.entries.end()) {
      fields.fail(path + ".gpu", "GPU " + *gpu + " is listed twice (also rails[" +
                                     std::to_string(earlier - result.entries.begin()) + "]); give each GPU one NIC");
    }
    result.entries.emplace_back(*gpu, nic);
  }
  return result;
}

RailOverride load_rail_override(const std::filesystem::path& path) {
  const std::string text = read_input_file(path, "rail override file",
                                           "give a JSON file as described in results-schema/rail-override.schema.json");
  return parse_rail_override(text, path.string());
}

RailMap apply_rail_override(const RailOverride& override_file, const std::vector<GpuDevice>& gpus,
                            const std::vector<NicDevice>& nics, const AffinityMatrix& affinity) {
  const JsonFields fields(override_file.source);
  RailMap map;
  map.source = RailSource::kOverride;
  map.override_file = override_file.source;
  std::vector<const std::pair<std::string, std::string>*> by_gpu(gpus.size(), nullptr);
  for (std::size_t i = 0; i < override_file.entries.size(); ++i) {
    const std::string& gpu = override_file.entries[i].first;   // not a structured binding: clang 14 cannot
    const std::string& nic = override_file.entries[i].second;  // capture one in the lambdas below
    const std::string path = "rails[" + std::to_string(i) + "]";
    const auto g =
        std::find_if(gpus.begin(), gpus.end(), [&](const GpuDevice& d) { return d.placement.bus_id == gpu; });
    if (g == gpus.end()) {
      fields.fail(path + ".gpu",
                  "GPU " + gpu + " is not on this node (GPUs found: " + gpu_list(gpus) +
                      "); fix the file, or run check-node without --rail-override to see what is missing");
    }
    const auto n = std::find_if(nics.begin(), nics.end(), [&](const NicDevice& d) { return d.name == nic; });
    if (n == nics.end()) {
      fields.fail(path + ".nic",
                  "NIC " + nic + " is not on this node (NICs found: " + nic_list(nics) +
                      "); fix the file, or run check-node without --rail-override to see what is missing");
    }
    by_gpu[static_cast<std::size_t>(g - gpus.begin())] = &override_file.entries[i];
  }
  for (std::size_t g = 0; g < gpus.size(); ++g) {
    if (by_gpu[g] == nullptr) {
      fields.fail("rails", "GPU " + gpus[g].placement.bus_id + " of this node is not listed; give every GPU a NIC (" +
                               std::to_string(gpus.size()) + " GPUs found: " + gpu_list(gpus) + ")");
    }
    const auto n = static_cast<std::size_t>(
        std::find_if(nics.begin(), nics.end(), [&](const NicDevice& d) { return d.name == by_gpu[g]->second; }) -
        nics.begin());
    map.rails.push_back({0, gpus[g].placement.bus_id, nics[n].name, affinity[g][n]});
  }
  number_rails(map, nics);
  return map;
}

}  // namespace railcheck
