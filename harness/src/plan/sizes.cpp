#include "railcheck/plan/sizes.h"

#include <cctype>
#include <charconv>

namespace railcheck {

std::optional<std::size_t> parse_size(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::size_t value = 0;
  const char* const last = text.data() + text.size();
  auto [end, ec] = std::from_chars(text.data(), last, value);
  if (ec != std::errc{} || end == text.data()) return std::nullopt;
  // A decimal part, as nccl-tests' parsesize reads "1.5K" (its sscanf("%lf")): the bytes are truncated.
  std::string_view fraction;
  if (end != last && *end == '.') {
    const char* digits = end + 1;
    const char* stop = digits;
    while (stop != last && std::isdigit(static_cast<unsigned char>(*stop))) ++stop;
    if (stop == digits) return std::nullopt;
    fraction = std::string_view(digits, static_cast<std::size_t>(stop - digits));
    end = stop;
  }
  std::string_view suffix(end, static_cast<std::size_t>(last - end));
  if (!suffix.empty() && (suffix.back() == 'B' || suffix.back() == 'b')) suffix.remove_suffix(1);
  if (suffix.size() > 1) return std::nullopt;
  int shift = 0;
  if (!suffix.empty()) {
    switch (std::toupper(static_cast<unsigned char>(suffix.front()))) {
      case 'K':
        shift = 10;
        break;
      case 'M':
        shift = 20;
        break;
      case 'G':
        shift = 30;
        break;
      case 'T':
        shift = 40;
        break;
      default:
        return std::nullopt;
    }
  }
  if (shift > 0 && value > (~std::size_t{0} >> shift)) return std::nullopt;
  std::size_t bytes = value << shift;
  if (!fraction.empty()) {
    // Whole bytes of 0.<fraction> << shift, exactly: the first 15 digits are plenty below 2^40.
    fraction = fraction.substr(0, 15);
    std::size_t numerator = 0, denominator = 1;
    for (const char digit : fraction) {
      numerator = numerator * 10 + static_cast<std::size_t>(digit - '0');
      denominator *= 10;
    }
    const unsigned __int128 part = (static_cast<unsigned __int128>(numerator) << shift) / denominator;
    if (part > ~std::size_t{0} - bytes) return std::nullopt;
    bytes += static_cast<std::size_t>(part);
  }
  return bytes;
}

std::string format_size(std::size_t bytes) {
  // Exact, never rounded: the largest unit that divides the size (messages compare sizes; 1025 is not 1K).
  constexpr const char* kUnits[] = {"", "K", "M", "G", "T"};
  int unit = 0;
  while (bytes != 0 && bytes % 1024 == 0 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return std::to_string(bytes) + kUnits[unit];
}

std::vector<std::size_t> size_sweep(std::size_t min_bytes, std::size_t max_bytes, std::size_t step_bytes,
                                    double step_factor) {
  std::vector<std::size_t> sizes;
  if (min_bytes > max_bytes) return sizes;
  std::size_t size = min_bytes;
  while (size <= max_bytes) {
    sizes.push_back(size);
    std::size_t next = size;
    if (step_factor > 1.0) {
      // Compare in floating point first: converting a product past SIZE_MAX back to size_t is undefined.
      const double scaled = static_cast<double>(size) * step_factor;
      if (scaled > static_cast<double>(max_bytes)) break;
      next = static_cast<std::size_t>(scaled);
      if (next <= size) next = size + 1;  // a factor that rounds back to the same size still advances
    } else {
      if (step_bytes == 0 || max_bytes - size < step_bytes) break;
      next = size + step_bytes;
    }
    size = next;
  }
  return sizes;
}

}  // namespace railcheck
