"""affectkit.labels: label fusion and agreement, tested through the public API.

Parity tests compare with crowd-kit, krippendorff, statsmodels and scikit-learn (the
`test` extra) and are skipped when a reference is not installed.
"""

import pickle
import warnings

import numpy as np
import pytest

import affectkit as ak
from affectkit.errors import InputTypeError, ParameterError

L = ak.labels


def simulate_crowd(n_items, n_workers, k, per_item, seed, acc_range=(0.35, 0.95)):
    """Items with a known truth answered by annotators with random confusion matrices."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n_items)
    conf = np.empty((n_workers, k, k))
    for w in range(n_workers):
        acc = rng.uniform(*acc_range)
        m = rng.dirichlet(np.ones(k), size=k) * (1 - acc)
        m[np.arange(k), np.arange(k)] += acc
        conf[w] = m / m.sum(1, keepdims=True)
    items = np.repeat(np.arange(n_items), per_item)
    workers = np.concatenate([rng.choice(n_workers, per_item, replace=False) for _ in range(n_items)])
    cum = conf[workers, truth[items]].cumsum(axis=1)
    labels = (rng.random(len(items))[:, None] > cum).sum(axis=1)
    labels = np.minimum(labels, k - 1)
    return items, workers, labels, truth, conf


# ------------------------------------------------------------------ counting rules


ITEMS = [0, 0, 0, 1, 1, 2, 2]
ANNOT = ["x", "y", "z", "x", "y", "x", "z"]
LABS = ["hap", "hap", "sad", "hap", "sad", "ang", "ang"]


def test_majority_hand_computed_and_ties():
    r = L.majority(ITEMS, ANNOT, LABS, ties="first")
    assert list(r.classes) == ["ang", "hap", "sad"]
    assert list(r.labels) == ["hap", "hap", "ang"]
    np.testing.assert_allclose(r.posterior[0], [0, 2 / 3, 1 / 3])
    np.testing.assert_allclose(r.posterior[1], [0, 0.5, 0.5])
    r = L.majority(ITEMS, ANNOT, LABS, ties="nan")
    assert r.labels[1] is None and list(r.label_codes) == [1, -1, 0]
    seen = {L.majority(ITEMS, ANNOT, LABS, ties="random", seed=s).labels[1] for s in range(40)}
    assert seen == {"hap", "sad"}
    a = L.majority(ITEMS, ANNOT, LABS, seed=7).labels
    b = L.majority(ITEMS, ANNOT, LABS, seed=7).labels
    assert list(a) == list(b)
    # weights: y counts double and wins the tie on item 1
    r = L.majority(ITEMS, ANNOT, LABS, ties="nan", weights={"x": 1, "y": 2, "z": 1})
    assert r.labels[1] == "sad"
    with pytest.raises(ParameterError, match="ties"):
        L.majority(ITEMS, ANNOT, LABS, ties="coin")


def test_soft_union_unanimous():
    r = L.soft(ITEMS, ANNOT, LABS, smoothing=1.0)
    np.testing.assert_allclose(r.posterior[0], [1 / 6, 3 / 6, 2 / 6])
    np.testing.assert_allclose(L.soft(ITEMS, ANNOT, LABS).posterior.sum(1), 1.0)
    u = L.all_inclusive(ITEMS, ANNOT, LABS)
    assert u.labels == [["hap", "sad"], ["hap", "sad"], ["ang"]]
    u = L.all_inclusive(ITEMS, ANNOT, LABS, min_fraction=0.6)
    assert u.labels == [["hap"], [], ["ang"]]
    r = L.unanimous(ITEMS, ANNOT, LABS)
    assert list(r.labels) == [None, None, "ang"]
    with pytest.raises(ParameterError, match="smoothing"):
        L.soft(ITEMS, ANNOT, LABS, smoothing=-1)


def test_binary_relevance():
    it = [0, 0, 0, 1, 1, 1]
    an = ["a", "b", "c"] * 2
    sets = [["hap", "sur"], ["hap"], ["hap", "sur"], ["sad"], ["sad", "ang"], []]
    r = L.binary_relevance(it, an, sets, method="majority", ties="first")
    assert list(r.classes) == ["ang", "hap", "sad", "sur"]
    np.testing.assert_allclose(r.posterior, [[0, 1, 0, 2 / 3], [1 / 3, 0, 2 / 3, 0]])
    assert r.labels == [["hap", "sur"], ["sad"]]
    ds = L.binary_relevance(it, an, sets, item_ids=[0, 1, 2])
    assert ds.posterior.shape == (3, 4) and np.isnan(ds.posterior[2]).all()
    with pytest.raises(ParameterError, match="method"):
        L.binary_relevance(it, an, sets, method="vote")
    with pytest.raises(ParameterError, match="not in classes"):
        L.binary_relevance(it, an, sets, classes=["hap", "sad"])


def test_dataframe_input_columns_classes_and_missing_items():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"utt": ITEMS, "rater": ANNOT, "emo": LABS})
    r = L.majority(df, columns=("utt", "rater", "emo"), ties="first")
    assert list(r.labels) == ["hap", "hap", "ang"]
    frame = r.to_frame()
    assert list(frame.columns) == ["label", "p_ang", "p_hap", "p_sad"]
    with pytest.raises(ParameterError, match="lacks column"):
        L.majority(df)
    # a fixed class list keeps unused classes as columns
    r = L.soft(ITEMS, ANNOT, LABS, classes=["ang", "hap", "neu", "sad"])
    assert r.posterior.shape == (3, 4) and np.all(r.posterior[:, 2] == 0)
    with pytest.raises(ParameterError, match="'sad' is not in classes"):
        L.majority(ITEMS, ANNOT, LABS, classes=["ang", "hap"])
    # items nobody annotated: NaN rows, or dropped
    r = L.majority(ITEMS, ANNOT, LABS, item_ids=[0, 1, 2, 3], ties="first")
    assert np.isnan(r.posterior[3]).all() and r.labels[3] is None
    r = L.dawid_skene(ITEMS, ANNOT, LABS, item_ids=[3, 2, 1, 0], missing="drop")
    assert list(r.items) == [2, 1, 0]
    with pytest.raises(ParameterError, match="not in item_ids"):
        L.majority(ITEMS, ANNOT, LABS, item_ids=[0, 1])


def test_bad_input():
    with pytest.raises(ParameterError, match="equal lengths"):
        L.majority([0, 1], ["a"], ["x", "y"])
    with pytest.raises(ParameterError, match="labels: missing value"):
        L.dawid_skene([0, 1], ["a", "b"], [1.0, np.nan])
    with pytest.raises(ParameterError, match="labels: missing value"):
        L.soft([0, 1], ["a", "b"], ["x", None])
    with pytest.raises(ParameterError, match="DataFrame"):
        L.majority([0, 1])
    with pytest.raises(ParameterError, match="weights"):
        L.majority(ITEMS, ANNOT, LABS, weights=[1.0, -1.0, 1.0])
    with pytest.raises(ParameterError, match="n_iter"):
        L.dawid_skene(ITEMS, ANNOT, LABS, n_iter=-1)


@pytest.mark.parametrize(
    "method", ["majority", "soft", "wawa", "unanimous", "all_inclusive", "dawid_skene", "one_coin", "glad", "mace"]
)
@pytest.mark.parametrize(
    "answers",
    [([], [], []), ([0], ["a"], ["x"]), ([0, 0, 1], ["a", "b", "a"], ["x", "x", "x"]), ([0, 0, 0], ["a"] * 3, ["x", "y", "x"])],
    ids=["empty", "one-answer", "one-class", "repeated-answers"],
)
def test_degenerate_tables_never_crash(method, answers):
    try:
        r = getattr(L, method)(*answers)
    except ParameterError as e:  # GLAD and MACE say why they cannot run
        assert method in ("glad", "mace") and "class" in str(e)
        return
    post = getattr(r, "posterior", None)
    if post is not None and post.size:
        assert not np.isnan(post).any()


def test_results_pickle():
    r = L.dawid_skene(ITEMS, ANNOT, LABS)
    s = pickle.loads(pickle.dumps(r))
    np.testing.assert_array_equal(s.posterior, r.posterior)
    assert "dawid_skene" in repr(s)


def test_annotator_agreement():
    r = L.majority(ITEMS, ANNOT, LABS, ties="nan")
    a = L.annotator_agreement(ITEMS, ANNOT, LABS, consensus=r)
    # item 1 is a tie (not scored): x 2/2, y 1/1, z 1/2
    np.testing.assert_allclose(a.agreement, [1.0, 1.0, 0.5])
    np.testing.assert_array_equal(a.n_scored, [2, 1, 2])
    a = L.annotator_agreement(ITEMS, ANNOT, LABS, consensus={0: "sad"})
    np.testing.assert_allclose(a.agreement, [0.0, 0.0, 1.0])
    with pytest.raises(ParameterError, match="not in classes"):
        L.annotator_agreement(ITEMS, ANNOT, LABS, consensus={0: "joy"})


def test_entropy():
    np.testing.assert_allclose(L.entropy(np.array([[0.5, 0.5], [1.0, 0.0]])), [1.0, 0.0])
    r = L.majority(ITEMS, ANNOT, LABS, item_ids=[0, 1, 2, 3])
    h = L.entropy(r)
    assert h[1] == 1.0 and h[2] == 0.0 and np.isnan(h[3])


# ------------------------------------------------------------------- Dawid-Skene


def test_dawid_skene_recovers_truth_and_confusions():
    it, wk, lb, truth, conf = simulate_crowd(6000, 10, 3, 5, seed=1, acc_range=(0.55, 0.9))
    r = L.dawid_skene(it, wk, lb)
    acc = (r.labels == truth).mean()
    mv = (L.majority(it, wk, lb).labels == truth).mean()
    assert acc > 0.93 and acc >= mv
    # each annotator answered ~3000 items: confusion rows within a few percent
    assert np.abs(r.confusion - conf).max() < 0.06
    np.testing.assert_allclose(r.confusion.sum(axis=2), 1.0)
    np.testing.assert_allclose(r.posterior.sum(axis=1), 1.0)
    assert np.all(np.diff(r.loss_history) > -1e-12)
    o = L.one_coin(it, wk, lb)
    assert (o.labels == truth).mean() > 0.9 and o.skills.shape == (10,)


def test_dawid_skene_gold_and_threads():
    it, wk, lb, truth, _ = simulate_crowd(3000, 8, 3, 3, seed=2)
    gold = {i: int(truth[i]) for i in range(0, 3000, 10)}
    r = L.dawid_skene(it, wk, lb, gold=gold)
    assert all(r.labels[i] == g for i, g in gold.items())
    np.testing.assert_array_equal(r.posterior[0], np.eye(3)[truth[0]])
    r1 = L.dawid_skene(it, wk, lb, n_jobs=1)
    r2 = L.dawid_skene(it, wk, lb, n_jobs=2)
    np.testing.assert_array_equal(r1.posterior, r2.posterior)


def _crowdkit_frame(it, wk, lb):
    pd = pytest.importorskip("pandas")
    return pd.DataFrame({"task": it, "worker": wk, "label": lb})


def _compare_with_crowdkit(ck, ours, df, post_tol):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = ck.fit_predict_proba(df).sort_index()
    p = p[sorted(p.columns)]
    r = ours(df)
    np.testing.assert_array_equal(r.items, p.index.to_numpy())
    np.testing.assert_array_equal(r.classes, np.array(p.columns))
    post = p.to_numpy()
    if post_tol is not None:
        np.testing.assert_allclose(r.posterior, post, rtol=0, atol=post_tol)
    # labels equal apart from exact ties (crowd-kit breaks them by its column order)
    top = np.sort(post, axis=1)
    tie = np.isclose(top[:, -1], top[:, -2], rtol=0, atol=1e-12)
    same = r.labels == ck.labels_.sort_index().to_numpy()
    assert same[~tie].mean() >= 0.995
    if hasattr(ck, "loss_history_"):
        assert len(r.loss_history) == len(ck.loss_history_)
        np.testing.assert_allclose(r.loss_history, ck.loss_history_, rtol=0, atol=1e-9)
    return r


@pytest.mark.parametrize("seed,k,per_item", [(0, 4, 5), (1, 2, 3), (2, 5, 7)])
def test_dawid_skene_matches_crowdkit(seed, k, per_item):
    ca = pytest.importorskip("crowdkit.aggregation")
    it, wk, lb, _, _ = simulate_crowd(2000, 25, k, per_item, seed)
    df = _crowdkit_frame(it, wk, lb)
    r = _compare_with_crowdkit(ca.DawidSkene(n_iter=100), L.dawid_skene, df, 1e-4)
    ck = ca.DawidSkene(n_iter=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ck.fit(df)
    # crowd-kit's errors_: rows (worker, observed), columns true -> ours (worker, true, observed)
    err = ck.errors_
    for w_code, w in enumerate(r.annotators[:5]):
        sub = err.loc[w]
        for obs in sub.index:
            for true in sub.columns:
                assert abs(r.confusion[w_code, true, obs] - sub.loc[obs, true]) < 1e-4
    np.testing.assert_allclose(r.priors, ck.priors_.sort_index().to_numpy(), atol=1e-6)


def test_dawid_skene_string_ids_and_gold_match_crowdkit():
    ca = pytest.importorskip("crowdkit.aggregation")
    pd = pytest.importorskip("pandas")
    it, wk, lb, truth, _ = simulate_crowd(1500, 12, 3, 4, seed=5)
    names = np.array(["ang", "hap", "sad"])
    df = pd.DataFrame({"task": [f"t{i:05d}" for i in it], "worker": [f"w{w}" for w in wk], "label": names[lb]})
    gold = pd.Series(names[truth[:100]], index=[f"t{i:05d}" for i in range(100)])
    ck = ca.DawidSkene(n_iter=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = ck.fit_predict_proba(df, true_labels=gold).sort_index()
    r = L.dawid_skene(df, gold=gold)
    np.testing.assert_allclose(r.posterior, p[list(r.classes)].to_numpy(), atol=1e-4)


@pytest.mark.parametrize("seed", [0, 3])
def test_one_coin_matches_crowdkit(seed):
    ca = pytest.importorskip("crowdkit.aggregation")
    it, wk, lb, _, _ = simulate_crowd(2000, 20, 4, 5, seed)
    df = _crowdkit_frame(it, wk, lb)
    r = _compare_with_crowdkit(ca.OneCoinDawidSkene(n_iter=100), L.one_coin, df, 1e-4)
    ck = ca.OneCoinDawidSkene(n_iter=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ck.fit(df)
    np.testing.assert_allclose(r.skills, ck.skills_.sort_index().to_numpy(), atol=1e-6)


def test_majority_matches_crowdkit():
    ca = pytest.importorskip("crowdkit.aggregation")
    it, wk, lb, _, _ = simulate_crowd(2000, 20, 4, 4, seed=9)
    df = _crowdkit_frame(it, wk, lb)
    _compare_with_crowdkit(ca.MajorityVote(), lambda d: L.majority(d, ties="first"), df, 1e-12)


@pytest.mark.parametrize("seed,k", [(0, 3), (1, 2)])
def test_glad_agrees_with_crowdkit(seed, k):
    ca = pytest.importorskip("crowdkit.aggregation")
    it, wk, lb, truth, _ = simulate_crowd(800, 15, k, 4, seed)
    df = _crowdkit_frame(it, wk, lb)
    ck = ca.GLAD()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = ck.fit_predict_proba(df).sort_index()
    r = L.glad(df)
    p = p[list(r.classes)].to_numpy()
    # the M-step's line search differs from SciPy's: labels agree, posteriors are close
    assert (p.argmax(axis=1) == r.label_codes).mean() >= 0.98
    assert np.abs(p - r.posterior).mean() < 0.01
    assert len(r.loss_history) == len(ck.loss_history_)
    np.testing.assert_allclose(r.loss_history, ck.loss_history_, rtol=0, atol=2e-3)
    assert (r.labels == truth).mean() > 0.85


def _in_appearance_order(df):
    """Renames workers and labels so that their first-appearance order is their sorted
    order: crowd-kit's MACE pairs sorted-order counts with appearance-order parameters."""
    out = df.copy()
    for col in ("worker", "label"):
        first = {v: i for i, v in enumerate(dict.fromkeys(df[col].tolist()))}
        out[col] = df[col].map(first)
    return out


