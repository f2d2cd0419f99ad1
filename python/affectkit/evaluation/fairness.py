"""Fairness across groups (gender, age band, corpus, ...): who does the model fail?

:func:`fairness` reports the unweighted accuracy per group and the largest gap
(:func:`affectkit.metrics.group_gaps`), and per class, one class against the rest, the
true- and false-positive rates per group with the largest difference between groups of
each: the equalized-odds criterion of Hardt et al. (2016), as fairlearn's
``equalized_odds_difference`` computes it on the one-vs-rest labels.

>>> import affectkit as ak
>>> y = ["ang", "neu", "ang", "neu"] * 5
>>> p = ["ang", "neu", "neu", "neu"] * 5
>>> g = ["f", "f", "m", "m"] * 5
>>> r = ak.metrics.fairness(y, p, groups=g)
>>> r.ua, r.gap, r.equalized_odds
({'f': 1.0, 'm': 0.5}, 0.5, 1.0)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Sequence

import numpy as np

from ..errors import ParameterError

__all__ = ["FairnessResult", "fairness"]


@dataclass
class FairnessResult:
    """The result of :func:`fairness` (rates are fractions).

    Attributes
    ----------
    ua : dict
        ``{group: unweighted accuracy}``.
    gap : float
        Largest minus smallest UA over groups.
    worst, best : object
        The groups with the lowest and the highest UA.
    tpr, fpr : pandas.DataFrame
        One-vs-rest true- and false-positive rate, rows = class, columns = group (NaN
        where a group has no positive, or no negative, item of the class).
    equalized_odds_by_class : dict
        ``{class: max(TPR gap, FPR gap)}`` over groups (NaN rates ignored).
    equalized_odds : float
        The largest of ``equalized_odds_by_class``.
    n : dict, default {}
        ``{group: number of items}``.
    """

    ua: Dict[Any, float]
    gap: float
    worst: Any
    best: Any
    tpr: Any
    fpr: Any
    equalized_odds_by_class: Dict[Any, float]
    equalized_odds: float
    n: Dict[Any, int] = field(default_factory=dict)

    def to_frame(self) -> Any:
        """Per group: n, UA, and the TPR and FPR of each class.

        Returns
        -------
        pandas.DataFrame
            Rows = group; columns ``n``, ``UA``, ``TPR <class>``, ``FPR <class>``.
        """
        import pandas as pd

        frame = pd.DataFrame({"n": pd.Series(self.n), "UA": pd.Series(self.ua)})
        for c in self.tpr.index:
            frame[f"TPR {c}"] = self.tpr.loc[c]
            frame[f"FPR {c}"] = self.fpr.loc[c]
        frame.index.name = "group"
        return frame

    def __str__(self) -> str:
        lines = [f"{'group':<12}{'n':>6}{'UA':>8}"]
        lines += [f"{str(g):<12}{self.n[g]:>6}{100 * v:>8.1f}" for g, v in self.ua.items()]
        lines.append(f"UA gap {100 * self.gap:.1f} points (worst {self.worst}, best {self.best}); "
                     f"equalized odds {self.equalized_odds:.3f}")
        return "\n".join(lines)


def fairness(y_true: Any, y_pred: Any, groups: Any, *, labels: Optional[Sequence[Any]] = None) -> FairnessResult:
    """UA per group, its largest gap, and the equalized-odds gaps per class.

    For each class ``c`` (one against the rest) and group ``g``: TPR = share of ``g``'s
    items of class ``c`` predicted ``c``; FPR = share of ``g``'s other items predicted
    ``c``. The class's equalized-odds difference is the larger of the TPR range and the
    FPR range over groups (fairlearn's ``equalized_odds_difference`` on
    ``y_true == c, y_pred == c``, ``agg="worst_case"``); ``equalized_odds`` is the
    largest over classes (0: every group is treated alike).

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,)
        True and predicted labels.
    groups : array-like of shape (n,)
        The group of each item (e.g. the speaker's gender).
    labels : sequence or None, default None
        The classes scored (default: the sorted union of ``y_true`` and ``y_pred``).

    Returns
    -------
    FairnessResult

    References
    ----------
    .. [1] M. Hardt, E. Price and N. Srebro, "Equality of opportunity in supervised
       learning", NeurIPS 2016.

    Examples
    --------
    >>> import affectkit as ak
    >>> r = ak.metrics.fairness(["a", "b", "a", "b"], ["a", "b", "b", "b"], groups=["f", "f", "m", "m"])
    >>> r.tpr.loc["a"].tolist(), r.equalized_odds
    ([1.0, 0.0], 1.0)
    """
    import pandas as pd

    from ..metrics import _encode, group_gaps, unweighted_accuracy

    classes, t, p = _encode(y_true, y_pred, labels)
    g = np.asarray(groups)
    if g.ndim != 1 or len(g) != len(t):
        raise ParameterError(f"groups: expected {len(t)} group labels (one per item), got shape {g.shape}")
    try:
        names, gi = np.unique(g, return_inverse=True)
    except TypeError:
        raise ParameterError("groups: expected labels of one comparable type (e.g. 'f'/'m')") from None
    if len(names) < 2:
        raise ParameterError(f"groups: fairness compares groups; got {len(names)} group ({names.tolist()})")
    gaps = group_gaps(np.asarray(y_true), np.asarray(y_pred), g, metric=unweighted_accuracy)
    tpr = np.full((len(classes), len(names)), np.nan)
    fpr = np.full((len(classes), len(names)), np.nan)
    for k in range(len(classes)):
        pos, hit = t == k, p == k
        for j in range(len(names)):
            mine = gi == j
            n_pos, n_neg = np.sum(mine & pos), np.sum(mine & ~pos)
            if n_pos:
                tpr[k, j] = np.sum(mine & pos & hit) / n_pos
            if n_neg:
                fpr[k, j] = np.sum(mine & ~pos & hit) / n_neg
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: a class no group has
        spread = np.fmax(np.nanmax(tpr, axis=1) - np.nanmin(tpr, axis=1),
                         np.nanmax(fpr, axis=1) - np.nanmin(fpr, axis=1))
        eo = float(np.nanmax(spread)) if not np.isnan(spread).all() else float("nan")
    by_class = {c: float(v) for c, v in zip(classes.tolist(), spread)}
    cols = pd.Index(names.tolist(), name="group")
    rows = pd.Index(classes.tolist(), name="class")
    n = {k: int(v) for k, v in zip(names.tolist(), np.bincount(gi, minlength=len(names)))}
    return FairnessResult(ua={k: float(v) for k, v in gaps["by_group"].items()}, gap=float(gaps["gap"]),
                          worst=gaps["worst"], best=gaps["best"], tpr=pd.DataFrame(tpr, index=rows, columns=cols),
                          fpr=pd.DataFrame(fpr, index=rows, columns=cols), equalized_odds_by_class=by_class,
                          equalized_odds=eo, n=n)

