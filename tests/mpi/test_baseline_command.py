"""`railcheck baseline generate` makes a schema-valid baseline from a real run's results.json, `merge` of it
with itself keeps the expected values and doubles the sample counts, and bad input (missing baseline, a
baseline of another profile, a file that is not a results file, warn above fail) gives exit 2 and one line."""
import json
import os

import jsonschema

from rctest import SOURCE_DIR, expect, expect_input_error, fresh_dir, mpirun, records_of, run_single, schema

work = fresh_dir("baseline")
run = os.path.join(work, "run")
result = mpirun(["allreduce", "-b", "64K", "-e", "1M", "-f", "4", "-n", "5", "--backend", "mpi", "--output-dir", run],
                np=2)
expect(result.returncode == 0, "the allreduce run exits 0, got %d" % result.returncode)
results = os.path.join(run, "results.json")
with open(results) as f:
    records = [r for r in records_of(json.load(f)) if r["status"] == "ok"]
expect(records, "the run has ok records to make a baseline from")

baseline_path = os.path.join(work, "baseline.json")
result = run_single(["baseline", "generate", results, "--profile", "ci-localhost", "-o", baseline_path,
                     "--warn", "0.15", "--fail", "0.3"])
expect(result.returncode == 0, "generate exits 0, got %d" % result.returncode)
expect(result.stdout.startswith("# baseline: "), "generate prints a summary line")
with open(baseline_path) as f:
    baseline = json.load(f)
jsonschema.Draft202012Validator(schema("baseline.schema.json")).validate(baseline)
expect(baseline["profile"] == "ci-localhost", "the baseline names its profile")
expect(results in baseline["generated_from"], "generated_from names the results file")
# One group entry per (metric, size) of the ok records, at the record's own busbw (one value each).
expected = {("%s %s" % (r["test_key"], "busbw_gbps_in_place" if r["in_place"] else "busbw_gbps"), r["size_bytes"]):
            r["busbw_gbps"] for r in records}
entries = {(e["metric"], e["min_size_bytes"]): e for e in baseline["entries"]}
expect(set(entries) == set(expected), "one entry per metric and size: %s vs %s" % (sorted(entries), sorted(expected)))
for key, value in expected.items():
    e = entries[key]
    expect(e["scope"] == "group" and e["nranks"] == 2 and e["max_size_bytes"] == e["min_size_bytes"],
           "%s: a group entry for 2 ranks at one size" % (key,))
    expect(abs(e["expected"] - value) <= 1e-9 * value, "%s: expected %s is the run's %s" % (key, e["expected"], value))
    expect(e["warn_tolerance"] == 0.15 and e["fail_tolerance"] == 0.3, "%s: --warn/--fail are written" % (key,))

merged_path = os.path.join(work, "merged.json")
result = run_single(["baseline", "merge", baseline_path, baseline_path, "-o", merged_path])
expect(result.returncode == 0, "merge exits 0, got %d" % result.returncode)
with open(merged_path) as f:
    merged = json.load(f)
jsonschema.Draft202012Validator(schema("baseline.schema.json")).validate(merged)
expect(len(merged["entries"]) == len(baseline["entries"]), "merging with itself adds no entry")
for old, new in zip(baseline["entries"], merged["entries"]):
    expect(abs(new["expected"] - old["expected"]) <= 1e-9 * old["expected"], "merge with itself keeps expected")
    expect(new["samples"] == 2 * old["samples"], "merge adds the sample counts")

# The checked-in example follows the schema and railcheck reads it.
example = os.path.join(SOURCE_DIR, "results-schema", "examples", "baseline.example.json")
with open(example) as f:
    jsonschema.Draft202012Validator(schema("baseline.schema.json")).validate(json.load(f))
result = run_single(["baseline", "merge", example, example, "-o", os.path.join(work, "example-merged.json")])
expect(result.returncode == 0, "railcheck reads the example baseline, got exit %d" % result.returncode)

other_profile = os.path.join(work, "other-profile.json")
with open(other_profile, "w") as f:
    json.dump(dict(baseline, profile="dgx-h100"), f)
wrong_version = os.path.join(work, "wrong-version.json")
with open(wrong_version, "w") as f:
    json.dump(dict(baseline, schema_version=2), f)
missing = os.path.join(work, "missing.json")
out = os.path.join(work, "out.json")
cases = [
    (["baseline", "merge", baseline_path, missing, "-o", out], [missing, "cannot read baseline file", "no such file"]),
    (["baseline", "merge", baseline_path, other_profile, "-o", out],
     [other_profile, "profile", "'dgx-h100'", "'ci-localhost'", baseline_path]),
    (["baseline", "merge", wrong_version, baseline_path, "-o", out], [wrong_version, "schema_version", "reads 1"]),
    (["baseline", "generate", baseline_path, "--profile", "p", "-o", out],
     [baseline_path, "records", "not a railcheck results file"]),
    (["baseline", "generate", missing, "--profile", "p", "-o", out], [missing, "cannot read results file"]),
    (["baseline", "generate", results, "--profile", "p", "-o", out, "--warn", "0.3"], ["--warn 0.3", "--fail 0.2"]),
    (["baseline", "generate", results, "-o", out], ["--profile"]),
]
for args, needles in cases:
    expect_input_error(args, needles)
expect(not os.path.exists(out), "no output file is written on bad input")
print("PASS")
