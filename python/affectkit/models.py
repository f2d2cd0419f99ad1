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
(mean, statistics or attention pooling). Every ``fit`` takes ``sample_weight`` and
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

from __future__ import annotations

import abc
import copy
import json
import os
import re
import textwrap
from numbers import Integral, Real
from typing import Any, Callable, Optional, TypeVar

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, column_or_1d, validate_data

from . import _core
from . import settings as _feature_settings
from .errors import ParameterError, ReadError

__all__ = ["EmotionClassifier", "EmotionRegressor", "MultitaskEmotionModel", "MultimodalClassifier", "SequenceClassifier",
           "load_model"]

_FLOATS = [np.float32, np.float64]


def _as_f32(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a, dtype=np.float32)


# -- shared docstring blocks (one text for every estimator that has the parameter) ------------

_DOC_BLOCKS = {
    "network_parameters": """\
hidden_layer_sizes : tuple of int, default (100,)
    Width of each hidden layer; ``()`` is softmax (or linear) regression.
activation : {"relu", "gelu", "tanh"}, default 'relu'
    Nonlinearity of the hidden layers.
dropout : float, default 0.0
    Probability of zeroing a hidden unit during training (inverted dropout).
layer_norm : bool, default False
    Layer normalisation (Ba et al. 2016) before each hidden nonlinearity.
optimizer : {"adam", "adamw"}, default 'adam'
    Adam (Kingma and Ba 2015) with ``alpha`` as an L2 penalty on every parameter, or
    AdamW (Loshchilov and Hutter 2019) with ``alpha`` as decoupled weight decay.
alpha : float, default 0.0001
    L2 penalty (Adam) or weight decay (AdamW). scikit-learn's MLP scales its ``alpha``
    by the batch size and skips the biases; this one does neither.
learning_rate_init : float, default 0.001
    Adam's step size.
lr_schedule : {"constant", "cosine"}, default 'constant'
    Constant, or cosine annealing to zero over ``max_epochs`` (Loshchilov and Hutter
    2017, no restarts).
batch_size : int or "auto", default 'auto'
    Minibatch size; "auto" is ``min(200, n_samples)`` as in scikit-learn.
max_epochs : int, default 200
    Passes over the training data at most.
tol : float, default 0.0001
    Improvement of the watched loss (the training loss, or the validation loss with
    ``early_stopping``) that counts as progress.
early_stopping : bool, default False
    Hold out ``validation_fraction`` of the items (of the groups when ``fit`` gets
    ``groups``), watch their loss and keep the weights of its best epoch.
    scikit-learn's MLP watches the validation accuracy / R^2 instead of the loss.
validation_fraction : float, default 0.1
    Share of the items, or of the groups, held out by ``early_stopping`` (rounded up).
n_iter_no_change : int, default 10
    Epochs without a ``tol`` improvement before training stops.
standardize : bool, default True
    z-score every feature with the training mean and standard deviation (weighted by
    ``sample_weight``) inside the estimator; the statistics are kept in
    ``input_mean_``/``input_scale_`` and in model files, so a loaded model takes raw
    features. A NaN feature counts as the training mean (a clip with no voiced frame
    has NaN F0 statistics). False uses the features as given and refuses NaN.
""",
    "run_parameters": """\
random_state : int, RandomState instance or None, default None
    Seeds the initial weights, shuffling, dropout and the early-stopping split; None
    draws a fresh seed per fit. One thread gives bit-identical models for a seed.
n_jobs : int or None, default None
    Threads for training and inference: None uses ``AFFECTKIT_NUM_THREADS`` or all
    cores, -1 all cores.
""",
    "network_attributes": """\
network_ : affectkit._core.Network
    The trained network (pickles as its model-file bytes).
n_features_in_ : int
    Number of features seen in fit.
feature_names_in_ : ndarray of str
    Column names of a DataFrame ``X`` seen in fit (absent for arrays).
feature_settings_ : dict or None
    The feature-settings record of the table fitted on (``ak.settings.of(X)``), None when
    ``X`` carried none. Predictions on a table with other settings raise
    :class:`~affectkit.errors.SettingsMismatchError`.
input_mean_, input_scale_ : ndarray of shape (n_features,)
    Training mean and standard deviation of each feature (``standardize=True`` only; a
    constant or all-NaN feature gets scale 1).
loss_curve_ : list of float
    Mean training loss per epoch.
validation_loss_ : list of float
    Validation loss per epoch (empty without early stopping).
validation_indices_ : ndarray of int
    Rows of ``X`` held out by early stopping, ascending (empty without it).
best_epoch_ : int
    Epoch whose weights were kept.
n_iter_ : int
    Epochs run.
""",
    "fit_weights": """\
sample_weight : array-like of shape (n_samples,) or None, default None
    Non-negative weight per item: multiplies the item's loss (and its class weight)
    and weighs it in the standardization statistics, so an integer weight equals
    repeating the item.
groups : array-like of shape (n_samples,) or None, default None
    Group of each item, e.g. its speaker: early stopping's validation split then holds
    out whole groups (``validation_fraction`` of them, as scikit-learn's
    ``GroupShuffleSplit``), so no speaker is on both sides. Unused without
    ``early_stopping``. Inside a pipeline, request it with
    ``est.set_fit_request(groups=True)`` (scikit-learn metadata routing).
""",
    "optimizer_references": """\
.. [1] D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", ICLR 2015.
.. [2] I. Loshchilov and F. Hutter, "Decoupled weight decay regularization", ICLR 2019;
   "SGDR: stochastic gradient descent with warm restarts", ICLR 2017.
.. [3] J. L. Ba, J. R. Kiros and G. E. Hinton, "Layer normalization", arXiv:1607.06450, 2016.
""",
}

_T = TypeVar("_T")


def _documented(obj: _T) -> _T:
    """Fills the ``{block}`` lines of ``obj``'s docstring with :data:`_DOC_BLOCKS`,
    indented like the placeholder."""
    doc = obj.__doc__ or ""

    def fill(m: "re.Match[str]") -> str:
        return textwrap.indent(_DOC_BLOCKS[m.group(2)], m.group(1))

    obj.__doc__ = re.sub(r"^( *)\{(\w+)\}\n", fill, doc, flags=re.M)
    return obj


# -- input scaling, groups and feature settings (shared by every estimator) -------------------

def _fit_scaling(X: np.ndarray, weights: Optional[np.ndarray] = None) -> "tuple[np.ndarray, np.ndarray]":
    """Per-column training mean and standard deviation of ``X`` over its non-NaN entries,
    weighted by ``weights`` (one per row; integer weights equal repeated rows). A column
    without weight gets mean 0; a constant one (relative spread below 1e-10) scale 1."""
    present = ~np.isnan(X)
    w = np.ones(len(X)) if weights is None else np.asarray(weights, dtype=np.float64)
    W = present * w[:, None]
    total = W.sum(axis=0)
    filled = np.where(present, X, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (W * filled).sum(axis=0) / total
        mean = np.where(np.isfinite(mean), mean, 0.0)
        std = np.sqrt((W * (filled - mean) ** 2).sum(axis=0) / total)
    varies = np.isfinite(std) & (std > 0) & (std > 1e-10 * np.abs(mean))
    return mean, np.where(varies, std, 1.0)


def _apply_scaling(X: np.ndarray, mean: np.ndarray, scale: np.ndarray, impute: bool) -> np.ndarray:
    """z-scores; with ``impute`` a NaN becomes 0 (the training mean), else it stays NaN
    (the wrappers' marker of a missing modality or frame)."""
    Z = (X - mean) / scale
    return np.where(np.isnan(Z), 0.0, Z) if impute else Z


def _checked_standardize(est: Any) -> bool:
    if not isinstance(est.standardize, (bool, np.bool_)):
        raise ParameterError(f"standardize: expected True or False, got {est.standardize!r}")
    return bool(est.standardize)


def _wrapper_scales(template: Any) -> bool:
    """Whether a fusion/sequence wrapper standardizes its inputs itself: its estimator is
    an affectkit network with ``standardize=True``."""
    return isinstance(template, _Network) and _checked_standardize(template)


def _unscaled_clone(template: Any) -> Any:
    """A clone of ``template`` fed inputs the wrapper has already scaled (an affectkit
    network then must not scale them again)."""
    est = clone(template)
    if isinstance(est, _Network):
        est.set_params(standardize=False)
    return est


def _groups(groups: Any, n: int) -> Optional[np.ndarray]:
    """``groups`` as a validated 1-D array of ``n`` labels, or None."""
    if groups is None:
        return None
    g = np.asarray(groups)
    if g.ndim != 1 or len(g) != n:
        raise ParameterError(f"groups: expected one group label per item ({n}), got shape {g.shape}")
    if g.dtype.kind == "f" and np.isnan(g).any():
        raise ParameterError("groups: contains NaN (every item needs a group)")
    return g


def _group_codes(groups: Any, n: int) -> "Optional[list[int]]":
    """Integer codes of ``groups`` for the training loop, or None."""
    g = _groups(groups, n)
    if g is None:
        return None
    try:
        codes = np.unique(g, return_inverse=True)[1]
    except TypeError:
        raise ParameterError("groups: expected labels of one comparable type (e.g. speaker names or ids), "
                             "got a mix or None") from None
    return [int(c) for c in np.ravel(codes)]


def _group_kw(est: Any, groups: Optional[np.ndarray]) -> "dict[str, Any]":
    """``groups=`` for an inner fit: only affectkit networks take it."""
    return {} if groups is None or not isinstance(est, _Network) else {"groups": groups}


def _settings_of(X: Any) -> Optional["dict[str, Any]"]:
    """A copy of the feature-settings record ``X`` carries, or None."""
    rec = _feature_settings.of(X) if hasattr(X, "attrs") else None
    return None if rec is None else copy.deepcopy(dict(rec))


def _check_settings(expected: Any, X: Any, model: str, got: str = "X") -> None:
    """:func:`affectkit.settings.check` of a model's record against the input's."""
    _feature_settings.check(expected, _settings_of(X), expected_name=f"the features {model} was trained on",
                            got_name=got)


def _sample_weights(sample_weight: Any, X: Any) -> Optional[np.ndarray]:
    """``sample_weight`` validated as scikit-learn does (one non-negative weight per row
    of ``X``), or None."""
    if sample_weight is None:
        return None
    return _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)


