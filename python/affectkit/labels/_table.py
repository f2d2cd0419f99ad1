"""Encoding of long-form annotations (items, annotators, labels) into the integer table every fusion method and agreement measure reads."""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence
import numpy as np
from ..errors import InputTypeError, ParameterError

from .taxonomy import _missing_value

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
        argument of every ``_core.labels.*`` fusion function."""
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
