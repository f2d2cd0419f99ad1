"""Every script in examples/ runs as a user runs it (a fresh interpreter or bash, no
arguments, its own working folder) and prints what its docstring promises."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
_HAS_TORCH = importlib.util.find_spec("torch") is not None
# what each example must print: a line only a successful run reaches
EXPECTED = {
    "speech_features.py": "eGeMAPS: 88 functionals",
    "label_fusion.py": "Dawid-Skene's estimate of each annotator's accuracy",
    "face_geometry.py": "head pose of the first clip",
    "sklearn_pipeline.py": "speaker-independent UA over 3 folds",
    "pytorch_training.py": "held-out speakers: UA" if _HAS_TORCH else "torch is not installed",
    "dask_extract.py": "equal to the local table: True",
    "cli_walkthrough.sh": "confusion (rows: truth, columns: predicted)",
}


def test_every_example_is_covered():
    assert sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".py", ".sh")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name, tmp_path):
    if name == "dask_extract.py":
        pytest.importorskip("dask.distributed")
    env = dict(os.environ, MPLBACKEND="Agg")
    # the examples' own commands (python, affectkit) are those of this interpreter
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    cmd = ["bash", str(EXAMPLES / name)] if name.endswith(".sh") else [sys.executable, str(EXAMPLES / name)]
    r = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-3000:]
    assert EXPECTED[name] in r.stdout, r.stdout[-3000:]
