"""Parity of ak.egemaps / ak.gemaps with openSMILE (the `opensmile` pip package) on real
speech (tests/egemaps_items.py): per functional Pearson r across items and the median
relative difference |ours - ref| / max(|ref|, 0.05 x spread of ref); per LLD the frame r
(``unvoiced="opensmile"``) and the voicing agreement. Prints the markdown tables
docs/egemaps.md shows.

    python benches/python/egemaps_parity.py [--kind all|test|band|tel|tel_test] [--version v02|v01b] [--lld] [--rates]
"""

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2] / "tests"))

import affectkit as ak  # noqa: E402
from egemaps_items import (SR, items, median_relative_difference, opensmile_functionals,  # noqa: E402
                           opensmile_rows, pearson_per_column, speech_clips)


def functional_table(kind, version, show=True):
    its = items(kind)
    ys = [y for _, y in its]
    ref, cols = opensmile_functionals(ys, version=version)
    ours = ak.egemaps_batch(ys, SR, version=version)
    r = pearson_per_column(ours, ref)
    rel = median_relative_difference(ours, ref)
    print(f"{version}, {kind}: {len(its)} items; r >= 0.99 for {int(np.sum(r >= 0.99))} of {len(cols)}, "
          f"median relative difference <= 1 % for {int(np.sum(rel <= 0.01))} of {len(cols)}\n")
    if show:
        print("| functional | r | median rel. diff. |")
        print("|---|---|---|")
        for j, name in enumerate(cols):
            print(f"| {name} | {r[j]:.4f} | {100 * rel[j]:.2f} % |")
    return r, rel


def lld_table(version="v02", kind="all"):
    ours_all, ref_all = [], []
    for _, y in items(kind):
        (ref,), _ = opensmile_rows([y], version=version, level="lld")
        ours = ak.egemaps(y, SR, level="lld", version=version, unvoiced="opensmile")
        assert ours.shape == ref.shape
        ours_all.append(ours)
        ref_all.append(ref)
    ours, ref = np.vstack(ours_all), np.vstack(ref_all)
    names = ak.EGEMAPS_LLD if version == "v02" else ak.GEMAPS_LLD
    f0 = names.index("F0semitoneFrom27.5Hz_sma3nz")
    agree = np.mean((ours[:, f0] > 0) == (ref[:, f0] > 0))
    r = pearson_per_column(ours, ref)
    print(f"\n{len(ours)} LLD rows; voicing agreement with openSMILE: {100 * agree:.2f} % of rows\n")
    print("| LLD | frame r |")
    print("|---|---|")
    for j, name in enumerate(names):
        print(f"| {name} | {r[j]:.4f} |")
    return r, agree


def rates_table():
    """Real speech upsampled to 44.1 / 48 kHz: openSMILE analyses it at that rate."""
    ys16 = [y for _, y in speech_clips()]
    for sr in (44100, 48000):
        ys = [ak.resample(y, SR, sr) for y in ys16]
        ref, cols = opensmile_functionals(ys, sr=sr)
        ref16, _ = opensmile_functionals(ys16)
        ours = ak.egemaps_batch(ys, sr)
        r = pearson_per_column(ours, ref)
        r16 = pearson_per_column(ref16, ref)
        print(f"\n{sr} Hz: ours vs openSMILE at {sr}: r >= 0.99 for {int(np.sum(r >= 0.99))} of 88; "
              f"openSMILE at 16 kHz vs itself at {sr}: {int(np.sum(r16 >= 0.99))} of 88")
        for j, name in enumerate(cols):
            if r[j] < 0.99:
                print(f"  {name}: r {r[j]:.3f} (openSMILE 16k vs {sr}: {r16[j]:.3f})")


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", default="all")
    ap.add_argument("--version", default="v02")
    ap.add_argument("--lld", action="store_true")
    ap.add_argument("--rates", action="store_true")
    args = ap.parse_args()
    functional_table(args.kind, args.version)
    if args.lld:
        lld_table(args.version, args.kind)
    if args.rates:
        rates_table()
