#include "socket_fd.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace railcheck {

std::string errno_text(int error) {
  const char* name = strerrorname_np(error);
  return std::string(std::strerror(error)) + " (errno " + std::to_string(error) +
         (name ? std::string(", ") + name : "") + ")";
}

SocketFd& SocketFd::operator=(SocketFd&& other) noexcept {
  if (this != &other) {
    SocketFd old(release());
    fd_ = other.release();
  }
  return *this;
}

SocketFd::~SocketFd() {
  if (fd_ >= 0 && ::close(fd_) != 0)
    std::fprintf(stderr, "railcheck: warning: close(%d): %s\n", fd_, std::strerror(errno));
}

int SocketFd::release() noexcept {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

std::string to_string(const sockaddr_in& address) {
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &address.sin_addr, text, sizeof text);
  return std::string(text) + ":" + std::to_string(ntohs(address.sin_port));
}

SocketFd make_tcp_socket(std::size_t buffer_bytes) {
  SocketFd fd(RC_SYS_CALL(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)));
  const int one = 1;
  RC_SYS_CALL(::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
  RC_SYS_CALL(::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
  if (buffer_bytes > 0) {
    const int size = static_cast<int>(buffer_bytes);
    RC_SYS_CALL(::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &size, sizeof size));
    RC_SYS_CALL(::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size));
  }
  return fd;
}

bool poll_until(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left < 0) return false;
    pollfd entry{fd, events, 0};
    const int n = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left + 1, 1000)));
    if (n < 0 && errno == EINTR) continue;
    RC_SYS_CALL(n);
    if (n > 0) return true;
  }
}

void send_all(int fd, const void* data, std::size_t bytes, Clock::time_point deadline, const std::string& peer,
              const char* what) {
  const auto* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::send(fd, p, bytes, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      p += n;
      bytes -= static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      throw Error(std::string("sending ") + what + " to " + peer + " failed: " + errno_text(errno));
    }
    if (!poll_until(fd, POLLOUT, deadline)) throw Error(std::string("timed out sending ") + what + " to " + peer);
  }
}

void recv_all(int fd, void* data, std::size_t bytes, Clock::time_point deadline, const std::string& peer,
              const char* what) {
  auto* p = static_cast<char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::recv(fd, p, bytes, MSG_DONTWAIT);
    if (n > 0) {
      p += n;
      bytes -= static_cast<std::size_t>(n);
      continue;
    }
    if (n == 0) throw Error(std::string("peer ") + peer + " closed the connection while railcheck waited for " + what);
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      throw Error(std::string("receiving ") + what + " from " + peer + " failed: " + errno_text(errno));
    }
    if (!poll_until(fd, POLLIN, deadline)) {
      throw Error(std::string("timed out waiting for ") + what + " from " + peer);
    }
  }
}

}  // namespace railcheck
