"""Model-file state helpers: JSON conversion and checks of what a model file holds."""

from __future__ import annotations

from typing import Any, Optional
import numpy as np

_FLOATS = [np.float32, np.float64]

def _as_f32(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float32)

def _opt_f32(a: Optional[np.ndarray]) -> Optional[np.ndarray]:
    return None if a is None else _as_f32(a)

def _keep_fit(est: Any, fitted: Any) -> None:
    """Stores a ``_core`` fit result: ``network_`` and the training history."""
    network, loss_curve, validation_loss, best_epoch, held_out = fitted
    est.network_ = network
    est.loss_curve_ = list(loss_curve)
    est.validation_loss_ = list(validation_loss)
    est.best_epoch_ = int(best_epoch)
    est.validation_indices_ = np.asarray(held_out, dtype=np.intp)
    est.n_iter_ = len(loss_curve)

def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        # keys may be class labels of any type: keep them as [key, value] pairs
        return {"__pairs__": [[_jsonable(k), _jsonable(x)] for k, x in v.items()]}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v

def _from_jsonable(v: Any) -> Any:
    if isinstance(v, dict) and "__pairs__" in v:
        return {_key(k): _from_jsonable(x) for k, x in v["__pairs__"]}
    if isinstance(v, list):
        return tuple(_from_jsonable(x) for x in v)
    return v

def _key(k: Any) -> Any:
    return tuple(k) if isinstance(k, list) else k

class _Malformed(ValueError):
    """Metadata of a model file that does not describe a fitted model (load_model turns it
    into a ReadError naming the file)."""

def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise _Malformed(what)

def _vector(values: Any, n: int, name: str) -> np.ndarray:
    """``n`` finite numbers (positive ones for a scale) from a model file's metadata."""
    v = np.asarray(values, dtype=np.float64)
    positive = name == "input_scale_"
    _expect(v.shape == (n,) and bool(np.isfinite(v).all()) and (not positive or bool((v > 0).all())),
            f"{name} must hold {n} finite{' positive' if positive else ''} numbers")
    return v

def _record_from_state(rec: Any) -> Optional["dict[str, Any]"]:
    _expect(rec is None or (isinstance(rec, dict) and isinstance(rec.get("features"), dict) and "sr" in rec),
            "feature_settings_ is not a feature-settings record")
    return rec
