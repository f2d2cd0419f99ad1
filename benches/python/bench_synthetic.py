"""Time to generate the synthetic acted corpus (600 items of 1.5-3 s: audio at 16 kHz,
landmarks at 30 fps, 5 annotators) with 1 and 2 threads, interleaved, 5 repeats, and the
audio seconds generated per wall-clock second. There is no peer library to compare with.

    chrt -f 1 python benches/python/bench_synthetic.py [n_items]
"""

import sys
import time

import numpy as np

import affectkit as ak


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 600
    times = {1: [], 2: []}
    audio_s = 0.0
    for _ in range(5):
        for jobs in times:
            t = time.perf_counter()
            ds = ak.datasets.make_acted_corpus(n, n_jobs=jobs)
            times[jobs].append(time.perf_counter() - t)
            audio_s = sum(len(y) for y in ds.audio) / ds.sr
    for jobs, ts in times.items():
        med = float(np.median(ts))
        print(f"n_jobs={jobs}: median {med:.2f} s for {n} items ({audio_s:.0f} s of audio, "
              f"{audio_s / med:.0f}x real time)  runs {[round(x, 2) for x in ts]}")


if __name__ == "__main__":
    main()
