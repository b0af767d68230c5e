// The flags of `railcheck fabric-diff` and `railcheck fabric-import`.
#include <CLI/CLI.hpp>

#include "railcheck/commands/fabric_diff/fabric_diff_command.h"

namespace railcheck {

CommandSpec fabric_diff_command_spec() {
  return {
      "fabric-diff",
      {},
      "the fabric as discovered (ibnetdiscover / iblinkinfo output or a topology file) against its saved plan (a "
      "topology file, a discovery, or a cabling-plan CSV matched by name): "
      "every missing or extra device and every missing, extra or miscabled cable, by port (exit 1 on any)",
      [](CLI::App& sub) {
        auto command = std::make_unique<OptionsCommand<FabricDiffOptions>>(&run_fabric_diff_command);
        FabricDiffOptions& o = command->options();
        sub.add_option("plan", o.plan_path, "the saved plan: a railcheck topology file (or a discovery)")->required();
        sub.add_option("found", o.found_path, "what was discovered now")->required();
        sub.add_option("--from", o.from,
                       "FOUND's format when its content does not tell: topo, ibnetdiscover, "
                       "iblinkinfo, csv");
        sub.add_flag("--by-name", o.by_name,
                     "match devices by name (NIC host/dev, a switch's host name from its NodeDescription) instead "
                     "of GUID; implied when PLAN is a cabling-plan CSV");
        return command;
      }};
}

CommandSpec fabric_import_command_spec() {
  return {"fabric-import",
          {},
          "save a fabric discovery (ibnetdiscover or iblinkinfo --line --switches-only output) as railcheck's "
          "topology file: devices with their tiers, NICs with host and device, cables by port",
          [](CLI::App& sub) {
            auto command = std::make_unique<OptionsCommand<FabricImportOptions>>(&run_fabric_import_command);
            FabricImportOptions& o = command->options();
            sub.add_option("input", o.input_path, "the discovery's output")->required();
            sub.add_option(
                "--from", o.from,
                "its format when its content does not tell: ibnetdiscover, iblinkinfo, topo, csv (a cabling plan)");
            sub.add_option("-o,--output", o.output_path, "the topology file to write (default: print it)");
            return command;
          }};
}

}  // namespace railcheck
