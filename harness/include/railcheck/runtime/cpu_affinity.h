// The CPUs this process may run on (its affinity, as the launcher bound it), for the run manifest and the
// console note that warns when a rank is confined to a single CPU.
#pragma once

#include <string>
#include <vector>

namespace railcheck {

struct CpuAffinity {
  std::string list;  ///< Linux cpu-list form, e.g. "0-3,8" ("" when it could not be read)
  int count = 0;     ///< how many CPUs are in it (0 when it could not be read)
};

/// This process's affinity (sched_getaffinity). Never throws: an unreadable mask gives {"", 0}.
CpuAffinity current_cpu_affinity();

/// `cpus` (ascending, distinct) in cpu-list form: consecutive runs of 3 or more as "a-b", others
/// comma-separated ("0-2,5,7-9"; {0,1} is "0,1"). Pure.
std::string format_cpu_list(const std::vector<int>& cpus);

}  // namespace railcheck
