"""Audio features: the librosa/Kaldi/HTK front end, pitch, Praat's voice measures, eGeMAPS,
and scikit-learn transformers over lists of signals.

Every function here is also at the top level (``ak.mfcc`` is ``ak.audio.mfcc``). The
modules are the reference families: :mod:`~affectkit.audio.io` (load, resample),
:mod:`~affectkit.audio.frontend` (MFCC, log-mel, RMS; librosa / Kaldi / HTK presets),
:mod:`~affectkit.audio.pitch` (pYIN, YIN, Praat's To Pitch (ac)),
:mod:`~affectkit.audio.praat` (intensity, formants, harmonicity, jitter/shimmer, the
prosody set), :mod:`~affectkit.audio.egemaps` (openSMILE's eGeMAPS / GeMAPS) and
:mod:`~affectkit.audio.transformers` (``MFCC``, ``LogMel``, ``Prosody``, ``EGeMAPS``).
Time series come back as a :class:`~affectkit.audio.contour.Contour`
(:mod:`~affectkit.audio.contour`); frame matrices (MFCC, log-mel) as NumPy arrays.
The per-clip sets take ``win``/``hop`` for one row per window
(:mod:`~affectkit.audio.windows`).
"""

from .opensmile import (EGEMAPS_FUNCTIONALS, EGEMAPS_LLD, GEMAPS_FUNCTIONALS, GEMAPS_LLD, egemaps, egemaps_batch,
                      gemaps, loudness)
from .frontend import melspectrogram, melspectrogram_batch, mfcc, mfcc_batch, resolved_params, rms
from .io import AUDIO_EXTENSIONS, load, resample
from .contour import Contour
from .windows import window_times
from .pitch import F0_PROB_NAMES, F0Result, f0, f0_batch
from ..pooling import POOLING_STATS, pool_frames
from .praat import (FORMANT_NAMES, PROSODY_NAMES, VOICE_QUALITY_NAMES, formants, formants_batch, glottal_pulses,
                    harmonicity, intensity, prosody, prosody_batch, voice_quality, voice_quality_batch)

__all__ = ["AUDIO_EXTENSIONS", "load", "resample", "mfcc", "melspectrogram", "mfcc_batch", "melspectrogram_batch",
           "resolved_params", "rms", "Contour", "F0Result", "F0_PROB_NAMES", "f0", "f0_batch", "intensity", "formants", "formants_batch",
           "harmonicity", "glottal_pulses", "voice_quality", "voice_quality_batch", "prosody", "prosody_batch",
           "FORMANT_NAMES", "VOICE_QUALITY_NAMES", "PROSODY_NAMES", "egemaps", "gemaps", "egemaps_batch",
           "loudness", "EGEMAPS_FUNCTIONALS", "EGEMAPS_LLD", "GEMAPS_FUNCTIONALS", "GEMAPS_LLD",
           "MFCC", "LogMel", "Prosody", "EGeMAPS", "pool_frames", "POOLING_STATS", "window_times"]


_TRANSFORMERS = {"MFCC", "LogMel", "Prosody", "EGeMAPS"}


def __getattr__(name: str) -> object:
    # the scikit-learn transformers load scikit-learn: on first use, not with ``import affectkit``
    if name in _TRANSFORMERS:
        from . import transformers

        return getattr(transformers, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> "list[str]":
    return sorted(set(globals()) | _TRANSFORMERS)
