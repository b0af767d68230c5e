#!/usr/bin/python3
"""check_lost_host.py RESULTS_JSONL HOST [--exit CODE --log FILE]: a run that lost HOST (link down, host hung)
ended as railcheck's watchdog says it should.

- the stream's last line is the watchdog record and names HOST alone among the lost ranks, silent (> 5 s);
- at least one measurement recorded before the loss is kept;
- with --exit: the job's exit is railcheck's watchdog code 3, or (mpirun, which ends a job that lost a daemon
  itself with its own code) the launcher's log names HOST as a lost daemon.
Prints what it found; exit 0 when every point holds, 1 otherwise."""
import argparse
import json
import sys

parser = argparse.ArgumentParser()
parser.add_argument("stream")
parser.add_argument("host")
parser.add_argument("--exit", type=int, dest="exit_code")
parser.add_argument("--log")
args = parser.parse_args()

problems = []
try:
    lines = [json.loads(line) for line in open(args.stream) if line.strip()]
except (OSError, ValueError) as error:
    print("FAIL: %s: %s" % (args.stream, error))
    sys.exit(1)
last = lines[-1] if lines else {}
if last.get("type") != "watchdog":
    problems.append("the stream does not end with a watchdog record (last: %r)" % last.get("type"))
else:
    lost = sorted({r["host"] for r in last["lost_ranks"]})
    silent = [r["silent_s"] for r in last["lost_ranks"] if r["host"] == args.host]
    print("  watchdog: step %r, lost %s, silent %s s, waiting ranks %s"
          % (last["step"], lost, ["%.1f" % s for s in silent], last.get("waiting_ranks")))
    if lost != [args.host]:
        problems.append("the watchdog named %s, expected %s alone" % (lost, args.host))
    if not silent or min(silent) <= 5:
        problems.append("%s is not named as silent (silent_s %s)" % (args.host, silent))
measured = sum(1 for line in lines if line.get("type") in ("record", "p2p"))
print("  %d records kept" % measured)
if measured == 0:
    problems.append("no record measured before the loss was kept")
if args.exit_code is not None and args.exit_code != 3:
    log = open(args.log).read() if args.log else ""
    if "lost communication with a remote daemon" in log and ("on node " + args.host) in log:
        print("  exit %d: mpirun's own, its log names %s's daemon as lost" % (args.exit_code, args.host))
    else:
        problems.append("exit %d is neither railcheck's 3 nor mpirun's lost-daemon exit naming %s"
                        % (args.exit_code, args.host))
if problems:
    print("FAIL: " + "; ".join(problems))
    sys.exit(1)
