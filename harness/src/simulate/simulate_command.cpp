#include "railcheck/simulate/simulate_command.h"

#include <fstream>
#include <stdexcept>

#include "railcheck/core/exit_codes.h"
#include "railcheck/simulate/simulation.h"

namespace railcheck {

int run_simulate_command(const SimulateOptions& options, std::ostream& out, std::ostream& err) {
  std::vector<simulate::StrategySummary> rows;
  try {
    rows = simulate::run_simulation(options);
  } catch (const std::invalid_argument& e) {
    err << "railcheck: error: simulate: " << e.what() << std::endl;
    return kExitHarnessError;
  }
  simulate::print_simulation(out, options, rows);
  if (!options.json_path.empty()) {
    std::ofstream file(options.json_path);
    file << simulate::simulation_json(options, rows).dump(2) << "\n";
    if (!file) {
      err << "railcheck: error: --json: cannot write " << options.json_path << "; give a writable path" << std::endl;
      return kExitHarnessError;
    }
    out << "# json: " << options.json_path << "\n";
  }
  return 0;
}

}  // namespace railcheck
