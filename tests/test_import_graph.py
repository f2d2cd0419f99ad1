"""affectkit's modules import each other without circles.

The graph is read from the source (ast): every ``import`` / ``from ... import`` of an
affectkit module, at module level or inside a function (a lazy import still ties the two
modules together), is an edge. ``from pkg import name`` is an edge to ``pkg.name`` when that
is a module, else to ``pkg`` (its ``__init__``). A package's ``__init__`` importing its own
modules is how a package publishes its names and is the one kind of edge a module may not
answer: a module of a package that imports the package's ``__init__`` makes a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import affectkit

PACKAGE = Path(affectkit.__file__).resolve().parent


def _modules() -> "dict[str, Path]":
    out = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        rel = p.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    out["affectkit._core"] = PACKAGE / "_core" / "__init__.pyi"  # the compiled module (its stubs import only each other)
    return out


def _resolve(module: str, is_package: bool, level: int, name: "str | None") -> str:
    base = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def import_graph() -> "dict[str, set[str]]":
    """module -> the affectkit modules it imports (module level and inside functions)."""
    mods = _modules()
    graph: "dict[str, set[str]]" = {m: set() for m in mods}
    for mod, path in mods.items():
        is_pkg = path.name in ("__init__.py", "__init__.pyi")
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("affectkit")]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = _resolve(mod, is_pkg, node.level, node.module)
                elif node.module and node.module.startswith("affectkit"):
                    base = node.module
                else:
                    continue
                for a in node.names:
                    sub = f"{base}.{a.name}"
                    targets.append(sub if sub in mods else base)
            for t in targets:
                while t not in mods and "." in t:
                    t = t.rpartition(".")[0]
                if t in mods and t != mod:
                    graph[mod].add(t)
    return graph


def _cycles(graph: "dict[str, set[str]]") -> "list[list[str]]":
    # Tarjan's strongly connected components; every component with more than one module is a circle
    index: "dict[str, int]" = {}
    low: "dict[str, int]" = {}
    stack: "list[str]" = []
    on: "set[str]" = set()
    out = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_graph_sees_the_package():
    graph = import_graph()
    assert "affectkit.features.extract" in graph["affectkit.cli.extract"] or any(
        m.startswith("affectkit.features") for m in graph["affectkit.cli.extract"])
    assert "affectkit.errors" in graph["affectkit.labels._table"]
    assert len(graph) > 40


def test_no_import_circles():
    assert _cycles(import_graph()) == []


def test_a_circle_is_found():
    # the checker itself can fail
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_affectkit_cli_is_the_entry_point():
    # pyproject's console script and ``python -m affectkit``
    import tomllib

    # the checkout's pyproject (the package may be installed elsewhere, e.g. `pip install .`)
    root = Path(__file__).resolve().parents[1]
    scripts = tomllib.loads((root / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["affectkit"] == "affectkit.cli:main"
    from affectkit.cli import main

    assert callable(main)
