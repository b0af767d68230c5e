// The NCCL backend's timer queues the timed loop behind a StreamLatch (nvbandwidth's method): host gaps while
// enqueuing are not timed, the stream is held until finish() or max_held_laps, and a graph capture never
// records the latch. Each test skips, with CUDA's reason, where no GPU is visible.
#include <cuda_runtime_api.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "cuda_event_timer.h"  // collectives/nccl/src: the backend's private timer
#include "railcheck/collectives/cuda_call.h"
#include "railcheck/collectives/cuda_handles.h"
#include "railcheck/kernels/launchers.h"

namespace {

using railcheck::CudaEventTimer;
using railcheck::CudaStream;
using railcheck::LatchPolicy;

#define RC_REQUIRE_GPU()                                                                                        \
  do {                                                                                                          \
    int devices_ = 0;                                                                                           \
    const cudaError_t status_ = cudaGetDeviceCount(&devices_);                                                  \
    if (status_ != cudaSuccess || devices_ == 0) {                                                              \
      GTEST_SKIP() << "no CUDA device: "                                                                        \
                   << (status_ != cudaSuccess ? cudaGetErrorString(status_) : "cudaGetDeviceCount returned 0"); \
    }                                                                                                           \
  } while (false)

constexpr std::size_t kBytes = 64u << 20;
constexpr double kHostGapS = 0.5;

// A stream on GPU 0 and a buffer to write on it.
struct Stage {
  Stage() {
    RC_CUDA_CALL(cudaSetDevice(0));
    stream = std::make_shared<CudaStream>(railcheck::make_non_blocking_stream());
    data = railcheck::allocate_device_buffer(kBytes, stream->get());
  }
  void write() const { railcheck::kernels::launch_hbm_write(data.data(), kBytes, 7, stream->get()); }
  std::shared_ptr<CudaStream> stream;
  railcheck::Buffer data;
};

void host_gap() { std::this_thread::sleep_for(std::chrono::duration<double>(kHostGapS)); }

// Two timed writes with the host pausing between their enqueues.
std::vector<double> laps_around_a_host_gap(const LatchPolicy& policy) {
  const Stage stage;
  CudaEventTimer timer(stage.stream, 0, policy);
  timer.start();
  stage.write();
  timer.lap();
  host_gap();
  stage.write();
  timer.lap();
  return timer.finish();
}

TEST(NcclTimerLatch, HostGapBetweenEnqueuesIsNotTimed) {
  RC_REQUIRE_GPU();
  const std::vector<double> held = laps_around_a_host_gap(LatchPolicy{});
  ASSERT_EQ(held.size(), 2u);
  EXPECT_LT(held[1], kHostGapS / 2) << "behind the latch both writes run back to back";
  // Without the latch the GPU waits for the host between the writes: the same test sees the gap.
  LatchPolicy off;
  off.enabled = false;
  const std::vector<double> unheld = laps_around_a_host_gap(off);
  ASSERT_EQ(unheld.size(), 2u);
  EXPECT_GT(unheld[1], kHostGapS * 0.8);
}

TEST(NcclTimerLatch, StreamIsHeldUntilFinish) {
  RC_REQUIRE_GPU();
  const Stage stage;
  CudaEventTimer timer(stage.stream, 0);
  timer.start();
  stage.write();
  timer.lap();
  host_gap();
  EXPECT_TRUE(timer.holding());
  EXPECT_EQ(cudaStreamQuery(stage.stream->get()), cudaErrorNotReady) << "queued work waits for the release";
  EXPECT_EQ(timer.finish().size(), 1u);
  EXPECT_FALSE(timer.holding());
  RC_CUDA_CALL(cudaStreamSynchronize(stage.stream->get()));
}

TEST(NcclTimerLatch, ReleasesByItselfAfterMaxHeldLaps) {
  RC_REQUIRE_GPU();
  const Stage stage;
  LatchPolicy policy;
  policy.max_held_laps = 3;
  CudaEventTimer timer(stage.stream, 0, policy);
  timer.start();
  for (int lap = 1; lap <= 3; ++lap) {
    EXPECT_TRUE(timer.holding()) << "before lap " << lap;
    stage.write();
    timer.lap();
  }
  EXPECT_FALSE(timer.holding()) << "released after 3 laps";
  RC_CUDA_CALL(cudaStreamSynchronize(stage.stream->get()));  // completes without finish()
  EXPECT_EQ(timer.finish().size(), 3u);
}

TEST(NcclTimerLatch, StartInsideAGraphCaptureThrowsAndCapturesNoLatch) {
  RC_REQUIRE_GPU();
  const Stage stage;
  CudaEventTimer timer(stage.stream, 0);
  RC_CUDA_CALL(cudaStreamBeginCapture(stage.stream->get(), cudaStreamCaptureModeThreadLocal));
  EXPECT_THROW(timer.start(), railcheck::Error);
  cudaGraph_t raw = nullptr;
  RC_CUDA_CALL(cudaStreamEndCapture(stage.stream->get(), &raw));
  const railcheck::CudaGraph graph(raw);
  std::size_t nodes = 0;
  RC_CUDA_CALL(cudaGraphGetNodes(graph.get(), nullptr, &nodes));
  EXPECT_EQ(nodes, 0u) << "the latch kernel must not end up in the graph";
}

TEST(NcclTimerLatch, GraphReplaysQueueBehindTheLatch) {
  RC_REQUIRE_GPU();
  const Stage stage;
  RC_CUDA_CALL(cudaStreamBeginCapture(stage.stream->get(), cudaStreamCaptureModeThreadLocal));
  stage.write();
  cudaGraph_t raw = nullptr;
  RC_CUDA_CALL(cudaStreamEndCapture(stage.stream->get(), &raw));
  const railcheck::CudaGraphExec exec = railcheck::instantiate_graph(railcheck::CudaGraph(raw));
  CudaEventTimer timer(stage.stream, 0);
  timer.start();
  RC_CUDA_CALL(cudaGraphLaunch(exec.get(), stage.stream->get()));
  timer.lap();
  host_gap();
  RC_CUDA_CALL(cudaGraphLaunch(exec.get(), stage.stream->get()));
  timer.lap();
  const std::vector<double> laps = timer.finish();
  ASSERT_EQ(laps.size(), 2u);
  EXPECT_LT(laps[1], kHostGapS / 2) << "replays behind the latch run back to back";
}

}  // namespace
