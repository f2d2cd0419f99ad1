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
import inspect
from typing import Any, Optional, Sequence
import numpy as np
from .. import _core
from .._util.validation import _dtype_name, _signal
from .._util.docstrings import _with_keywords
from .contour import Contour


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


# The keywords each preset accepts through ``**params``, documented once and filled into
# the "Other Parameters" sections of mfcc / melspectrogram (help() shows them all).
_KEYWORDS = {
    "librosa_frames": """
        n_fft : int, default 2048
            ``preset="librosa"``: FFT length in samples (also an alias of HTK's ``nfft``).
        hop_length : int, default 512
            ``preset="librosa"``: samples between frame starts.
        win_length : int or None, default None
            ``preset="librosa"``: window length, zero-padded to ``n_fft`` (None: ``n_fft``).
        window : str or array_like, default "hann"
            ``preset="librosa"``: periodic window by name (``"hann"``, ``"hamming"``,
            ``"blackman"``, ``"rectangular"``) or its samples.
        center : bool, default True
            ``preset="librosa"``: centre frame ``t`` on sample ``t * hop_length`` by padding
            ``n_fft // 2`` samples each side.
        pad_mode : str, default "constant"
            ``preset="librosa"``: padding when ``center``: ``"constant"`` (zeros),
            ``"reflect"``, ``"symmetric"``, ``"edge"``.
        power : float, default 2.0
            ``preset="librosa"``: exponent of the magnitude spectrum (2: power, 1: magnitude).
        n_mels : int, default 128
            ``preset="librosa"``: mel bands (Kaldi: alias of ``num_mel_bins``; HTK: of ``nfilt``).
        fmin : float, default 0.0
            ``preset="librosa"``: lowest filter edge in Hz (Kaldi: alias of ``low_freq``;
            HTK: of ``lowfreq``).
        fmax : float or None, default None
            ``preset="librosa"``: highest filter edge in Hz, None = ``sr / 2``; above
            Nyquist is an error (Kaldi: alias of ``high_freq``; HTK: of ``highfreq``).
        htk : bool, default False
            ``preset="librosa"``: HTK's mel formula instead of Slaney's.
        ref : float or "max", default 1.0
            ``preset="librosa"``: ``power_to_db`` reference (``"max"``: ``numpy.max``).
        amin : float, default 1e-10
            ``preset="librosa"``: ``power_to_db`` floor.
        top_db : float or None, default 80.0
            ``preset="librosa"``: ``power_to_db`` dynamic range below the peak (None: no limit).""",
    "librosa_mfcc": """
        mel_norm : "slaney", float or None, default "slaney"
            ``preset="librosa"``: filter normalisation (librosa's mel ``norm``): Slaney's
            area norm, a p-norm, or None.
        dct_type : int, default 2
            ``preset="librosa"``: DCT type 1, 2 or 3 (``scipy.fft.dct``).
        norm : "ortho" or None, default "ortho"
            ``preset="librosa"``: DCT normalisation.
        lifter : float, default 0.0
            ``preset="librosa"``: cepstral liftering ``1 + lifter/2 sin(pi (n + 1) / lifter)``,
            0 = none (Kaldi: alias of ``cepstral_lifter``; HTK: of ``ceplifter``).""",
    "librosa_mel": """
        norm : "slaney", float or None, default "slaney"
            ``preset="librosa"``: filter normalisation: Slaney's area norm, a p-norm or
            None (alias ``mel_norm``).""",
    "kaldi_frames": """
        sample_frequency : float, optional
            ``preset="kaldi"``: must equal ``sr`` when given (torchaudio's name).
        frame_length : float, default 25.0
            ``preset="kaldi"``: frame length in milliseconds.
        frame_shift : float, default 10.0
            ``preset="kaldi"``: frame shift in milliseconds.
        round_to_power_of_two : bool, default True
            ``preset="kaldi"``: FFT length rounded up to a power of two.
        snip_edges : bool, default True
            ``preset="kaldi"``: only frames that fit in the signal; False: Kaldi's
            reflected edges, ``round(n / shift)`` frames.
        window_type : str, default "povey"
            ``preset="kaldi"``: ``"povey"``, ``"hanning"``, ``"hamming"``, ``"rectangular"``,
            ``"blackman"``.
        blackman_coeff : float, default 0.42
            ``preset="kaldi"``: Blackman window coefficient.
        dither : float, default 0.0
            ``preset="kaldi"``: Gaussian dither amplitude (torchaudio's default is 0 as here).
        dither_seed : int, default 0
            ``preset="kaldi"``: seed of the dither (an affectkit extension; torchaudio's
            dither is not seeded).
        energy_floor : float, default 1.0
            ``preset="kaldi"``: floor of the log energy column.
        raw_energy : bool, default True
            ``preset="kaldi"``: energy before pre-emphasis and windowing.
        remove_dc_offset : bool, default True
            ``preset="kaldi"``: subtract each frame's mean.
        preemphasis_coefficient : float, default 0.97
            ``preset="kaldi"``: per-frame pre-emphasis.
        low_freq : float, default 20.0
            ``preset="kaldi"``: lowest filter edge in Hz (alias ``fmin``).
        high_freq : float, default 0.0
            ``preset="kaldi"``: highest filter edge in Hz; <= 0 is relative to Nyquist
            (alias ``fmax``).
        num_mel_bins : int, default 23
            ``preset="kaldi"``: mel bins (alias ``n_mels``).
        use_energy : bool, default False
            ``preset="kaldi"``: replace C0 (mfcc) or append a column (fbank) by the log energy.
        htk_compat : bool, default False
            ``preset="kaldi"``: HTK's column order and energy scaling.
        subtract_mean : bool, default False
            ``preset="kaldi"``: subtract the per-utterance mean of each column.
        vtln_warp : float, default 1.0
            ``preset="kaldi"``: vocal tract length normalisation factor.
        vtln_low : float, default 100.0
            ``preset="kaldi"``: lower VTLN cut-off in Hz.
        vtln_high : float, default -500.0
            ``preset="kaldi"``: upper VTLN cut-off in Hz (negative: relative to Nyquist).
        min_duration : float, default 0.0
            ``preset="kaldi"``: shorter signals (seconds) give zero frames.""",
    "kaldi_mfcc": """
        num_ceps : int, default 13
            ``preset="kaldi"``: cepstra kept (alias ``n_mfcc``).
        cepstral_lifter : float, default 22.0
            ``preset="kaldi"``: lifter coefficient (alias ``lifter``).""",
    "kaldi_mel": """
        use_log_fbank : bool, default True
            ``preset="kaldi"``: natural log of the energies (what ``log=`` overrides).
        use_power : bool, default True
            ``preset="kaldi"``: power rather than magnitude spectrum.""",
    "htk_frames": """
        winlen : float, default 0.025
            ``preset="htk"``: window length in seconds.
        winstep : float, default 0.01
            ``preset="htk"``: step in seconds.
        nfilt : int, default 26
            ``preset="htk"``: filters (alias ``n_mels``).
        nfft : int, default 512
            ``preset="htk"``: FFT length (alias ``n_fft``).
        lowfreq : float, default 0.0
            ``preset="htk"``: lowest filter edge in Hz (alias ``fmin``).
        highfreq : float or None, default None
            ``preset="htk"``: highest filter edge in Hz, None = ``sr / 2`` (alias ``fmax``).
        preemph : float, default 0.97
            ``preset="htk"``: pre-emphasis of the whole signal.
        winfunc : str, array_like or callable, default "rectangular"
            ``preset="htk"``: window name, samples, or ``winfunc(frame_len)`` as psf calls
            it (``numpy.hamming``).""",
    "htk_mfcc": """
        numcep : int, default 13
            ``preset="htk"``: cepstra kept (alias ``n_mfcc``).
        ceplifter : float, default 22.0
            ``preset="htk"``: lifter coefficient (alias ``lifter``).
        appendEnergy : bool, default True
            ``preset="htk"``: C0 replaced by the log frame energy (alias ``append_energy``).""",
    "deltas": """
        delta_width : int, default 9
            Every preset: delta window (librosa's default 9; HTK and Kaldi use 5).
        delta_method : str, optional
            Every preset: ``"savgol"`` (``librosa.feature.delta``, librosa's default),
            ``"regression"`` (HTK / ``python_speech_features.delta``, HTK's default) or
            ``"kaldi"`` (Kaldi ``add-deltas``, Kaldi's default).
        delta_mode : str, default "interp"
            Every preset: edge mode of the Savitzky-Golay deltas (``"interp"``,
            ``"nearest"``, ``"mirror"``, ``"constant"``, ``"wrap"``).""",
    "cmvn": """
        cmvn : None, "mean" or "meanvar", default None
            Every preset: per-utterance mean (and variance) normalisation of each column,
            before deltas.""",
}


