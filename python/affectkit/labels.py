"""Label fusion: aggregate several annotators' answers, keep their disagreement, measure
their agreement.

Categorical answers come as three equal-length arrays ``items, annotators, labels`` (one
entry per answer) or as a pandas DataFrame with ``task, worker, label`` columns, as in
crowd-kit (other column names through ``columns=``). Item and annotator ids may be any
hashable NumPy-sortable values; labels may be strings or numbers and are encoded to the
sorted distinct values, or to ``classes=`` when given (then any other label is an error).
Every method returns a :class:`LabelResult` whose rows follow ``result.items`` (sorted
item ids, or ``item_ids=`` when given; items nobody annotated are NaN rows, or dropped
with ``missing="drop"``).

>>> import affectkit as ak
>>> r = ak.labels.dawid_skene(["a", "a", "b", "b"], [1, 2, 1, 2], ["pos", "pos", "neg", "pos"])
>>> r.classes, r.labels
(array(['neg', 'pos'], dtype='<U3'), array(['pos', 'pos'], dtype='<U3'))

Definitions follow the reference tools so that numbers can be compared:

- ``majority``: crowd-kit ``MajorityVote`` (vote fractions as posterior), with an
  explicit tie policy;
- ``dawid_skene``, ``one_coin``: crowd-kit 1.4 ``DawidSkene`` / ``OneCoinDawidSkene``
  (Dawid and Skene 1979): same initialisation, update order and stopping rule;
- ``krippendorff_alpha``: the ``krippendorff`` package (Krippendorff 2011);
- ``fleiss_kappa``: ``statsmodels.stats.inter_rater.fleiss_kappa`` (Fleiss 1971);
- ``cohen_kappa``: ``sklearn.metrics.cohen_kappa_score`` (Cohen 1960, 1968);
- ``label_set``, ``map_labels``, ``to_valence_arousal``: the corpora's emotion label sets
  (IEMOCAP, MSP-Podcast, RAVDESS, CREMA-D, EmoDB, MELD, GoEmotions, Ekman), mappings
  between them, and category valence/arousal/dominance from the norms of Warriner,
  Kuperman and Brysbaert (2013).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

import numpy as np

from . import _core
from .errors import InputTypeError, ParameterError

__all__ = [
    "LabelResult",
    "MultiLabelResult",
    "majority",
    "soft",
    "all_inclusive",
    "binary_relevance",
    "unanimous",
    "wawa",
    "dawid_skene",
    "one_coin",
    "glad",
    "mace",
    "RatingResult",
    "ratings_matrix",
    "ewe",
    "mean",
    "median",
    "trimmed_mean",
    "znorm",
    "AlignedTraces",
    "align_traces",
    "krippendorff_alpha",
    "fleiss_kappa",
    "cohen_kappa",
    "entropy",
    "annotator_agreement",
    "LabelSet",
    "LABEL_SETS",
    "label_set",
    "map_labels",
    "to_valence_arousal",
]

_DEFAULT_COLUMNS = ("task", "worker", "label")


# --------------------------------------------------------------------------- encoding


def _is_missing(values: np.ndarray) -> np.ndarray:
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind == "O":
        return np.array([v is None or (isinstance(v, float) and v != v) for v in values], dtype=bool)
    return np.zeros(values.shape, dtype=bool)


def _as_1d(x: Any, name: str) -> np.ndarray:
    if hasattr(x, "to_numpy"):
        x = x.to_numpy()
    a = np.asarray(x)
    if a.ndim != 1:
        raise ParameterError(f"{name}: expected a 1-D array (one entry per answer), got shape {a.shape}")
    return a


def _unique(values: np.ndarray, name: str) -> "tuple[np.ndarray, np.ndarray]":
    """Sorted distinct values and each value's index among them (``np.unique``)."""
    if values.dtype.kind in "iu" and len(values):
        # Dense non-negative integer ids (the common case for big tables): O(n) by
        # counting instead of np.unique's sort; same result.
        lo, hi = int(values.min()), int(values.max())
        if lo >= 0 and hi <= 4 * len(values) + 1024:
            present = np.bincount(values, minlength=hi + 1) > 0
            if lo == 0 and present.all():
                # already dense codes 0..n-1
                return np.arange(hi + 1, dtype=values.dtype), values
            code_of = np.cumsum(present) - 1
            ids = np.flatnonzero(present).astype(values.dtype)
            return ids, code_of[values]
    try:
        return np.unique(values, return_inverse=True)
    except TypeError as e:
        raise InputTypeError(
            f"{name}: values must be mutually comparable (all strings or all numbers), got {e}"
        ) from None


def _encode_to(values: np.ndarray, reference: np.ndarray, name: str, what: str) -> np.ndarray:
    """Codes of ``values`` in ``reference`` (any order); unknown values are an error."""
    order = np.argsort(reference, kind="stable")
    srt = reference[order]
    if len(srt) > 1 and np.any(srt[1:] == srt[:-1]):
        raise ParameterError(f"{what}: contains duplicates")
    try:
        pos = np.searchsorted(srt, values)
    except TypeError as e:
        raise InputTypeError(f"{name}: cannot compare with {what}: {e}") from None
    pos = np.clip(pos, 0, max(len(srt) - 1, 0))
    ok = srt[pos] == values if len(srt) else np.zeros(len(values), dtype=bool)
    if not np.all(ok):
        bad = values[~np.asarray(ok, dtype=bool)][0]
        bad = bad.item() if isinstance(bad, np.generic) else bad
        shown = reference[:10].tolist()
        more = ", ..." if len(reference) > 10 else ""
        raise ParameterError(f"{name}: value {bad!r} is not in {what} {shown}{more}")
    return order[pos].astype(np.int64)


