"""A PyTorch DataLoader epoch side by side: ak.torch.FeatureDataset vs a librosa Dataset.

160 WAV files of 4 s at 16 kHz (cut from the bundled speech). Both datasets read each file
and return its MFCC frames as a float32 tensor (librosa 0.11 defaults on both sides:
``librosa.load(sr=16000)`` + ``librosa.feature.mfcc`` vs ``FeatureDataset(man, "mfcc")``);
both loaders use ``batch_size=8``, ``num_workers=2`` (fork) and ``ak.torch.pad_collate``.
Also ak with ``cache_dir`` (second epoch onwards reads .npy files). Each dataset produces
one item in the parent first, so forked workers inherit librosa's numba-compiled code.
Epochs alternate in one process; medians of files/s.

    chrt -f 1 python benches/python/compare_dataloader.py [--rounds 5] [--files 160]
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

from compare_extract import SR, write_files  # noqa: E402


class LibrosaMFCC:
    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        import librosa
        import torch

        y, _ = librosa.load(self.paths[i], sr=SR)
        return torch.from_numpy(np.ascontiguousarray(librosa.feature.mfcc(y=y, sr=SR).T)), -100, str(i)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--files", type=int, default=160)
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    import pandas as pd
    from torch.utils.data import DataLoader

    import affectkit as ak

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_files(Path(tmp), args.files)
        man = pd.DataFrame({"corpus": "bench", "item": [Path(p).stem for p in paths], "path": paths,
                            "speaker": "s", "label": None, "split": None})
        datasets = {
            "librosa 0.11 load + feature.mfcc Dataset": LibrosaMFCC(paths),
            "ak.torch.FeatureDataset(man, 'mfcc')": ak.torch.FeatureDataset(man, "mfcc"),
            "ak.torch.FeatureDataset, cache_dir (warm)": ak.torch.FeatureDataset(man, "mfcc",
                                                                                 cache_dir=Path(tmp) / "cache"),
        }

        def epoch(ds):
            loader = DataLoader(ds, batch_size=8, num_workers=2, multiprocessing_context="fork",
                                collate_fn=ak.torch.pad_collate)
            start = time.perf_counter()
            out = [b["features"] for b in loader]
            return len(paths) / (time.perf_counter() - start), out

        for ds in datasets.values():
            ds[0]  # in the parent, so that forked workers inherit librosa's compiled numba code
        last = {name: epoch(ds)[1] for name, ds in datasets.items()}  # warm-up; fills the cache
        rates = {name: [] for name in datasets}
        for _ in range(args.rounds):
            for name, ds in datasets.items():
                r, last[name] = epoch(ds)
                rates[name].append(r)
        names = list(datasets)
        diff = max(float((a - b).abs().max()) for a, b in zip(last[names[0]], last[names[1]]))
        print(f"{len(paths)} WAV files of 4 s at {SR} Hz, batch 8, 2 forked workers, {args.rounds} alternating "
              f"epochs (each loader starts its workers), medians\n")
        print("| dataset | files/s | ratio |")
        print("|---|---|---|")
        base = np.median(rates[names[0]])
        for name in names:
            r = np.median(rates[name])
            print(f"| {name} | {r:.1f} | {r / base:.1f}x |")
        print(f"\nmax |librosa - affectkit| over the padded batches: {diff:.2e}")


if __name__ == "__main__":
    main()
