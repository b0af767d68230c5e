#include "railcheck/p2p/fabric_stages.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

#include "railcheck/analysis/fabric_flows.h"
#include "railcheck/core/error.h"
#include "railcheck/fabric/confirm_stage.h"
#include "railcheck/fabric/dmodk_fabric.h"
#include "railcheck/fabric/ecmp_routes.h"
#include "railcheck/fabric/fabric_input.h"
#include "railcheck/fabric/forwarding_tables.h"
#include "railcheck/fabric/lft_fabric.h"
#include "railcheck/fabric/stage_plan.h"
#include "railcheck/p2p/p2p_measure.h"
#include "railcheck/p2p/p2p_session.h"
#include "railcheck/plan/sizes.h"
#include "railcheck/record/record_kinds.h"

namespace railcheck {
namespace {

std::string short_host(const std::string& host) { return host.substr(0, host.find('.')); }

double now_unix_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", seconds);
  return text;
}

/// A route as its record carries it: each hop's link ("leaf1:4 -> spine2:1"), an ECMP hop's candidates joined
/// by " | " (analysis/fabric_flows.h reads them back).
std::vector<std::string> hop_names(const fabric::Fabric& fab, const std::vector<std::vector<int>>& hops) {
  std::vector<std::string> out;
  for (const std::vector<int>& hop : hops) {
    std::string text;
    for (const int link : hop) text += (text.empty() ? "" : " | ") + fab.describe(link);
    out.push_back(std::move(text));
  }
  return out;
}

/// One side of one flow on this rank: the connection, its buffers, and what went wrong ("" nothing).
struct FlowSide {
  std::unique_ptr<Endpoint> endpoint;
  std::unique_ptr<PairBuffers> buffers;
  long count = 0;
  std::string error;
};

/// Runs `work` on `side`, turning any exception into the side's error (once one failed, later steps are skipped).
template <typename Work>
void guarded(FlowSide& side, const Work& work) {
  if (!side.error.empty()) return;
  try {
    work();
  } catch (const std::exception& e) {
    side.error = e.what();
  }
}

StreamPlan stream_plan(const P2pOptions& o, bool sending, long count, double timeout_s) {
  StreamPlan plan;
  plan.op = transfer_of(o);
  plan.bytes = o.size_bytes;
  const bool reading = plan.op == TransferOp::kRead;
  const bool posts = reading ? !sending : sending;  // read: the data's receiver posts
  plan.mine = posts ? count : 0;
  plan.theirs = posts ? 0 : count;
  plan.depth = o.tx_depth * per_connection_lanes(o);
  plan.stall_s = timeout_s;
  return plan;
}

/// Runs one stage's flows on this rank (collective): listen, connect and accept on two threads, warm up, agree
/// the count, the start barrier, every flow at once. Returns, on rank 0, each rank's records as JSON arrays.
struct StageRunner {
  const P2pTestSpec& spec;
  const fabric::RoutedFabric& topology;
  const std::vector<int>& rank_of;
  const Bootstrap& bootstrap;
  P2pSession& session;
  double timeout_s;

