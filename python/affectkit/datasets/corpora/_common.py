"""What every corpus indexer shares: the corpus names and label sets, layout checks, table reading and the manifest builder."""

from __future__ import annotations

import csv
import io
import math
import os
import re
import warnings
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union
from ...errors import ParameterError, ReadError
from ..manifest import MANIFEST_COLUMNS, check_manifest


# Parameter entries every indexer shares, filled into their docstrings.
_PARAMS = {
    "root": """
        root : str or os.PathLike
            The folder of your local copy (not a folder: ``ParameterError`` naming ``root``).""",
    "strict": """
        strict : bool, default True
            A file that breaks the layout raises ``ParameterError`` naming it and the
            expected pattern; False skips such files with one warning (CLI
            ``--skip-mismatches``).""",
    "returns": """
        Returns
        -------
        pandas.DataFrame
            The manifest (:mod:`affectkit.datasets.manifest`): one row per recording, the core
            columns, then the corpus's own columns listed above.""",
}


CORPORA = ("ravdess", "crema-d", "emodb", "tess", "iemocap", "msp-podcast", "meld")


#: The ``ak.labels`` label set whose class names each corpus's ``label`` column uses.
CORPUS_LABEL_SETS = {"ravdess": "ravdess", "crema-d": "crema_d", "emodb": "emodb", "tess": "ekman7",
                     "iemocap": "iemocap", "msp-podcast": "msp_podcast", "meld": "meld"}


PathLike = Union[str, "os.PathLike[str]"]


_NAN = float("nan")


# --------------------------------------------------------------------------- shared helpers


def _code_to_class(corpus: str) -> Dict[str, str]:
    """The corpus's label codes (as its files write them) -> class names of its label set."""
    from ...labels.taxonomy import label_set

    s = label_set(CORPUS_LABEL_SETS[corpus])
    return dict(zip(s.codes, s.classes))


def _root(root: PathLike, corpus: str) -> Path:
    path = Path(root).expanduser()
    if not path.is_dir():
        raise ParameterError(f"root: {corpus} expects the corpus folder, but {str(root)!r} is not a folder")
    return path.resolve()


class _Layout:
    """Collects files that do not follow ``pattern``: raises on the first one when
    ``strict``, else skips them and warns once (count and first path) at the end."""

    def __init__(self, corpus: str, pattern: str, strict: bool) -> None:
        self.corpus, self.pattern, self.strict = corpus, pattern, strict
        self.skipped: List[str] = []

    def mismatch(self, path: Any, why: str = "") -> None:
        why = f" ({why})" if why else ""
        if self.strict:
            raise ParameterError(f"{self.corpus}: {path} does not match {self.pattern}{why}; "
                                 "pass strict=False (affectkit index: --skip-mismatches) to skip such files")
        self.skipped.append(f"{path}{why}")

    def finish(self, n_found: int, root: Path) -> None:
        if self.skipped:
            warnings.warn(f"{self.corpus}: skipped {len(self.skipped)} file(s) that do not match {self.pattern}, "
                          f"the first: {self.skipped[0]}", UserWarning, stacklevel=3)
        if n_found == 0:
            raise ParameterError(f"{self.corpus}: no files matched {self.pattern} under {root}")


def _start(corpus: str, root: PathLike, pattern: str, strict: bool) -> Tuple[Path, _Layout, Dict[str, str]]:
    """The checked corpus folder, a layout checker for ``pattern`` and the corpus's code -> class map."""
    return _root(root, corpus), _Layout(corpus, pattern, strict), _code_to_class(corpus)


def _read_table(path: Path, required: Sequence[str]) -> List[Tuple[int, Dict[str, str]]]:
    """Rows of a CSV annotation file as ``(line number, {column: text})``.

    Checks the header has ``required`` and that every row has as many fields as the
    header; anything else raises :class:`ReadError` naming the file and line. Files are
    UTF-8 (a BOM is fine); a file that is not falls back to Windows-1252, the encoding
    such spreadsheets are usually saved in.
    """
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ReadError(f"{path}: cannot read: {e}") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: List[Tuple[int, Dict[str, str]]] = []
    try:
        header = [h.strip() for h in next(reader, [])]
        if not header:
            raise ReadError(f"{path}: empty file; expected a header with {list(required)}")
        missing = [c for c in required if c not in header]
        if missing:
            raise ReadError(f"{path}, line 1: lacks column(s) {missing}; the header has {header}")
        for fields in reader:
            if len(fields) <= 1 and not "".join(fields).strip():  # blank line
                continue
            if len(fields) != len(header):
                raise ReadError(f"{path}, line {reader.line_num}: {len(fields)} field(s), the header has {len(header)}")
            rows.append((reader.line_num, dict(zip(header, fields))))
    except csv.Error as e:
        raise ReadError(f"{path}, line {reader.line_num}: {e}") from e
    return rows


