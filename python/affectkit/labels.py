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
    "RatingsMatrix",
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
    "AnnotatorAgreement",
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
    """Missing entries: NaN, None and pandas' NA / NaT."""
    if values.dtype.kind == "f":
        return np.isnan(values)
    if values.dtype.kind == "O":
        try:
            import pandas as pd
        except ImportError:
            return np.fromiter((_missing_value(v) for v in values), dtype=bool, count=len(values))
        return np.asarray(pd.isna(values), dtype=bool)
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
    if values.dtype.kind in "OUS" and len(values) > 64:
        # Strings: pandas' hash table, then only the distinct values are sorted (np.unique
        # sorts every answer with Python comparisons); same result.
        try:
            import pandas as pd
        except ImportError:
            pd = None
        if pd is not None:
            codes, distinct = pd.factorize(values)
            if not (codes < 0).any():
                try:
                    order = np.argsort(np.asarray(distinct, dtype=values.dtype), kind="stable")
                except TypeError as e:
                    raise InputTypeError(
                        f"{name}: values must be mutually comparable (all strings or all numbers), got {e}"
                    ) from None
                rank = np.empty(len(order), dtype=np.int64)
                rank[order] = np.arange(len(order))
                return np.asarray(distinct, dtype=values.dtype)[order], rank[codes]
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


def _long_form(
    items: Any,
    annotators: Any,
    labels: Any,
    columns: Sequence[str] = _DEFAULT_COLUMNS,
    *,
    name: str = "items",
    matrix: Optional[str] = None,
) -> "tuple[np.ndarray, np.ndarray, np.ndarray]":
    """The long form's three columns as equal-length 1-D arrays: the one parser of every
    function that takes answers (the aggregators, the agreement statistics,
    :func:`ratings_matrix`). ``items`` is a DataFrame (then ``annotators`` and ``labels``
    are None and ``columns`` names the item, annotator and label columns) or the items
    array of three. ``name`` is the first argument's name in errors; ``matrix`` the
    function's matrix form, named in the error for a DataFrame without those columns."""
    if annotators is None and labels is None and hasattr(items, "columns"):
        df = items
        if isinstance(columns, str) or len(columns) != 3:
            raise ParameterError(f"columns: expected three names (item, annotator, label), got {columns!r}")
        missing = [c for c in columns if c not in df.columns]
        if missing:
            hint = f"; for a {matrix} matrix as a DataFrame, pass df.to_numpy()" if matrix else ""
            raise ParameterError(
                f"{name}: DataFrame lacks column(s) {missing}: expected the long form's columns "
                f"{list(columns)}, one row per answer; it has {list(df.columns)} (name the item, annotator "
                f"and label columns with columns=(...)){hint}"
            )
        items, annotators, labels = (df[c] for c in columns)
    elif annotators is None or labels is None:
        alone = f", or a {matrix} matrix alone" if matrix else ""
        raise ParameterError(
            "items, annotators, labels: expected three equal-length arrays or one DataFrame "
            f"with task, worker, label columns{alone}"
        )
    it = _as_1d(items, "items")
    an = _as_1d(annotators, "annotators")
    lb = _as_1d(labels, "labels")
    if not (len(it) == len(an) == len(lb)):
        raise ParameterError(
            f"items, annotators, labels: expected equal lengths, got {len(it)}, {len(an)} and {len(lb)}"
        )
    return it, an, lb


