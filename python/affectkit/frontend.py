"""Audio input and the spectral front end: load, resample, MFCC, (log-)mel spectrograms.

Each ``preset`` reproduces one reference implementation with its own defaults and its own
parameter names (all keyword arguments):

``preset="librosa"`` (default)
    ``librosa.feature.mfcc`` / ``librosa.feature.melspectrogram`` 0.11: ``n_fft=2048``,
    ``hop_length=512``, ``win_length=None`` (= n_fft), ``window="hann"`` (periodic),
    ``center=True``, ``pad_mode="constant"``, ``power=2.0``, ``n_mels=128``, ``fmin=0``,
    ``fmax=None`` (sr/2), ``htk=False``, ``norm="slaney"`` (``mel_norm`` in mfcc, where
    ``norm`` is the DCT norm ``"ortho"``), ``dct_type=2``, ``lifter=0``, ``n_mfcc=20``; log
    compression as ``power_to_db(ref=1.0, amin=1e-10, top_db=80.0)`` (``ref``, ``amin``,
    ``top_db`` are accepted too; ``ref="max"`` = ``numpy.max``).
``preset="kaldi"``
    ``torchaudio.compliance.kaldi.mfcc`` / ``fbank`` (Kaldi ``compute-mfcc-feats``):
    ``frame_length=25.0`` and ``frame_shift=10.0`` (milliseconds), ``window_type="povey"``,
    ``preemphasis_coefficient=0.97``, ``remove_dc_offset=True``, ``dither=0.0``,
    ``round_to_power_of_two=True``, ``snip_edges=True``, ``num_mel_bins=23``,
    ``low_freq=20``, ``high_freq=0`` (<= 0: relative to Nyquist), ``num_ceps=13``,
    ``cepstral_lifter=22``, ``use_energy=False``, ``energy_floor=1.0``, ``raw_energy=True``,
    ``htk_compat=False``, ``subtract_mean=False``, ``vtln_warp=1.0``, ``vtln_low=100``,
    ``vtln_high=-500``, ``blackman_coeff=0.42``, ``min_duration=0``, ``sample_frequency``
    (must equal ``sr``); fbank also ``use_log_fbank=True``, ``use_power=True``. Extension:
    ``dither_seed`` (affectkit's dither is seeded, torchaudio's is not).
``preset="htk"``
    ``python_speech_features.mfcc`` / ``logfbank`` 0.6 (HTK conventions): ``winlen=0.025``,
    ``winstep=0.01`` (seconds), ``numcep=13``, ``nfilt=26``, ``nfft=512``, ``lowfreq=0``,
    ``highfreq=None`` (sr/2), ``preemph=0.97``, ``ceplifter=22``, ``appendEnergy=True``,
    ``winfunc`` (a window name, an array, or a callable ``winfunc(frame_len)``;
    default rectangular).

Every preset also takes ``n_mfcc`` / ``n_mels`` (aliases of its own names), ``deltas``
(0, 1 or 2), ``delta_width`` (librosa 9, HTK/Kaldi 5), ``delta_method``
(``"savgol"`` as librosa.feature.delta, ``"regression"`` as HTK/psf.delta,
``"kaldi"`` as Kaldi add-deltas), ``delta_mode`` (savgol edge mode, ``"interp"``) and
``cmvn`` (``None``, ``"mean"``, ``"meanvar"``: per-utterance normalisation before deltas).

Outputs are time-major ``(n_frames, n_features)``, float32 by default (``dtype=np.float64``
computes in double precision). Signals shorter than one frame follow the reference: a
centred/padded frame for librosa and htk, zero frames for Kaldi's ``snip_edges=True``.

Where affectkit deliberately differs from its reference: ``fmax`` above Nyquist and mel
filters that cover no FFT bin are errors (librosa only warns and returns all-zero bands).
"""

from __future__ import annotations

import decimal
import os
from typing import Any, Optional, Sequence

import numpy as np

from . import _core

#: File name suffixes of the formats :func:`load` reads (for folder walkers); the content,
#: not the name, decides how a file is decoded.
AUDIO_EXTENSIONS = (".wav", ".wave", ".flac", ".mp3", ".ogg", ".oga", ".m4a", ".mp4")

__all__ = [
    "AUDIO_EXTENSIONS",
    "load",
    "resample",
    "mfcc",
    "melspectrogram",
    "mfcc_batch",
    "melspectrogram_batch",
]


def _signal(y: Any, name: str = "y") -> np.ndarray:
    if isinstance(y, np.ndarray):
        return y
    return np.asarray(y)


