"""ak.metrics against scikit-learn / SciPy where they have the metric, hand-computed cases otherwise."""

import numpy as np
import pytest
from scipy.spatial.distance import jensenshannon
from scipy.stats import pearsonr
from sklearn import metrics as skm

import affectkit as ak
from affectkit.errors import ParameterError

M = ak.metrics


def _random_labels(seed, n=500, k=5, as_str=False):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, k, n)
    # predictions right 60 % of the time, biased towards class 0
    p = np.where(rng.random(n) < 0.6, t, rng.choice(k, n, p=[0.4] + [0.6 / (k - 1)] * (k - 1)))
    if as_str:
        names = np.array(["ang", "hap", "neu", "sad", "fru", "exc"][:k])
        return names[t], names[p]
    return t, p


@pytest.mark.parametrize("seed,as_str", [(0, False), (1, True), (2, False)])
def test_categorical_metrics_match_sklearn(seed, as_str):
    t, p = _random_labels(seed, as_str=as_str)
    assert M.unweighted_accuracy(t, p) == pytest.approx(skm.balanced_accuracy_score(t, p), abs=1e-12)
    assert M.weighted_accuracy(t, p) == pytest.approx(skm.accuracy_score(t, p), abs=1e-12)
    for avg in ("macro", "weighted", "micro"):
        assert M.f1(t, p, average=avg) == pytest.approx(skm.f1_score(t, p, average=avg), abs=1e-12)
    np.testing.assert_array_equal(M.confusion_matrix(t, p), skm.confusion_matrix(t, p))
    labels = np.unique(np.r_[t, p])
    np.testing.assert_allclose(list(M.per_class_recall(t, p).values()), skm.recall_score(t, p, average=None), atol=1e-12)
    np.testing.assert_allclose(list(M.f1(t, p, average=None).values()), skm.f1_score(t, p, average=None), atol=1e-12)
    assert list(M.per_class_recall(t, p)) == labels.tolist()


def test_class_only_predicted_and_explicit_labels():
    # class 2 never occurs in the truth: ignored by UA (as balanced_accuracy_score), F1 = 0
    t = [0, 0, 1, 1]
    p = [0, 2, 1, 1]
    with pytest.warns(UserWarning):
        expected = skm.balanced_accuracy_score(t, p)
    assert M.unweighted_accuracy(t, p) == pytest.approx(expected)
    assert np.isnan(M.per_class_recall(t, p)[2])
    assert M.f1(t, p, average="macro") == pytest.approx(skm.f1_score(t, p, average="macro", zero_division=0))
    cm = M.confusion_matrix(t, p, labels=[2, 1, 0])
    np.testing.assert_array_equal(cm, skm.confusion_matrix(t, p, labels=[2, 1, 0]))
    with pytest.raises(ParameterError, match="labels"):
        M.confusion_matrix(t, p, labels=[0, 1])


def test_dimensional_metrics():
    rng = np.random.default_rng(3)
    t = rng.normal(size=(300, 2))
    p = 0.7 * t + rng.normal(scale=0.5, size=t.shape) + [0.2, -0.1]

    def lin_ccc(a, b):
        return 2 * np.cov(a, b, bias=True)[0, 1] / (a.var() + b.var() + (a.mean() - b.mean()) ** 2)

    np.testing.assert_allclose(M.ccc(t, p), [lin_ccc(t[:, j], p[:, j]) for j in range(2)], rtol=1e-12)
    np.testing.assert_allclose(M.pearson(t, p), [pearsonr(t[:, j], p[:, j])[0] for j in range(2)], rtol=1e-10)
    np.testing.assert_allclose(M.mae(t, p), skm.mean_absolute_error(t, p, multioutput="raw_values"), rtol=1e-12)
    np.testing.assert_allclose(M.rmse(t, p), skm.root_mean_squared_error(t, p, multioutput="raw_values"), rtol=1e-12)
    # 1-D input gives a float; CCC penalises a shift that Pearson ignores
    assert isinstance(M.ccc(t[:, 0], p[:, 0]), float)
    assert M.ccc(t[:, 0], t[:, 0] + 1.0) == pytest.approx(2 * 1.0 * t[:, 0].var() / (2 * t[:, 0].var() + 1.0))
    assert M.pearson(t[:, 0], t[:, 0] + 1.0) == pytest.approx(1.0)
    with pytest.raises(ParameterError, match="y_pred"):
        M.ccc(t, p[:, :1])


