"""--backend auto never mixes or silently downgrades (issue #14): with a usable GPU on some ranks and not on
others (rank 1 pretends to have one: --debug-pretend-gpu-rank), the run exits 2 before measuring, with one
error line naming the host without a GPU; with no GPU on any rank it runs on the host backend and says so in
the console header and the manifest."""
import sys

from rctest import expect, fresh_dir, load_results, mpirun, run_single

if "nccl" not in run_single(["version"]).stdout:
    print("SKIP: built without NCCL: --backend auto has only the host backend to choose")
    sys.exit(77)

out = fresh_dir("auto-mixed")
mixed = mpirun(["allreduce", "-b", "8", "-e", "64", "--debug-pretend-gpu-rank", "1", "--output-dir", out])
errors = [line for line in mixed.stderr.splitlines() if line.startswith("railcheck: error: ")]
expect(mixed.returncode == 2, "mixed GPU and no-GPU ranks exit 2, got %d" % mixed.returncode)
expect(errors, "an error line: %s" % mixed.stderr[-2000:])
for needle in ["--backend auto", "1 of 4 ranks have a usable GPU", "ranks 0 (", "--backend mpi"]:
    expect(needle in errors[0], "the error names %r: %s" % (needle, errors[0]))
expect("rank 1 (" not in errors[0], "the rank with a GPU is not listed as lacking one: %s" % errors[0])

out = fresh_dir("auto-none")
none = mpirun(["allreduce", "-b", "8", "-e", "64", "--output-dir", out])
expect(none.returncode == 0, "no GPU on any rank: the host backend runs, exit %d" % none.returncode)
expect("backend: mpi (auto: no usable CUDA device" in none.stdout, "the console header says host backend and why")
manifest = load_results(out)["manifest"]
expect(manifest["backend"] == "mpi" and "no usable CUDA device" in manifest["backend_reason"],
       "the manifest says host backend and why: %s / %s" % (manifest.get("backend"), manifest.get("backend_reason")))
print("PASS")
