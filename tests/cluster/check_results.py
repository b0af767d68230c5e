#!/usr/bin/python3
"""check_results.py - checks a railcheck results document (DIR/results.json) from a cluster run.

    check_results.py RESULTS_JSON --hosts N [--collective NAME] [--schema FILE]

Always: valid JSON with schema_version, manifest.hosts = N distinct names, manifest.ranks naming only those
hosts, at least one record, and every wrong_elements found (record and per rank) == 0.
--collective NAME: also every record has the collective-record fields of the CLI contract, NAME appears,
and each record's ranks span the N hosts.
--schema FILE: also validate against that JSON Schema (python3-jsonschema); if FILE does not exist the
check is reported as not done. Exit 0 = all checks pass, 1 = a check failed.
"""
import argparse
import json
import os
import sys

RECORD_FIELDS = {"collective": str, "size_bytes": int, "in_place": bool, "time_us": (int, float),
                 "algbw_gbps": (int, float), "busbw_gbps": (int, float), "wrong_elements": int,
                 "ranks": list}
RANK_FIELDS = {"rank": int, "host": str, "time_us": (int, float), "wrong_elements": int}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--hosts", type=int, required=True, help="expected number of distinct hosts")
    ap.add_argument("--collective", help="expect collective records of this name (e.g. all_reduce)")
    ap.add_argument("--schema", help="JSON Schema file to validate against, if it exists")
    args = ap.parse_args()
    errors = []

    def check(cond, msg):
        if not cond:
            errors.append(msg)
        return cond

    try:
        with open(args.results) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print(f"FAIL: cannot read {args.results}: {e}")
        return 1

    if args.schema:
        if os.path.exists(args.schema):
            import jsonschema
            with open(args.schema) as f:
                schema = json.load(f)
            try:
                jsonschema.validate(doc, schema)
                print(f"schema: valid against {args.schema}")
            except jsonschema.ValidationError as e:
                check(False, f"schema: {e.message} at /{'/'.join(map(str, e.absolute_path))}")
        else:
            print(f"schema: {args.schema} does not exist; schema validation not done")

    check("schema_version" in doc, "no top-level schema_version")
    manifest = doc.get("manifest", {})
    hosts = manifest.get("hosts", [])
    check(isinstance(hosts, list) and len(hosts) == len(set(hosts)) == args.hosts,
          f"manifest.hosts = {hosts}, want {args.hosts} distinct")
    ranks = manifest.get("ranks", [])
    check(isinstance(ranks, list) and len(ranks) >= args.hosts, f"manifest.ranks has {len(ranks)} entries")
    check(all(r.get("host") in hosts for r in ranks), "a manifest rank names a host not in manifest.hosts")
    check(len({r.get("host") for r in ranks}) == args.hosts, "manifest.ranks do not span the hosts")
    every = doc.get("records", [])
    check(isinstance(every, list) and every, "no records")
    # Collective records (those without "kind" were written before kinds); each host's telemetry beside them.
    records = [r for r in every if isinstance(r, dict) and r.get("kind", "collective") == "collective"]
    telemetry_hosts = {r.get("host") for r in every if isinstance(r, dict) and r.get("kind") == "telemetry"}
    check(telemetry_hosts == set(hosts), f"telemetry records of hosts {sorted(map(str, telemetry_hosts))}, "
          f"want every host {hosts} (one sampler per host)")

    wrong = 0
    for i, rec in enumerate(records):
        w = rec.get("wrong_elements", 0)
        w_ranks = sum(r.get("wrong_elements", 0) for r in rec.get("ranks", []) if isinstance(r, dict))
        check(w == 0 and w_ranks == 0, f"record {i} ({rec.get('collective')} {rec.get('size_bytes')} B): "
              f"wrong_elements {w}, per rank {w_ranks}")
        wrong += w
        if not args.collective:
            continue
        for k, t in RECORD_FIELDS.items():
            check(isinstance(rec.get(k), t) and not (t is int and isinstance(rec.get(k), bool)),
                  f"record {i}: field {k} missing or not {t}")
        for r in rec.get("ranks", []):
            for k, t in RANK_FIELDS.items():
                check(isinstance(r.get(k), t), f"record {i}: rank entry {r} lacks {k}")
        check({r.get("host") for r in rec.get("ranks", [])} == set(hosts),
              f"record {i}: ranks do not span the {args.hosts} hosts")
    if args.collective:
        check(any(r.get("collective") == args.collective for r in records), f"no {args.collective} record")

    colls = sorted({str(r.get("collective")) for r in records})
    print(f"{args.results}: schema_version={doc.get('schema_version')} hosts={hosts} "
          f"ranks={len(ranks)} records={len(records)} collectives={colls} wrong_elements={wrong}")
    for e in errors:
        print(f"FAIL: {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
