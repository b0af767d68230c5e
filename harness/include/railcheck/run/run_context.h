// What every test of a run works with: who the ranks are, the collective over all of them, the step sequence
// the watchdog and other observers follow, and the sink its records go to.
#pragma once

#include "railcheck/collectives/collective.h"
#include "railcheck/output/sink.h"
#include "railcheck/run/steps.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

struct RunContext {
  const Bootstrap& bootstrap;
  Collective& world;  ///< the backend over every rank, in the bootstrap's rank order
  Steps& steps;       ///< this rank's steps
  OutputSink& sink;   ///< rank 0: the run's outputs; other ranks: an empty fanout (nothing to say)
};

}  // namespace railcheck
