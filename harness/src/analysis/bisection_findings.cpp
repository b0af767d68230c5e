#include "railcheck/analysis/bisection_findings.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "railcheck/analysis/fleet_outliers.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

struct Step {
  std::size_t index = 0;  ///< in records, for refs
  int round = 0;
  std::vector<ComponentId> members;
  std::vector<std::string> names;
  std::string metric;
  std::size_t size_bytes = 0;
  double value = 0.0;
  double expected = 0.0;
  std::string expected_from;
  bool slow = false;
  bool split = false;
};

[[noreturn]] void malformed(std::size_t index, const std::string& field, const std::string& message) {
  throw std::invalid_argument("records[" + std::to_string(index) + "]." + field + ": " + message);
}

const json& field(const json& record, std::size_t index, const char* name) {
  if (!record.contains(name)) malformed(index, name, "is missing (bisection record)");
  return record.at(name);
}

double number(const json& record, std::size_t index, const char* name) {
  const json& v = field(record, index, name);
  if (!v.is_number()) malformed(index, name, "must be a number");
  return v.get<double>();
}

Step read_step(const json& r, std::size_t index) {
  Step s;
  s.index = index;
  const json& round = field(r, index, "round");
  if (!round.is_number_integer()) malformed(index, "round", "must be an integer");
  s.round = round.get<int>();
  const json& test_key = field(r, index, "test_key");
  if (!test_key.is_string()) malformed(index, "test_key", "must be a string");
  s.metric = test_key.get<std::string>() + " busbw_gbps";
  const json& size = field(r, index, "size_bytes");
  if (!size.is_number_integer() || size.get<long long>() < 0) malformed(index, "size_bytes", "must be a non-negative integer");
  s.size_bytes = static_cast<std::size_t>(size.get<long long>());
  s.value = number(r, index, "busbw_gbps");
  s.expected = number(r, index, "expected_busbw_gbps");
  s.expected_from = r.value("expected_from", std::string("expected"));
  const json& slow = field(r, index, "slow");
  const json& split = field(r, index, "split");
  if (!slow.is_boolean() || !split.is_boolean()) malformed(index, "slow", "slow and split must be true or false");
  s.slow = slow.get<bool>();
  s.split = split.get<bool>();
  const json& members = field(r, index, "members");
  if (!members.is_array() || members.empty()) malformed(index, "members", "must be a non-empty array");
  for (const json& m : members) {
    if (!m.is_object() || !m.contains("host") || !m.at("host").is_string()) {
      malformed(index, "members", "each member needs a host");
    }
    const std::string host = m.at("host").get<std::string>();
    if (m.contains("local_rank")) {
      if (!m.at("local_rank").is_number_integer()) malformed(index, "members", "local_rank must be an integer");
      s.members.push_back(make_gpu(host, m.at("local_rank").get<int>()));
      s.names.push_back(host + " GPU " + std::to_string(m.at("local_rank").get<int>()));
    } else {
      s.members.push_back(make_node(host));
      s.names.push_back(host);
    }
  }
  return s;
}

