// Typed field access on one JSON object whose errors name where the field is, for the analysis' readers of
// results records, verdicts and bisection records: "<prefix><path>.<field>: <problem>", e.g.
// "records[3].busbw_gbps: missing" or "verdict: evidence[1].measured: not a number". Throws
// std::invalid_argument; the caller converts it at its boundary.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace railcheck::analysis {

class FieldReader {
 public:
  /// `json` must be an object (else it fails at once); `path` locates it ("records[3]", "evidence[1]", or ""
  /// for the top), `prefix` starts every message ("verdict: ").
  FieldReader(const nlohmann::json& json, std::string path, std::string prefix = "")
      : json_(json), path_(std::move(path)), prefix_(std::move(prefix)) {
    if (!json_.is_object()) fail("", "not an object");
  }

  [[noreturn]] void fail(const std::string& name, const std::string& problem) const {
    std::string where = path_;
    if (!name.empty()) where += (where.empty() ? "" : ".") + name;
    throw std::invalid_argument(prefix_ + (where.empty() ? std::string("(top)") : where) + ": " + problem);
  }

  bool has(const std::string& name) const { return json_.contains(name); }
  /// Where this object is ("records[3]").
  const std::string& path() const { return path_; }

  const nlohmann::json& get(const std::string& name) const {
    const auto it = json_.find(name);
    if (it == json_.end()) fail(name, "missing");
    return *it;
  }

  std::string string(const std::string& name) const {
    const nlohmann::json& value = get(name);
    if (!value.is_string()) fail(name, "not a string");
    return value.get<std::string>();
  }

  /// The string at `name`, or `fallback` when it is absent or not a string.
  std::string optional_string(const std::string& name, std::string fallback) const {
    const auto it = json_.find(name);
    return it != json_.end() && it->is_string() ? it->get<std::string>() : fallback;
  }

  double number(const std::string& name) const {
    const nlohmann::json& value = get(name);
    if (!value.is_number()) fail(name, "not a number");
    return value.get<double>();
  }

  int integer(const std::string& name) const {
    const nlohmann::json& value = get(name);
    if (!value.is_number_integer()) fail(name, "not an integer");
    return value.get<int>();
  }

  std::size_t size(const std::string& name) const {
    const nlohmann::json& value = get(name);
    if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
      fail(name, "not a non-negative integer");
    }
    return value.get<std::size_t>();
  }

  bool boolean(const std::string& name) const {
    const nlohmann::json& value = get(name);
    if (!value.is_boolean()) fail(name, "not true or false");
    return value.get<bool>();
  }

  const nlohmann::json& array(const std::string& name) const {
    const nlohmann::json& value = get(name);
    if (!value.is_array()) fail(name, "not an array");
    return value;
  }

 private:
  const nlohmann::json& json_;
  std::string path_;
  std::string prefix_;
};

}  // namespace railcheck::analysis
