#include "railcheck/run/memory_guard.h"

#include <cstdio>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "railcheck/collectives/coll_counts.h"
#include "railcheck/core/error.h"
#include "railcheck/runtime/host_memory.h"

namespace railcheck {
namespace {

std::string gib(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return text;
}

// This rank's budget; {"known": false} where it cannot tell.
nlohmann::json my_budget(const Bootstrap& bootstrap, const Collective& collective) {
  if (const auto free_device = collective.free_device_memory_bytes()) {
    return {{"known", true}, {"device", true}, {"bytes", *free_device}, {"source", "free GPU memory"}};
  }
  const auto available = available_host_memory_bytes();
  if (!available) return {{"known", false}};
  const int sharing = std::max(1, bootstrap.self().local_size);
  return {{"known", true},
          {"bytes", *available / static_cast<std::size_t>(sharing)},
          {"source", "MemAvailable " + gib(*available) + " shared by " + std::to_string(sharing) + " rank" +
                         (sharing == 1 ? "" : "s")}};
}

}  // namespace

BufferBudget agreed_buffer_budget(const Bootstrap& bootstrap, const Collective& collective) {
  const nlohmann::json mine = my_budget(bootstrap, collective);
  const std::vector<std::string> all = bootstrap.allgather_strings(mine.dump());
  BufferBudget smallest;
  smallest.device_memory = mine.value("device", false);  // the same backend on every rank
  for (std::size_t r = 0; r < all.size(); ++r) {
    const nlohmann::json budget = nlohmann::json::parse(all[r]);
    if (!budget.at("known").get<bool>()) continue;
    const auto bytes = budget.at("bytes").get<std::size_t>();
    if (smallest.known && bytes >= smallest.bytes) continue;
    smallest.known = true;
    smallest.bytes = bytes;
    smallest.rank = static_cast<int>(r);
    smallest.host = bootstrap.ranks()[r].host;
    smallest.source = budget.at("source").get<std::string>();
  }
  return smallest;
}

std::size_t buffer_bytes_needed(const CollectiveTestSpec& spec, int nranks, bool device_memory) {
  const CollCounts counts = coll_counts(spec.kind, spec.max_bytes, spec.type, nranks);
  const std::size_t width = size_of(spec.type);
  // Counts come from max_bytes / width, so these products stay within max_bytes times n.
  const std::size_t buffers = (counts.send_count + counts.recv_count) * width;
  // A host backend's check holds an input and an output copy beside the buffers.
  const bool host_copies = !device_memory && spec.check_iters > 0;
  return host_copies ? 2 * buffers : buffers;
}

void require_buffers_fit(const CollectiveTestSpec& spec, int nranks, const BufferBudget& budget) {
  if (!budget.known) return;
  const bool device_memory = budget.device_memory;
  const std::size_t needed = buffer_bytes_needed(spec, nranks, device_memory);
  if (needed <= budget.bytes) return;
  throw InputError("test '" + spec.name + "': max_bytes " + std::to_string(spec.max_bytes) + " needs " + gib(needed) +
                   " of " + (device_memory ? "GPU" : "host") + " memory per rank, more than the " + gib(budget.bytes) +
                   " rank " + std::to_string(budget.rank) + " (" + budget.host + ") has (" + budget.source +
                   "); lower -e / max_bytes");
}

}  // namespace railcheck
