"""IEMOCAP (Busso et al. 2008): sessions, turns and the evaluators' categorical and dimensional answers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List
from ..._util.docstrings import _with_keywords
from ...errors import ReadError

from ._common import PathLike, _PARAMS, _manifest, _number_turns, _start

# --------------------------------------------------------------------------- IEMOCAP

_IEMOCAP_TURN = re.compile(
    r"\[\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*\]\s+(Ses\d\d[FM]_\S+)\s+(\w+)\s+"
    r"\[\s*([\d.]+|nan)\s*,\s*([\d.]+|nan)\s*,\s*([\d.]+|nan)\s*\]", re.IGNORECASE)


_IEMOCAP_CATEGORY = re.compile(r"C-(\w+):\s*(.*)")


_IEMOCAP_ATTRIBUTE = re.compile(r"A-(\w+):\s*(.*)")


_IEMOCAP_VAD = re.compile(r"val\s*(\d+(?:\.\d+)?)\s*;\s*act\s*(\d+(?:\.\d+)?)\s*;\s*dom\s*(\d+(?:\.\d+)?)")


# the words evaluators' C- lines use -> iemocap class names
_IEMOCAP_WORDS = {"neutral": "neutral", "neutral state": "neutral", "happiness": "happiness", "happy": "happiness",
                  "sadness": "sadness", "sad": "sadness", "anger": "anger", "angry": "anger", "surprise": "surprise",
                  "fear": "fear", "disgust": "disgust", "frustration": "frustration", "excited": "excitement",
                  "excitement": "excitement", "other": "other"}


def _iemocap_evaluation(path: Path, classes: Dict[str, str]) -> List[Dict[str, Any]]:
    """The turns of one EmoEvaluation file: consensus line plus every evaluator's
    categories (first one kept, see :func:`index_iemocap`)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as e:
        raise ReadError(f"{path}: cannot read: {e}") from e
    turns: List[Dict[str, Any]] = []
    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        m = _IEMOCAP_TURN.fullmatch(line)
        if m is not None:
            code = m[4].lower()
            if code not in classes:
                raise ReadError(f"{path}, line {n}: emotion code {m[4]!r} is none of {sorted(classes)}")
            turns.append({"start": float(m[1]), "end": float(m[2]), "turn": m[3], "code": code,
                          "vad": (float(m[5]), float(m[6]), float(m[7])), "annotations": {}, "ratings": {}})
            continue
        cat = _IEMOCAP_CATEGORY.fullmatch(line)
        att = _IEMOCAP_ATTRIBUTE.fullmatch(line)
        if (cat or att) and not turns:
            raise ReadError(f"{path}, line {n}: an evaluator line before any '[start - end] turn' line")
        if cat is not None:
            # "Frustration; Anger;\t(comment)": categories end where the free-text comment starts
            words = [w.strip() for w in cat[2].split("(", 1)[0].split(";") if w.strip()]
            if not words:
                raise ReadError(f"{path}, line {n}: evaluator {cat[1]} gives no category")
            label = _IEMOCAP_WORDS.get(words[0].lower())
            if label is None:
                raise ReadError(f"{path}, line {n}: category {words[0]!r} is none of {sorted(set(_IEMOCAP_WORDS))}")
            turns[-1]["annotations"][cat[1]] = label
        elif att is not None:
            vad = _IEMOCAP_VAD.match(att[2])
            if vad is None:
                raise ReadError(f"{path}, line {n}: expected 'val N; act N; dom N;', got {att[2]!r}")
            turns[-1]["ratings"][att[1]] = tuple(float(v) for v in vad.groups())
        else:
            raise ReadError(f"{path}, line {n}: neither a '[start - end]\\tturn\\temo\\t[V, A, D]' line nor "
                            f"a 'C-E1:' / 'A-E1:' evaluator line: {line[:60]!r}")
    return turns


