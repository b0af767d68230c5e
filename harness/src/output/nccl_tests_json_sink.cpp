#include "railcheck/output/nccl_tests_json_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>

#include "railcheck/core/error.h"
#include "railcheck/output/atomic_file.h"
#include "railcheck/record/wall_clock.h"

extern char** environ;  // NOLINT: POSIX

namespace railcheck {
namespace {

constexpr int kJsonFileVersion = 3;  // nccl-tests' JSON_FILE_VERSION

using Json = nlohmann::ordered_json;

// nccl-tests writes its booleans as strings and NaN as the string "nan".
Json flag(bool value) { return value ? "true" : "false"; }
Json number(double value) { return std::isnan(value) ? Json("nan") : Json(value); }

// Creates `path` only when it does not exist (nccl-tests' fopen "wx"); true when created.
bool create_new(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  ::close(fd);
  return true;
}

std::filesystem::path reserve(const std::filesystem::path& requested) {
  if (create_new(requested)) return requested;
  for (int n = 0; errno == EEXIST && n < 10000; ++n) {
    std::filesystem::path candidate = requested;
    candidate += "." + std::to_string(n);
    if (create_new(candidate)) return candidate;
  }
  throw Error("cannot create the nccl-tests JSON file " + requested.string() + ": " + std::strerror(errno) +
              " (-J: give a path in a writable directory)");
}

bool describes_the_run(std::string_view variable) {
  static constexpr std::array kPrefixes = {"NCCL_", "CUDA_",  "NVIDIA_", "OMPI_",
                                           "PMIX_", "SLURM_", "UCX_",    "RAILCHECK_"};
  for (std::string_view prefix : kPrefixes) {
    if (variable.starts_with(prefix)) return true;
  }
  return false;
}

Json run_environment() {
  Json env = Json::array();
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (describes_the_run(*e)) env.push_back(*e);
  }
  return env;
}

Json words_of(const std::string& command_line) {
  Json args = Json::array();
  std::istringstream in(command_line);
  for (std::string word; in >> word;) args.push_back(word);
  return args;
}

// "0000:3b:00.0" -> nccl-tests' "%04x:%02x:%02x" (domain, bus, device).
std::string device_hex(const std::string& pci_bus_id) {
  const auto dot = pci_bus_id.rfind('.');
  return dot == std::string::npos ? pci_bus_id : pci_bus_id.substr(0, dot);
}

Json devices(const RunManifest& manifest) {
  Json list = Json::array();
  for (const RankEntry& entry : manifest.ranks) {
    Json d;
    d["rank"] = entry.info.rank;
    d["group"] = 0;
    d["pid"] = entry.info.pid;
    d["hostname"] = entry.info.host;
    d["device"] = entry.gpu ? entry.gpu->device : -1;
    d["device_hex"] = entry.gpu ? device_hex(entry.gpu->pci_bus_id) : "";
    d["device_info"] = entry.gpu ? entry.gpu->name : "host memory (" + manifest.backend + " backend)";
    list.push_back(std::move(d));
  }
  return list;
}

Json config_of(const CollectiveTestSpec& spec, const Json& devices) {
  Json c;
  c["nthreads"] = 1;  // one rank per GPU: railcheck refuses -t / -g above 1
  c["ngpus"] = 1;
  c["minimum_bytes"] = spec.min_bytes;
  c["maximum_bytes"] = spec.max_bytes;
  if (spec.step_factor > 1.0) {
    if (spec.step_factor == std::floor(spec.step_factor)) {
      c["step_factor"] = static_cast<std::size_t>(spec.step_factor);
    } else {
      c["step_factor"] = spec.step_factor;
    }
  } else {
    c["step_bytes"] = spec.step_bytes;
  }
  c["warmup_iters"] = spec.warmup_iters;
  c["iterations"] = spec.iters;
  c["aggregated_iterations"] = 1;
  c["validation"] = spec.check_iters;
  c["graph"] = spec.graph_launches;
  c["blocking_collectives"] = flag(spec.blocking != Blocking::kNone);
  c["per_iter_timing"] = flag(false);
  c["per_iter_skip"] = 0;
  c["parallel_init"] = flag(false);
  c["devices"] = devices;
  return c;
}

Json half_of(const CollectiveRecord* r, bool cputime) {
  if (r == nullptr || r->status == RecordStatus::kSkipped) return nullptr;
  Json h;
  if (cputime && r->cpu_time_us) {
    h["cpu_time"] = number(*r->cpu_time_us);
  } else {
    h["time"] = number(r->time_us);
  }
  h["alg_bw"] = number(r->algbw_gbps);
  h["bus_bw"] = number(r->busbw_gbps);
  h["nwrong"] = r->wrong_elements < 0 ? Json(nullptr) : Json(static_cast<double>(r->wrong_elements));
  return h;
}

}  // namespace

