#include "railcheck/output/prometheus_sink.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "railcheck/analysis/robust_stats.h"
#include "railcheck/core/error.h"
#include "railcheck/output/atomic_file.h"
#include "railcheck/record/wall_clock.h"

namespace railcheck {
namespace {

using analysis::ComponentKind;
using analysis::VerdictStatus;
using Labels = std::vector<std::pair<std::string, std::string>>;

std::string escape_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double value) {
  if (!std::isfinite(value)) return value > 0 ? "+Inf" : (value < 0 ? "-Inf" : "NaN");
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.12g", value);
  return buffer;
}

/// The text of one family: HELP and TYPE once, then its samples (contiguous, as the format wants).
class Family {
 public:
  Family(std::string name, std::string help) : name_(std::move(name)), help_(std::move(help)) {}
  void add(const Labels& labels, double value) {
    std::string line = name_;
    if (!labels.empty()) {
      line += '{';
      for (std::size_t i = 0; i < labels.size(); ++i) {
        line += (i == 0 ? "" : ",") + labels[i].first + "=\"" + escape_label(labels[i].second) + "\"";
      }
      line += '}';
    }
    lines_.push_back(line + " " + number(value));
  }
  void write(std::string& out) const {
    if (lines_.empty()) return;
    out += "# HELP " + name_ + " " + help_ + "\n# TYPE " + name_ + " gauge\n";
    for (const std::string& line : lines_) out += line + "\n";
  }

