"""Evaluation metrics the way affective-computing papers report them.

Categorical: :func:`unweighted_accuracy` (UA = unweighted average recall UAR = balanced
accuracy, the INTERSPEECH 2009 Emotion Challenge measure), :func:`weighted_accuracy` (WA,
plain accuracy), :func:`f1` (macro / weighted / micro), :func:`per_class_recall`,
:func:`confusion_matrix`. Dimensional: :func:`ccc` (Lin 1989, population moments, as in
AVEC), :func:`pearson`, :func:`mae`, :func:`rmse`, per target column. Soft labels:
:func:`soft_cross_entropy` and :func:`jensen_shannon` against annotator distributions.
:func:`group_gaps` scores subgroups (e.g. by gender) and the largest gap between them;
:func:`report` prints a paper-style table.

Definitions match scikit-learn where it has the metric (``balanced_accuracy_score``,
``accuracy_score``, ``f1_score``, ``recall_score(average=None)``, ``confusion_matrix``,
``mean_absolute_error``, ``root_mean_squared_error``); the class set is the sorted union of
``y_true`` and ``y_pred`` unless ``labels`` is given.

>>> import affectkit as ak
>>> y_true = ["ang", "ang", "hap", "neu", "neu", "neu"]
>>> y_pred = ["ang", "neu", "hap", "neu", "neu", "hap"]
>>> round(ak.metrics.unweighted_accuracy(y_true, y_pred), 4)     # (1/2 + 1 + 2/3) / 3
0.7222
>>> round(ak.metrics.weighted_accuracy(y_true, y_pred), 4)
0.6667
"""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence

import numpy as np

from . import _core
from .errors import ParameterError

__all__ = [
    "confusion_matrix",
    "unweighted_accuracy",
    "weighted_accuracy",
    "f1",
    "per_class_recall",
    "ccc",
    "pearson",
    "mae",
    "rmse",
    "soft_cross_entropy",
    "jensen_shannon",
    "group_gaps",
    "report",
]


def _labels_1d(y: Any, name: str) -> np.ndarray:
    a = np.asarray(y)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a.ravel()
    if a.ndim != 1:
        raise ParameterError(f"{name}: expected a 1-D array of labels, got shape {a.shape}")
    return a


def _class_labels(a: np.ndarray, name: str) -> np.ndarray:
    """Refuses float labels that are not whole numbers: those are regression targets, and
    one class per distinct value would make a confusion matrix as large as the data."""
    if a.dtype.kind == "f":
        bad = ~np.isnan(a) & (a != np.round(a))
        if bad.any():
            raise ParameterError(
                f"{name}: {a[np.flatnonzero(bad)[0]]!r} is not a class label; float labels must be whole "
                "numbers (for continuous targets use ak.metrics.ccc, pearson, mae or rmse)"
            )
    return a


def _encode(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]]) -> "tuple[np.ndarray, np.ndarray, np.ndarray]":
    t = _class_labels(_labels_1d(y_true, "y_true"), "y_true")
    p = _class_labels(_labels_1d(y_pred, "y_pred"), "y_pred")
    if len(t) != len(p):
        raise ParameterError(f"y_pred: expected {len(t)} predictions (one per true label), got {len(p)}")
    if len(t) == 0:
        raise ParameterError("y_true: expected at least one label")
    classes = np.unique(np.concatenate([t, p])) if labels is None else np.asarray(labels)
    if labels is not None:
        missing = sorted(set(np.concatenate([t, p]).tolist()) - set(classes.tolist()), key=str)
        if missing:
            raise ParameterError(f"labels: {missing!r} occur in y_true/y_pred but not in labels")
    order = np.argsort(classes, kind="stable")
    codes_t = order[np.searchsorted(classes[order], t)]
    codes_p = order[np.searchsorted(classes[order], p)]
    return classes, codes_t.astype(np.int64), codes_p.astype(np.int64)


def confusion_matrix(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]] = None) -> np.ndarray:
    """``(n_classes, n_classes)`` counts, rows = true class, columns = predicted class."""
    classes, t, p = _encode(y_true, y_pred, labels)
    return _core.metrics_confusion(t, p, len(classes)).astype(np.int64)


