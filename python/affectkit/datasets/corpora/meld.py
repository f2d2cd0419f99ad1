"""MELD (Poria et al. 2019): the Friends utterances of the train/dev/test CSVs."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any, List, Optional
from ..._util.docstrings import _with_keywords
from ...errors import ParameterError, ReadError

from ._common import PathLike, _PARAMS, _code_to_class, _find_file, _manifest, _number_turns, _read_table, _root

# --------------------------------------------------------------------------- MELD

_MELD_SPLITS = (("train", "train_sent_emo.csv", "train_splits"), ("dev", "dev_sent_emo.csv", "dev_splits_complete"),
                ("test", "test_sent_emo.csv", "output_repeated_splits_test"))


_MELD_TIME = re.compile(r"(\d+):(\d\d):(\d\d)[,.](\d+)")


def _meld_seconds(text: str, path: Path, line: int, column: str) -> float:
    m = _MELD_TIME.fullmatch(text.strip())
    if m is None:
        raise ReadError(f"{path}, line {line}: {column} {text!r} is not HH:MM:SS,mmm")
    h, mi, s, frac = m.groups()
    return int(h) * 3600 + int(mi) * 60 + int(s) + int(frac) / 10 ** len(frac)


def _find_dir(root: Path, name: str) -> Optional[Path]:
    found = sorted((p for p in root.rglob(name) if p.is_dir()), key=lambda p: (len(p.parts), str(p)))
    return found[0] if found else None


@_with_keywords(_PARAMS)
def index_meld(root: PathLike, *, strict: bool = True) -> Any:
    """Index MELD (Poria et al. 2019, ACL, doi:10.18653/v1/P19-1050).

    Layout of ``MELD.Raw`` (the CSVs and media folders may sit anywhere below ``root``)::

        train_sent_emo.csv, dev_sent_emo.csv, test_sent_emo.csv
            Sr No., Utterance, Speaker, Emotion, Sentiment, Dialogue_ID, Utterance_ID,
            Season, Episode, StartTime, EndTime
        train_splits/diaX_uttY.mp4, dev_splits_complete/diaX_uttY.mp4,
        output_repeated_splits_test/diaX_uttY.mp4

    ``item`` is ``<split>_diaX_uttY``, ``split`` the CSV's, ``label`` the Emotion word
    (``meld`` set), ``speaker`` the character, ``text`` the utterance, ``start``/``end``
    the position in the episode (seconds). ``dialogue`` is ``<split>_diaX`` (MELD numbers
    dialogues per split), ``turn`` the 0-based order of its utterances by Utterance_ID,
    ``utterance`` the Utterance_ID itself. ``path`` is the clip (an .mp4, which
    :func:`affectkit.load` reads directly: its AAC audio track); where a media folder or clip is missing
    (the release lacks a few, e.g. dev dia110_utt7) ``path`` is ``""`` and one warning
    counts them, so a text-only copy still indexes. No per-annotator labels (MELD
    publishes the majority only).

    Parameters
    ----------
    {{root}}
    {{strict}}

    {{returns}}
    """
    base = _root(root, "meld")
    classes = _code_to_class("meld")
    rows = []
    missing_media: List[str] = []
    found_any = False
    for split, csv_name, media_name in _MELD_SPLITS:
        table_path = _find_file(base, csv_name)
        if table_path is None:
            continue
        found_any = True
        media = _find_dir(base, media_name)
        required = ("Utterance", "Speaker", "Emotion", "Sentiment", "Dialogue_ID", "Utterance_ID", "StartTime",
                    "EndTime")
        for line, r in _read_table(table_path, required):
            emotion = r["Emotion"].strip().lower()
            if emotion not in classes:
                raise ReadError(f"{table_path}, line {line}: Emotion {r['Emotion']!r} is none of {sorted(classes)}")
            dia, utt = r["Dialogue_ID"].strip(), r["Utterance_ID"].strip()
            if not (dia.isdigit() and utt.isdigit()):
                raise ReadError(f"{table_path}, line {line}: Dialogue_ID/Utterance_ID {dia!r}/{utt!r} are not integers")
            clip = media / f"dia{dia}_utt{utt}.mp4" if media is not None else None
            if clip is None or not clip.is_file():
                missing_media.append(f"{media_name}/dia{dia}_utt{utt}.mp4")
            rows.append({"corpus": "meld", "item": f"{split}_dia{dia}_utt{utt}",
                         "path": str(clip) if clip is not None and clip.is_file() else "",
                         "speaker": r["Speaker"].strip(), "label": classes[emotion], "split": split,
                         "text": r["Utterance"], "sentiment": r["Sentiment"].strip().lower(),
                         "dialogue": f"{split}_dia{dia}", "utterance": int(utt),
                         "start": _meld_seconds(r["StartTime"], table_path, line, "StartTime"),
                         "end": _meld_seconds(r["EndTime"], table_path, line, "EndTime")})
    if not found_any:
        raise ParameterError(f"meld: no files matched train_sent_emo.csv, dev_sent_emo.csv or test_sent_emo.csv "
                             f"under {base}")
    if missing_media:
        warnings.warn(f"meld: {len(missing_media)} utterance(s) have no media file (path left empty), the first: "
                      f"{missing_media[0]}", UserWarning, stacklevel=2)
    _number_turns(rows, "utterance")
    return _manifest("meld", rows, ["text", "sentiment", "dialogue", "turn", "utterance", "start", "end"])
