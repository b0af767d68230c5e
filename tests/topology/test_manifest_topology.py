"""Every run's manifest carries rank 0's node topology (or null when discovery found nothing), and a results
document with a full fixture topology still validates against results.schema.json."""
import copy
import os

import jsonschema

from topotest import BIN, FIXTURES, expect, fresh_dir, load, railcheck, schema, validator

work = fresh_dir("manifest")
out = os.path.join(work, "run")
result = railcheck(["allreduce", "-b", "8", "-e", "8", "-n", "1", "-w", "0", "--backend", "mpi", "--output-dir", out],
                   timeout=120)
expect(result.returncode == 0, "a one-process sweep exits 0, got %d" % result.returncode)
document = load(os.path.join(out, "results.json"))
results_schema = jsonschema.Draft202012Validator(schema("results.schema.json"))
results_schema.validate(document)
expect("topology" in document["manifest"], "the manifest has a topology field")
topology = document["manifest"]["topology"]
if topology is not None:
    validator("topology.schema.json").validate(topology)
    expect(topology["sysfs_root"] == "/", "the manifest describes the live node")
print("manifest topology:", "null" if topology is None else "%d GPUs, %d NICs" % (len(topology["gpus"]),
                                                                                   len(topology["nics"])))

fixture_json = os.path.join(work, "dgx.json")
expect(railcheck(["topo", "--sysfs-root", os.path.join(FIXTURES, "dgx_h100"), "--json", fixture_json]).returncode == 0,
       "topo on the DGX H100 fixture exits 0")
with_fixture = copy.deepcopy(document)
with_fixture["manifest"]["topology"] = load(fixture_json)
results_schema.validate(with_fixture)
with_null = copy.deepcopy(document)
with_null["manifest"]["topology"] = None
results_schema.validate(with_null)
without = copy.deepcopy(document)
del without["manifest"]["topology"]
results_schema.validate(without)
wrong = copy.deepcopy(document)
wrong["manifest"]["topology"] = {"schema_version": "1.0", "kind": "something else"}
expect(not results_schema.is_valid(wrong), "results schema rejects a topology of the wrong kind")
print("PASS")
