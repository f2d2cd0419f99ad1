"""Fundamental frequency: pYIN and YIN (librosa's definitions) and Praat's autocorrelation method (To Pitch (ac))."""

from __future__ import annotations

from typing import Any, Optional, Sequence
import numpy as np
from .. import _core, errors
from .._util.validation import _dtype_name, _keywords, _signal
from .contour import Contour
from .._util.docstrings import _with_keywords

from ._keywords import _KEYWORDS

#: The name of the third column of :func:`f0`'s result, per method.
F0_PROB_NAMES: "dict[str, str]" = {"pyin": "voiced_prob", "yin": "periodicity", "praat": "strength"}


class F0Result(Contour):
    """One F0 track, as :func:`f0` returns it: a :class:`~affectkit.Contour` with three columns.

    Columns: ``f0`` (Hz; NaN, or ``fill_na``, where unvoiced), ``voiced`` (1.0 / 0.0) and the
    method's voicing measure: ``voiced_prob`` (pyin: the voicing probability),
    ``periodicity`` (yin: ``1 - d'(tau)``) or ``strength`` (praat: the chosen candidate's
    strength); :data:`F0_PROB_NAMES`. ``times`` are the frame centres in seconds.

    Parameters
    ----------
    f0, voiced, prob, times : array_like
        One value per frame.
    method : {"pyin", "yin", "praat"}, default "pyin"
        Names the third column.
    params : mapping or None, default None
        The settings :func:`f0` ran with (its settings record, feature ``f0``).
    sr : float or None, default None
        The sample rate of the analysed signal, Hz.

    Attributes
    ----------
    f0 : ndarray of float64
        The ``f0`` column.
    voiced : ndarray of bool
        The voicing decision per frame.
    prob : ndarray of float64
        The third column, whatever the method.

    Notes
    -----
    Before issue 16 ``F0Result`` unpacked as ``f0, voiced, prob, times = ak.f0(y, sr)``; a
    Contour is not a tuple, so write ``tr = ak.f0(y, sr)`` and use ``tr.f0``, ``tr.voiced``,
    ``tr.prob``, ``tr.times`` (unchanged) or ``tr.to_frame()``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> tr = ak.f0(np.zeros(16000, np.float32), 16000, method="praat")
    >>> tr.names, bool(tr.voiced.any())
    (('f0', 'voiced', 'strength'), False)
    """

    __slots__ = ()

    def __init__(self, f0: Any, voiced: Any, prob: Any, times: Any, *, method: str = "pyin",
                 params: "Optional[dict[str, Any]]" = None, sr: Optional[float] = None) -> None:
        v = np.column_stack([np.asarray(f0, dtype=np.float64), np.asarray(voiced, dtype=np.float64),
                             np.asarray(prob, dtype=np.float64)])
        super().__init__(v, times, ("f0", "voiced", F0_PROB_NAMES.get(method, "prob")),
                         feature="f0", params=params, sr=sr)

    @property
    def f0(self) -> np.ndarray:
        return self.values[:, 0]

    @property
    def voiced(self) -> np.ndarray:
        return self.values[:, 1] > 0

    @property
    def prob(self) -> np.ndarray:
        return self.values[:, 2]

    def to_frame(self) -> Any:
        """:meth:`Contour.to_frame` with the ``voiced`` column as bool.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import numpy as np, affectkit as ak
        >>> ak.f0(np.zeros(16000, np.float32), 16000, method="yin").to_frame()["voiced"].dtype
        dtype('bool')
        """
        frame = super().to_frame()
        frame["voiced"] = frame["voiced"] > 0
        return frame


