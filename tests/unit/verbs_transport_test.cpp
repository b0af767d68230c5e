// The verbs transport's connection logic, run through FakeVerbs: a fake libibverbs behind the VerbsApi seam
// that records every call and completes work requests at once. Tests named FakeVerbs.* never touch
// hardware; VerbsOnThisMachine.* calls the real libibverbs (and skips where RDMA devices exist).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>

#include "railcheck/collectives/verbs_port_counters.h"
#include "railcheck/collectives/verbs_transport.h"
#include "railcheck/core/error.h"
#include "railcheck/p2p/p2p_measure.h"

namespace railcheck {
namespace {

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

// A fake libibverbs: `devices` devices of one port each, with the link layer, MTU, LID and GID table set
// below. Every call is appended to calls() ("modify_qp RTR", "destroy_cq", ...). Thread-safe.
class FakeVerbs final : public VerbsApi {
 public:
  int devices = 1;
  int list_errno = 0;  // nonzero: get_device_list returns nullptr with this errno
  int port_link_layer = IBV_LINK_LAYER_INFINIBAND;
  ibv_mtu active_mtu = IBV_MTU_4096;
  std::uint16_t lid = 0x12;
  std::vector<ibv_gid_entry> gids = std::vector<ibv_gid_entry>(1);
  ibv_qp_state fail_modify_to = IBV_QPS_ERR;  // a modify_qp towards this state fails with ETIMEDOUT
  struct Modify {
    std::uint32_t qp_num;
    ibv_qp_attr attr;
    int mask;
  };

  std::vector<std::string> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void clear_calls() {
    std::lock_guard lock(mutex_);
    calls_.clear();
  }
  std::vector<Modify> modifies() {
    std::lock_guard lock(mutex_);
    return modifies_;
  }

