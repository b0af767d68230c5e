"""Without a GPU, --backend nccl fails with a clear message and exit 2, and auto falls back to MPI saying why."""
import subprocess

from rctest import BIN, expect, fresh_dir, mpirun

version = subprocess.run([BIN, "version"], capture_output=True, text=True).stdout
if "nccl" not in version:
    print("SKIP: this build has no NCCL backend")
    raise SystemExit(77)
out = fresh_dir("nccl-unavailable")
auto = mpirun(["allreduce", "-b", "1K", "-e", "1K", "-n", "1", "--output-dir", out], np=2)
if "backend: nccl" in auto.stdout:
    print("SKIP: a GPU is visible here; tests/gpu covers the NCCL backend")
    raise SystemExit(77)
expect(auto.returncode == 0, "auto falls back to the MPI backend and runs")
expect("backend: mpi (auto: no usable CUDA device" in auto.stdout, "the console says why MPI was chosen")
forced = mpirun(["allreduce", "--backend", "nccl", "-b", "1K", "-e", "1K", "--output-dir", out], np=2)
expect(forced.returncode == 2, "--backend nccl without a GPU exits 2, got %d" % forced.returncode)
errors = [line for line in forced.stderr.splitlines() if line.startswith("railcheck: error:")]
expect(len(errors) == 1, "one error line for the whole job, got %d" % len(errors))
expect("no usable CUDA device" in errors[0] and "--backend mpi" in errors[0], "the message says why and what to do")
print("PASS")
