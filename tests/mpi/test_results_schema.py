"""The quick suite's results document and every streamed JSONL line validate against the results schema."""
from rctest import expect, fresh_dir, load_results, load_stream, mpirun, records_of

out = fresh_dir("quick")
result = mpirun(["run", "--backend", "mpi", "--output-dir", out, "--record-samples"])
expect(result.returncode == 0, "quick suite exits 0, got %d" % result.returncode)
document = load_results(out)
collectives = {record["collective"] for record in records_of(document)}
expect(len(collectives) == 7, "quick suite covers all 7 collectives, got %s" % sorted(collectives))
manifest = document["manifest"]
expect(manifest["nranks"] == 4 and len(manifest["ranks"]) == 4, "manifest lists 4 ranks")
expect(manifest["versions"]["mpi_library"], "manifest has the MPI version")
expect(manifest["command_line"].endswith(out + " --record-samples"), "manifest has the command line")
stream = load_stream(out)
expect(stream[0]["type"] == "manifest" and stream[-1]["type"] == "summary", "stream starts with the manifest")
expect(len([line for line in stream if line["type"] == "record"]) == len(records_of(document)),
       "every record was streamed")
telemetry = records_of(document, "telemetry")
expect(len(telemetry) == len({r["test"] for r in records_of(document)}) and all(t["window"] and t["host"] for t in telemetry),
       "one telemetry record per test of the quick suite (one host), got %d" % len(telemetry))
expect(len([line for line in stream if line["type"] == "telemetry"]) == len(telemetry), "telemetry was streamed")
expect(all(any(d["source"] == "tcp" for d in t["devices"]) for t in telemetry), "every window read the TCP counters")
expect(all(len(rank["samples_us"]) == record["iters"] for record in records_of(document)
           if record["status"] != "skipped" for rank in record["ranks"]), "--record-samples keeps each iteration")
print("PASS")
