"""affectkit: affective-computing features, label fusion and models on a Rust core.

>>> import affectkit as ak
>>> y, sr = ak.load(ak.datasets.sample_paths()[0], sr=16000)
>>> M = ak.mfcc(y, sr, preset="kaldi", n_mfcc=13, deltas=2)   # (n_frames, 39)
"""

from . import audio, datasets, errors, labels
from ._core import __version__
from .errors import AffectkitError, AudioLoadError, InputTypeError, InternalError, ParameterError
from .frontend import load, melspectrogram, melspectrogram_batch, mfcc, mfcc_batch, resample

__all__ = [
    "__version__",
    "audio",
    "datasets",
    "errors",
    "labels",
    "load",
    "resample",
    "mfcc",
    "melspectrogram",
    "mfcc_batch",
    "melspectrogram_batch",
    "AffectkitError",
    "ParameterError",
    "InputTypeError",
    "AudioLoadError",
    "InternalError",
]
