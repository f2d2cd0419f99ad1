"""Evaluation protocols: which items train and which test, the way emotion papers split corpora.

:func:`splits` turns a manifest (:mod:`affectkit.datasets.manifest`), or several, into a
:class:`Folds` list: leave-one-speaker-out, leave-one-session-out, speaker-disjoint k-fold
(stratified by label), leave-one-corpus-out, pairwise cross-corpus, a corpus's official
split, a fold file (EmoBox-style JSONL), and the speaker-dependent k-fold that inflates
results (for comparison only). Every protocol checks that no speaker is on two sides of a
fold (an error where the protocol promises it; a :class:`SpeakerOverlapWarning` for
official splits and fold files that share speakers, as MELD's do), that every class of a
test side occurs in its training side, and counts the items per class on each side
(:meth:`Folds.summary`). :func:`select` applies a named selection such as IEMOCAP's
common 4-class set.

>>> import affectkit as ak
>>> man = ak.datasets.make_acted_corpus(40, n_speakers=4, seed=0).manifest
>>> folds = ak.evaluation.splits(man, protocol="loso")
>>> len(folds), folds[0].name, len(folds[0].test)
(4, 'spk00', 10)
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, List, Optional

import numpy as np

from ..errors import InputTypeError, ParameterError
from ._common import _missing
from .fold_files import read_fold_files, write_fold_files

__all__ = ["PROTOCOLS", "SELECTIONS", "Fold", "Folds", "SpeakerOverlapWarning", "splits", "combine", "select",
           "read_fold_files", "write_fold_files"]

#: Protocol names :func:`splits` accepts (aliases in :data:`_ALIASES`).
PROTOCOLS = ("loso", "leave-one-session-out", "speaker-kfold", "speaker-dependent", "leave-one-corpus-out",
             "cross-corpus", "official", "fold-file")
_ALIASES = {"leave-one-speaker-out": "loso", "loso-session": "leave-one-session-out", "loco": "leave-one-corpus-out",
            "speaker-disjoint-kfold": "speaker-kfold", "random-kfold": "speaker-dependent"}
#: Protocols whose folds never share a speaker between sides (checked: an error if they do).
SPEAKER_DISJOINT = ("loso", "leave-one-session-out", "speaker-kfold")


class SpeakerOverlapWarning(UserWarning):
    """A fold has speakers on both its training and its test side: an official split that
    shares speakers (MELD's characters), a fold file, or the speaker-dependent protocol.
    Scores on such folds are not speaker-independent."""


@dataclass
class Fold:
    """One train/test split (a result of :func:`splits`).

    Unpacks as ``train, test = fold``, so a :class:`Folds` list is a valid ``cv=`` for
    scikit-learn (``cross_val_score(est, X, y, cv=folds)``).

    Attributes
    ----------
    name : str
        The held-out speaker, session or corpus, ``"A->B"`` for cross-corpus, ``"fold1"``...
    train : numpy.ndarray of int
        Row positions (into the manifest, or into :func:`combine` of several) of the
        training side, without the validation items.
    test : numpy.ndarray of int
        Row positions of the test side.
    valid : numpy.ndarray of int
        Row positions held out from training for validation (early stopping, model
        selection): a speaker-disjoint part of the training speakers, or the official dev
        split; empty when none was asked for.
    counts : dict
        ``{"train": {class: n}, "valid": {...}, "test": {...}}``: items per class.
    shared_speakers : list of str, default []
        Speakers found on both the training (or validation) and the test side (an empty
        or ``"Unknown"`` speaker id, as MSP-Podcast writes it, is not counted).
    """

    name: str
    train: np.ndarray
    test: np.ndarray
    valid: np.ndarray
    counts: Dict[str, Dict[Any, int]]
    shared_speakers: List[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[np.ndarray]:
        return iter((self.train, self.test))

    def __len__(self) -> int:
        return 2


class Folds(list):
    """The folds of a protocol: a list of :class:`Fold` with the protocol's description.

    Iterating gives :class:`Fold` objects, each of which unpacks as ``(train, test)``, so
    the list is a valid ``cv=`` for scikit-learn's ``cross_validate`` and friends.

    Parameters
    ----------
    folds : iterable of Fold, default ()
        The folds.
    protocol : str, default ""
        The protocol's name.
    label : str, default "label"
        The label column the class counts come from.
    excluded : int, default 0
        Rows left out of every fold (no label, or a label outside the taxonomy).

    The parameters are kept as attributes of the same names.
    """

    def __init__(self, folds: Any = (), protocol: str = "", label: str = "label", excluded: int = 0) -> None:
        super().__init__(folds)
        self.protocol = protocol
        self.label = label
        self.excluded = excluded

    def summary(self) -> Any:
        """Items per class on each side of each fold.

        Returns
        -------
        pandas.DataFrame
            One row per (fold, side), one column per class, and ``total``.

        Examples
        --------
        >>> import affectkit as ak
        >>> man = ak.datasets.make_acted_corpus(40, n_speakers=4, seed=0).manifest
        >>> int(ak.evaluation.splits(man, "loso").summary().loc[("spk00", "test"), "total"])
        10
        """
        import pandas as pd

        rows, index = [], []
        for f in self:
            for side in ("train", "valid", "test"):
                if side == "valid" and len(f.valid) == 0:
                    continue
                rows.append(f.counts[side])
                index.append((f.name, side))
        frame = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["fold", "side"])).fillna(0)
        frame = frame.astype(int)
        frame = frame[sorted(frame.columns, key=str)]
        frame["total"] = frame.sum(axis=1)
        return frame

    def __repr__(self) -> str:
        sizes = ", ".join(f"{f.name}: {len(f.train)}/{len(f.test)}" for f in self[:6])
        more = ", ..." if len(self) > 6 else ""
        return f"Folds(protocol={self.protocol!r}, {len(self)} folds (train/test items): {sizes}{more})"


# --------------------------------------------------------------------------- manifests


def _as_frames(manifest: Any) -> "list[Any]":
    import pandas as pd

    if isinstance(manifest, pd.DataFrame):
        return [manifest]
    if isinstance(manifest, (list, tuple)) and manifest and all(isinstance(m, pd.DataFrame) for m in manifest):
        return list(manifest)
    raise InputTypeError(f"manifest: expected a pandas DataFrame (a manifest) or a list of them, got "
                         f"{type(manifest).__name__}")


def _corpus_names(frames: "list[Any]") -> "list[str]":
    names = []
    for i, m in enumerate(frames):
        values = m["corpus"].dropna().astype(str).unique() if "corpus" in m.columns else []
        if len(values) != 1:
            raise ParameterError(f"manifest {i}: column 'corpus' must hold one corpus name per manifest "
                                 f"(found {list(values)[:4]})")
        names.append(str(values[0]))
    if len(set(names)) != len(names):
        raise ParameterError(f"manifest: two manifests name the same corpus ({names}); give each its own 'corpus'")
    return names


def combine(manifests: Any, *, taxonomy: Optional[str] = None, label_sets: Optional[Dict[str, str]] = None,
            label: str = "label") -> Any:
    """Several manifests as one table, labels mapped to a common taxonomy.

    The rows keep their order (``pandas.concat`` of the manifests in the order given), so
    the row positions of :func:`splits` on a list of manifests index this table.

    Parameters
    ----------
    manifests : pandas.DataFrame or list of pandas.DataFrame
        Manifests (:mod:`affectkit.datasets.manifest`), one corpus each for several.
    taxonomy : str or None, default None
        A label set of :func:`affectkit.labels.label_set` (e.g. ``"ekman7"``,
        ``"iemocap4"``): every ``label`` is mapped to it with
        :func:`affectkit.labels.map_labels` from its corpus's own set
        (:data:`affectkit.datasets.CORPUS_LABEL_SETS`, or ``label_sets``); a label with no
        class there becomes ``None`` (left out of every fold). The original label stays
        in ``label_original``. None keeps the labels as they are.
    label_sets : dict or None, default None
        ``{corpus: label set}`` for corpora affectkit does not index (e.g.
        ``{"synthetic": "ekman7"}``); overrides the built-in table.
    label : str, default "label"
        The label column.

    Returns
    -------
    pandas.DataFrame
        The rows of all manifests with a fresh ``0..n-1`` index.

    Examples
    --------
    >>> import affectkit as ak
    >>> a = ak.datasets.make_acted_corpus(20, n_speakers=2, seed=0).manifest
    >>> b = a.assign(corpus="other", item=a["item"] + "_b")
    >>> both = ak.evaluation.combine([a, b], taxonomy="ekman7", label_sets={"synthetic": "ekman7", "other": "ekman7"})
    >>> sorted(both["label"].unique())[:3]
    ['anger', 'fear', 'happiness']
    """
    import pandas as pd

    from ..datasets.corpora import CORPUS_LABEL_SETS
    from ..labels import map_labels

    frames = _as_frames(manifests)
    for i, m in enumerate(frames):
        if label not in m.columns:
            raise ParameterError(f"manifest {i}: has no column {label!r}")
    if taxonomy is None:
        return pd.concat(frames, ignore_index=True)
    names = _corpus_names(frames)
    sets = dict(CORPUS_LABEL_SETS, **(label_sets or {}))
    out = []
    for name, m in zip(names, frames):
        if name not in sets:
            raise ParameterError(f"label_sets: corpus {name!r} has no known label set; pass "
                                 f"label_sets={{{name!r}: <set name>}} (known: {sorted(sets)})")
        m = m.copy()
        m["label_original"] = m[label]
        m[label] = map_labels(m[label].astype(object).where(m[label].notna(), None), sets[name], taxonomy,
                              unknown="nan")
        out.append(m)
    return pd.concat(out, ignore_index=True)


#: Named selections :func:`select` applies.
SELECTIONS = ("iemocap-4class",)


def select(manifest: Any, name: str, *, label: str = "label") -> Any:
    """A named subset of a corpus, as papers use it.

    ``"iemocap-4class"``: IEMOCAP's common 4-class set: neutral, happiness (happy and
    excited merged), sadness and anger, as :func:`affectkit.labels.map_labels` maps the
    ``iemocap`` set onto ``iemocap4``; every other turn (frustration, surprise, no
    agreement, ...) is dropped. On the full release (10,039 turns) this keeps 5,531
    utterances (1,708 neutral, 1,636 happiness, 1,084 sadness, 1,103 anger).

    Parameters
    ----------
    manifest : pandas.DataFrame
        The corpus's manifest (``ak.datasets.index_iemocap``).
    name : str
        One of :data:`SELECTIONS`.
    label : str, default "label"
        The label column.

    Returns
    -------
    pandas.DataFrame
        The selected rows (their original index), labels in the selection's set;
        ``label_original`` keeps the corpus's own label.

    Examples
    --------
    >>> man4 = ak.evaluation.select(ak.datasets.index_iemocap("IEMOCAP_full_release"),
    ...                             "iemocap-4class")   # doctest: +SKIP
    """
    import pandas as pd

    from ..labels import map_labels

    if name not in SELECTIONS:
        raise ParameterError(f"name: unknown selection {name!r}; expected one of {list(SELECTIONS)}")
    if not isinstance(manifest, pd.DataFrame):
        raise InputTypeError(f"manifest: expected a pandas DataFrame, got {type(manifest).__name__}")
    if label not in manifest.columns:
        raise ParameterError(f"manifest: has no column {label!r}")
    corpora = set(manifest["corpus"].dropna().astype(str)) if "corpus" in manifest.columns else set()
    if corpora and corpora != {"iemocap"}:
        raise ParameterError(f"manifest: {name} selects IEMOCAP turns; this manifest holds {sorted(corpora)}")
    out = manifest.copy()
    out["label_original"] = out[label]
    out[label] = map_labels(out[label].astype(object).where(out[label].notna(), None), "iemocap", "iemocap4",
                            unknown="nan")
    return out[out[label].notna()]


# --------------------------------------------------------------------------- folds


def _column(m: Any, name: str, protocol: str) -> np.ndarray:
    if name not in m.columns:
        raise ParameterError(f"manifest: protocol {protocol!r} needs a {name!r} column; the manifest has "
                             f"{list(m.columns)[:10]}")
    col = m[name]
    if col.isna().any():
        row = int(np.flatnonzero(col.isna().to_numpy())[0])
        raise ParameterError(f"manifest: column {name!r} is empty in row {row} (item "
                             f"{m['item'].iloc[row] if 'item' in m.columns else row!r}); protocol {protocol!r} needs "
                             "it on every labelled row")
    return col.astype(str).to_numpy()


#: Speaker ids that mean "not known" (MSP-Podcast writes "Unknown"): never counted as shared.
_UNKNOWN_SPEAKERS = {"", "Unknown", "unknown", "UNKNOWN"}


def _counts(labels: np.ndarray, rows: np.ndarray) -> Dict[Any, int]:
    values, n = np.unique(labels[rows].astype(str), return_counts=True)
    return {v: int(c) for v, c in zip(values.tolist(), n.tolist())}


def _fold(name: str, train: np.ndarray, test: np.ndarray, valid: np.ndarray, labels: np.ndarray,
          speakers: Optional[np.ndarray]) -> Fold:
    train, test, valid = (np.sort(np.asarray(a, dtype=np.int64)) for a in (train, test, valid))
    shared: "list[str]" = []
    if speakers is not None:
        shared = sorted((set(speakers[np.r_[train, valid]]) & set(speakers[test])) - _UNKNOWN_SPEAKERS)
    counts = {"train": _counts(labels, train), "valid": _counts(labels, valid), "test": _counts(labels, test)}
    return Fold(name=name, train=train, test=test, valid=valid, counts=counts, shared_speakers=shared)


def _validation(fold_train: np.ndarray, speakers: Optional[np.ndarray], fraction: Optional[float],
                seed: int) -> "tuple[np.ndarray, np.ndarray]":
    """Split a training side into (train, valid): ``fraction`` of its speakers (at least
    one), drawn with ``seed``, as scikit-learn's GroupShuffleSplit would."""
    if not fraction:
        return fold_train, np.empty(0, dtype=np.int64)
    if speakers is None:
        raise ParameterError("validation: a speaker-disjoint validation split needs the 'speaker' column")
    from sklearn.model_selection import GroupShuffleSplit

    groups = speakers[fold_train]
    if len(np.unique(groups)) < 2:
        raise ParameterError(f"validation: the training side has {len(np.unique(groups))} speaker; a "
                             "speaker-disjoint validation split needs at least 2")
    gss = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=seed)
    tr, va = next(gss.split(fold_train, groups=groups))
    return fold_train[tr], fold_train[va]


