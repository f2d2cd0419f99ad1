"""Feature settings: what a feature table was computed with, recorded with the table and
with every model trained on it.

A *settings record* is a small JSON-able dict::

    {"schema": 1,
     "affectkit_version": "0.1.0",          # recorded, never compared
     "sr": 16000,                           # the analysis rate (files were resampled to it)
     "pool": ["mean", "std"],               # frame statistics per item, or None (frames kept)
     "features": {"mfcc": {"definition": 1,  # DEFINITION_VERSIONS[name] when computed
                           "params": {"preset": "librosa", "n_mfcc": 20, ...}}},
     "window": {"win": 1.0, "hop": 0.5},    # only for features per window (win=/hop=)
     "audio": {"upsampled": ["item_7", ...]}}   # recorded, never compared

It travels with the data: ``DataFrame.attrs["affectkit"]`` in Python, the parquet schema
metadata key ``affectkit``, a ``<file>.json`` sidecar next to ``.csv`` and ``.npz``
tables, and the header of model files. Two records are *compatible* when they agree on
the analysis rate, the pooling, the windows (``win``/``hop``; a record without
``window`` is one row per clip) and, for every feature the first one names, its definition
version and parameters (see :func:`differences`). The package version and the audio notes
are recorded, not compared: a bug-fix release that leaves a feature's numbers unchanged
keeps its definition version.

>>> import affectkit as ak
>>> a = ak.settings.make({"mfcc": {"preset": "librosa", "n_mfcc": 20}}, sr=16000)
>>> b = ak.settings.make({"mfcc": {"preset": "kaldi", "n_mfcc": 13}}, sr=16000)
>>> ak.settings.differences(a, b)
["mfcc: preset 'librosa' vs 'kaldi'", 'mfcc: n_mfcc 20 vs 13']
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import math
import os
import warnings
from pathlib import Path
from typing import Any, Iterator, Mapping, Optional, Sequence

from .errors import ParameterError, ReadError, SettingsMismatchError

__all__ = ["KEY", "SCHEMA", "DEFINITION_VERSIONS", "make", "of", "attach", "differences", "check",
           "allow_mismatch", "to_json", "from_json", "sidecar_path", "write_sidecar", "read_sidecar",
           "read_file_settings", "describe"]

#: The key under which records live (DataFrame.attrs, parquet metadata, model headers).
KEY = "affectkit"
#: Version of the record's own layout.
SCHEMA = 1

#: Per-feature definition versions: bumped when a feature's numbers change (a new
#: reference version reproduced, a bug fixed that moves values), so that a model trained
#: on the old numbers refuses the new ones.
DEFINITION_VERSIONS: "dict[str, int]" = {
    "mfcc": 1,
    "logmel": 1,
    "egemaps": 5,
    "egemaps_lld": 4,
    "gemaps": 4,
    "gemaps_lld": 3,
    "prosody": 1,
    "voice_quality": 1,
    "f0": 1,
    "formants": 1,
}

_ALLOW_MISMATCH: "contextvars.ContextVar[bool]" = contextvars.ContextVar("affectkit_allow_mismatch", default=False)


def _version() -> str:
    from ._core import __version__

    return __version__


def _plain(value: Any, where: str) -> Any:
    """``value`` as JSON-able plain data (tuples become lists, NumPy scalars numbers)."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a dependency
        np = None
    if np is not None and isinstance(value, np.generic):
        value = value.item()
    if np is not None and isinstance(value, np.ndarray):
        value = value.tolist()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, where) for v in value]
    if callable(value):
        # a callable (e.g. a custom window function) cannot be compared by value
        return f"<callable {getattr(value, '__qualname__', type(value).__name__)}>"
    raise ParameterError(f"{where}: a setting must be plain data (numbers, strings, lists), got {type(value).__name__}")


