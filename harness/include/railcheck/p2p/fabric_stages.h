// A fabric test of `railcheck run` (issue #18): the topology's stage plan run over the p2p transport. In a
// stage every endpoint's rank sends one flow and receives one, all at once: connections and a warm-up first,
// then a start barrier, then every flow for the same duration (-D) or message count (-n). One p2p record per
// flow (phase "fabric", round = the stage, route = the directed links it crossed), judged by the fabric solver
// (analysis/fabric_flows.h). Optional confirmation stages after the plan aim new flows at what it left in doubt.
#pragma once

#include <memory>
#include <string>

#include "railcheck/analysis/thresholds.h"
#include "railcheck/fabric/routed_fabric.h"
#include "railcheck/output/sink.h"
#include "railcheck/plan/suite.h"
#include "railcheck/run/steps.h"
#include "railcheck/runtime/bootstrap.h"

namespace railcheck {

/// The fabric `railcheck run --topology` plans over: the file at `path` (railcheck-topo, ibnetdiscover or
/// iblinkinfo output), routed by the switches' forwarding tables at `routes_path` (`--routes`: dump_lfts.sh /
/// ibroute output or OpenSM's dump; fabric/lft_fabric.h, any shape, the greedy plan) or, without one,
/// destination-mod-k (a leaf-spine tree, the shift plan). Throws InputError naming the file and what is wrong.
std::unique_ptr<fabric::RoutedFabric> load_run_fabric(const std::string& path, const std::string& routes_path = "");

/// Which topology endpoint each rank drives: a rank takes a NIC of its host (host names compared without their
/// domain), the one of the rail equal to its local rank, else its local rank's among the host's NICs. -1: none.
std::vector<int> endpoints_of_ranks(const fabric::RoutedFabric& topology, const Bootstrap& bootstrap);

/// Collective. Without a topology every rank returns at once and rank 0's sink gets a skip note; a rank with no
/// device named by its NIC skips the test on every rank (naming it). Flows whose ends have no rank in this job
/// are left out (a note says which endpoints). Before any traffic rank 0 notes what the plan can tell apart.
/// Each stage is a step of `steps`; a flow that fails gives an error record naming the peer and never stops the
/// others. Then up to `spec.confirm_stages` confirmation stages, each planned by rank 0 from the flows so far
/// (judged by `fabric_options`, the suite's analysis.fabric) and broadcast; the first with nothing in doubt ends
/// them with a note.
void run_fabric_suite_test(const P2pTestSpec& spec, const fabric::RoutedFabric* topology,
                           const analysis::FabricOptions& fabric_options, const Bootstrap& bootstrap, double timeout_s,
                           Steps& steps, OutputSink& sink);

}  // namespace railcheck
