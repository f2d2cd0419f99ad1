""":class:`FeatureTable`: pooling, feature columns, and writing/reading CSV, parquet and NPZ with the settings record."""

from __future__ import annotations

from ..pooling import POOLING_STATS

import json
import os
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union
import numpy as np
import pandas as pd
from .. import settings as _settings
from ..pooling import pool_frames
from ..errors import AffectkitError, ParameterError
from ..datasets.manifest import MANIFEST_COLUMNS


from .registry import FEATURES, Feature


def _errors_frame(rows: "list[tuple[str, str, str]]") -> pd.DataFrame:
    # str dtype on both sides of a pickle (pandas 3 infers it for strings, but not when empty)
    return pd.DataFrame(rows, columns=["item", "path", "message"]).astype(str)


_LOW_RATE_COLUMNS = ["item", "path", "native_sr", "needed_sr", "features"]


def _low_rate_frame(rows: "list[tuple[str, str, int, float, str]]") -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=_LOW_RATE_COLUMNS)
    return df.astype({"item": str, "path": str, "native_sr": np.int64, "needed_sr": np.float64, "features": str})


def _stats(pool: Any) -> Optional["tuple[str, ...]"]:
    if pool is None:
        return None
    stats = (pool,) if isinstance(pool, str) else tuple(pool)
    bad = [s for s in stats if s not in POOLING_STATS]
    if bad or not stats:
        raise ParameterError(f"pool: expected None or statistics from {POOLING_STATS}, got {pool!r}")
    return stats

class FeatureTable(pd.DataFrame):
    """A DataFrame of features, one row per item (index ``item``).

    Besides the columns it has ``attrs["affectkit"]``, the settings record
    (:mod:`affectkit.settings`); ``errors``, a DataFrame ``item, path, message`` of the
    items that failed (empty when none did); and ``low_rate``, a DataFrame ``item, path,
    native_sr, needed_sr, features`` of the files whose native rate was below what a
    feature needs (empty when none was).
    """

    _metadata = ["errors", "low_rate"]

    @property
    def _constructor(self):
        return FeatureTable


def _assemble(specs, stats, items, paths, durations, values, extra=None, spans=None) -> FeatureTable:
    index = pd.Index(items, name="item", dtype=str)
    parts = [pd.DataFrame({"path": pd.Series(paths, index=index, dtype=str)})]
    if extra is not None:
        parts.append(extra.set_axis(index))
    parts.append(pd.DataFrame({"duration_s": pd.Series(durations, index=index, dtype=np.float64)}))
    if spans is not None:  # one row per window (extract's win=)
        starts = [a for a, _ in spans]
        ends = [b for _, b in spans]
        parts.append(pd.DataFrame({"window_start": pd.Series(starts, index=index, dtype=np.float64),
                                   "window_end": pd.Series(ends, index=index, dtype=np.float64)}))
    for f in specs:
        vs = values[f.name]
        if f.level == "frames" and stats is None:
            col = pd.Series(vs, index=index, dtype=object) if vs else pd.Series([], index=index, dtype=object)
            parts.append(col.to_frame(f.name))
            continue
        if not vs:
            continue
        if f.level == "frames":
            width = vs[0].shape[0] // len(stats)
            cols = [f"{f.name}_{s}_{c}" for s in stats for c in f.columns(width)]
        else:
            cols = [f"{f.name}_{c}" for c in f.columns(vs[0].shape[0])]
        parts.append(pd.DataFrame(np.vstack(vs), index=index, columns=cols))
    return FeatureTable(pd.concat(parts, axis=1))


def _is_frames(col: pd.Series) -> bool:
    """A column of per-item frame matrices (what ``pool=None`` keeps)."""
    return col.dtype == object and len(col) > 0 and all(isinstance(v, np.ndarray) for v in col)


