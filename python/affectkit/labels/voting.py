"""Vote-based label fusion: majority, soft, WAWA, all-inclusive, and the multi-label rules."""

from __future__ import annotations

from typing import Any, Optional, Sequence
import numpy as np
from .. import _core
from ..errors import ParameterError

from ._table import _DEFAULT_COLUMNS, _Table, _as_1d, _check_missing, _encode_to, _gold, _unique
from .latent import dawid_skene, glad, mace, one_coin
from .results import LabelResult, MultiLabelResult

# ------------------------------------------------------------------ categorical rules


def majority(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    ties: str = "random",
    seed: int = 0,
    weights: Any = None,
    gold: Any = None,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """Majority (plurality) vote.

    The posterior is the vote fraction per class, as crowd-kit's
    ``MajorityVote.fit_predict_proba``. crowd-kit's ``MajorityVote`` takes the first tied
    class (``idxmax``) in the order of its probability columns, which follows pandas'
    ``value_counts`` and is not always sorted, so tied items can differ from
    ``ties="first"``.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    ties : {"random", "first", "nan"}, default "random"
        Tied most-voted classes: ``"random"`` picks one uniformly with a generator seeded by
        ``seed`` (reproducible), ``"first"`` the first in ``classes`` order, ``"nan"`` gives
        no label.
    seed : int, default 0
        Seed of the tie-breaking generator.
    weights : mapping, Series or array-like, optional
        Per-annotator vote weights (>= 0): by annotator id, or an array in
        ``result.annotators`` (sorted) order. Default: every vote counts 1.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label. Every method here takes gold; Dawid-Skene, one-coin, GLAD
        and MACE also use it while estimating the annotators.
    classes : sequence, optional
        The classes, the column order of the posterior; a label not in it is an error.
        Default: the sorted distinct labels.
    item_ids : sequence, optional
        The items, the row order of the result; an item nobody annotated gets a NaN row.
        Default: the sorted distinct items.
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    LabelResult
        ``posterior`` (n_items, n_classes), ``labels``, ``label_codes``, ``items``,
        ``classes``, ``annotators``.

    Examples
    --------
    >>> r = majority([0, 0, 0, 1, 1], ["x", "y", "z", "x", "y"], ["h", "h", "s", "s", "h"], ties="nan")
    >>> r.labels
    array(['h', None], dtype=object)
    """
    _check_missing(missing)
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    codes, post = _core.labels.majority(t.args, ties, int(seed), t.weights(weights), _gold(t, gold))
    return LabelResult("majority", t, post, codes, missing)


def soft(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    smoothing: float = 0.0,
    weights: Any = None,
    ties: str = "random",
    seed: int = 0,
    gold: Any = None,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """Soft labels: per-item label distributions for soft-label training.

    ``posterior[i, c] = (n_ic + smoothing) / (n_i + K * smoothing)`` with ``n_ic`` the
    (optionally annotator-weighted) votes for class ``c`` and ``K`` the number of classes.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    smoothing : float, default 0.0
        Additive (Laplace / Dirichlet) pseudo-count per class, >= 0; 0 gives the plain vote
        fractions.
    weights : mapping, Series or array-like, optional
        Per-annotator vote weights (>= 0): by annotator id, or an array in
        ``result.annotators`` (sorted) order. Default: every vote counts 1.
    ties : {"random", "first", "nan"}, default "random"
        Hard ``labels`` are the most probable classes, ties broken as in :func:`majority`.
    seed : int, default 0
        Seed of the tie-breaking generator.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label.
    classes : sequence, optional
        The classes, the column order of the posterior; a label not in it is an error.
        Default: the sorted distinct labels.
    item_ids : sequence, optional
        The items, the row order of the result; an item nobody annotated gets a NaN row.
        Default: the sorted distinct items.
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    LabelResult
        ``posterior`` (n_items, n_classes), ``labels``, ``label_codes``, ``items``,
        ``classes``, ``annotators``.

    Examples
    --------
    >>> soft([0, 0, 0], [1, 2, 3], ["h", "h", "s"], smoothing=1.0).posterior
    array([[0.6, 0.4]])
    """
    _check_missing(missing)
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    codes, post = _core.labels.soft(t.args, float(smoothing), ties, int(seed), t.weights(weights), _gold(t, gold))
    return LabelResult("soft", t, post, codes, missing)


def wawa(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    ties: str = "random",
    seed: int = 0,
    gold: Any = None,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """Wawa, "worker agreement with aggregate" (crowd-kit ``Wawa``).

    Each annotator's skill is the fraction of their answers that agree with the majority
    vote (ties to the first class, as crowd-kit), then a majority vote weighted by those
    skills. With ``gold``, skills are scored against the gold labels where given and those
    items are pinned. Unlike crowd-kit, repeated identical answers of one annotator on one
    item are not deduplicated when scoring skills.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    ties : {"random", "first", "nan"}, default "random"
        Ties of the weighted vote, as in :func:`majority`.
    seed : int, default 0
        Seed of the tie-breaking generator.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label.
    classes : sequence, optional
        The classes, the column order of the posterior; a label not in it is an error.
        Default: the sorted distinct labels.
    item_ids : sequence, optional
        The items, the row order of the result; an item nobody annotated gets a NaN row.
        Default: the sorted distinct items.
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    LabelResult
        As :func:`majority`, plus ``skills`` (n_annotators,).

    Examples
    --------
    >>> wawa([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1]).skills
    array([1., 1., 0.])
    """
    _check_missing(missing)
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    codes, post, skills = _core.labels.wawa(t.args, ties, int(seed), _gold(t, gold))
    return LabelResult("wawa", t, post, codes, missing, skills=skills)


def all_inclusive(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    min_fraction: Optional[float] = None,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> MultiLabelResult:
    """All-inclusive (union) rule for multi-label targets: every class that at least one
    annotator chose, or with ``min_fraction`` every class chosen by at least that fraction
    of the item's annotators.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    min_fraction : float, optional
        Smallest fraction of an item's answers a class needs. Default: any one answer.
    classes : sequence, optional
        The classes, the column order of the posterior; a label not in it is an error.
        Default: the sorted distinct labels.
    item_ids : sequence, optional
        The items, the row order of the result; an item nobody annotated gets a NaN row.
        Default: the sorted distinct items.
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    MultiLabelResult
        ``indicator`` (n_items, n_classes) booleans, ``labels`` as lists of classes.

    Examples
    --------
    >>> all_inclusive([0, 0, 0], [1, 2, 3], ["h", "h", "s"]).labels
    [['h', 's']]
    """
    _check_missing(missing)
    if min_fraction is None:
        min_fraction = 1e-12
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    ind = _core.labels.all_inclusive(t.args, float(min_fraction))
    return MultiLabelResult("all_inclusive", t, ind, missing)


def _as_set(x: Any) -> set:
    return set(x) if isinstance(x, (list, tuple, set, frozenset, np.ndarray)) else {x}


class _MultiTable:
    """Item ids, classes and per-answer label sets of multi-label answers."""

    def __init__(self, items: Any, annotators: Any, label_sets: Any, classes: Any, item_ids: Any) -> None:
        it, an = _as_1d(items, "items"), _as_1d(annotators, "annotators")
        sets = [list(_as_set(x)) for x in label_sets]
        if not (len(it) == len(an) == len(sets)):
            raise ParameterError(
                f"items, annotators, label_sets: expected equal lengths, got {len(it)}, {len(an)} and {len(sets)}"
            )
        bad = next((v for s in sets for v in s if v is None or (isinstance(v, float) and v != v)), False)
        if bad is not False:
            # (checked before np.asarray, which would turn NaN among strings into "nan")
            raise ParameterError(
                f"label_sets: answer sets may not contain a missing value (NaN/None), got {bad!r}; "
                "leave unanswered items out, or give an empty set for 'no class applies'"
            )
        flat = np.asarray([v for s in sets for v in s])
        if classes is None:
            self.classes = _unique(flat, "label_sets")[0] if len(flat) else np.asarray([])
        else:
            self.classes = np.asarray(classes)
            if len(flat):
                _encode_to(flat, self.classes, "label_sets", "classes")
        self.items, self.annotators, self.sets = it, an, [set(s) for s in sets]
        self.item_ids = _unique(it, "items")[0] if item_ids is None else np.asarray(item_ids)
        self.item_codes = _encode_to(it, self.item_ids, "items", "item_ids")


def binary_relevance(
    items: Any,
    annotators: Any,
    label_sets: Sequence[Any],
    *,
    method: str = "dawid_skene",
    threshold: float = 0.5,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    gold: Any = None,
    **kwargs: Any,
) -> MultiLabelResult:
    """Multi-label answers aggregated by binary relevance.

    Each answer is a set of classes (e.g. MSP-Podcast's secondary emotions). For every
    class, each answer becomes "applies" / "does not apply" and ``method`` fuses those
    binary answers; ``posterior[:, c]`` is the probability that class ``c`` applies.

    Parameters
    ----------
    items, annotators : array-like
        Item and annotator id of each answer (equal lengths).
    label_sets : sequence
        Each answer's classes: a list, tuple or set of classes, or a single class.
    method : {"majority", "soft", "dawid_skene", "one_coin", "glad", "mace", "wawa"}, default "dawid_skene"
        The fusion method run per class.
    threshold : float, default 0.5
        ``indicator`` is ``posterior >= threshold``.
    classes : sequence, optional
        The classes (default: the sorted distinct classes of all answers); a class not in
        it is an error.
    item_ids : sequence, optional
        The items, the row order of the result (default: the sorted distinct items).
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    gold : mapping or Series, optional
        Known label sets, item id -> set of classes (or one class): pins those items for
        every class.
    **kwargs
        Passed on to ``method`` (e.g. ``n_iter``, ``ties``).

    Returns
    -------
    MultiLabelResult
        ``posterior`` (n_items, n_classes) = P(class applies), ``indicator``, ``labels``.

    Examples
    --------
    >>> r = binary_relevance([0, 0, 0], ["a", "b", "c"], [["hap", "sur"], ["hap"], ["hap", "sur"]], method="majority")
    >>> r.labels
    [['hap', 'sur']]
    """
    _check_missing(missing)
    funcs = {
        "majority": majority,
        "soft": soft,
        "dawid_skene": dawid_skene,
        "one_coin": one_coin,
        "glad": glad,
        "mace": mace,
        "wawa": wawa,
    }
    if method not in funcs:
        raise ParameterError(f"method: expected one of {sorted(funcs)}, got {method!r}")
    t = _MultiTable(items, annotators, label_sets, classes, item_ids)
    post = np.full((len(t.item_ids), len(t.classes)), np.nan)
    for c, cls in enumerate(t.classes.tolist()):
        on = np.fromiter((cls in s for s in t.sets), dtype=bool, count=len(t.sets))
        g = None if gold is None else {i: cls in _as_set(v) for i, v in gold.items()}
        r = funcs[method](t.items, t.annotators, on, classes=[False, True], item_ids=t.item_ids, gold=g, **kwargs)
        post[:, c] = r.posterior[:, 1]
    with np.errstate(invalid="ignore"):
        indicator = post >= threshold
    return MultiLabelResult(f"binary_relevance({method})", t, indicator, missing, posterior=post)


def unanimous(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """Unanimous (intersection) rule: the label when every annotator of the item gave it,
    else none (NaN/None). The posterior is the vote fraction.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    classes : sequence, optional
        The classes, the column order of the posterior; a label not in it is an error.
        Default: the sorted distinct labels.
    item_ids : sequence, optional
        The items, the row order of the result; an item nobody annotated gets a NaN row.
        Default: the sorted distinct items.
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    LabelResult
        ``posterior`` (n_items, n_classes), ``labels``, ``label_codes``, ``items``,
        ``classes``, ``annotators``.

    Examples
    --------
    >>> unanimous([0, 0, 1, 1], [1, 2, 1, 2], ["h", "h", "h", "s"]).labels
    array(['h', None], dtype=object)
    """
    _check_missing(missing)
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    codes = _core.labels.unanimous(t.args)
    _, post = _core.labels.majority(t.args, "first", 0, None)
    return LabelResult("unanimous", t, post, codes, missing)