def _check_classes(folds: "list[Fold]", labels: np.ndarray) -> None:
    for f in folds:
        missing = sorted(set(f.counts["test"]) - set(f.counts["train"]), key=str)
        if missing:
            raise ParameterError(f"fold {f.name!r}: class(es) {missing} of its test side never occur in its training "
                                 f"side ({len(f.train)} items); the model cannot learn them (pass check_classes=False "
                                 "to score anyway)")
        if len(f.counts["train"]) < 2:
            raise ParameterError(f"fold {f.name!r}: its training side holds {len(f.counts['train'])} class(es); a "
                                 "classifier needs at least 2")


def splits(
    manifest: Any,
    protocol: str = "loso",
    *,
    n_splits: int = 5,
    seed: int = 0,
    validation: Optional[float] = None,
    label: str = "label",
    speaker: str = "speaker",
    session: str = "session",
    taxonomy: Optional[str] = None,
    label_sets: Optional[Dict[str, str]] = None,
    folds: Any = None,
    check_classes: bool = True,
) -> Folds:
    """The folds of an evaluation protocol on a manifest (or several).

    Protocols (see the evaluation guide, ``docs/evaluation.md``):

    - ``"loso"`` (``"leave-one-speaker-out"``): one fold per speaker, as scikit-learn's
      ``LeaveOneGroupOut`` on the ``speaker`` column.
    - ``"leave-one-session-out"``: one fold per value of the ``session`` column
      (IEMOCAP's five sessions: two speakers each).
    - ``"speaker-kfold"``: ``n_splits`` speaker-disjoint folds, stratified by label, as
      scikit-learn's ``StratifiedGroupKFold(n_splits, shuffle=True, random_state=seed)``.
    - ``"speaker-dependent"``: ``StratifiedKFold(n_splits, shuffle=True,
      random_state=seed)`` on items: every speaker is on both sides. The protocol that
      inflates results; here to measure by how much, never to report alone (its folds
      carry ``shared_speakers``; no warning).
    - ``"leave-one-corpus-out"``: several manifests; one fold per corpus (train on the
      others).
    - ``"cross-corpus"``: several manifests; one fold per ordered pair ``"A->B"`` (train
      on A, test on B).
    - ``"official"``: the ``split`` column: ``train`` trains, ``test`` tests and ``dev``
      is the validation side (MSP-Podcast, MELD). Shared speakers give a
      :class:`SpeakerOverlapWarning` (MELD's splits share characters).
    - ``"fold-file"``: the folds given by ``folds`` (a folder or files read by
      :func:`read_fold_files`, or ``{name: {"train": items, "test": items}}``); shared
      speakers give a :class:`SpeakerOverlapWarning`.

    Rows without a label are left out of every fold (counted in ``Folds.excluded``).
    For several manifests the row positions index :func:`combine` of them (the
    manifests concatenated in order).

    Parameters
    ----------
    manifest : pandas.DataFrame or list of pandas.DataFrame
        A manifest (:mod:`affectkit.datasets.manifest`), or several for the corpus protocols.
    protocol : str, default "loso"
        One of :data:`PROTOCOLS` (or an alias).
    n_splits : int, default 5
        Folds of ``"speaker-kfold"`` and ``"speaker-dependent"``.
    seed : int, default 0
        Shuffling of the k-fold protocols and of the validation speakers.
    validation : float or None, default None
        Hold out this fraction of each training side's speakers (speaker-disjoint, at
        least one speaker) as ``Fold.valid``. ``"official"`` uses the ``dev`` split
        instead.
    label : str, default "label"
        The label column (class counts, stratification, the class check).
    speaker : str, default "speaker"
        The speaker column.
    session : str, default "session"
        The session column of ``"leave-one-session-out"``.
    taxonomy : str or None, default None
        Map the labels of several manifests to this label set first (see
        :func:`combine`); needed when corpora spell their classes differently.
    label_sets : dict or None, default None
        ``{corpus: label set}`` for :func:`combine`.
    folds : str, os.PathLike, sequence or dict, optional
        The folds of ``"fold-file"``.
    check_classes : bool, default True
        Raise :class:`~affectkit.errors.ParameterError` naming the fold when a class of
        a test side never occurs in its training side, or a training side has one class.

    Returns
    -------
    Folds
        A list of :class:`Fold`; ``summary()`` counts the items per class and side.

    Raises
    ------
    affectkit.errors.ParameterError
        A protocol the manifest cannot support: a missing column (named), one speaker
        or session, fewer speakers than ``n_splits``, one manifest for a corpus protocol,
        a class missing from a training side (the fold named), speakers shared by a
        fold of a speaker-disjoint protocol.

    Examples
    --------
    >>> import affectkit as ak
    >>> man = ak.datasets.make_acted_corpus(60, n_speakers=6, seed=0).manifest
    >>> folds = ak.evaluation.splits(man, "speaker-kfold", n_splits=3, validation=0.25)
    >>> [len(f.test) for f in folds], folds[0].shared_speakers
    ([20, 20, 20], [])
    """

    if not isinstance(protocol, str):
        raise InputTypeError(f"protocol: expected a string, got {type(protocol).__name__}")
    proto = _ALIASES.get(protocol, protocol)
    if proto not in PROTOCOLS:
        raise ParameterError(f"protocol: unknown protocol {protocol!r}; expected one of {list(PROTOCOLS)} "
                             f"(aliases: {sorted(_ALIASES)})")
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ParameterError(f"n_splits: expected an integer >= 2, got {n_splits!r}")
    if validation is not None and not (isinstance(validation, (int, float)) and 0 < validation < 1):
        raise ParameterError(f"validation: expected a fraction in (0, 1) or None, got {validation!r}")
    frames = _as_frames(manifest)
    corpus_protocol = proto in ("leave-one-corpus-out", "cross-corpus")
    if corpus_protocol and len(frames) < 2:
        raise ParameterError(f"manifest: protocol {proto!r} needs a list of at least 2 manifests (one per corpus), "
                             f"got {len(frames)}")
    if not corpus_protocol and len(frames) > 1 and taxonomy is None:
        # several manifests for a within-corpus protocol: one table, labels as they are
        pass
    table = combine(frames, taxonomy=taxonomy, label_sets=label_sets, label=label) if len(frames) > 1 or taxonomy \
        else frames[0]
    if label not in table.columns:
        raise ParameterError(f"manifest: has no label column {label!r}")
    labels = table[label].to_numpy(dtype=object)
    labelled = np.array([not _missing(v) for v in labels])
    rows = np.flatnonzero(labelled)
    excluded = int(len(table) - len(rows))
    if len(rows) == 0:
        raise ParameterError(f"manifest: no row has a {label!r}")
    labels = np.array(["" if _missing(v) else str(v) for v in labels], dtype=object)
    speakers = None
    if speaker in table.columns:
        spk = table[speaker]
        speakers = np.array(["" if _missing(v) else str(v) for v in spk], dtype=object)

    out: "list[Fold]" = []
    if proto in ("loso", "leave-one-session-out", "speaker-kfold"):
        col = speaker if proto != "leave-one-session-out" else session
        groups = _column(table.iloc[rows], col, proto)
        uniq = np.unique(groups)
        if len(uniq) < 2:
            raise ParameterError(f"manifest: protocol {proto!r} needs at least 2 distinct values in column {col!r}, "
                                 f"found {len(uniq)} ({uniq.tolist()})")
        if proto == "speaker-kfold":
            from sklearn.model_selection import StratifiedGroupKFold

            if len(uniq) < n_splits:
                raise ParameterError(f"n_splits: {n_splits} speaker-disjoint folds need at least {n_splits} speakers "
                                     f"in column {speaker!r}, found {len(uniq)}")
            cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
            parts = list(cv.split(rows, labels[rows], groups))
            names = [f"fold{k + 1}" for k in range(len(parts))]
        else:
            from sklearn.model_selection import LeaveOneGroupOut

            parts = list(LeaveOneGroupOut().split(rows, groups=groups))
            names = [str(groups[te[0]]) for _, te in parts]
        for name, (tr, te) in zip(names, parts):
            train, valid = _validation(rows[tr], speakers, validation, seed)
            out.append(_fold(name, train, rows[te], valid, labels, speakers))
    elif proto == "speaker-dependent":
        from sklearn.model_selection import StratifiedKFold

        _, n_min = np.unique(labels[rows], return_counts=True)
        if n_min.min() < n_splits:
            raise ParameterError(f"n_splits: a class has {int(n_min.min())} item(s), fewer than n_splits={n_splits}")
        cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
        for k, (tr, te) in enumerate(cv.split(rows, labels[rows])):
            train, valid = _validation(rows[tr], speakers, validation, seed)
            out.append(_fold(f"fold{k + 1}", train, rows[te], valid, labels, speakers))
    elif corpus_protocol:
        corpus = table["corpus"].astype(str).to_numpy()
        names = _corpus_names(frames)
        for name in names:
            test = rows[corpus[rows] == name]
            if proto == "leave-one-corpus-out":
                train, valid = _validation(rows[corpus[rows] != name], speakers, validation, seed)
                out.append(_fold(name, train, test, valid, labels, speakers))
            else:
                for other in names:
                    if other == name:
                        continue
                    train, valid = _validation(rows[corpus[rows] == other], speakers, validation, seed)
                    out.append(_fold(f"{other}->{name}", train, test, valid, labels, speakers))
        if proto == "cross-corpus":
            order = {f"{a}->{b}": (names.index(a), names.index(b)) for a in names for b in names if a != b}
            out.sort(key=lambda f: order[f.name])
    elif proto == "official":
        if "split" not in table.columns:
            raise ParameterError("manifest: protocol 'official' needs a 'split' column (train/dev/test)")
        split = np.array(["" if _missing(v) else str(v) for v in table["split"]], dtype=object)
        sides = {s: rows[split[rows] == s] for s in ("train", "dev", "test")}
        for s in ("train", "test"):
            if len(sides[s]) == 0:
                corp = sorted(set(table["corpus"].astype(str))) if "corpus" in table.columns else []
                raise ParameterError(f"manifest: protocol 'official' found no labelled row with split {s!r} in column "
                                     f"'split' ({', '.join(corp) or 'this corpus'} publishes no official split?)")
        valid = sides["dev"] if validation is None else np.empty(0, dtype=np.int64)
        train = sides["train"] if validation is None else np.r_[sides["train"], sides["dev"]]
        if validation is not None:
            train, valid = _validation(train, speakers, validation, seed)
        out.append(_fold("official", train, sides["test"], valid, labels, speakers))
    else:  # fold-file
        if folds is None:
            raise ParameterError("folds: protocol 'fold-file' needs folds= (a folder of fold files, a list of files, "
                                 "or {name: {'train': items, 'test': items}})")
        spec = folds if isinstance(folds, dict) else read_fold_files(folds)
        out.extend(_folds_from_items(spec, table, labels, labelled, speakers))

    _check_overlap(out, proto)
    if check_classes:
        _check_classes(out, labels)
    return Folds(out, protocol=proto, label=label, excluded=excluded)


