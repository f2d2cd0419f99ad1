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
(``mfcc={"n_mfcc": 13}``); the common keywords ``preset`` (mfcc, logmel), ``n_mfcc``,
``deltas`` (mfcc), ``n_mels`` (logmel), ``method``, ``fmin``, ``fmax`` (f0) go to every
selected feature that takes them.

Defaults: one per feature, the function's own, the same from Python, the command line,
:class:`affectkit.torch.FeatureDataset` and :mod:`affectkit.distributed`: ``mfcc`` and
``logmel`` use ``preset="librosa"`` with the preset's own sizes (20 coefficients, 128
mel bands, ``n_fft=2048``, ``hop_length=512``); ``preset="kaldi"`` or ``"htk"`` is a
choice you make explicitly, and the table records it.

Settings: every table :func:`extract` and :func:`pool` return carries a settings record
(:mod:`affectkit.settings`) in ``table.attrs["affectkit"]``: the feature sets, every
parameter with its resolved default (for ``mfcc``/``logmel`` the preset's full
parameter set, :func:`affectkit.frontend.resolved_params`; for the other features the
function's keywords), the analysis rate ``sr``, the pooling, and the items whose audio
was upsampled. :func:`settings` computes the same record without audio; :func:`write`
stores a table with it (parquet metadata, or a ``.json`` sidecar next to ``.csv`` and
``.npz``) and :func:`read` reads both back.

Low-rate audio: a file recorded below the rate a feature needs is upsampled to ``sr``
and lacks the content above half its native rate. What each feature needs:

=================  ==============================================================
feature            native rate needed
=================  ==============================================================
``mfcc``,          2 x the top of the mel filterbank: ``sr`` with the presets'
``logmel``         defaults (librosa ``fmax``, Kaldi ``high_freq``, HTK ``highfreq``)
``egemaps``,       16000 Hz (its spectral descriptors use the band up to 8 kHz)
``egemaps_lld``,
``gemaps``,
``gemaps_lld``
``formants``       2 x ``maximum_formant`` (11000 Hz with Praat's default 5500)
``f0``             2 x ``fmax`` (1200 Hz with the default 600)
``prosody``,       none (F0 and intensity only)
``voice_quality``
=================  ==============================================================

:func:`extract` warns once per run (:class:`~affectkit.errors.LowRateWarning`) naming
the first files and how many there are, lists them in ``table.low_rate`` (``item,
path, native_sr, features``) and the settings record the upsampled items. An analysis
rate ``sr`` below what a feature can work at (eGeMAPS below 16 kHz) is a
:class:`~affectkit.errors.ParameterError` before any file is read; so is any other
unusable option.

>>> import numpy as np, affectkit as ak
>>> y = np.sin(2 * np.pi * 220 * np.arange(16000) / 16000).astype(np.float32)
>>> f = ak.features.featurize(y, 16000, ["mfcc", "egemaps"])
>>> f["mfcc"].shape, f["egemaps"].shape
((32, 20), (88,))
"""

from __future__ import annotations

import inspect
import json
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
from . import settings as _settings
from .audio import POOLING_STATS, pool_frames
from .errors import AffectkitError, InputTypeError, LowRateWarning, ParameterError
from .manifest import MANIFEST_COLUMNS, check_manifest

__all__ = ["Feature", "FeatureTable", "FEATURES", "register", "available", "featurize", "extract",
           "pool", "item_ids", "settings", "feature_columns", "write", "read", "low_rate_message"]

_LEVELS = ("frames", "clip")
# items loaded and featurized together: bounds memory and sets the progress granularity
CHUNK_SIZE = 32


@dataclass(frozen=True)
class Feature:
    """One feature set of the registry.

    Parameters
    ----------
    name : str
        Registry name; also the prefix of the feature's table columns.
    level : {"frames", "clip"}
        ``compute(y, sr, **options)`` returns ``(n_frames, d)`` (``"frames"``) or
        ``(d,)`` (``"clip"``).
    compute : callable
        ``compute(y, sr, **options)`` for one mono signal.
    batch : callable or None, default None
        ``batch(signals, sr, n_jobs=..., **options)``: the same for a list of signals on
        affectkit's pool (GIL released); returns a list of arrays or an ``(n, d)`` array.
    names : sequence of str or None, default None
        The ``d`` column names (None: numbered ``0..d-1``).
    shared : frozenset of str, default frozenset()
        The common keywords (``preset``, ``n_mfcc``...) it takes.
    params : callable or None, default None
        ``params(sr, options) -> dict``: every parameter the feature runs with at analysis
        rate ``sr``, defaults resolved, raising :class:`~affectkit.errors.ParameterError`
        for an unusable option (the settings record, checked before any file is read).
        None: the options as given.
    min_native_sr : callable or None, default None
        ``min_native_sr(sr, params) -> float``: the native sample rate (Hz) a file needs
        for the feature's band, given the resolved ``params``; files below it are
        reported as upsampled. None: no need.

    Must be picklable (by value: cloudpickle) to run on a Dask cluster.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> peak = ak.features.Feature("peak", "clip", lambda y, sr: np.array([np.abs(y).max()]), names=("abs",))
    >>> ak.features.featurize(np.array([0.5, -1.0], np.float32), 16000, [peak])["peak"]
    array([1.], dtype=float32)
    """

    name: str
    level: str
    compute: Callable[..., np.ndarray]
    batch: Optional[Callable[..., Any]] = None
    names: Optional[Sequence[str]] = None
    shared: "frozenset[str]" = frozenset()
    params: Optional[Callable[[float, dict], dict]] = None
    min_native_sr: Optional[Callable[[float, dict], float]] = None

    def __reduce__(self):
        # a built-in feature travels by name (its functions are lambdas, which the standard
        # pickle of spawned workers cannot carry; every process has the built-ins); a
        # custom one, registered or not, by value, since other processes may not know it
        if self.name in _BUILTIN and FEATURES.get(self.name) is self:
            return (_registered, (self.name,))
        return (Feature, (self.name, self.level, self.compute, self.batch, self.names, self.shared, self.params,
                          self.min_native_sr))

    def columns(self, width: int) -> "list[str]":
        if self.names is None:
            return [str(j) for j in range(width)]
        if len(self.names) != width:
            raise ParameterError(f"features: {self.name} returned {width} columns but names {len(self.names)}")
        return list(self.names)

    def resolve(self, sr: float, options: Mapping[str, Any]) -> "dict[str, Any]":
        """Every parameter this feature runs with at ``sr`` (see ``params``)."""
        if self.params is None:
            return {k: _as_setting(v, f"{self.name}.{k}") for k, v in options.items()}
        return self.params(sr, dict(options))

    def needs(self, sr: float, params: Mapping[str, Any]) -> float:
        """The native rate (Hz) a file needs for this feature (0: any)."""
        return 0.0 if self.min_native_sr is None else float(self.min_native_sr(sr, params))


def _as_setting(value: Any, where: str) -> Any:
    """An option as plain data for the settings record; an object that is not plain data
    (a custom feature may take anything) is recorded by its ``repr``."""
    try:
        return _settings._plain(value, where)
    except ParameterError:
        return repr(value)


def _registered(name: str) -> Feature:
    feature = FEATURES.get(name)
    if feature is None:
        raise ParameterError(f"features: {name!r} is not registered in this process")
    return feature


def _f0_frames(track: Any) -> np.ndarray:
    return np.column_stack([track.f0, track.prob])


FEATURES: "dict[str, Feature]" = {}


def register(feature: Feature) -> Feature:
    """Add (or replace) a feature set under ``feature.name``.

    Registration is per process: to run a custom feature on Dask workers or in spawned
    DataLoader workers pass the :class:`Feature` object itself in ``features`` rather than
    its name; it is pickled by value (module-level functions for the standard pickle of
    spawned workers; Dask's cloudpickle also carries lambdas).

    Parameters
    ----------
    feature : Feature

    Returns
    -------
    Feature
        ``feature`` itself.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rms = ak.features.Feature("rms1", "clip", lambda y, sr: np.array([np.sqrt(np.mean(y ** 2))]))
    >>> f = ak.features.register(rms)
    >>> "rms1" in ak.features.available()
    True
    >>> del ak.features.FEATURES["rms1"]
    """
    if not isinstance(feature, Feature):
        raise InputTypeError(f"feature: expected an affectkit.features.Feature, got {type(feature).__name__}")
    if feature.level not in _LEVELS:
        raise ParameterError(f"feature.level: expected one of {_LEVELS}, got {feature.level!r}")
    FEATURES[feature.name] = feature
    return feature


def _mfcc_params(sr: float, o: dict) -> dict:
    return frontend.resolved_params("mfcc", sr, **o)


def _logmel_params(sr: float, o: dict) -> dict:
    return frontend.resolved_params("melspectrogram", sr, log=True, **o)


def _mel_top_native(sr: float, p: Mapping[str, Any]) -> float:
    """Twice the top of the mel filterbank, in each preset's spelling."""
    if "fmax" in p:  # librosa
        top = p["fmax"]
    elif "highfreq" in p:  # htk
        top = p["highfreq"]
    else:  # kaldi: high_freq <= 0 is relative to Nyquist
        top = p["high_freq"] + sr / 2 if p["high_freq"] <= 0 else p["high_freq"]
    return 2.0 * float(top)


#: eGeMAPS analyses at 16 kHz: its spectral descriptors use the band up to 8 kHz.
EGEMAPS_SR = 16000


def _egemaps_params(sr: float, o: dict) -> dict:
    if o:
        raise ParameterError(f"{', '.join(o)}: not an option of egemaps (it takes none)")
    if sr < EGEMAPS_SR:
        raise ParameterError(f"sr: egemaps needs an analysis rate of at least {EGEMAPS_SR} Hz (its spectral "
                             f"descriptors use the band up to 8 kHz), got {sr!r}")
    return {}


def _egemaps_native(sr: float, p: Mapping[str, Any]) -> float:
    return float(EGEMAPS_SR)


def _keywords(func: Callable[..., Any], name: str, o: dict) -> dict:
    """``o`` with the keyword defaults of ``func``'s signature filled in (names that go to
    a ``**params`` catch-all are kept as given; ``n_jobs`` is how, not what, so left out)."""
    sig = inspect.signature(func)
    out = {}
    catch_all = False
    for p in sig.parameters.values():
        if p.kind is p.VAR_KEYWORD:
            catch_all = True
        elif p.kind is p.KEYWORD_ONLY and p.name != "n_jobs":
            out[p.name] = p.default
    unknown = [k for k in o if k not in out]
    if unknown and not catch_all:
        raise ParameterError(f"{unknown[0]}: not a parameter of {name}; accepted: {', '.join(out) or 'none'}")
    out.update(o)
    if "dtype" in out:
        out["dtype"] = frontend._dtype_name(out["dtype"])
    return out


# A short voiced test signal: options of the Praat/pYIN features are checked on it once,
# before any file is read (their keyword sets live in the Rust functions)
_PROBE_SECONDS = 1.0


def _probe(sr: float) -> np.ndarray:
    t = np.arange(int(_PROBE_SECONDS * sr)) / sr
    noise = np.random.default_rng(0).standard_normal(len(t))
    return (0.3 * np.sin(2 * np.pi * 150 * t) + 0.01 * noise).astype(np.float32)


def _checked_by_probe(name: str, func: Callable[..., Any],
                      compute: Callable[..., Any]) -> Callable[[float, dict], dict]:
    def params(sr: float, o: dict) -> dict:
        resolved = _keywords(func, name, o)
        compute(_probe(sr), sr, **o)
        return resolved

    params.__qualname__ = f"params_{name}"
    return params


def _prosody_clip(y, sr, **o):
    return np.array(list(prosody.prosody(y, sr, **o).values()))


def _voice_quality_clip(y, sr, **o):
    return np.array(list(prosody.voice_quality(y, sr, **o).values()))


def _f0_compute(y, sr, **o):
    return _f0_frames(prosody.f0(y, sr, **o))


def _formants_compute(y, sr, **o):
    return prosody.formants(y, sr, **o)[0]


for _f in (
    Feature("mfcc", "frames", frontend.mfcc, frontend.mfcc_batch, None, frozenset({"preset", "n_mfcc", "deltas"}),
            _mfcc_params, _mel_top_native),
    Feature("logmel", "frames", lambda y, sr, **o: frontend.melspectrogram(y, sr, log=True, **o),
            lambda ys, sr, **o: frontend.melspectrogram_batch(ys, sr, log=True, **o), None,
            frozenset({"preset", "n_mels"}), _logmel_params, _mel_top_native),
    Feature("egemaps", "clip", egemaps, egemaps_batch, EGEMAPS_FUNCTIONALS, frozenset(), _egemaps_params,
            _egemaps_native),
    Feature("egemaps_lld", "frames", lambda y, sr: egemaps(y, sr, level="lld"),
            lambda ys, sr, n_jobs=None: egemaps_batch(ys, sr, level="lld", n_jobs=n_jobs), EGEMAPS_LLD, frozenset(),
            _egemaps_params, _egemaps_native),
    Feature("gemaps", "clip", lambda y, sr: egemaps(y, sr, version="v01b"),
            lambda ys, sr, n_jobs=None: egemaps_batch(ys, sr, n_jobs=n_jobs, version="v01b"), GEMAPS_FUNCTIONALS,
            frozenset(), _egemaps_params, _egemaps_native),
    Feature("gemaps_lld", "frames", lambda y, sr: egemaps(y, sr, level="lld", version="v01b"),
            lambda ys, sr, n_jobs=None: egemaps_batch(ys, sr, level="lld", n_jobs=n_jobs, version="v01b"),
            GEMAPS_LLD, frozenset(), _egemaps_params, _egemaps_native),
    Feature("prosody", "clip", _prosody_clip, prosody.prosody_batch, prosody.PROSODY_NAMES, frozenset(),
            _checked_by_probe("prosody", prosody.prosody, _prosody_clip)),
    Feature("voice_quality", "clip", _voice_quality_clip, prosody.voice_quality_batch, prosody.VOICE_QUALITY_NAMES,
            frozenset(), _checked_by_probe("voice_quality", prosody.voice_quality, _voice_quality_clip)),
    Feature("f0", "frames", _f0_compute,
            lambda ys, sr, **o: [_f0_frames(t) for t in prosody.f0_batch(ys, sr, **o)], ("hz", "prob"),
            frozenset({"method", "fmin", "fmax"}), _checked_by_probe("f0", prosody.f0, _f0_compute),
            lambda sr, p: 2.0 * float(p["fmax"])),
    Feature("formants", "frames", _formants_compute,
            lambda ys, sr, **o: [t for t, _ in prosody.formants_batch(ys, sr, **o)], prosody.FORMANT_NAMES,
            frozenset(), _checked_by_probe("formants", prosody.formants, _formants_compute),
            lambda sr, p: 2.0 * float(p["maximum_formant"])),
):
    register(_f)
# the feature sets every process has: these alone are pickled by name
_BUILTIN = frozenset(FEATURES)


def available() -> "list[str]":
    """Names of the registered feature sets.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import affectkit as ak
    >>> ak.features.available()[:3]
    ['mfcc', 'logmel', 'egemaps']
    """
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
    """Compute the named feature sets of one mono signal.

    Parameters
    ----------
    y : array-like
        A mono signal (float or integer PCM).
    sr : float
        Its sample rate, Hz.
    features : str, Feature or list of them, default "mfcc"
        Registry names (:func:`available`) or :class:`Feature` objects.
    **options
        Feature options (see the module docstring): ``<feature>={...}`` or the common
        keywords ``preset``, ``n_mfcc``, ``deltas``, ``n_mels``, ``method``, ``fmin``,
        ``fmax``.

    Returns
    -------
    dict of str to numpy.ndarray
        ``{name: array}``: frames ``(n_frames, d)`` or clip vectors ``(d,)``.

    Raises
    ------
    ParameterError
        Naming the argument, as the underlying functions do.

    Examples
    --------
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


def _errors_frame(rows: "list[tuple[str, str, str]]") -> pd.DataFrame:
    # str dtype on both sides of a pickle (pandas 3 infers it for strings, but not when empty)
    return pd.DataFrame(rows, columns=["item", "path", "message"]).astype(str)


_LOW_RATE_COLUMNS = ["item", "path", "native_sr", "needed_sr", "features"]


def _low_rate_frame(rows: "list[tuple[str, str, int, float, str]]") -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=_LOW_RATE_COLUMNS)
    return df.astype({"item": str, "path": str, "native_sr": np.int64, "needed_sr": np.float64, "features": str})


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


def _items(data: Any) -> "tuple[list[str], list[str], Optional[pd.DataFrame]]":
    """Item ids, paths and, for a manifest, its other columns (passed through)."""
    if isinstance(data, pd.DataFrame):
        check_manifest(data)
        items = [str(v) for v in data["item"]]
        extra = data.drop(columns=["item", "path"]).reset_index(drop=True)
        extra.index = pd.Index(items, name="item", dtype=str)
        return items, ["" if v is None else str(v) for v in data["path"]], extra
    if isinstance(data, (str, os.PathLike)):
        data = [data]
    if not isinstance(data, Iterable):
        raise InputTypeError(f"manifest_or_paths: expected a manifest DataFrame or a list of paths, "
                             f"got {type(data).__name__}")
    paths = [os.fspath(p) for p in data]
    return item_ids(paths), paths, None


def _stats(pool: Any) -> Optional["tuple[str, ...]"]:
    if pool is None:
        return None
    stats = (pool,) if isinstance(pool, str) else tuple(pool)
    bad = [s for s in stats if s not in POOLING_STATS]
    if bad or not stats:
        raise ParameterError(f"pool: expected None or statistics from {POOLING_STATS}, got {pool!r}")
    return stats


def _load(path: str, sr: int) -> "Union[tuple[np.ndarray, int], Exception]":
    """The item's samples at ``sr`` and the file's native rate (one decode), or the error."""
    if path == "":
        return ParameterError("path is empty (an in-memory item): featurize its signal with ak.features.featurize")
    try:
        return frontend._load_native(path, sr)
    except (AffectkitError, OSError, ValueError) as e:
        return e


def _reader_threads(n_jobs: Optional[int]) -> int:
    """Threads that read files (the decoder releases the GIL): the size of affectkit's pool
    for ``n_jobs`` (``_core.resolve_n_jobs``: ``n_jobs``, else ``AFFECTKIT_NUM_THREADS``,
    else all cores; joblib-style negatives; capped with a warning), at most a chunk."""
    from . import _core

    return max(1, min(CHUNK_SIZE, _core.resolve_n_jobs(n_jobs)))


def progress_bar(total: int, progress: Any) -> Any:
    """The progress reporter ``extract`` uses.

    Parameters
    ----------
    total : int
        Number of files.
    progress : bool, None or object
        False/None: silent (returns None); True: tqdm when installed, else affectkit's
        terminal status line; an object with ``update(done, label)`` and ``close()``:
        itself.

    Returns
    -------
    object or None
    """
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


@dataclass(frozen=True)
class _Plan:
    """An extraction's configuration, checked before any file is read."""

    specs: "list[Feature]"
    opts: "dict[str, dict]"  # per-feature options as given
    stats: Optional["tuple[str, ...]"]
    params: "dict[str, dict]"  # per-feature parameters, defaults resolved
    needs: "dict[str, float]"  # per-feature native rate needed, Hz
    sr: int

    def record(self, upsampled: Optional[Sequence[str]] = None) -> "dict[str, Any]":
        frames = any(f.level == "frames" for f in self.specs)
        return _settings.make(self.params, sr=self.sr, pool=self.stats if frames else None, upsampled=upsampled)

    def low_rate(self, native: int) -> "tuple[float, list[str]]":
        """(the highest rate needed, the features that need more than ``native``)."""
        short = [name for name, need in self.needs.items() if native < need]
        return max((self.needs[n] for n in short), default=0.0), short


def _plan(features: Any, sr: Any, pool: Any, options: Mapping[str, Any]) -> _Plan:
    if not isinstance(sr, (int, np.integer)) or isinstance(sr, bool) or sr <= 0:
        raise ParameterError(f"sr: expected a positive whole number of Hz, got {sr!r}")
    specs = _resolve(features)
    opts = _split_options(specs, options)
    stats = _stats(pool)
    params = {f.name: f.resolve(int(sr), opts[f.name]) for f in specs}
    needs = {f.name: f.needs(int(sr), params[f.name]) for f in specs}
    return _Plan(specs, opts, stats, params, needs, int(sr))


def _check(features: Any, n_jobs: Any, sr: Any, pool: Any, on_error: Any, options: Mapping[str, Any]) -> _Plan:
    """:func:`extract`'s arguments checked, every feature's options included."""
    if on_error not in ("report", "raise"):
        raise ParameterError(f"on_error: expected 'report' or 'raise', got {on_error!r}")
    if n_jobs is not None and (not isinstance(n_jobs, (int, np.integer)) or isinstance(n_jobs, bool) or n_jobs == 0):
        raise ParameterError(f"n_jobs: expected a positive count, a negative joblib-style count or None, "
                             f"got {n_jobs!r}")
    return _plan(features, sr, pool, options)


def settings(features: Any = "mfcc", *, sr: int = 16000, pool: Any = ("mean", "std"),
             upsampled: Optional[Sequence[str]] = None, **options: Any) -> "dict[str, Any]":
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
    return _plan(features, sr, pool, options).record(upsampled)


def extract(manifest_or_paths: Any, features: Any = "mfcc", *, n_jobs: Optional[int] = None, sr: int = 16000,
            pool: Any = ("mean", "std"), on_error: str = "report", progress: Any = False,
            **options: Any) -> FeatureTable:
    """Featurize every item of a manifest (or a list of audio files) into one table.

    Files are read and resampled to ``sr`` on threads (the GIL is released), then each
    feature runs on affectkit's pool over chunks of :data:`CHUNK_SIZE` items with the
    batch functions. Items are read from their ``path``; manifest rows with
    ``path == ""`` (in-memory items) cannot be loaded and are reported as failures.
    The options are checked once, before any file is read.

    Parameters
    ----------
    manifest_or_paths : DataFrame or sequence of path-like
        A manifest (:mod:`affectkit.manifest`) or audio files (item ids: the stems).
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
        ``table.low_rate`` list failed and upsampled files.

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
    """
    plan = _check(features, n_jobs, sr, pool, on_error, options)
    specs, opts, stats, sr = plan.specs, plan.opts, plan.stats, plan.sr
    items, paths, extra = _items(manifest_or_paths)
    bar = progress_bar(len(items), progress)
    kept: "list[int]" = []
    durations: "list[float]" = []
    values: "dict[str, list[np.ndarray]]" = {f.name: [] for f in specs}
    errors: "list[tuple[str, str, str]]" = []
    low: "list[tuple[str, str, int, float, str]]" = []
    upsampled: "list[str]" = []
    threads = _reader_threads(n_jobs)
    with ThreadPoolExecutor(threads) as loader:
        for start in range(0, len(items), CHUNK_SIZE):
            idx = list(range(start, min(start + CHUNK_SIZE, len(items))))
            loaded = list(loader.map(lambda i: _load(paths[i], sr), idx))
            failed = {i: y for i, y in zip(idx, loaded) if isinstance(y, Exception)}
            where = {}  # the feature that failed, as a message prefix
            good = [(i, y, native) for i, got in zip(idx, loaded) if not isinstance(got, Exception)
                    for y, native in [got]]
            results = {f.name: _batch(f, [y for _, y, _ in good], sr, opts[f.name], n_jobs) for f in specs}
            for k, (i, y, native) in enumerate(good):
                bad = [(f.name, results[f.name][k]) for f in specs if isinstance(results[f.name][k], Exception)]
                if bad:
                    failed[i] = bad[0][1]
                    where[i] = f"{bad[0][0]}: "
                    continue
                kept.append(i)
                durations.append(len(y) / sr)
                if native < sr:
                    upsampled.append(items[i])
                need, short = plan.low_rate(native)
                if short:
                    low.append((items[i], paths[i], native, need, ", ".join(short)))
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
    kept_items = [items[i] for i in kept]
    table = _assemble(specs, stats, kept_items, [paths[i] for i in kept], durations, values,
                      None if extra is None else extra.iloc[kept])
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


def _assemble(specs, stats, items, paths, durations, values, extra=None) -> FeatureTable:
    index = pd.Index(items, name="item", dtype=str)
    parts = [pd.DataFrame({"path": pd.Series(paths, index=index, dtype=str)})]
    if extra is not None:
        parts.append(extra.set_axis(index))
    parts.append(pd.DataFrame({"duration_s": pd.Series(durations, index=index, dtype=np.float64)}))
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
    (frames when the table keeps them, else the item's values), ``items``, ``paths`` and
    the manifest's core columns, with a sidecar.

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
    from .errors import ReadError

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
