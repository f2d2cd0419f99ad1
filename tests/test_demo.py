"""`affectkit demo`: its Python entry point on a small corpus, and the CLI."""

import builtins
import io
import re
from html.parser import HTMLParser

import numpy as np
import pytest

import affectkit as ak
from affectkit import demo
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
    # a confusion matrix and a recall plot for every model, and the annotators' matrices
    assert {"report.md", "report.html", *demo.PLOT_FILES} == names
    assert len(demo.PLOT_FILES) == 1 + 2 * len(small.models)
    for p in small.files:
        assert p.exists() and p.stat().st_size > 0
    assert (small.out / "confusion_audio.png").read_bytes()[:4] == b"\x89PNG"
    md = (small.out / "report.md").read_text()
    for name in demo.PLOT_FILES:
        assert f"]({name})" in md, name


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images, self.style = [], ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))
        self._in_style = tag == "style"

    def handle_data(self, data):
        if self._in_style:
            self.style += data


def test_report_html_images_exist_and_fit_the_page(small):
    """Every <img> of report.html is a file beside it, declares its width and height, and
    is at most the content width; the content column and the CSS keep the page within a
    1280 px window (headless Chromium screenshots checked the look)."""
    pytest.importorskip("matplotlib")
    page = _Images()
    page.feed((small.out / "report.html").read_text())
    assert len(page.images) == len(demo.PLOT_FILES)
    body_width = int(re.search(r"body\{[^}]*max-width:(\d+)px", page.style).group(1))
    assert body_width == demo.REPORT_WIDTH_PX <= 1280 - 2 * 16 * 2  # margins and padding
    assert re.search(r"img\{max-width:100%;height:auto\}", page.style)
    for img in page.images:
        path = small.out / img["src"]
        assert path.exists(), img["src"]
        width, height = demo._png_size(path)
        assert int(img["width"]) <= demo.REPORT_WIDTH_PX, img
        assert (int(img["width"]), int(img["height"])) == (width, height), img
        assert img["alt"]
    # the two plots of a model sit side by side: both fit the column together
    for slug in demo.MODEL_SLUGS:
        w = sum(demo._png_size(small.out / f"{k}_{slug}.png")[0] for k in ("confusion", "recall"))
        assert w <= demo.REPORT_WIDTH_PX, slug


def test_report_records_version_and_command(small):
    for text in ((small.out / "report.md").read_text(), (small.out / "report.html").read_text()):
        assert f"affectkit: <code>{ak.__version__}</code>" in text or f"affectkit: `{ak.__version__}`" in text
        assert f"affectkit demo --out {small.out} --n-items 100 --seed 0" in text
        assert "epochs=40" in text  # the Python call that reproduces a run the CLI cannot express


def test_figures_label_classes_and_use_count_scales():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    classes = ["neutral", "happy", "sad"]
    cm = np.array([[7, 1, 0], [2, 5, 1], [0, 0, 9]])
    fig = demo._confusion_figure(cm, classes, "m")
    ax, bar = fig.axes
    assert [t.get_text() for t in ax.get_xticklabels()] == classes
    assert [t.get_text() for t in ax.get_yticklabels()] == classes
    assert bar.get_ylim() == (0, 9) and bar.get_ylabel() == "items"  # counts, not 0-1
    assert all(float(t).is_integer() for t in bar.get_yticks())
    fig = demo._recall_figure({"neutral": 0.7, "happy": 1.0, "sad": 0.2}, classes, "m")
    ax = fig.axes[0]
    assert ax.get_legend() is None and fig.legends  # the chance label lies outside the axes
    fig = demo._annotator_figure(np.full((5, 3, 3), 1 / 3), classes, [f"a{i}" for i in range(5)])
    mats = [a for a in fig.axes if a.images]
    assert len(mats) == 5
    for a in mats:
        assert [t.get_text() for t in a.get_xticklabels()] == classes
    bar = next(a.images[0].colorbar for a in mats if a.images[0].colorbar is not None)
    assert bar.ax.get_ylabel() == "P(answer | true class)" and bar.ax.get_ylim() == (0, 1)
    assert fig.get_figwidth() * fig.dpi <= demo.REPORT_WIDTH_PX


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
    assert "[1/6]" in terminal.getvalue() and "training" in terminal.getvalue()
    assert r.plots_skipped and "matplotlib is not installed" in r.plots_skipped
    assert "pip install 'affectkit[report]'" in r.plots_skipped  # names the extra that brings it
    assert "Plots skipped: matplotlib is not installed" in (tmp_path / "report.md").read_text()
    assert "matplotlib is not installed" in (tmp_path / "report.html").read_text()
    assert "affectkit[report]" in (tmp_path / "report.html").read_text()
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


def test_rerun_without_plots_removes_the_old_plots(small, tmp_path, capsys):
    # on a copy: the other tests of the module-scoped report still read its plots
    import shutil

    out = tmp_path / "demo"
    shutil.copytree(small.out, out)
    assert list(out.glob("*.png"))
    assert main(["demo", "--out", str(out), "--n-items", "60", "--no-plots"]) == 0
    assert not list(out.glob("*.png"))
    assert list(small.out.glob("*.png"))
    assert "% correct" in capsys.readouterr().out   # annotators' measured accuracy


def test_readme_table_is_what_the_default_demo_prints(tmp_path):
    """The README's demo table (seed 0, default size) is re-run here: each UA within 2 points
    (Burn's CPU training may move the last digit with another thread count)."""
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ((?:audio|face|multimodal) [^|]*?) \| ([0-9.]+) \|", readme, flags=re.M))
    assert set(rows) == {"audio (eGeMAPS + MFCC)", "face (geometry)", "multimodal (late fusion)",
                         "multimodal (gated)"}, rows
    res = run_demo(tmp_path, seed=0, plots=False)
    for m in res.models:
        assert abs(100 * m["UA"] - float(rows[m["model"]])) <= 2.0, (m["model"], m["UA"], rows[m["model"]])
    # the conversation table: UA within 2 points, and context helps where the emotion persists
    talk = dict(re.findall(r"^\| ((?:utterance only|context \(GRU \+ party states\))) \| ([0-9.]+) \|", readme,
                           flags=re.M))
    assert [c["model"] for c in res.conversations] == list(talk), talk
    for c in res.conversations:
        assert abs(100 * c["UA"] - float(talk[c["model"]])) <= 2.0, (c["model"], c["UA"], talk[c["model"]])
    alone, context = res.conversations
    assert context["no_shift"] > alone["no_shift"] + 0.03, res.conversations
