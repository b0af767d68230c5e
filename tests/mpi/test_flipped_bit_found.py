"""The check is bit-exact (issue #14): one flipped lowest mantissa bit in one element of rank 1's bfloat16,
half or float sum at 4 ranks is found, named on rank 1 alone, one wrong element per checked row."""
from rctest import expect, fresh_dir, load_results, mpirun, records_of

for dtype in ("bfloat16", "half", "float"):
    out = fresh_dir("flip-" + dtype)
    result = mpirun(["allreduce", "-b", "1K", "-e", "64K", "-f", "8", "-n", "2", "-c", "1", "-d", dtype, "-o", "sum",
                     "--backend", "mpi", "--debug-flip-bit-rank", "1", "--output-dir", out])
    expect(result.returncode == 1, "%s: a flipped bit fails the run, exit %d" % (dtype, result.returncode))
    expect("rank 1 (" in result.stdout and "1 wrong elements" in result.stdout, "%s: console names rank 1" % dtype)
    records = records_of(load_results(out))
    expect(len(records) >= 4, "%s: every size in and out of place: %d records" % (dtype, len(records)))
    for record in records:
        wrong = {rank["rank"]: rank["wrong_elements"] for rank in record["ranks"]}
        expect(wrong == {0: 0, 1: 1, 2: 0, 3: 0}, "%s %d B: one wrong element on rank 1 only: %s" %
               (dtype, record["size_bytes"], wrong))
        expect(record["status"] == "wrong", "%s: record status is wrong" % dtype)
print("PASS")
