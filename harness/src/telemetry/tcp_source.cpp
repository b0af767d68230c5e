// The host's TCP counters from /proc/net/snmp (per network namespace: what this process's sockets see).
#include <fstream>
#include <sstream>

#include "railcheck/telemetry/counter_sources.h"

namespace railcheck::telemetry {
namespace {

// The "Tcp:" fields that count events; the others are settings (RtoMin, MaxConn) or a gauge (CurrEstab).
bool is_tcp_counter(const std::string& name) {
  for (const char* counter : {"ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets", "InSegs", "OutSegs",
                              "RetransSegs", "InErrs", "OutRsts", "InCsumErrors"}) {
    if (name == counter) return true;
  }
  return false;
}

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

class TcpSource final : public CounterSource {
 public:
  explicit TcpSource(SysfsRoot root) : root_(std::move(root)) {}

  void read(CounterSnapshot& into) const override {
    const std::filesystem::path file = root_.path("/proc/net/snmp");
    std::ifstream in(file);
    std::string names;
    std::string values;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("Tcp:", 0) != 0) continue;
      if (names.empty()) {
        names = line;
      } else {
        values = line;
        break;
      }
    }
    if (values.empty()) {
      into.unread.insert("tcp: no Tcp lines in " + file.string());
      return;
    }
    const std::vector<std::string> n = words(names);
    const std::vector<std::string> v = words(values);
    for (std::size_t i = 1; i < n.size() && i < v.size(); ++i) {
      if (!is_tcp_counter(n[i])) continue;
      try {
        into.set({"tcp", ""}, n[i], std::stoull(v[i]));
      } catch (const std::exception&) {
        into.unread.insert("tcp: " + n[i] + " is not a number in " + file.string());
      }
    }
  }

 private:
  SysfsRoot root_;
};

}  // namespace

std::unique_ptr<CounterSource> tcp_source(SysfsRoot root) { return std::make_unique<TcpSource>(std::move(root)); }

}  // namespace railcheck::telemetry