class _Table:
    """Encoded annotations: int64 codes plus the id arrays they index."""

    def __init__(
        self,
        items: Any,
        annotators: Any = None,
        labels: Any = None,
        *,
        classes: Optional[Sequence[Any]] = None,
        item_ids: Optional[Sequence[Any]] = None,
        columns: Sequence[str] = _DEFAULT_COLUMNS,
    ) -> None:
        if annotators is None and labels is None and hasattr(items, "columns"):
            df = items
            if len(columns) != 3:
                raise ParameterError(f"columns: expected three names (item, annotator, label), got {columns!r}")
            missing = [c for c in columns if c not in df.columns]
            if missing:
                raise ParameterError(
                    f"data: DataFrame lacks column(s) {missing}; it has {list(df.columns)} "
                    f"(name the item, annotator and label columns with columns=(...))"
                )
            items, annotators, labels = (df[c] for c in columns)
        elif annotators is None or labels is None:
            raise ParameterError(
                "items, annotators, labels: expected three equal-length arrays or one DataFrame "
                "with task, worker, label columns"
            )
        it = _as_1d(items, "items")
        an = _as_1d(annotators, "annotators")
        lb = _as_1d(labels, "labels")
        if not (len(it) == len(an) == len(lb)):
            raise ParameterError(
                f"items, annotators, labels: expected equal lengths, got {len(it)}, {len(an)} and {len(lb)}"
            )
        for arr, name in ((it, "items"), (an, "annotators"), (lb, "labels")):
            miss = _is_missing(arr)
            if miss.any():
                raise ParameterError(
                    f"{name}: missing value (NaN/None) at position {int(np.argmax(miss))}; "
                    "drop unanswered rows first"
                )
        if item_ids is None:
            self.item_ids, self.item_codes = _unique(it, "items")
        else:
            self.item_ids = np.asarray(item_ids)
            self.item_codes = _encode_to(it, self.item_ids, "items", "item_ids")
        self.annotator_ids, self.annotator_codes = _unique(an, "annotators")
        if classes is None:
            self.classes, self.label_codes = _unique(lb, "labels")
        else:
            self.classes = np.asarray(classes)
            if self.classes.ndim != 1 or len(self.classes) == 0:
                raise ParameterError(f"classes: expected a non-empty 1-D list of classes, got {classes!r}")
            self.label_codes = _encode_to(lb, self.classes, "labels", "classes")
        self.item_codes = np.ascontiguousarray(self.item_codes, dtype=np.int64)
        self.annotator_codes = np.ascontiguousarray(self.annotator_codes, dtype=np.int64)
        self.label_codes = np.ascontiguousarray(self.label_codes, dtype=np.int64)

    @property
    def args(self) -> tuple:
        """``(items, annotators, labels, n_items, n_annotators, n_classes)``, the table
        argument of every ``_core.labels_*`` fusion function."""
        return (
            self.item_codes,
            self.annotator_codes,
            self.label_codes,
            len(self.item_ids),
            len(self.annotator_ids),
            len(self.classes),
        )

    def weights(self, weights: Any) -> Optional[np.ndarray]:
        """Per-annotator weights from a mapping/Series (by id) or an array in id order."""
        if weights is None:
            return None
        if isinstance(weights, Mapping) or (hasattr(weights, "index") and hasattr(weights, "to_numpy")):
            w = np.array([float(weights[a]) for a in self.annotator_ids.tolist()], dtype=np.float64)
        else:
            w = np.ascontiguousarray(weights, dtype=np.float64)
        return w

    def per_item_codes(self, values: Any, name: str) -> np.ndarray:
        """Class codes per item (-1 = none) from a mapping/Series item -> label."""
        codes = np.full(len(self.item_ids), -1, dtype=np.int64)
        if values is None:
            return codes
        if not (isinstance(values, Mapping) or hasattr(values, "items")):
            raise InputTypeError(f"{name}: expected a mapping or Series from item id to label, got {type(values).__name__}")
        pairs = list(values.items())
        if not pairs:
            return codes
        keys = [k for k, _ in pairs]
        vals = np.asarray([v for _, v in pairs])
        index = {k: i for i, k in enumerate(self.item_ids.tolist())}
        lab = _encode_to(vals, self.classes, name, "classes")
        for k, c in zip(keys, lab.tolist()):
            i = index.get(k)
            if i is not None:
                codes[i] = c
        return codes


def _decode(codes: np.ndarray, classes: np.ndarray) -> np.ndarray:
    codes = np.asarray(codes)
    ok = codes >= 0
    if ok.all():
        return classes[codes]
    if classes.dtype.kind in "iufb":
        out = np.full(codes.shape, np.nan)
        out[ok] = classes[codes[ok]]
        return out
    out = np.empty(codes.shape, dtype=object)
    out[ok] = classes[codes[ok]]
    return out


def _gold(table: _Table, gold: Any) -> Optional[np.ndarray]:
    """Gold labels (mapping / Series item id -> label) as class codes per item, -1 = unknown."""
    return None if gold is None else table.per_item_codes(gold, "gold")


def _check_missing(missing: str) -> None:
    if missing not in ("nan", "drop"):
        raise ParameterError(f'missing: expected "nan" or "drop", got {missing!r}')


# ---------------------------------------------------------------------------- results


class LabelResult:
    """The outcome of a label-fusion method.

    Attributes
    ----------
    items : ndarray (n_items,)
        Item ids, the row order of every per-item array.
    classes : ndarray (n_classes,)
        Class values, the column order of ``posterior``.
    posterior : ndarray (n_items, n_classes)
        Label distribution per item (NaN rows for items nobody annotated).
    labels : ndarray (n_items,)
        Hard labels as class values (NaN/None where there is none: a tie with
        ``ties="nan"``, disagreement for ``unanimous``, or no answers).
    label_codes : ndarray (n_items,)
        Hard labels as indices into ``classes``, ``-1`` where there is none.
    annotators : ndarray (n_annotators,)
        Annotator ids, the order of the annotator estimates.

    Method-specific estimates are further attributes: ``priors``, ``confusion``
    (n_annotators, n_classes true, n_classes observed), ``skills``, ``loss_history``.
    """

    def __init__(self, method: str, table: _Table, posterior: np.ndarray, codes: np.ndarray, missing: str = "nan", **extra: Any) -> None:
        self.method = method
        self.items = table.item_ids
        self.classes = table.classes
        self.annotators = table.annotator_ids
        self.posterior = posterior
        self.label_codes = codes
        for k, v in extra.items():
            setattr(self, k, v)
        if missing == "drop":
            keep = np.bincount(table.item_codes, minlength=len(table.item_ids)) > 0
            if not keep.all():
                self.items = self.items[keep]
                self.posterior = self.posterior[keep]
                self.label_codes = self.label_codes[keep]
        self.labels = _decode(self.label_codes, self.classes)

    def to_frame(self) -> Any:
        """A pandas DataFrame indexed by item: ``label`` then one probability column per class."""
        import pandas as pd

        df = pd.DataFrame(self.posterior, index=pd.Index(self.items, name="item"), columns=[f"p_{c}" for c in self.classes])
        df.insert(0, "label", self.labels)
        return df

    def __repr__(self) -> str:
        return f"LabelResult(method={self.method!r}, n_items={len(self.items)}, classes={self.classes.tolist()!r})"