def _number(text: str, path: Path, line: int, column: str) -> float:
    """A numeric cell; empty (or NA/NaN) is NaN, anything else unparsable a ReadError."""
    t = text.strip()
    if t == "" or t.lower() in ("na", "nan", "n/a"):
        return _NAN
    try:
        return float(t)
    except ValueError:
        raise ReadError(f"{path}, line {line}: column {column!r} holds {text!r}, not a number") from None


def _find_file(root: Path, name: str, subdirs: Sequence[str] = ()) -> Optional[Path]:
    """``root/<subdir>/name`` for the first subdir that has it, else the shallowest match below root."""
    for sub in ("",) + tuple(subdirs):
        p = root / sub / name
        if p.is_file():
            return p
    found = sorted(root.rglob(name), key=lambda p: (len(p.parts), str(p)))
    return found[0] if found else None


def _manifest(corpus: str, rows: List[Dict[str, Any]], extra: Sequence[str]) -> Any:
    import pandas as pd

    seen: Dict[str, str] = {}
    for row in rows:
        # some redistributed archives hold the corpus twice (e.g. a nested copy of TESS)
        first = seen.setdefault(row["item"], row["path"])
        if first != row["path"]:
            raise ParameterError(f"{corpus}: item {row['item']!r} found twice, {first} and {row['path']}; "
                                 "point root at one copy of the corpus")
    columns = list(MANIFEST_COLUMNS) + list(extra)
    df = pd.DataFrame(rows, columns=columns)
    # pandas turns None into NaN when it builds the frame; text columns keep None for "missing"
    # (the contract's label/split, and gender, vote_label, ...), numeric ones keep NaN
    for c in df.columns:
        textual = df[c].dtype == object or pd.api.types.is_string_dtype(df[c])
        if (textual or c in ("label", "split")) and df[c].isna().any():
            df[c] = pd.Series([None if isinstance(v, float) and math.isnan(v) else v for v in df[c]],
                              index=df.index, dtype=object)
    return check_manifest(df.reset_index(drop=True), name=f"{corpus} manifest")


def _number_turns(rows: List[Dict[str, Any]], order_by: str) -> None:
    """Set each row's ``turn``: its 0-based position within its ``dialogue``, ordered by
    ``order_by`` (ties by item id)."""
    groups: Dict[Any, List[Dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["dialogue"], []).append(row)
    for members in groups.values():
        for k, row in enumerate(sorted(members, key=lambda r: (r[order_by], r["item"]))):
            row["turn"] = k


def _stem(name: str) -> str:
    """File name without folder and extension (str ops: Path() is slow over 10^5 rows)."""
    base = name.strip().replace("\\", "/").rpartition("/")[2]
    stem, dot, _ = base.rpartition(".")
    return stem if dot else base


def _coded_files(base: Path, folder: str, layout: _Layout, name_re: re.Pattern,
                 valid: Callable[[re.Match], bool]) -> Iterable[Tuple[Path, re.Match]]:
    """``(path, match)`` for the files of the flat folder ``base/folder`` whose names match
    ``name_re`` and pass ``valid``; the others go to ``layout.mismatch``."""
    directory = base / folder
    if not directory.is_dir():
        raise ParameterError(f"{layout.corpus}: {directory} is not a folder; expected root/{layout.pattern}")
    for path in sorted(p for p in directory.iterdir() if not p.name.startswith(".")):
        m = name_re.fullmatch(path.name)
        if m is None or not valid(m):
            layout.mismatch(path)
            continue
        yield path, m


def _files_under(root: Path, folder: re.Pattern) -> Iterable[Path]:
    """Every file whose parent folder's name matches ``folder``, sorted by path."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        if folder.fullmatch(os.path.basename(dirpath)):
            out.extend(Path(dirpath) / f for f in filenames if not f.startswith("."))
    return sorted(out)
