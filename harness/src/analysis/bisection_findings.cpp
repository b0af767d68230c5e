#include "railcheck/analysis/bisection_findings.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>

#include "field_reader.h"
#include "railcheck/analysis/fleet_outliers.h"
#include "railcheck/record/record_kinds.h"

namespace railcheck::analysis {
namespace {

using nlohmann::json;

struct Step {
  std::size_t index = 0;  ///< in records, for refs
  int round = 0;
  std::vector<ComponentId> members;
  std::string metric;
  std::size_t size_bytes = 0;
  double value = 0.0;
  double expected = 0.0;
  std::string expected_from;
  bool slow = false;
  bool split = false;
};

Step read_step(const FieldReader& reader, std::size_t index) {
  Step s;
  s.index = index;
  s.round = reader.integer("round");
  s.metric = reader.string("test_key") + " busbw_gbps";
  s.size_bytes = reader.size("size_bytes");
  s.value = reader.number("busbw_gbps");
  s.expected = reader.number("expected_busbw_gbps");
  s.expected_from = reader.optional_string("expected_from", "expected");
  s.slow = reader.boolean("slow");
  s.split = reader.boolean("split");
  const json& members = reader.array("members");
  if (members.empty()) reader.fail("members", "empty (a group has at least one member)");
  for (std::size_t i = 0; i < members.size(); ++i) {
    const FieldReader member(members[i], "records[" + std::to_string(index) + "].members[" + std::to_string(i) + "]");
    const std::string host = member.string("host");
    s.members.push_back(member.has("local_rank") ? make_gpu(host, member.integer("local_rank")) : make_node(host));
  }
  return s;
}

std::string names_text(const Step& s) {
  std::vector<std::string> names;
  for (const ComponentId& member : s.members) names.push_back(label(member));
  return format_list(names);
}

std::string ref_of(const Step& s) {
  return "round " + std::to_string(s.round) + ": " + names_text(s) + " " + format_value(s.value, s.metric) +
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
    if (member.kind == ComponentKind::kGpu
            ? f.component == member
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
    if (!r.is_object() || !is_kind(r.value("kind", std::string()), LineType::kBisection)) continue;
    const FieldReader reader(r, "records[" + std::to_string(i) + "]");
    by_test[reader.string("test")].push_back(read_step(reader, i));
  }

  std::vector<Finding> findings;
  for (const auto& entry : by_test) {
    const std::string& test = entry.first;  // not a structured binding: clang 14 cannot capture one
    const auto& steps = entry.second;
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
          f.evidence.text = label(member) + ": " + test + " group of all " + std::to_string(s.members.size()) + " at " +
                            format_value(s.value, s.metric) + " busbw, " + describe_deviation(f.evidence.deviation) +
                            " expected " + format_value(s.expected, s.metric) + " (" + s.expected_from +
                            "): no bisection needed";
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
        const std::string where =
            label(member) + ": in the slow " + test + " group " + names_text(*s) + " (bisection round " +
            std::to_string(s->round) + ", " + format_value(s->value, s->metric) + " busbw, " +
            describe_deviation(f.evidence.deviation) + " expected " + format_value(s->expected, s->metric) + ")";
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
