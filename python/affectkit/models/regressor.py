""":class:`EmotionRegressor`: a Burn MLP regressor (CCC or MSE loss) behind scikit-learn's API."""

from __future__ import annotations

from typing import Any, Optional
import numpy as np
from sklearn.base import RegressorMixin
from sklearn.utils.validation import validate_data
from ..errors import ParameterError

from ._network import _Network, _documented, _sample_weights
from ._state import _FLOATS
from ._state import _expect

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