def test_soft_label_metrics():
    rng = np.random.default_rng(4)
    q = rng.dirichlet([1, 1, 1], size=50)
    p = rng.dirichlet([2, 2, 2], size=50)
    expected_ce = np.mean(-(q * np.log(p)).sum(axis=1))
    assert M.soft_cross_entropy(q, p) == pytest.approx(expected_ce, rel=1e-12)
    expected_js = np.mean([jensenshannon(a, b, base=2) ** 2 for a, b in zip(q, p)])
    assert M.jensen_shannon(q, p) == pytest.approx(expected_js, rel=1e-9)
    assert M.jensen_shannon(q, q) == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ParameterError, match="p_true"):
        M.jensen_shannon(q * 2, p)
    with pytest.raises(ParameterError, match="p_pred"):
        M.jensen_shannon(q, p[:, :2])


def test_group_gaps_and_report():
    t, p = _random_labels(5, n=400, k=4)
    groups = np.where(np.arange(400) % 2 == 0, "female", "male")
    g = M.group_gaps(t, p, groups)
    f = skm.balanced_accuracy_score(t[groups == "female"], p[groups == "female"])
    m = skm.balanced_accuracy_score(t[groups == "male"], p[groups == "male"])
    assert g["by_group"]["female"] == pytest.approx(f)
    assert g["gap"] == pytest.approx(abs(f - m))
    text = str(M.report(t, p, groups=groups))
    assert f"{100 * skm.balanced_accuracy_score(t, p):.1f}" in text
    assert "female" in text and "gap" in text
    dims = str(M.report(np.c_[t, p].astype(float), np.c_[p, t].astype(float), target_names=["valence", "arousal"]))
    assert "valence" in dims and "CCC" in dims
    with pytest.raises(ParameterError, match="y_pred"):
        M.unweighted_accuracy([0, 1], [0])


def test_report_is_structured_fractions_in_data_percent_in_tables(capsys):
    """ak.metrics.report returns data (dict and DataFrame forms) as well as the table; the
    metric functions and to_dict() give fractions, the tables percent."""
    pd = pytest.importorskip("pandas")
    t, p = _random_labels(7, n=300, k=3)
    groups = np.where(np.arange(300) % 3 == 0, "female", "male")
    r = M.report(t, p, groups=groups)
    assert capsys.readouterr().out == ""  # returned, not printed (print_table=True prints)
    d = r.to_dict()
    assert d["kind"] == "categorical" and d["n"] == 300
    assert d["scores"]["UA"] == pytest.approx(skm.balanced_accuracy_score(t, p))
    assert d["scores"]["UA"] == pytest.approx(M.unweighted_accuracy(t, p))
    assert d["scores"]["WA"] == pytest.approx(skm.accuracy_score(t, p))
    assert d["scores"]["F1-macro"] == pytest.approx(skm.f1_score(t, p, average="macro"))
    assert d["scores"]["F1-weighted"] == pytest.approx(skm.f1_score(t, p, average="weighted"))
    assert d["confusion"] == skm.confusion_matrix(t, p).tolist()
    rec = skm.recall_score(t, p, average=None)
    assert [v["recall"] for v in d["classes"].values()] == pytest.approx(rec)
    assert d["gap"] == pytest.approx(M.group_gaps(t, p, groups)["gap"])
    assert r.to_dict(percent=True)["scores"]["UA"] == pytest.approx(100 * d["scores"]["UA"])
    frame = r.to_frame()
    assert list(frame.columns) == ["UA", "WA", "F1-macro", "F1-weighted", "n"]
    assert frame.loc[0, "UA"] == pytest.approx(100 * d["scores"]["UA"])
    assert r.to_frame(percent=False).loc[0, "WA"] == pytest.approx(d["scores"]["WA"])
    assert r.to_frame("classes")["recall"].to_numpy() == pytest.approx(100 * rec)
    assert r.to_frame("confusion").to_numpy().tolist() == d["confusion"]
    assert list(r.to_frame("groups").index) == ["female", "male"]
    # str() is the printed table, in percent with one decimal
    lines = str(r).splitlines()
    assert lines[0].split() == ["UA", "WA", "F1-mac", "F1-w", "n"]
    assert lines[1].split()[0] == f"{100 * d['scores']['UA']:.1f}" and repr(r) == str(r)
    M.report(t, p, print_table=True)
    assert capsys.readouterr().out.strip() == str(M.report(t, p)).strip()
    dims = M.report(np.c_[t, p].astype(float), np.c_[p, t].astype(float), target_names=["valence", "arousal"])
    assert dims.to_dict()["targets"]["valence"]["CCC"] == pytest.approx(M.ccc(t.astype(float), p.astype(float)))
    assert list(dims.to_frame().index) == ["valence", "arousal"]
    with pytest.raises(ParameterError, match="part"):
        r.to_frame("everything")
