""":func:`extract`: featurize a manifest or a list of files into a :class:`FeatureTable` (parallel reading, per-item errors, low-rate checks, settings record)."""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union
import numpy as np
import pandas as pd
from ..audio.io import _load_native
from .. import settings as _settings
from ..pooling import pool_frames
from ..errors import AffectkitError, InputTypeError, LowRateWarning, ParameterError
from ..datasets.manifest import check_manifest, segments as _segments
from ..audio.windows import _cuts, _window

from .._util.progress import progress_bar
from .registry import CHUNK_SIZE, Feature, _resolve, _split_options
from .table import FeatureTable, _assemble, _errors_frame, _low_rate_frame, _stats

def _batch(spec: Feature, signals: "list[np.ndarray]", sr: float, opts: dict,
           n_jobs: Optional[int]) -> "list[Union[np.ndarray, Exception]]":
    """One feature over a chunk; a failing clip is returned as its exception."""
    if spec.batch is not None:
        try:
            return [np.asarray(v) for v in spec.batch(signals, sr, n_jobs=n_jobs, **opts)]
        except (AffectkitError, ValueError):
            pass  # one bad clip fails the whole batch call: redo clip by clip to find it
    out: "list[Union[np.ndarray, Exception]]" = []
    for y in signals:
        try:
            out.append(np.asarray(spec.compute(y, sr, **opts)))
        except (AffectkitError, OSError, ValueError) as e:
            out.append(e)
    return out


#: Files named in a low-rate warning before "and N more".
LOW_RATE_SHOWN = 3


def low_rate_message(low_rate: pd.DataFrame, sr: float) -> str:
    """The one warning line for the files of a ``low_rate`` frame (see
    :class:`FeatureTable`): the first :data:`LOW_RATE_SHOWN` files, then how many more.

    Parameters
    ----------
    low_rate : pandas.DataFrame
        Columns ``item, path, native_sr, needed_sr, features``.
    sr : float
        The analysis rate they were upsampled to, Hz.

    Returns
    -------
    str
    """
    n = len(low_rate)
    shown = [f"{Path(r.path).name or r.item} ({r.native_sr} Hz < {r.needed_sr:g} Hz for {r.features})"
             for r in low_rate.head(LOW_RATE_SHOWN).itertuples(index=False)]
    more = f" and {n - LOW_RATE_SHOWN} more" if n > LOW_RATE_SHOWN else ""
    return (f"{n} file(s) have a native sample rate below what their features need and were upsampled to "
            f"{sr:g} Hz, so their features lack the content above half the native rate: {', '.join(shown)}{more}")


def item_ids(paths: "Sequence[Union[str, os.PathLike]]") -> "list[str]":
    """Item ids for plain files: the file stems, or the full paths where stems repeat.

    Parameters
    ----------
    paths : sequence of str or path-like

    Returns
    -------
    list of str

    Examples
    --------
    >>> item_ids(["a/x.wav", "b/y.wav"])
    ['x', 'y']
    """
    stems = [Path(p).stem for p in paths]
    return stems if len(set(stems)) == len(stems) else [str(p) for p in paths]


def _items(data: Any) -> "tuple[list[str], list[str], Optional[pd.DataFrame], list]":
    """Item ids, paths, for a manifest its other columns (passed through), and each item's
    segment of its file (``(start, end)`` seconds, or None for the whole file)."""
    if isinstance(data, pd.DataFrame):
        check_manifest(data)
        items = [str(v) for v in data["item"]]
        extra = data.drop(columns=["item", "path"]).reset_index(drop=True)
        extra.index = pd.Index(items, name="item", dtype=str)
        return items, ["" if v is None else str(v) for v in data["path"]], extra, _segments(data)
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    if not isinstance(data, Iterable):
        raise InputTypeError(f"manifest_or_paths: expected a manifest DataFrame or a list of paths, "
                             f"got {type(data).__name__}")
    paths = [os.fspath(p) for p in data]
    return item_ids(paths), paths, None, [None] * len(paths)


def _load(path: str, sr: int, segment: "Optional[tuple[float, float]]" = None) -> "Union[tuple[np.ndarray, int], Exception]":
    """The item's samples at ``sr`` (only its segment, if it has one) and the file's native
    rate (one decode), or the error."""
    if path == "":
        return ParameterError("path is empty (an in-memory item): featurize its signal with ak.features.featurize")
    try:
        return _load_native(path, sr, segment)
    except (AffectkitError, OSError, ValueError) as e:
        return e


