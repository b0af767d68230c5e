// A node_exporter textfile (`--prom FILE.prom`): the run's verdicts and figures as Prometheus metrics, for the
// dashboards and alerts a fleet already has. Names follow Prometheus' conventions (railcheck_ prefix, base
// units: bytes per second, seconds, ratios 0-1); GPU series carry DCGM exporter's `gpu` and `UUID` label values
// and `hostname`, so `on(UUID)` joins them with dcgm-exporter's; no sample timestamps (node_exporter skips a
// file that has any). Families:
//   railcheck_info{version,git_revision,suite,backend,slurm_job_id} 1
//   railcheck_last_run_timestamp_seconds, railcheck_run_duration_seconds, railcheck_run_exit_code,
//   railcheck_last_success_timestamp_seconds (a run that found a fault keeps the previous file's value),
//   railcheck_hosts, railcheck_wrong_elements
//   railcheck_verdict{component,hostname,gpu,UUID,nic,rail,peer_hostname,peer_nic,state} one-hot per judged
//     component (state pass / warn / fail / skip: 1 on its state's series, 0 on the others); links only when
//     they warn or fail (a full pairwise run judges n^2 of them), railcheck_verdicts{state} counts them all
//   railcheck_collective_busbw_bytes_per_second{test_key,placement,size_bytes,group,nranks}
//   railcheck_link_bandwidth_bytes_per_second{test,op,size_bytes,hostname,nic,peer_hostname,peer_nic,rail},
//     railcheck_link_latency_seconds / _latency_p99_seconds, railcheck_link_retransmit_ratio,
//     railcheck_link_failed_transfers (first-pass measurements; re-tests are in the verdicts)
//   railcheck_gpu_check_flops_per_second / railcheck_gpu_check_bandwidth_bytes_per_second{check,size_bytes,
//     hostname,gpu,UUID}
// A figure measured several times (a soak's intervals) is their median. Written once, atomically, at the end of
// the run; the name must end in .prom (the collector reads nothing else).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "railcheck/analysis/samples.h"
#include "railcheck/output/sink.h"

namespace railcheck {

class PrometheusSink final : public OutputSink {
 public:
  /// Throws InputError naming --prom and the file when its name does not end in .prom or its directory is not
  /// writable (before anything is measured).
  explicit PrometheusSink(std::filesystem::path file);

  void begin_run(const RunManifest& manifest) override;
  void record(const Record& record) override;
  void verdicts(const VerdictReport& report) override;
  void end_run(const RunManifest& manifest, const RunSummary& summary) override;

 private:
  std::filesystem::path file_;
  double started_unix_s_ = 0.0;
  analysis::Samples samples_;
  std::vector<analysis::Verdict> verdicts_;
};

/// What the file says: the run `manifest` describes, its `samples`, `verdicts` and `summary`, ended at
/// `ended_unix_s` after `seconds`; `last_success_unix_s` the previous file's last success (nullopt: none).
/// Pure, for tests.
std::string prometheus_text(const RunManifest& manifest, const analysis::Samples& samples,
                            const std::vector<analysis::Verdict>& verdicts, const RunSummary& summary,
                            double ended_unix_s, double seconds, std::optional<double> last_success_unix_s);

/// railcheck_last_success_timestamp_seconds from an earlier file's text; nullopt when it has none.
std::optional<double> last_success_in(const std::string& previous_text);

/// --prom's checks, before anything is measured: InputError unless `file` ends in .prom in a writable directory.
void check_prometheus_file(const std::filesystem::path& file);
/// prometheus_text written to `file` atomically, carrying the last success of the file it replaces; Error naming
/// --prom and the file when it cannot.
void write_prometheus_file(const std::filesystem::path& file, const RunManifest& manifest,
                           const analysis::Samples& samples, const std::vector<analysis::Verdict>& verdicts,
                           const RunSummary& summary, double ended_unix_s, double seconds);

}  // namespace railcheck