@_with_keywords(_KEYWORDS)
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

    ``method="pyin"`` reproduces ``librosa.pyin`` 0.11 (Mauch and Dixon 2014),
    ``"yin"`` ``librosa.yin`` 0.11 plus a voicing decision (de Cheveigné and Kawahara
    2002), ``"praat"`` Praat's "Sound: To Pitch (ac)..." (Boersma 1993) with
    parselmouth's frame times; :mod:`affectkit.audio.pitch` describes each. Unlike librosa,
    ``fmin``/``fmax`` default to Praat's 75-600 Hz. Silence and noise give unvoiced
    frames, not errors; ``fmin >= fmax``, ``fmax`` above Nyquist and non-finite samples
    raise :class:`affectkit.errors.ParameterError`.
    YIN and pYIN give the same track at any level: a signal whose peak lies outside
    [2**-10, 2**10] is scaled by a power of two first (exact); a peak above 1e6 (integer PCM
    passed as float without its full scale) is a :class:`~affectkit.errors.ParameterError`,
    and a signal of denormals (all below 1.2e-38) is silence, every frame unvoiced. Praat's
    thresholds and costs must be >= 0.

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float
        Sample rate in Hz.
    method : {"pyin", "yin", "praat"}, default "pyin"
        The tracker.
    fmin : float, default 75.0
        Lowest F0 in Hz (``pitch_floor`` for ``"praat"``).
    fmax : float, default 600.0
        Highest F0 in Hz (``pitch_ceiling`` for ``"praat"``).
    fill_na : float or None, default NaN
        F0 written on unvoiced frames; None keeps the best estimate there (librosa's
        ``fill_na=None``).
    dtype : numpy dtype, default np.float32
        ``np.float64`` computes the autocorrelation in double precision; outputs are
        float64 either way.
    **params
        The method's keywords, below; others raise ``ParameterError`` listing the accepted ones.

    Other Parameters
    ----------------
    {{pyin_yin}}
    {{praat_pitch}}

    Returns
    -------
    F0Result
        A :class:`~affectkit.Contour` with columns ``f0``, ``voiced`` and the method's
        voicing measure (``voiced_prob``, ``periodicity`` or ``strength``), one row per
        frame; ``.f0``, ``.voiced`` (bool), ``.prob`` and ``.times`` as arrays;
        ``.to_frame()`` a DataFrame indexed by time with its settings record.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(16000) / 16000
    >>> y = np.sin(2 * np.pi * 220 * t).astype(np.float32)
    >>> tr = ak.f0(y, 16000, method="pyin")
    >>> round(float(np.nanmedian(tr.f0)))
    220
    """
    f, voiced, prob, times = _core.audio.f0(_signal(y), float(sr), method, _f0_params(fmin, fmax, params),
                                      _dtype_name(dtype))
    settings = _keywords(f0, "f0", dict(params, method=method, fmin=fmin, fmax=fmax, fill_na=fill_na, dtype=dtype))
    return _f0_result(f, voiced, prob, times, fill_na, method, sr, settings)


def _f0_params(fmin: float, fmax: float, params: "dict[str, Any]") -> "dict[str, Any]":
    params = dict(params, fmin=float(fmin), fmax=float(fmax))
    if "beta_parameters" in params and params["beta_parameters"] is not None:
        params["beta_parameters"] = [float(v) for v in params["beta_parameters"]]
    return params


def _f0_result(f: np.ndarray, voiced: np.ndarray, prob: np.ndarray, times: np.ndarray,
               fill_na: Optional[float], method: str, sr: float, settings: "dict[str, Any]") -> F0Result:
    if fill_na is not None:
        f = np.where(voiced, f, float(fill_na))
    return F0Result(f, voiced, prob, times, method=method, params=settings, sr=float(sr))


def f0_batch(
    signals: "Sequence[Any]",
    sr: float,
    *,
    method: str = "pyin",
    fmin: float = 75.0,
    fmax: float = 600.0,
    fill_na: Optional[float] = np.nan,
    dtype: Any = np.float32,
    n_jobs: Optional[int] = None,
    **params: Any,
) -> "list[F0Result]":
    """:func:`f0` of every clip, in parallel on affectkit's pool (GIL released).

    Parameters
    ----------
    signals : sequence of array_like
        1-D signals at ``sr`` (a list; one 1-D array is refused: wrap it as ``[y]``).
    sr : float
        Sample rate in Hz.
    method : {"pyin", "yin", "praat"}, default "pyin"
        As :func:`f0`.
    fmin : float, default 75.0
        As :func:`f0`.
    fmax : float, default 600.0
        As :func:`f0`.
    fill_na : float or None, default NaN
        As :func:`f0`.
    dtype : numpy dtype, default np.float32
        As :func:`f0`.
    n_jobs : int or None, default None
        Threads; None: ``AFFECTKIT_NUM_THREADS``, else every core.
    **params
        The method's keywords, as :func:`f0` lists them.

    Returns
    -------
    list of F0Result
        One per clip, in order; a bad clip raises an error naming it (``clip 3: y: ...``).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(16000) / 16000
    >>> clips = [np.sin(2 * np.pi * f * t).astype(np.float32) for f in (150, 300)]
    >>> [round(float(np.nanmedian(r.f0))) for r in ak.f0_batch(clips, 16000, method="yin", n_jobs=2)]
    [150, 300]
    """
    if isinstance(signals, np.ndarray) and signals.ndim == 1:
        raise errors.InputTypeError("signals: expected a list of 1-D signals, got one 1-D array; wrap it as [y]")
    out = _core.audio.f0_batch([_signal(y) for y in signals], float(sr), method, _f0_params(fmin, fmax, params),
                         n_jobs, _dtype_name(dtype))
    settings = _keywords(f0, "f0", dict(params, method=method, fmin=fmin, fmax=fmax, fill_na=fill_na, dtype=dtype))
    return [_f0_result(*tr, fill_na, method, sr, settings) for tr in out]