def _times(item_w: Optional[np.ndarray], sw: Optional[np.ndarray]) -> Optional[np.ndarray]:
    """Item (class) weights times sample weights; None if both are absent."""
    if sw is None:
        return item_w
    return sw if item_w is None else sw * item_w


class _Network(BaseEstimator):
    """Shared parameters, fitting and persistence of the MLP estimators."""

    _objective: str = ""

    def __init__(
        self,
        hidden_layer_sizes: "tuple[int, ...]" = (100,),
        *,
        activation: str = "relu",
        dropout: float = 0.0,
        layer_norm: bool = False,
        optimizer: str = "adam",
        alpha: float = 1e-4,
        learning_rate_init: float = 1e-3,
        lr_schedule: str = "constant",
        batch_size: "int | str" = "auto",
        max_epochs: int = 200,
        tol: float = 1e-4,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        standardize: bool = True,
        random_state: Any = None,
        n_jobs: Optional[int] = None,
    ) -> None:
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.dropout = dropout
        self.layer_norm = layer_norm
        self.optimizer = optimizer
        self.alpha = alpha
        self.learning_rate_init = learning_rate_init
        self.lr_schedule = lr_schedule
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.tol = tol
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.standardize = standardize
        self.random_state = random_state
        self.n_jobs = n_jobs

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        # standardize=True takes NaN features as the training mean
        tags.input_tags.allow_nan = self.standardize is True or self.standardize is np.True_
        return tags

    # -- fitting --------------------------------------------------------------------------

    def _hidden(self) -> "list[int]":
        h = self.hidden_layer_sizes
        if isinstance(h, Integral):
            h = (h,)
        try:
            sizes = [int(v) for v in h]
        except TypeError:
            raise ParameterError(
                f"hidden_layer_sizes: expected a tuple of layer widths, got {h!r}"
            ) from None
        if any(s <= 0 for s in sizes) or any(int(v) != v for v in h):
            raise ParameterError(f"hidden_layer_sizes: expected positive integers, got {h!r}")
        return sizes

    def _batch(self, n: int) -> int:
        b = self.batch_size
        if isinstance(b, str) and b == "auto":
            return min(200, n)
        if isinstance(b, Integral) and not isinstance(b, bool) and b > 0:
            return int(min(b, n))
        raise ParameterError(f"batch_size: expected 'auto' or a positive integer, got {b!r}")

    def _settings(self, n: int, groups: Any = None) -> "dict[str, Any]":
        """Network shape and training settings for the ``_core`` fit calls; ``groups``
        (one label per training item) makes early stopping hold out whole groups."""
        for name in ("max_epochs", "n_iter_no_change"):
            v = getattr(self, name)
            if not isinstance(v, Integral) or isinstance(v, bool) or v <= 0:
                raise ParameterError(f"{name}: expected a positive integer, got {v!r}")
        for name in ("dropout", "alpha", "learning_rate_init", "tol", "validation_fraction"):
            v = getattr(self, name)
            if not isinstance(v, Real) or isinstance(v, bool):
                raise ParameterError(f"{name}: expected a number, got {v!r}")
        return {
            "hidden": self._hidden(),
            "activation": str(self.activation),
            "dropout": float(self.dropout),
            "layer_norm": bool(self.layer_norm),
            "batch_size": self._batch(n),
            "max_epochs": int(self.max_epochs),
            "learning_rate": float(self.learning_rate_init),
            "lr_schedule": str(self.lr_schedule),
            "optimizer": str(self.optimizer),
            "alpha": float(self.alpha),
            "tol": float(self.tol),
            "early_stopping": bool(self.early_stopping),
            "validation_fraction": float(self.validation_fraction),
            "n_iter_no_change": int(self.n_iter_no_change),
            "seed": int(check_random_state(self.random_state).randint(0, 2**31 - 1)),
            "groups": _group_codes(groups, n),
        }

    def _finite(self) -> Any:
        """What ``validate_data`` lets through: NaN only when standardizing imputes it."""
        return "allow-nan" if _checked_standardize(self) else True

    def _scaled(self, X: np.ndarray, fitting: bool, weights: Optional[np.ndarray] = None) -> np.ndarray:
        """z-scores with the training mean and standard deviation (``standardize=True``,
        statistics weighted by ``weights``); NaN becomes 0, the training mean."""
        if not self.standardize:
            return X
        if fitting:
            self.input_mean_, self.input_scale_ = _fit_scaling(X, weights)
        return _apply_scaling(X, self.input_mean_, self.input_scale_, impute=True)

    def _start_fit(self, X: Any) -> None:
        """Records the feature settings of the table ``X`` and forgets a previous fit's scaling."""
        self.feature_settings_ = _settings_of(X)
        for name in ("input_mean_", "input_scale_"):
            self.__dict__.pop(name, None)

    def _fit_network(self, X: np.ndarray, targets: np.ndarray, weights: Optional[np.ndarray], groups: Any,
                     **kwargs: Any) -> None:
        _keep_fit(self, _core.models_fit(
            _as_f32(X), _as_f32(targets), _opt_f32(weights), kwargs.pop("objective", self._objective),
            self._settings(X.shape[0], groups), self.n_jobs, **kwargs,
        ))

    def _outputs(self, X: Any, probabilities: bool) -> np.ndarray:
        check_is_fitted(self, "network_")
        _check_settings(getattr(self, "feature_settings_", None), X, f"this {type(self).__name__}")
        X = validate_data(self, X, reset=False, dtype=_FLOATS, ensure_all_finite=self._finite())
        out = self.network_.predict(_as_f32(self._scaled(X, False)), probabilities, self.n_jobs)
        return out.astype(np.float64)

    # -- persistence ----------------------------------------------------------------------

    def _fitted_state(self) -> "dict[str, Any]":
        # absent when the network belongs to a wrapper (gated fusion, attention pooling)
        n = getattr(self, "n_features_in_", None)
        state: "dict[str, Any]" = {"n_features_in_": None if n is None else int(n),
                                   "feature_settings_": getattr(self, "feature_settings_", None)}
        for name in ("feature_names_in_", "input_mean_", "input_scale_"):
            if hasattr(self, name):
                state[name] = getattr(self, name).tolist()
        return state

    def _restore_state(self, state: "dict[str, Any]") -> None:
        n_inputs = self.network_.n_inputs
        if state["n_features_in_"] is not None:
            self.n_features_in_ = int(state["n_features_in_"])
            _expect(self.n_features_in_ == n_inputs,
                    f"n_features_in_ {self.n_features_in_} but the network takes {n_inputs} inputs")
        if "feature_names_in_" in state:
            self.feature_names_in_ = np.asarray([str(c) for c in state["feature_names_in_"]], dtype=object)
            _expect(len(self.feature_names_in_) == n_inputs, "feature_names_in_ does not match the network's inputs")
        self.feature_settings_ = _record_from_state(state["feature_settings_"])
        _expect(("input_mean_" in state) == ("input_scale_" in state) == bool(self.standardize)
                or state["n_features_in_"] is None, "the input scaling does not match standardize")
        for name in ("input_mean_", "input_scale_"):
            if name in state:
                setattr(self, name, _vector(state[name], n_inputs, name))
        _expect(self._n_outputs() == self.network_.n_outputs,
                f"the metadata describes {self._n_outputs()} outputs, the network has {self.network_.n_outputs}")

    def _n_outputs(self) -> int:
        """Outputs the network must have for the fitted state (classes, targets)."""
        raise NotImplementedError

    def _file_metadata(self) -> "dict[str, Any]":
        """What a model file stores besides the weights."""
        return {
            "estimator": type(self).__name__,
            "params": _params_jsonable(self),
            "fitted": self._fitted_state(),
            "history": {"loss_curve_": self.loss_curve_, "validation_loss_": self.validation_loss_,
                        "best_epoch_": self.best_epoch_,
                        "validation_indices_": [int(i) for i in self.validation_indices_]},
        }

    def save(self, path: "str | os.PathLike[str]") -> None:
        """Writes the fitted model to a model file (see :func:`load_model`).

        Parameters
        ----------
        path : str or os.PathLike
            Where to write; the file holds the weights, the parameters, the input
            scaling, the feature settings and a checksum.
        """
        check_is_fitted(self, "network_")
        _write(path, self.network_.to_bytes(json.dumps(self._file_metadata())))


def _params_jsonable(est: Any) -> "dict[str, Any]":
    """``get_params`` without the random state (a fitted model no longer needs it) or a
    nested estimator (stored on its own)."""
    return {k: _jsonable(v) for k, v in est.get_params(deep=False).items() if k not in ("random_state", "estimator")}


