"""The conv-emotion (DialogueRNN / DialogueGCN / COSMIC) feature pickles."""

import io
import os
import pickle

import numpy as np
import pytest

import affectkit as ak
from affectkit.errors import ParameterError, ReadError


def _iemocap_fields():
    rng = np.random.default_rng(0)
    vids = ["Ses01F_impro01", "Ses05M_script02_1", "Ses02F_impro03"]
    ids = {v: [f"{v}_{'FM'[k % 2]}{k:03d}" for k in range(n)] for v, n in zip(vids, (3, 2, 1))}
    spk = {v: ["F" if u.rsplit("_", 1)[1][0] == "F" else "M" for u in ids[v]] for v in vids}
    lab = {"Ses01F_impro01": [0, 5, 2], "Ses05M_script02_1": [3, 4], "Ses02F_impro03": [1]}
    text = {v: [rng.standard_normal(100).astype(np.float32) for _ in ids[v]] for v in vids}
    audio = {v: [rng.standard_normal(100) for _ in ids[v]] for v in vids}
    visual = {v: [rng.standard_normal(512).astype(np.float32) for _ in ids[v]] for v in vids}
    sent = {v: [f"sentence {u}" for u in ids[v]] for v in vids}
    return (ids, spk, lab, text, audio, visual, sent, ["Ses01F_impro01", "Ses02F_impro03"], ["Ses05M_script02_1"])


def _meld_fields():
    rng = np.random.default_rng(1)
    vids = [0, 1, 1038]
    ids = {v: list(range(n)) for v, n in zip(vids, (4, 1, 2))}
    slots = {0: [0, 3, 0, 8], 1: [2], 1038: [1, 1]}
    spk = {v: [[1.0 if k == s else 0.0 for k in range(9)] for s in slots[v]] for v in vids}
    lab = {0: [0, 4, 6, 1], 1: [2], 1038: [3, 5]}
    text = {v: [rng.standard_normal(600).astype(np.float32) for _ in ids[v]] for v in vids}
    audio = {v: [rng.standard_normal(300).astype(np.float32) for _ in ids[v]] for v in vids}
    sent = {v: [f"line {u}" for u in ids[v]] for v in vids}
    senti = {0: [0, 1, 2, 0], 1: [2], 1038: [1, 0]}
    return (ids, spk, lab, text, audio, sent, [0, 1], [1038], senti)


def _same(a, b):
    # field equality: containers of the same kind, values equal (arrays by value)
    if isinstance(a, dict):
        assert isinstance(b, dict) and list(a) == list(b)
        for k in a:
            _same(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    else:
        assert a == b and type(a) is type(b), (a, b)


@pytest.mark.parametrize("layout,fields", [("iemocap", _iemocap_fields), ("meld", _meld_fields)])
def test_round_trip_keeps_every_field(tmp_path, layout, fields):
    original = fields()
    src = tmp_path / "in.pkl"
    src.write_bytes(pickle.dumps(original))
    D = ak.dialogues.from_conv_emotion(src)  # layout told apart by the 9th field
    assert D.split == (["train", "test", "train"] if layout == "iemocap" else ["train", "train", "test"])
    out = ak.dialogues.to_conv_emotion(D, tmp_path / "out.pkl", layout=layout)
    with open(out, "rb") as f:
        again = pickle.load(f)
    assert len(again) == 9
    for a, b in zip(original, again):
        _same(a, b)


def test_iemocap_fields_become_dialogues(tmp_path):
    p = tmp_path / "IEMOCAP_features.pkl"
    p.write_bytes(pickle.dumps(_iemocap_fields()))
    D = ak.dialogues.from_conv_emotion(p)
    assert D.ids == ["Ses01F_impro01", "Ses05M_script02_1", "Ses02F_impro03"]
    assert D.labels[0] == ["happiness", "frustration", "neutral"] and D.labels[1] == ["anger", "excitement"]
    assert D.speaker_names[0] == ["F", "M", "F"] and D.speakers[0].tolist() == [0, 1, 0]
    assert D.features["visual"][0].shape == (3, 512) and D.features["text"][0].dtype == np.float32
    assert D.text[2] == ["sentence Ses02F_impro03_F000"]
    custom = ak.dialogues.from_conv_emotion(p, classes=list("abcdef"))
    assert custom.labels[0] == ["a", "f", "c"]


def test_meld_fields_become_dialogues(tmp_path):
    p = tmp_path / "MELD_features_raw.pkl"
    p.write_bytes(pickle.dumps(_meld_fields()))
    D = ak.dialogues.from_conv_emotion(p, "meld")
    assert D.ids == [0, 1, 1038] and D.items[0] == [0, 1, 2, 3]
    assert D.speaker_names[0] == [0, 3, 0, 8] and D.speakers[0].tolist() == [0, 1, 0, 2]
    assert D.labels[0] == ["neutral", "joy", "anger", "surprise"]
    assert D.extra["sentiment"][0] == ["neutral", "positive", "negative", "neutral"]
    assert set(D.features) == {"text", "audio"}


class _Py2Pickler(pickle._Pickler):
    """Writes bytes the way Python 2 wrote ``str``: BINSTRING opcodes, no _codecs call."""

    dispatch = dict(pickle._Pickler.dispatch)

    def _save_py2_str(self, obj):
        n = len(obj)
        if n < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([n]) + obj)
        else:
            self.write(pickle.BINSTRING + n.to_bytes(4, "little") + obj)
        self.memoize(obj)

    dispatch[bytes] = _save_py2_str


