"""CREMA-D (Cao et al. 2014): file-name codes and the crowd ratings."""

from __future__ import annotations

import re
from typing import Any
from ..._util.docstrings import _with_keywords
from ...errors import ParameterError, ReadError

from ._common import PathLike, _NAN, _PARAMS, _coded_files, _find_file, _manifest, _number, _read_table, _start, _stem

# --------------------------------------------------------------------------- CREMA-D

_CREMA_SENTENCES = {
    "IEO": "It's eleven o'clock", "TIE": "That is exactly what happened", "IOM": "I'm on my way to the meeting",
    "IWW": "I wonder what this is about", "TAI": "The airplane is almost full",
    "MTI": "Maybe tomorrow it will be cold", "IWL": "I would like a new alarm clock",
    "ITH": "I think I have a doctor's appointment", "DFA": "Don't forget a jacket",
    "ITS": "I think I've seen this before", "TSI": "The surface is slick", "WSI": "We'll stop in a couple of minutes",
}


_CREMA_NAME = re.compile(r"(\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})\.wav")


_CREMA_LEVELS = {"LO": "low", "MD": "medium", "HI": "high", "XX": "unspecified"}


# the raters' one-letter answers (finishedResponses respEmo, tabulatedVotes columns)
_CREMA_LETTERS = {"A": "ANG", "D": "DIS", "F": "FEA", "H": "HAP", "N": "NEU", "S": "SAD"}


_CREMA_QUERY = {"voice": "1", "face": "2", "audiovisual": "3"}


@_with_keywords(_PARAMS)
def index_crema_d(root: PathLike, *, ratings: str = "voice", strict: bool = True) -> Any:
    """Index CREMA-D (Cao et al. 2014, doi:10.1109/TAFFC.2014.2336244).

    Layout of the corpus repository (github.com/CheyneyComputerScience/CREMA-D)::

        root/AudioWAV/AAAA_SSS_EEE_LL.wav          actor, sentence, emotion, level
        root/VideoDemographics.csv                 ActorID, Age, Sex, Race, Ethnicity (optional)
        root/processedResults/tabulatedVotes.csv   per clip and rating mode: A D F H N S counts,
                                                   fileName, numResponses, agreement, emoVote,
                                                   meanEmoResp, ... (optional)
        root/finishedResponses.csv                 one row per answer: localid, queryType,
                                                   clipName, respEmo, respLevel, ... (optional)

    ``label`` is the emotion the actor was asked to portray (third field of the file
    name; ``speaker`` the four-digit actor id; no official split). The raters judged each
    clip as voice only, face only and audio-visual (``queryType`` 1, 2, 3); ``ratings``
    picks which answers feed ``annotations`` (rater ``localid`` -> class name) and the
    vote columns: ``"voice"`` (default, what a speech model hears), ``"face"``,
    ``"audiovisual"``. Vote columns (NaN/None without tabulatedVotes.csv):
    ``vote_label`` (the raters' majority, None on ties such as ``"A:H"``),
    ``agreement``, ``num_responses``, ``mean_level`` (meanEmoResp). Also ``gender``,
    ``age``, ``sentence``, ``level``, ``text``.

    Parameters
    ----------
    {{root}}
    ratings : {"voice", "face", "audiovisual"}, default "voice"
        Which raters' answers feed ``annotations`` and the vote columns.
    {{strict}}

    {{returns}}
    """
    if ratings not in _CREMA_QUERY:
        raise ParameterError(f"ratings: expected one of {list(_CREMA_QUERY)}, got {ratings!r}")
    base, layout, classes = _start("crema-d", root, "AudioWAV/AAAA_SSS_EEE_LL.wav", strict)
    rows = []
    for path, m in _coded_files(base, "AudioWAV", layout, _CREMA_NAME,
                                lambda m: m[2] in _CREMA_SENTENCES and m[3] in classes and m[4] in _CREMA_LEVELS):
        actor, sentence, emo, level = m.groups()
        rows.append({"corpus": "crema-d", "item": path.stem, "path": str(path), "speaker": actor,
                     "label": classes[emo], "split": None, "gender": None, "age": _NAN,
                     "sentence": sentence, "level": _CREMA_LEVELS[level], "text": _CREMA_SENTENCES[sentence]})
    layout.finish(len(rows), base)

    demo = _find_file(base, "VideoDemographics.csv")
    if demo is not None:
        people = {}
        for line, r in _read_table(demo, ("ActorID", "Age", "Sex")):
            people[r["ActorID"].strip()] = (r["Sex"].strip().lower() or None, _number(r["Age"], demo, line, "Age"))
        for row in rows:
            row["gender"], row["age"] = people.get(row["speaker"], (None, _NAN))

    extra = ["gender", "age", "sentence", "level", "text"]
    by_item = {row["item"]: row for row in rows}
    to_class = {letter: classes[code] for letter, code in _CREMA_LETTERS.items()}
    votes = _find_file(base, "tabulatedVotes.csv", ["processedResults"])
    if votes is not None:
        extra += ["vote_label", "agreement", "num_responses", "mean_level"]
        for row in rows:
            row.update(vote_label=None, agreement=_NAN, num_responses=_NAN, mean_level=_NAN)
        table = _read_table(votes, ("fileName", "numResponses", "agreement", "emoVote", "meanEmoResp"))
        key_column = next(iter(table[0][1])) if table else ""
        for line, r in table:
            # the first (unnamed) column is 100000 * queryType + clipNum (tabulateVotesV2.r)
            key = r[key_column].strip()
            if not key.isdigit():
                raise ReadError(f"{votes}, line {line}: first column {key!r} is not the 100000*queryType+clipNum key")
            if str(int(key) // 100000) != _CREMA_QUERY[ratings]:
                continue
            row = by_item.get(_stem(r["fileName"]))
            if row is None:
                continue
            vote = r["emoVote"].strip()
            if vote not in to_class and ":" not in vote:
                raise ReadError(f"{votes}, line {line}: emoVote {vote!r} is none of {sorted(to_class)}")
            row.update(vote_label=to_class.get(vote), agreement=_number(r["agreement"], votes, line, "agreement"),
                       num_responses=_number(r["numResponses"], votes, line, "numResponses"),
                       mean_level=_number(r["meanEmoResp"], votes, line, "meanEmoResp"))

    answers = _find_file(base, "finishedResponses.csv")
    if answers is not None:
        extra.append("annotations")
        for row in rows:
            row["annotations"] = None
        for line, r in _read_table(answers, ("localid", "queryType", "clipName", "respEmo")):
            if r["queryType"].strip() != _CREMA_QUERY[ratings]:
                continue
            row = by_item.get(_stem(r["clipName"]))
            if row is None:
                continue
            answer = r["respEmo"].strip()
            if answer not in to_class:
                raise ReadError(f"{answers}, line {line}: respEmo {answer!r} is none of {sorted(to_class)}")
            if row["annotations"] is None:
                row["annotations"] = {}
            row["annotations"][r["localid"].strip()] = to_class[answer]
    return _manifest("crema-d", rows, extra)
