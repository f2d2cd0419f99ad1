"""Emotion-shift analysis: how a model does where the emotion changes.

In a conversation most utterances keep the emotion of the turn before, so a model that
copies context scores well on them and badly where the emotion shifts. Poria et al. (2019,
MELD, ACL) count an "emotion shift" when a speaker's emotion differs from that speaker's
previous utterance; analyses of context models (e.g. Ghosal et al. 2020, COSMIC) also
compare with the previous turn of anyone. :func:`emotion_shift_report` scores both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, List, Sequence

import numpy as np

from ..errors import ParameterError
from .data import Dialogues, as_dialogues

REFERENCES = ("speaker", "any")
GROUPS = ("shift", "no shift", "first")


def shift_status(D: Dialogues, reference: str = "speaker") -> List[List[str]]:
    """Each utterance's shift status against its reference utterance.

    Parameters
    ----------
    D : Dialogues
    reference : {"speaker", "any"}, default "speaker"
        ``"speaker"``: the same party's previous utterance in the dialogue (MELD's
        definition); ``"any"``: the previous turn, whoever spoke it.

    Returns
    -------
    list of list of str
        Per dialogue and utterance: ``"shift"`` (label differs from the reference's),
        ``"no shift"``, ``"first"`` (no reference utterance), or ``"unknown"`` (this or the
        reference utterance is unlabelled).

    Examples
    --------
    >>> import affectkit as ak, pandas as pd
    >>> man = pd.DataFrame({"corpus": "demo", "item": list("abcd"), "path": "", "split": None,
    ...                     "speaker": ["A", "B", "A", "B"], "label": ["joy", "joy", "anger", "joy"],
    ...                     "dialogue": "d", "turn": [0, 1, 2, 3]})
    >>> ak.dialogues.shift_status(ak.dialogues.from_manifest(man))
    [['first', 'first', 'shift', 'no shift']]
    >>> ak.dialogues.shift_status(ak.dialogues.from_manifest(man), reference="any")
    [['first', 'no shift', 'shift', 'shift']]
    """
    D = as_dialogues(D)
    if reference not in REFERENCES:
        raise ParameterError(f"reference: expected one of {list(REFERENCES)}, got {reference!r}")
    out = []
    for labels, party in zip(D.labels, D.speakers):
        last: dict = {}
        status = []
        for t, (lab, p) in enumerate(zip(labels, party.tolist())):
            key = p if reference == "speaker" else 0
            if key not in last:
                s = "first"
            elif lab is None or labels[last[key]] is None:
                s = "unknown"
            else:
                s = "shift" if lab != labels[last[key]] else "no shift"
            status.append(s)
            last[key] = t
        out.append(status)
    return out


@dataclass(frozen=True)
class ShiftReport:
    """The result of :func:`emotion_shift_report`.

    Attributes
    ----------
    table : pandas.DataFrame
        Index (reference, group) for references ``speaker``/``any`` and groups ``shift``,
        ``no shift``, ``first``; columns ``n``, ``WA``, ``UA``, ``F1-weighted``,
        ``F1-macro`` (fractions; NaN for an empty group).
    by_position : pandas.DataFrame
        Index = 0-based position in the dialogue; columns ``n`` and ``WA``.
    overall : dict of str to float
        ``n``, ``WA``, ``UA``, ``F1-weighted`` (MELD's usual metric) and ``F1-macro`` over
        all labelled utterances.
    """

    table: Any
    by_position: Any
    overall: "dict[str, float]"

    def __str__(self) -> str:
        t = self.table.copy()
        for c in ("WA", "UA", "F1-weighted", "F1-macro"):
            t[c] = (100 * t[c]).round(1)
        head = ", ".join(f"{k} {100 * v:.1f}" if k != "n" else f"n {int(v)}" for k, v in self.overall.items())
        return f"all utterances: {head}\n{t.to_string()}"

    __repr__ = __str__


def _per_dialogue(values: Any, D: Dialogues, name: str) -> List[List[Any]]:
    if isinstance(values, (list, tuple)) and len(values) == len(D) and all(
            isinstance(v, (list, tuple, np.ndarray)) for v in values) and [len(v) for v in values] == D.lengths.tolist():
        return [list(v) for v in values]
    flat = np.asarray(values, dtype=object).reshape(-1) if not isinstance(values, np.ndarray) else values.reshape(-1)
    if len(flat) != D.n_utterances:
        raise ParameterError(f"{name}: expected one prediction per utterance ({D.n_utterances}, flat or one list per "
                             f"dialogue of lengths {D.lengths.tolist()[:5]}...), got {len(flat)}")
    return [list(v) for v in D.unflatten(flat)]


def emotion_shift_report(D: Dialogues, pred: Any, *, labels: Sequence[Any] = ()) -> ShiftReport:
    """Scores on utterances whose emotion shifts, does not shift, or opens a party's turns.

    Parameters
    ----------
    D : Dialogues
        The true labels (unlabelled utterances are not scored).
    pred : list of array-like (one per dialogue) or array-like of length ``D.n_utterances``
        Predicted labels, e.g. ``DialogueClassifier.predict(D)`` or a flat array in
        :meth:`Dialogues.flat` order.
    labels : sequence, default ()
        The class set (default: every class in the truth and predictions). UA averages the
        recall of the classes a group's truth holds, as ``balanced_accuracy_score``;
        F1-macro averages over the classes in the group's truth and predictions.

    Returns
    -------
    ShiftReport
        See :class:`ShiftReport`; shifts are counted as :func:`shift_status` defines them.

    Examples
    --------
    >>> import affectkit as ak, pandas as pd
    >>> man = pd.DataFrame({"corpus": "demo", "item": list("abcd"), "path": "", "split": None,
    ...                     "speaker": ["A", "B", "A", "B"], "label": ["joy", "joy", "anger", "joy"],
    ...                     "dialogue": "d", "turn": [0, 1, 2, 3]})
    >>> D = ak.dialogues.from_manifest(man)
    >>> r = ak.metrics.emotion_shift_report(D, [["joy", "joy", "joy", "joy"]])
    >>> float(r.table.loc[("speaker", "shift"), "WA"]), float(r.table.loc[("speaker", "no shift"), "WA"])
    (0.0, 1.0)
    """
    import pandas as pd

    from .. import metrics as M

    D = as_dialogues(D)
    pred = _per_dialogue(pred, D, "pred")
    truth = [v for part in D.labels for v in part]
    flat_pred = [v for part in pred for v in part]
    scored = np.array([t is not None for t in truth])
    if labels:
        classes = list(labels)
    else:
        seen = {v for v in truth if v is not None} | set(flat_pred)
        classes = sorted(seen, key=str)
    y = np.array(truth, dtype=object)
    p = np.array(flat_pred, dtype=object)

    def scores(mask: np.ndarray) -> "dict[str, float]":
        mask = mask & scored
        n = int(mask.sum())
        if n == 0:
            return {"n": 0, "WA": np.nan, "UA": np.nan, "F1-weighted": np.nan, "F1-macro": np.nan}
        yt, yp = y[mask].tolist(), p[mask].tolist()
        return {"n": n, "WA": M.weighted_accuracy(yt, yp, labels=classes),
                "UA": M.unweighted_accuracy(yt, yp, labels=classes),
                "F1-weighted": M.f1(yt, yp, average="weighted", labels=classes),
                "F1-macro": M.f1(yt, yp, average="macro")}

    rows, index = [], []
    for ref in REFERENCES:
        status = np.array([s for part in shift_status(D, ref) for s in part], dtype=object)
        for g in GROUPS:
            rows.append(scores(status == g))
            index.append((ref, g))
    table = pd.DataFrame(rows, index=pd.MultiIndex.from_tuples(index, names=["reference", "group"]))
    pos = D.flat("turn")
    by_position = pd.DataFrame([{"position": int(k), "n": int((scored & (pos == k)).sum()),
                                 "WA": scores(pos == k)["WA"]} for k in np.unique(pos)]).set_index("position")
    return ShiftReport(table=table, by_position=by_position, overall=scores(np.ones(len(y), dtype=bool)))
