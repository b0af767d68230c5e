"""check_manifests.py K8S_DIR CRD_YAML - the shipped Kubernetes manifests (k8s/*.yaml, and the YAML documents
kept in ConfigMaps) validate strictly: MPIJobs against mpi-operator's CRD schema (kubeflow.org_mpijobs.yaml, a
fixture) with unknown fields rejected and mpi-operator's own validation rules; core objects against the
Kubernetes API's types (the official Python client's models, generated from the Kubernetes OpenAPI spec), every
field known and of its type. Each launcher's rank count agrees with slotsPerWorker x workers and with its
--expect-ranks / --expect-hosts. The checker itself is shown to reject an unknown field, a wrong type and a
bad replica count before the manifests are judged. Exit 0 when all hold."""
import copy
import datetime
import glob
import os
import re
import sys

import jsonschema
import kubernetes.client.models as models
import yaml

PRIMITIVES = {"str": str, "int": int, "bool": bool, "float": (int, float), "object": object}
CORE = {("v1", "Namespace"): "V1Namespace", ("v1", "ServiceAccount"): "V1ServiceAccount",
        ("v1", "ConfigMap"): "V1ConfigMap", ("batch/v1", "CronJob"): "V1CronJob",
        ("rbac.authorization.k8s.io/v1", "ClusterRole"): "V1ClusterRole",
        ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): "V1ClusterRoleBinding",
        ("rbac.authorization.k8s.io/v1", "Role"): "V1Role",
        ("rbac.authorization.k8s.io/v1", "RoleBinding"): "V1RoleBinding"}


def check_model(value, klass, path, errors):
    """Every field of `value` known to the Kubernetes type `klass` and of its type."""
    if klass.startswith("list["):
        if not isinstance(value, list):
            errors.append("%s: want a list, got %r" % (path, value))
            return
        for i, item in enumerate(value):
            check_model(item, klass[5:-1], "%s[%d]" % (path, i), errors)
        return
    if klass.startswith("dict("):
        inner = klass[5:-1].split(", ", 1)[1]
        if not isinstance(value, dict):
            errors.append("%s: want a map, got %r" % (path, value))
            return
        for key, item in value.items():
            check_model(item, inner, "%s.%s" % (path, key), errors)
        return
    if klass == "quantity":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)) or \
                not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+|[numkMGTPE]i?|Ki)?", str(value)):
            errors.append("%s: not a quantity: %r" % (path, value))
        return
    if klass in PRIMITIVES:
        if klass != "object" and (not isinstance(value, PRIMITIVES[klass]) or
                                  (klass == "int" and isinstance(value, bool))):
            errors.append("%s: want %s, got %r" % (path, klass, value))
        return
    if klass == "datetime":
        if not isinstance(value, (str, datetime.datetime)):
            errors.append("%s: want a time, got %r" % (path, value))
        return
    model = getattr(models, klass)
    if not isinstance(value, dict):
        errors.append("%s: want an object (%s), got %r" % (path, klass, value))
        return
    names = {json_name: attr for attr, json_name in model.attribute_map.items()}
    for key, item in value.items():
        if key not in names:
            errors.append("%s.%s: unknown field (%s has %s)" % (path, key, klass, ", ".join(sorted(names))))
            continue
        field = model.openapi_types[names[key]]
        if klass == "V1ResourceRequirements" and field == "dict(str, str)":
            field = "dict(str, quantity)"  # resource.Quantity: int-or-string in the OpenAPI spec, str in the client
        check_model(item, field, "%s.%s" % (path, key), errors)


def strict(schema):
    """The CRD's schema with unknown fields rejected: what the API server's strict field validation does."""
    if isinstance(schema, dict):
        out = {k: strict(v) for k, v in schema.items() if k != "properties"}
        if "properties" in schema:
            out["properties"] = {k: strict(v) for k, v in schema["properties"].items()}
            if not schema.get("x-kubernetes-preserve-unknown-fields"):
                out["additionalProperties"] = False
        if schema.get("x-kubernetes-int-or-string"):
            out.pop("type", None)
            out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
        return out
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    return schema


