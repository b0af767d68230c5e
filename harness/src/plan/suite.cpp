#include "railcheck/plan/suite.h"

#include <climits>

#include <nlohmann/json.hpp>

#include "railcheck/analysis/analysis_options.h"
#include "railcheck/core/error.h"
#include "railcheck/input/json_input.h"
#include "railcheck/plan/sizes.h"

namespace railcheck::embedded {
extern const std::string_view quick_suite_json;
}

namespace railcheck {
namespace {

using nlohmann::json;

constexpr const char* kP2pTestFields =
    "name, p2p (or fabric), op, size, lat_size, iters, lat_iters, duration_s, streams, tx_depth, cq_mod, "
    "bidirectional, "
    "within_node, "
    "ifname, "
    "subnet, sock_buf, confirm_stages, thin, repeats (fabric)";
constexpr const char* kTestFields =
    "name, collective, min_bytes, max_bytes, step_bytes, step_factor, iters, warmup_iters, check, dtype, op, root, "
    "placement, graph_launches, cycles, blocking, timing, bisect";

// Errors carry the file and the JSON path of the field.
class SuiteReader {
 public:
  explicit SuiteReader(std::string source) : fields_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& message) const { fields_.fail(path, message); }

  std::string string_field(const json& value, const std::string& path) const {
    if (!value.is_string()) fail(path, "expected a string, got " + std::string(value.type_name()));
    return value.get<std::string>();
  }

  long long integer_field(const json& value, const std::string& path) const {
    if (!value.is_number_integer()) fail(path, "expected an integer, got " + describe(value));
    return value.get<long long>();
  }

  // An integer that must fit an int: out-of-range values are errors, never truncated.
  int int_field(const json& value, const std::string& path) const {
    if (!value.is_number_integer() ||
        (value.is_number_unsigned() && value.get<unsigned long long>() > static_cast<unsigned long long>(INT_MAX)) ||
        (!value.is_number_unsigned() && (value.get<long long>() > INT_MAX || value.get<long long>() < INT_MIN))) {
      fail(path, "expected an integer from " + std::to_string(INT_MIN) + " to " + std::to_string(INT_MAX) + ", got " +
                     describe(value));
    }
    return static_cast<int>(value.get<long long>());
  }

  std::size_t size_field(const json& value, const std::string& path) const {
    if (value.is_number_unsigned()) return value.get<std::size_t>();
    if (value.is_string()) {
      if (auto size = parse_size(value.get<std::string>())) return *size;
    }
    fail(path, "expected a size in bytes such as 1048576 or \"1M\" (K, M, G = 1024-based), got " + describe(value));
  }

  void apply_test_field(const std::string& key, const json& value, const std::string& path,
                        CollectiveTestSpec& spec) const {
    const std::string at = path + "." + key;
    if (key == "name") {
      spec.name = string_field(value, at);
    } else if (key == "collective") {
      const std::string text = string_field(value, at);
      auto kind = parse_collective(text);
      if (!kind) fail(at, "unknown collective '" + text + "'; choose one of " + collective_choices());
      spec.kind = *kind;
    } else if (key == "min_bytes") {
      spec.min_bytes = size_field(value, at);
    } else if (key == "max_bytes") {
      spec.max_bytes = size_field(value, at);
    } else if (key == "step_bytes") {
      spec.step_bytes = size_field(value, at);
    } else if (key == "step_factor") {
      if (!value.is_number()) fail(at, "expected a number, got " + describe(value));
      spec.step_factor = value.get<double>();
    } else if (key == "iters") {
      spec.iters = int_field(value, at);
    } else if (key == "warmup_iters") {
      spec.warmup_iters = int_field(value, at);
    } else if (key == "check") {
      spec.check_iters = int_field(value, at);
    } else if (key == "dtype") {
      const std::string text = string_field(value, at);
      auto type = parse_data_type(text);
      if (!type) fail(at, "unknown data type '" + text + "'; choose one of " + data_type_choices());
      spec.type = *type;
    } else if (key == "op") {
      const std::string text = string_field(value, at);
      auto op = parse_reduce_op(text);
      if (!op) fail(at, "unknown reduction '" + text + "'; choose one of " + reduce_op_choices());
      spec.op = *op;
    } else if (key == "root") {
      spec.root = int_field(value, at);
    } else if (key == "placement") {
      const std::string text = string_field(value, at);
      auto placement = parse_placement(text);
      if (!placement) fail(at, "unknown placement '" + text + "'; choose one of both, out_of_place, in_place");
      spec.placement = *placement;
    } else if (key == "graph_launches") {
      spec.graph_launches = int_field(value, at);
    } else if (key == "cycles") {
      spec.cycles = int_field(value, at);
    } else if (key == "blocking") {
      spec.blocking = static_cast<Blocking>(int_field(value, at));
    } else if (key == "timing") {
      const std::string text = string_field(value, at);
      auto window = parse_timing_window(text);
      if (!window) fail(at, "unknown timing '" + text + "'; choose loop (nccl-tests' host clock) or events");
      spec.timing = *window;
    } else if (key == "bisect") {
      spec.bisect = bisect_field(value, at);
    } else {
      fail(at, std::string("unknown field; known test fields: ") + kTestFields);
    }
  }

