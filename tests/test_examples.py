"""Every script in examples/ runs as a user runs it (a fresh interpreter, no arguments)
and prints what its docstring promises."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# what each example must print (a line or phrase that only a successful run reaches)
EXPECTED = {
    "speech_features.py": "eGeMAPS: 88 functionals",
    "label_fusion.py": "Dawid-Skene's estimate of each annotator's accuracy",
}


def test_every_example_is_covered():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name, tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, str(EXAMPLES / name)], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert EXPECTED[name] in r.stdout, r.stdout[-3000:]
