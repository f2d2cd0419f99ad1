"""Emotion label sets of the corpora, mappings between them, and category valence/arousal/dominance (Warriner et al. 2013)."""

from __future__ import annotations

from typing import Any, Sequence
import numpy as np
from .. import _core
from ..errors import InputTypeError, ParameterError


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
LABEL_SETS: "dict[str, LabelSet]" = {name: LabelSet(name, d, rows) for name, d, rows in _core.labels.label_sets()}


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
    idx = np.asarray(_core.labels.map_labels(lab.unique, src.name, tgt.name), dtype=np.int64)
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
    per_unique = _core.labels.valence_arousal(lab.unique, tax.name).reshape(len(lab.unique), 3)
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
