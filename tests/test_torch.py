"""ak.torch: FeatureDataset and pad_collate in a real DataLoader with forked workers."""

import sys

import numpy as np
import pytest

import affectkit as ak
from affectkit.torch import IGNORE_INDEX, FeatureDataset, pad_collate

import pandas as pd  # a dependency of affectkit
from references import reference
sf = reference("soundfile")  # imported by the tests that use it

SR = 16000


@pytest.fixture
def torch():
    return pytest.importorskip("torch")


@pytest.fixture
def corpus(tmp_path):
    """The bundled speech plus synthetic tones written as WAV, as a manifest."""
    t = np.arange(SR) / SR
    paths = list(ak.datasets.sample_paths()[:3])
    for k, f0 in enumerate((150, 300)):
        p = tmp_path / f"tone{k}.wav"
        sf.write(p, 0.3 * np.sin(2 * np.pi * f0 * t[: SR // (k + 1)]), SR)
        paths.append(p)
    labels = ["neutral", "happy", None, "sad", "happy"]
    return pd.DataFrame({"corpus": "test", "item": [f"utt/{i}" for i in range(len(paths))],
                         "path": [str(p) for p in paths], "speaker": "s1", "label": labels, "split": None})


def _direct(path):
    y, _ = ak.load(path, sr=SR)
    return ak.mfcc(y, SR, preset="kaldi", deltas=1)


def test_dataloader_with_forked_workers_equals_direct_featurization(torch, corpus):
    from torch.utils.data import DataLoader

    ds = FeatureDataset(corpus, "mfcc", preset="kaldi", deltas=1)
    assert len(ds) == 5 and ds.classes == ["happy", "neutral", "sad"]
    loader = DataLoader(ds, batch_size=2, num_workers=2, multiprocessing_context="fork", collate_fn=pad_collate)
    seen = []
    for batch in loader:
        x, mask, lengths = batch["features"], batch["mask"], batch["lengths"]
        assert x.dtype == torch.float32 and mask.dtype == torch.bool and lengths.dtype == torch.int64
        assert x.shape == (len(batch["ids"]), int(lengths.max()), 26)
        for k, item in enumerate(batch["ids"]):
            i = int(item.split("/")[1])
            want = _direct(corpus["path"][i])
            n = want.shape[0]
            assert lengths[k] == n and mask[k, :n].all() and not mask[k, n:].any()
            np.testing.assert_array_equal(x[k, :n].numpy(), want)
            assert (x[k, n:] == 0).all()
            seen.append((item, int(batch["labels"][k])))
    assert seen == [("utt/0", 1), ("utt/1", 0), ("utt/2", IGNORE_INDEX), ("utt/3", 2), ("utt/4", 0)]


def test_cache_is_written_once_and_read_back(torch, corpus, tmp_path):
    from torch.utils.data import DataLoader

    cache = tmp_path / "cache"
    ds = FeatureDataset(corpus, "mfcc", cache_dir=cache, preset="kaldi", deltas=1)
    # two forked workers fill one cache at once, then a second pass reads it
    for _ in range(2):
        list(DataLoader(ds, batch_size=1, num_workers=2, multiprocessing_context="fork", collate_fn=pad_collate))
    files = sorted(cache.iterdir())
    assert len(files) == 5 and all(f.suffix == ".npy" for f in files)  # no temporary files left
    np.testing.assert_array_equal(np.load(ds.cache_path(3)), _direct(corpus["path"][3]))
    # the cache hit path: a new dataset with the same options reads the file, not the audio
    np.save(ds.cache_path(3), np.full((2, 26), 7, np.float32))
    again = FeatureDataset(corpus, "mfcc", cache_dir=cache, preset="kaldi", deltas=1)
    np.testing.assert_array_equal(again[3][0].numpy(), np.full((2, 26), 7))
    # other options: other files
    other = FeatureDataset(corpus, "mfcc", cache_dir=cache, preset="kaldi", deltas=2)
    assert other.cache_path(3) != ds.cache_path(3)
    assert other[3][0].shape == (_direct(corpus["path"][3]).shape[0], 39)
    assert ds.cache_path(3).name.startswith("utt_3~")  # "/" cannot be in a file name


def test_signals_clip_features_transform_and_zero_copy(torch):
    t = np.arange(SR) / SR
    signals = [np.sin(2 * np.pi * 200 * t).astype(np.float32), np.zeros(SR // 2, np.float32)]
    ds = FeatureDataset(signals, "egemaps", transform=lambda x: x * 2)
    x, label, item = ds[1]
    assert label == IGNORE_INDEX and item == "1" and x.dtype == torch.float32
    np.testing.assert_allclose(x.numpy(), 2 * ak.egemaps(signals[1], SR).astype(np.float32), equal_nan=True)
    batch = pad_collate([ds[0], ds[1]])
    assert batch["features"].shape == (2, 1, 88) and batch["lengths"].tolist() == [1, 1]
    plain = FeatureDataset(signals, "mfcc")
    arr = plain.featurize(0)
    plain.featurize = lambda i: arr
    assert np.shares_memory(plain[0][0].numpy(), arr)  # torch.from_numpy: no copy
    both = FeatureDataset(signals, ["mfcc", "logmel"], preset="kaldi")
    assert both[0][0].shape == (98, 13 + 23)


def test_bad_input(torch, corpus, tmp_path):
    with pytest.raises(ak.ParameterError, match="'happy' .* not in"):
        FeatureDataset(corpus, classes=["neutral", "sad"])
    with pytest.raises(ak.ParameterError, match="label_column"):
        FeatureDataset(corpus, label_column="emotion")
    with pytest.raises(ak.ParameterError, match="mix frame and clip"):
        FeatureDataset(corpus, ["mfcc", "egemaps"])
    with pytest.raises(ak.ParameterError, match="n_mels"):
        FeatureDataset(corpus, "mfcc", n_mels=40)
    with pytest.raises(ak.ParameterError, match="cache_dir"):
        FeatureDataset([np.zeros(SR)], cache_dir=tmp_path)
    empty = corpus.assign(path=["", *corpus["path"][1:]])
    with pytest.raises(ak.ParameterError, match="empty path"):
        FeatureDataset(empty)
    gone = corpus.assign(path=[str(tmp_path / "gone.wav"), *corpus["path"][1:]])
    with pytest.raises(ak.AudioLoadError, match="gone.wav"):
        FeatureDataset(gone)[0]
    with pytest.raises(IndexError):
        FeatureDataset(corpus)[5]


def test_clear_error_without_torch(monkeypatch):
    ds = FeatureDataset([np.zeros(SR, np.float32)], "mfcc")  # constructing needs no torch
    monkeypatch.setitem(sys.modules, "torch", None)  # what `import torch` sees when it is not installed
    with pytest.raises(ImportError, match="needs the 'torch' package"):
        ds[0]
    with pytest.raises(ImportError, match="needs the 'torch' package"):
        pad_collate([])
