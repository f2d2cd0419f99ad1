"""`affectkit train` / `affectkit evaluate`: the shell route from a feature table and a
label file to a model file and a paper-style score, run as a user runs them."""

import numpy as np
import pandas as pd
import pytest

from affectkit import cli

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _scores(out):
    """The first row under the report's header (UA WA F1-mac F1-w n, in percent) as fractions
    keyed by header; or CCC PCC MAE RMSE of the first target."""
    lines = out.splitlines()
    i = next(k for k, ln in enumerate(lines) if ln.split()[:2] in (["UA", "WA"], ["CCC", "PCC"]))
    heads, row = lines[i].split(), lines[i + 1].split()
    if heads[0] == "UA":
        return {h: float(v) / (1 if h == "n" else 100) for h, v in zip(heads, row)}
    return dict(zip(heads, map(float, row[1:])))


def _tables(tmp_path, n=240, seed=0):
    """Three well-separated classes in badly scaled features with some NaN, a train/test
    split, and ratings that follow the first feature."""
    rng = np.random.default_rng(seed)
    classes = np.array(["angry", "happy", "sad"])
    y = classes[np.arange(n) % 3]
    centre = {"angry": [3, 0], "happy": [0, 3], "sad": [-3, -3]}
    X = np.array([centre[c] for c in y]) + rng.normal(0, 1, (n, 2))
    feats = pd.DataFrame({
        "item": [f"utt{i:03d}" for i in range(n)],
        "path": [f"/corpus/utt{i:03d}.wav" for i in range(n)],
        "duration_s": rng.uniform(1, 3, n),
        "f0_mean": 200 + 30 * X[:, 0],
        "loudness_mean": 1e-3 * X[:, 1],
        "noise": rng.normal(size=n),
    })
    feats.loc[::11, "f0_mean"] = np.nan  # unvoiced clips
    split = np.where(np.arange(n) < int(0.7 * n), "train", "test")
    labels = pd.DataFrame({"item": feats["item"], "label": y, "split": split,
                           "arousal": 0.5 * X[:, 0] + rng.normal(0, 0.1, n)})
    feats.to_parquet(tmp_path / "feats.parquet", index=False)
    feats[split == "test"].to_csv(tmp_path / "test.csv", index=False)
    labels.to_csv(tmp_path / "labels.csv", index=False)
    return feats, labels


def test_train_then_evaluate_classifier(tmp_path, capsys):
    _tables(tmp_path)
    model = tmp_path / "model.ak"
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"),
                     "--split", "train", "-o", str(model)]) == 0
    out = capsys.readouterr().out
    assert "classifier over 3 classes (angry, happy, sad) on 168 item(s) x 3 features" in out
    preds = tmp_path / "pred.csv"
    assert cli.main(["evaluate", str(model), str(tmp_path / "test.csv"), str(tmp_path / "labels.csv"),
                     "-o", str(preds)]) == 0
    out = capsys.readouterr().out
    assert _scores(out)["UA"] > 0.9, out
    assert "confusion (rows: truth, columns: predicted)" in out
    p = pd.read_csv(preds)
    assert list(p.columns) == ["item", "predicted", "p_angry", "p_happy", "p_sad"] and len(p) == 72
    np.testing.assert_allclose(p[["p_angry", "p_happy", "p_sad"]].sum(axis=1), 1, atol=1e-6)


def test_train_regressor_and_soft_labels(tmp_path, capsys):
    feats, labels = _tables(tmp_path)
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"), "--target", "arousal",
                     "-o", str(tmp_path / "reg.ak")]) == 0
    assert "regressor (arousal, loss ccc)" in capsys.readouterr().out
    assert cli.main(["evaluate", str(tmp_path / "reg.ak"), str(tmp_path / "test.csv"), str(tmp_path / "labels.csv"),
                     "--target", "arousal"]) == 0
    assert _scores(capsys.readouterr().out)["CCC"] > 0.8
    # soft labels as `affectkit fuse` writes them (item, label, p_<class>...)
    rng = np.random.default_rng(1)
    ann = pd.DataFrame([(it, f"r{k}", lab if rng.random() < 0.8 else rng.choice(["angry", "happy", "sad"]))
                        for it, lab in zip(labels["item"], labels["label"]) for k in range(3)],
                       columns=["task", "worker", "label"])
    ann.to_csv(tmp_path / "ann.csv", index=False)
    assert cli.main(["fuse", str(tmp_path / "ann.csv"), "--method", "soft", "-o", str(tmp_path / "soft.csv")]) == 0
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "soft.csv"), "--soft",
                     "-o", str(tmp_path / "soft.ak")]) == 0
    assert "classifier over 3 classes" in capsys.readouterr().out
    assert cli.main(["evaluate", str(tmp_path / "soft.ak"), str(tmp_path / "test.csv"), str(tmp_path / "labels.csv")]) == 0
    assert _scores(capsys.readouterr().out)["UA"] > 0.9


