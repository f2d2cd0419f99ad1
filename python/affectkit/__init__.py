"""affectkit: affective-computing features, label fusion and models on a Rust core.

>>> import affectkit as ak
>>> y, sr = ak.load(ak.datasets.sample_paths()[0], sr=16000)
>>> M = ak.mfcc(y, sr, preset="kaldi", n_mfcc=13, deltas=2)   # (n_frames, 39)
"""

import importlib
from typing import Any

from . import datasets, errors, labels, settings
from ._core import __version__
from .audio import (EGEMAPS_FUNCTIONALS, EGEMAPS_LLD, FORMANT_NAMES, GEMAPS_FUNCTIONALS, GEMAPS_LLD, PROSODY_NAMES,
                    VOICE_QUALITY_NAMES, Contour, F0Result, egemaps, egemaps_batch, f0, f0_batch, formants, formants_batch,
                    gemaps, glottal_pulses, harmonicity, intensity, load, loudness, melspectrogram,
                    melspectrogram_batch, mfcc, mfcc_batch, prosody, prosody_batch, resample, rms, voice_quality,
                    voice_quality_batch)
from .errors import (AffectkitError, AudioLoadError, InputTypeError, InternalError, ParameterError, ReadError,
                     SettingsMismatchError)
from .pooling import EGEMAPS_CONTOUR_FUNCTIONALS, functionals

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
    "Contour",
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
    # embeddings (issue 18)
    "embeddings",
    "LayerWeightedClassifier",
    "LayerWeightedRegressor",
    # evaluation (issue 17)
    "evaluation",
    "SpeakerNormalizer",
    "TemperatureScaler",
    "SequenceRegressor",
    # conversations (issue 19)
    "dialogues",
    "DialogueClassifier",
]


# Submodules that pull in heavy dependencies (scikit-learn estimators) load on first use.
_LAZY = {"face", "models", "metrics"}
_LAZY_MODELS = {"EmotionClassifier", "EmotionRegressor", "MultimodalClassifier", "SequenceClassifier", "load_model"}
_LAZY_MODELS |= {"MultitaskEmotionModel"}
_LAZY_MODELS |= {"SequenceRegressor"}
# The feature registry (pandas) and the PyTorch / Dask integrations load on first use.
_LAZY |= {"features", "torch", "distributed"}
# --- evaluation (issue 17): protocols, statistics, normalisers (scikit-learn) load on first use
_LAZY |= {"evaluation"}
_LAZY_EVALUATION = {"SpeakerNormalizer", "TemperatureScaler"}
# --- end evaluation
_LAZY |= {"dialogues"}
_LAZY_MODELS |= {"DialogueClassifier"}
# --- embeddings (issue 18): hidden-state reader and probe, layer-weighted heads (scikit-learn)
_LAZY |= {"embeddings"}
_LAZY_MODELS |= {"LayerWeightedClassifier", "LayerWeightedRegressor"}
# --- end embeddings


def __dir__() -> "list[str]":
    # the lazily loaded names too, so that dir(ak) and tab completion show them
    return sorted(set(globals()) | _LAZY | _LAZY_MODELS | _LAZY_EVALUATION)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_MODELS:
        return getattr(importlib.import_module(".models", __name__), name)
    if name in _LAZY_EVALUATION:
        return getattr(importlib.import_module(".evaluation", __name__), name)
    raise AttributeError(f"module 'affectkit' has no attribute {name!r}")
