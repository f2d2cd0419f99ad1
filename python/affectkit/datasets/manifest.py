"""Manifests: one table describing a corpus, shared by the indexers, the feature
extractors, the PyTorch dataset, the Dask runner and the command line.

A manifest is a pandas DataFrame with one row per recording and the core columns
:data:`MANIFEST_COLUMNS`, in this order:

``corpus``
    corpus name (``"ravdess"``, ``"iemocap"``, ``"synthetic"``, ...);
``item``
    unique id of the recording within the manifest;
``path``
    absolute path of the audio file (``""`` for items held in memory);
``speaker``
    speaker id (string), for speaker-independent splits;
``label``
    the category in the corpus's own label set, spelled as
    ``ak.labels.label_set(corpus)`` spells it; ``None`` where the corpus gives no label
    (no consensus, unlabelled);
``split``
    ``"train"``, ``"dev"`` or ``"test"`` where the corpus defines an official split, else
    ``None``.

Optional columns: ``gender``, ``valence``, ``arousal``, ``dominance`` (NaN where
missing), ``text``, ``start``/``end`` (seconds), ``dialogue`` and ``turn`` (the
conversation an utterance belongs to and its 0-based position in it, read by
:func:`affectkit.dialogues.from_manifest`) and ``annotations``: per row a dict
``{annotator id: label}`` holding every annotator's answer, which :func:`annotations`
turns into the long ``task, worker, label`` table that every :mod:`affectkit.labels`
method takes. ``start``/``end`` are information only: the position of the item inside
its dialogue (IEMOCAP, MELD), whose ``path`` is already the cut clip; nothing reads them.

Segments of long files: ``segment_start``/``segment_end`` (seconds into the file at
``path``; :data:`SEGMENT_COLUMNS`), both or neither, make every featurizer
(``ak.features.extract``, ``affectkit extract``, ``ak.torch.FeatureDataset``,
``ak.distributed.extract``) read and featurize only ``[segment_start, segment_end)`` of
the file; NaN in both cells of a row means the whole file. :func:`check_manifest`
requires ``0 <= segment_start < segment_end``; an end beyond the file is an error naming
the item and ``segment_end`` when the item is read.

>>> import affectkit as ak, pandas as pd
>>> man = pd.DataFrame({"corpus": ["demo"] * 2, "item": ["a", "b"], "path": ["", ""],
...                     "speaker": ["s1", "s2"], "label": ["happy", None], "split": [None, None],
...                     "annotations": [{"r1": "happy", "r2": "sad"}, {"r1": "sad"}]})
>>> ak.datasets.annotations(man)
  task worker  label
0    a     r1  happy
1    a     r2    sad
2    b     r1    sad
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Union
from ..errors import InputTypeError, ParameterError, ReadError


MANIFEST_COLUMNS = ("corpus", "item", "path", "speaker", "label", "split")


#: The optional columns that select part of the file at ``path``: seconds into the file.
SEGMENT_COLUMNS = ("segment_start", "segment_end")


_SPLITS = {"train", "dev", "test"}


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _is_turn(v: Any) -> bool:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return False
    return math.isfinite(f) and f == int(f) and f >= 0


def check_manifest(manifest: Any, *, name: str = "manifest") -> Any:
    """Check that ``manifest`` is a DataFrame with the core columns, unique non-empty
    item ids, known split names and, when present, valid segments (:data:`SEGMENT_COLUMNS`:
    both columns or neither; per row both numbers with ``0 <= segment_start <
    segment_end``, or both missing for the whole file).

    Parameters
    ----------
    manifest : pandas.DataFrame
        The table to check.
    name : str, default "manifest"
        What the error messages call it (e.g. the file it came from).

    Returns
    -------
    pandas.DataFrame
        ``manifest``, unchanged.

    Raises
    ------
    affectkit.errors.InputTypeError
        For a non-DataFrame.
    affectkit.errors.ParameterError
        Naming ``name`` and the first offending column or row otherwise.

    Examples
    --------
    >>> import affectkit as ak
    >>> ak.datasets.check_manifest(ak.datasets.make_acted_corpus(10, n_speakers=2).manifest).shape
    (10, 8)
    """
    import pandas as pd

    if not isinstance(manifest, pd.DataFrame):
        raise InputTypeError(f"{name}: expected a pandas DataFrame, got {type(manifest).__name__}")
    missing = [c for c in MANIFEST_COLUMNS if c not in manifest.columns]
    if missing:
        raise ParameterError(f"{name}: lacks the core column(s) {missing}; a manifest needs {list(MANIFEST_COLUMNS)}")
    items = manifest["item"]
    bad = items.map(lambda v: _is_missing(v) or str(v) == "")
    if bad.any():
        raise ParameterError(f"{name}: row {int(bad.to_numpy().argmax())} has an empty item id")
    dup = items.duplicated()
    if dup.any():
        raise ParameterError(f"{name}: item id {items[dup].iloc[0]!r} occurs more than once")
    if "turn" in manifest.columns and "dialogue" not in manifest.columns:
        raise ParameterError(f"{name}: has a 'turn' column but no 'dialogue' column (turn is the order within a "
                             f"dialogue)")
    if "turn" in manifest.columns:
        turn = manifest["turn"]
        bad = turn.map(lambda v: not pd.isna(v) and not _is_turn(v))
        if bad.any():
            row = int(bad.to_numpy().argmax())
            v = turn.iloc[row]
            raise ParameterError(f"{name}: row {row} (item {items.iloc[row]!r}) has turn "
                                 f"{v.item() if hasattr(v, 'item') else v!r}; expected an integer >= 0")
    split = manifest["split"]
    unknown = split.map(lambda v: not _is_missing(v) and v not in _SPLITS)
    if unknown.any():
        row = int(unknown.to_numpy().argmax())
        raise ParameterError(f"{name}: row {row} has split {split.iloc[row]!r}; expected train, dev, test or empty")
    segments(manifest, name=name)
    return manifest


def _seconds_cell(v: Any) -> float:
    if isinstance(v, bool):
        raise TypeError
    return float(v)


def segments(manifest: Any, *, name: str = "manifest") -> "list[tuple[float, float] | None]":
    """Each row's segment of its file, ``(segment_start, segment_end)`` in seconds, or None
    for the whole file (no segment columns, or both cells missing).

    Parameters
    ----------
    manifest : pandas.DataFrame
        A manifest (the core columns are not checked here).
    name : str, default "manifest"
        What the error messages call it.

    Returns
    -------
    list of (float, float) or None
        One entry per row, in order.

    Raises
    ------
    affectkit.errors.ParameterError
        Naming ``name``, the item and the column: one segment column without the other, a
        cell that is not a number, one cell of a row missing, ``segment_start < 0`` or
        ``segment_start >= segment_end``.

    Examples
    --------
    >>> import pandas as pd, affectkit as ak
    >>> man = pd.DataFrame({"corpus": ["c"] * 2, "item": ["a", "b"], "path": ["long.wav"] * 2,
    ...                     "speaker": ["s"] * 2, "label": [None] * 2, "split": [None] * 2,
    ...                     "segment_start": [0.0, float("nan")], "segment_end": [2.5, float("nan")]})
    >>> ak.datasets.segments(man)
    [(0.0, 2.5), None]
    """
    present = [c for c in SEGMENT_COLUMNS if c in manifest.columns]
    if not present:
        return [None] * len(manifest)
    if len(present) == 1:
        other = [c for c in SEGMENT_COLUMNS if c not in present][0]
        raise ParameterError(f"{name}: has a {present[0]!r} column but no {other!r}; give both segment columns or "
                             f"neither")
    out: "list[tuple[float, float] | None]" = []
    for item, a, b in zip(manifest["item"], manifest["segment_start"], manifest["segment_end"]):
        cells = []
        for col, v in (("segment_start", a), ("segment_end", b)):
            try:
                x = math.nan if v is None else _seconds_cell(v)
            except (TypeError, ValueError):
                raise ParameterError(f"{name}: item {item!r}: {col} must be a number of seconds, got {v!r}") from None
            if math.isinf(x):
                raise ParameterError(f"{name}: item {item!r}: {col} must be finite, got {v!r}")
            cells.append(x)
        start, end = cells
        if math.isnan(start) and math.isnan(end):
            out.append(None)
            continue
        if math.isnan(start) or math.isnan(end):
            col = "segment_start" if math.isnan(start) else "segment_end"
            raise ParameterError(f"{name}: item {item!r}: {col} is missing while the other segment column is set; "
                                 f"give both (seconds) or neither (the whole file)")
        if start < 0:
            raise ParameterError(f"{name}: item {item!r}: segment_start must be >= 0 seconds, got {start!r}")
        if not start < end:
            raise ParameterError(f"{name}: item {item!r}: segment_end ({end!r} s) must be after segment_start "
                                 f"({start!r} s)")
        out.append((start, end))
    return out


def write_manifest(manifest: Any, path: Union[str, Path]) -> Path:
    """Write a manifest as CSV (``annotations`` as one JSON object per row).

    Parameters
    ----------
    manifest : pandas.DataFrame
        A manifest (checked with :func:`check_manifest`).
    path : str or pathlib.Path
        The CSV file to write.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> ak.datasets.write_manifest(man, "manifest.csv")   # doctest: +SKIP
    """
    check_manifest(manifest)
    df = manifest.copy()
    if "annotations" in df.columns:
        df["annotations"] = df["annotations"].map(lambda d: "" if _is_missing(d) else json.dumps(d, ensure_ascii=False))
    path = Path(path)
    df.to_csv(path, index=False)
    return path


def read_manifest(path: Union[str, Path]) -> Any:
    """Read a manifest written by :func:`write_manifest` (or any CSV with the core columns).

    Ids (``item``, ``speaker``, ``dialogue``) stay strings; empty ``label``/``split`` cells become ``None``; a malformed
    ``annotations`` cell raises :class:`~affectkit.errors.ReadError` naming the file
    and line.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file.

    Returns
    -------
    pandas.DataFrame
        The manifest, checked with :func:`check_manifest`.

    Examples
    --------
    >>> man = ak.datasets.read_manifest("manifest.csv")   # doctest: +SKIP
    """
    import pandas as pd

    path = Path(path)
    try:
        # only empty cells are missing: "NA" or "None" may be a real id or label
        df = pd.read_csv(path, dtype={c: "string" for c in MANIFEST_COLUMNS + ("annotations", "dialogue")},
                         keep_default_na=False, na_values=[""])
    except FileNotFoundError as e:
        raise ReadError(f"{path}: no such manifest file") from e
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as e:
        raise ReadError(f"{path}: cannot parse as CSV: {e}") from e
    for c in MANIFEST_COLUMNS + ("annotations", "dialogue"):
        if c in df.columns:
            empty = "" if c == "path" else None
            df[c] = pd.Series([empty if pd.isna(v) else str(v) for v in df[c]], index=df.index, dtype=object)
    if "annotations" in df.columns:
        parsed = []
        for i, cell in enumerate(df["annotations"]):
            if cell is None:
                parsed.append(None)
                continue
            try:
                d = json.loads(cell)
            except json.JSONDecodeError as e:
                # line 1 is the header; a cell never spans lines (json.dumps escapes newlines)
                raise ReadError(f"{path}, line {i + 2}: annotations cell is not JSON: {e}") from e
            if not isinstance(d, dict):
                raise ReadError(f"{path}, line {i + 2}: annotations cell must be a JSON object")
            parsed.append(d)
        df["annotations"] = pd.Series(parsed, index=df.index, dtype=object)
    return check_manifest(df, name=str(path))


def annotations(manifest: Any) -> Any:
    """The manifest's per-annotator answers as a long ``task, worker, label`` DataFrame
    (crowd-kit's layout), ready for :mod:`affectkit.labels`.

    Items without answers contribute no rows; an annotator's ``None`` answer is skipped.

    Parameters
    ----------
    manifest : pandas.DataFrame
        A manifest with an ``annotations`` column (per row a dict annotator -> label).

    Returns
    -------
    pandas.DataFrame
        Columns ``task``, ``worker``, ``label``.

    Examples
    --------
    >>> r = ak.labels.dawid_skene(ak.datasets.annotations(man))   # doctest: +SKIP
    """
    import pandas as pd

    check_manifest(manifest)
    if "annotations" not in manifest.columns:
        raise ParameterError("manifest: has no 'annotations' column (this corpus ships no per-annotator labels)")
    rows = []
    for item, ann in zip(manifest["item"], manifest["annotations"]):
        if _is_missing(ann):
            continue
        if not isinstance(ann, dict):
            raise ParameterError(f"manifest: annotations of item {item!r} must be a dict annotator -> label")
        rows.extend((item, str(w), lab) for w, lab in ann.items() if not _is_missing(lab))
    return pd.DataFrame(rows, columns=["task", "worker", "label"])