def make(features: "Mapping[str, Mapping[str, Any]]", *, sr: float, pool: Optional[Sequence[str]] = None,
         upsampled: Optional[Sequence[str]] = None, definitions: Optional[Mapping[str, int]] = None,
         window: "Optional[Sequence[float]]" = None) -> "dict[str, Any]":
    """A settings record.

    Parameters
    ----------
    features : mapping of str to mapping
        Feature-set name -> every parameter it was computed with (resolved defaults
        included), e.g. ``{"mfcc": {"preset": "librosa", "n_mfcc": 20, ...}}``.
    sr : float
        The analysis sample rate in Hz (the rate the audio was resampled to).
    pool : sequence of str or None, default None
        Statistics each item's frames were pooled with, or None when frames are kept.
    upsampled : sequence of str or None, default None
        Items whose native rate was below what a feature needs (recorded, not compared).
    definitions : mapping of str to int or None, default None
        Definition version per feature; default :data:`DEFINITION_VERSIONS` (0 for a
        feature it does not know, e.g. a custom registered one).
    window : (win, hop) or None, default None
        Window length and hop in seconds of features computed per window
        (:mod:`affectkit.audio.windows`), recorded as ``{"win": ..., "hop": ...}``; None
        (no ``window`` key): one row per clip.

    Returns
    -------
    dict
        The record (plain JSON-able data).

    Examples
    --------
    >>> rec = make({"egemaps": {}}, sr=16000)
    >>> rec["features"]["egemaps"]["definition"] >= 1
    True
    """
    if not isinstance(features, Mapping):
        raise ParameterError(f"features: expected a mapping of feature name -> parameters, got {type(features).__name__}")
    defs = DEFINITION_VERSIONS if definitions is None else definitions
    rec: "dict[str, Any]" = {
        "schema": SCHEMA,
        "affectkit_version": _version(),
        "sr": _plain(sr, "sr"),
        "pool": None if pool is None else [str(s) for s in pool],
        "features": {
            str(name): {"definition": int(defs.get(name, 0)), "params": _plain(dict(params), str(name))}
            for name, params in features.items()
        },
    }
    if window is not None:
        win, hop = window
        rec["window"] = {"win": _plain(win, "win"), "hop": _plain(hop, "hop")}
    if upsampled:
        rec["audio"] = {"upsampled": [str(u) for u in upsampled]}
    return rec


def _valid(rec: Any, where: str) -> "dict[str, Any]":
    if not isinstance(rec, Mapping) or not isinstance(rec.get("features"), Mapping) or "sr" not in rec:
        raise ReadError(f"{where}: not an affectkit settings record (expected keys schema, sr, pool, features)")
    return dict(rec)


def of(obj: Any) -> Optional["dict[str, Any]"]:
    """The settings record an object carries, or None.

    Parameters
    ----------
    obj : DataFrame, fitted estimator or any object
        A DataFrame (``attrs["affectkit"]``), an estimator fitted on one
        (``feature_settings_``), or anything with a ``settings`` attribute (e.g.
        :class:`affectkit.torch.FeatureDataset`).

    Returns
    -------
    dict or None

    Examples
    --------
    >>> import pandas as pd
    >>> of(pd.DataFrame({"a": [1.0]})) is None
    True
    """
    attrs = getattr(obj, "attrs", None)
    if isinstance(attrs, Mapping) and attrs.get(KEY) is not None:
        return attrs[KEY]
    for name in ("feature_settings_", "settings"):
        rec = getattr(obj, name, None)
        if isinstance(rec, Mapping):
            return dict(rec)
    return None


def attach(frame: Any, record: Optional[Mapping[str, Any]]) -> Any:
    """Store ``record`` in ``frame.attrs`` (in place) and return ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
    record : dict or None
        None removes the record.

    Returns
    -------
    pandas.DataFrame
        ``frame`` itself.
    """
    if record is None:
        frame.attrs.pop(KEY, None)
    else:
        frame.attrs[KEY] = dict(record)
    return frame


def _fmt(v: Any) -> str:
    return repr(v)


