#include "railcheck/p2p/p2p_command.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <set>

#include "build_info.h"
#include "p2p_measure.h"
#include "railcheck/collectives/error.h"
#include "railcheck/collectives/tcp_transport.h"
#if RAILCHECK_HAVE_VERBS_TRANSPORT
#include "railcheck/collectives/verbs_transport.h"
#endif
#include "railcheck/manifest.h"
#include "railcheck/p2p/pair_plan.h"
#include "railcheck/p2p/p2p_record.h"
#include "railcheck/output_dir.h"
#include "railcheck/sinks.h"
#include "railcheck/sizes.h"

namespace railcheck {
namespace {

constexpr double kDefaultTimeoutS = 30.0;

RunManifest p2p_manifest(const Command& command, const Bootstrap& bootstrap) {
  RunManifest m = base_manifest(command.command_line, "p2p", bootstrap);
  m.backend = command.p2p.transport;
  m.backend_reason = "--transport " + command.p2p.transport;
  return m;
}

std::string peer_name(const Bootstrap& bootstrap, int rank) {
  return "rank " + std::to_string(rank) + " on " + bootstrap.ranks()[static_cast<std::size_t>(rank)].host;
}

// One side of one pair: the connection and every measurement of the pair, as records this side measured.
struct PairContext {
  const P2pOptions& options;
  const Bootstrap& bootstrap;
  Transport& transport;
  int dev;
  const RankPair& pair;
  int round;
  double timeout_s;
};

P2pRecord base_record(const PairContext& c, int src, int dst) {
  P2pRecord r;
  r.transport = c.options.transport;
  r.round = c.round;
  r.within_node = c.pair.within_node;
  r.src_rank = src;
  r.dst_rank = dst;
  r.src_host = c.bootstrap.ranks()[static_cast<std::size_t>(src)].host;
  r.dst_host = c.bootstrap.ranks()[static_cast<std::size_t>(dst)].host;
  r.rail = c.pair.rail;
  r.streams = c.options.streams;
  r.tx_depth = c.options.tx_depth;
  return r;
}

std::vector<P2pRecord> measure_pair(const PairContext& c, Endpoint& endpoint, bool is_a, const NicInfo& mine,
                                    const NicInfo& theirs) {
  const P2pOptions& o = c.options;
  const int me = is_a ? c.pair.a : c.pair.b, peer = is_a ? c.pair.b : c.pair.a;
  auto make = [&](P2pOp op, bool i_send) {
    P2pRecord r = base_record(c, i_send ? me : peer, i_send ? peer : me);
    r.op = op;
    r.src_nic = i_send ? mine.name : theirs.name;
    r.dst_nic = i_send ? theirs.name : mine.name;
    r.src_addr = i_send ? mine.address : theirs.address;
    r.dst_addr = i_send ? theirs.address : mine.address;
    return r;
  };
  std::vector<P2pRecord> out;
  PairBuffers buffers(endpoint, std::max(o.size_bytes, o.lat_size_bytes));

  if (o.lat_iters > 0) {
    P2pRecord r = make(P2pOp::kLatency, true);
    r.size_bytes = o.lat_size_bytes;
    r.iters = o.lat_iters;
    const double start = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    const auto samples = ping_pong(endpoint, buffers, o.lat_size_bytes, o.lat_iters, std::min(o.lat_iters, 10), is_a,
                                   c.timeout_s);
    r.start_unix_s = start;
    r.end_unix_s = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    r.lat = latency_stats(samples);
    if (is_a) out.push_back(r);
  }

  // One bandwidth test: `a_sends`/`b_sends` say who sends; the sender (a when both) decides the count with -D.
  auto bandwidth = [&](P2pOp op, bool a_sends, bool b_sends) {
    const bool i_send = is_a ? a_sends : b_sends, i_recv = is_a ? b_sends : a_sends;
    const bool leader = (a_sends && is_a) || (!a_sends && !is_a);
    const long warm = o.tx_depth;
    const StreamTiming warmup = timed_stream(endpoint, buffers, o.size_bytes, i_send ? warm : 0, i_recv ? warm : 0,
                                             o.tx_depth, c.timeout_s);
    long count = o.iters;
    if (o.duration_s > 0) {
      const double per_message = std::max(warmup.seconds / static_cast<double>(warm), 1e-9);
      count = static_cast<long>(std::clamp(o.duration_s / per_message, static_cast<double>(o.tx_depth), 1e8));
      count = agree_count(endpoint, buffers, leader, count, c.timeout_s);
    }
    const StreamTiming t = timed_stream(endpoint, buffers, o.size_bytes, i_send ? count : 0, i_recv ? count : 0,
                                        o.tx_depth, c.timeout_s);
    if (!leader) return;
    P2pRecord r = make(op, true);
    r.size_bytes = o.size_bytes;
    r.iters = static_cast<int>(count);
    r.start_unix_s = t.start_unix_s;
    r.end_unix_s = t.end_unix_s;
    const double directions = (a_sends && b_sends) ? 2.0 : 1.0;
    r.bw_gbps = directions * static_cast<double>(count) * static_cast<double>(o.size_bytes) / t.seconds / 1e9;
    out.push_back(r);
  };
  if (o.bidirectional) {
    bandwidth(P2pOp::kBidirectionalBandwidth, true, true);
  } else {
    bandwidth(P2pOp::kBandwidth, true, false);
    bandwidth(P2pOp::kBandwidth, false, true);
  }
  return out;
}

std::string format_line(const P2pRecord& r, bool gbits) {
  char text[512];
  if (!r.ok) {
    std::snprintf(text, sizeof text, "%5d  %s(%s) -> %s(%s)  rail %d  %-8s ERROR: %s", r.round, r.src_host.c_str(),
                  r.src_nic.c_str(), r.dst_host.c_str(), r.dst_nic.c_str(), r.rail, std::string(key_of(r.op)).c_str(),
                  r.error.c_str());
  } else if (r.op == P2pOp::kLatency) {
    std::snprintf(text, sizeof text,
                  "%5d  %s(%s) -> %s(%s)  rail %d  %-8s %6s x%-6d t_min %.2f t_max %.2f t_typical %.2f t_avg %.2f "
                  "t_stdev %.2f 99%% %.2f 99.9%% %.2f us",
                  r.round, r.src_host.c_str(), r.src_nic.c_str(), r.dst_host.c_str(), r.dst_nic.c_str(), r.rail,
                  "lat", format_size(r.size_bytes).c_str(), r.iters, r.lat->min_us, r.lat->max_us, r.lat->typical_us,
                  r.lat->avg_us, r.lat->stdev_us, r.lat->p99_us, r.lat->p99_9_us);
  } else {
    std::snprintf(text, sizeof text, "%5d  %s(%s) -> %s(%s)  rail %d  %-8s %6s x%-6d %10.3f %s", r.round,
                  r.src_host.c_str(), r.src_nic.c_str(), r.dst_host.c_str(), r.dst_nic.c_str(), r.rail,
                  std::string(key_of(r.op)).c_str(), format_size(r.size_bytes).c_str(), r.iters,
                  gbits ? r.bw_gbps * 8 : r.bw_gbps, gbits ? "Gb/s" : "GB/s");
  }
  return text;
}

}  // namespace

int run_p2p(const Command& command, const Bootstrap& bootstrap) {
  const P2pOptions& o = command.p2p;
  const bool root = bootstrap.rank() == 0;
  const double timeout_s = command.common.timeout_s > 0 ? command.common.timeout_s : kDefaultTimeoutS;

  std::unique_ptr<Transport> transport;
  std::string skip;
  if (o.transport == "tcp") {
    TransportOptions topt;
    topt.streams = o.streams;
    topt.socket_buffer_bytes = o.socket_buffer_bytes;
    topt.timeout_s = timeout_s;
    transport = make_tcp_transport(topt, TcpDeviceFilter{o.ifnames, o.subnet});
    if (transport->devices().empty()) skip = transport->skip_reason();
  } else {
#if RAILCHECK_HAVE_VERBS_TRANSPORT
    VerbsOptions vopt;  // perftest's defaults otherwise; see collectives/verbs/README.md
    vopt.common.streams = o.streams;
    vopt.common.timeout_s = timeout_s;
    vopt.tx_depth = std::max(vopt.tx_depth, o.tx_depth);
    vopt.rx_depth = std::max(vopt.rx_depth, o.tx_depth);
    vopt.oob = TcpDeviceFilter{o.ifnames, o.subnet};  // the QP-number exchange goes over these interfaces
    transport = make_verbs_transport(vopt, make_real_verbs_api());
    if (transport->devices().empty()) skip = transport->skip_reason();
#else
    skip = "the verbs transport is not built (rdma-core was not found at configure time)";
#endif
  }
  // Any rank without a device: everyone skips, naming the first such rank.
  const auto skips = bootstrap.allgather_strings(skip);
  for (std::size_t r = 0; r < skips.size(); ++r) {
    if (skips[r].empty()) continue;
    if (root) {
      std::cout << "railcheck p2p: SKIP --transport " << o.transport << ": " << peer_name(bootstrap, static_cast<int>(r))
                << ": " << skips[r] << std::endl;
    }
    return kExitHealthy;
  }

  // Ranks laid out by node and rail (local rank); a rank uses device (rail mod device count).
  std::vector<std::vector<int>> rank_of(bootstrap.hosts().size());
  for (const RankInfo& info : bootstrap.ranks()) {
    auto& rails = rank_of[static_cast<std::size_t>(info.node_index)];
    if (rails.size() <= static_cast<std::size_t>(info.local_rank)) rails.resize(static_cast<std::size_t>(info.local_rank) + 1, -1);
    rails[static_cast<std::size_t>(info.local_rank)] = info.rank;
  }
  PairPlanOptions plan_options;
  plan_options.within_node = o.within_node;
  const std::vector<PairRound> plan = plan_pairs(rank_of, plan_options);
  const int dev = bootstrap.self().local_rank % static_cast<int>(transport->devices().size());
  const NicInfo& my_nic = transport->devices()[static_cast<std::size_t>(dev)];
  // Every rank's device, "name|address", so records name both ends.
  const auto nics = bootstrap.allgather_strings(my_nic.name + "|" + my_nic.address);
  auto nic_of = [&nics](int rank) {
    const std::string& text = nics[static_cast<std::size_t>(rank)];
    NicInfo nic;
    nic.name = text.substr(0, text.find('|'));
    nic.address = text.substr(text.find('|') + 1);
    return nic;
  };

  const std::filesystem::path dir = prepare_output_dir(command.common.output_dir, bootstrap);
  RunManifest manifest = p2p_manifest(command, bootstrap);
  std::unique_ptr<ResultsFiles> writer;
  if (root) {
    writer = std::make_unique<ResultsFiles>(dir);
    writer->begin(manifest);
    std::cout << "# railcheck p2p: " << bootstrap.hosts().size() << " hosts, " << bootstrap.size() << " ranks, "
              << plan.size() << " rounds, transport " << o.transport << ", " << o.streams << " stream(s), -s "
              << format_size(o.size_bytes) << ", -t " << o.tx_depth << (o.bidirectional ? ", bidirectional" : "")
              << "\n# round  src -> dst  rail  op  size  x iters  result" << std::endl;
  }

  std::vector<P2pRecord> all;
  RunSummary summary;
  for (std::size_t round_index = 0; round_index < plan.size(); ++round_index) {
    const PairRound& round = plan[round_index];
    const RankPair* mine = nullptr;
    for (const RankPair& p : round.pairs) {
      if (p.a == bootstrap.rank() || p.b == bootstrap.rank()) mine = &p;
    }
    const bool is_a = mine && mine->a == bootstrap.rank();
    std::string error;
    std::unique_ptr<ListenComm> listen;
    std::string handle_bytes;
    if (mine && is_a) {
      try {
        listen = transport->listen(dev);
        const auto bytes = listen->handle().bytes();
        handle_bytes.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      } catch (const Error& e) {
        error = e.what();
      }
    }
    const auto handles = bootstrap.allgather_strings(handle_bytes);
    std::vector<P2pRecord> measured;
    if (mine) {
      const int peer = is_a ? mine->b : mine->a;
      PairContext context{o, bootstrap, *transport, dev, *mine, static_cast<int>(round_index), timeout_s};
      try {
        if (!error.empty()) throw Error(error);
        std::unique_ptr<Endpoint> endpoint;
        if (is_a) {
          endpoint = transport->accept(std::move(listen));
        } else {
          const std::string& bytes = handles[static_cast<std::size_t>(peer)];
          if (bytes.empty()) throw Error(peer_name(bootstrap, peer) + " could not listen; see its record");
          const auto handle = ListenHandle::from_bytes(
              std::span(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()));
          endpoint = transport->connect(dev, handle, peer_name(bootstrap, peer));
        }
        measured = measure_pair(context, *endpoint, is_a, my_nic, nic_of(peer));
      } catch (const Error& e) {
        P2pRecord r = base_record(context, bootstrap.rank(), peer);
        r.op = o.bidirectional ? P2pOp::kBidirectionalBandwidth : P2pOp::kBandwidth;
        r.src_nic = my_nic.name;
        r.src_addr = my_nic.address;
        r.dst_nic = nic_of(peer).name;
        r.dst_addr = nic_of(peer).address;
        r.size_bytes = o.size_bytes;
        r.ok = false;
        r.error = e.what();
        measured = {r};
      }
    }
    nlohmann::json mine_json = nlohmann::json::array();
    for (const P2pRecord& r : measured) mine_json.push_back(to_json(r));
    const auto gathered = bootstrap.gather_strings(mine_json.dump(), 0);
    if (root) {
      for (const std::string& text : gathered) {
        for (const auto& j : nlohmann::json::parse(text)) {
          writer->add("p2p", j);
          P2pRecord r = p2p_record_from_json(j);
          std::cout << format_line(r, o.report_gbits) << std::endl;
          ++summary.records;
          if (!r.ok) {
            summary.problems.push_back("link " + r.src_host + "(" + r.src_nic + ") <-> " + r.dst_host + "(" + r.dst_nic +
                                       ") rail " + std::to_string(r.rail) + ": " + r.error);
          }
          all.push_back(std::move(r));
        }
      }
    }
    bootstrap.barrier();
  }

  int exit_code = kExitHealthy;
  if (root) {
    std::set<int> rails;
    double bw_sum = 0;
    int bw_count = 0;
    for (const P2pRecord& r : all) {
      rails.insert(r.rail);
      if (r.ok && r.op != P2pOp::kLatency) bw_sum += r.bw_gbps, ++bw_count;
    }
    summary.avg_busbw_gbps = bw_count ? bw_sum / bw_count : 0.0;
    const P2pOp bw_op = o.bidirectional ? P2pOp::kBidirectionalBandwidth : P2pOp::kBandwidth;
    for (int rail : rails) {
      std::cout << format_link_matrix(all, bootstrap.hosts(), bw_op, rail, o.report_gbits);
      if (o.lat_iters > 0) std::cout << format_link_matrix(all, bootstrap.hosts(), P2pOp::kLatency, rail, false);
    }
    for (const std::string& p : summary.problems) std::cout << "# FAILED " << p << "\n";
    summary.exit_code = summary.problems.empty() ? kExitHealthy : kExitDegraded;
    exit_code = summary.exit_code;
    manifest.end_time = utc_now_iso8601();
    writer->finish(manifest, summary);
    std::cout << "# results: " << (dir / "results.json").string() << " (streamed: " << (dir / "results.jsonl").string()
              << ")" << std::endl;
  }
  return bootstrap.max_over_ranks(exit_code);
}

}  // namespace railcheck
