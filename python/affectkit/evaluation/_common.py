"""Small helpers shared by the evaluation modules."""

from __future__ import annotations

from typing import Any


def _missing(v: Any) -> bool:
    """None, NaN, pandas.NA and NaT: a missing cell."""
    if v is None or isinstance(v, str):
        return v is None
    try:
        import pandas as pd

        return bool(pd.isna(v))
    except (TypeError, ValueError):  # array-like cells are not missing
        return False
