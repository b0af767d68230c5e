// A run's telemetry: one sampler per host (on its local rank 0), attached to that rank's steps, and windows
// that every rank opens and closes together (a test, or a soak's interval). Closing gathers each host's window
// to rank 0, which records one TelemetryRecord per host on the run's sink.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "railcheck/output/sink.h"
#include "railcheck/run/steps.h"
#include "railcheck/runtime/bootstrap.h"
#include "railcheck/telemetry/telemetry_sampler.h"

namespace railcheck::telemetry {

struct TelemetryOptions {
  bool enabled = true;
  double period_s = 1.0;  ///< the sampler's read period inside a window
  /// Interfaces and RDMA devices not read (shell patterns): loopback, container and VM plumbing that comes
  /// and goes with workloads, not the node's data NICs.
  std::vector<std::string> exclude = {"lo",    "docker*", "veth*",  "br-*", "virbr*", "cni*", "flannel*", "cali*",
                                      "tunl*", "kube-*",  "vxlan*", "tap*", "tun*",   "ifb*", "dummy*"};
  std::filesystem::path root = "/";                ///< where /proc and /sys are read (tests: a fixture tree)
  std::string nvml_library = "libnvidia-ml.so.1";  ///< what NVML is loaded from (tests: the fake)
};

class RunTelemetry {
 public:
  /// Collective-free: starts this rank's sampler when it is its host's local rank 0 and telemetry is enabled,
  /// and attaches it to `steps`. `sink`: where rank 0 records (the run's stamped outputs).
  RunTelemetry(const Bootstrap& bootstrap, OutputSink& sink, Steps& steps, const TelemetryOptions& options);

  /// Every rank: a window labelled `label` begins now.
  void open(const std::string& label);
  /// Collective (every rank, also when disabled: nothing is exchanged then): closes the window; rank 0 records
  /// each sampling host's window.
  void close();

  /// This rank's sampling cost; nullopt when it does not sample.
  std::optional<SamplerCost> cost() const;

 private:
  const Bootstrap& bootstrap_;
  OutputSink& sink_;
  bool enabled_;
  std::unique_ptr<TelemetrySampler> sampler_;
};

/// A closed window as it arrives at rank 0 (the record's JSON text), with the host and rank that sampled it.
TelemetryRecord telemetry_record_of(const std::string& window_text, const RankInfo& sampled_by);

}  // namespace railcheck::telemetry
