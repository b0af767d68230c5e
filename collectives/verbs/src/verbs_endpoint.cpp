#include <algorithm>

#include "verbs_connection.h"

namespace railcheck {
namespace {

constexpr int kAccess = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE | IBV_ACCESS_REMOTE_READ;

void check_range(const MemoryRegion& region, std::size_t offset, std::size_t bytes, const char* what) {
  if (bytes > 0xffffffffu) {
    throw Error(std::string(what) + " of " + std::to_string(bytes) + " bytes exceeds one work request's 4 GiB - 1");
  }
  check_region_range(region, offset, bytes, what);
}

const VerbsMemoryRegion& verbs_region(const MemoryRegion& region) {
  const auto* verbs = dynamic_cast<const VerbsMemoryRegion*>(&region);
  if (!verbs) throw Error("verbs endpoint given memory registered by another transport");
  return *verbs;
}

}  // namespace

VerbsPeerInfo VerbsConnection::local_info() const {
  VerbsPeerInfo info;
  for (const VerbsQp& qp : qps) info.qp_nums.push_back(qp.get()->qp_num);
  info.psn = psn;
  info.link_layer = device->port.link_layer;
  info.lid = device->port.lid;
  info.gid = device->port.gid;
  info.mtu = device->port.active_mtu;
  if (window) {
    info.window_address = reinterpret_cast<std::uintptr_t>(window->data());
    info.window_rkey = window->rkey();
    info.window_bytes = window->bytes();
  }
  return info;
}

VerbsEndpoint::VerbsEndpoint(std::shared_ptr<VerbsApi> api, std::unique_ptr<VerbsConnection> connection,
                             std::string peer, int tx_depth, int cq_mod, std::string counters_root)
    : api_(std::move(api)),
      connection_(std::move(connection)),
      peer_(std::move(peer)),
      tx_depth_(tx_depth),
      cq_mod_(std::clamp(cq_mod, 1, std::max(tx_depth, 1))),
      counters_root_(std::move(counters_root)),
      send_outstanding_(connection_->qps.size(), 0),
      unsignalled_run_(connection_->qps.size(), 0),
      last_signalled_(connection_->qps.size(), 0) {}

VerbsEndpoint::~VerbsEndpoint() = default;

std::unique_ptr<MemoryRegion> VerbsEndpoint::register_memory(std::byte* data, std::size_t bytes) {
  const VerbsPd& pd = connection_->device->pd;
  VerbsMr mr(api_, RC_VERBS_CALL(pd.device(), api_->reg_mr(pd.get(), data, bytes, kAccess)), pd.device());
  return std::make_unique<VerbsMemoryRegion>(std::move(mr), data, bytes);
}

std::unique_ptr<MemoryRegion> VerbsEndpoint::register_device_memory(std::byte* data, std::size_t bytes, int dmabuf_fd,
                                                                    std::uint64_t dmabuf_offset) {
  const VerbsPd& pd = connection_->device->pd;
  std::string dmabuf_failure;
  if (dmabuf_fd >= 0) {
    try {
      VerbsMr mr(
          api_,
          RC_VERBS_CALL(pd.device(), api_->reg_dmabuf_mr(pd.get(), dmabuf_offset, bytes,
                                                         reinterpret_cast<std::uintptr_t>(data), dmabuf_fd, kAccess)),
          pd.device());
      return std::make_unique<VerbsMemoryRegion>(std::move(mr), data, bytes);
    } catch (const Error& e) {
      dmabuf_failure = e.what();
    }
  }
  try {
    return register_memory(data, bytes);
  } catch (const Error& e) {
    if (dmabuf_failure.empty()) {
      throw Error(std::string(e.what()) +
                  " (no dma-buf fd given; plain ibv_reg_mr of GPU memory needs nvidia-peermem)");
    }
    throw Error("GPU memory registration failed both ways: dma-buf: " + dmabuf_failure + "; plain ibv_reg_mr " +
                "(nvidia-peermem path): " + e.what());
  }
}

std::size_t VerbsEndpoint::next_qp(std::uint64_t& counter) { return counter++ % connection_->qps.size(); }

RequestId VerbsEndpoint::isend(const MemoryRegion& region, std::size_t offset, std::size_t bytes) {
  return post_one_sided(IBV_WR_SEND, region, offset, 0, bytes);
}

RequestId VerbsEndpoint::irecv(const MemoryRegion& region, std::size_t offset, std::size_t bytes) {
  check_range(region, offset, bytes, "receive");
  const VerbsMemoryRegion& mr = verbs_region(region);
  ibv_sge sge{};
  sge.addr = reinterpret_cast<std::uintptr_t>(region.data() + offset);
  sge.length = static_cast<std::uint32_t>(bytes);
  sge.lkey = mr.lkey();
  ibv_recv_wr wr{};
  const RequestId id = next_id_++;
  wr.wr_id = id;
  wr.sg_list = &sge;
  wr.num_sge = 1;
  ibv_recv_wr* bad = nullptr;
  const VerbsQp& qp = connection_->qps[next_qp(recvs_)];
  RC_VERBS_CALL(qp.device(), api_->post_recv(qp.get(), &wr, &bad));
  return id;
}

RequestId VerbsEndpoint::iwrite(const MemoryRegion& region, std::size_t offset, std::uint64_t remote_offset,
                                std::size_t bytes) {
  return post_one_sided(IBV_WR_RDMA_WRITE, region, offset, remote_offset, bytes);
}

RequestId VerbsEndpoint::iread(const MemoryRegion& region, std::size_t offset, std::uint64_t remote_offset,
                               std::size_t bytes) {
  return post_one_sided(IBV_WR_RDMA_READ, region, offset, remote_offset, bytes);
}

const MemoryRegion* VerbsEndpoint::window() const { return connection_->window.get(); }

std::uint64_t VerbsEndpoint::remote_window_bytes() const { return connection_->remote.window_bytes; }

RequestId VerbsEndpoint::post_one_sided(ibv_wr_opcode opcode, const MemoryRegion& region, std::size_t offset,
                                        std::uint64_t remote_offset, std::size_t bytes) {
  const char* what = opcode == IBV_WR_SEND ? "send" : opcode == IBV_WR_RDMA_WRITE ? "RDMA write" : "RDMA read";
  check_range(region, offset, bytes, what);
  const VerbsMemoryRegion& mr = verbs_region(region);
  ibv_send_wr wr{};
  if (opcode != IBV_WR_SEND) {
    const VerbsPeerInfo& remote = connection_->remote;
    if (remote.window_bytes == 0) {
      throw Error(std::string(what) + " to " + peer_ + ": the peer advertised no RDMA window (rdma_window_bytes 0)");
    }
    if (remote_offset > remote.window_bytes || bytes > remote.window_bytes - remote_offset) {
      throw Error(std::string(what) + " of " + std::to_string(bytes) + " bytes at remote offset " +
                  std::to_string(remote_offset) + " exceeds " + peer_ + "'s window of " +
                  std::to_string(remote.window_bytes) + " bytes");
    }
    wr.wr.rdma.remote_addr = remote.window_address + remote_offset;
    wr.wr.rdma.rkey = remote.window_rkey;
  }
  std::uint64_t& counter = opcode == IBV_WR_SEND ? sends_ : one_sided_;
  const std::size_t q = next_qp(counter);
  if (send_outstanding_[q] >= tx_depth_) poll();
  if (send_outstanding_[q] >= tx_depth_) {
    --counter;  // nothing was posted
    throw Error(std::string(what) + " to " + peer_ + ": " + std::to_string(tx_depth_) +
                " requests already in flight on QP " + std::to_string(q) + " (tx depth); call test() first");
  }
  ibv_sge sge{};
  sge.addr = reinterpret_cast<std::uintptr_t>(region.data() + offset);
  sge.length = static_cast<std::uint32_t>(bytes);
  sge.lkey = mr.lkey();
  wr.sg_list = &sge;
  wr.num_sge = 1;
  wr.opcode = opcode;
  // SENDs are matched one for one by the peer's receives and always signalled; RDMA ops are moderated.
  const bool signalled = opcode == IBV_WR_SEND || ++unsignalled_run_[q] >= cq_mod_;
  post_on(q, wr, signalled);
  return wr.wr_id;
}

void VerbsEndpoint::post_on(std::size_t q, ibv_send_wr& wr, bool signalled) {
  const RequestId id = next_id_++;
  wr.wr_id = id;
  wr.send_flags = signalled ? IBV_SEND_SIGNALED : 0;
  ibv_send_wr* bad = nullptr;
  const VerbsQp& qp = connection_->qps[q];
  RC_VERBS_CALL(qp.device(), api_->post_send(qp.get(), &wr, &bad));
  ++send_outstanding_[q];
  sent_.push_back(Posted{id, q, wr.opcode, signalled});
  if (signalled) {  // a signalled SEND completes the RDMA requests before it on its QP too
    unsignalled_run_[q] = 0;
    last_signalled_[q] = id;
  }
}

void VerbsEndpoint::post_flush(std::size_t q, ibv_wr_opcode opcode) {
  ibv_send_wr wr{};
  wr.opcode = opcode;
  wr.num_sge = 0;  // zero bytes: valid for RDMA write and read on RC
  wr.wr.rdma.remote_addr = connection_->remote.window_address;
  wr.wr.rdma.rkey = connection_->remote.window_rkey;
  if (send_outstanding_[q] >= tx_depth_) poll();
  if (send_outstanding_[q] >= tx_depth_) return;  // full: a signalled request is among them; test() again later
  post_on(q, wr, true);
  flushes_.push_back(wr.wr_id);
}

void VerbsEndpoint::poll() {
  ibv_wc wc[16];
  const VerbsCq& cq = connection_->cq;
  for (;;) {
    const int n = api_->poll_cq(cq.get(), 16, wc);
    if (n < 0) throw Error("ibv_poll_cq on " + cq.device() + " failed (" + std::to_string(n) + ") with peer " + peer_);
    for (int i = 0; i < n; ++i) {
      if (wc[i].status != IBV_WC_SUCCESS) {  // ibv_wc_status_str: a table lookup, no device call, so no seam
        throw Error("work request " + std::to_string(wc[i].wr_id) + " with peer " + peer_ + " on " + cq.device() +
                    " failed: " + ::ibv_wc_status_str(wc[i].status) + " (status " + std::to_string(wc[i].status) +
                    ", vendor error " + std::to_string(wc[i].vendor_err) + ")");
      }
      const auto sent = std::find_if(sent_.begin(), sent_.end(), [&](const Posted& p) { return p.id == wc[i].wr_id; });
      if (sent == sent_.end()) {  // a receive
        done_.push_back(wc[i].wr_id);
        continue;
      }
      // This request and the unsignalled ones before it on its QP (a send queue completes in order).
      const std::size_t q = sent->qp;
      const RequestId last = sent->id;
      std::erase_if(sent_, [&](const Posted& p) {
        if (p.qp != q || p.id > last) return false;
        --send_outstanding_[q];
        const auto flush = std::find(flushes_.begin(), flushes_.end(), p.id);
        if (flush != flushes_.end()) {
          flushes_.erase(flush);
        } else {
          done_.push_back(p.id);
        }
        return true;
      });
    }
    if (n < 16) return;
  }
}

LossCounters VerbsEndpoint::loss_counters() const {
  const PortRetryCounters port =
      read_port_retry_counters(counters_root_, connection_->device->name, connection_->device->port.port);
  LossCounters counters;
  if (!port.known) return counters;
  counters.known = true;
  counters.source = "ib_port_counters";
  counters.sent = port.sent_packets;
  counters.retransmitted = port.retries;
  counters.errors = port.errors;
  return counters;
}

bool VerbsEndpoint::test(RequestId request) {
  auto take_done = [&] {
    poll();
    const auto found = std::find(done_.begin(), done_.end(), request);
    if (found == done_.end()) return false;
    done_.erase(found);
    return true;
  };
  if (take_done()) return true;
  // An unsignalled request with nothing signalled behind it would never complete: post a flush behind it.
  const auto pending = std::find_if(sent_.begin(), sent_.end(), [&](const Posted& p) { return p.id == request; });
  if (pending == sent_.end() || pending->signalled || last_signalled_[pending->qp] > request) return false;
  post_flush(pending->qp, pending->opcode);
  return take_done();
}

}  // namespace railcheck
