"""A rank that stops reporting (its process frozen by SIGSTOP, as a hung host or a host whose link went down
looks to the others) ends the job within seconds, long before the step's timeout: exit 3, the rank named as
silent, the records measured before it kept, and results.html written from them."""
import json
import os
import signal
import subprocess
import time

from rctest import BIN, MPIEXEC, expect, fresh_dir, load_stream

out = fresh_dir("silent")
stream = os.path.join(out, "results.jsonl")
# One long step (a 16 MiB all-reduce, 100000 iterations) under a 600 s timeout: only the silence rule can end it
# early.
job = subprocess.Popen([MPIEXEC, "-n", "4", BIN, "allreduce", "-b", "4K", "-e", "16M", "-f", "4096", "-n", "100000",
                        "--backend", "mpi", "-T", "600", "--output-dir", out],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
frozen = None
try:
    deadline = time.time() + 120
    while time.time() < deadline and frozen is None:
        time.sleep(0.2)
        if not os.path.exists(stream):
            continue
        with open(stream) as f:
            lines = [json.loads(line) for line in f if line.strip().endswith("}")]
        if any(line.get("type") == "record" for line in lines):  # the first size is done: the long step runs
            frozen = next(r["pid"] for r in lines[0]["manifest"]["ranks"] if r["rank"] == 3)
    expect(frozen is not None, "the run streamed its first record within 120 s")
    time.sleep(1)
    os.kill(frozen, signal.SIGSTOP)
    stopped_at = time.time()
    try:
        stdout, stderr = job.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(job.pid, signal.SIGKILL)
        stdout, stderr = job.communicate()
        expect(False, "the job still ran 90 s after rank 3 was frozen (timeout 600 s)")
    took = time.time() - stopped_at
finally:
    if frozen is not None:
        try:
            os.kill(frozen, signal.SIGKILL)
        except ProcessLookupError:
            pass
print(stderr[-3000:])
expect(job.returncode == 3, "the watchdog's exit code 3, got %d" % job.returncode)
expect(took < 30, "the job ended %.1f s after rank 3 went silent: within the 10 s silence rule and the abort" % took)
expect("rank 3 (" in stderr and "has not reported for" in stderr, "the console says rank 3 went silent")
expect("lost ranks: 3\n" in stderr, "rank 3 and only rank 3 is named lost")
lines = load_stream(out)
expect(lines[-1]["type"] == "watchdog", "the stream ends with the watchdog's record")
expect([r["rank"] for r in lines[-1]["lost_ranks"]] == [3], "the record names rank 3: %s" % lines[-1]["lost_ranks"])
expect(lines[-1]["lost_ranks"][0]["silent_s"] > 10, "rank 3 was silent for more than 10 s when named")
expect(any(line["type"] == "record" for line in lines), "the record measured before the freeze is kept")
with open(os.path.join(out, "results.html")) as f:
    page = f.read()
expect("the run did not finish" in page and "<svg" in page and "judged here" in page,
       "results.html was written from the stream before the job ended, saying the run did not finish")
print("PASS: job ended %.1f s after rank 3 froze" % took)
