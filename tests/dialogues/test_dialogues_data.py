"""ak.dialogues.from_manifest, Dialogues, split and kfold."""

import numpy as np
import pandas as pd
import pytest

import affectkit as ak
from affectkit.errors import InputTypeError, ParameterError


def _manifest(**over):
    # two dialogues, listed out of order; d2 has a single utterance
    man = pd.DataFrame({
        "corpus": "demo",
        "item": ["a2", "a0", "b0", "a1", "a3"],
        "path": "",
        "speaker": ["ann", "ann", "cy", "bob", "bob"],
        "label": ["joy", "joy", "sad", None, "anger"],
        "split": ["train", "train", "test", "train", "train"],
        "dialogue": ["d1", "d1", "d2", "d1", "d1"],
        "turn": [2, 0, 0, 1, 3],
        "text": ["x2", "x0", "y0", "x1", "x3"],
    })
    for k, v in over.items():
        man[k] = v
    return man


def test_from_manifest_orders_turns_and_numbers_parties():
    man = _manifest()
    X = np.arange(10.0).reshape(5, 2)
    D = ak.dialogues.from_manifest(man, features={"audio": X, "text": X[:, :1] * 10})
    assert D.ids == ["d1", "d2"] and len(D) == 2 and D.n_utterances == 5
    assert D.items == [["a0", "a1", "a2", "a3"], ["b0"]]
    assert D.speakers[0].tolist() == [0, 1, 0, 1] and D.speakers[1].tolist() == [0]
    assert D.speaker_names[0] == ["ann", "bob", "ann", "bob"]
    assert D.labels == [["joy", None, "joy", "anger"], ["sad"]]
    # feature rows follow the items: a0 is manifest row 1, a1 row 3, a2 row 0, a3 row 4
    assert D.features["audio"][0].tolist() == [[2, 3], [6, 7], [0, 1], [8, 9]]
    assert D.features["text"][1].tolist() == [[40.0]]
    assert D.split == ["train", "test"] and D.text == [["x0", "x1", "x2", "x3"], ["y0"]]
    assert D.flat("turn").tolist() == [0, 1, 2, 3, 0]
    assert D.flat("dialogue").tolist() == ["d1"] * 4 + ["d2"]
    assert D.flat("audio").shape == (5, 2)
    df = D.to_frame()
    assert list(df["item"]) == ["a0", "a1", "a2", "a3", "b0"] and list(df["party"]) == [0, 1, 0, 1, 0]
    assert [a.tolist() for a in D.unflatten(list("pqrst"))] == [["p", "q", "r", "s"], ["t"]]


def test_features_as_a_frame_indexed_by_item_and_turns_only_need_order():
    man = _manifest(turn=[20, 0, 7, 10, 30])
    feats = pd.DataFrame({"f": [1.0, 2.0, 3.0, 4.0, 5.0]}, index=["a0", "a1", "a2", "a3", "b0"])
    D = ak.dialogues.from_manifest(man, features=feats)
    assert D.features["features"][0][:, 0].tolist() == [1.0, 2.0, 3.0, 4.0]
    with pytest.raises(ParameterError, match=r"features: has no row for item 'a3'"):
        ak.dialogues.from_manifest(man, features=feats.drop(index="a3"))
    with pytest.raises(ParameterError, match=r"features: expected shape \(5, dim\)"):
        ak.dialogues.from_manifest(man, features=np.zeros((4, 3)))
    with pytest.raises(ParameterError, match=r"features\['audio'\]: expected shape"):
        ak.dialogues.from_manifest(man, features={"audio": np.zeros((2, 3))})


def test_missing_dialogue_or_turn_is_an_error_naming_the_column():
    with pytest.raises(ParameterError, match=r"has no 'dialogue' column"):
        ak.dialogues.from_manifest(_manifest().drop(columns=["dialogue", "turn"]))
    with pytest.raises(ParameterError, match=r"has no 'turn' column"):
        ak.dialogues.from_manifest(_manifest().drop(columns=["turn"]))
    with pytest.raises(ParameterError, match=r"item 'b0' has no 'dialogue'"):
        ak.dialogues.from_manifest(_manifest(dialogue=["d1", "d1", None, "d1", "d1"]))
    with pytest.raises(ParameterError, match=r"item 'a1' has no 'turn'"):
        ak.dialogues.from_manifest(_manifest(turn=[2, 0, 0, np.nan, 3]))
    with pytest.raises(ParameterError, match=r"dialogue 'd1' has two utterances with 'turn' 0"):
        ak.dialogues.from_manifest(_manifest(turn=[0, 0, 0, 1, 3]))
    with pytest.raises(ParameterError, match=r"row 0 \(item 'a2'\) has turn 1.5; expected an integer >= 0"):
        ak.dialogues.from_manifest(_manifest(turn=[1.5, 0, 0, 1, 3]))
    # the manifest check itself refuses a turn without dialogue and negative turns
    with pytest.raises(ParameterError, match=r"'turn' column but no 'dialogue' column"):
        ak.datasets.check_manifest(_manifest().drop(columns=["dialogue"]))
    with pytest.raises(ParameterError, match=r"row 1 \(item 'a0'\) has turn -1"):
        ak.datasets.check_manifest(_manifest(turn=[2, -1, 0, 1, 3]))
    with pytest.raises(InputTypeError, match=r"D: expected affectkit.dialogues.Dialogues"):
        ak.dialogues.split(_manifest())


