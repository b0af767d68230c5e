#include "railcheck/runtime/mpi_bootstrap.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "railcheck/collectives/mpi_call.h"
#include "railcheck/collectives/mpi_collective.h"
#include "railcheck/core/launcher_env.h"
#include "railcheck/runtime/cpu_affinity.h"

namespace railcheck {
namespace {

constexpr std::size_t kHostNameBytes = 256;

constexpr int kHeartbeatTag = 4242;

// Heartbeats over a communicator of their own: one MPI_Isend in flight per member, MPI_Iprobe on rank 0.
class MpiHeartbeatChannel final : public HeartbeatChannel {
 public:
  explicit MpiHeartbeatChannel(MPI_Comm world) : comm_(MpiComm::duplicate(world)) {}
  ~MpiHeartbeatChannel() override {
    // A message still in flight cannot be waited for (rank 0 may be gone): let MPI drop it.
    if (request_ != MPI_REQUEST_NULL) MPI_Request_free(&request_);
  }

  bool post(std::span<const std::byte> bytes) override {
    if (request_ != MPI_REQUEST_NULL) {
      int done = 0;
      MPI_Test(&request_, &done, MPI_STATUS_IGNORE);
      if (!done) return false;
    }
    sending_.assign(bytes.begin(), bytes.end());  // the buffer must live until the send completes
    MPI_Isend(sending_.data(), static_cast<int>(sending_.size()), MPI_BYTE, 0, kHeartbeatTag, comm_.get(), &request_);
    return true;
  }

  void flush() override {
    if (request_ != MPI_REQUEST_NULL) MPI_Wait(&request_, MPI_STATUS_IGNORE);
  }

  std::optional<Message> poll() override {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kHeartbeatTag, comm_.get(), &flag, &status);
    if (!flag) return std::nullopt;
    int bytes = 0;
    MPI_Get_count(&status, MPI_BYTE, &bytes);
    Message message{status.MPI_SOURCE, std::vector<std::byte>(static_cast<std::size_t>(bytes))};
    MPI_Recv(message.bytes.data(), bytes, MPI_BYTE, status.MPI_SOURCE, kHeartbeatTag, comm_.get(), MPI_STATUS_IGNORE);
    return message;
  }

 private:
  MpiComm comm_;
  std::vector<std::byte> sending_;
  MPI_Request request_ = MPI_REQUEST_NULL;
};

}  // namespace

void end_mpi_job(int code) {
  std::fflush(nullptr);
  std::thread([code] { MPI_Abort(MPI_COMM_WORLD, code); }).detach();
  std::this_thread::sleep_for(std::chrono::duration<double>(kAbortGraceSeconds));
  std::fprintf(stderr, "railcheck: MPI_Abort did not end the job within %.0f s (a host unreachable?); exiting %d\n",
               kAbortGraceSeconds, code);
  std::fflush(nullptr);
  std::_Exit(code);
}

MpiRuntime::MpiRuntime(int* argc, char*** argv) {
  RC_MPI_CALL(MPI_Init_thread(argc, argv, MPI_THREAD_MULTIPLE, &provided_));
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

MpiRuntime::~MpiRuntime() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized && MPI_Finalize() != MPI_SUCCESS) std::fprintf(stderr, "railcheck: warning: MPI_Finalize failed\n");
}

MpiBootstrap::MpiBootstrap() : world_(MpiComm::duplicate(MPI_COMM_WORLD)) {
  int rank = 0, size = 1;
  RC_MPI_CALL(MPI_Comm_rank(world_.get(), &rank));
  RC_MPI_CALL(MPI_Comm_size(world_.get(), &size));

  MPI_Comm shared = MPI_COMM_NULL;
  RC_MPI_CALL(MPI_Comm_split_type(world_.get(), MPI_COMM_TYPE_SHARED, rank, MPI_INFO_NULL, &shared));
  MpiComm shared_owner(shared);
  int local_rank = 0, local_size = 1;
  RC_MPI_CALL(MPI_Comm_rank(shared, &local_rank));
  RC_MPI_CALL(MPI_Comm_size(shared, &local_size));

  // Every rank's host name (fixed-width) and numbers, gathered to all.
  std::array<char, kHostNameBytes> mine{};
  const std::string host = host_name();
  std::strncpy(mine.data(), host.c_str(), mine.size() - 1);
  std::vector<char> names(kHostNameBytes * static_cast<std::size_t>(size));
  RC_MPI_CALL(
      MPI_Allgather(mine.data(), kHostNameBytes, MPI_CHAR, names.data(), kHostNameBytes, MPI_CHAR, world_.get()));
  const CpuAffinity affinity = current_cpu_affinity();
  constexpr std::size_t kNumbers = 4;
  const std::array<int, kNumbers> numbers = {local_rank, local_size, static_cast<int>(getpid()), affinity.count};
  std::vector<int> all_numbers(kNumbers * static_cast<std::size_t>(size));
  RC_MPI_CALL(MPI_Allgather(numbers.data(), kNumbers, MPI_INT, all_numbers.data(), kNumbers, MPI_INT, world_.get()));

  ranks_.resize(static_cast<std::size_t>(size));
  for (int r = 0; r < size; ++r) {
    RankInfo& info = ranks_[static_cast<std::size_t>(r)];
    info.rank = r;
    info.host = std::string(names.data() + static_cast<std::size_t>(r) * kHostNameBytes);
    const std::size_t at = kNumbers * static_cast<std::size_t>(r);
    info.pid = all_numbers[at + 2];
    info.cpu_count = all_numbers[at + 3];
  }
  hosts_ = number_hosts(ranks_);
  for (int r = 0; r < size; ++r) {  // MPI's own view of who shares memory wins over the host names
    const std::size_t at = kNumbers * static_cast<std::size_t>(r);
    ranks_[static_cast<std::size_t>(r)].local_rank = all_numbers[at];
    ranks_[static_cast<std::size_t>(r)].local_size = all_numbers[at + 1];
  }
  const std::vector<std::string> cpu_lists = allgather_strings(affinity.list);  // any length: after the sizes
  for (int r = 0; r < size; ++r) ranks_[static_cast<std::size_t>(r)].cpus = cpu_lists[static_cast<std::size_t>(r)];
  self_ = ranks_[static_cast<std::size_t>(rank)];
}

