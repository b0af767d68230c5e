"""topo and check-node JSON validate against their schemas on every fixture; the shipped profiles validate
against profile.schema.json, and railcheck rejects (exit 2, naming file and field) what the schema rejects."""
import json
import os

from topotest import (FIXTURES, PROFILES, expect, fresh_dir, load, railcheck, validator)

work = fresh_dir("schemas")
topology_schema = validator("topology.schema.json")
check_schema = validator("node-check.schema.json")
profile_schema = validator("profile.schema.json")
override_schema = validator("rail-override.schema.json")

for name in ("dgx_h100", "dgx_h100_faulty", "four_gpu"):
    out = os.path.join(work, name + ".json")
    result = railcheck(["topo", "--sysfs-root", os.path.join(FIXTURES, name), "--json", out])
    expect(result.returncode == 0, "%s: topo exits 0, got %d" % (name, result.returncode))
    document = load(out)
    topology_schema.validate(document)
    expect(len(document["gpus"]) == (4 if name == "four_gpu" else 8), "%s: GPU count" % name)
    expect(all(len(row) == len(document["nics"]) for row in document["affinity"]), "%s: matrix is GPUs x NICs" % name)
    print("valid topology:", name)

profiles = {"dgx-h100.json": ("dgx_h100", "dgx_h100_faulty"), "four-gpu.json": ("four_gpu",)}
for profile, fixtures in profiles.items():
    path = os.path.join(PROFILES, profile)
    profile_schema.validate(load(path))
    for name in fixtures:
        out = os.path.join(work, "check-" + name + ".json")
        result = railcheck(["check-node", "--profile", path, "--sysfs-root", os.path.join(FIXTURES, name),
                            "--json", out])
        want = 1 if name.endswith("faulty") else 0
        expect(result.returncode == want, "%s on %s: exit %d, got %d" % (profile, name, want, result.returncode))
        document = load(out)
        check_schema.validate(document)
        topology_schema.validate(document["topology"])
        expect(document["matches"] == (want == 0), "%s on %s: matches agrees with the exit code" % (profile, name))
        print("valid check-node:", profile, name)
expect(not [p for p in os.listdir(PROFILES) if p.endswith(".json") and p not in profiles],
       "every profile in suites/profiles is covered by this test")

# An override that swaps two rails: valid against its schema, and topo reports it.
override = {"schema_version": 1, "rails": [{"gpu": g, "nic": n} for g, n in [
    ("0000:41:00.0", "mlx5_1"), ("0000:47:00.0", "mlx5_1"), ("0000:c1:00.0", "mlx5_0"), ("0000:c7:00.0", "mlx5_0")]]}
override_schema.validate(override)
override_path = os.path.join(work, "override.json")
with open(override_path, "w") as f:
    json.dump(override, f)
out = os.path.join(work, "four-override.json")
result = railcheck(["topo", "--sysfs-root", os.path.join(FIXTURES, "four_gpu"), "--rail-override", override_path,
                    "--json", out])
expect(result.returncode == 0, "topo with an override exits 0")
document = load(out)
topology_schema.validate(document)
expect(document["rails"]["source"] == "override", "rails come from the override")
expect([a["nic"] for a in document["rails"]["assignments"]] == ["mlx5_1", "mlx5_1", "mlx5_0", "mlx5_0"],
       "the override's NICs are used")
expect("Rails (from " + override_path + ")" in result.stdout, "the report names the override file")

# What the schemas reject, railcheck rejects with exit 2 and one line naming the file and the field.
bad_profiles = {
    "unknown_field": ({"schema_version": 1, "name": "x", "gpus": {"cont": 8}}, "gpus.cont"),
    "wrong_version": ({"schema_version": 2, "name": "x"}, "schema_version"),
    "no_name": ({"schema_version": 1}, "name"),
    "bad_state": ({"schema_version": 1, "name": "x", "nics": {"port_state": "UP"}}, "nics.port_state"),
    "bad_affinity": ({"schema_version": 1, "name": "x", "rails": {"affinity": "near"}}, "rails.affinity"),
    "bad_width": ({"schema_version": 1, "name": "x", "gpus": {"pcie": {"current_width": 0}}}, "gpus.pcie.current_width"),
    "rate_text": ({"schema_version": 1, "name": "x", "nics": {"rate_gbps": "400"}}, "nics.rate_gbps"),
}
for name, (document, field) in bad_profiles.items():
    expect(not profile_schema.is_valid(document), "profile schema rejects %s" % name)
    path = os.path.join(work, "profile-" + name + ".json")
    with open(path, "w") as f:
        json.dump(document, f)
    result = railcheck(["check-node", "--profile", path, "--sysfs-root", os.path.join(FIXTURES, "dgx_h100")])
    lines = result.stderr.strip().splitlines()
    expect(result.returncode == 2, "%s: exit 2, got %d" % (name, result.returncode))
    expect(len(lines) == 1 and lines[0].startswith("railcheck: error: " + path + ": " + field + ": "),
           "%s: one line naming %s and %s: %s" % (name, path, field, lines))

bad_overrides = {
    "not_bus_id": ({"schema_version": 1, "rails": [{"gpu": "GPU0", "nic": "mlx5_0"}]}, "rails[0].gpu"),
    "extra_field": ({"schema_version": 1, "rails": [{"gpu": "0000:41:00.0", "nic": "mlx5_0", "rail": 0}]},
                    "rails[0].rail"),
    "empty": ({"schema_version": 1, "rails": []}, "rails"),
}
for name, (document, field) in bad_overrides.items():
    expect(not override_schema.is_valid(document), "override schema rejects %s" % name)
    path = os.path.join(work, "override-" + name + ".json")
    with open(path, "w") as f:
        json.dump(document, f)
    result = railcheck(["topo", "--sysfs-root", os.path.join(FIXTURES, "four_gpu"), "--rail-override", path])
    lines = result.stderr.strip().splitlines()
    expect(result.returncode == 2, "%s: exit 2, got %d" % (name, result.returncode))
    expect(len(lines) == 1 and lines[0].startswith("railcheck: error: " + path + ": " + field + ": "),
           "%s: one line naming %s and %s: %s" % (name, path, field, lines))
print("PASS")
