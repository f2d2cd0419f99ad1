"""Agreement between annotators: Krippendorff's alpha, Fleiss' and Cohen's kappa, label entropy, per-annotator agreement."""

from __future__ import annotations

from typing import Any, Optional, Sequence
import numpy as np
from .. import _core
from ..errors import InputTypeError, ParameterError

from ._table import _DEFAULT_COLUMNS, _Table, _as_1d, _decode, _encode_to, _is_missing, _long_form, _unique
from .continuous import RatingsMatrix, _as_numbers, _check_repeats, _plain
from .results import LabelResult

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
            _, p = _core.labels.majority(t.args, "first", 0, None, None)
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
    >>> import affectkit as ak
    >>> ak.labels.annotator_agreement([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1]).agreement
    array([1., 1., 0.])
    >>> c = ak.labels.dawid_skene([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1])
    >>> ak.labels.annotator_agreement([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1],
    ...                               consensus=c).n_scored
    array([2, 2, 2])
    """
    if isinstance(consensus, LabelResult):
        if classes is None:
            classes = consensus.classes
        ok = consensus.label_codes >= 0
        consensus = dict(zip(consensus.items[ok].tolist(), consensus.labels[ok].tolist()))
    t = _Table(items, annotators, labels, classes=classes, columns=columns)
    if consensus is None:
        codes, _ = _core.labels.majority(t.args, "nan", 0, None, None)
    else:
        codes = t.per_item_codes(consensus, "consensus")
    frac, n = _core.labels.annotator_agreement(t.args, codes)
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
    return _core.labels.krippendorff_alpha(m, level, dom)


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
    return _core.labels.krippendorff_alpha(np.ascontiguousarray(a), level, dom)


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
        return _core.labels.fleiss_kappa(t, randolph)
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
    return _core.labels.fleiss_kappa(np.ascontiguousarray(counts, dtype=np.float64), randolph)


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
    return _core.labels.cohen_kappa(cx, cy, len(classes), weights)
