"""Corpus indexers: turn a LOCAL copy of an emotion corpus into a manifest.

Nothing is downloaded or redistributed: each indexer walks the folder you obtained from
the corpus's authors, parses its file names and annotation files, and returns a
manifest (see :mod:`affectkit.manifest`): the core columns
``corpus, item, path, speaker, label, split`` followed by the corpus's own extras.

>>> man = ak.datasets.index("ravdess", "/data/RAVDESS")          # doctest: +SKIP
>>> man = ak.datasets.index_iemocap("/data/IEMOCAP_full_release")  # doctest: +SKIP
>>> r = ak.labels.dawid_skene(ak.datasets.annotations(man))        # doctest: +SKIP

``label`` holds the class *names* of ``ak.labels.label_set(<corpus>)`` (``"happiness"``,
``"anger"``, ...), so ``ak.labels.map_labels(man.label, source, target)`` brings corpora
to a common set; :data:`CORPUS_LABEL_SETS` names the source set of each corpus (TESS
has no set of its own: its seven emotions are spelled as ``ekman7``'s classes). The
per-annotator answers in ``annotations`` use the same names.

Errors: a file that does not follow the corpus's layout raises
:class:`~affectkit.errors.ParameterError` naming the file and the expected pattern
(``strict=False`` skips such files and warns once with their count); a folder with no
matching file raises :class:`~affectkit.errors.ParameterError` saying so; an annotation
file that cannot be parsed raises :class:`~affectkit.errors.ReadError` naming the file
and line.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import warnings
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from .frontend import _with_keywords
from .errors import ParameterError, ReadError
from .manifest import MANIFEST_COLUMNS, check_manifest

__all__ = ["CORPORA", "CORPUS_LABEL_SETS", "index", "dimensional_ratings", "index_ravdess", "index_crema_d",
           "index_emodb", "index_tess", "index_iemocap", "index_msp_podcast", "index_meld"]

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
            The manifest (:mod:`affectkit.manifest`): one row per recording, the core
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
    from .labels import label_set

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
      ``gender``, ``session`` (1-5), ``dialog``, ``start``, ``end`` (seconds).
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
                             "dialog": ev.stem, "start": t["start"], "end": t["end"], "emotion_code": code,
                             "valence": t["vad"][0], "arousal": t["vad"][1], "dominance": t["vad"][2],
                             "n_ratings": len(t["ratings"]), "annotations": t["annotations"] or None})
    layout.finish(len(rows), base)
    return _manifest("iemocap", rows, ["gender", "session", "dialog", "start", "end", "emotion_code", "valence",
                                       "arousal", "dominance", "n_ratings", "annotations"])


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
    the position in the episode (seconds). ``path`` is the clip (an .mp4, which
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
                         "dialogue": int(dia), "utterance": int(utt),
                         "start": _meld_seconds(r["StartTime"], table_path, line, "StartTime"),
                         "end": _meld_seconds(r["EndTime"], table_path, line, "EndTime")})
    if not found_any:
        raise ParameterError(f"meld: no files matched train_sent_emo.csv, dev_sent_emo.csv or test_sent_emo.csv "
                             f"under {base}")
    if missing_media:
        warnings.warn(f"meld: {len(missing_media)} utterance(s) have no media file (path left empty), the first: "
                      f"{missing_media[0]}", UserWarning, stacklevel=2)
    return _manifest("meld", rows, ["text", "sentiment", "dialogue", "utterance", "start", "end"])


# --------------------------------------------------------------------------- dimensional ratings


def dimensional_ratings(corpus: str, root: PathLike) -> Any:
    """Every annotator's own valence, arousal and dominance ratings, as a long DataFrame
    ``task, worker, valence, arousal, dominance`` (one row per annotator and item; ``task``
    is the manifest's ``item``), for the corpora that publish them:

    - ``"iemocap"``: the ``A-E1:<TAB>val 3; act 2; dom 2;`` lines of every EmoEvaluation
      file (1-5 scale; ``worker`` as the file writes it: ``E1``, ``F1``, ...);
    - ``"msp-podcast"``: ``Labels/labels_detailed.csv`` (1-7 scale; the ``A:``, ``V:``,
      ``D:`` fields of ``EmoDetail`` or the ``EmoAct``, ``EmoVal``, ``EmoDom`` columns).

    The manifest's ``valence``/``arousal``/``dominance`` are the corpora's consensus
    (the mean of these); fuse them yourself with, e.g., the Evaluator Weighted Estimator.

    Parameters
    ----------
    corpus : {"iemocap", "msp-podcast"}
        The corpus.
    root : str or os.PathLike
        The folder of your local copy.

    Returns
    -------
    pandas.DataFrame
        Columns ``task, worker, valence, arousal, dominance``.

    Examples
    --------
    >>> r = ak.datasets.dimensional_ratings("iemocap", root)                      # doctest: +SKIP
    >>> m, items, raters = ak.labels.ratings_matrix(r.task, r.worker, r.arousal)  # doctest: +SKIP
    >>> ak.labels.ewe(m).consensus                                                # doctest: +SKIP
    """
    import pandas as pd

    key = _corpus_key(corpus)
    columns = ["task", "worker", "valence", "arousal", "dominance"]
    if key == "iemocap":
        base, layout, classes = _start("iemocap", root, "SessionN/dialog/EmoEvaluation/<dialog>.txt", True)
        rows = [(t["turn"], worker, *vad)
                for ev in sorted(base.glob("Session*/dialog/EmoEvaluation/*.txt")) if not ev.name.startswith(".")
                for t in _iemocap_evaluation(ev, classes) for worker, vad in t["ratings"].items()]
        layout.finish(len(rows), base)
    elif key == "msp-podcast":
        base = _root(root, "msp-podcast")
        path = _find_file(base, "labels_detailed.csv", ["Labels"])
        if path is None:
            raise ParameterError(f"msp-podcast: no files matched Labels/labels_detailed.csv under {base}")
        rows = _msp_detailed(path, _code_to_class("msp-podcast"), with_dimensions=True)[1]
    else:
        raise ParameterError(f"corpus: per-annotator dimensional ratings exist for iemocap and msp-podcast, "
                             f"got {corpus!r}")
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- dispatcher

_INDEXERS: Dict[str, Callable[..., Any]] = {
    "ravdess": index_ravdess, "crema-d": index_crema_d, "emodb": index_emodb, "tess": index_tess,
    "iemocap": index_iemocap, "msp-podcast": index_msp_podcast, "meld": index_meld,
}


def index(corpus: str, root: PathLike, **options: Any) -> Any:
    """Index the local copy of a corpus and return its manifest (nothing is downloaded
    or copied: the manifest points at your files).

    Parameters
    ----------
    corpus : str
        One of :data:`CORPORA`, case-insensitive (``"crema_d"``/``"cremad"`` and
        ``"msp_podcast"`` work too).
    root : str or os.PathLike
        The folder of your local copy.
    **options
        The corpus indexer's keywords: ``strict`` for all,
        ``index_ravdess(root, video=...)``, ``index_crema_d(root, ratings=...)``.

    Returns
    -------
    pandas.DataFrame
        The manifest, as the corpus's ``index_<corpus>`` function describes it.

    Examples
    --------
    >>> man = ak.datasets.index("crema-d", "/data/CREMA-D")   # doctest: +SKIP
    >>> man.groupby("label").size()                           # doctest: +SKIP
    """
    return _INDEXERS[_corpus_key(corpus)](root, **options)


def _corpus_key(corpus: str) -> str:
    key = str(corpus).strip().lower().replace("_", "-")
    key = {"cremad": "crema-d", "msppodcast": "msp-podcast", "emo-db": "emodb"}.get(key, key)
    if key not in CORPORA:
        raise ParameterError(f"corpus: expected one of {list(CORPORA)}, got {corpus!r}")
    return key
