"""Emotion recognition in conversation: dialogues as data.

:class:`Dialogues` holds each conversation's utterances in order with their parties,
labels and per-utterance features; :func:`from_manifest` builds it from a manifest's
``dialogue`` and ``turn`` columns (filled by the IEMOCAP and MELD indexers). :func:`split`
and :func:`kfold` keep whole dialogues on one side; :func:`from_conv_emotion` and
:func:`to_conv_emotion` read and write the feature pickles of the conv-emotion code
(DialogueRNN, DialogueGCN, COSMIC); :func:`emotion_shift_report` (also
``ak.metrics.emotion_shift_report``) scores shift and no-shift utterances apart.

>>> import affectkit as ak, numpy as np, pandas as pd
>>> man = pd.DataFrame({"corpus": "demo", "item": ["u0", "u1", "u2"], "path": "", "split": None,
...                     "speaker": ["A", "B", "A"], "label": ["joy", "joy", "anger"],
...                     "dialogue": "d1", "turn": [0, 1, 2]})
>>> D = ak.dialogues.from_manifest(man, features=np.zeros((3, 8)))
>>> D
Dialogues(1 dialogues, 3 utterances, features {features: 8})
"""

from .conv_emotion import CLASSES, LAYOUTS, SENTIMENTS, from_conv_emotion, to_conv_emotion
from .data import Dialogues, from_manifest
from .shift import ShiftReport, emotion_shift_report, shift_status
from .splits import kfold, split

__all__ = ["Dialogues", "from_manifest", "split", "kfold", "from_conv_emotion", "to_conv_emotion", "CLASSES",
           "LAYOUTS", "SENTIMENTS", "emotion_shift_report", "shift_status", "ShiftReport"]
