"""Prosody: fundamental frequency (F0) tracks, intensity, and functionals over contours.

``ak.f0(y, sr, method=...)`` returns an :class:`F0Result` (a :class:`~affectkit.Contour`)
with one row per frame: ``f0`` in Hz (NaN on unvoiced frames), ``voiced``, the method's
voicing measure, and ``times`` (the centre of each frame, seconds).

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
    (tests/audio/test_prosody.py asserts >= 98 %, <= 0.5 % and >= 99 % per clip).

Unlike librosa, ``fmin`` and ``fmax`` default to 75 and 600 Hz (Praat's pitch range).
Silence and noise give unvoiced frames (NaN), not errors. ``fmin >= fmax``, ``fmax`` above
Nyquist, an ``fmin`` whose period does not fit in ``frame_length``, and NaN or infinite
samples raise :class:`affectkit.errors.ParameterError` (a ``ValueError``). With
``center=True`` a clip of any length is analysed (the frames are zero-padded, as librosa);
with ``center=False`` a clip shorter than ``frame_length`` is an error, and so is a clip
shorter than the window (``3 / pitch_floor`` s) for ``method="praat"``.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence
import numpy as np
from .. import _core
from .._util.validation import _dtype_name, _signal
from .contour import Contour, _contour, _summary, _summary_table, _windowed_summary
from .windows import _window
from .._util.docstrings import _with_keywords

from ._keywords import _KEYWORDS

def intensity(
    y: Any,
    sr: float,
    *,
    minimum_pitch: float = 100.0,
    time_step: Optional[float] = None,
    subtract_mean: bool = True,
    dtype: Any = np.float32,
) -> Contour:
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
    Contour
        One column, ``intensity_db`` (dB per frame); ``times`` are the frame centres in seconds.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> y = 0.1 * np.sin(2 * np.pi * 440 * np.arange(16000) / 16000)
    >>> c = ak.intensity(y, 16000)
    >>> round(float(c["intensity_db"].mean()), 1)
    71.0
    """
    db, times = _core.audio.intensity(_signal(y), float(sr), float(minimum_pitch), time_step, bool(subtract_mean),
                                _dtype_name(dtype))
    return Contour(db, times, ("intensity_db",))


# --- Voice quality, formants and the compact prosody set (Praat definitions) ---------

#: Columns of :func:`formants`: F1-F3 frequency then bandwidth (Hz).
FORMANT_NAMES: "tuple[str, ...]" = ("F1", "F2", "F3", "B1", "B2", "B3")


#: Keys of :func:`voice_quality`, in order (defined in src/audio/praat/voice.rs).
VOICE_QUALITY_NAMES: "tuple[str, ...]" = tuple(_core.audio.VOICE_QUALITY_NAMES)


#: Keys of :func:`prosody`, in order (defined in src/audio/praat/voice.rs).
PROSODY_NAMES: "tuple[str, ...]" = tuple(_core.audio.PROSODY_NAMES)


def formants(
    y: Any,
    sr: float,
    *,
    time_step: Optional[float] = None,
    max_number_of_formants: float = 5.0,
    maximum_formant: float = 5500.0,
    window_length: float = 0.025,
    pre_emphasis_from: float = 50.0,
) -> Contour:
    """Formant track as Praat's "Sound: To Formant (burg)..." (parselmouth's
    ``Sound.to_formant_burg``), with its defaults and keyword names.

    The sound is resampled to ``2 * maximum_formant`` Hz, pre-emphasised from
    ``pre_emphasis_from`` Hz, cut into Gaussian windows of ``2 * window_length`` s, and each
    frame gets Burg LPC with ``2 * max_number_of_formants`` poles (Childers 1978; Press et
    al., Numerical Recipes). Difference from Praat: rubato's FFT resampler rather than
    Praat's sinc, so values differ slightly (tests/audio/test_voice.py bounds it). A clip shorter
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
    Contour
        ``values`` ``(n_frames, 6)``, columns :data:`FORMANT_NAMES` (F1, F2, F3 frequency,
        then their bandwidths, Hz), NaN where a frame has fewer formants (silence, or fewer
        roots between 50 Hz and Nyquist - 50 Hz); ``times`` the frame centres on Praat's
        grid, seconds; ``to_frame()`` carries the settings record (feature ``formants``).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> c = ak.formants(np.zeros(16000, np.float32), 16000)
    >>> c.values.shape[1], bool(np.isnan(c["F1"]).all())
    (6, True)
    """
    params = dict(time_step=time_step, max_number_of_formants=float(max_number_of_formants),
                  maximum_formant=float(maximum_formant), window_length=float(window_length),
                  pre_emphasis_from=float(pre_emphasis_from))
    table, times = _core.audio.formants(_signal(y), float(sr), params)
    return _contour(table, times, FORMANT_NAMES, formants, "formants", params, float(sr))