@_with_keywords(_PARAMS)
def index_iemocap(root: PathLike, *, strict: bool = True) -> Any:
    """Index IEMOCAP (Busso et al. 2008, doi:10.1007/s10579-008-9076-6).

    Layout of ``IEMOCAP_full_release``::

        root/SessionN/dialog/EmoEvaluation/<dialog>.txt
        root/SessionN/sentences/wav/<dialog>/<turn>.wav

    Each EmoEvaluation file holds, per turn, a consensus line
    ``[start - end]<TAB>turn<TAB>emo<TAB>[V, A, D]`` followed by every evaluator's
    categorical line ``C-E1:<TAB>Neutral;<TAB>(comment)`` and dimensional line
    ``A-E1:<TAB>val 3; act 2; dom 2;<TAB>()``.

    - ``label``: the consensus code (``neu hap sad ang sur fea dis fru exc``) as the
      ``iemocap`` set's class name; ``xxx`` (evaluators did not agree) and ``oth``
      (other) give ``None``, the raw code stays in ``emotion_code``.
    - ``valence``, ``arousal``, ``dominance``: the consensus line's ``[V, A, D]``
      (1-5 scale; the mean of the evaluators' A- lines); ``n_ratings`` counts those lines,
      :func:`dimensional_ratings` returns them.
    - ``annotations``: evaluator id as the file writes it (``E1``, ``E2``, ..., and the
      ``F1``/``M1`` self-assessments) -> class name. An evaluator may tick several
      categories (``Frustration; Anger;``); the first one is kept.
    - ``speaker``: session + gender of the speaking actor (``Ses01F``), from the turn
      name's last part (``Ses01F_impro01_M000`` is the male actor of session 1);
      ``gender``, ``session`` (1-5), ``start``, ``end`` (seconds in the dialogue's
      recording; ``path`` is the already-cut turn).
    - ``dialogue``: the dialogue (``Ses01F_impro01``), ``turn``: the 0-based order of the
      turn within it by start time (both speakers), the standard dialogue columns that
      :func:`affectkit.dialogues.from_manifest` reads.
      No official split (leave-one-session-out is the usual protocol).

    A turn whose wav is missing is a layout error (``strict=False`` skips it).

    Parameters
    ----------
    {{root}}
    {{strict}}

    {{returns}}
    """
    pattern = "SessionN/dialog/EmoEvaluation/<dialog>.txt with SessionN/sentences/wav/<dialog>/<turn>.wav"
    base, layout, classes = _start("iemocap", root, pattern, strict)
    rows = []
    sessions = sorted(p for p in base.iterdir() if re.fullmatch(r"Session\d+", p.name) and p.is_dir())
    for session in sessions:
        for ev in sorted((session / "dialog" / "EmoEvaluation").glob("*.txt")):
            if ev.name.startswith("."):
                continue
            for t in _iemocap_evaluation(ev, classes):
                wav = session / "sentences" / "wav" / ev.stem / f"{t['turn']}.wav"
                if not wav.is_file():
                    layout.mismatch(wav, f"turn {t['turn']} of {ev.name} has no wav")
                    continue
                letter = t["turn"].rsplit("_", 1)[-1][:1].upper()
                if letter not in "FM":
                    raise ReadError(f"{ev}: turn name {t['turn']!r} does not end in _F### or _M###")
                code = t["code"]
                rows.append({"corpus": "iemocap", "item": t["turn"], "path": str(wav),
                             "speaker": t["turn"][:5] + letter,
                             "label": None if code in ("xxx", "oth") else classes[code], "split": None,
                             "gender": "female" if letter == "F" else "male", "session": int(session.name[7:]),
                             "dialogue": ev.stem, "start": t["start"], "end": t["end"], "emotion_code": code,
                             "valence": t["vad"][0], "arousal": t["vad"][1], "dominance": t["vad"][2],
                             "n_ratings": len(t["ratings"]), "annotations": t["annotations"] or None})
    layout.finish(len(rows), base)
    _number_turns(rows, "start")
    return _manifest("iemocap", rows, ["gender", "session", "dialogue", "turn", "start", "end", "emotion_code", "valence",
                                       "arousal", "dominance", "n_ratings", "annotations"])
