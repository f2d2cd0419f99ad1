"""The feature registry: one name per feature set, and extraction over manifests.

Every feature set maps a mono signal to either a *frame* matrix ``(n_frames, d)`` or a
*clip* vector ``(d,)``, with published column names:

=================  ======  =========================================================
name               level   definition (function, reference)
=================  ======  =========================================================
``mfcc``           frames  :func:`affectkit.mfcc` (librosa / Kaldi / HTK presets)
``logmel``         frames  :func:`affectkit.melspectrogram` with ``log=True``
``egemaps``        clip    :func:`affectkit.egemaps`: the 88 eGeMAPS v02 functionals
                           (Eyben et al. 2016; openSMILE's names)
``egemaps_lld``    frames  the 25 eGeMAPS v02 LLDs, one row per 10 ms
``gemaps``         clip    the 62 GeMAPS v01b functionals (:func:`affectkit.gemaps`)
``gemaps_lld``     frames  the 18 GeMAPS v01b LLDs, one row per 10 ms
``prosody``        clip    :func:`affectkit.prosody` (Praat definitions)
``voice_quality``  clip    :func:`affectkit.voice_quality` (Praat jitter/shimmer/HNR)
``f0``             frames  :func:`affectkit.f0`: columns ``hz`` (NaN unvoiced), ``prob``
``formants``       frames  :func:`affectkit.formants`: F1-F3 and bandwidths (Praat Burg)
=================  ======  =========================================================

:func:`featurize` computes them for one signal; :func:`extract` for a manifest (or a list
of files) into one table row per item, with frame features pooled into statistics
(columns ``mfcc_mean_0``, ``egemaps_lld_std_Loudness_sma3``; clip features keep their
names with the feature as prefix: ``egemaps_F0semitoneFrom27.5Hz_sma3nz_amean``,
``prosody_f0_mean_hz``). :func:`register` adds a feature set of your own.

Options: a keyword named after a feature holds that feature's settings
(``mfcc={"n_mfcc": 20}``); the common keywords ``preset`` (mfcc, logmel), ``n_mfcc``,
``deltas`` (mfcc), ``n_mels`` (logmel), ``method``, ``fmin``, ``fmax`` (f0) go to every
selected feature that takes them.

>>> import numpy as np, affectkit as ak
>>> y = np.sin(2 * np.pi * 220 * np.arange(16000) / 16000).astype(np.float32)
>>> f = ak.features.featurize(y, 16000, ["mfcc", "egemaps"], preset="kaldi")
>>> f["mfcc"].shape, f["egemaps"].shape
((98, 13), (88,))
"""

from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

import numpy as np
import pandas as pd

from .egemaps import EGEMAPS_FUNCTIONALS, EGEMAPS_LLD, GEMAPS_FUNCTIONALS, GEMAPS_LLD, egemaps, egemaps_batch
from . import frontend, prosody
from .audio import POOLING_STATS, pool_frames
from .errors import AffectkitError, InputTypeError, ParameterError
from .manifest import check_manifest

__all__ = ["Feature", "FeatureTable", "FEATURES", "register", "available", "featurize", "extract",
           "pool", "item_ids"]

_LEVELS = ("frames", "clip")
# items loaded and featurized together: bounds memory and sets the progress granularity
CHUNK_SIZE = 32


@dataclass(frozen=True)
class Feature:
    """One feature set of the registry.

    ``compute(y, sr, **options)`` returns ``(n_frames, d)`` (``level="frames"``) or
    ``(d,)`` (``level="clip"``); ``batch(signals, sr, n_jobs=..., **options)``, when
    given, does the same for a list of signals on affectkit's pool (GIL released) and
    returns a list of arrays or an ``(n, d)`` array. ``names`` are the ``d`` column
    names (``None``: numbered ``0..d-1``); ``shared`` the common keywords it takes.
    Must be picklable (by value: cloudpickle) to run on a Dask cluster.
    """

    name: str
    level: str
    compute: Callable[..., np.ndarray]
    batch: Optional[Callable[..., Any]] = None
    names: Optional[Sequence[str]] = None
    shared: "frozenset[str]" = frozenset()

    def __reduce__(self):
        # a built-in feature travels by name (its functions are lambdas, which the standard
        # pickle of spawned workers cannot carry; every process has the built-ins); a
        # custom one, registered or not, by value, since other processes may not know it
        if self.name in _BUILTIN and FEATURES.get(self.name) is self:
            return (_registered, (self.name,))
        return (Feature, (self.name, self.level, self.compute, self.batch, self.names, self.shared))

    def columns(self, width: int) -> "list[str]":
        if self.names is None:
            return [str(j) for j in range(width)]
        if len(self.names) != width:
            raise ParameterError(f"features: {self.name} returned {width} columns but names {len(self.names)}")
        return list(self.names)


