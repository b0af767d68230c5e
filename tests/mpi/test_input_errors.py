"""Bad input gives one line on stderr naming the problem, and exit code 2, before anything is launched."""
import os

from rctest import SOURCE_DIR, WORK_DIR, expect, expect_input_error, fresh_dir

work = fresh_dir("input-errors")
malformed = os.path.join(work, "malformed.json")
with open(malformed, "w") as f:
    f.write('{"schema_version": 1, "name": "x", "tests": [{"collective": "all_reduce",}]}')
typo = os.path.join(work, "typo.json")
with open(typo, "w") as f:
    f.write('{"schema_version": 1, "name": "x", "tests": [{"collective": "allredcue"}]}')

cases = [
    (["run", malformed], [malformed, "not valid JSON", "line 1"]),
    (["run", typo], [typo, "tests[0].collective", "allredcue", "all_reduce"]),
    (["run", os.path.join(work, "missing.json")], ["missing.json", "no such file"]),
    (["allredcue", "-b", "8"], ["unknown collective or command 'allredcue'"]),
    (["allreduce", "-b", "1G", "-e", "1M"], ["-b", "larger than", "max"]),
    (["allreduce", "-n", "0"], ["-n", "at least 1"]),
    (["allreduce", "-b", "12Q"], ["-b", "12Q", "not a size"]),
    (["allreduce", "-d", "float7"], ["-d", "float7", "bfloat16"]),
    (["allreduce", "--backend", "gpu"], ["--backend"]),
]
for args, needles in cases:
    expect_input_error(args, needles)
print("PASS")