def _dtype_name(dtype: Any) -> str:
    try:
        return np.dtype(dtype).name
    except TypeError:
        return str(dtype)


def _params(preset: str, sr: float, params: dict) -> dict:
    winfunc = params.get("winfunc")
    if callable(winfunc):
        # python_speech_features calls winfunc(frame_len) with round_half_up(winlen * sr).
        winlen = params.get("winlen", 0.025)
        n = int(decimal.Decimal(winlen * sr).quantize(decimal.Decimal("1"), rounding=decimal.ROUND_HALF_UP))
        params = dict(params, winfunc=np.asarray(winfunc(n), dtype=np.float64))
    window = params.get("window")
    if window is not None and not isinstance(window, str):
        params = dict(params, window=np.asarray(window, dtype=np.float64))
    return params


def load(
    path: "str | os.PathLike[str]",
    sr: Optional[float] = None,
    mono: bool = True,
    offset: float = 0.0,
    duration: Optional[float] = None,
) -> "tuple[np.ndarray, int]":
    """Read an audio file (WAV, FLAC, MP3, Ogg/Vorbis, MP4/M4A) as float32 samples.

    Parameters
    ----------
    path : str or os.PathLike
        The file. The container is recognised from its content, not its name.
    sr : int or None, default None
        Rate to resample to, a whole number of Hz (``16000`` or ``16000.0``) from 1 to
        1,000,000; ``None`` keeps the file's rate. Resampling uses rubato's synchronous
        FFT resampler (see the README for its SNR against soxr_hq).
    mono : bool, default True
        ``True`` averages the channels (librosa's ``to_mono``) and returns a 1-D array;
        ``False`` returns ``(n_samples, n_channels)`` (time-major, like soundfile).
    offset : float, default 0.0
        Seconds to skip at the start.
    duration : float or None, default None
        Seconds to read from ``offset`` (``None``: to the end).

    Returns
    -------
    (samples, sr) : (numpy.ndarray, int)

    Notes
    -----
    WAV (RIFF/WAVE and RF64) is read by affectkit's own reader with libsndfile's rules:
    8-bit unsigned, 16/24/32-bit integer, 32/64-bit float, A-law and mu-law, any number of
    channels (up to libsndfile's 1024); integers are scaled by their full scale
    (``x / 2**(bits-1)``) as libsndfile and librosa do; a header's ``block_align`` is not
    trusted (a frame is ``channels x bytes per sample``), and a data size of
    ``0xFFFFFFFF`` (a stream) reads to the end of the file. FLAC (every bit depth), MP3,
    Ogg/Vorbis and the first audio track of MP4/M4A (AAC; e.g. MELD's video clips) are
    decoded by symphonia, MP3 and Vorbis without their encoder delay and padding (gapless,
    as libsndfile); AAC keeps the encoder's priming samples (1024) at the start, as FFmpeg's
    decoder returns them before the edit list is applied. Differences from libsndfile: a file whose header promises more audio
    than it holds is an error rather than silently shorter, and a sample rate outside
    1 Hz .. 1 MHz is refused.

    Raises
    ------
    affectkit.errors.AudioLoadError
        (an ``OSError``) naming the file when it is missing, truncated, corrupt, has an
        invalid header (sample rate 0, no channels) or is not a supported format.
    affectkit.errors.ParameterError
        For a bad ``sr``, ``offset`` or ``duration``.

    Examples
    --------
    >>> import affectkit as ak
    >>> y, sr = ak.load(ak.datasets.sample_paths()[0], sr=16000)
    >>> y.dtype, sr
    (dtype('float32'), 16000)
    """
    return _core.load(os.fspath(path), sr, mono, float(offset), duration)


def resample(y: Any, orig_sr: int, target_sr: int) -> np.ndarray:
    """Resample a mono signal from ``orig_sr`` to ``target_sr`` Hz (float32 out).

    Parameters
    ----------
    y : array_like
        Mono samples (float or integer PCM; big-endian arrays are converted).
    orig_sr, target_sr : int
        Whole numbers of Hz (integral floats accepted) from 1 to 1,000,000.

    The output has ``ceil(len(y) * target_sr / orig_sr)`` samples, time-aligned with the
    input (the resampler's delay is removed), like ``librosa.resample``. Two rates that
    share no small common factor need FFT blocks as long as the rates; a pair whose plan
    would exceed affectkit's per-buffer memory limit (``AFFECTKIT_MAX_ALLOC``) is a
    :class:`~affectkit.errors.ParameterError`.

    >>> import numpy as np, affectkit as ak
    >>> ak.resample(np.zeros(16000, np.float32), 16000, 8000).shape
    (8000,)
    """
    return _core.resample(_signal(y), orig_sr, target_sr)


