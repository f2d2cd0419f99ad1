"""The result types of categorical label fusion."""

from __future__ import annotations

from typing import Any
import numpy as np

from ._table import _Table, _decode

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
