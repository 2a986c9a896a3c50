#!/usr/bin/env python3
"""CPython oracle for pindrift's static manifest evaluator.

Imports a manifest with real CPython (third-party and project imports are
stubbed) and prints the unique (url, sha256) pins reachable from the
requested module-level symbols, as a JSON list sorted by (url, sha256).

Usage:
    python3 oracle.py FILE [--symbols A,B|all] [--env NAME=VALUE]...
                           [--platform linux|darwin|windows[/MACHINE]]

The pin rules mirror internal/manifest: walk the symbols through dicts,
lists, tuples, sets and records (instances of classes defined in the
module); in each record or string-keyed dict a field ``<prefix>url`` pairs
with ``<prefix>sha256`` (preferred) or ``<prefix>sha``. Only pairs whose
URL and SHA are both str count, and a SHA that is not 64 hex digits is
invalid and skipped.

This runs the manifest's code, so only point it at trusted files (the
project's own testdata and the published fixtures).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import platform
import re
import sys
import types
import typing

# Imported before the platform is faked so their import-time checks of
# sys.platform see the real host. Manifests may import any of these.
import collections  # noqa: F401
import enum  # noqa: F401
import functools  # noqa: F401
import itertools  # noqa: F401
import pathlib  # noqa: F401
import string  # noqa: F401
import textwrap  # noqa: F401

# Importing a manifest must not leave __pycache__ beside it.
sys.dont_write_bytecode = True

DEFAULT_SYMBOLS = ("BASE_KERNELS", "MANIFEST")
MODULE_NAME = "pindrift_oracle_target"
HEX64 = re.compile(r"[0-9a-fA-F]{64}")

# name -> (platform.system(), platform.machine(), sys.platform), as in
# manifest.ParsePlatform.
PLATFORMS = {
    "linux": ("Linux", "x86_64", "linux"),
    "darwin": ("Darwin", "x86_64", "darwin"),
    "macos": ("Darwin", "x86_64", "darwin"),
    "windows": ("Windows", "AMD64", "win32"),
}


# --- stubs ---------------------------------------------------------------

_MISSING = object()


class FieldInfo:
    """Stand-in for pydantic.Field(...)'s return value."""

    def __init__(self, default=_MISSING, *, default_factory=None, **_kw):
        self.default = default
        self.default_factory = default_factory


def Field(default=_MISSING, **kw):  # noqa: N802 - pydantic's spelling
    return FieldInfo(default, **kw)


def ConfigDict(**kw):  # noqa: N802 - pydantic's spelling
    return dict(kw)


def _is_classvar(annotation) -> bool:
    if isinstance(annotation, str):
        a = annotation.strip()
        return a.startswith(("ClassVar", "typing.ClassVar", "t.ClassVar"))
    return annotation is typing.ClassVar or typing.get_origin(annotation) is typing.ClassVar


class BaseModel:
    """Enough of pydantic.BaseModel for manifests: fields are the annotated
    names of the class and its model bases (ClassVar excluded), filled from
    keyword or positional arguments, else from the class-body default."""

    model_config: typing.ClassVar[dict] = {}
    __pindrift_fields__: typing.ClassVar[dict] = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        fields = {}
        for klass in reversed(cls.__mro__):
            if klass is object or klass is BaseModel:
                continue
            for name, ann in klass.__dict__.get("__annotations__", {}).items():
                if _is_classvar(ann) or name == "model_config":
                    continue
                fields[name] = klass.__dict__.get(name, _MISSING)
        cls.__pindrift_fields__ = fields

    def __init__(self, *args, **kwargs):
        fields = type(self).__pindrift_fields__
        names = list(fields)
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__}: too many positional arguments")
        values = dict(zip(names, args))
        for k, v in kwargs.items():
            if k not in fields:
                raise TypeError(f"{type(self).__name__}: unexpected field {k!r}")
            if k in values:
                raise TypeError(f"{type(self).__name__}: field {k!r} given twice")
            values[k] = v
        for name, default in fields.items():
            if name in values:
                continue
            if isinstance(default, FieldInfo):
                if default.default_factory is not None:
                    default = default.default_factory()
                else:
                    default = default.default
            if default is _MISSING:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")
            values[name] = default
        for name in names:
            object.__setattr__(self, name, values[name])

    def model_copy(self, *, update=None, deep=False):
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.__dict__.update(update or {})
        return new

    def model_dump(self):
        return {name: getattr(self, name) for name in type(self).__pindrift_fields__}

    def __repr__(self):
        inner = ", ".join(f"{k}={getattr(self, k)!r}" for k in type(self).__pindrift_fields__)
        return f"{type(self).__name__}({inner})"


class _Anything:
    """Accepts any construction; stands in for project classes."""

    def __init__(self, *args, **kwargs):
        self.args = args
        self.kwargs = kwargs


class _Opaque:
    """An attribute of a module that does not exist here."""

    def __init__(self, name: str):
        self._name = name

    def __repr__(self):
        return f"<stub {self._name}>"

    __str__ = __repr__

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Opaque(f"{self._name}.{attr}")

    def __call__(self, *args, **kwargs):
        return _Opaque(f"{self._name}()")


