"""The feature registry and extraction over manifests (ak.features)."""

import numpy as np
import pytest

import affectkit as ak
from affectkit import features as F

pd = pytest.importorskip("pandas")
sf = pytest.importorskip("soundfile")

SR = 16000


def manifest(paths, items=None):
    items = items or [f"utt{i}" for i in range(len(paths))]
    return pd.DataFrame({"corpus": "test", "item": items, "path": [str(p) for p in paths],
                         "speaker": "s1", "label": "neutral", "split": None})


@pytest.fixture(scope="module")
def speech():
    return [ak.load(p, sr=SR)[0] for p in ak.datasets.sample_paths()[:2]]


def test_registry_names():
    assert {"mfcc", "logmel", "egemaps", "egemaps_lld", "prosody", "voice_quality", "f0", "formants"} <= set(F.available())


@pytest.mark.parametrize("name", ["mfcc", "logmel", "egemaps", "egemaps_lld", "prosody", "voice_quality", "f0", "formants"])
def test_featurize_is_the_underlying_function(name, speech):
    y = speech[0]
    got = F.featurize(y, SR, name)[name]
    direct = {
        "mfcc": lambda: ak.mfcc(y, SR),
        "logmel": lambda: ak.melspectrogram(y, SR, log=True),
        "egemaps": lambda: ak.egemaps(y, SR),
        "egemaps_lld": lambda: ak.egemaps(y, SR, level="lld"),
        "prosody": lambda: np.array(list(ak.prosody(y, SR).values())),
        "voice_quality": lambda: np.array(list(ak.voice_quality(y, SR).values())),
        "f0": lambda: np.column_stack([ak.f0(y, SR).f0, ak.f0(y, SR).prob]),
        "formants": lambda: ak.formants(y, SR)[0],
    }[name]()
    np.testing.assert_array_equal(got, direct)
    assert got.ndim == (2 if F.FEATURES[name].level == "frames" else 1)


def test_egemaps_columns_are_opensmiles_names(tmp_path):
    opensmile = pytest.importorskip("opensmile")
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.Functionals)
    table = F.extract(ak.datasets.sample_paths()[:1], "egemaps")
    assert list(table.columns[2:]) == ["egemaps_" + n for n in smile.feature_names]


def test_extract_manifest_equals_direct_featurization_and_pooling(speech):
    paths = ak.datasets.sample_paths()[:2]
    table = F.extract(manifest(paths), ["mfcc", "egemaps", "f0"], preset="kaldi", n_mfcc=20)
    assert list(table.index) == ["utt0", "utt1"] and table.index.name == "item"
    assert table["path"].tolist() == [str(p) for p in paths]
    assert len(table.errors) == 0 and list(table.errors.columns) == ["item", "path", "message"]
    for k, y in enumerate(speech):
        row = table.iloc[k]
        assert row["duration_s"] == len(y) / SR
        m = ak.mfcc(y, SR, preset="kaldi", n_mfcc=20)
        np.testing.assert_allclose(row[[f"mfcc_mean_{j}" for j in range(20)]].to_numpy(float), m.mean(0), rtol=1e-6)
        np.testing.assert_allclose(row[[f"mfcc_std_{j}" for j in range(20)]].to_numpy(float), m.std(0), rtol=1e-5)
        np.testing.assert_array_equal(row[[f"egemaps_{n}" for n in ak.EGEMAPS_FUNCTIONALS]].to_numpy(float),
                                      ak.egemaps(y, SR))
        tr = ak.f0(y, SR)  # pooled over voiced frames only (unvoiced F0 is NaN)
        assert np.isclose(row["f0_mean_hz"], np.nanmean(tr.f0))
        assert np.isclose(row["f0_std_hz"], np.nanstd(tr.f0))


def test_pooling_known_signals(tmp_path):
    t = np.arange(SR) / SR
    sf.write(tmp_path / "tone.wav", 0.5 * np.sin(2 * np.pi * 220 * t), SR)
    sf.write(tmp_path / "silence.wav", np.zeros(SR), SR)
    table = F.extract([tmp_path / "tone.wav", tmp_path / "silence.wav"], ["f0", "prosody"], method="yin")
    assert list(table.index) == ["tone", "silence"]
    assert abs(table.loc["tone", "f0_mean_hz"] - 220) < 2
    assert table.loc["tone", "f0_std_hz"] < 2
    # silence: no voiced frame, so the voiced-only statistics are missing, not errors
    assert np.isnan(table.loc["silence", "f0_mean_hz"])
    assert np.isnan(table.loc["silence", "prosody_f0_mean_hz"])
    assert table.loc["silence", "prosody_pause_ratio"] == 1.0


