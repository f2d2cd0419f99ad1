"""MSP-Podcast (Lotfian and Busso 2019): consensus labels, splits and the detailed per-annotator answers."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple
from ..._util.docstrings import _with_keywords
from ...errors import ParameterError, ReadError

from ._common import PathLike, _PARAMS, _find_file, _manifest, _number, _read_table, _start, _stem

# --------------------------------------------------------------------------- MSP-Podcast

_MSP_SPLITS = {"train": "train", "development": "dev", "validation": "dev", "test1": "test", "test2": "test",
               "test3": "test", "test": "test"}


# labels_detailed primary-emotion words -> msp_podcast class names ("Other-..." -> other)
_MSP_WORDS = {"angry": "anger", "anger": "anger", "happy": "happiness", "happiness": "happiness", "sad": "sadness",
              "sadness": "sadness", "neutral": "neutral", "surprise": "surprise", "surprised": "surprise",
              "fear": "fear", "disgust": "disgust", "contempt": "contempt", "other": "other"}


_MSP_DIMENSION = re.compile(r"\b([AVD]):\s*([^;]*);")


def _msp_answer(text: str, classes: Dict[str, str]) -> Optional[str]:
    t = text.strip()
    if t in classes:  # a one-letter code
        return classes[t]
    low = t.lower()
    return "other" if low.startswith("other") else _MSP_WORDS.get(low)


def _msp_detailed(path: Path, classes: Dict[str, str], with_dimensions: bool = False
                  ) -> Tuple[Dict[str, Dict[str, str]], List[Tuple[str, str, float, float, float]]]:
    """FileName -> {worker: class name} from labels_detailed.csv, in either release format:
    columns ``FileName, WorkerID|Workers, EmoClass_Major, ..., EmoAct, EmoVal, EmoDom``
    (v1.6-style) or ``FileName, EmoDetail`` with cells
    ``WORKER00014; Angry; Annoyed,Frustrated; A:4.0; V:2.0; D:5.0;``; with
    ``with_dimensions`` also the (item, worker, valence, arousal, dominance) ratings."""
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        header = [h.strip() for h in next(csv.reader(f), [])]
    worker_col = next((c for c in ("WorkerID", "Workers", "Worker") if c in header), None)
    out: Dict[str, Dict[str, str]] = {}
    if worker_col is not None:
        dims_cols = ("EmoVal", "EmoAct", "EmoDom") if with_dimensions else ()
        table = _read_table(path, ("FileName", worker_col, "EmoClass_Major") + dims_cols)

        def dimensions(n: int, r: Dict[str, str]) -> Tuple[float, ...]:
            return tuple(_number(r[c], path, n, c) for c in dims_cols)

        cells = ((n, r["FileName"], r[worker_col].strip(), r["EmoClass_Major"], r) for n, r in table)
    else:
        detail_col = "EmoDetail" if "EmoDetail" in header else (header[1] if len(header) == 2 else "EmoDetail")
        table = _read_table(path, ("FileName", detail_col))

        def split_detail(n: int, cell: str) -> Tuple[str, str]:
            parts = cell.split(";", 2)
            if len(parts) < 2 or not parts[0].strip():
                raise ReadError(f"{path}, line {n}: expected 'WORKER; Emotion; ...; A:x; V:x; D:x;', got {cell!r}")
            return parts[0].strip(), parts[1].strip()

        def dimensions(n: int, r: Dict[str, str]) -> Tuple[float, ...]:
            found = dict(_MSP_DIMENSION.findall(r[detail_col]))
            if set(found) != {"A", "V", "D"}:
                raise ReadError(f"{path}, line {n}: expected 'A:x; V:x; D:x;' in {r[detail_col]!r}")
            return tuple(_number(found[k], path, n, k) for k in "VAD")

        cells = ((n, r["FileName"], *split_detail(n, r[detail_col]), r) for n, r in table)
    ratings: List[Tuple[str, str, float, float, float]] = []
    for n, name, worker, answer, r in cells:
        label = _msp_answer(answer, classes)
        if label is None:
            raise ReadError(f"{path}, line {n}: primary emotion {answer!r} is none of "
                            f"{sorted(set(_MSP_WORDS))} or a code of {sorted(classes)}")
        item = _stem(name)
        out.setdefault(item, {})[worker] = label
        if with_dimensions:
            ratings.append((item, worker, *dimensions(n, r)))
    return out, ratings


@_with_keywords(_PARAMS)
def index_msp_podcast(root: PathLike, *, strict: bool = True) -> Any:
    """Index MSP-Podcast (Lotfian and Busso 2019, doi:10.1109/TAFFC.2017.2736999).

    Layout of the release::

        root/Audios/<FileName>.wav                 e.g. MSP-PODCAST_0001_0008.wav
        root/Labels/labels_consensus.csv           FileName, EmoClass, EmoAct, EmoVal, EmoDom,
                                                   SpkrID, Gender, Split_Set
        root/Labels/labels_detailed.csv            per worker (optional)

    - ``label``: ``EmoClass`` (``A H S N U F D C``) as the ``msp_podcast`` set's class
      name; ``X`` (no agreement) and ``O`` (other) give ``None``; the code stays in
      ``emotion_code``.
    - ``split``: ``Split_Set`` Train -> train, Development -> dev, Test1/Test2/Test3 ->
      test; the original value stays in ``split_set``.
    - ``arousal``, ``valence``, ``dominance``: EmoAct, EmoVal, EmoDom (1-7 scale; each
      worker's own ratings: :func:`dimensional_ratings`).
    - ``speaker``: ``SpkrID`` (``"Unknown"`` as the file writes it), ``gender``.
    - ``annotations`` (when labels_detailed.csv is present): worker id -> class name of
      the worker's primary emotion (``Other-...`` free text -> ``"other"``). Both
      formats are read: ``FileName, WorkerID, EmoClass_Major, ...`` columns or the
      ``FileName, EmoDetail`` cells ``WORKER00014; Angry; Annoyed; A:4.0; V:2.0; D:5.0;``.

    A consensus row whose wav is missing from ``Audios/`` is a layout error
    (``strict=False`` skips it); wavs without a label are ignored.

    Parameters
    ----------
    {{root}}
    {{strict}}

    {{returns}}
    """
    pattern = "Audios/<FileName> listed in Labels/labels_consensus.csv"
    base, layout, classes = _start("msp-podcast", root, pattern, strict)
    consensus = _find_file(base, "labels_consensus.csv", ["Labels"])
    if consensus is None:
        raise ParameterError(f"msp-podcast: no Labels/labels_consensus.csv under {base}")
    audio_dir = base / "Audios"
    if not audio_dir.is_dir():
        raise ParameterError(f"msp-podcast: {audio_dir} is not a folder; expected root/Audios/*.wav")
    present = set(os.listdir(audio_dir))
    audio_str = str(audio_dir)
    detailed_path = _find_file(base, "labels_detailed.csv", ["Labels"])
    detailed = _msp_detailed(detailed_path, classes)[0] if detailed_path is not None else None
    rows = []
    required = ("FileName", "EmoClass", "EmoAct", "EmoVal", "EmoDom", "SpkrID", "Gender", "Split_Set")
    for line, r in _read_table(consensus, required):
        name = r["FileName"].strip()
        code = r["EmoClass"].strip()
        if code not in classes:
            raise ReadError(f"{consensus}, line {line}: EmoClass {code!r} is none of {sorted(classes)}")
        split = _MSP_SPLITS.get(r["Split_Set"].strip().lower())
        if split is None:
            raise ReadError(f"{consensus}, line {line}: Split_Set {r['Split_Set']!r} is none of "
                            "Train, Development, Test1, Test2, Test3")
        if name not in present:
            layout.mismatch(audio_dir / name, "listed in labels_consensus.csv, missing from Audios/")
            continue
        gender = r["Gender"].strip().lower()
        row = {"corpus": "msp-podcast", "item": _stem(name), "path": os.path.join(audio_str, name),
               "speaker": r["SpkrID"].strip(), "label": None if code in ("X", "O") else classes[code],
               "split": split, "gender": gender if gender in ("female", "male") else None,
               "valence": _number(r["EmoVal"], consensus, line, "EmoVal"),
               "arousal": _number(r["EmoAct"], consensus, line, "EmoAct"),
               "dominance": _number(r["EmoDom"], consensus, line, "EmoDom"),
               "emotion_code": code, "split_set": r["Split_Set"].strip()}
        if detailed is not None:
            row["annotations"] = detailed.get(row["item"])
        rows.append(row)
    layout.finish(len(rows), base)
    extra = ["gender", "valence", "arousal", "dominance", "emotion_code", "split_set"]
    return _manifest("msp-podcast", rows, extra + (["annotations"] if detailed is not None else []))
