"""ak.distributed.extract on a local Dask cluster of worker processes (loopback only)."""

import os
import sys

import numpy as np
import pytest

import affectkit as ak
from affectkit import distributed as D
from affectkit import features as F

import pandas as pd  # a dependency of affectkit


@pytest.fixture(scope="module")
def client():
    dd = pytest.importorskip("dask.distributed")
    with dd.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None) as cluster, dd.Client(cluster) as c:
        yield c


@pytest.fixture
def man(tmp_path):
    paths = [str(p) for p in ak.datasets.sample_paths()] + [str(tmp_path / "gone.wav")]
    paths[3], paths[5] = paths[5], paths[3]  # the missing file mid-manifest
    return pd.DataFrame({"corpus": "test", "item": [f"utt{i}" for i in range(len(paths))], "path": paths,
                         "speaker": "s1", "label": "neutral", "split": None})


def test_equal_to_the_local_run_with_the_missing_file_reported(client, man, capsys):
    with pytest.warns(UserWarning, match="1 of 6"):
        local = F.extract(man, ["egemaps", "mfcc"], preset="kaldi")
    with pytest.warns(UserWarning, match="1 of 6"):
        remote = D.extract(man, ["egemaps", "mfcc"], client, chunk_size=2, preset="kaldi", progress=True)
    assert isinstance(remote, F.FeatureTable)
    pd.testing.assert_frame_equal(pd.DataFrame(remote), pd.DataFrame(local))
    pd.testing.assert_frame_equal(remote.errors, local.errors)
    assert remote.errors["item"].tolist() == ["utt3"] and "gone.wav" in remote.errors["message"][0]
    assert list(remote.index) == ["utt0", "utt1", "utt2", "utt4", "utt5"]  # manifest order
    assert "6/6" in capsys.readouterr().err  # the progress bar reached the end


def test_a_chunk_that_kills_its_worker_is_retried(client, man, tmp_path):
    marker = str(tmp_path / "killed-once")

    def die_once(y, sr):
        # the first attempt takes its worker process down with it; the retry finds the marker
        if not os.path.exists(marker):
            open(marker, "w").close()
            os._exit(1)
        return np.array([len(y) / sr])

    fatal = F.Feature("fatal", "clip", die_once, names=("seconds",))
    good = man.drop(index=3)
    table = D.extract(good, [fatal, "mfcc"], client, chunk_size=3, progress=False)
    assert os.path.exists(marker)
    assert list(table.index) == list(good["item"]) and len(table.errors) == 0
    np.testing.assert_allclose(table["fatal_seconds"], table["duration_s"])
    local = F.extract(good, "mfcc")
    pd.testing.assert_frame_equal(pd.DataFrame(table).drop(columns="fatal_seconds"), pd.DataFrame(local))


def test_bad_input(client, man, monkeypatch):
    with pytest.raises(ak.ParameterError, match="unknown feature"):
        D.extract(man, "pitch", client)
    with pytest.raises(ak.ParameterError, match="n_mels"):
        D.extract(man, "mfcc", client, n_mels=3)
    with pytest.raises(ak.ParameterError, match="sr"):
        D.extract(man, "mfcc", client, sr=0)
    with pytest.raises(ak.ParameterError, match="chunk_size"):
        D.extract(man, "mfcc", client, chunk_size=0)
    with pytest.raises(ak.InputTypeError, match="client"):
        D.extract(man, "mfcc", "tcp://127.0.0.1:8786")
    with pytest.raises(ak.ParameterError, match="core column"):
        D.extract(man.drop(columns="speaker"), "mfcc", client)
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match="needs the 'distributed' package"):
        D.extract(man, "mfcc", client)


def test_a_registered_custom_feature_travels_by_value(client, man):
    import pickle

    peak = F.register(F.Feature("peak_registered", "clip", lambda y, sr: np.array([np.abs(y).max()]),
                                names=("abs",)))
    try:
        good = man.drop(index=3)
        table = D.extract(good, [peak], client, chunk_size=3, progress=False)
        local = F.extract(good, [peak])
        np.testing.assert_array_equal(table["peak_registered_abs"], local["peak_registered_abs"])
        # the built-ins alone travel by name; an unknown name says so instead of a KeyError
        assert len(pickle.dumps(F.FEATURES["mfcc"])) < 200
        with pytest.raises(ak.errors.ParameterError, match="'nope' is not registered in this process"):
            F.registry._registered("nope")
    finally:
        del F.FEATURES["peak_registered"]


def test_settings_and_low_rate_files_as_the_local_run(client, man, tmp_path):
    sf = pytest.importorskip("soundfile")
    phone = tmp_path / "phone.wav"
    sf.write(phone, 0.1 * np.random.default_rng(0).standard_normal(8000), 8000)
    good = man.drop(index=3)
    good = pd.concat([good, good.iloc[:1].assign(item="phone", path=str(phone))], ignore_index=True)
    with pytest.warns(ak.errors.LowRateWarning) as local_warnings:
        local = F.extract(good, ["egemaps", "mfcc"])
    with pytest.warns(ak.errors.LowRateWarning) as caught:
        remote = D.extract(good, ["egemaps", "mfcc"], client, chunk_size=2, progress=False)
    assert len(caught) == 1 and "phone.wav (8000 Hz < 16000 Hz for egemaps, mfcc)" in str(caught[0].message)
    assert len(local_warnings) == 1
    pd.testing.assert_frame_equal(remote.low_rate, local.low_rate)
    assert remote.attrs["affectkit"] == local.attrs["affectkit"]
    assert remote.attrs["affectkit"]["audio"]["upsampled"] == ["phone"]
    # a bad option fails on the client, before any task
    with pytest.raises(ak.ParameterError, match="egemaps needs"):
        D.extract(good, "egemaps", client, sr=8000)


def test_segments_and_windows_as_locally(client):
    path = str(ak.datasets.sample_paths()[0])
    man = pd.DataFrame({"corpus": "test", "item": ["a", "b", "c"], "path": [path] * 3, "speaker": "s1",
                        "label": "neutral", "split": None, "segment_start": [0.5, float("nan"), 1.0],
                        "segment_end": [2.0, float("nan"), 3.5]})
    for kw in ({}, {"win": 1.0, "hop": 0.5}):
        local = F.extract(man, ["prosody", "mfcc"], **kw)
        remote = D.extract(man, ["prosody", "mfcc"], client, chunk_size=2, progress=False, **kw)
        pd.testing.assert_frame_equal(pd.DataFrame(remote), pd.DataFrame(local))
        assert remote.attrs["affectkit"] == local.attrs["affectkit"]
    assert local.loc["a", "duration_s"].tolist() == [1.0, 1.0] and local.loc["a", "window_start"].tolist() == [0.0, 0.5]