def _registered(name: str) -> Feature:
    feature = FEATURES.get(name)
    if feature is None:
        raise ParameterError(f"features: {name!r} is not registered in this process")
    return feature


def _f0_frames(track: Any) -> np.ndarray:
    return np.column_stack([track.f0, track.prob])


FEATURES: "dict[str, Feature]" = {}


def register(feature: Feature) -> Feature:
    """Add (or replace) a feature set under ``feature.name``; returns it.

    Registration is per process: to run a custom feature on Dask workers or in spawned
    DataLoader workers pass the :class:`Feature` object itself in ``features`` rather than
    its name; it is pickled by value (module-level functions for the standard pickle of
    spawned workers; Dask's cloudpickle also carries lambdas).
    """
    if not isinstance(feature, Feature):
        raise InputTypeError(f"feature: expected an affectkit.features.Feature, got {type(feature).__name__}")
    if feature.level not in _LEVELS:
        raise ParameterError(f"feature.level: expected one of {_LEVELS}, got {feature.level!r}")
    FEATURES[feature.name] = feature
    return feature


for _f in (
    Feature("mfcc", "frames", frontend.mfcc, frontend.mfcc_batch, None, frozenset({"preset", "n_mfcc", "deltas"})),
    Feature("logmel", "frames", lambda y, sr, **o: frontend.melspectrogram(y, sr, log=True, **o),
            lambda ys, sr, **o: frontend.melspectrogram_batch(ys, sr, log=True, **o), None,
            frozenset({"preset", "n_mels"})),
    Feature("egemaps", "clip", egemaps, egemaps_batch, EGEMAPS_FUNCTIONALS),
    Feature("egemaps_lld", "frames", lambda y, sr: egemaps(y, sr, level="lld"),
            lambda ys, sr, n_jobs=None: egemaps_batch(ys, sr, level="lld", n_jobs=n_jobs), EGEMAPS_LLD),
    Feature("gemaps", "clip", lambda y, sr: egemaps(y, sr, version="v01b"),
            lambda ys, sr, n_jobs=None: egemaps_batch(ys, sr, n_jobs=n_jobs, version="v01b"), GEMAPS_FUNCTIONALS),
    Feature("gemaps_lld", "frames", lambda y, sr: egemaps(y, sr, level="lld", version="v01b"),
            lambda ys, sr, n_jobs=None: egemaps_batch(ys, sr, level="lld", n_jobs=n_jobs, version="v01b"),
            GEMAPS_LLD),
    Feature("prosody", "clip", lambda y, sr, **o: np.array(list(prosody.prosody(y, sr, **o).values())),
            prosody.prosody_batch, prosody.PROSODY_NAMES),
    Feature("voice_quality", "clip", lambda y, sr, **o: np.array(list(prosody.voice_quality(y, sr, **o).values())),
            prosody.voice_quality_batch, prosody.VOICE_QUALITY_NAMES),
    Feature("f0", "frames", lambda y, sr, **o: _f0_frames(prosody.f0(y, sr, **o)),
            lambda ys, sr, **o: [_f0_frames(t) for t in prosody.f0_batch(ys, sr, **o)], ("hz", "prob"),
            frozenset({"method", "fmin", "fmax"})),
    Feature("formants", "frames", lambda y, sr, **o: prosody.formants(y, sr, **o)[0],
            lambda ys, sr, **o: [t for t, _ in prosody.formants_batch(ys, sr, **o)], prosody.FORMANT_NAMES),
):
    register(_f)
