"""Writes tests/data/peaks2/peaks2.json: openSMILE's ``Peaks2`` functional (the eGeMAPS F0
and loudness slope options) on constructed contours, the fixture of the Rust tests of
``functionals::peak_turning_points`` / ``peak_slopes`` (src/functionals.rs).

Black-box probing of the ``opensmile`` pip package (2.6), no openSMILE source: a standalone
configuration reads a contour from a CSV file (``cCsvSource``, one value per 10 ms frame)
into a ``cFunctionals`` with the options of ``GeMAPSv01b_core.func.conf.inc``
(``Peaks2``: numPeaks, mean/stddev rising and falling slopes, ``norm seconds``,
``relThresh 0.1``, ``nonZeroFuncts 1``); its documented ``Peaks2.posDbgOutp`` option writes
the turning points it kept (``XXXX_MAX: x=<index into the non-zero values> y=<value>``).

Contours: the designed probes the rule was found with (start value, first peak or valley,
replacement by a higher peak, factor 1.05, the reference moved by a far valley), then
seeded random ones: smoothed semitone F0 contours with unvoiced gaps (zeros, dropped and
joined by ``nonZeroFuncts``) and octave jumps, random walks, loudness-like contours, noisy
sines, and contours with plateaus. Run from the repository root:

    python tests/make_peaks2_fixtures.py
"""

import json
import os
import re
import tempfile
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[1]
OUT = ROOT / "tests" / "data" / "peaks2" / "peaks2.json"

CONF = """
[componentInstances:cComponentManager]
instance[dataMemory].type=cDataMemory
instance[csvsrc].type=cCsvSource
instance[func].type=cFunctionals
\\{{{shared}/standard_external_wave_input.conf.inc}}
\\{{{shared}/standard_external_data_output_single.conf.inc}}

[csvsrc:cCsvSource]
writer.dmLevel = contour
writer.levelconf.growDyn = 1
writer.levelconf.isRb = 0
filename = {csv}
delimChar = ,
header = yes
start = 0
period = 0.01

[func:cFunctionals]
reader.dmLevel = contour
writer.dmLevel = func
copyInputName = 1
frameMode = full
frameSize = 0
frameStep = 0
frameCenterSpecial = left
functionalsEnabled = Peaks2
Peaks2.numPeaks = 1
Peaks2.meanRisingSlope = 1
Peaks2.stddevRisingSlope = 1
Peaks2.meanFallingSlope = 1
Peaks2.stddevFallingSlope = 1
Peaks2.norm = seconds
Peaks2.relThresh = 0.100000
Peaks2.dynRelThresh = 0
Peaks2.doRatioLimit = 0
Peaks2.posDbgOutp = {dbg}
Peaks2.posDbgAppend = 0
nonZeroFuncts = 1
masterTimeNorm = segment
"""


def peaks2(x):
    """openSMILE's kept turning points [(index into the non-zero values, is_peak)] and its
    [numPeaks, meanRisingSlope, stddevRisingSlope, meanFallingSlope, stddevFallingSlope]."""
    import opensmile

    shared = os.path.join(os.path.dirname(opensmile.__file__), "core", "config", "shared")
    with tempfile.TemporaryDirectory() as d:
        csv, dbg, conf = (os.path.join(d, f) for f in ("c.csv", "dbg.txt", "p.conf"))
        with open(csv, "w") as f:
            f.write("F0\n" + "".join(f"{float(v)!r}\n" for v in x))
        with open(conf, "w") as f:
            f.write(CONF.format(shared=shared, csv=csv, dbg=dbg))
        row = opensmile.Smile(feature_set=conf, feature_level="func").process_signal(
            np.zeros(1600, np.float32), 16000)
        points = []
        if os.path.exists(dbg):
            for line in open(dbg):
                m = re.match(r"XXXX_(MAX|MIN): x=(\d+) y=", line)
                if m:
                    points.append([int(m.group(2)), m.group(1) == "MAX"])
    return points, [float(v) for v in row.values[0]]


def smoothed_semitones(rng):
    """A 3-frame (zeros left out) smoothed semitone F0 contour with gaps and octave jumps,
    rounded to float32 like openSMILE's levels."""
    n = int(rng.integers(20, 200))
    f = np.zeros(n)
    i = int(rng.integers(0, 10))
    while i < n:
        run = int(rng.integers(3, 40))
        seg = rng.uniform(80, 300) * np.exp(np.cumsum(rng.normal(0, rng.uniform(0.005, 0.04), run)))
        if rng.random() < 0.3:
            seg[int(rng.integers(0, run))] *= rng.choice([0.5, 2.0])
        f[i:i + run] = seg[:max(0, min(run, n - i))]
        i += run + int(rng.integers(1, 25))
    st = np.where(f > 0, 12 * np.log2(np.maximum(f, 1e-9) / 27.5), 0.0)
    out = np.zeros(n)
    for t in range(n):
        if st[t] != 0:
            w = [st[j] for j in (t - 1, t, t + 1) if 0 <= j < n and st[j] != 0]
            out[t] = sum(w) / len(w)
    return np.float32(out).astype(float)


