// Byte sizes as nccl-tests reads and sweeps them (-b, -e, -i, -f).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace railcheck {

/// "8", "1K", "64M", "1G" (powers of 1024, as nccl-tests), optional trailing "B". nullopt when malformed.
std::optional<std::size_t> parse_size(std::string_view text);

/// Exact text for messages: the largest 1024-based unit that divides the size ("1K", "64M"), else bytes
/// ("1536", "1025"). Never rounded, so two different sizes never print alike.
std::string format_size(std::size_t bytes);

/// The sizes nccl-tests visits: from min to max (inclusive), multiplying by step_factor when it is > 1,
/// else adding step_bytes. A step of 0 with factor <= 1 yields min only.
std::vector<std::size_t> size_sweep(std::size_t min_bytes, std::size_t max_bytes, std::size_t step_bytes,
                                    double step_factor);

}  // namespace railcheck
