"""`affectkit demo`: its Python entry point on a small corpus, and the CLI."""

import builtins
import io

import pytest

from affectkit.cli import main
from affectkit.demo import run_demo


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    return run_demo(out, n_items=100, seed=0, epochs=40, plots=True)


def test_tables_are_printed_and_written(small, capsys):
    md = (small.out / "report.md").read_text()
    page = (small.out / "report.html").read_text()
    for text in (md, page):
        for needle in ("majority vote", "Dawid-Skene", "soft labels", "audio (eGeMAPS + MFCC)", "face (geometry)",
                       "multimodal (late fusion)", "multimodal (gated)", "UA (%)", "macro F1 (%)", "not a benchmark"):
            assert needle in text, needle
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page
    assert [m["model"] for m in small.models] == ["audio (eGeMAPS + MFCC)", "face (geometry)",
                                                  "multimodal (late fusion)", "multimodal (gated)"]


def test_accuracies_are_above_chance(small):
    chance = 1 / 5
    for f in small.fusion:
        assert f["accuracy"] > chance + 0.2, f
    for m in small.models:
        assert m["UA"] > chance + 0.1, m
        assert 0 <= m["WA"] <= 1 and 0 <= m["F1"] <= 1
    assert small.settings["test"].endswith("held-out speakers")


def test_report_files_and_plots_exist(small):
    pytest.importorskip("matplotlib")
    assert small.plots_skipped is None
    names = {p.name for p in small.files}
    assert {"report.md", "report.html", "confusion_matrix.png", "per_class_recall.png",
            "annotator_confusion.png"} <= names
    for p in small.files:
        assert p.exists() and p.stat().st_size > 0
    assert (small.out / "confusion_matrix.png").read_bytes()[:4] == b"\x89PNG"


def test_without_matplotlib_the_report_says_so(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    terminal = _Terminal()
    r = run_demo(tmp_path, n_items=60, seed=1, epochs=5, err=terminal, stream=io.StringIO())
    # progress goes to a terminal's stderr, one rewritten status line per stage
    assert "[1/5]" in terminal.getvalue() and "training" in terminal.getvalue()
    assert r.plots_skipped and "matplotlib is not installed" in r.plots_skipped
    assert "Plots skipped: matplotlib is not installed" in (tmp_path / "report.md").read_text()
    assert "matplotlib is not installed" in (tmp_path / "report.html").read_text()
    assert not list(tmp_path.glob("*.png"))


def test_cli_demo_help(capsys):
    with pytest.raises(SystemExit) as e:
        main(["demo", "--help"])
    assert e.value.code == 0
    text = capsys.readouterr().out
    for flag in ("--out", "--n-items", "--seed", "--n-jobs", "--no-plots"):
        assert flag in text


def test_cli_demo_runs_and_reports_bad_input(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "r"), "--n-items", "60", "--no-plots"]) == 0
    out = capsys.readouterr().out
    assert "Held-out speakers" in out and "plots were turned off" in out
    assert (tmp_path / "r" / "report.md").exists()
    assert main(["demo", "--out", str(tmp_path / "bad"), "--n-items", "20"]) == 2
    assert "n_items: the demo needs at least 60 items" in capsys.readouterr().err
    assert main(["demo", "--out", str(tmp_path / "bad"), "--n-jobs", "0"]) == 2
    assert "n_jobs" in capsys.readouterr().err
    # an --out that cannot be a folder: a message, not a traceback
    (tmp_path / "afile").write_text("")
    assert main(["demo", "--out", str(tmp_path / "afile"), "--n-items", "60"]) == 1
    assert "affectkit demo: " in capsys.readouterr().err


def test_rerun_without_plots_removes_the_old_plots(small, capsys):
    assert list(small.out.glob("*.png"))
    assert main(["demo", "--out", str(small.out), "--n-items", "60", "--no-plots"]) == 0
    assert not list(small.out.glob("*.png"))
    assert "% correct" in capsys.readouterr().out   # annotators' measured accuracy
