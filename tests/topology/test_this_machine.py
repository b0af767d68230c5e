"""The real binary on this machine, with no --sysfs-root. Without GPUs and RDMA devices (CI): topo says so
plainly and exits 0 with an empty-but-valid JSON; check-node against the DGX H100 profile exits 1 listing the
missing GPUs and NICs; a malformed profile exits 2 with one line naming the file and the field. On a machine
with GPUs or RDMA devices only the exit codes and schemas are checked."""
import glob
import json
import os

from topotest import PROFILES, expect, fresh_dir, load, railcheck, validator

work = fresh_dir("this-machine")


def has_nvidia_pci():
    for device in glob.glob("/sys/bus/pci/devices/*"):
        try:
            with open(os.path.join(device, "vendor")) as v, open(os.path.join(device, "class")) as c:
                if v.read().strip() == "0x10de" and c.read().strip()[:6] in ("0x0302", "0x0300"):
                    return True
        except OSError:
            pass
    return False


bare = not has_nvidia_pci() and not os.path.exists("/sys/class/infiniband")
print("bare machine (no NVIDIA PCI device, no /sys/class/infiniband):", bare)

topo_json = os.path.join(work, "topo.json")
result = railcheck(["topo", "--json", topo_json])
expect(result.returncode == 0, "topo exits 0, got %d" % result.returncode)
expect(result.stderr == "", "topo writes nothing on stderr")
document = load(topo_json)
validator("topology.schema.json").validate(document)
expect(document["sysfs_root"] == "/", "topo reads the live sysfs")
if bare:
    expect("# no GPUs found (NVML: " in result.stdout, "topo says no GPUs were found, and why (NVML)")
    expect("sysfs: no NVIDIA PCI devices)" in result.stdout, "... and why (sysfs)")
    expect("# no RDMA devices (/sys/class/infiniband missing)" in result.stdout, "topo says there are no RDMA devices")
    expect(document["gpus"] == [] and document["affinity"] == [] and document["rails"]["assignments"] == [],
           "empty GPUs, affinity and rails")
    expect(all(nic["kind"] == "ethernet" for nic in document["nics"]), "only Ethernet NICs")
    expect(any(note.startswith("no GPUs found (") for note in document["notes"]), "the JSON notes say why")

check_json = os.path.join(work, "check.json")
result = railcheck(["check-node", "--profile", os.path.join(PROFILES, "dgx-h100.json"), "--json", check_json])
expect(result.returncode in (0, 1), "check-node exits 0 or 1, got %d" % result.returncode)
document = load(check_json)
validator("node-check.schema.json").validate(document)
if bare:
    expect(result.returncode == 1, "check-node against the DGX H100 profile exits 1 here")
    expect("MISMATCH expected 8 GPUs, found 0 (NVML: " in result.stdout, "check-node lists the missing GPUs")
    expect("MISMATCH expected 8 RDMA NICs, found 0 (/sys/class/infiniband missing)" in result.stdout,
           "check-node lists the missing NICs")
    expect([m["check"] for m in document["mismatches"]] == ["gpu_count", "nic_count"], "exactly the two counts")

malformed = os.path.join(work, "malformed.json")
with open(malformed, "w") as f:
    f.write('{"schema_version": 1, "name": "x", "gpus": {"count": "eight"}}')
result = railcheck(["check-node", "--profile", malformed])
lines = result.stderr.strip().splitlines()
expect(result.returncode == 2, "malformed profile exits 2, got %d" % result.returncode)
expect(len(lines) == 1, "exactly one line on stderr, got %d" % len(lines))
expect(lines[0].startswith("railcheck: error: " + malformed + ": gpus.count: expected an integer"),
       "the line names the file and the field: " + lines[0])
expect(result.stdout == "", "nothing on stdout")

result = railcheck(["check-node"])
expect(result.returncode == 2 and "--profile" in result.stderr, "check-node without --profile exits 2 naming it")
print("PASS")