def test_python2_pickle_reads_with_latin1(tmp_path):
    # IEMOCAP_features.pkl is a Python 2 pickle: its ids are py2 str and its arrays' buffers too
    ids = {b"Ses01F_impro01": [b"Ses01F_impro01_F000", b"Ses01F_impro01_M001"]}
    feats = {b"Ses01F_impro01": [np.array([1.0, -2.5], np.float32), np.array([3.0, 4.0], np.float32)]}
    fields = (ids, {b"Ses01F_impro01": [b"F", b"M"]}, {b"Ses01F_impro01": [2, 3]}, feats, feats, feats,
              {b"Ses01F_impro01": [b"caf\xe9", b"hi"]}, [b"Ses01F_impro01"], [])
    buf = io.BytesIO()
    _Py2Pickler(buf, protocol=2).dump(fields)
    p = tmp_path / "py2.pkl"
    p.write_bytes(buf.getvalue())
    D = ak.dialogues.from_conv_emotion(p, "iemocap")
    assert D.ids == ["Ses01F_impro01"] and D.items[0] == ["Ses01F_impro01_F000", "Ses01F_impro01_M001"]
    assert D.speaker_names[0] == ["F", "M"] and D.labels[0] == ["neutral", "anger"]
    assert D.features["audio"][0].tolist() == [[1.0, -2.5], [3.0, 4.0]] and D.text[0] == ["caf\xe9", "hi"]


def test_a_pickle_holding_anything_else_is_refused(tmp_path):
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    p = tmp_path / "evil.pkl"
    fields = list(_iemocap_fields())
    fields[6] = {"Ses01F_impro01": Evil()}
    p.write_bytes(pickle.dumps(tuple(fields)))
    with pytest.raises(ReadError, match=r"evil\.pkl: the pickle refers to (posix|os)\.system; only plain containers"):
        ak.dialogues.from_conv_emotion(p)
    assert not marker.exists()
    p.write_bytes(pickle.dumps(__import__("collections").Counter({"a": 1})))
    with pytest.raises(ReadError, match=r"collections\.Counter"):
        ak.dialogues.from_conv_emotion(p)
    # a protocol-2 pickle of bytes written by Python 3 goes through _codecs.encode(..., "latin1") only
    p.write_bytes(b"\x80\x02c_codecs\nencode\nq\x00X\x01\x00\x00\x00aX\x05\x00\x00\x00utf-7\x86R.")
    with pytest.raises(ReadError, match=r"not a readable pickle"):
        ak.dialogues.from_conv_emotion(p)


