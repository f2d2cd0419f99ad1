"""How fast Ctrl-C stops each long call (issue 15, observation 7).

For every workload of tests/test_cancel.py: the delay from SIGINT (sent one second into
the call) to the KeyboardInterrupt, median of ``--repeat`` runs, and how long the call
runs uninterrupted (capped at ``--cap`` seconds: ">= cap" means it was still running).

    python benches/python/cancel_delays.py [--repeat 3] [--cap 30] [--only praat_f0 ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests"))
from test_cancel import CASES, CHILD, interrupt  # noqa: E402


def uninterrupted(name: str, cap: float) -> str:
    setup, call, short = CASES[name]
    code = CHILD.format(setup=setup, call=call, short=short)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        p.stdout.readline()  # ready
        t0 = time.perf_counter()
        try:
            out, _ = p.communicate(timeout=cap)
        except subprocess.TimeoutExpired:
            return f">= {cap:.0f}"
        return f"{time.perf_counter() - t0:.1f} ({out.strip()})"
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cap", type=float, default=30.0)
    ap.add_argument("--only", nargs="+", choices=sorted(CASES), default=sorted(CASES))
    a = ap.parse_args()
    print("| call | delay after SIGINT, median (min..max) s | uninterrupted s |")
    print("|---|---:|---:|")
    for name in a.only:
        delays = []
        for _ in range(a.repeat):
            d, out, err, rc = interrupt(name)
            if not out.startswith("interrupted"):
                delays = None
                print(f"| {name} | not interrupted: {out.strip()[:60]} {err.strip()[-120:]} | |", flush=True)
                break
            delays.append(d)
        if delays is None:
            continue
        full = uninterrupted(name, a.cap)
        print(f"| `{CASES[name][1]}` | {statistics.median(delays):.2f} ({min(delays):.2f}..{max(delays):.2f}) | {full} |",
              flush=True)


if __name__ == "__main__":
    main()
