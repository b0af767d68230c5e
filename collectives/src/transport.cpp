#include "railcheck/collectives/transport.h"

#include <cstdio>
#include <cstring>

#include "railcheck/core/error.h"

namespace railcheck {
namespace {

std::uint32_t read_u32(std::span<const std::byte> b) {
  return std::to_integer<std::uint32_t>(b[0]) | std::to_integer<std::uint32_t>(b[1]) << 8 |
         std::to_integer<std::uint32_t>(b[2]) << 16 | std::to_integer<std::uint32_t>(b[3]) << 24;
}

std::string hex32(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", value);
  return text;
}

}  // namespace

std::string_view name_of(TransportId id) {
  switch (id) {
    case TransportId::kTcp:
      return "tcp";
    case TransportId::kVerbs:
      return "verbs";
  }
  return "unknown";
}

std::string_view name_of(TransferOp op) {
  switch (op) {
    case TransferOp::kSend:
      return "send";
    case TransferOp::kWrite:
      return "write";
    case TransferOp::kRead:
      return "read";
  }
  return "unknown";
}

TransferOp parse_transfer_op(std::string_view text, std::string_view what) {
  for (TransferOp op : {TransferOp::kSend, TransferOp::kWrite, TransferOp::kRead}) {
    if (text == name_of(op)) return op;
  }
  throw InputError(std::string(what) + " '" + std::string(text) +
                   "' is not a transfer; choose write (RDMA WRITE, ib_write_bw), send (ib_send_bw) or read "
                   "(RDMA READ, ib_read_bw)");
}

RequestId Endpoint::iwrite(const MemoryRegion&, std::size_t, std::uint64_t, std::size_t) {
  throw Error("RDMA write to " + peer() + ": this transport has no one-sided operations (use send)");
}

RequestId Endpoint::iread(const MemoryRegion&, std::size_t, std::uint64_t, std::size_t) {
  throw Error("RDMA read from " + peer() + ": this transport has no one-sided operations (use send)");
}

ListenHandle ListenHandle::make(TransportId transport, std::uint8_t version, std::span<const std::byte> payload) {
  if (payload.size() > kMaxBytes - kHeaderBytes) {
    throw Error("listen handle payload of " + std::to_string(payload.size()) + " bytes exceeds the " +
                std::to_string(kMaxBytes - kHeaderBytes) + "-byte limit");
  }
  ListenHandle handle;
  handle.bytes_.resize(kHeaderBytes + payload.size());
  for (int i = 0; i < 4; ++i) handle.bytes_[i] = std::byte((kMagic >> (8 * i)) & 0xff);
  handle.bytes_[4] = std::byte(static_cast<std::uint8_t>(transport));
  handle.bytes_[5] = std::byte(version);
  handle.bytes_[6] = std::byte(payload.size() & 0xff);
  handle.bytes_[7] = std::byte((payload.size() >> 8) & 0xff);
  std::memcpy(handle.bytes_.data() + kHeaderBytes, payload.data(), payload.size());
  return handle;
}

ListenHandle ListenHandle::from_bytes(std::span<const std::byte> bytes) {
  ListenHandle handle;
  handle.bytes_.assign(bytes.begin(), bytes.end());
  return handle;
}

std::span<const std::byte> ListenHandle::payload(TransportId transport, std::uint8_t version, std::size_t payload_bytes,
                                                 std::string_view from) const {
  const std::string who = "listen handle from " + std::string(from);
  if (bytes_.size() < kHeaderBytes) {
    throw Error(who + " is " + std::to_string(bytes_.size()) + " bytes, shorter than the " +
                std::to_string(kHeaderBytes) + "-byte header (truncated exchange?)");
  }
  const std::span<const std::byte> b(bytes_);
  if (read_u32(b) != kMagic) {
    throw Error(who + " has magic " + hex32(read_u32(b)) + ", expected " + hex32(kMagic) +
                " (not a railcheck handle, or bytes from another exchange)");
  }
  const auto got_transport = std::to_integer<std::uint8_t>(b[4]);
  if (got_transport != static_cast<std::uint8_t>(transport)) {
    throw Error(who + " was made by transport " + std::string(name_of(static_cast<TransportId>(got_transport))) +
                " (id " + std::to_string(got_transport) + "), this side uses " + std::string(name_of(transport)) +
                " (ranks started with different --transport?)");
  }
  const auto got_version = std::to_integer<std::uint8_t>(b[5]);
  if (got_version != version) {
    throw Error(who + " has version " + std::to_string(got_version) + ", this build speaks version " +
                std::to_string(version) + " (mixed railcheck builds?)");
  }
  const std::size_t declared = std::to_integer<std::size_t>(b[6]) | std::to_integer<std::size_t>(b[7]) << 8;
  if (declared != payload_bytes || bytes_.size() != kHeaderBytes + payload_bytes) {
    throw Error(who + " declares a " + std::to_string(declared) + "-byte payload in " + std::to_string(bytes_.size()) +
                " bytes; " + std::string(name_of(transport)) + " version " + std::to_string(version) + " expects " +
                std::to_string(payload_bytes) + " in " + std::to_string(kHeaderBytes + payload_bytes));
  }
  return b.subspan(kHeaderBytes, payload_bytes);
}

void wait_request(Endpoint& endpoint, RequestId request, std::chrono::steady_clock::time_point deadline,
                  std::string_view what) {
  using namespace std::chrono;
  while (!endpoint.test(request)) {
    const auto now = steady_clock::now();
    if (now >= deadline) {
      throw Error("timed out waiting for " + std::string(what) + " with peer " + endpoint.peer() +
                  " (peer stopped, or the link is down or far slower than expected)");
    }
    endpoint.wait_for_progress(std::min(duration_cast<milliseconds>(deadline - now) + 1ms, milliseconds(100)));
  }
}

void check_region_range(const MemoryRegion& region, std::size_t offset, std::size_t bytes, std::string_view what) {
  if (offset > region.bytes() || bytes > region.bytes() - offset) {
    throw Error(std::string(what) + " of " + std::to_string(bytes) + " bytes at offset " + std::to_string(offset) +
                " exceeds the registered region of " + std::to_string(region.bytes()) + " bytes");
  }
}

}  // namespace railcheck
