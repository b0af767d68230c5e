// Paths into the source tree for unit tests that read its files (suites, profiles, sysfs fixtures).
#pragma once

#include <filesystem>
#include <string>

#ifndef RAILCHECK_SOURCE_DIR
#error "RAILCHECK_SOURCE_DIR must name the source tree (tests/unit/CMakeLists.txt defines it)"
#endif

namespace railcheck::test {

/// `relative` inside the source tree.
inline std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(RAILCHECK_SOURCE_DIR) / relative;
}

/// The sysfs fixture tree `name` (tests/unit/fixtures/sysfs/<name>).
inline std::filesystem::path sysfs_fixture(const std::string& name) {
  return source_path("tests/unit/fixtures/sysfs") / name;
}

/// A hardware profile shipped in suites/profiles.
inline std::filesystem::path profile_path(const std::string& file) { return source_path("suites/profiles") / file; }

}  // namespace railcheck::test
