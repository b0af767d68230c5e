#include "railcheck/runtime/bootstrap.h"

#include <algorithm>
#include <map>

namespace railcheck {

std::vector<std::string> number_hosts(std::vector<RankInfo>& ranks) {
  std::vector<std::string> hosts;
  std::map<std::string, int> ranks_on_host;
  for (RankInfo& info : ranks) {
    auto known = std::find(hosts.begin(), hosts.end(), info.host);
    info.node_index = static_cast<int>(known - hosts.begin());
    if (known == hosts.end()) hosts.push_back(info.host);
    info.local_rank = ranks_on_host[info.host]++;
  }
  for (RankInfo& info : ranks) info.local_size = ranks_on_host[info.host];
  return hosts;
}

}  // namespace railcheck
