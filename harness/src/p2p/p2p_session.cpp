#include "railcheck/p2p/p2p_session.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "railcheck/collectives/tcp_transport.h"
#include "railcheck/core/error.h"
#include "railcheck/p2p/p2p_measure.h"
#if RAILCHECK_HAVE_VERBS_TRANSPORT
#include "railcheck/collectives/verbs_transport.h"
#endif
#include "railcheck/plan/sizes.h"

namespace railcheck {
namespace {

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
    const auto samples =
        ping_pong(endpoint, buffers, o.lat_size_bytes, o.lat_iters, std::min(o.lat_iters, 10), is_a, c.timeout_s);
    r.start_unix_s = start;
    r.end_unix_s = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    r.lat = latency_stats(samples);
    if (is_a) out.push_back(r);
  }

  // One bandwidth test: `a_sends`/`b_sends` say whose bytes flow. send, write: the data's sender posts; read:
  // its receiver does. Verbs counts -n and -t per QP (perftest), TCP per connection.
  const TransferOp transfer = transfer_of(o);
  const int lanes = per_connection_lanes(o);
  auto bandwidth = [&](P2pOp op, bool a_sends, bool b_sends) {
    const bool i_send = is_a ? a_sends : b_sends, i_recv = is_a ? b_sends : a_sends;
    const bool reading = transfer == TransferOp::kRead;
    const bool i_post = reading ? i_recv : i_send, peer_posts = reading ? i_send : i_recv;
    const bool a_leads = (a_sends && b_sends) || (reading ? b_sends : a_sends);
    const bool leader = is_a == a_leads;  // a poster: decides the count with -D and keeps the record
    auto plan_of = [&](long count) {
      StreamPlan plan;
      plan.op = transfer;
      plan.bytes = o.size_bytes;
      plan.mine = i_post ? count : 0;
      plan.theirs = peer_posts ? count : 0;
      plan.depth = o.tx_depth * lanes;
      plan.stall_s = c.timeout_s;
      return plan;
    };
    const long warm = static_cast<long>(o.tx_depth) * lanes;
    const StreamTiming warmup = timed_stream(endpoint, buffers, plan_of(warm));
    long count = static_cast<long>(o.iters) * lanes;
    if (o.duration_s > 0) {
      count =
          agree_count(endpoint, buffers, leader, count_for_duration(warmup, warm, o.duration_s, lanes), c.timeout_s);
    }
    const LossCounters before = endpoint.loss_counters();
    const StreamTiming t = timed_stream(endpoint, buffers, plan_of(count));
    const LossCounters after = endpoint.loss_counters();
    if (!leader) return;
    P2pRecord r = make(op, i_send);
    r.transfer = std::string(name_of(transfer));
    r.size_bytes = o.size_bytes;
    r.iters = static_cast<int>(count / lanes);  // per QP on verbs: perftest's #iterations
    r.start_unix_s = t.start_unix_s;
    r.end_unix_s = t.end_unix_s;
    const double directions = (a_sends && b_sends) ? 2.0 : 1.0;
    r.bw_gbps = directions * static_cast<double>(count) * static_cast<double>(o.size_bytes) / t.seconds / 1e9;
    // perftest's peak: this side's own stream (a bidirectional sum would need the peer's, which it keeps).
    if (t.peak_seconds_per_op && directions == 1.0) {
      r.peak_bw_gbps = static_cast<double>(o.size_bytes) / *t.peak_seconds_per_op / 1e9;
    }
    r.cq_mod = cq_mod_of(o);
    r.loss = loss_between(before, after);
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

std::unique_ptr<Transport> open_transport(const P2pOptions& o, double timeout_s, std::string& skip) {
  std::unique_ptr<Transport> transport;
  if (o.transport == "tcp") {
    TransportOptions topt;
    topt.streams = o.streams;
    topt.socket_buffer_bytes = o.socket_buffer_bytes;
    topt.timeout_s = timeout_s;
    transport = make_tcp_transport(topt, TcpDeviceFilter{o.ifnames, o.subnet});
    if (transport->devices().empty()) skip = transport->skip_reason();
    return transport;
  }
#if RAILCHECK_HAVE_VERBS_TRANSPORT
  VerbsOptions vopt;  // perftest's defaults otherwise; see collectives/verbs/README.md
  vopt.common.streams = o.streams;
  vopt.common.timeout_s = timeout_s;
  vopt.tx_depth = std::max(vopt.tx_depth, o.tx_depth + 2);  // + the control messages
  vopt.rx_depth = std::max(vopt.rx_depth, o.tx_depth + 2);
  vopt.cq_mod = cq_mod_of(o).value_or(1);
  // One-sided transfers write into / read from the peer's window, perftest's buffer of -s bytes.
  if (transfer_of(o) != TransferOp::kSend) vopt.rdma_window_bytes = o.size_bytes;
  vopt.oob = TcpDeviceFilter{o.ifnames, o.subnet};  // the QP-number exchange goes over these interfaces
  transport = make_verbs_transport(vopt, make_real_verbs_api());
  if (transport->devices().empty()) skip = transport->skip_reason();
#else
  skip = "the verbs transport is not built (rdma-core was not found at configure time)";
#endif
  return transport;
}

}  // namespace

std::string rank_name(const Bootstrap& bootstrap, int rank) {
  return "rank " + std::to_string(rank) + " on " + bootstrap.ranks()[static_cast<std::size_t>(rank)].host;
}

P2pSession::P2pSession(const Bootstrap& bootstrap, P2pOptions options, double timeout_s, const std::string& device)
    : bootstrap_(bootstrap), options_(std::move(options)), timeout_s_(timeout_s) {
  std::string skip;
  // A named TCP device is chosen as --ifname chooses it (a named loopback counts).
  if (!device.empty() && options_.transport == "tcp") options_.ifnames = {device};
  transport_ = open_transport(options_, timeout_s_, skip);
  if (skip.empty() && !device.empty()) {
    const auto& devices = transport_->devices();
    const auto named = std::find_if(devices.begin(), devices.end(), [&](const NicInfo& n) { return n.name == device; });
    if (named == devices.end()) {
      skip = "no " + options_.transport + " device named " + device + " (up, with an address) among its " +
             std::to_string(devices.size());
    } else {
      dev_ = static_cast<int>(named - devices.begin());
    }
  }
  // Any rank without a device: everyone skips, naming the first such rank.
  const auto skips = bootstrap_.allgather_strings(skip);
  for (std::size_t r = 0; r < skips.size(); ++r) {
    if (skips[r].empty()) continue;
    skip_ = "--transport " + options_.transport + ": " + rank_name(bootstrap_, static_cast<int>(r)) + ": " + skips[r];
    return;
  }
  if (device.empty()) dev_ = bootstrap_.self().local_rank % static_cast<int>(transport_->devices().size());
  my_nic_ = transport_->devices()[static_cast<std::size_t>(dev_)];
  // Every rank's device, "name|address", so records name both ends.
  for (const std::string& text : bootstrap_.allgather_strings(my_nic_.name + "|" + my_nic_.address)) {
    NicInfo nic;
    nic.name = text.substr(0, text.find('|'));
    nic.address = text.substr(text.find('|') + 1);
    nics_.push_back(nic);
  }
}

P2pSession::~P2pSession() = default;

std::vector<std::vector<int>> P2pSession::rank_layout() const {
  std::vector<std::vector<int>> rank_of(bootstrap_.hosts().size());
  for (const RankInfo& info : bootstrap_.ranks()) {
    auto& rails = rank_of[static_cast<std::size_t>(info.node_index)];
    if (rails.size() <= static_cast<std::size_t>(info.local_rank)) {
      rails.resize(static_cast<std::size_t>(info.local_rank) + 1, -1);
    }
    rails[static_cast<std::size_t>(info.local_rank)] = info.rank;
  }
  return rank_of;
}

std::vector<std::string> P2pSession::describe(std::size_t rounds) const {
  const P2pOptions& o = options_;
  return {"railcheck p2p: " + std::to_string(bootstrap_.hosts().size()) + " hosts, " +
              std::to_string(bootstrap_.size()) + " ranks, " + std::to_string(rounds) + " rounds, transport " +
              o.transport + " " + std::string(name_of(transfer_of(o))) + ", " + std::to_string(o.streams) +
              (o.transport == "verbs" ? " QP(s)" : " stream(s)") + ", -s " + format_size(o.size_bytes) + ", -t " +
              std::to_string(o.tx_depth) + (per_connection_lanes(o) > 1 ? " per QP" : "") +
              (o.bidirectional ? ", bidirectional" : ""),
          "round  src -> dst  rail  op  size  x iters  result"};
}

std::vector<P2pRecord> P2pSession::run_rounds(const std::vector<PairRound>& plan, const std::string& test,
                                              const std::string& phase, Steps& steps, OutputSink& sink) {
  if (!skip_.empty()) throw Error("p2p session has no transport: " + skip_);
  const P2pOptions& o = options_;
  const bool root = bootstrap_.rank() == 0;
  std::vector<P2pRecord> all;
  for (std::size_t round_index = 0; round_index < plan.size(); ++round_index) {
    const PairRound& round = plan[round_index];
    const Steps::Scope step = steps.begin(
        StepKind::kRound, (test.empty() ? "p2p" : test) + " " + phase + " round " + std::to_string(round_index));
    const RankPair* mine = nullptr;
    for (const RankPair& p : round.pairs) {
      if (p.a == bootstrap_.rank() || p.b == bootstrap_.rank()) mine = &p;
    }
    const bool is_a = mine && mine->a == bootstrap_.rank();
    std::string error;
    std::unique_ptr<ListenComm> listen;
    std::string handle_bytes;
    if (mine && is_a) {
      try {
        listen = transport_->listen(dev_);
        const auto bytes = listen->handle().bytes();
        handle_bytes.assign(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      } catch (const Error& e) {
        error = e.what();
      }
    }
    const auto handles = bootstrap_.allgather_strings(handle_bytes);
    std::vector<P2pRecord> measured;
    if (mine) {
      const int peer = is_a ? mine->b : mine->a;
      const NicInfo& their_nic = nics_[static_cast<std::size_t>(peer)];
      PairContext context{o, bootstrap_, *transport_, dev_, *mine, static_cast<int>(round_index), timeout_s_};
      try {
        if (!error.empty()) throw Error(error);
        std::unique_ptr<Endpoint> endpoint;
        if (is_a) {
          endpoint = transport_->accept(std::move(listen));
        } else {
          const std::string& bytes = handles[static_cast<std::size_t>(peer)];
          if (bytes.empty()) throw Error(rank_name(bootstrap_, peer) + " could not listen; see its record");
          const auto handle =
              ListenHandle::from_bytes(std::span(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()));
          endpoint = transport_->connect(dev_, handle, rank_name(bootstrap_, peer));
        }
        measured = measure_pair(context, *endpoint, is_a, my_nic_, their_nic);
      } catch (const Error& e) {
        P2pRecord r = base_record(context, bootstrap_.rank(), peer);
        r.op = o.bidirectional ? P2pOp::kBidirectionalBandwidth : P2pOp::kBandwidth;
        r.src_nic = my_nic_.name;
        r.src_addr = my_nic_.address;
        r.dst_nic = their_nic.name;
        r.dst_addr = their_nic.address;
        r.size_bytes = o.size_bytes;
        r.transfer = std::string(name_of(transfer_of(o)));
        r.ok = false;
        r.error = e.what();
        measured = {r};
      }
    }
    // Ranks outside this round's pairs wait here asleep: on a host whose cores the measuring ranks need
    // (a TCP pair's copies and softirqs), idle ranks spinning in MPI would take them.
    bootstrap_.quiet_barrier();
    nlohmann::json mine_json = nlohmann::json::array();
    for (P2pRecord& r : measured) {
      r.test = test;
      r.phase = phase;
      mine_json.push_back(to_json(r));
    }
    const auto gathered = bootstrap_.gather_strings(mine_json.dump(), 0);
    if (root) {
      for (const std::string& text : gathered) {
        for (const auto& j : nlohmann::json::parse(text)) {
          P2pRecord r = p2p_record_from_json(j);
          sink.record(r);
          all.push_back(std::move(r));
        }
      }
    }
    bootstrap_.barrier();
  }
  return all;
}

}  // namespace railcheck
