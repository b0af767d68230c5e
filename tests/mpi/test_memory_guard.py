"""Sizes whose buffers cannot fit are refused before anything is measured (issue #14): `-e 1T` on this machine
exits 2 within 5 s on 4 ranks, with one error line giving the limit (host memory per rank, and whose), and
no record is written; a size that fits still runs."""
import json
import os
import time

from rctest import expect, fresh_dir, mpirun

out = fresh_dir("memory-guard")
started = time.monotonic()
result = mpirun(["allreduce", "-b", "8", "-e", "1T", "-f", "2", "--backend", "mpi", "--output-dir", out], timeout=120)
took = time.monotonic() - started
errors = [line for line in result.stderr.splitlines() if line.startswith("railcheck: error: ")]
expect(result.returncode == 2, "-e 1T exits 2, got %d" % result.returncode)
expect(took < 5.0, "-e 1T is refused in under 5 s, took %.1f s" % took)
expect(len(errors) >= 1, "an error line on stderr: %s" % result.stderr[-2000:])
line = errors[0]
for needle in ["max_bytes 1099511627776", "host memory per rank", "GiB", "MemAvailable", "lower -e"]:
    expect(needle in line, "the error names %r: %s" % (needle, line))
expect(all(other == line for other in errors), "every rank that reports gives the same line: %s" % errors)
records = []
stream = os.path.join(out, "results.jsonl")
if os.path.exists(stream):
    with open(stream) as f:
        records = [json.loads(l) for l in f if l.strip() and json.loads(l)["type"] == "record"]
expect(records == [], "nothing was measured: %s" % records[:2])

fits = mpirun(["allreduce", "-b", "8", "-e", "64K", "-f", "8", "--backend", "mpi", "--output-dir", fresh_dir("fits")])
expect(fits.returncode == 0, "a size that fits still runs: exit %d" % fits.returncode)
print("PASS")
