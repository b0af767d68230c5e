#include <cstring>
#include <random>

#include "verbs_connection.h"

namespace railcheck {
namespace {

constexpr std::uint32_t kReadyMagic = 0x52435652;  // "RCVR": the acceptor's QPs are in RTS
constexpr int kMinPort = 1, kMaxPort = 255;

std::uint32_t random_psn() {
  std::random_device random;
  return random() & 0xffffff;
}

class VerbsListenComm final : public ListenComm {
 public:
  VerbsListenComm(std::unique_ptr<VerbsConnection> connection, std::unique_ptr<ListenComm> oob)
      : connection_(std::move(connection)), oob_(std::move(oob)) {
    VerbsPeerInfo info = connection_->local_info();
    const auto oob_bytes = oob_->handle().bytes();
    info.oob_handle.assign(oob_bytes.begin(), oob_bytes.end());
    handle_ = encode_verbs_handle(info);
  }
  const ListenHandle& handle() const override { return handle_; }
  std::unique_ptr<VerbsConnection> connection_;
  std::unique_ptr<ListenComm> oob_;
  ListenHandle handle_;
};

// Sends `send` and receives `recv_bytes` over the out-of-band TCP endpoint, both bounded by `deadline`.
std::vector<std::byte> oob_exchange(Endpoint& oob, std::span<const std::byte> send, std::size_t recv_bytes,
                                    std::chrono::steady_clock::time_point deadline, const char* what) {
  std::vector<std::byte> out(send.begin(), send.end()), in(recv_bytes);
  const auto out_region = oob.register_memory(out.data(), out.size());
  const auto in_region = oob.register_memory(in.data(), in.size());
  RequestId recv = 0, sent = 0;
  if (recv_bytes) recv = oob.irecv(*in_region, 0, in.size());
  if (!out.empty()) sent = oob.isend(*out_region, 0, out.size());
  if (!out.empty()) wait_request(oob, sent, deadline, what);
  if (recv_bytes) wait_request(oob, recv, deadline, what);
  return in;
}

class VerbsTransport final : public Transport {
 public:
  VerbsTransport(const VerbsOptions& options, std::shared_ptr<VerbsApi> api) : options_(options), api_(std::move(api)) {
    if (options_.common.streams < 1 || options_.common.streams > kMaxVerbsQps) {
      throw InputError("-q " + std::to_string(options_.common.streams) + ": QPs per connection must be 1.." +
                       std::to_string(kMaxVerbsQps));
    }
    if (options_.port < kMinPort || options_.port > kMaxPort) {
      throw InputError("--ib-port " + std::to_string(options_.port) + " must be 1..255");
    }
    if (options_.tx_depth < 1 || options_.rx_depth < 1) throw InputError("tx and rx depth must be at least 1");
    if (options_.cq_mod < 1) throw InputError("cq_mod must be at least 1 (one signalled request in every N)");
    devices_ = verbs_devices(api_, options_, &reason_);
    states_.resize(devices_.size());
  }
  TransportId id() const override { return TransportId::kVerbs; }
  const std::vector<NicInfo>& devices() const override { return devices_; }
  std::string skip_reason() const override { return reason_; }

  std::unique_ptr<ListenComm> listen(int dev) override {
    auto connection = make_connection(dev);
    TransportOptions tcp = options_.common;
    tcp.streams = 1;
    if (!oob_transport_) oob_transport_ = make_tcp_transport(tcp, options_.oob);
    if (oob_transport_->devices().empty()) {
      throw Error("verbs listen on " + devices_[static_cast<std::size_t>(dev)].name +
                  ": no interface for the out-of-band QP exchange: " + oob_transport_->skip_reason());
    }
    auto oob = oob_transport_->listen(0);
    return std::make_unique<VerbsListenComm>(std::move(connection), std::move(oob));
  }

  std::unique_ptr<Endpoint> connect(int dev, const ListenHandle& handle, std::string_view peer_name) override {
    VerbsPeerInfo remote = decode_verbs_handle(handle, peer_name);
    const std::string peer = std::string(peer_name);
    auto connection = make_connection(dev);
    bring_up(*connection, remote, peer);
    TransportOptions tcp = options_.common;
    tcp.streams = 1;
    auto oob_transport = make_tcp_transport(tcp, options_.oob);
    if (oob_transport->devices().empty()) {
      throw Error("verbs connect to " + peer +
                  ": no interface for the out-of-band QP exchange: " + oob_transport->skip_reason());
    }
    auto oob = oob_transport->connect(0, ListenHandle::from_bytes(remote.oob_handle), peer_name);
    const ListenHandle reply = encode_verbs_handle(connection->local_info());
    const auto ready = oob_exchange(*oob, reply.bytes(), sizeof kReadyMagic, deadline(), "the verbs QP exchange");
    std::uint32_t magic = 0;
    std::memcpy(&magic, ready.data(), sizeof magic);
    if (magic != kReadyMagic) throw Error("verbs connect to " + peer + ": the peer answered with a bad ready word");
    return std::make_unique<VerbsEndpoint>(api_, std::move(connection), peer, options_.tx_depth, options_.cq_mod,
                                           options_.counters_root);
  }