def _scores(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]]) -> "tuple[Any, ...]":
    classes, t, p = _encode(y_true, y_pred, labels)
    return (classes,) + tuple(_core.metrics_from_confusion(_core.metrics_confusion(t, p, len(classes))))


def unweighted_accuracy(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]] = None) -> float:
    """UA / UAR / balanced accuracy: mean recall over the classes present in ``y_true``."""
    return float(_scores(y_true, y_pred, labels)[1])


def weighted_accuracy(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]] = None) -> float:
    """WA: the fraction of items classified correctly."""
    return float(_scores(y_true, y_pred, labels)[2])


def per_class_recall(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]] = None) -> "dict[Any, float]":
    """Recall per class (NaN for a class that never occurs in ``y_true``)."""
    s = _scores(y_true, y_pred, labels)
    return {c: float(r) for c, r in zip(s[0].tolist(), s[3])}


def f1(y_true: Any, y_pred: Any, average: str = "macro", labels: Optional[Sequence[Any]] = None) -> Any:
    """F1 score: ``average`` = "macro", "weighted", "micro" or None (per class, a dict)."""
    s = _scores(y_true, y_pred, labels)
    if average is None:
        return {c: float(v) for c, v in zip(s[0].tolist(), s[4])}
    index = {"macro": 5, "weighted": 6, "micro": 7}
    if average not in index:
        raise ParameterError(f"average: expected 'macro', 'weighted', 'micro' or None, got {average!r}")
    return float(s[index[average]])


def _columns(y_true: Any, y_pred: Any) -> "tuple[np.ndarray, np.ndarray, bool]":
    t = np.asarray(y_true, dtype=np.float64)
    p = np.asarray(y_pred, dtype=np.float64)
    if t.shape != p.shape:
        raise ParameterError(f"y_pred: expected shape {t.shape} (as y_true), got {p.shape}")
    if t.ndim not in (1, 2) or t.shape[0] == 0:
        raise ParameterError(f"y_true: expected a non-empty (n,) or (n, n_targets) array, got shape {t.shape}")
    one = t.ndim == 1
    return t.reshape(len(t), -1), p.reshape(len(p), -1), one


def _dimensional(y_true: Any, y_pred: Any, which: int) -> Any:
    t, p, one = _columns(y_true, y_pred)
    vals = np.array([
        _core.metrics_dimensional(np.ascontiguousarray(t[:, j]), np.ascontiguousarray(p[:, j]))[which]
        for j in range(t.shape[1])
    ])
    return float(vals[0]) if one else vals


def ccc(y_true: Any, y_pred: Any) -> Any:
    """Concordance correlation coefficient 2 cov / (var_t + var_p + (mean_t - mean_p)^2).

    Population (1/n) moments, as in the AVEC challenges. A float for 1-D input, one value
    per column for ``(n, n_targets)``.
    """
    return _dimensional(y_true, y_pred, 0)


def pearson(y_true: Any, y_pred: Any) -> Any:
    """Pearson's r per target column (NaN for a constant column)."""
    return _dimensional(y_true, y_pred, 1)


def mae(y_true: Any, y_pred: Any) -> Any:
    """Mean absolute error per target column."""
    return _dimensional(y_true, y_pred, 2)


def rmse(y_true: Any, y_pred: Any) -> Any:
    """Root mean squared error per target column."""
    return _dimensional(y_true, y_pred, 3)


def _soft(p_true: Any, p_pred: Any) -> "tuple[float, float]":
    t = np.ascontiguousarray(p_true, dtype=np.float64)
    p = np.ascontiguousarray(p_pred, dtype=np.float64)
    if t.ndim != 2 or t.shape != p.shape or t.size == 0:
        raise ParameterError(
            f"p_pred: expected two (n_items, n_classes) arrays of the same shape, got {t.shape} and {p.shape}"
        )
    for name, a in (("p_true", t), ("p_pred", p)):
        if not np.all(np.isfinite(a)) or (a < 0).any() or not np.allclose(a.sum(axis=1), 1.0, atol=1e-3):
            raise ParameterError(f"{name}: rows must be class distributions (non-negative, summing to 1)")
    return _core.metrics_soft(t, p)


def soft_cross_entropy(p_true: Any, p_pred: Any) -> float:
    """Mean over items of -sum_k q_k ln p_k (nats), q = annotator distribution (p clipped at 1e-15)."""
    return float(_soft(p_true, p_pred)[0])