def check_mpijob(doc, validator, where, errors):
    for e in validator.iter_errors(doc):
        errors.append("%s: %s: %s" % (where, "/".join(str(p) for p in e.absolute_path), e.message))
    specs = doc.get("spec", {}).get("mpiReplicaSpecs", {})
    # mpi-operator's pkg/apis/kubeflow/validation/validation.go
    if set(specs) != {"Launcher", "Worker"}:
        errors.append("%s: mpiReplicaSpecs must be exactly Launcher and Worker, got %s" % (where, sorted(specs)))
        return
    if specs["Launcher"].get("replicas") != 1:
        errors.append("%s: Launcher replicas must be 1" % where)
    if specs["Worker"].get("replicas", 0) < 1:
        errors.append("%s: Worker replicas must be at least 1" % where)
    policy = doc["spec"].get("runPolicy", {}).get("cleanPodPolicy")
    if policy not in ("None", "Running", "All"):
        errors.append("%s: runPolicy.cleanPodPolicy must be None, Running or All, got %r" % (where, policy))
    name = doc["metadata"].get("name") or doc["metadata"].get("generateName", "")
    if len(name.rstrip("-")) + len("-worker-%d" % (specs["Worker"]["replicas"] - 1)) + (5 if "generateName" in
                                                                                           doc["metadata"] else 0) > 63:
        errors.append("%s: the job name is too long for its worker pods' DNS names" % where)
    for role, spec in specs.items():
        template = spec["template"]
        check_model(template, "V1PodTemplateSpec", "%s: %s.template" % (where, role), errors)
        if "restartPolicy" in template.get("spec", {}):
            errors.append("%s: %s: set restartPolicy on the replica, not the pod (mpi-operator overrides it)" %
                          (where, role))
    # The launcher's ranks and hosts.
    args = specs["Launcher"]["template"]["spec"]["containers"][0].get("args", [])
    workers, slots = specs["Worker"]["replicas"], doc["spec"].get("slotsPerWorker", 1)

    def after(flag):
        return int(args[args.index(flag) + 1]) if flag in args else None
    if "--hostfile" not in args:
        errors.append("%s: the launcher must pass --hostfile (Open MPI 5 ignores mpi-operator's orte_* settings)" %
                      where)
    if after("-n") != workers * slots:
        errors.append("%s: mpirun -n %s, but %d workers x %d slots" % (where, after("-n"), workers, slots))
    if after("--expect-ranks") != workers * slots or after("--expect-hosts") != workers:
        errors.append("%s: --expect-ranks %s / --expect-hosts %s, want %d / %d" %
                      (where, after("--expect-ranks"), after("--expect-hosts"), workers * slots, workers))


def documents(path):
    """Every object in `path` and every YAML document a ConfigMap in it holds, with where it came from."""
    for i, doc in enumerate(yaml.safe_load_all(open(path))):
        where = "%s[%d] %s" % (os.path.basename(path), i, doc.get("kind"))
        yield doc, where
        if doc.get("kind") == "ConfigMap":
            for key, text in doc.get("data", {}).items():
                if key.endswith(".yaml"):
                    for j, inner in enumerate(yaml.safe_load_all(text)):
                        yield inner, "%s data.%s[%d] %s" % (where, key, j, inner.get("kind"))


def check(doc, where, validator):
    errors = []
    key = (doc.get("apiVersion"), doc.get("kind"))
    if key == ("kubeflow.org/v2beta1", "MPIJob"):
        check_mpijob(doc, validator, where, errors)
    elif key in CORE:
        check_model(doc, CORE[key], where, errors)
    else:
        errors.append("%s: %s %s is not a kind this check knows" % (where, *key))
    return errors


def main():
    k8s_dir, crd_path = sys.argv[1], sys.argv[2]
    crd = next(d for d in yaml.safe_load_all(open(crd_path)) if d and d.get("kind") == "CustomResourceDefinition")
    version = next(v for v in crd["spec"]["versions"] if v["name"] == "v2beta1")
    validator = jsonschema.Draft7Validator(strict(version["schema"]["openAPIV3Schema"]))
    files = sorted(glob.glob(os.path.join(k8s_dir, "*.yaml")))
    assert files, "no manifests in " + k8s_dir
    all_docs = [d for f in files for d in documents(f)]
    mpijob = next(d for d, _ in all_docs if d.get("kind") == "MPIJob")
    cron = next(d for d, _ in all_docs if d.get("kind") == "CronJob")

    # The checker can fail: an unknown field, a wrong type, a bad replica count, a rank count that disagrees.
    bad = copy.deepcopy(mpijob)
    bad["spec"]["slotsPerWorkers"] = 8
    bad["spec"]["mpiReplicaSpecs"]["Worker"]["template"]["spec"]["containers"][0]["imagePullPolicie"] = "Always"
    bad["spec"]["mpiReplicaSpecs"]["Launcher"]["replicas"] = 2
    bad["spec"]["mpiReplicaSpecs"]["Worker"]["replicas"] = 3
    caught = check(bad, "bad MPIJob", validator)
    for needle in ("slotsPerWorkers", "imagePullPolicie", "Launcher replicas must be 1", "mpirun -n 16, but 3 workers"):
        assert any(needle in e for e in caught), "the check misses %r: %s" % (needle, caught)
    bad = copy.deepcopy(cron)
    bad["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["comand"] = ["x"]
    bad["spec"]["successfulJobsHistoryLimit"] = "7"
    caught = check(bad, "bad CronJob", validator)
    for needle in ("comand: unknown field", "successfulJobsHistoryLimit: want int"):
        assert any(needle in e for e in caught), "the check misses %r: %s" % (needle, caught)
    print("the check rejects unknown fields, wrong types, bad replicas and rank counts that disagree")

    failures = []
    for doc, where in all_docs:
        errors = check(doc, where, validator)
        print(("ok   " if not errors else "FAIL ") + where)
        failures += errors
    for e in failures:
        print("  " + e)
    kinds = sorted({d.get("kind") for d, _ in all_docs})
    print("%d objects (%s) in %d files: %s" % (len(all_docs), ", ".join(kinds), len(files),
                                                "PASS" if not failures else "FAIL"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
