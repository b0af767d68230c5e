// The verbs Transport: RC queue pairs over libibverbs (perftest's attribute choices), one or more QPs per
// connection (-q), host memory by ibv_reg_mr and GPU memory by ibv_reg_dmabuf_mr. See
// collectives/verbs/README.md for the attribute choices and for what has (not) run on real hardware.
//
// Connection: listen() creates the QPs (RESET -> INIT) and puts their numbers, PSN, LID/GID, MTU and the
// optional RDMA window in the handle, together with an out-of-band TCP listen handle. connect() brings its
// own QPs to RTS towards the handle's, then sends its numbers back over TCP (as NCCL's IB plugin does over
// its socket) and waits until the acceptor reports its QPs are in RTS, so the first send never meets a QP
// that is not ready. Every blocking step is bounded by TransportOptions::timeout_s.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "railcheck/collectives/tcp_transport.h"
#include "railcheck/collectives/transport.h"
#include "railcheck/collectives/verbs_api.h"
#include "railcheck/collectives/verbs_port_counters.h"
#include "railcheck/collectives/verbs_qp.h"

namespace railcheck {

/// Verbs knobs; plain data, one comment each. perftest's flag in parentheses.
struct VerbsOptions {
  TransportOptions common;                     ///< streams = QPs per connection (-q, 1..kMaxVerbsQps), timeout_s
  std::vector<std::string> devices;            ///< only these RDMA devices, in this order (-d mlx5_0); empty: all
  int port = 1;                                ///< device port (-i / --ib-port)
  int gid_index = -1;                          ///< GID index (-x); -1: RoCE v2 IPv4-mapped GID if any, else 0
  int tx_depth = 128;                          ///< send queue depth per QP: sends/RDMA ops in flight (-t)
  int rx_depth = 512;                          ///< receive queue depth per QP: receives in flight (-r)
  int cq_mod = 1;                              ///< RDMA write/read: one signalled request in every cq_mod per QP
                                               ///< (-Q / --cq-mod; railcheck p2p: 100 as perftest); at most
                                               ///< tx_depth (a larger one is lowered); 1: every one signalled
  QpSettings qp;                               ///< timeouts, retries, rd_atomic depths (-o/-O), hop limit
  std::size_t rdma_window_bytes = 0;           ///< host buffer each side registers and advertises for RDMA
                                               ///< write/read (perftest's -s buffer); 0: none
  TcpDeviceFilter oob;                         ///< interfaces for the out-of-band exchange of QP numbers
  std::string counters_root = kRdmaSysfsRoot;  ///< sysfs of the RDMA devices, for loss counters (tests: a fake)
};

/// Registered memory of a verbs Endpoint (an owned ibv_mr).
class VerbsMemoryRegion final : public MemoryRegion {
 public:
  VerbsMemoryRegion(VerbsMr mr, std::byte* data, std::size_t bytes) : mr_(std::move(mr)), data_(data), bytes_(bytes) {}
  std::byte* data() const override { return data_; }
  std::size_t bytes() const override { return bytes_; }
  std::uint32_t lkey() const { return mr_.get()->lkey; }
  std::uint32_t rkey() const { return mr_.get()->rkey; }

 private:
  VerbsMr mr_;
  std::byte* data_;
  std::size_t bytes_;
};

struct VerbsConnection;

/// A connected verbs Endpoint. Endpoint::isend is IBV_WR_SEND (signaled) and irecv one posted receive, so
/// the n-th isend fills the n-th irecv; with several QPs message n goes on QP n mod q on both sides. test()
/// polls the shared CQ (never blocks); wait_for_progress() returns at once (callers busy-poll, as perftest).
/// A completion with an error status throws Error naming the peer and the status.
/// RDMA writes and reads are moderated as perftest's --cq-mod: on each QP one request in every cq_mod is
/// signalled, and its completion completes the unsignalled ones posted before it on that QP (RC completes a
/// send queue in order). test() of an unsignalled request with no signalled one after it posts a zero-byte
/// signalled request of the same opcode behind it, so the tail of a stream completes without the caller
/// knowing which requests were signalled.
class VerbsEndpoint final : public Endpoint {
 public:
  VerbsEndpoint(std::shared_ptr<VerbsApi> api, std::unique_ptr<VerbsConnection> connection, std::string peer,
                int tx_depth, int cq_mod = 1, std::string counters_root = kRdmaSysfsRoot);
  ~VerbsEndpoint() override;

