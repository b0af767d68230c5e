"""Shared helpers for the topology tests: run railcheck, load and validate JSON against results-schema/.

Environment (set by ctest): RAILCHECK_BIN, RAILCHECK_SOURCE_DIR, RAILCHECK_WORK_DIR.
"""
import json
import os
import sys

import jsonschema

# The helpers every railcheck python test shares live in tests/mpi/rctest.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mpi"))
from rctest import BIN, SOURCE_DIR, expect, fail, fresh_dir, schema  # noqa: E402,F401
from rctest import run_single as railcheck  # noqa: E402,F401

FIXTURES = os.path.join(SOURCE_DIR, "tests", "unit", "fixtures", "sysfs")
PROFILES = os.path.join(SOURCE_DIR, "suites", "profiles")


def validator(name):
    return jsonschema.Draft202012Validator(schema(name))


def load(path):
    with open(path) as f:
        return json.load(f)