def test_errors_name_the_file_and_line(tmp_path, capsys):
    feats, labels = _tables(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("item,label\nutt000,angry\nutt001,happy,extra,cells\n")
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "affectkit train: " in err and "bad.csv: cannot read" in err and "line 3" in err
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "nope.csv")]) == 1
    assert "nope.csv: no such file" in capsys.readouterr().err
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"), "--target", "valence"]) == 2
    assert "labels.csv: has no column 'valence'" in capsys.readouterr().err
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"), "-o", str(tmp_path / "m.ak")]) == 0
    feats.drop(columns="loudness_mean").to_csv(tmp_path / "fewer.csv", index=False)
    assert cli.main(["evaluate", str(tmp_path / "m.ak"), str(tmp_path / "fewer.csv"), str(tmp_path / "labels.csv")]) == 2
    assert "fewer.csv: lacks 1 feature column(s) the model was trained on, e.g. 'loudness_mean'" in capsys.readouterr().err
    (tmp_path / "junk.ak").write_bytes(b"not a model")
    assert cli.main(["evaluate", str(tmp_path / "junk.ak"), str(tmp_path / "test.csv")]) == 1
    assert "junk.ak" in capsys.readouterr().err


def test_unlabelled_items_are_left_out_and_said(tmp_path, capsys):
    feats, labels = _tables(tmp_path)
    labels.loc[:9, "label"] = np.nan  # no consensus
    labels.to_csv(tmp_path / "labels.csv", index=False)
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"), "-o", str(tmp_path / "m.ak")]) == 0
    cap = capsys.readouterr()
    assert "10 item(s) without label left out" in cap.err and "on 230 item(s)" in cap.out
    assert "left out: 10 item(s) without label" in cap.out


def test_help_lists_train_and_evaluate(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "train" in out and "evaluate" in out


class _Terminal:
    """A stderr that says it is a terminal, recording what the progress line writes."""

    def __init__(self):
        self.text = ""

    def isatty(self):
        return True

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def test_train_and_evaluate_show_their_stages_on_a_terminal(tmp_path, capsys):
    import io

    _tables(tmp_path)
    err = _Terminal()
    args = cli.build_parser().parse_args(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"),
                                          "-o", str(tmp_path / "m.ak")])
    assert args.func(args, io.StringIO(), err) == 0
    assert "[0/3]" in err.text and "training on 240 items x 3 features" in err.text and "saving" in err.text
    err = _Terminal()
    args = cli.build_parser().parse_args(["evaluate", str(tmp_path / "m.ak"), str(tmp_path / "test.csv"),
                                          str(tmp_path / "labels.csv")])
    assert args.func(args, io.StringIO(), err) == 0
    assert "predicting 72 items" in err.text


def test_parquet_without_pyarrow_is_a_message(tmp_path, capsys, monkeypatch):
    _tables(tmp_path)

    def no_pyarrow(*args, **kwargs):
        raise ImportError("Unable to find a usable engine; tried using: 'pyarrow'")

    monkeypatch.setattr(pd, "read_parquet", no_pyarrow)
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv")]) == 1
    assert "feats.parquet: reading .parquet needs pyarrow" in capsys.readouterr().err


def test_fuse_shows_its_stages_on_a_terminal(tmp_path):
    import io

    (tmp_path / "a.csv").write_text("task,worker,label\na,r1,happy\na,r2,sad\nb,r1,sad\n")
    err = _Terminal()
    args = cli.build_parser().parse_args(["fuse", str(tmp_path / "a.csv"), "--method", "majority"])
    assert args.func(args, io.StringIO(), err) == 0
    assert "majority over 3 answers" in err.text


