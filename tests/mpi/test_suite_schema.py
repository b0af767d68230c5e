"""Every suite in suites/ validates against suite.schema.json, and railcheck rejects what the schema rejects."""
import glob
import json
import os

import jsonschema

from rctest import SOURCE_DIR, expect, fresh_dir, run_single, schema

validator = jsonschema.Draft202012Validator(schema("suite.schema.json"))
suites = glob.glob(os.path.join(SOURCE_DIR, "suites", "*.json"))
expect(suites, "suites/ has suite files")
for path in suites:
    with open(path) as f:
        validator.validate(json.load(f))
    print("valid:", path)

work = fresh_dir("suite-schema")
bad_documents = {
    "unknown_field": {"schema_version": 1, "name": "x", "tests": [{"collective": "all_reduce", "iter": 5}]},
    "wrong_version": {"schema_version": 2, "name": "x", "tests": [{"collective": "all_reduce"}]},
    "no_tests": {"schema_version": 1, "name": "x", "tests": []},
    "bad_dtype": {"schema_version": 1, "name": "x", "tests": [{"collective": "all_reduce", "dtype": "fp8"}]},
    "zero_iters": {"schema_version": 1, "name": "x", "tests": [{"collective": "all_reduce", "iters": 0}]},
    "bad_size": {"schema_version": 1, "name": "x", "tests": [{"collective": "all_reduce", "min_bytes": "1Q"}]},
}
for name, document in bad_documents.items():
    expect(not validator.is_valid(document), "schema rejects %s" % name)
    path = os.path.join(work, name + ".json")
    with open(path, "w") as f:
        json.dump(document, f)
    result = run_single(["run", path])
    expect(result.returncode == 2, "railcheck rejects %s with exit 2 (got %d)" % (name, result.returncode))
    expect(path in result.stderr, "railcheck's message names the file for %s" % name)
print("PASS")
