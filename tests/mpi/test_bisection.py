"""In-job bisection of a slow all-reduce group (issue #6), 4 local ranks (units: the ranks of one host).

1. Healthy, with an expectation far below what the group reaches: one bisection round, the whole group ok,
   exit 0, every stream line valid against the schema, nothing named.
2. Rank 2 made slow (--debug-slow-rank: it sleeps after each timed call), expectation 1/20 of run 1's figure:
   round 1 slow and split; round 2 measures both halves at once, the half without rank 2 ok and the half with
   it slow and isolated; the verdicts name GPUs 2 and 3 (bisection evidence with the rounds) and nothing else.
3. A bisecting test with no expected_busbw_gbps and no --baseline is an input error (exit 2, one line).
"""
import json
import os

from rctest import expect, fresh_dir, load_stream, mpirun

out = fresh_dir("bisection")


def suite(expected):
    bisect = {"size": "256K"} if expected is None else {"size": "256K", "expected_busbw_gbps": expected}
    path = os.path.join(out, "suite-%s.json" % ("none" if expected is None else "%g" % expected))
    json.dump({"schema_version": 1, "name": "bisect-test", "backend": "mpi",
               "tests": [{"collective": "all_reduce", "min_bytes": "256K", "max_bytes": "256K", "iters": 5,
                          "warmup_iters": 1, "check": 0, "placement": "out_of_place", "bisect": bisect}]},
              open(path, "w"))
    return path


def bisection_lines(directory):
    return [line for line in load_stream(directory) if line["type"] == "bisection"]


def named(directory):
    doc = json.load(open(os.path.join(directory, "results.json")))
    return [v for v in doc["verdicts"] if v["status"] in ("warn", "fail")]


# 1. healthy
healthy_dir = os.path.join(out, "healthy")
run = mpirun(["run", suite(1e-6), "--output-dir", healthy_dir], np=4)
expect(run.returncode == 0, "healthy bisection run exits 0")
rounds = bisection_lines(healthy_dir)
expect(len(rounds) == 1 and rounds[0]["round"] == 1 and not rounds[0]["slow"] and not rounds[0]["split"],
       "healthy: one round, the whole group ok: %s" % rounds)
expect(rounds[0]["units"] == "gpu" and len(rounds[0]["members"]) == 4 and rounds[0]["nranks"] == 4,
       "healthy: the group is the 4 ranks of this host")
healthy_busbw = rounds[0]["busbw_gbps"]
expect(healthy_busbw > 0, "healthy: a bus bandwidth was measured")
expect(not named(healthy_dir), "healthy: nothing named")

# 2. rank 2 slow
slow_dir = os.path.join(out, "slow")
# The expectation is 1/20 of run 1's figure: rank 2's 50 ms sleeps make its groups about 300 times slower,
# while a healthy half sharing 2 cores with a spinning rank 3 and other tests measured 1/12 of it.
run = mpirun(["run", suite(healthy_busbw / 20), "--output-dir", slow_dir, "--debug-slow-rank", "2",
              "--debug-slow-ms", "50"], np=4)
expect(run.returncode in (0, 1), "slow-rank bisection run completes (exit %d)" % run.returncode)
rounds = bisection_lines(slow_dir)
expect([r["round"] for r in rounds] == [1, 2, 2], "slow: rounds 1, 2, 2: %s" % [(r["round"], r["slow"]) for r in rounds])
expect(rounds[0]["slow"] and rounds[0]["split"], "slow: round 1 is slow and split")
halves = {tuple(m["rank"] for m in r["members"]): r for r in rounds[1:]}
expect(set(halves) == {(0, 1), (2, 3)}, "slow: round 2 measures the halves 0,1 and 2,3: %s" % list(halves))
expect(not halves[(0, 1)]["slow"], "slow: the half without rank 2 is ok (%.3g GB/s, expected %.3g)" %
       (halves[(0, 1)]["busbw_gbps"], halves[(0, 1)]["expected_busbw_gbps"]))
expect(halves[(2, 3)]["slow"] and not halves[(2, 3)]["split"], "slow: the half with rank 2 is slow and isolated")
components = sorted((v["component"]["kind"], v["component"].get("gpu", -1)) for v in named(slow_dir))
expect([c for c in components if c[0] == "gpu"] == [("gpu", 2), ("gpu", 3)],
       "slow: the verdicts name GPUs 2 and 3 and no other GPU: %s" % components)
gpu2 = next(v for v in named(slow_dir) if v["component"]["kind"] == "gpu" and v["component"]["gpu"] == 2)
evidence = gpu2["evidence"][0]
expect(evidence["source"] == "bisection" and len(evidence["refs"]) == 2,
       "slow: GPU 2's evidence is the bisection with both rounds: %s" % evidence)
expect("re-test" in gpu2["action"] or "gpu-check" in gpu2["action"], "slow: the action says what to run next")

# 3. no expectation
run = mpirun(["run", suite(None), "--output-dir", os.path.join(out, "none")], np=2)
errors = [line for line in run.stderr.splitlines() if "railcheck: error" in line or "bisect" in line]
expect(run.returncode == 2, "no expectation: exit 2 (got %d)" % run.returncode)
expect(any("bisect" in line and "expected_busbw_gbps" in line for line in errors),
       "no expectation: the error names bisect and expected_busbw_gbps: %s" % errors)
print("PASS")
