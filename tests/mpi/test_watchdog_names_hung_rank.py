"""A rank that hangs before a collective is caught by the watchdog, which names it; the job exits 3."""
import time

from rctest import expect, fresh_dir, load_stream, mpirun

out = fresh_dir("hang")
start = time.time()
result = mpirun(["allreduce", "-b", "1K", "-e", "1K", "-n", "2", "--backend", "mpi", "--debug-hang-rank", "3",
                 "-T", "3", "--output-dir", out], timeout=120)
elapsed = time.time() - start
expect(result.returncode == 3, "watchdog abort exits 3, got %d" % result.returncode)
expect("lost ranks: 3\n" in result.stderr, "the watchdog names rank 3 and only rank 3")
expect("rank 3 (" in result.stderr, "the missing rank's host is named")
expect(elapsed < 60, "the hang is caught near the 3 s timeout, not left to hang (took %.1f s)" % elapsed)
# Its last word is the last line of results.jsonl, valid against the schema.
lines = load_stream(out)
expect(lines[-1]["type"] == "watchdog", "the stream ends with the watchdog's record")
expect([r["rank"] for r in lines[-1]["lost_ranks"]] == [3], "the record names rank 3: %s" % lines[-1]["lost_ranks"])
print("PASS")
