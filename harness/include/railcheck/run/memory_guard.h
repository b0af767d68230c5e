// Sizes whose buffers cannot fit are refused before anything is measured, with one line giving the limit
// (`-e 1T` on a 24 GiB node ends at once with exit 2, not after sweeping until the kernel kills it).
#pragma once

#include <cstddef>
#include <string>

#include "railcheck/collectives/collective.h"
#include "railcheck/plan/test_spec.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// What one rank may use for one test's buffers: the smallest budget over the ranks, and whose it is.
struct BufferBudget {
  bool device_memory = false;  ///< the backend's buffers live on a GPU (the budget is free device memory)
  bool known = false;          ///< false: no rank could tell (no /proc/meminfo): nothing is refused
  std::size_t bytes = 0;
  int rank = 0;
  std::string host;
  std::string source;  ///< "free GPU memory", "MemAvailable 23.1 GiB shared by 4 ranks"
};

/// Each rank's budget (free device memory for a device backend, else its node's MemAvailable divided by
/// the ranks on the node), agreed over every rank. Collective over the bootstrap's ranks.
BufferBudget agreed_buffer_budget(const Bootstrap& bootstrap, const Collective& collective);

/// Bytes one rank needs at the test's max_bytes: the send and receive buffers, and for a host-memory backend
/// the host copies the check makes beside them.
std::size_t buffer_bytes_needed(const CollectiveTestSpec& spec, int nranks, bool device_memory);

/// Throws InputError naming the test, its max_bytes, what it needs and the budget, when it does not fit.
void require_buffers_fit(const CollectiveTestSpec& spec, int nranks, const BufferBudget& budget);

}  // namespace railcheck
