// Who is who in a run, and the few collective exchanges the harness itself needs (not the measured
// traffic, which goes through a Collective or Transport): rank and size, host, local rank on the host, node
// index, barriers, gathers, broadcasts, the watchdog's heartbeat channel and the way a job is ended.
//
// Two implementations: MpiBootstrap (mpi_bootstrap.h: MPI_COMM_WORLD, what runs on a cluster) and
// ThreadBootstrap (thread_bootstrap.h: ranks as threads of one process, for in-process tests), as UCX perf's
// ucx_perf_rte_t serves both its MPI launcher and its gtest.
//
// Every method marked collective is called by every rank of the world in the same order, and blocks until
// every rank has called it; ended jobs make the in-process one throw JobEnded.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "railcheck/collectives/collective.h"

namespace railcheck {

/// One rank's identity, identical on every rank after the startup exchange.
struct RankInfo {
  int rank = 0;
  std::string host;
  int local_rank = 0;  ///< index among the ranks of the same host
  int local_size = 1;
  int node_index = 0;  ///< hosts numbered in order of their lowest rank
  int pid = 0;
  std::string cpus;   ///< the CPUs it may run on, cpu-list form ("" if unknown); see cpu_affinity.h
  int cpu_count = 0;  ///< how many (0 if unknown)
};

/// Hosts in order of their lowest rank, and each rank's node_index, local_rank and local_size filled in from
/// `ranks[i].host` (the rest of each entry is kept).
std::vector<std::string> number_hosts(std::vector<RankInfo>& ranks);

/// Small fixed-size messages from every rank to rank 0 that never wait for the receiver: the watchdog's
/// heartbeats, which must keep flowing while the main thread of any rank is stuck. One sender thread and one
/// receiver thread per rank; methods are not collective.
class HeartbeatChannel {
 public:
  struct Message {
    int source = 0;
    std::vector<std::byte> bytes;
  };
  virtual ~HeartbeatChannel() = default;
  /// Ranks other than 0: sends `bytes` to rank 0 unless the previous message is still in flight (then
  /// nothing is sent and false is returned: try again later). Never blocks.
  virtual bool post(std::span<const std::byte> bytes) = 0;
  /// Ranks other than 0: waits until the message in flight (if any) was delivered. Blocks.
  virtual void flush() = 0;
  /// Rank 0: the next message that has arrived, or nullopt. Never blocks.
  virtual std::optional<Message> poll() = 0;
};

class Bootstrap {
 public:
  virtual ~Bootstrap() = default;

  int rank() const { return self().rank; }
  int size() const { return static_cast<int>(ranks().size()); }
  virtual const RankInfo& self() const = 0;
  /// Every rank, indexed by rank.
  virtual const std::vector<RankInfo>& ranks() const = 0;
  /// Distinct host names in node_index order.
  virtual const std::vector<std::string>& hosts() const = 0;

  /// Collective.
  virtual void barrier() const = 0;
  /// Collective. A barrier that sleeps while it waits instead of spinning, so ranks with nothing to measure
  /// leave the host's cores to the ranks that measure. May add up to about 1 ms after the last rank arrives:
  /// for waits between measurements, not inside one.
  virtual void quiet_barrier() const = 0;
  /// Collective. Concatenation at `root` of every rank's `mine` (all ranks pass the same length); empty
  /// elsewhere.
  virtual std::vector<double> gather(const std::vector<double>& mine, int root = 0) const = 0;
  /// Collective. Every rank's `mine` at `root`, indexed by rank (any lengths); empty elsewhere.
  virtual std::vector<std::string> gather_strings(const std::string& mine, int root = 0) const = 0;
  /// Collective. Every rank's `mine` on every rank, indexed by rank (any lengths, bytes kept as they are).
  virtual std::vector<std::string> allgather_strings(const std::string& mine) const = 0;
  /// Collective. `text` from `root` to every rank.
  virtual std::string broadcast(const std::string& text, int root = 0) const = 0;
  /// Collective. Logical AND over ranks.
  virtual bool all_true(bool mine) const = 0;
  /// Collective. Maximum over ranks.
  virtual int max_over_ranks(int mine) const = 0;

  /// Collective. The host-memory collective backend over this world (the MPI backend, or the in-process
  /// thread backend), its ranks in the same order.
  virtual std::unique_ptr<Collective> make_host_collective() const = 0;
  /// Collective. A channel for the watchdog, independent of every other message of the run.
  virtual std::unique_ptr<HeartbeatChannel> open_heartbeat_channel() const = 0;

  /// Ends the whole job with exit code `code`, from any thread, without waiting for other ranks. MPI: never
  /// returns (MPI_Abort, then std::_Exit after a grace period when a host is unreachable). In-process: every
  /// rank's blocked and later collective calls throw JobEnded, and this returns.
  virtual void end_job(int code) const = 0;
  /// Whether end_job was called (in-process runs; always false for MPI, whose ended job takes the process).
  virtual bool job_ended() const { return false; }
  /// Whether Open MPI's mpirun daemons launched the job (see Watchdog: they need time to notice a lost host).
  virtual bool launched_by_mpirun_daemons() const { return false; }
};

}  // namespace railcheck
