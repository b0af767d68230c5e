// Point-to-point transports (TCP sockets, RDMA verbs), shaped like NCCL's net plugin (ncclNet_v8):
// devices() -> listen(dev) -> opaque handle exchanged out of band (the MPI bootstrap) -> connect(dev, handle)
// on one side, accept(listen_comm) on the other -> an Endpoint with non-blocking isend/irecv/test.
//
// Differences from ncclNet_v8, on purpose:
// - One Endpoint carries both directions (NCCL has a send comm and a recv comm), so a ping-pong and a
//   bidirectional bandwidth test need one connection.
// - Every blocking call takes its deadline from TransportOptions::timeout_s and throws railcheck::Error naming
//   the peer when it passes: a peer that never connects, never accepts or stops sending is a timeout, never a
//   hang.
// - Handles carry a magic, a transport id, a version and their size, so bytes from another build or another
//   transport are rejected with a message that says which field is wrong.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace railcheck {

/// One network device a transport can use (a NIC port, an IP interface).
struct NicInfo {
  std::string name;      ///< interface or device name: "eth0", "mlx5_0"
  std::string address;   ///< what peers reach: IPv4 dotted quad for TCP, GID/LID text for verbs
  int speed_mbps = -1;   ///< link speed, -1 when unknown
  std::string pci_path;  ///< sysfs device path when known (topology), else empty
};

/// Which transport made a handle (a byte in the handle header; never reuse a value).
enum class TransportId : std::uint8_t { kTcp = 1, kVerbs = 2 };
std::string_view name_of(TransportId id);

/// The bytes listen() produces and the peer's connect() consumes. Layout (little endian):
///   u32 magic = kListenHandleMagic | u8 transport | u8 version | u16 payload size | payload
/// Never larger than kListenHandleMaxBytes (NCCL_NET_HANDLE_MAXSIZE), so it fits a fixed-size exchange.
class ListenHandle {
 public:
  static constexpr std::uint32_t kMagic = 0x52434c48;  // "RCLH"
  static constexpr std::size_t kHeaderBytes = 8;
  static constexpr std::size_t kMaxBytes = 128;

  ListenHandle() = default;
  /// Wraps `payload` (at most kMaxBytes - kHeaderBytes) in a header. Throws Error when too large.
  static ListenHandle make(TransportId transport, std::uint8_t version, std::span<const std::byte> payload);
  /// Takes bytes received from a peer as they are; nothing is checked until payload().
  static ListenHandle from_bytes(std::span<const std::byte> bytes);

  /// The whole handle, header included, for the bootstrap to send.
  std::span<const std::byte> bytes() const { return bytes_; }
  /// Checks magic, transport, version and sizes and returns the payload (a view into this handle).
  /// Throws Error saying which field is wrong and what was expected, e.g. "listen handle from node3 has
  /// version 2, this build speaks version 1 (mixed railcheck builds?)". `from` names the peer in messages.
  std::span<const std::byte> payload(TransportId transport, std::uint8_t version, std::size_t payload_bytes,
                                     std::string_view from) const;

 private:
  std::vector<std::byte> bytes_;
};

/// A request in flight on an Endpoint; valid until test() has reported it complete once.
using RequestId = std::uint64_t;

/// How bytes cross a connection, with perftest's names: two-sided SEND/RECV (ib_send_bw; the only one TCP has),
/// one-sided RDMA WRITE into the peer's window (ib_write_bw) or RDMA READ from it (ib_read_bw).
enum class TransferOp { kSend, kWrite, kRead };
std::string_view name_of(TransferOp op);
/// "send", "write" or "read"; anything else throws InputError naming `what` (a flag or suite field) and the
/// three choices.
TransferOp parse_transfer_op(std::string_view text, std::string_view what);

/// Memory an Endpoint may send from / receive into (NCCL's regMr). For TCP a record of the range; for verbs
/// an owned ibv_mr. Move-only; must outlive every request that uses it and be released before its Endpoint.
class MemoryRegion {
 public:
  virtual ~MemoryRegion() = default;
  virtual std::byte* data() const = 0;
  virtual std::size_t bytes() const = 0;
};

/// Throws Error "<what> of N bytes at offset O exceeds the registered region of S bytes" unless bytes
/// [offset, offset + bytes) lie inside `region` (overflow-safe). Every transport checks posts with this.
void check_region_range(const MemoryRegion& region, std::size_t offset, std::size_t bytes, std::string_view what);

/// What a connection counted of its own losses so far, for loss evidence beside bandwidth. Cumulative since
/// the connection opened: callers take the difference over the part they time.
struct LossCounters {
  bool known = false;               ///< false: this transport cannot count them (the other fields are 0)
  std::string source;               ///< where the counts come from: "tcp_info" (kernel TCP_INFO, every stream),
                                    ///< "ib_port_counters" (the RDMA port's sysfs counters, verbs)
  std::uint64_t sent = 0;           ///< data segments (TCP) or packets out of the port (verbs) sent
  std::uint64_t retransmitted = 0;  ///< of those, sent again (TCP retransmits; verbs: the HCA's retry events)
  std::uint64_t spurious = 0;       ///< of the retransmitted, known not to have been lost (TCP: DSACKs)
  std::uint64_t errors = 0;         ///< completions in error (verbs: on the port); 0 for TCP
};

