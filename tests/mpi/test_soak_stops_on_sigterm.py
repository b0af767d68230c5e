"""A soak stopped by SIGTERM (what Slurm sends at a time limit or scancel, and Kubernetes at an eviction) ends
after the test it arrived in: every interval's records stay in the stream, tagged with their interval; the
verdicts and results.json are written; each interval keeps one record per test, size and placement (its median
pass, with the summary of every pass); the exit code is the verdicts' (0 here). Bad soak input is one line,
exit 2."""
import json
import os
import signal
import subprocess
import time

from rctest import BIN, MPIEXEC, expect, expect_input_error, fresh_dir, load_results, load_stream

out = fresh_dir("soak_sigterm")
suite = os.path.join(out, "soak.json")
with open(suite, "w") as f:
    json.dump({"schema_version": 1, "name": "mpi_soak", "soak": {"duration": "10m", "interval": "2s"},
               "tests": [{"collective": "all_reduce", "min_bytes": "64K", "max_bytes": "64K", "iters": 5}]}, f)

results = os.path.join(out, "results")
job = subprocess.Popen([MPIEXEC, "-n", "4", BIN, "soak", suite, "--backend", "mpi", "--output-dir", results],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
time.sleep(9)  # past a few 2 s intervals


def ranks_of(launcher):
    """The railcheck processes mpirun started on this host (its children), as Slurm's step would signal them."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open("/proc/%s/comm" % entry) as f:
                name = f.read().strip()
        except OSError:
            continue
        if int(fields[1]) == launcher and name == "railcheck":
            pids.append(int(entry))
    return pids


ranks = ranks_of(job.pid)
expect(len(ranks) == 4, "found the 4 ranks under mpirun (found %d)" % len(ranks))
signalled = time.time()
for pid in ranks:
    os.kill(pid, signal.SIGTERM)
try:
    output, _ = job.communicate(timeout=60)
except subprocess.TimeoutExpired:
    os.killpg(job.pid, signal.SIGKILL)
    job.communicate()
    expect(False, "the soak did not end within 60 s of SIGTERM")
ended_in = time.time() - signalled
print(output[-3000:])
expect(job.returncode == 0, "exit code 0 (the verdicts': nothing failed), got %d" % job.returncode)
expect(ended_in < 30, "ended %.1f s after SIGTERM (at the end of the test it arrived in)" % ended_in)
expect("ended by SIGTERM" in output, "the console says the soak was ended by SIGTERM")

lines = load_stream(results)
records = [line for line in lines if line["type"] == "record"]
intervals = sorted({r["interval"] for r in records if "interval" in r})
expect(all("interval" in r for r in records), "every record of the soak names its interval")
expect(len(intervals) >= 3, "at least 3 intervals of 2 s in 9 s (got %s)" % intervals)
expect(intervals == list(range(len(intervals))), "intervals 0..N-1 without a gap: %s" % intervals)
# One record per interval and placement (the interval's median pass), standing for every pass of it.
import re
keys = [(r["interval"], r["in_place"]) for r in records]
expect(len(keys) == len(set(keys)), "one record per interval and placement, not one per pass")
expect(all(r["passes"]["of"] == "busbw_gbps" and r["passes"]["count"] >= 1 for r in records),
       "every soak record carries its passes")
expect(all(r["passes"]["min"] <= r["busbw_gbps"] <= r["passes"]["max"] for r in records),
       "each record's busbw lies between its passes' min and max")
passes = int(re.search(r"\((\d+) pass\(es\)\)", output).group(1))
counted = sum(r["passes"]["count"] for r in records if not r["in_place"])
expect(passes - 1 <= counted <= passes,
       "the records stand for every pass the soak ran (%d of %d; the one SIGTERM cut short may be missing)" %
       (counted, passes))
expect(any(line["type"] == "verdicts" for line in lines), "the verdicts were streamed after the stop")
telemetry = [line for line in lines if line["type"] == "telemetry"]
windows = sorted(t["interval"] for t in telemetry)
expect(windows == intervals, "one telemetry window per interval, the one SIGTERM cut short too: %s" % windows)
expect(all(t["window"] == "interval %d" % t["interval"] for t in telemetry), "windows are named by interval")
document = load_results(results)
expect(len(document["records"]) == len(records) + len(telemetry),
       "results.json holds every streamed record (%d of %d)" % (len(document["records"]), len(records) + len(telemetry)))
print("PASS: SIGTERM after %d intervals kept %d records, ended %.1f s later with exit 0" %
      (len(intervals), len(records), ended_in))

# Input: a soak needs a duration; durations must parse; an interval cannot exceed the duration.
expect_input_error(["soak"], ["--duration"])
expect_input_error(["soak", "--duration", "4 hours"], ["--duration '4 hours' is not a duration"])
expect_input_error(["soak", "--duration", "1m", "--interval", "5m"], ["interval", "at most the duration"])
print("PASS: bad soak input exits 2 with one line")
