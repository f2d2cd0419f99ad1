"""ak.metrics.bootstrap_ci / paired_test / calibration / fairness and ak.TemperatureScaler
against the references: scipy.stats.bootstrap and permutation_test, statsmodels' mcnemar,
scikit-learn's brier_score_loss and log_loss, fairlearn (where installed), torchmetrics
(where installed), and hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import affectkit as ak

CLASSES = np.array(["ang", "hap", "neu", "sad"])


def _systems(n=120, seed=0):
    rng = np.random.default_rng(seed)
    y = CLASSES[rng.integers(0, 4, n)]
    a = np.where(rng.random(n) < 0.75, y, CLASSES[rng.integers(0, 4, n)])
    b = np.where(rng.random(n) < 0.55, y, CLASSES[rng.integers(0, 4, n)])
    spk = np.array([f"s{i % 9}" for i in range(n)])
    return y, a, b, spk


# ------------------------------------------------------------------ bootstrap


@pytest.mark.parametrize("metric", ["ua", "wa", "macro_f1", "weighted_f1"])
def test_named_metrics_equal_affectkit_metrics_on_every_resample(metric):
    y, a, _, _ = _systems(40)
    ci = ak.metrics.bootstrap_ci(y, a, metric=metric, n_resamples=30, seed=3)
    f = ak.evaluation.stats.metric_function(metric)
    assert ci.estimate == pytest.approx(f(y, a), abs=1e-12)
    draws = np.random.default_rng(3).integers(0, len(y), (30, len(y)))
    expected = [f(y[d], a[d]) for d in draws]
    np.testing.assert_allclose(ci.distribution, expected, atol=1e-12)


@pytest.mark.parametrize("method", ["percentile", "bca"])
@pytest.mark.parametrize("by_speaker", [False, True])
def test_intervals_equal_scipy_bootstrap_from_the_same_distribution(method, by_speaker):
    y, a, _, spk = _systems()
    groups = spk if by_speaker else None
    ci = ak.metrics.bootstrap_ci(y, a, metric="ua", n_resamples=999, method=method, groups=groups, seed=7,
                                 confidence=0.9)
    units = [np.flatnonzero(spk == s) for s in np.unique(spk)] if by_speaker else [np.array([i]) for i in range(len(y))]

    def statistic(idx):
        rows = np.concatenate([units[int(i)] for i in idx])
        return ak.metrics.unweighted_accuracy(y[rows], a[rows])

    prior = stats._resampling.BootstrapResult(confidence_interval=None, bootstrap_distribution=ci.distribution,
                                              standard_error=None)
    ref = stats.bootstrap((np.arange(len(units)),), statistic, n_resamples=0, bootstrap_result=prior,
                          vectorized=False, method=method, confidence_level=0.9)
    assert ci.low == pytest.approx(ref.confidence_interval.low, abs=1e-12)
    assert ci.high == pytest.approx(ref.confidence_interval.high, abs=1e-12)
    assert ci.unit == ("groups" if by_speaker else "items") and ci.n_units == len(units)
    # the resamples are drawn as scipy draws them: the same seed gives the same distribution
    fresh = stats.bootstrap((np.arange(len(units)),), statistic, n_resamples=999, vectorized=False, method=method,
                            confidence_level=0.9, rng=np.random.default_rng(7))
    np.testing.assert_allclose(fresh.bootstrap_distribution, ci.distribution, atol=1e-12)


def test_speaker_resampling_gives_wider_intervals_when_speakers_differ():
    rng = np.random.default_rng(1)
    spk = np.repeat([f"s{i}" for i in range(8)], 50)
    y = CLASSES[rng.integers(0, 4, 400)]
    skill = np.repeat(np.linspace(0.3, 0.95, 8), 50)  # speakers differ a lot
    p = np.where(rng.random(400) < skill, y, CLASSES[(np.searchsorted(CLASSES, y) + 1) % 4])
    items = ak.metrics.bootstrap_ci(y, p, n_resamples=500)
    speakers = ak.metrics.bootstrap_ci(y, p, n_resamples=500, groups=spk)
    assert speakers.high - speakers.low > 1.5 * (items.high - items.low)


def test_dimensional_and_callable_metrics():
    rng = np.random.default_rng(0)
    t = rng.normal(size=60)
    p = t + rng.normal(scale=0.5, size=60)
    ci = ak.metrics.bootstrap_ci(t, p, metric="ccc", n_resamples=50)
    assert ci.estimate == pytest.approx(float(ak.metrics.ccc(t, p)), abs=1e-12)
    med = ak.metrics.bootstrap_ci(t, p, metric=lambda a, b: float(np.median(np.abs(a - b))), n_resamples=50)
    assert med.estimate == pytest.approx(np.median(np.abs(t - p)))
    assert "[" in str(ci) and "95 %" in str(ci)


def test_bootstrap_bad_input():
    y, a, _, spk = _systems(20)
    with pytest.raises(ak.ParameterError, match=r"metric: unknown metric 'uaa'.*'ua', 'wa', 'macro_f1'"):
        ak.metrics.bootstrap_ci(y, a, metric="uaa")
    with pytest.raises(ak.ParameterError, match=r"groups: expected one group label per item \(20\)"):
        ak.metrics.bootstrap_ci(y, a, groups=spk[:5])
    with pytest.raises(ak.ParameterError, match="y_pred: expected 20 predictions"):
        ak.metrics.bootstrap_ci(y, a[:10])
    with pytest.raises(ak.ParameterError, match="groups: resampling groups needs at least 2"):
        ak.metrics.bootstrap_ci(y, a, groups=["one"] * 20)
    with pytest.raises(ak.ParameterError, match="confidence"):
        ak.metrics.bootstrap_ci(y, a, confidence=95)
    with pytest.raises(ak.ParameterError, match="method"):
        ak.metrics.bootstrap_ci(y, a, method="basic")


# ------------------------------------------------------------------ paired tests


@pytest.mark.parametrize("exact,correction", [(True, True), (False, True), (False, False)])
def test_mcnemar_equals_statsmodels(exact, correction):
    from statsmodels.stats.contingency_tables import mcnemar

    y, a, b, _ = _systems(200)
    r = ak.metrics.paired_test(y, a, b, test="mcnemar", exact=exact, correction=correction)
    ra, rb = a == y, b == y
    table = [[np.sum(ra & rb), np.sum(ra & ~rb)], [np.sum(~ra & rb), np.sum(~ra & ~rb)]]
    ref = mcnemar(table, exact=exact, correction=correction)
    assert r.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert r.pvalue == pytest.approx(ref.pvalue, rel=1e-10)
    assert (r.b, r.c) == (table[0][1], table[1][0]) and r.exact is exact


def test_mcnemar_default_switches_to_exact_for_few_discordant_pairs():
    y = np.array(["a"] * 30)
    a = y.copy()
    b = y.copy()
    b[:6] = "b"
    r = ak.metrics.paired_test(y, a, b)
    assert r.exact and (r.b, r.c) == (6, 0) and r.pvalue == pytest.approx(2 * 0.5 ** 6)
    assert ak.metrics.paired_test(y, a, a).pvalue == 1.0


def test_permutation_test_equals_scipy_when_exact():
    y, a, b, _ = _systems(12, seed=4)

    def diff(pa, pb):
        return ak.metrics.unweighted_accuracy(y, pa) - ak.metrics.unweighted_accuracy(y, pb)

    r = ak.metrics.paired_test(y, a, b, test="permutation", n_resamples=2 ** 12)
    ref = stats.permutation_test((a, b), diff, permutation_type="samples", vectorized=False, n_resamples=2 ** 12)
    assert r.exact and r.statistic == pytest.approx(ref.statistic, abs=1e-12)
    assert r.pvalue == pytest.approx(ref.pvalue, abs=1e-12)


def test_permutation_test_detects_a_better_system_and_swaps_speakers():
    y, a, b, spk = _systems(300)
    r = ak.metrics.paired_test(y, a, b, test="permutation", n_resamples=999)
    assert r.statistic > 0.1 and r.pvalue < 0.01 and r.n_resamples == 999
    # 9 speakers: 2**9 = 512 swaps <= 999 resamples -> enumerated
    g = ak.metrics.paired_test(y, a, b, test="permutation", n_resamples=999, groups=spk)
    assert g.exact and g.pvalue >= 2 / 512
    same = ak.metrics.paired_test(y, a, a, test="permutation", n_resamples=200)
    assert same.pvalue == 1.0


def test_paired_test_bad_input():
    y, a, b, _ = _systems(20)
    with pytest.raises(ak.ParameterError, match="test: expected 'mcnemar' or 'permutation'"):
        ak.metrics.paired_test(y, a, b, test="wilcoxon")
    with pytest.raises(ak.ParameterError, match="pred_a, pred_b: expected 20 predictions"):
        ak.metrics.paired_test(y, a, b[:3])
    with pytest.raises(ak.ParameterError, match="metric: unknown metric 'acc'"):
        ak.metrics.paired_test(y, a, b, test="permutation", metric="acc")


# ------------------------------------------------------------------ calibration


def test_ece_by_hand():
    proba = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    c = ak.metrics.calibration(["a", "a", "b", "b"], proba, classes=["a", "b"])
    # four bins of one item each: |1-.9| + |1-.8| + |1-.7| + |0-.6|, over 4
    assert c.ece == pytest.approx((0.1 + 0.2 + 0.3 + 0.6) / 4)
    assert c.mce == pytest.approx(0.6)
    two = ak.metrics.calibration(["a", "a", "b", "b"], proba, classes=["a", "b"], n_bins=2)
    # bin (0.5, 1]: all four, confidence .75, accuracy .75
    assert two.ece == pytest.approx(0.0, abs=1e-12) and int(two.bins["n"].sum()) == 4
    assert c.bins["n"].sum() == 4 and len(c.bins) == 15


def test_brier_and_nll_equal_scikit_learn():
    from sklearn.metrics import brier_score_loss, log_loss

    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.ones(4), size=200)
    y = CLASSES[rng.integers(0, 4, 200)]
    c = ak.metrics.calibration(y, proba, classes=CLASSES)
    assert c.brier == pytest.approx(brier_score_loss(y, proba, labels=CLASSES, scale_by_half=False), rel=1e-12)
    assert c.nll == pytest.approx(log_loss(y, proba, labels=CLASSES), rel=1e-10)


def test_ece_equals_torchmetrics():
    torch = pytest.importorskip("torch", reason="torch is not installed (optional reference)")
    tm = pytest.importorskip("torchmetrics", reason="torchmetrics is not installed (optional reference)")
    rng = np.random.default_rng(0)
    proba = rng.dirichlet(np.ones(4) * 0.5, size=500)
    y = rng.integers(0, 4, 500)
    for norm, attr in (("l1", "ece"), ("max", "mce")):
        ref = tm.classification.MulticlassCalibrationError(num_classes=4, n_bins=15, norm=norm)
        val = float(ref(torch.tensor(proba), torch.tensor(y)))
        assert getattr(ak.metrics.calibration(y, proba), attr) == pytest.approx(val, abs=1e-6)


def test_temperature_scaling_fixes_overconfidence_and_keeps_the_argmax():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 600)
    logits = 6 * np.eye(3)[y] + rng.normal(0, 3, (600, 3))
    ts = ak.TemperatureScaler().fit(logits[:300], y[:300])
    assert ts.temperature_ > 1.2
    from scipy.special import softmax

    before = ak.metrics.calibration(y[300:], softmax(logits[300:], axis=1))
    after = ak.metrics.calibration(y[300:], ts.predict_proba(logits[300:]))
    assert after.ece < before.ece and after.nll < before.nll
    np.testing.assert_array_equal(ts.predict(logits[300:]), np.argmax(logits[300:], axis=1))
    # the minimum: the NLL is higher on either side of temperature_
    from scipy.special import log_softmax

    def nll(t):
        return -np.mean(log_softmax(logits[:300] / t, axis=1)[np.arange(300), y[:300]])

    assert nll(ts.temperature_) <= min(nll(ts.temperature_ * 0.99), nll(ts.temperature_ * 1.01))
    # probabilities are accepted: log p differs from the logits by a per-row constant
    tp = ak.TemperatureScaler().fit(softmax(logits[:300], axis=1), y[:300])
    assert tp.temperature_ == pytest.approx(ts.temperature_, rel=1e-4)


def test_calibration_bad_input():
    with pytest.raises(ak.ParameterError, match="proba: rows must be class probabilities"):
        ak.metrics.calibration([0, 1], [[2.0, -1.0], [0.5, 0.5]])
    with pytest.raises(ak.ParameterError, match="classes: y_true holds 1 distinct labels for 2 columns"):
        ak.metrics.calibration(["a", "a"], [[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(ak.ParameterError, match=r"y_true: label\(s\) \['c'\] are not among classes"):
        ak.metrics.calibration(["a", "c"], [[0.5, 0.5], [0.5, 0.5]], classes=["a", "b"])
    with pytest.raises(ak.ParameterError, match="n_bins"):
        ak.metrics.calibration([0, 1], [[0.5, 0.5], [0.5, 0.5]], n_bins=0)
    with pytest.raises(ak.ParameterError, match=r"y_true: expected 2 labels"):
        ak.metrics.calibration([0, 1, 1], [[0.5, 0.5], [0.5, 0.5]])


# ------------------------------------------------------------------ fairness


def _fair_data(seed=0):
    rng = np.random.default_rng(seed)
    n = 400
    y = CLASSES[rng.integers(0, 4, n)]
    g = np.where(rng.random(n) < 0.5, "f", "m")
    acc = np.where(g == "f", 0.85, 0.6)
    p = np.where(rng.random(n) < acc, y, CLASSES[rng.integers(0, 4, n)])
    return y, p, g


def test_fairness_rates_and_gaps_by_hand():
    y, p, g = _fair_data()
    r = ak.metrics.fairness(y, p, groups=g)
    for c in CLASSES:
        for grp in ("f", "m"):
            mine = g == grp
            assert r.tpr.loc[c, grp] == pytest.approx(np.mean(p[mine & (y == c)] == c))
            assert r.fpr.loc[c, grp] == pytest.approx(np.mean(p[mine & (y != c)] == c))
    assert r.ua["f"] == pytest.approx(ak.metrics.unweighted_accuracy(y[g == "f"], p[g == "f"]))
    assert r.gap == pytest.approx(r.ua["f"] - r.ua["m"]) and r.worst == "m" and r.best == "f"
    assert r.equalized_odds == pytest.approx(max(r.equalized_odds_by_class.values()))
    assert set(r.to_frame().columns) >= {"n", "UA", "TPR ang", "FPR sad"} and "UA gap" in str(r)


def test_equalized_odds_equals_fairlearn():
    fl = pytest.importorskip("fairlearn.metrics", reason="fairlearn is not installed (optional reference)")
    y, p, g = _fair_data(1)
    r = ak.metrics.fairness(y, p, groups=g)
    for c in CLASSES:
        ref = fl.equalized_odds_difference(y == c, p == c, sensitive_features=g)
        assert r.equalized_odds_by_class[c] == pytest.approx(ref, abs=1e-12)
        frame = fl.MetricFrame(metrics=fl.true_positive_rate, y_true=y == c, y_pred=p == c, sensitive_features=g)
        np.testing.assert_allclose(r.tpr.loc[c, ["f", "m"]].to_numpy(dtype=float), frame.by_group.to_numpy(dtype=float))


def test_fairness_bad_input():
    y, p, g = _fair_data()
    with pytest.raises(ak.ParameterError, match=r"groups: expected 400 group labels"):
        ak.metrics.fairness(y, p, groups=g[:10])
    with pytest.raises(ak.ParameterError, match="groups: fairness compares groups; got 1 group"):
        ak.metrics.fairness(y, p, groups=["f"] * 400)
