"""Argument checks shared by the face functions (schemes, landmark arrays, frames)."""

from __future__ import annotations

import warnings
from typing import Any, Dict, Mapping, Sequence, Tuple
import numpy as np
from ..errors import InputTypeError, ParameterError

from .scheme import SCHEMES

def _scheme_args(scheme: Any) -> Dict[str, Any]:
    if isinstance(scheme, str):
        return {"scheme_name": scheme}
    if isinstance(scheme, Mapping):
        n_points = scheme.get("n_points")
        if n_points is None:
            raise ParameterError("scheme: a user scheme needs 'n_points' as well as its regions")
        regions = []
        for k, v in scheme.items():
            if k == "n_points":
                continue
            regions.append((str(k), [int(i) for i in np.asarray(v).ravel()]))
        return {"regions": regions, "n_points": int(n_points)}
    raise InputTypeError(
        f"scheme: expected a name from {SCHEMES} or a dict of regions, got {type(scheme).__name__}"
    )


def _landmarks(landmarks: Any, name: str = "landmarks") -> Tuple[np.ndarray, bool]:
    a = np.asarray(landmarks)
    if a.dtype == object or a.dtype.kind not in "fiu":
        raise InputTypeError(f"{name}: expected a numeric array of landmark coordinates, got dtype {a.dtype}")
    single = a.ndim == 2
    if single:
        a = a[None]
    if a.ndim != 3:
        raise ParameterError(
            f"{name}: expected an array of shape (n_frames, n_points, 2|3) or (n_points, 2|3), "
            f"got shape {np.shape(landmarks)}"
        )
    return np.ascontiguousarray(a, dtype=np.float64), single


def _warn_degenerate(n: int) -> None:
    if n:
        warnings.warn(
            f"{n} frame(s) had a zero inter-ocular distance (degenerate face); their rows are NaN",
            RuntimeWarning,
            stacklevel=3,
        )


def _matrix(x: Any, name: str) -> Tuple[np.ndarray, bool]:
    a = np.asarray(x)
    if a.dtype == object or a.dtype.kind not in "fiub":
        raise InputTypeError(f"{name}: expected a numeric array, got dtype {a.dtype}")
    one = a.ndim == 1
    if one:
        a = a[:, None]
    if a.ndim != 2:
        raise ParameterError(f"{name}: expected (n_frames, n_features) or (n_frames,), got shape {np.shape(x)}")
    return np.ascontiguousarray(a, dtype=np.float64), one


def _as_frame(values: np.ndarray, columns: Sequence[str]) -> Any:
    import pandas as pd

    return pd.DataFrame(values, columns=list(columns))
