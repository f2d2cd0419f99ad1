"""The feature pickles of the conv-emotion code (DialogueRNN, DialogueGCN, COSMIC, ...).

The public ERC code (Majumder et al. 2019, DialogueRNN, AAAI; Ghosal et al. 2019,
DialogueGCN, EMNLP; the declare-lab/conv-emotion repository) reads one pickle per corpus: a
9-tuple of dicts keyed by dialogue ("video") id. Field by field:

``iemocap`` layout (``IEMOCAP_features.pkl``, a Python 2 pickle)
    0 ``videoIDs``: dialogue -> utterance ids in order; 1 ``videoSpeakers``: dialogue ->
    ``"M"``/``"F"`` per utterance (the speaking actor's gender, i.e. the party of the
    dyad); 2 ``videoLabels``: dialogue -> class index per utterance, in the order
    hap, sad, neu, ang, exc, fru; 3 ``videoText``, 4 ``videoAudio``, 5 ``videoVisual``:
    dialogue -> one feature vector per utterance; 6 ``videoSentence``: dialogue -> transcript
    per utterance; 7 ``trainVid``, 8 ``testVid``: the dialogue ids of each side.
``meld`` layout (``MELD_features_raw.pkl``)
    0 ``videoIDs``; 1 ``videoSpeakers``: dialogue -> a one-hot speaker vector per utterance
    (9 slots); 2 ``videoLabels``: emotion index in the order neutral, surprise, fear,
    sadness, joy, disgust, anger; 3 ``videoText``, 4 ``videoAudio``; 5 ``videoSentence``;
    6 ``trainVid`` (MELD's train and dev dialogues), 7 ``testVid``; 8 ``videoSentiment``:
    sentiment index in the order neutral, positive, negative.

Reading goes through a restricted unpickler (containers, numbers, strings and NumPy arrays
only; Python 2 pickles decode with latin1), since a pickle can run code.
"""

from __future__ import annotations

import os
import re
import pickle
import tempfile
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np

from .._util.safe_pickle import load_data
from ..errors import ParameterError, ReadError
from .data import Dialogues, as_dialogues

_FIELDS = {
    "iemocap": ("videoIDs", "videoSpeakers", "videoLabels", "videoText", "videoAudio", "videoVisual", "videoSentence",
                "trainVid", "testVid"),
    "meld": ("videoIDs", "videoSpeakers", "videoLabels", "videoText", "videoAudio", "videoSentence", "trainVid",
             "testVid", "videoSentiment"),
}
#: The class order of each layout's ``videoLabels``, in affectkit's label names
#: (``ak.labels.label_set("iemocap")`` / ``("meld")``).
CLASSES = {
    "iemocap": ("happiness", "sadness", "neutral", "anger", "excitement", "frustration"),
    "meld": ("neutral", "surprise", "fear", "sadness", "joy", "disgust", "anger"),
}
#: MELD's ``videoSentiment`` order.
SENTIMENTS = ("neutral", "positive", "negative")
#: Feature fields of each layout -> the modality name in :attr:`Dialogues.features`.
MODALITIES = {"iemocap": {"videoText": "text", "videoAudio": "audio", "videoVisual": "visual"},
              "meld": {"videoText": "text", "videoAudio": "audio"}}
_MELD_SLOTS = 9
LAYOUTS = tuple(_FIELDS)
_IEMOCAP_SPEAKER = re.compile(r"(?:Ses\d+)?[MF]")


def _layout(layout: str) -> str:
    if layout not in _FIELDS:
        raise ParameterError(f"layout: expected one of {list(LAYOUTS)}, got {layout!r}")
    return layout


def _classes(classes: Optional[Sequence[Any]], layout: str) -> List[Any]:
    out = list(CLASSES[layout] if classes is None else classes)
    if len(set(out)) != len(out) or not out:
        raise ParameterError(f"classes: expected distinct class names, got {out!r}")
    return out


