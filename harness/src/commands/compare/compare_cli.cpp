// The flags of `railcheck compare`.
#include <CLI/CLI.hpp>

#include "railcheck/commands/compare/compare_command.h"

namespace railcheck {

CommandSpec compare_command_spec() {
  return {"compare",
          {},
          "nightly regression: two saved runs side by side, per test, size and part: ratio and delta, what "
          "regressed, what is new or missing, which parts newly fail or were fixed (exit 1 on a regression)",
          [](CLI::App& sub) {
            auto command = std::make_unique<OptionsCommand<CompareOptions>>(&run_compare_command);
            CompareOptions& options = command->options();
            sub.add_option("old", options.old_path, "the earlier run's results.json (or results.jsonl)")->required();
            sub.add_option("new", options.new_path, "the later run's results.json (or results.jsonl)")->required();
            sub.add_option("--tolerance", options.tolerance,
                           "a value worse than the old one by more than this share regresses (0.05 = 5 %)")
                ->capture_default_str();
            sub.add_option("-o,--output", options.output_path, "also write the comparison as JSON to this file");
            return command;
          }};
}

}  // namespace railcheck