  std::unique_ptr<Endpoint> accept(std::unique_ptr<ListenComm> listen) override {
    auto* comm = dynamic_cast<VerbsListenComm*>(listen.get());
    if (!comm) throw Error("verbs accept given a listen comm of another transport");
    if (!oob_transport_) throw Error("verbs accept without listen");
    auto oob = oob_transport_->accept(std::move(comm->oob_));
    const std::string peer = oob->peer();
    const auto bytes = oob_exchange(*oob, {}, comm->handle_.bytes().size(), deadline(), "the verbs QP exchange");
    const VerbsPeerInfo remote = decode_verbs_handle(ListenHandle::from_bytes(bytes), peer);
    bring_up(*comm->connection_, remote, peer);
    const std::uint32_t magic = kReadyMagic;
    std::byte word[sizeof magic];
    std::memcpy(word, &magic, sizeof magic);
    oob_exchange(*oob, word, 0, deadline(), "the verbs ready word");
    return std::make_unique<VerbsEndpoint>(api_, std::move(comm->connection_), peer, options_.tx_depth, options_.cq_mod,
                                           options_.counters_root);
  }

 private:
  std::chrono::steady_clock::time_point deadline() const {
    return std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                  std::chrono::duration<double>(options_.common.timeout_s));
  }

  std::shared_ptr<VerbsDeviceState> device_state(int dev) {
    if (dev < 0 || dev >= static_cast<int>(devices_.size())) {
      throw Error("verbs device " + std::to_string(dev) + " does not exist (" + std::to_string(devices_.size()) +
                  " devices)");
    }
    auto& state = states_[static_cast<std::size_t>(dev)];
    if (state) return state;
    const std::string name = devices_[static_cast<std::size_t>(dev)].name;
    const VerbsDeviceList list = VerbsDeviceList::open(api_);
    ibv_device* device = nullptr;
    for (int i = 0; i < list.size(); ++i) {
      if (api_->device_name(list.at(i)) == name) device = list.at(i);
    }
    if (!device) throw Error("RDMA device " + name + " disappeared since it was listed");
    auto opened = std::make_shared<VerbsDeviceState>();
    opened->name = name;
    opened->context = VerbsContext(api_, RC_VERBS_CALL(name, api_->open_device(device)), name);
    opened->pd = VerbsPd(api_, RC_VERBS_CALL(name, api_->alloc_pd(opened->context.get())), name);
    opened->port = query_port_address(*api_, opened->context.get(), name, static_cast<std::uint8_t>(options_.port),
                                      options_.gid_index);
    state = std::move(opened);
    return state;
  }

  std::unique_ptr<VerbsConnection> make_connection(int dev) {
    auto connection = std::make_unique<VerbsConnection>();
    connection->device = device_state(dev);
    const std::string& name = connection->device->name;
    const int qps = options_.common.streams;
    const int cqe = qps * (options_.tx_depth + options_.rx_depth);
    connection->cq = VerbsCq(api_, RC_VERBS_CALL(name, api_->create_cq(connection->device->context.get(), cqe)), name);
    for (int q = 0; q < qps; ++q) {
      connection->qps.push_back(create_rc_qp(api_, connection->device->pd, connection->cq, connection->device->port,
                                             std::max(options_.tx_depth, options_.rx_depth)));
    }
    connection->psn = random_psn();
    if (options_.rdma_window_bytes > 0) {
      connection->window_bytes.resize(options_.rdma_window_bytes);
      std::byte* data = connection->window_bytes.data();
      const int access = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ;
      VerbsMr mr(
          api_,
          RC_VERBS_CALL(name, api_->reg_mr(connection->device->pd.get(), data, options_.rdma_window_bytes, access)),
          name);
      connection->window = std::make_unique<VerbsMemoryRegion>(std::move(mr), data, options_.rdma_window_bytes);
    }
    return connection;
  }

  void bring_up(VerbsConnection& connection, const VerbsPeerInfo& remote, const std::string& peer) {
    if (remote.qp_nums.size() != connection.qps.size()) {
      throw Error("verbs peer " + peer + " has " + std::to_string(remote.qp_nums.size()) + " QPs, this side " +
                  std::to_string(connection.qps.size()) + " (ranks started with different -q?)");
    }
    if (remote.link_layer != connection.device->port.link_layer) {
      throw Error("verbs peer " + peer + " is on " + std::string(name_of(remote.link_layer)) + ", this side (" +
                  connection.device->name + ") on " + std::string(name_of(connection.device->port.link_layer)));
    }
    for (std::size_t q = 0; q < connection.qps.size(); ++q) {
      connect_rc_qp(*api_, connection.qps[q], connection.device->port, connection.psn, remote, remote.qp_nums[q],
                    options_.qp);
    }
    connection.remote = remote;
  }

  VerbsOptions options_;
  std::shared_ptr<VerbsApi> api_;
  std::vector<NicInfo> devices_;
  std::string reason_;
  std::vector<std::shared_ptr<VerbsDeviceState>> states_;
  std::unique_ptr<Transport> oob_transport_;
};

}  // namespace

std::unique_ptr<Transport> make_verbs_transport(const VerbsOptions& options, std::shared_ptr<VerbsApi> api) {
  return std::make_unique<VerbsTransport>(options, std::move(api));
}

}  // namespace railcheck
