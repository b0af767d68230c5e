#include "railcheck/collectives/verbs_qp.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace railcheck {
namespace {

// Payload layout, version 1 (little endian; 115 bytes):
//   0 u8 link layer | 1 u8 mtu | 2 u8 qp count | 3 u8 oob length | 4 u16 lid | 6 u16 0 | 8 u32 psn
//  12 gid[16] | 28 u64 window address | 36 u32 window rkey | 40 u32 0 | 44 u64 window bytes
//  52 u32 qp_num[kMaxVerbsQps] | 84 oob handle[kVerbsOobMaxBytes]
constexpr std::size_t kQpNumsAt = 52;
constexpr std::size_t kOobAt = kQpNumsAt + 4 * kMaxVerbsQps;
constexpr std::size_t kPayloadBytes = kOobAt + kVerbsOobMaxBytes;
static_assert(kPayloadBytes <= ListenHandle::kMaxBytes - ListenHandle::kHeaderBytes);

template <typename T>
void put(std::vector<std::byte>& b, std::size_t at, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i)
    b[at + i] = std::byte((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff);
}
template <typename T>
T get(std::span<const std::byte> b, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) value |= std::to_integer<std::uint64_t>(b[at + i]) << (8 * i);
  return static_cast<T>(value);
}

std::string hex(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%06x", value);
  return text;
}

bool is_ipv4_mapped(const ibv_gid& gid) {
  for (int i = 0; i < 10; ++i) {
    if (gid.raw[i] != 0) return false;
  }
  return gid.raw[10] == 0xff && gid.raw[11] == 0xff;
}

}  // namespace

std::string_view name_of(LinkLayer layer) { return layer == LinkLayer::kEthernet ? "Ethernet (RoCE)" : "InfiniBand"; }

PortAddress query_port_address(VerbsApi& api, ibv_context* context, const std::string& device, std::uint8_t port,
                               int gid_index) {
  ibv_port_attr attr{};
  RC_VERBS_CALL(device + " port " + std::to_string(port), api.query_port(context, port, &attr));
  PortAddress address;
  address.port = port;
  address.link_layer = attr.link_layer == IBV_LINK_LAYER_ETHERNET ? LinkLayer::kEthernet : LinkLayer::kInfiniBand;
  address.lid = address.link_layer == LinkLayer::kInfiniBand ? attr.lid : 0;
  address.active_mtu = attr.active_mtu;
  address.state = attr.state;
  if (gid_index < 0) {
    gid_index = 0;
    if (address.link_layer == LinkLayer::kEthernet) {
      for (int i = 0; i < attr.gid_tbl_len; ++i) {
        ibv_gid_entry entry{};
        if (api.query_gid(context, port, i, &entry) != 0) continue;  // empty table slots fail (ENODATA)
        if (entry.gid_type == IBV_GID_TYPE_ROCE_V2 && is_ipv4_mapped(entry.gid)) {
          gid_index = i;
          break;
        }
      }
    }
  } else if (gid_index >= attr.gid_tbl_len) {
    throw InputError("GID index " + std::to_string(gid_index) + " is outside " + device + " port " +
                     std::to_string(port) + "'s table of " + std::to_string(attr.gid_tbl_len));
  }
  ibv_gid_entry entry{};
  RC_VERBS_CALL(device + " port " + std::to_string(port) + " gid " + std::to_string(gid_index),
                api.query_gid(context, port, gid_index, &entry));
  address.gid_index = gid_index;
  std::memcpy(address.gid.data(), entry.gid.raw, 16);
  return address;
}