def differences(expected: Mapping[str, Any], got: Mapping[str, Any],
                features: Optional[Sequence[str]] = None) -> "list[str]":
    """What differs between two records, as short phrases (empty when compatible).

    Compared: the analysis rate, the pooling, and for each feature of ``expected`` (or
    only those in ``features``) its definition version and every parameter. Not compared:
    the affectkit version and the audio notes.

    Parameters
    ----------
    expected : dict
        The reference record (e.g. a model's).
    got : dict
        The record to check (e.g. a table's).
    features : sequence of str or None, default None
        Restrict the comparison to these features.

    Returns
    -------
    list of str

    Examples
    --------
    >>> a = make({"egemaps": {}}, sr=16000)
    >>> differences(a, make({"egemaps": {}}, sr=8000))
    ['sample rate 16000 vs 8000']
    """
    out: "list[str]" = []
    if expected.get("sr") != got.get("sr"):
        out.append(f"sample rate {expected.get('sr')} vs {got.get('sr')}")
    if expected.get("pool") != got.get("pool"):
        out.append(f"pooling {expected.get('pool')} vs {got.get('pool')}")
    if expected.get("window") != got.get("window"):
        out.append(f"windows {_describe_window(expected)} vs {_describe_window(got)}")
    efeat = expected.get("features", {}) or {}
    gfeat = got.get("features", {}) or {}
    names = list(efeat) if features is None else [f for f in features if f in efeat]
    for name in names:
        if name not in gfeat:
            out.append(f"{name}: missing (has {', '.join(gfeat) or 'no features'})")
            continue
        e, g = efeat[name], gfeat[name]
        if e.get("definition") != g.get("definition"):
            out.append(f"{name}: definition version {e.get('definition')} vs {g.get('definition')}")
        ep, gp = e.get("params", {}) or {}, g.get("params", {}) or {}
        for key in list(ep) + [k for k in gp if k not in ep]:
            if ep.get(key, "<unset>") != gp.get(key, "<unset>"):
                out.append(f"{name}: {key} {_fmt(ep.get(key, '<unset>'))} vs {_fmt(gp.get(key, '<unset>'))}")
    return out


@contextlib.contextmanager
def allow_mismatch() -> Iterator[None]:
    """Inside this block :func:`check` warns instead of raising: for users who know that
    two settings give interchangeable numbers.

    Examples
    --------
    >>> with allow_mismatch():                                  # doctest: +SKIP
    ...     model.predict(table_with_other_settings)
    """
    token = _ALLOW_MISMATCH.set(True)
    try:
        yield
    finally:
        _ALLOW_MISMATCH.reset(token)


def _describe_window(record: Mapping[str, Any]) -> str:
    w = record.get("window")
    return "none (whole clips)" if not w else f"win {w.get('win')} s / hop {w.get('hop')} s"


def describe(record: Optional[Mapping[str, Any]]) -> str:
    """A one-line summary of a record: ``mfcc (preset librosa, n_mfcc 20), egemaps at
    16000 Hz, pooled mean/std``."""
    if not record:
        return "no recorded settings"
    parts = []
    for name, f in (record.get("features") or {}).items():
        p = f.get("params") or {}
        shown = ", ".join(f"{k} {v}" for k, v in p.items() if k in ("preset", "n_mfcc", "n_mels", "method", "version"))
        parts.append(f"{name} ({shown})" if shown else name)
    pool = record.get("pool")
    pooled = f", pooled {'/'.join(pool)}" if pool else ", frames"
    windows = f", per window ({_describe_window(record)})" if record.get("window") else ""
    return f"{', '.join(parts) or 'no features'} at {record.get('sr')} Hz{pooled}{windows}"