  std::vector<std::string> run(const fabric::Stage& stage, int index) const {
    const fabric::Fabric& fab = topology.fabric();
    const P2pOptions& o = spec.options;
    Transport& transport = session.transport();
    const int dev = session.device();
    const int me = bootstrap.rank();
    const int lanes = per_connection_lanes(o);
    const long warm = static_cast<long>(o.tx_depth) * lanes;
    const fabric::Flow* out_flow = nullptr;
    const fabric::Flow* in_flow = nullptr;
    for (const fabric::Flow& f : stage.flows) {
      if (rank_of[static_cast<std::size_t>(f.src)] == me) out_flow = &f;
      if (rank_of[static_cast<std::size_t>(f.dst)] == me) in_flow = &f;
    }
    const int dst_rank = out_flow ? rank_of[static_cast<std::size_t>(out_flow->dst)] : -1;
    FlowSide sending, receiving;
    // Listen here, before two threads use the transport (verbs opens its device state on first use).
    std::unique_ptr<ListenComm> listen;
    std::string handle_bytes;
    if (in_flow) {
      guarded(receiving, [&] {
        listen = transport.listen(dev);
        const auto bytes = listen->handle().bytes();
        handle_bytes.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      });
    }
    const auto handles = bootstrap.allgather_strings(handle_bytes);
    auto set_up_receiving = [&] {
      guarded(receiving, [&] {
        receiving.endpoint = transport.accept(std::move(listen));
        receiving.buffers = std::make_unique<PairBuffers>(*receiving.endpoint, o.size_bytes);
        timed_stream(*receiving.endpoint, *receiving.buffers, stream_plan(o, false, warm, timeout_s));
        receiving.count = agree_count(*receiving.endpoint, *receiving.buffers, false, 0, timeout_s);
      });
    };
    auto set_up_sending = [&] {
      guarded(sending, [&] {
        const std::string& bytes = handles[static_cast<std::size_t>(dst_rank)];
        if (bytes.empty()) throw Error(rank_name(bootstrap, dst_rank) + " could not listen; see its record");
        const auto handle =
            ListenHandle::from_bytes(std::span(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()));
        sending.endpoint = transport.connect(dev, handle, rank_name(bootstrap, dst_rank));
        sending.buffers = std::make_unique<PairBuffers>(*sending.endpoint, o.size_bytes);
        const StreamTiming warmup =
            timed_stream(*sending.endpoint, *sending.buffers, stream_plan(o, true, warm, timeout_s));
        const long count = o.duration_s > 0 ? count_for_duration(warmup, warm, o.duration_s, lanes)
                                            : static_cast<long>(o.iters) * lanes;
        sending.count = agree_count(*sending.endpoint, *sending.buffers, true, count, timeout_s);
      });
    };
    {  // connect and warm up both sides at once: a ring of connects would wait on each other's accepts
      std::jthread receiver([&] {
        if (in_flow) set_up_receiving();
      });
      if (out_flow) set_up_sending();
    }
    bootstrap.quiet_barrier();  // the start barrier: every flow of the stage runs at the same time
    P2pRecord record;
    {
      std::jthread receiver([&] {
        if (in_flow) {
          guarded(receiving, [&] {
            timed_stream(*receiving.endpoint, *receiving.buffers, stream_plan(o, false, receiving.count, timeout_s));
          });
        }
      });
      if (out_flow) {
        const NicInfo& mine = session.nic_of(me);
        const NicInfo& theirs = session.nic_of(dst_rank);
        record.test = spec.name;
        record.phase = "fabric";
        record.op = P2pOp::kBandwidth;
        record.transport = o.transport;
        record.transfer = std::string(name_of(transfer_of(o)));
        record.round = index;
        record.src_rank = me;
        record.dst_rank = dst_rank;
        record.src_host = bootstrap.ranks()[static_cast<std::size_t>(me)].host;
        record.dst_host = bootstrap.ranks()[static_cast<std::size_t>(dst_rank)].host;
        record.src_nic = mine.name;
        record.dst_nic = theirs.name;
        record.src_addr = mine.address;
        record.dst_addr = theirs.address;
        record.rail = std::max(0, fab.device(topology.nic_device(out_flow->src)).rail);
        record.size_bytes = o.size_bytes;
        record.streams = o.streams;
        record.tx_depth = o.tx_depth;
        record.cq_mod = cq_mod_of(o);
        record.route = hop_names(fab, topology.route_hops(out_flow->src, out_flow->dst));
        record.return_route = hop_names(fab, topology.route_hops(out_flow->dst, out_flow->src));
        guarded(sending, [&] {
          const LossCounters before = sending.endpoint->loss_counters();
          const StreamTiming t =
              timed_stream(*sending.endpoint, *sending.buffers, stream_plan(o, true, sending.count, timeout_s));
          const LossCounters after = sending.endpoint->loss_counters();
          record.iters = static_cast<int>(sending.count / lanes);
          record.start_unix_s = t.start_unix_s;
          record.end_unix_s = t.end_unix_s;
          record.bw_gbps = static_cast<double>(sending.count) * static_cast<double>(o.size_bytes) / t.seconds / 1e9;
          record.loss = loss_between(before, after);
        });
        if (!sending.error.empty()) {
          record.ok = false;
          record.error = sending.error;
          record.start_unix_s = record.end_unix_s = now_unix_s();
        }
      }
    }
    // Connections close before the next stage opens its own.
    sending = FlowSide{};
    receiving = FlowSide{};
    const std::string mine_json = out_flow ? nlohmann::json::array({to_json(record)}).dump() : "[]";
    return bootstrap.gather_strings(mine_json, 0);
  }
};

/// A stage's flows as text for the broadcast ("src dst" per line) and back.
std::string encode_flows(const std::vector<fabric::Flow>& flows) {
  std::string text;
  for (const fabric::Flow& f : flows) text += std::to_string(f.src) + " " + std::to_string(f.dst) + "\n";
  return text;
}

std::vector<fabric::Flow> decode_flows(const std::string& text) {
  std::vector<fabric::Flow> flows;
  std::istringstream in(text);
  fabric::Flow f;
  while (in >> f.src >> f.dst) flows.push_back(f);
  return flows;
}

/// Every flow so far as the solver sees it (each judged bad or healthy by the rule the verdicts use,
/// analysis/fabric_flows.h), and what the solver made of them.
struct SolvedSoFar {
  fabric::Measured measured;
  fabric::TomographyResult solved;
  fabric::TomographyOptions solver;
};

SolvedSoFar solve_so_far(const fabric::RoutedFabric& topology, const std::vector<int>& endpoint_of,
                         const std::vector<fabric::Stage>& ran, const nlohmann::json& records,
                         const analysis::FabricOptions& options) {
  SolvedSoFar out;
  fabric::Measured& measured = out.measured;
  std::vector<std::map<int, std::size_t>> flow_from;  // per stage: source endpoint -> its flow (one each)
  for (const fabric::Stage& stage : ran) {
    measured.stages.push_back(stage);
    measured.routes.emplace_back();
    flow_from.emplace_back();
    for (const fabric::Flow& f : stage.flows) {
      flow_from.back()[f.src] = measured.routes.back().size();
      measured.routes.back().push_back(topology.route(f.src, f.dst));
    }
    measured.slow.emplace_back(stage.flows.size(), false);
  }
  const std::vector<analysis::FabricFlowSample> samples = analysis::samples_from_records(records).fabric_flows;
  const std::vector<bool> bad = analysis::bad_fabric_flows(samples, options);
  for (std::size_t i = 0; i < records.size() && i < bad.size(); ++i) {
    const auto stage = records[i].at("round").get<std::size_t>();
    const int src = endpoint_of.at(records[i].at("src_rank").get<std::size_t>());
    if (stage >= ran.size()) continue;
    const auto flow = flow_from[stage].find(src);
    if (flow != flow_from[stage].end()) measured.slow[stage][flow->second] = bad[i];
  }
  out.solver.slow_share = options.slow_share;
  out.solver.min_margin = options.min_margin;
  out.solved = fabric::boolean_tomography(topology.fabric().links().size(), measured.routes, measured.slow, out.solver);
  return out;
}

/// Rank 0: the next confirmation stage's flows (fabric/confirm_stage.h), planned from every flow so far, over
/// endpoints with a rank.
std::vector<fabric::Flow> confirm_flows(const fabric::RoutedFabric& topology, const std::vector<int>& rank_of,
                                        const std::vector<int>& endpoint_of, const std::vector<fabric::Stage>& ran,
                                        const nlohmann::json& records, const analysis::FabricOptions& options,
                                        int index) {
  const SolvedSoFar so_far = solve_so_far(topology, endpoint_of, ran, records, options);
  fabric::ConfirmOptions confirm;
  confirm.seed = static_cast<std::uint64_t>(index) + 1;
  for (const int rank : rank_of) confirm.usable.push_back(rank >= 0);
  return fabric::plan_confirm_stage(topology, so_far.measured, so_far.solved, so_far.solver, confirm).flows;
}

/// Rank 0: the bad flows no link explains (every link on their path carried a healthy flow: a dip of the
/// moment, or a part the topology does not show), each once more between the same two endpoints, as many as
/// fit one stage (an endpoint sends one flow and receives one). The verdicts pass one re-measured healthy.
std::vector<fabric::Flow> remeasure_flows(const fabric::RoutedFabric& topology, const std::vector<int>& endpoint_of,
                                          const std::vector<fabric::Stage>& ran, const nlohmann::json& records,
                                          const analysis::FabricOptions& options) {
  const SolvedSoFar so_far = solve_so_far(topology, endpoint_of, ran, records, options);
  std::vector<fabric::Flow> flows;
  std::set<int> sending, receiving;
  for (const fabric::FlowRef& ref : so_far.solved.unexplained) {
    const fabric::Flow& flow = ran.at(static_cast<std::size_t>(ref.stage)).flows.at(static_cast<std::size_t>(ref.flow));
    if (sending.contains(flow.src) || receiving.contains(flow.dst)) continue;
    sending.insert(flow.src);
    receiving.insert(flow.dst);
    flows.push_back(flow);
  }
  return flows;
}

/// What rank 0 notes before any traffic: the plan and what it can tell apart.
std::string plan_note(const std::string& test, const fabric::RoutedFabric& topology,
                      const std::vector<fabric::Stage>& plan) {
  if (!topology.routes_known()) {
    return test + ": " + std::to_string(topology.endpoints()) + " endpoints, " + std::to_string(plan.size()) +
           " stages, ECMP routes (untraced): each NIC's links are told apart, a switch-to-switch link only as one "
           "of its ECMP group (a leaf's uplinks, the downlinks into a leaf); flows hashed onto one link share it";
  }
  const fabric::Identifiability id = fabric::identifiability(topology.fabric(), plan, fabric::routes_of(topology));
  std::size_t covered = 0;
  for (const auto& c : id.classes) covered += c.size();
  const std::vector<int> leaf_of = fabric::leaf_of_endpoints(topology);
  const std::set<int> leaves(leaf_of.begin(), leaf_of.end());  // the switches the NICs plug into
  std::string text = test + ": " + std::to_string(topology.endpoints()) + " endpoints on " +
                     std::to_string(leaves.size()) + " leaves, " + std::to_string(plan.size()) + " stages (";
  for (std::size_t s = 0; s < plan.size(); ++s) text += (s ? ", " : "") + plan[s].name;
  text += "); of " + std::to_string(topology.fabric().links().size()) + " directed links " + std::to_string(covered) +
          " covered, " + std::to_string(id.singletons()) + " told apart one by one, " +
          std::to_string(id.classes.size() - id.singletons()) + " group(s) the plan cannot split (largest " +
          std::to_string(id.largest()) + "), " + std::to_string(id.uncovered.size()) + " uncovered";
  for (const auto& c : id.classes) {
    if (c.size() < 2) continue;
    text += "; grouped: ";
    for (std::size_t i = 0; i < c.size() && i < 4; ++i) text += (i ? " | " : "") + topology.fabric().describe(c[i]);
    if (c.size() > 4) text += " | ...";
    break;  // the first group as an example; the verdicts name the rest when they matter
  }
  return text;
}

}  // namespace

