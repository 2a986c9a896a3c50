#!/usr/bin/env python3
"""Evaluates snippets with CPython for eval_test.go.

Reads a JSON list of {"src": ..., "expr": ...} on stdin; for each, runs src
in a fresh namespace (empty environment, Linux on x86_64), then prints the
repr of expr, or "raises <ExceptionType>" if either raises. Writes a JSON
list of results. Only ever given the project's own test snippets.
"""

import json
import os
import platform
import sys

platform.system = lambda: "Linux"
platform.machine = lambda: "x86_64"
sys.platform = "linux"
os.environ.clear()

out = []
for case in json.load(sys.stdin):
    ns = {"__name__": "__pindrift_manifest__"}
    try:
        exec(compile(case["src"], "<snippet>", "exec"), ns)
        out.append(repr(eval(case["expr"], ns)))
    except Exception as e:  # noqa: BLE001 - the type is the result
        out.append("raises " + type(e).__name__)
json.dump(out, sys.stdout)
