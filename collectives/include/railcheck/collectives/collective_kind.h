// The collectives railcheck measures, with their stable snake_case keys.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace railcheck {

enum class CollectiveKind { kAllReduce, kAllGather, kReduceScatter, kAllToAll, kBroadcast, kReduce, kSendRecv };

/// Stable key used in records and baselines: all_reduce, all_gather, reduce_scatter, all_to_all, broadcast,
/// reduce, send_recv. Never renamed.
std::string_view key_of(CollectiveKind kind);
/// Accepts the key, nccl-tests' binary stem (all_reduce_perf), and the dashless CLI form (allreduce).
std::optional<CollectiveKind> parse_collective(std::string_view text);
std::span<const CollectiveKind> all_collectives();
/// "all_reduce, all_gather, ..." for error messages.
std::string collective_choices();

/// Whether the collective takes a reduction operator (-o) / a root rank (-r).
bool takes_reduce_op(CollectiveKind kind);
bool takes_root(CollectiveKind kind);

}  // namespace railcheck