class MultiLabelResult:
    """Multi-label outcome: ``indicator`` (n_items, n_classes) booleans and, for
    :func:`binary_relevance`, ``posterior`` (n_items, n_classes) = P(class applies)."""

    def __init__(self, method: str, table: Any, indicator: np.ndarray, missing: str = "nan", posterior: Any = None) -> None:
        self.method = method
        self.items = table.item_ids
        self.classes = table.classes
        self.indicator = indicator
        self.posterior = posterior
        if missing == "drop":
            keep = np.bincount(table.item_codes, minlength=len(table.item_ids)) > 0
            self.items = self.items[keep]
            self.indicator = self.indicator[keep]
            if posterior is not None:
                self.posterior = posterior[keep]

    @property
    def labels(self) -> "list[list[Any]]":
        """Per item, the list of classes that are on."""
        return [self.classes[row].tolist() for row in self.indicator]

    def to_frame(self) -> Any:
        """A pandas DataFrame indexed by item with one boolean column per class."""
        import pandas as pd

        return pd.DataFrame(self.indicator, index=pd.Index(self.items, name="item"), columns=list(self.classes))

    def __repr__(self) -> str:
        return f"MultiLabelResult(method={self.method!r}, n_items={len(self.items)}, classes={self.classes.tolist()!r})"


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
    ``MajorityVote.fit_predict_proba``; ``weights`` (per annotator: a mapping/Series by
    annotator id, or an array in ``result.annotators`` order) weights each vote.

    ``gold`` (mapping / Series item id -> label) pins those items: their posterior is
    one-hot and their label the gold one (for every method here; Dawid-Skene, one-coin,
    GLAD and MACE also use them while estimating the annotators).

    ``ties``: ``"random"`` picks one of the tied classes uniformly with a generator seeded
    by ``seed`` (reproducible); ``"first"`` takes the first tied class in ``classes``
    (sorted) order; ``"nan"`` gives no label. crowd-kit's ``MajorityVote`` also takes the
    first tied class (``idxmax``) but in the order of its probability columns, which
    follows pandas' ``value_counts`` and is not always sorted, so tied items can differ.

    >>> r = majority([0, 0, 0, 1, 1], ["x", "y", "z", "x", "y"], ["h", "h", "s", "s", "h"], ties="nan")
    >>> r.labels
    array(['h', None], dtype=object)
    """
    _check_missing(missing)
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    codes, post = _core.labels_majority(t.args, ties, int(seed), t.weights(weights), _gold(t, gold))
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
    (optionally annotator-weighted) votes for class ``c``: ``smoothing`` is an additive
    (Laplace / Dirichlet) pseudo-count, 0 gives the plain vote fractions. ``labels`` are
    the most probable classes under ``ties`` (see :func:`majority`).

    >>> soft([0, 0, 0], [1, 2, 3], ["h", "h", "s"], smoothing=1.0).posterior
    array([[0.6, 0.4]])
    """
    _check_missing(missing)
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    codes, post = _core.labels_soft(t.args, float(smoothing), ties, int(seed), t.weights(weights), _gold(t, gold))
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
    """Wawa, "worker agreement with aggregate" (crowd-kit ``Wawa``): each annotator's
    skill is the fraction of their answers that agree with the majority vote (ties to the
    first class, as crowd-kit), then a majority vote weighted by those skills. ``skills``
    (n_annotators,) is added to the result. With ``gold``, skills are scored against the
    gold labels where given and those items are pinned. Unlike crowd-kit, repeated identical answers
    of one annotator on one item are not deduplicated when scoring skills.

    >>> wawa([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1]).skills
    array([1., 1., 0.])
    """
    _check_missing(missing)
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    codes, post, skills = _core.labels_wawa(t.args, ties, int(seed), _gold(t, gold))
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
    """All-inclusive (union) rule: every class that at least one annotator chose, or with
    ``min_fraction`` every class chosen by at least that fraction of the item's annotators.

    >>> all_inclusive([0, 0, 0], [1, 2, 3], ["h", "h", "s"]).labels
    [['h', 's']]
    """
    _check_missing(missing)
    if min_fraction is None:
        min_fraction = 1e-12
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    ind = _core.labels_all_inclusive(t.args, float(min_fraction))
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
    """Multi-label answers (each answer a set of classes, e.g. MSP-Podcast's secondary
    emotions) aggregated by binary relevance: for every class, each answer becomes
    "applies" / "does not apply" and ``method`` (``"majority"``, ``"soft"``,
    ``"dawid_skene"``, ``"one_coin"``, ``"glad"``, ``"mace"``, ``"wawa"``; keyword
    arguments are passed on) fuses those binary answers. ``gold`` (mapping / Series item id ->
    set of classes) pins those items for every class. ``posterior[:, c]`` is the
    probability that class ``c`` applies, ``indicator`` is ``posterior >= threshold``.

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

    >>> unanimous([0, 0, 1, 1], [1, 2, 1, 2], ["h", "h", "h", "s"]).labels
    array(['h', None], dtype=object)
    """
    _check_missing(missing)
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    codes = _core.labels_unanimous(t.args)
    _, post = _core.labels_majority(t.args, "first", 0, None)
    return LabelResult("unanimous", t, post, codes, missing)


def _ds(
    model: str,
    items: Any,
    annotators: Any,
    labels: Any,
    n_iter: int,
    tol: float,
    gold: Any,
    n_jobs: Optional[int],
    classes: Any,
    item_ids: Any,
    missing: str,
    columns: Sequence[str],
) -> LabelResult:
    _check_missing(missing)
    if int(n_iter) < 0:
        raise ParameterError(f"n_iter: expected a count >= 0, got {n_iter}")
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    g = _gold(t, gold)
    post, codes, priors, confusion, skills, loss = _core.labels_dawid_skene(
        t.args, model, int(n_iter), float(tol), g, n_jobs
    )
    extra: "dict[str, Any]" = {"priors": priors, "confusion": confusion, "loss_history": loss, "n_iter_": len(loss)}
    if model == "one_coin":
        extra["skills"] = skills
    return LabelResult("dawid_skene" if model == "full" else "one_coin", t, post, codes, missing, **extra)