  // "bisect": true, false or {"size": "64M", "expected_busbw_gbps": 40.0}.
  BisectSpec bisect_field(const json& value, const std::string& at) const {
    BisectSpec bisect;
    if (value.is_boolean()) {
      bisect.enabled = value.get<bool>();
      return bisect;
    }
    if (!value.is_object())
      fail(at, "expected true, false or an object with size, expected_busbw_gbps; got " + describe(value));
    bisect.enabled = true;
    for (const auto& [key, field] : value.items()) {
      const std::string field_at = at + "." + key;
      if (key == "size") {
        bisect.size_bytes = size_field(field, field_at);
        if (bisect.size_bytes == 0) fail(field_at, "must be more than 0 bytes");
      } else if (key == "expected_busbw_gbps") {
        if (!field.is_number() || field.get<double>() <= 0.0) {
          fail(field_at, "expected a bus bandwidth in GB/s > 0 (what a healthy group reaches), got " + describe(field));
        }
        bisect.expected_busbw_gbps = field.get<double>();
      } else {
        fail(field_at, "unknown field; known bisect fields: size, expected_busbw_gbps");
      }
    }
    return bisect;
  }

  void apply_test_fields(const json& object, const std::string& path, CollectiveTestSpec& spec) const {
    if (!object.is_object()) fail(path, "expected an object, got " + describe(object));
    for (const auto& [key, value] : object.items()) apply_test_field(key, value, path, spec);
  }

  static std::string describe(const json& value) { return JsonFields::describe(value); }

  // A pairwise p2p test: {"p2p": "tcp"|"verbs", ...} with `railcheck p2p`'s options by their long names.
  P2pTestSpec p2p_test(const json& object, const std::string& path) const {
    P2pTestSpec spec;
    P2pOptions& o = spec.options;
    spec.fabric = object.contains("fabric");
    if (spec.fabric) o.lat_iters = 0;  // bandwidth only
    for (const auto& [key, value] : object.items()) {
      const std::string at = path + "." + key;
      if (spec.fabric && (key == "lat_size" || key == "lat_iters" || key == "bidirectional" || key == "within_node" ||
                          key == "ifname" || key == "subnet")) {
        fail(at,
             "does not apply to a fabric test (bandwidth of one-way flows over the devices the topology names); "
             "remove it, or use a {\"p2p\": ...} test");
      }
      if (key == "p2p" || key == "fabric") {
        o.transport = string_field(value, at);
        if (o.transport != "tcp" && o.transport != "verbs")
          fail(at, "unknown transport '" + o.transport + "'; choose tcp or verbs");
      } else if (key == "name") {
        spec.name = string_field(value, at);
      } else if (key == "op") {
        const std::string text = string_field(value, at);
        try {
          o.transfer = parse_transfer_op(text, "op");
        } catch (const InputError& e) {
          fail(at, e.what());
        }
      } else if (key == "size") {
        o.size_bytes = size_field(value, at);
        if (o.size_bytes == 0) fail(at, "the bandwidth message must be at least 1 byte");
      } else if (key == "lat_size") {
        o.lat_size_bytes = size_field(value, at);
        if (o.lat_size_bytes == 0) fail(at, "the ping-pong message must be at least 1 byte");
      } else if (key == "iters") {
        o.iters = fields_.int_field(value, at, 1, INT_MAX);
      } else if (key == "lat_iters") {
        o.lat_iters = fields_.int_field(value, at, 0, INT_MAX);
      } else if (key == "duration_s") {
        o.duration_s = fields_.number_field(value, at, 0.0);
      } else if (key == "streams") {
        o.streams = fields_.int_field(value, at, 1, 64);
      } else if (key == "tx_depth") {
        o.tx_depth = fields_.int_field(value, at, 1, 4096);
      } else if (key == "cq_mod") {
        o.cq_mod = fields_.int_field(value, at, 1, 4096);
      } else if (key == "bidirectional") {
        o.bidirectional = fields_.bool_field(value, at);
      } else if (key == "within_node") {
        o.within_node = fields_.bool_field(value, at);
      } else if (key == "ifname") {
        o.ifnames = {string_field(value, at)};
      } else if (key == "subnet") {
        o.subnet = string_field(value, at);
      } else if (key == "sock_buf") {
        o.socket_buffer_bytes = size_field(value, at);
      } else if (key == "confirm_stages") {
        if (!spec.fabric) fail(at, "applies to a fabric test only ({\"fabric\": \"tcp\"|\"verbs\"}); remove it");
        spec.confirm_stages = fields_.int_field(value, at, 0, 8);
      } else if (key == "repeats") {
        if (!spec.fabric) fail(at, "applies to a fabric test only ({\"fabric\": \"tcp\"|\"verbs\"}); remove it");
        spec.repeats = fields_.int_field(value, at, 1, 16);
      } else if (key == "thin") {
        if (!spec.fabric) fail(at, "applies to a fabric test only ({\"fabric\": \"tcp\"|\"verbs\"}); remove it");
        spec.thin = fields_.int_field(value, at, 1, 64);
      } else {
        fail(at, std::string("unknown field; known p2p test fields: ") + kP2pTestFields);
      }
    }
    if ((!o.ifnames.empty() || !o.subnet.empty()) && o.transport != "tcp") {
      fail(path, "ifname and subnet choose TCP devices; they do not apply to transport " + o.transport);
    }
    if (spec.name.empty()) spec.name = (spec.fabric ? "fabric_" : "p2p_") + o.transport;
    try {
      check_transfer(o, "op");
    } catch (const InputError& e) {
      fail(path + ".op", e.what());
    }
    try {
      check_cq_mod(o, "cq_mod");
    } catch (const InputError& e) {
      fail(path + ".cq_mod", e.what());
    }
    return spec;
  }