def jensen_shannon(p_true: Any, p_pred: Any) -> float:
    """Mean over items of the Jensen-Shannon divergence in bits (0 = same, 1 = disjoint).

    Equals ``scipy.spatial.distance.jensenshannon(q, p, base=2) ** 2`` averaged over rows.
    """
    return float(_soft(p_true, p_pred)[1])


def group_gaps(
    y_true: Any, y_pred: Any, groups: Any, metric: Callable[[Any, Any], float] = unweighted_accuracy
) -> "dict[str, Any]":
    """``metric`` per group (e.g. speaker gender) and the largest difference between groups.

    Returns ``{"by_group": {group: score}, "gap": max - min, "worst": group, "best": group}``.
    """
    t = np.asarray(y_true)
    p = np.asarray(y_pred)
    g = _labels_1d(groups, "groups")
    if len(g) != len(t) or len(p) != len(t):
        raise ParameterError(f"groups: expected {len(t)} group labels (one per item), got {len(g)}")
    by = {k: metric(t[g == k], p[g == k]) for k in np.unique(g).tolist()}
    if not by:
        raise ParameterError("groups: expected at least one item")
    worst = min(by, key=lambda k: by[k])
    best = max(by, key=lambda k: by[k])
    return {"by_group": by, "gap": by[best] - by[worst], "worst": worst, "best": best}


def report(
    y_true: Any,
    y_pred: Any,
    groups: Any = None,
    labels: Optional[Sequence[Any]] = None,
    target_names: Optional[Sequence[str]] = None,
    digits: int = 1,
    print_table: bool = True,
) -> str:
    """A paper-style table, printed and returned.

    Labels (1-D, non-float ``y_true``): UA, WA, macro-F1 and weighted-F1 in percent, then
    recall and F1 per class, and UA per group when ``groups`` is given. Dimensional targets
    (float ``y_true``): CCC, Pearson r, MAE and RMSE per target column (``target_names``).
    """
    t = np.asarray(y_true)
    lines = []
    if t.dtype.kind == "f":
        T, P, _ = _columns(y_true, y_pred)
        names = list(target_names) if target_names is not None else [f"target_{j}" for j in range(T.shape[1])]
        if len(names) != T.shape[1]:
            raise ParameterError(f"target_names: expected {T.shape[1]} names, got {len(names)}")
        d = digits + 2
        lines.append(f"{'':<12}{'CCC':>8}{'PCC':>8}{'MAE':>8}{'RMSE':>8}")
        for j, name in enumerate(names):
            c, r, a, e = _core.metrics_dimensional(np.ascontiguousarray(T[:, j]), np.ascontiguousarray(P[:, j]))
            lines.append(f"{name:<12}{c:>8.{d}f}{r:>8.{d}f}{a:>8.{d}f}{e:>8.{d}f}")
    else:
        classes, ua, wa, recall, f1s, macro, weighted, _ = _scores(y_true, y_pred, labels)
        pct = lambda v: f"{100 * v:.{digits}f}"  # noqa: E731
        lines.append(f"{'UA':>8}{'WA':>8}{'F1-mac':>8}{'F1-w':>8}")
        lines.append(f"{pct(ua):>8}{pct(wa):>8}{pct(macro):>8}{pct(weighted):>8}")
        lines.append("")
        lines.append(f"{'class':<12}{'recall':>8}{'F1':>8}{'n':>6}")
        counts = dict(zip(*np.unique(_labels_1d(y_true, 'y_true'), return_counts=True)))
        for c, r, f in zip(classes.tolist(), recall, f1s):
            rs = "-" if np.isnan(r) else pct(r)
            lines.append(f"{str(c):<12}{rs:>8}{pct(f):>8}{counts.get(c, 0):>6}")
        if groups is not None:
            gaps = group_gaps(y_true, y_pred, groups)
            lines.append("")
            lines.append(f"{'group':<12}{'UA':>8}")
            for g, v in gaps["by_group"].items():
                lines.append(f"{str(g):<12}{pct(v):>8}")
            lines.append(f"{'gap':<12}{pct(gaps['gap']):>8}")
    text = "\n".join(lines)
    if print_table:
        print(text)
    return text
