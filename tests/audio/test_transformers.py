"""ak.audio.MFCC / LogMel in scikit-learn pipelines."""

import numpy as np
import pytest

import affectkit as ak

rng = np.random.default_rng(0)
SIGNALS = [rng.standard_normal(8000 + 500 * i).astype(np.float32) for i in range(6)]


def test_pooled_statistics_are_mean_and_std_of_frames():
    t = ak.audio.MFCC(sr=16000, preset="kaldi", n_mfcc=13)
    X = t.fit_transform(SIGNALS)
    assert X.shape == (6, 26)
    frames = ak.mfcc(SIGNALS[2], 16000, preset="kaldi", n_mfcc=13)
    np.testing.assert_allclose(X[2], np.concatenate([frames.mean(0), frames.std(0)]), rtol=1e-5)


def test_frames_without_pooling():
    out = ak.audio.LogMel(sr=16000, n_mels=40, pooling=None, params=dict(n_fft=512, hop_length=160)).transform(SIGNALS)
    assert isinstance(out, list) and len(out) == 6
    np.testing.assert_array_equal(out[0], ak.melspectrogram(SIGNALS[0], 16000, log=True, n_mels=40, n_fft=512, hop_length=160))


def test_empty_clip_pools_to_nan():
    X = ak.audio.MFCC(sr=16000, preset="kaldi").transform([np.zeros(10, np.float32)])
    assert np.isnan(X).all()


def test_bad_pooling_and_single_signal():
    # affectkit's own ParameterError (a ValueError), as everywhere else in the package
    with pytest.raises(ak.errors.ParameterError, match="pooling"):
        ak.audio.MFCC(pooling=("mean", "kurtosis")).fit(SIGNALS)
    with pytest.raises(ak.errors.ParameterError, match="list of signals"):
        ak.audio.MFCC().transform(SIGNALS[0])
    with pytest.raises(ak.errors.ParameterError, match="list of signals"):
        ak.audio.EGeMAPS().transform(SIGNALS[0])
    with pytest.raises(ak.errors.ParameterError, match="features"):
        ak.audio.Prosody(features="jitter").fit_transform(SIGNALS)
    with pytest.raises(ak.errors.ParameterError, match="pooling"):
        ak.audio.pool_frames(np.ones((3, 2)), ("mean", "kurtosis"))


def test_in_a_scikit_learn_pipeline():
    sklearn = pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    t = np.arange(8000) / 16000
    low = [np.sin(2 * np.pi * 200 * t + p).astype(np.float32) for p in range(10)]
    high = [np.sin(2 * np.pi * 3000 * t + p).astype(np.float32) for p in range(10)]
    X = low + high
    y = [0] * 10 + [1] * 10
    model = make_pipeline(ak.audio.MFCC(sr=16000, preset="htk"), StandardScaler(), LogisticRegression())
    model.fit(X, y)
    assert model.score(X, y) == 1.0
    c = clone(model)
    assert c.get_params()["mfcc__preset"] == "htk"
