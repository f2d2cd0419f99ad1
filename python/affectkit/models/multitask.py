""":class:`MultitaskEmotionModel`: one network for a category and dimensional targets."""

from __future__ import annotations

from typing import Any, Optional
import numpy as np
from sklearn.utils.validation import validate_data
from ..errors import ParameterError

from ._network import _documented, _sample_weights, _times
from ._state import _FLOATS
from .classifier import EmotionClassifier

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