def _reader_threads(n_jobs: Optional[int]) -> int:
    """Threads that read files (the decoder releases the GIL): the size of affectkit's pool
    for ``n_jobs`` (``_core.resolve_n_jobs``: ``n_jobs``, else ``AFFECTKIT_NUM_THREADS``,
    else all cores; joblib-style negatives; capped with a warning), at most a chunk."""
    from .. import _core

    return max(1, min(CHUNK_SIZE, _core.resolve_n_jobs(n_jobs)))


@dataclass(frozen=True)
class _Plan:
    """An extraction's configuration, checked before any file is read."""

    specs: "list[Feature]"
    opts: "dict[str, dict]"  # per-feature options as given
    stats: Optional["tuple[str, ...]"]
    params: "dict[str, dict]"  # per-feature parameters, defaults resolved
    needs: "dict[str, float]"  # per-feature native rate needed, Hz
    sr: int
    window: "Optional[tuple[float, float]]" = None  # (win, hop) seconds: one row per window

    def record(self, upsampled: Optional[Sequence[str]] = None) -> "dict[str, Any]":
        frames = any(f.level == "frames" for f in self.specs)
        return _settings.make(self.params, sr=self.sr, pool=self.stats if frames else None, upsampled=upsampled,
                              window=self.window)

    def low_rate(self, native: int) -> "tuple[float, list[str]]":
        """(the highest rate needed, the features that need more than ``native``)."""
        short = [name for name, need in self.needs.items() if native < need]
        return max((self.needs[n] for n in short), default=0.0), short


def _plan(features: Any, sr: Any, pool: Any, options: Mapping[str, Any], win: Any = None, hop: Any = None) -> _Plan:
    if not isinstance(sr, (int, np.integer)) or isinstance(sr, bool) or sr <= 0:
        raise ParameterError(f"sr: expected a positive whole number of Hz, got {sr!r}")
    window = _window(win, hop)
    specs = _resolve(features)
    opts = _split_options(specs, options)
    stats = _stats(pool)
    params = {f.name: f.resolve(int(sr), opts[f.name]) for f in specs}
    needs = {f.name: f.needs(int(sr), params[f.name]) for f in specs}
    return _Plan(specs, opts, stats, params, needs, int(sr), window)


def _check(features: Any, n_jobs: Any, sr: Any, pool: Any, on_error: Any, options: Mapping[str, Any],
           win: Any = None, hop: Any = None) -> _Plan:
    """:func:`extract`'s arguments checked, every feature's options included."""
    if on_error not in ("report", "raise"):
        raise ParameterError(f"on_error: expected 'report' or 'raise', got {on_error!r}")
    if n_jobs is not None and (not isinstance(n_jobs, (int, np.integer)) or isinstance(n_jobs, bool) or n_jobs == 0):
        raise ParameterError(f"n_jobs: expected a positive count, a negative joblib-style count or None, "
                             f"got {n_jobs!r}")
    return _plan(features, sr, pool, options, win, hop)


def settings(features: Any = "mfcc", *, sr: int = 16000, pool: Any = ("mean", "std"),
             upsampled: Optional[Sequence[str]] = None, win: Optional[float] = None, hop: Optional[float] = None,
             **options: Any) -> "dict[str, Any]":
    """The settings record of a table :func:`extract` would make with these arguments.

    Computed without audio; the options are validated as :func:`extract` validates them
    (a :class:`~affectkit.errors.ParameterError` for an unusable one).

    Parameters
    ----------
    features : str, Feature or list of them, default "mfcc"
    sr : int, default 16000
        The analysis rate, Hz.
    pool : sequence of str or None, default ("mean", "std")
        As in :func:`extract`; recorded only when a frame feature is selected.
    upsampled : sequence of str or None, default None
        Items whose audio was upsampled (recorded, not compared).
    win, hop : float or None, default None
        As in :func:`extract` (recorded as the record's ``window``).
    **options
        Feature options, as in :func:`featurize`.

    Returns
    -------
    dict
        The record (see :mod:`affectkit.settings`).

    Examples
    --------
    >>> import affectkit as ak
    >>> rec = ak.features.settings("mfcc")
    >>> p = rec["features"]["mfcc"]["params"]
    >>> p["preset"], p["n_mfcc"], rec["sr"], rec["pool"]
    ('librosa', 20, 16000, ['mean', 'std'])
    """
    return _plan(features, sr, pool, options, win, hop).record(upsampled)


