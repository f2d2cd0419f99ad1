"""Argument helpers shared by the audio functions (signals, dtype names)."""

from __future__ import annotations

from typing import Any
import numpy as np


def _signal(y: Any, name: str = "y") -> np.ndarray:
    if isinstance(y, np.ndarray):
        return y
    return np.asarray(y)


def _dtype_name(dtype: Any) -> str:
    try:
        return np.dtype(dtype).name
    except TypeError:
        return str(dtype)
