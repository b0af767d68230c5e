#include "railcheck/commands/fabric_diff/fabric_diff_command.h"

#include <map>

#include "railcheck/core/error.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/fabric/cabling_csv_import.h"
#include "railcheck/fabric/fabric_input.h"
#include "railcheck/fabric/topology_diff.h"
#include "railcheck/fabric/topology_file.h"
#include "railcheck/output/atomic_file.h"

namespace railcheck {

int run_fabric_diff_command(const FabricDiffOptions& options, const CommandEnv& env) {
  const std::string plan_text = fabric::read_fabric_text(options.plan_path);
  const std::string plan_format = fabric::detect_fabric_format(plan_text);  // "": parse says what is wrong
  fabric::Fabric plan = fabric::parse_fabric_text(plan_text, options.plan_path, plan_format);
  fabric::Fabric found = fabric::read_fabric_file(options.found_path, options.from);
  // A plan written by name (a cabling CSV, whose device ids are their names) is matched by name.
  if (options.by_name || plan_format == "csv") {
    plan = fabric::name_keyed(plan, options.plan_path);
    found = fabric::name_keyed(found, options.found_path);
  }
  const std::vector<fabric::TopologyFinding> findings = fabric::diff_topology(plan, found);
  std::map<std::string_view, int> counts;
  for (const fabric::TopologyFinding& f : findings) {
    env.out << "# FABRIC " << fabric::key_of(f.change) << ": " << f.text << "\n";
    ++counts[fabric::key_of(f.change)];
  }
  env.out << "# fabric-diff: " << found.devices().size() << " devices and " << found.cables() << " cables found, "
          << plan.devices().size() << " and " << plan.cables() << " planned; ";
  if (findings.empty()) {
    env.out << "as planned\n";
    return kExitHealthy;
  }
  bool first = true;
  for (const auto& [change, count] : counts) {
    env.out << (first ? "" : ", ") << count << " " << change;
    first = false;
  }
  env.out << "\n";
  return kExitDegraded;
}

int run_fabric_import_command(const FabricImportOptions& options, const CommandEnv& env) {
  const fabric::Fabric f = fabric::read_fabric_file(options.input_path, options.from);
  const std::string text = fabric::write_topology(f);
  int per_tier[4] = {0, 0, 0, 0};
  for (const fabric::Device& d : f.devices()) ++per_tier[static_cast<int>(d.tier)];
  if (options.output_path.empty()) {
    env.out << text;
  } else {
    check_output_file("-o", options.output_path, ".topo", "railcheck reads topology files by that name", "");
    if (const std::string error = write_file_atomically(options.output_path, text); !error.empty()) {
      throw Error("-o " + options.output_path + ": " + error);
    }
  }
  env.err << "# fabric-import: " << per_tier[0] << " NICs, " << per_tier[1] << " leaves, " << per_tier[2] << " spines, "
          << per_tier[3] << " cores, " << f.cables() << " cables"
          << (options.output_path.empty() ? "" : " -> " + options.output_path) << "\n";
  return kExitHealthy;
}

}  // namespace railcheck