def test_missing_fields_and_broken_entries_name_them(tmp_path):
    p = tmp_path / "short.pkl"
    p.write_bytes(pickle.dumps(_iemocap_fields()[:7]))
    with pytest.raises(ReadError, match=r"short\.pkl: a iemocap conv-emotion pickle has the 9 fields .* this one lacks "
                                        r"the field\(s\) trainVid, testVid"):
        ak.dialogues.from_conv_emotion(p)
    f = list(_iemocap_fields())
    del f[3]["Ses02F_impro03"]
    p.write_bytes(pickle.dumps(tuple(f)))
    with pytest.raises(ReadError, match=r"field videoText has no entry for dialogue 'Ses02F_impro03'"):
        ak.dialogues.from_conv_emotion(p)
    f = list(_iemocap_fields())
    f[2]["Ses01F_impro01"] = [0, 9, 2]
    p.write_bytes(pickle.dumps(tuple(f)))
    with pytest.raises(ReadError, match=r"videoLabels of dialogue 'Ses01F_impro01' holds 9; expected a class index 0-5"):
        ak.dialogues.from_conv_emotion(p)
    f = list(_iemocap_fields())
    f[1]["Ses01F_impro01"] = ["F", "M"]
    p.write_bytes(pickle.dumps(tuple(f)))
    with pytest.raises(ReadError, match=r"videoSpeakers has 2 entries for dialogue 'Ses01F_impro01', videoIDs 3"):
        ak.dialogues.from_conv_emotion(p)
    p.write_bytes(b"\x80\x04not a pickle")
    with pytest.raises(ReadError, match=r"not a readable pickle"):
        ak.dialogues.from_conv_emotion(p)
    with pytest.raises(ReadError, match=r"no such file"):
        ak.dialogues.from_conv_emotion(tmp_path / "absent.pkl")


def _manifest_dialogues():
    import pandas as pd

    man = pd.DataFrame({"corpus": "demo", "item": ["a0", "a1", "a2", "b0"], "path": "",
                        "speaker": ["ann", "bob", "ann", "cy"], "label": ["joy", "anger", "neutral", "sadness"],
                        "split": ["train", "train", "train", "test"], "dialogue": ["a", "a", "a", "b"],
                        "turn": [0, 1, 2, 0], "sentiment": ["positive", "negative", "neutral", "negative"]})
    return ak.dialogues.from_manifest(man, features={"audio": np.arange(12.0).reshape(4, 3)})


def test_export_from_a_manifest_loads_as_dialoguernn_expects(tmp_path):
    D = _manifest_dialogues()
    p = ak.dialogues.to_conv_emotion(D, tmp_path / "meld.pkl", layout="meld")
    with open(p, "rb") as f:
        ids, spk, lab, text, audio, sent, train, test, senti = pickle.load(f)
    assert train == ["a"] and test == ["b"] and ids["a"] == ["a0", "a1", "a2"]
    assert [int(np.argmax(v)) for v in spk["a"]] == [0, 1, 0] and len(spk["a"][0]) == 9
    assert lab["a"] == [4, 6, 0] and senti["a"] == [1, 2, 0]
    assert np.asarray(audio["a"]).shape == (3, 3) and np.asarray(text["a"]).shape == (3, 0)
    assert sent["a"] == ["", "", ""]
    # iemocap: two parties become M/F; a class outside the layout's is an error naming the utterance
    with pytest.raises(ParameterError, match=r"utterance 'a0' has label 'joy', which is none of the iemocap classes"):
        ak.dialogues.to_conv_emotion(D, tmp_path / "i.pkl")
    p = ak.dialogues.to_conv_emotion(D, tmp_path / "i.pkl", classes=["joy", "anger", "neutral", "sadness"],
                                     modalities={"audio": "audio"})
    with open(p, "rb") as f:
        fields = pickle.load(f)
    assert fields[1]["a"] == ["M", "F", "M"] and fields[2]["a"] == [0, 1, 2]
    with pytest.raises(ParameterError, match=r"modalities: D has no features 'face'"):
        ak.dialogues.to_conv_emotion(D, tmp_path / "i.pkl", modalities={"visual": "face"})
    D.extra.pop("sentiment")
    with pytest.raises(ParameterError, match=r"meld layout needs a sentiment"):
        ak.dialogues.to_conv_emotion(D, tmp_path / "m.pkl", layout="meld")
    with pytest.raises(ParameterError, match=r"layout: expected one of"):
        ak.dialogues.to_conv_emotion(D, tmp_path / "m.pkl", layout="dailydialog")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["i.pkl", "meld.pkl"]  # no temporary files left
