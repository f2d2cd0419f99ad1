"""Segments of long files (manifest columns segment_start/segment_end) and features per
window (win=/hop=) in every featurizing path: ak.features.extract, ak.torch.FeatureDataset,
the affectkit extract command (ak.distributed.extract: tests/test_distributed.py)."""

import struct
import wave

import numpy as np
import pandas as pd
import pytest

import affectkit as ak
from affectkit import features as F
from affectkit.cli import main
from affectkit.errors import ParameterError

SR = 16000
NAN = float("nan")


def manifest(paths, segments=None, **extra):
    m = pd.DataFrame({"corpus": "test", "item": [f"utt{i}" for i in range(len(paths))],
                      "path": [str(p) for p in paths], "speaker": "s1", "label": "neutral", "split": None, **extra})
    if segments is not None:
        m["segment_start"] = [s[0] for s in segments]
        m["segment_end"] = [s[1] for s in segments]
    return m


@pytest.fixture(scope="module")
def long_file():
    return ak.datasets.sample_paths()[0]


@pytest.fixture(scope="module")
def long_wav(tmp_path_factory, long_file):
    """The same speech as 16-bit WAV (the reader seeks to a segment)."""
    y = ak.load(long_file, sr=SR)[0]
    path = tmp_path_factory.mktemp("wav") / "long.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes((np.clip(y, -1, 1 - 2 ** -15) * 32768).astype("<i2").tobytes())
    return path


def _cut(path, a, b):
    return ak.load(path, sr=SR, offset=a, duration=b - a)[0]


@pytest.mark.parametrize("which", ["flac", "wav"])
def test_extract_featurizes_only_the_segment(long_file, long_wav, which):
    path = long_file if which == "flac" else long_wav
    segs = [(0.5, 2.0), (1.25, 3.75), (NAN, NAN)]
    table = F.extract(manifest([path] * 3, segs), ["egemaps", "mfcc"])
    assert len(table.errors) == 0 and list(table.index) == ["utt0", "utt1", "utt2"]
    for item, (a, b) in zip(["utt0", "utt1"], segs[:2]):
        y = _cut(path, a, b)
        row = table.loc[item]
        assert row["duration_s"] == pytest.approx(b - a)
        assert (row["segment_start"], row["segment_end"]) == (a, b)  # passed through
        np.testing.assert_allclose(row[[f"egemaps_{c}" for c in ak.EGEMAPS_FUNCTIONALS]].to_numpy(np.float64),
                                   ak.egemaps(y, SR), rtol=1e-6)
        mfcc = ak.audio.pool_frames(ak.mfcc(y, SR), ("mean", "std"))
        np.testing.assert_allclose(row[[c for c in table.columns if c.startswith("mfcc_")]].to_numpy(np.float64),
                                   mfcc, rtol=1e-5, atol=1e-5)
    whole = F.extract([path], ["egemaps", "mfcc"])  # NaN segment: the whole file
    assert table.loc["utt2", "duration_s"] == whole["duration_s"].iloc[0]
    np.testing.assert_array_equal(table.loc["utt2", whole.columns[2:]].to_numpy(np.float64),
                                  whole.iloc[0, 2:].to_numpy(np.float64))


def test_a_segment_past_the_end_of_its_file_names_item_and_column(long_file):
    dur = len(ak.load(long_file)[0]) / SR
    man = manifest([long_file] * 3, [(0.0, 1.0), (dur - 1.0, dur + 1.0), (dur + 5.0, dur + 6.0)])
    with pytest.warns(UserWarning, match="2 of 3"):
        table = F.extract(man, "prosody")
    assert list(table.index) == ["utt0"]
    messages = dict(zip(table.errors["item"], table.errors["message"]))
    assert "segment_end" in messages["utt1"] and f"it ends at {dur:.3f} s" in messages["utt1"]
    assert "segment_start" in messages["utt2"]
    with pytest.raises(ParameterError, match=r"item 'utt1' .*segment_end: .* beyond the end of the file"):
        F.extract(man, "prosody", on_error="raise")


