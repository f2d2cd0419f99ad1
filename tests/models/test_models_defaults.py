"""Estimator defaults that keep numbers honest: standardize=True everywhere (MLPs, every
fusion, sequences), early stopping that holds out whole groups, feature settings kept by
fitted and saved models, and help() that documents every parameter."""

import ast
import inspect
import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import affectkit as ak
from affectkit.errors import ParameterError, SettingsMismatchError

# ----------------------------------------------------------------------------- standardize

# eGeMAPS-like scales: a formant frequency in the thousands, F0 in semitones, loudness
# near 1, a spectral slope and jitter near 0.01 (offset, spread) per column
_SCALES = [(1500.0, 200.0), (30.0, 4.0), (1.0, 0.3), (-0.02, 0.01), (0.01, 0.004), (0.2, 0.05)]


def _egemaps_like(n, seed, k=4):
    """Items of k classes; the class shows in every column relative to its own spread,
    most clearly in the small-scale ones, so that an unscaled network sees mainly the
    big offset columns."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % k
    centres = np.random.default_rng(100).normal(scale=1.5, size=(k, len(_SCALES)))
    centres[:, :2] *= 0.2                      # the large-scale columns carry little
    z = centres[y] + rng.normal(size=(n, len(_SCALES)))
    offset, spread = np.array(_SCALES).T
    return offset + spread * z, y, z


def test_standardize_is_the_default_everywhere():
    for cls in (ak.EmotionClassifier, ak.EmotionRegressor, ak.MultitaskEmotionModel):
        assert cls().standardize is True, cls.__name__
    # the wrappers take it from their estimator (default EmotionClassifier())
    X, y, _ = _egemaps_like(120, 0, k=2)
    for fusion in ("late", "early", "gated"):
        mm = ak.MultimodalClassifier(ak.EmotionClassifier((8,), max_epochs=3), fusion=fusion).fit(
            {"a": X[:, :3], "b": X[:, 3:]}, y)
        if fusion == "late":
            assert all(e.standardize and hasattr(e, "input_mean_") for e in mm.estimators_.values())
        else:
            assert set(mm.input_mean_) == {"a", "b"}
            np.testing.assert_allclose(mm.input_mean_["a"], X[:, :3].mean(axis=0))
            np.testing.assert_allclose(mm.input_scale_["b"], X[:, 3:].std(axis=0))
    seqs = [X[i:i + 5] for i in range(0, 120, 5)]
    labels = np.arange(24) % 2
    att = ak.SequenceClassifier(ak.EmotionClassifier((8,), max_epochs=3), pooling="attention").fit(seqs, labels)
    np.testing.assert_allclose(att.input_mean_, X.mean(axis=0))      # over all training frames
    np.testing.assert_allclose(att.input_scale_, X.std(axis=0))


def test_default_beats_unscaled_features_for_the_classifier_and_the_ccc_regressor():
    Xtr, ytr, ztr = _egemaps_like(600, 1)
    Xte, yte, zte = _egemaps_like(300, 2)
    fit = lambda **kw: ak.EmotionClassifier((32,), random_state=0, **kw).fit(Xtr, ytr).score(Xte, yte)  # noqa: E731
    default, raw = fit(), fit(standardize=False)
    # measured: 0.933 default, 0.520 standardize=False (chance 0.25; over random_state 0-2:
    # 0.933-0.943 and 0.200-0.520)
    assert default > 0.85 and default > raw + 0.3
    target = ztr[:, 3] - ztr[:, 4] + 0.5 * ztr[:, 2]                  # a "valence" rating
    reg = lambda **kw: ak.EmotionRegressor((32,), loss="ccc", random_state=0, **kw).fit(Xtr, target)  # noqa: E731
    truth = zte[:, 3] - zte[:, 4] + 0.5 * zte[:, 2]
    ccc_default = ak.metrics.ccc(truth, reg().predict(Xte))
    ccc_raw = ak.metrics.ccc(truth, reg(standardize=False).predict(Xte))
    # measured: CCC 0.996 default, 0.001 standardize=False (0.996-0.997 and -0.002-0.001 over seeds 0-2)
    assert ccc_default > 0.9 and ccc_default > ccc_raw + 0.5


def test_default_beats_unscaled_features_in_gated_fusion_and_attention_pooling():
    Xtr, ytr, _ = _egemaps_like(600, 3)
    Xte, yte, _ = _egemaps_like(300, 4)
    split = lambda X: {"audio": X[:, [0, 3, 4]], "voice": X[:, [1, 2, 5]]}  # noqa: E731
    gated = lambda **kw: ak.MultimodalClassifier(  # noqa: E731
        ak.EmotionClassifier((32,), random_state=0, **kw), fusion="gated").fit(split(Xtr), ytr).score(split(Xte), yte)
    default, raw = gated(), gated(standardize=False)
    # measured: 0.957 default, 0.583 standardize=False (0.883-0.957 and 0.253-0.583 over seeds 0-2)
    assert default > 0.85 and default > raw + 0.25

    # sequences: each frame an eGeMAPS-like vector, the class in the frames' mean
    def seqs(n, seed):
        rng = np.random.default_rng(seed)
        y = np.arange(n) % 2
        frames = [_egemaps_like(int(rng.integers(10, 30)), seed * 1000 + i, k=2)[0] for i in range(n)]
        offset, spread = np.array(_SCALES).T
        # shift the small-scale columns by one spread for class 1
        shift = np.where(np.arange(len(_SCALES)) >= 3, spread, 0.0)
        return [f + c * shift for f, c in zip(frames, y)], y

    Str, sytr = seqs(200, 5)
    Ste, syte = seqs(100, 6)
    att = lambda **kw: ak.SequenceClassifier(  # noqa: E731
        ak.EmotionClassifier((16,), max_epochs=100, random_state=0, **kw), pooling="attention").fit(Str, sytr)
    s_default, s_raw = att().score(Ste, syte), att(standardize=False).score(Ste, syte)
    # measured: 0.96 default (0.94-0.99 over random_state 0-2), 0.50 standardize=False
    assert s_default > 0.85 and s_default > s_raw + 0.3


def test_standardization_statistics_follow_sample_weight_and_nan():
    X, y, _ = _egemaps_like(60, 7, k=2)
    X[::7, 2] = np.nan
    sw = np.random.default_rng(0).integers(0, 4, len(y)).astype(float)
    clf = ak.EmotionClassifier((8,), max_epochs=3, random_state=0).fit(X, y, sample_weight=sw)
    rep = np.repeat(X, sw.astype(int), axis=0)
    np.testing.assert_allclose(clf.input_mean_, np.nanmean(rep, axis=0), rtol=1e-10)
    np.testing.assert_allclose(clf.input_scale_, np.nanstd(rep, axis=0), rtol=1e-10)
    # gated fusion: per modality, over the items that have it
    face = X[:, 3:].copy()
    face[::3] = np.nan
    mm = ak.MultimodalClassifier(ak.EmotionClassifier((8,), max_epochs=3), fusion="gated").fit(
        {"audio": np.nan_to_num(X[:, :3]), "face": face}, y)
    np.testing.assert_allclose(mm.input_mean_["face"], np.nanmean(face, axis=0))
    # a missing modality stays missing after scaling: its gate is exactly 0
    assert (mm.gate_weights({"audio": np.nan_to_num(X[:, :3]), "face": face})[::3, 1] == 0).all()


@pytest.mark.parametrize("fusion", ["early", "gated"])
def test_wrapper_scaling_is_saved_and_refitting_a_loaded_model_standardizes_again(tmp_path, fusion):
    X, y, _ = _egemaps_like(150, 8, k=3)
    Xd = {"audio": X[:, :3], "face": X[:, 3:]}
    mm = ak.MultimodalClassifier(ak.EmotionClassifier((8,), max_epochs=20, random_state=0), fusion=fusion).fit(Xd, y)
    mm.save(tmp_path / "mm.akm")
    back = ak.load_model(tmp_path / "mm.akm")
    np.testing.assert_array_equal(back.predict_proba(Xd), mm.predict_proba(Xd))
    for k in ("audio", "face"):
        np.testing.assert_array_equal(back.input_mean_[k], mm.input_mean_[k])
    # the loaded wrapper's estimator is the one given, not its unscaled inner copy
    assert back.estimator.standardize is True and back.get_params()["estimator"].get_params() == (
        mm.estimator.get_params() | {"random_state": None})


# ---------------------------------------------------------------------------------- groups

def _speakers(n=240, n_speakers=12, seed=9):
    X, y, _ = _egemaps_like(n, seed)
    return X, y, np.array([f"spk{i % n_speakers:02d}" for i in range(n)])


def _assert_whole_groups(held, groups, n_groups_out):
    held_groups = set(groups[held])
    train_groups = set(np.delete(groups, held))
    assert held_groups.isdisjoint(train_groups), "a speaker on both sides"
    assert len(held_groups) == n_groups_out


def test_early_stopping_holds_out_whole_speakers():
    X, y, spk = _speakers()
    clf = ak.EmotionClassifier((16,), early_stopping=True, validation_fraction=0.2, max_epochs=30,
                               random_state=0).fit(X, y, groups=spk)
    _assert_whole_groups(clf.validation_indices_, spk, math.ceil(0.2 * 12))
    assert len(clf.validation_loss_) == clf.n_iter_
    # without groups: a random 20 % of the items, speakers on both sides
    plain = ak.EmotionClassifier((16,), early_stopping=True, validation_fraction=0.2, max_epochs=30,
                                 random_state=0).fit(X, y)
    assert len(plain.validation_indices_) == math.ceil(0.2 * len(y))
    assert not set(spk[plain.validation_indices_]).isdisjoint(np.delete(spk, plain.validation_indices_))
    # the regressor and the multitask model take groups too
    reg = ak.EmotionRegressor((8,), early_stopping=True, max_epochs=5, random_state=0).fit(X, X[:, 2], groups=spk)
    _assert_whole_groups(reg.validation_indices_, spk, 2)
    mt = ak.MultitaskEmotionModel((8,), early_stopping=True, max_epochs=5, random_state=0).fit(
        X, y, X[:, 2], groups=spk)
    _assert_whole_groups(mt.validation_indices_, spk, 2)
    # without early stopping nothing is held out
    assert len(ak.EmotionClassifier((8,), max_epochs=3).fit(X, y, groups=spk).validation_indices_) == 0


def test_groups_reach_early_stopping_inside_a_pipeline_with_metadata_routing():
    X, y, spk = _speakers()
    with sklearn.config_context(enable_metadata_routing=True):
        clf = ak.EmotionClassifier((16,), early_stopping=True, validation_fraction=0.25, max_epochs=10,
                                   random_state=0).set_fit_request(groups=True)
        pipe = make_pipeline(StandardScaler(), clf).fit(X, y, groups=spk)
    _assert_whole_groups(pipe[-1].validation_indices_, spk, 3)


def test_groups_reach_every_wrapper():
    X, y, spk = _speakers()
    base = ak.EmotionClassifier((8,), early_stopping=True, validation_fraction=0.25, max_epochs=10, random_state=0)
    Xd = {"audio": X[:, :3], "face": X[:, 3:].copy()}
    Xd["face"][::5] = np.nan
    gated = ak.MultimodalClassifier(base, fusion="gated").fit(Xd, y, groups=spk)
    _assert_whole_groups(gated.estimators_["gated"].validation_indices_, spk, 3)
    late = ak.MultimodalClassifier(base).fit(Xd, y, groups=spk)
    face_rows = ~np.isnan(Xd["face"]).all(axis=1)
    _assert_whole_groups(late.estimators_["face"].validation_indices_, spk[face_rows], 3)
    early = ak.MultimodalClassifier(base, fusion="early").fit(Xd, y, groups=spk)
    _assert_whole_groups(early.estimators_["early"].validation_indices_, spk, 3)
    # ModDrop copies: an item and its copy are on the same side even without groups
    drop = ak.MultimodalClassifier(base, fusion="early", modality_dropout=0.5, random_state=0).fit(Xd, y)
    held = drop.estimators_["early"].validation_indices_
    n = len(y)
    assert set(held[held < n]) == set(held[held >= n] - n) and 0 < len(held) < 2 * n
    with_groups = ak.MultimodalClassifier(base, fusion="early", modality_dropout=0.5, random_state=0).fit(
        Xd, y, groups=spk)
    _assert_whole_groups(with_groups.estimators_["early"].validation_indices_, np.tile(spk, 2), 3)
    seqs = [X[i:i + 4] for i in range(0, 240, 4)]
    sspk, sy = np.array([f"spk{i % 12:02d}" for i in range(60)]), np.arange(60) % 2
    for pooling in ("mean", "attention"):
        seq = ak.SequenceClassifier(base, pooling=pooling).fit(seqs, sy, groups=sspk)
        _assert_whole_groups(seq.estimator_.validation_indices_, sspk, 3)


def test_bad_groups_are_named():
    X, y, spk = _speakers(n=60)
    est = ak.EmotionClassifier((8,), early_stopping=True, max_epochs=3)
    with pytest.raises(ParameterError, match=r"groups: expected one group label per item \(60\)"):
        est.fit(X, y, groups=spk[:10])
    with pytest.raises(ParameterError, match="groups: .*1 group"):
        est.fit(X, y, groups=np.zeros(len(y)))
    with pytest.raises(ParameterError, match="groups: contains NaN"):
        est.fit(X, y, groups=np.where(np.arange(60) == 3, np.nan, 1.0))
    with pytest.raises(ParameterError, match="groups"):
        est.fit(X, y, groups=np.array(["a", None] * 30, dtype=object))


# ------------------------------------------------------------------------ feature settings

def _mfcc_table(X, preset):
    rec = ak.settings.make({"mfcc": {"preset": preset, "n_mfcc": 20 if preset == "librosa" else 13}},
                           sr=16000, pool=("mean", "std"))
    return ak.settings.attach(pd.DataFrame(X, columns=[f"mfcc_mean_{i}" for i in range(X.shape[1])]), rec)


def test_models_keep_the_training_tables_settings_and_refuse_others(tmp_path):
    X, y, _ = _egemaps_like(120, 10, k=2)
    librosa, kaldi = _mfcc_table(X, "librosa"), _mfcc_table(X, "kaldi")
    clf = ak.EmotionClassifier((8,), max_epochs=5, random_state=0).fit(librosa, y)
    assert clf.feature_settings_ == ak.settings.of(librosa)
    assert clf.feature_settings_ is not ak.settings.of(librosa)          # a copy
    assert ak.settings.of(clf) == clf.feature_settings_
    expected = clf.predict_proba(librosa)
    for call in (clf.predict, clf.predict_proba, clf.predict_log_proba, lambda t: clf.score(t, y)):
        with pytest.raises(SettingsMismatchError, match=r"X was computed with other feature settings .*"
                                                        r"mfcc: preset 'librosa' vs 'kaldi'"):
            call(kaldi)
    with ak.settings.allow_mismatch(), pytest.warns(UserWarning, match="preset 'librosa' vs 'kaldi'"):
        np.testing.assert_array_equal(clf.predict_proba(kaldi), expected)
    # a table without a record is not checked (e.g. one made by hand, or inside a pipeline)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clf.predict(pd.DataFrame(X, columns=librosa.columns))
    clf.save(tmp_path / "m.akm")
    back = ak.load_model(tmp_path / "m.akm")
    assert back.feature_settings_ == clf.feature_settings_
    with pytest.raises(SettingsMismatchError, match="'librosa' vs 'kaldi'"):
        back.predict(kaldi)
    np.testing.assert_array_equal(back.predict_proba(librosa), expected)
    # fitted on an array: no record, nothing refused
    assert ak.EmotionClassifier((8,), max_epochs=2).fit(X, y).feature_settings_ is None
    reg = ak.EmotionRegressor((8,), max_epochs=5).fit(librosa, X[:, 0])
    with pytest.raises(SettingsMismatchError):
        reg.predict(kaldi)
    mt = ak.MultitaskEmotionModel((8,), max_epochs=5).fit(librosa, y, X[:, :1])
    with pytest.raises(SettingsMismatchError):
        mt.predict_dimensions(kaldi)


@pytest.mark.parametrize("fusion", ["late", "gated"])
def test_multimodal_keeps_settings_per_modality(tmp_path, fusion):
    X, y, _ = _egemaps_like(120, 11, k=2)
    face = pd.DataFrame(X[:, 3:])                                        # made by hand: no record
    audio = _mfcc_table(X[:, :3], "librosa")
    mm = ak.MultimodalClassifier(ak.EmotionClassifier((8,), max_epochs=5), fusion=fusion).fit(
        {"audio": audio, "face": face}, y)
    assert mm.feature_settings_ == {"audio": ak.settings.of(audio), "face": None}
    with pytest.raises(SettingsMismatchError, match=r"X\['audio'\] was computed .* 'audio' modality"):
        mm.predict({"audio": _mfcc_table(X[:, :3], "kaldi"), "face": face})
    mm.save(tmp_path / "mm.akm")
    with pytest.raises(SettingsMismatchError):
        ak.load_model(tmp_path / "mm.akm").predict_proba({"audio": _mfcc_table(X[:, :3], "kaldi"), "face": face})
    assert ak.MultimodalClassifier(ak.EmotionClassifier((8,), max_epochs=2)).fit(
        {"a": X[:, :3], "b": X[:, 3:]}, y).feature_settings_ is None


def test_sequence_models_keep_settings(tmp_path):
    X, y, _ = _egemaps_like(120, 12, k=2)
    seqs = [_mfcc_table(X[i:i + 6], "librosa") for i in range(0, 120, 6)]
    labels = np.arange(20) % 2
    other = [_mfcc_table(s.to_numpy(), "kaldi") for s in seqs]
    for pooling in ("mean", "attention"):
        seq = ak.SequenceClassifier(ak.EmotionClassifier((8,), max_epochs=3), pooling=pooling).fit(seqs, labels)
        assert seq.feature_settings_ == ak.settings.of(seqs[0])
        with pytest.raises(SettingsMismatchError):
            seq.predict(other)
        seq.save(tmp_path / "s.akm")
        with pytest.raises(SettingsMismatchError):
            ak.load_model(tmp_path / "s.akm").predict(other)


# ----------------------------------------------------------------------------------- help()

_ESTIMATORS = ["EmotionClassifier", "EmotionRegressor", "MultitaskEmotionModel", "MultimodalClassifier",
               "SequenceClassifier"]


def _section(doc, title):
    m = re.search(rf"^{title}\n-+\n(.*?)(?=^\w[\w ]*\n-+\n|\Z)", doc, flags=re.M | re.S)
    return m.group(1) if m else ""


@pytest.mark.parametrize("name", _ESTIMATORS)
def test_help_lists_every_parameter_with_its_default(name):
    cls = getattr(ak, name)
    doc = inspect.getdoc(cls)
    params = _section(doc, "Parameters")
    for section in ("Parameters", "Attributes", "References", "Examples"):
        assert _section(doc, section).strip(), f"{name}: no {section} section"
    for p in inspect.signature(cls).parameters.values():
        line = re.search(rf"^{p.name} : (.*)$", params, flags=re.M)
        assert line, f"{name}: parameter {p.name} is not documented"
        default = re.search(r"default (.+)$", line.group(1))
        assert default, f"{name}: {p.name} has no default in its docs"
        assert ast.literal_eval(default.group(1)) == p.default, (name, p.name)
    fit_params = _section(inspect.getdoc(cls.fit), "Parameters")
    for p in list(inspect.signature(cls.fit).parameters)[1:]:
        assert re.search(rf"^{p} : ", fit_params, flags=re.M), f"{name}.fit: {p} is not documented"
    for method in ("predict", "predict_proba", "predict_dimensions", "gate_weights", "attention_weights", "save"):
        if hasattr(cls, method):
            assert "Parameters\n" in inspect.getdoc(getattr(cls, method)), f"{name}.{method}"
