// RDMA port counters from sysfs: counters/ (the IB PortCounters, as perfquery) and hw_counters/ (the
// driver's: mlx5's retransmits, CNPs, NAK errors).
#include <cctype>

#include "railcheck/telemetry/counter_sources.h"

namespace railcheck::telemetry {
namespace {

bool all_digits(const std::string& text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return false;
  }
  return true;
}

class RdmaSource final : public CounterSource {
 public:
  RdmaSource(SysfsRoot root, std::vector<std::string> exclude) : root_(std::move(root)), exclude_(std::move(exclude)) {}

  void read(CounterSnapshot& into) const override {
    const std::string base = "/sys/class/infiniband";
    if (!root_.exists(base)) {
      into.unread.insert("rdma: no " + base + " (no RDMA devices)");
      return;
    }
    for (const std::string& device : root_.list(base)) {
      if (matches_any(device, exclude_)) continue;
      const std::string ports = base + "/" + device + "/ports";
      for (const std::string& port : root_.list(ports)) {
        const DeviceKey key{"rdma", device + "/" + port};
        for (const char* group : {"counters", "hw_counters"}) {
          const std::string dir = ports + "/" + port + "/" + group;
          for (const std::string& name : root_.list(dir)) {
            const std::optional<std::string> text = root_.read_line(dir + "/" + name);
            if (!text || !all_digits(*text)) {  // "N/A (no PMA)", EINVAL on a port in switch mode
              into.unread.insert("rdma: " + key.device + " " + group + "/" + name + ": " +
                                 (text ? "'" + *text + "' is not a count" : std::string("unreadable")));
              continue;
            }
            std::uint64_t value = 0;
            try {
              value = std::stoull(*text);
            } catch (const std::exception&) {
              into.unread.insert("rdma: " + key.device + " " + group + "/" + name + ": out of range");
              continue;
            }
            const bool words = name == "port_xmit_data" || name == "port_rcv_data";  // 4-byte words
            into.set(key, name, words ? value * 4 : value);
          }
        }
      }
    }
  }

 private:
  SysfsRoot root_;
  std::vector<std::string> exclude_;
};

}  // namespace

std::unique_ptr<CounterSource> rdma_source(SysfsRoot root, std::vector<std::string> exclude) {
  return std::make_unique<RdmaSource>(std::move(root), std::move(exclude));
}

}  // namespace railcheck::telemetry