void MpiBootstrap::barrier() const { RC_MPI_CALL(MPI_Barrier(world_.get())); }

void MpiBootstrap::quiet_barrier() const {
  constexpr auto kLongestPause = std::chrono::microseconds(1000);
  MPI_Request request = MPI_REQUEST_NULL;
  RC_MPI_CALL(MPI_Ibarrier(world_.get(), &request));
  auto pause = std::chrono::microseconds(10);
  for (;;) {
    int done = 0;
    RC_MPI_CALL(MPI_Test(&request, &done, MPI_STATUS_IGNORE));
    if (done != 0) return;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, kLongestPause);
  }
}

std::vector<double> MpiBootstrap::gather(const std::vector<double>& mine, int root) const {
  std::vector<double> all;
  if (rank() == root) all.resize(mine.size() * static_cast<std::size_t>(size()));
  RC_MPI_CALL(MPI_Gather(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(),
                         static_cast<int>(mine.size()), MPI_DOUBLE, root, world_.get()));
  return all;
}

std::vector<std::string> MpiBootstrap::gather_strings(const std::string& mine, int root) const {
  const int length = static_cast<int>(mine.size());
  std::vector<int> lengths(rank() == root ? static_cast<std::size_t>(size()) : 0);
  RC_MPI_CALL(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, root, world_.get()));
  std::vector<int> offsets(lengths.size());
  int total = 0;
  for (std::size_t r = 0; r < lengths.size(); ++r) {
    offsets[r] = total;
    total += lengths[r];
  }
  std::vector<char> joined(static_cast<std::size_t>(total));
  RC_MPI_CALL(MPI_Gatherv(mine.data(), length, MPI_CHAR, joined.data(), lengths.data(), offsets.data(), MPI_CHAR, root,
                          world_.get()));
  std::vector<std::string> out;
  for (std::size_t r = 0; r < lengths.size(); ++r) {
    out.emplace_back(joined.data() + offsets[r], static_cast<std::size_t>(lengths[r]));
  }
  return out;
}

bool MpiBootstrap::all_true(bool mine) const {
  int value = mine ? 1 : 0, result = 0;
  RC_MPI_CALL(MPI_Allreduce(&value, &result, 1, MPI_INT, MPI_MIN, world_.get()));
  return result == 1;
}

int MpiBootstrap::max_over_ranks(int mine) const {
  int result = 0;
  RC_MPI_CALL(MPI_Allreduce(&mine, &result, 1, MPI_INT, MPI_MAX, world_.get()));
  return result;
}

std::string MpiBootstrap::broadcast(const std::string& text, int root) const {
  int length = static_cast<int>(text.size());
  RC_MPI_CALL(MPI_Bcast(&length, 1, MPI_INT, root, world_.get()));
  std::string out = rank() == root ? text : std::string(static_cast<std::size_t>(length), '\0');
  RC_MPI_CALL(MPI_Bcast(out.data(), length, MPI_CHAR, root, world_.get()));
  return out;
}

std::vector<std::string> MpiBootstrap::allgather_strings(const std::string& mine) const {
  const int length = static_cast<int>(mine.size());
  std::vector<int> lengths(static_cast<std::size_t>(size()));
  RC_MPI_CALL(MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, world_.get()));
  std::vector<int> offsets(lengths.size());
  int total = 0;
  for (std::size_t r = 0; r < lengths.size(); ++r) {
    offsets[r] = total;
    total += lengths[r];
  }
  std::vector<char> joined(static_cast<std::size_t>(total) + 1);
  RC_MPI_CALL(MPI_Allgatherv(mine.data(), length, MPI_CHAR, joined.data(), lengths.data(), offsets.data(), MPI_CHAR,
                             world_.get()));
  std::vector<std::string> out;
  for (std::size_t r = 0; r < lengths.size(); ++r) {
    out.emplace_back(joined.data() + offsets[r], static_cast<std::size_t>(lengths[r]));
  }
  return out;
}

std::unique_ptr<Collective> MpiBootstrap::make_host_collective() const { return make_mpi_collective(world_.get()); }

std::unique_ptr<HeartbeatChannel> MpiBootstrap::open_heartbeat_channel() const {
  return std::make_unique<MpiHeartbeatChannel>(world_.get());
}

bool MpiBootstrap::launched_by_mpirun_daemons() const {
  return std::getenv("OMPI_MCA_orte_hnp_uri") != nullptr || std::getenv("PRTE_LAUNCHED") != nullptr;
}

}  // namespace railcheck
