#include "cuda_event_timer.h"

#include "railcheck/collectives/nccl_call.h"

namespace railcheck {
namespace {

constexpr double kSecondsPerMillisecond = 1e-3;

}  // namespace

CudaEventTimer::CudaEventTimer(std::shared_ptr<const CudaStream> stream, int device)
    : stream_(std::move(stream)), device_(device) {}

void CudaEventTimer::start() {
  recorded_ = 0;
  record();
}

void CudaEventTimer::lap() {
  if (recorded_ == 0) throw Error("Timer::lap() called before start()");
  record();
}

std::vector<double> CudaEventTimer::finish() {
  std::vector<double> samples;
  if (recorded_ < 2) {
    recorded_ = 0;
    return samples;
  }
  RC_CUDA_CALL(cudaEventSynchronize(events_[recorded_ - 1].get()));
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
  cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
  RC_CUDA_CALL(cudaStreamIsCapturing(stream_->get(), &capture));
  if (capture != cudaStreamCaptureStatusNone) {
    throw Error("timer events cannot be recorded inside a CUDA graph capture; time replay_capture() instead");
  }
  if (recorded_ == events_.size()) {  // only the first rounds allocate
    RC_CUDA_CALL(cudaSetDevice(device_));
    events_.push_back(make_timing_event());
  }
  RC_CUDA_CALL(cudaEventRecord(events_[recorded_].get(), stream_->get()));
  ++recorded_;
}

}  // namespace railcheck