ListenHandle encode_verbs_handle(const VerbsPeerInfo& info) {
  if (info.qp_nums.empty() || info.qp_nums.size() > static_cast<std::size_t>(kMaxVerbsQps)) {
    throw Error("verbs handle: " + std::to_string(info.qp_nums.size()) + " QPs, must be 1.." +
                std::to_string(kMaxVerbsQps));
  }
  if (info.psn > 0xffffff) throw Error("verbs handle: PSN " + std::to_string(info.psn) + " exceeds 24 bits");
  if (info.oob_handle.size() > kVerbsOobMaxBytes) {
    throw Error("verbs handle: out-of-band handle of " + std::to_string(info.oob_handle.size()) + " bytes exceeds " +
                std::to_string(kVerbsOobMaxBytes));
  }
  std::vector<std::byte> b(kPayloadBytes);
  put<std::uint8_t>(b, 0, static_cast<std::uint8_t>(info.link_layer));
  put<std::uint8_t>(b, 1, static_cast<std::uint8_t>(info.mtu));
  put<std::uint8_t>(b, 2, static_cast<std::uint8_t>(info.qp_nums.size()));
  put<std::uint8_t>(b, 3, static_cast<std::uint8_t>(info.oob_handle.size()));
  put<std::uint16_t>(b, 4, info.lid);
  put<std::uint32_t>(b, 8, info.psn);
  std::memcpy(b.data() + 12, info.gid.data(), 16);
  put<std::uint64_t>(b, 28, info.window_address);
  put<std::uint32_t>(b, 36, info.window_rkey);
  put<std::uint64_t>(b, 44, info.window_bytes);
  for (std::size_t i = 0; i < info.qp_nums.size(); ++i) put<std::uint32_t>(b, kQpNumsAt + 4 * i, info.qp_nums[i]);
  // memcpy's pointers must be valid even for 0 bytes, and an empty vector's data() may be null.
  if (!info.oob_handle.empty()) std::memcpy(b.data() + kOobAt, info.oob_handle.data(), info.oob_handle.size());
  return ListenHandle::make(TransportId::kVerbs, kVerbsHandleVersion, b);
}

VerbsPeerInfo decode_verbs_handle(const ListenHandle& handle, std::string_view from) {
  const auto b = handle.payload(TransportId::kVerbs, kVerbsHandleVersion, kPayloadBytes, from);
  const std::string who = "verbs handle from " + std::string(from);
  VerbsPeerInfo info;
  const auto layer = get<std::uint8_t>(b, 0);
  if (layer != static_cast<std::uint8_t>(LinkLayer::kInfiniBand) &&
      layer != static_cast<std::uint8_t>(LinkLayer::kEthernet)) {
    throw Error(who + " has link layer " + std::to_string(layer) + ", expected 1 (InfiniBand) or 2 (Ethernet)");
  }
  info.link_layer = static_cast<LinkLayer>(layer);
  const auto mtu = get<std::uint8_t>(b, 1);
  if (mtu < IBV_MTU_256 || mtu > IBV_MTU_4096) {
    throw Error(who + " has MTU code " + std::to_string(mtu) + ", expected 1..5 (256..4096 bytes)");
  }
  info.mtu = static_cast<ibv_mtu>(mtu);
  const auto qps = get<std::uint8_t>(b, 2);
  if (qps < 1 || qps > kMaxVerbsQps) {
    throw Error(who + " carries " + std::to_string(qps) + " QPs, expected 1.." + std::to_string(kMaxVerbsQps));
  }
  const auto oob = get<std::uint8_t>(b, 3);
  if (oob > kVerbsOobMaxBytes) throw Error(who + " has an out-of-band handle length of " + std::to_string(oob));
  info.lid = get<std::uint16_t>(b, 4);
  info.psn = get<std::uint32_t>(b, 8);
  if (info.psn > 0xffffff) throw Error(who + " has PSN " + std::to_string(info.psn) + ", more than 24 bits");
  std::memcpy(info.gid.data(), b.data() + 12, 16);
  info.window_address = get<std::uint64_t>(b, 28);
  info.window_rkey = get<std::uint32_t>(b, 36);
  info.window_bytes = get<std::uint64_t>(b, 44);
  for (int i = 0; i < qps; ++i)
    info.qp_nums.push_back(get<std::uint32_t>(b, kQpNumsAt + 4 * static_cast<std::size_t>(i)));
  info.oob_handle.assign(b.begin() + kOobAt, b.begin() + kOobAt + oob);
  return info;
}

QpTransition init_transition(const PortAddress& local) {
  QpTransition t;
  t.name = "RESET->INIT";
  t.attr.qp_state = IBV_QPS_INIT;
  t.attr.pkey_index = 0;
  t.attr.port_num = local.port;
  t.attr.qp_access_flags = IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ | IBV_ACCESS_LOCAL_WRITE;
  t.mask = IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT | IBV_QP_ACCESS_FLAGS;
  return t;
}

