"""eGeMAPS v02: the extended Geneva Minimalistic Acoustic Parameter Set.

Eyben, Scherer, Schuller, Sundberg, André, Busso, Devillers, Epps, Laukka, Narayanan,
Truong (2016), "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS) for Voice
Research and Affective Computing", IEEE Trans. Affective Computing 7(2).

``ak.egemaps(y, sr)`` gives the 88 functionals of a clip, ``level="lld"`` the 25
low-level descriptors per 10 ms frame; the column names are openSMILE's
(``ak.EGEMAPS_FUNCTIONALS``, ``ak.EGEMAPS_LLD``), so a result can replace
``opensmile.Smile(feature_set=FeatureSet.eGeMAPSv02, ...).process_signal(y, sr)``.
Implemented from the paper, not from openSMILE; where the paper leaves a choice open
the choice was measured against the ``opensmile`` 2.6 pip package (the Rust module
``src/audio/egemaps.rs`` lists each one) and the README tabulates the per-feature
agreement.

Sample rate: the analysis runs at 16 kHz. Higher rates are resampled to 16 kHz; rates
below 16 kHz raise :class:`affectkit.errors.ParameterError` (eGeMAPS' spectral
descriptors use the band up to 8 kHz).

Missing data: unvoiced frames are NaN in the ``_sma3nz`` LLD columns (openSMILE writes
0); voiced-only functionals of a clip without voiced frames (silence, noise) are NaN,
and every functional of a clip shorter than 60 ms (one pitch window) is NaN, with no
exception. NaN or infinite samples raise ``ParameterError``.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from . import _core
from .frontend import _signal

__all__ = ["EGEMAPS_FUNCTIONALS", "EGEMAPS_LLD", "egemaps", "egemaps_batch", "loudness"]

#: The 88 eGeMAPS v02 functional names, openSMILE's spelling and order.
EGEMAPS_FUNCTIONALS: "tuple[str, ...]" = tuple(_core.EGEMAPS_FUNCTIONALS)
#: The 25 eGeMAPS v02 LLD names, openSMILE's spelling and order.
EGEMAPS_LLD: "tuple[str, ...]" = tuple(_core.EGEMAPS_LLD)

_LEVELS = ("functionals", "lld")


def _frame(values: np.ndarray, level: str) -> Any:
    import pandas as pd

    if level == "lld":
        index = pd.Index(np.arange(len(values)) / 100.0, name="start")
        return pd.DataFrame(values, columns=list(EGEMAPS_LLD), index=index)
    return pd.DataFrame(np.atleast_2d(values), columns=list(EGEMAPS_FUNCTIONALS))


def egemaps(y: Any, sr: float, *, level: str = "functionals", as_frame: bool = False) -> Any:
    """eGeMAPS v02 features of one mono clip.

    ``level="functionals"``: the 88 functionals, a ``(88,)`` float64 array ordered as
    :data:`EGEMAPS_FUNCTIONALS`. ``level="lld"``: the 25 smoothed LLDs,
    ``(n_frames, 25)`` ordered as :data:`EGEMAPS_LLD`, one frame every 10 ms
    (``(N - 960) // 160 + 2`` frames for ``N >= 960`` samples at 16 kHz, as openSMILE).
    ``as_frame=True`` returns a pandas DataFrame with those column names (one row for
    functionals; the frame start time in seconds as index for LLDs) and its settings
    record in ``attrs["affectkit"]`` (feature ``egemaps`` or ``egemaps_lld`` at ``sr``;
    see :mod:`affectkit.settings`).

    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(32000) / 16000
    >>> y = (0.1 * np.sign(np.sin(2 * np.pi * 150 * t))).astype(np.float32)
    >>> f = ak.egemaps(y, 16000)
    >>> f.shape
    (88,)
    >>> round(float(f[0]), 1)   # F0 mean in semitones above 27.5 Hz: 12 log2(150 / 27.5)
    29.4
    """
    if level not in _LEVELS:
        from .errors import ParameterError

        raise ParameterError(f"level: expected one of {_LEVELS}, got {level!r}")
    out = _core.egemaps(_signal(y), float(sr), level)
    if not as_frame:
        return out
    from . import settings
    from .features import FEATURES

    name = "egemaps" if level == "functionals" else "egemaps_lld"  # the registry's names
    record = settings.make({name: FEATURES[name].resolve(sr, {})}, sr=sr)
    return settings.attach(_frame(out, level), record)


def egemaps_batch(signals: Sequence[Any], sr: float, *, level: str = "functionals",
                  n_jobs: Optional[int] = None) -> Any:
    """:func:`egemaps` of many clips in parallel on affectkit's worker pool.

    Returns a ``(n_clips, 88)`` array for ``level="functionals"``, a list of
    ``(n_frames, 25)`` arrays for ``level="lld"``. ``n_jobs`` (default: the
    ``AFFECTKIT_NUM_THREADS`` variable or all cores) sets the pool size.
    """
    if isinstance(signals, np.ndarray) and signals.ndim == 1:
        from .errors import ParameterError

        raise ParameterError("signals: expected a list of signals, got one 1-D array; wrap it as [y]")
    ys = [_signal(y, f"signals[{i}]") for i, y in enumerate(signals)]
    return _core.egemaps_batch(ys, float(sr), level, n_jobs)


def loudness(y: Any, sr: float, *, smooth: bool = True) -> "tuple[np.ndarray, np.ndarray]":
    """eGeMAPS loudness contour: ``(loudness, times)``, one value every 10 ms.

    Loudness is the sum over an auditory spectrum (Eyben et al. 2016, after Hermansky's
    PLP, 1990): 26 mel bands (20-8000 Hz) of a 20 ms Hamming-windowed power spectrum,
    weighted by the equal-loudness curve and compressed by the power law ``^0.33``,
    scaled to openSMILE's units. ``smooth=True`` gives ``Loudness_sma3`` (3-frame moving
    average), ``False`` the raw values. ``times`` are frame start times in seconds.

    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(16000) / 16000
    >>> quiet, loud = (a * np.sin(2 * np.pi * 1000 * t) for a in (0.01, 0.1))
    >>> bool(ak.loudness(loud, 16000)[0].mean() > ak.loudness(quiet, 16000)[0].mean())
    True
    """
    return _core.loudness(_signal(y), float(sr), bool(smooth))