@pytest.mark.parametrize("seed,k,method", [(0, 3, "vb"), (1, 4, "vb"), (2, 3, "em")])
def test_mace_agrees_with_crowdkit(seed, k, method):
    ca = pytest.importorskip("crowdkit.aggregation")
    it, wk, lb, truth, _ = simulate_crowd(1500, 15, k, 4, seed)
    df = _in_appearance_order(_crowdkit_frame(it, wk, lb))
    ck = ca.MACE(method=method, n_restarts=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = ck.fit_predict_proba(df).sort_index()
    r = L.mace(df, method=method, n_restarts=1)
    p = p[list(r.classes)].to_numpy()
    np.testing.assert_allclose(r.posterior, p, rtol=0, atol=1e-9)
    np.testing.assert_allclose(r.spamming, ck.spamming_, rtol=0, atol=1e-9)
    # with restarts (crowd-kit's are all identical) labels still agree
    full = L.mace(df, method=method)
    assert (full.label_codes == p.argmax(axis=1)).mean() >= 0.98


def test_wawa_matches_crowdkit():
    ca = pytest.importorskip("crowdkit.aggregation")
    utils = pytest.importorskip("crowdkit.aggregation.utils")
    # binary labels, five answers per item: no majority-vote ties, whose resolution in
    # crowd-kit depends on its (frequency-ordered) columns and would change the skills
    it, wk, lb, _, _ = simulate_crowd(2000, 20, 2, 5, seed=11)
    df = _crowdkit_frame(it, wk, lb)

    class CrowdkitWawa:
        """crowd-kit's Wawa.fit + predict_proba step by step: Wawa.predict calls
        sklearn's check_is_fitted, which fails with scikit-learn >= 1.6."""

        def fit_predict_proba(self, data):
            mv = ca.MajorityVote().fit(data)
            self.skills_ = utils.get_accuracy(data, true_labels=mv.labels_, by="worker")
            weighted = ca.MajorityVote().fit(data, skills=self.skills_)
            self.labels_ = weighted.labels_
            return weighted.probas_

    ck = CrowdkitWawa()
    r = _compare_with_crowdkit(ck, lambda d: L.wawa(d, ties="first"), df, 1e-12)
    np.testing.assert_allclose(r.skills, ck.skills_.sort_index().to_numpy(), atol=1e-12)


# ------------------------------------------------------------------------ agreement


def _reliability(n_coders, n_units, values, p_missing, seed):
    rng = np.random.default_rng(seed)
    truth = rng.choice(values, n_units)
    data = np.where(rng.random((n_coders, n_units)) < 0.6, truth, rng.choice(values, (n_coders, n_units))).astype(float)
    data[rng.random(data.shape) < p_missing] = np.nan
    return data


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_krippendorff_alpha_matches_package(level, seed):
    kd = pytest.importorskip("krippendorff")
    values = [np.arange(1, 6), np.array([0.0, 0.5, 2.0, 3.5, 7.0, 10.0]), np.arange(1, 8)][seed]
    data = _reliability(3 + 2 * seed, 200, values, 0.3, seed)
    want = kd.alpha(reliability_data=data, level_of_measurement=level)
    got = L.krippendorff_alpha(data, level=level)
    assert abs(got - want) < 1e-9, (got, want)


def test_krippendorff_alpha_continuous_and_domain():
    kd = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(4)
    truth = rng.normal(size=60)
    data = truth + 0.5 * rng.normal(size=(4, 60))
    data[rng.random(data.shape) < 0.2] = np.nan
    for level in ("ordinal", "interval", "ratio"):
        want = kd.alpha(reliability_data=data, level_of_measurement=level)
        assert abs(L.krippendorff_alpha(data, level=level) - want) < 1e-9
    d = _reliability(4, 50, np.arange(1, 5), 0.2, 8)
    dom = [1, 2, 3, 4, 5, 6]
    want = kd.alpha(reliability_data=d, value_domain=dom, level_of_measurement="ordinal")
    assert abs(L.krippendorff_alpha(d, level="ordinal", value_domain=dom) - want) < 1e-9
    # string data at the nominal level
    s = np.array([["a", "b", None, "a"], ["a", "b", "c", "b"]], dtype=object)
    want = kd.alpha(reliability_data=[[0, 1, np.nan, 0], [0, 1, 2, 1]], level_of_measurement="nominal")
    assert abs(L.krippendorff_alpha(s) - want) < 1e-12


def test_krippendorff_alpha_reference_example_and_bad_input():
    nan = np.nan
    data = [
        [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
        [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
        [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
    ]
    assert round(L.krippendorff_alpha(data, level="nominal"), 6) == 0.691358
    assert round(L.krippendorff_alpha(data, level="interval"), 6) == 0.810845
    with pytest.raises(ParameterError, match="two or more coders"):
        L.krippendorff_alpha([[1, nan, 3], [nan, 2, nan]])
    with pytest.raises(ParameterError, match="more than one distinct value"):
        L.krippendorff_alpha([[1, 1], [1, 1]])
    with pytest.raises(ParameterError, match="level"):
        L.krippendorff_alpha(data, level="cardinal")
    with pytest.raises(ParameterError, match="2-D"):
        L.krippendorff_alpha([1, 2, 3])
    with pytest.raises(ParameterError, match="not in value_domain"):
        L.krippendorff_alpha([[1, 2], [1, 3]], value_domain=[1, 2])


@pytest.mark.parametrize("seed", range(4))
def test_fleiss_kappa_matches_statsmodels(seed):
    ir = pytest.importorskip("statsmodels.stats.inter_rater")
    rng = np.random.default_rng(seed)
    ratings = rng.integers(0, 4, size=(100, 6))
    ratings[:50, 1:] = ratings[:50, :1]  # some agreement
    table, _ = ir.aggregate_raters(ratings)
    for method in ("fleiss", "randolph"):
        assert abs(L.fleiss_kappa(table, method=method) - ir.fleiss_kappa(table, method=method)) < 1e-12
    with pytest.raises(ParameterError, match="same number of ratings"):
        L.fleiss_kappa(np.vstack([table, [1, 0, 0, 0]]))
    with pytest.raises(ParameterError, match="at least two ratings"):
        L.fleiss_kappa([[1, 0], [0, 1]])


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_kappa_matches_sklearn(weights):
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    a = rng.integers(1, 6, 300)
    b = np.where(rng.random(300) < 0.6, a, rng.integers(1, 6, 300))
    assert L.cohen_kappa(a, b, weights=weights) == pytest.approx(metrics.cohen_kappa_score(a, b, weights=weights), abs=1e-12)
    sa, sb = np.array(list("abcde"))[a - 1], np.array(list("abcde"))[b - 1]
    assert L.cohen_kappa(sa, sb, weights=weights) == pytest.approx(metrics.cohen_kappa_score(sa, sb, weights=weights), abs=1e-12)
    order = [5, 3, 1, 2, 4]
    want = metrics.cohen_kappa_score(a, b, weights=weights, labels=order)
    assert L.cohen_kappa(a, b, weights=weights, labels=order) == pytest.approx(want, abs=1e-12)


def test_cohen_kappa_missing_and_undefined():
    k = L.cohen_kappa([0, 0, 1, 1, np.nan], [0, 1, 1, 1, 1])
    assert k == pytest.approx(0.5)
    assert np.isnan(L.cohen_kappa([1, 1], [1, 1]))
    with pytest.raises(ParameterError, match="equal lengths"):
        L.cohen_kappa([1, 2], [1])
    with pytest.raises(ParameterError, match="weights"):
        L.cohen_kappa([1, 2], [1, 2], weights="cubic")
    with pytest.raises(ParameterError, match="1-D"):
        L.cohen_kappa([[1, 2]], [[1, 2]])


def test_docstring_examples():
    import doctest

    import importlib
    import pkgutil

    attempted = 0
    for info in pkgutil.iter_modules(L.__path__, L.__name__ + "."):
        result = doctest.testmod(importlib.import_module(info.name), optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, info.name
        attempted += result.attempted
    assert attempted > 5


# ------------------------------------------------------------------ dimensional ratings


def _ewe_reference(x, loo=False, keep=False):
    """EWE written out from Grimm and Kroschel's formula with NumPy."""
    n, m = x.shape
    r = np.full(m, np.nan)
    for k in range(m):
        rated = ~np.isnan(x[:, k])
        if loo:
            others = np.delete(x, k, axis=1)
            ref = np.nanmean(np.where(np.isnan(others).all(1, keepdims=True), np.nan, others), axis=1)
            rated &= ~np.isnan(ref)
        else:
            ref = np.nanmean(x, axis=1)
        if rated.sum() >= 2 and np.std(x[rated, k]) > 0 and np.std(ref[rated]) > 0:
            r[k] = np.corrcoef(x[rated, k], ref[rated])[0, 1]
    w = np.nan_to_num(r if keep else np.maximum(r, 0), nan=0.0)
    wm = np.where(np.isnan(x), 0.0, w)
    num = np.nansum(wm * np.nan_to_num(x), axis=1)
    den = wm.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den != 0, num / den, np.nan), r


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("loo", [False, True])
def test_ewe_equals_its_formula(loo):
    rng = np.random.default_rng(3)
    truth = rng.normal(size=200)
    x = truth[:, None] + rng.normal(scale=[0.3, 0.6, 1.0, 2.0, 0.5], size=(200, 5))
    x[:, 3] = -x[:, 3]  # one rater on a flipped scale
    x[rng.random(x.shape) < 0.25] = np.nan
    want, r_want = _ewe_reference(x, loo=loo)
    r = L.ewe(x, reference="leave_one_out" if loo else "mean")
    np.testing.assert_allclose(r.correlations, r_want, rtol=0, atol=1e-12)
    np.testing.assert_allclose(r.consensus, want, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(r.weights, np.nan_to_num(np.maximum(r.correlations, 0)))
    want_keep, _ = _ewe_reference(x, loo=loo, keep=True)
    np.testing.assert_allclose(L.ewe(x, reference="leave_one_out" if loo else "mean", negative="keep").consensus, want_keep, atol=1e-12)


def test_ewe_bad_and_degenerate_input():
    with pytest.raises(ParameterError, match="at least two raters"):
        L.ewe([[1.0], [2.0]])
    with pytest.raises(ParameterError, match="2-D"):
        L.ewe([1.0, 2.0])
    with pytest.raises(ParameterError, match="reference"):
        L.ewe([[1, 2], [2, 3]], reference="median")
    r = L.ewe([[1, 5, 2], [2, 5, 3], [3, 5, 3], [np.nan, np.nan, np.nan]])
    assert np.isnan(r.correlations[1]) and r.weights[1] == 0  # constant rater
    assert np.isnan(r.consensus[3])  # nobody rated it


def test_mean_median_trimmed_znorm():
    stats = pytest.importorskip("scipy.stats")
    rng = np.random.default_rng(5)
    x = rng.normal(size=(50, 12))
    x[rng.random(x.shape) < 0.3] = np.nan
    np.testing.assert_allclose(L.mean(x), np.nanmean(x, axis=1), atol=1e-14)
    np.testing.assert_allclose(L.median(x), np.nanmedian(x, axis=1), atol=1e-14)
    want = [stats.trim_mean(row[~np.isnan(row)], 0.2) for row in x]
    np.testing.assert_allclose(L.trimmed_mean(x, 0.2), want, atol=1e-14)
    z = L.znorm(x)
    want = (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0)
    np.testing.assert_allclose(z, want, atol=1e-12)
    z1 = L.znorm(x, ddof=1)
    np.testing.assert_allclose(z1, (x - np.nanmean(x, axis=0)) / np.nanstd(x, axis=0, ddof=1), atol=1e-12)
    with pytest.raises(ParameterError, match="proportiontocut"):
        L.trimmed_mean(x, 0.5)
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(x[:, :3], index=[f"u{i}" for i in range(50)], columns=["a", "b", "c"])
    s = L.mean(df)
    assert list(s.index[:2]) == ["u0", "u1"]
    assert list(L.znorm(df).columns) == ["a", "b", "c"]
    r = L.ewe(df)
    assert list(r.to_frame().index[:1]) == ["u0"]


def test_ratings_matrix():
    m, items, raters = L.ratings_matrix(["u2", "u1", "u1"], ["b", "a", "b"], [3, 1, 2])
    np.testing.assert_array_equal(m, [[1, 2], [np.nan, 3]])
    assert list(items) == ["u1", "u2"] and list(raters) == ["a", "b"]
    with pytest.raises(ParameterError, match="twice"):
        L.ratings_matrix(["u1", "u1"], ["a", "a"], [1, 2])


def test_align_traces_and_ewe_over_time():
    t = np.arange(0, 30, 0.04)
    truth = np.sin(t / 2) + 0.5 * np.cos(t / 5)
    rng = np.random.default_rng(0)
    a = truth + 0.05 * rng.normal(size=t.size)
    b = np.interp(t - 1.2, t, truth, left=truth[0]) + 0.05 * rng.normal(size=t.size)  # 1.2 s late
    c = (truth + 0.05 * rng.normal(size=t.size))[::2]  # rated at 12.5 Hz
    al = L.align_traces([a, b, c], fps=[25, 25, 12.5], max_lag_s=3)
    assert al.values.shape == (t.size, 3)
    np.testing.assert_allclose(al.lags_s, [0.0, 1.2, 0.0], atol=0.041)
    fused = al.ewe().consensus
    ok = ~np.isnan(fused)
    assert np.corrcoef(fused[ok], truth[ok])[0, 1] > 0.99
    assert np.nanmax(np.abs(al.mean() - truth)) < 0.3
    plain = L.align_traces([a, b], fps=25)
    assert np.all(plain.lags_s == 0)
    with pytest.raises(ParameterError, match="fps"):
        L.align_traces([a, b], fps=[25])
    with pytest.raises(ParameterError, match="min_lag_s"):
        L.align_traces([a, b], fps=25, min_lag_s=2, max_lag_s=1)


def test_cli_fuse(tmp_path, capsys):
    from affectkit import cli

    src = tmp_path / "answers.csv"
    src.write_text("utt,rater,emo\nu1,a,hap\nu1,b,hap\nu1,c,sad\nu2,a,ang\nu2,b,ang\nu2,c,\n")
    dst = tmp_path / "labels.csv"
    rc = cli.main(["fuse", str(src), "--method", "majority", "--columns", "utt,rater,emo", "-o", str(dst)])
    assert rc == 0
    lines = dst.read_text().splitlines()
    assert lines[0] == "item,label,p_ang,p_hap,p_sad"
    assert lines[1].startswith("u1,hap,0,0.666667,0.333333") and lines[2].startswith("u2,ang,1,")
    assert cli.main(["fuse", str(src)]) == 2  # default columns are missing
    assert "lacks column" in capsys.readouterr().err
    assert cli.main(["fuse", str(src), "--columns", "utt,rater,emo"]) == 0
    assert capsys.readouterr().out.startswith("item,label,")


# ------------------------------------------------------------------- gold labels


@pytest.mark.parametrize("method", ["majority", "soft", "wawa", "dawid_skene", "one_coin", "glad", "mace"])
def test_gold_labels_are_pinned_by_every_method(method):
    it, wk, lb, truth, _ = simulate_crowd(600, 6, 3, 3, seed=11)
    # gold on every fifth item, deliberately the class after the truth: it must still win
    gold = {i: int((truth[i] + 1) % 3) for i in range(0, 600, 5)}
    r = getattr(L, method)(it, wk, lb, gold=gold)
    for i, g in gold.items():
        assert r.labels[i] == g
        np.testing.assert_array_equal(r.posterior[i], np.eye(3)[g])
    free = getattr(L, method)(it, wk, lb)
    others = np.array([i for i in range(600) if i not in gold])
    if method in ("majority", "soft"):  # counting rules: the other items are untouched
        np.testing.assert_array_equal(r.posterior[others], free.posterior[others])
    # gold given as a pandas Series, and unknown gold labels are errors naming "gold"
    pd = pytest.importorskip("pandas")
    r2 = getattr(L, method)(it, wk, lb, gold=pd.Series(gold))
    np.testing.assert_array_equal(r2.labels, r.labels)
    with pytest.raises(ParameterError, match="gold"):
        getattr(L, method)(it, wk, lb, gold={0: 7})


@pytest.mark.parametrize("method", ["dawid_skene", "one_coin", "glad", "mace"])
def test_true_gold_helps_annotator_models(method):
    """Correct gold on a fifth of a hard crowd: the other items are at least as accurate
    (the annotator estimates learn from the known items)."""
    it, wk, lb, truth, _ = simulate_crowd(1500, 8, 4, 3, seed=5, acc_range=(0.3, 0.7))
    gold = {i: int(truth[i]) for i in range(0, 1500, 5)}
    others = np.array([i for i in range(1500) if i % 5])
    acc_free = (getattr(L, method)(it, wk, lb).labels[others] == truth[others]).mean()
    acc_gold = (getattr(L, method)(it, wk, lb, gold=gold).labels[others] == truth[others]).mean()
    assert acc_gold >= acc_free - 0.005, (acc_free, acc_gold)


def test_wawa_gold_changes_skills_hand_computed():
    # item 0 votes x:a y:a z:b ; item 1 votes x:b y:b z:a. Without gold z agrees 0/2;
    # with gold item 0 = b, z is right on item 0: 1/2, x and y 1/2.
    items, ann, lab = [0, 0, 0, 1, 1, 1], ["x", "y", "z"] * 2, ["a", "a", "b", "b", "b", "a"]
    np.testing.assert_array_equal(L.wawa(items, ann, lab).skills, [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(L.wawa(items, ann, lab, gold={0: "b"}).skills, [0.5, 0.5, 0.5])


# -------------------------------------------------------------- more bad input


def test_bad_input_list_of_the_issue():
    # unknown labels with a fixed class list
    with pytest.raises(ParameterError, match="labels: value 'fear' is not in classes"):
        L.dawid_skene(ITEMS, ANNOT, LABS[:-1] + ["fear"], classes=["ang", "hap", "sad"])
    # items nobody annotated: NaN rows by default, dropped with missing="drop"
    r = L.majority(ITEMS, ANNOT, LABS, item_ids=[0, 1, 2, 3])
    assert np.isnan(r.posterior[3]).all() and r.label_codes[3] == -1
    assert list(L.majority(ITEMS, ANNOT, LABS, item_ids=[0, 1, 2, 3], missing="drop").items) == [0, 1, 2]
    with pytest.raises(ParameterError, match="missing"):
        L.majority(ITEMS, ANNOT, LABS, missing="zero")
    # a single annotator: EWE and kappa say why they are undefined
    with pytest.raises(ParameterError, match="rater|annotator"):
        L.ewe([[1.0], [2.0], [3.0]])
    with pytest.raises(ParameterError):
        L.fleiss_kappa([[1, 0], [0, 1]])  # one rating per subject
    # annotators with constant ratings: undefined correlation, weight 0, documented NaN
    r = L.ewe([[1, 2, 3], [2, 2, 4], [3, 2, 5], [4, 2, 6]])
    assert np.isnan(r.correlations[1]) and r.weights[1] == 0
    z = L.znorm([[1, 2], [3, 2]])
    assert np.isnan(z[:, 1]).all()
    # NaN labels
    with pytest.raises(ParameterError, match="labels: missing value"):
        L.glad([0, 1], ["a", "b"], [1.0, np.nan])
    # a coders x units matrix with fewer than two coders per unit
    with pytest.raises(ParameterError, match="pairable|alpha"):
        L.krippendorff_alpha([[1.0, np.nan, 3.0], [np.nan, 2.0, np.nan]])
    with pytest.raises(ParameterError, match="coders"):
        L.krippendorff_alpha([1.0, 2.0, 3.0])
    # mismatched lengths for kappa
    with pytest.raises(ParameterError, match="equal lengths"):
        L.cohen_kappa([0, 1], [0])


def test_binary_relevance_gold_pins_every_class():
    items, ann = [0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2
    sets = [["hap", "sur"], ["hap"], ["hap", "sur"], ["sad"], ["sad"], ["sad", "hap"]]
    r = L.binary_relevance(items, ann, sets, method="majority")
    assert r.labels == [["hap", "sur"], ["sad"]]
    g = L.binary_relevance(items, ann, sets, method="majority", gold={0: ["hap"], 1: {"hap", "sad"}})
    assert g.labels == [["hap"], ["hap", "sad"]]
    np.testing.assert_array_equal(g.posterior, [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    g = L.binary_relevance(items, ann, sets, method="dawid_skene", gold={1: "sad"})
    assert g.labels[1] == ["sad"]


# ------------------------------------------- agreement on the annotation table (issue 13)


EMOTIONS = np.array(["anger", "happiness", "neutral", "sadness"])


def _answer_table(seed, n_items=80, n_annotators=5, p_missing=0.25, values=EMOTIONS, agree=0.55):
    """A crowd-kit style task/worker/label DataFrame (string ids, string or numeric labels,
    not every annotator on every item) and, built independently with pandas, its coders x
    units matrix of value codes for the `krippendorff` package."""
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, len(values), n_items)
    rows = []
    for i in range(n_items):
        for a in range(n_annotators):
            if rng.random() < p_missing:
                continue
            v = truth[i] if rng.random() < agree else rng.integers(0, len(values))
            rows.append((f"clip{i:03d}", f"rater{a}", values[v]))
    df = pd.DataFrame(rows, columns=["task", "worker", "label"]).sample(frac=1.0, random_state=seed)
    return df


def _coders_by_units(df, values=None):
    """worker x task matrix of the labels (their index in `values` when given), NaN = no answer."""
    col = df["label"] if values is None else df["label"].map({v: j for j, v in enumerate(values)})
    return df.assign(v=col).pivot(index="worker", columns="task", values="v").to_numpy(dtype=float)


@pytest.mark.parametrize("seed", [0, 1])
def test_alpha_on_the_task_worker_label_table_matches_krippendorff(seed):
    # issue 13, observation 2: alpha on the table dawid_skene takes gave 0.1095 for 0.351
    kd = pytest.importorskip("krippendorff")
    df = _answer_table(seed)
    want = kd.alpha(reliability_data=_coders_by_units(df, list(EMOTIONS)), level_of_measurement="nominal")
    assert abs(L.krippendorff_alpha(df, level="nominal") - want) < 1e-12
    assert abs(L.krippendorff_alpha(df.task, df.worker, df.label, level="nominal") - want) < 1e-12
    assert abs(L.krippendorff_alpha(df.task.tolist(), df.worker.tolist(), df.label.tolist()) - want) < 1e-12
    # the same answers through ratings_matrix, both orientations named
    rm = L.ratings_matrix(df, orient="annotators")
    assert rm.matrix.shape == (5, df.task.nunique()) and list(rm.classes) == list(EMOTIONS)
    assert abs(L.krippendorff_alpha(rm.matrix, level="nominal") - want) < 1e-12
    by_item = L.ratings_matrix(df.task, df.worker, df.label, orient="items")
    assert by_item.matrix.shape == (df.task.nunique(), 5)
    np.testing.assert_array_equal(by_item.matrix.T, rm.matrix)
    # the dimensional-ratings path stays the default: items x annotators
    np.testing.assert_array_equal(L.ratings_matrix(df).matrix, by_item.matrix)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_long_form_every_level_with_missing_values(level):
    kd = pytest.importorskip("krippendorff")
    for values in (np.arange(1, 8), np.array([0.0, 0.5, 2.0, 3.5, 7.0, 10.0])):
        df = _answer_table(3, n_items=120, n_annotators=6, p_missing=0.35, values=values, agree=0.5)
        want = kd.alpha(reliability_data=_coders_by_units(df), level_of_measurement=level)
        assert abs(L.krippendorff_alpha(df, level=level) - want) < 1e-12, (level, values)
        m = L.ratings_matrix(df, orient="annotators")
        assert m.classes is None  # numbers stay numbers
        assert abs(L.krippendorff_alpha(m.matrix, level=level) - want) < 1e-12
    # a fixed value domain counts unused values, as the package does
    dom = list(range(0, 10))
    df = _answer_table(4, values=np.arange(1, 6), p_missing=0.2)
    want = kd.alpha(reliability_data=_coders_by_units(df), level_of_measurement=level, value_domain=dom)
    assert abs(L.krippendorff_alpha(df, level=level, value_domain=dom) - want) < 1e-12


def test_alpha_long_form_ordered_strings_and_errors():
    kd = pytest.importorskip("krippendorff")
    scale = ["low", "mid", "high", "very high"]
    df = _answer_table(5, values=np.array(scale), p_missing=0.3)
    want = kd.alpha(reliability_data=_coders_by_units(df, scale), level_of_measurement="ordinal",
                    value_domain=[0, 1, 2, 3])
    assert abs(L.krippendorff_alpha(df, level="ordinal", value_domain=scale) - want) < 1e-12
    # ratings_matrix codes follow `classes`, so alpha on its matrix agrees
    rm = L.ratings_matrix(df, orient="annotators", classes=scale)
    assert abs(L.krippendorff_alpha(rm.matrix, level="ordinal", value_domain=[0, 1, 2, 3]) - want) < 1e-12
    with pytest.raises(ParameterError, match="value_domain"):
        L.krippendorff_alpha(df, level="ordinal")  # strings have no order of their own
    with pytest.raises(ParameterError, match="needs numeric"):
        L.krippendorff_alpha(df, level="interval", value_domain=scale)
    with pytest.raises(ParameterError, match="'mid' is not in value_domain"):
        L.krippendorff_alpha(df, level="ordinal", value_domain=["low", "high", "very high"])


def test_fleiss_kappa_on_the_table_matches_statsmodels():
    ir = pytest.importorskip("statsmodels.stats.inter_rater")
    # every item answered by 4 of 7 annotators (different ones per item), string labels
    rng = np.random.default_rng(2)
    rows, ratings = [], []
    for i in range(150):
        who = rng.choice(7, 4, replace=False)
        truth = rng.integers(0, 4)
        labs = [EMOTIONS[truth if rng.random() < 0.6 else rng.integers(0, 4)] for _ in who]
        rows += [(f"clip{i}", f"rater{w}", lab) for w, lab in zip(who, labs)]
        ratings.append(labs)
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(rows, columns=["task", "worker", "label"])
    table, _ = ir.aggregate_raters(np.searchsorted(EMOTIONS, np.array(ratings)))
    for method in ("fleiss", "randolph"):
        want = ir.fleiss_kappa(table, method=method)
        assert abs(L.fleiss_kappa(df, method=method) - want) < 1e-12
        assert abs(L.fleiss_kappa(df.task, df.worker, df.label, method=method) - want) < 1e-12
        assert abs(L.fleiss_kappa(table, method=method) - want) < 1e-12  # the count table alone
    # classes nobody chose still count for Randolph's chance agreement
    five = list(EMOTIONS) + ["surprise"]
    want = ir.fleiss_kappa(np.hstack([table, np.zeros((len(table), 1))]), method="randolph")
    assert abs(L.fleiss_kappa(df, method="randolph", classes=five) - want) < 1e-12
    with pytest.raises(ParameterError, match=r"same number of answers on every item; item 'clip0' has 4, item 'clip1' has 3"):
        L.fleiss_kappa(df.drop(index=4))
    with pytest.raises(ParameterError, match="at least two ratings"):
        L.fleiss_kappa(df[df.worker == "rater0"])  # a single annotator
    with pytest.raises(ParameterError, match="classes: only for the long form"):
        L.fleiss_kappa(table, classes=five)


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_kappa_on_the_table_matches_sklearn(weights):
    metrics = pytest.importorskip("sklearn.metrics")
    df = _answer_table(6, n_items=200, n_annotators=2, p_missing=0.15, values=np.array(["1-low", "2-mid", "3-high"]))
    wide = df.pivot(index="task", columns="worker", values="label").dropna()
    want = metrics.cohen_kappa_score(wide["rater0"], wide["rater1"], weights=weights)
    assert L.cohen_kappa(df, weights=weights) == pytest.approx(want, abs=1e-12)
    assert L.cohen_kappa(df.task, df.worker, df.label, weights=weights) == pytest.approx(want, abs=1e-12)
    order = ["3-high", "1-low", "2-mid"]
    want = metrics.cohen_kappa_score(wide["rater0"], wide["rater1"], weights=weights, labels=order)
    assert L.cohen_kappa(df, weights=weights, labels=order) == pytest.approx(want, abs=1e-12)


def test_cohen_kappa_table_errors():
    df = _answer_table(7, n_annotators=3)
    with pytest.raises(ParameterError, match="compares two annotators, the table has 3"):
        L.cohen_kappa(df)
    with pytest.raises(ParameterError, match="weights: pass it by keyword"):
        L.cohen_kappa([0, 1], [1, 1], "linear")
    with pytest.raises(ParameterError, match="two annotators' labels"):
        L.cohen_kappa(np.array([[0, 1], [1, 1]]))


def test_annotator_agreement_and_entropy_on_the_table():
    df = _answer_table(8, n_items=100, n_annotators=3, p_missing=0.0, values=np.array(["neg", "pos"]))
    a = L.annotator_agreement(df)  # issue 13: failed without consensus=
    assert list(a.annotators) == ["rater0", "rater1", "rater2"]
    mv = L.majority(df, ties="nan")
    b = L.annotator_agreement(df.task, df.worker, df.label, consensus=mv)
    np.testing.assert_array_equal(a.agreement, b.agreement)
    assert (a.n_scored == 100).all()  # three annotators, two classes: no ties
    try:
        from crowdkit.metrics.workers import accuracy_on_aggregates
    except ImportError:
        pass
    else:
        want = accuracy_on_aggregates(df, by="worker").sort_index()
        np.testing.assert_allclose(a.agreement, want.to_numpy(), atol=1e-12)
    h = L.entropy(df)
    assert list(h.index) == list(mv.items)
    np.testing.assert_allclose(h.to_numpy(), L.entropy(L.soft(df)), atol=1e-12)
    np.testing.assert_allclose(L.entropy(df.task, df.worker, df.label, base=np.e), h.to_numpy() * np.log(2))


@pytest.mark.parametrize("fn", ["krippendorff_alpha", "fleiss_kappa", "cohen_kappa", "annotator_agreement", "entropy"])
def test_agreement_refuses_dataframes_that_are_not_the_long_form(fn):
    pd = pytest.importorskip("pandas")
    wide = pd.DataFrame([[1, 2, 1], [1, 2, 2]], index=["a", "b"], columns=["u1", "u2", "u3"])  # coders x units
    with pytest.raises(ParameterError, match=r"expected the long form's columns \['task', 'worker', 'label'\]"):
        getattr(L, fn)(wide)
    renamed = pd.DataFrame({"utt": ITEMS, "rater": ANNOT, "emo": LABS})
    with pytest.raises(ParameterError, match="lacks column"):
        getattr(L, fn)(renamed)
    two = pd.DataFrame({"utt": [0, 0, 1, 1, 2, 2], "rater": ["x", "y"] * 3, "emo": ["a", "a", "b", "a", "b", "b"]})
    getattr(L, fn)(two, columns=("utt", "rater", "emo"))  # named, it works
    with pytest.raises(ParameterError, match="equal lengths"):
        getattr(L, fn)(ITEMS, ANNOT, LABS[:-1])
    with pytest.raises(ParameterError, match="labels: missing value"):
        getattr(L, fn)(ITEMS, ANNOT, LABS[:-1] + [None])


def test_agreement_errors_on_the_table():
    # an empty table, a single annotator, a repeated answer: clear errors naming the cause
    for fn in (L.krippendorff_alpha, L.fleiss_kappa, L.cohen_kappa):
        with pytest.raises(ParameterError, match="no answers"):
            fn([], [], [])
        with pytest.raises(ParameterError, match=r"annotator 'x' answered item 0 twice"):
            fn([0, 0, 0, 1, 1], ["x", "y", "x", "x", "y"], ["a", "a", "b", "a", "b"])
    with pytest.raises(ParameterError, match="two or more coders"):
        L.krippendorff_alpha([0, 1, 2], ["x", "x", "x"], ["a", "b", "a"])
    # options that used to be the second positional argument must be named
    with pytest.raises(ParameterError, match=r"level: pass it by keyword \(level='interval'\)"):
        L.krippendorff_alpha([[1, 2], [1, 3]], "interval")
    with pytest.raises(ParameterError, match="method: pass it by keyword"):
        L.fleiss_kappa([[3, 0], [2, 1]], "randolph")
    with pytest.raises(ParameterError, match="base: pass it by keyword"):
        L.entropy(np.array([[0.5, 0.5]]), 2)
    with pytest.raises(ParameterError, match="base"):
        L.entropy(np.array([[0.5, 0.5]]), base=1)
    with pytest.raises(ParameterError, match="n_items, n_classes"):
        L.entropy([0.5, 0.5])


def test_a_2d_array_is_always_the_matrix_form():
    kd = pytest.importorskip("krippendorff")
    # an (answers x 3) array is read as coders x units, as documented, never as the long form
    rows = np.array([[0, 1, 2], [0, 2, 2], [1, 1, 1], [1, 2, 1], [2, 1, 1]], dtype=float)
    want = kd.alpha(reliability_data=rows, level_of_measurement="nominal")
    assert abs(L.krippendorff_alpha(rows) - want) < 1e-12
    with pytest.raises(ParameterError, match="2-D coders x units matrix, or the long form"):
        L.krippendorff_alpha(np.array([1, 2, 3]))
    # object matrices of numbers with None are numbers
    m = np.array([[1, None, 3], [1, 2, 4]], dtype=object)
    want = kd.alpha(reliability_data=[[1, np.nan, 3], [1, 2, 4]], level_of_measurement="interval")
    assert abs(L.krippendorff_alpha(m, level="interval") - want) < 1e-12


def test_ratings_matrix_orientations_strings_and_missing():
    pd = pytest.importorskip("pandas")
    items, raters, labs = ["u2", "u1", "u1", "u3"], ["b", "a", "b", "a"], ["sad", "hap", "sad", None]
    r = L.ratings_matrix(items, raters, labs)  # a missing label leaves its cell empty
    m, ids, who = r
    assert list(r.classes) == ["hap", "sad"] and r.orient == "items"
    np.testing.assert_array_equal(m, [[0, 1], [np.nan, 1], [np.nan, np.nan]])
    assert list(ids) == ["u1", "u2", "u3"] and list(who) == ["a", "b"]
    t = L.ratings_matrix(items, raters, labs, orient="annotators", classes=["sad", "hap"])
    np.testing.assert_array_equal(t.matrix, [[1, np.nan, np.nan], [0, 0, np.nan]])
    frame = t.to_frame()
    assert frame.loc["a", "u1"] == "hap" and frame.index.name == "annotator"
    s = pickle.loads(pickle.dumps(t))
    assert s.orient == "annotators" and list(s.classes) == ["sad", "hap"]
    np.testing.assert_array_equal(s.matrix, t.matrix)
    # numeric ratings stay values; pandas' nullable NA is missing
    df = pd.DataFrame({"task": ["u1", "u1", "u2"], "worker": ["a", "b", "a"],
                       "arousal": pd.array([3, pd.NA, 5], dtype="Int64")})
    num = L.ratings_matrix(df, columns=("task", "worker", "arousal"))
    assert num.classes is None
    np.testing.assert_array_equal(num.matrix, [[3, np.nan], [5, np.nan]])
    with pytest.raises(ParameterError, match="orient"):
        L.ratings_matrix(items, raters, labs, orient="rows")
    with pytest.raises(ParameterError, match="annotator 'a' rated item 'u1' twice"):
        L.ratings_matrix(["u1", "u1"], ["a", "a"], [1, 2])


def test_a_ratings_matrix_is_read_by_its_orientation():
    kd = pytest.importorskip("krippendorff")
    df = _answer_table(9, values=np.arange(1, 6), p_missing=0.3)
    want = kd.alpha(reliability_data=_coders_by_units(df), level_of_measurement="interval")
    for orient in ("items", "annotators"):
        rm = L.ratings_matrix(df, orient=orient)
        assert abs(L.krippendorff_alpha(rm, level="interval") - want) < 1e-12
        s = L.mean(rm)
        assert s.index.name == "item" and s.loc["clip000"] == pytest.approx(df[df.task == "clip000"].label.mean())
        assert list(L.ewe(rm).items[:2]) == ["clip000", "clip001"]
    # categorical codes are read as their labels: strings have no order without value_domain
    words = _answer_table(10)
    rm = L.ratings_matrix(words)
    assert L.krippendorff_alpha(rm) == pytest.approx(L.krippendorff_alpha(words), abs=1e-12)
    with pytest.raises(ParameterError, match="value_domain"):
        L.krippendorff_alpha(rm, level="ordinal")
    with pytest.raises(InputTypeError, match="categorical"):
        L.ewe(rm)


def _parameters_section(doc):
    """Names documented in a numpydoc Parameters section."""
    lines = doc.splitlines()
    at = [i for i, l in enumerate(lines) if l.strip() == "Parameters"]
    assert at and set(lines[at[0] + 1].strip()) == {"-"}, "no numpydoc Parameters section"
    names, indent = set(), None
    for line in lines[at[0] + 2:]:
        if not line.strip():
            continue
        ind = len(line) - len(line.lstrip())
        indent = ind if indent is None else indent
        if ind < indent or set(line.strip()) == {"-"}:
            break
        if ind == indent:
            if line.strip() in ("Returns", "Raises", "References", "Examples", "Notes", "See Also"):
                break
            names.update(n.strip().lstrip("*") for n in line.split(" : ")[0].split(","))
    return names


def test_every_public_function_documents_every_parameter():
    import inspect

    for name in L.__all__:
        obj = getattr(L, name)
        if not inspect.isfunction(obj):
            continue
        doc = inspect.getdoc(obj)
        params = set(inspect.signature(obj).parameters)
        assert params <= _parameters_section(doc), (name, params - _parameters_section(doc))
        for part in ("Returns", "Examples"):
            assert f"\n{part}\n" in doc, (name, part)


def test_docs_labels_blocks_run_and_show_these_numbers():
    import pathlib
    import re

    text = (pathlib.Path(__file__).parents[2] / "docs" / "labels.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 3
    spaces = []
    for code in blocks:
        ns: dict = {}
        exec(compile(code, "docs/labels.md", "exec"), ns)
        spaces.append(ns)
    first = next(ns for ns in spaces if "answers" in ns and len(ns["answers"]) == 14)
    answers = first["answers"]
    assert round(L.krippendorff_alpha(answers, level="nominal"), 3) == 0.381
    assert round(L.fleiss_kappa(answers[answers.task != "clip5"]), 3) == 0.455
    assert round(L.cohen_kappa(answers[answers.worker != "ann3"]), 3) == 0.556
    h = L.entropy(answers)
    assert round(h["clip1"], 3) == 0.918 and h["clip2"] == 0.0
    second = next(ns for ns in spaces if "m" in ns)
    assert list(second["m"].classes) == ["angry", "happy", "sad"]
    assert L.krippendorff_alpha(second["m"].matrix) == pytest.approx(0.6, abs=1e-12)
    assert L.mean(second["r"]).tolist() == [3.5, 1.5, 5.0]
