// What a run was: who ran where on what, with which versions, how it was asked for, and when.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

struct GpuDescription {
  int device = -1;
  std::string name;
  std::string uuid;
  std::string pci_bus_id;
};

struct RankEntry {
  RankInfo info;
  std::optional<GpuDescription> gpu;
};

/// The GPUs one host shows (counted by one rank of the host), for inventory verdicts.
struct HostGpus {
  std::string host;
  int gpus = 0;
  std::string source = "none";           ///< "NVML", "sysfs", "none"
  std::vector<std::string> pci_bus_ids;  ///< of the GPUs found
  std::string note;                      ///< why none was found ("" when some were)
};

struct RunManifest {
  std::string railcheck_version;
  std::string git_revision;
  std::string command_line;
  std::string suite;           ///< suite name, or the collective for a single sweep
  std::string backend;         ///< nccl or mpi
  std::string backend_reason;  ///< why this backend (auto selection)
  std::string start_time;      ///< ISO 8601 UTC
  std::string end_time;
  std::string mpi_library;   ///< MPI_Get_library_version, first line
  std::string mpi_standard;  ///< e.g. "3.1"
  int cuda_runtime = 0;      ///< 0 when not built with CUDA
  int cuda_driver = 0;
  int nccl = 0;
  std::string compiler;
  std::string slurm_job_id;  ///< empty outside Slurm
  std::vector<std::string> hosts;
  std::vector<RankEntry> ranks;
  std::vector<HostGpus> host_gpus;         ///< per host in node order; empty when not collected
  std::optional<nlohmann::json> topology;  ///< rank 0's node (topology.schema.json), null when discovery found
                                           ///< nothing; not written when not collected
};

nlohmann::json to_json(const RunManifest& manifest);
/// The manifest of a saved run (results.json's "manifest"): identity, hosts and ranks with their GPUs; absent or
/// null fields stay empty, so a file of any 1.x version reads. For reports made from a saved run.
RunManifest manifest_from_json(const nlohmann::json& json);

/// The fields every measuring command shares: version, git revision, compiler, command line, suite (or
/// command) name, start time, MPI versions, Slurm job id, hosts and ranks (without GPUs). Callers add the
/// backend and what is theirs.
RunManifest base_manifest(const std::string& command_line, const std::string& suite, const Bootstrap& bootstrap);

/// A console note naming the ranks the launcher confined to a single CPU ("" when none is): their host-side
/// work (TCP transfers, the MPI backend, checks) then competes for that one CPU, and measurements say more
/// about the binding than the hardware. Ranks whose affinity is unknown are not named.
std::string single_cpu_note(const RunManifest& manifest);

/// Now as "2026-11-23T10:15:00Z".
std::string utc_now_iso8601();

/// MPI library version (first line) and standard version.
std::pair<std::string, std::string> mpi_versions();

}  // namespace railcheck
