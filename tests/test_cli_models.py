"""`affectkit train` / `affectkit evaluate`: the shell route from a feature table and a
label file to a model file and a paper-style score, run as a user runs them."""

import numpy as np
import pandas as pd
import pytest

from affectkit import cli

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


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
    ua = float(out.split("UA ")[1].split()[0])
    assert ua > 0.9, out
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
    ccc = float(capsys.readouterr().out.splitlines()[1].split()[1])
    assert ccc > 0.8
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
    assert float(capsys.readouterr().out.split("UA ")[1].split()[0]) > 0.9


def test_errors_name_the_file_and_line(tmp_path, capsys):
    feats, labels = _tables(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("item,label\nutt000,angry\nutt001,happy,extra,cells\n")
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(bad)]) == 1
    err = capsys.readouterr().err
    assert "affectkit train: " in err and "bad.csv: cannot read" in err and "line 3" in err
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "nope.csv")]) == 1
    assert "nope.csv: no such file" in capsys.readouterr().err
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"), "--target", "valence"]) == 1
    assert "labels.csv: has no column 'valence'" in capsys.readouterr().err
    assert cli.main(["train", str(tmp_path / "feats.parquet"), str(tmp_path / "labels.csv"), "-o", str(tmp_path / "m.ak")]) == 0
    feats.drop(columns="loudness_mean").to_csv(tmp_path / "fewer.csv", index=False)
    assert cli.main(["evaluate", str(tmp_path / "m.ak"), str(tmp_path / "fewer.csv"), str(tmp_path / "labels.csv")]) == 1
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