std::unique_ptr<fabric::RoutedFabric> load_run_fabric(const std::string& path, const std::string& routes_path) {
  if (routes_path.empty()) return std::make_unique<fabric::DmodkTwoTierFabric>(fabric::read_fabric_file(path), path);
  if (routes_path == "ecmp") {
    auto base = std::make_unique<fabric::DmodkTwoTierFabric>(fabric::read_fabric_file(path), path);
    try {
      return std::make_unique<fabric::EcmpFabric>(std::move(base));
    } catch (const std::invalid_argument& e) {
      throw InputError(path + ": " + e.what());
    }
  }
  return std::make_unique<fabric::LftFabric>(
      fabric::read_fabric_file(path),
      fabric::parse_forwarding_tables(fabric::read_fabric_text(routes_path), routes_path), routes_path);
}

std::vector<int> endpoints_of_ranks(const fabric::RoutedFabric& topology, const Bootstrap& bootstrap) {
  std::vector<int> out;
  for (const RankInfo& rank : bootstrap.ranks()) {
    std::vector<int> mine;
    for (int e = 0; e < topology.endpoints(); ++e) {
      if (topology.fabric().device(topology.nic_device(e)).host == short_host(rank.host)) mine.push_back(e);
    }
    int chosen = -1;
    for (const int e : mine) {
      if (topology.fabric().device(topology.nic_device(e)).rail == rank.local_rank) chosen = e;
    }
    if (chosen < 0 && rank.local_rank < static_cast<int>(mine.size())) chosen = mine[rank.local_rank];
    out.push_back(chosen);
  }
  return out;
}