 private:
  std::string name_, help_;
  std::vector<std::string> lines_;
};

/// "<test_key> <field>" split at its last space.
std::pair<std::string, std::string> split_metric(const std::string& metric) {
  const std::size_t space = metric.rfind(' ');
  if (space == std::string::npos) return {metric, ""};
  return {metric.substr(0, space), metric.substr(space + 1)};
}

/// DCGM exporter's UUID of `host`'s GPU `gpu` from the manifest ("" when unknown).
std::string uuid_of(const RunManifest& m, const std::string& host, int gpu) {
  for (const RankEntry& r : m.ranks) {
    if (r.info.host == host && r.gpu && r.gpu->device == gpu) return r.gpu->uuid;
  }
  for (const RankEntry& r : m.ranks) {
    if (r.info.host == host && r.gpu && r.info.local_rank == gpu) return r.gpu->uuid;
  }
  return "";
}

template <typename Key>
using Values = std::map<Key, std::vector<double>>;

void write_verdicts(const RunManifest& manifest, const std::vector<analysis::Verdict>& verdicts, std::string& out) {
  Family one_hot("railcheck_verdict",
                 "The verdict on each judged component: 1 on the series of its state (pass, warn, fail, skip), 0 on "
                 "the others; links only when they warn or fail.");
  Family counts("railcheck_verdicts", "Judged components by state.");
  std::map<std::string, int> per_state = {{"pass", 0}, {"warn", 0}, {"fail", 0}, {"skip", 0}};
  const VerdictStatus states[] = {VerdictStatus::kPass, VerdictStatus::kWarn, VerdictStatus::kFail,
                                  VerdictStatus::kSkip};
  for (const analysis::Verdict& v : verdicts) {
    ++per_state[std::string(analysis::key_of(v.status))];
    const analysis::ComponentId& c = v.component;
    if (c.kind == ComponentKind::kLink && v.status < VerdictStatus::kWarn) continue;
    Labels labels = {{"component", std::string(analysis::key_of(c.kind))}, {"hostname", c.host}};
    if (c.kind == ComponentKind::kGpu) {
      labels.emplace_back("gpu", std::to_string(c.gpu));
      labels.emplace_back("UUID", uuid_of(manifest, c.host, c.gpu));
    }
    if (c.kind == ComponentKind::kNic || c.kind == ComponentKind::kLink) {
      labels.emplace_back("nic", c.nic);
      labels.emplace_back("rail", c.rail >= 0 ? std::to_string(c.rail) : "");
    }
    if (c.kind == ComponentKind::kLink) {
      labels.emplace_back("peer_hostname", c.peer_host);
      labels.emplace_back("peer_nic", c.peer_nic);
    }
    for (VerdictStatus state : states) {
      Labels with_state = labels;
      with_state.emplace_back("state", std::string(analysis::key_of(state)));
      one_hot.add(with_state, v.status == state ? 1.0 : 0.0);
    }
  }
  for (const auto& [state, n] : per_state) counts.add({{"state", state}}, n);
  one_hot.write(out);
  counts.write(out);
}

void write_collectives(const analysis::Samples& samples, std::string& out) {
  using Key = std::tuple<std::string, std::string, std::size_t, std::string, int>;
  Values<Key> values;
  for (const analysis::GroupSample& g : samples.groups) {
    const auto [test_key, field] = split_metric(g.metric);
    const std::string placement = field == "busbw_gbps_in_place" ? "in_place" : "out_of_place";
    values[{test_key, placement, g.size_bytes, g.group, g.nranks}].push_back(g.value);
  }
  Family busbw("railcheck_collective_busbw_bytes_per_second",
               "Bus bandwidth of a collective (nccl-tests' busbw) in bytes per second; the median when measured "
               "several times.");
  for (const auto& [key, v] : values) {
    const auto& [test_key, placement, size, group, nranks] = key;
    busbw.add({{"test_key", test_key},
               {"placement", placement},
               {"size_bytes", std::to_string(size)},
               {"group", group},
               {"nranks", std::to_string(nranks)}},
              analysis::median(v) * 1e9);
  }
  busbw.write(out);
}

void write_links(const analysis::Samples& samples, std::string& out) {
  using Key = std::tuple<std::string, std::string, std::size_t, std::string, std::string, std::string, std::string,
                         int>;  // test, metric, size, host, nic, peer host, peer nic, rail
  Values<Key> values;
  std::map<Key, int> failed;
  for (const analysis::LinkSample& l : samples.links) {
    if (l.retest) continue;
    const Key key{l.test, l.metric, l.size_bytes, l.host_a, l.nic_a, l.host_b, l.nic_b, l.rail};
    if (!l.ok) {
      ++failed[key];
      continue;
    }
    values[key].push_back(l.value);
  }
  Family bandwidth("railcheck_link_bandwidth_bytes_per_second",
                   "Point-to-point bandwidth from hostname/nic to peer_hostname/peer_nic in bytes per second (op bw: "
                   "one way; bw_bidir: both ways summed); the median when measured several times.");
  Family latency("railcheck_link_latency_seconds", "Typical (median) one-way latency of a link in seconds.");
  Family tail("railcheck_link_latency_p99_seconds", "99th percentile one-way latency of a link in seconds.");
  Family loss("railcheck_link_retransmit_ratio",
              "Share of the segments sent on a link that were sent again because they were lost (0-1).");
  Family failures("railcheck_link_failed_transfers", "Transfers on a link that failed.");
  auto labels_of = [](const Key& key, const std::string& op) {
    const auto& [test, metric, size, host, nic, peer, peer_nic, rail] = key;
    Labels labels = {{"test", test}};
    if (!op.empty()) labels.emplace_back("op", op);
    labels.insert(labels.end(), {{"size_bytes", std::to_string(size)},
                                 {"hostname", host},
                                 {"nic", nic},
                                 {"peer_hostname", peer},
                                 {"peer_nic", peer_nic},
                                 {"rail", std::to_string(rail)}});
    return labels;
  };
  auto op_of = [](const std::string& metric) {  // "p2p.bw bw_gbps" -> "bw"
    const std::string head = split_metric(metric).first;
    return head.rfind("p2p.", 0) == 0 ? head.substr(4) : head;
  };
  for (const auto& [key, v] : values) {
    const std::string& metric = std::get<1>(key);
    const std::string field = split_metric(metric).second;
    const double m = analysis::median(v);
    if (field == "bw_gbps") bandwidth.add(labels_of(key, op_of(metric)), m * 1e9);
    if (field == "lat_us.typical") latency.add(labels_of(key, ""), m * 1e-6);
    if (field == "lat_us.p99") tail.add(labels_of(key, ""), m * 1e-6);
    if (field == "retrans_rate") loss.add(labels_of(key, op_of(metric)), m);
  }
  for (const auto& [key, n] : failed) {
    if (split_metric(std::get<1>(key)).second == "lat_us.p99") continue;  // one failure, two samples
    failures.add(labels_of(key, op_of(std::get<1>(key))), n);
  }
  for (const Family* f : {&bandwidth, &latency, &tail, &loss, &failures}) f->write(out);
}

void write_gpu_checks(const RunManifest& manifest, const analysis::Samples& samples, std::string& out) {
  using Key = std::tuple<std::string, std::size_t, std::string, int>;
  Values<Key> flops, bandwidth;
  for (const analysis::UnitSample& u : samples.units) {
    if (u.unit.kind != ComponentKind::kGpu) continue;
    const auto [check, field] = split_metric(u.metric);
    const Key key{check, u.size_bytes, u.unit.host, u.unit.gpu};
    if (field == "tflops") flops[key].push_back(u.value * 1e12);
    if (field == "bw_gbps") bandwidth[key].push_back(u.value * 1e9);
  }
  Family f("railcheck_gpu_check_flops_per_second",
           "A GPU check's matrix-multiply rate in floating-point operations "
           "per second.");
  Family b("railcheck_gpu_check_bandwidth_bytes_per_second", "A GPU check's memory bandwidth in bytes per second.");
  for (auto [values, family] : {std::pair{&flops, &f}, std::pair{&bandwidth, &b}}) {
    for (const auto& [key, v] : *values) {
      const auto& [check, size, host, gpu] = key;
      family->add({{"check", check},
                   {"size_bytes", std::to_string(size)},
                   {"hostname", host},
                   {"gpu", std::to_string(gpu)},
                   {"UUID", uuid_of(manifest, host, gpu)}},
                  analysis::median(v));
    }
    family->write(out);
  }
}

}  // namespace