  ibv_device** get_device_list(int* count) override {
    std::lock_guard lock(mutex_);
    calls_.push_back("get_device_list");
    if (list_errno) {
      errno = list_errno;
      return nullptr;
    }
    auto& list = lists_.emplace_back();
    for (int i = 0; i < devices; ++i) {
      auto& device = devices_.emplace_back();
      std::snprintf(device.name, sizeof device.name, "fake_mlx5_%d", i);
      list.push_back(&device);
    }
    list.push_back(nullptr);
    if (count) *count = devices;
    return list.data();
  }
  void free_device_list(ibv_device**) override { record("free_device_list"); }
  std::string device_name(ibv_device* device) override { return device->name; }
  ibv_context* open_device(ibv_device* device) override {
    std::lock_guard lock(mutex_);
    calls_.push_back("open_device");
    auto& context = contexts_.emplace_back();
    context.device = device;
    return &context;
  }
  int close_device(ibv_context*) override { return record("close_device"); }
  int query_device(ibv_context*, ibv_device_attr* attr) override {
    *attr = {};
    return record("query_device");
  }
  int query_port(ibv_context*, std::uint8_t port, ibv_port_attr* attr) override {
    if (port != 1) return EINVAL;
    *attr = {};
    attr->state = IBV_PORT_ACTIVE;
    attr->link_layer = static_cast<std::uint8_t>(port_link_layer);
    attr->active_mtu = active_mtu;
    attr->lid = port_link_layer == IBV_LINK_LAYER_ETHERNET ? 0 : lid;
    attr->gid_tbl_len = static_cast<int>(gids.size());
    return record("query_port");
  }
  int query_gid(ibv_context*, std::uint8_t, int index, ibv_gid_entry* entry) override {
    if (index < 0 || index >= static_cast<int>(gids.size())) return ENODATA;
    *entry = gids[static_cast<std::size_t>(index)];
    return 0;
  }
  ibv_pd* alloc_pd(ibv_context* context) override {
    std::lock_guard lock(mutex_);
    calls_.push_back("alloc_pd");
    auto& pd = pds_.emplace_back();
    pd.context = context;
    return &pd;
  }
  int dealloc_pd(ibv_pd*) override { return record("dealloc_pd"); }
  ibv_cq* create_cq(ibv_context* context, int cqe) override {
    std::lock_guard lock(mutex_);
    calls_.push_back("create_cq");
    auto& cq = cqs_.emplace_back();
    cq.context = context;
    cq.cqe = cqe;
    return &cq;
  }
  int destroy_cq(ibv_cq*) override { return record("destroy_cq"); }
  ibv_qp* create_qp(ibv_pd* pd, ibv_qp_init_attr* init) override {
    std::lock_guard lock(mutex_);
    calls_.push_back("create_qp");
    auto& qp = qps_.emplace_back();
    qp.pd = pd;
    qp.send_cq = init->send_cq;
    qp.recv_cq = init->recv_cq;
    qp.qp_type = init->qp_type;
    qp.qp_num = next_qp_num_++;
    qp.state = IBV_QPS_RESET;
    return &qp;
  }
  int destroy_qp(ibv_qp*) override { return record("destroy_qp"); }
  int modify_qp(ibv_qp* qp, ibv_qp_attr* attr, int mask) override {
    std::lock_guard lock(mutex_);
    const char* names[] = {"RESET", "INIT", "RTR", "RTS", "SQD", "SQE", "ERR"};
    calls_.push_back(std::string("modify_qp ") + names[attr->qp_state]);
    modifies_.push_back({qp->qp_num, *attr, mask});
    if (attr->qp_state == fail_modify_to) return ETIMEDOUT;
    qp->state = attr->qp_state;
    return 0;
  }
  ibv_mr* reg_mr(ibv_pd* pd, void* address, std::size_t bytes, int) override {
    std::lock_guard lock(mutex_);
    calls_.push_back("reg_mr");
    auto& mr = mrs_.emplace_back();
    mr.pd = pd;
    mr.addr = address;
    mr.length = bytes;
    mr.lkey = mr.rkey = next_key_++;
    return &mr;
  }
  ibv_mr* reg_dmabuf_mr(ibv_pd*, std::uint64_t, std::size_t, std::uint64_t, int, int) override {
    record("reg_dmabuf_mr");
    errno = EOPNOTSUPP;
    return nullptr;
  }
  int dereg_mr(ibv_mr*) override { return record("dereg_mr"); }
  /// The opcode of every post_send, in order.
  std::vector<ibv_wr_opcode> opcodes() {
    std::lock_guard lock(mutex_);
    return opcodes_;
  }
  /// Every post_send as the fake saw it: opcode, QP, whether signalled, bytes.
  struct Post {
    ibv_wr_opcode opcode;
    std::uint32_t qp_num;
    bool signalled;
    std::uint32_t bytes;
  };
  std::vector<Post> posts() {
    std::lock_guard lock(mutex_);
    return posts_;
  }
  // As a real send queue with sq_sig_all 0: only a signalled request makes a completion.
  int post_send(ibv_qp* qp, ibv_send_wr* wr, ibv_send_wr**) override {
    std::lock_guard lock(mutex_);
    calls_.push_back("post_send");
    opcodes_.push_back(wr->opcode);
    const bool signalled = (wr->send_flags & IBV_SEND_SIGNALED) != 0;
    posts_.push_back(Post{wr->opcode, qp->qp_num, signalled, wr->num_sge > 0 ? wr->sg_list[0].length : 0u});
    if (qp->state != IBV_QPS_RTS) return EINVAL;
    if (!signalled) return 0;
    ibv_wc wc{};
    wc.wr_id = wr->wr_id;
    wc.status = IBV_WC_SUCCESS;
    completions_[qp->send_cq].push_back(wc);
    return 0;
  }
  int post_recv(ibv_qp* qp, ibv_recv_wr* wr, ibv_recv_wr**) override {
    std::lock_guard lock(mutex_);
    calls_.push_back("post_recv");
    ibv_wc wc{};
    wc.wr_id = wr->wr_id;
    wc.status = IBV_WC_SUCCESS;
    completions_[qp->recv_cq].push_back(wc);
    return 0;
  }
  int poll_cq(ibv_cq* cq, int n, ibv_wc* wc) override {
    std::lock_guard lock(mutex_);
    auto& queue = completions_[cq];
    int got = 0;
    while (got < n && !queue.empty()) {
      wc[got++] = queue.front();
      queue.pop_front();
    }
    return got;
  }

