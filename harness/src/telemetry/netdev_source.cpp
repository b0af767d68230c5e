// Interface statistics over rtnetlink: one RTM_GETLINK dump per read.
#include <fnmatch.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

#include "railcheck/telemetry/counter_sources.h"

namespace railcheck::telemetry {
namespace {

// A netlink socket, closed on scope exit.
class NetlinkSocket {
 public:
  NetlinkSocket() : fd_(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)) {}
  NetlinkSocket(const NetlinkSocket&) = delete;
  NetlinkSocket& operator=(const NetlinkSocket&) = delete;
  ~NetlinkSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

// rtnl_link_stats64's fields under the names /sys/class/net/<if>/statistics uses.
void add_stats(const rtnl_link_stats64& s, const DeviceKey& key, CounterSnapshot& into) {
  const std::pair<const char*, std::uint64_t> fields[] = {
      {"rx_packets", s.rx_packets},
      {"tx_packets", s.tx_packets},
      {"rx_bytes", s.rx_bytes},
      {"tx_bytes", s.tx_bytes},
      {"rx_errors", s.rx_errors},
      {"tx_errors", s.tx_errors},
      {"rx_dropped", s.rx_dropped},
      {"tx_dropped", s.tx_dropped},
      {"multicast", s.multicast},
      {"collisions", s.collisions},
      {"rx_length_errors", s.rx_length_errors},
      {"rx_over_errors", s.rx_over_errors},
      {"rx_crc_errors", s.rx_crc_errors},
      {"rx_frame_errors", s.rx_frame_errors},
      {"rx_fifo_errors", s.rx_fifo_errors},
      {"rx_missed_errors", s.rx_missed_errors},
      {"tx_aborted_errors", s.tx_aborted_errors},
      {"tx_carrier_errors", s.tx_carrier_errors},
      {"tx_fifo_errors", s.tx_fifo_errors},
      {"tx_heartbeat_errors", s.tx_heartbeat_errors},
      {"tx_window_errors", s.tx_window_errors},
      {"rx_nohandler", s.rx_nohandler},
  };
  for (const auto& [name, value] : fields) into.set(key, name, value);
}

void add_link(const nlmsghdr* header, const std::vector<std::string>& exclude, CounterSnapshot& into) {
  const auto* info = static_cast<const ifinfomsg*>(NLMSG_DATA(header));
  int length = static_cast<int>(header->nlmsg_len) - static_cast<int>(NLMSG_LENGTH(sizeof(ifinfomsg)));
  std::string name;
  const void* stats = nullptr;
  std::size_t stats_size = 0;
  std::array<std::pair<const char*, std::optional<std::uint32_t>>, 3> carrier = {
      {{"carrier_changes", {}}, {"carrier_up_count", {}}, {"carrier_down_count", {}}}};
  for (const rtattr* a = IFLA_RTA(info); RTA_OK(a, length); a = RTA_NEXT(a, length)) {
    const void* data = RTA_DATA(a);
    const std::size_t size = RTA_PAYLOAD(a);
    switch (a->rta_type) {
      case IFLA_IFNAME:
        name.assign(static_cast<const char*>(data), strnlen(static_cast<const char*>(data), size));
        break;
      case IFLA_STATS64:
        stats = data;
        stats_size = size;
        break;
      case IFLA_CARRIER_CHANGES:
      case IFLA_CARRIER_UP_COUNT:
      case IFLA_CARRIER_DOWN_COUNT:
        if (size >= sizeof(std::uint32_t)) {
          std::uint32_t value = 0;
          std::memcpy(&value, data, sizeof value);
          const std::size_t slot = a->rta_type == IFLA_CARRIER_CHANGES    ? 0
                                   : a->rta_type == IFLA_CARRIER_UP_COUNT ? 1
                                                                          : 2;
          carrier[slot].second = value;
        }
        break;
      default:
        break;
    }
  }
  if (name.empty() || matches_any(name, exclude)) return;
  const DeviceKey key{"netdev", name};
  if (stats != nullptr) {
    rtnl_link_stats64 copy{};  // the kernel's struct may be shorter (older) or longer (newer) than ours
    std::memcpy(&copy, stats, std::min(sizeof copy, stats_size));
    add_stats(copy, key, into);
  }
  for (const auto& [counter, value] : carrier) {
    if (value) into.set(key, counter, *value);
  }
}

class NetdevSource final : public CounterSource {
 public:
  explicit NetdevSource(std::vector<std::string> exclude) : exclude_(std::move(exclude)) {}

  void read(CounterSnapshot& into) const override {
    const NetlinkSocket socket;
    if (socket.fd() < 0) {
      into.unread.insert(std::string("netdev: netlink socket: ") + std::strerror(errno));
      return;
    }
    struct {
      nlmsghdr header;
      ifinfomsg info;
    } request{};
    request.header.nlmsg_len = NLMSG_LENGTH(sizeof(ifinfomsg));
    request.header.nlmsg_type = RTM_GETLINK;
    request.header.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    request.header.nlmsg_seq = 1;
    request.info.ifi_family = AF_UNSPEC;
    if (::send(socket.fd(), &request, request.header.nlmsg_len, 0) < 0) {
      into.unread.insert(std::string("netdev: netlink request: ") + std::strerror(errno));
      return;
    }
    std::vector<char> buffer(64 * 1024);
    for (;;) {
      const ssize_t got = ::recv(socket.fd(), buffer.data(), buffer.size(), 0);
      if (got < 0) {
        if (errno == EINTR) continue;
        into.unread.insert(std::string("netdev: netlink reply: ") + std::strerror(errno));
        return;
      }
      int left = static_cast<int>(got);
      for (auto* h = reinterpret_cast<nlmsghdr*>(buffer.data()); NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
        if (h->nlmsg_type == NLMSG_DONE) return;
        if (h->nlmsg_type == NLMSG_ERROR) {
          const auto* error = static_cast<const nlmsgerr*>(NLMSG_DATA(h));
          into.unread.insert(std::string("netdev: netlink: ") + std::strerror(-error->error));
          return;
        }
        if (h->nlmsg_type == RTM_NEWLINK) add_link(h, exclude_, into);
      }
      if (got == 0) return;
    }
  }

 private:
  std::vector<std::string> exclude_;
};

}  // namespace

bool matches_any(const std::string& name, const std::vector<std::string>& patterns) {
  for (const std::string& pattern : patterns) {
    if (::fnmatch(pattern.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

std::unique_ptr<CounterSource> netdev_source(std::vector<std::string> exclude) {
  return std::make_unique<NetdevSource>(std::move(exclude));
}

}  // namespace railcheck::telemetry
