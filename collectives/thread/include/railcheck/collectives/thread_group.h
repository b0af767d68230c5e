// Threads of one process acting as the ranks of a job: the barrier and all-gather every in-process
// collective and bootstrap is built on, and the job-wide "ended" state that wakes every blocked rank.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace railcheck {

/// Thrown from any in-process collective or bootstrap call once the job was ended (the in-process
/// equivalent of MPI_Abort taking the process down): the rank's thread unwinds and returns.
class JobEnded : public std::runtime_error {
 public:
  explicit JobEnded(int code)
      : std::runtime_error("the job was ended with exit code " + std::to_string(code)), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

/// What every group of one in-process job shares. Thread-safe.
class ThreadJob {
 public:
  /// Ends the job with `code` (the first call wins); every rank blocked in a group call wakes and throws JobEnded.
  void end(int code);
  /// The code the job was ended with, or nullopt while it runs.
  std::optional<int> ended() const;
  /// Throws JobEnded when the job was ended.
  void throw_if_ended() const;

 private:
  mutable std::mutex mutex_;
  std::optional<int> code_;
};

/// `size` threads acting as the members of one communicator. Every call is collective over the members
/// (each member calls it once, in the same order) unless said otherwise, and blocks until every member
/// arrived; a job ended meanwhile makes it throw JobEnded. Thread-safe.
class ThreadGroup {
 public:
  ThreadGroup(int size, std::shared_ptr<ThreadJob> job);
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;

  int size() const { return size_; }
  const std::shared_ptr<ThreadJob>& job() const { return job_; }

  void barrier();
  /// Every member's `mine`, indexed by member.
  std::vector<std::string> allgather(int member, std::string mine);
  /// MPI_Comm_split: the members passing the same `color` form a new group ordered by (`key`, member); a
  /// negative color joins none (nullptr). Returns the new group and this member's index in it.
  std::pair<std::shared_ptr<ThreadGroup>, int> split(int member, int color, int key);

 private:
  const int size_;
  std::shared_ptr<ThreadJob> job_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  int waiting_ = 0;
  std::size_t generation_ = 0;
  std::vector<std::string> slots_;                            // allgather: one per member
  std::map<int, std::shared_ptr<ThreadGroup>> split_groups_;  // split: made by member 0, by color
};

}  // namespace railcheck