def test_missing_empty_and_bad_items_are_reported_and_the_rest_continue(tmp_path):
    sf.write(tmp_path / "short.wav", np.full(320, 0.1), SR)  # 20 ms: shorter than Praat's pitch window
    paths = [ak.datasets.sample_paths()[0], tmp_path / "gone.wav", "", tmp_path / "short.wav",
             ak.datasets.sample_paths()[1]]
    with pytest.warns(UserWarning, match="3 of 5 item"):
        table = F.extract(manifest(paths), ["mfcc", "voice_quality"])
    assert list(table.index) == ["utt0", "utt4"]
    errors = table.errors.set_index("item")
    assert list(errors.index) == ["utt1", "utt2", "utt3"]
    assert "gone.wav" in errors.loc["utt1", "message"] and "AudioLoadError" in errors.loc["utt1", "message"]
    assert "in-memory" in errors.loc["utt2", "message"]
    assert errors.loc["utt3", "message"].startswith("voice_quality: ParameterError")
    # the good items are unaffected by the failing one in their batch
    y, _ = ak.load(paths[4], sr=SR)
    np.testing.assert_array_equal(table.loc["utt4", [f"voice_quality_{n}" for n in ak.VOICE_QUALITY_NAMES]].to_numpy(float),
                                  list(ak.voice_quality(y, SR).values()))
    with pytest.raises(ak.AudioLoadError, match="utt1"):
        F.extract(manifest(paths), "mfcc", on_error="raise")


def test_pool_none_keeps_frames_and_pool_gives_the_same_table():
    paths = ak.datasets.sample_paths()[:2]
    frames = F.extract(paths, ["mfcc", "egemaps_lld", "egemaps"], pool=None)
    y, _ = ak.load(paths[1], sr=SR)
    np.testing.assert_array_equal(frames.iloc[1]["mfcc"], ak.mfcc(y, SR))
    pooled = F.pool(frames, ("mean", "median"))
    direct = F.extract(paths, ["mfcc", "egemaps_lld", "egemaps"], pool=("mean", "median"))
    pd.testing.assert_frame_equal(pd.DataFrame(pooled), pd.DataFrame(direct))
    assert "egemaps_lld_median_Loudness_sma3" in direct.columns


def test_threads_do_not_change_results():
    paths = ak.datasets.sample_paths()
    a = F.extract(paths, ["mfcc", "egemaps"], n_jobs=1)
    b = F.extract(paths, ["mfcc", "egemaps"], n_jobs=2)
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))


def test_options_go_to_the_features_that_take_them(speech):
    y = speech[0]
    f = F.featurize(y, SR, ["mfcc", "logmel"], preset="kaldi", n_mfcc=20, mfcc={"deltas": 1}, logmel={"num_mel_bins": 40})
    np.testing.assert_array_equal(f["mfcc"], ak.mfcc(y, SR, preset="kaldi", n_mfcc=20, deltas=1))
    np.testing.assert_array_equal(f["logmel"], ak.melspectrogram(y, SR, preset="kaldi", log=True, num_mel_bins=40))
    with pytest.raises(ak.ParameterError, match="n_mels: not an option"):
        F.featurize(y, SR, "mfcc", n_mels=40)
    with pytest.raises(ak.ParameterError, match="unknown feature 'pitch'"):
        F.featurize(y, SR, ["mfcc", "pitch"])
    with pytest.raises(ak.InputTypeError, match="mfcc: per-feature settings"):
        F.featurize(y, SR, "mfcc", mfcc=3)
    with pytest.raises(ak.ParameterError, match="pool"):
        F.extract(ak.datasets.sample_paths()[:1], "mfcc", pool=("mean", "mode"))
    with pytest.raises(ak.ParameterError, match="on_error"):
        F.extract(ak.datasets.sample_paths()[:1], "mfcc", on_error="ignore")
    with pytest.raises(ak.InputTypeError, match="manifest_or_paths"):
        F.extract(3, "mfcc")
    with pytest.raises(ak.ParameterError, match="n_jobs"):
        F.extract(ak.datasets.sample_paths()[:1], "mfcc", n_jobs=0)
    with pytest.raises(ak.ParameterError, match="sr"):
        F.extract(ak.datasets.sample_paths()[:1], "mfcc", sr=0)


def test_custom_feature_and_duplicate_stems(tmp_path):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        sf.write(tmp_path / d / "x.wav", np.full(SR // 2, 0.25), SR)
    peak = F.Feature("peak", "clip", lambda y, sr: np.array([np.abs(y).max(), len(y) / sr]), names=("abs", "seconds"))
    table = F.extract([tmp_path / "a" / "x.wav", tmp_path / "b" / "x.wav"], [peak, "mfcc"])
    assert list(table.index) == [str(tmp_path / "a" / "x.wav"), str(tmp_path / "b" / "x.wav")]
    np.testing.assert_allclose(table["peak_abs"], 0.25)
    np.testing.assert_allclose(table["peak_seconds"], 0.5)
    try:
        F.register(peak)
        assert F.featurize(np.ones(10), SR, "peak")["peak"].tolist() == [1.0, 10 / SR]
    finally:
        del F.FEATURES["peak"]


def test_progress_reports_every_chunk(monkeypatch):
    calls = []

    class Recorder:
        def update(self, done, label):
            calls.append((done, label))

        def close(self):
            calls.append("closed")

    monkeypatch.setattr(F, "CHUNK_SIZE", 2)
    paths = ak.datasets.sample_paths()
    F.extract(paths, "mfcc", progress=Recorder())
    assert calls == [(2, paths[1].name), (4, paths[3].name), (5, paths[4].name), "closed"]