# -- settings travel with tables and models; splits; rows left out (issue 13, 1, 5, 6) --------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The bundled clips extracted twice by the CLI with the same column names but other
    settings (librosa's 20 MFCCs, Kaldi's with --n-mfcc 20), and a manifest with labels
    and a split."""
    import affectkit as ak

    d = tmp_path_factory.mktemp("extracted")
    paths = ak.datasets.sample_paths()
    man = pd.DataFrame({"corpus": "samples", "item": [f"utt{i}" for i in range(5)], "path": [str(p) for p in paths],
                        "speaker": "s1", "label": ["calm", "tense", "calm", "tense", "calm"],
                        "split": ["train", "train", "train", "test", "test"]})
    ak.datasets.write_manifest(man, d / "manifest.csv")
    assert cli.main(["extract", str(d / "manifest.csv"), "-o", str(d / "librosa.parquet")]) == 0
    assert cli.main(["extract", str(d / "manifest.csv"), "--preset", "kaldi", "--n-mfcc", "20",
                     "-o", str(d / "kaldi.csv")]) == 0
    assert cli.main(["train", str(d / "librosa.parquet"), "--epochs", "3", "-o", str(d / "model.ak")]) == 0
    return d


def test_a_model_refuses_a_table_with_other_settings(extracted, capsys):
    """Observation 1: a model trained on a CLI table scored a table made with other settings
    (same column names) at chance, without a word."""
    d = extracted
    capsys.readouterr()
    assert cli.main(["evaluate", str(d / "model.ak"), str(d / "kaldi.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"affectkit evaluate: {d / 'kaldi.csv'} was computed with other feature settings than {d / 'model.ak'}" in err
    assert "mfcc: preset 'librosa' vs 'kaldi'" in err
    # the same settings: scored
    assert cli.main(["evaluate", str(d / "model.ak"), str(d / "librosa.parquet")]) == 0
    assert "UA" in capsys.readouterr().out
    # the override scores it, with the differences as a warning
    assert cli.main(["evaluate", str(d / "model.ak"), str(d / "kaldi.csv"), "--ignore-settings"]) == 0
    cap = capsys.readouterr()
    assert "affectkit evaluate: warning:" in cap.err and "preset 'librosa' vs 'kaldi'" in cap.err
    assert "UA" in cap.out
    # a table made by hand (no sidecar): accepted with a warning
    pd.read_csv(d / "kaldi.csv").to_csv(d / "by_hand.csv", index=False)
    assert cli.main(["evaluate", str(d / "model.ak"), str(d / "by_hand.csv")]) == 0
    assert "by_hand.csv carries no feature settings" in capsys.readouterr().err


def test_the_model_keeps_the_training_tables_settings(extracted):
    import affectkit as ak

    d = extracted
    table = ak.settings.read_file_settings(d / "librosa.parquet")
    model = ak.load_model(d / "model.ak")
    kept = ak.settings.of(model)
    assert not (d / "model.ak.json").exists()  # the model file itself keeps them
    assert kept == table and kept["features"]["mfcc"]["params"]["preset"] == "librosa"


def test_train_takes_only_the_recorded_feature_columns(extracted, capsys):
    """A manifest's numeric columns (a corpus's session, repetition) are not features."""
    d = extracted
    t = pd.read_parquet(d / "librosa.parquet")
    assert {"corpus", "speaker", "label", "split"} <= set(t.columns)  # passed through from the manifest
    import affectkit as ak

    table = ak.features.read(d / "librosa.parquet")
    ak.features.write(table.assign(session=[1, 2, 3, 4, 5]), d / "with_session.parquet")  # attrs travel along
    assert cli.main(["train", str(d / "with_session.parquet"), "--epochs", "2", "-o", str(d / "s.ak")]) == 0
    assert "x 40 features" in capsys.readouterr().out  # 20 MFCC means and stds, not the session


def test_split_and_rows_left_out_are_counted_and_blame_the_right_file(tmp_path, capsys):
    feats, labels = _tables(tmp_path)
    # the labels file holds the split: --split trains on its rows, and counts the others
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"), "--split", "train",
                     "-o", str(tmp_path / "m.ak")]) == 0
    out = capsys.readouterr().out
    assert "on 168 item(s)" in out and "left out: 72 item(s) of other splits" in out
    # a split no row has: the labels file is blamed, with the splits it does have
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"), "--split", "dev"]) == 2
    err = capsys.readouterr().err
    assert f"affectkit train: {tmp_path / 'labels.csv'}: no row has split 'dev'; its splits are: test (72), train (168)" in err
    # without a labels file the features table's own split column (a manifest's) is used and blamed
    feats.assign(label=labels["label"], split=labels["split"]).to_csv(tmp_path / "own.csv", index=False)
    assert cli.main(["train", str(tmp_path / "own.csv"), "--split", "dev"]) == 2
    assert f"{tmp_path / 'own.csv'}: no row has split 'dev'" in capsys.readouterr().err
    assert cli.main(["train", str(tmp_path / "test.csv"), "--target", "f0_mean", "--split", "train"]) == 2
    assert f"{tmp_path / 'test.csv'}: --split train needs a 'split' column" in capsys.readouterr().err
    assert cli.main(["train", str(tmp_path / "test.csv"), str(tmp_path / "feats.parquet"), "--split", "x"]) == 2
    assert "feats.parquet: has no column 'label'" in capsys.readouterr().err
    # evaluate takes --split too, and counts what it leaves out
    assert cli.main(["evaluate", str(tmp_path / "m.ak"), str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"),
                     "--split", "test"]) == 0
    out = capsys.readouterr().out
    assert _scores(out)["n"] == 72 and "left out: 168 item(s) of other splits" in out
    # labels without features and features without labels are counted, naming the files
    labels.iloc[:200].to_csv(tmp_path / "some_labels.csv", index=False)
    extra = pd.DataFrame({"item": ["ghost1", "ghost2"], "label": ["sad", "sad"], "split": ["test", "test"],
                          "arousal": [0.0, 0.0]})
    pd.concat([labels.iloc[:200], extra]).to_csv(tmp_path / "some_labels.csv", index=False)
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "some_labels.csv"),
                     "-o", str(tmp_path / "m2.ak")]) == 0
    cap = capsys.readouterr()
    assert "40 item(s) of feats.parquet without a row in some_labels.csv" in cap.out
    assert "2 item(s) of some_labels.csv without features in feats.parquet" in cap.out
    assert "on 200 item(s)" in cap.out