void run_fabric_suite_test(const P2pTestSpec& spec, const fabric::RoutedFabric* topology,
                           const analysis::FabricOptions& fabric_options, const Bootstrap& bootstrap, double timeout_s,
                           Steps& steps, OutputSink& sink) {
  const bool root = bootstrap.rank() == 0;
  if (topology == nullptr) {
    if (root) {
      sink.note(NoteLevel::kSkip, spec.name +
                                      ": a fabric test needs the fabric: give `--topology FILE` "
                                      "(docs/fabric.md: railcheck-topo, ibnetdiscover or iblinkinfo output)");
    }
    return;
  }
  const fabric::Fabric& fab = topology->fabric();
  const std::vector<int> endpoint_of = endpoints_of_ranks(*topology, bootstrap);
  std::vector<int> rank_of(static_cast<std::size_t>(topology->endpoints()), -1);
  for (std::size_t r = 0; r < endpoint_of.size(); ++r) {
    if (endpoint_of[r] >= 0) rank_of[static_cast<std::size_t>(endpoint_of[r])] = static_cast<int>(r);
  }
  const int my_endpoint = endpoint_of[static_cast<std::size_t>(bootstrap.rank())];
  const std::string my_device = my_endpoint >= 0 ? fab.device(topology->nic_device(my_endpoint)).nic : "";

  std::optional<P2pSession> session;
  {
    const Steps::Scope step = steps.begin(StepKind::kSetup, spec.name + " transport set-up");
    session.emplace(bootstrap, spec.options, timeout_s, my_device);
  }
  if (!session->skip_reason().empty()) {
    if (root) sink.note(NoteLevel::kSkip, spec.name + ": " + session->skip_reason());
    return;
  }
  // The plan, less the flows whose ends have no rank here.
  std::vector<fabric::Stage> plan;
  for (int r = 0; r < spec.repeats; ++r) {
    for (fabric::Stage stage : fabric::thin_plan(topology->tiered_plan(), spec.thin)) {
      if (spec.repeats > 1) stage.name += " run " + std::to_string(r + 1);
      plan.push_back(std::move(stage));
    }
  }
  for (fabric::Stage& stage : plan) {
    std::erase_if(stage.flows, [&](const fabric::Flow& f) {
      return rank_of[static_cast<std::size_t>(f.src)] < 0 || rank_of[static_cast<std::size_t>(f.dst)] < 0;
    });
  }
  std::erase_if(plan, [](const fabric::Stage& s) { return s.flows.empty(); });
  if (root) {
    std::vector<std::string> absent;
    for (int e = 0; e < topology->endpoints(); ++e) {
      const fabric::Device& nic = fab.device(topology->nic_device(e));
      if (rank_of[static_cast<std::size_t>(e)] < 0) absent.push_back(nic.host + "/" + nic.nic);
    }
    if (!absent.empty()) {
      std::string text = spec.name + ": " + std::to_string(absent.size()) + " of " +
                         std::to_string(topology->endpoints()) +
                         " endpoints have no rank in this job; their flows are "
                         "left out (";
      for (std::size_t i = 0; i < absent.size() && i < 8; ++i) text += (i ? ", " : "") + absent[i];
      sink.note(NoteLevel::kWarning, text + (absent.size() > 8 ? ", ...)" : ")"));
    }
    if (plan.empty()) sink.note(NoteLevel::kSkip, spec.name + ": no flow of the plan has both ends in this job");
  }
  if (plan.empty()) return;
  if (root) sink.note(NoteLevel::kInfo, plan_note(spec.name, *topology, plan));

  const P2pOptions& o = spec.options;
  TestStart start;
  start.name = spec.name;
  start.kind = LineType::kP2p;
  start.nranks = bootstrap.size();
  start.description = {
      "railcheck fabric test: " + std::to_string(plan.size()) + " stages" +
          (spec.confirm_stages > 0 ? " + up to " + std::to_string(spec.confirm_stages) + " confirmation stage(s)"
                                   : std::string()) +
          " over " + o.transport + ", every endpoint one flow out and one in at once, -s " + format_size(o.size_bytes) +
          (o.duration_s > 0 ? ", -D " + seconds_text(o.duration_s) : ", -n " + std::to_string(o.iters)),
      "round  src -> dst  rail  op  size  x iters  result"};
  start.hosts = bootstrap.hosts();
  start.unit = o.unit;
  sink.begin_test(start);
  const StageRunner runner{spec, *topology, rank_of, bootstrap, *session, timeout_s};
  nlohmann::json records = nlohmann::json::array();  // rank 0: every flow's record so far
  std::vector<fabric::Stage> ran;
  auto run_stage = [&](const fabric::Stage& stage) {
    const int index = static_cast<int>(ran.size());
    const Steps::Scope step =
        steps.begin(StepKind::kRound, spec.name + " stage " + std::to_string(index) + " (" + stage.name + ")");
    for (const std::string& text : runner.run(stage, index)) {
      for (const auto& j : nlohmann::json::parse(text)) {
        sink.record(p2p_record_from_json(j));
        records.push_back(j);
      }
    }
    ran.push_back(stage);
    bootstrap.barrier();
  };
  for (const fabric::Stage& stage : plan) run_stage(stage);
  for (int c = 0; c < spec.confirm_stages; ++c) {
    std::string planned;
    if (root) planned = encode_flows(confirm_flows(*topology, rank_of, endpoint_of, ran, records, fabric_options, c));
    const fabric::Stage confirm{"confirm " + std::to_string(c + 1), decode_flows(bootstrap.broadcast(planned, 0))};
    if (confirm.flows.empty()) {
      if (root) {
        sink.note(NoteLevel::kInfo, spec.name + ": nothing left in doubt after " + std::to_string(ran.size()) +
                                        " stages; no confirmation stage " + std::to_string(c + 1));
      }
      break;
    }
    run_stage(confirm);
  }
  // Routes known: a bad flow no link explains is measured once more before it is reported.
  if (topology->routes_known()) {
    std::string planned;
    if (root) planned = encode_flows(remeasure_flows(*topology, endpoint_of, ran, records, fabric_options));
    const fabric::Stage again{"re-measure", decode_flows(bootstrap.broadcast(planned, 0))};
    if (!again.flows.empty()) {
      if (root) {
        sink.note(NoteLevel::kInfo, spec.name + ": " + std::to_string(again.flows.size()) +
                                        " bad flow(s) no link explains, measured once more (stage " +
                                        std::to_string(ran.size()) + ")");
      }
      run_stage(again);
    }
  }
  sink.end_test(start);
}

}  // namespace railcheck
