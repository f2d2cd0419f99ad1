"""Prosody: fundamental frequency (F0) tracks, intensity, and functionals over contours.

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

``method="praat"``
    Praat's "Sound: To Pitch (ac)..." (Boersma 1993, "Accurate short-term analysis of the
    fundamental frequency and the harmonics-to-noise ratio of a sampled sound", Proc.
    Institute of Phonetic Sciences 17), reimplemented from the paper and the Praat manual
    with Praat's defaults and parselmouth's keyword names: ``time_step=None``
    (``0.75 / pitch_floor``), ``pitch_floor=75`` (alias ``fmin``), ``pitch_ceiling=600``
    (alias ``fmax``), ``max_number_of_candidates=15``, ``silence_threshold=0.03``,
    ``voicing_threshold=0.45``, ``octave_cost=0.01``, ``octave_jump_cost=0.35``,
    ``voiced_unvoiced_cost=0.14``: Hanning windows of three periods of the floor on
    Praat's centred frame grid (``times`` equal parselmouth's ``Pitch.xs()``), the frame's
    autocorrelation divided by the window's, parabolic peak refinement, Viterbi path.
    ``prob`` is the chosen candidate's strength. Differences from Praat: parabolic instead
    of sinc interpolation of the autocorrelation peaks. On the bundled speech the voicing
    decisions agree with parselmouth on 98.6-100 % of frames per clip, with no gross
    pitch error (> 20 %) and F0 within 1 % on 99.6-100 % of the frames both call voiced
    (tests/test_prosody.py asserts >= 98 %, <= 0.5 % and >= 99 % per clip).

Unlike librosa, ``fmin`` and ``fmax`` default to 75 and 600 Hz (Praat's pitch range).
Silence and noise give unvoiced frames (NaN), not errors. ``fmin >= fmax``, ``fmax`` above
Nyquist, an ``fmin`` whose period does not fit in ``frame_length``, and NaN or infinite
samples raise :class:`affectkit.errors.ParameterError` (a ``ValueError``). With
``center=True`` a clip of any length is analysed (the frames are zero-padded, as librosa);
with ``center=False`` a clip shorter than ``frame_length`` is an error, and so is a clip
shorter than the window (``3 / pitch_floor`` s) for ``method="praat"``.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from typing import Any, Optional, Sequence

import numpy as np

from . import _core, errors
from .frontend import _dtype_name, _signal, _with_keywords

__all__ = ["F0Result", "f0", "intensity", "functionals", "EGEMAPS_CONTOUR_FUNCTIONALS",
           "formants", "formants_batch", "voice_quality", "voice_quality_batch", "prosody",
           "prosody_batch", "glottal_pulses", "harmonicity", "FORMANT_NAMES",
           "VOICE_QUALITY_NAMES", "PROSODY_NAMES", "rms"]


# Keywords of the pitch trackers and Praat's voice measures, documented once and filled
# into every docstring that accepts them.
_KEYWORDS = {
    "pyin_yin": """
        frame_length : int, default 2048
            ``method="pyin"``/``"yin"``: analysis frame in samples (librosa's).
        hop_length : int or None, default None
            ``method="pyin"``/``"yin"``: samples between frames; None = ``frame_length // 4``.
        center : bool, default True
            ``method="pyin"``/``"yin"``: frames centred on ``t * hop_length`` (padded).
        pad_mode : str, default "constant"
            ``method="pyin"``/``"yin"``: padding when ``center`` (``"constant"``,
            ``"reflect"``, ``"symmetric"``, ``"edge"``).
        n_thresholds : int, default 100
            ``method="pyin"``: thresholds of the beta distribution.
        beta_parameters : tuple of float, default (2, 18)
            ``method="pyin"``: the beta distribution of thresholds.
        boltzmann_parameter : float, default 2
            ``method="pyin"``: Boltzmann prior over trough positions.
        resolution : float, default 0.1
            ``method="pyin"``: pitch bins per semitone step (0.1 = 10 cents).
        max_transition_rate : float, default 35.92
            ``method="pyin"``: octaves per second the Viterbi path may move.
        switch_prob : float, default 0.01
            ``method="pyin"``: probability of a voiced/unvoiced switch.
        no_trough_prob : float, default 0.01
            ``method="pyin"``: voicing probability given to frames without a trough.
        trough_threshold : float, default 0.1
            ``method="yin"``: the paper's absolute threshold on the cumulative mean
            normalised difference; a frame whose trough stays above it is unvoiced.""",
    "praat_pitch": """
        time_step : float or None, default None
            Praat pitch (ac): seconds between frames; None = ``0.75 / pitch_floor``.
        pitch_floor : float, default 75.0
            Praat pitch (ac): lowest F0 in Hz (alias ``fmin``); the window is three of its periods.
        pitch_ceiling : float, default 600.0
            Praat pitch (ac): highest F0 in Hz (alias ``fmax``).
        max_number_of_candidates : int, default 15
            Praat pitch (ac): candidates per frame.
        silence_threshold : float, default 0.03
            Praat pitch (ac): frames below this fraction of the global peak are unvoiced.
        voicing_threshold : float, default 0.45
            Praat pitch (ac): strength the unvoiced candidate competes with.
        octave_cost : float, default 0.01
            Praat pitch (ac): favours higher candidates, per octave.
        octave_jump_cost : float, default 0.35
            Praat pitch (ac): Viterbi cost of an octave jump.
        voiced_unvoiced_cost : float, default 0.14
            Praat pitch (ac): Viterbi cost of a voicing switch.""",
    "voice": """
        period_floor : float, default 0.0001
            Shortest period (s) jitter and shimmer use (Praat's default).
        period_ceiling : float, default 0.02
            Longest period (s).
        max_period_factor : float, default 1.3
            Largest ratio of consecutive periods used.
        max_amplitude_factor : float, default 1.6
            Largest ratio of consecutive amplitudes used (shimmer).
        hnr_time_step : float, default 0.01
            To Harmonicity (cc): seconds between frames.
        hnr_minimum_pitch : float, default 75.0
            To Harmonicity (cc): minimum pitch in Hz.
        hnr_silence_threshold : float, default 0.1
            To Harmonicity (cc): silence threshold.
        hnr_periods_per_window : float, default 1.0
            To Harmonicity (cc): periods per window.""",
    "prosody": """
        intensity_minimum_pitch : float, default 100.0
            :func:`intensity`'s ``minimum_pitch`` for the intensity statistics.
        min_pause : float, default 0.1
            Shortest silent stretch (s) counted as a pause.
        silence_threshold_db : float, default -25.0
            Frames this many dB (or more) below the loudest frame are silent.""",
}


@dataclass(frozen=True)
class F0Result:
    """One F0 track, as :func:`f0` returns it: arrays of one value per frame.

    Unpacks as ``f0, voiced, prob, times = ak.f0(y, sr)``.

    Attributes
    ----------
    f0 : ndarray of float64
        F0 in Hz; NaN (or ``fill_na``) where unvoiced.
    voiced : ndarray of bool
        The voicing decision per frame.
    prob : ndarray of float64
        Voicing probability (pyin), periodicity ``1 - d'(tau)`` (yin) or the chosen
        candidate's strength (praat).
    times : ndarray of float64
        Frame centres in seconds.
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
    parselmouth's frame times; :mod:`affectkit.prosody` describes each. Unlike librosa,
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
        ``f0``, ``voiced``, ``prob``, ``times``, one value per frame.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(16000) / 16000
    >>> y = np.sin(2 * np.pi * 220 * t).astype(np.float32)
    >>> tr = ak.f0(y, 16000, method="pyin")
    >>> round(float(np.nanmedian(tr.f0)))
    220
    """
    f, voiced, prob, times = _core.f0(_signal(y), float(sr), method, _f0_params(fmin, fmax, params),
                                      _dtype_name(dtype))
    return _f0_result(f, voiced, prob, times, fill_na)


def _f0_params(fmin: float, fmax: float, params: "dict[str, Any]") -> "dict[str, Any]":
    params = dict(params, fmin=float(fmin), fmax=float(fmax))
    if "beta_parameters" in params and params["beta_parameters"] is not None:
        params["beta_parameters"] = [float(v) for v in params["beta_parameters"]]
    return params


def _f0_result(f: np.ndarray, voiced: np.ndarray, prob: np.ndarray, times: np.ndarray,
               fill_na: Optional[float]) -> F0Result:
    if fill_na is not None:
        f = np.where(voiced, f, float(fill_na))
    return F0Result(f0=f, voiced=voiced, prob=prob, times=times)


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
    out = _core.f0_batch([_signal(y) for y in signals], float(sr), method, _f0_params(fmin, fmax, params),
                         n_jobs, _dtype_name(dtype))
    return [_f0_result(*tr, fill_na) for tr in out]


def intensity(
    y: Any,
    sr: float,
    *,
    minimum_pitch: float = 100.0,
    time_step: Optional[float] = None,
    subtract_mean: bool = True,
    dtype: Any = np.float32,
) -> "tuple[np.ndarray, np.ndarray]":
    """Intensity contour in dB, as Praat's "Sound: To Intensity..." (Boersma and Weenink,
    Praat manual); the defaults are parselmouth's ``Sound.to_intensity()``.

    The squared signal is averaged under a Kaiser-20 window of effective duration
    ``3.2 / minimum_pitch`` (physical ``6.4 / minimum_pitch``); ``db = 10 log10(I /
    4e-10)`` (re 20 micropascal; -300 dB for digital silence, as Praat). Frames are centred
    in the signal as Praat's; sample ``i`` sits at ``(i + 0.5) / sr``. A signal shorter
    than the window raises :class:`affectkit.errors.ParameterError`.

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float
        Sample rate in Hz.
    minimum_pitch : float, default 100.0
        Sets the window length (above).
    time_step : float or None, default None
        Seconds between frames; None = ``0.8 / minimum_pitch``.
    subtract_mean : bool, default True
        Remove each window's mean first.
    dtype : numpy dtype, default np.float32
        Precision of the computation.

    Returns
    -------
    db : ndarray of float64
        Intensity per frame, dB.
    times : ndarray of float64
        Frame centres in seconds.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> y = 0.1 * np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)
    >>> db, times = ak.intensity(y, 16000)
    >>> round(float(db.mean()), 1)
    71.0
    """
    return _core.intensity(_signal(y), float(sr), float(minimum_pitch), time_step, bool(subtract_mean), _dtype_name(dtype))


#: The ten functionals eGeMAPS applies to F0 and loudness, in its order (defined in
#: src/functionals.rs).
EGEMAPS_CONTOUR_FUNCTIONALS: "tuple[str, ...]" = tuple(_core.EGEMAPS_CONTOUR_FUNCTIONALS)


def functionals(
    contour: Any,
    which: "Sequence[str]" = EGEMAPS_CONTOUR_FUNCTIONALS,
    *,
    frame_rate: float = 100.0,
) -> "dict[str, Any]":
    """Statistics over a contour (any per-frame measure), NaN-aware, eGeMAPS definitions.

    NaN marks missing frames (unvoiced, no face) and is left out, as eGeMAPS' voiced-only
    (``_nz``) functionals leave out unvoiced frames.

    Parameters
    ----------
    contour : array_like
        1-D ``(n_frames,)`` or 2-D ``(n_frames, n_columns)``.
    which : sequence of str, default EGEMAPS_CONTOUR_FUNCTIONALS
        Names of the statistics (below). The default is the ten functionals eGeMAPS
        (Eyben et al. 2016, IEEE Trans. Affective Computing 7(2)) applies to F0 and
        loudness, with openSMILE's names.
    frame_rate : float, default 100.0
        Frames per second, for the slopes (100 for eGeMAPS' 10 ms step).

    Returns
    -------
    dict
        ``{name: value}``: a float per name for 1-D input, an array over columns for 2-D.

    Notes
    -----
    Names: ``mean``/``amean``, ``std``/``stddev`` (population, divide by N),
    ``stddevNorm`` (std / |mean|), ``min``, ``max``, ``range``, ``median``, ``iqr``,
    ``percentileP`` (P in [0, 100], linear interpolation as numpy), ``pctlrange0-2``
    (percentile 80 - percentile 20), ``risingSlopeMean``/``meanRisingSlope``,
    ``risingSlopeStddev``/``stddevRisingSlope``, the falling forms likewise, ``count``
    (finite values). Slopes: the finite values in order are cut into monotone runs at
    their turning points (plateaus belong to neither side); each run's slope is its value
    change per second (``frame_rate`` frames per second, 100 for eGeMAPS' 10 ms step);
    falling slopes are positive magnitudes. Anything undefined (no finite value, no
    rising part) is NaN. Infinite values raise :class:`affectkit.errors.ParameterError`.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.functionals(np.array([1.0, 2.0, np.nan, 3.0]), which=("mean", "percentile50"))
    {'mean': 2.0, 'percentile50': 2.0}
    """
    if isinstance(which, str):
        which = (which,)
    which = [str(w) for w in which]
    x = np.asarray(contour, dtype=np.float64)
    if x.ndim not in (1, 2):
        raise errors.ParameterError(
            f"contour: expected a 1-D (n_frames,) or 2-D (n_frames, n_columns) array, got shape {x.shape}"
        )
    x2 = x.reshape(len(x), 1) if x.ndim == 1 else x
    out = _core.functionals(np.ascontiguousarray(x2), which, float(frame_rate))
    if x.ndim == 1:
        return {w: float(out[0, k]) for k, w in enumerate(which)}
    return {w: out[:, k].copy() for k, w in enumerate(which)}


# --- Voice quality, formants and the compact prosody set (Praat definitions) ---------

#: Columns of :func:`formants`: F1-F3 frequency then bandwidth (Hz).
FORMANT_NAMES: "tuple[str, ...]" = ("F1", "F2", "F3", "B1", "B2", "B3")

#: Keys of :func:`voice_quality`, in order (defined in src/audio/praat/voice.rs).
VOICE_QUALITY_NAMES: "tuple[str, ...]" = tuple(_core.VOICE_QUALITY_NAMES)

#: Keys of :func:`prosody`, in order (defined in src/audio/praat/voice.rs).
PROSODY_NAMES: "tuple[str, ...]" = tuple(_core.PROSODY_NAMES)


def formants(
    y: Any,
    sr: float,
    *,
    time_step: Optional[float] = None,
    max_number_of_formants: float = 5.0,
    maximum_formant: float = 5500.0,
    window_length: float = 0.025,
    pre_emphasis_from: float = 50.0,
) -> "tuple[np.ndarray, np.ndarray]":
    """Formant track as Praat's "Sound: To Formant (burg)..." (parselmouth's
    ``Sound.to_formant_burg``), with its defaults and keyword names.

    The sound is resampled to ``2 * maximum_formant`` Hz, pre-emphasised from
    ``pre_emphasis_from`` Hz, cut into Gaussian windows of ``2 * window_length`` s, and each
    frame gets Burg LPC with ``2 * max_number_of_formants`` poles (Childers 1978; Press et
    al., Numerical Recipes). Difference from Praat: rubato's FFT resampler rather than
    Praat's sinc, so values differ slightly (tests/test_voice.py bounds it). A clip shorter
    than ``2 * window_length`` raises :class:`affectkit.errors.ParameterError`; so does a
    ``sr`` that is not a whole number of Hz.

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float
        Sample rate in Hz (a whole number).
    time_step : float or None, default None
        Seconds between frames; None = ``window_length / 4``.
    max_number_of_formants : float, default 5.0
        Formants sought below ``maximum_formant`` (poles = twice this).
    maximum_formant : float, default 5500.0
        Hz; 5500 suits adult women, Praat suggests 5000 for men.
    window_length : float, default 0.025
        Seconds (the Gaussian window is twice as long).
    pre_emphasis_from : float, default 50.0
        Hz above which the spectrum is lifted by 6 dB/octave.

    Returns
    -------
    table : ndarray of float64
        ``(n_frames, 6)``, columns :data:`FORMANT_NAMES` (F1, F2, F3 frequency, then their
        bandwidths, Hz), NaN where a frame has fewer formants (silence, or fewer roots
        between 50 Hz and Nyquist - 50 Hz).
    times : ndarray of float64
        Frame centres on Praat's grid, seconds.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> table, times = ak.formants(np.zeros(16000, np.float32), 16000)
    >>> table.shape[1], bool(np.isnan(table).all())
    (6, True)
    """
    params = dict(time_step=time_step, max_number_of_formants=float(max_number_of_formants),
                  maximum_formant=float(maximum_formant), window_length=float(window_length),
                  pre_emphasis_from=float(pre_emphasis_from))
    return _core.formants(_signal(y), float(sr), params)


def formants_batch(signals: "Sequence[Any]", sr: float, *, n_jobs: Optional[int] = None,
                   **params: Any) -> "list[tuple[np.ndarray, np.ndarray]]":
    """:func:`formants` of every clip, in parallel on affectkit's pool (GIL released).

    Parameters
    ----------
    signals : sequence of array_like
        1-D signals at ``sr``.
    sr : float
        Sample rate in Hz.
    n_jobs : int or None, default None
        Threads; None: ``AFFECTKIT_NUM_THREADS`` or all cores.
    **params
        :func:`formants`' keywords (``time_step``, ``max_number_of_formants``,
        ``maximum_formant``, ``window_length``, ``pre_emphasis_from``).

    Returns
    -------
    list of (table, times)
        One :func:`formants` result per clip, in order. An error names the clip.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> [t.shape[1] for t, _ in ak.formants_batch([np.zeros(8000), np.zeros(16000)], 16000)]
    [6, 6]
    """
    return _core.formants_batch([_signal(y) for y in signals], float(sr), params, n_jobs)


@_with_keywords(_KEYWORDS)
def voice_quality(y: Any, sr: float, **params: Any) -> "dict[str, float]":
    """Jitter, shimmer and harmonics-to-noise ratio of a clip, with Praat's definitions.

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float
        Sample rate in Hz.
    **params
        Praat's settings, below (Praat's and parselmouth's names).

    Other Parameters
    ----------------
    {{voice}}
    {{praat_pitch}}

    Returns
    -------
    dict
        ``{name: value}`` for :data:`VOICE_QUALITY_NAMES`:

        - ``jitter_local``, ``jitter_local_absolute`` (s), ``jitter_rap``, ``jitter_ppq5``,
          ``jitter_ddp``: Praat's "PointProcess: Get jitter (...)" over the glottal pulses of
          "Sound: To PointProcess (periodic, cc)" (Praat's pitch (ac), then
          period-by-period cross-correlation);
        - ``shimmer_local``, ``shimmer_local_db``, ``shimmer_apq3``, ``shimmer_apq5``,
          ``shimmer_apq11``, ``shimmer_dda``: Praat's "Get shimmer (...)" on the same pulses;
        - ``hnr_db``: mean over voiced frames of Praat's "Sound: To Harmonicity (cc)", as
          parselmouth's ``to_harmonicity_cc()`` then "Get mean";
        - ``mean_period`` (s) and ``n_pulses``.

        Silence, noise and clips with fewer than 3 pulses give NaN (not an error); a clip
        shorter than Praat's pitch window (3 / pitch_floor s) raises
        :class:`affectkit.errors.ParameterError`.

    Notes
    -----
    Differences from Praat: the pitch track behind the pulses uses parabolic rather than
    sinc interpolation (see :func:`f0`), and the HNR refines only the strongest
    correlation peak per frame (all path costs are zero there, so only it can win).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> vq = ak.voice_quality(np.zeros(16000, np.float32), 16000)
    >>> bool(np.isnan(vq["jitter_local"]))
    True
    """
    values = _core.voice_measures(_signal(y), float(sr), "voice_quality", params)
    return dict(zip(VOICE_QUALITY_NAMES, values))


def voice_quality_batch(signals: "Sequence[Any]", sr: float, *, n_jobs: Optional[int] = None,
                        **params: Any) -> np.ndarray:
    """:func:`voice_quality` of every clip, in parallel on affectkit's pool (GIL released).

    Parameters
    ----------
    signals : sequence of array_like
        1-D signals at ``sr``.
    sr : float
        Sample rate in Hz.
    n_jobs : int or None, default None
        Threads; None: ``AFFECTKIT_NUM_THREADS`` or all cores.
    **params
        :func:`voice_quality`'s keywords.

    Returns
    -------
    ndarray of float64
        ``(n_clips, len(VOICE_QUALITY_NAMES))``, columns in :data:`VOICE_QUALITY_NAMES` order.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.voice_quality_batch([np.zeros(16000), np.zeros(8000)], 16000).shape
    (2, 14)
    """
    return _core.voice_measures_batch([_signal(y) for y in signals], float(sr), "voice_quality", params, n_jobs)


@_with_keywords(_KEYWORDS)
def prosody(y: Any, sr: float, **params: Any) -> "dict[str, float]":
    """The compact prosody set papers tabulate (Praat definitions).

    Also callable as ``ak.prosody(y, sr)`` (the module :mod:`affectkit.prosody` is callable).

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float
        Sample rate in Hz.
    **params
        The keywords below and :func:`voice_quality`'s.

    Other Parameters
    ----------------
    {{prosody}}
    {{voice}}
    {{praat_pitch}}

    Returns
    -------
    dict
        ``{name: value}`` for :data:`PROSODY_NAMES`; NaN marks undefined values (no voiced
        frame):

        - ``f0_mean_hz``; ``f0_mean_st``, ``f0_std_st``, ``f0_range_st``: F0 of Praat's pitch
          (ac) track over voiced frames, in semitones re 27.5 Hz (eGeMAPS' reference;
          ``12 log2(F0 / 27.5)``), range = percentile 95 - percentile 5;
        - ``intensity_mean_db``, ``intensity_std_db``, ``intensity_range_db`` (5-95 %): Praat
          intensity (:func:`intensity`) over every frame that is not digital silence;
        - ``jitter_local``, ``shimmer_local``, ``hnr_db``: as :func:`voice_quality`;
        - ``voiced_segments_per_sec`` and ``mean_voiced_segment_sec``: runs of voiced pitch
          frames;
        - ``pause_ratio``: the fraction of intensity frames in silent stretches of at least
          ``min_pause`` s, silent meaning ``silence_threshold_db`` dB or more below the
          loudest frame (the defaults of Praat's "To TextGrid (silences)").

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> p = ak.prosody(np.zeros(16000, np.float32), 16000)
    >>> bool(np.isnan(p["f0_mean_st"])), p["pause_ratio"]
    (True, 1.0)
    """
    values = _core.voice_measures(_signal(y), float(sr), "prosody", params)
    return dict(zip(PROSODY_NAMES, values))


def prosody_batch(signals: "Sequence[Any]", sr: float, *, n_jobs: Optional[int] = None,
                  **params: Any) -> np.ndarray:
    """:func:`prosody` of every clip, in parallel on affectkit's pool (GIL released).

    Parameters
    ----------
    signals : sequence of array_like
        1-D signals at ``sr``.
    sr : float
        Sample rate in Hz.
    n_jobs : int or None, default None
        Threads; None: ``AFFECTKIT_NUM_THREADS`` or all cores.
    **params
        :func:`prosody`'s keywords.

    Returns
    -------
    ndarray of float64
        ``(n_clips, len(PROSODY_NAMES))``, columns in :data:`PROSODY_NAMES` order.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.prosody_batch([np.zeros(16000)], 16000).shape
    (1, 13)
    """
    return _core.voice_measures_batch([_signal(y) for y in signals], float(sr), "prosody", params, n_jobs)


def glottal_pulses(y: Any, sr: float, *, pitch_floor: float = 75.0, pitch_ceiling: float = 600.0,
                   **params: Any) -> np.ndarray:
    """Glottal pulse times as Praat's "Sound: To PointProcess (periodic, cc)..." with the
    same arguments (parselmouth: ``praat.call(sound, "To PointProcess (periodic, cc)",
    75, 600)``).

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float
        Sample rate in Hz.
    pitch_floor : float, default 75.0
        Lowest F0 of the pitch track, Hz (alias ``fmin``).
    pitch_ceiling : float, default 600.0
        Highest F0 of the pitch track, Hz (alias ``fmax``).
    **params
        Other settings of the Praat pitch (ac) track: ``time_step``,
        ``max_number_of_candidates``, ``silence_threshold``, ``voicing_threshold``,
        ``octave_cost``, ``octave_jump_cost``, ``voiced_unvoiced_cost``, with the defaults
        :func:`f0` lists.

    Returns
    -------
    ndarray of float64
        Pulse times in seconds; empty for silence.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(16000) / 16000
    >>> pulses = ak.glottal_pulses(np.sin(2 * np.pi * 100 * t), 16000)
    >>> 90 <= len(pulses) <= 100
    True
    """
    params = dict(params, pitch_floor=float(pitch_floor), pitch_ceiling=float(pitch_ceiling))
    return _core.pulses(_signal(y), float(sr), params)


def harmonicity(y: Any, sr: float, *, method: str = "cc", time_step: float = 0.01,
                minimum_pitch: float = 75.0, silence_threshold: float = 0.1,
                periods_per_window: Optional[float] = None) -> "tuple[np.ndarray, np.ndarray]":
    """Harmonics-to-noise ratio contour as Praat's "Sound: To Harmonicity (cc)..." or
    "(ac)..." (Boersma 1993), with parselmouth's defaults.

    ``db = 10 log10(r / (1 - r))`` with ``r`` the strongest normalised correlation peak of
    the frame (cc: forward cross-correlation; ac: autocorrelation of a Gaussian-windowed
    frame divided by the window's). A clip shorter than the analysis window raises
    :class:`affectkit.errors.ParameterError`.

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float
        Sample rate in Hz.
    method : {"cc", "ac"}, default "cc"
        ``"cc"``: parselmouth's ``to_harmonicity_cc``; ``"ac"``: ``to_harmonicity_ac``.
    time_step : float, default 0.01
        Seconds between frames.
    minimum_pitch : float, default 75.0
        Hz; sets the window.
    silence_threshold : float, default 0.1
        Frames below this fraction of the global peak are unvoiced.
    periods_per_window : float or None, default None
        None: 1.0 for cc, 4.5 for ac (Praat's defaults).

    Returns
    -------
    db : ndarray of float64
        HNR per frame, NaN on unvoiced frames (Praat writes -200 there);
        ``np.nanmean(db)`` is Praat's "Get mean".
    times : ndarray of float64
        Frame centres in seconds.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(16000) / 16000
    >>> y = np.sin(2 * np.pi * 150 * t) + 0.1 * np.random.default_rng(0).standard_normal(16000)
    >>> db, times = ak.harmonicity(y, 16000)
    >>> bool(15 < np.nanmean(db) < 25)
    True
    """
    return _core.harmonicity(_signal(y), float(sr), str(method), float(time_step), float(minimum_pitch),
                             float(silence_threshold), periods_per_window)


def rms(y: Any, sr: float = 16000, *, frame_length: int = 2048, hop_length: int = 512,
        center: bool = True, pad_mode: str = "constant") -> "tuple[np.ndarray, np.ndarray]":
    """Frame-wise RMS energy as ``librosa.feature.rms`` (librosa 0.11, same defaults and
    keywords): ``sqrt(mean(frame ** 2))``. ``sr`` must be positive; ``frame_length`` and
    ``hop_length`` are whole numbers >= 1 (else :class:`~affectkit.errors.ParameterError`
    naming them).

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float, default 16000
        Sample rate in Hz (only for ``times``).
    frame_length : int, default 2048
        Samples per frame.
    hop_length : int, default 512
        Samples between frames.
    center : bool, default True
        Frame ``t`` centred on sample ``t * hop_length`` (the signal padded by
        ``frame_length // 2`` with ``pad_mode``); False: only whole frames inside the signal.
    pad_mode : str, default "constant"
        ``"constant"``, ``"reflect"``, ``"symmetric"`` or ``"edge"``.

    Returns
    -------
    rms : ndarray
        1-D, one value per frame (librosa returns ``(1, n_frames)``).
    times : ndarray of float64
        ``t * hop_length / sr`` (``librosa.times_like``).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> r, times = ak.rms(0.5 * np.ones(16000), 16000)
    >>> float(np.round(r[10], 6)), len(r) == len(times)
    (0.5, True)
    """
    return _core.rms(_signal(y), float(sr), frame_length, hop_length, bool(center), str(pad_mode))


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`prosody`.

    ``ak.prosody(y, sr)`` is the compact prosody set while ``affectkit.prosody`` is also
    this module (``import affectkit.prosody``, ``ak.prosody.f0``): a function of the same
    name in the package would hide the module from both.
    """

    def __call__(self, y: Any, sr: float, **params: Any) -> "dict[str, float]":
        return prosody(y, sr, **params)


sys.modules[__name__].__class__ = _CallableModule
