#include "railcheck/commands/simulate/simulate_command.h"

#include <fstream>
#include <stdexcept>

#include "railcheck/core/error.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/simulate/simulation.h"

namespace railcheck {

int run_simulate_command(const SimulateOptions& options, const CommandEnv& env) {
  std::vector<simulate::StrategySummary> rows;
  try {
    rows = simulate::run_simulation(options);
  } catch (const std::invalid_argument& e) {
    throw InputError(std::string("simulate: ") + e.what());
  }
  simulate::print_simulation(env.out, options, rows);
  if (!options.json_path.empty()) {
    std::ofstream file(options.json_path);
    file << simulate::simulation_json(options, rows).dump(2) << "\n";
    if (!file) throw InputError("--json: cannot write " + options.json_path + "; give a writable path");
    env.out << "# json: " << options.json_path << "\n";
  }
  return kExitHealthy;
}

}  // namespace railcheck
