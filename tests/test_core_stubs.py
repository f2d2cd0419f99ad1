"""The stubs of the compiled module (``python/affectkit/_core/*.pyi``, one per ``_core``
submodule) list exactly what ``affectkit._core`` and each of its submodules export, with
the same parameter names; each submodule imports as ``affectkit._core.<area>``."""

import ast
import importlib
import inspect
import sys
import types
from pathlib import Path

import pytest

import affectkit
from affectkit import _core

STUBS = Path(affectkit.__file__).resolve().parent / "_core"
SUBMODULES = sorted(n for n, v in vars(_core).items() if isinstance(v, types.ModuleType))


def _module(name):
    return _core if name == "__init__" else getattr(_core, name)


def _stub(name):
    """`{name: ast node}` of what the stub file declares (functions, classes, annotated
    constants); plain assignments are private type aliases, imports name the submodules."""
    out = {}
    for node in ast.parse((STUBS / f"{name}.pyi").read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            out[node.name] = node
        elif isinstance(node, ast.AnnAssign):
            out[node.target.id] = node
    return out


def _exports(mod):
    return {n for n, v in vars(mod).items()
            if not isinstance(v, types.ModuleType) and (n == "__version__" or not n.startswith("__"))}


def _params(node):
    a = node.args
    return [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs if p.arg != "self"]


def test_one_stub_per_submodule():
    assert SUBMODULES == ["audio", "face", "labels", "metrics", "models", "pooling", "synth"]
    assert sorted(p.stem for p in STUBS.glob("*.pyi")) == sorted(["__init__", *SUBMODULES])
    tree = ast.parse((STUBS / "__init__.pyi").read_text())
    imported = sorted(a.name for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 1 for a in n.names)
    assert imported == SUBMODULES


@pytest.mark.parametrize("name", SUBMODULES)
def test_submodules_import_by_their_dotted_name(name):
    mod = importlib.import_module(f"affectkit._core.{name}")
    assert mod is getattr(_core, name) is sys.modules[f"affectkit._core.{name}"]
    assert mod.__name__ == f"affectkit._core.{name}"
    for fn in vars(mod).values():
        if isinstance(fn, types.BuiltinFunctionType):
            assert fn.__module__ == mod.__name__


@pytest.mark.parametrize("name", ["__init__", *SUBMODULES])
def test_stub_lists_exactly_what_the_module_exports(name):
    mod, stub = _module(name), _stub(name)
    assert sorted(stub) == sorted(_exports(mod)), f"_core/{name}.pyi"
    for n, node in stub.items():
        obj = getattr(mod, n)
        if isinstance(node, ast.FunctionDef):
            assert _params(node) == list(inspect.signature(obj).parameters), f"{name}.{n}"
        elif isinstance(node, ast.ClassDef):
            members = {m.name: m for m in node.body if isinstance(m, ast.FunctionDef)}
            public = {m for m in vars(obj) if not m.startswith("_")}
            assert {m for m in members if not m.startswith("_")} == public, f"{name}.{n}"
            assert obj.__module__ == mod.__name__  # pickles find the class


def test_no_name_prefixes_left():
    # `_core.labels.majority`, not `_core.labels_majority`
    for name in ["__init__", *SUBMODULES]:
        for n in _exports(_module(name)):
            assert not n.startswith(tuple(f"{s}_" for s in ("audio", "face", "labels", "metrics", "models", "synth"))), n
