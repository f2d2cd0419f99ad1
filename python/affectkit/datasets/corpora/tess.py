"""TESS, the Toronto emotional speech set (Dupuis and Pichora-Fuller 2010)."""

from __future__ import annotations

import re
from typing import Any
from ..._util.docstrings import _with_keywords

from ._common import PathLike, _Layout, _PARAMS, _files_under, _manifest, _root

# --------------------------------------------------------------------------- TESS

# the emotion words of TESS's folder and file names, lower-cased, -> ekman7 class
_TESS_EMOTIONS = {"angry": "anger", "anger": "anger", "disgust": "disgust", "fear": "fear", "happy": "happiness",
                  "neutral": "neutral", "sad": "sadness", "ps": "surprise", "pleasant_surprise": "surprise",
                  "pleasant_surprised": "surprise", "pleasant-surprise": "surprise", "surprised": "surprise"}


_TESS_AGES = {"OAF": 64.0, "YAF": 26.0}


@_with_keywords(_PARAMS)
def index_tess(root: PathLike, *, strict: bool = True) -> Any:
    """Index the Toronto Emotional Speech Set (Dupuis and Pichora-Fuller 2010,
    doi:10.5683/SP2/E8H2MF).

    Layout as distributed (one folder per talker and emotion; folders may sit one
    level down, e.g. ``TESS Toronto emotional speech set data/``)::

        root/**/{OAF,YAF}_<emotion>/<talker>_<word>_<emotion>.wav   e.g. OAF_Fear/OAF_back_fear.wav

    with the archive's spelling quirks accepted: folder emotions in any case
    (``OAF_Fear``, ``YAF_fear``), ``Pleasant_surprise`` / ``pleasant_surprised``
    folders holding ``..._ps.wav`` files, and file prefixes ``OA_``/``YA_`` in the
    place of ``OAF_``/``YAF_``. The folder and the file must name the same emotion.
    ``speaker`` is ``"OAF"`` (older talker, 64) or ``"YAF"`` (younger, 26), both
    female. TESS has no label set in ``ak.labels``: ``label`` uses ``ekman7``'s class
    names (pleasant surprise -> ``"surprise"``). No split, no per-annotator labels.

    Parameters
    ----------
    {{root}}
    {{strict}}

    {{returns}}
    """
    base = _root(root, "tess")
    pattern = "{OAF,YAF}_<emotion>/<OAF|YAF>_<word>_<emotion>.wav"
    layout = _Layout("tess", pattern, strict)
    folder_re = re.compile(r"(OAF|YAF)_(.+)", re.IGNORECASE)
    name_re = re.compile(r"(OAF|YAF|OA|YA)_([A-Za-z']+)_([A-Za-z_\-]+)\.wav", re.IGNORECASE)
    rows = []
    for path in _files_under(base, folder_re):
        talker, folder_emotion = folder_re.fullmatch(path.parent.name).groups()
        talker = talker.upper()
        m = name_re.fullmatch(path.name)
        folder_label = _TESS_EMOTIONS.get(folder_emotion.lower())
        if folder_label is None:
            layout.mismatch(path, f"unknown emotion folder {path.parent.name!r}")
            continue
        if m is None or _TESS_EMOTIONS.get(m[3].lower()) != folder_label or not talker.startswith(m[1].upper()):
            layout.mismatch(path)
            continue
        rows.append({"corpus": "tess", "item": path.stem, "path": str(path), "speaker": talker,
                     "label": folder_label, "split": None, "gender": "female", "age": _TESS_AGES[talker],
                     "word": m[2].lower(), "text": f"Say the word {m[2].lower()}"})
    layout.finish(len(rows), base)
    return _manifest("tess", rows, ["gender", "age", "word", "text"])
