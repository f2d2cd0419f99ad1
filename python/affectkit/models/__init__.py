"""Emotion models behind the scikit-learn API, trained in Rust with Burn.

:class:`EmotionClassifier` is a multilayer perceptron (softmax regression with
``hidden_layer_sizes=()``) for categorical emotions. It takes hard labels, or soft labels:
an ``(n_items, n_classes)`` array of class distributions such as
``ak.labels.soft(...).posterior``, trained with cross-entropy against the distribution.
:class:`EmotionRegressor` predicts dimensional targets (valence, arousal, dominance) with
the concordance loss 1 - CCC (Lin 1989; as in the AVEC challenges) or MSE.
:class:`MultitaskEmotionModel` trains both kinds of head on one network, skipping the
annotations an item lacks. :class:`MultimodalClassifier` fuses modalities (late, early or
learned gates) and :class:`SequenceClassifier` classifies variable-length frame sequences
(mean, statistics or attention pooling); :class:`SequenceRegressor` predicts one value per frame
(valence/arousal traces; GRU context, CCC loss); :class:`DialogueClassifier` every utterance of a
conversation from its context.
:class:`LayerWeightedClassifier` / :class:`LayerWeightedRegressor` learn softmax weights
over the layers of frozen self-supervised hidden states (SUPERB's downstream head). Every ``fit`` takes ``sample_weight`` and
``groups`` (e.g. speakers: early stopping then holds out whole groups).

Defaults follow scikit-learn's :class:`~sklearn.neural_network.MLPClassifier` (one hidden
layer of 100 ReLU units, Adam at 1e-3, L2 ``alpha=1e-4``, minibatches of
``min(200, n_samples)``, at most 200 epochs, stop after 10 epochs without a ``tol``
improvement). Differences on purpose: ``alpha`` is Adam's L2 penalty on every parameter
(scikit-learn scales it by the batch size and skips biases), or the decoupled weight decay
with ``optimizer="adamw"``; early stopping watches the validation *loss* (scikit-learn: the
accuracy / R^2); ``random_state=None`` draws a fresh seed per fit; and the features are
standardized inside the estimator by default (``standardize=True``).

``standardize=True`` (the default) z-scores every feature with the training mean and
standard deviation (weighted by ``sample_weight``) inside the estimator, kept in
``input_mean_``/``input_scale_`` and in saved model files, so a loaded model takes raw
features; NaN features count as the training mean: acoustic feature sets leave NaN where
a clip has no voiced frame. The fusion and sequence wrappers standardize per modality
(over the items that have it) and over all training frames. Acoustic feature sets mix
scales (eGeMAPS holds F0 in semitones, loudness near 1, spectral slopes near 0.01, formant
frequencies in the thousands); unscaled, Adam at 1e-3 learns little from them.

Models fitted on a DataFrame keep ``feature_names_in_``, and, when the table carries a
feature-settings record (``ak.settings.of(X)``: ``DataFrame.attrs["affectkit"]``, set by
affectkit's extractors), ``feature_settings_``: predictions on a table computed with other
settings (another MFCC preset, sample rate, ...) raise
:class:`~affectkit.errors.SettingsMismatchError` naming both (see
:func:`affectkit.settings.allow_mismatch`). Both travel in model files.

>>> import numpy as np, affectkit as ak
>>> rng = np.random.default_rng(0)
>>> X = np.r_[rng.normal(-2, 1, (50, 4)), rng.normal(2, 1, (50, 4))]
>>> y = np.r_[["neutral"] * 50, ["happy"] * 50]
>>> clf = ak.EmotionClassifier(hidden_layer_sizes=(16,), random_state=0).fit(X, y)
>>> clf.score(X, y) > 0.95
True
"""

from .classifier import EmotionClassifier
from .dialogue import DialogueClassifier
from .layerwise import LayerWeightedClassifier, LayerWeightedRegressor
from .multimodal import MultimodalClassifier
from .multitask import MultitaskEmotionModel
from .persistence import load_model
from .regressor import EmotionRegressor
from .sequence import SequenceClassifier
from .trace import SequenceRegressor

__all__ = ["EmotionClassifier", "EmotionRegressor", "MultitaskEmotionModel", "MultimodalClassifier",
           "SequenceClassifier", "DialogueClassifier", "load_model"]
__all__ += ["SequenceRegressor"]
__all__ += ["LayerWeightedClassifier", "LayerWeightedRegressor"]
