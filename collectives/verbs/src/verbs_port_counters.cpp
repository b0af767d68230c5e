#include "railcheck/collectives/verbs_port_counters.h"

#include <charconv>
#include <fstream>
#include <optional>
#include <string_view>

namespace railcheck {
namespace {

// One counter file: a decimal number and a newline. nullopt when missing or not a number.
std::optional<std::uint64_t> read_counter(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!in || !std::getline(in, text)) return std::nullopt;
  while (!text.empty() && (text.back() == ' ' || text.back() == '\r')) text.pop_back();
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

PortRetryCounters read_port_retry_counters(const std::string& root, const std::string& device, int port) {
  const std::string base = root + "/" + device + "/ports/" + std::to_string(port) + "/";
  PortRetryCounters reading;
  const auto sent = read_counter(base + "counters/port_xmit_packets");
  if (!sent) {
    reading.missing = base + "counters/port_xmit_packets";
    return reading;
  }
  reading.sent_packets = *sent;
  bool any_retry = false;
  for (std::string_view name : {"local_ack_timeout_err", "packet_seq_err", "implied_nak_seq_err"}) {
    if (const auto value = read_counter(base + "hw_counters/" + std::string(name))) {
      reading.retries += *value;
      any_retry = true;
    }
  }
  for (std::string_view name : {"req_cqe_error", "resp_cqe_error"}) {
    if (const auto value = read_counter(base + "hw_counters/" + std::string(name))) reading.errors += *value;
  }
  if (!any_retry) {
    reading.missing = base + "hw_counters/local_ack_timeout_err";
    return reading;
  }
  reading.known = true;
  return reading;
}

}  // namespace railcheck