def from_conv_emotion(path: Union[str, Path], layout: Optional[str] = None, *,
                      classes: Optional[Sequence[Any]] = None) -> Dialogues:
    """Read a conv-emotion feature pickle (``IEMOCAP_features.pkl``, ``MELD_features_raw.pkl``).

    Parameters
    ----------
    path : str or pathlib.Path
        The pickle.
    layout : {"iemocap", "meld"} or None, default None
        The field layout (see the module documentation); None tells them apart by the 9th
        field (MELD's is a dict of sentiments, IEMOCAP's the list of test dialogues).
    classes : sequence or None, default None
        Names of the label indices, in index order (default: :data:`CLASSES` of the layout).

    Returns
    -------
    Dialogues
        Dialogues in ``videoIDs`` order (``split`` "train"/"test" from ``trainVid`` /
        ``testVid``, None for a dialogue in neither); features
        ``text``, ``audio`` (and ``visual``) as ``(n_utterances, dim)`` arrays; ``text``
        the sentences; speaker names ``"M"``/``"F"`` (IEMOCAP) or the one-hot slot index
        (MELD); MELD's sentiments in ``extra["sentiment"]``. Ids keep their types.

    Raises
    ------
    affectkit.errors.ReadError
        Naming the file: not a 9-field tuple (naming the missing fields), a dialogue missing
        from a field, lengths that disagree, label indices outside ``classes``, or any
        object other than containers, numbers, strings and NumPy arrays.

    Examples
    --------
    >>> D = ak.dialogues.from_conv_emotion("IEMOCAP_features.pkl")   # doctest: +SKIP
    >>> D.features["audio"][0].shape                                   # doctest: +SKIP
    (28, 100)
    """
    path = Path(path).expanduser()
    data = load_data(path)
    if not isinstance(data, (tuple, list)):
        raise ReadError(f"{path}: expected the 9-field tuple of a conv-emotion pickle, got {type(data).__name__}")
    if layout is None:
        layout = "meld" if len(data) == 9 and isinstance(data[8], Mapping) else "iemocap"
    fields = _FIELDS[_layout(layout)]
    if len(data) != len(fields):
        lacking = fields[len(data):]
        detail = f"lacks the field(s) {', '.join(lacking)}" if lacking else f"has {len(data) - len(fields)} extra field(s)"
        raise ReadError(f"{path}: a {layout} conv-emotion pickle has the 9 fields {', '.join(fields)}; this one "
                        f"{detail}")
    f = dict(zip(fields, data))
    for name in fields:
        want = (list, tuple, set, frozenset, np.ndarray) if name in ("trainVid", "testVid") else Mapping
        if not isinstance(f[name], want):
            raise ReadError(f"{path}: field {name} is a {type(f[name]).__name__}, expected a "
                            f"{'list of dialogue ids' if name.endswith('Vid') else 'dict keyed by dialogue id'}")
    names = _classes(classes, layout)
    train, test = list(f["trainVid"]), list(f["testVid"])
    order = list(f["videoIDs"])
    order += [v for v in train + test if v not in f["videoIDs"]]  # named but absent: an error below
    side = {**{v: "train" for v in train}, **{v: "test" for v in test}}
    out = Dialogues(ids=[], items=[], speakers=[], speaker_names=[], labels=[], split=[], session=[], text=[],
                    extra={"sentiment": []} if layout == "meld" else {})
    mods = MODALITIES[layout]
    for m in mods.values():
        out.features[m] = []
    for vid in order:
        def get(name: str) -> Any:
            try:
                return f[name][vid]
            except (KeyError, TypeError):
                raise ReadError(f"{path}: field {name} has no entry for dialogue {vid!r}") from None

        utts = list(get("videoIDs"))
        n = len(utts)
        if n == 0:
            raise ReadError(f"{path}: dialogue {vid!r} has no utterances in videoIDs")

        def per_utterance(name: str) -> List[Any]:
            v = get(name)
            v = list(v) if not isinstance(v, np.ndarray) or v.ndim > 0 else []
            if len(v) != n:
                raise ReadError(f"{path}: field {name} has {len(v)} entries for dialogue {vid!r}, videoIDs {n}")
            return v

        spk = per_utterance("videoSpeakers")
        if layout == "meld":
            spk = [_slot(s, path, vid) for s in spk]
        else:
            spk = [s.decode("latin1") if isinstance(s, bytes) else s for s in spk]
        party: Dict[Any, int] = {}
        out.speakers.append(np.array([party.setdefault(s, len(party)) for s in spk], dtype=np.int64))
        out.speaker_names.append(spk)
        out.labels.append([_name(v, names, path, vid, "videoLabels") for v in per_utterance("videoLabels")])
        for field_name, m in mods.items():
            rows = per_utterance(field_name)
            try:
                arr = np.asarray([np.asarray(r).reshape(-1) for r in rows])
                if arr.dtype.kind not in "fiub" or arr.ndim != 2:
                    raise ValueError
            except ValueError:
                raise ReadError(f"{path}: field {field_name} of dialogue {vid!r} is not one numeric vector of one "
                                f"length per utterance") from None
            out.features[m].append(arr if arr.dtype.kind == "f" else arr.astype(np.float64))
        out.text.append(list(per_utterance("videoSentence")))
        if layout == "meld":
            out.extra["sentiment"].append([_name(v, SENTIMENTS, path, vid, "videoSentiment")
                                           for v in per_utterance("videoSentiment")])
        out.ids.append(vid)
        out.items.append(utts)
        out.split.append(side.get(vid))
        out.session.append(None)
    out.__post_init__()
    return out


