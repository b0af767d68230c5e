#include "railcheck/p2p/p2p_suite_test.h"

#include <map>
#include <optional>

#include "railcheck/analysis/analyze.h"
#include "railcheck/p2p/p2p_session.h"
#include "railcheck/plan/pair_plan.h"
#include "railcheck/record/record_kinds.h"

namespace railcheck {
namespace {

// Records as the analysis reads them.
nlohmann::json records_json(const std::vector<P2pRecord>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const P2pRecord& r : records) out.push_back(to_json(r));
  return out;
}

// Re-tests as rounds of rank pairs: (host, rail) -> rank through the layout. Pairs naming a host or rail the
// layout lacks are dropped (they cannot be measured in this allocation).
std::vector<PairRound> retest_plan(const std::vector<std::vector<analysis::RetestPair>>& rounds,
                                   const std::vector<std::vector<int>>& rank_of, const Bootstrap& bootstrap) {
  std::map<std::string, int> node_of;
  for (const RankInfo& info : bootstrap.ranks()) node_of[info.host] = info.node_index;
  auto rank_at = [&](const std::string& host, int rail) {
    const auto node = node_of.find(host);
    if (node == node_of.end() || rail < 0) return -1;
    const auto& rails = rank_of[static_cast<std::size_t>(node->second)];
    return static_cast<std::size_t>(rail) < rails.size() ? rails[static_cast<std::size_t>(rail)] : -1;
  };
  std::vector<PairRound> plan;
  for (const auto& round : rounds) {
    PairRound out;
    for (const analysis::RetestPair& p : round) {
      RankPair pair;
      pair.a = rank_at(p.host_a, p.rail);
      pair.b = rank_at(p.host_b, p.rail);
      pair.rail = pair.rail_b = p.rail;
      if (pair.a >= 0 && pair.b >= 0 && pair.a != pair.b) out.pairs.push_back(pair);
    }
    if (!out.pairs.empty()) plan.push_back(std::move(out));
  }
  return plan;
}

std::string plan_to_text(const std::vector<PairRound>& plan) {
  nlohmann::json j = nlohmann::json::array();
  for (const PairRound& round : plan) {
    nlohmann::json pairs = nlohmann::json::array();
    for (const RankPair& p : round.pairs) pairs.push_back({p.a, p.b, p.rail});
    j.push_back(pairs);
  }
  return j.dump();
}

std::vector<PairRound> plan_from_text(const std::string& text) {
  std::vector<PairRound> plan;
  for (const auto& round : nlohmann::json::parse(text)) {
    PairRound r;
    for (const auto& p : round) {
      RankPair pair;
      pair.a = p.at(0);
      pair.b = p.at(1);
      pair.rail = pair.rail_b = p.at(2);
      r.pairs.push_back(pair);
    }
    plan.push_back(std::move(r));
  }
  return plan;
}

}  // namespace

void run_p2p_suite_test(const P2pTestSpec& spec, const Bootstrap& bootstrap, double timeout_s,
                        const analysis::AnalysisOptions& options, Steps& steps, OutputSink& sink) {
  const bool root = bootstrap.rank() == 0;
  std::optional<P2pSession> session;
  {
    const Steps::Scope step = steps.begin(StepKind::kSetup, spec.name + " transport set-up");
    session.emplace(bootstrap, spec.options, timeout_s);
  }
  if (!session->skip_reason().empty()) {
    if (root) sink.note(NoteLevel::kSkip, spec.name + ": " + session->skip_reason());
    return;
  }
  const std::vector<std::vector<int>> layout = session->rank_layout();
  PairPlanOptions plan_options;
  plan_options.within_node = spec.options.within_node;
  const std::vector<PairRound> plan = plan_pairs(layout, plan_options);
  TestStart start;
  start.name = spec.name;
  start.kind = LineType::kP2p;
  start.nranks = bootstrap.size();
  start.description = session->describe(plan.size());
  start.hosts = bootstrap.hosts();
  start.unit = spec.options.unit;
  sink.begin_test(start);
  const std::vector<P2pRecord> first = session->run_rounds(plan, spec.name, "first", steps, sink);

  // Second pass: rank 0 plans the re-tests from what the first pass measured, every rank runs them.
  std::string plan_text = "[]";
  if (root && options.pairs.retest_peers > 0) {
    const auto retests = analysis::plan_second_pass(analysis::samples_from_records(records_json(first)), options);
    plan_text = plan_to_text(retest_plan(analysis::retest_rounds(retests, options.pairs), layout, bootstrap));
    if (!retests.empty()) {
      sink.note(NoteLevel::kInfo, spec.name + ": " + std::to_string(retests.size()) +
                                      " re-test(s) of suspects with known-good peers (second pass)");
    }
  }
  std::vector<PairRound> second;
  {
    const Steps::Scope step = steps.begin(StepKind::kSetup, spec.name + " re-test plan");
    second = plan_from_text(bootstrap.broadcast(plan_text, 0));
  }
  if (!second.empty()) session->run_rounds(second, spec.name, "retest", steps, sink);
  sink.end_test(start);
}

}  // namespace railcheck
