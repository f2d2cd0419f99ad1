"""The feature registry and extraction over manifests (ak.features)."""

import numpy as np
import pytest

import affectkit as ak
from affectkit import features as F

import pandas as pd  # a dependency of affectkit
from references import reference
sf = reference("soundfile")  # imported by the tests that use it

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
        "prosody": lambda: ak.prosody(y, SR).to_numpy(),
        "voice_quality": lambda: ak.voice_quality(y, SR).to_numpy(),
        "f0": lambda: np.column_stack([ak.f0(y, SR).f0, ak.f0(y, SR).prob]),
        "formants": lambda: ak.formants(y, SR).values,
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
        m = ak.mfcc(y, SR, preset="kaldi", n_mfcc=20).astype(np.float64)  # pooled in double precision
        np.testing.assert_allclose(row[[f"mfcc_mean_{j}" for j in range(20)]].to_numpy(float), m.mean(0), rtol=1e-6)
        np.testing.assert_allclose(row[[f"mfcc_std_{j}" for j in range(20)]].to_numpy(float), m.std(0), rtol=1e-6)
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
                                  ak.voice_quality(y, SR).to_numpy())
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

    monkeypatch.setattr(F.extraction, "CHUNK_SIZE", 2)
    paths = ak.datasets.sample_paths()
    F.extract(paths, "mfcc", progress=Recorder())
    assert calls == [(2, paths[1].name), (4, paths[3].name), (5, paths[4].name), "closed"]


# -- one default per feature, settings with every table (issue 13, observation 1) --------------


def _pooled(frames):
    return np.array([np.r_[m.mean(0), m.std(0)] for m in frames])


def test_one_default_table_all_ways(tmp_path, capsys):
    """The same pooled MFCC and eGeMAPS table, with the same settings, from every route:
    the functions themselves, ak.features.extract (and pool), the CLI to .csv and
    .parquet, FeatureDataset and Dask. On b56567c the CLI used the Kaldi preset (13
    coefficients) while the rest used librosa's 20, and no table said which."""
    from affectkit.cli import main
    from affectkit.torch import FeatureDataset

    paths = ak.datasets.sample_paths()[:3]
    man = manifest(paths)
    signals = [ak.load(p, sr=SR)[0] for p in paths]
    mfcc_cols = [f"mfcc_{s}_{j}" for s in ("mean", "std") for j in range(20)]
    ege_cols = [f"egemaps_{n}" for n in ak.EGEMAPS_FUNCTIONALS]
    # the reference: the functions with their defaults, pooled by hand
    direct_mfcc = _pooled([ak.mfcc(y, SR) for y in signals])
    direct_ege = np.vstack([ak.egemaps(y, SR) for y in signals])

    def same_values(table):
        np.testing.assert_allclose(table[mfcc_cols].to_numpy(float), direct_mfcc, rtol=1e-5, atol=1e-4)
        np.testing.assert_array_equal(table[ege_cols].to_numpy(float), direct_ege)

    table = F.extract(man, ["mfcc", "egemaps"])
    same_values(table)
    rec = table.attrs["affectkit"]
    p = rec["features"]["mfcc"]["params"]
    assert (p["preset"], p["n_mfcc"], p["n_fft"], p["hop_length"], p["n_mels"]) == ("librosa", 20, 2048, 512, 128)
    assert rec["sr"] == SR and rec["pool"] == ["mean", "std"] and "egemaps" in rec["features"]
    assert rec == F.settings(["mfcc", "egemaps"])  # the record without audio is the same
    pooled = F.pool(F.extract(man, ["mfcc", "egemaps"], pool=None))
    same_values(pooled)
    assert pooled.attrs["affectkit"] == rec

    ak.datasets.write_manifest(man, tmp_path / "manifest.csv")
    for out in ("feats.csv", "feats.parquet"):
        assert main(["extract", str(tmp_path / "manifest.csv"), "--features", "mfcc,egemaps",
                     "-o", str(tmp_path / out)]) == 0
        back = F.read(tmp_path / out)
        same_values(back)
        assert back.attrs["affectkit"] == rec, out
    capsys.readouterr()

    ds = FeatureDataset(man, "mfcc")  # the array before torch.from_numpy: no torch needed
    np.testing.assert_allclose(_pooled([ds.featurize(i) for i in range(len(ds))]), direct_mfcc, rtol=1e-5, atol=1e-4)
    assert ds.settings["features"]["mfcc"] == rec["features"]["mfcc"] and ds.settings["sr"] == SR
    assert ds.settings["pool"] is None  # frames: the loader keeps them
    clips = FeatureDataset(man, "egemaps")
    np.testing.assert_array_equal(np.vstack([clips.featurize(i) for i in range(3)]), direct_ege.astype(np.float32))
    assert ak.settings.differences(rec, clips.settings, features=["egemaps"]) == [f"pooling {rec['pool']} vs None"]
    try:
        import torch  # noqa: F401
    except ImportError:
        pass
    else:  # the tensor path is the same array
        np.testing.assert_array_equal(ds[1][0].numpy(), ds.featurize(1))

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        return
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        remote = ak.distributed.extract(man, ["mfcc", "egemaps"], client, chunk_size=2, progress=False)
    same_values(remote)
    assert remote.attrs["affectkit"] == rec


