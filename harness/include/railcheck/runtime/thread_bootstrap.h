// The in-process implementation of Bootstrap: ranks as threads of one process over a ThreadGroup, with the
// thread collective backend as their host collective. run_ranks() starts a world and joins it.
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "railcheck/collectives/thread_group.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// What the ranks of one in-process job share: their identities, the world group and the heartbeat mailbox.
class ThreadWorld;

class ThreadBootstrap final : public Bootstrap {
 public:
  /// Rank `rank` of `world`; made by run_ranks on the rank's own thread.
  ThreadBootstrap(std::shared_ptr<ThreadWorld> world, int rank);
  ~ThreadBootstrap() override;

  const RankInfo& self() const override;
  const std::vector<RankInfo>& ranks() const override;
  const std::vector<std::string>& hosts() const override;
  void barrier() const override;
  void quiet_barrier() const override { barrier(); }
  std::vector<double> gather(const std::vector<double>& mine, int root = 0) const override;
  std::vector<std::string> gather_strings(const std::string& mine, int root = 0) const override;
  std::vector<std::string> allgather_strings(const std::string& mine) const override;
  std::string broadcast(const std::string& text, int root = 0) const override;
  bool all_true(bool mine) const override;
  int max_over_ranks(int mine) const override;
  std::unique_ptr<Collective> make_host_collective() const override;
  std::unique_ptr<HeartbeatChannel> open_heartbeat_channel() const override;
  void end_job(int code) const override;
  bool job_ended() const override;

 private:
  std::shared_ptr<ThreadWorld> world_;
  int rank_;
};

/// How one rank's thread ended.
struct RankOutcome {
  std::exception_ptr error;      ///< what its body threw (JobEnded when the job was ended), null when it returned
  std::optional<int> job_ended;  ///< the job's end code (the same for every rank), nullopt when never ended
};

/// Runs `body` on one thread per entry of `hosts` (rank i on host hosts[i]: several ranks per host give them
/// local ranks in order), each with its ThreadBootstrap, and joins them all. A body that throws is
/// recorded, not rethrown, and ends the job (code 2) so the other ranks stop waiting for it.
std::vector<RankOutcome> run_ranks(const std::vector<std::string>& hosts,
                                   const std::function<void(const Bootstrap&)>& body);

}  // namespace railcheck
