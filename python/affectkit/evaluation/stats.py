"""Uncertainty of a score: bootstrap confidence intervals and paired tests between systems.

:func:`bootstrap_ci` gives a percentile or BCa interval (Efron 1987) for any metric,
resampling items or whole groups (speakers: the unit a speaker-independent claim is
about). :func:`paired_test` compares two systems on the same items: McNemar's test
(McNemar 1947) on their per-item correctness, or a paired permutation test of a metric's
difference (items or speakers swapped between the systems).

Metric names (:data:`METRICS`): ``ua`` (unweighted accuracy), ``wa`` (weighted accuracy),
``macro_f1``, ``weighted_f1`` for labels; ``ccc``, ``pearson``, ``mae``, ``rmse`` for one
continuous target; or any callable ``metric(y_true, y_pred) -> float``. The named ones are
:mod:`affectkit.metrics`' own definitions.

>>> import affectkit as ak
>>> y = ["a", "b"] * 20
>>> p = ["a", "b"] * 15 + ["b", "a"] * 5
>>> ci = ak.metrics.bootstrap_ci(y, p, metric="ua", n_resamples=500)
>>> round(ci.estimate, 2), ci.low < 0.75 < ci.high
(0.75, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Sequence, Tuple, Union

import numpy as np

from ..errors import InputTypeError, ParameterError

__all__ = ["METRICS", "ConfidenceInterval", "PairedTestResult", "bootstrap_ci", "paired_test", "metric_function"]

#: Metric names: label metrics (index into ``_core.metrics.from_confusion``'s result)
#: and continuous ones (index into ``_core.metrics.dimensional``'s result).
_CATEGORICAL = {"ua": 0, "wa": 1, "macro_f1": 4, "weighted_f1": 5}
_DIMENSIONAL = {"ccc": 0, "pearson": 1, "mae": 2, "rmse": 3}
#: Every metric name :func:`bootstrap_ci`, :func:`paired_test` and
#: :func:`affectkit.evaluation.cross_validate` accept.
METRICS = tuple(_CATEGORICAL) + tuple(_DIMENSIONAL)
_ALIASES = {"uar": "ua", "balanced_accuracy": "ua", "accuracy": "wa", "f1": "macro_f1", "f1_macro": "macro_f1",
            "f1_weighted": "weighted_f1", "pcc": "pearson"}


def _canonical(name: str) -> str:
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in METRICS:
        raise ParameterError(f"metric: unknown metric {name!r}; expected one of {list(METRICS)} (or a callable "
                             "metric(y_true, y_pred) -> float)")
    return key


def metric_function(metric: Union[str, Callable[[Any, Any], float]]) -> Callable[[Any, Any], float]:
    """The function behind a metric name (:data:`METRICS`), or the callable itself.

    Parameters
    ----------
    metric : str or callable
        A name of :data:`METRICS` (aliases: ``uar``, ``balanced_accuracy``, ``accuracy``,
        ``f1``, ``pcc``) or ``metric(y_true, y_pred) -> float``.

    Returns
    -------
    callable
        ``f(y_true, y_pred) -> float`` (the :mod:`affectkit.metrics` function).

    Examples
    --------
    >>> from affectkit.evaluation.stats import metric_function
    >>> metric_function("ua")(["a", "a", "b"], ["a", "b", "b"])
    0.75
    """
    from .. import metrics as M

    if callable(metric):
        return metric
    if not isinstance(metric, str):
        raise InputTypeError(f"metric: expected a metric name or a callable, got {type(metric).__name__}")
    key = _canonical(metric)
    return {"ua": M.unweighted_accuracy, "wa": M.weighted_accuracy,
            "macro_f1": lambda t, p: M.f1(t, p, average="macro"),
            "weighted_f1": lambda t, p: M.f1(t, p, average="weighted"),
            "ccc": lambda t, p: float(M.ccc(t, p)), "pearson": lambda t, p: float(M.pearson(t, p)),
            "mae": lambda t, p: float(M.mae(t, p)), "rmse": lambda t, p: float(M.rmse(t, p))}[key]


def _scorer(y_true: Any, y_pred: Any, metric: Any) -> "tuple[Callable[[np.ndarray], float], int, str]":
    """``(score(rows) -> float, n, name)``: the metric on a subset (with repeats) of the
    rows; named metrics are encoded once and scored by affectkit's own kernels."""
    from .. import _core
    from ..metrics import _encode

    t_raw, p_raw = np.asarray(y_true), np.asarray(y_pred)
    if t_raw.ndim != 1 or p_raw.ndim != 1:
        raise ParameterError(f"y_true, y_pred: expected 1-D arrays (bootstrap one target at a time), got shapes "
                             f"{t_raw.shape} and {p_raw.shape}")
    if len(t_raw) != len(p_raw):
        raise ParameterError(f"y_pred: expected {len(t_raw)} predictions (one per true label), got {len(p_raw)}")
    if len(t_raw) < 2:
        raise ParameterError(f"y_true: a bootstrap needs at least 2 items, got {len(t_raw)}")
    if callable(metric):
        name = getattr(metric, "__name__", "metric")
        return (lambda rows: float(metric(t_raw[rows], p_raw[rows]))), len(t_raw), name
    if not isinstance(metric, str):
        raise InputTypeError(f"metric: expected a metric name or a callable, got {type(metric).__name__}")
    key = _canonical(metric)
    if key in _CATEGORICAL:
        classes, t, p = _encode(t_raw, p_raw, None)
        k, j = len(classes), _CATEGORICAL[key]
        pair = t * k + p

        def categorical(rows: np.ndarray) -> float:
            cm = np.bincount(pair[rows], minlength=k * k).astype(np.uint64).reshape(k, k)
            return float(_core.metrics.from_confusion(cm)[j])

        return categorical, len(t), key
    try:
        t = np.asarray(t_raw, dtype=np.float64)
        p = np.asarray(p_raw, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(f"metric: {key!r} scores continuous targets; y_true/y_pred are not numeric") from None
    j = _DIMENSIONAL[key]
    return (lambda rows: float(_core.metrics.dimensional(np.ascontiguousarray(t[rows]),
                                                         np.ascontiguousarray(p[rows]))[j])), len(t), key


def _units(groups: Any, n: int) -> "tuple[list[np.ndarray], str]":
    """Rows of each resampling unit: every item, or every group's items."""
    if groups is None:
        return [np.array([i]) for i in range(n)], "items"
    g = np.asarray(groups)
    if g.ndim != 1 or len(g) != n:
        raise ParameterError(f"groups: expected one group label per item ({n}), got shape {g.shape}")
    try:
        uniq, inverse = np.unique(g.astype(str), return_inverse=True)
    except TypeError:
        raise ParameterError("groups: expected labels of one comparable type (e.g. speaker ids)") from None
    if len(uniq) < 2:
        raise ParameterError(f"groups: resampling groups needs at least 2 groups, got {len(uniq)}")
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=len(uniq)))[:-1]
    return np.split(order, bounds), "groups"


