#include "railcheck/fleet/run_verdicts.h"

namespace railcheck::fleet {

std::string run_id_of(const RunManifest& manifest) {
  return manifest.slurm_job_id.empty() ? manifest.start_time : manifest.slurm_job_id;
}

}  // namespace railcheck::fleet
