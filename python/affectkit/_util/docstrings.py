"""Docstring helpers: one text documents the keywords several functions accept."""

from __future__ import annotations

from typing import Any


def _with_keywords(table: "dict[str, str]") -> Any:
    """Decorator: replace each ``{{name}}`` line of the function's docstring by
    ``table[name]`` (dedented, then indented as the marker), so that one text documents the
    keywords several functions accept."""
    import textwrap

    def fill(func: Any) -> Any:
        out = []
        for line in (func.__doc__ or "").split("\n"):
            stripped = line.strip()
            if stripped.startswith("{{") and stripped.endswith("}}"):
                indent = line[: len(line) - len(line.lstrip())]
                text = textwrap.dedent(table[stripped[2:-2]]).strip("\n")
                out += [indent + t if t else "" for t in text.split("\n")]
            else:
                out.append(line)
        func.__doc__ = "\n".join(out)
        return func

    return fill