def _write(path: "str | os.PathLike[str]", data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def _classes_state(classes: np.ndarray) -> "dict[str, Any]":
    return {"classes_": classes.tolist(), "classes_dtype": classes.dtype.str}


def _classes_from_state(state: "dict[str, Any]") -> np.ndarray:
    dtype = state["classes_dtype"]
    _expect(isinstance(dtype, str) and isinstance(state["classes_"], list), "classes_ must be a list with its dtype")
    classes = np.asarray(state["classes_"], dtype=None if dtype.endswith("O") else np.dtype(dtype))
    _expect(classes.ndim == 1 and len(classes) >= 1, "classes_ must be a non-empty list")
    return classes


class _WrapsNetwork(abc.ABC):
    """``save`` for the wrappers (multimodal fusion, sequence pooling): their trained
    affectkit estimators go into one model file (a bundle of named networks) with the
    wrapper's parameters; :func:`load_model` rebuilds them all."""

    estimator: Any

    @abc.abstractmethod
    def _inners(self) -> "dict[str, Any]":
        """The fitted inner estimators, by name."""

    @abc.abstractmethod
    def _wrapper_state(self) -> "dict[str, Any]":
        """The wrapper's own fitted state (JSON-serialisable)."""

    @abc.abstractmethod
    def _restore_wrapper(self, inners: "dict[str, Any]", state: "dict[str, Any]") -> None:
        """Sets the fitted attributes from ``inners`` and ``state`` (inverse of the two above)."""

    def save(self, path: "str | os.PathLike[str]") -> None:
        """Writes the fitted model to a model file (see :func:`load_model`). Every inner
        estimator must be an affectkit network estimator (pickle or joblib a wrapper
        around another kind).

        Parameters
        ----------
        path : str or os.PathLike
            Where to write; one file holds every network, the parameters, the input
            scaling, the feature settings and a checksum.
        """
        inners = self._inners()
        for name, est in inners.items():
            if not isinstance(est, _Network):
                raise ParameterError(
                    f"save: the {name!r} estimator is a {type(est).__name__}, not an affectkit network "
                    "estimator; pickle or joblib this model instead"
                )
        template = self.estimator
        metadata = {"wrapper": {"estimator": type(self).__name__, "params": _params_jsonable(self),
                                "template": None if template is None else
                                {"estimator": type(template).__name__, "params": _params_jsonable(template)},
                                "fitted": self._wrapper_state()},
                    "parts": {name: est._file_metadata() for name, est in inners.items()}}
        _write(path, _core.models_bundle_to_bytes([(k, e.network_) for k, e in inners.items()], json.dumps(metadata)))


@_documented
class EmotionClassifier(ClassifierMixin, _Network):
    """Categorical emotion classifier: an MLP trained with (weighted, smoothed, soft) cross-entropy.

    A scikit-learn classifier (it passes ``sklearn.utils.estimator_checks``) around a
    network trained in Rust with Burn. ``fit`` takes labels ``(n,)`` or class
    distributions ``(n, n_classes)`` (rows non-negative, summing to 1, e.g.
    ``ak.labels.soft(...).posterior``; pass ``classes=`` to name the columns), trained
    with cross-entropy against the distribution. Defaults follow scikit-learn's
    :class:`~sklearn.neural_network.MLPClassifier`, except ``standardize=True``.

    Parameters
    ----------
    {network_parameters}
    class_weight : None, "balanced" or dict, default None
        Per-class weights in the cross-entropy; "balanced" is
        ``n / (n_classes * count)`` as in scikit-learn (soft labels count fractionally);
        a dict maps classes to weights (1 for classes it leaves out).
    label_smoothing : float, default 0.0
        eps in ``(1 - eps) * target + eps / n_classes`` (Szegedy et al. 2016).
    {run_parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted (or as given by ``classes=`` for soft labels).
    {network_attributes}

    See Also
    --------
    EmotionRegressor, MultitaskEmotionModel, MultimodalClassifier, SequenceClassifier, load_model

    References
    ----------
    {optimizer_references}
    .. [4] C. Szegedy, V. Vanhoucke, S. Ioffe, J. Shlens and Z. Wojna, "Rethinking the
       Inception architecture for computer vision", CVPR 2016 (label smoothing).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [0.1, 0.9], [0.9, 0.2]])
    >>> soft = np.array([[0.8, 0.2], [0.1, 0.9], [0.7, 0.3], [0.2, 0.8]])
    >>> clf = ak.EmotionClassifier((8,), random_state=0).fit(X, soft, classes=["sad", "happy"])
    >>> clf.predict_proba(X).shape
    (4, 2)
    """

    _objective = "cross_entropy"

    def __init__(
        self,
        hidden_layer_sizes: "tuple[int, ...]" = (100,),
        *,
        activation: str = "relu",
        dropout: float = 0.0,
        layer_norm: bool = False,
        optimizer: str = "adam",
        alpha: float = 1e-4,
        learning_rate_init: float = 1e-3,
        lr_schedule: str = "constant",
        batch_size: "int | str" = "auto",
        max_epochs: int = 200,
        tol: float = 1e-4,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        standardize: bool = True,
        class_weight: Any = None,
        label_smoothing: float = 0.0,
        random_state: Any = None,
        n_jobs: Optional[int] = None,
    ) -> None:
        super().__init__(
            hidden_layer_sizes,
            activation=activation,
            dropout=dropout,
            layer_norm=layer_norm,
            optimizer=optimizer,
            alpha=alpha,
            learning_rate_init=learning_rate_init,
            lr_schedule=lr_schedule,
            batch_size=batch_size,
            max_epochs=max_epochs,
            tol=tol,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            standardize=standardize,
            random_state=random_state,
            n_jobs=n_jobs,
        )
        self.class_weight = class_weight
        self.label_smoothing = label_smoothing

    def _class_weight_args(self) -> "tuple[bool, Optional[list[float]]]":
        cw = self.class_weight
        if cw is None:
            return False, None
        if isinstance(cw, str):
            if cw == "balanced":
                return True, None
            raise ParameterError(f"class_weight: expected None, 'balanced' or a dict, got {cw!r}")
        if isinstance(cw, dict):
            unknown = [c for c in cw if c not in set(self.classes_.tolist())]
            if unknown:
                raise ParameterError(
                    f"class_weight: classes {unknown!r} are not in y (classes: {self.classes_.tolist()!r})"
                )
            return False, [float(cw.get(c, 1.0)) for c in self.classes_.tolist()]
        raise ParameterError(f"class_weight: expected None, 'balanced' or a dict, got {type(cw).__name__}")

    def _encode_targets(self, y: np.ndarray, classes: Any = None) -> "tuple[np.ndarray, Optional[np.ndarray]]":
        """Sets ``classes_``; returns training distributions and item weights (None if uniform)."""
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        smoothing = self.label_smoothing
        if not isinstance(smoothing, Real) or isinstance(smoothing, bool):
            raise ParameterError(f"label_smoothing: expected a number in [0, 1), got {smoothing!r}")
        if y.ndim == 1:
            check_classification_targets(y)
            self.classes_, codes = np.unique(y, return_inverse=True)
            if len(self.classes_) < 2:
                raise ParameterError(
                    f"y: a classifier needs at least 2 classes, got 1 class ({self.classes_[0]!r})"
                )
            balanced, weights = self._class_weight_args()
            targets, item_w = _core.models_class_targets(
                len(self.classes_), codes=codes.astype(np.int64), label_smoothing=float(smoothing),
                balanced=balanced, class_weight=weights,
            )
        else:
            if y.dtype.kind not in "fiu":
                raise ParameterError(f"y: soft labels must be numeric class distributions, got dtype {y.dtype}")
            k = y.shape[1]
            self.classes_ = np.arange(k) if classes is None else np.asarray(classes)
            if self.classes_.shape != (k,):
                raise ParameterError(f"classes: expected {k} names (one per column of y), got {classes!r}")
            balanced, weights = self._class_weight_args()
            targets, item_w = _core.models_class_targets(
                k, soft=_as_f32(y), label_smoothing=float(smoothing), balanced=balanced, class_weight=weights,
            )
        return targets, None if self.class_weight is None else item_w

    @_documented
    def fit(self, X: Any, y: Any, classes: Any = None, sample_weight: Any = None,
            groups: Any = None) -> "EmotionClassifier":
        """Trains on features ``X`` and labels or class distributions ``y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features; NaN allowed with ``standardize=True`` (counts as the training
            mean). A DataFrame's column names and feature-settings record are kept.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Labels, or class distributions (soft labels; rows sum to 1).
        classes : array-like of shape (n_classes,) or None, default None
            Names of the columns of soft labels ``y`` (default 0..n_classes-1).
        {fit_weights}

        Returns
        -------
        EmotionClassifier
            ``self``, fitted.
        """
        self._start_fit(X)
        X, y = validate_data(self, X, y, multi_output=True, dtype=_FLOATS, ensure_all_finite=self._finite())
        sw = _sample_weights(sample_weight, X)
        targets, item_w = self._encode_targets(y, classes)
        self._fit_network(self._scaled(X, True, sw), targets, _times(item_w, sw), groups)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Raw features, as in fit (the estimator applies its own scaling). A table
            with other feature settings than the training table raises
            :class:`~affectkit.errors.SettingsMismatchError`.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``.
        """
        p = self._outputs(X, True)
        return p / p.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X: Any) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Raw features, as in fit.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        return np.log(self.predict_proba(X))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class per row.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Raw features, as in fit.

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def _n_outputs(self) -> int:
        return len(self.classes_)

    def _fitted_state(self) -> "dict[str, Any]":
        return super()._fitted_state() | _classes_state(self.classes_)

    def _restore_state(self, state: "dict[str, Any]") -> None:
        self.classes_ = _classes_from_state(state)
        super()._restore_state(state)


@_documented
class EmotionRegressor(RegressorMixin, _Network):
    """Dimensional emotion regressor (valence, arousal, dominance): an MLP with CCC or MSE loss.

    A scikit-learn regressor (it passes ``sklearn.utils.estimator_checks``); ``fit``
    takes ``y`` of shape ``(n,)`` or ``(n, n_targets)`` (e.g. valence and arousal) and
    ``predict`` returns the same layout.

    Parameters
    ----------
    {network_parameters}
    loss : {"ccc", "mse"}, default 'ccc'
        "ccc" minimises the mean over target columns of 1 - CCC, the concordance
        correlation coefficient (Lin 1989), computed per minibatch (Atmaja and Akagi
        2021), so use batches of a few dozen items or more; "mse" the mean squared error.
    {run_parameters}

    Attributes
    ----------
    n_outputs_ : int
        Number of target columns.
    {network_attributes}

    See Also
    --------
    EmotionClassifier, MultitaskEmotionModel, affectkit.metrics.ccc

    References
    ----------
    {optimizer_references}
    .. [4] L. I.-K. Lin, "A concordance correlation coefficient to evaluate
       reproducibility", Biometrics 45(1), 255-268, 1989.
    .. [5] B. T. Atmaja and M. Akagi, "Evaluation of error- and correlation-based loss
       functions for multitask learning dimensional speech emotion recognition",
       J. Phys.: Conf. Ser. 1896, 012004, 2021.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> Y = np.c_[X[:, 0] - X[:, 1], 0.5 * X[:, 2]]          # "valence", "arousal"
    >>> reg = ak.EmotionRegressor(hidden_layer_sizes=(32,), random_state=0).fit(X, Y)
    >>> bool(ak.metrics.ccc(Y, reg.predict(X)).min() > 0.9)
    True
    """

    def __init__(
        self,
        hidden_layer_sizes: "tuple[int, ...]" = (100,),
        *,
        loss: str = "ccc",
        activation: str = "relu",
        dropout: float = 0.0,
        layer_norm: bool = False,
        optimizer: str = "adam",
        alpha: float = 1e-4,
        learning_rate_init: float = 1e-3,
        lr_schedule: str = "constant",
        batch_size: "int | str" = "auto",
        max_epochs: int = 200,
        tol: float = 1e-4,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        standardize: bool = True,
        random_state: Any = None,
        n_jobs: Optional[int] = None,
    ) -> None:
        super().__init__(
            hidden_layer_sizes,
            activation=activation,
            dropout=dropout,
            layer_norm=layer_norm,
            optimizer=optimizer,
            alpha=alpha,
            learning_rate_init=learning_rate_init,
            lr_schedule=lr_schedule,
            batch_size=batch_size,
            max_epochs=max_epochs,
            tol=tol,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            standardize=standardize,
            random_state=random_state,
            n_jobs=n_jobs,
        )
        self.loss = loss

    @property
    def _objective(self) -> str:  # type: ignore[override]
        if self.loss not in ("ccc", "mse"):
            raise ParameterError(f"loss: expected 'ccc' or 'mse', got {self.loss!r}")
        return str(self.loss)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    @_documented
    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> "EmotionRegressor":
        """Trains on features ``X`` and dimensional targets ``y``.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features; NaN allowed with ``standardize=True`` (counts as the training mean).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets, e.g. valence and arousal ratings.
        {fit_weights}

        Returns
        -------
        EmotionRegressor
            ``self``, fitted.
        """
        self._start_fit(X)
        X, y = validate_data(self, X, y, multi_output=True, y_numeric=True, dtype=_FLOATS,
                             ensure_all_finite=self._finite())
        if y.ndim > 2 or (y.ndim == 2 and y.shape[1] == 0):
            raise ParameterError(f"y: expected (n,) or (n, n_targets) targets, got shape {y.shape}")
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        sw = _sample_weights(sample_weight, X)
        self._fit_network(self._scaled(X, True, sw), y.reshape(len(y), -1), sw, groups)
        self._y_ndim = y.ndim
        return self

    def predict(self, X: Any) -> np.ndarray:
        """Predicted targets.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Raw features, as in fit.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_targets)
            The layout of the ``y`` given to fit.
        """
        out = self._outputs(X, False)
        return out.ravel() if self._y_ndim == 1 else out

    def _n_outputs(self) -> int:
        return self.n_outputs_

    def _fitted_state(self) -> "dict[str, Any]":
        state = super()._fitted_state()
        state["n_outputs_"] = int(self.n_outputs_)
        state["y_ndim"] = int(self._y_ndim)
        return state

    def _restore_state(self, state: "dict[str, Any]") -> None:
        self.n_outputs_ = int(state["n_outputs_"])
        self._y_ndim = int(state["y_ndim"])
        _expect(self._y_ndim in (1, 2) and (self._y_ndim == 2 or self.n_outputs_ == 1), "y_ndim must be 1 or 2")
        super()._restore_state(state)


@_documented
class MultitaskEmotionModel(EmotionClassifier):
    """One network with a categorical head and a dimensional head (e.g. emotion category
    plus valence/arousal), for corpora where some items have only one kind of annotation.

    ``fit(X, y, dimensions)``: ``y`` holds labels with ``None`` (or NaN) for items without
    a categorical label; ``dimensions`` is ``(n, n_dims)`` with NaN for missing ratings.
    The loss is the (class-weighted, smoothed) cross-entropy over the labelled items plus
    ``dimension_weight`` times the ``dimension_loss`` over the ratings present, so missing
    entries contribute nothing (multitask learning of categories and dimensions as in Xia
    and Liu 2017). ``class_weight`` and ``sample_weight`` weigh an item in both heads.
    ``predict``/``predict_proba`` give the categories, :meth:`predict_dimensions` the
    ratings.

    Parameters
    ----------
    {network_parameters}
    dimension_loss : {"ccc", "mse"}, default 'ccc'
        Loss of the dimensional head: mean 1 - CCC per dimension (Lin 1989), or MSE.
    dimension_weight : float, default 1.0
        Weight of the dimensional loss against the cross-entropy (>= 0).
    class_weight : None, "balanced" or dict, default None
        Per-class weights, as in :class:`EmotionClassifier`.
    label_smoothing : float, default 0.0
        As in :class:`EmotionClassifier`.
    {run_parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    n_dimensions_ : int
        Number of rating columns.
    {network_attributes}

    References
    ----------
    {optimizer_references}
    .. [4] R. Xia and Y. Liu, "A multi-task learning framework for emotion recognition
       using 2D continuous space", IEEE Trans. Affective Computing 8(1), 3-14, 2017.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(300, 4))
    >>> y = np.where(X[:, 0] > 0, "happy", "sad").astype(object)
    >>> V = np.c_[X[:, 1] + 0.5 * X[:, 0]]
    >>> y[::3] = None; V[1::3] = np.nan                     # each item lacks one kind at most
    >>> m = ak.MultitaskEmotionModel((32,), random_state=0).fit(X, y, V)
    >>> m.predict_dimensions(X).shape, m.classes_.tolist()
    ((300, 1), ['happy', 'sad'])
    """

    def __init__(
        self,
        hidden_layer_sizes: "tuple[int, ...]" = (100,),
        *,
        dimension_loss: str = "ccc",
        dimension_weight: float = 1.0,
        activation: str = "relu",
        dropout: float = 0.0,
        layer_norm: bool = False,
        optimizer: str = "adam",
        alpha: float = 1e-4,
        learning_rate_init: float = 1e-3,
        lr_schedule: str = "constant",
        batch_size: "int | str" = "auto",
        max_epochs: int = 200,
        tol: float = 1e-4,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        standardize: bool = True,
        class_weight: Any = None,
        label_smoothing: float = 0.0,
        random_state: Any = None,
        n_jobs: Optional[int] = None,
    ) -> None:
        super().__init__(
            hidden_layer_sizes, activation=activation, dropout=dropout, layer_norm=layer_norm,
            optimizer=optimizer, alpha=alpha, learning_rate_init=learning_rate_init,
            lr_schedule=lr_schedule, batch_size=batch_size, max_epochs=max_epochs, tol=tol,
            early_stopping=early_stopping, validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change, standardize=standardize, class_weight=class_weight,
            label_smoothing=label_smoothing, random_state=random_state, n_jobs=n_jobs,
        )
        self.dimension_loss = dimension_loss
        self.dimension_weight = dimension_weight

    @_documented
    def fit(self, X: Any, y: Any, dimensions: Any = None, sample_weight: Any = None,  # type: ignore[override]
            groups: Any = None) -> "MultitaskEmotionModel":
        """Trains both heads.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Features; NaN allowed with ``standardize=True``.
        y : array-like of shape (n_samples,)
            Labels, ``None`` (or NaN) where an item has none.
        dimensions : array-like of shape (n_samples, n_dims)
            Ratings, NaN where missing (required; every column needs a rating).
        {fit_weights}

        Returns
        -------
        MultitaskEmotionModel
            ``self``, fitted.
        """
        if self.dimension_loss not in ("ccc", "mse"):
            raise ParameterError(f"dimension_loss: expected 'ccc' or 'mse', got {self.dimension_loss!r}")
        self._start_fit(X)
        X = validate_data(self, X, dtype=_FLOATS, ensure_all_finite=self._finite())
        y = np.asarray(y, dtype=object).ravel()
        if len(y) != len(X):
            raise ParameterError(f"y: expected {len(X)} labels (None where missing), got {len(y)}")
        labelled = np.array([not (v is None or (isinstance(v, float) and np.isnan(v))) for v in y])
        if dimensions is None:
            raise ParameterError("dimensions: expected an (n, n_dims) array of ratings (NaN where missing)")
        D = np.asarray(dimensions, dtype=np.float64)
        D = D.reshape(len(D), -1) if D.ndim == 1 else D
        if D.ndim != 2 or D.shape[0] != len(X) or D.shape[1] == 0:
            raise ParameterError(f"dimensions: expected ({len(X)}, n_dims) ratings, got shape {D.shape}")
        if np.isinf(D).any():
            raise ParameterError("dimensions: contains infinity (use NaN for a missing rating)")
        empty = np.nonzero(np.isnan(D).all(axis=0))[0]
        if len(empty):
            raise ParameterError(f"dimensions: columns {empty.tolist()} have no rating at all")
        labels = np.array(y[labelled].tolist())
        targets, item_w = self._encode_targets(labels)
        k = len(self.classes_)
        full = np.full((len(X), k + D.shape[1]), np.nan)
        full[labelled, :k] = targets
        full[:, k:] = D
        weights = None
        if item_w is not None:
            weights = np.ones(len(X))
            weights[labelled] = item_w
        self.n_dimensions_ = D.shape[1]
        sw = _sample_weights(sample_weight, X)
        self._fit_network(self._scaled(X, True, sw), full, _times(weights, sw), groups,
                          objective=f"multitask_{self.dimension_loss}", n_classes=k,
                          dimension_weight=float(self.dimension_weight))
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities of the categorical head.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Raw features, as in fit.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        z = self._outputs(X, False)[:, : len(self.classes_)]
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return z / z.sum(axis=1, keepdims=True)

    def predict_dimensions(self, X: Any) -> np.ndarray:
        """Ratings of the dimensional head.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Raw features, as in fit.

        Returns
        -------
        ndarray of shape (n_samples, n_dims)
        """
        return self._outputs(X, False)[:, len(self.classes_):]

    def _n_outputs(self) -> int:
        return len(self.classes_) + self.n_dimensions_

    def _fitted_state(self) -> "dict[str, Any]":
        state = super()._fitted_state()
        state["n_dimensions_"] = int(self.n_dimensions_)
        return state

    def _restore_state(self, state: "dict[str, Any]") -> None:
        self.n_dimensions_ = int(state["n_dimensions_"])
        super()._restore_state(state)


def _opt_f32(a: Optional[np.ndarray]) -> Optional[np.ndarray]:
    return None if a is None else _as_f32(a)


def _keep_fit(est: Any, fitted: Any) -> None:
    """Stores a ``_core`` fit result: ``network_`` and the training history."""
    network, loss_curve, validation_loss, best_epoch, held_out = fitted
    est.network_ = network
    est.loss_curve_ = list(loss_curve)
    est.validation_loss_ = list(validation_loss)
    est.best_epoch_ = int(best_epoch)
    est.validation_indices_ = np.asarray(held_out, dtype=np.intp)
    est.n_iter_ = len(loss_curve)


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        # keys may be class labels of any type: keep them as [key, value] pairs
        return {"__pairs__": [[_jsonable(k), _jsonable(x)] for k, x in v.items()]}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.generic):
        return v.item()
    return v


def _from_jsonable(v: Any) -> Any:
    if isinstance(v, dict) and "__pairs__" in v:
        return {_key(k): _from_jsonable(x) for k, x in v["__pairs__"]}
    if isinstance(v, list):
        return tuple(_from_jsonable(x) for x in v)
    return v


def _key(k: Any) -> Any:
    return tuple(k) if isinstance(k, list) else k


_ESTIMATORS = {"EmotionClassifier": EmotionClassifier, "EmotionRegressor": EmotionRegressor,
               "MultitaskEmotionModel": MultitaskEmotionModel}


class _Malformed(ValueError):
    """Metadata of a model file that does not describe a fitted model (load_model turns it
    into a ReadError naming the file)."""


def _expect(ok: bool, what: str) -> None:
    if not ok:
        raise _Malformed(what)


def _vector(values: Any, n: int, name: str) -> np.ndarray:
    """``n`` finite numbers (positive ones for a scale) from a model file's metadata."""
    v = np.asarray(values, dtype=np.float64)
    positive = name == "input_scale_"
    _expect(v.shape == (n,) and bool(np.isfinite(v).all()) and (not positive or bool((v > 0).all())),
            f"{name} must hold {n} finite{' positive' if positive else ''} numbers")
    return v


def _record_from_state(rec: Any) -> Optional["dict[str, Any]"]:
    _expect(rec is None or (isinstance(rec, dict) and isinstance(rec.get("features"), dict) and "sr" in rec),
            "feature_settings_ is not a feature-settings record")
    return rec


def _build(meta: Any) -> "_Network":
    """An unfitted affectkit estimator from ``{"estimator": name, "params": {...}}``."""
    cls = _ESTIMATORS.get(meta["estimator"]) if isinstance(meta, dict) else None
    _expect(cls is not None, "not a file written by an affectkit estimator's save()")
    return cls(**{k: _from_jsonable(v) for k, v in meta["params"].items()})


def _restore(network: Any, meta: Any) -> "_Network":
    """The fitted affectkit estimator a model file's ``network`` and metadata describe."""
    est = _build(meta)
    est.network_ = network
    est._restore_state(meta["fitted"])
    hist = meta["history"]
    est.loss_curve_ = [float(v) for v in hist["loss_curve_"]]
    est.validation_loss_ = [float(v) for v in hist["validation_loss_"]]
    est.best_epoch_ = int(hist["best_epoch_"])
    est.validation_indices_ = np.asarray([int(i) for i in hist["validation_indices_"]], dtype=np.intp)
    est.n_iter_ = len(est.loss_curve_)
    return est


def load_model(path: "str | os.PathLike[str]") -> Any:
    """Reads a model written by ``estimator.save(path)``.

    Any fitted :class:`EmotionClassifier`, :class:`EmotionRegressor`,
    :class:`MultitaskEmotionModel`, :class:`MultimodalClassifier` (every fusion) or
    :class:`SequenceClassifier` (every pooling); its predictions are bit-identical to the
    saved model's, and it keeps the input scaling, feature names and feature settings.

    The file (model-file format version 3, described in ``docs/models.md``) is checked
    before anything is built: its CRC-32 checksum, its lengths and the network shape
    against the file's size, and every header and metadata field. A corrupted, truncated
    or malformed file, and a file of another format version (the message names both
    versions; files of versions 1 and 2, from before the checksum, must be retrained and
    saved again), raise :class:`~affectkit.errors.ReadError` naming the file.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by ``save``.

    Returns
    -------
    estimator
        The fitted estimator.

    Examples
    --------
    >>> import numpy as np, affectkit as ak, tempfile, os
    >>> X, y = np.r_[np.zeros((20, 2)), np.ones((20, 2))], np.r_[[0] * 20, [1] * 20]
    >>> clf = ak.EmotionClassifier((4,), max_epochs=5, random_state=0).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "ser.akm")
    >>> clf.save(path)
    >>> bool((ak.load_model(path).predict_proba(X) == clf.predict_proba(X)).all())
    True
    """
    where = os.fspath(path)
    with open(path, "rb") as f:
        data = f.read()
    parts, extra_text = _core.models_read_file(data, where)
    try:
        return _from_file(parts, json.loads(extra_text))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
        detail = str(e) if isinstance(e, _Malformed) else f"{type(e).__name__}: {e}"
        raise ReadError(f"{where}: malformed model metadata ({detail})") from None


def _from_file(parts: "list[tuple[str, Any]]", extra: Any) -> Any:
    _expect(isinstance(extra, dict), "not a file written by an affectkit estimator's save()")
    if "wrapper" not in extra:
        _expect(len(parts) == 1 and parts[0][0] == "", "a single estimator's file holds one network")
        return _restore(parts[0][1], extra)
    metas = extra["parts"]
    _expect(isinstance(metas, dict) and sorted(metas) == sorted(k for k, _ in parts),
            "the bundled networks do not match the file's metadata")
    inners = {k: _restore(net, metas[k]) for k, net in parts}
    wrap = extra["wrapper"]
    cls = _WRAPPERS.get(wrap["estimator"])
    _expect(cls is not None, f"unknown model kind {wrap['estimator']!r}")
    template = None if wrap["template"] is None else _build(wrap["template"])
    outer = cls(template, **{k: _from_jsonable(v) for k, v in wrap["params"].items()})
    outer._restore_wrapper(inners, wrap["fitted"])
    return outer


@_documented
class MultimodalClassifier(_WrapsNetwork, ClassifierMixin, BaseEstimator):
    """Fusion of several modalities, skipping the modalities an item lacks.

    ``fit(X, y)`` takes ``X`` as a dict ``{modality: (n, d_modality) array}`` with the same
    ``n`` in every entry; a row that is all NaN means the item has no data for that
    modality (e.g. no face found in the clip). An item with no modality at all gets a NaN
    probability row (``predict`` refuses it).

    - ``fusion="late"`` (default): one clone of ``estimator`` is trained per modality on
      the items that have it, and ``predict_proba`` averages the class probabilities of
      the modalities present for each item, weighted by ``modality_weights`` and
      renormalised over the present ones, so a missing modality is skipped, not imputed.
    - ``fusion="early"``: one ``estimator`` on the concatenated modalities, each block
      followed by a presence bit; a missing modality's block is zero with presence 0, so
      its first-layer weights contribute nothing (masked, not imputed) and the network
      learns from the bit that the modality is absent. ``modality_dropout`` teaches it to
      cope with missing modalities: the training items are used once as they are and
      once more with modalities dropped, drawn from ``random_state`` (Neverova et al.
      2016, ModDrop, applied as augmentation); an item and its copy stay on one side of
      early stopping's validation split.
    - ``fusion="gated"``: one network trained end to end in Rust: per modality an
      encoder MLP (``estimator``'s ``hidden_layer_sizes``; the last width is the shared
      embedding), a gate that scores the modalities from all embeddings and the presence
      mask, a softmax over the *present* modalities only (missing ones get -inf before
      the softmax, so weight exactly 0), and a softmax head on the gate-weighted sum of
      embeddings (Arevalo et al. 2017). ``estimator`` (an :class:`EmotionClassifier`)
      supplies every training setting (optimizer, epochs, batch size, dropout, class
      weights, early stopping, ``random_state``); ``modality_dropout`` hides present
      modalities of each training minibatch at random (ModDrop). :meth:`gate_weights`
      returns the learned weights per item. With one modality always missing the
      network is exactly the single-modality network.

    With the estimator's ``standardize=True`` (the default) every modality is z-scored
    with its own training statistics over the items that have it: by each per-modality
    classifier in late fusion, by this wrapper before the masking in early and gated
    fusion (kept in ``input_mean_``/``input_scale_`` and in model files).

    Parameters
    ----------
    estimator : EmotionClassifier or classifier, default None
        The per-modality (late), fused (early) or settings-giving (gated) classifier;
        None is ``EmotionClassifier()``. Late and early fusion take any scikit-learn
        classifier with ``predict_proba`` (``save`` needs an affectkit one; ``groups``
        reach affectkit estimators only).
    fusion : {"late", "early", "gated"}, default 'late'
        How the modalities are combined (above).
    modality_weights : dict or None, default None
        Late fusion: ``{modality: weight}`` of each modality's probabilities (default 1).
    modality_dropout : float, default 0.0
        Early and gated fusion: probability of hiding each present modality of a
        training item (at least one is kept).
    random_state : int, RandomState instance or None, default None
        Seeds early fusion's modality dropout (the gated network draws from the
        estimator's ``random_state``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    modalities_ : list of str
        Modality names, sorted (the column order of :meth:`gate_weights`).
    n_features_ : dict of str to int
        Feature columns per modality.
    estimators_ : dict of str to estimator
        The fitted classifiers: one per modality (late), ``"early"`` or ``"gated"``.
    feature_settings_ : dict or None
        ``{modality: record or None}`` of the feature-settings records the modality
        tables carried (``ak.settings.of(X[m])``), None when none carried one.
        Predictions on tables with other settings raise
        :class:`~affectkit.errors.SettingsMismatchError`.
    input_mean_, input_scale_ : dict of str to ndarray
        Per-modality training mean and standard deviation (early and gated fusion with
        ``standardize=True`` only).

    References
    ----------
    .. [1] J. Arevalo, T. Solorio, M. Montes-y-Gomez and F. A. Gonzalez, "Gated
       multimodal units for information fusion", ICLR workshop, 2017.
    .. [2] N. Neverova, C. Wolf, G. Taylor and F. Nebout, "ModDrop: adaptive multi-modal
       gesture recognition", IEEE TPAMI 38(8), 1692-1706, 2016.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> y = np.arange(200) % 2
    >>> audio = y[:, None] + rng.normal(scale=0.3, size=(200, 3))
    >>> face = y[:, None] + rng.normal(scale=0.3, size=(200, 2))
    >>> face[::3] = np.nan                                   # no face in every third clip
    >>> mm = ak.MultimodalClassifier(ak.EmotionClassifier((8,), random_state=0)).fit({"audio": audio, "face": face}, y)
    >>> bool(mm.score({"audio": audio, "face": face}, y) > 0.95)
    True
    """

    def __init__(self, estimator: Any = None, *, fusion: str = "late", modality_weights: Any = None,
                 modality_dropout: float = 0.0, random_state: Any = None) -> None:
        self.estimator = estimator
        self.fusion = fusion
        self.modality_weights = modality_weights
        self.modality_dropout = modality_dropout
        self.random_state = random_state

    def _early(self, arrays: "dict[str, np.ndarray]", present: "dict[str, np.ndarray]") -> np.ndarray:
        """Concatenated blocks (zero where missing), each followed by its presence bit."""
        blocks = []
        for name in self.modalities_:
            keep = present[name]
            blocks.append(np.where(keep[:, None], np.nan_to_num(arrays[name]), 0.0))
            blocks.append(keep[:, None].astype(np.float64))
        return np.hstack(blocks)

    def _modalities(self, X: Any, fitting: bool) -> "tuple[dict[str, np.ndarray], dict[str, np.ndarray], int]":
        if not isinstance(X, dict) or not X:
            raise ParameterError(f"X: expected a non-empty dict of modality -> feature matrix, got {type(X).__name__}")
        if not fitting and set(X) != set(self.modalities_):
            raise ParameterError(
                f"X: expected the modalities seen in fit {sorted(self.modalities_)!r}, got {sorted(X)!r}"
            )
        arrays, present = {}, {}
        n = None
        for name in sorted(X):
            if not fitting:
                _check_settings((getattr(self, "feature_settings_", None) or {}).get(name), X[name],
                                f"this MultimodalClassifier's {name!r} modality", got=f"X[{name!r}]")
            a = np.asarray(X[name], dtype=np.float64)
            if a.ndim != 2:
                raise ParameterError(f"X[{name!r}]: expected a 2-D (n_items, n_features) array, got shape {a.shape}")
            if n is None:
                n = a.shape[0]
            elif a.shape[0] != n:
                raise ParameterError(f"X[{name!r}]: expected {n} rows like the other modalities, got {a.shape[0]}")
            if not fitting and a.shape[1] != self.n_features_[name]:
                raise ParameterError(
                    f"X[{name!r}]: expected {self.n_features_[name]} features as in fit, got {a.shape[1]}"
                )
            nan = np.isnan(a)
            missing = nan.all(axis=1)
            if (nan.any(axis=1) & ~missing).any():
                raise ParameterError(
                    f"X[{name!r}]: rows must be complete or all NaN (modality missing); found partly NaN rows"
                )
            arrays[name], present[name] = a, ~missing
        return arrays, present, int(n or 0)

    def _scale(self, arrays: "dict[str, np.ndarray]") -> "dict[str, np.ndarray]":
        """Each modality z-scored with its training statistics (missing rows stay NaN)."""
        if not hasattr(self, "input_mean_"):
            return arrays
        return {k: _apply_scaling(a, self.input_mean_[k], self.input_scale_[k], impute=False)
                for k, a in arrays.items()}

    def _inputs(self, X: Any) -> "tuple[dict[str, np.ndarray], dict[str, np.ndarray], int]":
        """Checked, scaled modalities of ``X`` for prediction."""
        arrays, present, n = self._modalities(X, fitting=False)
        return self._scale(arrays), present, n

    @_documented
    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> "MultimodalClassifier":
        """Late fusion: one classifier per modality on the items that have it; early
        fusion: one classifier on the masked concatenation; gated: one network with
        learned gates.

        Parameters
        ----------
        X : dict of str to array-like of shape (n_samples, n_features_m)
            One feature matrix per modality; an all-NaN row marks a missing modality.
            A DataFrame's feature-settings record is kept per modality.
        y : array-like of shape (n_samples,)
            Labels.
        {fit_weights}

        Returns
        -------
        MultimodalClassifier
            ``self``, fitted.
        """
        if self.fusion not in ("late", "early", "gated"):
            raise ParameterError(f"fusion: expected 'late', 'early' or 'gated', got {self.fusion!r}")
        p = self.modality_dropout
        if not (isinstance(p, Real) and 0.0 <= p < 1.0):
            raise ParameterError(f"modality_dropout: expected a probability in [0, 1), got {p!r}")
        if p > 0 and self.fusion == "late":
            raise ParameterError("modality_dropout: only fusion='early' or 'gated' trains on dropped modalities")
        arrays, present, n = self._modalities(X, fitting=True)
        y = column_or_1d(np.asarray(y), warn=True)
        if len(y) != n:
            raise ParameterError(f"y: expected {n} labels (one per item), got {len(y)}")
        check_classification_targets(y)
        sw = _sample_weights(sample_weight, y)
        g = _groups(groups, n)
        # the keyword for the rows `rows` of the items, none without weights
        weigh = lambda rows: {} if sw is None else {"sample_weight": sw[rows]}  # noqa: E731
        records = {k: _settings_of(X[k]) for k in sorted(X)}
        self.feature_settings_ = records if any(r is not None for r in records.values()) else None
        self.classes_ = np.unique(y)
        template = EmotionClassifier() if self.estimator is None else self.estimator
        self.modalities_ = sorted(arrays)
        self.n_features_ = {k: a.shape[1] for k, a in arrays.items()}
        self.estimators_ = {}
        for name in ("input_mean_", "input_scale_"):
            self.__dict__.pop(name, None)
        if self.fusion != "late" and _wrapper_scales(template):
            scaling = {k: _fit_scaling(arrays[k][present[k]], None if sw is None else sw[present[k]])
                       for k in self.modalities_}
            self.input_mean_ = {k: m for k, (m, _) in scaling.items()}
            self.input_scale_ = {k: s for k, (_, s) in scaling.items()}
            arrays = self._scale(arrays)
        if self.fusion == "gated":
            return self._fit_gated(template, arrays, present, y, sw, g)
        if self.fusion == "early":
            has_any = np.any([present[k] for k in self.modalities_], axis=0)
            if not has_any.any():
                raise ParameterError("X: every modality is missing for every item")
            fused, labels = self._early(arrays, present)[has_any], y[has_any]
            gg = None if g is None else g[has_any]
            if p > 0:
                rng = check_random_state(self.random_state)
                mask = np.stack([present[k][has_any] for k in self.modalities_], axis=1)
                dropped = mask & (rng.random_sample(mask.shape) >= p)
                # keep one present modality, chosen at random, where everything was dropped
                empty = ~dropped.any(axis=1)
                for i in np.nonzero(empty)[0]:
                    dropped[i, rng.choice(np.nonzero(mask[i])[0])] = True
                aug = self._early({k: arrays[k][has_any] for k in self.modalities_},
                                  {k: dropped[:, j] for j, k in enumerate(self.modalities_)})
                fused, labels = np.vstack([fused, aug]), np.concatenate([labels, labels])
                has_any = np.r_[np.nonzero(has_any)[0], np.nonzero(has_any)[0]]
                # an item and its copy with dropped modalities stay on one side of the
                # early-stopping split
                gg = np.tile(np.arange(len(mask)) if gg is None else gg, 2)
            est = _unscaled_clone(template)
            self.estimators_["early"] = est.fit(fused, labels, **weigh(has_any), **_group_kw(est, gg))
            return self
        for name in self.modalities_:
            rows = present[name]
            if rows.any():
                est = clone(template)
                self.estimators_[name] = est.fit(arrays[name][rows], y[rows], **weigh(rows),
                                                 **_group_kw(est, None if g is None else g[rows]))
        if not self.estimators_:
            raise ParameterError("X: every modality is missing for every item")
        return self

    def _fit_gated(self, template: Any, arrays: "dict[str, np.ndarray]", present: "dict[str, np.ndarray]",
                   y: np.ndarray, sw: Optional[np.ndarray], g: Optional[np.ndarray]) -> "MultimodalClassifier":
        if not isinstance(template, EmotionClassifier):
            raise ParameterError(
                f"estimator: fusion='gated' takes its settings from an EmotionClassifier, got {type(template).__name__}"
            )
        has_any = np.any([present[k] for k in self.modalities_], axis=0)
        if not has_any.any():
            raise ParameterError("X: every modality is missing for every item")
        est = _unscaled_clone(template)  # holds the settings, classes and the trained network
        targets, weights = est._encode_targets(y[has_any])
        weights = _times(weights, None if sw is None else sw[has_any])
        blocks = [_as_f32(arrays[k][has_any]) for k in self.modalities_]
        _keep_fit(est, _core.models_fit_fusion(
            blocks, list(self.modalities_), targets, _opt_f32(weights),
            float(self.modality_dropout), est._settings(int(has_any.sum()), None if g is None else g[has_any]),
            est.n_jobs,
        ))
        self.estimators_["gated"] = est
        return self

    def _gated(self, X: Any) -> "tuple[np.ndarray, np.ndarray]":
        arrays, _, _ = self._inputs(X)
        est = self.estimators_["gated"]
        proba, gates = est.network_.predict_fusion([_as_f32(arrays[k]) for k in self.modalities_],
                                                   list(self.modalities_), est.n_jobs)
        out = np.full((len(proba), len(self.classes_)), np.nan)
        cols = np.searchsorted(self.classes_, est.classes_)
        rows = ~np.isnan(proba).any(axis=1)
        out[rows] = 0.0
        out[np.ix_(rows, cols)] = proba[rows]
        return out, gates.astype(np.float64)

    def _inners(self) -> "dict[str, Any]":
        check_is_fitted(self, "estimators_")
        return dict(self.estimators_)

    def _wrapper_state(self) -> "dict[str, Any]":
        state = _classes_state(self.classes_) | {"modalities_": list(self.modalities_),
                                                  "n_features_": dict(self.n_features_),
                                                  "order": list(self.estimators_),
                                                  "feature_settings_": self.feature_settings_}
        if hasattr(self, "input_mean_"):
            state["input_mean_"] = {k: v.tolist() for k, v in self.input_mean_.items()}
            state["input_scale_"] = {k: v.tolist() for k, v in self.input_scale_.items()}
        return state

    def _restore_wrapper(self, inners: "dict[str, Any]", state: "dict[str, Any]") -> None:
        self.classes_ = _classes_from_state(state)
        self.modalities_ = [str(k) for k in state["modalities_"]]
        self.n_features_ = {str(k): int(v) for k, v in state["n_features_"].items()}
        _expect(self.modalities_ == sorted(self.n_features_) and all(v > 0 for v in self.n_features_.values()),
                "modalities_ and n_features_ do not match")
        # late fusion sums the modalities in this order: keep it for bit-identical output
        order = list(state["order"])
        _expect(sorted(order) == sorted(inners), "the estimators' order does not match the bundled networks")
        self.estimators_ = {k: inners[k] for k in order}
        width = sum(self.n_features_.values())
        for k, est in self.estimators_.items():
            expected = {"gated": width, "early": width + len(self.modalities_)}.get(self.fusion, self.n_features_.get(k))
            _expect(k == self.fusion or (self.fusion == "late" and k in self.n_features_),
                    f"a {self.fusion} fusion holds no {k!r} network")
            _expect(est.network_.n_inputs == expected, f"the {k!r} network does not take {expected} inputs")
            _expect(set(est.classes_.tolist()) <= set(self.classes_.tolist()), f"the {k!r} classes are not in classes_")
        fs = state["feature_settings_"]
        _expect(fs is None or (isinstance(fs, dict) and set(fs) <= set(self.modalities_)),
                "feature_settings_ must map modalities to records")
        self.feature_settings_ = None if fs is None else {k: _record_from_state(v) for k, v in fs.items()}
        if "input_mean_" in state:
            _expect(self.fusion != "late", "late fusion scales inside its per-modality estimators")
            self.input_mean_ = {k: _vector(state["input_mean_"][k], self.n_features_[k], "input_mean_")
                                for k in self.modalities_}
            self.input_scale_ = {k: _vector(state["input_scale_"][k], self.n_features_[k], "input_scale_")
                                 for k in self.modalities_}

    def gate_weights(self, X: Any) -> np.ndarray:
        """Gate weights of a gated fusion: each present modality's share of the fused embedding.

        Parameters
        ----------
        X : dict of str to array-like
            The modalities, as in fit.

        Returns
        -------
        ndarray of shape (n_samples, n_modalities)
            Columns in ``modalities_`` order, 0 for a missing modality, rows summing to 1
            (NaN rows for items with no modality).
        """
        check_is_fitted(self, "estimators_")
        if self.fusion != "gated" or "gated" not in self.estimators_:
            raise ParameterError("gate_weights: only a fusion='gated' model has gates")
        return self._gated(X)[1]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities: the fused network's (early, gated) or the weighted mean of
        the present modalities' (late).

        Parameters
        ----------
        X : dict of str to array-like
            The modalities seen in fit, raw (the model applies its scaling); tables with
            other feature settings than in fit raise
            :class:`~affectkit.errors.SettingsMismatchError`.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            In ``classes_`` order; a NaN row for an item with no modality.
        """
        check_is_fitted(self, "estimators_")
        if "gated" in self.estimators_:
            return self._gated(X)[0]
        arrays, present, n = self._inputs(X)
        if "early" in self.estimators_:
            est = self.estimators_["early"]
            has_any = np.any([present[k] for k in self.modalities_], axis=0)
            out = np.full((n, len(self.classes_)), np.nan)
            if has_any.any():
                cols = np.searchsorted(self.classes_, est.classes_)
                out[np.ix_(has_any, np.arange(len(self.classes_)))] = 0.0
                out[np.ix_(has_any, cols)] = est.predict_proba(self._early(arrays, present)[has_any])
            return out
        weights = self.modality_weights or {}
        unknown = set(weights) - set(self.modalities_)
        if unknown:
            raise ParameterError(f"modality_weights: unknown modalities {sorted(unknown)!r}")
        total = np.zeros((n, len(self.classes_)))
        mass = np.zeros(n)
        for name, est in self.estimators_.items():
            rows = present[name]
            if not rows.any():
                continue
            w = float(weights.get(name, 1.0))
            cols = np.searchsorted(self.classes_, est.classes_)
            total[np.ix_(rows, cols)] += w * est.predict_proba(arrays[name][rows])
            mass[rows] += w
        with np.errstate(invalid="ignore", divide="ignore"):
            return total / mass[:, None]

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class per item.

        Parameters
        ----------
        X : dict of str to array-like
            The modalities, as in fit; every item needs at least one.

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        p = self.predict_proba(X)
        if np.isnan(p).any():
            raise ParameterError("X: some items have no modality at all; predict_proba gives them NaN rows")
        return self.classes_[np.argmax(p, axis=1)]


@_documented
class SequenceClassifier(_WrapsNetwork, ClassifierMixin, BaseEstimator):
    """Classifier over variable-length sequences of frame features (one label per sequence).

    ``fit(X, y)`` takes ``X`` as a list of ``(n_frames_i, n_features)`` arrays. Frames
    containing NaN (e.g. no face found) are masked out; a sequence with no frame left is
    an error naming it.

    - ``pooling="mean"`` (masked mean) or ``"mean_std"`` (appends the standard deviation;
      statistics pooling, Snyder et al. 2018): each sequence is pooled and ``estimator``
      is trained on the pooled vectors (and standardizes them, with its
      ``standardize=True``). Parameter-free pooling followed by the network is the same
      model as pooling inside it.
    - ``pooling="attention"``: one network trained end to end in Rust: an optional 1-D
      convolution front (``conv_channels`` filters of ``conv_kernel`` frames, ReLU, zero
      "same" padding; 0 channels = none), attention pooling (a score
      ``v . tanh(W h_t)`` per frame with ``attention_dim`` hidden units, tanh computed
      as its clamped [3/2] Padé approximant, max error 0.024; padding and NaN frames
      set to -inf before the softmax over frames; Yang et al. 2016, as used for speech
      emotion recognition by Mirsamadi et al. 2017), then an MLP head with
      ``estimator``'s ``hidden_layer_sizes``. ``estimator`` (an
      :class:`EmotionClassifier`) supplies every training setting; with its
      ``standardize=True`` (the default) every frame feature is z-scored with its mean
      and standard deviation over all training frames (``input_mean_``/``input_scale_``,
      kept in model files). Sequences of any length share minibatches (zero padding,
      masked). :meth:`attention_weights` returns each sequence's weights over its frames.

    Parameters
    ----------
    estimator : EmotionClassifier or classifier, default None
        The classifier of the pooled vectors, or (attention) the source of the training
        settings; None is ``EmotionClassifier()``.
    pooling : {"mean", "mean_std", "attention"}, default 'mean'
        How a sequence becomes one vector (above).
    conv_channels : int, default 0
        Filters of the convolution front (attention only; 0 = none).
    conv_kernel : int, default 3
        Width of the convolution in frames.
    attention_dim : int, default 16
        Hidden units of the attention scorer (16 was as accurate as 32 on a short-event
        task and about 2x faster to train).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    estimator_ : EmotionClassifier or classifier
        The fitted classifier (pooling) or the holder of the trained attention network.
    n_frame_features_ : int
        Features per frame.
    feature_settings_ : dict or None
        The feature-settings record the sequences carried (of ``X`` or of its first
        element), None when none did; predictions on sequences with other settings
        raise :class:`~affectkit.errors.SettingsMismatchError`.
    input_mean_, input_scale_ : ndarray of shape (n_features,)
        Training mean and standard deviation of each frame feature over all training
        frames (attention pooling with ``standardize=True`` only).

    References
    ----------
    .. [1] Z. Yang, D. Yang, C. Dyer, X. He, A. Smola and E. Hovy, "Hierarchical attention
       networks for document classification", NAACL-HLT 2016.
    .. [2] S. Mirsamadi, E. Barsoum and C. Zhang, "Automatic speech emotion recognition
       using recurrent neural networks with local attention", ICASSP 2017.
    .. [3] D. Snyder, D. Garcia-Romero, G. Sell, D. Povey and S. Khudanpur, "X-vectors:
       robust DNN embeddings for speaker recognition", ICASSP 2018.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> y = np.arange(60) % 2
    >>> seqs = [rng.normal(loc=c, size=(rng.integers(5, 40), 3)) for c in y]
    >>> seq = ak.SequenceClassifier(ak.EmotionClassifier((8,), random_state=0)).fit(seqs, y)
    >>> bool(seq.score(seqs, y) > 0.95)
    True
    >>> att = ak.SequenceClassifier(ak.EmotionClassifier((8,), random_state=0), pooling="attention").fit(seqs, y)
    >>> bool(att.score(seqs, y) > 0.95)
    True
    """

    def __init__(self, estimator: Any = None, *, pooling: str = "mean", conv_channels: int = 0,
                 conv_kernel: int = 3, attention_dim: int = 16) -> None:
        self.estimator = estimator
        self.pooling = pooling
        self.conv_channels = conv_channels
        self.conv_kernel = conv_kernel
        self.attention_dim = attention_dim

    def _frames(self, X: Any, fitting: bool) -> "list[np.ndarray]":
        if self.pooling not in ("mean", "mean_std", "attention"):
            raise ParameterError(f"pooling: expected 'mean', 'mean_std' or 'attention', got {self.pooling!r}")
        if isinstance(X, np.ndarray) and X.ndim == 2:
            raise ParameterError("X: expected a list of (n_frames, n_features) arrays, got one 2-D array")
        if not fitting:
            _check_settings(getattr(self, "feature_settings_", None), _sequence_table(X), "this SequenceClassifier")
        try:
            seqs = [np.asarray(s, dtype=np.float64) for s in X]
        except (TypeError, ValueError) as e:
            raise ParameterError(f"X: expected a list of (n_frames, n_features) arrays ({e})") from None
        if not seqs:
            raise ParameterError("X: expected at least one sequence")
        width = seqs[0].shape[-1] if fitting else self.n_frame_features_
        for i, s in enumerate(seqs):
            if s.ndim != 2 or s.shape[1] != width:
                raise ParameterError(f"X[{i}]: expected a (n_frames, {width}) array, got shape {s.shape}")
            if len(s) == 0 or np.isnan(s).any(axis=1).all():
                raise ParameterError(f"X[{i}]: the sequence has no frames without NaN")
        if fitting:
            self.n_frame_features_ = int(width)
        return seqs

    def _pool(self, X: Any, fitting: bool) -> np.ndarray:
        pooled = []
        for s in self._frames(X, fitting):
            frames = s[~np.isnan(s).any(axis=1)]
            stats = [frames.mean(axis=0)]
            if self.pooling == "mean_std":
                stats.append(frames.std(axis=0))
            pooled.append(np.concatenate(stats))
        return np.vstack(pooled)

    def _conv_args(self) -> "tuple[int, int, int]":
        args = (self.conv_channels, self.conv_kernel, self.attention_dim)
        for name, v, least in zip(("conv_channels", "conv_kernel", "attention_dim"), args, (0, 1, 1)):
            if not isinstance(v, Integral) or isinstance(v, bool) or v < least:
                raise ParameterError(f"{name}: expected an integer >= {least}, got {v!r}")
        if self.pooling != "attention" and self.conv_channels:
            raise ParameterError("conv_channels: the convolution front needs pooling='attention'")
        return int(args[0]), int(args[1]), int(args[2])

    @_documented
    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> "SequenceClassifier":
        """Pools each sequence and trains ``estimator`` on the pooled vectors, or trains the
        attention network.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            One frame matrix per sequence (any lengths); frames with NaN are masked.
        y : array-like of shape (n_sequences,)
            One label per sequence.
        {fit_weights}

        Returns
        -------
        SequenceClassifier
            ``self``, fitted.
        """
        conv_channels, conv_kernel, attention_dim = self._conv_args()
        template = EmotionClassifier() if self.estimator is None else self.estimator
        self.feature_settings_ = _settings_of(_sequence_table(X))
        for name in ("input_mean_", "input_scale_"):
            self.__dict__.pop(name, None)
        if self.pooling != "attention":
            weigh = {} if sample_weight is None else {"sample_weight": sample_weight}
            est = clone(template)
            pooled = self._pool(X, fitting=True)
            self.estimator_ = est.fit(pooled, y, **weigh, **_group_kw(est, _groups(groups, len(pooled))))
            self.classes_ = self.estimator_.classes_
            return self
        if not isinstance(template, EmotionClassifier):
            raise ParameterError(
                f"estimator: pooling='attention' takes its settings from an EmotionClassifier, got {type(template).__name__}"
            )
        seqs = self._frames(X, fitting=True)
        y = np.asarray(y)
        if len(y) != len(seqs):
            raise ParameterError(f"y: expected {len(seqs)} labels (one per sequence), got {len(y)}")
        lengths = [len(s) for s in seqs]
        frames = np.vstack(seqs)
        sw = _sample_weights(sample_weight, y)
        if _wrapper_scales(template):
            usable = ~np.isnan(frames).any(axis=1)
            per_frame = None if sw is None else np.repeat(sw, lengths)[usable]
            self.input_mean_, self.input_scale_ = _fit_scaling(frames[usable], per_frame)
            frames = self._scale(frames)
        est = _unscaled_clone(template)  # holds the settings, classes and the trained network
        targets, weights = est._encode_targets(y)
        _keep_fit(est, _core.models_fit_sequence(
            _as_f32(frames), lengths, targets, _opt_f32(_times(weights, sw)), conv_channels, conv_kernel,
            attention_dim, est._settings(len(seqs), groups), est.n_jobs,
        ))
        self.estimator_ = est
        self.classes_ = est.classes_
        return self

    def _scale(self, frames: np.ndarray) -> np.ndarray:
        """Frames z-scored with the training statistics (NaN stays NaN: the frame is masked)."""
        if not hasattr(self, "input_mean_"):
            return frames
        return _apply_scaling(frames, self.input_mean_, self.input_scale_, impute=False)

    def _attention(self, X: Any) -> "tuple[np.ndarray, list[np.ndarray]]":
        seqs = self._frames(X, fitting=False)
        est = self.estimator_
        frames = self._scale(np.vstack(seqs))
        proba, weights = est.network_.predict_sequence(_as_f32(frames), [len(s) for s in seqs], est.n_jobs)
        bounds = np.cumsum([len(s) for s in seqs])[:-1]
        return proba.astype(np.float64), [w.astype(np.float64) for w in np.split(weights, bounds)]

    def _inners(self) -> "dict[str, Any]":
        check_is_fitted(self, "estimator_")
        return {"estimator": self.estimator_}

    def _wrapper_state(self) -> "dict[str, Any]":
        state: "dict[str, Any]" = {"n_frame_features_": int(self.n_frame_features_),
                                   "feature_settings_": self.feature_settings_}
        if hasattr(self, "input_mean_"):
            state["input_mean_"] = self.input_mean_.tolist()
            state["input_scale_"] = self.input_scale_.tolist()
        return state

    def _restore_wrapper(self, inners: "dict[str, Any]", state: "dict[str, Any]") -> None:
        self.n_frame_features_ = int(state["n_frame_features_"])
        _expect(list(inners) == ["estimator"], "a sequence model holds one network named 'estimator'")
        self.estimator_ = inners["estimator"]
        self.classes_ = self.estimator_.classes_
        width = self.n_frame_features_ * (2 if self.pooling == "mean_std" else 1)
        _expect(self.estimator_.network_.n_inputs == width,
                f"the network does not take the {width} inputs of {self.pooling!r} pooling")
        self.feature_settings_ = _record_from_state(state["feature_settings_"])
        if "input_mean_" in state:
            _expect(self.pooling == "attention", "only attention pooling scales the frames itself")
            self.input_mean_ = _vector(state["input_mean_"], self.n_frame_features_, "input_mean_")
            self.input_scale_ = _vector(state["input_scale_"], self.n_frame_features_, "input_scale_")

    def attention_weights(self, X: Any) -> "list[np.ndarray]":
        """Attention weights of each sequence over its frames.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            Sequences, as in fit.

        Returns
        -------
        list of ndarray of shape (n_frames_i,)
            Per sequence, 0 for NaN frames, summing to 1.
        """
        check_is_fitted(self, "estimator_")
        if self.pooling != "attention":
            raise ParameterError("attention_weights: only a pooling='attention' model has attention")
        return self._attention(X)[1]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities per sequence.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            Raw sequences, as in fit.

        Returns
        -------
        ndarray of shape (n_sequences, n_classes)
        """
        check_is_fitted(self, "estimator_")
        if self.pooling == "attention":
            p = self._attention(X)[0]
            return p / p.sum(axis=1, keepdims=True)
        return self.estimator_.predict_proba(self._pool(X, fitting=False))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class per sequence.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            Raw sequences, as in fit.

        Returns
        -------
        ndarray of shape (n_sequences,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


def _sequence_table(X: Any) -> Any:
    """What carries the settings of sequences ``X``: ``X`` itself, or its first element
    (a list of per-clip DataFrames)."""
    if hasattr(X, "attrs") or not isinstance(X, (list, tuple)) or not X:
        return X
    return X[0]


_WRAPPERS = {"MultimodalClassifier": MultimodalClassifier, "SequenceClassifier": SequenceClassifier}
