"""Calibration: do a model's probabilities mean what they say?

:func:`calibration` scores class probabilities with the expected and maximum calibration
error (ECE, MCE: Naeini et al. 2015, Guo et al. 2017) on the top-label confidence in
equal-width bins, the Brier score (Brier 1950) and the negative log-likelihood;
:class:`TemperatureScaler` fits the one-parameter temperature scaling of Guo et al. (2017)
on held-out logits or probabilities.

>>> import numpy as np, affectkit as ak
>>> proba = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
>>> c = ak.metrics.calibration(["a", "a", "b", "b"], proba, classes=["a", "b"])
>>> round(c.ece, 3), round(c.brier, 3)
(0.3, 0.25)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import numpy as np
from sklearn.base import BaseEstimator

from ..errors import InputTypeError, ParameterError

__all__ = ["CalibrationResult", "calibration", "TemperatureScaler"]


def _proba_and_codes(y_true: Any, proba: Any, classes: Optional[Sequence[Any]],
                     name: str = "proba") -> "tuple[np.ndarray, np.ndarray, np.ndarray]":
    """(probabilities (n, k) float64, true column per item, classes)."""
    P = np.asarray(proba, dtype=np.float64) if not isinstance(proba, str) else None
    if P is None or P.ndim != 2 or P.shape[1] < 2:
        raise ParameterError(f"{name}: expected an (n_items, n_classes) array with at least 2 classes, got "
                             f"{getattr(P, 'shape', type(proba).__name__)}")
    y = np.asarray(y_true)
    if y.ndim != 1 or len(y) != P.shape[0]:
        raise ParameterError(f"y_true: expected {P.shape[0]} labels (one per row of {name}), got shape {y.shape}")
    k = P.shape[1]
    if classes is None:
        uniq = np.unique(y)
        if y.dtype.kind in "iu" and (len(y) == 0 or (y.min() >= 0 and y.max() < k)):
            classes = np.arange(k)
        elif len(uniq) == k:
            classes = uniq
        else:
            raise ParameterError(f"classes: y_true holds {len(uniq)} distinct labels for {k} columns of {name}; pass "
                                 "classes= (the column order, e.g. the estimator's classes_)")
    classes = np.asarray(classes)
    if classes.shape != (k,):
        raise ParameterError(f"classes: expected {k} names (one per column of {name}), got {len(classes)}")
    where = {c: i for i, c in enumerate(classes.tolist())}
    unknown = sorted({v for v in y.tolist() if v not in where}, key=str)
    if unknown:
        raise ParameterError(f"y_true: label(s) {unknown[:5]} are not among classes {classes.tolist()}")
    codes = np.array([where[v] for v in y.tolist()], dtype=np.int64)
    return P, codes, classes


def _check_proba(P: np.ndarray, name: str = "proba") -> None:
    if not np.all(np.isfinite(P)) or (P < 0).any() or not np.allclose(P.sum(axis=1), 1.0, atol=1e-6):
        raise ParameterError(f"{name}: rows must be class probabilities (finite, non-negative, summing to 1); "
                             "for logits use ak.TemperatureScaler or scipy.special.softmax first")


@dataclass
class CalibrationResult:
    """Calibration scores (the result of :func:`calibration`).

    Attributes
    ----------
    ece : float
        Expected calibration error: sum over bins of ``|B| / n * |accuracy(B) - confidence(B)|``.
    mce : float
        Maximum calibration error: the largest ``|accuracy(B) - confidence(B)|`` over
        non-empty bins.
    brier : float
        Multiclass Brier score: mean over items of ``sum_k (p_k - y_k)^2`` (0 to 2).
    nll : float
        Negative log-likelihood of the true class (nats; probabilities clipped at 1e-15).
    n_bins : int
        Equal-width bins on [0, 1].
    bins : pandas.DataFrame or None, default None
        Per bin: ``lower``, ``upper``, ``n``, ``confidence`` (mean top-label probability),
        ``accuracy`` (NaN for empty bins): the reliability diagram's data.
    """

    ece: float
    mce: float
    brier: float
    nll: float
    n_bins: int
    bins: Any = field(default=None, repr=False)

    def to_dict(self) -> "dict[str, float]":
        """The four scores as a dict.

        Returns
        -------
        dict
            ``{"ECE", "MCE", "Brier", "NLL"}``.
        """
        return {"ECE": self.ece, "MCE": self.mce, "Brier": self.brier, "NLL": self.nll}


def calibration(y_true: Any, proba: Any, *, classes: Optional[Sequence[Any]] = None, n_bins: int = 15) -> CalibrationResult:
    """ECE, MCE, Brier score and NLL of class probabilities.

    The calibration errors use the top-label confidence ``max_k p_k`` and whether the
    top class is right, in ``n_bins`` equal-width bins ``(i/n_bins, (i+1)/n_bins]`` (the
    first also holds 0), as Guo et al. (2017) define them (and torchmetrics'
    ``MulticlassCalibrationError(norm="l1")`` / ``"max"``). The Brier score is Brier's
    (1950) multiclass sum, ``sklearn.metrics.brier_score_loss(..., scale_by_half=False)``;
    the NLL equals ``sklearn.metrics.log_loss``.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels.
    proba : array-like of shape (n, n_classes)
        Class probabilities (rows sum to 1), e.g. ``clf.predict_proba(X)``.
    classes : sequence or None, default None
        The class of each column of ``proba`` (e.g. ``clf.classes_``). Default: integer
        labels index the columns; otherwise the sorted distinct labels, when there are as
        many as columns.
    n_bins : int, default 15
        Equal-width confidence bins.

    Returns
    -------
    CalibrationResult
        ``ece``, ``mce``, ``brier``, ``nll`` and the per-bin table ``bins``.

    References
    ----------
    .. [1] C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On calibration of modern neural
       networks", ICML 2017.
    .. [2] M. P. Naeini, G. F. Cooper and M. Hauskrecht, "Obtaining well calibrated
       probabilities using Bayesian binning", AAAI 2015.
    .. [3] G. W. Brier, "Verification of forecasts expressed in terms of probability",
       Monthly Weather Review 78(1), 1-3, 1950.

    Examples
    --------
    >>> import affectkit as ak
    >>> c = ak.metrics.calibration([0, 1], [[0.8, 0.2], [0.4, 0.6]])
    >>> round(c.ece, 2), round(c.nll, 4)
    (0.3, 0.367)
    """
    import pandas as pd

    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ParameterError(f"n_bins: expected an integer >= 1, got {n_bins!r}")
    P, codes, _ = _proba_and_codes(y_true, proba, classes)
    if len(codes) == 0:
        raise ParameterError("y_true: expected at least one item")
    _check_proba(P)
    conf = P.max(axis=1)
    correct = (P.argmax(axis=1) == codes).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # bin i holds (edges[i], edges[i+1]]; a confidence of exactly 0 goes to the first
    which = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, n_bins - 1)
    n = np.bincount(which, minlength=n_bins)
    sum_conf = np.bincount(which, weights=conf, minlength=n_bins)
    sum_acc = np.bincount(which, weights=correct, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = sum_conf / n
        acc = sum_acc / n
    gap = np.abs(acc - mean_conf)
    used = n > 0
    ece = float(np.sum(n[used] / len(codes) * gap[used]))
    mce = float(gap[used].max())
    onehot = np.zeros_like(P)
    onehot[np.arange(len(codes)), codes] = 1.0
    brier = float(np.mean(np.sum((P - onehot) ** 2, axis=1)))
    nll = float(-np.mean(np.log(np.clip(P[np.arange(len(codes)), codes], 1e-15, None))))
    bins = pd.DataFrame({"lower": edges[:-1], "upper": edges[1:], "n": n, "confidence": mean_conf,
                         "accuracy": acc})
    return CalibrationResult(ece=ece, mce=mce, brier=brier, nll=nll, n_bins=int(n_bins), bins=bins)


class TemperatureScaler(BaseEstimator):
    """Temperature scaling (Guo et al. 2017): one temperature ``T`` that divides the logits
    so that their softmax minimises the negative log-likelihood on held-out data.

    It keeps the predicted class (argmax) and so accuracy, UA and F1, and changes only
    the confidence. Fit it on a validation split, never on the test items. Probabilities
    are accepted in place of logits (their logarithm is used: ``softmax(log p / T)``).

    Parameters
    ----------
    bounds : tuple of float, default (0.05, 20.0)
        The range searched for ``T`` (bounded scalar minimisation of the NLL over
        ``log T``).

    Attributes
    ----------
    temperature_ : float
        The fitted temperature (above 1: the model was over-confident).
    classes_ : numpy.ndarray
        The column classes (``classes=`` of fit, or as :func:`calibration` infers them).
    nll_before_, nll_after_ : float
        NLL of the fitting data at ``T = 1`` and at ``temperature_``.

    References
    ----------
    .. [1] C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On calibration of modern neural
       networks", ICML 2017.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 3, 300)
    >>> logits = 4 * np.eye(3)[y] + rng.normal(0, 2, (300, 3))    # over-confident
    >>> ts = ak.TemperatureScaler().fit(logits, y)
    >>> ts.temperature_ > 1, ts.nll_after_ < ts.nll_before_
    (True, True)
    """

    def __init__(self, bounds: "tuple[float, float]" = (0.05, 20.0)) -> None:
        self.bounds = bounds

    @staticmethod
    def _logits(Z: Any, name: str = "X") -> np.ndarray:
        A = np.asarray(Z, dtype=np.float64)
        if A.ndim != 2 or A.shape[1] < 2:
            raise ParameterError(f"{name}: expected (n_items, n_classes) logits or probabilities, got shape {A.shape}")
        if not np.all(np.isfinite(A)):
            raise ParameterError(f"{name}: contains NaN or infinite values")
        if (A >= 0).all() and np.allclose(A.sum(axis=1), 1.0, atol=1e-6):
            return np.log(np.clip(A, 1e-15, None))  # probabilities: their log-probabilities
        return A

    @staticmethod
    def _softmax(Z: np.ndarray, T: float) -> np.ndarray:
        from scipy.special import softmax

        return softmax(Z / T, axis=1)

    def fit(self, X: Any, y: Any, classes: Optional[Sequence[Any]] = None) -> "TemperatureScaler":
        """Fits the temperature on held-out logits (or probabilities) and their labels.

        Parameters
        ----------
        X : array-like of shape (n, n_classes)
            Logits, or probabilities (e.g. ``clf.predict_proba(X_valid)``).
        y : array-like of shape (n,)
            True labels.
        classes : sequence or None, default None
            The class of each column (e.g. ``clf.classes_``); see :func:`calibration`.

        Returns
        -------
        TemperatureScaler
            ``self``, fitted.
        """
        from scipy.optimize import minimize_scalar
        from scipy.special import logsumexp

        lo, hi = self.bounds
        if not (0 < lo < hi):
            raise ParameterError(f"bounds: expected 0 < low < high, got {self.bounds!r}")
        Z = self._logits(X)
        _, codes, self.classes_ = _proba_and_codes(y, Z, classes, name="X")
        if len(codes) == 0:
            raise ParameterError("y: expected at least one item")
        rows = np.arange(len(codes))

        def nll(log_t: float) -> float:
            S = Z / np.exp(log_t)
            return float(np.mean(logsumexp(S, axis=1) - S[rows, codes]))

        res = minimize_scalar(nll, bounds=(np.log(lo), np.log(hi)), method="bounded", options={"xatol": 1e-8})
        self.temperature_ = float(np.exp(res.x))
        self.nll_before_ = nll(0.0)
        self.nll_after_ = float(res.fun)
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated probabilities ``softmax(X / temperature_)``.

        Parameters
        ----------
        X : array-like of shape (n, n_classes)
            Logits or probabilities, as in fit.

        Returns
        -------
        numpy.ndarray of shape (n, n_classes)
        """
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "temperature_")
        Z = self._logits(X)
        if Z.shape[1] != len(self.classes_):
            raise ParameterError(f"X: expected {len(self.classes_)} columns (as in fit), got {Z.shape[1]}")
        return self._softmax(Z, self.temperature_)

    def transform(self, X: Any) -> np.ndarray:
        """Same as :meth:`predict_proba` (for use inside a pipeline).

        Parameters
        ----------
        X : array-like of shape (n, n_classes)
            Logits or probabilities.

        Returns
        -------
        numpy.ndarray of shape (n, n_classes)
        """
        return self.predict_proba(X)

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class (the same as before scaling).

        Parameters
        ----------
        X : array-like of shape (n, n_classes)
            Logits or probabilities.

        Returns
        -------
        numpy.ndarray of shape (n,)
        """
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
