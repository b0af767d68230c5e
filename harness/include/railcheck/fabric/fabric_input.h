// Reading a fabric from a file (issue #18): railcheck's topology file, `ibnetdiscover` output, `iblinkinfo
// --line --switches-only` output or a cabling-plan CSV, told apart by their content unless the format is given.
#pragma once

#include <string>
#include <string_view>

#include "railcheck/fabric/fabric.h"

namespace railcheck::fabric {

/// "topo", "ibnetdiscover", "iblinkinfo", "csv", or "" (tell by the content: a `# railcheck-topo` line or a switch /
/// nic / cable line is a topology file, a `Switch` or `Ca` header ibnetdiscover, `==(` link lines iblinkinfo, a
/// header with an a_device column a cabling-plan CSV).
std::string detect_fabric_format(std::string_view text);

/// The text of the fabric file at `path`. Throws InputError naming the file when it cannot be read.
std::string read_fabric_text(const std::string& path);

/// The fabric in `text` (read from `source`). Throws InputError naming `source` when its format cannot be told,
/// `format` is none of the above, or its content is wrong (the importer's error, with the line).
Fabric parse_fabric_text(std::string_view text, const std::string& source, const std::string& format = "");

/// parse_fabric_text(read_fabric_text(path), path, format).
Fabric read_fabric_file(const std::string& path, const std::string& format = "");

}  // namespace railcheck::fabric
