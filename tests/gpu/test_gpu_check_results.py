"""`railcheck gpu-check` writes results.json and results.jsonl that validate against results.schema.json.

Without a GPU (CI): one SKIP line naming the reason, exit 0, one skipped record per check. With a GPU: small
sizes, every check ok (or skipped: peer copies on a single GPU), ratios where a reference exists. Also: under a
launcher with several processes each writes to <output-dir>/rank<N>. Environment as tests/mpi/rctest.py.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["RAILCHECK_SOURCE_DIR"], "tests", "mpi"))
import jsonschema  # noqa: E402
from rctest import BIN, expect, fresh_dir, load_results, run_single, schema  # noqa: E402

SMALL = ["--hbm-bytes", "64M", "--host-bytes", "16M", "--peer-bytes", "16M", "--gemm-size", "1024", "-n", "3"]
KEYS = ["gpu.hbm_read", "gpu.hbm_write", "gpu.hbm_copy", "gpu.hbm_memcpy_d2d", "gpu.fill_verify", "gpu.h2d_pinned",
        "gpu.d2h_pinned"] + [k + t for t in ("bf16", "fp16", "tf32", "fp64")
                             for k in ("gpu.gemm.", "gpu.gemm_cublas_loop.")] + ["gpu.peer_copy"]


def validate_stream(directory):
    """Every results.jsonl line against $defs/stream_line; gpu-check writes only manifest, gpu_check, note (the
    skip without a GPU) and summary lines. Returns the lines."""
    results_schema = schema("results.schema.json")
    sub = {"$schema": results_schema["$schema"], "$defs": results_schema["$defs"], "$ref": "#/$defs/stream_line"}
    validator = jsonschema.Draft202012Validator(sub)
    lines = []
    with open(os.path.join(directory, "results.jsonl")) as f:
        for number, text in enumerate(f, 1):
            line = json.loads(text)
            expect(line.get("type") in ("manifest", "gpu_check", "note", "summary"),
                   "results.jsonl line %d has type %r" % (number, line.get("type")))
            validator.validate(line)
            lines.append(line)
    return lines


out = fresh_dir("gpu-check")
result = run_single(["gpu-check", "--output-dir", out] + SMALL, timeout=600)
document = load_results(out)
stream = validate_stream(out)
records = document["records"]
expect(stream[0]["type"] == "manifest" and stream[-1]["type"] == "summary", "stream: manifest first, summary last")
expect(len([s for s in stream if s["type"] == "gpu_check"]) == len(records), "every record was streamed")
expect(all(r["kind"] == "gpu_check" for r in records), "all records are gpu_check records")
expect(document["manifest"]["backend"] == "cuda" and document["manifest"]["suite"] == "gpu-check",
       "the manifest names gpu-check and cuda")
skip_lines = [line for line in result.stdout.splitlines() if line.startswith("# SKIP")]
gpu_visible = not skip_lines

if not gpu_visible:
    expect(result.returncode == 0, "no GPU is a skip, exit 0; got %d" % result.returncode)
    expect(len(skip_lines) == 1, "exactly one SKIP line, got %d" % len(skip_lines))
    expect("no usable CUDA device" in skip_lines[0] or "without CUDA" in skip_lines[0],
           "the SKIP line names the reason: " + skip_lines[0])
    notes = [line for line in stream if line["type"] == "note"]
    expect(len(notes) == 1 and notes[0]["level"] == "skip" and notes[0]["text"] in skip_lines[0],
           "the skip is also streamed as one note line: %s" % notes)
    expect([r["test_key"] for r in records] == KEYS, "one record per check, in order: %s" %
           [r["test_key"] for r in records])
    expect(all(r["status"] == "skipped" and r["skip_reason"] and r["device"] is None for r in records),
           "every record is skipped with the reason and no device")
    expect(document["summary"]["skipped_records"] == len(KEYS) and document["summary"]["exit_code"] == 0,
           "the summary counts the skips and exit 0")
else:
    expect(result.returncode == 0, "a healthy GPU passes every check; got %d" % result.returncode)
    bad = [r for r in records if r["status"] not in ("ok", "skipped")]
    expect(not bad, "records not ok: %s" % bad)
    by_key = {r["test_key"]: r for r in records}
    expect(set(KEYS) <= set(by_key), "every check has a record")
    expect(by_key["gpu.hbm_copy"]["ratio"] is not None, "the HBM copy is compared with cudaMemcpy")
    expect(by_key["gpu.gemm.bf16"]["ratio"] is not None and by_key["gpu.gemm.bf16"]["checked"] > 0,
           "GEMM is checked and compared with the plain cuBLAS loop")

# One process of several under a launcher: its own subdirectory, named by its rank.
env = dict(os.environ, OMPI_COMM_WORLD_SIZE="2", OMPI_COMM_WORLD_RANK="1", OMPI_COMM_WORLD_LOCAL_RANK="1")
shared = fresh_dir("gpu-check-ranks")
if gpu_visible:
    print("launcher placement: skipped with a GPU visible (rank 1 would need a second GPU or wrap to GPU 0)")
else:
    ranked = subprocess.run([BIN, "gpu-check", "--output-dir", shared] + SMALL, env=env, capture_output=True,
                            text=True, timeout=120)
    expect(ranked.returncode == 0, "rank 1 exits 0 without a GPU")
    ranked_document = load_results(os.path.join(shared, "rank1"))
    expect(ranked_document["manifest"]["ranks"][0]["rank"] == 1, "the manifest names the launcher's rank")
print("PASS")