class _Table:
    """Encoded annotations: int64 codes plus the id arrays they index.

    ``missing_labels="skip"`` leaves out answers whose label is missing (NaN/None; their
    item and annotator still get ids), ``"error"`` refuses them. ``classes_name`` is the
    name of the ``classes`` argument in errors."""

    def __init__(
        self,
        items: Any,
        annotators: Any = None,
        labels: Any = None,
        *,
        classes: Optional[Sequence[Any]] = None,
        item_ids: Optional[Sequence[Any]] = None,
        columns: Sequence[str] = _DEFAULT_COLUMNS,
        missing_labels: str = "error",
        classes_name: str = "classes",
    ) -> None:
        it, an, lb = _long_form(items, annotators, labels, columns)
        skip = None
        for arr, name in ((it, "items"), (an, "annotators"), (lb, "labels")):
            miss = _is_missing(arr)
            if name == "labels" and missing_labels == "skip":
                skip = miss if miss.any() else None
            elif miss.any():
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
        if skip is not None:
            keep = ~skip
            self.item_codes, self.annotator_codes, lb = self.item_codes[keep], self.annotator_codes[keep], lb[keep]
        if classes is None:
            self.classes, self.label_codes = _unique(lb, "labels")
        else:
            self.classes = np.asarray(classes)
            if self.classes.ndim != 1 or len(self.classes) == 0:
                raise ParameterError(f"{classes_name}: expected a non-empty 1-D list of values, got {classes!r}")
            self.label_codes = _encode_to(lb, self.classes, "labels", classes_name)
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
    """Dawid-Skene aggregation: one full confusion matrix per annotator, estimated by EM.

    Reproduces crowd-kit 1.4 ``DawidSkene(n_iter=100, tol=1e-5)``: posteriors start as
    majority-vote fractions and priors as their mean; the M-step sums posteriors per
    (annotator, observed label), clips at 1e-10 and normalises per true label; the E-step
    works in log space; EM stops when the evidence lower bound per answer improves by less
    than ``tol``. Hard labels take the first most-probable class on ties, as crowd-kit.
    Differences from crowd-kit: posteriors are not clipped at 1e-10 at the end (rows sum to
    exactly 1); ``n_jobs`` parallelises over items without changing results.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    n_iter : int, default 100
        Most EM iterations.
    tol : float, default 1e-5
        EM stops when the evidence lower bound per answer improves by less than this.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label. Pinned items also inform the confusion matrices (crowd-kit's
        ``true_labels``).
    n_jobs : int or None, default 1
        Threads over items (None: ``AFFECTKIT_NUM_THREADS`` or all cores); results do not
        depend on it.
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
        Besides :class:`LabelResult`'s attributes: ``priors`` (n_classes,), ``confusion``
        (n_annotators, n_classes true, n_classes observed; rows sum to 1 over the labels
        the annotator used; crowd-kit's ``errors_`` transposed), ``loss_history`` (ELBO per
        answer after each iteration) and ``n_iter_``.

    References
    ----------
    Dawid, A. P. and Skene, A. M. (1979). Maximum likelihood estimation of observer
    error-rates using the EM algorithm. Journal of the Royal Statistical Society C 28(1),
    20-28.

    Examples
    --------
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
    initialisation, E-step and stopping as :func:`dawid_skene`.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    n_iter : int, default 100
        Most EM iterations.
    tol : float, default 1e-5
        EM stops when the evidence lower bound per answer improves by less than this.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label.
    n_jobs : int or None, default 1
        Threads over items (None: ``AFFECTKIT_NUM_THREADS`` or all cores); results do not
        depend on it.
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
        As :func:`dawid_skene`, plus ``skills`` (n_annotators,).

    References
    ----------
    Dawid, A. P. and Skene, A. M. (1979), as :func:`dawid_skene`, with one parameter per
    annotator.

    Examples
    --------
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
    """GLAD: annotator ability ``alphas``, item log-easiness ``betas``,
    ``P(correct) = sigmoid(alpha_i * exp(beta_j))``, wrong answers spread evenly over the
    other classes.

    Follows crowd-kit 1.4 ``GLAD`` (same defaults, initialisation ``alpha = beta = 1``,
    standard normal priors around 1, uniform class priors, objective and stopping rule per
    (answer, class) pair). The M-step is a conjugate-gradient ascent limited to
    ``m_step_max_iter`` steps like crowd-kit's ``scipy.optimize.minimize(method="CG")``,
    but with its own line search, so iterates and posteriors differ slightly from
    crowd-kit's (labels agree on about 99 % of items in the tests). Needs two or more
    classes.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    n_iter : int, default 100
        Most EM iterations.
    tol : float, default 1e-5
        EM stops when the objective per (answer, class) pair improves by less than this.
    m_step_max_iter : int, default 25
        Most conjugate-gradient steps per M-step.
    m_step_tol : float, default 1e-2
        The M-step stops when no gradient entry exceeds this.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label. Pinned after every E-step (crowd-kit's GLAD takes no gold).
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
        Plus ``alphas`` (n_annotators,), ``betas`` (n_items,), ``loss_history`` and
        ``n_iter_``.

    References
    ----------
    Whitehill, J., Ruvolo, P., Wu, T., Bergsma, J. and Movellan, J. (2009). Whose vote
    should count more: optimal integration of labels from labelers of unknown expertise.
    NIPS 22.

    Examples
    --------
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
    """MACE, Multi-Annotator Competence Estimation: each annotator either knows the true
    label, with probability ``competence``, or answers from their own strategy
    distribution.

    Follows crowd-kit 1.4 ``MACE`` (same defaults): parameters start uniform on
    ``[1, 2 + default_noise]`` and are normalised, drawn with ``numpy.random.RandomState``
    exactly as crowd-kit draws them (annotators and labels in order of first appearance);
    ``n_iter`` rounds per restart and the restart with the highest log marginal likelihood
    wins. Differences from crowd-kit, on purpose: restart ``r`` is seeded with
    ``random_state + r`` (crowd-kit seeds every restart with ``random_state``, so its
    restarts are identical; restart 0 is crowd-kit's run); crowd-kit pairs its strategy
    counts with annotators and labels in sorted order but its parameters in order of
    appearance, which mixes annotators up when the two orders differ, affectkit does not;
    per-item likelihood products are rescaled, so items with many answers do not underflow.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    n_restarts : int, default 10
        Random restarts (>= 1).
    n_iter : int, default 50
        Rounds per restart.
    method : {"vb", "em"}, default "vb"
        ``"vb"``: variational Bayes with Beta(``alpha``, ``beta``) priors on spamming and
        Dirichlet(10) priors on the strategies; ``"em"``: plain EM with crowd-kit's
        smoothing ``0.01 / K``.
    alpha, beta : float, default 0.5
        Beta prior on spamming (``"vb"``).
    default_noise : float, default 0.5
        Spread of the initial parameters (>= 0).
    random_state : int, default 0
        Seed of restart 0.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label. Pinned in every E-step (crowd-kit's MACE takes no gold).
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
        Plus ``competence`` (n_annotators,) = P(knows), ``spamming`` (n_annotators, 2) =
        ``[P(spams), P(knows)]`` as crowd-kit's ``spamming_``, ``strategies``
        (n_annotators, n_classes) and ``log_marginal_likelihood``.

    References
    ----------
    Hovy, D., Berg-Kirkpatrick, T., Vaswani, A. and Hovy, E. (2013). Learning whom to trust
    with MACE. NAACL-HLT, 1120-1130.

    Examples
    --------
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


# ---------------------------------------------------------------- dimensional ratings


class RatingsMatrix(tuple):
    """What :func:`ratings_matrix` returns: the tuple ``(matrix, items, annotators)``, so
    ``m, items, raters = ratings_matrix(...)`` works, with those as attributes too.

    Attributes
    ----------
    matrix : ndarray of float64
        ``(n_items, n_annotators)`` for ``orient="items"``, ``(n_annotators, n_items)``
        for ``orient="annotators"``; NaN where an annotator gave no value.
    items : ndarray (n_items,)
        Item ids (sorted), the order of the item axis.
    annotators : ndarray (n_annotators,)
        Annotator ids (sorted), the order of the annotator axis.
    classes : ndarray or None, default None
        For categorical labels, the class of each code: ``matrix`` holds
        ``0 .. len(classes) - 1``; None for numeric ratings (``matrix`` holds the values).
    orient : str, default "items"
        ``"items"`` or ``"annotators"``: what the rows are.
    """

    classes: Optional[np.ndarray]
    orient: str

    def __new__(
        cls, matrix: np.ndarray, items: np.ndarray, annotators: np.ndarray, classes: Optional[np.ndarray] = None,
        orient: str = "items",
    ) -> "RatingsMatrix":
        self = super().__new__(cls, (matrix, items, annotators))
        self.classes = classes
        self.orient = orient
        return self

    @property
    def matrix(self) -> np.ndarray:
        return self[0]

    @property
    def items(self) -> np.ndarray:
        return self[1]

    @property
    def annotators(self) -> np.ndarray:
        return self[2]

    def __reduce__(self) -> Any:
        return (RatingsMatrix, (self[0], self[1], self[2], self.classes, self.orient))

    def to_frame(self) -> Any:
        """A pandas DataFrame of ``matrix`` with the item and annotator ids as index and
        columns (by ``orient``); categorical codes become their classes."""
        import pandas as pd

        values: Any = self.matrix
        if self.classes is not None:
            values = _decode(np.where(np.isnan(values), -1, values).astype(np.int64), self.classes)
        items, raters = pd.Index(self.items, name="item"), pd.Index(self.annotators, name="annotator")
        if self.orient == "items":
            return pd.DataFrame(values, index=items, columns=raters)
        return pd.DataFrame(values, index=raters, columns=items)

    def __repr__(self) -> str:
        k = "" if self.classes is None else f", classes={self.classes.tolist()!r}"
        return f"RatingsMatrix(orient={self.orient!r}, shape={self.matrix.shape}{k})"


_ORIENTS = ("items", "annotators")


def ratings_matrix(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    orient: str = "items",
    classes: Optional[Sequence[Any]] = None,
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> RatingsMatrix:
    """The long form (one row per answer) as a matrix with one cell per item and annotator.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The long form, as every aggregator takes it: three equal-length 1-D arrays (item
        id, annotator id, label or rating of each answer), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) leaves its cell empty.
    orient : {"items", "annotators"}, default "items"
        What the rows are: ``"items"`` gives the items x annotators matrix that
        :func:`ewe`, :func:`mean`, :func:`median`, :func:`trimmed_mean` and
        :func:`znorm` take; ``"annotators"`` the annotators x items (coders x units)
        matrix that :func:`krippendorff_alpha` and the ``krippendorff`` package take.
    classes : sequence, optional
        Class list for categorical labels: the matrix then holds each label's index in
        ``classes`` (a label not in it is an error). By default numeric labels (bool,
        int, float) are kept as values and any other labels (strings) are coded by
        their index in the sorted distinct labels, returned as ``.classes``.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    RatingsMatrix
        The tuple ``(matrix, items, annotators)``: the float matrix with NaN where an
        annotator gave no value, and the sorted item and annotator ids along its axes;
        also ``.classes`` (None for numeric ratings) and ``.orient``. Passed whole to
        :func:`krippendorff_alpha`, :func:`ewe`, :func:`mean`, ... it is read by its
        ``orient`` and its ids label their results.

    Raises
    ------
    ParameterError
        An annotator with two answers on the same item (average or drop repeats first),
        unequal lengths, a DataFrame without the named columns, an unknown ``orient``.

    Examples
    --------
    >>> m, items, raters = ratings_matrix(["u1", "u1", "u2"], ["a", "b", "a"], [3.0, 4.0, 1.0])
    >>> m
    array([[ 3.,  4.],
           [ 1., nan]])
    >>> r = ratings_matrix(["u1", "u1", "u2"], ["a", "b", "a"], ["hap", "sad", "hap"], orient="annotators")
    >>> r.matrix, r.classes
    (array([[ 0.,  0.],
           [ 1., nan]]), array(['hap', 'sad'], dtype='<U3'))
    """
    if orient not in _ORIENTS:
        raise ParameterError(f'orient: expected "items" (items x annotators) or "annotators" '
                             f"(annotators x items), got {orient!r}")
    t = _Table(items, annotators, labels, classes=classes, columns=columns, missing_labels="skip")
    _check_repeats(t, "rated")
    numbers = None if classes is not None else _as_numbers(t.classes)
    if numbers is None:
        values, kept = t.label_codes.astype(np.float64), t.classes
    else:
        values, kept = numbers[t.label_codes], None
    return RatingsMatrix(_dense(t, values, orient), t.item_ids, t.annotator_ids, kept, orient)


def _as_numbers(values: np.ndarray) -> Optional[np.ndarray]:
    """``values`` as float64 (NaN = missing) when they are numbers (bool, int, float, also
    in an object array with None/NaN/NA for missing), else None (strings, mixed)."""
    if values.dtype.kind in "biuf":
        return values.astype(np.float64)
    if values.dtype.kind != "O":
        return None
    flat = values.ravel().tolist()
    if not all(isinstance(v, (bool, int, float, np.number, np.bool_)) or _missing_value(v) for v in flat):
        return None
    return np.array([np.nan if _missing_value(v) else float(v) for v in flat], dtype=np.float64).reshape(values.shape)


def _check_repeats(t: _Table, verb: str = "answered") -> None:
    """A repeated (item, annotator) pair is an error naming both: a matrix has one cell
    per pair, and the agreement statistics count each annotator once per item."""
    n_a = len(t.annotator_ids)
    flat = t.item_codes * n_a + t.annotator_codes
    if len(flat) < 2:
        return
    n_cells = len(t.item_ids) * n_a
    if n_cells <= 8 * len(flat) + (1 << 16):
        repeated = np.flatnonzero(np.bincount(flat, minlength=n_cells) > 1)
    else:
        s = np.sort(flat)
        repeated = s[1:][s[1:] == s[:-1]]
    if len(repeated):
        i, a = divmod(int(repeated[0]), n_a)
        item, ann = _plain(t.item_ids[i]), _plain(t.annotator_ids[a])
        raise ParameterError(
            f"items, annotators: annotator {ann!r} {verb} item {item!r} twice or more; one value per "
            "annotator and item is expected (average or drop the repeats first)"
        )


def _plain(v: Any) -> Any:
    """A NumPy scalar as the Python value (for ``repr`` in messages)."""
    return v.item() if isinstance(v, np.generic) else v


def _dense(t: _Table, values: np.ndarray, orient: str) -> np.ndarray:
    """``values`` (one per answer) in a NaN-filled matrix, rows by ``orient``."""
    n_i, n_a = len(t.item_ids), len(t.annotator_ids)
    if orient == "items":
        m = np.full((n_i, n_a), np.nan)
        m[t.item_codes, t.annotator_codes] = values
    else:
        m = np.full((n_a, n_i), np.nan)
        m[t.annotator_codes, t.item_codes] = values
    return m


def _ratings(ratings: Any) -> "tuple[np.ndarray, Any, Any]":
    index = columns = None
    if isinstance(ratings, RatingsMatrix):
        if ratings.classes is not None:
            raise InputTypeError(
                f"ratings: expected numeric ratings, got the codes of categorical labels {ratings.classes[:5].tolist()}"
            )
        import pandas as pd

        index, columns = pd.Index(ratings.items, name="item"), pd.Index(ratings.annotators, name="annotator")
        ratings = ratings.matrix if ratings.orient == "items" else ratings.matrix.T
    elif hasattr(ratings, "columns") and hasattr(ratings, "index"):
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
    """Evaluator Weighted Estimator: each item's consensus weights each rater by how well
    they agree with the others.

    Each item's consensus is ``sum_k w_k y_nk / sum_k w_k`` over the raters ``k`` of that
    item, where ``w_k`` is the Pearson correlation ``r_k`` of rater ``k``'s ratings with the
    reference over the items ``k`` rated. A rater with fewer than ``min_overlap`` usable
    items, or with constant ratings, has an undefined correlation (NaN in
    ``correlations``) and weight 0. An item whose raters all have weight 0 (or whose
    weights sum to 0), or that nobody rated, has a NaN consensus. A single rater is an
    error: the correlation with the mean is then 1 by construction and EWE is just that
    rater's ratings.

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.
    reference : {"mean", "leave_one_out"}, default "mean"
        ``"mean"`` (Grimm and Kroschel): the mean of all raters of the item, ``k``
        included; ``"leave_one_out"``: the mean of the other raters (as audpsychometric),
        items ``k`` rated alone then do not count towards ``r_k``.
    negative : {"zero", "keep"}, default "zero"
        ``"zero"``: raters with ``r_k <= 0`` get weight 0 (they disagree with the consensus
        and would flip or destabilise it); ``"keep"`` uses ``r_k`` as it is, the formula
        taken literally.
    min_overlap : int, default 2
        Fewest items a rater needs for a correlation.

    Returns
    -------
    RatingResult
        ``consensus`` (n_items,), ``correlations`` and ``weights`` (n_annotators,),
        ``items``, ``annotators``.

    References
    ----------
    Grimm, M. and Kroschel, K. (2005). Evaluation of natural emotions using self assessment
    manikins. IEEE ASRU, 381-385.

    Examples
    --------
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
    """Per-item mean of the available ratings (NaN if nobody rated the item).

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.

    Returns
    -------
    ndarray or pandas.Series
        One value per item; a Series indexed by item when the ratings carry ids.

    Examples
    --------
    >>> mean([[1, 2, np.nan], [3, np.nan, 5]])
    array([1.5, 4. ])
    """
    r, index, _ = _ratings(ratings)
    return _series(_core.labels_summarise(r, "mean"), index, "mean")