def pool(table: pd.DataFrame, stats: Any = ("mean", "std")) -> FeatureTable:
    """Pool the frame columns of a ``pool=None`` :func:`extract` table into statistics.

    Same column names and values as ``extract(..., pool=stats)``; the other columns,
    ``errors``, ``low_rate`` and the settings record (with the pooling) are kept.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from ``extract(..., pool=None)``.
    stats : sequence of str, default ("mean", "std")
        Statistics from :data:`affectkit.audio.POOLING_STATS`.

    Returns
    -------
    FeatureTable

    Examples
    --------
    >>> import affectkit as ak
    >>> frames = ak.features.extract(ak.datasets.sample_paths()[:1], "mfcc", pool=None)
    >>> ak.features.pool(frames, ("mean",)).attrs["affectkit"]["pool"]
    ['mean']
    """
    stats = _stats(stats)
    if stats is None:
        raise ParameterError("stats: expected statistics to pool with, got None")
    parts = []
    for name in table.columns:
        col = table[name]
        if not _is_frames(col):
            parts.append(col.to_frame(name))
            continue
        spec = FEATURES.get(name, Feature(name, "frames", lambda y, sr: y))
        vs = [pool_frames(m, stats, skipna=True) for m in col]
        width = vs[0].shape[0] // len(stats)
        cols = [f"{name}_{s}_{c}" for s in stats for c in spec.columns(width)]
        parts.append(pd.DataFrame(np.vstack(vs), index=table.index, columns=cols))
    out = FeatureTable(pd.concat(parts, axis=1))
    out.errors = getattr(table, "errors", _errors_frame([]))
    out.low_rate = getattr(table, "low_rate", _low_rate_frame([]))
    record = _settings.of(table)
    if record is not None:
        frames = any(FEATURES.get(n) is None or FEATURES[n].level == "frames" for n in record.get("features", {}))
        record = dict(record, pool=list(stats) if frames else None)
    _settings.attach(out, record)
    return out


def _owner(column: str, names: Sequence[str]) -> Optional[str]:
    """The feature a column belongs to: the longest feature name it is or starts with
    (``egemaps_lld_mean_...`` is egemaps_lld's, not egemaps')."""
    best = None
    for n in names:
        if (column == n or column.startswith(n + "_")) and (best is None or len(n) > len(best)):
            best = n
    return best


def feature_columns(table: pd.DataFrame) -> "list[str]":
    """The feature columns of a table: those of the features its settings record names.

    Bookkeeping and manifest columns (``path``, ``duration_s``, ``speaker``, a corpus's
    ``session``...) are never feature columns, even when numeric.

    Parameters
    ----------
    table : pandas.DataFrame
        A table carrying a settings record (``attrs["affectkit"]``).

    Returns
    -------
    list of str

    Raises
    ------
    ParameterError
        When the table carries no settings record.

    Examples
    --------
    >>> import affectkit as ak
    >>> X = ak.features.extract(ak.datasets.sample_paths()[:1], "mfcc")
    >>> ak.features.feature_columns(X)[:2]
    ['mfcc_mean_0', 'mfcc_mean_1']
    """
    record = _settings.of(table)
    if record is None:
        raise ParameterError("table: carries no affectkit settings record (attrs['affectkit']), so its feature "
                             "columns are not known; select them by name")
    recorded = list(record.get("features") or {})
    known = sorted(set(recorded) | set(FEATURES))
    return [c for c in table.columns if isinstance(c, str) and _owner(c, known) in recorded]


_TEXT_COLUMNS = {c: str for c in MANIFEST_COLUMNS}


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    """The table with ``item`` as a column and dict/list cells (a manifest's
    ``annotations``) as JSON text, ready for CSV or parquet."""
    flat = table.reset_index() if table.index.name == "item" else pd.DataFrame(table).copy()
    for c in flat.columns:
        if flat[c].dtype == object and flat[c].map(lambda v: isinstance(v, (dict, list))).any():
            flat[c] = flat[c].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)
    return flat


