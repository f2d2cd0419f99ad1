"""EmoDB, the Berlin Database of Emotional Speech (Burkhardt et al. 2005)."""

from __future__ import annotations

import re
from typing import Any
from ..._util.docstrings import _with_keywords

from ._common import PathLike, _PARAMS, _coded_files, _manifest, _start

# --------------------------------------------------------------------------- EmoDB

# Burkhardt et al. 2005, speaker table of the corpus documentation: id -> (gender, age)
_EMODB_SPEAKERS = {"03": ("male", 31), "08": ("female", 34), "09": ("female", 21), "10": ("male", 32),
                   "11": ("male", 26), "12": ("male", 30), "13": ("female", 32), "14": ("female", 35),
                   "15": ("male", 25), "16": ("female", 31)}


_EMODB_NAME = re.compile(r"(\d\d)([ab]\d\d)([A-Z])([a-z])\.wav")


_EMODB_TEXTS = {
    "a01": "Der Lappen liegt auf dem Eisschrank.", "a02": "Das will sie am Mittwoch abgeben.",
    "a04": "Heute abend könnte ich es ihm sagen.",
    "a05": "Das schwarze Stück Papier befindet sich da oben neben dem Holzstück.",
    "a07": "In sieben Stunden wird es soweit sein.",
    "b01": "Was sind denn das für Tüten, die da unter dem Tisch stehen?",
    "b02": "Sie haben es gerade hochgetragen und jetzt gehen sie wieder runter.",
    "b03": "An den Wochenenden bin ich jetzt immer nach Hause gefahren und habe Agnes besucht.",
    "b09": "Ich will das eben wegbringen und dann mit Karl was trinken gehen.",
    "b10": "Die wird auf dem Platz sein, wo wir sie immer hinlegen.",
}


@_with_keywords(_PARAMS)
def index_emodb(root: PathLike, *, strict: bool = True) -> Any:
    """Index the Berlin Database of Emotional Speech (Burkhardt et al. 2005, Interspeech).

    Layout of the distributed archive::

        root/wav/SSTTTEV.wav     e.g. 03a01Fa.wav

    speaker ``SS`` (03, 08-16), text ``TTT`` (a01 ... b10), emotion letter ``E`` (German
    initials: W Wut/anger, L Langeweile/boredom, E Ekel/disgust, A Angst/fear, F
    Freude/happiness, T Trauer/sadness, N neutral) and version ``V`` (a, b, ...).
    ``gender`` and ``age`` come from the corpus's speaker table, ``text`` is the spoken
    German sentence. No official split, no per-annotator labels.

    Parameters
    ----------
    {{root}}
    {{strict}}

    {{returns}}
    """
    base, layout, classes = _start("emodb", root, "wav/SSTTTEV.wav (speaker, text, emotion letter, version; "
                                   "e.g. 03a01Fa.wav)", strict)
    rows = []
    for path, m in _coded_files(base, "wav", layout, _EMODB_NAME,
                                lambda m: m[1] in _EMODB_SPEAKERS and m[2] in _EMODB_TEXTS and m[3] in classes):
        speaker, text, emo, version = m.groups()
        gender, age = _EMODB_SPEAKERS[speaker]
        rows.append({"corpus": "emodb", "item": path.stem, "path": str(path), "speaker": speaker,
                     "label": classes[emo], "split": None, "gender": gender, "age": float(age),
                     "text_id": text, "version": version, "text": _EMODB_TEXTS[text]})
    layout.finish(len(rows), base)
    return _manifest("emodb", rows, ["gender", "age", "text_id", "version", "text"])
