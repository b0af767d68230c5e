"""Every collective, several sizes and types, in and out of place, passes its correctness check on 4 ranks."""
import sys

from rctest import expect, fresh_dir, load_results, mpirun, records_of

collective = sys.argv[1]
for dtype, op in (("float", "sum"), ("int32", "max"), ("bfloat16", "avg"), ("int8", "prod")):
    out = fresh_dir("%s-%s-%s" % (collective, dtype, op))
    result = mpirun([collective, "-b", "8", "-e", "1M", "-f", "8", "-n", "3", "-w", "1", "-c", "2", "-d", dtype,
                     "-o", op, "-r", "1", "--backend", "mpi", "--output-dir", out])
    expect(result.returncode == 0, "%s %s %s exited %d" % (collective, dtype, op, result.returncode))
    document = load_results(out)
    records = [r for r in records_of(document) if r["status"] != "skipped"]
    expect(len(records) >= 6, "expected at least 3 sizes x 2 placements, got %d records" % len(records))
    for placement in (False, True):
        measured = [r for r in records if r["in_place"] == placement]
        expect(len(measured) >= 3, "in_place=%s has %d measured sizes" % (placement, len(measured)))
    for record in records:
        expect(record["status"] == "ok" and record["wrong_elements"] == 0,
               "%s %d B in_place=%s: status %s, %d wrong" % (record["test"], record["size_bytes"],
                                                             record["in_place"], record["status"],
                                                             record["wrong_elements"]))
        expect(len(record["ranks"]) == 4, "record keeps every rank's own time")
        expect(all(rank["wrong_elements"] == 0 for rank in record["ranks"]), "per-rank wrong counts are 0")
        if record["count"] == 0:
            # nccl-tests times a size that gives 0 elements per rank too: its row reads 0 GB/s.
            expect(record["busbw_gbps"] == 0 and record["time_us"] > 0, "a 0-element row is timed at 0 GB/s")
        else:
            expect(record["busbw_gbps"] > 0 and record["time_us"] > 0, "bandwidth and time are measured")
print("PASS")
