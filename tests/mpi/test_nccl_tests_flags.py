"""nccl-tests' flags with their meaning (issue #14), on 3 local ranks: -r -1 runs the test once per root,
-N 2 the sweep twice, -S adds the timestamp column, -z 1 waits after each call, -J writes nccl-tests' JSON
(version 3) with one results entry per row, and every record names its timing window; -x (NCCL's CTA policy)
on the host backend is refused naming the flag."""
import json
import os
import re

from rctest import expect, fresh_dir, load_results, mpirun, records_of

out = fresh_dir("nccl-tests-flags")
json_file = os.path.join(out, "bcast.json")
run = mpirun(["broadcast", "-b", "1K", "-e", "4K", "-f", "2", "-r", "-1", "-N", "2", "-S", "1", "-z", "1",
              "-J", json_file, "--output-dir", out], np=3)
expect(run.returncode == 0, "exit 0, got %d" % run.returncode)
expect("# Writing JSON output to " + json_file in run.stdout, "the console says where the JSON goes")
expect("# Blocking Enabled: wait and barrier after each inner iteration" in run.stdout, "-z 1 is announced")
header = [line for line in run.stdout.splitlines() if line.startswith("#") and "redop" in line]
expect(header and header[0].rstrip().endswith("timestamp"), "-S: a timestamp column: %s" % header)
rows = [line for line in run.stdout.splitlines() if re.match(r"^\s+\d+\s+\d+\s+float", line)]
expect(len(rows) == 3 * 2 * 3, "3 roots x 2 cycles x 3 sizes = 18 rows, got %d" % len(rows))
expect(all(re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", line) for line in rows), "every row ends with the time")

records = records_of(load_results(out))
expect(len(records) == 36, "18 rows x 2 placements, got %d" % len(records))
expect([r["root"] for r in records[::12]] == [0, 1, 2], "roots in turn: %s" % [r["root"] for r in records[::12]])
expect(all(r["timing"] == "loop" and r["blocking"] == 1 for r in records), "records name timing loop, -z 1")
expect(all(r["wrong_elements"] == 0 for r in records), "every root's results check out")

doc = json.load(open(json_file))
expect(doc["version"] == 3, "JSON_FILE_VERSION 3")
expect(doc["config"]["blocking_collectives"] == "true", "booleans as nccl-tests' strings")
expect(len(doc["config"]["devices"]) == 3, "one device entry per rank")
expect(len(doc["results"]) == 18, "one results entry per row, got %d" % len(doc["results"]))
expect([r["root"] for r in doc["results"][::6]] == ["     0", "     1", "     2"], "roots as '%6i' strings")
first = doc["results"][0]
expect(first["size"] == 1024 and first["count"] == 256 and first["type"] == "float" and first["redop"] == "none",
       "size, count, type, redop as nccl-tests: %s" % first)
expect(first["out_of_place"]["nwrong"] == 0.0 and first["in_place"]["time"] > 0, "both halves: %s" % first)
expect(doc["out_of_bounds"] == {"count": 0, "okay": "true"}, "footer: %s" % doc["out_of_bounds"])
expect(doc["average_bus_bandwidth"]["okay"] == "unchecked", "no NCCL_TESTS_MIN_BW: unchecked")
expect("end_time" in doc, "the run ended: end_time written")

# -x sets NCCL's CTA policy: on the host backend it means nothing, and says so instead of being ignored.
cta = mpirun(["allreduce", "-b", "1K", "-e", "1K", "-x", "1", "--backend", "mpi", "--output-dir",
              fresh_dir("nccl-tests-flags-cta")], np=2)
errors = [line for line in cta.stderr.splitlines() if line.startswith("railcheck: error: ")]
expect(cta.returncode == 2 and errors and "-x 1: NCCL's CTA policy needs the NCCL backend" in errors[0],
       "-x on the host backend: exit 2 naming -x, got %d: %s" % (cta.returncode, errors[:1]))
print("PASS")
