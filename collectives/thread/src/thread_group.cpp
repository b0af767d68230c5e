#include "railcheck/collectives/thread_group.h"

#include <algorithm>
#include <chrono>
#include <sstream>

namespace railcheck {

void ThreadJob::end(int code) {
  std::lock_guard lock(mutex_);
  if (!code_) code_ = code;
}

std::optional<int> ThreadJob::ended() const {
  std::lock_guard lock(mutex_);
  return code_;
}

void ThreadJob::throw_if_ended() const {
  if (const auto code = ended()) throw JobEnded(*code);
}

ThreadGroup::ThreadGroup(int size, std::shared_ptr<ThreadJob> job)
    : size_(size), job_(std::move(job)), slots_(static_cast<std::size_t>(size)) {}

void ThreadGroup::barrier() {
  // Waits in short slices so that a job ended from any thread (the watchdog's) wakes every group's members
  // without the job having to know its groups.
  constexpr auto kSlice = std::chrono::milliseconds(10);
  std::unique_lock lock(mutex_);
  job_->throw_if_ended();
  const std::size_t generation = generation_;
  if (++waiting_ == size_) {
    waiting_ = 0;
    ++generation_;
    arrived_.notify_all();
    return;
  }
  while (generation_ == generation) {
    arrived_.wait_for(lock, kSlice);
    if (generation_ == generation) job_->throw_if_ended();
  }
}

std::vector<std::string> ThreadGroup::allgather(int member, std::string mine) {
  {
    std::lock_guard lock(mutex_);
    slots_[static_cast<std::size_t>(member)] = std::move(mine);
  }
  barrier();  // every slot written
  std::vector<std::string> all;
  {
    std::lock_guard lock(mutex_);
    all = slots_;
  }
  barrier();  // every slot read: the next call may write again
  return all;
}

std::pair<std::shared_ptr<ThreadGroup>, int> ThreadGroup::split(int member, int color, int key) {
  const std::vector<std::string> all = allgather(member, std::to_string(color) + " " + std::to_string(key));
  std::vector<std::pair<int, int>> color_key;
  for (const std::string& text : all) {
    std::istringstream in(text);
    int c = 0, k = 0;
    in >> c >> k;
    color_key.emplace_back(c, k);
  }
  if (member == 0) {
    std::map<int, int> sizes;
    for (const auto& [c, k] : color_key) {
      if (c >= 0) ++sizes[c];
    }
    std::lock_guard lock(mutex_);
    split_groups_.clear();
    for (const auto& [c, n] : sizes) split_groups_[c] = std::make_shared<ThreadGroup>(n, job_);
  }
  barrier();  // the new groups exist
  std::shared_ptr<ThreadGroup> group;
  int index = -1;
  if (color >= 0) {
    std::vector<std::pair<int, int>> members;  // (key, member) of my color
    for (int m = 0; m < size_; ++m) {
      if (color_key[static_cast<std::size_t>(m)].first == color)
        members.emplace_back(color_key[static_cast<std::size_t>(m)].second, m);
    }
    std::sort(members.begin(), members.end());
    index = static_cast<int>(std::find(members.begin(), members.end(), std::pair(key, member)) - members.begin());
    std::lock_guard lock(mutex_);
    group = split_groups_.at(color);
  }
  barrier();  // every member took its group: the next split may replace them
  return {group, index};
}

}  // namespace railcheck
