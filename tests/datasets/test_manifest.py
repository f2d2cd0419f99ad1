"""Manifest contract (ak.datasets.{check,read,write}_manifest, annotations): the table the
indexers, extractors, PyTorch dataset, Dask runner and CLI share."""

import math

import pandas as pd
import pytest

import affectkit as ak
from affectkit.errors import InputTypeError, ParameterError, ReadError


def _manifest():
    return pd.DataFrame({
        "corpus": ["toy"] * 3,
        "item": ["a", "b", "c"],
        "path": ["/x/a.wav", "/x/b.wav", ""],
        "speaker": ["s1", "s1", "s2"],
        "label": ["happy", None, "sad"],
        "split": ["train", None, "test"],
        "valence": [0.5, float("nan"), -0.2],
        "annotations": [{"r1": "happy", "r2": "sad"}, None, {"r2": "sad", "r3": None}],
    })


def test_round_trip_keeps_ids_labels_and_annotations(tmp_path):
    man = _manifest()
    p = ak.datasets.write_manifest(man, tmp_path / "m.csv")
    back = ak.datasets.read_manifest(p)
    assert list(back.columns[:6]) == list(ak.datasets.MANIFEST_COLUMNS)
    assert list(back["item"]) == ["a", "b", "c"]
    assert list(back["label"]) == ["happy", None, "sad"]
    assert list(back["split"]) == ["train", None, "test"]
    assert list(back["path"]) == ["/x/a.wav", "/x/b.wav", ""]
    assert back["annotations"][0] == {"r1": "happy", "r2": "sad"} and back["annotations"][1] is None
    assert math.isnan(back["valence"][1]) and back["valence"][0] == 0.5


def test_numeric_looking_ids_stay_strings(tmp_path):
    man = _manifest().assign(item=["001", "002", "010"], speaker=["07", "07", "10"])
    back = ak.datasets.read_manifest(ak.datasets.write_manifest(man, tmp_path / "m.csv"))
    assert list(back["item"]) == ["001", "002", "010"] and list(back["speaker"]) == ["07", "07", "10"]


def test_annotations_feed_label_fusion():
    long = ak.datasets.annotations(_manifest())
    assert list(long.columns) == ["task", "worker", "label"]
    # None answers and items without answers give no rows
    assert long.values.tolist() == [["a", "r1", "happy"], ["a", "r2", "sad"], ["c", "r2", "sad"]]
    r = ak.labels.majority(long)
    assert list(r.items) == ["a", "c"] and r.labels[1] == "sad"


def test_bad_manifests_name_the_problem(tmp_path):
    with pytest.raises(InputTypeError, match="manifest: expected a pandas DataFrame"):
        ak.datasets.check_manifest([1, 2])
    with pytest.raises(ParameterError, match=r"lacks the core column\(s\) \['speaker'\]"):
        ak.datasets.check_manifest(_manifest().drop(columns="speaker"))
    with pytest.raises(ParameterError, match="item id 'a' occurs more than once"):
        ak.datasets.check_manifest(_manifest().assign(item=["a", "a", "c"]))
    with pytest.raises(ParameterError, match="row 1 has split 'validation'"):
        ak.datasets.check_manifest(_manifest().assign(split=["train", "validation", None]))
    with pytest.raises(ParameterError, match="has no 'annotations' column"):
        ak.datasets.annotations(_manifest().drop(columns="annotations"))
    with pytest.raises(ReadError, match="no such manifest file"):
        ak.datasets.read_manifest(tmp_path / "missing.csv")
    p = tmp_path / "bad.csv"
    ak.datasets.write_manifest(_manifest(), p)
    lines = p.read_text().splitlines()
    lines[2] = lines[2].replace("/x/b.wav,s1,,,,", '/x/b.wav,s1,,,,"{broken"')
    p.write_text("\n".join(lines) + "\n")
    with pytest.raises(ReadError, match=r"bad.csv, line 3: annotations cell is not JSON"):
        ak.datasets.read_manifest(p)
