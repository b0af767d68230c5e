// SysfsRoot: every read of /sys goes through one root directory, so tests point discovery at a fixture tree
// (tests/unit/fixtures/sysfs/<name>/) and the program at "/".
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace railcheck {

/// A read-only view of a sysfs tree under `root`. Paths given to it are absolute sysfs paths such as
/// "/sys/class/infiniband"; they are looked up under the root ("/" for the real machine). Nothing here throws
/// for a missing or unreadable file: absence is an answer (discovery turns it into a reason).
class SysfsRoot {
 public:
  /// `root` need not exist (then every lookup finds nothing); see exists_root().
  explicit SysfsRoot(std::filesystem::path root = "/");

  /// The root directory as given.
  const std::filesystem::path& root() const { return root_; }

  /// True when the root is the real machine's "/", so NVML and CUDA describe the same node as the files.
  bool is_live() const;

  /// Whether the root itself is an existing directory.
  bool exists_root() const;

  /// The file system path of sysfs path `sys_path` ("/sys/bus/pci/devices" -> <root>/sys/bus/pci/devices).
  std::filesystem::path path(std::string_view sys_path) const;

  /// Whether `sys_path` exists (following symlinks).
  bool exists(std::string_view sys_path) const;

  /// The first line of a file with surrounding white space removed; nullopt when missing or unreadable.
  std::optional<std::string> read_line(std::string_view sys_path) const;

  /// The names in a directory, sorted; empty when it is missing or not a directory.
  std::vector<std::string> list(std::string_view sys_path) const;

  /// Where `sys_path` really is with every symlink resolved, as an absolute sysfs path inside the root
  /// ("/sys/devices/pci0000:15/0000:15:01.0/..."); nullopt when it is missing or resolves outside the root.
  std::optional<std::string> resolve(std::string_view sys_path) const;

 private:
  std::filesystem::path root_;
};

}  // namespace railcheck