def _populate(module: types.ModuleType) -> None:
    name = module.__name__
    if name == "pydantic":
        module.BaseModel = BaseModel
        module.ConfigDict = ConfigDict
        module.Field = Field
        module.FieldInfo = FieldInfo
    elif name == "smolvm":
        module.__version__ = "0.0.0"
    elif name == "smolvm.exceptions":
        module.SmolVMError = type("SmolVMError", (Exception,), {})
        module.ImageError = type("ImageError", (module.SmolVMError,), {})
    elif name == "smolvm.images.manager":
        for cls in ("ImageManager", "ImageSource", "LocalImage"):
            setattr(module, cls, type(cls, (_Anything,), {}))

    def __getattr__(attr):  # PEP 562: anything else is an opaque stub
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _Opaque(f"{name}.{attr}")

    module.__getattr__ = __getattr__


class _StubLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__path__ = []  # a package, so submodules import too
        _populate(module)


class _StubFinder(importlib.abc.MetaPathFinder):
    """Fabricates modules. With forced names it runs first so installed
    copies (a real pydantic) are not used; otherwise it runs last and
    catches whatever nothing else could import."""

    def __init__(self, forced=None):
        self.forced = forced

    def find_spec(self, fullname, path=None, target=None):
        if self.forced is not None and fullname.split(".")[0] not in self.forced:
            return None
        return importlib.machinery.ModuleSpec(fullname, _StubLoader(), is_package=True)


def install_stubs() -> None:
    sys.meta_path.insert(0, _StubFinder(forced={"pydantic", "smolvm"}))
    sys.meta_path.append(_StubFinder())


# --- environment -----------------------------------------------------------


def fake_platform(spec: str) -> None:
    name, _, machine = spec.strip().partition("/")
    try:
        system, default_machine, sys_platform = PLATFORMS[name.lower()]
    except KeyError:
        raise SystemExit(f"oracle: unknown platform {spec!r}") from None
    machine = machine or default_machine
    platform.system = lambda: system
    platform.machine = lambda: machine
    sys.platform = sys_platform


def set_environ(pairs: list[str]) -> None:
    env = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"oracle: --env wants NAME=VALUE, got {pair!r}")
        env[name] = value
    os.environ.clear()
    os.environ.update(env)


def load(path: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(MODULE_NAME, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"oracle: cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE_NAME] = module  # dataclasses looks the module up
    spec.loader.exec_module(module)
    return module


# --- walking -----------------------------------------------------------------


def record_fields(value) -> list[tuple[str, object]] | None:
    """The (name, value) fields of a record, or None if value is none."""
    if isinstance(value, (type, types.ModuleType, types.FunctionType, types.MethodType)):
        return None
    cls = type(value)
    if cls.__module__ != MODULE_NAME:
        return None
    if dataclasses.is_dataclass(value):
        return [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, tuple) and hasattr(cls, "_fields"):
        return list(zip(cls._fields, value))
    out = []
    seen = set()
    for klass in reversed(cls.__mro__):
        if klass is object or klass is BaseModel:
            continue
        for name, ann in klass.__dict__.get("__annotations__", {}).items():
            if name in seen or _is_classvar(ann) or name == "model_config":
                continue
            seen.add(name)
            v = getattr(value, name, _MISSING)
            if v is not _MISSING:
                out.append((name, v))
    return out


def pair(fields: list[tuple[str, object]], pins: set) -> None:
    by_name = dict(fields)
    for name, url in fields:
        if not name.endswith("url"):
            continue
        prefix = name[: -len("url")]
        for sha_name in (prefix + "sha256", prefix + "sha"):
            if sha_name in by_name:
                sha = by_name[sha_name]
                break
        else:
            continue
        if not isinstance(url, str) or not isinstance(sha, str):
            continue
        if HEX64.fullmatch(sha) is None:
            continue  # invalid SHA: a finding, never a pin
        pins.add((url, sha))


def walk(value, pins: set, stack: set) -> None:
    if id(value) in stack:
        return
    stack.add(id(value))
    try:
        fields = record_fields(value)
        if fields is not None:
            pair(fields, pins)
            for _, v in fields:
                walk(v, pins, stack)
        elif isinstance(value, dict):
            pair([(k, v) for k, v in value.items() if isinstance(k, str)], pins)
            for v in value.values():
                walk(v, pins, stack)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for v in value:
                walk(v, pins, stack)
    finally:
        stack.discard(id(value))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--symbols", default=",".join(DEFAULT_SYMBOLS))
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--platform", default="linux")
    args = ap.parse_args(argv)

    install_stubs()
    set_environ(args.env)
    fake_platform(args.platform)
    module = load(args.file)

    if args.symbols.strip() == "all":
        names = [n for n in vars(module) if not (n.startswith("__") and n.endswith("__"))]
    else:
        names = [n.strip() for n in args.symbols.split(",") if n.strip()]

    pins: set = set()
    for name in names:
        if name in vars(module):
            walk(vars(module)[name], pins, set())

    out = [{"url": u, "sha256": s} for u, s in sorted(pins)]
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