def random_contour(rng, kind):
    n = int(rng.integers(5, 70))
    if kind == "walk":
        return np.round(25 + np.cumsum(rng.normal(0, 1, n)), 3)
    if kind == "loudness":
        return np.round(np.abs(1 + np.cumsum(rng.normal(0, 0.2, n))), 3) + 0.01
    if kind == "sine":
        t = np.arange(n)
        return np.round(30 + 3 * np.sin(t / rng.uniform(2, 8)) + rng.normal(0, 0.3, n), 2)
    # plateaus: a walk with repeated values
    x = np.round(np.cumsum(rng.normal(0, 1, n)), 1) + 50
    for i in range(1, n):
        if rng.random() < 0.3:
            x[i] = x[i - 1]
    return x


def designed():
    """The probes the rule was read from (th = 10 where a tail [.., 1, 3, 101, 50, 50]
    fixes the range to 1..101)."""
    tail = [20, 1, 3, 101, 50, 50]
    cases = []
    # a first peak at index 2 is kept when |peak - x[0]| >= th, above or below x[0]
    for x0 in (30.0, 50.0, 55.0, 70.0, 90.0):
        for h in (0.5, 9.5, 10.5, 20.0):
            cases.append([x0, 50.0, 50.0 + h, 45.0, 40.0] + tail)
    # a first valley is kept only when it lies th below x[0]
    for x0 in (30.0, 50.0, 70.0, 90.0):
        for h in (0.5, 9.5, 10.5, 20.0):
            cases.append([x0, 70.0, 70.0 - h, 71.0, 75.0, 80.0, 99.0] + tail)
    # a higher peak replaces the kept one: factor 1.05 or th above the valley between
    for p1, d in ((80.0, 75.0), (40.0, 35.0), (80.0, 72.0), (80.0, 70.5)):
        for p2 in (p1 + 1.0, p1 + 2.5, p1 + 4.1, p1 + 6.0, d + 10.0, d + 11.0):
            if p2 > d:
                cases.append([30.0, 30.0, p1, d, p2] + tail)
    # a far valley candidate (>= th above the kept valley) becomes the peaks' reference
    for v in (45.0, 52.0, 55.0, 60.6):
        cases.append([50.0, 50.0, 1.0, 60.0, 61.6, 61.5, v, 62.1, 60.6, 59.0, 30.0, 20.0, 25.0, 101.0, 50.0, 50.0])
    # a peak after a kept valley, a passed-over peak and a higher valley candidate
    for p in (50.5, 51.0, 52.5, 54.0):
        cases.append([50.0, 50.0, 90.0, 40.0, 45.0, 43.0, p, 20.0, 1.0, 3.0, 101.0, 50.0, 50.0])
    # after a passed-over peak at the start the first peak must also be 1.05 x[0]
    for s in (-25.0, -18.0, 0.0, 30.0):
        cases.append([v + s for v in (36.85, 36.943, 37.333, 37.332, 37.467, 37.482, 37.553, 37.602,
                                      37.752, 37.655, 37.511, 37.195, 36.973, 36.764, 36.644,
                                      30.541, 30.56, 34.61)])
    return cases


def main():
    warnings.simplefilter("ignore")
    rng = np.random.default_rng(20261207)
    groups = {"designed": designed(),
              "f0": [smoothed_semitones(rng) for _ in range(150)],
              "walk": [random_contour(rng, "walk") for _ in range(40)],
              "loudness": [random_contour(rng, "loudness") for _ in range(40)],
              "sine": [random_contour(rng, "sine") for _ in range(40)],
              "plateaus": [random_contour(rng, "plateaus") for _ in range(40)]}
    out = {"opensmile": __import__("opensmile").__version__, "frame_rate": 100.0,
           "rel_threshold": 0.1, "columns": ["numPeaks", "meanRisingSlope", "stddevRisingSlope",
                                             "meanFallingSlope", "stddevFallingSlope"],
           "groups": {}}
    for name, contours in groups.items():
        rows = []
        for x in contours:
            x = [float(v) for v in x]
            if sum(v != 0 for v in x) < 2:
                continue
            points, values = peaks2(x)
            rows.append({"x": x, "points": points, "values": values})
        out["groups"][name] = rows
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, separators=(",", ":")))
    print(OUT, {k: len(v) for k, v in out["groups"].items()})


if __name__ == "__main__":
    main()
