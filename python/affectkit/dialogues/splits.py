"""Train/test splits that keep every dialogue whole on one side.

A context model sees the other turns of a dialogue, so an utterance in the test set must
not share its dialogue with training utterances: these splits assign dialogues, never
single utterances.
"""

from __future__ import annotations

from typing import Any, Dict, List, Sequence, Tuple

import numpy as np

from ..errors import ParameterError
from .data import Dialogues, as_dialogues

PROTOCOLS = ("official", "sessions")


def split(D: Dialogues, protocol: str = "official", *, test_sessions: Sequence[Any] = (5,)) -> Dict[str, Dialogues]:
    """Split dialogues by the corpus's convention.

    Parameters
    ----------
    D : Dialogues
        From :func:`affectkit.dialogues.from_manifest` (whose manifest had ``split`` and,
        for ``"sessions"``, ``session`` columns).
    protocol : {"official", "sessions"}, default "official"
        ``"official"``: the manifest's ``split`` (MELD's train/dev/test). ``"sessions"``:
        the dialogues of ``test_sessions`` test, the others train -- IEMOCAP's usual ERC
        split, sessions 1-4 against 5 (as in DialogueRNN, Majumder et al. 2019, AAAI).
    test_sessions : sequence, default (5,)
        The test sessions of ``"sessions"``.

    Returns
    -------
    dict of str to Dialogues
        ``{"train": ..., "dev": ..., "test": ...}``; a side without dialogues is left out.

    Raises
    ------
    affectkit.errors.ParameterError
        For an unknown protocol, or a dialogue without a split / session.

    Examples
    --------
    >>> import affectkit as ak, pandas as pd
    >>> man = pd.DataFrame({"corpus": "demo", "item": ["a0", "a1", "b0"], "path": "", "speaker": "s",
    ...                     "label": "joy", "split": ["train", "train", "test"],
    ...                     "dialogue": ["a", "a", "b"], "turn": [0, 1, 0]})
    >>> parts = ak.dialogues.split(ak.dialogues.from_manifest(man))
    >>> {k: v.ids for k, v in parts.items()}
    {'train': ['a'], 'test': ['b']}
    """
    D = as_dialogues(D)
    if protocol == "official":
        side = D.split
        what = "split"
    elif protocol == "sessions":
        tests = {str(s) for s in test_sessions}
        if not tests:
            raise ParameterError("test_sessions: name at least one session")
        side = [None if s is None else ("test" if str(s) in tests else "train") for s in D.session]
        what = "session"
    else:
        raise ParameterError(f"protocol: expected one of {list(PROTOCOLS)}, got {protocol!r}")
    lacking = [d for d, s in zip(D.ids, side) if s is None]
    if lacking:
        raise ParameterError(f"D: dialogue {lacking[0]!r} has no {what} (protocol {protocol!r} needs the manifest's "
                             f"{what!r} column on every row)")
    out = {}
    for name in ("train", "dev", "test"):
        mask = [s == name for s in side]
        if any(mask):
            out[name] = D.subset(mask)
    return out


def kfold(D: Dialogues, n_splits: int = 5, *, seed: int = 0) -> List[Tuple[Dialogues, Dialogues]]:
    """K folds over whole dialogues (shuffled with ``seed``, sizes differing by at most one
    dialogue).

    Parameters
    ----------
    D : Dialogues
    n_splits : int, default 5
        Number of folds (2 <= n_splits <= number of dialogues).
    seed : int, default 0
        Seed of the shuffle.

    Returns
    -------
    list of (Dialogues, Dialogues)
        ``(train, test)`` per fold; every dialogue tests exactly once.

    Examples
    --------
    >>> folds = ak.dialogues.kfold(D, n_splits=5)   # doctest: +SKIP
    """
    D = as_dialogues(D)
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or not 2 <= n_splits <= len(D):
        raise ParameterError(f"n_splits: expected an integer from 2 to the number of dialogues ({len(D)}), "
                             f"got {n_splits!r}")
    order = np.random.default_rng(seed).permutation(len(D))
    out = []
    for part in np.array_split(order, int(n_splits)):
        test = np.zeros(len(D), dtype=bool)
        test[part] = True
        out.append((D.subset(~test), D.subset(test)))
    return out
