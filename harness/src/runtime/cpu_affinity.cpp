#include "railcheck/runtime/cpu_affinity.h"

#include <sched.h>

#include <cstddef>

namespace railcheck {

std::string format_cpu_list(const std::vector<int>& cpus) {
  std::string text;
  for (std::size_t i = 0; i < cpus.size();) {
    std::size_t j = i;
    while (j + 1 < cpus.size() && cpus[j + 1] == cpus[j] + 1) ++j;
    if (!text.empty()) text += ',';
    if (j - i >= 2) {
      text += std::to_string(cpus[i]) + '-' + std::to_string(cpus[j]);
      i = j + 1;
    } else {
      text += std::to_string(cpus[i]);
      ++i;
    }
  }
  return text;
}

CpuAffinity current_cpu_affinity() {
  cpu_set_t mask;
  CPU_ZERO(&mask);
  if (sched_getaffinity(0, sizeof mask, &mask) != 0) return {};
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &mask)) cpus.push_back(cpu);
  }
  return {format_cpu_list(cpus), static_cast<int>(cpus.size())};
}

}  // namespace railcheck
