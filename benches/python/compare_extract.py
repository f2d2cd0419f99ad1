"""Feature tables from files side by side: ak.features.extract vs the peers' usual loop.

A folder of 4-second WAV files (16 kHz, cut from the bundled LibriVox speech) becomes one
row per file:

- eGeMAPS: ``opensmile.Smile(eGeMAPSv02, Functionals).process_files(paths)`` vs
  ``ak.features.extract(paths, "egemaps")``;
- MFCC mean/std: ``librosa.load(path, sr=16000)`` + ``librosa.feature.mfcc`` + mean/std per
  file (a pandas table) vs ``ak.features.extract(paths, "mfcc")`` (librosa preset).

Both sides read the files themselves. affectkit with ``n_jobs=1`` (one thread) and
``n_jobs=2``; the peers are single-threaded. Rounds alternate peer and ours in one
process; medians of files/s are printed, with the largest difference between the two
tables (parity).

    chrt -f 1 python benches/python/compare_extract.py [--rounds 5] [--files 40]
"""

from __future__ import annotations

import argparse
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

SR = 16000
SECONDS = 4.0


def write_files(folder: Path, n_files: int) -> "list[str]":
    import soundfile as sf

    import affectkit as ak

    speech = np.concatenate([ak.load(p, sr=SR)[0] for p in ak.datasets.sample_paths()])
    n = int(SR * SECONDS)
    starts = list(range(0, len(speech) - n + 1, n // 4))
    paths = []
    for k in range(n_files):
        s = starts[k % len(starts)]
        p = folder / f"clip{k:03d}.wav"
        sf.write(p, speech[s:s + n], SR, subtype="PCM_16")
        paths.append(str(p))
    return paths


def rate(fn, n: int) -> "tuple[float, object]":
    start = time.perf_counter()
    out = fn()
    return n / (time.perf_counter() - start), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--files", type=int, default=40)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    import librosa
    import opensmile
    import pandas as pd

    import affectkit as ak

    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.Functionals)

    def librosa_table(paths):
        rows = []
        for p in paths:
            y, _ = librosa.load(p, sr=SR)
            m = librosa.feature.mfcc(y=y, sr=SR).T
            rows.append(np.concatenate([m.mean(0), m.std(0)]))
        return pd.DataFrame(rows, index=[Path(p).stem for p in paths])

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_files(Path(tmp), args.files)
        cases = {
            "egemaps": [("opensmile 2.6 `process_files`", lambda: smile.process_files(paths)),
                        ("ak.features.extract n_jobs=1", lambda: ak.features.extract(paths, "egemaps", n_jobs=1)),
                        ("ak.features.extract n_jobs=2", lambda: ak.features.extract(paths, "egemaps", n_jobs=2))],
            "mfcc": [("librosa 0.11 load + mfcc + mean/std", lambda: librosa_table(paths)),
                     ("ak.features.extract n_jobs=1", lambda: ak.features.extract(paths, "mfcc", n_jobs=1)),
                     ("ak.features.extract n_jobs=2", lambda: ak.features.extract(paths, "mfcc", n_jobs=2))],
        }
        for rows in cases.values():
            for _, fn in rows:
                fn()  # warm-up (librosa's numba compilation, file cache)
        rates = {(c, k): [] for c, rows in cases.items() for k in range(len(rows))}
        last = {}
        for _ in range(args.rounds):
            for c, rows in cases.items():
                for k, (_, fn) in enumerate(rows):
                    r, out = rate(fn, len(paths))
                    rates[(c, k)].append(r)
                    last[(c, k)] = out
        peer_e = last[("egemaps", 0)].to_numpy(float)
        ours_e = last[("egemaps", 1)].iloc[:, 2:].to_numpy(float)
        peer_m = last[("mfcc", 0)].to_numpy(float)
        ours_m = last[("mfcc", 1)].iloc[:, 2:].to_numpy(float)
        print(f"{len(paths)} WAV files of {SECONDS:g} s at {SR} Hz, {args.rounds} alternating rounds, medians\n")
        print("| table | tool | files/s | ratio |")
        print("|---|---|---|---|")
        for c, rows in cases.items():
            base = np.median(rates[(c, 0)])
            for k, (name, _) in enumerate(rows):
                r = np.median(rates[(c, k)])
                print(f"| {c} | {name} | {r:.1f} | {r / base:.1f}x |")
        mfcc_diff = np.max(np.abs(peer_m - ours_m))
        print(f"\nMFCC mean/std table: max |librosa - affectkit| = {mfcc_diff:.2e} "
              f"(values up to {np.max(np.abs(peer_m)):.0f})")
        rel = np.abs(peer_e - ours_e) / np.maximum(np.abs(peer_e), 1e-9)
        print(f"eGeMAPS table: median relative difference to openSMILE over all 88 x {len(paths)} values "
              f"{np.nanmedian(rel):.3f} (the eGeMAPS section details per-feature parity)")


if __name__ == "__main__":
    main()
