import os
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import affectkit as ak  # noqa: E402
from signals import SYNTHETIC  # noqa: E402

DATA = Path(__file__).parent / "data"


def _speech():
    clips = {}
    for p in ak.datasets.sample_paths()[:3]:
        y, sr = ak.load(p)
        clips[p.stem] = (y.astype(np.float64), sr)
    for p in sorted(DATA.glob("cmu_*.wav")):
        y, sr = ak.load(p)
        clips[p.stem] = (y.astype(np.float64), sr)
    return clips


SPEECH = _speech()


def all_signals():
    """(name, float64 signal, sr): bundled real speech and the synthetic set."""
    out = [(name, y, sr) for name, (y, sr) in SPEECH.items()]
    out += [(name, f(), 16000) for name, f in SYNTHETIC.items()]
    return out


@pytest.fixture(params=all_signals(), ids=lambda s: s[0])
def signal(request):
    return request.param


# -- references: a missing one skips only its tests; CI requires those tests/requirements.txt lists --

from references import missing_required  # noqa: E402

REQUIRE_REFERENCES = os.environ.get("AFFECTKIT_REQUIRE_REFERENCES") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (REQUIRE_REFERENCES and report.skipped and not hasattr(report, "wasxfail")):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    module = missing_required(reason)
    if module is not None:
        report.outcome = "failed"
        report.longrepr = (f"AFFECTKIT_REQUIRE_REFERENCES=1: {item.nodeid} skipped because {module!r} is missing; "
                           f"it is listed in tests/requirements.txt (pip install -r tests/requirements.txt)")
