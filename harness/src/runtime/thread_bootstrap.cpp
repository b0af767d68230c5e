#include "railcheck/runtime/thread_bootstrap.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <mutex>
#include <sstream>
#include <thread>

#include "railcheck/collectives/thread_collective.h"
#include "railcheck/core/exit_codes.h"
#include "railcheck/runtime/cpu_affinity.h"

namespace railcheck {

class ThreadWorld {
 public:
  explicit ThreadWorld(const std::vector<std::string>& hosts)
      : job_(std::make_shared<ThreadJob>()),
        group_(std::make_shared<ThreadGroup>(static_cast<int>(hosts.size()), job_)) {
    const CpuAffinity affinity = current_cpu_affinity();
    for (std::size_t r = 0; r < hosts.size(); ++r) {
      RankInfo info;
      info.rank = static_cast<int>(r);
      info.host = hosts[r];
      info.pid = static_cast<int>(getpid());
      info.cpus = affinity.list;
      info.cpu_count = affinity.count;
      ranks_.push_back(info);
    }
    host_names_ = number_hosts(ranks_);
  }

  const std::vector<RankInfo>& ranks() const { return ranks_; }
  const std::vector<std::string>& hosts() const { return host_names_; }
  ThreadGroup& group() const { return *group_; }
  const std::shared_ptr<ThreadGroup>& group_ptr() const { return group_; }
  ThreadJob& job() const { return *job_; }

  // The heartbeat mailbox of rank 0: messages in arrival order.
  void deliver(HeartbeatChannel::Message message) {
    std::lock_guard lock(mailbox_mutex_);
    mailbox_.push_back(std::move(message));
  }
  std::optional<HeartbeatChannel::Message> take() {
    std::lock_guard lock(mailbox_mutex_);
    if (mailbox_.empty()) return std::nullopt;
    HeartbeatChannel::Message message = std::move(mailbox_.front());
    mailbox_.pop_front();
    return message;
  }

 private:
  std::shared_ptr<ThreadJob> job_;
  std::shared_ptr<ThreadGroup> group_;
  std::vector<RankInfo> ranks_;
  std::vector<std::string> host_names_;
  std::mutex mailbox_mutex_;
  std::deque<HeartbeatChannel::Message> mailbox_;
};

namespace {

// Delivered at once into rank 0's mailbox: nothing is ever in flight.
class ThreadHeartbeatChannel final : public HeartbeatChannel {
 public:
  ThreadHeartbeatChannel(std::shared_ptr<ThreadWorld> world, int rank) : world_(std::move(world)), rank_(rank) {}
  bool post(std::span<const std::byte> bytes) override {
    world_->deliver({rank_, std::vector<std::byte>(bytes.begin(), bytes.end())});
    return true;
  }
  void flush() override {}
  std::optional<Message> poll() override { return world_->take(); }

 private:
  std::shared_ptr<ThreadWorld> world_;
  int rank_;
};

std::string doubles_to_bytes(const std::vector<double>& values) {
  std::string bytes(values.size() * sizeof(double), '\0');
  if (!values.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

}  // namespace

ThreadBootstrap::ThreadBootstrap(std::shared_ptr<ThreadWorld> world, int rank)
    : world_(std::move(world)), rank_(rank) {}
ThreadBootstrap::~ThreadBootstrap() = default;

const RankInfo& ThreadBootstrap::self() const { return world_->ranks()[static_cast<std::size_t>(rank_)]; }
const std::vector<RankInfo>& ThreadBootstrap::ranks() const { return world_->ranks(); }
const std::vector<std::string>& ThreadBootstrap::hosts() const { return world_->hosts(); }

void ThreadBootstrap::barrier() const { world_->group().barrier(); }

std::vector<std::string> ThreadBootstrap::allgather_strings(const std::string& mine) const {
  return world_->group().allgather(rank_, mine);
}

std::vector<std::string> ThreadBootstrap::gather_strings(const std::string& mine, int root) const {
  std::vector<std::string> all = allgather_strings(mine);
  if (rank_ != root) all.clear();
  return all;
}

std::vector<double> ThreadBootstrap::gather(const std::vector<double>& mine, int root) const {
  const std::vector<std::string> all = gather_strings(doubles_to_bytes(mine), root);
  std::vector<double> out;
  for (const std::string& bytes : all) {
    const std::size_t at = out.size();
    out.resize(at + bytes.size() / sizeof(double));
    if (!bytes.empty()) std::memcpy(out.data() + at, bytes.data(), bytes.size());
  }
  return out;
}

std::string ThreadBootstrap::broadcast(const std::string& text, int root) const {
  return allgather_strings(rank_ == root ? text : std::string())[static_cast<std::size_t>(root)];
}

bool ThreadBootstrap::all_true(bool mine) const {
  const std::vector<std::string> all = allgather_strings(mine ? "1" : "0");
  return std::all_of(all.begin(), all.end(), [](const std::string& v) { return v == "1"; });
}

int ThreadBootstrap::max_over_ranks(int mine) const {
  int result = mine;
  for (const std::string& v : allgather_strings(std::to_string(mine))) result = std::max(result, std::stoi(v));
  return result;
}

std::unique_ptr<Collective> ThreadBootstrap::make_host_collective() const {
  // A group of its own (a duplicate, as MPI backends get): the runner's traffic never meets the bootstrap's.
  auto [group, index] = world_->group().split(rank_, 0, rank_);
  return make_thread_collective(std::move(group), index);
}

std::unique_ptr<HeartbeatChannel> ThreadBootstrap::open_heartbeat_channel() const {
  barrier();  // collective, as its MPI twin (a communicator duplicate) is
  return std::make_unique<ThreadHeartbeatChannel>(world_, rank_);
}

void ThreadBootstrap::end_job(int code) const { world_->job().end(code); }

bool ThreadBootstrap::job_ended() const { return world_->job().ended().has_value(); }

std::vector<RankOutcome> run_ranks(const std::vector<std::string>& hosts,
                                   const std::function<void(const Bootstrap&)>& body) {
  auto world = std::make_shared<ThreadWorld>(hosts);
  std::vector<RankOutcome> outcomes(hosts.size());
  std::vector<std::thread> threads;
  for (std::size_t r = 0; r < hosts.size(); ++r) {
    threads.emplace_back([&, r] {
      const ThreadBootstrap bootstrap(world, static_cast<int>(r));
      try {
        body(bootstrap);
      } catch (...) {
        outcomes[r].error = std::current_exception();
        bootstrap.end_job(kExitHarnessError);  // a no-op when the job had already ended
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (RankOutcome& outcome : outcomes) outcome.job_ended = world->job().ended();
  return outcomes;
}

}  // namespace railcheck
