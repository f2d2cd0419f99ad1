"""The affectkit command line."""

import subprocess
import sys

import numpy as np
import pytest

import affectkit as ak
from affectkit.cli import main

sf = pytest.importorskip("soundfile")


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
    lines = out_csv.read_text().splitlines()
    assert len(lines) == 3  # header + two good files
    # item first: the id that joins features with labels (affectkit fuse writes item, label)
    assert lines[0].startswith("item,path,duration_s,mfcc_mean_0")
    assert len(lines[0].split(",")) == 3 + 2 * 26
    assert [ln.split(",")[0] for ln in lines[1:]] == ["a", "sub_b"]


def test_npz_output_holds_frames(tmp_path):
    out = tmp_path / "f.npz"
    paths = [str(p) for p in ak.datasets.sample_paths()[:2]]
    assert main(["extract", *paths, "-o", str(out), "--features", "mfcc,logmel"]) == 0
    z = np.load(out)
    y, sr = ak.load(paths[1], sr=16000)
    np.testing.assert_array_equal(z["mfcc_1"], ak.mfcc(y, sr, preset="kaldi"))
    assert z["logmel_0"].shape[1] == 23


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
    # the same numbers as the library call on the same files
    y, sr = ak.load(paths[1], sr=16000)
    row = table.set_index("item").loc["utt1"]
    np.testing.assert_allclose(row[[f"egemaps_{n}" for n in ak.EGEMAPS_FUNCTIONALS]].to_numpy(float),
                               ak.egemaps(y, sr), rtol=0, atol=0)
    m = ak.mfcc(y, sr, preset="kaldi")
    np.testing.assert_allclose(row[[f"mfcc_mean_{j}" for j in range(13)]].to_numpy(float), m.mean(0), rtol=1e-6)
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
    np.testing.assert_array_equal(z["prosody_1"], list(ak.prosody(y, sr).values()))


def test_progress_on_a_terminal(tmp_path):
    import io

    from affectkit.cli import build_parser, extract

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    manifest = _manifest(tmp_path, ak.datasets.sample_paths())
    err, out = Terminal(), io.StringIO()
    assert extract(build_parser().parse_args(["extract", str(manifest)]), out=out, err=err) == 0
    assert "[5/5]" in err.getvalue() and "files/s" in err.getvalue()
