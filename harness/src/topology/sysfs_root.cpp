#include "railcheck/topology/sysfs_root.h"

#include <algorithm>
#include <fstream>

namespace railcheck {

namespace fs = std::filesystem;

SysfsRoot::SysfsRoot(fs::path root) : root_(std::move(root)) {}

bool SysfsRoot::is_live() const {
  std::error_code ec;
  return fs::equivalent(root_, "/", ec);
}

bool SysfsRoot::exists_root() const {
  std::error_code ec;
  return fs::is_directory(root_, ec);
}

fs::path SysfsRoot::path(std::string_view sys_path) const {
  while (!sys_path.empty() && sys_path.front() == '/') sys_path.remove_prefix(1);
  return root_ / fs::path(sys_path);
}

bool SysfsRoot::exists(std::string_view sys_path) const {
  std::error_code ec;
  return fs::exists(path(sys_path), ec);
}

std::optional<std::string> SysfsRoot::read_line(std::string_view sys_path) const {
  std::ifstream in(path(sys_path));
  if (!in) return std::nullopt;
  std::string line;
  std::getline(in, line);  // an empty file is an empty line
  if (in.bad()) return std::nullopt;
  const auto first = line.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return std::string();
  const auto last = line.find_last_not_of(" \t\r\n");
  return line.substr(first, last - first + 1);
}

std::vector<std::string> SysfsRoot::list(std::string_view sys_path) const {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(path(sys_path), ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<std::string> SysfsRoot::resolve(std::string_view sys_path) const {
  std::error_code ec;
  const fs::path real = fs::canonical(path(sys_path), ec);
  if (ec) return std::nullopt;
  const fs::path base = fs::canonical(root_, ec);
  if (ec) return std::nullopt;
  const fs::path inside = real.lexically_relative(base);
  if (inside.empty() || *inside.begin() == "..") return std::nullopt;
  return "/" + inside.generic_string();
}

}  // namespace railcheck