std::string prometheus_text(const RunManifest& manifest, const analysis::Samples& samples,
                            const std::vector<analysis::Verdict>& verdicts, const RunSummary& summary,
                            double ended_unix_s, double seconds, std::optional<double> last_success_unix_s) {
  std::string out;
  Family info("railcheck_info", "The railcheck run that wrote this file (value 1; what ran in the labels).");
  info.add({{"version", manifest.railcheck_version},
            {"git_revision", manifest.git_revision},
            {"suite", manifest.suite},
            {"backend", manifest.backend},
            {"slurm_job_id", manifest.slurm_job_id}},
           1.0);
  info.write(out);
  auto single = [&](const char* name, const char* help, double value) {
    Family f(name, help);
    f.add({}, value);
    f.write(out);
  };
  single("railcheck_last_run_timestamp_seconds", "When the run that wrote this file ended, in Unix time.",
         ended_unix_s);
  if (summary.exit_code == kExitHealthy) last_success_unix_s = ended_unix_s;
  if (last_success_unix_s) {
    single("railcheck_last_success_timestamp_seconds",
           "When a run last ended with every component healthy, in Unix time (kept from the previous file while "
           "runs find faults).",
           *last_success_unix_s);
  }
  single("railcheck_run_duration_seconds", "How long the run that wrote this file took, in seconds.", seconds);
  single("railcheck_run_exit_code", "The run's exit code: 0 healthy, 1 a component failed, 2 the run could not judge.",
         summary.exit_code);
  single("railcheck_hosts", "Hosts in the run.", static_cast<double>(manifest.hosts.size()));
  single("railcheck_wrong_elements", "Elements found wrong by the run's data checks, over every rank and record.",
         static_cast<double>(summary.wrong_elements));
  write_verdicts(manifest, verdicts, out);
  write_collectives(samples, out);
  write_links(samples, out);
  write_gpu_checks(manifest, samples, out);
  return out;
}

std::optional<double> last_success_in(const std::string& previous_text) {
  std::istringstream lines(previous_text);
  const std::string name = "railcheck_last_success_timestamp_seconds ";
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name, 0) != 0) continue;
    char* end = nullptr;
    const double value = std::strtod(line.c_str() + name.size(), &end);
    if (end != line.c_str() + name.size() && std::isfinite(value)) return value;
  }
  return std::nullopt;
}

void check_prometheus_file(const std::filesystem::path& file) {
  check_output_file("--prom", file, ".prom", "node_exporter's textfile collector reads only names ending in .prom",
                    "e.g. the collector's /var/lib/prometheus/node-exporter");
}

void write_prometheus_file(const std::filesystem::path& file, const RunManifest& manifest,
                           const analysis::Samples& samples, const std::vector<analysis::Verdict>& verdicts,
                           const RunSummary& summary, double ended_unix_s, double seconds) {
  std::ifstream previous(file);
  std::stringstream text;
  if (previous) text << previous.rdbuf();
  const std::string document =
      prometheus_text(manifest, samples, verdicts, summary, ended_unix_s, seconds, last_success_in(text.str()));
  if (const std::string error = write_file_atomically(file, document); !error.empty()) {
    throw Error("--prom " + file.string() + ": " + error);
  }
}

PrometheusSink::PrometheusSink(std::filesystem::path file) : file_(std::move(file)) { check_prometheus_file(file_); }

void PrometheusSink::begin_run(const RunManifest& manifest) {
  (void)manifest;
  started_unix_s_ = unix_now_s();
}

void PrometheusSink::record(const Record& record) {
  analysis::Samples s;
  try {
    s = analysis::samples_from_records(nlohmann::json::array({to_json(record)}));
  } catch (const std::invalid_argument&) {  // a figure the analysis cannot read (not finite): not a metric either
    return;
  }
  auto append = [](auto& to, auto& from) { to.insert(to.end(), from.begin(), from.end()); };
  append(samples_.units, s.units);
  append(samples_.links, s.links);
  append(samples_.groups, s.groups);
}

void PrometheusSink::verdicts(const VerdictReport& report) { verdicts_ = report.verdicts; }

void PrometheusSink::end_run(const RunManifest& manifest, const RunSummary& summary) {
  const double now = unix_now_s();
  write_prometheus_file(file_, manifest, samples_, verdicts_, summary, now, now - started_unix_s_);
}

}  // namespace railcheck