def median(ratings: Any) -> Any:
    """Per-item median of the available ratings, as ``np.nanmedian(ratings, axis=1)``.

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.

    Returns
    -------
    ndarray or pandas.Series
        One value per item (NaN if nobody rated it); a Series indexed by item when the
        ratings carry ids.

    Examples
    --------
    >>> median([[1, 2, 9], [3, np.nan, 5]])
    array([2., 4.])
    """
    r, index, _ = _ratings(ratings)
    return _series(_core.labels_summarise(r, "median"), index, "median")


def trimmed_mean(ratings: Any, proportiontocut: float = 0.1) -> Any:
    """Per-item trimmed mean of the available ratings, as
    ``scipy.stats.trim_mean(row[~isnan(row)], proportiontocut)``.

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.
    proportiontocut : float, default 0.1
        Fraction cut from each end: ``floor(proportiontocut * n)`` of the item's ``n``
        ratings (so with few raters nothing may be cut).

    Returns
    -------
    ndarray or pandas.Series
        One value per item (NaN if nobody rated it); a Series indexed by item when the
        ratings carry ids.

    Examples
    --------
    >>> trimmed_mean([[1, 2, 3, 4, 100]], proportiontocut=0.2)
    array([3.])
    """
    r, index, _ = _ratings(ratings)
    return _series(_core.labels_summarise(r, "trimmed_mean", float(proportiontocut)), index, "trimmed_mean")


