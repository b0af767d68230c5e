// Line by line through a text file's contents: what the fabric readers (the topology file, the ibnetdiscover,
// iblinkinfo and cabling-plan CSV importers) share, so their line numbers in errors count the same way.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace railcheck::fabric {

/// Calls `line(number, text)` for each line of `text` (numbered from 1, without its newline); returns the number
/// of the last one.
inline std::size_t for_each_line(std::string_view text,
                                 const std::function<void(std::size_t, const std::string&)>& line) {
  std::size_t number = 0, start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    line(++number, std::string(text.substr(start, end - start)));
    start = end + 1;
  }
  return number;
}

}  // namespace railcheck::fabric
