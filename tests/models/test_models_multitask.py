"""ak.MultitaskEmotionModel (categorical + dimensional heads with masks) and sample_weight in fit."""

import pickle

import numpy as np
import pytest
from sklearn.model_selection import train_test_split

import affectkit as ak
from affectkit.errors import ParameterError


def _corpus(n=900, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    y = np.array(["ang", "hap", "sad"], dtype=object)[(X[:, 0] > 0.5).astype(int) + (X[:, 0] > -0.5)]
    V = np.c_[X[:, 1] - 0.5 * X[:, 2], 0.8 * X[:, 3]] + rng.normal(scale=0.3, size=(n, 2))
    return X, y, V


def test_both_heads_learn_with_missing_labels_and_ratings(tmp_path):
    X, y, V = _corpus()
    y_obs, V_obs = y.copy(), V.copy()
    y_obs[::3] = None                     # a third of the items have ratings only
    V_obs[1::3] = np.nan                  # a third have a label only
    V_obs[2::6, 1] = np.nan               # and some lack one dimension
    tr, te = np.arange(600), np.arange(600, 900)
    m = ak.MultitaskEmotionModel((32,), max_epochs=150, random_state=0).fit(X[tr], y_obs[tr], V_obs[tr])
    assert m.classes_.tolist() == ["ang", "hap", "sad"]
    assert m.score(X[te], y[te].astype(str)) > 0.9
    assert ak.metrics.ccc(V[te], m.predict_dimensions(X[te])).min() > 0.9
    np.testing.assert_allclose(m.predict_proba(X[te]).sum(axis=1), 1.0)
    m.save(tmp_path / "mt.akm")
    back = ak.load_model(tmp_path / "mt.akm")
    assert type(back) is ak.MultitaskEmotionModel
    np.testing.assert_array_equal(back.predict_dimensions(X[te]), m.predict_dimensions(X[te]))
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(m)).predict_proba(X[te]), m.predict_proba(X[te]))


def test_masked_entries_do_not_change_the_fit():
    X, y, V = _corpus(n=300, seed=1)
    fit = lambda yy, VV, **kw: ak.MultitaskEmotionModel((16,), max_epochs=100, random_state=0, n_jobs=1, **kw).fit(X, yy, VV)  # noqa: E731
    # with dimension_weight=0 the ratings (whatever they are) do not touch the network
    other = np.random.default_rng(2).normal(size=V.shape)
    a = fit(y, V, dimension_weight=0.0)
    b = fit(y, other, dimension_weight=0.0)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    # an item without a label: whatever label it "would" have had is not seen; the model
    # differs from one trained with the label
    y_missing = y.copy()
    y_missing[:100] = None
    c = fit(y_missing, V)
    d = fit(np.where(np.arange(300) < 100, None, y), V)
    np.testing.assert_array_equal(c.predict_proba(X), d.predict_proba(X))
    assert not np.array_equal(c.predict_proba(X), fit(y, V).predict_proba(X))
    # nothing but ratings for the first 100 items: they still train the dimensional head
    assert ak.metrics.ccc(V, c.predict_dimensions(X)).min() > 0.5


def test_multitask_bad_input():
    X, y, V = _corpus(n=60)
    m = ak.MultitaskEmotionModel((8,), max_epochs=3)
    with pytest.raises(ParameterError, match="dimensions"):
        m.fit(X, y)
    with pytest.raises(ParameterError, match="dimensions"):
        m.fit(X, y, V[:10])
    bad = V.copy()
    bad[:, 1] = np.nan
    with pytest.raises(ParameterError, match=r"columns \[1\] have no rating"):
        m.fit(X, y, bad)
    with pytest.raises(ParameterError, match="dimension_loss"):
        ak.MultitaskEmotionModel(dimension_loss="huber").fit(X, y, V)
    with pytest.raises(ParameterError, match="at least 2 classes"):
        m.fit(X, np.where(np.arange(60) < 30, None, "ang"), V)


def _blobs(n=400, seed=0):
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal(0, 1, (n // 2, 2)), rng.normal(1.0, 1, (n // 2, 2))]
    y = np.r_[np.zeros(n // 2, int), np.ones(n // 2, int)]
    return X, y


def test_sample_weight_equals_repetition_and_zero_equals_removal():
    X, y = _blobs(n=60)
    sw = np.random.default_rng(3).integers(0, 4, len(y))
    est = lambda: ak.EmotionClassifier((8,), batch_size=1000, max_epochs=50, tol=0.0, random_state=0)  # noqa: E731
    weighted = est().fit(X, y, sample_weight=sw)
    repeated = est().fit(np.repeat(X, sw, axis=0), np.repeat(y, sw))
    # one full batch each: equal up to float32 summation order
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-4)
    reg = lambda: ak.EmotionRegressor((8,), batch_size=1000, max_epochs=50, tol=0.0, random_state=0)  # noqa: E731
    t = np.c_[X[:, 0] - X[:, 1], X[:, 1]]
    for loss in ("ccc", "mse"):
        a = reg().set_params(loss=loss).fit(X, t, sample_weight=sw).predict(X)
        b = reg().set_params(loss=loss).fit(np.repeat(X, sw, axis=0), np.repeat(t, sw, axis=0)).predict(X)
        np.testing.assert_allclose(a, b, atol=1e-4)


def test_sample_weight_shifts_the_decision_and_is_checked():
    X, y = _blobs(seed=4)
    plain = ak.EmotionClassifier((16,), random_state=0).fit(X, y)
    heavy = ak.EmotionClassifier((16,), random_state=0).fit(X, y, sample_weight=np.where(y == 1, 5.0, 1.0))
    recall = lambda m: ak.metrics.per_class_recall(y, m.predict(X))[1]  # noqa: E731
    assert recall(heavy) > recall(plain) + 0.15
    with pytest.raises(ValueError, match="sample_weight"):
        ak.EmotionClassifier((8,), max_epochs=2).fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="(?i)negative"):
        ak.EmotionClassifier((8,), max_epochs=2).fit(X, y, sample_weight=-np.ones(len(y)))
    with pytest.raises(ValueError, match="non-zero"):
        ak.EmotionClassifier((8,), max_epochs=2).fit(X, y, sample_weight=np.zeros(len(y)))
