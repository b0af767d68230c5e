"""A job killed mid-run keeps every record it measured: results.jsonl is flushed per record."""
import json
import os
import signal
import subprocess
import time

from rctest import BIN, MPIEXEC, expect, fresh_dir, load_stream

out = fresh_dir("killed")
stream = os.path.join(out, "results.jsonl")
job = subprocess.Popen([MPIEXEC, "-n", "2", BIN, "allreduce", "-b", "1K", "-e", "1G", "-f", "2", "-n", "50",
                        "--backend", "mpi", "--output-dir", out], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, start_new_session=True)
deadline = time.time() + 120
records = 0
while time.time() < deadline and records < 6:
    time.sleep(0.2)
    if os.path.exists(stream):
        with open(stream) as f:
            records = sum(1 for line in f if '"type":"record"' in line)
os.killpg(job.pid, signal.SIGKILL)
job.wait()
expect(records >= 6, "records were streamed while running (saw %d)" % records)
lines = load_stream(out)
expect(lines[0]["type"] == "manifest", "the manifest was streamed first")
kept = [line for line in lines if line["type"] == "record"]
expect(len(kept) >= records, "after SIGKILL the file still holds all %d records seen (has %d)" % (records, len(kept)))
expect(not os.path.exists(os.path.join(out, "results.json")), "no final document: the run never finished")
print("PASS: %d records survived SIGKILL" % len(kept))