def test_missing_speakers_are_one_anonymous_party():
    D = ak.dialogues.from_manifest(_manifest(speaker=None))
    assert D.speakers[0].tolist() == [0, 0, 0, 0] and D.speaker_names[0] == [""] * 4
    D = ak.dialogues.from_manifest(_manifest(speaker=["ann", None, "cy", "bob", None]))
    assert D.speaker_names[0] == ["", "bob", "ann", ""] and D.speakers[0].tolist() == [0, 1, 2, 0]


def test_a_dialogue_stays_on_one_side():
    with pytest.raises(ParameterError, match=r"dialogue 'd1' has utterances in different 'split' values"):
        ak.dialogues.from_manifest(_manifest(split=["train", "test", "test", "train", "train"]))


def test_manifest_round_trip_keeps_dialogue_ids_as_strings(tmp_path):
    man = _manifest(dialogue=["007", "007", "08", "007", "007"])
    ak.datasets.write_manifest(man, tmp_path / "m.csv")
    back = ak.datasets.read_manifest(tmp_path / "m.csv")
    D = ak.dialogues.from_manifest(back)
    assert D.ids == ["007", "08"] and D.items[0] == ["a0", "a1", "a2", "a3"]


def test_official_and_session_splits():
    D = ak.dialogues.from_manifest(_manifest())
    parts = ak.dialogues.split(D, "official")
    assert parts["train"].ids == ["d1"] and parts["test"].ids == ["d2"] and "dev" not in parts
    with pytest.raises(ParameterError, match=r"dialogue 'd1' has no session"):
        ak.dialogues.split(D, "sessions")
    D = ak.dialogues.from_manifest(_manifest(session=[1, 1, 5, 1, 1]))
    assert ak.dialogues.split(D, "sessions")["test"].ids == ["d2"]
    D = ak.dialogues.from_manifest(_manifest(split=None))
    with pytest.raises(ParameterError, match=r"dialogue 'd1' has no split"):
        ak.dialogues.split(D)
    with pytest.raises(ParameterError, match=r"protocol: expected one of"):
        ak.dialogues.split(D, "random")


def test_kfold_tests_every_dialogue_once_and_keeps_dialogues_whole():
    n = 23
    man = pd.DataFrame({"corpus": "demo", "item": [f"d{d}_{t}" for d in range(n) for t in range(3)], "path": "",
                        "speaker": "s", "label": "joy", "split": None,
                        "dialogue": [f"d{d}" for d in range(n) for _ in range(3)], "turn": [0, 1, 2] * n})
    D = ak.dialogues.from_manifest(man)
    folds = ak.dialogues.kfold(D, n_splits=5, seed=3)
    tested = [d for _, te in folds for d in te.ids]
    assert sorted(tested) == sorted(D.ids)
    for tr, te in folds:
        assert not set(tr.ids) & set(te.ids) and len(tr) + len(te) == n
        assert not set(tr.flat("items")) & set(te.flat("items"))
        assert len(te) in (4, 5)
    assert [te.ids for _, te in folds] == [te.ids for _, te in ak.dialogues.kfold(D, n_splits=5, seed=3)]
    for bad in (1, n + 1, 2.5, True):
        with pytest.raises(ParameterError, match=r"n_splits"):
            ak.dialogues.kfold(D, n_splits=bad)


def test_subset_by_ids_and_mask():
    D = ak.dialogues.from_manifest(_manifest(), features=np.zeros((5, 2)))
    assert D.subset(["d2", "d1"]).ids == ["d2", "d1"]
    assert D.subset([False, True]).items == [["b0"]]
    with pytest.raises(ParameterError, match=r"no dialogue with id 'd9'"):
        D.subset(["d9"])
    assert repr(D) == "Dialogues(2 dialogues, 5 utterances, features {features: 2})"