def extract(manifest_or_paths: Any, features: Any = "mfcc", *, n_jobs: Optional[int] = None, sr: int = 16000,
            pool: Any = ("mean", "std"), on_error: str = "report", progress: Any = False,
            win: Optional[float] = None, hop: Optional[float] = None, **options: Any) -> FeatureTable:
    """Featurize every item of a manifest (or a list of audio files) into one table.

    Files are read and resampled to ``sr`` on threads (the GIL is released), then each
    feature runs on affectkit's pool over chunks of :data:`CHUNK_SIZE` items with the
    batch functions. Items are read from their ``path``; manifest rows with
    ``path == ""`` (in-memory items) cannot be loaded and are reported as failures.
    A manifest with ``segment_start``/``segment_end`` columns (seconds into the file;
    :data:`affectkit.datasets.SEGMENT_COLUMNS`) has only that part of each file read and
    featurized (NaN in both: the whole file); a segment that ends beyond its file is that
    item's failure, naming ``segment_end``. The manifest's ``start``/``end`` columns
    (position in a dialogue, IEMOCAP and MELD) are passed through, never read.
    The options are checked once, before any file is read.

    Parameters
    ----------
    manifest_or_paths : DataFrame or sequence of path-like
        A manifest (:mod:`affectkit.datasets.manifest`) or audio files (item ids: the stems).
    features : str, Feature or list of them, default "mfcc"
        Registry names (:func:`available`) or :class:`Feature` objects.
    n_jobs : int or None, default None
        Threads (None: ``AFFECTKIT_NUM_THREADS`` or all cores; negative joblib-style).
    sr : int, default 16000
        The analysis rate every file is resampled to, Hz.
    pool : sequence of str or None, default ("mean", "std")
        Statistics over each item's frames (see :data:`affectkit.audio.POOLING_STATS`),
        ignoring NaN frames (unvoiced F0 frames, ``_sma3nz`` LLDs), so a clip without a
        voiced frame gives NaN. None keeps each item's frame matrix in an object column
        named after the feature (see :func:`pool`).
    on_error : {"report", "raise"}, default "report"
        ``"report"``: an item that cannot be read or featurized is left out, listed in
        ``table.errors`` and summarised in one warning; the others continue.
        ``"raise"``: the first failure raises.
    progress : bool or object, default False
        As in :func:`progress_bar`.
    win : float or None, default None
        One row per window of ``win`` seconds of each item (of its segment, if it has
        one) instead of one per item: every feature runs on each window's own cut, frame
        features pooled over the window's frames (:mod:`affectkit.audio.windows`: windows
        past the end are dropped; an item shorter than ``win`` fails, naming ``win``).
        Recorded in the settings record's ``window``.
    hop : float or None, default None
        Seconds between window starts (None: ``win``); needs ``win``.
    **options
        Feature options, as in :func:`featurize`.

    Returns
    -------
    FeatureTable
        Indexed by item id, columns ``path``, for a manifest its other columns
        (``corpus``, ``speaker``, ``label``, ``split`` and the corpus's own, passed
        through), ``duration_s`` (seconds after resampling), then one column per feature
        value: clip features as ``<feature>_<name>`` (eGeMAPS keeps openSMILE's names:
        ``egemaps_loudness_sma3_amean``), pooled frame features as
        ``<feature>_<stat>_<column>`` (``mfcc_mean_0``, ``f0_mean_hz``). The settings
        record is in ``table.attrs["affectkit"]``; ``table.errors`` and
        ``table.low_rate`` list failed and upsampled files. With ``win``: one row per
        window (the item id repeats in the index), ``duration_s`` the window's length and
        two more columns after it, ``window_start`` and ``window_end`` (seconds from the
        start of the item's audio, i.e. of its segment).

    Warns
    -----
    UserWarning
        Once, when items failed (``on_error="report"``).
    LowRateWarning
        Once, naming the files whose native rate is below what a feature needs (see the
        module docstring).

    Raises
    ------
    ParameterError, InputTypeError
        For an unusable argument or feature option, before any file is read.

    Examples
    --------
    >>> import affectkit as ak
    >>> X = ak.features.extract(ak.datasets.sample_paths()[:2], ["egemaps", "mfcc"])
    >>> X.shape, X.attrs["affectkit"]["features"]["mfcc"]["params"]["preset"]
    ((2, 130), 'librosa')
    >>> W = ak.features.extract(ak.datasets.sample_paths()[:1], "mfcc", win=1.0, hop=0.5)   # pooled MFCC per window
    >>> W[["window_start", "window_end"]].head(2).to_numpy().tolist()
    [[0.0, 1.0], [0.5, 1.5]]
    """
    plan = _check(features, n_jobs, sr, pool, on_error, options, win, hop)
    specs, opts, stats, sr = plan.specs, plan.opts, plan.stats, plan.sr
    items, paths, extra, segs = _items(manifest_or_paths)
    bar = progress_bar(len(items), progress)
    kept: "list[int]" = []  # the item of each row (an item has a row per window with win)
    durations: "list[float]" = []
    spans: "list[tuple[float, float]]" = []  # (window_start, window_end) of each row, with win
    values: "dict[str, list[np.ndarray]]" = {f.name: [] for f in specs}
    errors: "list[tuple[str, str, str]]" = []
    low: "list[tuple[str, str, int, float, str]]" = []
    upsampled: "list[str]" = []
    threads = _reader_threads(n_jobs)
    with ThreadPoolExecutor(threads) as loader:
        for start in range(0, len(items), CHUNK_SIZE):
            idx = list(range(start, min(start + CHUNK_SIZE, len(items))))
            loaded = list(loader.map(lambda i: _load(paths[i], sr, segs[i]), idx))
            failed = {i: y for i, y in zip(idx, loaded) if isinstance(y, Exception)}
            where = {}  # the feature that failed, as a message prefix
            good = [(i, y, native) for i, got in zip(idx, loaded) if not isinstance(got, Exception)
                    for y, native in [got]]
            # what is featurized: each item's signal, or each of its windows
            pieces: "list[tuple[int, np.ndarray, float, float]]" = []
            for i, y, _ in good:
                if plan.window is None:
                    pieces.append((i, y, 0.0, len(y) / sr))
                    continue
                try:
                    cuts, starts, ends = _cuts(y, sr, *plan.window)
                except ParameterError as e:
                    failed[i] = e
                    continue
                pieces += [(i, c, float(a), float(b)) for c, a, b in zip(cuts, starts, ends)]
            good = [g for g in good if g[0] not in failed]
            results = {f.name: _batch(f, [c for _, c, _, _ in pieces], sr, opts[f.name], n_jobs) for f in specs}
            rows: "dict[int, list[int]]" = {}
            for k, (i, _, _, _) in enumerate(pieces):
                rows.setdefault(i, []).append(k)
            for i, y, native in good:
                bad = [(f.name, results[f.name][k], k) for k in rows[i] for f in specs
                       if isinstance(results[f.name][k], Exception)]
                if bad:
                    name, failed[i], k = bad[0]
                    span = f"window {pieces[k][2]:g}-{pieces[k][3]:g} s: " if plan.window is not None else ""
                    where[i] = f"{name}: {span}"
                    continue
                for k in rows[i]:
                    kept.append(i)
                    durations.append(len(pieces[k][1]) / sr)
                    spans.append(pieces[k][2:])
                    for f in specs:
                        v = results[f.name][k]
                        if f.level == "frames" and stats is not None:
                            v = pool_frames(np.atleast_2d(v) if v.ndim == 1 else v, stats, skipna=True)
                        values[f.name].append(v)
                if native < sr:
                    upsampled.append(items[i])
                need, short = plan.low_rate(native)
                if short:
                    low.append((items[i], paths[i], native, need, ", ".join(short)))
            for i in sorted(failed):
                exc = failed[i]
                message = f"{where.get(i, '')}{type(exc).__name__}: {exc}"
                if on_error == "raise":
                    if isinstance(exc, AffectkitError):
                        raise type(exc)(f"item {items[i]!r} ({paths[i] or 'no path'}): {message}") from exc
                    raise exc
                errors.append((items[i], paths[i], message))
            if bar is not None:
                bar.update(idx[-1] + 1, Path(paths[idx[-1]]).name or items[idx[-1]])
    if bar is not None:
        bar.close()
    kept_items = [items[i] for i in kept]
    table = _assemble(specs, stats, kept_items, [paths[i] for i in kept], durations, values,
                      None if extra is None else extra.iloc[kept],
                      spans=spans if plan.window is not None else None)
    table.errors = _errors_frame(errors)
    table.low_rate = _low_rate_frame(low)
    _settings.attach(table, plan.record(upsampled))
    if errors:
        warnings.warn(f"affectkit.features.extract: {len(errors)} of {len(items)} item(s) failed "
                      f"(first: {errors[0][0]}: {errors[0][2]}); see table.errors", stacklevel=2)
    if low:
        warnings.warn(f"affectkit.features.extract: {low_rate_message(table.low_rate, sr)}; see table.low_rate",
                      LowRateWarning, stacklevel=2)
    return table
