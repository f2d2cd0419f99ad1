"""Fold files in EmoBox's layout: ``<folder>/fold_<k>/<corpus>_<side>_fold_<k>.jsonl``, one
JSON object per line (``key``, ``dataset``, ``wav``, ``task``, ``emo``), read as the
``fold-file`` protocol of :func:`affectkit.evaluation.splits` takes them and written from
any :class:`~affectkit.evaluation.Folds` so other tools can reuse affectkit's splits
(Ma et al. 2024, EmoBox).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Union

from ..errors import InputTypeError, ParameterError, ReadError
from ._common import _missing

__all__ = ["read_fold_files", "write_fold_files"]


_EMOBOX_NAME = re.compile(r"(?P<corpus>.+?)_(?P<side>train|test|valid|dev)_fold_?(?P<k>\d+)\.jsonl$")


def read_fold_files(source: Any) -> Dict[str, Dict[str, List[str]]]:
    """Read fold lists as EmoBox publishes them (Ma et al. 2024, EmoBox, INTERSPEECH).

    The layout: ``<folder>/fold_<k>/<corpus>_<side>_fold_<k>.jsonl`` with ``side`` one
    of ``train``, ``valid`` (or ``dev``) and ``test``; each line a JSON object whose
    ``key`` names the item (``"iemocap-Ses01F_impro04_F000"``: the corpus prefix is
    optional when matching a manifest's ``item``) and whose ``wav`` gives its path.

    Parameters
    ----------
    source : str, os.PathLike or sequence of them
        The folder (searched recursively) or the JSONL files.

    Returns
    -------
    dict
        ``{"fold<k>": {"train": [keys], "test": [keys], "valid": [keys]}}`` (``valid``
        only where given), folds in numeric order; :func:`splits` takes it as
        ``folds=``.

    Raises
    ------
    affectkit.errors.ReadError
        A line that is not a JSON object with ``key`` (file and line named).
    affectkit.errors.ParameterError
        No file matches the layout, or a fold lacks its train or test list.

    Examples
    --------
    >>> folds = ak.evaluation.read_fold_files("EmoBox/data/iemocap")   # doctest: +SKIP
    """
    paths: "list[Path]" = []
    if isinstance(source, (str, Path)):
        root = Path(source)
        if root.is_dir():
            paths = sorted(root.rglob("*.jsonl"))
        elif root.is_file():
            paths = [root]
        else:
            raise ParameterError(f"source: {root} is neither a folder nor a file")
    elif isinstance(source, (list, tuple)):
        paths = [Path(p) for p in source]
    else:
        raise InputTypeError(f"source: expected a folder, a file or a list of files, got {type(source).__name__}")
    out: Dict[str, Dict[str, List[str]]] = {}
    for p in paths:
        m = _EMOBOX_NAME.search(p.name)
        if m is None:
            continue
        side = "valid" if m["side"] == "dev" else m["side"]
        keys = []
        try:
            lines = p.read_text(encoding="utf-8").splitlines()
        except OSError as e:
            raise ReadError(f"{p}: cannot read: {e}") from e
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise ReadError(f"{p}, line {n}: not JSON: {e}") from e
            if not isinstance(obj, dict) or "key" not in obj:
                raise ReadError(f"{p}, line {n}: expected a JSON object with a 'key', got {line[:60]!r}")
            keys.append(str(obj["key"]))
        out.setdefault(f"fold{int(m['k'])}", {})[side] = keys
    if not out:
        raise ParameterError(f"source: no file named <corpus>_<train|test|valid>_fold_<k>.jsonl in {source}")
    for name, sides in out.items():
        for s in ("train", "test"):
            if s not in sides:
                raise ParameterError(f"source: fold {name!r} has no {s} list")
    return dict(sorted(out.items(), key=lambda kv: int(kv[0][4:])))


def write_fold_files(folds: Any, manifest: Any, folder: Union[str, Path], *, corpus: Optional[str] = None) -> Path:
    """Write folds in EmoBox's layout (:func:`read_fold_files` reads them back), so other
    toolkits evaluate on the very same items.

    Parameters
    ----------
    folds : Folds
        From :func:`splits` on ``manifest``.
    manifest : pandas.DataFrame
        The manifest the folds index (for several: :func:`combine` of them).
    folder : str or os.PathLike
        Created if missing.
    corpus : str or None, default None
        The file-name prefix (default: the manifest's corpus, or ``"corpus"``).

    Returns
    -------
    pathlib.Path
        ``folder``.

    Examples
    --------
    >>> ak.evaluation.write_fold_files(folds, man, "folds/")   # doctest: +SKIP
    """
    folder = Path(folder)
    if corpus is None:
        names = sorted(set(manifest["corpus"].astype(str))) if "corpus" in manifest.columns else []
        corpus = names[0] if len(names) == 1 else "corpus"
    items = manifest["item"].astype(str).to_numpy()
    paths = manifest["path"].astype(str).to_numpy() if "path" in manifest.columns else items
    labels = manifest[folds.label].to_numpy(dtype=object)
    for k, f in enumerate(folds, start=1):
        d = folder / f"fold_{k}"
        d.mkdir(parents=True, exist_ok=True)
        for side, rows in (("train", f.train), ("valid", f.valid), ("test", f.test)):
            if side == "valid" and len(rows) == 0:
                continue
            with open(d / f"{corpus}_{side}_fold_{k}.jsonl", "w", encoding="utf-8") as fh:
                for r in rows:
                    fh.write(json.dumps({"key": items[r], "dataset": corpus, "wav": paths[r], "task": "category",
                                         "emo": None if _missing(labels[r]) else str(labels[r])}) + "\n")
    return folder
