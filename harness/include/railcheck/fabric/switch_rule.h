// The device rule (issue #18; NetBouncer applies it before the link fit): a faulty switch slows every flow it
// forwards, and boolean tomography then names many of its links, as many as it takes to explain those flows. A
// switch is named instead when at least `min_links` named links touch it and at least `slow_share` of all the
// flows through it were slow; links faulty on their own leave the switch's other flows healthy, so two or three
// slow cables on one switch stay cables.
#pragma once

#include <vector>

#include "railcheck/fabric/fabric.h"
#include "railcheck/fabric/tomography.h"

namespace railcheck::fabric {

struct SwitchRuleOptions {
  int min_links = 3;        ///< named links that must touch the switch
  double slow_share = 0.9;  ///< of the flows through it (in or out), slow (below 1: noise makes a few look healthy)
};

struct NamedSwitch {
  int device = 0;
  std::vector<int> links;      ///< the named links it explains (they touch it)
  std::vector<FlowRef> flows;  ///< the slow flows through it
  int total = 0;               ///< every flow through it
};

/// The two devices a directed link joins, by any numbering of devices.
struct LinkEnds {
  int from = 0, to = 0;
};

/// Moves the named links the rule gives to a switch out of `result.faults` into the returned switches (a named
/// class goes with the first switch it touches), and drops a named link whose slow flows all cross a named switch
/// (the solver met it before the switch's own links). `routes[s][f]` as the solver had them; `ends[l]` link l's
/// devices, `is_switch[d]` whether device d is a switch (a NIC never is named). Deterministic.
std::vector<NamedSwitch> name_switches(const std::vector<LinkEnds>& ends, const std::vector<bool>& is_switch,
                                       const std::vector<std::vector<std::vector<int>>>& routes,
                                       const std::vector<std::vector<bool>>& slow, TomographyResult& result,
                                       const SwitchRuleOptions& options = {});

/// The same on a fabric's links and devices.
std::vector<NamedSwitch> name_switches(const Fabric& fabric, const std::vector<std::vector<std::vector<int>>>& routes,
                                       const std::vector<std::vector<bool>>& slow, TomographyResult& result,
                                       const SwitchRuleOptions& options = {});

}  // namespace railcheck::fabric
