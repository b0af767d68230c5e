// railcheck gpu-check without a GPU: its records as JSON (the fields and nulls results.schema.json's
// gpu_check_record lists), the skipped records a GPU-less node writes, references and ratios, the console
// line, and the command line's flags and one-line errors. tests/gpu/test_gpu_check_results.py runs the binary
// and validates its files against the schema.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "command_line_helpers.h"
#include "railcheck/commands/gpu_check/gpu_check_command.h"
#include "railcheck/core/error.h"
#include "railcheck/record/gpu_check_record.h"
#include "source_tree.h"

namespace railcheck {
namespace {

using nlohmann::json;

json results_schema() {
  std::ifstream in(test::source_path("results-schema/results.schema.json"));
  return json::parse(in);
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> out;
  for (const auto& [key, value] : object.items()) out.insert(key);
  return out;
}

GpuCheckRecord measured_copy() {
  GpuCheckRecord r;
  r.test_key = "gpu.hbm_copy";
  r.host = "node-a";
  r.device = 3;
  r.gpu_name = "NVIDIA H100 80GB HBM3";
  r.uuid = "GPU-01234567-89ab-cdef-0123-456789abcdef";
  r.pci_bus_id = "0000:1b:00.0";
  r.size_bytes = 1 << 30;
  r.iters = 20;
  r.seconds_per_iter = 0.001;
  r.bw_gbps = 2147.48;
  return r;
}

TEST(GpuCheckRecordJson, WritesExactlyTheSchemaRequiredFieldsAndTheTimestampsWhenOk) {
  const json schema = results_schema();
  const json& fields = schema.at("$defs").at("gpu_check_record_fields");
  std::set<std::string> expected;
  for (const auto& name : fields.at("required")) expected.insert(name.get<std::string>());
  // Schema 1.1's timestamps: always written, optional in the schema so that 1.0 documents still validate.
  expected.insert({"start_unix_s", "end_unix_s"});
  EXPECT_EQ(keys_of(to_json(measured_copy())), expected);
  for (const std::string& key : keys_of(to_json(measured_copy()))) {
    EXPECT_TRUE(fields.at("properties").contains(key)) << key << " is not in the schema's properties";
  }
}

TEST(GpuCheckRecordJson, SchemaListsTheRecordBranchAndItsStreamedLine) {
  const json schema = results_schema();
  EXPECT_TRUE(schema.at("$defs").contains("stream_gpu_check_record"));
  EXPECT_NE(schema.at("properties").at("records").dump().find("#/$defs/gpu_check_record"), std::string::npos);
  const json backends = schema.at("$defs").at("manifest").at("properties").at("backend").at("enum");
  EXPECT_NE(std::find(backends.begin(), backends.end(), "cuda"), backends.end()) << "gpu-check's manifest backend";
}

TEST(GpuCheckRecordJson, CarriesTheGpuFigureAndNullsForWhatWasNotMeasured) {
  const json j = to_json(measured_copy());
  EXPECT_EQ(j.at("kind"), "gpu_check");
  EXPECT_EQ(j.at("test_key"), "gpu.hbm_copy");
  EXPECT_EQ(j.at("device"), 3);
  EXPECT_EQ(j.at("pci_bus_id"), "0000:1b:00.0");
  EXPECT_EQ(j.at("size_bytes"), 1 << 30);
  EXPECT_DOUBLE_EQ(j.at("bw_gbps").get<double>(), 2147.48);
  EXPECT_TRUE(j.at("tflops").is_null());
  EXPECT_TRUE(j.at("gemm").is_null());
  EXPECT_TRUE(j.at("peer_device").is_null());
  EXPECT_TRUE(j.at("reference_key").is_null());
  EXPECT_TRUE(j.at("ratio").is_null());
  EXPECT_TRUE(j.at("cpu_binding").is_null());
  EXPECT_EQ(j.at("checked"), -1) << "-1: not checked";
  EXPECT_EQ(j.at("status"), "ok");
  EXPECT_FALSE(j.contains("skip_reason"));
  EXPECT_FALSE(j.contains("error"));
}

TEST(GpuCheckRecordJson, GemmRecordHasShapeTflopsAndCheckCounts) {
  GpuCheckRecord r = measured_copy();
  r.test_key = "gpu.gemm.bf16";
  r.size_bytes = 0;
  r.bw_gbps.reset();
  r.gemm_m = r.gemm_n = r.gemm_k = 8192;
  r.tflops = 640.5;
  r.checked = 4096;
  r.wrong = 2;
  r.max_relative_error = 0.25;
  r.status = GpuCheckStatus::kWrong;
  const json j = to_json(r);
  EXPECT_EQ(j.at("gemm"), (json{{"m", 8192}, {"n", 8192}, {"k", 8192}}));
  EXPECT_DOUBLE_EQ(j.at("tflops").get<double>(), 640.5);
  EXPECT_TRUE(j.at("bw_gbps").is_null());
  EXPECT_EQ(j.at("checked"), 4096);
  EXPECT_EQ(j.at("wrong"), 2);
  EXPECT_EQ(j.at("status"), "wrong");
}

TEST(GpuCheckRecordJson, SkipReasonAndErrorOnlyWithTheirStatus) {
  GpuCheckRecord r = measured_copy();
  r.skip_reason = "stale";
  r.error = "stale";
  EXPECT_FALSE(to_json(r).contains("skip_reason"));
  r.status = GpuCheckStatus::kError;
  r.error = "cudaMalloc: out of memory (2)";
  json j = to_json(r);
  EXPECT_EQ(j.at("status"), "error");
  EXPECT_EQ(j.at("error"), "cudaMalloc: out of memory (2)");
  EXPECT_FALSE(j.contains("skip_reason"));
  r.status = GpuCheckStatus::kSkipped;
  r.skip_reason = "peer copies need 2 GPUs";
  j = to_json(r);
  EXPECT_EQ(j.at("skip_reason"), "peer copies need 2 GPUs");
  EXPECT_FALSE(j.contains("error"));
}

TEST(GpuCheckKeys, AreStableSnakeCaseAndCoverEveryCheckOnce) {
  const std::vector<std::string> keys = gpu_check_test_keys({"bf16", "fp64"});
  const std::vector<std::string> expected = {"gpu.hbm_read",
                                             "gpu.hbm_write",
                                             "gpu.hbm_copy",
                                             "gpu.hbm_memcpy_d2d",
                                             "gpu.fill_verify",
                                             "gpu.h2d_pinned",
                                             "gpu.d2h_pinned",
                                             "gpu.gemm.bf16",
                                             "gpu.gemm_cublas_loop.bf16",
                                             "gpu.gemm.fp64",
                                             "gpu.gemm_cublas_loop.fp64",
                                             "gpu.peer_copy"};
  EXPECT_EQ(keys, expected);
  const json schema = results_schema();
  const json& test_key = schema.at("$defs").at("gpu_check_record_fields").at("properties").at("test_key");
  const std::regex pattern(test_key.at("pattern").get<std::string>());
  for (const std::string& key : gpu_check_test_keys(gemm_type_names())) {
    EXPECT_TRUE(std::regex_search(key, pattern)) << key << " does not match the schema's test_key pattern";
  }
}

TEST(GpuCheckSkipped, NoGpuGivesOneSkippedRecordPerKeyWithTheReason) {
  const auto records = skipped_gpu_check_records({"bf16"}, "node-a", std::nullopt, "no usable CUDA device: x");
  ASSERT_EQ(records.size(), gpu_check_test_keys({"bf16"}).size());
  for (const GpuCheckRecord& r : records) {
    const json j = to_json(r);
    EXPECT_EQ(j.at("status"), "skipped") << r.test_key;
    EXPECT_EQ(j.at("skip_reason"), "no usable CUDA device: x");
    EXPECT_TRUE(j.at("device").is_null()) << "no GPU: no ordinal";
    EXPECT_EQ(j.at("host"), "node-a");
  }
}

TEST(GpuCheckCompare, RatioIsTheFigureOverItsReference) {
  GpuCheckRecord copy = measured_copy();
  GpuCheckRecord memcpy_d2d = measured_copy();
  memcpy_d2d.test_key = "gpu.hbm_memcpy_d2d";
  memcpy_d2d.bw_gbps = 2500.0;
  copy.bw_gbps = 2250.0;
  compare_with(copy, memcpy_d2d);
  EXPECT_EQ(copy.reference_key, "gpu.hbm_memcpy_d2d");
  EXPECT_DOUBLE_EQ(copy.reference.value(), 2500.0);
  EXPECT_DOUBLE_EQ(copy.ratio.value(), 0.9);
}

TEST(GpuCheckCompare, NoRatioAgainstAMissingOrZeroReference) {
  GpuCheckRecord gemm = measured_copy();
  gemm.bw_gbps.reset();
  gemm.tflops = 600.0;
  GpuCheckRecord failed;  // an errored reference has no figure
  failed.test_key = "gpu.gemm_cublas_loop.bf16";
  compare_with(gemm, failed);
  EXPECT_FALSE(gemm.ratio.has_value());
  EXPECT_TRUE(gemm.reference_key.empty());
  failed.tflops = 0.0;
  compare_with(gemm, failed);
  EXPECT_FALSE(gemm.ratio.has_value());
}

TEST(GpuCheckLine, ShowsDeviceKeyFigureRatioAndStatus) {
  GpuCheckRecord r = measured_copy();
  r.reference_key = "gpu.hbm_memcpy_d2d";
  r.reference = 2400.0;
  r.ratio = 0.8948;
  const std::string line = format_gpu_check_line(r);
  EXPECT_NE(line.find("gpu 3"), std::string::npos) << line;
  EXPECT_NE(line.find("gpu.hbm_copy"), std::string::npos) << line;
  EXPECT_NE(line.find("2147.48 GB/s"), std::string::npos) << line;
  EXPECT_NE(line.find("0.895 of gpu.hbm_memcpy_d2d"), std::string::npos) << line;
  EXPECT_NE(line.find(" ok"), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

// --- command line ---

using test::cli_error;
using test::contains;
using test::parse;

GpuCheckOptions gpu_check_options(std::vector<const char*> args) {
  const ParsedCommandLine parsed = parse(std::move(args));
  return test::command_as<GpuCheckCommand>(parsed).options();
}

TEST(GpuCheckCommandLine, DefaultsCheckThisProcessGpuWithEveryGemmType) {
  const GpuCheckOptions c = gpu_check_options({"gpu-check"});
  EXPECT_FALSE(c.device.has_value());
  EXPECT_FALSE(c.all_devices);
  EXPECT_EQ(c.gemm_types, gemm_type_names());
  EXPECT_EQ(c.hbm_bytes, std::size_t{1} << 30);
  EXPECT_GE(c.iters, 1);
}

TEST(GpuCheckCommandLine, FlagsSetDeviceSizesGemmAndOutput) {
  const GpuCheckOptions c =
      gpu_check_options({"gpu-check", "--device", "0", "--hbm-bytes", "64M", "--host-bytes", "8M", "--peer-bytes", "4M",
                         "--gemm-size", "1024", "--gemm-types", "fp64,bf16", "-n", "3", "--output-dir", "x"});
  EXPECT_EQ(c.device, 0) << "--device 0 is a choice, not the default";
  EXPECT_EQ(c.hbm_bytes, std::size_t{64} << 20);
  EXPECT_EQ(c.host_bytes, std::size_t{8} << 20);
  EXPECT_EQ(c.peer_bytes, std::size_t{4} << 20);
  EXPECT_EQ(c.gemm_size, 1024);
  EXPECT_EQ(c.gemm_types, (std::vector<std::string>{"fp64", "bf16"}));
  EXPECT_EQ(c.iters, 3);
  EXPECT_EQ(c.output_dir, "x");
  EXPECT_TRUE(gpu_check_options({"gpu-check", "--all"}).all_devices);
}

TEST(GpuCheckCommandLine, BadFlagsAreOneLineErrorsNamingTheFlag) {
  EXPECT_TRUE(contains(cli_error({"gpu-check", "--device", "1", "--all"}), "--device and --all"));
  EXPECT_TRUE(contains(cli_error({"gpu-check", "--device", "-2"}), "--device -2"));
  EXPECT_TRUE(contains(cli_error({"gpu-check", "--gemm-types", "bf16,int4"}), "'int4' is not a GEMM type"));
  EXPECT_TRUE(contains(cli_error({"gpu-check", "--gemm-types", "bf16,bf16"}), "twice"));
  EXPECT_TRUE(contains(cli_error({"gpu-check", "--hbm-bytes", "lots"}), "--hbm-bytes 'lots' is not a size"));
  EXPECT_TRUE(contains(cli_error({"gpu-check", "--hbm-bytes", "8"}), "at least 16 bytes"));
  EXPECT_TRUE(contains(cli_error({"gpu-check", "--gemm-size", "0"}), "--gemm-size 0"));
  EXPECT_TRUE(contains(cli_error({"gpu-check", "-n", "0"}), "-n 0"));
  EXPECT_TRUE(contains(cli_error({"gpu-chek"}), "gpu-check")) << "the unknown-command message lists gpu-check";
}

}  // namespace
}  // namespace railcheck
