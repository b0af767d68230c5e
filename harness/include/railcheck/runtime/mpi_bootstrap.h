// The MPI implementation of Bootstrap: MPI_COMM_WORLD, one process per rank under mpirun or srun.
#pragma once

#include <mpi.h>

#include "railcheck/collectives/mpi_comm.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// MPI_Init_thread / MPI_Finalize owner. Asks for MPI_THREAD_MULTIPLE (the watchdog thread needs it).
class MpiRuntime {
 public:
  MpiRuntime(int* argc, char*** argv);
  MpiRuntime(const MpiRuntime&) = delete;
  MpiRuntime& operator=(const MpiRuntime&) = delete;
  ~MpiRuntime();
  bool thread_multiple() const { return provided_ >= MPI_THREAD_MULTIPLE; }

 private:
  int provided_ = MPI_THREAD_SINGLE;
};

/// How long after MPI_Abort a process that is still alive exits on its own (MPI_Abort cannot reach a host whose
/// link is down).
inline constexpr double kAbortGraceSeconds = 5.0;

/// Ends this process's job: MPI_Abort(code) on a helper thread, then std::_Exit(code) after
/// kAbortGraceSeconds if the process is still alive. Never returns. Needs MPI initialized.
[[noreturn]] void end_mpi_job(int code);

class MpiBootstrap final : public Bootstrap {
 public:
  /// Collective over MPI_COMM_WORLD (made after MpiRuntime): learns every rank's RankInfo.
  MpiBootstrap();

  const RankInfo& self() const override { return self_; }
  const std::vector<RankInfo>& ranks() const override { return ranks_; }
  const std::vector<std::string>& hosts() const override { return hosts_; }
  /// The world communicator (a duplicate owned here) for the NCCL backend to bootstrap on.
  MPI_Comm comm() const { return world_.get(); }

  void barrier() const override;
  void quiet_barrier() const override;
  std::vector<double> gather(const std::vector<double>& mine, int root = 0) const override;
  std::vector<std::string> gather_strings(const std::string& mine, int root = 0) const override;
  std::vector<std::string> allgather_strings(const std::string& mine) const override;
  std::string broadcast(const std::string& text, int root = 0) const override;
  bool all_true(bool mine) const override;
  int max_over_ranks(int mine) const override;
  std::unique_ptr<Collective> make_host_collective() const override;
  std::unique_ptr<HeartbeatChannel> open_heartbeat_channel() const override;
  [[noreturn]] void end_job(int code) const override { end_mpi_job(code); }
  bool launched_by_mpirun_daemons() const override;

 private:
  MpiComm world_;
  RankInfo self_;
  std::vector<RankInfo> ranks_;
  std::vector<std::string> hosts_;
};

}  // namespace railcheck