@pytest.mark.parametrize("segments, match", [
    ({"segment_start": [0.0]}, "has a 'segment_start' column but no 'segment_end'"),
    ({"segment_end": [1.0]}, "has a 'segment_end' column but no 'segment_start'"),
    ({"segment_start": [-0.5], "segment_end": [1.0]}, "item 'utt0': segment_start must be >= 0"),
    ({"segment_start": [1.0], "segment_end": [1.0]}, r"item 'utt0': segment_end \(1.0 s\) must be after"),
    ({"segment_start": [2.0], "segment_end": [1.0]}, r"item 'utt0': segment_end \(1.0 s\) must be after"),
    ({"segment_start": [NAN], "segment_end": [1.0]}, "item 'utt0': segment_start is missing"),
    ({"segment_start": ["soon"], "segment_end": [1.0]}, "item 'utt0': segment_start must be a number"),
    ({"segment_start": [0.0], "segment_end": [float("inf")]}, "item 'utt0': segment_end must be finite"),
])
def test_bad_segments_are_refused_before_any_file_is_read(tmp_path, segments, match):
    man = manifest([tmp_path / "never_read.wav"], **segments)
    with pytest.raises(ParameterError, match=match):
        ak.datasets.check_manifest(man)
    with pytest.raises(ParameterError, match=match):
        F.extract(man, "mfcc")
    with pytest.raises(ParameterError, match=match):
        ak.torch.FeatureDataset(man, "mfcc")


def test_segment_columns_survive_a_csv_round_trip(tmp_path, long_file):
    man = manifest([long_file] * 2, [(0.5, 1.5), (NAN, NAN)])
    back = ak.datasets.read_manifest(ak.datasets.write_manifest(man, tmp_path / "m.csv"))
    assert ak.datasets.segments(back) == [(0.5, 1.5), None]