def znorm(ratings: Any, ddof: int = 0) -> Any:
    """Per-annotator z-normalisation: each annotator's ratings minus their mean, divided by
    their standard deviation, over the items they rated; NaN stays NaN. An annotator with
    constant ratings (or too few) has undefined z-scores: their column is NaN.

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.
    ddof : int, default 0
        Delta degrees of freedom of the standard deviation: 0 is the population value, as
        scikit-learn's ``StandardScaler``.

    Returns
    -------
    ndarray or pandas.DataFrame
        Items x annotators z-scores; a DataFrame with the ids when the ratings carry them.

    Examples
    --------
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

    Each trace ``k`` (sample ``j`` at time ``j / fps[k]``) is linearly interpolated at
    ``target_fps`` from 0 to the end of the longest trace; NaN beyond a trace's end. Then
    each trace is shifted earlier by the lag in ``[min_lag_s, max_lag_s]`` that maximises
    its Pearson correlation with the mean of the other traces (the reaction-lag
    compensation of Mariooryad and Busso). Fuse with ``.ewe()`` or ``.mean()``.

    Parameters
    ----------
    traces : sequence of 1-D array-like
        One trace per annotator.
    fps : float or sequence of float
        Sample rate of the traces (one for all, or one per trace), in frames per second.
    target_fps : float, optional
        Rate of the common grid. Default: the highest ``fps``.
    max_lag_s : float, default 0.0
        Longest reaction lag searched, in seconds; 0 only resamples. A few seconds is
        typical for annotators.
    min_lag_s : float, default 0.0
        Shortest reaction lag searched, in seconds (<= ``max_lag_s``).

    Returns
    -------
    AlignedTraces
        ``values`` (n_frames, n_annotators), ``times``, ``lags_s``, ``correlations``.

    References
    ----------
    Mariooryad, S. and Busso, C. (2015). Correcting time-continuous emotional labels by
    modeling the reaction lag of evaluators. IEEE Transactions on Affective Computing 6(2),
    97-108.

    Examples
    --------
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
#
# Every agreement statistic takes the long form the aggregators take (three arrays
# ``items, annotators, labels`` or a DataFrame with crowd-kit's ``task, worker, label``
# columns, parsed by ``_long_form``) or, as a single 2-D array, the one matrix form it
# documents. A DataFrame is always the long form: one without those columns is an error.


def _answers(
    first: Any, annotators: Any, labels: Any, columns: Sequence[str], *, name: str, matrix: str, option: str
) -> "Optional[tuple[np.ndarray, np.ndarray, np.ndarray]]":
    """None when ``first`` alone is the function's matrix form, else the long form's three
    arrays. ``option`` is the keyword that older releases took as the second positional
    argument: a single number or string there is an error that says to name it."""
    if annotators is None and labels is None and not hasattr(first, "columns"):
        return None
    if labels is None and isinstance(annotators, (str, bytes, int, float, np.generic)):
        raise ParameterError(
            f"{option}: pass it by keyword ({option}={annotators!r}); the second and third positional "
            "arguments are the long form's annotators and labels"
        )
    return _long_form(first, annotators, labels, columns, name=name, matrix=matrix)


def _answered(t: _Table, what: str) -> None:
    if len(t.item_codes) == 0:
        raise ParameterError(f"items, annotators, labels: no answers; {what} needs a non-empty table")


def entropy(
    data: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    base: float = 2.0,
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> Any:
    """Per-item entropy of the label distribution, ``-sum_c p_c log(p_c)``: 0 when every
    annotator gave the same label, ``log(n_classes)`` at most.

    Parameters
    ----------
    data : LabelResult, array-like or DataFrame
        A :class:`LabelResult` (its ``posterior``), an ``(n_items, n_classes)`` array of
        label distributions (rows summing to 1; NaN rows stay NaN), the items of the long
        form (with ``annotators`` and ``labels``), or a long-form DataFrame. For the long
        form the distribution is each item's vote fractions (as :func:`soft` with
        ``smoothing=0``).
    annotators, labels : array-like, optional
        The long form's other two columns, one entry per answer.
    base : float, default 2.0
        Logarithm base: 2 gives bits, ``np.e`` nats.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame.

    Returns
    -------
    ndarray or pandas.Series
        One entropy per row of ``data`` (``result.items`` order for a
        :class:`LabelResult`); for the long form a Series indexed by item id (sorted).

    Examples
    --------
    >>> entropy(np.array([[0.5, 0.5], [1.0, 0.0]]))
    array([1., 0.])
    >>> entropy(["u1", "u1", "u2", "u2"], ["a", "b", "a", "b"], ["hap", "sad", "hap", "hap"]).tolist()
    [1.0, 0.0]
    """
    if not (isinstance(base, (int, float, np.number)) and base > 0 and base != 1):
        raise ParameterError(f"base: expected a positive number other than 1, got {base!r}")
    index = None
    if annotators is None and labels is None and hasattr(data, "posterior"):
        p = data.posterior
    else:
        long = _answers(data, annotators, labels, columns, name="data", matrix="n_items x n_classes distribution",
                        option="base")
        if long is None:
            p = data
        else:
            t = _Table(*long)
            _, p = _core.labels_majority(t.args, "first", 0, None, None)
            index = t.item_ids
    try:
        p = np.asarray(p, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InputTypeError(f"data: expected label distributions (numbers), got {e}") from None
    if p.ndim != 2:
        raise ParameterError(
            f"data: expected an (n_items, n_classes) array of label distributions, a LabelResult or the long "
            f"form (items, annotators, labels), got shape {p.shape}"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
    h = -terms.sum(axis=1) / np.log(base)
    h[np.isnan(p).any(axis=1)] = np.nan
    h = h + 0.0
    if index is None:
        return h
    import pandas as pd

    return pd.Series(h, index=pd.Index(index, name="item"), name="entropy")


class AnnotatorAgreement:
    """Per-annotator agreement with a consensus, from :func:`annotator_agreement`.

    Attributes
    ----------
    annotators : ndarray (n_annotators,)
        Annotator ids (sorted).
    agreement : ndarray (n_annotators,)
        Fraction of each annotator's scored answers equal to the consensus label (NaN if
        none was scored).
    n_scored : ndarray of int64 (n_annotators,)
        Answers on items that have a consensus label.
    """

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
    consensus: Any = None,
    classes: Optional[Sequence[Any]] = None,
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> AnnotatorAgreement:
    """How often each annotator agrees with a consensus label (crowd-kit's
    ``accuracy_on_aggregates(answers, by="worker")``).

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The long form: three equal-length arrays, or one DataFrame with the ``columns``.
    consensus : LabelResult, mapping or Series, optional
        The consensus label per item: a :class:`LabelResult` (e.g. from
        :func:`dawid_skene`) or a mapping / Series from item id to label. Items without
        a consensus label (ties, ``None``, absent) are not scored. Default: the majority
        vote of these answers with ties not scored (crowd-kit's default aggregator is
        ``MajorityVote``, which gives tied items the first tied class in its column
        order instead).
    classes : sequence, optional
        Class list (default: the sorted distinct labels; a :class:`LabelResult`
        consensus brings its own).
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame.

    Returns
    -------
    AnnotatorAgreement
        ``annotators``, ``agreement`` and ``n_scored``; ``to_frame()`` for a DataFrame.

    Examples
    --------
    >>> annotator_agreement([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1]).agreement
    array([1., 1., 0.])
    >>> c = dawid_skene([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1])
    >>> annotator_agreement([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1], consensus=c).n_scored
    array([2, 2, 2])
    """
    if isinstance(consensus, LabelResult):
        if classes is None:
            classes = consensus.classes
        ok = consensus.label_codes >= 0
        consensus = dict(zip(consensus.items[ok].tolist(), consensus.labels[ok].tolist()))
    t = _Table(items, annotators, labels, classes=classes, columns=columns)
    if consensus is None:
        codes, _ = _core.labels_majority(t.args, "nan", 0, None, None)
    else:
        codes = t.per_item_codes(consensus, "consensus")
    frac, n = _core.labels_annotator_agreement(t.args, codes)
    return AnnotatorAgreement(t.annotator_ids, frac, n.astype(np.int64))


_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def krippendorff_alpha(
    data: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    level: str = "nominal",
    value_domain: Optional[Sequence[Any]] = None,
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> float:
    """Krippendorff's alpha, the reliability of several coders' values with missing data.

    Computed from the coincidence matrix as the ``krippendorff`` package does (equal to
    ``krippendorff.alpha(reliability_data=coders_x_units, level_of_measurement=level)``;
    that package's default level is ``"interval"``, affectkit's ``"nominal"``). Units
    with fewer than two values are not pairable and do not count.

    Parameters
    ----------
    data : array-like or DataFrame
        Either the long form, as the aggregators take it: ``data`` is the items (one per
        answer) with ``annotators`` and ``labels``, or a DataFrame with the ``columns``;
        or, alone, a coders x units matrix (rows: coders / annotators, columns: units /
        items) with NaN or None where a coder gave no value. A 2-D array is always that
        matrix (never the long form's rows); a DataFrame is always the long form. A
        :class:`RatingsMatrix` from :func:`ratings_matrix` is read by its ``orient``
        (categorical codes as their labels).
    annotators, labels : array-like, optional
        The long form's annotator ids and labels (strings or numbers), one per answer.
        An annotator may answer an item at most once.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Level of measurement (the distance between two values).
    value_domain : sequence, optional
        The values that may occur, in order (for ordinal data their order; every label
        must be in it). Default: the sorted distinct values. String labels are allowed at
        the nominal level, and at the ordinal level with a ``value_domain`` giving their
        order; the interval and ratio levels need numbers.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    float
        Alpha: 1 is perfect agreement, 0 chance agreement.

    Raises
    ------
    ParameterError
        When alpha is undefined (no unit with two or more values: e.g. a single
        annotator; a single distinct value), for an empty table, a repeated
        (item, annotator) pair, a DataFrame without the named columns, a 1-D array alone.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School
    for Communication, University of Pennsylvania.

    Examples
    --------
    >>> round(krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 4]], level="interval"), 4)
    0.8889
    >>> items = ["u1", "u1", "u2", "u2", "u3", "u3", "u3"]
    >>> coders = ["a", "b", "a", "b", "a", "b", "c"]
    >>> answers = ["hap", "hap", "sad", "hap", "ang", "ang", "ang"]
    >>> round(krippendorff_alpha(items, coders, answers, level="nominal"), 4)
    0.6
    """
    if level not in _LEVELS:
        raise ParameterError(f"level: expected one of {list(_LEVELS)}, got {level!r}")
    long = _answers(data, annotators, labels, columns, name="data", matrix="coders x units", option="level")
    if long is None:
        return _alpha_matrix(data, level, value_domain)
    t = _Table(*long, classes=value_domain, classes_name="value_domain")
    _answered(t, "Krippendorff's alpha")
    _check_repeats(t)
    numbers = _as_numbers(t.classes)
    if numbers is None:
        _string_level(level, value_domain)
        values, dom = t.label_codes.astype(np.float64), np.arange(len(t.classes), dtype=np.float64)
    else:
        values = numbers[t.label_codes]
        dom = None if value_domain is None else np.ascontiguousarray(numbers)
    # Alpha depends only on the values within each unit, not on who gave them, so the
    # answers of each item fill rows 0, 1, ... of its column: a (most answers per item)
    # x items matrix, small even when thousands of annotators each saw a few items.
    n_items = len(t.item_ids)
    counts = np.bincount(t.item_codes, minlength=n_items)
    order = np.argsort(t.item_codes, kind="stable")
    slot = np.empty(len(order), dtype=np.int64)
    slot[order] = np.arange(len(order)) - (np.cumsum(counts) - counts)[t.item_codes[order]]
    m = np.full((int(counts.max()), n_items), np.nan)
    m[slot, t.item_codes] = values
    return _core.labels_krippendorff_alpha(m, level, dom)


def _string_level(level: str, value_domain: Any) -> None:
    if level in ("interval", "ratio"):
        raise ParameterError(f"level: {level!r} needs numeric values, got strings")
    if level == "ordinal" and value_domain is None:
        raise ParameterError("value_domain: string values at the ordinal level need value_domain, their order")


def _alpha_matrix(data: Any, level: str, value_domain: Any) -> float:
    """Alpha of a coders x units matrix (a RatingsMatrix in either orientation)."""
    if isinstance(data, RatingsMatrix):
        # it knows its orientation; categorical codes go back to their labels, so the
        # rules for strings (and value_domain in labels) apply as for the long form
        frame = data.to_frame()
        frame = frame if data.orient == "annotators" else frame.T
        data = frame.to_numpy(dtype=object if data.classes is not None else np.float64)
    if isinstance(data, np.ndarray):
        a = data
    else:
        a = np.asarray(data, dtype=object if _has_strings(data) else None)
    if a.ndim != 2:
        raise ParameterError(
            f"data: expected a 2-D coders x units matrix, or the long form (items, annotators, labels, or a "
            f"DataFrame with task, worker, label columns), got shape {a.shape}"
        )
    dom = None
    if a.dtype.kind in "OUS":
        numbers = _as_numbers(a) if a.dtype.kind == "O" else None
        if numbers is not None:
            a = numbers
        else:
            _string_level(level, value_domain)
            miss = _is_missing(a.ravel()).reshape(a.shape) if a.dtype.kind == "O" else np.zeros(a.shape, dtype=bool)
            vals = a[~miss]
            if value_domain is None:
                domain = _unique(vals.astype(str) if vals.dtype.kind != "O" else vals, "data")[0]
            else:
                domain = np.asarray(value_domain)
            codes = np.full(a.shape, np.nan)
            codes[~miss] = _encode_to(vals, domain, "data", "value_domain")
            a = codes
            dom = np.arange(len(domain), dtype=np.float64)
    if dom is None:
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


def fleiss_kappa(
    table: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    method: str = "fleiss",
    classes: Optional[Sequence[Any]] = None,
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> float:
    """Fleiss' kappa: agreement of a fixed number of ratings per subject, the raters
    possibly different for each subject (Fleiss 1971).

    Equal to ``statsmodels.stats.inter_rater.fleiss_kappa(table, method)`` on the
    subjects x categories count table.

    Parameters
    ----------
    table : array-like or DataFrame
        Either the long form, as the aggregators take it: ``table`` is the items (one per
        answer) with ``annotators`` and ``labels``, or a DataFrame with the ``columns``
        (the count table is built from it: every item needs the same number of answers,
        at least two, and an annotator may answer an item once); or, alone, the subjects
        x categories table of counts (how many raters put each subject in each
        category), as ``statsmodels.stats.inter_rater.aggregate_raters`` builds it. A 2-D
        array is always that count table; a DataFrame is always the long form.
    annotators, labels : array-like, optional
        The long form's annotator ids and labels (strings or numbers), one per answer.
    method : {"fleiss", "randolph"}, default "fleiss"
        Chance agreement from the category proportions (Fleiss) or ``1 / n_categories``
        (``"randolph"`` or ``"uniform"``: Randolph's free-marginal kappa).
    classes : sequence, optional
        Long form only: the categories (default: the sorted distinct labels). Categories
        nobody chose count for ``method="randolph"``.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame.

    Returns
    -------
    float
        Kappa; NaN when chance agreement is 1 (every rating in one category).

    Raises
    ------
    ParameterError
        Subjects with different numbers of ratings (the error names two; use
        :func:`krippendorff_alpha` for missing ratings), fewer than two ratings per
        subject, negative counts, an empty table.

    References
    ----------
    Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
    Psychological Bulletin 76(5), 378-382. Randolph, J. J. (2005). Free-marginal
    multirater kappa. Joensuu Learning and Instruction Symposium.

    Examples
    --------
    >>> round(fleiss_kappa([[3, 0], [2, 1]]), 12)
    -0.2
    >>> round(fleiss_kappa(["u1"] * 3 + ["u2"] * 3, ["a", "b", "c"] * 2, ["hap"] * 5 + ["sad"]), 12)
    -0.2
    """
    if method == "fleiss":
        randolph = False
    elif isinstance(method, str) and method.startswith(("rand", "unif")):
        randolph = True
    else:
        raise ParameterError(f'method: expected "fleiss" or "randolph", got {method!r}')
    long = _answers(table, annotators, labels, columns, name="table", matrix="subjects x categories count",
                    option="method")
    if long is None:
        if classes is not None:
            raise ParameterError("classes: only for the long form (items, annotators, labels); a count table's "
                                 "columns are its categories")
        t = np.asarray(table)
        if t.ndim != 2:
            raise ParameterError(
                f"table: expected a 2-D subjects x categories count table, or the long form (items, annotators, "
                f"labels, or a DataFrame with task, worker, label columns), got shape {t.shape}"
            )
        try:
            t = np.ascontiguousarray(t, dtype=np.float64)
        except (TypeError, ValueError) as e:
            raise InputTypeError(f"table: expected counts, got {e}") from None
        return _core.labels_fleiss_kappa(t, randolph)
    tab = _Table(*long, classes=classes)
    _answered(tab, "Fleiss' kappa")
    _check_repeats(tab)
    n_items, k = len(tab.item_ids), len(tab.classes)
    counts = np.bincount(tab.item_codes * k + tab.label_codes, minlength=n_items * k).reshape(n_items, k)
    per_item = counts.sum(axis=1)
    unequal = np.flatnonzero(per_item != per_item[0])
    if len(unequal):
        first, other = _plain(tab.item_ids[0]), _plain(tab.item_ids[unequal[0]])
        raise ParameterError(
            f"labels: Fleiss' kappa needs the same number of answers on every item; item {first!r} has "
            f"{per_item[0]}, item {other!r} has {per_item[unequal[0]]} (krippendorff_alpha allows missing answers)"
        )
    return _core.labels_fleiss_kappa(np.ascontiguousarray(counts, dtype=np.float64), randolph)


def cohen_kappa(
    a: Any,
    b: Any = None,
    c: Any = None,
    *,
    weights: Optional[str] = None,
    labels: Optional[Sequence[Any]] = None,
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> float:
    """Cohen's kappa of two annotators (Cohen 1960; weighted kappa: Cohen 1968), as
    ``sklearn.metrics.cohen_kappa_score``.

    Parameters
    ----------
    a, b : array-like; b default None (long form)
        The two annotators' labels (strings or numbers) of the same items, position by
        position, as scikit-learn takes them. Pairs where either is missing (NaN/None)
        are left out.
    c : array-like, optional
        For the long form: ``cohen_kappa(items, annotators, labels)`` with exactly two
        distinct annotators, or ``cohen_kappa(df)`` with a DataFrame of the ``columns``;
        items only one of them answered are left out, an annotator may answer an item once.
    weights : {None, "linear", "quadratic"}, default None
        Disagreement weights by the distance between class indices in the sorted classes
        (or in ``labels`` order), as scikit-learn. Keyword-only, as in scikit-learn.
    labels : sequence, optional
        The class list and its order (scikit-learn's ``labels``): pairs with a label
        outside it are left out. Default: the sorted distinct labels of the kept pairs.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame.

    Returns
    -------
    float
        Kappa; NaN where it is undefined (no pairs, or a single class in common), as
        scikit-learn's default ``replace_undefined_by=np.nan``.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
    Psychological Measurement 20(1), 37-46. Cohen, J. (1968). Weighted kappa. Psychological
    Bulletin 70(4), 213-220.

    Examples
    --------
    >>> cohen_kappa([0, 0, 1, 1], [0, 1, 1, 1])
    0.5
    >>> cohen_kappa(["u1", "u1", "u2", "u2", "u3", "u3", "u4", "u4"], ["a", "b"] * 4,
    ...             ["hap", "hap", "hap", "sad", "sad", "sad", "sad", "sad"])
    0.5
    """
    if isinstance(c, (str, bytes)):
        raise ParameterError(
            f"weights: pass it by keyword (weights={c!r}); a third positional argument is the long form's labels"
        )
    if c is None and b is not None:
        return _cohen_pair(a, b, weights, labels)
    if c is None and not hasattr(a, "columns"):
        raise ParameterError(
            "a, b: expected the two annotators' labels (a, b), or the long form: three arrays items, annotators, "
            "labels, or a DataFrame with task, worker, label columns"
        )
    t = _Table(*_long_form(a, b, c, columns, name="a"))
    _answered(t, "Cohen's kappa")
    if len(t.annotator_ids) != 2:
        shown = t.annotator_ids[:5].tolist()
        raise ParameterError(
            f"annotators: Cohen's kappa compares two annotators, the table has {len(t.annotator_ids)}: {shown}"
            f"{', ...' if len(t.annotator_ids) > 5 else ''} (fleiss_kappa and krippendorff_alpha take more)"
        )
    _check_repeats(t)
    pair = np.full((2, len(t.item_ids)), -1, dtype=np.int64)
    pair[t.annotator_codes, t.item_codes] = t.label_codes
    return _cohen_pair(_decode(pair[0], t.classes), _decode(pair[1], t.classes), weights, labels)


def _cohen_pair(a: Any, b: Any, weights: Optional[str], labels: Optional[Sequence[Any]]) -> float:
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
    """The built-in emotion label set ``name``.

    Class codes are those of the corpora's own files: IEMOCAP's EmoEvaluation codes
    (``neu hap sad ang sur fea dis fru exc oth xxx``; ``iemocap4`` is the common 4-class
    setup with excited merged into happy), MSP-Podcast's ``A H S N U F D C O X``, RAVDESS's
    ``01``-``08`` (third field of the file name), CREMA-D's ``ANG DIS FEA HAP NEU SAD``,
    EmoDB's letters ``W L E A F T N`` (German initials: Wut, Langeweile, Ekel, Angst,
    Freude, Trauer, Neutral), MELD's words, GoEmotions' 28 names with the ids of its
    ``emotions.txt``. ``ekman7`` is Ekman's six basic emotions plus *neutral*, not
    contempt: that is the 7-class set emotion corpora and models actually use (MELD,
    FER-2013), and contempt has its own class only where a corpus labels it (MSP-Podcast).

    Parameters
    ----------
    name : str
        One of ``ekman6``, ``ekman7``, ``iemocap``, ``iemocap4``, ``msp_podcast``,
        ``ravdess``, ``crema_d``, ``emodb``, ``meld``, ``goemotions``; case-insensitive,
        ``-`` and spaces read as ``_`` (``"msp-podcast"`` works).

    Returns
    -------
    LabelSet
        ``name``, ``description``, and per class ``codes``, ``classes``, ``concepts``,
        ``numbers``.

    Examples
    --------
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

    A class maps to the target class of the same emotion; when the target has none, only
    two published coarsenings are applied: IEMOCAP's 4-class convention (excited -> happy)
    and the GoEmotions authors' mapping of its 27 emotions onto Ekman's six (Demszky et al.
    2020, ``ekman_mapping.json``; e.g. gratitude -> happiness, grief -> sadness). Anything
    else (frustration, calm, boredom or contempt into Ekman's classes, "other") has no
    target and ``unknown`` decides.

    Parameters
    ----------
    y : label or array-like or Series
        A label or a list / NumPy array / pandas Series of labels of ``source``: its codes
        (``"hap"``, ``"A"``, ``"03"``), class names (``"happiness"``), the usual adjectives
        (``"happy"``) or integer codes where the corpus numbers its classes (RAVDESS,
        GoEmotions); case does not matter. A label ``source`` does not have is an error.
        Missing values (``None``, NaN) stay missing.
    source, target : str
        Label set names, as :func:`label_set` takes them.
    unknown : {"nan", "error", "keep"}, default "nan"
        A label with no target class: ``"nan"`` gives a missing value (``None``, which
        pandas treats as missing), ``"error"`` raises a
        :class:`~affectkit.errors.ParameterError` naming the labels, ``"keep"`` keeps the
        source label as it was.
    output : {"name", "code"}, default "name"
        The target classes' names, or their codes.

    Returns
    -------
    label, list, ndarray or Series
        The same kind as ``y`` (a list for a list or tuple).

    References
    ----------
    Demszky, D. et al. (2020). GoEmotions: a dataset of fine-grained emotions. ACL,
    4040-4054.

    Examples
    --------
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

    The numbers are the published norms of Warriner, Kuperman and Brysbaert (2013): the
    mean ratings over all raters (columns ``V.Mean.Sum``, ``A.Mean.Sum``, ``D.Mean.Sum`` of
    their CSV) of the noun that names the class, on their 1-9 scale (1 = unhappy / calm /
    controlled, 9 = happy / excited / in control). For example happiness is (8.48, 6.50,
    7.05), anger (2.50, 5.93, 5.14), sadness (2.40, 2.81, 3.84), neutral (5.50, 3.45, 5.81);
    MELD's and GoEmotions' "joy" uses the lemma *joy* (8.21, 5.55, 7.00). GoEmotions'
    "caring" has no row of its own (the norms rate lemmas) and takes the row of its lemma
    *care* (7.64, 2.67, 6.56). These are ratings of the words, a convention for placing
    categories in the valence-arousal plane, not of any corpus's recordings.

    Parameters
    ----------
    y : label or array-like or Series
        Labels of the label set ``taxonomy``, as :func:`map_labels` takes them. Missing
        labels give NaN.
    taxonomy : str
        Label set name, as :func:`label_set` takes it.
    dominance : bool, default False
        Add the dominance column.
    scale : {"norms", "unit"}, default "norms"
        ``"norms"``: the 1-9 scale of the norms; ``"unit"``: ``(x - 5) / 4`` in [-1, 1].
    unknown : {"nan", "error"}, default "nan"
        The classes without norms, "other" and "no agreement" (IEMOCAP's oth/xxx,
        MSP-Podcast's O/X): NaN, or an error.

    Returns
    -------
    ndarray or DataFrame
        ``(n, 2)`` or ``(n, 3)`` floats (a 1-D row for one label); for a Series a DataFrame
        with ``valence``, ``arousal`` (``dominance``) columns and the input's index.

    References
    ----------
    Warriner, A. B., Kuperman, V. and Brysbaert, M. (2013). Norms of valence, arousal, and
    dominance for 13,915 English lemmas. Behavior Research Methods 45, 1191-1207.

    Examples
    --------
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