# the feature sets every process has: these alone are pickled by name
_BUILTIN = frozenset(FEATURES)


def available() -> "list[str]":
    """Names of the registered feature sets."""
    return list(FEATURES)


def _resolve(features: Any) -> "list[Feature]":
    if isinstance(features, (str, Feature)):
        features = [features]
    if isinstance(features, Iterable):
        features = list(features)
    else:
        raise InputTypeError(f"features: expected a name, a Feature or a list of them, got {type(features).__name__}")
    if not features:
        raise ParameterError("features: empty; choose from " + ", ".join(FEATURES))
    out = []
    for f in features:
        if isinstance(f, Feature):
            out.append(f)
        elif isinstance(f, str) and f in FEATURES:
            out.append(FEATURES[f])
        else:
            raise ParameterError(f"features: unknown feature {f!r}; choose from {', '.join(FEATURES)}")
    names = [f.name for f in out]
    if len(set(names)) != len(names):
        raise ParameterError(f"features: {names} names a feature twice")
    return out


def _split_options(specs: "list[Feature]", options: Mapping[str, Any]) -> "dict[str, dict]":
    """Per-feature keyword dicts from ``featurize``'s ``**options``."""
    by_name = {f.name: f for f in specs}
    out: "dict[str, dict]" = {f.name: {} for f in specs}
    per_feature = {}
    for key, value in options.items():
        if key in by_name:
            if not isinstance(value, Mapping):
                raise InputTypeError(f"{key}: per-feature settings must be a dict, got {type(value).__name__}")
            per_feature[key] = dict(value)
            continue
        takers = [f.name for f in specs if key in f.shared]
        if not takers:
            offered = "; ".join(f"{f.name} takes {', '.join(sorted(f.shared))}" for f in specs if f.shared)
            raise ParameterError(f"{key}: not an option of the selected features ({offered or 'none take shared options'});"
                                 f" give a feature's own settings as <feature>={{...}}, e.g. {specs[0].name}={{{key!r}: ...}}")
        for name in takers:
            if value is not None:  # None means "the function's default" (as the CLI passes it)
                out[name][key] = value
    for name, d in per_feature.items():
        out[name].update(d)
    return out


def featurize(y: Any, sr: float, features: Any = "mfcc", **options: Any) -> "dict[str, np.ndarray]":
    """Compute the named feature sets of one mono signal: ``{name: array}``, frames
    ``(n_frames, d)`` or clip vectors ``(d,)`` (see the module docstring for names and
    options). Errors name the argument, as the underlying functions do.

    >>> import numpy as np, affectkit as ak
    >>> ak.features.featurize(np.zeros(16000, np.float32), 16000, "prosody")["prosody"].shape
    (13,)
    """
    specs = _resolve(features)
    opts = _split_options(specs, options)
    return {f.name: np.asarray(f.compute(y, sr, **opts[f.name])) for f in specs}


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


class FeatureTable(pd.DataFrame):
    """A DataFrame of features, one row per item (index ``item``), with ``errors``: a
    DataFrame ``item, path, message`` of the items that failed (empty when none did)."""

    _metadata = ["errors"]

    @property
    def _constructor(self):
        return FeatureTable


def _errors_frame(rows: "list[tuple[str, str, str]]") -> pd.DataFrame:
    # str dtype on both sides of a pickle (pandas 3 infers it for strings, but not when empty)
    return pd.DataFrame(rows, columns=["item", "path", "message"]).astype(str)


def item_ids(paths: "Sequence[Union[str, os.PathLike]]") -> "list[str]":
    """Item ids for plain files: the file stems, or the full paths where stems repeat."""
    stems = [Path(p).stem for p in paths]
    return stems if len(set(stems)) == len(stems) else [str(p) for p in paths]


def _items(data: Any) -> "tuple[list[str], list[str]]":
    if isinstance(data, pd.DataFrame):
        check_manifest(data)
        return [str(v) for v in data["item"]], ["" if v is None else str(v) for v in data["path"]]
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    if not isinstance(data, Iterable):
        raise InputTypeError(f"manifest_or_paths: expected a manifest DataFrame or a list of paths, "
                             f"got {type(data).__name__}")
    paths = [os.fspath(p) for p in data]
    return item_ids(paths), paths


