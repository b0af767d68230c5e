"""compare_nccl_tests.py joins an nccl-tests console and railcheck's by (size, type, redop, root) and judges
the time ratio at >= 1 MiB: within the band exits 0, outside 1, nothing shared 2 (issue #14, acceptance 4's
tool, checked here on tables written in nccl-tests 2.19's layout)."""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "compare_nccl_tests.py")

NCCL_TESTS = """# nccl-tests version 2.19.6 nccl-headers=22804 nccl-library=22804
# Collective test starting: all_reduce_perf
# nThread 1 nGpus 1 minBytes 8 maxBytes 4194304 step: 2(factor) warmup iters: 1 iters: 20 agg iters: 1 validation: 1 graph: 0 unalign: 0
#
#                                                              out-of-place                       in-place          
#       size         count      type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong 
#        (B)    (elements)                               (us)  (GB/s)  (GB/s)             (us)  (GB/s)  (GB/s)         
           8             2     float     sum      -1     8.12    0.00    0.00       0     7.95    0.00    0.00       0
     1048576        262144     float     sum      -1    20.00   52.43    0.00       0    19.00   55.19    0.00       0
     4194304       1048576     float     sum      -1    50.00   83.89    0.00       0    50.00   83.89    0.00       0
# Out of bounds values : 0 OK
# Avg bus bandwidth    : 0 
"""


def railcheck_table(scale_1m, scale_4m):
    return f"""# Collective test starting: all_reduce (all_reduce, 1 ranks)
#       size         count      type   redop    root     time   algbw   busbw  #wrong     time   algbw   busbw  #wrong
           8             2     float     sum      -1     9.00    0.00    0.00       0     9.10    0.00    0.00       0
     1048576        262144     float     sum      -1    {20.0 * scale_1m:.2f}   52.43    0.00       0    {19.0 * scale_1m:.2f}   55.19    0.00       0
     4194304       1048576     float     sum      -1    {50.0 * scale_4m:.2f}   83.89    0.00       0    {50.0 * scale_4m:.2f}   83.89    0.00       0
"""


def run(railcheck_text, *extra):
    with tempfile.TemporaryDirectory() as d:
        theirs, ours = os.path.join(d, "nt.txt"), os.path.join(d, "rc.txt")
        open(theirs, "w").write(NCCL_TESTS)
        open(ours, "w").write(railcheck_text)
        return subprocess.run([sys.executable, TOOL, theirs, ours, *extra], capture_output=True, text=True)


def expect(condition, message):
    if not condition:
        print("FAIL: " + message)
        sys.exit(1)


within = run(railcheck_table(1.01, 0.99))
expect(within.returncode == 0, "1%% off at >= 1 MiB is within 0.98..1.02: %s" % within.stdout)
expect("PASS: all 4 time ratios" in within.stdout, "4 ratios judged (2 sizes x 2 placements): %s" % within.stdout)
expect("1.010" in within.stdout, "the 1 MiB out-of-place ratio is printed: %s" % within.stdout)
slow = run(railcheck_table(1.0, 1.05))
expect(slow.returncode == 1 and "4194304 B out_of_place: 1.050" in slow.stdout, "5%% slow at 4 MiB: %s" % slow.stdout)
small_only = run(railcheck_table(1.0, 1.0), "--min-bytes", str(1 << 30))
expect(small_only.returncode == 2, "no row of >= 1 GiB: exit 2 (%s)" % small_only.stdout)
nothing = run("# nothing measured\n")
expect(nothing.returncode == 2 and "no row in both tables" in nothing.stdout, "no shared row: exit 2")
print("PASS")