 private:
  int record(const char* call) {
    std::lock_guard lock(mutex_);
    calls_.emplace_back(call);
    return 0;
  }
  std::mutex mutex_;
  std::vector<std::string> calls_;
  std::vector<Modify> modifies_;
  std::deque<std::vector<ibv_device*>> lists_;
  std::deque<ibv_device> devices_;
  std::deque<ibv_context> contexts_;
  std::deque<ibv_pd> pds_;
  std::deque<ibv_cq> cqs_;
  std::deque<ibv_qp> qps_;
  std::deque<ibv_mr> mrs_;
  std::map<ibv_cq*, std::deque<ibv_wc>> completions_;
  std::vector<ibv_wr_opcode> opcodes_;
  std::vector<Post> posts_;
  std::uint32_t next_qp_num_ = 0x100;
  std::uint32_t next_key_ = 0x1000;
};

ibv_gid_entry gid_entry(std::initializer_list<std::uint8_t> tail, ibv_gid_type type) {
  ibv_gid_entry entry{};
  std::size_t i = 16 - tail.size();
  for (std::uint8_t byte : tail) entry.gid.raw[i++] = byte;
  entry.gid_type = type;
  return entry;
}

PortAddress ib_port(ibv_mtu mtu = IBV_MTU_4096) {
  PortAddress port;
  port.port = 1;
  port.link_layer = LinkLayer::kInfiniBand;
  port.lid = 0x12;
  port.active_mtu = mtu;
  return port;
}

VerbsPeerInfo remote_info(ibv_mtu mtu = IBV_MTU_4096) {
  VerbsPeerInfo remote;
  remote.qp_nums = {0x4242};
  remote.psn = 0x123456;
  remote.lid = 0x34;
  remote.mtu = mtu;
  for (int i = 0; i < 16; ++i) remote.gid[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(0xa0 + i);
  return remote;
}

// A context, PD and CQ from the fake, for QP tests.
struct FakeBase {
  std::shared_ptr<FakeVerbs> fake = std::make_shared<FakeVerbs>();
  VerbsContext context{fake, fake->open_device(nullptr), "fake_mlx5_0"};
  VerbsPd pd{fake, fake->alloc_pd(context.get()), "fake_mlx5_0"};
  VerbsCq cq{fake, fake->create_cq(context.get(), 16), "fake_mlx5_0"};
};

TEST(FakeVerbs, QpTransitionsGoResetInitRtrRtsInOrder) {
  FakeBase base;
  base.fake->clear_calls();
  const VerbsQp qp = create_rc_qp(base.fake, base.pd, base.cq, ib_port(), 64);
  connect_rc_qp(*base.fake, qp, ib_port(), 0x777, remote_info(), 0x4242, QpSettings{});
  EXPECT_EQ(base.fake->calls(),
            (std::vector<std::string>{"create_qp", "modify_qp INIT", "modify_qp RTR", "modify_qp RTS"}));
  const auto m = base.fake->modifies();
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0].mask, IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT | IBV_QP_ACCESS_FLAGS);
  EXPECT_EQ(m[1].mask, IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
                           IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER);
  EXPECT_EQ(m[2].mask, IBV_QP_STATE | IBV_QP_SQ_PSN | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT | IBV_QP_RNR_RETRY |
                           IBV_QP_MAX_QP_RD_ATOMIC);
  EXPECT_EQ(qp.get()->state, IBV_QPS_RTS);
  EXPECT_EQ(qp.get()->qp_type, IBV_QPT_RC);
}

TEST(FakeVerbs, InitGrantsRemoteReadWriteAccess) {
  const QpTransition t = init_transition(ib_port());
  EXPECT_EQ(t.attr.qp_state, IBV_QPS_INIT);
  EXPECT_EQ(t.attr.pkey_index, 0);
  EXPECT_EQ(t.attr.port_num, 1);
  EXPECT_EQ(t.attr.qp_access_flags,
            unsigned(IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ | IBV_ACCESS_LOCAL_WRITE));
}

TEST(FakeVerbs, RtrUsesTheSmallerMtuAndRemoteQpNumber) {
  QpSettings settings;
  settings.max_dest_rd_atomic = 4;
  const QpTransition smaller_remote =
      rtr_transition(ib_port(IBV_MTU_4096), remote_info(IBV_MTU_1024), 0x4242, settings);
  EXPECT_EQ(smaller_remote.attr.path_mtu, IBV_MTU_1024);
  EXPECT_EQ(smaller_remote.attr.dest_qp_num, 0x4242u);
  EXPECT_EQ(smaller_remote.attr.rq_psn, 0x123456u);
  EXPECT_EQ(smaller_remote.attr.max_dest_rd_atomic, 4);
  EXPECT_EQ(smaller_remote.attr.min_rnr_timer, 12);
  const QpTransition smaller_local = rtr_transition(ib_port(IBV_MTU_2048), remote_info(IBV_MTU_4096), 7, settings);
  EXPECT_EQ(smaller_local.attr.path_mtu, IBV_MTU_2048);
  EXPECT_EQ(smaller_local.attr.dest_qp_num, 7u);
}

TEST(FakeVerbs, RoceUsesGidAndGlobalRouteIbUsesLid) {
  const VerbsPeerInfo remote = remote_info();
  const QpTransition ib = rtr_transition(ib_port(), remote, 1, QpSettings{});
  EXPECT_EQ(ib.attr.ah_attr.is_global, 0);
  EXPECT_EQ(ib.attr.ah_attr.dlid, 0x34);
  EXPECT_EQ(ib.attr.ah_attr.port_num, 1);

  PortAddress roce = ib_port();
  roce.link_layer = LinkLayer::kEthernet;
  roce.lid = 0;
  roce.gid_index = 3;
  const QpTransition eth = rtr_transition(roce, remote, 1, QpSettings{});
  EXPECT_EQ(eth.attr.ah_attr.is_global, 1);
  EXPECT_EQ(eth.attr.ah_attr.grh.sgid_index, 3);
  EXPECT_EQ(eth.attr.ah_attr.grh.hop_limit, 255) << "routed RoCE v2: the IPv4 TTL must survive the hops";
  EXPECT_EQ(std::memcmp(eth.attr.ah_attr.grh.dgid.raw, remote.gid.data(), 16), 0);
}

TEST(FakeVerbs, RoceDefaultGidIsTheRoceV2Ipv4MappedOneElseIndexZero) {
  FakeBase base;
  base.fake->port_link_layer = IBV_LINK_LAYER_ETHERNET;
  base.fake->gids = {
      gid_entry({0xfe, 0x80}, IBV_GID_TYPE_ROCE_V1), gid_entry({0xff, 0xff, 10, 0, 0, 1}, IBV_GID_TYPE_ROCE_V1),
      gid_entry({0xfe, 0x80}, IBV_GID_TYPE_ROCE_V2), gid_entry({0xff, 0xff, 10, 0, 0, 1}, IBV_GID_TYPE_ROCE_V2)};
  const PortAddress chosen = query_port_address(*base.fake, base.context.get(), "fake_mlx5_0", 1, -1);
  EXPECT_EQ(chosen.link_layer, LinkLayer::kEthernet);
  EXPECT_EQ(chosen.gid_index, 3);
  EXPECT_EQ(chosen.gid[15], 1);
  EXPECT_EQ(query_port_address(*base.fake, base.context.get(), "fake_mlx5_0", 1, 1).gid_index, 1);
  base.fake->gids.pop_back();
  EXPECT_EQ(query_port_address(*base.fake, base.context.get(), "fake_mlx5_0", 1, -1).gid_index, 0);
  EXPECT_THROW(query_port_address(*base.fake, base.context.get(), "fake_mlx5_0", 1, 9), InputError);
}

TEST(FakeVerbs, RtsUsesPerftestTimeoutAndRetries) {
  QpSettings settings;
  settings.max_rd_atomic = 8;
  const QpTransition t = rts_transition(0xabcdef, settings);
  EXPECT_EQ(t.attr.qp_state, IBV_QPS_RTS);
  EXPECT_EQ(t.attr.timeout, 14);
  EXPECT_EQ(t.attr.retry_cnt, 7);
  EXPECT_EQ(t.attr.rnr_retry, 7);
  EXPECT_EQ(t.attr.sq_psn, 0xabcdefu);
  EXPECT_EQ(t.attr.max_rd_atomic, 8);
}

TEST(FakeVerbs, ModifyQpFailureIsAnErrorNamingTheTransition) {
  FakeBase base;
  base.fake->fail_modify_to = IBV_QPS_RTR;
  const VerbsQp qp = create_rc_qp(base.fake, base.pd, base.cq, ib_port(), 16);
  const std::string message =
      message_of([&] { connect_rc_qp(*base.fake, qp, ib_port(), 1, remote_info(), 0x4242, QpSettings{}); });
  EXPECT_NE(message.find("INIT->RTR failed"), std::string::npos) << message;
  EXPECT_NE(message.find("modify_qp"), std::string::npos) << message;
  EXPECT_NE(message.find("fake_mlx5_0"), std::string::npos) << message;
  EXPECT_NE(message.find("ETIMEDOUT"), std::string::npos) << message;
  EXPECT_NE(message.find("verbs_qp.cpp"), std::string::npos) << message;
  EXPECT_EQ(base.fake->calls().back(), "modify_qp RTR");  // RTS was never attempted
}

TEST(FakeVerbs, HandleRoundTripsQpNumbersAddressAndWindow) {
  VerbsPeerInfo info = remote_info(IBV_MTU_2048);
  info.qp_nums = {1, 2, 3};
  info.link_layer = LinkLayer::kEthernet;
  info.window_address = 0x7f0012345678;
  info.window_rkey = 0xbeef;
  info.window_bytes = 1 << 20;
  info.oob_handle = std::vector<std::byte>(22, std::byte{9});
  const VerbsPeerInfo back = decode_verbs_handle(ListenHandle::from_bytes(encode_verbs_handle(info).bytes()), "node3");
  EXPECT_EQ(back.qp_nums, info.qp_nums);
  EXPECT_EQ(back.psn, info.psn);
  EXPECT_EQ(back.lid, info.lid);
  EXPECT_EQ(back.gid, info.gid);
  EXPECT_EQ(back.mtu, IBV_MTU_2048);
  EXPECT_EQ(back.link_layer, LinkLayer::kEthernet);
  EXPECT_EQ(back.window_address, info.window_address);
  EXPECT_EQ(back.window_rkey, info.window_rkey);
  EXPECT_EQ(back.window_bytes, info.window_bytes);
  EXPECT_EQ(back.oob_handle, info.oob_handle);
}

TEST(FakeVerbs, HandleOfWrongSizeOrVersionIsRejected) {
  const ListenHandle good = encode_verbs_handle(remote_info());
  std::vector<std::byte> bytes(good.bytes().begin(), good.bytes().end());
  auto shorter = bytes;
  shorter.pop_back();
  EXPECT_NE(message_of([&] { decode_verbs_handle(ListenHandle::from_bytes(shorter), "node3"); }).find("node3"),
            std::string::npos);
  auto newer = bytes;
  newer[5] = std::byte{kVerbsHandleVersion + 1};
  EXPECT_NE(message_of([&] {
              decode_verbs_handle(ListenHandle::from_bytes(newer), "node3");
            }).find("version 2, this build speaks version 1"),
            std::string::npos);
  const ListenHandle tcp = ListenHandle::make(TransportId::kTcp, 1, std::vector<std::byte>(14));
  EXPECT_NE(message_of([&] { decode_verbs_handle(tcp, "node3"); }).find("transport tcp"), std::string::npos);
  auto bad_mtu = bytes;
  bad_mtu[ListenHandle::kHeaderBytes + 1] = std::byte{9};
  EXPECT_NE(message_of([&] { decode_verbs_handle(ListenHandle::from_bytes(bad_mtu), "node3"); }).find("MTU"),
            std::string::npos);
  auto no_qps = bytes;
  no_qps[ListenHandle::kHeaderBytes + 2] = std::byte{0};
  EXPECT_NE(message_of([&] { decode_verbs_handle(ListenHandle::from_bytes(no_qps), "node3"); }).find("0 QPs"),
            std::string::npos);
  VerbsPeerInfo too_many = remote_info();
  too_many.qp_nums.assign(kMaxVerbsQps + 1, 1);
  EXPECT_THROW(encode_verbs_handle(too_many), Error);
}

TEST(FakeVerbs, NoDevicesWithEnosysIsAPlainSkipReason) {
  auto fake = std::make_shared<FakeVerbs>();
  fake->list_errno = ENOSYS;
  VerbsOptions options;
  const auto transport = make_verbs_transport(options, fake);
  EXPECT_TRUE(transport->devices().empty());
  EXPECT_EQ(transport->skip_reason(),
            "no RDMA devices: ibv_get_device_list: Function not implemented (kernel without RDMA support?)");
  fake->list_errno = 0;
  fake->devices = 0;
  const auto empty = make_verbs_transport(options, fake);
  EXPECT_TRUE(empty->devices().empty());
  EXPECT_NE(empty->skip_reason().find("no RDMA devices"), std::string::npos);
}

// Both sides through one fake (two transports, as two ranks would have), the QP numbers crossing over TCP
// loopback; then everything is released and the order checked.
struct FakePair {
  std::shared_ptr<FakeVerbs> fake = std::make_shared<FakeVerbs>();
  std::unique_ptr<Transport> a, b;
  std::unique_ptr<Endpoint> acceptor, connector;