def _stats(pool: Any) -> Optional["tuple[str, ...]"]:
    if pool is None:
        return None
    stats = (pool,) if isinstance(pool, str) else tuple(pool)
    bad = [s for s in stats if s not in POOLING_STATS]
    if bad or not stats:
        raise ParameterError(f"pool: expected None or statistics from {POOLING_STATS}, got {pool!r}")
    return stats


def _load(path: str, sr: int) -> "Union[np.ndarray, Exception]":
    if path == "":
        return ParameterError("path is empty (an in-memory item): featurize its signal with ak.features.featurize")
    try:
        return frontend.load(path, sr=sr)[0]
    except (AffectkitError, OSError, ValueError) as e:
        return e


def _reader_threads(n_jobs: Optional[int]) -> int:
    """Threads that read files (the decoder releases the GIL), sized like affectkit's pool:
    ``n_jobs``, else ``AFFECTKIT_NUM_THREADS``, else all cores; negative counts joblib-style."""
    cores = os.cpu_count() or 1
    if n_jobs is None:
        env = os.environ.get("AFFECTKIT_NUM_THREADS", "").strip()
        n_jobs = int(env) if env.lstrip("-").isdigit() else cores
    if n_jobs < 0:
        n_jobs = cores + 1 + n_jobs
    return max(1, min(CHUNK_SIZE, n_jobs))


def progress_bar(total: int, progress: Any) -> Any:
    """``progress``: False/None (silent), True (tqdm when installed, else affectkit's
    terminal status line) or an object with ``update(done, label)`` and ``close()``."""
    if progress is None or progress is False:
        return None
    if progress is not True:
        return progress
    try:
        from tqdm.auto import tqdm
    except ImportError:
        from .cli import Progress

        return Progress(total)
    return _Tqdm(tqdm(total=total, unit="file"))


class _Tqdm:
    def __init__(self, bar: Any):
        self.bar = bar

    def update(self, done: int, label: str) -> None:
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


def _check(features: Any, n_jobs: Any, sr: Any, pool: Any, on_error: Any, options: Mapping[str, Any]):
    """:func:`extract`'s arguments checked: (features, per-feature options, pool statistics)."""
    if on_error not in ("report", "raise"):
        raise ParameterError(f"on_error: expected 'report' or 'raise', got {on_error!r}")
    if n_jobs is not None and (not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0):
        raise ParameterError(f"n_jobs: expected a positive count, a negative joblib-style count or None, got {n_jobs!r}")
    if not isinstance(sr, (int, np.integer)) or sr <= 0:
        raise ParameterError(f"sr: expected a positive whole number of Hz, got {sr!r}")
    specs = _resolve(features)
    return specs, _split_options(specs, options), _stats(pool)


