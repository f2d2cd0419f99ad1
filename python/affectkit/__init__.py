"""affectkit: affective-computing features, label fusion and models on a Rust core.

>>> import affectkit as ak
>>> y, sr = ak.load(ak.datasets.sample_paths()[0], sr=16000)
>>> M = ak.mfcc(y, sr, preset="kaldi", n_mfcc=13, deltas=2)   # (n_frames, 39)
"""

import importlib
from typing import Any

from . import datasets, errors, labels
from ._core import __version__
from .errors import AffectkitError, AudioLoadError, InputTypeError, InternalError, ParameterError
from .frontend import load, melspectrogram, melspectrogram_batch, mfcc, mfcc_batch, resample
from .prosody import EGEMAPS_CONTOUR_FUNCTIONALS, F0Result, f0, functionals, intensity

__all__ = [
    "__version__",
    "audio",
    "datasets",
    "errors",
    "face",
    "labels",
    "load",
    "resample",
    "mfcc",
    "melspectrogram",
    "mfcc_batch",
    "melspectrogram_batch",
    "f0",
    "F0Result",
    "intensity",
    "functionals",
    "EGEMAPS_CONTOUR_FUNCTIONALS",
    "AffectkitError",
    "ParameterError",
    "InputTypeError",
    "AudioLoadError",
    "InternalError",
    "models",
    "metrics",
    "EmotionClassifier",
    "EmotionRegressor",
    "MultimodalClassifier",
    "SequenceClassifier",
    "load_model",
]


# Submodules that pull in heavy optional dependencies (scikit-learn) load on first use.
_LAZY = {"audio", "face"}
# Models and metrics (scikit-learn estimators) also load on first use.
_LAZY |= {"models", "metrics"}
_LAZY_MODELS = {"EmotionClassifier", "EmotionRegressor", "MultimodalClassifier", "SequenceClassifier", "load_model"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_MODELS:
        return getattr(importlib.import_module(".models", __name__), name)
    raise AttributeError(f"module 'affectkit' has no attribute {name!r}")