std::string nccl_tests_time_now() { return format_time_now("%Y-%m-%d %H:%M:%S", TimeZone::kLocal); }

NcclTestsJsonSink::NcclTestsJsonSink(const std::filesystem::path& requested, std::ostream& out)
    : path_(reserve(requested)) {
  out << "# Writing JSON output to " << path_.string() << '\n';
}

void NcclTestsJsonSink::begin_run(const RunManifest& manifest) {
  head_ = Json::object();
  head_["version"] = kJsonFileVersion;
  head_["start_time"] = nccl_tests_time_now();
  head_["args"] = words_of(manifest.command_line);
  head_["env"] = run_environment();
  head_["nccl_version"] = manifest.nccl;
  devices_ = devices(manifest);
  write();
}

void NcclTestsJsonSink::begin_test(const TestStart& test) {
  // The first collective test's, as nccl-tests' one test per binary.
  if (test.collective == nullptr) return;
  if (config_.is_null()) config_ = config_of(*test.collective, devices_);
  cputime_ = test.collective->report_cputime;
}

void NcclTestsJsonSink::record(const Record& record) {
  const auto* r = std::get_if<CollectiveRecord>(&record);
  if (r != nullptr) rows_.add(*r);
}

void NcclTestsJsonSink::end_test(const TestStart&) { rows_.flush(); }

void NcclTestsJsonSink::end_run(const RunManifest&, const RunSummary& summary) {
  rows_.flush();
  footer_ = Json::object();
  footer_["out_of_bounds"] = Json{{"count", summary.out_of_bounds}, {"okay", flag(summary.out_of_bounds == 0)}};
  const std::optional<bool> min_bw_ok = avg_busbw_ok(summary);
  footer_["average_bus_bandwidth"] =
      Json{{"bandwidth", number(summary.avg_busbw_gbps)}, {"okay", min_bw_ok ? flag(*min_bw_ok) : Json("unchecked")}};
  footer_["errors"] = summary.problems;
  footer_["end_time"] = nccl_tests_time_now();
  write();
}

void NcclTestsJsonSink::add_row(const CollectiveRecord* out_of_place, const CollectiveRecord* in_place) {
  const CollectiveRecord& any = out_of_place != nullptr ? *out_of_place : *in_place;
  Json row;
  row["size"] = any.size_bytes;
  row["count"] = any.count;
  row["type"] = std::string(name_of(any.type));
  row["redop"] = any.op ? std::string(name_of(*any.op)) : "none";
  char root[16];
  std::snprintf(root, sizeof root, "%6i", any.root ? *any.root : -1);
  row["root"] = root;
  row["out_of_place"] = half_of(out_of_place, cputime_);
  row["in_place"] = half_of(in_place, cputime_);
  row["actual_iterations"] = any.iters;
  row["experiment_name"] = any.test_name;
  results_.push_back(std::move(row));
  write();
}

void NcclTestsJsonSink::write() const {
  Json shown = head_;
  shown["config"] = config_;
  shown["results"] = results_;
  for (const auto& [key, value] : footer_.items()) shown[key] = value;
  if (const std::string error = write_file_atomically(path_, shown.dump(2) + "\n"); !error.empty()) {
    throw Error("cannot write the nccl-tests JSON file " + path_.string() + ": " + error);
  }
}

}  // namespace railcheck
