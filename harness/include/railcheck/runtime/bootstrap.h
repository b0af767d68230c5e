// Who is who in a run: MPI world rank and size, host, local rank on the host (shared-memory split), node
// index, and the gathers the runner needs. One Bootstrap per process, made after MpiRuntime.
#pragma once

#include <mpi.h>

#include <string>
#include <vector>

#include "railcheck/collectives/mpi_comm.h"

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

/// One rank's identity, identical on every rank after the startup gather.
struct RankInfo {
  int rank = 0;
  std::string host;
  int local_rank = 0;  ///< index among the ranks of the same host (MPI_COMM_TYPE_SHARED split)
  int local_size = 1;
  int node_index = 0;  ///< hosts numbered in order of their lowest rank
  int pid = 0;
  std::string cpus;   ///< the CPUs it may run on, cpu-list form ("" if unknown); see cpu_affinity.h
  int cpu_count = 0;  ///< how many (0 if unknown)
};

class Bootstrap {
 public:
  /// Collective over MPI_COMM_WORLD: learns every rank's RankInfo.
  Bootstrap();

  int rank() const { return self_.rank; }
  int size() const { return static_cast<int>(ranks_.size()); }
  const RankInfo& self() const { return self_; }
  const std::vector<RankInfo>& ranks() const { return ranks_; }
  /// Distinct host names in node_index order.
  const std::vector<std::string>& hosts() const { return hosts_; }
  /// The world communicator (a duplicate owned here) for backends to build on.
  MPI_Comm comm() const { return world_.get(); }

  void barrier() const;
  /// A barrier that sleeps while it waits (MPI_Ibarrier polled with growing sleeps of up to 1 ms) instead of
  /// spinning, so ranks with nothing to measure leave the host's cores to the ranks that measure. Adds up to
  /// about 1 ms after the last rank arrives: for waits between measurements, not inside one.
  void quiet_barrier() const;
  /// Concatenation at `root` of every rank's `mine` (all ranks pass the same length). Empty elsewhere.
  std::vector<double> gather(const std::vector<double>& mine, int root = 0) const;
  /// Every rank's `mine` at `root`, indexed by rank (any lengths). Empty elsewhere.
  std::vector<std::string> gather_strings(const std::string& mine, int root = 0) const;
  /// Logical AND over ranks.
  bool all_true(bool mine) const;
  /// Maximum over ranks.
  int max_over_ranks(int mine) const;
  /// `text` from `root` to every rank.
  std::string broadcast(const std::string& text, int root = 0) const;
  /// Every rank's `mine` on every rank, indexed by rank (any lengths, bytes kept as they are).
  std::vector<std::string> allgather_strings(const std::string& mine) const;

 private:
  MpiComm world_;
  RankInfo self_;
  std::vector<RankInfo> ranks_;
  std::vector<std::string> hosts_;
};

}  // namespace railcheck
