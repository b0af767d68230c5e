#include "railcheck/analysis/samples.h"

#include <set>
#include <stdexcept>

namespace railcheck::analysis {
namespace {

using nlohmann::json;

// Field access that names the record and field when something is missing or of the wrong type.
class RecordReader {
 public:
  RecordReader(const json& record, std::size_t index) : record_(record), index_(index) {}

  const json& at(const char* field) const {
    if (!record_.is_object() || !record_.contains(field)) fail(field, "is missing");
    return record_.at(field);
  }
  std::string text(const char* field) const {
    const json& value = at(field);
    if (!value.is_string()) fail(field, "must be a string");
    return value.get<std::string>();
  }
  double number(const char* field) const {
    const json& value = at(field);
    if (!value.is_number()) fail(field, "must be a number");
    return value.get<double>();
  }
  std::size_t size(const char* field) const {
    const json& value = at(field);
    if (!value.is_number_integer() || (!value.is_number_unsigned() && value.get<long long>() < 0)) {
      fail(field, "must be a non-negative integer");
    }
    return value.get<std::size_t>();
  }
  int integer(const char* field) const {
    const json& value = at(field);
    if (!value.is_number_integer()) fail(field, "must be an integer");
    return value.get<int>();
  }
  std::string optional_text(const char* field, std::string fallback) const {
    return record_.contains(field) && record_.at(field).is_string() ? record_.at(field).get<std::string>() : fallback;
  }
  [[noreturn]] void fail(const char* field, const std::string& problem) const {
    throw std::invalid_argument("records[" + std::to_string(index_) + "]." + field + " " + problem);
  }

 private:
  const json& record_;
  std::size_t index_;
};

void add_p2p(const RecordReader& r, Samples& out) {
  LinkSample s;
  s.host_a = r.text("src_host");
  s.nic_a = r.text("src_nic");
  s.host_b = r.text("dst_host");
  s.nic_b = r.text("dst_nic");
  s.rail = r.integer("rail");
  s.size_bytes = r.size("size_bytes");
  s.round = r.integer("round");
  s.retest = r.optional_text("phase", "first") == "retest";
  const std::string op = r.text("op");
  s.ok = r.text("status") == "ok";
  if (!s.ok) s.error = r.optional_text("error", "transfer failed");
  if (op == "lat") {
    s.metric = "p2p.lat lat_us.typical";
    s.higher_is_better = false;
    if (s.ok) {
      const json& lat = r.at("lat_us");
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

void add_collective(const RecordReader& r, Samples& out) {
  if (r.text("status") != "ok") return;  // skipped: nothing measured; wrong: judged by the check, not speed
  GroupSample g;
  g.group = r.text("group");
  g.nranks = r.integer("nranks");
  g.size_bytes = r.size("size_bytes");
  const bool in_place = r.at("in_place").is_boolean() && r.at("in_place").get<bool>();
  g.metric = r.text("test_key") + (in_place ? " busbw_gbps_in_place" : " busbw_gbps");
  g.value = r.number("busbw_gbps");
  std::set<std::string> hosts;
  const json& ranks = r.at("ranks");
  if (!ranks.is_array()) r.fail("ranks", "must be an array");
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
    const RecordReader r(record, i);
    if (!record.is_object()) r.fail("", "must be an object");
    const std::string kind = r.optional_text("kind", "collective");
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
