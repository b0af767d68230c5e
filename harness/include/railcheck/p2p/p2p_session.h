// One p2p transport opened on every rank, and the execution of planned rounds of pairs over it: what
// `railcheck p2p` does once and `railcheck run` does for each p2p test of a suite and for the re-tests.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "railcheck/collectives/transport.h"
#include "railcheck/output/sink.h"
#include "railcheck/plan/p2p_options.h"
#include "railcheck/plan/pair_plan.h"
#include "railcheck/record/p2p_record.h"
#include "railcheck/run/watchdog.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// "rank 3 on node4": how p2p errors and records name a peer.
std::string rank_name(const Bootstrap& bootstrap, int rank);

class P2pSession {
 public:
  /// Collective: opens the transport on every rank. When any rank has no device every rank agrees to skip
  /// and skip_reason() names the first such rank. Throws InputError for options the transport rejects.
  /// `device`: the transport device this rank uses, by name (a fabric test's topology names it); empty: the
  /// local rank's (modulo the devices it has). A rank without the named device is a skip naming it.
  P2pSession(const Bootstrap& bootstrap, P2pOptions options, double timeout_s, const std::string& device = "");
  ~P2pSession();

  const std::string& skip_reason() const { return skip_; }

  /// ranks laid out as [node][rail] (rail = local rank), -1 where a node lacks that rail.
  std::vector<std::vector<int>> rank_layout() const;

  /// Collective: runs `plan` round by round (each round's pairs at the same time, a barrier between rounds),
  /// each round a step of `steps`. Records carry `test` and `phase`; rank 0 hands each to `sink` as its round
  /// completes and returns them all (nothing elsewhere). A pair that fails gives an error record naming the
  /// peer; it never stops the other pairs.
  std::vector<P2pRecord> run_rounds(const std::vector<PairRound>& plan, const std::string& test,
                                    const std::string& phase, Steps& steps, OutputSink& sink);

  /// What a pass of `rounds` rounds is, for a person: hosts, ranks, transport and its settings, columns.
  std::vector<std::string> describe(std::size_t rounds) const;
  const P2pOptions& options() const { return options_; }

  // What a fabric test's stages (fabric_stages.h) drive directly: the open transport, this rank's device on it,
  // every rank's device (name and address). Valid when skip_reason() is empty.
  Transport& transport() { return *transport_; }
  int device() const { return dev_; }
  const NicInfo& nic_of(int rank) const { return nics_.at(static_cast<std::size_t>(rank)); }
  double timeout_s() const { return timeout_s_; }

 private:
  const Bootstrap& bootstrap_;
  P2pOptions options_;
  double timeout_s_;
  std::unique_ptr<Transport> transport_;
  std::string skip_;
  int dev_ = 0;
  NicInfo my_nic_;
  std::vector<NicInfo> nics_;  ///< every rank's device, by rank
};

}  // namespace railcheck
