"""Long recordings stream (issue 15): the peak memory a call adds stays near its output.

Each measurement runs in a fresh child process (``benches/python/memory_long_files.py``,
the benchmark behind the README's memory table): a 5-minute float32 recording of real
speech (the bundled clips tiled) is built, the kernel's peak-RSS counter is reset, the call
runs once, and the peak growth is read back. tracemalloc would not see the Rust
allocations; RSS does.

Before the streaming change (main at 2745aff, measured with this benchmark on 10 minutes)
the same calls added 4.5x (Praat F0), 6.5x (voice_quality) and 13.3x (eGeMAPS) the input's
bytes, far above every bound asserted here.
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


@pytest.mark.parametrize("name", ["praat", "voice_quality"])
def test_praat_pitch_and_voice_quality_stay_within_the_issue_budget(name):
    # The issue's budget: 1.5 x the output plus 10 % of the input (plus 4 MB of slack for
    # allocator granularity on a 5-minute input: ~18 MB of float32).
    r = _measure(name)
    budget = 1.5 * r["output"] + 0.1 * r["input"] + 4 * MB
    assert r["growth"] <= budget, (
        f"{name} added {r['growth'] / MB:.1f} MB on a {r['input'] / MB:.1f} MB input "
        f"(output {r['output'] / MB:.1f} MB, budget {budget / MB:.1f} MB)"
    )


def test_egemaps_keeps_compact_rows_not_spectra_or_copies():
    # eGeMAPS keeps its per-frame rows for the whole clip (the pitch Viterbi, smoothing and
    # the percentiles need the whole contour): about 1.2 kB per 10 ms frame with the
    # int16 copy of the clip openSMILE's quantisation reads; before, it kept every 60 ms
    # spectrum (4 kB a frame) and two float64 copies of the clip (13x the input).
    r = _measure("egemaps")
    assert r["growth"] <= 1.5 * r["input"], (
        f"egemaps added {r['growth'] / MB:.1f} MB on a {r['input'] / MB:.1f} MB input"
    )
