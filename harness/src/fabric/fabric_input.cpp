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

std::string read_fabric_text(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw InputError(path + ": cannot read the fabric file; check the path");
  std::stringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

Fabric parse_fabric_text(std::string_view text, const std::string& source, const std::string& format) {
  const std::string kind = format.empty() ? detect_fabric_format(text) : format;
  if (kind == "topo") return parse_topology(text, source);
  if (kind == "ibnetdiscover") return import_ibnetdiscover(text, source);
  if (kind == "iblinkinfo") return import_iblinkinfo(text, source);
  if (kind == "csv") return import_cabling_csv(text, source);
  if (format.empty()) {
    throw InputError(source +
                     ": neither a railcheck topology file, ibnetdiscover or iblinkinfo output nor a cabling-plan "
                     "CSV; give --from topo|ibnetdiscover|iblinkinfo|csv if it is one of them");
  }
  throw InputError("--from " + format + ": give topo, ibnetdiscover, iblinkinfo or csv");
}

Fabric read_fabric_file(const std::string& path, const std::string& format) {
  return parse_fabric_text(read_fabric_text(path), path, format);
}

}  // namespace railcheck::fabric