def _slot(onehot: Any, path: Path, vid: Any) -> int:
    v = np.asarray(onehot, dtype=np.float64).reshape(-1)
    if v.size == 0 or not np.all(np.isfinite(v)) or np.count_nonzero(v) != 1:
        raise ReadError(f"{path}: videoSpeakers of dialogue {vid!r} holds {onehot!r}, not a one-hot speaker vector")
    return int(np.argmax(v))


def _name(v: Any, names: Sequence[Any], path: Path, vid: Any, field_name: str) -> Any:
    try:
        i = int(v)
        if i != v or not 0 <= i < len(names):
            raise ValueError
    except (TypeError, ValueError):
        raise ReadError(f"{path}: {field_name} of dialogue {vid!r} holds {v!r}; expected a class index 0-"
                        f"{len(names) - 1} ({', '.join(map(str, names))})") from None
    return names[i]


def to_conv_emotion(D: Dialogues, path: Union[str, Path], layout: str = "iemocap", *,
                    classes: Optional[Sequence[Any]] = None, modalities: Optional[Mapping[str, str]] = None,
                    test: Optional[Sequence[Any]] = None) -> Path:
    """Write dialogues as a conv-emotion feature pickle that DialogueRNN-style code loads.

    Parameters
    ----------
    D : Dialogues
        Every utterance labelled with one of ``classes``.
    path : str or pathlib.Path
        The pickle to write (written to a temporary file first, then renamed).
    layout : {"iemocap", "meld"}, default "iemocap"
        The field layout (see the module documentation).
    classes : sequence or None, default None
        The label names in index order (default: :data:`CLASSES` of the layout).
    modalities : dict or None, default None
        Layout modality (``"text"``, ``"audio"``, ``"visual"``) -> the name in
        ``D.features``; default: the same names. A modality ``D`` lacks is written as an
        empty vector per utterance.
    test : sequence or None, default None
        The test dialogues' ids; default: those whose ``split`` is ``"test"`` (``"train"``
        and ``"dev"`` go to ``trainVid``). Both lists keep the order of ``D.ids``.

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    Speakers: for ``iemocap``, names that are ``"M"``/``"F"`` or IEMOCAP speaker
    ids (``Ses01F``) give that letter; otherwise party 0 is written ``"M"`` and party 1 ``"F"``
    (more than two parties is an error). For ``meld``, names that are slot indices 0-8 (as
    read from a MELD pickle) keep their slot; otherwise the party index is the slot. The
    sentences come from ``D.text`` (``""`` without it); MELD's sentiments from
    ``D.extra["sentiment"]``, which that layout requires.

    Examples
    --------
    >>> ak.dialogues.to_conv_emotion(D, "iemocap_features.pkl")   # doctest: +SKIP
    """
    D = as_dialogues(D)
    layout = _layout(layout)
    names = _classes(classes, layout)
    index = {c: i for i, c in enumerate(names)}
    mods = MODALITIES[layout]
    chosen = dict(modalities or {})
    unknown = set(chosen) - set(mods.values())
    if unknown:
        raise ParameterError(f"modalities: layout {layout!r} has the modalities {sorted(mods.values())}, not "
                             f"{sorted(unknown)}")
    for m, src in chosen.items():
        if src not in D.features:
            raise ParameterError(f"modalities: D has no features {src!r} (it has {sorted(D.features)})")
    if test is None:
        test_ids = {d for d, s in zip(D.ids, D.split) if s == "test"}
        if not test_ids and not any(s in ("train", "dev") for s in D.split):
            raise ParameterError("test: D's dialogues have no split; name the test dialogues with test=")
    else:
        test_ids = set(test)
        lacking = test_ids - set(D.ids)
        if lacking:
            raise ParameterError(f"test: no dialogue with id {sorted(map(str, lacking))[0]!r}")
    if layout == "meld" and "sentiment" not in D.extra:
        raise ParameterError("D: the meld layout needs a sentiment per utterance (D.extra['sentiment'], from the "
                             "manifest's 'sentiment' column)")

    f: Dict[str, Any] = {name: {} for name in _FIELDS[layout] if not name.endswith("Vid")}
    for k, vid in enumerate(D.ids):
        n = len(D.items[k])
        labels = []
        for item, lab in zip(D.items[k], D.labels[k]):
            if lab not in index:
                raise ParameterError(f"D: utterance {item!r} has label {lab!r}, which is none of the {layout} classes "
                                     f"{names} (drop it or pass classes=)")
            labels.append(index[lab])
        f["videoIDs"][vid] = list(D.items[k])
        f["videoSpeakers"][vid] = _speakers_out(D, k, layout)
        f["videoLabels"][vid] = labels
        for field_name, m in mods.items():
            src = chosen.get(m, m)
            if src in D.features:
                f[field_name][vid] = [np.array(row) for row in D.features[src][k]]
            else:
                f[field_name][vid] = [np.zeros(0, dtype=np.float32) for _ in range(n)]
        f["videoSentence"][vid] = list(D.text[k]) if D.text is not None else [""] * n
        if layout == "meld":
            sent = []
            for item, s in zip(D.items[k], D.extra["sentiment"][k]):
                if s not in SENTIMENTS:
                    raise ParameterError(f"D: utterance {item!r} has sentiment {s!r}; expected one of {SENTIMENTS}")
                sent.append(SENTIMENTS.index(s))
            f["videoSentiment"][vid] = sent
    f["trainVid"] = [d for d in D.ids if d not in test_ids]
    f["testVid"] = [d for d in D.ids if d in test_ids]
    data = tuple(f[name] for name in _FIELDS[layout])
    path = Path(path).expanduser()
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(data, fh, protocol=4)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _speakers_out(D: Dialogues, k: int, layout: str) -> List[Any]:
    names, party = D.speaker_names[k], D.speakers[k]
    if layout == "meld":
        if all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and 0 <= s < _MELD_SLOTS for s in names):
            slots = [int(s) for s in names]
        elif int(party.max()) < _MELD_SLOTS:
            slots = party.tolist()
        else:
            raise ParameterError(f"D: dialogue {D.ids[k]!r} has {int(party.max()) + 1} parties; the meld layout "
                                 f"has {_MELD_SLOTS} speaker slots")
        out = []
        for s in slots:
            v = [0.0] * _MELD_SLOTS
            v[s] = 1.0
            out.append(v)
        return out
    if all(isinstance(s, str) and _IEMOCAP_SPEAKER.fullmatch(s) for s in names):
        return [s[-1] for s in names]
    if int(party.max()) > 1:
        raise ParameterError(f"D: dialogue {D.ids[k]!r} has {int(party.max()) + 1} parties; the iemocap layout "
                             f"codes two (M/F)")
    return ["M" if p == 0 else "F" for p in party.tolist()]