def _check_confidence(confidence: Any) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise ParameterError(f"confidence: expected a level in (0, 1) such as 0.95, got {confidence!r}")
    return float(confidence)


def _check_count(value: Any, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ParameterError(f"{name}: expected an integer >= {minimum}, got {value!r}")
    return int(value)


@dataclass
class ConfidenceInterval:
    """A bootstrap confidence interval (the result of :func:`bootstrap_ci`).

    ``str(ci)`` reads ``0.712 [0.650, 0.771] (95 % BCa, 2000 resamples of 12 groups)``;
    ``low, high = ci.low, ci.high``.

    Attributes
    ----------
    estimate : float
        The metric on all items.
    low, high : float
        The interval's bounds (NaN when BCa cannot be computed: a degenerate
        distribution).
    confidence : float
        The level, e.g. 0.95.
    method : str
        ``"percentile"`` or ``"bca"``.
    n_resamples : int
        Bootstrap resamples drawn.
    unit : str
        ``"items"`` or ``"groups"``: what was resampled.
    n_units : int
        Items or groups resampled from.
    metric : str
        The metric's name.
    distribution : numpy.ndarray, default empty
        The metric on every resample (the bootstrap distribution).
    standard_error : float, default NaN
        The bootstrap distribution's standard deviation (ddof 1).
    """

    estimate: float
    low: float
    high: float
    confidence: float
    method: str
    n_resamples: int
    unit: str
    n_units: int
    metric: str
    distribution: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    standard_error: float = float("nan")

    def __str__(self) -> str:
        method = "BCa" if self.method == "bca" else "percentile"
        return (f"{self.estimate:.3f} [{self.low:.3f}, {self.high:.3f}] ({100 * self.confidence:g} % {method}, "
                f"{self.n_resamples} resamples of {self.n_units} {self.unit})")


def _interval(stat: Callable[[np.ndarray], float], units: "list[np.ndarray]", n_resamples: int, confidence: float,
              method: str, seed: Any) -> "tuple[float, float, float, np.ndarray]":
    """(estimate, low, high, distribution) of ``stat`` over resampled units.

    Resamples are drawn as ``scipy.stats.bootstrap`` draws them
    (``rng.integers(0, n_units, (n_resamples, n_units))`` from ``numpy.random.default_rng(seed)``),
    and the BCa interval follows Efron and Tibshirani (1993, eq. 14.10-14.15), as scipy's."""
    from scipy.special import ndtr, ndtri

    n = len(units)
    every = np.concatenate(units)
    estimate = stat(every)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    draws = rng.integers(0, n, (n_resamples, n))
    single = all(len(u) == 1 for u in units)
    flat = every if single else None
    dist = np.array([stat(flat[d] if single else np.concatenate([units[i] for i in d])) for d in draws])
    alpha = (1 - confidence) / 2
    if method == "percentile":
        lo, hi = alpha, 1 - alpha
    else:
        z0 = ndtri((np.count_nonzero(dist < estimate) + np.count_nonzero(dist <= estimate)) / (2 * n_resamples))
        # jackknife: leave one unit out
        jack = np.array([stat(np.concatenate(units[:i] + units[i + 1:])) for i in range(n)])
        u = (n - 1) * (jack.mean() - jack)
        with np.errstate(invalid="ignore", divide="ignore"):  # a constant jackknife: NaN, as scipy
            a = (np.sum(u ** 3) / n ** 3) / (6 * (np.sum(u ** 2) / n ** 2) ** 1.5)
        z = ndtri(alpha)
        lo = ndtr(z0 + (z0 + z) / (1 - a * (z0 + z)))
        hi = ndtr(z0 + (z0 - z) / (1 - a * (z0 - z)))
    if not (np.isfinite(lo) and np.isfinite(hi)) or np.isnan(dist).any():
        return estimate, float("nan"), float("nan"), dist
    low, high = np.quantile(dist, [lo, hi])
    return estimate, float(low), float(high), dist


def bootstrap_ci(
    y_true: Any,
    y_pred: Any,
    metric: Union[str, Callable[[Any, Any], float]] = "ua",
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    method: str = "percentile",
    groups: Any = None,
    seed: Any = 0,
) -> ConfidenceInterval:
    """Bootstrap confidence interval of a metric, resampling items or whole groups.

    Each resample draws ``n`` units with replacement (items, or with ``groups`` whole
    groups such as speakers: the cluster bootstrap, for claims about unseen speakers)
    and scores the metric on their items. The percentile interval takes the
    ``(1 - confidence) / 2`` and ``(1 + confidence) / 2`` quantiles of the resampled
    scores; BCa corrects them for bias and skew, with the acceleration from a jackknife
    that leaves out one unit at a time (Efron 1987). Both equal ``scipy.stats.bootstrap``'s
    intervals from the same resamples (the tests check it); the resamples are drawn as
    scipy draws them.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        Labels, or one continuous target.
    metric : str or callable, default "ua"
        A name of :data:`METRICS` or ``metric(y_true, y_pred) -> float``.
    n_resamples : int, default 2000
        Bootstrap resamples.
    confidence : float, default 0.95
        Confidence level.
    method : {"percentile", "bca"}, default "percentile"
        Interval method.
    groups : array-like of shape (n,) or None, default None
        Group of each item (e.g. speaker): whole groups are resampled. At least 2.
    seed : int, numpy.random.Generator or None, default 0
        Seeds ``numpy.random.default_rng``.

    Returns
    -------
    ConfidenceInterval
        ``estimate``, ``low``, ``high``, the bootstrap ``distribution``.

    References
    ----------
    .. [1] B. Efron, "Better bootstrap confidence intervals", Journal of the American
       Statistical Association 82(397), 171-185, 1987.
    .. [2] B. Efron and R. J. Tibshirani, An Introduction to the Bootstrap, Chapman &
       Hall, 1993 (ch. 13-14).

    Examples
    --------
    >>> import affectkit as ak
    >>> y = ["ang", "hap", "neu"] * 10
    >>> p = ["ang", "hap", "hap"] * 10
    >>> spk = [f"s{i % 5}" for i in range(30)]
    >>> ci = ak.metrics.bootstrap_ci(y, p, metric="ua", groups=spk, n_resamples=200, method="bca")
    >>> round(ci.estimate, 3), ci.unit
    (0.667, 'groups')
    """
    n_resamples = _check_count(n_resamples, "n_resamples", 1)
    confidence = _check_confidence(confidence)
    if method not in ("percentile", "bca"):
        raise ParameterError(f"method: expected 'percentile' or 'bca', got {method!r}")
    stat, n, name = _scorer(y_true, y_pred, metric)
    units, unit = _units(groups, n)
    est, low, high, dist = _interval(stat, units, n_resamples, confidence, method, seed)
    se = float(np.std(dist, ddof=1)) if n_resamples > 1 else float("nan")
    return ConfidenceInterval(estimate=est, low=low, high=high, confidence=confidence, method=method,
                              n_resamples=n_resamples, unit=unit, n_units=len(units), metric=name,
                              distribution=dist, standard_error=se)


@dataclass
class PairedTestResult:
    """The result of :func:`paired_test`.

    Attributes
    ----------
    test : str
        ``"mcnemar"`` or ``"permutation"``.
    statistic : float
        McNemar: the binomial count ``min(b, c)`` (exact) or the chi-square statistic;
        permutation: ``metric(a) - metric(b)``.
    pvalue : float
        Two-sided p-value.
    b, c : int
        McNemar's discordant counts: items A gets right and B wrong, and the reverse (also
        filled for the permutation test).
    exact : bool
        McNemar: the exact binomial test was used; permutation: every swap was enumerated.
    n_resamples : int, default 0
        Permutations drawn (0 for McNemar).
    """

    test: str
    statistic: float
    pvalue: float
    b: int
    c: int
    exact: bool
    n_resamples: int = 0

    def __str__(self) -> str:
        kind = ("McNemar " + ("exact" if self.exact else "chi-square")) if self.test == "mcnemar" else "permutation"
        return f"{kind}: statistic {self.statistic:.4g}, p = {self.pvalue:.4g} (b={self.b}, c={self.c})"


def paired_test(
    y_true: Any,
    pred_a: Any,
    pred_b: Any,
    test: str = "mcnemar",
    *,
    metric: Union[str, Callable[[Any, Any], float]] = "ua",
    exact: Optional[bool] = None,
    correction: bool = True,
    n_resamples: int = 9999,
    groups: Any = None,
    seed: Any = 0,
) -> PairedTestResult:
    """Test whether two systems scored on the same items differ.

    ``"mcnemar"`` (McNemar 1947): on the items exactly one system gets right (``b``: A
    right, B wrong; ``c``: the reverse), the exact binomial test of ``min(b, c)`` against
    ``Binomial(b + c, 1/2)`` or the chi-square statistic ``(|b - c| - 1)^2 / (b + c)``
    (with ``correction``, Edwards 1948); equals ``statsmodels``'
    ``mcnemar(table, exact, correction)``. It tests accuracy, whatever ``metric``.

    ``"permutation"``: the difference ``metric(y, a) - metric(y, b)`` against its
    distribution when each item's (or each group's) two predictions are swapped at
    random; two-sided p-value as ``scipy.stats.permutation_test(permutation_type="samples")``
    defines it. When ``2 ** n_units <= n_resamples`` every swap is enumerated (exact).

    Parameters
    ----------
    y_true : array-like of shape (n,)
        True labels (or one continuous target for the permutation test).
    pred_a, pred_b : array-like of shape (n,)
        The two systems' predictions for the same items.
    test : {"mcnemar", "permutation"}, default "mcnemar"
        Which test.
    metric : str or callable, default "ua"
        The permutation test's metric (:data:`METRICS` or a callable).
    exact : bool or None, default None
        McNemar: exact binomial test (True), chi-square (False), or exact when
        ``b + c < 25`` (None).
    correction : bool, default True
        McNemar chi-square: continuity correction.
    n_resamples : int, default 9999
        Permutation test: random swaps.
    groups : array-like of shape (n,) or None, default None
        Permutation test: swap whole groups (speakers) instead of items.
    seed : int, numpy.random.Generator or None, default 0
        Permutation test: seeds ``numpy.random.default_rng``.

    Returns
    -------
    PairedTestResult

    References
    ----------
    .. [1] Q. McNemar, "Note on the sampling error of the difference between correlated
       proportions or percentages", Psychometrika 12(2), 153-157, 1947.
    .. [2] T. G. Dietterich, "Approximate statistical tests for comparing supervised
       classification learning algorithms", Neural Computation 10(7), 1895-1923, 1998.

    Examples
    --------
    >>> import affectkit as ak
    >>> y = ["a", "b"] * 20
    >>> a = ["a", "b"] * 18 + ["b", "a"] * 2
    >>> b = ["a", "b"] * 10 + ["b", "a"] * 10
    >>> r = ak.metrics.paired_test(y, a, b, test="mcnemar")
    >>> (r.b, r.c), r.pvalue < 0.01
    ((16, 0), True)
    """
    from scipy import stats

    if test not in ("mcnemar", "permutation"):
        raise ParameterError(f"test: expected 'mcnemar' or 'permutation', got {test!r}")
    t, a, b = (np.asarray(v) for v in (y_true, pred_a, pred_b))
    for name, v in (("y_true", t), ("pred_a", a), ("pred_b", b)):
        if v.ndim != 1:
            raise ParameterError(f"{name}: expected a 1-D array, got shape {v.shape}")
    if not len(t) == len(a) == len(b):
        raise ParameterError(f"pred_a, pred_b: expected {len(t)} predictions each (one per item), got {len(a)} and "
                             f"{len(b)}")
    if len(t) == 0:
        raise ParameterError("y_true: expected at least one item")
    right_a, right_b = a == t, b == t
    n_b = int(np.sum(right_a & ~right_b))
    n_c = int(np.sum(~right_a & right_b))
    if test == "mcnemar":
        use_exact = (n_b + n_c < 25) if exact is None else bool(exact)
        if n_b + n_c == 0:
            return PairedTestResult("mcnemar", 0.0, 1.0, 0, 0, use_exact)
        if use_exact:
            k = min(n_b, n_c)
            p = min(1.0, 2 * float(stats.binom.cdf(k, n_b + n_c, 0.5)))
            return PairedTestResult("mcnemar", float(k), p, n_b, n_c, True)
        chi2 = (abs(n_b - n_c) - (1.0 if correction else 0.0)) ** 2 / (n_b + n_c)
        return PairedTestResult("mcnemar", float(chi2), float(stats.chi2.sf(chi2, 1)), n_b, n_c, False)

    n_resamples = _check_count(n_resamples, "n_resamples", 1)
    n = len(t)
    units, _ = _units(groups, n)
    # both systems' predictions side by side: rows 0..n-1 are A's, n..2n-1 B's; a swap
    # scores A's metric on B's predictions for the swapped units and vice versa
    stat, _, _ = _scorer(np.r_[t, t], np.r_[a, b], metric)
    observed = stat(np.arange(n)) - stat(np.arange(n) + n)
    m = len(units)
    exact_test = 2 ** m <= n_resamples if m < 63 else False
    if exact_test:
        flips = ((np.arange(2 ** m)[:, None] >> np.arange(m)[None, :]) & 1).astype(bool)
    else:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        flips = rng.random((n_resamples, m)) < 0.5
    null = np.empty(len(flips))
    unit_of = np.empty(n, dtype=np.int64)
    for k, u in enumerate(units):
        unit_of[u] = k
    rows = np.arange(n)
    for i, f in enumerate(flips):
        swapped = f[unit_of]
        rows_a = np.where(swapped, rows + n, rows)
        rows_b = np.where(swapped, rows, rows + n)
        null[i] = stat(rows_a) - stat(rows_b)
    gamma = abs(np.finfo(np.float64).eps * 100 * observed)
    adj = 0 if exact_test else 1
    p_less = (np.count_nonzero(null <= observed + gamma) + adj) / (len(null) + adj)
    p_greater = (np.count_nonzero(null >= observed - gamma) + adj) / (len(null) + adj)
    p = float(np.clip(2 * min(p_less, p_greater), 0.0, 1.0))
    return PairedTestResult("permutation", float(observed), p, n_b, n_c, bool(exact_test),
                            0 if exact_test else n_resamples)