QpTransition rtr_transition(const PortAddress& local, const VerbsPeerInfo& remote, std::uint32_t remote_qp_num,
                            const QpSettings& settings) {
  QpTransition t;
  t.name = "INIT->RTR";
  t.attr.qp_state = IBV_QPS_RTR;
  t.attr.path_mtu = std::min(local.active_mtu, remote.mtu);
  t.attr.dest_qp_num = remote_qp_num;
  t.attr.rq_psn = remote.psn;
  t.attr.max_dest_rd_atomic = settings.max_dest_rd_atomic;
  t.attr.min_rnr_timer = settings.min_rnr_timer;
  t.attr.ah_attr.port_num = local.port;
  t.attr.ah_attr.sl = settings.service_level;
  t.attr.ah_attr.src_path_bits = 0;
  if (local.link_layer == LinkLayer::kEthernet) {
    t.attr.ah_attr.is_global = 1;
    t.attr.ah_attr.dlid = 0;
    std::memcpy(t.attr.ah_attr.grh.dgid.raw, remote.gid.data(), 16);
    t.attr.ah_attr.grh.sgid_index = static_cast<std::uint8_t>(local.gid_index);
    t.attr.ah_attr.grh.hop_limit = settings.hop_limit;
  } else {
    t.attr.ah_attr.is_global = 0;
    t.attr.ah_attr.dlid = remote.lid;
  }
  t.mask = IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN | IBV_QP_RQ_PSN | IBV_QP_MAX_DEST_RD_ATOMIC |
           IBV_QP_MIN_RNR_TIMER;
  return t;
}

QpTransition rts_transition(std::uint32_t local_psn, const QpSettings& settings) {
  QpTransition t;
  t.name = "RTR->RTS";
  t.attr.qp_state = IBV_QPS_RTS;
  t.attr.timeout = settings.timeout;
  t.attr.retry_cnt = settings.retry_cnt;
  t.attr.rnr_retry = settings.rnr_retry;
  t.attr.sq_psn = local_psn;
  t.attr.max_rd_atomic = settings.max_rd_atomic;
  t.mask =
      IBV_QP_STATE | IBV_QP_SQ_PSN | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY | IBV_QP_MAX_QP_RD_ATOMIC;
  return t;
}

void apply_transition(VerbsApi& api, const VerbsQp& qp, const QpTransition& transition) {
  ibv_qp_attr attr = transition.attr;
  try {
    RC_VERBS_CALL(qp.device(), api.modify_qp(qp.get(), &attr, transition.mask));
  } catch (const Error& e) {
    throw Error("QP " + hex(qp.get()->qp_num) + " on " + qp.device() + ": " + transition.name + " failed: " + e.what());
  }
}

VerbsQp create_rc_qp(const std::shared_ptr<VerbsApi>& api, const VerbsPd& pd, const VerbsCq& cq,
                     const PortAddress& local, int depth) {
  ibv_qp_init_attr init{};
  init.send_cq = cq.get();
  init.recv_cq = cq.get();
  init.qp_type = IBV_QPT_RC;
  init.sq_sig_all = 0;
  init.cap.max_send_wr = static_cast<std::uint32_t>(depth);
  init.cap.max_recv_wr = static_cast<std::uint32_t>(depth);
  init.cap.max_send_sge = 1;
  init.cap.max_recv_sge = 1;
  VerbsQp qp(api, RC_VERBS_CALL(pd.device(), api->create_qp(pd.get(), &init)), pd.device());
  apply_transition(*api, qp, init_transition(local));
  return qp;
}

void connect_rc_qp(VerbsApi& api, const VerbsQp& qp, const PortAddress& local, std::uint32_t local_psn,
                   const VerbsPeerInfo& remote, std::uint32_t remote_qp_num, const QpSettings& settings) {
  apply_transition(api, qp, rtr_transition(local, remote, remote_qp_num, settings));
  apply_transition(api, qp, rts_transition(local_psn, settings));
}

}  // namespace railcheck
