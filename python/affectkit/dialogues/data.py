"""Dialogues: the utterances of each conversation in order, with their parties, labels and
features -- the unit that emotion-recognition-in-conversation (ERC) models read.

A manifest becomes :class:`Dialogues` through :func:`from_manifest`, which reads two standard
columns: ``dialogue`` (the conversation's id) and ``turn`` (the utterance's 0-based position
in it). The IEMOCAP and MELD indexers fill both; any corpus may add them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

from ..errors import InputTypeError, ParameterError


def _missing(v: Any) -> bool:
    """None, NaN, NaT or pandas.NA (the missing cells of a DataFrame column)."""
    if v is None:
        return True
    try:
        return bool(v != v)
    except TypeError:  # pandas.NA refuses bool()
        return True


@dataclass
class Dialogues:
    """Conversations as ordered utterances: ids, parties, labels and per-utterance features.

    Every per-utterance field is a list with one entry per dialogue, in :attr:`ids` order;
    each entry holds that dialogue's utterances in turn order. Build one with
    :func:`from_manifest` or :func:`affectkit.dialogues.from_conv_emotion`.

    Attributes
    ----------
    ids : list
        Dialogue ids.
    items : list of list
        Utterance (item) ids per dialogue.
    speakers : list of numpy.ndarray of int
        The party index of each utterance within its dialogue: 0 for the first party to
        speak, 1 for the next new one, ... (the "party" of DialogueRNN).
    speaker_names : list of list
        The speaker ids those indices stand for (``""`` for the anonymous speaker of a
        corpus without speaker ids).
    labels : list of list
        Per-utterance labels (``None`` where unlabelled).
    features : dict of str to list of numpy.ndarray
        Per modality (``"audio"``, ``"text"``, ...: the names given to
        :func:`from_manifest`), one ``(n_utterances, dim)`` float array per dialogue.
    split : list
        Per dialogue: the manifest's ``split`` (``"train"``, ``"dev"``, ``"test"``) or None.
    session : list
        Per dialogue: the manifest's ``session`` (IEMOCAP's 1-5) or None.
    text : list of list or None
        Per-utterance transcripts where the manifest has a ``text`` column.
    extra : dict of str to list of list
        Other per-utterance columns carried through (e.g. MELD's ``sentiment``).

    Examples
    --------
    >>> import affectkit as ak, numpy as np, pandas as pd
    >>> man = pd.DataFrame({"corpus": "demo", "item": ["u1", "u2", "u3"], "path": "",
    ...                     "speaker": ["ann", "bob", "ann"], "label": ["joy", "anger", "joy"],
    ...                     "split": None, "dialogue": ["d1", "d1", "d1"], "turn": [0, 1, 2]})
    >>> D = ak.dialogues.from_manifest(man, features=np.eye(3))
    >>> D.speakers[0].tolist(), D.labels[0]
    ([0, 1, 0], ['joy', 'anger', 'joy'])
    """

    ids: List[Any]
    items: List[List[Any]]
    speakers: List[np.ndarray]
    speaker_names: List[List[Any]]
    labels: List[List[Any]]
    features: Dict[str, List[np.ndarray]] = field(default_factory=dict)
    split: List[Any] = field(default_factory=list)
    session: List[Any] = field(default_factory=list)
    text: Optional[List[List[Any]]] = None
    extra: Dict[str, List[List[Any]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = len(self.ids)
        if not self.split:
            self.split = [None] * n
        if not self.session:
            self.session = [None] * n
        for name in ("items", "speakers", "speaker_names", "labels", "split", "session"):
            if len(getattr(self, name)) != n:
                raise ParameterError(f"Dialogues: {name} has {len(getattr(self, name))} entries for {n} dialogues")
        for d, its in zip(self.ids, self.items):
            if len(its) == 0:
                raise ParameterError(f"Dialogues: dialogue {d!r} has no utterances")

    def __len__(self) -> int:
        return len(self.ids)

    def __repr__(self) -> str:
        mods = ", ".join(f"{m}: {self.features[m][0].shape[1] if self.ids else 0}" for m in self.features)
        return (f"Dialogues({len(self)} dialogues, {self.n_utterances} utterances"
                + (f", features {{{mods}}}" if mods else "") + ")")

    @property
    def n_utterances(self) -> int:
        """The number of utterances over all dialogues."""
        return sum(len(i) for i in self.items)

    @property
    def lengths(self) -> np.ndarray:
        """Utterances per dialogue."""
        return np.array([len(i) for i in self.items], dtype=np.int64)

    def flat(self, what: str = "labels") -> np.ndarray:
        """One field over all utterances, dialogue after dialogue in turn order.

        Parameters
        ----------
        what : str, default "labels"
            ``"labels"``, ``"items"``, ``"speakers"``, ``"speaker_names"``, ``"dialogue"``
            (the dialogue id of each utterance), ``"turn"``, or a modality name of
            :attr:`features` (a 2-D array).

        Returns
        -------
        numpy.ndarray
        """
        if what in self.features:
            return np.concatenate(self.features[what], axis=0)
        if what == "dialogue":
            return np.array([d for d, its in zip(self.ids, self.items) for _ in its], dtype=object)
        if what == "turn":
            return np.concatenate([np.arange(len(i)) for i in self.items]) if self.ids else np.zeros(0, np.int64)
        if what == "speakers":
            return np.concatenate(self.speakers) if self.ids else np.zeros(0, np.int64)
        if what in ("labels", "items", "speaker_names"):
            return np.array([v for part in getattr(self, what) for v in part], dtype=object)
        raise ParameterError(f"what: expected labels, items, speakers, speaker_names, dialogue, turn or one of the "
                             f"modalities {sorted(self.features)}, got {what!r}")

    def to_frame(self) -> Any:
        """One row per utterance: ``dialogue``, ``turn``, ``item``, ``party``, ``speaker``,
        ``label`` (and ``text``, ``split``, ``session`` where known).

        Returns
        -------
        pandas.DataFrame
        """
        import pandas as pd

        lengths = self.lengths
        df = pd.DataFrame({"dialogue": self.flat("dialogue"), "turn": self.flat("turn"), "item": self.flat("items"),
                           "party": self.flat("speakers"), "speaker": self.flat("speaker_names"),
                           "label": self.flat("labels")})
        if self.text is not None:
            df["text"] = [t for part in self.text for t in part]
        df["split"] = np.repeat(np.array(self.split, dtype=object), lengths)
        df["session"] = np.repeat(np.array(self.session, dtype=object), lengths)
        return df

    def subset(self, which: Any) -> "Dialogues":
        """The dialogues with the given ids (in that order), or where a boolean mask is True.

        Parameters
        ----------
        which : sequence of dialogue ids, or a boolean mask of length ``len(self)``

        Returns
        -------
        Dialogues
        """
        which = which.tolist() if isinstance(which, np.ndarray) else list(which)
        if len(which) == len(self) and all(isinstance(w, (bool, np.bool_)) for w in which):
            pos = [i for i, w in enumerate(which) if w]
        else:
            index = {d: i for i, d in enumerate(self.ids)}
            lacking = [w for w in which if w not in index]
            if lacking:
                raise ParameterError(f"which: no dialogue with id {lacking[0]!r}")
            pos = [index[w] for w in which]

        def pick(seq: Sequence[Any]) -> List[Any]:
            return [seq[i] for i in pos]

        return Dialogues(ids=pick(self.ids), items=pick(self.items), speakers=pick(self.speakers),
                         speaker_names=pick(self.speaker_names), labels=pick(self.labels),
                         features={m: pick(v) for m, v in self.features.items()}, split=pick(self.split),
                         session=pick(self.session), text=None if self.text is None else pick(self.text),
                         extra={k: pick(v) for k, v in self.extra.items()})

    def unflatten(self, values: Any) -> List[np.ndarray]:
        """Cut one value per utterance (in :meth:`flat` order) back into per-dialogue arrays.

        Parameters
        ----------
        values : array-like of length ``n_utterances``

        Returns
        -------
        list of numpy.ndarray
        """
        values = np.asarray(values, dtype=object) if not isinstance(values, np.ndarray) else values
        if len(values) != self.n_utterances:
            raise ParameterError(f"values: has {len(values)} entries for {self.n_utterances} utterances")
        return np.split(values, np.cumsum(self.lengths)[:-1]) if self.ids else []


def _feature_table(features: Any, name: str, manifest: Any) -> np.ndarray:
    """Rows of ``features`` aligned with the manifest's rows (by item id for a DataFrame)."""
    import pandas as pd

    if isinstance(features, pd.DataFrame):
        items = manifest["item"].astype(str)
        index = features.index.astype(str)
        if "item" in features.columns:
            index = features["item"].astype(str)
            features = features.drop(columns=["item"])
        pos = pd.Series(np.arange(len(index)), index=index)
        if pos.index.duplicated().any():
            raise ParameterError(f"{name}: item {pos.index[pos.index.duplicated()][0]!r} occurs more than once")
        lacking = ~items.isin(pos.index)
        if lacking.any():
            raise ParameterError(f"{name}: has no row for item {items[lacking].iloc[0]!r}")
        features = features.select_dtypes("number").to_numpy(dtype=np.float64)[pos[items].to_numpy()]
    try:
        arr = np.asarray(features, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InputTypeError(f"{name}: expected a numeric array or DataFrame, got {type(features).__name__}") from e
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] != len(manifest):
        raise ParameterError(f"{name}: expected shape ({len(manifest)}, dim) (one row per manifest row), "
                             f"got {arr.shape}")
    return arr


def from_manifest(manifest: Any, features: Any = None, *, label: str = "label", speaker: str = "speaker",
                  dialogue: str = "dialogue", turn: str = "turn",
                  extra: Sequence[str] = ("sentiment",)) -> Dialogues:
    """Group a manifest's utterances into ordered dialogues.

    Parameters
    ----------
    manifest : pandas.DataFrame
        A manifest (see :mod:`affectkit.datasets`) with a dialogue-id column and a turn
        column (0-based order within the dialogue; any sortable integers are accepted and
        only their order is used).
    features : array-like, pandas.DataFrame, dict of str to those, or None, default None
        Per-utterance features: an array with one row per manifest row, a DataFrame indexed
        by item id (or with an ``item`` column; its numeric columns are used), or a dict
        ``{modality: features}`` for several modalities (e.g. eGeMAPS, face geometry, text or
        SSL embeddings). A single array is called ``"features"``. NaN marks a missing value
        and is kept.
    label : str, default "label"
        The label column (None/NaN = unlabelled); a missing column gives unlabelled dialogues.
    speaker : str, default "speaker"
        The speaker column. Where a cell is empty (or the named column is absent), the
        utterance belongs to one anonymous speaker ``""`` of its dialogue.
    dialogue : str, default "dialogue"
        The dialogue-id column.
    turn : str, default "turn"
        The order column.
    extra : sequence of str, default ("sentiment",)
        Further per-utterance columns to carry into :attr:`Dialogues.extra` when present.

    Returns
    -------
    Dialogues
        Dialogues in order of first appearance in the manifest; utterances in turn order.
        A dialogue of one utterance is allowed.

    Raises
    ------
    affectkit.errors.ParameterError
        A missing ``dialogue`` or ``turn`` column or cell (naming the column and item), a
        turn that is not an integer or repeats within a dialogue, features of the wrong
        length, or an item the features lack.

    Examples
    --------
    >>> import affectkit as ak, numpy as np, pandas as pd
    >>> man = pd.DataFrame({"corpus": "demo", "item": ["b1", "a1", "a2"], "path": "",
    ...                     "speaker": ["x", "x", "y"], "label": ["sad", "joy", "joy"],
    ...                     "split": None, "dialogue": ["b", "a", "a"], "turn": [0, 0, 1]})
    >>> D = ak.dialogues.from_manifest(man, features={"audio": np.zeros((3, 4))})
    >>> D.ids, D.items
    (['b', 'a'], [['b1'], ['a1', 'a2']])
    """
    from ..datasets.manifest import check_manifest

    check_manifest(manifest)
    for col in (dialogue, turn):
        if col not in manifest.columns:
            raise ParameterError(f"manifest: has no {col!r} column; dialogues need the dialogue id ({dialogue!r}) and "
                                 f"the 0-based utterance order ({turn!r}) of every row")
    items = manifest["item"].tolist()
    dia = manifest[dialogue].tolist()
    raw_turn = manifest[turn].tolist()
    turns = []
    for i, (d, t) in enumerate(zip(dia, raw_turn)):
        if _missing(d) or str(d) == "":
            raise ParameterError(f"manifest: item {items[i]!r} has no {dialogue!r} (dialogue id)")
        if _missing(t):
            raise ParameterError(f"manifest: item {items[i]!r} has no {turn!r} (order within its dialogue)")
        try:
            ft = float(t)
        except (TypeError, ValueError):
            ft = math.nan
        if not math.isfinite(ft) or ft != int(ft):
            raise ParameterError(f"manifest: item {items[i]!r} has {turn!r} {t!r}; expected an integer")
        turns.append(int(ft))

    mods: Dict[str, np.ndarray] = {}
    if features is not None:
        if isinstance(features, Mapping):
            if not features:
                raise ParameterError("features: the dict of modalities is empty")
            for m, f in features.items():
                mods[str(m)] = _feature_table(f, f"features[{m!r}]", manifest)
        else:
            mods["features"] = _feature_table(features, "features", manifest)

    labels = manifest[label].tolist() if label in manifest.columns else [None] * len(items)
    spk = manifest[speaker].tolist() if speaker in manifest.columns else [""] * len(items)
    split = manifest["split"].tolist()
    session = manifest["session"].tolist() if "session" in manifest.columns else [None] * len(items)
    text = manifest["text"].tolist() if "text" in manifest.columns else None
    extras = {c: manifest[c].tolist() for c in extra if c in manifest.columns}

    groups: Dict[Any, List[int]] = {}
    for i, d in enumerate(dia):
        groups.setdefault(d, []).append(i)
    out = Dialogues(ids=[], items=[], speakers=[], speaker_names=[], labels=[], split=[], session=[],
                    text=[] if text is not None else None, extra={c: [] for c in extras})
    for m in mods:
        out.features[m] = []
    for d, rows in groups.items():
        rows = sorted(rows, key=lambda r: turns[r])
        seen = [turns[r] for r in rows]
        dup = next((a for a, b in zip(seen, seen[1:]) if a == b), None)
        if dup is not None:
            raise ParameterError(f"manifest: dialogue {d!r} has two utterances with {turn!r} {dup}")
        names = ["" if _missing(spk[r]) else spk[r] for r in rows]
        party: Dict[Any, int] = {}
        idx = np.array([party.setdefault(n, len(party)) for n in names], dtype=np.int64)
        out.ids.append(d)
        out.items.append([items[r] for r in rows])
        out.speakers.append(idx)
        out.speaker_names.append(names)
        out.labels.append([None if _missing(labels[r]) else labels[r] for r in rows])
        out.split.append(_one_value([split[r] for r in rows], d, "split"))
        out.session.append(_one_value([session[r] for r in rows], d, "session"))
        if text is not None:
            out.text.append(["" if _missing(text[r]) else text[r] for r in rows])
        for c, vals in extras.items():
            out.extra[c].append([None if _missing(vals[r]) else vals[r] for r in rows])
        for m, arr in mods.items():
            out.features[m].append(arr[rows])
    out.__post_init__()
    return out


def _one_value(values: List[Any], dialogue: Any, column: str) -> Any:
    present = {v for v in values if not _missing(v)}
    if len(present) > 1:
        raise ParameterError(f"manifest: dialogue {dialogue!r} has utterances in different {column!r} values "
                             f"{sorted(map(str, present))}; a dialogue stays on one side of a split")
    return present.pop() if present else None


def as_dialogues(D: Any, name: str = "D") -> Dialogues:
    """``D`` itself when it is a :class:`Dialogues`, else an :class:`InputTypeError` naming ``name``."""
    if not isinstance(D, Dialogues):
        raise InputTypeError(f"{name}: expected affectkit.dialogues.Dialogues (see ak.dialogues.from_manifest), "
                             f"got {type(D).__name__}")
    return D
