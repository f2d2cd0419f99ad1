"""Prosody: fundamental frequency (F0) tracks.

``ak.f0(y, sr, method=...)`` returns an :class:`F0Result` with one row per frame:
``f0`` in Hz (NaN on unvoiced frames), ``voiced`` (bool), ``prob`` and ``times`` (the
centre of each frame, seconds).

``method="pyin"`` (default)
    Probabilistic YIN (Mauch & Dixon 2014, "pYIN: A fundamental frequency estimator using
    probabilistic threshold distributions", ICASSP), reproducing ``librosa.pyin`` 0.11 with
    its defaults and keyword names: ``frame_length=2048``, ``hop_length=frame_length//4``,
    ``n_thresholds=100``, ``beta_parameters=(2, 18)``, ``boltzmann_parameter=2``,
    ``resolution=0.1`` (semitones), ``max_transition_rate=35.92`` (octaves/s),
    ``switch_prob=0.01``, ``no_trough_prob=0.01``, ``fill_na=np.nan``, ``center=True``,
    ``pad_mode="constant"``. ``prob`` is the voicing probability.
``method="yin"``
    YIN (de Cheveigné & Kawahara 2002, "YIN, a fundamental frequency estimator for speech
    and music", JASA 111(4)), reproducing ``librosa.yin`` 0.11: same framing keywords plus
    ``trough_threshold=0.1``. librosa's YIN has no voicing decision; here a frame is voiced
    when its cumulative mean normalised difference has a trough below
    ``trough_threshold`` (the paper's absolute threshold) and ``prob`` is ``1 - d'(tau)``
    at the chosen period, clipped to [0, 1]. ``fill_na=None`` gives exactly librosa's
    output, the global-minimum estimate on every frame.

Unlike librosa, ``fmin`` and ``fmax`` default to 75 and 600 Hz (Praat's pitch range).
Silence and noise give unvoiced frames (NaN), not errors. ``fmin >= fmax``, ``fmax`` above
Nyquist, an ``fmin`` whose period does not fit in ``frame_length``, and NaN or infinite
samples raise :class:`affectkit.errors.ParameterError` (a ``ValueError``). With
``center=True`` a clip of any length is analysed (the frames are zero-padded, as librosa);
with ``center=False`` a clip shorter than ``frame_length`` is an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from . import _core
from .frontend import _dtype_name, _signal

__all__ = ["F0Result", "f0"]


@dataclass(frozen=True)
class F0Result:
    """One F0 track: arrays of one value per frame.

    ``f0``: Hz, NaN (or ``fill_na``) where unvoiced; ``voiced``: bool; ``prob``: voicing
    probability (pyin) or periodicity (yin); ``times``: frame centres in seconds.
    """

    f0: np.ndarray
    voiced: np.ndarray
    prob: np.ndarray
    times: np.ndarray

    def __len__(self) -> int:
        return len(self.f0)

    def __iter__(self):
        # tuple-style unpacking: f0, voiced, prob = ak.f0(...)[:3] is not needed;
        # ``f0, voiced, prob, times = ak.f0(...)`` works.
        return iter((self.f0, self.voiced, self.prob, self.times))


def f0(
    y: Any,
    sr: float,
    *,
    method: str = "pyin",
    fmin: float = 75.0,
    fmax: float = 600.0,
    fill_na: Optional[float] = np.nan,
    dtype: Any = np.float32,
    **params: Any,
) -> F0Result:
    """Fundamental frequency track of a mono signal.

    ``method`` is ``"pyin"`` (librosa.pyin; Mauch & Dixon 2014) or ``"yin"`` (librosa.yin;
    de Cheveigné & Kawahara 2002); the module docstring lists every keyword and default.
    ``fill_na`` replaces F0 on unvoiced frames (``None`` keeps the best estimate, as
    librosa's ``fill_na=None``). ``dtype=np.float64`` computes the autocorrelation in double
    precision; outputs are float64 either way.

    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(16000) / 16000
    >>> y = np.sin(2 * np.pi * 220 * t).astype(np.float32)
    >>> tr = ak.f0(y, 16000, method="pyin")
    >>> round(float(np.nanmedian(tr.f0)))
    220
    """
    params = dict(params, fmin=float(fmin), fmax=float(fmax))
    if "beta_parameters" in params and params["beta_parameters"] is not None:
        params["beta_parameters"] = [float(v) for v in params["beta_parameters"]]
    f, voiced, prob, times = _core.f0(_signal(y), float(sr), method, params, _dtype_name(dtype))
    if fill_na is not None:
        f = np.where(voiced, f, float(fill_na))
    return F0Result(f0=f, voiced=voiced, prob=prob, times=times)
