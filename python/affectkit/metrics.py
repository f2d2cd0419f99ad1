"""Evaluation metrics the way affective-computing papers report them.

Categorical: :func:`unweighted_accuracy` (UA = unweighted average recall UAR = balanced
accuracy, the INTERSPEECH 2009 Emotion Challenge measure), :func:`weighted_accuracy` (WA,
plain accuracy), :func:`f1` (macro / weighted / micro), :func:`per_class_recall`,
:func:`confusion_matrix`. Dimensional: :func:`ccc` (Lin 1989, population moments, as in
AVEC), :func:`pearson`, :func:`mae`, :func:`rmse`, per target column. Soft labels:
:func:`soft_cross_entropy` and :func:`jensen_shannon` against annotator distributions.
:func:`group_gaps` scores subgroups (e.g. by gender) and the largest gap between them;
:func:`report` returns a :class:`Report`: a paper-style table (``str``), with dict and
DataFrame forms. The metric functions return fractions; report tables show UA, WA, F1
and recall in percent, as papers do.

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

from dataclasses import dataclass, field
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
    "Report",
]

# --- evaluation (issue 17): statistics that live in affectkit.evaluation, loaded on first use
_EVALUATION = {"bootstrap_ci": "stats", "paired_test": "stats", "calibration": "calibration", "fairness": "fairness"}
_EVALUATION["ccc_over_time"] = "traces"  # time-continuous CCC (issue 18)
__all__ += list(_EVALUATION)
# conversations (issue 19): scores per emotion-shift group live with the dialogues
_DIALOGUES = {"emotion_shift_report": "shift"}
__all__ += list(_DIALOGUES)


def __getattr__(name: str) -> Any:
    if name in _EVALUATION:
        import importlib

        return getattr(importlib.import_module(f".evaluation.{_EVALUATION[name]}", __package__), name)
    if name in _DIALOGUES:
        import importlib

        return getattr(importlib.import_module(f".dialogues.{_DIALOGUES[name]}", __package__), name)
    raise AttributeError(f"module 'affectkit.metrics' has no attribute {name!r}")
# --- end evaluation


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
    """Counts of (true, predicted) label pairs, as ``sklearn.metrics.confusion_matrix``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted labels (any hashable values, e.g. strings).
    labels : sequence or None, default None
        The class set and order (default: the sorted union of ``y_true`` and ``y_pred``);
        a label outside it is a :class:`~affectkit.errors.ParameterError`.

    Returns
    -------
    numpy.ndarray of int64, shape (n_classes, n_classes)
        Rows = true class, columns = predicted class.

    Examples
    --------
    >>> import affectkit as ak
    >>> ak.metrics.confusion_matrix(["a", "a", "b"], ["a", "b", "b"]).tolist()
    [[1, 1], [0, 1]]
    """
    classes, t, p = _encode(y_true, y_pred, labels)
    return _core.metrics.confusion(t, p, len(classes)).astype(np.int64)


def _scores(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]]) -> "tuple[Any, ...]":
    classes, t, p = _encode(y_true, y_pred, labels)
    return (classes,) + tuple(_core.metrics.from_confusion(_core.metrics.confusion(t, p, len(classes))))


def unweighted_accuracy(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]] = None) -> float:
    """Unweighted accuracy (UA, UAR, balanced accuracy): the mean recall over the classes
    present in ``y_true``, the INTERSPEECH 2009 Emotion Challenge measure (Schuller et al.
    2009); equals ``sklearn.metrics.balanced_accuracy_score``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted labels (any hashable values, e.g. strings).
    labels : sequence or None, default None
        The class set and order (default: the sorted union of ``y_true`` and ``y_pred``);
        a label outside it is a :class:`~affectkit.errors.ParameterError`.

    Returns
    -------
    float
        A fraction in [0, 1] (:func:`report` shows percent).

    Examples
    --------
    >>> import affectkit as ak
    >>> round(ak.metrics.unweighted_accuracy(["a", "a", "b"], ["a", "b", "b"]), 2)
    0.75
    """
    return float(_scores(y_true, y_pred, labels)[1])


def weighted_accuracy(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]] = None) -> float:
    """Weighted accuracy (WA): the fraction of items classified correctly; equals
    ``sklearn.metrics.accuracy_score``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted labels (any hashable values, e.g. strings).
    labels : sequence or None, default None
        The class set and order (default: the sorted union of ``y_true`` and ``y_pred``);
        a label outside it is a :class:`~affectkit.errors.ParameterError`.

    Returns
    -------
    float
        A fraction in [0, 1].

    Examples
    --------
    >>> import affectkit as ak
    >>> round(ak.metrics.weighted_accuracy(["a", "a", "b"], ["a", "b", "b"]), 3)
    0.667
    """
    return float(_scores(y_true, y_pred, labels)[2])


def per_class_recall(y_true: Any, y_pred: Any, labels: Optional[Sequence[Any]] = None) -> "dict[Any, float]":
    """Recall per class, as ``sklearn.metrics.recall_score(average=None)``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted labels (any hashable values, e.g. strings).
    labels : sequence or None, default None
        The class set and order (default: the sorted union of ``y_true`` and ``y_pred``);
        a label outside it is a :class:`~affectkit.errors.ParameterError`.

    Returns
    -------
    dict
        ``{class: recall}`` (NaN for a class that never occurs in ``y_true``).

    Examples
    --------
    >>> import affectkit as ak
    >>> ak.metrics.per_class_recall(["a", "a", "b"], ["a", "b", "b"])
    {'a': 0.5, 'b': 1.0}
    """
    s = _scores(y_true, y_pred, labels)
    return {c: float(r) for c, r in zip(s[0].tolist(), s[3])}


def f1(y_true: Any, y_pred: Any, average: str = "macro", labels: Optional[Sequence[Any]] = None) -> Any:
    """F1 score, as ``sklearn.metrics.f1_score``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted labels.
    average : {"macro", "weighted", "micro"} or None, default "macro"
        Mean over classes (weighted by support for ``"weighted"``; micro = WA for
        single-label data), or None for the per-class scores.
    labels : sequence or None, default None
        The class set and order (default: the sorted union of ``y_true`` and ``y_pred``).

    Returns
    -------
    float or dict
        A fraction, or ``{class: F1}`` for ``average=None``.

    Examples
    --------
    >>> import affectkit as ak
    >>> round(ak.metrics.f1(["a", "a", "b"], ["a", "b", "b"]), 3)
    0.667
    """
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
        _core.metrics.dimensional(np.ascontiguousarray(t[:, j]), np.ascontiguousarray(p[:, j]))[which]
        for j in range(t.shape[1])
    ])
    return float(vals[0]) if one else vals


def ccc(y_true: Any, y_pred: Any) -> Any:
    """Concordance correlation coefficient 2 cov / (var_t + var_p + (mean_t - mean_p)^2)
    (Lin 1989), with population (1/n) moments as in the AVEC challenges.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,) or (n, n_targets)
        True and predicted values.

    Returns
    -------
    float or numpy.ndarray
        A float for 1-D input, one value per column for ``(n, n_targets)``.

    Examples
    --------
    >>> import affectkit as ak
    >>> ak.metrics.ccc([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    """
    return _dimensional(y_true, y_pred, 0)


def pearson(y_true: Any, y_pred: Any) -> Any:
    """Pearson's correlation r, as ``scipy.stats.pearsonr``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,) or (n, n_targets)

    Returns
    -------
    float or numpy.ndarray
        One value per target column (NaN for a constant column).

    Examples
    --------
    >>> import affectkit as ak
    >>> round(ak.metrics.pearson([1.0, 2.0, 3.0], [2.0, 4.0, 7.0]), 3)
    0.993
    """
    return _dimensional(y_true, y_pred, 1)


def mae(y_true: Any, y_pred: Any) -> Any:
    """Mean absolute error, as ``sklearn.metrics.mean_absolute_error``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,) or (n, n_targets)

    Returns
    -------
    float or numpy.ndarray
        One value per target column.

    Examples
    --------
    >>> import affectkit as ak
    >>> ak.metrics.mae([1.0, 2.0], [2.0, 4.0])
    1.5
    """
    return _dimensional(y_true, y_pred, 2)


def rmse(y_true: Any, y_pred: Any) -> Any:
    """Root mean squared error, as ``sklearn.metrics.root_mean_squared_error``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,) or (n, n_targets)

    Returns
    -------
    float or numpy.ndarray
        One value per target column.

    Examples
    --------
    >>> import affectkit as ak
    >>> round(ak.metrics.rmse([0.0, 0.0], [3.0, 4.0]) ** 2, 6)
    12.5
    """
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
    return _core.metrics.soft(t, p)


def soft_cross_entropy(p_true: Any, p_pred: Any) -> float:
    """Cross-entropy against soft labels: the mean over items of -sum_k q_k ln p_k (nats),
    q the annotators' distribution, p the prediction (clipped at 1e-15).

    Parameters
    ----------
    p_true, p_pred : array-like of shape (n_items, n_classes)
        Class distributions (rows non-negative, summing to 1).

    Returns
    -------
    float

    Examples
    --------
    >>> import affectkit as ak
    >>> round(ak.metrics.soft_cross_entropy([[0.5, 0.5]], [[0.5, 0.5]]), 4)
    0.6931
    """
    return float(_soft(p_true, p_pred)[0])


def jensen_shannon(p_true: Any, p_pred: Any) -> float:
    """Mean over items of the Jensen-Shannon divergence in bits (0 = same, 1 = disjoint);
    equals ``scipy.spatial.distance.jensenshannon(q, p, base=2) ** 2`` averaged over rows.

    Parameters
    ----------
    p_true, p_pred : array-like of shape (n_items, n_classes)
        Class distributions (rows non-negative, summing to 1).

    Returns
    -------
    float

    Examples
    --------
    >>> import affectkit as ak
    >>> ak.metrics.jensen_shannon([[1.0, 0.0]], [[0.0, 1.0]])
    1.0
    """
    return float(_soft(p_true, p_pred)[1])


def group_gaps(
    y_true: Any, y_pred: Any, groups: Any, metric: Callable[[Any, Any], float] = unweighted_accuracy
) -> "dict[str, Any]":
    """``metric`` per group (e.g. speaker gender) and the largest difference between groups.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
    groups : array-like of shape (n,)
        A group label per item.
    metric : callable, default unweighted_accuracy
        ``metric(y_true, y_pred) -> float``.

    Returns
    -------
    dict
        ``{"by_group": {group: score}, "gap": max - min, "worst": group, "best": group}``.

    Examples
    --------
    >>> import affectkit as ak
    >>> ak.metrics.group_gaps(["a", "b", "a", "b"], ["a", "b", "b", "b"], ["f", "f", "m", "m"])["gap"]
    0.5
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


