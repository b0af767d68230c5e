#include "railcheck/fleet/run_verdicts.h"

#include "railcheck/analysis/analyze.h"
#include "railcheck/core/error.h"

namespace railcheck::fleet {

std::vector<analysis::Verdict> verdicts_of(const nlohmann::json& document, const std::string& path) {
  if (document.contains("verdicts") && document.at("verdicts").is_array()) {
    std::vector<analysis::Verdict> verdicts;
    for (std::size_t i = 0; i < document.at("verdicts").size(); ++i) {
      try {
        verdicts.push_back(analysis::verdict_from_json(document.at("verdicts")[i]));
      } catch (const std::exception& e) {
        throw InputError(path + ": verdicts[" + std::to_string(i) + "]: " + e.what() +
                         "; is this a railcheck results file of schema 1.x?");
      }
    }
    return verdicts;
  }
  return analysis::judge_results(document, path, analysis::recorded_thresholds(document, path), nullptr);
}

std::string run_id_of(const RunManifest& manifest) {
  return manifest.slurm_job_id.empty() ? manifest.start_time : manifest.slurm_job_id;
}

}  // namespace railcheck::fleet