 private:
  JsonFields fields_;
};

}  // namespace

Suite parse_suite(std::string_view json_text, const std::string& source) {
  const json document = JsonFields(source).parse(json_text);
  const SuiteReader reader(source);
  if (!document.is_object()) reader.fail("(top level)", "expected an object with schema_version, name and tests");

  Suite suite;
  suite.source = source;
  for (const char* required : {"schema_version", "name", "tests"}) {
    if (!document.contains(required)) reader.fail(required, "missing required field");
  }
  const long long version = reader.integer_field(document["schema_version"], "schema_version");
  if (version != kSuiteSchemaVersion) {
    reader.fail("schema_version", "version " + std::to_string(version) + " is not supported; this railcheck reads " +
                                      std::to_string(kSuiteSchemaVersion));
  }

  CollectiveTestSpec defaults;
  for (const auto& [key, value] : document.items()) {
    if (key == "schema_version" || key == "tests") continue;
    if (key == "name") {
      suite.name = reader.string_field(value, key);
    } else if (key == "description") {
      suite.description = reader.string_field(value, key);
    } else if (key == "backend") {
      const std::string backend = reader.string_field(value, key);
      if (backend != "auto" && backend != "nccl" && backend != "mpi") {
        reader.fail(key, "unknown backend '" + backend + "'; choose one of auto, nccl, mpi");
      }
      suite.backend = backend;
    } else if (key == "timeout_s") {
      if (!value.is_number() || value.get<double>() < 0) reader.fail(key, "expected seconds >= 0 (0 disables)");
      suite.timeout_s = value.get<double>();
    } else if (key == "profile") {
      suite.profile = reader.string_field(value, key);
    } else if (key == "analysis") {
      suite.analysis = analysis::parse_analysis_options(value, source, "analysis");
    } else if (key == "soak") {
      suite.soak = parse_soak_plan(value, JsonFields(source), "soak");
    } else if (key == "defaults") {
      reader.apply_test_fields(value, "defaults", defaults);
      if (value.contains("collective") || value.contains("name")) {
        reader.fail("defaults", "collective and name belong to each test, not to defaults");
      }
    } else {
      reader.fail(key,
                  "unknown field; known top-level fields: schema_version, name, description, backend, "
                  "timeout_s, profile, analysis, soak, defaults, tests");
    }
  }

  const json& tests = document["tests"];
  if (!tests.is_array() || tests.empty()) reader.fail("tests", "expected a non-empty array of tests");
  for (std::size_t i = 0; i < tests.size(); ++i) {
    const std::string path = "tests[" + std::to_string(i) + "]";
    if (tests[i].is_object() && (tests[i].contains("p2p") || tests[i].contains("fabric"))) {
      if (tests[i].contains("collective") || (tests[i].contains("p2p") && tests[i].contains("fabric"))) {
        reader.fail(path, "a test is one of a collective, a p2p or a fabric test");
      }
      suite.p2p_tests.push_back(reader.p2p_test(tests[i], path));
      continue;
    }
    if (!tests[i].is_object() || !tests[i].contains("collective")) {
      reader.fail(path, "each test needs at least {\"collective\": ...} (choose one of " + collective_choices() +
                            "), {\"p2p\": \"tcp\"|\"verbs\"} or {\"fabric\": \"tcp\"|\"verbs\"}");
    }
    CollectiveTestSpec spec = defaults;
    reader.apply_test_fields(tests[i], path, spec);
    if (spec.name.empty()) spec.name = std::string(key_of(spec.kind));
    if (auto problem = validate(spec)) reader.fail(path + "." + problem->field, problem->message);
    suite.tests.push_back(std::move(spec));
  }
  return suite;
}

Suite load_suite(const std::filesystem::path& path) {
  return parse_suite(read_input_file(path, "suite file",
                                     "give a path such as suites/quick.json, or no path for the embedded quick suite"),
                     path.string());
}

Suite embedded_quick_suite() { return parse_suite(embedded::quick_suite_json, "<embedded suites/quick.json>"); }

}  // namespace railcheck
