// The registry of results.jsonl line kinds (record_kinds.h) agrees with the schema's stream_line, which the
// Python tests validate against: the same type names, each dispatched to the same $defs entry, every entry
// present.
#include "railcheck/record/record_kinds.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace railcheck {
namespace {

nlohmann::json results_schema() {
  std::ifstream in(std::string(RAILCHECK_SOURCE_DIR) + "/results-schema/results.schema.json");
  return nlohmann::json::parse(in);
}

TEST(RecordKinds, EveryLineTypeHasOneEntryAndNamesAreUnique) {
  std::set<std::string_view> names;
  for (const LineTypeInfo& info : kLineTypes) {
    EXPECT_EQ(&line_type_info(info.type), &info) << info.name << ": its enumerator maps to another entry";
    EXPECT_TRUE(names.insert(info.name).second) << info.name << " twice";
    ASSERT_TRUE(find_line_type(info.name).has_value());
    EXPECT_EQ(find_line_type(info.name)->type, info.type);
  }
  EXPECT_FALSE(find_line_type("telemetry_from_the_future").has_value());
  EXPECT_TRUE(is_record(line_type_info(LineType::kP2p)));
  EXPECT_FALSE(is_record(line_type_info(LineType::kVerdicts)));
  EXPECT_EQ(kUnnamedRecordKind, "collective");
}

TEST(RecordKinds, SchemaStreamLineDispatchesTheSameTypesToTheSameDefinitions) {
  const nlohmann::json schema = results_schema();
  const nlohmann::json& defs = schema.at("$defs");
  const nlohmann::json& line = defs.at("stream_line");
  std::map<std::string, std::string> dispatched;  // type -> $defs name
  for (const nlohmann::json& branch : line.at("allOf")) {
    const std::string type = branch.at("if").at("properties").at("type").at("const");
    const std::string ref = branch.at("then").at("$ref");
    dispatched[type] = ref.substr(std::string("#/$defs/").size());
  }
  std::set<std::string> listed;
  for (const nlohmann::json& name : line.at("properties").at("type").at("enum")) listed.insert(name.get<std::string>());
  EXPECT_EQ(dispatched.size(), kLineTypes.size());
  EXPECT_EQ(listed.size(), kLineTypes.size());
  for (const LineTypeInfo& info : kLineTypes) {
    const std::string name(info.name);
    ASSERT_TRUE(dispatched.count(name)) << name << " is in record_kinds.h but not in stream_line";
    EXPECT_EQ(dispatched.at(name), info.schema_def) << name;
    EXPECT_TRUE(listed.count(name)) << name << " missing from stream_line's type enum";
    ASSERT_TRUE(defs.contains(std::string(info.schema_def))) << info.schema_def;
    // The definition pins the same "type" (directly or through the record fields it extends).
    const nlohmann::json& def = defs.at(std::string(info.schema_def));
    EXPECT_EQ(def.at("properties").at("type").at("const"), name) << info.schema_def;
  }
}

}  // namespace
}  // namespace railcheck
