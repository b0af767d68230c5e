// The in-process host backend: a Collective whose ranks are threads of one process (ThreadGroup), with the
// MPI host backend's semantics (host memory, NCCL's in-place conventions, steady_clock timing). For tests of
// everything above the backends without mpirun; backend_name() is "thread".
#pragma once

#include <memory>

#include "railcheck/collectives/collective.h"
#include "railcheck/collectives/thread_group.h"

namespace railcheck {

/// Member `rank` of `group`. Each member thread makes its own, and calls every collective method in the same
/// order as the others (as ranks of an MPI communicator do). Throws JobEnded once the group's job was ended.
std::unique_ptr<Collective> make_thread_collective(std::shared_ptr<ThreadGroup> group, int rank);

}  // namespace railcheck