def test_settings_record_every_resolved_parameter_and_validate_up_front(speech):
    rec = F.settings(["mfcc", "logmel", "f0", "formants"], preset="kaldi", n_mfcc=20, sr=SR)
    mfcc = rec["features"]["mfcc"]["params"]
    # Kaldi's names and defaults, as the Rust preset resolves them (not a copy in Python)
    assert mfcc["preset"] == "kaldi" and mfcc["num_ceps"] == 20 and mfcc["window_type"] == "povey"
    assert mfcc["frame_shift"] == 10.0 and mfcc["cepstral_lifter"] == 22.0 and mfcc["sample_frequency"] == SR
    assert rec["features"]["logmel"]["params"]["num_mel_bins"] == 23
    assert rec["features"]["f0"]["params"]["method"] == "pyin" and rec["features"]["f0"]["params"]["fmax"] == 600.0
    assert rec["features"]["formants"]["params"]["maximum_formant"] == 5500.0
    # the aliases a user may give resolve to the same record
    assert F.settings("mfcc", preset="torchaudio", mfcc={"num_ceps": 20}) == F.settings("mfcc", preset="kaldi", n_mfcc=20)
    assert F.settings("mfcc", mfcc={"fmax": 8000}) == F.settings("mfcc")  # fmax None is sr / 2
    # bad options fail before any file is read (the paths do not even exist)
    for kwargs, match in [({"n_mfcc": 0}, "n_mfcc"), ({"sr": 8000, "features": "egemaps"}, "egemaps needs"),
                          ({"features": "f0", "method": "foo"}, "method"),
                          ({"features": "formants", "formants": {"maximum_formants": 5000}}, "maximum_formants")]:
        kwargs = {"features": "mfcc", **kwargs}
        with pytest.raises(ak.ParameterError, match=match):
            F.extract(["/no/such/file.wav"] * 50, **kwargs)
    with pytest.raises(ak.ParameterError, match="frame"):
        F.write(F.extract(ak.datasets.sample_paths()[:1], "mfcc", pool=None), "x.csv")


def test_manifest_columns_pass_through_and_are_not_features():
    paths = ak.datasets.sample_paths()[:2]
    man = manifest(paths).assign(label=["happy", None], split=["train", "test"], session=[1, 2],
                                 annotations=[{"r1": "happy"}, None])
    table = F.extract(man, ["mfcc", "egemaps"])
    assert list(table.columns[:8]) == ["path", "corpus", "speaker", "label", "split", "session", "annotations",
                                       "duration_s"]
    assert table["label"].iloc[0] == "happy" and pd.isna(table["label"].iloc[1])
    assert table["session"].tolist() == [1, 2] and table["split"].tolist() == ["train", "test"]
    cols = F.feature_columns(table)
    assert "session" not in cols and "duration_s" not in cols and len(cols) == 40 + 88
    assert F.feature_columns(table[["session", "mfcc_mean_0"]]) == ["mfcc_mean_0"]  # attrs follow selections
    with pytest.raises(ak.ParameterError, match="no affectkit settings"):
        F.feature_columns(pd.DataFrame({"mfcc_mean_0": [1.0]}))


def test_low_rate_audio_warns_once_naming_the_files(tmp_path):
    """Observation 4: 8 kHz recordings were upsampled and featurized without a word."""
    rng = np.random.default_rng(0)
    paths = []
    for k in range(5):
        paths.append(tmp_path / f"phone{k}.wav")
        sf.write(paths[-1], 0.1 * rng.standard_normal(8000), 8000)
    paths.append(ak.datasets.sample_paths()[0])
    with pytest.warns(ak.errors.LowRateWarning) as caught:
        table = F.extract(paths, ["egemaps", "prosody"])
    assert len(caught) == 1  # once per run, not once per file
    message = str(caught[0].message)
    assert "5 file(s)" in message and "phone0.wav (8000 Hz < 16000 Hz for egemaps)" in message
    assert "phone2.wav" in message and "phone3.wav" not in message and "and 2 more" in message
    assert table.low_rate["item"].tolist() == [f"phone{k}" for k in range(5)]
    assert table.attrs["affectkit"]["audio"]["upsampled"] == [f"phone{k}" for k in range(5)]
    # prosody alone needs no band above 4 kHz: upsampled (recorded), but no warning
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", ak.errors.LowRateWarning)
        quiet = F.extract(paths[:1], "prosody")
    assert quiet.attrs["affectkit"]["audio"]["upsampled"] == ["phone0"] and len(quiet.low_rate) == 0
    # mfcc with the default fmax (sr / 2) needs a native rate of sr; with fmax=4000 it does not
    with pytest.warns(ak.errors.LowRateWarning, match="for mfcc"):
        F.extract(paths[:1], "mfcc")
    with warnings.catch_warnings():
        warnings.simplefilter("error", ak.errors.LowRateWarning)
        F.extract(paths[:1], "mfcc", mfcc={"fmax": 4000})
    from affectkit.torch import FeatureDataset

    with pytest.warns(ak.errors.LowRateWarning, match="5 file") as caught:
        ds = FeatureDataset(manifest(paths), "egemaps")
    assert len(caught) == 1 and ds.settings["audio"]["upsampled"] == [f"utt{k}" for k in range(5)]


def test_as_frame_tables_carry_settings(speech):
    y = speech[1]
    frame = ak.egemaps(y, SR, as_frame=True)
    assert frame.attrs["affectkit"] == F.settings("egemaps")  # the registry's record, clip level: no pooling
    lld = ak.egemaps(y, SR, level="lld", as_frame=True)
    assert list(lld.attrs["affectkit"]["features"]) == ["egemaps_lld"] and lld.attrs["affectkit"]["pool"] is None