@_with_keywords(_KEYWORDS)
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

    Definitions: Davis and Mermelstein (1980); ``preset="librosa"`` reproduces
    ``librosa.feature.mfcc`` 0.11, ``"kaldi"`` ``torchaudio.compliance.kaldi.mfcc`` (Kaldi
    ``compute-mfcc-feats``, Povey et al. 2011), ``"htk"`` ``python_speech_features.mfcc``
    0.6 (HTK Book 3.4 section 5.6). Each preset takes its reference's keywords, spelled as
    the reference spells them ("Other Parameters"); a keyword the preset does not know
    raises :class:`affectkit.errors.ParameterError` listing the accepted ones.

    Parameters
    ----------
    y : array_like
        1-D signal: float32, float64 or integer PCM (scaled by the dtype's full scale).
    sr : float
        Sample rate in Hz.
    preset : {"librosa", "kaldi", "htk"}, default "librosa"
        The reference to reproduce, with its own defaults.
    n_mfcc : int or None, default None
        Coefficients; None = the preset's own (librosa 20, Kaldi and HTK 13).
    deltas : int, default 0
        0, 1 or 2: append first (and second) derivatives, with the preset's delta
        definition (``delta_method``).
    dtype : numpy dtype, default np.float32
        Precision of the computation and output (``np.float64`` for double).
    n_jobs : int or None, default 1
        Threads for one long signal's frames (None: all cores); results are identical.
    **params
        The preset's keywords, below.

    Other Parameters
    ----------------
    {{librosa_frames}}
    {{librosa_mfcc}}
    {{kaldi_frames}}
    {{kaldi_mfcc}}
    {{htk_frames}}
    {{htk_mfcc}}
    {{deltas}}
    {{cmvn}}

    Returns
    -------
    ndarray
        ``(n_frames, n_mfcc * (1 + deltas))``, time-major, ``dtype``. Signals shorter than
        one frame follow the reference: one padded frame for librosa and HTK, zero frames
        for Kaldi's ``snip_edges=True``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> y = np.sin(2 * np.pi * 220 * np.arange(16000) / 16000).astype(np.float32)
    >>> ak.mfcc(y, 16000, preset="kaldi", deltas=2).shape
    (98, 39)
    """
    p = dict(params)
    if n_mfcc is not None:
        p["n_mfcc"] = n_mfcc
    p["deltas"] = deltas
    return _core.audio.mfcc(_signal(y), float(sr), preset, _params(preset, sr, p), _dtype_name(dtype), n_jobs)


@_with_keywords(_KEYWORDS)
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

    ``preset="librosa"`` reproduces ``librosa.feature.melspectrogram`` 0.11 (Slaney 1998
    filters), ``"kaldi"`` ``torchaudio.compliance.kaldi.fbank`` (Kaldi
    ``compute-fbank-feats``), ``"htk"`` ``python_speech_features.logfbank`` 0.6. Each preset
    takes its reference's keywords ("Other Parameters"); unknown ones raise
    :class:`affectkit.errors.ParameterError` listing the accepted ones.

    Parameters
    ----------
    y : array_like
        1-D signal: float32, float64 or integer PCM.
    sr : float
        Sample rate in Hz.
    preset : {"librosa", "kaldi", "htk"}, default "librosa"
        The reference to reproduce.
    log : bool or None, default None
        None returns what the reference returns: power for librosa, natural-log energies
        for Kaldi (plus a log-energy column with ``use_energy=True``) and HTK. True with
        librosa gives ``power_to_db`` (dB); False with Kaldi/HTK gives linear energies.
    dtype : numpy dtype, default np.float32
        Precision of the computation and output.
    n_jobs : int or None, default 1
        Threads for one long signal's frames (None: all cores); results are identical.
    **params
        The preset's keywords, below.

    Other Parameters
    ----------------
    {{librosa_frames}}
    {{librosa_mel}}
    {{kaldi_frames}}
    {{kaldi_mel}}
    {{htk_frames}}
    {{cmvn}}

    Returns
    -------
    ndarray
        ``(n_frames, n_mels)``, time-major.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> y = np.zeros(16000, np.float32)
    >>> ak.melspectrogram(y, 16000, n_fft=512, hop_length=160, n_mels=40).shape
    (101, 40)
    """
    return _core.audio.melspectrogram(_signal(y), float(sr), preset, _params(preset, sr, dict(params)), log, _dtype_name(dtype), n_jobs)


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
    """:func:`mfcc` of every clip, in parallel on affectkit's worker pool (GIL released).

    Parameters
    ----------
    signals : sequence of array_like
        1-D signals, all at ``sr``.
    sr : float
        Sample rate in Hz.
    n_jobs : int or None, default None
        Pool size; None: ``AFFECTKIT_NUM_THREADS`` or all cores.
    preset : {"librosa", "kaldi", "htk"}, default "librosa"
        As :func:`mfcc`.
    n_mfcc : int or None, default None
        As :func:`mfcc` (None: the preset's own).
    deltas : int, default 0
        As :func:`mfcc`.
    dtype : numpy dtype, default np.float32
        As :func:`mfcc`.
    **params
        The preset's keywords, as :func:`mfcc` lists them.

    Returns
    -------
    list of ndarray
        One ``(n_frames, n)`` array per clip, in order. An error names the clip index.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> clips = [np.zeros(16000, np.float32), np.zeros(8000, np.float32)]
    >>> [m.shape for m in ak.mfcc_batch(clips, 16000, preset="kaldi")]
    [(98, 13), (48, 13)]
    """
    p = dict(params)
    if n_mfcc is not None:
        p["n_mfcc"] = n_mfcc
    p["deltas"] = deltas
    ys = [_signal(y, f"signals[{i}]") for i, y in enumerate(signals)]
    return _core.audio.mfcc_batch(ys, float(sr), preset, _params(preset, sr, p), n_jobs, _dtype_name(dtype))


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
    """:func:`melspectrogram` of every clip, in parallel on affectkit's worker pool.

    Parameters
    ----------
    signals : sequence of array_like
        1-D signals, all at ``sr``.
    sr : float
        Sample rate in Hz.
    n_jobs : int or None, default None
        Pool size; None: ``AFFECTKIT_NUM_THREADS`` or all cores.
    preset : {"librosa", "kaldi", "htk"}, default "librosa"
        As :func:`melspectrogram`.
    log : bool or None, default None
        As :func:`melspectrogram`.
    dtype : numpy dtype, default np.float32
        As :func:`melspectrogram`.
    **params
        The preset's keywords, as :func:`melspectrogram` lists them.

    Returns
    -------
    list of ndarray
        One ``(n_frames, n_mels)`` array per clip, in order.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> [m.shape for m in ak.melspectrogram_batch([np.zeros(16000, np.float32)], 16000, preset="htk")]
    [(99, 26)]
    """
    ys = [_signal(y, f"signals[{i}]") for i, y in enumerate(signals)]
    return _core.audio.melspectrogram_batch(ys, float(sr), preset, _params(preset, sr, dict(params)), log, n_jobs, _dtype_name(dtype))


def resolved_params(kind: str, sr: float, **options: Any) -> "dict[str, Any]":
    """Every parameter :func:`mfcc` or :func:`melspectrogram` runs with, defaults filled in.

    The record a feature table keeps of its front end (see :mod:`affectkit.settings`):
    ``preset`` (its canonical name), every keyword the preset reads, spelt as the
    reference spells it (``n_fft``, ``num_ceps``, ``highfreq``...), with the value it
    resolves to (``fmax=None`` becomes ``sr / 2``), plus ``dtype`` (and ``log`` for the
    mel spectrogram). The values come from the Rust preset code that computes the
    features, so the record cannot drift from the numbers. The options are validated as
    the extractor validates them, without audio.

    Parameters
    ----------
    kind : {"mfcc", "melspectrogram"}
        Which function.
    sr : float
        The sample rate of the signal, Hz.
    **options
        The keyword arguments the function would get (``preset``, ``n_mfcc``, ``deltas``,
        ``log``, ``dtype``, the preset's own keywords).

    Returns
    -------
    dict

    Raises
    ------
    ParameterError
        For an unknown keyword or an unusable value, as the function itself would.

    Examples
    --------
    >>> import affectkit as ak
    >>> p = ak.audio.resolved_params("mfcc", 16000)
    >>> p["preset"], p["n_mfcc"], p["n_fft"], p["fmax"]
    ('librosa', 20, 2048, 8000.0)
    >>> ak.audio.resolved_params("mfcc", 16000, preset="kaldi")["num_ceps"]
    13
    """
    from ..errors import ParameterError

    funcs = {"mfcc": mfcc, "melspectrogram": melspectrogram}
    if kind not in funcs:
        raise ParameterError(f"kind: expected 'mfcc' or 'melspectrogram', got {kind!r}")
    options = {k: v for k, v in options.items() if k != "n_jobs"}  # how, not what: not a setting
    bound = inspect.signature(funcs[kind]).bind(None, sr, **options)
    bound.apply_defaults()
    a = bound.arguments
    preset, params = a["preset"], dict(a["params"])
    log = None
    if kind == "mfcc":
        if a["n_mfcc"] is not None:
            params["n_mfcc"] = a["n_mfcc"]
        params["deltas"] = a["deltas"]
    else:
        log = a["log"]
    resolved = _core.audio.preset_params(kind, preset, float(sr), _params(preset, sr, params), log)
    out = {"preset": resolved.pop("preset")}
    if kind == "melspectrogram":
        out["log"] = log
    out.update(resolved)
    out["dtype"] = _dtype_name(a["dtype"])
    return out


def rms(y: Any, sr: float = 16000, *, frame_length: int = 2048, hop_length: int = 512,
        center: bool = True, pad_mode: str = "constant") -> "Contour":
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
    Contour
        One column, ``rms``, one value per frame (``c["rms"]`` is librosa's ``rms[0]``);
        ``times`` are ``t * hop_length / sr`` (``librosa.times_like``).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> c = ak.rms(0.5 * np.ones(16000), 16000)
    >>> float(np.round(c["rms"][10], 6)), len(c) == len(c.times)
    (0.5, True)
    """
    r, times = _core.audio.rms(_signal(y), float(sr), frame_length, hop_length, bool(center), str(pad_mode))
    return Contour(r, times, ("rms",))
