// The flags of `railcheck p2p` (perftest's names where they mean the same) and their validation.
#include <CLI/CLI.hpp>
#include <sstream>

#include "railcheck/commands/p2p/p2p_command.h"
#include "railcheck/core/error.h"
#include "railcheck/plan/sizes.h"

namespace railcheck {

CommandSpec p2p_command_spec() {
  return {"p2p",
          {},
          "point-to-point bandwidth and latency between every pair of hosts, per rail, in concurrent rounds (one "
          "rank per host or per rail)",
          [](CLI::App& sub) { return std::make_unique<P2pCommand>(sub); }};
}

P2pCommand::P2pCommand(CLI::App& app) {
  CLI::App* sub = &app;
  P2pOptions& o = options_;
  sub->add_option("--transport", o.transport, "tcp or verbs")
      ->check(CLI::IsMember({"tcp", "verbs"}))
      ->capture_default_str();
  sub->add_option("--op", transfer_,
                  "bandwidth transfer, perftest's names: write (RDMA WRITE, ib_write_bw; verbs' default), send "
                  "(ib_send_bw; TCP's only one), read (RDMA READ, ib_read_bw)");
  sub->add_option("-s,--size", size_, "bandwidth message size (bytes; K, M, G)")->capture_default_str();
  sub->add_option("-n,--iters", o.iters, "bandwidth messages per direction (verbs: per QP, as perftest)")
      ->capture_default_str();
  sub->add_option("-D,--duration", o.duration_s, "seconds per bandwidth test (replaces -n)")->capture_default_str();
  sub->add_option("-q,--qp", o.streams, "parallel sockets (tcp) or QPs (verbs) per connection")->capture_default_str();
  sub->add_option("-t,--tx-depth", o.tx_depth, "messages in flight per direction (verbs: per QP, as perftest)")
      ->capture_default_str();
  cq_mod_option_ = sub->add_option(
      "-Q,--cq-mod,--cq_mod", cq_mod_,
      "verbs write/read: one signalled completion in every N per QP (perftest's; default 100, at most -t)");
  CLI::Option* gbits = sub->add_flag("--report_gbits", report_gbits_, "console bandwidth in Gb/s (1e9 bits/s)");
  sub->add_flag("--report_mib", report_mib_, "console bandwidth in MiB/s (2^20 bytes/s), perftest's default unit")
      ->excludes(gbits);
  sub->add_flag("-b,--bidirectional", o.bidirectional, "both directions at once (one record, sum of both)");
  sub->add_flag("--within_node", o.within_node, "also measure between the rails of each node");
  sub->add_option("--lat_size", lat_size_, "ping-pong message size")->capture_default_str();
  sub->add_option("--lat_iters", o.lat_iters, "timed ping-pongs per pair (0: no latency test)")->capture_default_str();
  sub->add_option("--ifname", ifnames_, "tcp: devices by interface name, comma separated (e.g. eth0)");
  sub->add_option("--subnet", o.subnet, "tcp: devices with an address in this IPv4 subnet (e.g. 10.77.0.0/24)");
  sub->add_option("--sock_buf", sock_buf_, "tcp: SO_SNDBUF/SO_RCVBUF bytes (0: kernel autotuning)")
      ->capture_default_str();
  sub->add_option("--output-dir", output_dir_,
                  "where results.jsonl (streamed) and results.json go; default railcheck-results/<time>-<job>");
  sub->add_option("-T,--timeout", timeout_s_,
                  "seconds a connect, accept or stalled transfer may take before "
                  "the pair is reported failed (0: 30)")
      ->check(CLI::NonNegativeNumber);
}

void P2pCommand::finish() {
  P2pOptions& o = options_;
  auto size = [](const std::string& text, const char* flag) {
    if (auto bytes = parse_size(text)) return *bytes;
    throw InputError(std::string(flag) + " '" + text + "' is not a size; use bytes such as 8, 64K, 1M or 1G");
  };
  if (!transfer_.empty()) o.transfer = parse_transfer_op(transfer_, "--op");
  check_transfer(o, "--op");
  if (cq_mod_option_->count() > 0) o.cq_mod = cq_mod_;
  check_cq_mod(o, "--cq_mod");
  o.unit = report_gbits_ ? BandwidthUnit::kGbps : report_mib_ ? BandwidthUnit::kMiBps : BandwidthUnit::kGBps;
  o.size_bytes = size(size_, "-s");
  o.lat_size_bytes = size(lat_size_, "--lat_size");
  o.socket_buffer_bytes = size(sock_buf_, "--sock_buf");
  if (o.size_bytes == 0) throw InputError("-s 0: the bandwidth message must be at least 1 byte");
  if (o.lat_size_bytes == 0) throw InputError("--lat_size 0: the ping-pong message must be at least 1 byte");
  if (o.iters < 1) throw InputError("-n " + std::to_string(o.iters) + ": need at least 1 message");
  if (o.lat_iters < 0) throw InputError("--lat_iters must be >= 0");
  if (o.tx_depth < 1) throw InputError("-t " + std::to_string(o.tx_depth) + ": tx depth must be at least 1");
  if (o.streams < 1 || o.streams > 64) throw InputError("-q " + std::to_string(o.streams) + ": choose 1..64");
  if (o.duration_s < 0) throw InputError("-D must be >= 0 seconds");
  std::stringstream names(ifnames_);
  for (std::string name; std::getline(names, name, ',');) {
    if (!name.empty()) o.ifnames.push_back(name);
  }
  if ((!o.ifnames.empty() || !o.subnet.empty()) && o.transport != "tcp") {
    throw InputError("--ifname and --subnet choose TCP devices; they do not apply to --transport " + o.transport);
  }
}

}  // namespace railcheck
