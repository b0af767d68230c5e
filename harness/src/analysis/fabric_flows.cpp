#include "railcheck/analysis/fabric_flows.h"

#include <algorithm>
#include <map>

#include "railcheck/analysis/robust_stats.h"
#include "railcheck/fabric/tomography.h"

namespace railcheck::analysis {
namespace {

/// Why a flow is bad ("" healthy), for its evidence line.
std::string badness(const FabricFlowSample& flow, double median_gbps, const FabricOptions& options) {
  if (!flow.ok) return "failed: " + flow.error;
  if (flow.gbps < options.slow_ratio * median_gbps) return "slow";
  if (flow.loss_rate && *flow.loss_rate > options.loss_floor) return "lossy";
  return "";
}

std::string describe_flow(const FabricFlowSample& flow) {
  std::string text = "stage " + std::to_string(flow.stage) + ": " + flow.src_host + " -> " + flow.dst_host + " ";
  if (!flow.ok) return text + "failed";
  text += format_value(flow.gbps, "bw_gbps");
  if (flow.loss_rate && *flow.loss_rate > 0) text += ", " + format_percent(*flow.loss_rate, 2) + " retransmitted";
  return text;
}

std::string split_from(const std::string& link) { return link.substr(0, link.find(" -> ")); }
std::string split_to(const std::string& link) {
  const auto at = link.find(" -> ");
  return at == std::string::npos ? std::string() : link.substr(at + 4);
}

std::vector<Finding> judge_test(const std::vector<const FabricFlowSample*>& flows, const FabricOptions& options) {
  std::vector<double> rates;
  for (const FabricFlowSample* f : flows) {
    if (f->ok) rates.push_back(f->gbps);
  }
  const double median_gbps = rates.empty() ? 0.0 : median(rates);

  // Stages as the solver sees them: flows by stage, links numbered by name in first-seen order.
  std::map<int, std::vector<const FabricFlowSample*>> by_stage;
  for (const FabricFlowSample* f : flows) by_stage[f->stage].push_back(f);
  std::map<std::string, int> link_id;
  std::vector<std::string> link_name;
  std::vector<std::vector<std::vector<int>>> routes;
  std::vector<std::vector<bool>> bad;
  std::vector<std::vector<const FabricFlowSample*>> flow_at;
  std::vector<std::vector<std::string>> why;
  for (const auto& [stage, members] : by_stage) {
    routes.emplace_back();
    bad.emplace_back();
    flow_at.push_back(members);
    why.emplace_back();
    for (const FabricFlowSample* f : members) {
      std::vector<int> route;
      for (const std::string& name : f->route) {
        const auto [it, added] = link_id.try_emplace(name, static_cast<int>(link_name.size()));
        if (added) link_name.push_back(name);
        route.push_back(it->second);
      }
      routes.back().push_back(std::move(route));
      why.back().push_back(badness(*f, median_gbps, options));
      bad.back().push_back(!why.back().back().empty());
    }
  }
  fabric::TomographyOptions solver;
  solver.slow_share = options.slow_share;
  solver.min_margin = options.min_margin;
  const fabric::TomographyResult result = fabric::boolean_tomography(link_name.size(), routes, bad, solver);

  std::vector<Finding> findings;
  const std::string test = flows.front()->test;
  for (const fabric::NamedFault& fault : result.faults) {
    const int link = fault.links.front();
    Finding finding;
    finding.component = make_fabric_link(split_from(link_name[static_cast<std::size_t>(link)]),
                                         split_to(link_name[static_cast<std::size_t>(link)]));
    finding.status = VerdictStatus::kFail;
    Evidence& e = finding.evidence;
    e.source = "fabric";
    e.direction = "a_to_b";
    e.expected = median_gbps;
    e.expected_from = "median of the " + std::to_string(flows.size()) + " flows of fabric test " + test;
    std::vector<double> bad_rates;
    bool lossy = false;
    double worst_loss = 0.0;
    for (std::size_t s = 0; s < routes.size(); ++s) {
      for (std::size_t f = 0; f < routes[s].size(); ++f) {
        if (std::find(routes[s][f].begin(), routes[s][f].end(), link) == routes[s][f].end()) continue;
        const FabricFlowSample& flow = *flow_at[s][f];
        ++e.total;
        e.size_bytes = flow.size_bytes;
        e.refs.push_back(describe_flow(flow) + (why[s][f].empty() ? " (healthy)" : " (" + why[s][f] + ")"));
        if (!bad[s][f]) continue;
        ++e.slow;
        bad_rates.push_back(flow.ok ? flow.gbps : 0.0);
        if (why[s][f] == "lossy") lossy = true;
        if (flow.loss_rate) worst_loss = std::max(worst_loss, *flow.loss_rate);
      }
    }
    if (lossy) {
      e.metric = "fabric.bw retrans_rate";
      e.measured = worst_loss;
      e.expected = options.loss_floor;
      e.expected_from =
          "at most " + format_percent(options.loss_floor, 2) + " retransmitted (analysis.fabric.loss_floor)";
      e.deviation = 0.0;
    } else {
      e.metric = "fabric.bw bw_gbps";
      e.measured = bad_rates.empty() ? 0.0 : median(bad_rates);
      e.deviation = median_gbps > 0 ? (e.measured - median_gbps) / median_gbps : 0.0;
    }
    e.text = label(finding.component) + ": " + std::to_string(e.slow) + " of " + std::to_string(e.total) +
             " flows over it " + (lossy ? "lost packets" : "slow") + " (" + format_list(e.refs, 4) +
             "); the fabric test's median flow " + format_value(median_gbps, "bw_gbps") +
             "; every other link on their paths carried a healthy flow";
    if (fault.links.size() > 1) {
      std::vector<std::string> others;
      for (std::size_t i = 1; i < fault.links.size(); ++i) {
        others.push_back(link_name[static_cast<std::size_t>(fault.links[i])]);
      }
      e.text += "; the plan cannot tell it from " + format_list(others, 8) + ": check those too";
    }
    findings.push_back(std::move(finding));
  }
  for (const fabric::FlowRef& ref : result.unexplained) {
    const FabricFlowSample& flow = *flow_at[static_cast<std::size_t>(ref.stage)][static_cast<std::size_t>(ref.flow)];
    Finding finding;
    finding.component = make_link(flow.src_host, flow.src_nic, flow.dst_host, flow.dst_nic, flow.rail);
    finding.status = VerdictStatus::kWarn;
    Evidence& e = finding.evidence;
    e.source = "fabric";
    e.metric = "fabric.bw bw_gbps";
    e.size_bytes = flow.size_bytes;
    e.measured = flow.ok ? flow.gbps : 0.0;
    e.expected = median_gbps;
    e.expected_from = "median of the " + std::to_string(flows.size()) + " flows of fabric test " + test;
    e.deviation = median_gbps > 0 ? (e.measured - median_gbps) / median_gbps : 0.0;
    e.direction =
        finding.component.host == flow.src_host && finding.component.nic == flow.src_nic ? "a_to_b" : "b_to_a";
    e.slow = 1;
    e.total = 1;
    e.refs.push_back(describe_flow(flow));
    e.text = "a bad flow no fabric link explains (" + describe_flow(flow) + ", " +
             why[static_cast<std::size_t>(ref.stage)][static_cast<std::size_t>(ref.flow)] +
             "): the other flows over each of its links were healthy; noise, or a part the topology does not show";
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

std::vector<Finding> fabric_findings(const std::vector<FabricFlowSample>& flows, const FabricOptions& options) {
  std::map<std::string, std::vector<const FabricFlowSample*>> by_test;
  for (const FabricFlowSample& f : flows) by_test[f.test].push_back(&f);
  std::vector<Finding> findings;
  for (const auto& [test, members] : by_test) {
    for (Finding& f : judge_test(members, options)) findings.push_back(std::move(f));
  }
  return findings;
}

}  // namespace railcheck::analysis