std::string three_digits(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

std::string names_text(const Step& s) {
  std::string text;
  for (std::size_t i = 0; i < s.names.size() && i < 8; ++i) text += (i ? "," : "") + s.names[i];
  if (s.names.size() > 8) text += ",... (" + std::to_string(s.names.size()) + ")";
  return text;
}

std::string ref_of(const Step& s) {
  return "round " + std::to_string(s.round) + ": " + names_text(s) + " " + three_digits(s.value) + " GB/s" +
         (s.slow ? (s.split ? " slow, split" : " slow, isolated") : " ok");
}

Evidence evidence_of(const Step& s, const std::vector<const Step*>& path) {
  Evidence e;
  e.source = "bisection";
  e.metric = s.metric;
  e.size_bytes = s.size_bytes;
  e.measured = s.value;
  e.expected = s.expected;
  e.expected_from = s.expected_from;
  e.deviation = s.expected != 0.0 ? (s.value - s.expected) / s.expected : 0.0;
  for (const Step* p : path) {
    e.refs.push_back(ref_of(*p));
    e.total += 1;
    e.slow += p->slow ? 1 : 0;
  }
  return e;
}

/// A node is confirmed by a failing part of its own (GPU, NIC, the node itself), never by a failing link: a
/// link blames the path between its ends, not either host. A GPU unit only by that GPU.
bool is_confirmed(const ComponentId& member, const std::vector<Finding>& others) {
  for (const Finding& f : others) {
    if (f.status != VerdictStatus::kFail) continue;
    if (member.kind == ComponentKind::kGpu ? f.component == member
                                           : (f.component.kind != ComponentKind::kLink && f.component.host == member.host)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<Finding> bisection_findings(const json& records, const std::vector<Finding>& others) {
  if (!records.is_array()) throw std::invalid_argument("records must be an array");
  std::map<std::string, std::vector<Step>> by_test;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const json& r = records[i];
    if (!r.is_object() || r.value("kind", std::string()) != "bisection") continue;
    const json& test = field(r, i, "test");
    if (!test.is_string()) malformed(i, "test", "must be a string");
    by_test[test.get<std::string>()].push_back(read_step(r, i));
  }

  std::vector<Finding> findings;
  for (const auto& [test, steps] : by_test) {
    // The rounds each member was in, in order.
    auto path_of = [&steps](const ComponentId& member, int up_to_round) {
      std::vector<const Step*> path;
      for (const Step& s : steps) {
        if (s.round > up_to_round) continue;
        for (const ComponentId& m : s.members) {
          if (m == member) path.push_back(&s);
        }
      }
      return path;
    };
    std::vector<const Step*> isolated;
    for (const Step& s : steps) {
      if (s.round == 1 && !s.slow) {
        for (const ComponentId& member : s.members) {
          Finding f{member, VerdictStatus::kPass, evidence_of(s, {&s})};
          f.evidence.text = label(member) + ": " + test + " group of all " + std::to_string(s.members.size()) +
                            " at " + three_digits(s.value) + " GB/s busbw, " + describe_deviation(f.evidence.deviation) +
                            " expected " + three_digits(s.expected) + " (" + s.expected_from + "): no bisection needed";
          findings.push_back(std::move(f));
        }
        continue;
      }
      if (!s.slow) continue;
      if (!s.split) {
        isolated.push_back(&s);
        continue;
      }
      // Split, and both halves fine in the next round: the slowness sits between them.
      int slow_children = 0, children = 0;
      std::set<ComponentId> mine(s.members.begin(), s.members.end());
      for (const Step& c : steps) {
        if (c.round != s.round + 1) continue;
        bool inside = !c.members.empty();
        for (const ComponentId& m : c.members) inside = inside && mine.contains(m);
        if (!inside) continue;
        ++children;
        slow_children += c.slow ? 1 : 0;
      }
      if (children > 0 && slow_children == 0) isolated.push_back(&s);
    }

    for (const Step* s : isolated) {
      std::vector<ComponentId> confirmed;
      for (const ComponentId& member : s->members) {
        if (is_confirmed(member, others)) confirmed.push_back(member);
      }
      for (const ComponentId& member : s->members) {
        Finding f{member, VerdictStatus::kWarn, evidence_of(*s, path_of(member, s->round))};
        const std::string where = label(member) + ": in the slow " + test + " group " + names_text(*s) +
                                  " (bisection round " + std::to_string(s->round) + ", " + three_digits(s->value) +
                                  " GB/s busbw, " + describe_deviation(f.evidence.deviation) + " expected " +
                                  three_digits(s->expected) + ")";
        if (confirmed.empty()) {
          f.evidence.text = where + "; the other tests found nothing on it: re-test";
        } else if (std::find(confirmed.begin(), confirmed.end(), member) != confirmed.end()) {
          f.status = VerdictStatus::kFail;
          f.evidence.text = where + "; confirmed by its failing parts";
        } else {
          f.status = VerdictStatus::kPass;
          f.evidence.text = where + "; explained by " + label(confirmed.front());
        }
        findings.push_back(std::move(f));
      }
    }
  }
  return findings;
}

}  // namespace railcheck::analysis
