"""affectkit: affective-computing features, label fusion and models on a Rust core.

>>> import affectkit as ak
>>> y, sr = ak.load(ak.datasets.sample_paths()[0], sr=16000)
>>> M = ak.mfcc(y, sr, preset="kaldi", n_mfcc=13, deltas=2)   # (n_frames, 39)
"""

import importlib
from typing import Any

from . import datasets, errors, labels, settings
from ._core import __version__
from .errors import (AffectkitError, AudioLoadError, InputTypeError, InternalError, ParameterError, ReadError,
                     SettingsMismatchError)
from .frontend import load, melspectrogram, melspectrogram_batch, mfcc, mfcc_batch, resample
from .prosody import EGEMAPS_CONTOUR_FUNCTIONALS, F0Result, f0, f0_batch, functionals, intensity
from .egemaps import (EGEMAPS_FUNCTIONALS, EGEMAPS_LLD, GEMAPS_FUNCTIONALS, GEMAPS_LLD, egemaps, egemaps_batch,
                      gemaps, loudness)
from .prosody import (FORMANT_NAMES, PROSODY_NAMES, VOICE_QUALITY_NAMES, formants, formants_batch,
                      glottal_pulses, harmonicity, prosody_batch, rms, voice_quality, voice_quality_batch)
from . import prosody  # the module, callable: ak.prosody(y, sr) (see prosody._CallableModule)

__all__ = [
    "__version__",
    "audio",
    "datasets",
    "errors",
    "settings",
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
    "f0_batch",
    "intensity",
    "functionals",
    "EGEMAPS_CONTOUR_FUNCTIONALS",
    "egemaps",
    "egemaps_batch",
    "gemaps",
    "loudness",
    "EGEMAPS_FUNCTIONALS",
    "EGEMAPS_LLD",
    "GEMAPS_FUNCTIONALS",
    "GEMAPS_LLD",
    "formants",
    "formants_batch",
    "voice_quality",
    "voice_quality_batch",
    "prosody",
    "prosody_batch",
    "glottal_pulses",
    "harmonicity",
    "FORMANT_NAMES",
    "VOICE_QUALITY_NAMES",
    "PROSODY_NAMES",
    "rms",
    "AffectkitError",
    "ParameterError",
    "InputTypeError",
    "AudioLoadError",
    "ReadError",
    "InternalError",
    "SettingsMismatchError",
    "models",
    "metrics",
    "EmotionClassifier",
    "EmotionRegressor",
    "MultimodalClassifier",
    "SequenceClassifier",
    "load_model",
    "MultitaskEmotionModel",
    "features",
    "torch",
    "distributed",
]


# Submodules that pull in heavy optional dependencies (scikit-learn) load on first use.
_LAZY = {"audio", "face"}
# Models and metrics (scikit-learn estimators) also load on first use.
_LAZY |= {"models", "metrics"}
_LAZY_MODELS = {"EmotionClassifier", "EmotionRegressor", "MultimodalClassifier", "SequenceClassifier", "load_model"}
_LAZY_MODELS |= {"MultitaskEmotionModel"}
# The feature registry (pandas) and the PyTorch / Dask integrations load on first use.
_LAZY |= {"features", "torch", "distributed"}


def __dir__() -> "list[str]":
    # the lazily loaded names too, so that dir(ak) and tab completion show them
    return sorted(set(globals()) | _LAZY | _LAZY_MODELS)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_MODELS:
        return getattr(importlib.import_module(".models", __name__), name)
    raise AttributeError(f"module 'affectkit' has no attribute {name!r}")