def dawid_skene(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    n_iter: int = 100,
    tol: float = 1e-5,
    gold: Any = None,
    n_jobs: Optional[int] = 1,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """Dawid-Skene aggregation (Dawid and Skene 1979, "Maximum likelihood estimation of
    observer error-rates using the EM algorithm"): one full confusion matrix per annotator.

    Reproduces crowd-kit 1.4 ``DawidSkene(n_iter=100, tol=1e-5)``: posteriors start as
    majority-vote fractions and priors as their mean; the M-step sums posteriors per
    (annotator, observed label), clips at 1e-10 and normalises per true label; the
    E-step works in log space; EM stops when the evidence lower bound per answer
    improves by less than ``tol``. ``gold`` (mapping/Series item id -> label) pins those
    items' posteriors, as crowd-kit's ``true_labels``. Hard labels take the first
    most-probable class on ties, as crowd-kit.

    Result attributes besides :class:`LabelResult`'s: ``priors`` (n_classes,),
    ``confusion`` (n_annotators, n_classes true, n_classes observed; rows sum to 1 over the
    labels the annotator used; crowd-kit's ``errors_`` transposed), ``loss_history``
    (ELBO per answer after each iteration) and ``n_iter_``.

    Differences from crowd-kit: posteriors are not clipped at 1e-10 at the end (rows sum
    to exactly 1); ``n_jobs`` parallelises over items without changing results.

    >>> r = dawid_skene([0, 0, 0, 1, 1, 1], [1, 2, 3, 1, 2, 3], ["a", "a", "b", "b", "b", "b"])
    >>> r.labels, r.confusion.shape
    (array(['a', 'b'], dtype='<U1'), (3, 2, 2))
    """
    return _ds("full", items, annotators, labels, n_iter, tol, gold, n_jobs, classes, item_ids, missing, columns)


def one_coin(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    n_iter: int = 100,
    tol: float = 1e-5,
    gold: Any = None,
    n_jobs: Optional[int] = 1,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """One-coin (homogeneous) Dawid-Skene: one skill per annotator, the probability of
    answering correctly, errors spread evenly over the other classes.

    Reproduces crowd-kit 1.4 ``OneCoinDawidSkene``: the M-step sets each annotator's skill
    to the mean posterior of the labels they gave and the error matrix to ``skill`` on the
    diagonal and ``(1 - skill) / (K - 1)`` off it, clipped to ``[1e-10, 1 - 1e-10]``;
    initialisation, E-step and stopping as :func:`dawid_skene`. Adds ``skills``
    (n_annotators,).

    >>> one_coin([0, 0, 0, 1, 1, 1], [1, 2, 3, 1, 2, 3], ["a", "a", "b", "b", "b", "b"]).skills.shape
    (3,)
    """
    return _ds("one_coin", items, annotators, labels, n_iter, tol, gold, n_jobs, classes, item_ids, missing, columns)


def glad(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    n_iter: int = 100,
    tol: float = 1e-5,
    m_step_max_iter: int = 25,
    m_step_tol: float = 1e-2,
    gold: Any = None,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """GLAD (Whitehill et al. 2009, "Whose vote should count more: optimal integration of
    labels from labelers of unknown expertise"): annotator ability ``alphas``, item
    log-easiness ``betas``, ``P(correct) = sigmoid(alpha_i * exp(beta_j))``, wrong answers
    spread evenly over the other classes.

    Follows crowd-kit 1.4 ``GLAD`` (same defaults, initialisation ``alpha = beta = 1``,
    standard normal priors around 1, uniform class priors, objective and stopping rule
    per (answer, class) pair). The M-step is a conjugate-gradient ascent limited to
    ``m_step_max_iter`` steps like crowd-kit's ``scipy.optimize.minimize(method="CG")``,
    but with its own line search, so iterates and posteriors differ slightly from
    crowd-kit's (labels agree on about 99 % of items in the tests). Needs two or more
    classes. ``gold`` (mapping / Series item id -> label) pins those items' posteriors
    after every E-step (crowd-kit's GLAD takes no gold). Adds ``alphas`` (n_annotators,),
    ``betas`` (n_items,) and ``loss_history``.

    >>> r = glad([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1])
    >>> r.labels
    array([1, 2])
    """
    _check_missing(missing)
    if int(n_iter) < 0 or int(m_step_max_iter) < 0:
        raise ParameterError(f"n_iter, m_step_max_iter: expected counts >= 0, got {n_iter}, {m_step_max_iter}")
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    post, codes, alphas, betas, loss = _core.labels_glad(
        t.args, int(n_iter), float(tol), int(m_step_max_iter), float(m_step_tol), _gold(t, gold)
    )
    return LabelResult("glad", t, post, codes, missing, alphas=alphas, betas=betas, loss_history=loss, n_iter_=len(loss))


def _appearance_order(codes: np.ndarray, n: int) -> np.ndarray:
    """Codes ordered by first appearance (pandas.factorize order), unused codes last."""
    first = np.full(n, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return np.argsort(first, kind="stable")


def mace(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    n_restarts: int = 10,
    n_iter: int = 50,
    method: str = "vb",
    alpha: float = 0.5,
    beta: float = 0.5,
    default_noise: float = 0.5,
    random_state: int = 0,
    gold: Any = None,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """MACE, Multi-Annotator Competence Estimation (Hovy et al. 2013, "Learning whom to
    trust with MACE"): each annotator either knows the true label, with probability
    ``competence``, or answers from their own strategy distribution.

    Follows crowd-kit 1.4 ``MACE`` (same defaults): parameters start uniform on
    ``[1, 2 + default_noise]`` and are normalised, drawn with
    ``numpy.random.RandomState`` exactly as crowd-kit draws them (annotators and labels
    in order of first appearance); ``method="vb"`` is variational Bayes with
    Beta(``alpha``, ``beta``) priors on spamming and Dirichlet(10) priors on the
    strategies, ``"em"`` plain EM with crowd-kit's smoothing ``0.01 / K``; ``n_iter``
    rounds per restart and the restart with the highest log marginal likelihood wins.

    Differences from crowd-kit, on purpose: restart ``r`` is seeded with
    ``random_state + r`` (crowd-kit seeds every restart with ``random_state``, so its
    restarts are identical; restart 0 is crowd-kit's run); crowd-kit pairs its strategy
    counts with annotators and labels in sorted order but its parameters in order of
    appearance, which mixes annotators up when the two orders differ, affectkit does not;
    per-item likelihood products are rescaled, so items with many answers do not
    underflow; ``gold`` (mapping / Series item id -> label) pins those items' posteriors
    in every E-step (crowd-kit's MACE takes no gold).

    Adds ``competence`` (n_annotators,) = P(knows), ``spamming`` (n_annotators, 2) =
    ``[P(spams), P(knows)]`` as crowd-kit's ``spamming_``, ``strategies``
    (n_annotators, n_classes) and ``log_marginal_likelihood``.

    >>> r = mace([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1])
    >>> r.labels, r.strategies.shape
    (array([1, 2]), (3, 2))
    """
    _check_missing(missing)
    if int(n_restarts) < 1 or int(n_iter) < 0:
        raise ParameterError(f"n_restarts, n_iter: expected >= 1 and >= 0, got {n_restarts}, {n_iter}")
    if not default_noise >= 0:
        raise ParameterError(f"default_noise: expected >= 0, got {default_noise}")
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    n_ann, k = len(t.annotator_ids), len(t.classes)
    w_order = _appearance_order(t.annotator_codes, n_ann)
    l_order = _appearance_order(t.label_codes, k)
    spam = np.empty((int(n_restarts), n_ann, 2))
    theta = np.empty((int(n_restarts), n_ann, k))
    for r in range(int(n_restarts)):
        # scipy.stats.uniform(1, 1 + default_noise).rvs(size, random_state=seed)
        s = 1 + (1 + default_noise) * np.random.RandomState(random_state + r).random_sample((n_ann, 2))
        th = 1 + (1 + default_noise) * np.random.RandomState(random_state + r).random_sample((n_ann, k))
        spam[r][w_order] = s / s.sum(axis=1, keepdims=True)
        theta[r][np.ix_(w_order, l_order)] = th / th.sum(axis=1, keepdims=True)
    post, codes, spamming, strategies, loglik = _core.labels_mace(
        t.args, int(n_iter), method, float(alpha), float(beta), spam, theta, _gold(t, gold)
    )
    return LabelResult(
        "mace",
        t,
        post,
        codes,
        missing,
        competence=spamming[:, 1].copy(),
        spamming=spamming,
        strategies=strategies,
        log_marginal_likelihood=loglik,
    )


def entropy(result_or_posterior: Any, base: float = 2.0) -> np.ndarray:
    """Per-item entropy of a label distribution (``LabelResult`` or an (n_items, n_classes)
    array), in bits by default; 0 = full agreement. NaN rows stay NaN.

    >>> entropy(np.array([[0.5, 0.5], [1.0, 0.0]]))
    array([1., 0.])
    """
    p = getattr(result_or_posterior, "posterior", result_or_posterior)
    p = np.asarray(p, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
    h = -terms.sum(axis=1) / np.log(base)
    h[np.isnan(p).any(axis=1)] = np.nan
    return h + 0.0


# ---------------------------------------------------------------- dimensional ratings


def ratings_matrix(items: Any, annotators: Any, values: Any) -> "tuple[np.ndarray, np.ndarray, np.ndarray]":
    """Long-format ratings (one row per rating) -> ``(matrix, item_ids, annotator_ids)``
    with the items x annotators matrix NaN where an annotator did not rate an item. A
    repeated (item, annotator) pair is an error.

    >>> m, items, raters = ratings_matrix(["u1", "u1", "u2"], ["a", "b", "a"], [3.0, 4.0, 1.0])
    >>> m
    array([[ 3.,  4.],
           [ 1., nan]])
    """
    it, an = _as_1d(items, "items"), _as_1d(annotators, "annotators")
    try:
        v = np.asarray(_as_1d(values, "values"), dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InputTypeError(f"values: expected numeric ratings, got {e}") from None
    if not (len(it) == len(an) == len(v)):
        raise ParameterError(f"items, annotators, values: expected equal lengths, got {len(it)}, {len(an)} and {len(v)}")
    item_ids, ic = _unique(it, "items")
    ann_ids, ac = _unique(an, "annotators")
    flat = ic * len(ann_ids) + ac
    if len(np.unique(flat)) != len(flat):
        raise ParameterError("items, annotators: an annotator rated the same item twice; average or drop repeats first")
    m = np.full(len(item_ids) * len(ann_ids), np.nan)
    m[flat] = v
    return m.reshape(len(item_ids), len(ann_ids)), item_ids, ann_ids


def _ratings(ratings: Any) -> "tuple[np.ndarray, Any, Any]":
    index = columns = None
    if hasattr(ratings, "columns") and hasattr(ratings, "index"):
        index, columns = ratings.index, ratings.columns
        ratings = ratings.to_numpy(dtype=np.float64, na_value=np.nan)
    try:
        r = np.asarray(ratings, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InputTypeError(f"ratings: expected numbers (NaN = missing), got {e}") from None
    if r.ndim != 2:
        raise ParameterError(f"ratings: expected a 2-D items x annotators matrix, got shape {r.shape}")
    return np.ascontiguousarray(r), index, columns


def _series(values: np.ndarray, index: Any, name: str) -> Any:
    if index is None:
        return values
    import pandas as pd

    return pd.Series(values, index=index, name=name)


class RatingResult:
    """Consensus of dimensional ratings.

    Attributes
    ----------
    consensus : ndarray (n_items,)
        The fused rating per item (NaN where undefined).
    correlations : ndarray (n_annotators,)
        EWE: each rater's correlation with the reference (NaN where undefined).
    weights : ndarray (n_annotators,)
        EWE: the weights used.
    items, annotators
        Row and column labels when the ratings came as a DataFrame, else ``arange``.
    """

    def __init__(self, method: str, consensus: np.ndarray, items: Any, annotators: Any, **extra: Any) -> None:
        self.method = method
        self.consensus = consensus
        self.items = np.arange(len(consensus)) if items is None else np.asarray(items)
        self.annotators = annotators
        for k, v in extra.items():
            setattr(self, k, v)

    def to_frame(self) -> Any:
        """A pandas DataFrame indexed by item with a ``consensus`` column."""
        import pandas as pd

        return pd.DataFrame({"consensus": self.consensus}, index=pd.Index(self.items, name="item"))

    def __repr__(self) -> str:
        return f"RatingResult(method={self.method!r}, n_items={len(self.consensus)})"


def ewe(ratings: Any, *, reference: str = "mean", negative: str = "zero", min_overlap: int = 2) -> RatingResult:
    """Evaluator Weighted Estimator (Grimm and Kroschel 2005, "Evaluation of natural
    emotions using self assessment manikins", ASRU).

    ``ratings`` is an items x annotators matrix (array or DataFrame) with NaN where an
    annotator did not rate an item (long-format data: :func:`ratings_matrix`). Each item's
    consensus is ``sum_k w_k y_nk / sum_k w_k`` over the raters ``k`` of that item, where
    ``w_k`` is the Pearson correlation ``r_k`` of rater ``k``'s ratings with the
    reference over the items ``k`` rated:

    - ``reference="mean"`` (default, Grimm and Kroschel): the mean of all raters of the
      item, ``k`` included; ``"leave_one_out"``: the mean of the other raters (as
      audpsychometric), items ``k`` rated alone then do not count towards ``r_k``.
    - ``negative="zero"`` (default): raters with ``r_k <= 0`` get weight 0 (they disagree
      with the consensus and would flip or destabilise it); ``"keep"`` uses ``r_k`` as it
      is, the formula taken literally.
    - A rater with fewer than ``min_overlap`` usable items, or with constant ratings,
      has an undefined correlation (NaN in ``correlations``) and weight 0.
    - An item whose raters all have weight 0 (or whose weights sum to 0), or that
      nobody rated, has a NaN consensus.
    - A single rater is an error: the correlation with the mean is then 1 by
      construction and EWE is just that rater's ratings.

    >>> r = ewe([[1, 2, 4], [2, 3, 3], [3, 3, 2], [4, 5, 1]])
    >>> r.weights.round(2), r.consensus.round(2)
    (array([0.92, 1.  , 0.  ]), array([1.52, 2.52, 3.  , 4.52]))
    """
    r, index, columns = _ratings(ratings)
    if int(min_overlap) < 0:
        raise ParameterError(f"min_overlap: expected a count >= 0, got {min_overlap}")
    consensus, corr, weights = _core.labels_ewe(r, reference, negative, int(min_overlap))
    return RatingResult(
        "ewe", consensus, index, None if columns is None else np.asarray(columns), correlations=corr, weights=weights
    )


def mean(ratings: Any) -> Any:
    """Per-item mean of the available ratings (NaN = missing; NaN if nobody rated the
    item). ``ratings``: items x annotators array or DataFrame (then a Series comes back).

    >>> mean([[1, 2, np.nan], [3, np.nan, 5]])
    array([1.5, 4. ])
    """
    r, index, _ = _ratings(ratings)
    return _series(_core.labels_summarise(r, "mean"), index, "mean")


def median(ratings: Any) -> Any:
    """Per-item median of the available ratings (NaN = missing), as ``np.nanmedian(axis=1)``.

    >>> median([[1, 2, 9], [3, np.nan, 5]])
    array([2., 4.])
    """
    r, index, _ = _ratings(ratings)
    return _series(_core.labels_summarise(r, "median"), index, "median")


def trimmed_mean(ratings: Any, proportiontocut: float = 0.1) -> Any:
    """Per-item trimmed mean of the available ratings, as
    ``scipy.stats.trim_mean(row[~isnan(row)], proportiontocut)``: ``floor(p * n)`` of the
    item's ``n`` ratings are cut from each end (so with few raters nothing may be cut).

    >>> trimmed_mean([[1, 2, 3, 4, 100]], proportiontocut=0.2)
    array([3.])
    """
    r, index, _ = _ratings(ratings)
    return _series(_core.labels_summarise(r, "trimmed_mean", float(proportiontocut)), index, "trimmed_mean")


def znorm(ratings: Any, ddof: int = 0) -> Any:
    """Per-annotator z-normalisation: each annotator's ratings minus their mean, divided by
    their standard deviation (``ddof=0``: population, as scikit-learn's StandardScaler),
    over the items they rated; NaN stays NaN. An annotator with constant ratings (or too
    few) has undefined z-scores: their column is NaN.

    >>> znorm([[1, 5], [3, 5]])
    array([[-1., nan],
           [ 1., nan]])
    """
    r, index, columns = _ratings(ratings)
    if int(ddof) < 0:
        raise ParameterError(f"ddof: expected 0 or more, got {ddof}")
    z = _core.labels_znorm(r, int(ddof))
    if index is None:
        return z
    import pandas as pd

    return pd.DataFrame(z, index=index, columns=columns)


class AlignedTraces:
    """Time-continuous ratings on a common time grid.

    Attributes: ``values`` (n_frames, n_annotators) with NaN where a trace has no value,
    ``times`` (n_frames,) in seconds, ``fps``, ``lags_s`` (n_annotators,) the reaction lag
    removed from each trace, ``correlations`` each shifted trace's correlation with the
    mean of the others. ``ewe(**kw)`` and ``mean()`` fuse them into one trace.
    """

    def __init__(self, values: np.ndarray, fps: float, lags: np.ndarray, correlations: np.ndarray) -> None:
        self.values = values
        self.fps = fps
        self.times = np.arange(values.shape[0]) / fps
        self.lags_s = lags / fps
        self.correlations = correlations

    def ewe(self, **kwargs: Any) -> RatingResult:
        """EWE over time: frames are the items (see :func:`ewe`)."""
        return ewe(self.values, **kwargs)

    def mean(self) -> np.ndarray:
        """Mean trace over the annotators with a value at each frame."""
        return mean(self.values)

    def to_frame(self) -> Any:
        """A pandas DataFrame indexed by time (s), one column per annotator."""
        import pandas as pd

        return pd.DataFrame(self.values, index=pd.Index(self.times, name="time_s"))

    def __repr__(self) -> str:
        return f"AlignedTraces(n_frames={self.values.shape[0]}, n_annotators={self.values.shape[1]}, fps={self.fps})"


def align_traces(
    traces: Sequence[Any],
    fps: Any,
    *,
    target_fps: Optional[float] = None,
    max_lag_s: float = 0.0,
    min_lag_s: float = 0.0,
) -> AlignedTraces:
    """Time-continuous ratings (one trace per annotator, e.g. arousal from a joystick)
    onto a common time grid, with each annotator's reaction lag compensated.

    Each trace ``k`` (sample ``j`` at time ``j / fps[k]``; ``fps`` a number or one per
    trace) is linearly interpolated at ``target_fps`` (default: the highest ``fps``) from
    0 to the end of the longest trace; NaN beyond a trace's end. Then each trace is
    shifted earlier by the lag in ``[min_lag_s, max_lag_s]`` that maximises its Pearson
    correlation with the mean of the other traces (the reaction-lag compensation of
    Mariooryad and Busso 2015, "Correcting time-continuous emotional labels by modeling
    the reaction lag of evaluators"). ``max_lag_s=0`` (default) only resamples; a few
    seconds is typical for annotator lag. Fuse with ``.ewe()`` or ``.mean()``.

    >>> t = np.arange(0, 20, 0.04)
    >>> a = np.sin(t); b = np.sin(t - 1.0)            # b reacts one second late
    >>> al = align_traces([a, b, a], fps=25, max_lag_s=3)
    >>> al.lags_s
    array([0., 1., 0.])
    """
    ts = [np.ascontiguousarray(np.asarray(x, dtype=np.float64)) for x in traces]
    for k, x in enumerate(ts):
        if x.ndim != 1:
            raise ParameterError(f"traces: trace {k} should be 1-D, got shape {x.shape}")
    f = np.broadcast_to(np.asarray(fps, dtype=np.float64), (len(ts),)).tolist() if np.ndim(fps) == 0 else list(map(float, fps))
    if target_fps is None:
        target_fps = max(f) if f else 1.0
    target_fps = float(target_fps)
    if not (min_lag_s <= max_lag_s):
        raise ParameterError(f"max_lag_s: expected min_lag_s <= max_lag_s, got {min_lag_s} and {max_lag_s}")
    # (clipped: an infinite lag range is every lag; the search stops at the traces' length)
    lo = int(np.clip(np.ceil(min_lag_s * target_fps - 1e-9), -9e18, 9e18))
    hi = int(np.clip(np.floor(max_lag_s * target_fps + 1e-9), -9e18, 9e18))
    values, lags, corr = _core.labels_align_traces(ts, f, target_fps, lo, hi)
    return AlignedTraces(values, target_fps, lags, corr)


# ------------------------------------------------------------------------- agreement


class AnnotatorAgreement:
    """Per-annotator agreement with a consensus: ``annotators``, ``agreement`` (fraction of
    each annotator's scored answers equal to the consensus label, NaN if none) and
    ``n_scored`` (answers on items that have a consensus label)."""

    def __init__(self, annotators: np.ndarray, agreement: np.ndarray, n_scored: np.ndarray) -> None:
        self.annotators = annotators
        self.agreement = agreement
        self.n_scored = n_scored

    def to_frame(self) -> Any:
        """A pandas DataFrame indexed by annotator: ``agreement``, ``n_scored``."""
        import pandas as pd

        return pd.DataFrame(
            {"agreement": self.agreement, "n_scored": self.n_scored}, index=pd.Index(self.annotators, name="annotator")
        )

    def __repr__(self) -> str:
        return f"AnnotatorAgreement(n_annotators={len(self.annotators)})"


def annotator_agreement(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    consensus: Any,
    classes: Optional[Sequence[Any]] = None,
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> AnnotatorAgreement:
    """How often each annotator agrees with a consensus: ``consensus`` is a
    :class:`LabelResult` (e.g. from :func:`dawid_skene`) or a mapping / Series from item id
    to label; items without a consensus label (ties, ``None``) are not scored.

    >>> c = majority([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1])
    >>> annotator_agreement([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1], consensus=c).agreement
    array([1., 1., 0.])
    """
    if isinstance(consensus, LabelResult):
        if classes is None:
            classes = consensus.classes
        ok = consensus.label_codes >= 0
        consensus = dict(zip(consensus.items[ok].tolist(), consensus.labels[ok].tolist()))
    t = _Table(items, annotators, labels, classes=classes, columns=columns)
    codes = t.per_item_codes(consensus, "consensus")
    frac, n = _core.labels_annotator_agreement(t.args, codes)
    return AnnotatorAgreement(t.annotator_ids, frac, n.astype(np.int64))



def krippendorff_alpha(data: Any, level: str = "nominal", *, value_domain: Optional[Sequence[Any]] = None) -> float:
    """Krippendorff's alpha (Krippendorff 2011, "Computing Krippendorff's alpha-reliability").

    ``data`` is a coders x units matrix (rows: coders, columns: units) with NaN (or None)
    for missing values; ``level`` is ``"nominal"``, ``"ordinal"``, ``"interval"`` or
    ``"ratio"``. Equal to ``krippendorff.alpha(reliability_data=data,
    level_of_measurement=level)`` (note that package's default level is ``"interval"``;
    affectkit's is ``"nominal"``). Units with fewer than two values are not pairable and
    do not count; when no unit is pairable, or there is only one distinct value, alpha is
    undefined and a :class:`~affectkit.errors.ParameterError` says so. ``value_domain``
    fixes the values (and, for ordinal data, their order). String data is allowed at the
    nominal level (and at others with an ordered ``value_domain``).

    >>> round(krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 4]], level="interval"), 4)
    0.8889
    """
    if hasattr(data, "to_numpy"):
        a = data.to_numpy()
    elif isinstance(data, np.ndarray):
        a = data
    else:
        a = np.asarray(data, dtype=object if _has_strings(data) else None)
    if a.ndim != 2:
        raise ParameterError(f"data: expected a 2-D coders x units matrix, got shape {a.shape}")
    dom = None
    if a.dtype.kind in "OUS":
        miss = _is_missing(a.ravel()).reshape(a.shape) if a.dtype.kind == "O" else np.zeros(a.shape, dtype=bool)
        vals = a[~miss]
        if value_domain is None:
            if level != "nominal":
                raise ParameterError(f"value_domain: string data at level {level!r} needs an ordered value_domain")
            domain = _unique(vals.astype(str) if vals.dtype.kind != "O" else vals, "data")[0]
        else:
            domain = np.asarray(value_domain)
        codes = np.full(a.shape, np.nan)
        codes[~miss] = _encode_to(vals, domain, "data", "value_domain")
        a = codes
        dom = np.arange(len(domain), dtype=np.float64)
        if level in ("interval", "ratio"):
            raise ParameterError(f"level: {level!r} needs numeric data, got strings")
    else:
        try:
            a = np.ascontiguousarray(a, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise InputTypeError(f"data: expected numbers with NaN for missing, got {e}") from None
        if value_domain is not None:
            dom = np.ascontiguousarray(value_domain, dtype=np.float64)
    return _core.labels_krippendorff_alpha(np.ascontiguousarray(a), level, dom)


def _has_strings(data: Any) -> bool:
    try:
        return any(isinstance(v, str) for row in data for v in row)
    except TypeError:
        return False


def fleiss_kappa(table: Any, method: str = "fleiss") -> float:
    """Fleiss' kappa (Fleiss 1971) from a subjects x categories table of counts (how many
    raters put each subject in each category); every subject must have the same number
    of ratings (>= 2). ``method="randolph"`` (or ``"uniform"``) uses chance agreement
    ``1 / n_categories`` (Randolph 2005). Equal to
    ``statsmodels.stats.inter_rater.fleiss_kappa``; NaN when chance agreement is 1.
    Build the table from raw ratings with ``statsmodels.stats.inter_rater.aggregate_raters``.

    >>> round(fleiss_kappa([[3, 0], [2, 1]]), 12)
    -0.2
    """
    if method == "fleiss":
        randolph = False
    elif method.startswith(("rand", "unif")):
        randolph = True
    else:
        raise ParameterError(f'method: expected "fleiss" or "randolph", got {method!r}')
    t = np.asarray(table)
    if t.ndim != 2:
        raise ParameterError(f"table: expected a 2-D subjects x categories count table, got shape {t.shape}")
    try:
        t = np.ascontiguousarray(t, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InputTypeError(f"table: expected counts, got {e}") from None
    return _core.labels_fleiss_kappa(t, randolph)


def cohen_kappa(a: Any, b: Any, weights: Optional[str] = None, *, labels: Optional[Sequence[Any]] = None) -> float:
    """Cohen's kappa of two raters (Cohen 1960; weighted kappa: Cohen 1968), as
    ``sklearn.metrics.cohen_kappa_score``: ``weights`` ``None``, ``"linear"`` or
    ``"quadratic"`` by distance between class indices in the sorted classes (or in
    ``labels`` order). Pairs where either rating is missing (NaN/None) are left out;
    NaN where kappa is undefined (no pairs, one class in common), as scikit-learn's
    default ``replace_undefined_by=np.nan``.

    >>> cohen_kappa([0, 0, 1, 1], [0, 1, 1, 1])
    0.5
    """
    x, y = _as_1d(a, "a"), _as_1d(b, "b")
    if len(x) != len(y):
        raise ParameterError(f"a, b: expected ratings of the same items (equal lengths), got {len(x)} and {len(y)}")
    mx, my = _is_missing(x), _is_missing(y)
    keep = ~(mx | my)
    if labels is None:
        classes = _unique(np.concatenate([x[keep], y[keep]]), "a, b")[0]
        cx = np.full(len(x), -1, dtype=np.int64)
        cy = np.full(len(y), -1, dtype=np.int64)
        cx[keep] = _encode_to(x[keep], classes, "a", "classes")
        cy[keep] = _encode_to(y[keep], classes, "b", "classes")
    else:
        classes = np.asarray(labels)
        # as scikit-learn: pairs with a label outside `labels` are ignored
        cx = np.full(len(x), -1, dtype=np.int64)
        cy = np.full(len(y), -1, dtype=np.int64)
        inx = keep & np.isin(x, classes)
        iny = keep & np.isin(y, classes)
        both = inx & iny
        cx[both] = _encode_to(x[both], classes, "a", "labels")
        cy[both] = _encode_to(y[both], classes, "b", "labels")
    return _core.labels_cohen_kappa(cx, cy, len(classes), weights)


# ------------------------------------------------------------------------ taxonomies


class LabelSet:
    """A built-in emotion label set: ``name``, ``description``, and per class (in the
    corpus's order) ``classes`` (English nouns), ``codes`` (what the corpus writes in its
    files), ``concepts`` (the emotion each class stands for, shared across sets) and
    ``numbers`` (integer codes where the corpus numbers its classes, else ``None``).
    """

    def __init__(self, name: str, description: str, rows: Sequence[Any]) -> None:
        self.name = name
        self.description = description
        self.codes = tuple(r[0] for r in rows)
        self.classes = tuple(r[1] for r in rows)
        self.concepts = tuple(r[2] for r in rows)
        self.numbers = tuple(r[3] for r in rows)

    def to_frame(self) -> Any:
        """A pandas DataFrame with one row per class: ``code``, ``name``, ``concept``, ``number``."""
        import pandas as pd

        return pd.DataFrame({"code": self.codes, "name": self.classes, "concept": self.concepts, "number": self.numbers})

    def __repr__(self) -> str:
        return f"LabelSet({self.name!r}, classes={list(self.classes)!r})"


#: Every built-in label set by name: ``ekman6``, ``ekman7`` (the six plus neutral),
#: ``iemocap``, ``iemocap4``, ``msp_podcast``, ``ravdess``, ``crema_d``, ``emodb``,
#: ``meld``, ``goemotions``. See :func:`label_set`.
LABEL_SETS: "dict[str, LabelSet]" = {name: LabelSet(name, d, rows) for name, d, rows in _core.labels_label_sets()}


def label_set(name: str) -> LabelSet:
    """The built-in label set ``name`` (case-insensitive; ``"msp-podcast"`` works too).

    Class codes are those of the corpora's own files: IEMOCAP's EmoEvaluation codes
    (``neu hap sad ang sur fea dis fru exc oth xxx``; ``iemocap4`` is the common 4-class
    setup with excited merged into happy), MSP-Podcast's ``A H S N U F D C O X``,
    RAVDESS's ``01``-``08`` (third field of the file name), CREMA-D's ``ANG DIS FEA HAP NEU
    SAD``, EmoDB's letters ``W L E A F T N`` (German initials: Wut, Langeweile, Ekel,
    Angst, Freude, Trauer, Neutral), MELD's words, GoEmotions' 28 names with the ids of its
    ``emotions.txt``. ``ekman7`` is Ekman's six basic emotions plus *neutral*, not
    contempt: that is the 7-class set emotion corpora and models actually use (MELD,
    FER-2013), and contempt has its own class only where a corpus labels it (MSP-Podcast).

    >>> label_set("emodb").codes
    ('W', 'L', 'E', 'A', 'F', 'T', 'N')
    """
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    if key not in LABEL_SETS:
        raise ParameterError(f"taxonomy: unknown label set {name!r}, expected one of {sorted(LABEL_SETS)}")
    return LABEL_SETS[key]


def _missing_value(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or type(v).__name__ in ("NAType", "NaTType")


def _label_text(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        raise InputTypeError(f"y: labels must be strings or integer codes, got the boolean {v!r}")
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        if float(v).is_integer():  # integer codes read into a float column (pandas with NaN)
            return str(int(v))
        raise InputTypeError(f"y: labels must be strings or integer codes, got {v!r}")
    if isinstance(v, (str, np.str_)):
        return str(v)
    raise InputTypeError(f"y: labels must be strings or integer codes, got {type(v).__name__} {v!r}")


def _factorize(values: np.ndarray) -> "tuple[np.ndarray, list]":
    """Per value the index of its distinct value (-1 = missing: None, NaN, pd.NA) and the
    distinct values in order of appearance; pandas' hash table when pandas is there."""
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        codes, distinct = pd.factorize(values)
        return np.asarray(codes), list(distinct)
    seen: "dict[Any, int]" = {}
    codes = np.full(len(values), -1, dtype=np.int64)
    for i, v in enumerate(values.tolist()):
        if not _missing_value(v):
            codes[i] = seen.setdefault(v, len(seen))
    return codes, list(seen)


class _Labels:
    """Labels of any accepted kind as unique strings plus the way back to the input's kind."""

    def __init__(self, y: Any) -> None:
        self.index = self.series_name = None
        self.kind = "array"
        if isinstance(y, (str, bytes, int, float, np.generic)) or y is None:
            self.kind = "scalar"
            values = np.empty(1, dtype=object)
            values[0] = y
        elif hasattr(y, "to_numpy") and hasattr(y, "index") and getattr(y, "ndim", 1) == 1:
            self.kind = "series"
            self.index, self.series_name = y.index, getattr(y, "name", None)
            values = y.to_numpy(dtype=object)
        else:
            if isinstance(y, (list, tuple)):
                self.kind = "list"
            values = np.asarray(y, dtype=object) if not isinstance(y, np.ndarray) else y
            if values.ndim != 1:
                raise ParameterError(f"y: expected a 1-D sequence of labels, got shape {values.shape}")
        self.values = values
        if values.dtype.kind in "iu":
            self.missing = np.zeros(len(values), dtype=bool)
            uniq, inverse = np.unique(values, return_inverse=True)
            self.unique = [_label_text(v) for v in uniq.tolist()]
        else:
            inverse, distinct = _factorize(values)
            self.missing = inverse < 0
            self.unique = [_label_text(v) for v in distinct]
        self.inverse = np.asarray(inverse, dtype=np.int64).reshape(-1)

    def first_raw(self, unique_index: int) -> Any:
        """An input value that reads as ``self.unique[unique_index]``."""
        at = np.flatnonzero((self.inverse == unique_index) & ~self.missing)[0]
        v = self.values[at]
        return v.item() if isinstance(v, np.generic) else v

    def back(self, out: np.ndarray) -> Any:
        """``out`` (one entry per input label) in the input's kind."""
        if self.kind == "scalar":
            v = out[0]
            return v.item() if isinstance(v, np.generic) else v
        if self.kind == "list":
            return out.tolist()
        if self.kind == "series":
            import pandas as pd

            return pd.Series(out, index=self.index, name=self.series_name)
        if out.dtype == object and not any(v is None for v in out.tolist()):
            try:
                return out.astype(str)
            except (TypeError, ValueError):
                return out
        return out


def _check_unknown(unknown: str, allowed: Sequence[str]) -> None:
    if unknown not in allowed:
        raise ParameterError(f"unknown: expected one of {list(allowed)}, got {unknown!r}")


def map_labels(
    y: Any,
    source: str,
    target: str,
    *,
    unknown: str = "nan",
    output: str = "name",
) -> Any:
    """Map emotion labels from one label set to another (see :func:`label_set`).

    ``y`` is a label or a list / NumPy array / pandas Series of labels of ``source``: its
    codes (``"hap"``, ``"A"``, ``"03"``), class names (``"happiness"``), the usual
    adjectives (``"happy"``) or integer codes where the corpus numbers its classes
    (RAVDESS, GoEmotions); case does not matter. A label ``source`` does not have is an
    error. Missing values (``None``, NaN) stay missing. The result is the same kind as
    ``y`` (a list for a list or tuple), holding the target classes' names, or their codes
    with ``output="code"``.

    A class maps to the target class of the same emotion; when the target has none, only
    two published coarsenings are applied: IEMOCAP's 4-class convention (excited ->
    happy) and the GoEmotions authors' mapping of its 27 emotions onto Ekman's six
    (Demszky et al. 2020, ``ekman_mapping.json``; e.g. gratitude -> happiness, grief ->
    sadness). Anything else (frustration, calm, boredom or contempt into Ekman's
    classes, "other") has no target and ``unknown`` decides: ``"nan"`` (default) gives a
    missing value (``None``, which pandas treats as missing), ``"error"`` raises a
    :class:`~affectkit.errors.ParameterError` naming the labels, ``"keep"`` keeps the
    source label as it was.

    >>> map_labels(["hap", "exc", "fru", "ang"], source="iemocap", target="iemocap4")
    ['happiness', 'happiness', None, 'anger']
    >>> map_labels(["03", "08"], source="ravdess", target="ekman7", output="code")
    ['hap', 'sur']
    """
    _check_unknown(unknown, ("nan", "error", "keep"))
    if output not in ("name", "code"):
        raise ParameterError(f'output: expected "name" or "code", got {output!r}')
    src, tgt = label_set(source), label_set(target)
    lab = _Labels(y)
    idx = np.asarray(_core.labels_map_labels(lab.unique, src.name, tgt.name), dtype=np.int64)
    if unknown == "error" and (idx < 0).any():
        bad = [lab.unique[j] for j in np.flatnonzero(idx < 0)[:5]]
        raise ParameterError(f"y: {bad} of {src.name!r} have no class in {tgt.name!r} (pass unknown='nan' or 'keep')")
    words = tgt.classes if output == "name" else tgt.codes
    per_unique = np.empty(len(idx), dtype=object)
    for j, t in enumerate(idx.tolist()):
        per_unique[j] = words[t] if t >= 0 else (lab.first_raw(j) if unknown == "keep" else None)
    out = np.empty(len(lab.values), dtype=object)
    ok = ~lab.missing
    out[ok] = per_unique[lab.inverse[ok]] if len(per_unique) else None
    out[lab.missing] = lab.values[lab.missing] if unknown == "keep" else None
    return lab.back(out)


def to_valence_arousal(
    y: Any,
    taxonomy: str,
    *,
    dominance: bool = False,
    scale: str = "norms",
    unknown: str = "nan",
) -> Any:
    """Valence and arousal (and with ``dominance=True`` dominance) of emotion categories.

    The numbers are the published norms of Warriner, Kuperman and Brysbaert (2013),
    "Norms of valence, arousal, and dominance for 13,915 English lemmas" (Behavior
    Research Methods 45, 1191-1207): the mean ratings over all raters (columns
    ``V.Mean.Sum``, ``A.Mean.Sum``, ``D.Mean.Sum`` of their CSV) of the noun that names
    the class, on their 1-9 scale (1 = unhappy / calm / controlled, 9 = happy / excited /
    in control); ``scale="unit"`` gives ``(x - 5) / 4`` in [-1, 1]. For example
    happiness is (8.48, 6.50, 7.05), anger (2.50, 5.93, 5.14), sadness (2.40, 2.81, 3.84),
    neutral (5.50, 3.45, 5.81); MELD's and GoEmotions' "joy" uses the lemma *joy*
    (8.21, 5.55, 7.00). These are ratings of the words, a convention for placing
    categories in the valence-arousal plane, not of any corpus's recordings.

    ``y`` is as for :func:`map_labels` (labels of label set ``taxonomy``). GoEmotions'
    "caring" has no row of its own (the norms rate lemmas) and takes the row of its lemma
    *care* (7.64, 2.67, 6.56). The classes without norms, "other" and "no agreement"
    (IEMOCAP's oth/xxx, MSP-Podcast's O/X), follow ``unknown``: ``"nan"`` (default) gives NaN,
    ``"error"`` raises. Missing labels give NaN. Returns ``(n, 2)`` or ``(n, 3)`` floats (a 1-D row for
    one label); a pandas DataFrame with ``valence``, ``arousal`` (``dominance``) columns
    and the input's index for a Series.

    >>> to_valence_arousal(["hap", "sad"], taxonomy="iemocap")
    array([[8.48, 6.5 ],
           [2.4 , 2.81]])
    """
    _check_unknown(unknown, ("nan", "error"))
    if scale not in ("norms", "unit"):
        raise ParameterError(f'scale: expected "norms" (Warriner 1-9) or "unit" ([-1, 1]), got {scale!r}')
    tax = label_set(taxonomy)
    lab = _Labels(y)
    per_unique = _core.labels_valence_arousal(lab.unique, tax.name).reshape(len(lab.unique), 3)
    if unknown == "error" and np.isnan(per_unique[:, 0]).any():
        bad = [lab.unique[j] for j in np.flatnonzero(np.isnan(per_unique[:, 0]))[:5]]
        raise ParameterError(f"y: {bad} of {tax.name!r} have no valence/arousal norms (pass unknown='nan')")
    out = np.full((len(lab.values), 3), np.nan)
    ok = ~lab.missing
    if len(per_unique):
        out[ok] = per_unique[lab.inverse[ok]]
    if scale == "unit":
        out = (out - 5.0) / 4.0
    out = out[:, : 3 if dominance else 2]
    if lab.kind == "scalar":
        return out[0]
    if lab.kind == "series":
        import pandas as pd

        return pd.DataFrame(out, index=lab.index, columns=["valence", "arousal", "dominance"][: out.shape[1]])
    return out
