"""The shared base of affectkit's Burn-backed estimators: input scaling, groups, sample weights, settings checks, the documented parameter blocks and the save/load hooks."""

from __future__ import annotations

import abc
import copy
import json
import os
import re
import textwrap
from numbers import Integral, Real
from typing import Any, Optional, TypeVar
import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data
from .. import _core
from .. import settings as _feature_settings
from ..errors import ParameterError

from ._state import _FLOATS, _as_f32, _expect, _jsonable, _keep_fit, _opt_f32, _record_from_state, _vector


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
network_ : affectkit._core.models.Network
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


class _Network(BaseEstimator, metaclass=abc.ABCMeta):
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
        _keep_fit(self, _core.models.fit(
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

    @abc.abstractmethod
    def _n_outputs(self) -> int:
        """Outputs the network must have for the fitted state (classes, targets)."""

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
        _write(path, _core.models.bundle_to_bytes([(k, e.network_) for k, e in inners.items()], json.dumps(metadata)))
