#include "railcheck/collectives/collective_kind.h"

#include <algorithm>
#include <array>
#include <string>

namespace railcheck {
namespace {

constexpr std::array kKinds = {CollectiveKind::kAllReduce, CollectiveKind::kAllGather, CollectiveKind::kReduceScatter,
                               CollectiveKind::kAllToAll,  CollectiveKind::kBroadcast, CollectiveKind::kReduce,
                               CollectiveKind::kSendRecv};

std::string without_underscores(std::string_view text) {
  std::string out(text);
  out.erase(std::remove(out.begin(), out.end(), '_'), out.end());
  return out;
}

}  // namespace

std::string_view key_of(CollectiveKind kind) {
  switch (kind) {
    case CollectiveKind::kAllReduce:
      return "all_reduce";
    case CollectiveKind::kAllGather:
      return "all_gather";
    case CollectiveKind::kReduceScatter:
      return "reduce_scatter";
    case CollectiveKind::kAllToAll:
      return "all_to_all";
    case CollectiveKind::kBroadcast:
      return "broadcast";
    case CollectiveKind::kReduce:
      return "reduce";
    case CollectiveKind::kSendRecv:
      return "send_recv";
  }
  return "?";
}

std::optional<CollectiveKind> parse_collective(std::string_view text) {
  if (text.ends_with("_perf")) text.remove_suffix(5);
  const std::string wanted = without_underscores(text);
  for (CollectiveKind kind : kKinds) {
    if (without_underscores(key_of(kind)) == wanted) return kind;
  }
  return std::nullopt;
}

std::span<const CollectiveKind> all_collectives() { return kKinds; }

std::string collective_choices() {
  std::string out;
  for (CollectiveKind kind : kKinds) {
    if (!out.empty()) out += ", ";
    out += key_of(kind);
  }
  return out;
}

bool takes_reduce_op(CollectiveKind kind) {
  return kind == CollectiveKind::kAllReduce || kind == CollectiveKind::kReduceScatter ||
         kind == CollectiveKind::kReduce;
}

bool takes_root(CollectiveKind kind) { return kind == CollectiveKind::kBroadcast || kind == CollectiveKind::kReduce; }

}  // namespace railcheck
