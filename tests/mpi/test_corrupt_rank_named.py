"""A rank whose results are corrupted on purpose is caught, and the rank is named in output and records."""
from rctest import expect, fresh_dir, load_results, mpirun, records_of

out = fresh_dir("corrupt")
result = mpirun(["allreduce", "-b", "4K", "-e", "64K", "-f", "4", "-n", "2", "--backend", "mpi",
                 "--debug-corrupt-rank", "2", "--output-dir", out])
expect(result.returncode == 1, "a failed check exits 1, got %d" % result.returncode)
expect("rank 2 (" in result.stdout and "wrong elements" in result.stdout, "console names rank 2")
document = load_results(out)
for record in records_of(document):
    wrong = {rank["rank"]: rank["wrong_elements"] for rank in record["ranks"]}
    expect(wrong[2] == 8, "rank 2 has the 8 corrupted elements, got %s" % wrong)
    expect(all(count == 0 for rank, count in wrong.items() if rank != 2), "no other rank is blamed: %s" % wrong)
    expect(record["status"] == "wrong", "record status is wrong")
expect(document["summary"]["exit_code"] == 1, "summary exit code 1")
expect(any("rank 2" in problem for problem in document["summary"]["problems"]), "summary problem names rank 2")
print("PASS")
