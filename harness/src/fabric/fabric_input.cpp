#include "railcheck/fabric/fabric_input.h"

#include <fstream>
#include <regex>
#include <sstream>

#include "railcheck/core/error.h"
#include "railcheck/fabric/cabling_csv_import.h"
#include "railcheck/fabric/iblinkinfo_import.h"
#include "railcheck/fabric/ibnetdiscover_import.h"
#include "railcheck/fabric/topology_file.h"

namespace railcheck::fabric {

std::string detect_fabric_format(std::string_view text) {
  const std::string s(text);
  if (s.find("# railcheck-topo") != std::string::npos) return "topo";
  if (std::regex_search(s, std::regex(R"re((^|\n)(Switch|Ca)\s+\d+\s+")re"))) return "ibnetdiscover";
  if (s.find(")==>") != std::string::npos) return "iblinkinfo";
  if (std::regex_search(s, std::regex(R"re((^|\n)[^#\n]*\ba_device\b)re"))) return "csv";
  if (std::regex_search(s, std::regex(R"re((^|\n)(switch|nic|cable)\s+\w+=)re"))) return "topo";
  return "";
}

Fabric read_fabric_file(const std::string& path, const std::string& format) {
  std::ifstream file(path);
  if (!file) throw InputError(path + ": cannot read the fabric file; check the path");
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  const std::string kind = format.empty() ? detect_fabric_format(text) : format;
  if (kind == "topo") return parse_topology(text, path);
  if (kind == "ibnetdiscover") return import_ibnetdiscover(text, path);
  if (kind == "iblinkinfo") return import_iblinkinfo(text, path);
  if (kind == "csv") return import_cabling_csv(text, path);
  if (format.empty()) {
    throw InputError(path +
                     ": neither a railcheck topology file, ibnetdiscover or iblinkinfo output nor a cabling-plan "
                     "CSV; give --from topo|ibnetdiscover|iblinkinfo|csv if it is one of them");
  }
  throw InputError("--from " + format + ": give topo, ibnetdiscover, iblinkinfo or csv");
}

}  // namespace railcheck::fabric
