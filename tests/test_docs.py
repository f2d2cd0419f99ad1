"""Every ```python block of README.md and docs/*.md runs as a reader would run it.

Convention (the one the pages are written to):

- The blocks of one page run in order in ONE fresh namespace, as when a reader pastes them
  one after another into a new Python session. A page's blocks may build on the earlier
  blocks of the same page, never on another page, and every name a block uses is imported
  or defined on its page (``import affectkit as ak`` included).
- The working folder is a temporary folder holding the files the pages name, made from
  the bundled recordings and the synthetic corpus: ``clip.flac`` and ``clip.wav`` (a
  bundled LibriVox reading, 16 kHz), ``manifest.csv`` (12 synthetic clips with their WAVs,
  ``ak.datasets.make_acted_corpus``) and ``video.csv`` (an OpenFace 2.x FeatureExtraction
  CSV of a synthetic face). Anything a block writes stays in that folder.
- An HTML comment on the line before a block (blank lines between are allowed) marks the
  few blocks that cannot run here:

  ``<!-- skip-test: reason -->``
      never run (e.g. it needs a real corpus on disk); ``test_marked_block`` reports
      it as skipped with the reason, so ``pytest -ra`` lists every such block.
  ``<!-- needs: module -->`` (or ``needs: torch, transformers``)
      run only when every module named imports (optional extras such as torch or ray);
      skipped, with the modules named, when one does not.

  A block that the page's later blocks build on must not be marked.

A block that raises fails the page's test with the page, the block's line and the
exception; ``test_a_broken_block_fails`` checks that the runner does fail.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import traceback
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

import numpy as np
import pytest

import affectkit as ak

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))

_FENCE = re.compile(r"^(\s*)```(\S*)\s*$")
_MARKER = re.compile(r"^\s*<!--\s*(skip-test|needs)\s*:\s*(.*?)\s*-->\s*$")


@dataclass
class Block:
    page: str
    line: int  # 1-based line of the opening fence
    code: str
    skip: Optional[str] = None  # reason, for <!-- skip-test: ... -->
    needs: Optional[str] = None  # module, for <!-- needs: ... -->

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


def python_blocks(text: str, page: str) -> List[Block]:
    """The ```python blocks of a markdown text, with the marker before each."""
    lines = text.split("\n")
    blocks: List[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang = m.group(1), m.group(2)
        j = i + 1
        while j < len(lines) and not _FENCE.match(lines[j]):
            j += 1
        if j == len(lines):
            raise AssertionError(f"{page}:{i + 1}: code fence is never closed")
        if lang in ("python", "py"):
            body = [ln[len(indent):] if ln.startswith(indent) else ln for ln in lines[i + 1:j]]
            block = Block(page, i + 1, "\n".join(body))
            k = i - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            marker = _MARKER.match(lines[k]) if k >= 0 else None
            if marker:
                kind, value = marker.groups()
                if not value:
                    raise AssertionError(f"{page}:{k + 1}: <!-- {kind}: --> needs a reason or a module name")
                if kind == "skip-test":
                    block.skip = value
                else:
                    block.needs = value
            blocks.append(block)
        i = j + 1
    return blocks


def _stray_markers(text: str) -> List[int]:
    """Lines of markers that are not followed by a python block (a typo would else skip nothing)."""
    lines = text.split("\n")
    out = []
    for k, ln in enumerate(lines):
        if _MARKER.match(ln):
            j = k + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            m = _FENCE.match(lines[j]) if j < len(lines) else None
            if not (m and m.group(2) in ("python", "py")):
                out.append(k + 1)
    return out


def _importable(modules: str) -> bool:
    """Whether every module of a ``needs:`` marker (comma-separated) imports."""
    for module in modules.split(","):
        try:
            importlib.import_module(module.strip())
        except ImportError:
            return False
    return True


def run_blocks(blocks: List[Block], folder: Path, namespace: Optional[dict] = None) -> List[Block]:
    """Run the runnable blocks in order in one namespace (a fresh one unless given) with
    ``folder`` as the working folder; raise AssertionError naming the block that fails.
    Returns the blocks not run."""
    if namespace is None:
        namespace = {}
    namespace.setdefault("__name__", "__main__")
    not_run = []
    old = os.getcwd()
    os.chdir(folder)
    try:
        for b in blocks:
            if b.skip is not None or (b.needs is not None and not _importable(b.needs)):
                not_run.append(b)
                continue
            try:
                code = compile(b.code, b.where, "exec")
                exec(code, namespace)
            except Exception as e:  # noqa: BLE001 - the test reports any failure with its block
                tb = "".join(traceback.format_exception(type(e), e, e.__traceback__)[-6:])
                raise AssertionError(f"{b.where}: the block raised {type(e).__name__}: {e}\n{tb}") from e
    finally:
        os.chdir(old)
    return not_run


# ------------------------------------------------------------------ fixtures


def _write_wav(path: Path, y: np.ndarray, sr: int) -> None:
    pcm = np.clip(np.round(np.asarray(y, dtype=np.float64) * 32768.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())


def _write_openface(path: Path, landmarks: np.ndarray, fps: float) -> None:
    """An OpenFace 2.x FeatureExtraction CSV (its column names, ", " separators) for
    ``landmarks`` ``(n, 68, 2)``, with a head pose and two action units."""
    n = landmarks.shape[0]
    header = ["frame", "face_id", "timestamp", "confidence", "success",
              "pose_Tx", "pose_Ty", "pose_Tz", "pose_Rx", "pose_Ry", "pose_Rz"]
    header += [f"x_{i}" for i in range(68)] + [f"y_{i}" for i in range(68)]
    header += ["AU06_r", "AU12_r", "AU06_c", "AU12_c"]
    rows = []
    for t in range(n):
        ok = t != 3  # one frame where the tracker lost the face
        vals = [t + 1, 0, round(t / fps, 3), 0.98 if ok else 0.0, int(ok), 10.0, -5.0, 600.0, 0.05, -0.1, 0.02]
        vals += list(landmarks[t, :, 0]) + list(landmarks[t, :, 1])
        vals += [1.2, 2.5, 1.0, 1.0]
        if not ok:
            vals[5:] = [0.0] * (len(vals) - 5)
        rows.append(", ".join(str(v) if isinstance(v, int) else f"{float(v):.3f}" for v in vals))
    path.write_text(", ".join(header) + "\n" + "\n".join(rows) + "\n")


@pytest.fixture(scope="module")
def doc_files(tmp_path_factory):
    """The files the pages name (see the module docstring)."""
    d = tmp_path_factory.mktemp("doc_files")
    sample = ak.datasets.sample_paths()[0]
    shutil.copy(sample, d / "clip.flac")
    y, sr = ak.load(sample)
    _write_wav(d / "clip.wav", y, sr)
    ds = ak.datasets.make_acted_corpus(12, n_speakers=4, duration=1.0, seed=0)
    ds.save(d / "corpus_files")
    shutil.copy(d / "corpus_files" / "manifest.csv", d / "manifest.csv")
    _write_openface(d / "video.csv", ds.landmarks[0], ds.fps)
    return d


def _page_blocks():
    out = []
    for p in PAGES:
        out += python_blocks(p.read_text(encoding="utf-8"), p.relative_to(ROOT).as_posix())
    return out


ALL_BLOCKS = _page_blocks()


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize("page", [p.relative_to(ROOT).as_posix() for p in PAGES])
def test_page_blocks_run(page, doc_files, tmp_path, monkeypatch):
    blocks = [b for b in ALL_BLOCKS if b.page == page]
    if not blocks:
        pytest.skip(f"{page} has no python block")
    folder = tmp_path / "work"
    shutil.copytree(doc_files, folder)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # Path.home() / ".cache/..." stays in the test's folder
    namespace: dict = {}
    try:
        run_blocks(blocks, folder, namespace)
    finally:
        # a page may start a Dask cluster; stop it with its worker processes
        for value in list(namespace.values()):
            if type(value).__module__.split(".")[0] == "distributed" and hasattr(value, "close"):
                cluster = getattr(value, "cluster", None)  # Client(LocalCluster(...)) does not own its cluster
                value.close()
                if cluster is not None:
                    cluster.close()


@pytest.mark.parametrize("block", [b for b in ALL_BLOCKS if b.skip or b.needs], ids=lambda b: b.where)
def test_marked_block(block):
    """Lists every block the page tests leave out, and why."""
    if block.skip:
        pytest.skip(f"{block.where}: {block.skip}")
    if not _importable(block.needs):
        pytest.skip(f"{block.where}: needs {block.needs}, which is not installed")
    # importable: the page test ran it


def test_markers_sit_before_python_blocks():
    for p in PAGES:
        assert _stray_markers(p.read_text(encoding="utf-8")) == [], p


def test_few_blocks_are_skipped():
    skipped = [b.where for b in ALL_BLOCKS if b.skip]
    # each needs a real corpus on disk; keep this list short and the reasons in the pages
    assert len(skipped) <= 4, skipped
    assert len(ALL_BLOCKS) >= 15


def test_a_broken_block_fails(tmp_path):
    page = "intro\n\n```python\nimport affectkit as ak\nx = 1\n```\n\ntext\n\n```python\ny = x + undefined_name\n```\n"
    blocks = python_blocks(page, "broken.md")
    assert [b.line for b in blocks] == [3, 10]
    with pytest.raises(AssertionError, match=r"broken\.md:10: the block raised NameError"):
        run_blocks(blocks, tmp_path)
    # the namespace is shared within a page and the markers are honoured
    page = ("```python\nv = 2\n```\n<!-- skip-test: needs a corpus -->\n```python\nraise SystemError\n```\n"
            "<!-- needs: a_module_that_does_not_exist -->\n\n```python\nraise SystemError\n```\n"
            "```python\nassert v == 2\n```\n")
    blocks = python_blocks(page, "ok.md")
    assert [b.skip for b in blocks] == [None, "needs a corpus", None, None]
    assert blocks[2].needs == "a_module_that_does_not_exist"
    assert run_blocks(blocks, tmp_path) == blocks[1:3]
    with pytest.raises(AssertionError, match="never closed"):
        python_blocks("```python\nx = 1\n", "open.md")
    assert _stray_markers("<!-- skip-test: why -->\n\nsome text\n") == [1]


def _package_modules():
    import pkgutil

    # every module of every subpackage (affectkit.audio.praat, affectkit.labels.latent, ...)
    return sorted(m.name for m in pkgutil.walk_packages(ak.__path__, "affectkit.") if not m.name.endswith("__main__"))


@pytest.mark.parametrize("modname", _package_modules())
def test_docstring_examples_run(modname, tmp_path, monkeypatch):
    """The ``>>>`` examples of every module's docstrings (run in an empty folder)."""
    import doctest

    try:
        mod = importlib.import_module(modname)
    except ImportError as e:  # an optional extra (torch) that is not installed
        pytest.skip(f"{modname}: {e}")
    monkeypatch.chdir(tmp_path)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{modname}: {result.failed} of {result.attempted} examples failed (output above)"
