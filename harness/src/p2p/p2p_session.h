// One p2p transport opened on every rank, and the execution of planned rounds of pairs over it: what
// `railcheck p2p` does once and `railcheck run` does for each p2p test of a suite and for the re-tests.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "railcheck/collectives/transport.h"
#include "railcheck/output/sinks.h"
#include "railcheck/p2p/p2p_options.h"
#include "railcheck/p2p/pair_plan.h"
#include "railcheck/record/p2p_record.h"
#include "railcheck/run/watchdog.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// Where rank 0 puts what the rounds measured (others pass nullptrs).
struct P2pOutput {
  ResultsFiles* files = nullptr;    ///< every record streamed as "type": "p2p"
  std::ostream* console = nullptr;  ///< one line per record
  RunSummary* summary = nullptr;    ///< record count; failed links as problems
};

/// Watchdog steps for the rounds (every rank passes the same): each round, with its bootstrap exchanges,
/// is one step, so a host whose link goes down mid-pass is named instead of hanging the job.
struct StepWatch {
  Watchdog* watchdog = nullptr;              ///< nullptr: rounds are not watched
  std::function<std::uint64_t()> next_step;  ///< the run's step counter

  /// The next step, `label`, open until the returned scope ends; nothing when unwatched.
  std::optional<Watchdog::Scope> scope(const std::string& label) const {
    return watchdog ? std::optional<Watchdog::Scope>(std::in_place, *watchdog, next_step(), label) : std::nullopt;
  }
};

class P2pSession {
 public:
  /// Collective: opens the transport on every rank. When any rank has no device every rank agrees to skip
  /// and skip_reason() names the first such rank. Throws InputError for options the transport rejects.
  P2pSession(const Bootstrap& bootstrap, P2pOptions options, double timeout_s);
  ~P2pSession();

  const std::string& skip_reason() const { return skip_; }

  /// ranks laid out as [node][rail] (rail = local rank), -1 where a node lacks that rail.
  std::vector<std::vector<int>> rank_layout() const;

  /// Collective: runs `plan` round by round (each round's pairs at the same time, a barrier between rounds).
  /// Records carry `test` and `phase`. Returns every record on rank 0, nothing elsewhere. A pair that fails
  /// gives an error record naming the peer; it never stops the other pairs.
  std::vector<P2pRecord> run_rounds(const std::vector<PairRound>& plan, const std::string& test,
                                    const std::string& phase, const P2pOutput& output, const StepWatch& watch = {});

  /// The console header line of a pass.
  std::string describe(std::size_t rounds) const;

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

/// The console line of one record (perftest-like columns).
std::string format_p2p_line(const P2pRecord& record, bool gbits);

}  // namespace railcheck