def formants_batch(signals: "Sequence[Any]", sr: float, *, n_jobs: Optional[int] = None,
                   **params: Any) -> "list[Contour]":
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
    list of Contour
        One :func:`formants` result per clip, in order. An error names the clip.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> [len(c.names) for c in ak.formants_batch([np.zeros(8000), np.zeros(16000)], 16000)]
    [6, 6]
    """
    out = _core.audio.formants_batch([_signal(y) for y in signals], float(sr), params, n_jobs)
    return [_contour(table, times, FORMANT_NAMES, formants, "formants", params, float(sr)) for table, times in out]


@_with_keywords(_KEYWORDS)
def voice_quality(y: Any, sr: float, *, win: Optional[float] = None, hop: Optional[float] = None,
                  **params: Any) -> Any:
    """Jitter, shimmer and harmonics-to-noise ratio of a clip, with Praat's definitions.

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float
        Sample rate in Hz.
    win : float or None, default None
        Values per window: the window length in seconds, each window measured on its own
        cut of the signal (windows that would run past the end are dropped; a clip shorter
        than ``win`` raises :class:`affectkit.errors.ParameterError`; see
        :mod:`affectkit.audio.windows`). None: one row for the whole clip.
    hop : float or None, default None
        Seconds between window starts; None: ``win``. Needs ``win``.
    **params
        Praat's settings, below (Praat's and parselmouth's names).

    Other Parameters
    ----------------
    {{voice}}
    {{praat_pitch}}

    Returns
    -------
    pandas.Series
        One value per name of :data:`VOICE_QUALITY_NAMES` (the index, in that order; float64),
        the settings record (feature ``voice_quality``) in ``attrs["affectkit"]``;
        :func:`voice_quality_batch` gives a DataFrame with the same columns:

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

        With ``win``: a DataFrame with these columns, one row per window, indexed by
        ``(start, end)`` in seconds; its settings record carries ``window``.

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
    window = _window(win, hop)
    if window is not None:
        return _windowed_summary(_signal(y), float(sr), window, "voice_quality", VOICE_QUALITY_NAMES, voice_quality, params)
    values = _core.audio.voice_measures(_signal(y), float(sr), "voice_quality", params)
    return _summary(values, VOICE_QUALITY_NAMES, voice_quality, "voice_quality", params, float(sr))