  explicit FakePair(int qps, std::size_t window_bytes = 0, std::string counters_root = kRdmaSysfsRoot, int cq_mod = 1) {
    VerbsOptions options;
    options.cq_mod = cq_mod;
    options.counters_root = counters_root;
    options.common.streams = qps;
    options.common.timeout_s = 10;
    options.tx_depth = 4;
    options.rdma_window_bytes = window_bytes;
    options.oob = TcpDeviceFilter{{"lo"}, ""};
    a = make_verbs_transport(options, fake);
    b = make_verbs_transport(options, fake);
    auto listen = a->listen(0);
    const ListenHandle handle = ListenHandle::from_bytes(listen->handle().bytes());
    auto accepted =
        std::async(std::launch::async, [&, l = std::move(listen)]() mutable { return a->accept(std::move(l)); });
    connector = b->connect(0, handle, "rank1");
    acceptor = accepted.get();
  }
};

TEST(FakeVerbs, ConnectAndAcceptCrossWireQpNumbersOverTcp) {
  FakePair pair(2);
  const auto m = pair.fake->modifies();
  std::map<std::uint32_t, std::uint32_t> dest;  // qp -> dest_qp_num at RTR
  for (const auto& modify : m) {
    if (modify.attr.qp_state == IBV_QPS_RTR) dest[modify.qp_num] = modify.attr.dest_qp_num;
  }
  ASSERT_EQ(dest.size(), 4u);
  for (const auto& [qp, remote] : dest) EXPECT_EQ(dest.at(remote), qp) << "QP " << qp;
  EXPECT_EQ(pair.acceptor->peer().find("127.0.0.1"), 0u);
}

TEST(FakeVerbs, SendRecvAndRdmaCompleteThroughPollCq) {
  FakePair pair(2, 4096);
  std::vector<std::byte> buffer(1024);
  const auto region = pair.connector->register_memory(buffer.data(), buffer.size());
  auto& endpoint = dynamic_cast<VerbsEndpoint&>(*pair.connector);
  const RequestId recv = endpoint.irecv(*region, 0, 512);
  const RequestId send = endpoint.isend(*region, 512, 512);
  const RequestId write = endpoint.iwrite(*region, 0, 4096 - 1024, 1024);
  EXPECT_TRUE(endpoint.test(send));
  EXPECT_TRUE(endpoint.test(recv));
  EXPECT_TRUE(endpoint.test(write));
  EXPECT_FALSE(endpoint.test(write));  // reported once
  EXPECT_EQ(endpoint.remote_window_bytes(), 4096u);
  EXPECT_NE(message_of([&] { endpoint.iread(*region, 0, 4096 - 512, 1024); }).find("exceeds"), std::string::npos);
  EXPECT_NE(message_of([&] { endpoint.isend(*region, 1000, 100); }).find("exceeds the registered"), std::string::npos);
  // GPU memory: the fake refuses dma-buf, so registration falls back to plain ibv_reg_mr.
  pair.fake->clear_calls();
  const auto gpu = endpoint.register_device_memory(buffer.data(), buffer.size(), 5, 0);
  EXPECT_EQ(pair.fake->calls(), (std::vector<std::string>{"reg_dmabuf_mr", "reg_mr"}));
}

TEST(FakeVerbs, ResourcesAreReleasedInReverseOrder) {
  FakePair pair(1, 4096);
  std::shared_ptr<FakeVerbs> fake = pair.fake;
  fake->clear_calls();
  pair.connector.reset();
  pair.b.reset();
  std::vector<std::string> releases;
  for (const std::string& call : fake->calls()) {
    if (call == "dereg_mr" || call.rfind("destroy_", 0) == 0 || call == "dealloc_pd" || call == "close_device") {
      releases.push_back(call);
    }
  }
  EXPECT_EQ(releases, (std::vector<std::string>{"dereg_mr", "destroy_qp", "destroy_cq", "dealloc_pd", "close_device"}));
}

// The p2p bandwidth loop on one side of a verbs connection (the fake completes every request at once, so the
// peer's side is not needed): every operation is posted with its opcode, then one "done" SEND tells the peer.
TEST(FakeVerbs, OneSidedStreamPostsEveryOperationThenOneDoneMessage) {
  FakePair pair(2, 1 << 16);
  Endpoint& endpoint = *pair.connector;
  PairBuffers buffers(endpoint, 4096);
  for (const TransferOp op : {TransferOp::kWrite, TransferOp::kRead}) {
    pair.fake->clear_calls();
    const std::size_t before = pair.fake->opcodes().size();
    StreamPlan plan;
    plan.op = op;
    plan.bytes = 4096;
    plan.mine = 100;
    plan.depth = 8;
    plan.stall_s = 10.0;
    const StreamTiming timing = timed_stream(endpoint, buffers, plan);
    EXPECT_GT(timing.seconds, 0.0);
    const std::vector<ibv_wr_opcode> all = pair.fake->opcodes();
    const std::vector<ibv_wr_opcode> posted(all.begin() + static_cast<long>(before), all.end());
    ASSERT_EQ(posted.size(), 101u) << name_of(op);
    const ibv_wr_opcode expected = op == TransferOp::kWrite ? IBV_WR_RDMA_WRITE : IBV_WR_RDMA_READ;
    EXPECT_EQ(std::count(posted.begin(), posted.end(), expected), 100) << name_of(op);
    EXPECT_EQ(posted.back(), IBV_WR_SEND) << "the done message comes last";
  }
  // A message larger than the peer's window is refused before anything is posted.
  PairBuffers big(endpoint, 1 << 17);
  StreamPlan plan;
  plan.op = TransferOp::kWrite;
  plan.bytes = 1 << 17;
  plan.mine = 1;
  EXPECT_NE(message_of([&] { timed_stream(endpoint, big, plan); }).find("its window is 65536 bytes"),
            std::string::npos);
}

// perftest's --cq-mod on two QPs (tx depth 4, cq_mod 4): ten writes alternate between the QPs, the fourth on
// each QP is signalled and completes the three before it; the tail (one write per QP) has nothing signalled
// behind it, so test() posts one zero-byte signalled write per QP. Every write is reported complete once,
// then the "done" SEND goes. The peak is measured: a verbs completion means delivery.
TEST(FakeVerbs, CqModSignalsOneWriteInNPerQpAndFlushesEachQpsTailWithAZeroByteWrite) {
  FakePair pair(2, 1 << 16, kRdmaSysfsRoot, 4);
  Endpoint& endpoint = *pair.connector;
  PairBuffers buffers(endpoint, 4096);
  const std::size_t before = pair.fake->posts().size();
  StreamPlan plan;
  plan.op = TransferOp::kWrite;
  plan.bytes = 4096;
  plan.mine = 10;
  plan.depth = 8;
  plan.stall_s = 10.0;
  const StreamTiming timing = timed_stream(endpoint, buffers, plan);
  EXPECT_TRUE(timing.peak_seconds_per_op);
  const auto all = pair.fake->posts();
  const std::vector<FakeVerbs::Post> posts(all.begin() + static_cast<long>(before), all.end());
  ASSERT_EQ(posts.size(), 13u) << "10 writes, 2 flushes, 1 done message";
  std::string signalled;
  for (const auto& post : posts) signalled += post.signalled ? 'S' : '.';
  EXPECT_EQ(signalled, "......SS..SSS") << "the 4th write of each QP, each QP's flush, the done SEND";
  for (int k : {10, 11}) {
    EXPECT_EQ(posts[k].opcode, IBV_WR_RDMA_WRITE);
    EXPECT_EQ(posts[k].bytes, 0u) << "a flush carries no data";
  }
  EXPECT_NE(posts[10].qp_num, posts[11].qp_num) << "one flush per QP";
  EXPECT_EQ(posts[12].opcode, IBV_WR_SEND);
}

// cq_mod above the tx depth would leave a full queue with nothing signalled: it is lowered to the depth.
TEST(FakeVerbs, CqModAboveTheTxDepthIsLoweredToIt) {
  FakePair pair(1, 1 << 16, kRdmaSysfsRoot, 100);  // tx depth 4
  auto& endpoint = dynamic_cast<VerbsEndpoint&>(*pair.connector);
  std::vector<std::byte> buffer(64);
  const auto region = endpoint.register_memory(buffer.data(), buffer.size());
  const std::size_t before = pair.fake->posts().size();
  std::vector<RequestId> writes;
  for (int k = 0; k < 4; ++k) writes.push_back(endpoint.iwrite(*region, 0, 0, 64));
  for (RequestId w : writes) EXPECT_TRUE(endpoint.test(w));
  const auto all = pair.fake->posts();
  ASSERT_EQ(all.size() - before, 4u) << "no flush: the 4th write was signalled";
  EXPECT_TRUE(all.back().signalled);
}

TEST(FakeVerbs, DeviceWithoutTheRequestedPortIsSkippedWithAReason) {
  auto fake = std::make_shared<FakeVerbs>();
  VerbsOptions options;
  options.port = 2;  // the fake's devices have port 1 only
  const auto transport = make_verbs_transport(options, fake);
  EXPECT_TRUE(transport->devices().empty());
  EXPECT_NE(transport->skip_reason().find("no usable RDMA device: 1 found"), std::string::npos)
      << transport->skip_reason();
  EXPECT_NE(transport->skip_reason().find("fake_mlx5_0 port 2"), std::string::npos) << transport->skip_reason();
  options.port = 1;
  const auto listed = make_verbs_transport(options, fake);
  ASSERT_EQ(listed->devices().size(), 1u);
  EXPECT_EQ(listed->devices()[0].name, "fake_mlx5_0");
  EXPECT_EQ(listed->devices()[0].address, "lid 0x0012");
}

TEST(VerbsOnThisMachine, ReportsNoDevicesPlainly) {
  std::string reason;
  const auto devices = verbs_devices(make_real_verbs_api(), VerbsOptions{}, &reason);
  if (!devices.empty()) GTEST_SKIP() << "this machine has " << devices.size() << " RDMA device(s)";
  EXPECT_NE(reason.find("no RDMA devices"), std::string::npos) << reason;
  const auto transport = make_verbs_transport(VerbsOptions{}, make_real_verbs_api());
  EXPECT_TRUE(transport->devices().empty());
  EXPECT_EQ(transport->skip_reason(), reason);
}

// A fake sysfs tree of RDMA port counters (tests/unit: FakeSysfs, files written by the test).
class FakeSysfs {
 public:
  FakeSysfs() {
    char pattern[] = "/tmp/railcheck-fake-sysfs-XXXXXX";
    root_ = ::mkdtemp(pattern);
  }
  FakeSysfs(const FakeSysfs&) = delete;
  FakeSysfs& operator=(const FakeSysfs&) = delete;
  ~FakeSysfs() { std::filesystem::remove_all(root_); }
  const std::string& root() const { return root_; }
  void set(const std::string& device, const std::string& relative, const std::string& text) const {
    const std::filesystem::path path = std::filesystem::path(root_) / device / "ports" / "1" / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }

