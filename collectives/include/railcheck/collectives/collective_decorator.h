// A Collective that forwards every call to another one: derive from it to change one or two calls (inject a
// fault, count calls) and keep the rest of the backend as it is.
#pragma once

#include <memory>
#include <utility>

#include "railcheck/collectives/collective.h"

namespace railcheck {

class CollectiveDecorator : public Collective {
 public:
  explicit CollectiveDecorator(std::unique_ptr<Collective> inner) : inner_(std::move(inner)) {}

  std::string_view backend_name() const override { return inner_->backend_name(); }
  int rank() const override { return inner_->rank(); }
  int size() const override { return inner_->size(); }
  Buffer allocate(std::size_t bytes) override { return inner_->allocate(bytes); }
  void upload(Buffer& dst, std::size_t offset, std::span<const std::byte> src) override {
    inner_->upload(dst, offset, src);
  }
  void download(const Buffer& src, std::size_t offset, std::span<std::byte> dst) override {
    inner_->download(src, offset, dst);
  }
  std::unique_ptr<Timer> make_timer() override { return inner_->make_timer(); }
  std::optional<std::size_t> free_device_memory_bytes() const override { return inner_->free_device_memory_bytes(); }
  bool supports_in_place(CollectiveKind kind) const override { return inner_->supports_in_place(kind); }
  bool in_place_result_defined(CollectiveKind kind) const override { return inner_->in_place_result_defined(kind); }
  void run(const CollectiveCall& call) override { inner_->run(call); }
  void synchronize() override { inner_->synchronize(); }
  bool supports_graph_capture() const override { return inner_->supports_graph_capture(); }
  void begin_capture() override { inner_->begin_capture(); }
  void end_capture() override { inner_->end_capture(); }
  void replay_capture() override { inner_->replay_capture(); }
  /// The inner backend's split, undecorated; override to decorate the groups too.
  std::unique_ptr<Collective> split(int color, int key) override { return inner_->split(color, key); }

 protected:
  Collective& inner() { return *inner_; }

 private:
  std::unique_ptr<Collective> inner_;
};

}  // namespace railcheck
