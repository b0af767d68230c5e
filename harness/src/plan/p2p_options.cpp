#include "railcheck/plan/p2p_options.h"

#include <algorithm>

#include "railcheck/core/error.h"

namespace railcheck {

std::string_view unit_name(BandwidthUnit unit) {
  switch (unit) {
    case BandwidthUnit::kGBps:
      return "GB/s";
    case BandwidthUnit::kGbps:
      return "Gb/s";
    case BandwidthUnit::kMiBps:
      return "MiB/s";
  }
  return "GB/s";
}

double in_unit(double gbps, BandwidthUnit unit) {
  switch (unit) {
    case BandwidthUnit::kGBps:
      return gbps;
    case BandwidthUnit::kGbps:
      return gbps * 8.0;
    case BandwidthUnit::kMiBps:
      return gbps * 1e9 / (1024.0 * 1024.0);
  }
  return gbps;
}

TransferOp transfer_of(const P2pOptions& options) {
  if (options.transfer) return *options.transfer;
  return options.transport == "verbs" ? TransferOp::kWrite : TransferOp::kSend;
}

void check_transfer(const P2pOptions& options, std::string_view what) {
  const TransferOp op = transfer_of(options);
  if (options.transport == "tcp" && op != TransferOp::kSend) {
    throw InputError(std::string(what) + " " + std::string(name_of(op)) +
                     ": TCP has no one-sided operations; use send, or RDMA verbs (transport verbs) for write and read");
  }
}

std::optional<int> cq_mod_of(const P2pOptions& options) {
  if (options.transport != "verbs" || transfer_of(options) == TransferOp::kSend) return std::nullopt;
  return std::min(options.cq_mod.value_or(100), options.tx_depth);
}

void check_cq_mod(const P2pOptions& options, std::string_view what) {
  if (!options.cq_mod) return;
  if (*options.cq_mod < 1) {
    throw InputError(std::string(what) + " " + std::to_string(*options.cq_mod) + ": must be at least 1");
  }
  if (cq_mod_of(options)) return;
  throw InputError(std::string(what) + " moderates the completions of RDMA write and read (transport verbs, op " +
                   "write or read); " +
                   (options.transport == "tcp" ? std::string("TCP has none") : std::string("each send is signalled")) +
                   ": leave it out");
}

int per_connection_lanes(const P2pOptions& options) { return options.transport == "verbs" ? options.streams : 1; }

}  // namespace railcheck
