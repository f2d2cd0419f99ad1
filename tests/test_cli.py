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
    assert lines[0].startswith("path,duration_s,mfcc_mean_0")
    assert len(lines[0].split(",")) == 2 + 2 * 26


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
