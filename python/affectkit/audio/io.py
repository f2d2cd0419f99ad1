"""Reading and resampling audio: :func:`load` (WAV, FLAC, MP3, Ogg Vorbis, AAC/MP4) and :func:`resample`."""

from __future__ import annotations

import os
from typing import Any, Optional
import numpy as np
from .. import _core

from .._util.validation import _signal

#: File name suffixes of the formats :func:`load` reads (for folder walkers); the content,
#: not the name, decides how a file is decoded.
AUDIO_EXTENSIONS = (".wav", ".wave", ".flac", ".mp3", ".ogg", ".oga", ".m4a", ".mp4")


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
    return _core.audio.load(os.fspath(path), sr, mono, float(offset), duration)


def _load_native(path: "str | os.PathLike[str]", sr: int,
                 segment: "Optional[tuple[float, float]]" = None) -> "tuple[np.ndarray, int]":
    """``load(path, sr=sr)[0]`` and the file's native rate, decoding the file once (the
    samples are those of :func:`load`: the same downmix, then the same resampler).

    ``segment``: ``(start, end)`` seconds into the file (a manifest's ``segment_start`` /
    ``segment_end``): only that part is read (:func:`load`'s ``offset``/``duration``: a WAV
    file seeks to it, compressed formats decode up to its end) and then resampled. An end
    beyond the file raises :class:`~affectkit.errors.ParameterError` naming ``segment_end``."""
    if segment is None:
        y, native = _core.audio.load(os.fspath(path), None, True, 0.0, None)
    else:
        start, end = segment
        y, native = _core.audio.load(os.fspath(path), None, True, float(start), float(end) - float(start))
        # the samples load() keeps for [start, end): fewer means the file ends before `end`
        wanted = int(round(float(end) * native)) - int(round(float(start) * native))
        if len(y) < wanted:
            from ..errors import ParameterError

            if len(y) == 0:
                raise ParameterError(f"segment_start: {start:g} s is at or beyond the end of the file")
            raise ParameterError(f"segment_end: {end:g} s is beyond the end of the file (it ends at "
                                 f"{float(start) + len(y) / native:.3f} s)")
    return (y if native == sr else _core.audio.resample(y, int(native), int(sr))), int(native)


def resample(y: Any, orig_sr: int, target_sr: int) -> np.ndarray:
    """Resample a mono signal (float32 out), time-aligned with the input.

    rubato's synchronous FFT resampler with even-sized FFT blocks (no half-sample shift);
    the resampler's delay is removed, like ``librosa.resample``. Two rates that share no
    small common factor need FFT blocks as long as the rates; a pair whose plan would
    exceed affectkit's per-buffer memory limit (``AFFECTKIT_MAX_ALLOC``) is a
    :class:`~affectkit.errors.ParameterError`.

    Parameters
    ----------
    y : array_like
        Mono samples (float or integer PCM; big-endian arrays are converted).
    orig_sr : int
        Its rate: a whole number of Hz (integral floats accepted) from 1 to 1,000,000.
    target_sr : int
        The rate wanted, in the same range.

    Returns
    -------
    ndarray of float32
        ``ceil(len(y) * target_sr / orig_sr)`` samples.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.resample(np.zeros(44100, np.float32), 44100, 16000).shape
    (16000,)
    """
    return _core.audio.resample(_signal(y), orig_sr, target_sr)
