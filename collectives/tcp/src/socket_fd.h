// RC_SYS_CALL and the socket helpers the TCP transport shares: an owned fd, deadline-bounded I/O, addresses.
#pragma once

#include <netinet/in.h>

#include <chrono>
#include <cstddef>
#include <string>

#include "railcheck/core/error.h"

// Converts a failing POSIX call (result < 0) into railcheck::Error with the call text, errno text and place.
#define RC_SYS_CALL(call)                                                                                      \
  ([&]() {                                                                                                     \
    const auto rc_sys_result_ = (call);                                                                        \
    if (rc_sys_result_ < 0) {                                                                                  \
      throw ::railcheck::Error(                                                                                \
          ::railcheck::format_call_error("POSIX", #call, __FILE__, __LINE__, ::railcheck::errno_text(errno))); \
    }                                                                                                          \
    return rc_sys_result_;                                                                                     \
  }())

namespace railcheck {

using Clock = std::chrono::steady_clock;

/// "Connection refused (errno 111, ECONNREFUSED)"-style text.
std::string errno_text(int error);

/// A move-only owner of one file descriptor; closes it on destruction.
class SocketFd {
 public:
  SocketFd() = default;
  explicit SocketFd(int fd) noexcept : fd_(fd) {}
  SocketFd(SocketFd&& other) noexcept : fd_(other.release()) {}
  SocketFd& operator=(SocketFd&& other) noexcept;
  SocketFd(const SocketFd&) = delete;
  SocketFd& operator=(const SocketFd&) = delete;
  ~SocketFd();
  int get() const noexcept { return fd_; }
  int release() noexcept;
  explicit operator bool() const noexcept { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// "10.77.0.3:40123".
std::string to_string(const sockaddr_in& address);
/// A non-blocking TCP socket with TCP_NODELAY and, when buffer_bytes > 0, SO_SNDBUF/SO_RCVBUF set.
SocketFd make_tcp_socket(std::size_t buffer_bytes);
/// Waits for `events` on `fd` until `deadline`; false on timeout. Throws on poll failure.
bool poll_until(int fd, short events, Clock::time_point deadline);
/// Sends/receives exactly `bytes` on a non-blocking socket before `deadline`. Throws Error naming `peer` and
/// `what` on timeout, close or failure.
void send_all(int fd, const void* data, std::size_t bytes, Clock::time_point deadline, const std::string& peer,
              const char* what);
void recv_all(int fd, void* data, std::size_t bytes, Clock::time_point deadline, const std::string& peer,
              const char* what);

}  // namespace railcheck