  /// Host memory: ibv_reg_mr with local write and remote read/write access.
  std::unique_ptr<MemoryRegion> register_memory(std::byte* data, std::size_t bytes) override;
  /// GPU (or other device) memory: ibv_reg_dmabuf_mr over `dmabuf_fd` at `dmabuf_offset` (the caller gets the
  /// fd, e.g. from CUDA's cuMemGetHandleForAddressRange, and keeps it open); `data` is the address the peer
  /// uses. When dmabuf_fd < 0 or the kernel/NIC refuses dma-buf, falls back to ibv_reg_mr on `data` (works
  /// for GPU memory only with nvidia-peermem loaded). Throws Error naming both attempts when both fail.
  std::unique_ptr<MemoryRegion> register_device_memory(std::byte* data, std::size_t bytes, int dmabuf_fd,
                                                       std::uint64_t dmabuf_offset);
  RequestId isend(const MemoryRegion& region, std::size_t offset, std::size_t bytes) override;
  RequestId irecv(const MemoryRegion& region, std::size_t offset, std::size_t bytes) override;
  /// IBV_WR_RDMA_WRITE to the peer's advertised window (VerbsOptions::rdma_window_bytes on its side); throws
  /// Error when it advertised none or the range exceeds it.
  RequestId iwrite(const MemoryRegion& region, std::size_t offset, std::uint64_t remote_offset,
                   std::size_t bytes) override;
  /// IBV_WR_RDMA_READ from the peer's advertised window; as iwrite.
  RequestId iread(const MemoryRegion& region, std::size_t offset, std::uint64_t remote_offset,
                  std::size_t bytes) override;
  /// This side's advertised RDMA window (VerbsOptions::rdma_window_bytes), or nullptr.
  const MemoryRegion* window() const;
  /// Bytes of the peer's window (0 when it advertised none).
  std::uint64_t remote_window_bytes() const override;
  bool test(RequestId request) override;
  /// True: an RC completion means the peer's HCA acknowledged the bytes.
  bool completes_on_delivery() const override { return true; }
  void wait_for_progress(std::chrono::milliseconds) override {}
  std::string peer() const override { return peer_; }
  /// Source "ib_port_counters": the local port's counters (verbs_port_counters.h) as this side sends: sent =
  /// packets out of the port, retransmitted = the requester's retry events (each resends one or more packets),
  /// errors = completions in error on the port. Port-wide, so a difference is this connection's only over a
  /// span in which the port carries it alone. Not known when the counters cannot be read.
  LossCounters loss_counters() const override;

 private:
  /// A send-queue request until its completion (its own, or a later signalled one's on the same QP).
  struct Posted {
    RequestId id;
    std::size_t qp;
    ibv_wr_opcode opcode;
    bool signalled;
  };
  RequestId post_one_sided(ibv_wr_opcode opcode, const MemoryRegion& region, std::size_t offset,
                           std::uint64_t remote_offset, std::size_t bytes);
  /// Posts `wr` on QP `q` (room checked, outstanding counted); `signalled` sets IBV_SEND_SIGNALED.
  void post_on(std::size_t q, ibv_send_wr& wr, bool signalled);
  /// A zero-byte signalled request of `opcode` on QP `q`, behind unsignalled ones nothing else would complete.
  void post_flush(std::size_t q, ibv_wr_opcode opcode);
  std::size_t next_qp(std::uint64_t& counter);
  void poll();

  std::shared_ptr<VerbsApi> api_;
  std::unique_ptr<VerbsConnection> connection_;
  std::string peer_;
  int tx_depth_;
  int cq_mod_;
  std::string counters_root_;
  RequestId next_id_ = 1;
  std::uint64_t sends_ = 0, recvs_ = 0, one_sided_ = 0;
  std::vector<int> send_outstanding_;      // per QP
  std::vector<int> unsignalled_run_;       // per QP: unsignalled requests since its last signalled one
  std::vector<RequestId> last_signalled_;  // per QP: the newest signalled request (0: none yet)
  std::vector<Posted> sent_;               // in posting order, until completion
  std::vector<RequestId> flushes_;         // zero-byte requests of post_flush: completed, never reported
  std::vector<RequestId> done_;
};

/// The devices `options` selects whose port `options.port` is ACTIVE, as NicInfo (address: "lid 0x0012" or
/// the GID text). An empty list comes with `*reason` saying why, e.g. "no RDMA devices:
/// ibv_get_device_list: Function not implemented (kernel without RDMA support?)".
std::vector<NicInfo> verbs_devices(const std::shared_ptr<VerbsApi>& api, const VerbsOptions& options,
                                   std::string* reason);

/// A verbs transport through `api` (make_real_verbs_api() outside tests). Never throws for a machine without
/// RDMA devices: devices() is then empty and skip_reason() says why. Throws InputError for bad options.
std::unique_ptr<Transport> make_verbs_transport(const VerbsOptions& options, std::shared_ptr<VerbsApi> api);

}  // namespace railcheck
