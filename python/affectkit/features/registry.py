"""The feature registry: each named feature's function, defaults and level (frames or clip); :func:`featurize` for one signal."""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence
import numpy as np
from ..audio.opensmile import EGEMAPS_FUNCTIONALS, EGEMAPS_LLD, GEMAPS_FUNCTIONALS, GEMAPS_LLD, egemaps, egemaps_batch
from .. import audio
from .._util.validation import _keywords
from .. import settings as _settings
from ..errors import InputTypeError, ParameterError


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
    return audio.resolved_params("mfcc", sr, **o)


def _logmel_params(sr: float, o: dict) -> dict:
    return audio.resolved_params("melspectrogram", sr, log=True, **o)


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
    return audio.prosody(y, sr, **o).to_numpy()


def _voice_quality_clip(y, sr, **o):
    return audio.voice_quality(y, sr, **o).to_numpy()


def _prosody_batch(ys, sr, **o):
    return audio.prosody_batch(ys, sr, **o).to_numpy()


def _voice_quality_batch(ys, sr, **o):
    return audio.voice_quality_batch(ys, sr, **o).to_numpy()


def _f0_compute(y, sr, **o):
    return _f0_frames(audio.f0(y, sr, **o))


def _formants_compute(y, sr, **o):
    return audio.formants(y, sr, **o).values


for _f in (
    Feature("mfcc", "frames", audio.mfcc, audio.mfcc_batch, None, frozenset({"preset", "n_mfcc", "deltas"}),
            _mfcc_params, _mel_top_native),
    Feature("logmel", "frames", lambda y, sr, **o: audio.melspectrogram(y, sr, log=True, **o),
            lambda ys, sr, **o: audio.melspectrogram_batch(ys, sr, log=True, **o), None,
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
    Feature("prosody", "clip", _prosody_clip, _prosody_batch, audio.PROSODY_NAMES, frozenset(),
            _checked_by_probe("prosody", audio.prosody, _prosody_clip)),
    Feature("voice_quality", "clip", _voice_quality_clip, _voice_quality_batch, audio.VOICE_QUALITY_NAMES,
            frozenset(), _checked_by_probe("voice_quality", audio.voice_quality, _voice_quality_clip)),
    Feature("f0", "frames", _f0_compute,
            lambda ys, sr, **o: [_f0_frames(t) for t in audio.f0_batch(ys, sr, **o)], ("hz", "prob"),
            frozenset({"method", "fmin", "fmax"}), _checked_by_probe("f0", audio.f0, _f0_compute),
            lambda sr, p: 2.0 * float(p["fmax"])),
    Feature("formants", "frames", _formants_compute,
            lambda ys, sr, **o: [c.values for c in audio.formants_batch(ys, sr, **o)], audio.FORMANT_NAMES,
            frozenset(), _checked_by_probe("formants", audio.formants, _formants_compute),
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
            _not_windows(per_feature[key], f"{key}=")
            continue
        _not_windows({key: value}, "")
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


def _not_windows(options: Mapping[str, Any], where: str) -> None:
    """Windows are rows of a table, not an option of one feature: they go to ``extract``."""
    for key in ("win", "hop"):
        if key in options:
            raise ParameterError(f"{key}: windows are not a feature option ({where}{{{key!r}: ...}}); pass "
                                 f"{key}= to ak.features.extract / settings or to the per-clip function "
                                 f"(ak.egemaps(y, sr, win=...)); FeatureDataset and featurize give one row per item")


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
