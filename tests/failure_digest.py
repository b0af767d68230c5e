#!/usr/bin/python3
"""failure_digest.py BUILD_DIR - after a failed ctest run, each failed test's verdict lines and the end of its
output, read from ctest's Testing/Temporary/LastTest.log.

A long run's log (CI keeps only its start and end) then ends with why each test failed, not with the list of
skipped tests. Prints nothing when no test failed.
"""
import re
import sys
from pathlib import Path

# A failing check's own lines (not a run's expected "VERDICT FAIL" lines), the evidence a check prints for a
# wrongly named part, gtest's and Python's failure lines, and "== ..." section headers for context.
KEEP = re.compile(r"^\s*FAIL:|FAILED|WRONG|evidence of|^\s+\[[a-z_]+\] |Error|error:|Assertion|Expected|Which is|"
                  r"Value of|^== ")
TAIL_LINES = 25
KEPT_LINES = 120


def outputs(log_text):
    """(test name, output) of every test in LastTest.log."""
    pattern = re.compile(r'^\d+/\d+ Test: (?P<name>\S+)\n.*?Output:\n-+\n(?P<out>.*?)<end of output>', re.S | re.M)
    for m in pattern.finditer(log_text):
        yield m.group("name"), m.group("out")


def main():
    tmp = Path(sys.argv[1]) / "Testing" / "Temporary"
    failed_file = tmp / "LastTestsFailed.log"
    if not failed_file.exists():
        return
    failed = [line.split(":", 1)[1].strip() for line in failed_file.read_text().splitlines() if ":" in line]
    if not failed:
        return
    log = (tmp / "LastTest.log").read_text(errors="replace")
    out_of = dict(outputs(log))
    print(f"\n== why {len(failed)} test(s) failed (from {tmp / 'LastTest.log'})")
    for name in failed:
        lines = out_of.get(name, "(no output recorded)").splitlines()
        kept = [line for line in lines[:-TAIL_LINES] if KEEP.search(line)][-KEPT_LINES:]
        print(f"== {name}: {len(lines)} output lines; the ones naming a failure, then the last {TAIL_LINES}")
        for line in kept + ["  ..."] + lines[-TAIL_LINES:]:
            print("  " + line[:400])


if __name__ == "__main__":
    main()
