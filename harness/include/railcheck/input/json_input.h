// Reading JSON input files (suites, profiles, rail overrides) with errors that name the file and the field:
// "<file>: <field path>: <problem>; <fix>", one line.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace railcheck {

/// The text of `path`; InputError "<path>: cannot read <what> (no such file|permission denied); <fix>".
std::string read_input_file(const std::filesystem::path& path, const std::string& what, const std::string& fix);

/// Field-by-field checks over one parsed document. Every failure throws InputError naming source and path.
class JsonFields {
 public:
  explicit JsonFields(std::string source) : source_(std::move(source)) {}

  /// Parses `text`; InputError "<source>: not valid JSON at line L column C: <reason>".
  nlohmann::json parse(std::string_view text) const;

  [[noreturn]] void fail(const std::string& path, const std::string& message) const;

  /// `value` must be an object whose keys are all in `known`, and which has every key in `required`.
  void expect_object(const nlohmann::json& value, const std::string& path, std::initializer_list<const char*> known,
                     std::initializer_list<const char*> required = {}) const;
  std::string string_field(const nlohmann::json& value, const std::string& path) const;
  int int_field(const nlohmann::json& value, const std::string& path, int min, int max) const;
  double number_field(const nlohmann::json& value, const std::string& path, double min) const;
  bool bool_field(const nlohmann::json& value, const std::string& path) const;
  /// schema_version must be present and equal `version`.
  void expect_schema_version(const nlohmann::json& document, int version) const;

  /// "string \"abc\"", "number 7", shortened.
  static std::string describe(const nlohmann::json& value);
  /// "a.b" or "b" when `path` is empty.
  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

 private:
  std::string source_;
};

}  // namespace railcheck
