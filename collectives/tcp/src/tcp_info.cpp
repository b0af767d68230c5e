#include "tcp_info.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>

namespace railcheck {

std::optional<TcpSocketCounters> read_tcp_counters(int fd) noexcept {
  struct tcp_info info {};
  socklen_t length = sizeof info;
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return std::nullopt;
  // Kernels before 4.6 return a shorter struct without tcpi_data_segs_out.
  if (length < offsetof(struct tcp_info, tcpi_data_segs_out) + sizeof info.tcpi_data_segs_out) return std::nullopt;
  TcpSocketCounters counters{info.tcpi_data_segs_out, info.tcpi_total_retrans, 0};
  if (length >= offsetof(struct tcp_info, tcpi_dsack_dups) + sizeof info.tcpi_dsack_dups) {
    counters.spurious = info.tcpi_dsack_dups;
  }
  return counters;
}

}  // namespace railcheck
