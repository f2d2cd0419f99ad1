"""The affectkit command line."""

import subprocess
import sys

import numpy as np
import pytest

import affectkit as ak
from affectkit.cli import main
from references import reference

sf = reference("soundfile")  # imported by the tests that use it


def test_extract_without_paths_uses_the_bundled_samples(capsys):
    assert main(["extract"]) == 0
    out = capsys.readouterr()
    assert "bundled sample recordings" in out.err
    assert "librivox_sense_and_sensibility_0870" in out.out
    assert "5 file(s)" in out.out and "0 failed" in out.out


def test_console_script_runs():
    out = subprocess.run([sys.executable, "-m", "affectkit", "extract", "--features", "mfcc,logmel"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "mfcc (frames x dims)" in out.stdout


def test_folder_with_bad_and_non_audio_files(tmp_path, capsys):
    sf.write(tmp_path / "a.wav", np.random.default_rng(0).standard_normal(16000) * 0.1, 16000)
    sf.write(tmp_path / "sub_b.flac", np.random.default_rng(1).standard_normal(8000) * 0.1, 8000)
    (tmp_path / "broken.wav").write_bytes(b"RIFF....WAVEjunk")
    (tmp_path / "readme.txt").write_text("hello")
    out_csv = tmp_path / "feats.csv"
    assert main(["extract", str(tmp_path), "-o", str(out_csv), "--deltas", "1"]) == 0
    captured = capsys.readouterr()
    assert "skipped 1 non-audio file" in captured.err
    assert "broken.wav" in captured.err
    # the 8 kHz file was upsampled: one warning line naming it, no Python warning format
    assert "affectkit extract: warning: 1 file(s) have a native sample rate below" in captured.err
    assert "sub_b.flac (8000 Hz < 16000 Hz for mfcc)" in captured.err and "LowRateWarning" not in captured.err
    lines = out_csv.read_text().splitlines()
    assert len(lines) == 3  # header + two good files
    # item first: the id that joins features with labels (affectkit fuse writes item, label)
    assert lines[0].startswith("item,path,duration_s,mfcc_mean_0")
    assert len(lines[0].split(",")) == 3 + 2 * 40  # librosa's 20 coefficients + deltas, mean and std
    rec = ak.settings.read_file_settings(out_csv)  # the sidecar feats.csv.json
    assert rec["features"]["mfcc"]["params"]["deltas"] == 1 and rec["audio"]["upsampled"] == ["sub_b"]
    assert [ln.split(",")[0] for ln in lines[1:]] == ["a", "sub_b"]


def test_npz_output_holds_frames(tmp_path):
    out = tmp_path / "f.npz"
    paths = [str(p) for p in ak.datasets.sample_paths()[:2]]
    assert main(["extract", *paths, "-o", str(out), "--features", "mfcc,logmel"]) == 0
    z = np.load(out)
    y, sr = ak.load(paths[1], sr=16000)
    np.testing.assert_array_equal(z["mfcc_1"], ak.mfcc(y, sr))  # ak.mfcc's default: the librosa preset
    assert z["logmel_0"].shape[1] == 128
    assert ak.settings.read_file_settings(out)["features"]["logmel"]["params"]["n_mels"] == 128


def test_unknown_feature_and_no_files(tmp_path, capsys):
    assert main(["extract", "--features", "pitch"]) == 2
    assert main(["extract", str(tmp_path)]) == 1


@pytest.mark.parametrize("content, message", [
    (b"task,worker,label\na,r1,happy\nb,r1\n", "line 3: expected 3 fields as in the header, got 2"),
    (b"task,worker,label\na,r1,happy\nb,r1,sad,x\n", "line 3: expected 3 fields as in the header, got 4"),
    (b"task,worker,label\na,r1,happy\nb,r1,\xff\xfesad\n", "line 3: not UTF-8 text"),
    (b'task,worker,label\na,r1,"happy\n', "line 2: cannot parse: unexpected end of data"),
])
def test_fuse_names_the_line_of_an_unreadable_annotation_csv(tmp_path, capsys, content, message):
    p = tmp_path / "ann.csv"
    p.write_bytes(content)
    assert main(["fuse", str(p)]) == 1
    assert f"affectkit fuse: {p}, {message}" in capsys.readouterr().err


def _manifest(tmp_path, paths):
    import pandas as pd

    man = pd.DataFrame({"corpus": "samples", "item": [f"utt{i}" for i in range(len(paths))],
                        "path": [str(p) for p in paths], "speaker": "s1", "label": "neutral", "split": None})
    ak.datasets.write_manifest(man, tmp_path / "manifest.csv")
    return tmp_path / "manifest.csv"


def test_extract_reads_a_manifest_and_reports_missing_files(tmp_path, capsys):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    paths = list(ak.datasets.sample_paths()[:3]) + [tmp_path / "gone.wav"]
    manifest = _manifest(tmp_path, paths)
    out = tmp_path / "feats.parquet"
    assert main(["extract", str(manifest), "--features", "egemaps,mfcc", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert "gone.wav" in captured.err and "utt3" not in captured.out
    assert "3 file(s)" in captured.out and "1 failed" in captured.out
    table = pd.read_parquet(out)
    assert table["item"].tolist() == ["utt0", "utt1", "utt2"]
    # the manifest's columns pass through, and the settings travel in the parquet metadata
    assert table[["corpus", "speaker", "label"]].iloc[0].tolist() == ["samples", "s1", "neutral"]
    assert "split" in table.columns
    rec = ak.settings.read_file_settings(out)
    assert rec["features"]["mfcc"]["params"]["preset"] == "librosa" and rec["pool"] == ["mean", "std"]
    # the same numbers as the library call on the same files
    y, sr = ak.load(paths[1], sr=16000)
    row = table.set_index("item").loc["utt1"]
    np.testing.assert_allclose(row[[f"egemaps_{n}" for n in ak.EGEMAPS_FUNCTIONALS]].to_numpy(float),
                               ak.egemaps(y, sr), rtol=0, atol=0)
    m = ak.mfcc(y, sr)
    np.testing.assert_allclose(row[[f"mfcc_mean_{j}" for j in range(20)]].to_numpy(float), m.mean(0), rtol=1e-6)
    assert row["egemaps_F0semitoneFrom27.5Hz_sma3nz_amean"] == row["egemaps_" + ak.EGEMAPS_FUNCTIONALS[0]]


def test_extract_rejects_a_csv_that_is_not_a_manifest(tmp_path, capsys):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    assert main(["extract", str(tmp_path / "x.csv")]) == 2
    assert "not a manifest" in capsys.readouterr().err


def test_extract_npz_keeps_clip_and_frame_features(tmp_path):
    out = tmp_path / "f.npz"
    manifest = _manifest(tmp_path, ak.datasets.sample_paths()[:2])
    assert main(["extract", str(manifest), "--features", "f0,prosody", "-o", str(out)]) == 0
    z = np.load(out)
    assert z["items"].tolist() == ["utt0", "utt1"]
    y, sr = ak.load(ak.datasets.sample_paths()[1], sr=16000)
    tr = ak.f0(y, sr)
    np.testing.assert_array_equal(z["f0_1"], np.column_stack([tr.f0, tr.prob]))
    np.testing.assert_array_equal(z["prosody_1"], ak.prosody(y, sr).to_numpy())


def test_progress_on_a_terminal(tmp_path):
    import io

    from affectkit.cli import build_parser
    from affectkit.cli.extract import extract

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    manifest = _manifest(tmp_path, ak.datasets.sample_paths())
    err, out = Terminal(), io.StringIO()
    assert extract(build_parser().parse_args(["extract", str(manifest)]), out=out, err=err) == 0
    assert "[5/5]" in err.getvalue() and "files/s" in err.getvalue()


# -- exit codes: 1 runtime failure, 2 bad arguments or configuration; never a traceback --------


def _run(argv, capsys):
    """(exit status, stderr) of one command, as the shell sees them."""
    try:
        status = main(argv)
    except SystemExit as e:  # argparse's own usage errors
        status = e.code
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    return status, err


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    """A feature table with its settings, labels, annotations and a trained model."""
    import pandas as pd

    d = tmp_path_factory.mktemp("exit")
    paths = ak.datasets.sample_paths()
    man = pd.DataFrame({"corpus": "samples", "item": [f"utt{i}" for i in range(5)], "path": [str(p) for p in paths],
                        "speaker": "s1", "label": ["calm", "tense"] * 2 + ["calm"], "split": None})
    ak.datasets.write_manifest(man, d / "manifest.csv")
    ak.features.write(ak.features.extract(man, "mfcc"), d / "feats.csv")
    ak.features.write(ak.features.extract(man, "mfcc", preset="kaldi", n_mfcc=20), d / "kaldi.csv")
    (d / "ann.csv").write_text("task,worker,label\na,r1,happy\na,r2,sad\nb,r1,sad\n")
    assert main(["train", str(d / "feats.csv"), "--epochs", "2", "-o", str(d / "model.ak")]) == 0
    return d


@pytest.mark.parametrize("argv, status, message", [
    (["--features", "mfcc", "--n-mfcc", "0"], 2, "affectkit extract: n_mfcc: must be a positive integer, got 0"),
    (["--sr", "8000", "--features", "egemaps"], 2, "affectkit extract: sr: egemaps needs an analysis rate of at least"),
    (["--features", "pitch"], 2, "unknown feature 'pitch'"),
    (["--deltas", "3"], 2, "argument --deltas: invalid choice"),
    (["-o", "x.txt"], 2, "-o must end in .csv, .npz or .parquet"),
    (["{gone}"], 1, "all 1 file(s) failed"),
    (["{notmanifest}"], 2, "is a CSV but not a manifest: it lacks column(s)"),
    (["{badmanifest}"], 1, "row 0 has split 'validation'"),
])
def test_extract_exit_codes(tmp_path, capsys, argv, status, message):
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    (tmp_path / "m.csv").write_text("corpus,item,path,speaker,label,split\nc,a,/a.wav,s,x,validation\n")
    argv = [a.format(gone=tmp_path / "gone.wav", notmanifest=tmp_path / "x.csv", badmanifest=tmp_path / "m.csv")
            for a in argv]
    got, err = _run(["extract", *argv], capsys)
    assert got == status and message in err, err


def test_a_configuration_error_is_reported_once_before_any_file_is_read(tmp_path, capsys):
    """Observation 4: --n-mfcc 0 was reported once per file (59 lines)."""
    for k in range(6):
        sf.write(tmp_path / f"{k}.wav", np.zeros(1600), 16000)
    for bad in (["--n-mfcc", "0"], ["--sr", "8000", "--features", "egemaps"]):
        status, err = _run(["extract", str(tmp_path), *bad], capsys)
        assert status == 2 and err.count("\n") == 1, err


def test_fuse_exit_codes(tables, tmp_path, capsys):
    assert _run(["fuse", str(tables / "ann.csv"), "--columns", "a,b"], capsys)[0] == 2
    assert _run(["fuse", str(tables / "ann.csv"), "--method", "nope"], capsys)[0] == 2
    status, err = _run(["fuse", str(tmp_path / "gone.csv")], capsys)
    assert status == 1 and "cannot read" in err
    status, err = _run(["fuse", str(tables / "ann.csv"), "--columns", "item,rater,emotion"], capsys)
    assert status == 2 and "lacks column(s)" in err


@pytest.mark.parametrize("argv, status, message", [
    (["--epochs", "0"], 2, "argument --epochs: must be a positive integer, got 0"),
    (["--n-jobs", "0"], 2, "argument --n-jobs: must be a positive count or a negative joblib-style count"),
    (["--seed", "-1"], 2, "argument --seed: must be between 0 and 4294967295, got -1"),
    (["--epochs", "two"], 2, "argument --epochs: invalid int value: 'two'"),
    (["--target", "valence"], 2, "feats.csv: has no column 'valence'"),
    (["--split", "train"], 2, "feats.csv: no row has split 'train'; its 'split' column is empty"),
])
def test_train_exit_codes(tables, capsys, argv, status, message):
    got, err = _run(["train", str(tables / "feats.csv"), *argv, "-o", str(tables / "t.ak")], capsys)
    assert got == status and message in err, err
    assert err.count("affectkit train") <= 2  # one line (argparse adds its usage line)


def test_train_and_evaluate_missing_files(tables, tmp_path, capsys):
    status, err = _run(["train", str(tmp_path / "gone.csv")], capsys)
    assert status == 1 and "gone.csv: no such file" in err
    status, err = _run(["evaluate", str(tmp_path / "gone.ak"), str(tables / "feats.csv")], capsys)
    assert status == 1 and "gone.ak" in err
    status, err = _run(["evaluate", str(tables / "model.ak"), str(tmp_path / "gone.csv")], capsys)
    assert status == 1 and "gone.csv: no such file" in err


def test_evaluate_exit_codes(tables, capsys):
    status, err = _run(["evaluate", str(tables / "model.ak"), str(tables / "feats.csv"), "--target", "emotion"], capsys)
    assert status == 2 and "has no column 'emotion'" in err
    status, err = _run(["evaluate", str(tables / "model.ak"), str(tables / "kaldi.csv")], capsys)
    assert status == 2 and "was computed with other feature settings than" in err and "kaldi.csv" in err
    assert _run(["evaluate", str(tables / "model.ak"), str(tables / "feats.csv")], capsys)[0] == 0
    assert _run(["evaluate", str(tables / "model.ak")], capsys)[0] == 2  # argparse: TABLE missing


def test_index_and_demo_exit_codes(tmp_path, capsys):
    status, err = _run(["index", "ravdess", str(tmp_path / "nowhere")], capsys)
    assert status == 1 and "not a folder" in err
    assert _run(["index", "emodb", str(tmp_path), "--ratings", "face"], capsys)[0] == 2
    assert _run(["index", "nocorpus", str(tmp_path)], capsys)[0] == 2
    assert _run(["demo", "--n-jobs", "0", "--out", str(tmp_path / "d")], capsys)[0] == 2


def test_the_shell_sees_no_traceback():
    import subprocess

    run = subprocess.run([sys.executable, "-m", "affectkit", "train", "nofile.csv", "--epochs", "0"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr and "--epochs" in run.stderr
    run = subprocess.run([sys.executable, "-m", "affectkit", "extract", "--n-mfcc", "0"], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip() == "affectkit extract: n_mfcc: must be a positive integer, got 0"
