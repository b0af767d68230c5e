#include "railcheck/analysis/samples.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <stdexcept>

#include "field_reader.h"
#include "railcheck/record/record_kinds.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

/// A finite number >= 0 at `field`, or an error naming the record and field (NaN, negative, not a number).
double measured_number(const FieldReader& r, const json& value, const std::string& field) {
  if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0.0) {
    r.fail(field, "must be a finite number >= 0, got " + value.dump());
  }
  return value.get<double>();
}

// A soak's interval record (schema 1.3) is judged by the median of the passes it stands for, when it says.
std::optional<double> passes_median(const FieldReader& r) {
  if (!r.has("passes")) return std::nullopt;
  const json& passes = r.get("passes");
  if (!passes.is_object() || !passes.contains("median")) return std::nullopt;
  if (!passes.at("median").is_number() || !std::isfinite(passes.at("median").get<double>()) ||
      passes.at("median").get<double>() < 0) {
    r.fail("passes.median", "must be a finite number >= 0, got " + passes.at("median").dump());
  }
  return passes.at("median").get<double>();
}

// A soak's interval and the measurement's start, where the record has them.
template <typename Sample>
void read_when(const FieldReader& r, Sample& s) {
  if (r.has("interval")) {
    s.interval = r.integer("interval");
    if (s.interval < 0) r.fail("interval", "must be >= 0");
  }
  if (r.has("start_unix_s")) s.start_unix_s = r.number("start_unix_s");
  // A soak's interval record (schema 1.3) stands for its passes: the first of them began the interval's share.
  if (r.has("passes")) {
    const json& passes = r.get("passes");
    if (!passes.is_object() || !passes.contains("start_unix_s") || !passes.at("start_unix_s").is_number()) {
      r.fail("passes", "must be an object with a number \"start_unix_s\"");
    }
    s.start_unix_s = passes.at("start_unix_s").get<double>();
  }
}

void add_fabric_flow(const FieldReader& r, Samples& out) {
  FabricFlowSample s;
  s.test = r.optional_string("test", "");
  s.stage = r.integer("round");
  s.src_host = r.string("src_host");
  s.dst_host = r.string("dst_host");
  s.src_nic = r.string("src_nic");
  s.dst_nic = r.string("dst_nic");
  s.rail = r.integer("rail");
  s.size_bytes = r.size("size_bytes");
  auto links_at = [&r](const std::string& field) {  // a list of directed link names
    std::vector<std::string> links;
    const json& list = r.array(field);
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string())
        r.fail(field + "[" + std::to_string(i) + "]", "must be a string naming a directed link");
      links.push_back(list[i].get<std::string>());
    }
    return links;
  };
  s.route = links_at("route");
  if (s.route.empty()) r.fail("route", "must name at least one directed link");
  if (r.has("return_route")) s.return_route = links_at("return_route");
  s.ok = r.string("status") == "ok";
  if (!s.ok) s.error = r.optional_string("error", "transfer failed");
  if (s.ok) s.gbps = measured_number(r, r.get("bw_gbps"), "bw_gbps");
  if (s.ok && r.has("loss") && r.get("loss").is_object() && r.get("loss").contains("rate")) {
    s.loss_rate = measured_number(r, r.get("loss").at("rate"), "loss.rate");
  }
  out.fabric_flows.push_back(std::move(s));
}