def check(expected: Optional[Mapping[str, Any]], got: Optional[Mapping[str, Any]], *,
          expected_name: str = "the model", got_name: str = "the input",
          features: Optional[Sequence[str]] = None) -> "list[str]":
    """Raise :class:`~affectkit.errors.SettingsMismatchError` when ``got`` was computed
    with other settings than ``expected``; the message names both sides and every
    difference. Returns the differences (empty when compatible).

    Nothing is checked when either side carries no record (a table made by hand, or
    one whose attributes scikit-learn stripped inside a pipeline). Inside
    :func:`allow_mismatch` a mismatch warns instead.

    Parameters
    ----------
    expected, got : dict or None
        The records to compare.
    expected_name, got_name : str
        How the message names the two sides (e.g. a model file and a table file).
    features : sequence of str or None, default None
        Restrict the comparison to these features.

    Returns
    -------
    list of str

    Examples
    --------
    >>> a = make({"mfcc": {"preset": "librosa"}}, sr=16000)
    >>> check(a, make({"mfcc": {"preset": "kaldi"}}, sr=16000), expected_name="model.ak", got_name="test.csv")
    Traceback (most recent call last):
    ...
    affectkit.errors.SettingsMismatchError: test.csv was computed with other feature settings than model.ak: mfcc: preset 'librosa' vs 'kaldi' (model.ak: mfcc (preset librosa) at 16000 Hz, frames; test.csv: mfcc (preset kaldi) at 16000 Hz, frames). Recompute the features with the model's settings, or wrap the call in affectkit.settings.allow_mismatch() if you know they are interchangeable.
    """
    if not expected or not got:
        return []
    diffs = differences(expected, got, features)
    if not diffs:
        return []
    message = (f"{got_name} was computed with other feature settings than {expected_name}: {'; '.join(diffs)} "
               f"({expected_name}: {describe(expected)}; {got_name}: {describe(got)}). Recompute the features with "
               f"the model's settings, or wrap the call in affectkit.settings.allow_mismatch() if you know they are "
               f"interchangeable.")
    if _ALLOW_MISMATCH.get():
        warnings.warn(message, stacklevel=3)
        return diffs
    raise SettingsMismatchError(message)


def to_json(record: Mapping[str, Any]) -> str:
    """The record as compact, key-sorted JSON text."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


def from_json(text: "str | bytes", where: str = "settings") -> "dict[str, Any]":
    """A record from JSON text (the record itself or ``{"affectkit": record}``);
    :class:`~affectkit.errors.ReadError` naming ``where`` when it is not one."""
    try:
        rec = json.loads(text)
    except (ValueError, UnicodeDecodeError) as e:
        raise ReadError(f"{where}: the affectkit settings are not valid JSON ({e})") from None
    if isinstance(rec, Mapping) and isinstance(rec.get(KEY), Mapping):
        rec = rec[KEY]
    return _valid(rec, where)


def sidecar_path(path: "str | os.PathLike[str]") -> Path:
    """Where the settings of a ``.csv``/``.npz`` table live: ``<path>.json``
    (``feats.csv`` -> ``feats.csv.json``)."""
    p = Path(path)
    return p.with_name(p.name + ".json")


def write_sidecar(path: "str | os.PathLike[str]", record: Mapping[str, Any]) -> Path:
    """Write ``record`` next to the table at ``path``; returns the sidecar's path."""
    side = sidecar_path(path)
    side.write_text(json.dumps({KEY: record}, indent=1, sort_keys=True) + "\n")
    return side


def read_sidecar(path: "str | os.PathLike[str]") -> Optional["dict[str, Any]"]:
    """The record of the table at ``path`` from its sidecar, or None when there is none."""
    side = sidecar_path(path)
    if not side.is_file():
        return None
    try:
        text = side.read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise ReadError(f"{side}: cannot read the settings sidecar ({e})") from None
    return from_json(text, str(side))


def read_file_settings(path: "str | os.PathLike[str]") -> Optional["dict[str, Any]"]:
    """The record of a feature table file: parquet schema metadata, else the sidecar.

    Returns None when the file carries none (a table made by hand)."""
    p = Path(path)
    if p.suffix.lower() == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - reading the table needs pyarrow anyway
            return read_sidecar(p)
        try:
            meta = pq.read_schema(p).metadata or {}
        except (OSError, ValueError) as e:
            raise ReadError(f"{p}: cannot read the parquet schema ({e})") from None
        raw = meta.get(KEY.encode())
        if raw is not None:
            return from_json(raw, f"{p} (parquet metadata)")
    return read_sidecar(p)
