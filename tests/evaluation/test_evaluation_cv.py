"""ak.evaluation.cross_validate and ``affectkit cv``: per-fold and pooled scores with
intervals, seeds, routing of the speakers to SpeakerNormalizer, and the measurement the
field argues about: on the synthetic corpus (speakers with their own voices) a
speaker-dependent split scores higher than leave-one-speaker-out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import affectkit as ak
from affectkit.cli import main


@pytest.fixture(scope="module")
def voiced():
    """360 synthetic clips of 6 speakers, MFCC means and deviations per clip."""
    ds = ak.datasets.make_acted_corpus(360, n_speakers=6, seed=1, n_annotators=0)
    mf = ak.mfcc_batch(ds.audio, ds.sr, preset="librosa", n_mfcc=13)
    X = np.array([np.r_[m.mean(axis=0), m.std(axis=0)] for m in mf])
    return ds.manifest, X


def _logreg():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000))


def test_speaker_dependent_splits_score_higher_than_loso(voiced):
    man, X = voiced
    loso = ak.evaluation.cross_validate(_logreg(), X, man, protocol="loso")
    dep = ak.evaluation.cross_validate(_logreg(), X, man, protocol="speaker-dependent", n_splits=6)
    # both train on 5/6 of the items; only who is in the test set differs
    assert (loso.per_fold.n_train == 300).all() and (dep.per_fold.n_train == 300).all()
    assert dep.pooled["ua"] > loso.pooled["ua"] + 0.02
    a = dep.predictions.sort_values("row")
    b = loso.predictions.sort_values("row")
    np.testing.assert_array_equal(a.row, b.row)
    assert ak.metrics.paired_test(a.y_true, a.y_pred, b.y_pred, test="mcnemar").pvalue < 0.05


def test_per_fold_pooled_and_intervals(voiced):
    man, X = voiced
    res = ak.evaluation.cross_validate(_logreg(), X, man, protocol="loso", metrics=("ua", "wa", "macro_f1"))
    assert list(res.per_fold.fold) == [f"spk{i:02d}" for i in range(6)]
    p = res.predictions
    assert sorted(p.row) == list(range(360)) and {"p_angry", "p_sad"} <= set(p.columns)
    assert res.pooled["ua"] == pytest.approx(ak.metrics.unweighted_accuracy(p.y_true, p.y_pred))
    assert res.pooled["wa"] == pytest.approx(ak.metrics.weighted_accuracy(p.y_true, p.y_pred))
    for _, row in res.per_fold.iterrows():
        q = p[p.fold == row.fold]
        assert row.ua == pytest.approx(ak.metrics.unweighted_accuracy(q.y_true, q.y_pred))
    ci = res.ci(0.95)
    assert ci["ua"].unit == "groups" and ci["ua"].n_units == 6 and ci["ua"].low <= res.pooled["ua"] <= ci["ua"].high
    same = ak.metrics.bootstrap_ci(p.sort_values("row").y_true, p.sort_values("row").y_pred, metric="ua",
                                   groups=p.sort_values("row").speaker, n_resamples=2000)
    assert (ci["ua"].low, ci["ua"].high) == pytest.approx((same.low, same.high), abs=1e-12)
    items = res.ci(unit="items", method="bca", n_resamples=500)["ua"]
    assert items.unit == "items" and items.method == "bca"
    table = str(res)
    assert "protocol loso: 6 folds, 360 test items" in table and "95 % CI" in table
    assert f"{100 * res.pooled['ua']:.1f}" in table
    assert res.to_frame()["ua"].iloc[0] == pytest.approx(100 * res.per_fold.ua.iloc[0])
    assert res.confusion().to_numpy().sum() == 360


def test_seeds_are_summarised_and_speakers_reach_the_normalizer(voiced):
    man, X = voiced
    est = make_pipeline(ak.SpeakerNormalizer(), ak.EmotionClassifier((16,), max_epochs=40, early_stopping=True))
    res = ak.evaluation.cross_validate(est, X, man, protocol="speaker-kfold", n_splits=3, seeds=(0, 1),
                                       validation=0.25)
    assert list(res.per_seed.seed) == [0, 1] and len(res.per_fold) == 6
    assert res.pooled["ua"] == pytest.approx(res.per_seed.ua.mean())
    assert "over seeds" in res.table() and {"valid_ua", "n_valid"} <= set(res.per_fold.columns)
    # the seed reshuffles the speaker folds
    def speaker_sets(seed):
        q = res.predictions[res.predictions.seed == seed]
        return {frozenset(v) for v in q.groupby("fold").speaker.unique()}

    assert speaker_sets(0) != speaker_sets(1)
    # SpeakerNormalizer got each fold's speakers: normalising by hand gives the same predictions
    f = res.folds[0]
    norm = ak.SpeakerNormalizer().fit(X[f.train], groups=man.speaker.to_numpy()[f.train])
    assert set(norm.stats_) == set(man.speaker.to_numpy()[f.train])


def test_cross_validate_bad_input(voiced):
    man, X = voiced
    with pytest.raises(ak.ParameterError, match=r"X: expected 360 rows \(one per manifest row"):
        ak.evaluation.cross_validate(_logreg(), X[:10], man)
    with pytest.raises(ak.ParameterError, match=r"metric: unknown metric 'uar2'; expected one of \['ua', 'wa'"):
        ak.evaluation.cross_validate(_logreg(), X, man, metrics=("uar2",))
    with pytest.raises(ak.ParameterError, match="metrics: cross_validate scores labels; 'ccc'"):
        ak.evaluation.cross_validate(_logreg(), X, man, metrics="ccc")
    with pytest.raises(ak.ParameterError, match="needs a 'session' column"):
        ak.evaluation.cross_validate(_logreg(), X, man, protocol="leave-one-session-out")


def test_save_writes_tables_and_plots(voiced, tmp_path):
    pytest.importorskip("matplotlib")
    man, X = voiced
    res = ak.evaluation.cross_validate(_logreg(), X, man, protocol="loso")
    files = res.save(tmp_path / "out")
    names = {f.name for f in files}
    assert names == {"table.md", "per_fold.csv", "predictions.csv", "folds.csv", "cv_folds.png", "cv_confusion.png"}
    assert pd.read_csv(tmp_path / "out" / "per_fold.csv").shape[0] == 6
    assert (tmp_path / "out" / "cv_folds.png").read_bytes()[:4] == b"\x89PNG"


def _tables(tmp_path, man, X):
    feats = pd.DataFrame(X, columns=[f"f{j}" for j in range(X.shape[1])])
    feats.insert(0, "item", man["item"].to_numpy())
    feats.to_csv(tmp_path / "feats.csv", index=False)
    ak.datasets.write_manifest(man, tmp_path / "manifest.csv")
    return str(tmp_path / "feats.csv"), str(tmp_path / "manifest.csv")


def test_cli_cv(voiced, tmp_path, capsys):
    man, X = voiced
    feats, manifest = _tables(tmp_path, man.iloc[:180].reset_index(drop=True), X[:180])
    out = tmp_path / "results"
    assert main(["cv", feats, manifest, "--protocol", "loso", "--model", "linear", "--epochs", "30",
                 "--normalize", "speaker", "-o", str(out), "--n-resamples", "200"]) == 0
    text = capsys.readouterr().out
    assert "protocol loso: 6 folds, 180 test items" in text and "UA" in text and "95 % CI" in text
    assert (out / "table.md").is_file() and pd.read_csv(out / "predictions.csv").shape[0] == 180


@pytest.mark.parametrize("argv,status,message", [
    (["--protocol", "leave-one-session-out"], 2, "needs a 'session' column"),
    (["--metrics", "ua,nope"], 2, "metric: unknown metric 'nope'"),
    (["--target", "emotion"], 2, "has no column 'emotion'"),
])
def test_cli_cv_errors(voiced, tmp_path, capsys, argv, status, message):
    man, X = voiced
    feats, manifest = _tables(tmp_path, man.iloc[:60].reset_index(drop=True), X[:60])
    assert main(["cv", feats, manifest, "--epochs", "5", "--no-plots", "-o", str(tmp_path / "o")] + argv) == status
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_cv_missing_file(tmp_path, capsys):
    assert main(["cv", str(tmp_path / "nope.csv"), str(tmp_path / "man.csv")]) == 1
    assert "nope.csv: no such file" in capsys.readouterr().err


def test_demo_reports_held_out_ua_with_an_interval(tmp_path):
    import io

    from affectkit.demo import run_demo

    out = io.StringIO()
    res = run_demo(tmp_path / "demo", n_items=60, plots=False, epochs=10, stream=out, err=io.StringIO())
    for m in res.models:
        low, high = m["UA_CI"]
        assert low <= m["UA"] <= high and high - low > 0
    assert "UA 95 % CI" in out.getvalue() and "UA 95 % CI" in (tmp_path / "demo" / "report.md").read_text()
