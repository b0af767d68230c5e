"""--expect-gpus N (issue #14): a host that shows fewer GPUs than expected is a FAIL verdict for its node,
whatever its numbers (this machine has none: every host fails against 8, passes against 0), with the count in
results.json's manifest; `railcheck analyze` of the saved results gives the same verdict (one pipeline)."""
import socket

from rctest import expect, fresh_dir, load_results, mpirun, run_single

host = socket.gethostname()
out = fresh_dir("expect-gpus-8")
short = mpirun(["allreduce", "-b", "1K", "-e", "4K", "-f", "2", "--expect-gpus", "8", "--output-dir", out], np=2)
expect(short.returncode == 1, "a host short of GPUs exits 1, got %d" % short.returncode)
fail_lines = [line for line in short.stdout.splitlines() if line.startswith("# VERDICT FAIL %s:" % host)]
expect(fail_lines, "a node FAIL verdict names %s: %s" % (host, short.stdout[-2000:]))
doc = load_results(out)
inventory = doc["manifest"].get("host_gpus")
expect(inventory and inventory[0]["host"] == host and inventory[0]["gpus"] == 0,
       "the manifest counts this host's GPUs: %s" % inventory)
node = [v for v in doc["verdicts"] if v["component"] == {"kind": "node", "host": host}]
expect(node and node[0]["status"] == "fail", "the node verdict fails: %s" % node)
evidence = [e for e in node[0]["evidence"] if e["source"] == "inventory"]
expect(evidence and "shows 0 GPUs, expected 8 GPUs" in evidence[0]["text"], "inventory evidence: %s" % evidence)
expect("Xid 79" in node[0]["action"], "the playbook says where to look: %s" % node[0]["action"])
expect(not [v for v in doc["verdicts"] if v["status"] == "fail" and v["component"]["kind"] != "node"],
       "only the node fails: its measurements are fine")

again = run_single(["analyze", out + "/results.json"])
expect(again.returncode == 1 and ("# VERDICT FAIL %s:" % host) in again.stdout,
       "analyze of the saved run fails the same node (the run's options are in the file): %d" % again.returncode)
relaxed = run_single(["analyze", out + "/results.json", "--expect-gpus", "0"])
expect(relaxed.returncode == 0, "analyze --expect-gpus 0 judges no inventory: exit %d" % relaxed.returncode)

out = fresh_dir("expect-gpus-0")
enough = mpirun(["allreduce", "-b", "1K", "-e", "4K", "-f", "2", "--expect-gpus", "0", "--output-dir", out], np=2)
expect(enough.returncode == 0, "nothing expected, nothing failed: exit %d" % enough.returncode)
print("PASS")