/// A connected pair of queues to one peer. Not thread-safe: one thread drives one Endpoint.
/// Messages are matched in posting order: the n-th isend on one side fills the n-th irecv on the other,
/// and both sides must post the same byte count for it (the TCP wire carries no sizes).
class Endpoint {
 public:
  virtual ~Endpoint() = default;  // closes the connection; requests still in flight are abandoned

  /// Registers [data, data+bytes) for isend/irecv. May block briefly (pinning); never waits on the peer.
  virtual std::unique_ptr<MemoryRegion> register_memory(std::byte* data, std::size_t bytes) = 0;
  /// Queues sending `bytes` from `region` at `offset`. Never blocks; the memory must stay untouched until
  /// test() reports completion.
  virtual RequestId isend(const MemoryRegion& region, std::size_t offset, std::size_t bytes) = 0;
  /// Queues receiving `bytes` into `region` at `offset`. Never blocks.
  virtual RequestId irecv(const MemoryRegion& region, std::size_t offset, std::size_t bytes) = 0;
  /// Makes progress on every queued request without blocking and says whether `request` is complete. Throws
  /// Error naming the peer when the connection failed (reset, closed).
  virtual bool test(RequestId request) = 0;
  /// Blocks until progress may be possible or `timeout` passes (TCP: poll on the sockets; verbs: returns at
  /// once, callers busy-poll like perftest). Lets waiters sleep instead of spinning.
  virtual void wait_for_progress(std::chrono::milliseconds timeout) = 0;
  /// One-sided RDMA WRITE (ib_write_bw): `bytes` from `region`+`offset` into the peer's advertised window at
  /// `remote_offset`. The peer posts nothing and sees no completion; this side's completion means the bytes
  /// are placed. Never blocks. Throws Error when the range exceeds the window; the default (transports without
  /// one-sided operations, remote_window_bytes() 0) throws Error saying so.
  virtual RequestId iwrite(const MemoryRegion& region, std::size_t offset, std::uint64_t remote_offset,
                           std::size_t bytes);
  /// One-sided RDMA READ (ib_read_bw): `bytes` from the peer's window at `remote_offset` into
  /// `region`+`offset`. As iwrite otherwise.
  virtual RequestId iread(const MemoryRegion& region, std::size_t offset, std::uint64_t remote_offset,
                          std::size_t bytes);
  /// Whether a send / write completing means the bytes reached the peer (verbs RC: acknowledged by its NIC),
  /// not only that this side let go of them (TCP: copied into the kernel). Only then do completion times
  /// measure the link, e.g. for perftest's peak bandwidth. The default: false.
  virtual bool completes_on_delivery() const { return false; }
  /// Bytes of the window the peer advertised for iwrite / iread; 0 where there is none (TCP, or a verbs
  /// connection set up without one).
  virtual std::uint64_t remote_window_bytes() const { return 0; }
  /// The peer, for messages: "10.77.0.3:40123".
  virtual std::string peer() const = 0;
  /// Loss counters of this connection so far (see LossCounters); never blocks, never throws. The default:
  /// not known.
  virtual LossCounters loss_counters() const { return {}; }
};

/// A listening socket / QP waiting for one peer. accept() consumes it.
class ListenComm {
 public:
  virtual ~ListenComm() = default;
  /// What the peer passes to connect(), sent through the bootstrap.
  virtual const ListenHandle& handle() const = 0;
};

/// Knobs every transport reads; plain data, one comment each.
struct TransportOptions {
  int streams = 1;                      ///< parallel sockets (TCP) or QPs (verbs) per connection (-q)
  std::size_t socket_buffer_bytes = 0;  ///< TCP SO_SNDBUF/SO_RCVBUF; 0 keeps the kernel's autotuning
  double timeout_s = 30.0;              ///< deadline for connect, accept and each wait (-T)
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual TransportId id() const = 0;
  /// Devices usable now, in a stable order; an empty list means "skip", with skip_reason() saying why.
  virtual const std::vector<NicInfo>& devices() const = 0;
  virtual std::string skip_reason() const = 0;
  /// Starts listening on device `dev`. Never blocks on a peer. Throws Error (bad dev, bind failure).
  virtual std::unique_ptr<ListenComm> listen(int dev) = 0;
  /// Connects from device `dev` to the peer that produced `handle`. Blocks until the peer's accept() has
  /// taken the connection, or throws Error after timeout_s ("peer never accepted"), or at once for a
  /// malformed handle (wrong magic, transport, version or size).
  virtual std::unique_ptr<Endpoint> connect(int dev, const ListenHandle& handle, std::string_view peer_name) = 0;
  /// Takes the connection of the one peer that got `listen`'s handle. Blocks until it has connected, or throws
  /// Error after timeout_s ("no connection from peer"); a connection that does not carry this handle's nonce
  /// is rejected and waiting goes on.
  virtual std::unique_ptr<Endpoint> accept(std::unique_ptr<ListenComm> listen) = 0;
};

/// Blocking helper: drives `endpoint` until `request` completes or `deadline` passes (then throws Error
/// naming the peer and `what`, e.g. "recv of 1048576 bytes").
void wait_request(Endpoint& endpoint, RequestId request, std::chrono::steady_clock::time_point deadline,
                  std::string_view what);

}  // namespace railcheck
