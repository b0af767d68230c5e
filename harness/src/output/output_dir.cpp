#include "railcheck/output/output_dir.h"

#include <unistd.h>

#include <cstdlib>

#include "railcheck/core/error.h"
#include "railcheck/record/manifest.h"

namespace railcheck {
namespace {

std::string default_output_dir() {
  std::string stamp = utc_now_iso8601();
  std::erase(stamp, ':');
  std::erase(stamp, '-');
  const char* job = std::getenv("SLURM_JOB_ID");
  return "railcheck-results/" + stamp + "-" + (job ? std::string("job") + job : "pid" + std::to_string(getpid()));
}

}  // namespace

std::filesystem::path prepare_output_dir(const std::string& requested, const Bootstrap& bootstrap) {
  const std::string dir = requested.empty() ? default_output_dir() : requested;
  std::string problem;
  if (bootstrap.rank() == 0) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) problem = "--output-dir " + dir + ": cannot create (" + ec.message() + "); choose a writable directory";
  }
  problem = bootstrap.broadcast(problem, 0);
  if (!problem.empty()) throw InputError(problem);
  return bootstrap.broadcast(dir, 0);
}

}  // namespace railcheck