def _sine_wav(path, seconds=1.0):
    """A 1 s 16-bit sine written as WAV (ak.load reads by content, so MELD's .mp4 name is fine)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * SR)) / SR
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes((0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2").tobytes())


def _iemocap(root):
    """One IEMOCAP turn whose dialogue times (6.29-8.24 s) lie beyond its 1 s clip."""
    ev = root / "Session1" / "dialog" / "EmoEvaluation" / "Ses01F_impro01.txt"
    ev.parent.mkdir(parents=True)
    ev.write_text("% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]\n\n"
                  "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]\n"
                  "C-E2:\tNeutral state;\t()\nC-E3:\tNeutral state;\t()\n")
    _sine_wav(root / "Session1" / "sentences" / "wav" / "Ses01F_impro01" / "Ses01F_impro01_F000.wav")
    return root, (6.2901, 8.2357)


def _meld(root):
    """One MELD utterance at 16:23.442-16:26.389 of its episode, its clip 1 s long."""
    raw = root / "MELD.Raw"
    header = "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime\n"
    raw.mkdir(parents=True)
    (raw / "train_sent_emo.csv").write_text(header + '1,"That I did.",Chandler,joy,positive,0,0,8,21,'
                                            '"00:16:23,442","00:16:26,389"\n')
    for split in ("dev", "test"):
        (raw / f"{split}_sent_emo.csv").write_text(header)
    _sine_wav(raw / "train" / "train_splits" / "dia0_utt0.mp4")
    return root, (16 * 60 + 23.442, 16 * 60 + 26.389)


@pytest.mark.parametrize("corpus, make", [("iemocap", _iemocap), ("meld", _meld)])
def test_corpus_start_end_keep_their_meaning(tmp_path, corpus, make):
    root, (start, end) = make(tmp_path)
    man = ak.datasets.index(corpus, root)
    assert "segment_start" not in man.columns
    assert (man["start"].iloc[0], man["end"].iloc[0]) == pytest.approx((start, end))
    table = F.extract(man, "mfcc")
    assert len(table.errors) == 0  # the dialogue times are not read as a cut of the 1 s clip
    assert table["duration_s"].iloc[0] == 1.0
    assert (table["start"].iloc[0], table["end"].iloc[0]) == pytest.approx((start, end))  # passed through
    ds = ak.torch.FeatureDataset(man, "mfcc", check_rates=False)
    np.testing.assert_array_equal(ds.featurize(0), ak.mfcc(ak.load(man["path"].iloc[0], sr=SR)[0], SR))


def test_feature_dataset_reads_the_segment(tmp_path, long_file):
    man = manifest([long_file] * 2, [(1.0, 2.5), (NAN, NAN)])
    ds = ak.torch.FeatureDataset(man, "mfcc", cache_dir=tmp_path / "cache")
    np.testing.assert_allclose(ds.featurize(0), ak.mfcc(_cut(long_file, 1.0, 2.5), SR), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(ds.featurize(1), ak.mfcc(ak.load(long_file, sr=SR)[0], SR))
    assert ds.cache_path(0) != ak.torch.FeatureDataset(manifest([long_file], [(1.0, 2.0)]), "mfcc",
                                                       cache_dir=tmp_path / "cache").cache_path(0)
    np.testing.assert_array_equal(ds.featurize(0), np.load(ds.cache_path(0)))  # the cached segment
    dur = len(ak.load(long_file)[0]) / SR
    late = ak.torch.FeatureDataset(manifest([long_file], [(1.0, dur + 1.0)]), "mfcc")
    with pytest.raises(ParameterError, match=r"item 'utt0' .*segment_end: .* beyond the end of the file"):
        late.featurize(0)


# --- windows in ak.features.extract ------------------------------------------------------

def test_extract_gives_a_row_per_window(long_file):
    man = manifest([long_file] * 2, [(0.0, 3.3), (1.0, 4.0)])
    table = F.extract(man, ["egemaps", "mfcc"], win=1.0, hop=0.5)
    assert list(table.index) == ["utt0"] * 5 + ["utt1"] * 5
    assert table["window_start"].tolist() == [0.0, 0.5, 1.0, 1.5, 2.0] * 2
    assert (table["window_end"] - table["window_start"]).eq(1.0).all() and table["duration_s"].eq(1.0).all()
    record = table.attrs["affectkit"]
    assert record["window"] == {"win": 1.0, "hop": 0.5}
    assert record == F.settings(["egemaps", "mfcc"], win=1.0, hop=0.5)
    # each row: the features of its window of the item's segment
    y = _cut(long_file, 1.0, 4.0)
    per_window = ak.egemaps(y, SR, win=1.0, hop=0.5)
    cols = [f"egemaps_{c}" for c in ak.EGEMAPS_FUNCTIONALS]
    np.testing.assert_allclose(table.loc["utt1", cols].to_numpy(np.float64), per_window, rtol=1e-6)
    mfcc = np.stack([ak.audio.pool_frames(ak.mfcc(y[s:s + SR], SR), ("mean", "std")) for s in range(0, 32001, 8000)])
    np.testing.assert_allclose(table.loc["utt1", [c for c in table.columns if c.startswith("mfcc_")]]
                               .to_numpy(np.float64), mfcc, rtol=1e-5, atol=1e-5)
    # other windows, other settings: a model trained on one refuses the other
    with pytest.raises(ak.SettingsMismatchError, match="windows"):
        ak.settings.check(record, F.settings(["egemaps", "mfcc"]))


def test_extract_window_errors(long_file):
    man = manifest([long_file] * 2, [(0.0, 0.5), (0.0, 2.0)])
    with pytest.warns(UserWarning, match="1 of 2"):
        table = F.extract(man, "mfcc", win=1.0)
    assert list(table.index) == ["utt1", "utt1"]
    assert table.errors["message"].iloc[0].startswith("ParameterError: win: 1 s is longer than the clip (0.500 s)")
    for kw, arg in [({"win": 0}, "win"), ({"win": 1.0, "hop": -1}, "hop"), ({"hop": 0.5}, "hop")]:
        with pytest.raises(ParameterError, match=rf"^{arg}:"):
            F.extract(man, "mfcc", **kw)
        with pytest.raises(ParameterError, match=rf"^{arg}:"):
            F.settings("mfcc", **kw)


# --- the command line ---------------------------------------------------------------------

def test_cli_reads_segments_from_a_manifest_and_cuts_windows(tmp_path, long_file, capsys):
    csv = ak.datasets.write_manifest(manifest([long_file] * 2, [(0.5, 2.0), (NAN, NAN)]), tmp_path / "m.csv")
    out = tmp_path / "f.csv"
    assert main(["extract", str(csv), "--features", "prosody", "-o", str(out)]) == 0
    table = F.read(out)
    assert table.loc["utt0", "duration_s"] == pytest.approx(1.5)
    expected = F.extract(ak.datasets.read_manifest(csv), "prosody")
    np.testing.assert_allclose(table["prosody_f0_mean_hz"], expected["prosody_f0_mean_hz"])
    capsys.readouterr()
    assert main(["extract", str(csv), "--features", "mfcc", "--win", "1.0", "--hop", "0.5", "-o", str(out)]) == 0
    assert "2 file(s) (" in capsys.readouterr().out
    table = F.read(out)
    assert (table.index == "utt0").sum() == 2 and table.attrs["affectkit"]["window"] == {"win": 1.0, "hop": 0.5}


@pytest.mark.parametrize("argv, message", [(["--win", "0"], "win: expected a positive number of seconds"),
                                           (["--win", "1", "--hop", "-1"], "hop: expected a positive number"),
                                           (["--hop", "0.5"], "hop: given (0.5) without win")])
def test_cli_bad_windows_exit_2_with_a_message(argv, message, capsys):
    assert main(["extract", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("options", [{"win": 1.0}, {"hop": 0.5}, {"prosody": {"win": 1.0}}])
def test_windows_are_not_a_feature_option(options):
    y = np.zeros(SR, np.float32)
    with pytest.raises(ParameterError, match=r"^(win|hop): windows are not a feature option"):
        F.featurize(y, SR, "prosody", **options)
    with pytest.raises(ParameterError, match=r"^(win|hop): windows are not a feature option"):
        ak.torch.FeatureDataset([y], "prosody", **options)


def test_npz_keeps_the_windows(tmp_path, long_file):
    table = F.extract(manifest([long_file], [(0.5, 3.0)]), "mfcc", win=1.0, pool=None)
    F.write(table, tmp_path / "w.npz")
    z = np.load(tmp_path / "w.npz")
    assert z["window_start"].tolist() == [0.0, 1.0] and z["segment_start"].tolist() == [0.5, 0.5]
    np.testing.assert_array_equal(z["mfcc_1"], table["mfcc"].iloc[1])


def test_a_failing_window_names_its_feature_and_times(tmp_path):
    y = np.sin(2 * np.pi * 150 * np.arange(3 * SR) / SR).astype(np.float32) * 0.3
    y[2 * SR + 100] = np.nan  # in the third window only
    path = tmp_path / "nan.wav"  # 32-bit float WAV: keeps the NaN
    data = y.astype("<f4").tobytes()
    header = (b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 3, 1, SR, SR * 4, 4, 32)
              + b"data" + struct.pack("<I", len(data)))
    path.write_bytes(header + data)
    with pytest.warns(UserWarning, match="1 of 1"):
        table = F.extract([path], "prosody", win=1.0)
    assert table.errors["message"].iloc[0].startswith("prosody: window 2-3 s: ParameterError: y: sample 100 is NaN")
