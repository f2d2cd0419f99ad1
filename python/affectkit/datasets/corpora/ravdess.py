"""RAVDESS (Livingstone and Russo 2018): the seven-part file-name code."""

from __future__ import annotations

import re
from typing import Any
from ..._util.docstrings import _with_keywords

from ._common import PathLike, _PARAMS, _files_under, _manifest, _start

# --------------------------------------------------------------------------- RAVDESS

_RAVDESS_NAME = re.compile(r"(0[1-3])-(0[12])-(0[1-8])-(0[12])-(0[12])-(0[12])-(\d\d)\.(wav|mp4)")


_RAVDESS_STATEMENTS = {"01": "Kids are talking by the door", "02": "Dogs are sitting by the door"}


@_with_keywords(_PARAMS)
def index_ravdess(root: PathLike, *, video: bool = False, strict: bool = True) -> Any:
    """Index RAVDESS (Livingstone and Russo 2018, doi:10.1371/journal.pone.0196391).

    Layout, as the Zenodo archives unpack (``Audio_Speech_Actors_01-24/``,
    ``Audio_Song_Actors_01-24/`` and the per-actor video zips may sit side by side
    under ``root``)::

        root/**/Actor_XX/MM-VV-EE-II-SS-RR-AA.wav

    with modality ``MM`` (01 full-AV, 02 video-only, 03 audio-only), vocal channel
    ``VV`` (01 speech, 02 song), emotion ``EE`` (01 neutral ... 08 surprised), intensity
    ``II`` (01 normal, 02 strong), statement ``SS``, repetition ``RR`` and actor ``AA``
    (odd = male, even = female), as the corpus README defines them. ``video=True`` also
    indexes the ``.mp4`` files (modality 01/02; video-only files have no sound track).

    Columns: the core ones (``speaker`` = actor ``"01"``-``"24"``; no official split)
    plus ``gender``, ``modality``, ``vocal_channel``, ``intensity``, ``statement``,
    ``repetition``, ``text``. No per-annotator labels (the perceptual ratings are not
    per file).

    Parameters
    ----------
    {{root}}
    video : bool, default False
        Also index the ``.mp4`` files.
    {{strict}}

    {{returns}}
    """
    pattern = "Actor_XX/MM-VV-EE-II-SS-RR-AA.wav"
    base, layout, classes = _start("ravdess", root, pattern, strict)
    modalities = {"01": "audiovisual", "02": "video", "03": "audio"}
    rows = []
    for path in _files_under(base, re.compile(r"Actor_\d\d")):
        m = _RAVDESS_NAME.fullmatch(path.name)
        if m is None:
            layout.mismatch(path)
            continue
        mod, channel, emo, intensity, statement, rep, actor, ext = m.groups()
        if actor != path.parent.name[-2:]:
            layout.mismatch(path, f"actor {actor} in a folder of actor {path.parent.name[-2:]}")
            continue
        if (ext == "mp4") != (mod != "03"):
            layout.mismatch(path, f"modality {mod} with a .{ext} file")
            continue
        if ext == "mp4" and not video:
            continue
        rows.append({
            "corpus": "ravdess", "item": path.stem, "path": str(path), "speaker": actor,
            "label": classes[emo], "split": None,
            "gender": "male" if int(actor) % 2 else "female",
            "modality": modalities[mod], "vocal_channel": "speech" if channel == "01" else "song",
            "intensity": "normal" if intensity == "01" else "strong", "statement": statement,
            "repetition": int(rep), "text": _RAVDESS_STATEMENTS[statement],
        })
    layout.finish(len(rows), base)
    return _manifest("ravdess", rows, ["gender", "modality", "vocal_channel", "intensity", "statement",
                                       "repetition", "text"])