def write(table: pd.DataFrame, path: "Union[str, os.PathLike]") -> Path:
    """Write a feature table with its settings record.

    ``.parquet``: the record in the schema metadata under ``affectkit`` (needs pyarrow);
    ``.csv``: a ``<path>.json`` sidecar (:func:`affectkit.settings.write_sidecar`); both
    one row per item with pooled features. ``.npz``: per-item arrays ``<feature>_<i>``
    (frames when the table keeps them, else the item's values), ``items``, ``paths``, the
    manifest's core columns and, when the table has them, ``segment_start``/``segment_end``
    and ``window_start``/``window_end`` (one row per window: ``<feature>_<i>`` is row ``i``),
    with a sidecar.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`extract` or :func:`pool`.
    path : str or path-like
        Ends in ``.csv``, ``.parquet`` or ``.npz``.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ParameterError
        For another suffix, or frame columns in a .csv/.parquet table (pool them first).

    Examples
    --------
    >>> X = ak.features.extract(ak.datasets.sample_paths()[:1], "mfcc")   # doctest: +SKIP
    >>> ak.features.write(X, "feats.parquet")                              # doctest: +SKIP
    """
    p = Path(path)
    suffix = p.suffix.lower()
    record = _settings.of(table)
    if suffix == ".npz":
        _write_npz(table, p, record)
    elif suffix in (".csv", ".parquet"):
        frames = [c for c in table.columns if _is_frames(table[c])]
        if frames:
            raise ParameterError(f"path: {p.name} holds one row per item, but the table keeps frames in {frames}; "
                                 "pool them first (ak.features.pool) or write .npz")
        flat = _flat(table)
        if suffix == ".csv":
            flat.to_csv(p, index=False)
        else:
            _write_parquet(flat, p, record)
    else:
        raise ParameterError(f"path: expected a .csv, .parquet or .npz file, got {os.fspath(path)!r}")
    if record is not None and suffix != ".parquet":
        _settings.write_sidecar(p, record)
    elif record is None and _settings.sidecar_path(p).exists():
        _settings.sidecar_path(p).unlink()  # a stale sidecar would describe another table
    return p


def _write_parquet(flat: pd.DataFrame, p: Path, record: Optional[Mapping[str, Any]]) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError(f"writing {p.name} needs pyarrow (pip install pyarrow, or 'affectkit[parquet]'); "
                          f"or write .csv ({e})") from e
    t = pa.Table.from_pandas(flat, preserve_index=False)
    meta = dict(t.schema.metadata or {})
    if record is not None:
        meta[_settings.KEY.encode()] = _settings.to_json(record).encode()
    pq.write_table(t.replace_schema_metadata(meta), p)


def _write_npz(table: pd.DataFrame, p: Path, record: Optional[Mapping[str, Any]]) -> None:
    arrays: "dict[str, np.ndarray]" = {"paths": table["path"].to_numpy(dtype=str),
                                       "items": table.index.to_numpy(dtype=str)}
    for c in ("corpus", "speaker", "label", "split"):
        if c in table.columns:
            arrays[c] = np.array(["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                                  for v in table[c]], dtype=str)
    for c in ("segment_start", "segment_end", "window_start", "window_end"):  # seconds: which audio a row is
        if c in table.columns:
            arrays[c] = table[c].to_numpy(dtype=np.float64)
    names = list((record or {}).get("features") or {}) or [c for c in table.columns if _is_frames(table[c])]
    known = sorted(set(names) | set(FEATURES))
    for name in names:
        if name in table.columns and _is_frames(table[name]):
            rows = list(table[name])
        else:
            cols = [c for c in table.columns if isinstance(c, str) and _owner(c, known) == name]
            if not cols:
                continue
            rows = list(table[cols].to_numpy(dtype=np.float64))
        for i, v in enumerate(rows):
            arrays[f"{name}_{i}"] = v
    np.savez_compressed(p, **arrays)


def read(path: "Union[str, os.PathLike]") -> FeatureTable:
    """Read a feature table written by :func:`write` (or ``affectkit extract``), with its
    settings record in ``attrs["affectkit"]`` (None when the file carries none).

    Parameters
    ----------
    path : str or path-like
        A ``.csv`` or ``.parquet`` table.

    Returns
    -------
    FeatureTable
        Indexed by ``item`` when the file has that column.

    Raises
    ------
    ReadError
        When the file cannot be read (the message names it).

    Examples
    --------
    >>> X = ak.features.read("feats.parquet")        # doctest: +SKIP
    >>> X.attrs["affectkit"]["sr"]                   # doctest: +SKIP
    16000
    """
    from ..errors import ReadError

    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix == ".parquet":
            df = pd.read_parquet(p)
        elif suffix == ".csv":
            df = pd.read_csv(p, dtype=_TEXT_COLUMNS, keep_default_na=False, na_values=[""])
        else:
            raise ParameterError(f"path: expected a .csv or .parquet table, got {os.fspath(path)!r}")
    except (OSError, ValueError, UnicodeDecodeError) as e:
        if isinstance(e, AffectkitError):
            raise
        raise ReadError(f"{p}: cannot read the table ({e})") from None
    if "item" in df.columns:
        df = df.set_index("item")
    table = FeatureTable(df)
    _settings.attach(table, _settings.read_file_settings(p))
    return table