def extract(manifest_or_paths: Any, features: Any = "mfcc", *, n_jobs: Optional[int] = None, sr: int = 16000,
            pool: Any = ("mean", "std"), on_error: str = "report", progress: Any = False,
            **options: Any) -> FeatureTable:
    """Featurize every item of a manifest (or a list of audio files) into one table.

    Returns a :class:`FeatureTable` indexed by item id with columns ``path``,
    ``duration_s`` (seconds after resampling to ``sr``), then one column per feature
    value: clip features as ``<feature>_<name>`` (eGeMAPS keeps openSMILE's names:
    ``egemaps_loudness_sma3_amean``), frame features pooled per item as
    ``<feature>_<stat>_<column>`` (``mfcc_mean_0``, ``f0_mean_hz``) with the ``pool``
    statistics, ignoring NaN frames (unvoiced F0 frames, ``_sma3nz`` LLDs) so a clip
    without a single voiced frame gives NaN. ``pool=None`` keeps each item's frame
    matrix in an object column named after the feature (see :func:`pool`).

    Files are read and resampled to ``sr`` on threads (the GIL is released), then each
    feature runs on affectkit's pool over chunks of :data:`CHUNK_SIZE` items with the
    batch functions (``n_jobs`` threads, default ``AFFECTKIT_NUM_THREADS`` or all cores).
    Items are read from their ``path``; manifest rows with ``path == ""`` (in-memory
    items) cannot be loaded and are reported as failures.

    ``on_error="report"``: an item that cannot be read or featurized is left out, listed
    in ``table.errors`` (``item, path, message``) and summarised in one warning; the others
    continue. ``on_error="raise"`` raises the first failure instead. ``progress`` as in
    :func:`progress_bar`. ``options`` as in :func:`featurize`.

    >>> man = ak.datasets.read_manifest("manifest.csv")                     # doctest: +SKIP
    >>> X = ak.features.extract(man, ["egemaps", "mfcc"], preset="kaldi")   # doctest: +SKIP
    >>> X.errors                                                             # doctest: +SKIP
    """
    specs, opts, stats = _check(features, n_jobs, sr, pool, on_error, options)
    items, paths = _items(manifest_or_paths)
    bar = progress_bar(len(items), progress)
    kept: "list[int]" = []
    durations: "list[float]" = []
    values: "dict[str, list[np.ndarray]]" = {f.name: [] for f in specs}
    errors: "list[tuple[str, str, str]]" = []
    threads = _reader_threads(n_jobs)
    with ThreadPoolExecutor(threads) as loader:
        for start in range(0, len(items), CHUNK_SIZE):
            idx = list(range(start, min(start + CHUNK_SIZE, len(items))))
            loaded = list(loader.map(lambda i: _load(paths[i], sr), idx))
            failed = {i: y for i, y in zip(idx, loaded) if isinstance(y, Exception)}
            where = {}  # the feature that failed, as a message prefix
            good = [(i, y) for i, y in zip(idx, loaded) if not isinstance(y, Exception)]
            results = {f.name: _batch(f, [y for _, y in good], sr, opts[f.name], n_jobs) for f in specs}
            for k, (i, y) in enumerate(good):
                bad = [(f.name, results[f.name][k]) for f in specs if isinstance(results[f.name][k], Exception)]
                if bad:
                    failed[i] = bad[0][1]
                    where[i] = f"{bad[0][0]}: "
                    continue
                kept.append(i)
                durations.append(len(y) / sr)
                for f in specs:
                    v = results[f.name][k]
                    if f.level == "frames" and stats is not None:
                        v = pool_frames(np.atleast_2d(v) if v.ndim == 1 else v, stats, skipna=True)
                    values[f.name].append(v)
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
    table = _assemble(specs, stats, [items[i] for i in kept], [paths[i] for i in kept], durations, values)
    table.errors = _errors_frame(errors)
    if errors:
        warnings.warn(f"affectkit.features.extract: {len(errors)} of {len(items)} item(s) failed "
                      f"(first: {errors[0][0]}: {errors[0][2]}); see table.errors", stacklevel=2)
    return table


def _assemble(specs, stats, items, paths, durations, values) -> FeatureTable:
    index = pd.Index(items, name="item", dtype=str)
    parts = [pd.DataFrame({"path": pd.Series(paths, index=index, dtype=str),
                           "duration_s": pd.Series(durations, index=index, dtype=np.float64)})]
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


def pool(table: pd.DataFrame, stats: Any = ("mean", "std")) -> FeatureTable:
    """Pool the frame columns of a ``pool=None`` :func:`extract` table into statistics
    (same column names and values as ``extract(..., pool=stats)``); ``errors`` is kept."""
    stats = _stats(stats)
    if stats is None:
        raise ParameterError("stats: expected statistics to pool with, got None")
    parts = []
    for name in table.columns:
        col = table[name]
        if col.dtype != object or name == "path":
            parts.append(col.to_frame(name))
            continue
        spec = FEATURES.get(name, Feature(name, "frames", lambda y, sr: y))
        vs = [pool_frames(m, stats, skipna=True) for m in col]
        if vs:
            width = vs[0].shape[0] // len(stats)
            cols = [f"{name}_{s}_{c}" for s in stats for c in spec.columns(width)]
            parts.append(pd.DataFrame(np.vstack(vs), index=table.index, columns=cols))
    out = FeatureTable(pd.concat(parts, axis=1))
    out.errors = getattr(table, "errors", _errors_frame([]))
    return out
