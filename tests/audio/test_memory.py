"""Long recordings stream (issue 15): the peak memory a call adds stays near its output.

Each measurement runs in a fresh child process (``benches/python/memory_long_files.py``,
the benchmark behind the README's memory table): a 5-minute float32 recording of real
speech (the bundled clips tiled) is built, the kernel's peak-RSS counter is reset, the call
runs once, and the peak growth is read back. tracemalloc would not see the Rust
allocations; RSS does.

Before the streaming change (main at 2745aff, measured with this benchmark on 10 minutes)
the same calls added 4.5x (Praat F0), 6.5x (voice_quality) and 13.3x (eGeMAPS) the input's
bytes, far above every bound asserted here; eGeMAPS still added 1.4x before it streamed
(89aca62: an int16 copy of the clip and every frame's rows).
"""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

BENCH = os.path.join(os.path.dirname(__file__), "..", "..", "benches", "python", "memory_long_files.py")
MB = 1 << 20


def _bench():
    spec = importlib.util.spec_from_file_location("memory_long_files", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _measure(name: str, minutes: float = 5.0) -> dict:
    if not sys.platform.startswith("linux"):
        pytest.skip("reads the peak RSS from /proc/self/status (Linux)")
    r = _bench().run(minutes, name)
    assert "error" not in r, r
    if not r["reset"]:
        pytest.skip("the kernel did not let the child reset its peak-RSS counter")
    return r


@pytest.mark.parametrize("name", ["praat", "voice_quality", "egemaps", "egemaps_lld"])
def test_long_recordings_stay_within_the_issue_budget(name):
    # The issue's budget: 1.5 x the output plus 10 % of the input (plus 4 MB of slack for
    # allocator granularity on a 5-minute input: ~18 MB of float32). eGeMAPS reads the
    # 16 kHz input in place and decodes the pitch as frames arrive: the functionals keep
    # two float64 contours (loudness, voiced F0), the LLDs only their output rows.
    r = _measure(name)
    budget = 1.5 * r["output"] + 0.1 * r["input"] + 4 * MB
    assert r["growth"] <= budget, (
        f"{name} added {r['growth'] / MB:.1f} MB on a {r['input'] / MB:.1f} MB input "
        f"(output {r['output'] / MB:.1f} MB, budget {budget / MB:.1f} MB)"
    )