void add_p2p(const FieldReader& r, Samples& out) {
  if (r.optional_string("phase", "first") == "fabric") {
    add_fabric_flow(r, out);
    return;
  }
  LinkSample s;
  read_when(r, s);
  s.test = r.optional_string("test", "");
  s.host_a = r.string("src_host");
  s.nic_a = r.string("src_nic");
  s.host_b = r.string("dst_host");
  s.nic_b = r.string("dst_nic");
  s.rail = r.integer("rail");
  s.size_bytes = r.size("size_bytes");
  s.round = r.integer("round");
  s.retest = r.optional_string("phase", "first") == "retest";
  const std::string op = r.string("op");
  s.ok = r.string("status") == "ok";
  if (!s.ok) s.error = r.optional_string("error", "transfer failed");
  if (op == "lat") {
    s.metric = "p2p.lat lat_us.typical";
    s.higher_is_better = false;
    LinkSample tail = s;
    tail.metric = "p2p.lat lat_us.p99";
    if (s.ok) {
      const json& lat = r.get("lat_us");
      if (!lat.is_object() || !lat.contains("typical") || !lat.contains("p99")) {
        r.fail("lat_us", "must be an object with numbers \"typical\" and \"p99\"");
      }
      s.value = passes_median(r).value_or(measured_number(r, lat.at("typical"), "lat_us.typical"));
      tail.value = measured_number(r, lat.at("p99"), "lat_us.p99");
    }
    out.links.push_back(std::move(s));
    out.links.push_back(std::move(tail));
    return;
  }
  s.metric = "p2p." + op + " bw_gbps";
  s.directional = op == "bw";
  if (s.ok) s.value = measured_number(r, r.get("bw_gbps"), "bw_gbps");
  if (const std::optional<double> median = passes_median(r)) {  // the interval's passes, failures as 0
    s.value = *median;
    s.ok = s.ok || *median > 0;
  }
  // Retransmits: only where the transport counted them (TCP_INFO on the sending side).
  if (s.ok && r.has("loss") && !r.get("loss").is_null()) {
    const json& loss = r.get("loss");
    if (!loss.is_object() || !loss.contains("rate")) r.fail("loss", "must be an object with a number \"rate\" or null");
    LinkSample lossy = s;
    lossy.metric = "p2p." + op + " retrans_rate";
    lossy.higher_is_better = false;
    lossy.value = measured_number(r, loss.at("rate"), "loss.rate");
    out.links.push_back(std::move(s));
    out.links.push_back(std::move(lossy));
    return;
  }
  out.links.push_back(std::move(s));
}

void add_collective(const FieldReader& r, Samples& out) {
  if (r.string("status") != "ok") return;  // skipped: nothing measured; wrong: judged by the check, not speed
  if (r.has("count") && r.integer("count") == 0) return;  // 0 elements per rank: timed as nccl-tests, nothing moved
  GroupSample g;
  read_when(r, g);
  g.group = r.string("group");
  g.nranks = r.integer("nranks");
  g.size_bytes = r.size("size_bytes");
  const bool in_place = r.get("in_place").is_boolean() && r.get("in_place").get<bool>();
  g.metric = r.string("test_key") + (in_place ? " busbw_gbps_in_place" : " busbw_gbps");
  g.value = passes_median(r).value_or(measured_number(r, r.get("busbw_gbps"), "busbw_gbps"));
  std::set<std::string> hosts;
  const json& ranks = r.array("ranks");
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    const json& rank = ranks[i];
    if (!rank.is_object() || !rank.contains("host") || !rank.at("host").is_string()) {
      r.fail("ranks[" + std::to_string(i) + "]", "must be an object with a string \"host\"");
    }
    hosts.insert(rank.at("host").get<std::string>());
  }
  g.hosts.assign(hosts.begin(), hosts.end());
  out.groups.push_back(std::move(g));
}

/// A single-GPU check that measured: one value of its GPU, compared with the same check on the fleet's GPUs.
void add_gpu_check(const FieldReader& r, Samples& out) {
  if (r.string("status") != "ok") return;  // skipped: nothing measured; wrong or error: check_findings
  UnitSample u;
  u.unit = make_gpu(r.string("host"), r.integer("device"));
  const bool gemm = r.has("tflops") && !r.get("tflops").is_null();
  u.metric = r.string("test_key") + (gemm ? " tflops" : " bw_gbps");
  u.size_bytes = r.size("size_bytes");
  u.rail = -1;  // every GPU of the fleet runs the same check
  u.value = measured_number(r, r.get(gemm ? "tflops" : "bw_gbps"), gemm ? "tflops" : "bw_gbps");
  out.units.push_back(std::move(u));
}

}  // namespace

Samples samples_from_records(const json& records) {
  if (!records.is_array()) throw std::invalid_argument("records must be an array");
  Samples out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& record = records[i];
    const FieldReader r(record, "records[" + std::to_string(i) + "]");
    const std::string kind = r.optional_string("kind", std::string(kUnnamedRecordKind));
    if (is_kind(kind, LineType::kP2p)) {
      add_p2p(r, out);
    } else if (is_kind(kind, LineType::kRecord)) {
      add_collective(r, out);
    } else if (is_kind(kind, LineType::kGpuCheck)) {
      add_gpu_check(r, out);
    }
    // Bisection records are read by bisection_findings().
  }
  return out;
}

Samples take_soak_samples(Samples& samples) {
  Samples soak;
  auto move_out = [](auto& from, auto& to) {
    auto keep = std::stable_partition(from.begin(), from.end(), [](const auto& s) { return s.interval < 0; });
    to.assign(std::make_move_iterator(keep), std::make_move_iterator(from.end()));
    from.erase(keep, from.end());
  };
  move_out(samples.links, soak.links);
  move_out(samples.groups, soak.groups);
  return soak;
}

}  // namespace railcheck::analysis
