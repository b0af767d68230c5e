#include "railcheck/analysis/fabric_flows.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "railcheck/analysis/robust_stats.h"
#include "railcheck/fabric/gray_fit.h"
#include "railcheck/fabric/switch_rule.h"
#include "railcheck/fabric/tomography.h"

namespace railcheck::analysis {
namespace {

double median_flow_gbps(const std::vector<const FabricFlowSample*>& flows) {
  std::vector<double> rates;
  for (const FabricFlowSample* f : flows) {
    if (f->ok) rates.push_back(f->gbps);
  }
  return rates.empty() ? 0.0 : median(rates);
}

/// The two endpoints of a flow, the key under which a re-measured flow meets the one it repeats.
using PairKey = std::tuple<std::string, std::string, std::string, std::string, int>;
PairKey pair_of(const FabricFlowSample& flow) {
  return {flow.src_host, flow.src_nic, flow.dst_host, flow.dst_nic, flow.rail};
}

std::string describe_flow(const FabricFlowSample& flow) {
  std::string text = "stage " + std::to_string(flow.stage) + ": " + flow.src_host + " -> " + flow.dst_host + " ";
  if (!flow.ok) return text + "failed";
  text += format_value(flow.gbps, "bw_gbps");
  if (flow.loss_rate && *flow.loss_rate > 0) text += ", " + format_percent(*flow.loss_rate, 2) + " retransmitted";
  return text;
}

/// An ECMP hop's alternatives: "a -> b | c -> d" is {"a -> b", "c -> d"}; a plain link is itself.
std::vector<std::string> ecmp_alternatives(const std::string& hop) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (true) {
    const auto bar = hop.find(" | ", from);
    out.push_back(hop.substr(from, bar == std::string::npos ? std::string::npos : bar - from));
    if (bar == std::string::npos) return out;
    from = bar + 3;
  }
}

std::string split_from(const std::string& link) { return link.substr(0, link.find(" -> ")); }
std::string split_to(const std::string& link) {
  const auto at = link.find(" -> ");
  return at == std::string::npos ? std::string() : link.substr(at + 4);
}

std::vector<Finding> judge_test(const std::vector<const FabricFlowSample*>& flows, const FabricOptions& options) {
  const double median_gbps = median_flow_gbps(flows);

  // Stages as the solver sees them: flows by stage, links numbered by name in first-seen order. A stage whose
  // every flow repeats the two endpoints of an earlier bad flow is the executor's re-measure of bad flows no
  // link explained: the same path twice is not two pieces of evidence, so its flows stay out of the solver and
  // only judge the flows they repeat (below).
  std::map<int, std::vector<const FabricFlowSample*>> by_stage;
  std::map<PairKey, std::vector<const FabricFlowSample*>> remeasured;  // by the pair they measured again
  {
    std::map<int, std::vector<const FabricFlowSample*>> all_stages;
    for (const FabricFlowSample* f : flows) all_stages[f->stage].push_back(f);
    std::set<PairKey> bad_pairs;  // of the solver's stages so far
    for (const auto& [stage, members] : all_stages) {
      const bool repeats_bad = std::all_of(members.begin(), members.end(),
                                           [&](const FabricFlowSample* f) { return bad_pairs.contains(pair_of(*f)); });
      if (repeats_bad) {
        for (const FabricFlowSample* f : members) remeasured[pair_of(*f)].push_back(f);
        continue;
      }
      by_stage[stage] = members;
      for (const FabricFlowSample* f : members) {
        if (!badness(*f, median_gbps, options).empty()) bad_pairs.insert(pair_of(*f));
      }
    }
  }
  // A route's hop is one directed link, or under ECMP several ("a -> b | c -> d": the flow took one of them).
  std::map<std::string, int> link_id;
  std::vector<std::string> link_name;
  std::vector<std::vector<std::vector<std::vector<int>>>> hops;  // [stage][flow][hop]: what the solver judges
  std::vector<std::vector<std::vector<int>>> routes;             // [stage][flow]: every link a flow may have crossed
  std::vector<std::vector<std::vector<int>>> certain;            // [stage][flow]: the links it is known to have crossed
  std::vector<std::vector<std::vector<std::string>>> acks;       // [stage][flow]: every link its ACKs may have crossed
  std::vector<std::vector<bool>> bad;
  std::vector<std::vector<const FabricFlowSample*>> flow_at;
  std::vector<std::vector<std::string>> why;
  auto id_of = [&](const std::string& name) {
    const auto [it, added] = link_id.try_emplace(name, static_cast<int>(link_name.size()));
    if (added) link_name.push_back(name);
    return it->second;
  };
  for (const auto& [stage, members] : by_stage) {
    hops.emplace_back();
    routes.emplace_back();
    certain.emplace_back();
    acks.emplace_back();
    bad.emplace_back();
    flow_at.push_back(members);
    why.emplace_back();
    for (const FabricFlowSample* f : members) {
      std::vector<std::vector<int>> flow_hops;
      std::vector<int> route, known;
      for (const std::string& hop : f->route) {
        std::vector<int> alternatives;
        for (const std::string& name : ecmp_alternatives(hop)) alternatives.push_back(id_of(name));
        route.insert(route.end(), alternatives.begin(), alternatives.end());
        if (alternatives.size() == 1) known.push_back(alternatives.front());
        flow_hops.push_back(std::move(alternatives));
      }
      hops.back().push_back(std::move(flow_hops));
      routes.back().push_back(std::move(route));
      certain.back().push_back(std::move(known));
      std::vector<std::string> back;
      for (const std::string& hop : f->return_route) {
        for (std::string& name : ecmp_alternatives(hop)) back.push_back(std::move(name));
      }
      acks.back().push_back(std::move(back));
      why.back().push_back(badness(*f, median_gbps, options));
      bad.back().push_back(!why.back().back().empty());
    }
  }
  fabric::TomographyOptions solver;
  solver.slow_share = options.slow_share;
  solver.min_margin = options.min_margin;
  fabric::TomographyResult result = fabric::boolean_tomography_hops(link_name.size(), hops, bad, solver);
  // The device rule: a switch every flow through which was slow is named instead of the links of it the solver
  // picked. A link's ends by name: "leaf1:4" is port 4 of switch leaf1, "node1/fab0" a NIC.
  std::map<std::string, int> device_id;
  std::vector<std::string> device_name;
  std::vector<bool> is_switch;
  auto device_of = [&](const std::string& end) {
    const auto colon = end.rfind(':');
    const std::string name = colon == std::string::npos ? end : end.substr(0, colon);
    const auto [it, added] = device_id.try_emplace(name, static_cast<int>(device_name.size()));
    if (added) {
      device_name.push_back(name);
      is_switch.push_back(colon != std::string::npos);
    }
    return it->second;
  };
  std::vector<fabric::LinkEnds> ends;
  for (const std::string& name : link_name) ends.push_back({device_of(split_from(name)), device_of(split_to(name))});
  const std::vector<fabric::NamedSwitch> switches = fabric::name_switches(ends, is_switch, certain, bad, result);

  // What each named class stands on: the bad flows over its (first) link and their median rate (a failed flow 0).
  struct Named {
    const fabric::NamedFault* fault;
    int link;
    std::vector<fabric::FlowRef> bad_flows;
    double bad_median = 0.0;
    const Named* shadow_of = nullptr;  ///< the named link whose slowness this one's bad flows only echo
  };
  auto crosses = [&](const fabric::FlowRef& r, int link) {
    const auto& route = routes[static_cast<std::size_t>(r.stage)][static_cast<std::size_t>(r.flow)];
    return std::find(route.begin(), route.end(), link) != route.end();
  };
  auto flow_of = [&](const fabric::FlowRef& r) -> const FabricFlowSample& {
    return *flow_at[static_cast<std::size_t>(r.stage)][static_cast<std::size_t>(r.flow)];
  };
  auto rate_of = [&](const fabric::FlowRef& r) { return flow_of(r).ok ? flow_of(r).gbps : 0.0; };
  std::vector<Named> named;
  for (const fabric::NamedFault& fault : result.faults) {
    Named n{&fault, fault.links.front(), {}, 0.0, nullptr};
    std::vector<double> rates;
    for (std::size_t st = 0; st < routes.size(); ++st) {
      for (std::size_t f = 0; f < routes[st].size(); ++f) {
        const fabric::FlowRef r{static_cast<int>(st), static_cast<int>(f)};
        if (!bad[st][f] || !crosses(r, n.link)) continue;
        n.bad_flows.push_back(r);
        rates.push_back(rate_of(r));
      }
    }
    n.bad_median = rates.empty() ? 0.0 : median(rates);
    named.push_back(std::move(n));
  }
  // A link slow one way also slows the flows whose acknowledgements it carries (TCP's ACK clock; RDMA RC's
  // ACKs too, far less): their forward links then look bad. Such a link is the slower one's shadow when every
  // bad flow over it sends its acknowledgements over that link and runs at least ack_shadow_ratio times faster.
  // Under ECMP the acknowledgements' hop may be a group: crossing one of its links counts (they may have).
  auto acks_cross = [&](const fabric::FlowRef& r, const Named& root) {
    const std::vector<std::string>& back = acks[static_cast<std::size_t>(r.stage)][static_cast<std::size_t>(r.flow)];
    return std::find(back.begin(), back.end(), link_name[static_cast<std::size_t>(root.link)]) != back.end();
  };
  auto shadows = [&](const std::vector<fabric::FlowRef>& flows_, double rate, const Named& root) {
    return rate > 0 && rate >= options.ack_shadow_ratio * root.bad_median &&
           std::all_of(flows_.begin(), flows_.end(), [&](const fabric::FlowRef& r) { return acks_cross(r, root); });
  };
  std::vector<Named*> slowest_first;
  for (Named& n : named) slowest_first.push_back(&n);
  std::stable_sort(slowest_first.begin(), slowest_first.end(),
                   [](const Named* a, const Named* b) { return a->bad_median < b->bad_median; });
  for (Named* n : slowest_first) {
    for (const Named* root : slowest_first) {
      if (root == n) break;
      if (root->shadow_of == nullptr && shadows(n->bad_flows, n->bad_median, *root)) {
        n->shadow_of = root;
        break;
      }
    }
  }

  std::vector<Finding> findings;
  const std::string test = flows.front()->test;
  const std::string expected_from = "median of the " + std::to_string(flows.size()) + " flows of fabric test " + test;
  for (const fabric::NamedSwitch& sw : switches) {
    Finding finding;
    finding.component = make_fabric_switch(device_name[static_cast<std::size_t>(sw.device)]);
    finding.status = VerdictStatus::kFail;
    Evidence& e = finding.evidence;
    e.source = "fabric";
    e.metric = "fabric.bw bw_gbps";
    e.expected = median_gbps;
    e.expected_from = expected_from;
    e.total = sw.total;
    e.slow = static_cast<int>(sw.flows.size());
    std::vector<double> rates;
    for (const fabric::FlowRef& r : sw.flows) {
      rates.push_back(rate_of(r));
      e.size_bytes = flow_of(r).size_bytes;
      e.refs.push_back(describe_flow(flow_of(r)) + " (" +
                       why[static_cast<std::size_t>(r.stage)][static_cast<std::size_t>(r.flow)] + ")");
    }
    e.measured = rates.empty() ? 0.0 : median(rates);
    e.deviation = median_gbps > 0 ? (e.measured - median_gbps) / median_gbps : 0.0;
    std::vector<std::string> ports;
    for (const int l : sw.links) ports.push_back(link_name[static_cast<std::size_t>(l)]);
    e.text = label(finding.component) + ": " + std::to_string(e.slow) + " of " + std::to_string(e.total) +
             " flows through it bad, over every port (" + format_list(e.refs, 4, "; ") +
             "); the fabric test's median flow " + format_value(median_gbps, "bw_gbps") +
             "; the switch, not a cable: its links the flows name (" + format_list(ports, 6) + ") share only it";
    findings.push_back(std::move(finding));
  }
  for (const Named& n : named) {
    const int link = n.link;
    // An ECMP bundle: no flow is known to have crossed its first link; each crossed one of the bundle's links.
    const bool bundle = n.fault->links.size() > 1 &&
                        std::none_of(n.bad_flows.begin(), n.bad_flows.end(), [&](const fabric::FlowRef& r) {
                          const auto& known =
                              certain[static_cast<std::size_t>(r.stage)][static_cast<std::size_t>(r.flow)];
                          return std::find(known.begin(), known.end(), link) != known.end();
                        });
    Finding finding;
    finding.component = make_fabric_link(split_from(link_name[static_cast<std::size_t>(link)]),
                                         split_to(link_name[static_cast<std::size_t>(link)]));
    finding.status = n.shadow_of ? VerdictStatus::kPass : VerdictStatus::kFail;
    Evidence& e = finding.evidence;
    e.source = "fabric";
    e.direction = "a_to_b";
    e.expected = median_gbps;
    e.expected_from = expected_from;
    bool lossy = false;
    double worst_loss = 0.0;
    for (std::size_t st = 0; st < routes.size(); ++st) {
      for (std::size_t f = 0; f < routes[st].size(); ++f) {
        const fabric::FlowRef r{static_cast<int>(st), static_cast<int>(f)};
        if (!crosses(r, link)) continue;
        const FabricFlowSample& flow = flow_of(r);
        ++e.total;
        e.size_bytes = flow.size_bytes;
        e.refs.push_back(describe_flow(flow) + (why[st][f].empty() ? " (healthy)" : " (" + why[st][f] + ")"));
        if (!bad[st][f]) continue;
        ++e.slow;
        if (why[st][f].ends_with("lossy")) lossy = true;
        if (flow.loss_rate) worst_loss = std::max(worst_loss, *flow.loss_rate);
      }
    }
    if (lossy) {
      e.metric = "fabric.bw retrans_rate";
      e.measured = worst_loss;
      e.expected = options.loss_floor;
      e.expected_from =
          "at most " + format_percent(options.loss_floor, 2) + " retransmitted (analysis.fabric.loss_floor)";
    } else {
      e.metric = "fabric.bw bw_gbps";
      e.measured = n.bad_median;
      e.deviation = median_gbps > 0 ? (e.measured - median_gbps) / median_gbps : 0.0;
    }
    // What the flows show, said of the link (or, for an ECMP bundle, of its group).
    const std::string shown = std::to_string(e.slow) + " of " + std::to_string(e.total) + " flows over " +
                              (bundle ? "the group " : "it ") + (lossy ? "lost packets" : "slow") + " (" +
                              format_list(e.refs, 4, "; ") + "); the fabric test's median flow " +
                              format_value(median_gbps, "bw_gbps");
    e.text = label(finding.component) + ": " + shown;
    if (n.shadow_of) {
      e.text += "; explained by " +
                label(make_fabric_link(split_from(link_name[static_cast<std::size_t>(n.shadow_of->link)]),
                                       split_to(link_name[static_cast<std::size_t>(n.shadow_of->link)]))) +
                ", which fails: these flows' acknowledgements cross it, and its own flows ran " +
                format_value(n.shadow_of->bad_median, "bw_gbps");
    } else if (!bundle) {
      e.text += "; every other link on their paths carried a healthy flow";
      std::vector<std::string> echoes;
      for (const Named& other : named) {
        if (other.shadow_of == &n) echoes.push_back(link_name[static_cast<std::size_t>(other.link)]);
      }
      if (!echoes.empty()) {
        e.text += "; it also slowed the flows whose acknowledgements it carries (over " + format_list(echoes, 4) + ")";
      }
    }
    if (bundle) {
      // Which member is slow is unknown: every member fails, each saying the group is where to look.
      std::vector<std::string> members;
      for (const int l : n.fault->links) members.push_back(link_name[static_cast<std::size_t>(l)]);
      for (const int l : n.fault->links) {
        Finding member = finding;
        member.component = make_fabric_link(split_from(link_name[static_cast<std::size_t>(l)]),
                                            split_to(link_name[static_cast<std::size_t>(l)]));
        member.evidence.text = label(member.component) + ": one of the ECMP group " + format_list(members, 8, "; ") +
                               " is slow: " + shown +
                               "; ECMP hashed these flows over the group and their paths were not traced: check "
                               "each of its links, or re-run with known routes (--routes with the forwarding tables)";
        findings.push_back(std::move(member));
      }
      continue;
    }
    if (n.fault->links.size() > 1) {
      std::vector<std::string> others;
      for (std::size_t i = 1; i < n.fault->links.size(); ++i) {
        others.push_back(link_name[static_cast<std::size_t>(n.fault->links[i])]);
      }
      e.text += "; the plan cannot tell it from " + format_list(others, 8) + ": check those too";
    }
    findings.push_back(std::move(finding));
  }
  // Gray links: partly slow, too little for the slow / healthy split (a lane down, a tired transceiver), fitted
  // from the flows that were not bad. Links already named (or passed as a shadow) are left to that finding; a
  // link whose below-par flows all send their acknowledgements over a failing named link is that link's echo.
  if (options.gray_below > 0 && median_gbps > 0) {
    std::vector<std::vector<int>> every_route;
    std::vector<double> relative;
    std::vector<fabric::FlowRef> refs;
    for (std::size_t st = 0; st < routes.size(); ++st) {
      for (std::size_t f = 0; f < routes[st].size(); ++f) {
        if (bad[st][f]) continue;  // judged by the slow / healthy pass; one noisy flow must not make links gray
        const fabric::FlowRef r{static_cast<int>(st), static_cast<int>(f)};
        every_route.push_back(certain[st][f]);  // an ECMP hop's links are not known to be on it
        relative.push_back(rate_of(r) / median_gbps);
        refs.push_back(r);
      }
    }
    const std::vector<double> factor = fabric::fit_gray_links(link_name.size(), every_route, relative);
    std::set<int> mentioned;
    for (const Named& n : named) mentioned.insert(n.fault->links.begin(), n.fault->links.end());
    for (std::size_t l = 0; l < factor.size(); ++l) {
      if (factor[l] >= options.gray_below || mentioned.contains(static_cast<int>(l))) continue;
      std::vector<fabric::FlowRef> below;
      for (std::size_t k = 0; k < refs.size(); ++k) {
        if (crosses(refs[k], static_cast<int>(l)) && relative[k] < options.gray_below) below.push_back(refs[k]);
      }
      const bool echo = std::any_of(named.begin(), named.end(), [&](const Named& root) {
        return root.shadow_of == nullptr &&
               std::all_of(below.begin(), below.end(), [&](const fabric::FlowRef& r) { return acks_cross(r, root); });
      });
      if (echo && !below.empty()) continue;
      Finding finding;
      finding.component = make_fabric_link(split_from(link_name[l]), split_to(link_name[l]));
      finding.status = VerdictStatus::kWarn;
      Evidence& e = finding.evidence;
      e.source = "fabric";
      e.metric = "fabric.bw gray_factor";
      e.direction = "a_to_b";
      e.measured = factor[l];
      e.expected = 1.0;
      e.expected_from = "the gray fit of every flow's rate over the test's median (analysis.fabric.gray_below " +
                        format_number(options.gray_below) + ")";
      e.deviation = factor[l] - 1.0;
      for (std::size_t k = 0; k < refs.size(); ++k) {
        if (!crosses(refs[k], static_cast<int>(l))) continue;
        ++e.total;
        if (relative[k] < options.gray_below) ++e.slow;
        e.size_bytes = flow_of(refs[k]).size_bytes;
        e.refs.push_back(describe_flow(flow_of(refs[k])));
      }
      e.text = label(finding.component) + ": partly slow, about " + format_percent(factor[l], 0) +
               " of normal speed by the fit of every flow (" + format_list(e.refs, 4, "; ") + "; the test's median " +
               format_value(median_gbps, "bw_gbps") +
               "): too little for a slow flow, enough for a lane down or a tired transceiver";
      findings.push_back(std::move(finding));
    }
  }
  for (const fabric::FlowRef& ref : result.unexplained) {
    const FabricFlowSample& flow = flow_of(ref);
    // Its forward links all carried healthy flows; if its acknowledgements crossed a failing link, that is what
    // slowed it (a lossy link drops ACKs too, and a flow losing 3 % of its ACKs can run slower than the lossy
    // link's own flows, so no rate ratio is asked here): said on that link, not a pair to re-test.
    const bool echo = std::any_of(named.begin(), named.end(), [&](const Named& root) {
      return root.shadow_of == nullptr && acks_cross(ref, root);
    });
    if (echo) continue;
    // The same two endpoints measured again in another stage (the executor re-measures a bad flow no link
    // explains): healthy every other time, it was a dip of the moment; an earlier bad one speaks for both.
    const PairKey pair = pair_of(flow);
    std::vector<const FabricFlowSample*> again;
    bool bad_before = false;
    for (std::size_t s = 0; s < flow_at.size(); ++s) {
      for (std::size_t f = 0; f < flow_at[s].size(); ++f) {
        if (static_cast<int>(s) == ref.stage || pair_of(*flow_at[s][f]) != pair) continue;
        if (static_cast<int>(s) > ref.stage) {
          again.push_back(flow_at[s][f]);
        } else if (!why[s][f].empty()) {
          bad_before = true;
        }
      }
    }
    if (bad_before) continue;
    if (const auto it = remeasured.find(pair); it != remeasured.end()) {
      again.insert(again.end(), it->second.begin(), it->second.end());
    }
    std::vector<std::string> again_why;
    int bad_again = 0;
    for (const FabricFlowSample* o : again) {
      again_why.push_back(badness(*o, median_gbps, options));
      bad_again += again_why.back().empty() ? 0 : 1;
    }
    const bool healthy_again = !again.empty() && bad_again == 0;
    Finding finding;
    finding.component = make_link(flow.src_host, flow.src_nic, flow.dst_host, flow.dst_nic, flow.rail);
    finding.status = healthy_again ? VerdictStatus::kPass : VerdictStatus::kWarn;
    Evidence& e = finding.evidence;
    e.source = "fabric";
    e.metric = "fabric.bw bw_gbps";
    e.size_bytes = flow.size_bytes;
    e.measured = rate_of(ref);
    e.expected = median_gbps;
    e.expected_from = expected_from;
    e.deviation = median_gbps > 0 ? (e.measured - median_gbps) / median_gbps : 0.0;
    e.direction =
        finding.component.host == flow.src_host && finding.component.nic == flow.src_nic ? "a_to_b" : "b_to_a";
    e.slow = 1;
    e.total = 1;
    e.refs.push_back(describe_flow(flow));
    e.text = "a bad flow no fabric link explains (" + describe_flow(flow) + ", " +
             why[static_cast<std::size_t>(ref.stage)][static_cast<std::size_t>(ref.flow)] +
             "): the other flows over each of its links were healthy";
    std::string measured_again;
    for (std::size_t i = 0; i < again.size(); ++i) {
      e.refs.push_back(describe_flow(*again[i]));
      measured_again += (measured_again.empty() ? "" : "; ") + describe_flow(*again[i]) +
                        (again_why[i].empty() ? ", healthy" : ", " + again_why[i]);
    }
    e.total += static_cast<int>(again.size());
    e.slow += bad_again;
    if (healthy_again) {
      e.text += "; measured again (" + measured_again + "): a dip of the moment, not a part";
    } else if (!again.empty()) {
      e.text += "; bad again when measured again (" + measured_again +
                "): a part the topology does not show, or noise on that pair";
    } else {
      e.text += "; noise, or a part the topology does not show";
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

}  // namespace

std::string badness(const FabricFlowSample& flow, double median_gbps, const FabricOptions& options) {
  if (!flow.ok) return "failed: " + flow.error;
  const bool slow = flow.gbps < options.slow_ratio * median_gbps;
  const bool lossy = flow.loss_rate && *flow.loss_rate > options.loss_floor;
  return slow && lossy ? "slow, lossy" : slow ? "slow" : lossy ? "lossy" : "";
}

std::vector<bool> bad_fabric_flows(const std::vector<FabricFlowSample>& flows, const FabricOptions& options) {
  std::vector<const FabricFlowSample*> all;
  for (const FabricFlowSample& f : flows) all.push_back(&f);
  const double median_gbps = median_flow_gbps(all);
  std::vector<bool> bad;
  for (const FabricFlowSample& f : flows) bad.push_back(!badness(f, median_gbps, options).empty());
  return bad;
}

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
