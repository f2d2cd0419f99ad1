"""eGeMAPS speed side by side: ak.egemaps vs openSMILE's eGeMAPSv02 functionals (the
`opensmile` pip package), and the thread scaling of ak.egemaps_batch.

4-second clips at 16 kHz cut from the bundled LibriVox speech. Single thread on both
sides for the per-clip comparison (openSMILE runs one clip per call; affectkit one clip
at a time with AFFECTKIT_NUM_THREADS=1). The two are measured in alternating rounds in
the same process and the medians over rounds are reported. Scaling: egemaps_batch over
the clips repeated four times (44 clips: an even count, so two threads can split the work
evenly; with the 11 clips alone the best possible scaling would be 11/6 = 1.83x) with
n_jobs=1 and n_jobs=2, alternating (each timed call after a warm-up call with the same
n_jobs), median throughput.

    python benches/python/compare_egemaps.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
os.environ.setdefault("AFFECTKIT_NUM_THREADS", "1")

import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

SR = 16000
SECONDS = 4.0


def make_clips():
    import affectkit as ak

    n = int(SR * SECONDS)
    speech = np.concatenate([ak.load(p, sr=SR)[0] for p in ak.datasets.sample_paths()])
    return [speech[i:i + n].astype(np.float32) for i in range(0, len(speech) - n + 1, n // 2)]


def clips_per_second(fn, clips):
    start = time.perf_counter()
    for c in clips:
        fn(c)
    return len(clips) / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    import opensmile

    import affectkit as ak

    clips = make_clips()
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.Functionals)
    peer = lambda y: smile.process_signal(y, SR)  # noqa: E731
    ours = lambda y: ak.egemaps(y, SR)  # noqa: E731
    peer(clips[0]), ours(clips[0])  # warm-up
    p_rates, o_rates = [], []
    for _ in range(args.rounds):
        p_rates.append(clips_per_second(peer, clips))
        o_rates.append(clips_per_second(ours, clips))
    p, o = np.median(p_rates), np.median(o_rates)
    s1, s2 = [], []
    batch = clips * 4
    for _ in range(args.rounds):
        for n_jobs, acc in ((1, s1), (2, s2)):
            # warm the pool of this size first (its threads' first allocations fault in
            # fresh pages), as a program that keeps one n_jobs would have it
            ak.egemaps_batch(clips[:4], SR, n_jobs=n_jobs)
            start = time.perf_counter()
            ak.egemaps_batch(batch, SR, n_jobs=n_jobs)
            acc.append(len(batch) / (time.perf_counter() - start))
    b1, b2 = np.median(s1), np.median(s2)
    print(f"{len(clips)} clips of {SECONDS:g} s at {SR} Hz, {args.rounds} alternating rounds, medians\n")
    print("| eGeMAPSv02 functionals | clips/s | ratio |")
    print("|---|---|---|")
    print(f"| opensmile 2.6 `process_signal` (1 thread) | {p:.1f} | 1.0x |")
    print(f"| ak.egemaps (1 thread) | {o:.1f} | {o / p:.1f}x |")
    print(f"| ak.egemaps_batch n_jobs=1 ({len(batch)} clips) | {b1:.1f} | {b1 / p:.1f}x |")
    print(f"| ak.egemaps_batch n_jobs=2 ({len(batch)} clips) | {b2:.1f} | {b2 / p:.1f}x (scaling {b2 / b1:.2f}x) |")


if __name__ == "__main__":
    main()