def mfcc(
    y: Any,
    sr: float,
    *,
    preset: str = "librosa",
    n_mfcc: Optional[int] = None,
    deltas: int = 0,
    dtype: Any = np.float32,
    n_jobs: Optional[int] = 1,
    **params: Any,
) -> np.ndarray:
    """Mel-frequency cepstral coefficients, ``(n_frames, n_mfcc * (1 + deltas))``.

    ``preset`` picks the reference to reproduce (``"librosa"``, ``"kaldi"``, ``"htk"``;
    see :mod:`affectkit.frontend` for every parameter and default). ``n_mfcc=None`` uses
    the preset's default (librosa 20, Kaldi and HTK 13). ``deltas=2`` appends first and
    second derivatives with the preset's delta definition. ``n_jobs`` other than 1 splits
    a long signal's frames over the worker pool (``None``: all cores); results are
    identical.

    Definitions: Davis and Mermelstein (1980); librosa 0.11; Kaldi ``compute-mfcc-feats``
    (Povey et al. 2011); HTK Book 3.4 section 5.6 as python_speech_features implements it.

    >>> import numpy as np, affectkit as ak
    >>> y = np.sin(2 * np.pi * 220 * np.arange(16000) / 16000).astype(np.float32)
    >>> ak.mfcc(y, 16000, preset="kaldi", deltas=2).shape
    (98, 39)
    """
    p = dict(params)
    if n_mfcc is not None:
        p["n_mfcc"] = n_mfcc
    p["deltas"] = deltas
    return _core.mfcc(_signal(y), float(sr), preset, _params(preset, sr, p), _dtype_name(dtype), n_jobs)


def melspectrogram(
    y: Any,
    sr: float,
    *,
    preset: str = "librosa",
    log: Optional[bool] = None,
    dtype: Any = np.float32,
    n_jobs: Optional[int] = 1,
    **params: Any,
) -> np.ndarray:
    """Mel spectrogram, ``(n_frames, n_mels)``.

    ``log=None`` returns what the reference function returns: power for librosa
    (``librosa.feature.melspectrogram``), natural-log energies for Kaldi
    (``torchaudio.compliance.kaldi.fbank``, plus a log-energy column with
    ``use_energy=True``) and HTK (``python_speech_features.logfbank``). ``log=True``
    with librosa gives ``power_to_db`` (dB); ``log=False`` with Kaldi/HTK gives linear
    energies. ``n_jobs`` as in :func:`mfcc`.

    >>> import numpy as np, affectkit as ak
    >>> y = np.zeros(16000, np.float32)
    >>> ak.melspectrogram(y, 16000, n_fft=512, hop_length=160, n_mels=40).shape
    (101, 40)
    """
    return _core.melspectrogram(_signal(y), float(sr), preset, _params(preset, sr, dict(params)), log, _dtype_name(dtype), n_jobs)


def mfcc_batch(
    signals: Sequence[Any],
    sr: float,
    *,
    n_jobs: Optional[int] = None,
    preset: str = "librosa",
    n_mfcc: Optional[int] = None,
    deltas: int = 0,
    dtype: Any = np.float32,
    **params: Any,
) -> "list[np.ndarray]":
    """:func:`mfcc` of every clip in ``signals``, in parallel on affectkit's worker pool.

    ``n_jobs=None`` uses ``AFFECTKIT_NUM_THREADS`` or all cores; the GIL is released while
    the pool works. Returns one array per clip, in order. An error names the clip index.
    """
    p = dict(params)
    if n_mfcc is not None:
        p["n_mfcc"] = n_mfcc
    p["deltas"] = deltas
    ys = [_signal(y, f"signals[{i}]") for i, y in enumerate(signals)]
    return _core.mfcc_batch(ys, float(sr), preset, _params(preset, sr, p), n_jobs, _dtype_name(dtype))


def melspectrogram_batch(
    signals: Sequence[Any],
    sr: float,
    *,
    n_jobs: Optional[int] = None,
    preset: str = "librosa",
    log: Optional[bool] = None,
    dtype: Any = np.float32,
    **params: Any,
) -> "list[np.ndarray]":
    """:func:`melspectrogram` of every clip in ``signals``, in parallel (see :func:`mfcc_batch`)."""
    ys = [_signal(y, f"signals[{i}]") for i, y in enumerate(signals)]
    return _core.melspectrogram_batch(ys, float(sr), preset, _params(preset, sr, dict(params)), log, n_jobs, _dtype_name(dtype))
