""":class:`EmotionClassifier`: a Burn MLP behind scikit-learn's classifier API."""

from __future__ import annotations

from numbers import Real
from typing import Any, Optional
import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d, validate_data
from .. import _core
from ..errors import ParameterError

from ._network import _Network, _classes_from_state, _classes_state, _documented, _sample_weights, _times
from ._state import _FLOATS, _as_f32

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
            targets, item_w = _core.models.class_targets(
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
            targets, item_w = _core.models.class_targets(
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
