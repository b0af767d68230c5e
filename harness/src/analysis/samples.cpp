#include "railcheck/analysis/samples.h"

#include <set>
#include <stdexcept>

#include "field_reader.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

void add_p2p(const FieldReader& r, Samples& out) {
  LinkSample s;
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
    if (s.ok) {
      const json& lat = r.get("lat_us");
      if (!lat.is_object() || !lat.contains("typical") || !lat.at("typical").is_number()) {
        r.fail("lat_us", "must be an object with a number \"typical\"");
      }
      s.value = lat.at("typical").get<double>();
    }
  } else {
    s.metric = "p2p." + op + " bw_gbps";
    if (s.ok) s.value = r.number("bw_gbps");
  }
  out.links.push_back(std::move(s));
}

void add_collective(const FieldReader& r, Samples& out) {
  if (r.string("status") != "ok") return;  // skipped: nothing measured; wrong: judged by the check, not speed
  GroupSample g;
  g.group = r.string("group");
  g.nranks = r.integer("nranks");
  g.size_bytes = r.size("size_bytes");
  const bool in_place = r.get("in_place").is_boolean() && r.get("in_place").get<bool>();
  g.metric = r.string("test_key") + (in_place ? " busbw_gbps_in_place" : " busbw_gbps");
  g.value = r.number("busbw_gbps");
  std::set<std::string> hosts;
  const json& ranks = r.array("ranks");
  for (const json& rank : ranks) {
    if (rank.is_object() && rank.contains("host") && rank.at("host").is_string()) hosts.insert(rank.at("host").get<std::string>());
  }
  g.hosts.assign(hosts.begin(), hosts.end());
  out.groups.push_back(std::move(g));
}

}  // namespace

Samples samples_from_records(const json& records) {
  if (!records.is_array()) throw std::invalid_argument("records must be an array");
  Samples out;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& record = records[i];
    const FieldReader r(record, "records[" + std::to_string(i) + "]");
    const std::string kind = r.optional_string("kind", "collective");
    if (kind == "p2p") {
      add_p2p(r, out);
    } else if (kind == "collective") {
      add_collective(r, out);
    }
    // Other kinds (single-GPU checks) are read by their own extractors.
  }
  return out;
}

}  // namespace railcheck::analysis
