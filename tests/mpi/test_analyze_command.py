"""railcheck analyze: a saved run re-judged without MPI or hardware (issue #6).

A real 2-rank run gives a valid results document; crafted p2p records of 4 hosts (node3's NIC at 10% of the
others, first pass and re-tests) are put into it. analyze must name node3's NIC and node (exit 1) and nothing
else; the same records without the fault name nothing (exit 0); the streamed results.jsonl of the same run is
read too; a baseline of another profile, a missing file and a malformed record each give exit 2 and one line.
"""
import itertools
import json
import os
import subprocess

from rctest import BIN, expect, fresh_dir, mpirun

out = fresh_dir("analyze")
run = mpirun(["allreduce", "-b", "1K", "-e", "4K", "-f", "2", "-n", "2", "--output-dir", os.path.join(out, "run")], np=2)
expect(run.returncode == 0, "the 2-rank run exits 0")
document = json.load(open(os.path.join(out, "run", "results.json")))

HOSTS = ["node1", "node2", "node3", "node4"]


def p2p(src, dst, bw, round_index, phase="first"):
    return {"kind": "p2p", "test": "tcp_links", "phase": phase, "test_key": "p2p.bw", "op": "bw", "transport": "tcp",
            "round": round_index, "within_node": False, "src_rank": HOSTS.index(src), "dst_rank": HOSTS.index(dst),
            "src_host": src, "dst_host": dst, "src_nic": "eth0", "dst_nic": "eth0", "src_addr": "10.0.0.1",
            "dst_addr": "10.0.0.2", "rail": 0, "size_bytes": 1048576, "iters": 16, "streams": 1, "tx_depth": 8,
            "status": "ok", "start_unix_s": 1.0, "end_unix_s": 2.0, "bw_gbps": bw, "bw_gbits": bw * 8, "lat_us": None}


def records(slow_host):
    noise = itertools.cycle([1.00, 0.97, 1.03, 0.99, 1.02, 0.98])
    recs = []
    for k, (a, b) in enumerate(itertools.combinations(HOSTS, 2)):
        for src, dst in ((a, b), (b, a)):
            bw = 2.0 * next(noise) * (0.1 if slow_host in (src, dst) else 1.0)
            recs.append(p2p(src, dst, bw, k // 2))
    if slow_host:  # the second pass: the suspect with two good peers, both directions
        for k, peer in enumerate(h for h in HOSTS if h != slow_host):
            if k == 2:
                break
            recs.append(p2p(slow_host, peer, 0.2 * next(noise), k, "retest"))
            recs.append(p2p(peer, slow_host, 0.2 * next(noise), k, "retest"))
    return recs


def analyze(path, *args):
    result = subprocess.run([BIN, "analyze", path, *args], capture_output=True, text=True, timeout=60)
    print(result.stdout + result.stderr)
    return result


def save(name, recs):
    doc = dict(document)
    doc["records"] = document["records"] + recs
    path = os.path.join(out, name)
    json.dump(doc, open(path, "w"))
    return path


degraded = analyze(save("degraded.json", records("node3")), "-o", os.path.join(out, "verdicts.json"))
expect(degraded.returncode == 1, "a slow NIC makes analyze exit 1")
verdicts = json.load(open(os.path.join(out, "verdicts.json")))["verdicts"]
failing = [v for v in verdicts if v["status"] == "fail"]
expect({(v["component"]["kind"], v["component"]["host"]) for v in failing} == {("nic", "node3"), ("node", "node3")},
       "exactly node3's NIC and node fail, got %s" % [v["component"] for v in failing])
expect(not [v for v in verdicts if v["status"] == "warn"], "nothing warns")
nic = next(v for v in failing if v["component"]["kind"] == "nic")
expect(any(e["source"] == "retest" for e in nic["evidence"]), "the NIC's evidence includes its re-tests")
expect("drain node3" in nic["action"], "the action drains node3: " + nic["action"])
expect("# VERDICT FAIL node3 NIC eth0 (rail 0)" in degraded.stdout, "the console names node3's NIC")

healthy = analyze(save("healthy.json", records(None)))
expect(healthy.returncode == 0, "a healthy fleet exits 0")
expect("VERDICT" not in healthy.stdout, "a healthy fleet names nothing")

# The streamed file of a run is readable too (a killed job's results.jsonl).
stream = analyze(os.path.join(out, "run", "results.jsonl"))
expect(stream.returncode == 0, "results.jsonl of a healthy run is analyzed")

# Bad input: exit 2 and one line naming the file.
baseline = os.path.join(out, "baseline.json")
gen = subprocess.run([BIN, "baseline", "generate", os.path.join(out, "run", "results.json"), "--profile", "ci-netns",
                      "-o", baseline], capture_output=True, text=True, timeout=60)
expect(gen.returncode == 0, "baseline generate works: " + gen.stderr)


def save_doc(name, change):
    doc = json.loads(json.dumps(document))
    change(doc)
    path = os.path.join(out, name)
    json.dump(doc, open(path, "w"))
    return path


def negative_bw(doc):
    doc["records"].append(dict(p2p("node1", "node2", 1.0, 0), bw_gbps=-1.0))


def bad_rank(doc):
    doc["records"][0]["ranks"][0] = 7


for args, needle in (([save("x.json", records(None)), "--baseline", baseline, "--profile", "dgx-h100"], "profile"),
                     ([os.path.join(out, "missing.json")], "missing.json"),
                     ([save("bad.json", [{"kind": "p2p", "op": "bw"}])], "records["),
                     ([save_doc("v2.json", lambda d: d.update(schema_version="2.0"))], "schema_version: version 2.0"),
                     ([save_doc("negative.json", negative_bw)], "bw_gbps: must be a finite number >= 0"),
                     ([save_doc("rank.json", bad_rank)], "ranks[0]")):
    bad = analyze(*args)
    expect(bad.returncode == 2, "bad input %s exits 2" % args)
    expect(needle in bad.stderr and len(bad.stderr.strip().splitlines()) == 1,
           "one line naming %r: %r" % (needle, bad.stderr))
print("ok")
