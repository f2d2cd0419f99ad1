"""Argument helpers shared by the audio functions (signals, dtype names)."""

from __future__ import annotations

import inspect
from typing import Any, Callable
import numpy as np

from ..errors import ParameterError


def _signal(y: Any, name: str = "y") -> np.ndarray:
    if isinstance(y, np.ndarray):
        return y
    return np.asarray(y)


def _dtype_name(dtype: Any) -> str:
    try:
        return np.dtype(dtype).name
    except TypeError:
        return str(dtype)


def _keywords(func: Callable[..., Any], name: str, o: dict) -> dict:
    """``o`` with the keyword defaults of ``func``'s signature filled in (names that go to
    a ``**params`` catch-all are kept as given; ``n_jobs`` is how, not what, so left out;
    ``win``/``hop`` say which rows, recorded as the record's ``window``, not as parameters)."""
    sig = inspect.signature(func)
    out = {}
    catch_all = False
    for p in sig.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            catch_all = True
        elif p.kind is p.KEYWORD_ONLY and p.name not in ("n_jobs", "win", "hop"):
            out[p.name] = p.default
    unknown = [k for k in o if k not in out]
    if unknown and not catch_all:
        raise ParameterError(f"{unknown[0]}: not a parameter of {name}; accepted: {', '.join(out) or 'none'}")
    out.update(o)
    if "dtype" in out:
        out["dtype"] = _dtype_name(out["dtype"])
    return out