 private:
  std::string root_;
};

TEST(FakeSysfs, PortRetryCountersSumTheRequestersRetryEventsAndTheErrorCompletions) {
  FakeSysfs sysfs;
  sysfs.set("mlx5_0", "counters/port_xmit_packets", "1000000\n");
  sysfs.set("mlx5_0", "hw_counters/local_ack_timeout_err", "3\n");
  sysfs.set("mlx5_0", "hw_counters/packet_seq_err", "40\n");
  sysfs.set("mlx5_0", "hw_counters/implied_nak_seq_err", "2\n");
  sysfs.set("mlx5_0", "hw_counters/req_cqe_error", "1\n");
  sysfs.set("mlx5_0", "hw_counters/resp_cqe_error", "4\n");
  sysfs.set("mlx5_0", "hw_counters/out_of_sequence", "999\n");  // the responder's view: not this side's retries
  const PortRetryCounters reading = read_port_retry_counters(sysfs.root(), "mlx5_0", 1);
  EXPECT_TRUE(reading.known);
  EXPECT_EQ(reading.sent_packets, 1000000u);
  EXPECT_EQ(reading.retries, 45u);
  EXPECT_EQ(reading.errors, 5u);
}

TEST(FakeSysfs, PortWithoutPacketOrRetryCountersIsUnknownNamingTheFile) {
  FakeSysfs sysfs;
  const PortRetryCounters none = read_port_retry_counters(sysfs.root(), "mlx5_0", 1);
  EXPECT_FALSE(none.known);
  EXPECT_NE(none.missing.find("mlx5_0/ports/1/counters/port_xmit_packets"), std::string::npos) << none.missing;
  sysfs.set("mlx5_0", "counters/port_xmit_packets", "10\n");  // a driver without hw_counters
  const PortRetryCounters no_hw = read_port_retry_counters(sysfs.root(), "mlx5_0", 1);
  EXPECT_FALSE(no_hw.known);
  EXPECT_NE(no_hw.missing.find("hw_counters"), std::string::npos) << no_hw.missing;
  sysfs.set("mlx5_0", "hw_counters/packet_seq_err", "not a number\n");
  EXPECT_FALSE(read_port_retry_counters(sysfs.root(), "mlx5_0", 1).known);
  sysfs.set("mlx5_0", "hw_counters/local_ack_timeout_err", "7\n");  // one of three is enough
  const PortRetryCounters one = read_port_retry_counters(sysfs.root(), "mlx5_0", 1);
  EXPECT_TRUE(one.known);
  EXPECT_EQ(one.retries, 7u);
}

TEST(FakeVerbs, EndpointLossCountersAreItsPortsSysfsCounters) {
  FakeSysfs sysfs;
  sysfs.set("fake_mlx5_0", "counters/port_xmit_packets", "500\n");
  sysfs.set("fake_mlx5_0", "hw_counters/local_ack_timeout_err", "1\n");
  FakePair pair(1, 0, sysfs.root());
  const LossCounters before = pair.connector->loss_counters();
  EXPECT_TRUE(before.known);
  EXPECT_EQ(before.source, "ib_port_counters");
  EXPECT_EQ(before.sent, 500u);
  EXPECT_EQ(before.retransmitted, 1u);
  sysfs.set("fake_mlx5_0", "counters/port_xmit_packets", "2500\n");
  sysfs.set("fake_mlx5_0", "hw_counters/local_ack_timeout_err", "21\n");
  const LossCounters after = pair.connector->loss_counters();
  EXPECT_EQ(after.sent - before.sent, 2000u);
  EXPECT_EQ(after.retransmitted - before.retransmitted, 20u);
  FakePair without(1);  // the real /sys/class/infiniband has no fake_mlx5_0: not known, no throw
  EXPECT_FALSE(without.connector->loss_counters().known);
}

}  // namespace
}  // namespace railcheck
