// The connection logic of the verbs transport, free of I/O so it is unit-tested through a fake VerbsApi:
// port addressing (LID for InfiniBand, GID for RoCE), the handle that carries one side's QP numbers to the
// other, and the RC QP bring-up RESET -> INIT -> RTR -> RTS with perftest's attribute choices.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "railcheck/collectives/transport.h"
#include "railcheck/collectives/verbs_resources.h"

namespace railcheck {

/// Handle version of this build's verbs handshake (bump on any change of the payload layout).
inline constexpr std::uint8_t kVerbsHandleVersion = 1;
/// QPs per connection at most (-q); bounded by the handle size.
inline constexpr int kMaxVerbsQps = 8;
/// Out-of-band (TCP) handle bytes a verbs handle can carry.
inline constexpr std::size_t kVerbsOobMaxBytes = 31;

/// A port's link layer: InfiniBand (routed by LID) or Ethernet (RoCE, routed by GID).
enum class LinkLayer : std::uint8_t { kInfiniBand = 1, kEthernet = 2 };
std::string_view name_of(LinkLayer layer);

/// How this side of a connection is reached, read from one port of one device.
struct PortAddress {
  std::uint8_t port = 1;                          ///< port number, 1-based
  LinkLayer link_layer = LinkLayer::kInfiniBand;  ///< from ibv_port_attr::link_layer
  std::uint16_t lid = 0;                          ///< InfiniBand LID (0 on RoCE)
  int gid_index = 0;                              ///< local GID table index (sgid_index on RoCE)
  std::array<std::uint8_t, 16> gid{};             ///< the GID at gid_index
  ibv_mtu active_mtu = IBV_MTU_1024;              ///< ibv_port_attr::active_mtu
  ibv_port_state state = IBV_PORT_NOP;            ///< ibv_port_attr::state (ACTIVE to carry traffic)
};

/// Reads `port` of `context` (device `device` for messages). `gid_index` >= 0 uses that GID; -1 picks one:
/// on RoCE the first RoCE v2 GID that is an IPv4-mapped address (::ffff:a.b.c.d), else index 0; on
/// InfiniBand index 0. Throws Error for a missing port or a failed query.
PortAddress query_port_address(VerbsApi& api, ibv_context* context, const std::string& device, std::uint8_t port,
                               int gid_index);

/// What one side tells the other (in the listen handle, and back over the out-of-band socket).
struct VerbsPeerInfo {
  std::vector<std::uint32_t> qp_nums;  ///< one per QP, 1..kMaxVerbsQps
  std::uint32_t psn = 0;               ///< first packet sequence number (24 bits), the same for every QP
  LinkLayer link_layer = LinkLayer::kInfiniBand;
  std::uint16_t lid = 0;               ///< InfiniBand LID
  std::array<std::uint8_t, 16> gid{};  ///< GID (RoCE destination)
  ibv_mtu mtu = IBV_MTU_1024;          ///< the sender's active MTU
  std::uint64_t window_address = 0;    ///< RDMA window: remote virtual address (0 when none)
  std::uint32_t window_rkey = 0;       ///< RDMA window: rkey
  std::uint64_t window_bytes = 0;      ///< RDMA window: length
  std::vector<std::byte> oob_handle;   ///< the out-of-band TCP listen handle (empty on the reply)
};

/// Wraps `info` in a ListenHandle (transport verbs, kVerbsHandleVersion, fixed payload size).
/// Throws Error for 0 or more than kMaxVerbsQps QPs, a PSN over 24 bits, or an oversized oob handle.
ListenHandle encode_verbs_handle(const VerbsPeerInfo& info);
/// Validates `handle` (magic, transport, version, size; then QP count, MTU, link layer, PSN) and decodes it.
/// Throws Error naming `from` and the wrong field.
VerbsPeerInfo decode_verbs_handle(const ListenHandle& handle, std::string_view from);

/// Attribute choices for the QP transitions (perftest's defaults; see collectives/verbs/README.md).
struct QpSettings {
  std::uint8_t max_rd_atomic = 1;       ///< RTS: RDMA reads this side may have in flight (perftest -o)
  std::uint8_t max_dest_rd_atomic = 1;  ///< RTR: RDMA reads the peer may have in flight here (perftest -O)
  std::uint8_t min_rnr_timer = 12;      ///< RTR: 0.64 ms receiver-not-ready NAK delay
  std::uint8_t timeout = 14;            ///< RTS: local ACK timeout 4.096 us * 2^14 = 67 ms
  std::uint8_t retry_cnt = 7;           ///< RTS: transport retries
  std::uint8_t rnr_retry = 7;           ///< RTS: 7 = retry receiver-not-ready forever
  std::uint8_t hop_limit = 255;         ///< RTR (RoCE): GRH hop limit / IPv4 TTL; 255 as NCCL's IB transport,
                                        ///< so routed (L3) RoCE v2 fabrics work too
  std::uint8_t service_level = 0;       ///< RTR: SL (IB) / priority
};

/// One ibv_modify_qp call: attributes, the documented required mask, and "RESET->INIT"-style name.
struct QpTransition {
  ibv_qp_attr attr{};
  int mask = 0;
  const char* name = "";
};
QpTransition init_transition(const PortAddress& local);
QpTransition rtr_transition(const PortAddress& local, const VerbsPeerInfo& remote, std::uint32_t remote_qp_num,
                            const QpSettings& settings);
QpTransition rts_transition(std::uint32_t local_psn, const QpSettings& settings);

/// Applies `transition` to `qp`; throws Error "QP 0x.. on <device>: RESET->INIT failed: ..." with the call
/// text, file and line.
void apply_transition(VerbsApi& api, const VerbsQp& qp, const QpTransition& transition);

/// Creates an RC QP on `pd` with both queues on `cq` (send and receive depth `depth`, one SGE) and moves it
/// RESET -> INIT.
VerbsQp create_rc_qp(const std::shared_ptr<VerbsApi>& api, const VerbsPd& pd, const VerbsCq& cq,
                     const PortAddress& local, int depth);
/// Moves an INIT QP to RTR (towards `remote`'s QP `remote_qp_num`) and then to RTS.
void connect_rc_qp(VerbsApi& api, const VerbsQp& qp, const PortAddress& local, std::uint32_t local_psn,
                   const VerbsPeerInfo& remote, std::uint32_t remote_qp_num, const QpSettings& settings);

}  // namespace railcheck