def voice_quality_batch(signals: "Sequence[Any]", sr: float, *, n_jobs: Optional[int] = None,
                        **params: Any) -> Any:
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
    pandas.DataFrame
        One row per clip (in order, index 0..n-1), columns :data:`VOICE_QUALITY_NAMES` (the
        index of :func:`voice_quality`'s Series), float64; the settings record in
        ``attrs["affectkit"]``. ``.to_numpy()`` is the ``(n_clips, 14)`` matrix.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.voice_quality_batch([np.zeros(16000), np.zeros(8000)], 16000).shape
    (2, 14)
    """
    values = _core.audio.voice_measures_batch([_signal(y) for y in signals], float(sr), "voice_quality", params, n_jobs)
    return _summary_table(values, VOICE_QUALITY_NAMES, voice_quality, "voice_quality", params, float(sr))


@_with_keywords(_KEYWORDS)
def prosody(y: Any, sr: float, *, win: Optional[float] = None, hop: Optional[float] = None,
            **params: Any) -> Any:
    """The compact prosody set papers tabulate (Praat definitions).

    Parameters
    ----------
    y : array_like
        1-D signal.
    sr : float
        Sample rate in Hz.
    win : float or None, default None
        Values per window: the window length in seconds, each window measured on its own
        cut of the signal (windows that would run past the end are dropped; a clip shorter
        than ``win`` raises :class:`affectkit.errors.ParameterError`; see
        :mod:`affectkit.audio.windows`). None: one row for the whole clip.
    hop : float or None, default None
        Seconds between window starts; None: ``win``. Needs ``win``.
    **params
        The keywords below and :func:`voice_quality`'s.

    Other Parameters
    ----------------
    {{prosody}}
    {{voice}}
    {{praat_pitch}}

    Returns
    -------
    pandas.Series
        One value per name of :data:`PROSODY_NAMES` (the index, in that order; float64), the
        settings record (feature ``prosody``) in ``attrs["affectkit"]``;
        :func:`prosody_batch` gives a DataFrame with the same columns. NaN marks undefined
        values (no voiced frame):

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

        With ``win``: a DataFrame with these columns, one row per window, indexed by
        ``(start, end)`` in seconds; its settings record carries ``window``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> p = ak.prosody(np.zeros(16000, np.float32), 16000)
    >>> bool(np.isnan(p["f0_mean_st"])), float(p["pause_ratio"])
    (True, 1.0)
    >>> ak.prosody(np.zeros(32000, np.float32), 16000, win=1.0).index.tolist()   # one row per second
    [(0.0, 1.0), (1.0, 2.0)]
    """
    window = _window(win, hop)
    if window is not None:
        return _windowed_summary(_signal(y), float(sr), window, "prosody", PROSODY_NAMES, prosody, params)
    values = _core.audio.voice_measures(_signal(y), float(sr), "prosody", params)
    return _summary(values, PROSODY_NAMES, prosody, "prosody", params, float(sr))


def prosody_batch(signals: "Sequence[Any]", sr: float, *, n_jobs: Optional[int] = None,
                  **params: Any) -> Any:
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
    pandas.DataFrame
        One row per clip (in order, index 0..n-1), columns :data:`PROSODY_NAMES` (the index
        of :func:`prosody`'s Series), float64; the settings record in ``attrs["affectkit"]``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.prosody_batch([np.zeros(16000)], 16000).shape
    (1, 13)
    """
    values = _core.audio.voice_measures_batch([_signal(y) for y in signals], float(sr), "prosody", params, n_jobs)
    return _summary_table(values, PROSODY_NAMES, prosody, "prosody", params, float(sr))


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
    return _core.audio.pulses(_signal(y), float(sr), params)


def harmonicity(y: Any, sr: float, *, method: str = "cc", time_step: float = 0.01,
                minimum_pitch: float = 75.0, silence_threshold: float = 0.1,
                periods_per_window: Optional[float] = None) -> Contour:
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
    Contour
        One column, ``hnr_db``: HNR per frame, NaN on unvoiced frames (Praat writes -200
        there); ``np.nanmean(c["hnr_db"])`` is Praat's "Get mean". ``times`` are the frame
        centres in seconds.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(16000) / 16000
    >>> y = np.sin(2 * np.pi * 150 * t) + 0.1 * np.random.default_rng(0).standard_normal(16000)
    >>> c = ak.harmonicity(y, 16000)
    >>> bool(15 < np.nanmean(c["hnr_db"]) < 25)
    True
    """
    db, times = _core.audio.harmonicity(_signal(y), float(sr), str(method), float(time_step), float(minimum_pitch),
                                  float(silence_threshold), periods_per_window)
    return Contour(db, times, ("hnr_db",))