#: The categorical scores of a report, in table order (fractions; tables show percent).
CATEGORICAL = ("UA", "WA", "F1-macro", "F1-weighted")
#: The dimensional scores of a report, per target.
DIMENSIONAL = ("CCC", "PCC", "MAE", "RMSE")


@dataclass(frozen=True)
class Report:
    """The result of :func:`report`: scores as data, and the paper-style table.

    ``str(report)`` (and ``repr``) is the table; :meth:`to_dict` and :meth:`to_frame`
    give the numbers. Categorical scores are fractions in the attributes and
    ``to_dict()``; tables (``str``, ``to_frame()``) show them in percent, as papers do.

    Attributes
    ----------
    kind : {"categorical", "dimensional"}
    n : int
        Number of items scored.
    scores : dict of str to float
        Categorical: ``UA``, ``WA``, ``F1-macro``, ``F1-weighted`` (fractions).
        Dimensional: empty (see ``targets``).
    classes : dict
        Categorical: ``{class: {"recall", "F1", "n"}}`` (recall NaN for a class that
        never occurs in ``y_true``).
    confusion : numpy.ndarray or None
        Categorical: counts, rows = true class, columns = predicted, in ``classes`` order.
    groups : dict
        ``{group: UA}`` when ``groups`` was given (with ``gap`` the largest difference).
    gap : float or None
    targets : dict
        Dimensional: ``{target: {"CCC", "PCC", "MAE", "RMSE"}}``.
    digits : int
        Decimals shown in the table.
    """

    kind: str
    n: int
    scores: "dict[str, float]" = field(default_factory=dict)
    classes: "dict[Any, dict[str, float]]" = field(default_factory=dict)
    confusion: Optional[np.ndarray] = None
    groups: "dict[Any, float]" = field(default_factory=dict)
    gap: Optional[float] = None
    targets: "dict[str, dict[str, float]]" = field(default_factory=dict)
    digits: int = 1

    def _pct(self, v: float, percent: bool) -> float:
        return 100.0 * v if percent else v

    def to_dict(self, percent: bool = False) -> "dict[str, Any]":
        """The report as plain data (JSON-able).

        Parameters
        ----------
        percent : bool, default False
            Categorical scores, recall and F1 in percent instead of fractions.

        Returns
        -------
        dict
            Categorical: ``kind, n, scores, classes, confusion`` (a list of rows),
            ``labels`` (the class order), and ``groups, gap`` when groups were given.
            Dimensional: ``kind, n, targets``.
        """
        out: "dict[str, Any]" = {"kind": self.kind, "n": self.n}
        if self.kind == "dimensional":
            out["targets"] = {t: dict(v) for t, v in self.targets.items()}
            return out
        out["scores"] = {k: self._pct(v, percent) for k, v in self.scores.items()}
        out["classes"] = {c: {"recall": self._pct(v["recall"], percent), "F1": self._pct(v["F1"], percent),
                              "n": int(v["n"])} for c, v in self.classes.items()}
        out["labels"] = list(self.classes)
        out["confusion"] = None if self.confusion is None else self.confusion.tolist()
        if self.groups:
            out["groups"] = {g: self._pct(v, percent) for g, v in self.groups.items()}
            out["gap"] = self._pct(self.gap, percent)
        return out

    def to_frame(self, part: str = "scores", percent: bool = True) -> Any:
        """One part of the report as a pandas DataFrame.

        Parameters
        ----------
        part : {"scores", "classes", "groups", "confusion"}, default "scores"
            ``"scores"``: one row, UA/WA/F1-macro/F1-weighted and ``n`` (dimensional
            reports: one row per target, CCC/PCC/MAE/RMSE); ``"classes"``: recall, F1
            and n per class; ``"groups"``: UA per group; ``"confusion"``: the counts,
            truth in rows.
        percent : bool, default True
            Categorical scores in percent (as the printed table); False for fractions.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> import affectkit as ak
        >>> r = ak.metrics.report(["a", "a", "b"], ["a", "b", "b"])
        >>> r.to_frame().round(1)
             UA    WA  F1-macro  F1-weighted  n
        0  75.0  66.7      66.7         66.7  3
        """
        import pandas as pd

        if self.kind == "dimensional":
            if part != "scores":
                raise ParameterError(f"part: a dimensional report has only 'scores', got {part!r}")
            frame = pd.DataFrame.from_dict(self.targets, orient="index", columns=list(DIMENSIONAL))
            frame.index.name = "target"
            return frame
        if part == "scores":
            row = {k: self._pct(v, percent) for k, v in self.scores.items()}
            return pd.DataFrame([dict(row, n=self.n)])
        if part == "classes":
            d = self.to_dict(percent)["classes"]
            frame = pd.DataFrame.from_dict(d, orient="index", columns=["recall", "F1", "n"])
            frame.index.name = "class"
            return frame
        if part == "groups":
            frame = pd.DataFrame({"UA": {g: self._pct(v, percent) for g, v in self.groups.items()}})
            frame.index.name = "group"
            return frame
        if part == "confusion":
            labels = [str(c) for c in self.classes]
            return pd.DataFrame(self.confusion, index=pd.Index(labels, name="truth"),
                                columns=pd.Index(labels, name="predicted"))
        raise ParameterError(f"part: expected 'scores', 'classes', 'groups' or 'confusion', got {part!r}")

    def __str__(self) -> str:
        digits = self.digits
        if self.kind == "dimensional":
            d = digits + 2
            lines = [f"{'':<12}" + "".join(f"{k:>8}" for k in DIMENSIONAL)]
            for name, v in self.targets.items():
                lines.append(f"{name:<12}" + "".join(f"{v[k]:>8.{d}f}" for k in DIMENSIONAL))
            lines.append(f"{self.n} item(s)")
            return "\n".join(lines)

        def pct(v: float) -> str:
            return "-" if np.isnan(v) else f"{100 * v:.{digits}f}"

        heads = {"UA": "UA", "WA": "WA", "F1-macro": "F1-mac", "F1-weighted": "F1-w"}
        lines = ["".join(f"{heads[k]:>8}" for k in CATEGORICAL) + f"{'n':>8}",
                 "".join(f"{pct(self.scores[k]):>8}" for k in CATEGORICAL) + f"{self.n:>8}", "",
                 f"{'class':<12}{'recall':>8}{'F1':>8}{'n':>6}"]
        for c, v in self.classes.items():
            lines.append(f"{str(c):<12}{pct(v['recall']):>8}{pct(v['F1']):>8}{int(v['n']):>6}")
        if self.groups:
            lines += ["", f"{'group':<12}{'UA':>8}"]
            lines += [f"{str(g):<12}{pct(v):>8}" for g, v in self.groups.items()]
            lines.append(f"{'gap':<12}{pct(self.gap):>8}")
        if self.confusion is not None:
            labels = [str(c) for c in self.classes]
            width = max(8, *(len(c) for c in labels))
            lines += ["", "confusion (rows: truth, columns: predicted)",
                      " " * width + "".join(f"{c[:width]:>{width + 1}}" for c in labels)]
            lines += [f"{c:<{width}}" + "".join(f"{v:>{width + 1}}" for v in row)
                      for c, row in zip(labels, self.confusion)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


def report(
    y_true: Any,
    y_pred: Any,
    groups: Any = None,
    labels: Optional[Sequence[Any]] = None,
    target_names: Optional[Sequence[str]] = None,
    digits: int = 1,
    print_table: bool = False,
) -> Report:
    """Score predictions the way papers report them; returns a :class:`Report`.

    Labels (1-D, non-float ``y_true``): UA, WA, macro-F1 and weighted-F1, recall, F1 and
    count per class, the confusion matrix, and UA per group when ``groups`` is given.
    Dimensional targets (float ``y_true``): CCC, Pearson r, MAE and RMSE per target
    column. ``str(result)`` is the table (percent for UA/WA/F1/recall); the numbers are
    in ``result.to_dict()`` (fractions) and ``result.to_frame()``. ``affectkit
    evaluate`` prints this same table.

    Parameters
    ----------
    y_true, y_pred : array-like
        ``(n,)`` labels, or ``(n,)`` / ``(n, n_targets)`` floats.
    groups : array-like or None, default None
        A group per item (e.g. speaker gender): UA per group and the largest gap.
    labels : sequence or None, default None
        The class set and order (default: the sorted union of ``y_true`` and ``y_pred``).
    target_names : sequence of str or None, default None
        Names of the dimensional targets (default ``target_0``...).
    digits : int, default 1
        Decimals in the table (dimensional scores get ``digits + 2``).
    print_table : bool, default False
        Also print the table.

    Returns
    -------
    Report

    Examples
    --------
    >>> import affectkit as ak
    >>> r = ak.metrics.report(["ang", "ang", "hap", "neu"], ["ang", "neu", "hap", "neu"])
    >>> round(r.scores["UA"], 4), round(r.to_dict(percent=True)["scores"]["WA"], 1)
    (0.8333, 75.0)
    >>> print(str(r).splitlines()[1])
        83.3    75.0    77.8    75.0       4
    """
    t = np.asarray(y_true)
    if t.dtype.kind == "f":
        T, P, _ = _columns(y_true, y_pred)
        names = list(target_names) if target_names is not None else [f"target_{j}" for j in range(T.shape[1])]
        if len(names) != T.shape[1]:
            raise ParameterError(f"target_names: expected {T.shape[1]} names, got {len(names)}")
        targets = {}
        for j, name in enumerate(names):
            vals = _core.metrics.dimensional(np.ascontiguousarray(T[:, j]), np.ascontiguousarray(P[:, j]))
            targets[str(name)] = {k: float(v) for k, v in zip(DIMENSIONAL, vals)}
        result = Report("dimensional", int(T.shape[0]), targets=targets, digits=digits)
    else:
        classes, ua, wa, recall, f1s, macro, weighted, _ = _scores(y_true, y_pred, labels)
        truth = _labels_1d(y_true, "y_true")
        counts = dict(zip(*np.unique(truth, return_counts=True)))
        per_class = {c: {"recall": float(r), "F1": float(f), "n": int(counts.get(c, 0))}
                     for c, r, f in zip(classes.tolist(), recall, f1s)}
        gaps = group_gaps(y_true, y_pred, groups) if groups is not None else None
        result = Report("categorical", int(len(truth)),
                        scores=dict(zip(CATEGORICAL, (float(ua), float(wa), float(macro), float(weighted)))),
                        classes=per_class, confusion=confusion_matrix(y_true, y_pred, classes),
                        groups={} if gaps is None else {g: float(v) for g, v in gaps["by_group"].items()},
                        gap=None if gaps is None else float(gaps["gap"]), digits=digits)
    if print_table:
        print(result)
    return result
