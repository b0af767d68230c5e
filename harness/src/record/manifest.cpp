#include "railcheck/record/manifest.h"

#include <mpi.h>

#include <cstdlib>
#include <ctime>

#include "build_info.h"
#include "railcheck/record/wall_clock.h"

namespace railcheck {

std::string utc_now_iso8601() { return format_time_now("%Y-%m-%dT%H:%M:%SZ", TimeZone::kUtc); }

RunManifest base_manifest(const std::string& command_line, const std::string& suite, const Bootstrap& bootstrap) {
  RunManifest m;
  m.railcheck_version = build_info::kVersion;
  m.git_revision = build_info::kGitRevision;
  m.compiler = build_info::kCompiler;
  m.command_line = command_line;
  m.suite = suite;
  m.start_time = utc_now_iso8601();
  std::tie(m.mpi_library, m.mpi_standard) = mpi_versions();
  if (const char* job = std::getenv("SLURM_JOB_ID")) m.slurm_job_id = job;
  m.hosts = bootstrap.hosts();
  for (const RankInfo& info : bootstrap.ranks()) m.ranks.push_back(RankEntry{info, std::nullopt});
  return m;
}

std::pair<std::string, std::string> mpi_versions() {
  char library[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  std::string library_text;
  if (MPI_Get_library_version(library, &length) == MPI_SUCCESS) {
    library_text.assign(library, static_cast<std::size_t>(length));
    library_text = library_text.substr(0, library_text.find_first_of("\n,"));
  }
  int major = 0, minor = 0;
  MPI_Get_version(&major, &minor);
  return {library_text, std::to_string(major) + "." + std::to_string(minor)};
}

std::string single_cpu_note(const RunManifest& m) {
  std::string named;
  int count = 0;
  for (const RankEntry& entry : m.ranks) {
    if (entry.info.cpu_count != 1) continue;
    if (count++ > 0) named += ", ";
    named += std::to_string(entry.info.rank) + " (" + entry.info.host + ", CPU " + entry.info.cpus + ")";
  }
  if (count == 0) return "";
  return std::string("# note: rank") + (count > 1 ? "s " : " ") + named + (count > 1 ? " are" : " is") +
         " bound to a single CPU by the launcher; host-side work (TCP transfers, the MPI backend, checks) "
         "competes for it. For host-side measurements bind wider (Open MPI: --bind-to none or --map-by "
         "ppr:N:node:PE=C; Slurm: --cpus-per-task=C).\n";
}

namespace {

std::string text_at(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int int_at(const nlohmann::json& j, const char* key, int fallback) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int>() : fallback;
}

}  // namespace

RunManifest manifest_from_json(const nlohmann::json& j) {
  RunManifest m;
  if (!j.is_object()) return m;
  m.railcheck_version = text_at(j, "railcheck_version");
  m.git_revision = text_at(j, "git_revision");
  m.command_line = text_at(j, "command_line");
  m.suite = text_at(j, "suite");
  m.backend = text_at(j, "backend");
  m.backend_reason = text_at(j, "backend_reason");
  m.start_time = text_at(j, "start_time");
  m.end_time = text_at(j, "end_time");
  m.slurm_job_id = text_at(j, "slurm_job_id");
  if (j.contains("hosts") && j.at("hosts").is_array()) {
    for (const nlohmann::json& h : j.at("hosts")) {
      if (h.is_string()) m.hosts.push_back(h.get<std::string>());
    }
  }
  if (j.contains("ranks") && j.at("ranks").is_array()) {
    for (const nlohmann::json& r : j.at("ranks")) {
      if (!r.is_object()) continue;
      RankEntry entry;
      entry.info.rank = int_at(r, "rank", 0);
      entry.info.host = text_at(r, "host");
      entry.info.local_rank = int_at(r, "local_rank", 0);
      entry.info.local_size = int_at(r, "local_size", 1);
      if (r.contains("gpu") && r.at("gpu").is_object()) {
        const nlohmann::json& g = r.at("gpu");
        entry.gpu =
            GpuDescription{int_at(g, "device", -1), text_at(g, "name"), text_at(g, "uuid"), text_at(g, "pci_bus_id")};
      }
      m.ranks.push_back(std::move(entry));
    }
  }
  return m;
}

nlohmann::json to_json(const RunManifest& m) {
  nlohmann::json ranks = nlohmann::json::array();
  for (const RankEntry& entry : m.ranks) {
    nlohmann::json gpu = nullptr;
    if (entry.gpu) {
      gpu = {{"device", entry.gpu->device},
             {"name", entry.gpu->name},
             {"uuid", entry.gpu->uuid},
             {"pci_bus_id", entry.gpu->pci_bus_id}};
    }
    ranks.push_back({{"rank", entry.info.rank},
                     {"host", entry.info.host},
                     {"local_rank", entry.info.local_rank},
                     {"local_size", entry.info.local_size},
                     {"node_index", entry.info.node_index},
                     {"pid", entry.info.pid},
                     {"cpus", entry.info.cpus},
                     {"gpu", gpu}});
  }
  nlohmann::json manifest = {
      {"railcheck_version", m.railcheck_version},
      {"git_revision", m.git_revision},
      {"command_line", m.command_line},
      {"suite", m.suite},
      {"backend", m.backend},
      {"backend_reason", m.backend_reason},
      {"start_time", m.start_time},
      {"end_time", m.end_time.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.end_time)},
      {"versions",
       {{"mpi_library", m.mpi_library},
        {"mpi_standard", m.mpi_standard},
        {"cuda_runtime", m.cuda_runtime},
        {"cuda_driver", m.cuda_driver},
        {"nccl", m.nccl},
        {"compiler", m.compiler}}},
      {"slurm_job_id", m.slurm_job_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.slurm_job_id)},
      {"nranks", m.ranks.size()},
      {"hosts", m.hosts},
      {"ranks", ranks},
  };
  if (!m.host_gpus.empty()) {
    nlohmann::json hosts = nlohmann::json::array();
    for (const HostGpus& h : m.host_gpus) {
      nlohmann::json entry = {{"host", h.host}, {"gpus", h.gpus}, {"source", h.source}, {"pci_bus_ids", h.pci_bus_ids}};
      if (!h.note.empty()) entry["note"] = h.note;
      hosts.push_back(std::move(entry));
    }
    manifest["host_gpus"] = std::move(hosts);
  }
  if (m.topology) manifest["topology"] = *m.topology;
  return manifest;
}

}  // namespace railcheck
