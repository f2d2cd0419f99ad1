"""Peak memory a call adds on a long recording already in memory (issue 15).

For each function, a fresh child process builds a long float32 signal at 16 kHz -- by
default real speech: the bundled CMU ARCTIC clips (tests/data) tiled end to end;
``--signal synthetic``: a harmonic voice with a moving F0, syllable-rate amplitude
modulation, pauses and a little noise -- then records its resident set size, resets the kernel's peak counter
(``/proc/self/clear_refs``; where that is not allowed, the peak before the call is
the baseline instead), runs the call once, and reads the peak resident set size
(``VmHWM``). The growth is compared with the budget of the issue: 1.5 x the output's
bytes plus 10 % of the input's bytes.

    python benches/python/memory_long_files.py                   # 60 min, the main table
    python benches/python/memory_long_files.py --minutes 10 30 60 --only pyin
    python benches/python/memory_long_files.py --minutes 5 --only voice_quality praat
    python benches/python/memory_long_files.py --minutes 10 --signal synthetic

Single thread (``AFFECTKIT_NUM_THREADS=1``). Prints a markdown table: minutes, function,
input MB, output MB, peak growth MB, budget MB, growth / input, and seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

FUNCTIONS = {
    "voice_quality": "ak.voice_quality(y, SR)",
    "praat": "ak.f0(y, SR, method='praat')",
    "egemaps": "ak.egemaps(y, SR)",
    "egemaps_lld": "ak.egemaps(y, SR, level='lld')",
    "pyin": "ak.f0(y, SR, method='pyin')",
    "yin": "ak.f0(y, SR, method='yin')",
    "mfcc": "ak.mfcc(y, SR)",
}

CHILD = r"""
import json, os, resource, sys, time
import numpy as np
import affectkit as ak

SR = 16000
minutes = float(sys.argv[1])
expr = sys.argv[2]
signal = sys.argv[3]
data = sys.argv[4]

def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    raise KeyError(key)

def speech_like(n, sr=SR, seed=0):
    # built in 10-second blocks into one float32 buffer: the signal's own peak stays small
    y = np.empty(n, np.float32)
    rng = np.random.default_rng(seed)
    block = 10 * sr
    phase = 0.0
    for start in range(0, n, block):
        m = min(block, n - start)
        t = (start + np.arange(m)) / sr
        f = 140 * 2 ** (0.25 * np.sin(2 * np.pi * 0.4 * t))
        ph = phase + 2 * np.pi * np.cumsum(f) / sr
        phase = float(ph[-1])
        voice = sum(np.sin(k * ph) / k for k in range(1, 12))
        env = np.clip(np.sin(2 * np.pi * 4 * t), 0, None) * (np.sin(2 * np.pi * 0.1 * t) > -0.3)
        y[start:start + m] = 0.1 * voice * env + 0.002 * rng.standard_normal(m)
    return y

def speech(n):
    # the bundled clips, tiled into one float32 buffer (no intermediate copies)
    clips = [ak.load(os.path.join(data, name), sr=SR)[0]
             for name in sorted(os.listdir(data)) if name.endswith(".wav")]
    tile = np.concatenate(clips)
    y = np.empty(n, np.float32)
    for start in range(0, n, len(tile)):
        m = min(len(tile), n - start)
        y[start:start + m] = tile[:m]
    return y

y = (speech if signal == "speech" else speech_like)(int(minutes * 60 * SR))
ak.f0(y[:SR], SR, method="praat"); ak.voice_quality(y[:SR], SR)   # warm-up: pools, plans
rss = status("VmRSS")
try:
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    base = rss
    reset = True
except OSError:
    base = status("VmHWM")
    reset = False
start = time.perf_counter()
out = eval(expr)
seconds = time.perf_counter() - start
peak = status("VmHWM")

def nbytes(o):
    if isinstance(o, np.ndarray):
        return o.nbytes
    if isinstance(o, dict):
        return sum(nbytes(v) for v in o.values())
    if isinstance(o, (list, tuple)):
        return sum(nbytes(v) for v in o)
    if hasattr(o, "to_numpy"):   # pandas
        return nbytes(o.to_numpy())
    slots = [k for c in type(o).__mro__ for k in getattr(c, "__slots__", ())]
    fields = getattr(o, "__dict__", None) or {k: getattr(o, k, None) for k in slots}
    if fields:
        return sum(nbytes(v) for v in fields.values())
    return 8
print(json.dumps(dict(input=y.nbytes, output=nbytes(out), growth=max(peak - base, 0), seconds=seconds,
                      reset=reset)))
"""


DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data")


def run(minutes: float, name: str, signal: str = "speech") -> dict:
    """Measures one call in a fresh child process: input/output bytes, peak growth, seconds."""
    env = dict(os.environ, AFFECTKIT_NUM_THREADS="1", OMP_NUM_THREADS="1")
    p = subprocess.run([sys.executable, "-c", CHILD, str(minutes), FUNCTIONS[name], signal, DATA],
                       env=env, capture_output=True, text=True)
    if p.returncode != 0:
        return dict(error=(p.stderr.strip().splitlines() or ["?"])[-1])
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, nargs="+", default=[60.0])
    ap.add_argument("--only", nargs="+", choices=sorted(FUNCTIONS), default=["voice_quality", "praat", "egemaps"])
    ap.add_argument("--signal", choices=["speech", "synthetic"], default="speech")
    a = ap.parse_args()
    mb = 1 << 20
    print("| minutes | call | input MB | output MB | peak growth MB | budget MB | growth / input | s |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for minutes in a.minutes:
        for name in a.only:
            r = run(minutes, name, a.signal)
            if "error" in r:
                print(f"| {minutes:g} | {FUNCTIONS[name]} | error: {r['error']} |||||")
                continue
            budget = 1.5 * r["output"] + 0.1 * r["input"]
            flag = "" if r["growth"] <= budget else " (over)"
            print(f"| {minutes:g} | `{FUNCTIONS[name]}` | {r['input'] / mb:.0f} | {r['output'] / mb:.1f} | "
                  f"{r['growth'] / mb:.0f}{flag} | {budget / mb:.0f} | {r['growth'] / r['input']:.2f} | "
                  f"{r['seconds']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
