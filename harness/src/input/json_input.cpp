#include "railcheck/input/json_input.h"

#include <fstream>
#include <sstream>

#include "railcheck/core/error.h"

namespace railcheck {
namespace {

std::string line_and_column(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + " column " + std::to_string(column);
}

std::string list_of(std::initializer_list<const char*> names) {
  std::string text;
  for (const char* name : names) text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

}  // namespace

std::string read_input_file(const std::filesystem::path& path, const std::string& what, const std::string& fix) {
  std::ifstream in(path);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(path, ec)) {
    const char* why = !std::filesystem::exists(path, ec)        ? "no such file"
                      : std::filesystem::is_directory(path, ec) ? "a directory"
                                                                : "permission denied";
    throw InputError(path.string() + ": cannot read " + what + " (" + why + "); " + fix);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

nlohmann::json JsonFields::parse(std::string_view text) const {
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    const auto reason = what.find(": ", what.find("column"));
    if (reason != std::string::npos) what = what.substr(reason + 2);
    throw InputError(source_ + ": not valid JSON at " + line_and_column(text, e.byte > 0 ? e.byte - 1 : 0) + ": " +
                     what);
  } catch (const nlohmann::json::out_of_range& e) {  // a number beyond a double's range (found by fuzz_rail_override)
    std::string what = e.what();
    const auto reason = what.find("] ");
    if (reason != std::string::npos) what = what.substr(reason + 2);
    throw InputError(source_ + ": not valid JSON: " + what + "; numbers must lie within a double's range (1.8e308)");
  }
}

void JsonFields::fail(const std::string& path, const std::string& message) const {
  throw InputError(source_ + ": " + (path.empty() ? "(top level)" : path) + ": " + message);
}

void JsonFields::expect_object(const nlohmann::json& value, const std::string& path,
                               std::initializer_list<const char*> known,
                               std::initializer_list<const char*> required) const {
  if (!value.is_object()) fail(path, "expected an object with " + list_of(known) + ", got " + describe(value));
  for (const auto& [key, member] : value.items()) {
    bool found = false;
    for (const char* name : known) found = found || key == name;
    if (!found) fail(join(path, key), "unknown field; known fields here: " + list_of(known));
  }
  for (const char* name : required) {
    if (!value.contains(name)) fail(join(path, name), "missing required field");
  }
}

std::string JsonFields::string_field(const nlohmann::json& value, const std::string& path) const {
  if (!value.is_string()) fail(path, "expected a string, got " + describe(value));
  return value.get<std::string>();
}

int JsonFields::int_field(const nlohmann::json& value, const std::string& path, int min, int max) const {
  if (!value.is_number_integer() || value.get<long long>() < min || value.get<long long>() > max ||
      (value.is_number_unsigned() && value.get<unsigned long long>() > static_cast<unsigned long long>(max))) {
    fail(path,
         "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", got " + describe(value));
  }
  return static_cast<int>(value.get<long long>());
}

double JsonFields::number_field(const nlohmann::json& value, const std::string& path, double min) const {
  if (!value.is_number() || value.get<double>() < min) {
    std::ostringstream bound;
    bound << min;
    fail(path, "expected a number >= " + bound.str() + ", got " + describe(value));
  }
  return value.get<double>();
}

bool JsonFields::bool_field(const nlohmann::json& value, const std::string& path) const {
  if (!value.is_boolean()) fail(path, "expected true or false, got " + describe(value));
  return value.get<bool>();
}

void JsonFields::expect_schema_version(const nlohmann::json& document, int version) const {
  if (!document.contains("schema_version"))
    fail("schema_version", "missing required field; add \"schema_version\": " + std::to_string(version));
  const nlohmann::json& value = document["schema_version"];
  if (!value.is_number_integer() || value.get<long long>() != version) {
    fail("schema_version",
         "version " + describe(value) + " is not supported; this railcheck reads " + std::to_string(version));
  }
}

std::string JsonFields::describe(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return std::string(value.type_name()) + " " + text;
}

}  // namespace railcheck