def _check_overlap(folds: "list[Fold]", proto: str) -> None:
    leaking = [f for f in folds if f.shared_speakers]
    if not leaking or proto == "speaker-dependent":
        return
    f = leaking[0]
    text = (f"fold {f.name!r}: {len(f.shared_speakers)} speaker(s) on both sides (e.g. {f.shared_speakers[:3]}); "
            f"{len(leaking)} of {len(folds)} fold(s) share speakers")
    if proto in SPEAKER_DISJOINT:
        raise ParameterError(f"{text}; protocol {proto!r} must be speaker-disjoint (is the 'speaker' column right?)")
    if proto in ("leave-one-corpus-out", "cross-corpus"):
        text += " (corpora with the same speaker ids?)"
    warnings.warn(f"{text}: scores on these folds are not speaker-independent", SpeakerOverlapWarning, stacklevel=3)


# --------------------------------------------------------------------------- fold files

def _folds_from_items(spec: Dict[str, Any], table: Any, labels: np.ndarray, labelled: np.ndarray,
                      speakers: Optional[np.ndarray]) -> "list[Fold]":
    items = table["item"].astype(str).to_numpy()
    where = {it: i for i, it in enumerate(items)}
    corpora = table["corpus"].astype(str).to_numpy() if "corpus" in table.columns else np.array([""] * len(items))
    # EmoBox keys are "<corpus>-<item>": match the item with or without that prefix
    where.update({f"{c}-{it}": i for i, (c, it) in enumerate(zip(corpora, items)) if f"{c}-{it}" not in where})
    out = []
    for name, sides in spec.items():
        if not isinstance(sides, dict) or "train" not in sides or "test" not in sides:
            raise ParameterError(f"folds: fold {name!r} must map 'train' and 'test' to lists of item ids")
        idx = {}
        for side in ("train", "test", "valid"):
            keys = [str(k) for k in sides.get(side, [])]
            unknown = [k for k in keys if k not in where]
            if unknown:
                raise ParameterError(f"folds: fold {name!r} {side} lists {len(unknown)} item(s) the manifest lacks, "
                                     f"e.g. {unknown[:3]}")
            pos = np.array([where[k] for k in keys], dtype=np.int64)
            idx[side] = pos[labelled[pos]] if len(pos) else pos
        both = set(idx["train"].tolist()) & set(idx["test"].tolist())
        if both:
            raise ParameterError(f"folds: fold {name!r} lists {len(both)} item(s) in both train and test, e.g. "
                                 f"{items[sorted(both)[0]]!r}")
        out.append(_fold(str(name), idx["train"], idx["test"], idx["valid"], labels, speakers))
    return out
