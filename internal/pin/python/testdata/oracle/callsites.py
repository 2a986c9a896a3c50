#!/usr/bin/env python3
"""CPython oracle for the pins a Python build script passes to calls.

Runs FILE with real CPython, every import of a module that is not in the
standard library replaced by a stub whose attributes are recorders, and
prints the unique (url, sha256) pairs the recorders were called with, as a
JSON list sorted by (url, sha256). A recorder's keyword arguments are a
record: url, urls and *_url name URLs (a list is mirrors), sha256 and
*_sha256 digests; one digest pairs with every URL, several pair by stem
(kernel_url with kernel_sha256), as internal/pin's Fields.Pair does.

This runs the script's code, so only point it at trusted files (the
project's own testdata).

Usage: python3 callsites.py FILE
"""

import importlib.abc
import importlib.machinery
import json
import sys
import types

sys.dont_write_bytecode = True
RECORDS = []


class Recorder:
    def __init__(self, name):
        self.name = name

    def __call__(self, *args, **kwargs):
        RECORDS.append(kwargs)
        return Recorder(self.name + "()")

    def __getattr__(self, attr):
        return Recorder(self.name + "." + attr)


class StubModule(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return Recorder(self.__name__ + "." + attr)


class StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in sys.stdlib_module_names:
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        return StubModule(spec.name)

    def exec_module(self, module):
        module.__path__ = []


def role(key):
    k = key.lower()
    if k in ("url", "urls"):
        return "url", ""
    if k.endswith("_url"):
        return "url", k[: -len("_url")]
    if k.endswith("_urls"):
        return "url", k[: -len("_urls")]
    if k == "sha256":
        return "digest", ""
    if k.endswith("_sha256"):
        return "digest", k[: -len("_sha256")]
    return None, None


def pairs(record):
    urls, digests = {}, {}
    for key, value in record.items():
        r, stem = role(key)
        if r == "url":
            vals = value if isinstance(value, (list, tuple)) else [value]
            urls.setdefault(stem, []).extend(v for v in vals if isinstance(v, str))
        elif r == "digest" and isinstance(value, str):
            digests[stem] = value
    out = []
    for stem, digest in digests.items():
        if len(digests) == 1:
            targets = [u for us in urls.values() for u in us]
        else:
            targets = urls.get(stem, [])
        out.extend({"url": u, "sha256": digest} for u in targets)
    return out


def main():
    sys.meta_path.insert(0, StubFinder())
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        code = compile(f.read(), path, "exec")
    exec(code, {"__name__": "pindrift_callsites_target", "__file__": path})
    seen = {}
    for rec in RECORDS:
        for p in pairs(rec):
            seen[(p["url"], p["sha256"])] = p
    print(json.dumps([seen[k] for k in sorted(seen)]))


if __name__ == "__main__":
    main()
