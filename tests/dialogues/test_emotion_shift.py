"""Emotion-shift counts and scores on hand-computed fixtures."""

import numpy as np
import pandas as pd
import pytest

import affectkit as ak
from affectkit.errors import ParameterError


def _dialogues():
    # d1: A joy, B joy, A anger, B joy, A anger, B (unlabelled), B sad
    # d2: C neutral (one utterance)
    man = pd.DataFrame({
        "corpus": "demo", "path": "", "split": None,
        "item": [f"d1_{t}" for t in range(7)] + ["d2_0"],
        "speaker": ["A", "B", "A", "B", "A", "B", "B", "C"],
        "label": ["joy", "joy", "anger", "joy", "anger", None, "sad", "neutral"],
        "dialogue": ["d1"] * 7 + ["d2"], "turn": list(range(7)) + [0]})
    return ak.dialogues.from_manifest(man)


def test_shift_status_by_hand():
    D = _dialogues()
    # same speaker: A: joy -> anger (shift) -> anger (no shift); B: joy -> joy (no) -> None (unknown) -> sad (unknown)
    assert ak.dialogues.shift_status(D, "speaker") == [
        ["first", "first", "shift", "no shift", "no shift", "unknown", "unknown"], ["first"]]
    # previous turn of anyone
    assert ak.dialogues.shift_status(D, "any") == [
        ["first", "no shift", "shift", "shift", "shift", "unknown", "unknown"], ["first"]]
    with pytest.raises(ParameterError, match=r"reference: expected one of"):
        ak.dialogues.shift_status(D, "listener")


def test_report_counts_and_scores():
    D = _dialogues()
    # a model that always repeats "joy" except on the last utterance
    pred = [["joy", "joy", "joy", "joy", "anger", "joy", "sad"], ["joy"]]
    r = ak.metrics.emotion_shift_report(D, pred)
    t = r.table
    assert t.loc[("speaker", "shift"), "n"] == 1 and t.loc[("speaker", "shift"), "WA"] == 0.0
    assert t.loc[("speaker", "no shift"), "n"] == 2 and t.loc[("speaker", "no shift"), "WA"] == 1.0
    assert t.loc[("speaker", "first"), "n"] == 3 and t.loc[("speaker", "first"), "WA"] == pytest.approx(2 / 3)
    assert t.loc[("any", "shift"), "n"] == 3 and t.loc[("any", "shift"), "WA"] == pytest.approx(2 / 3)
    assert t.loc[("any", "no shift"), "n"] == 1 and t.loc[("any", "first"), "n"] == 2
    # the unknown group is not a row; unlabelled utterances are never scored
    assert r.overall["n"] == 7 and r.overall["WA"] == pytest.approx(5 / 7)
    # the same numbers from a flat prediction in D.flat() order, and F1 as scikit-learn's
    flat = [v for part in pred for v in part]
    assert r.table.equals(ak.metrics.emotion_shift_report(D, flat).table)
    from sklearn.metrics import balanced_accuracy_score, f1_score

    y = [v for v in D.flat("labels")]
    keep = [i for i, v in enumerate(y) if v is not None]
    yt, yp = [y[i] for i in keep], [flat[i] for i in keep]
    assert r.overall["F1-weighted"] == pytest.approx(f1_score(yt, yp, average="weighted"))
    assert r.overall["UA"] == pytest.approx(balanced_accuracy_score(yt, yp))
    # per position: turn 0 has two utterances (d1_0 right, d2_0 wrong)
    assert r.by_position.loc[0, "n"] == 2 and r.by_position.loc[0, "WA"] == 0.5
    assert r.by_position.loc[5, "n"] == 0 and np.isnan(r.by_position.loc[5, "WA"])
    assert "shift" in str(r) and "F1-weighted" in str(r)


def test_prediction_shape_errors():
    D = _dialogues()
    with pytest.raises(ParameterError, match=r"pred: expected one prediction per utterance \(8"):
        ak.metrics.emotion_shift_report(D, ["joy"] * 7)
    with pytest.raises(ParameterError, match=r"pred: expected one prediction per utterance"):
        ak.metrics.emotion_shift_report(D, [["joy"] * 6, ["joy"]])
