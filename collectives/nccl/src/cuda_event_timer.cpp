#include "cuda_event_timer.h"

#include <cstdio>

#include "railcheck/collectives/nccl_call.h"

namespace railcheck {
namespace {

constexpr double kSecondsPerMillisecond = 1e-3;

void throw_if_capturing(cudaStream_t stream) {
  cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
  RC_CUDA_CALL(cudaStreamIsCapturing(stream, &capture));
  if (capture != cudaStreamCaptureStatusNone) {
    throw Error("timer events cannot be recorded inside a CUDA graph capture; time replay_capture() instead");
  }
}

}  // namespace

CudaEventTimer::CudaEventTimer(std::shared_ptr<const CudaStream> stream, int device, LatchPolicy latch)
    : stream_(std::move(stream)), device_(device), policy_(latch) {}

void CudaEventTimer::start() {
  throw_if_capturing(stream_->get());  // before the latch: a captured latch would end up in the graph
  latch_.reset();                      // a previous round's latch (already released) lets go of its flag
  recorded_ = 0;
  released_ = false;
  warning_.clear();
  if (policy_.enabled) {
    RC_CUDA_CALL(cudaSetDevice(device_));
    latch_.emplace(stream_->get(), policy_.timeout_s);
  }
  try {
    record();
  } catch (...) {
    release();
    throw;
  }
}

void CudaEventTimer::lap() {
  if (recorded_ == 0) throw Error("Timer::lap() called before start()");
  record();
  if (recorded_ > static_cast<std::size_t>(policy_.max_held_laps)) release();
}

std::vector<double> CudaEventTimer::finish() {
  release();
  std::vector<double> samples;
  if (recorded_ < 2) {
    recorded_ = 0;
    return samples;
  }
  RC_CUDA_CALL(cudaEventSynchronize(events_[recorded_ - 1].get()));
  warning_.clear();
  if (latch_ && latch_->timed_out()) {
    char text[200];
    std::snprintf(text, sizeof text,
                  "the stream latch let go by itself after %.0f s before the timed loop was queued; these timings "
                  "may include host enqueue gaps",
                  policy_.timeout_s);
    warning_ = text;
  }
  samples.reserve(recorded_ - 1);
  for (std::size_t i = 1; i < recorded_; ++i) {
    float milliseconds = 0.0f;
    RC_CUDA_CALL(cudaEventElapsedTime(&milliseconds, events_[i - 1].get(), events_[i].get()));
    samples.push_back(static_cast<double>(milliseconds) * kSecondsPerMillisecond);
  }
  recorded_ = 0;
  return samples;
}

void CudaEventTimer::record() {
  throw_if_capturing(stream_->get());
  if (recorded_ == events_.size()) {  // only the first rounds allocate
    RC_CUDA_CALL(cudaSetDevice(device_));
    events_.push_back(make_timing_event());
  }
  RC_CUDA_CALL(cudaEventRecord(events_[recorded_].get(), stream_->get()));
  ++recorded_;
}

void CudaEventTimer::release() {
  if (latch_ && !released_) latch_->release();
  released_ = true;
}

}  // namespace railcheck
