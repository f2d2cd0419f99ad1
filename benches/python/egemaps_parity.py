"""Parity of ak.egemaps with openSMILE's eGeMAPSv02 (the `opensmile` pip package):
per-functional Pearson r across items (the bundled speech, its 2.5 s chunks and
synthetic utterances, see tests/egemaps_items.py) and per-LLD frame correlation on the
bundled speech. Prints the markdown tables docs/egemaps.md shows.

    python benches/python/egemaps_parity.py [--lld]
"""

import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2] / "tests"))

import affectkit as ak  # noqa: E402
from egemaps_items import SR, items, opensmile_functionals, pearson_per_column, speech_clips  # noqa: E402


def functional_table():
    its = items()
    ys = [y for _, y in its]
    ref, cols = opensmile_functionals(ys)
    assert cols == list(ak.EGEMAPS_FUNCTIONALS)
    ours = ak.egemaps_batch(ys, SR)
    r = pearson_per_column(ours, ref)
    speech = np.array([not n.startswith("synthetic") for n, _ in its])
    r_speech = pearson_per_column(ours[speech], ref[speech])
    r_synth = pearson_per_column(ours[~speech], ref[~speech])
    print(f"{len(its)} items ({speech.sum()} speech, {(~speech).sum()} synthetic); "
          f"r >= 0.9 for {int(np.sum(r >= 0.9))} of 88 functionals\n")
    print("| functional | r (all) | r (speech) | r (synthetic) | median ours / openSMILE |")
    print("|---|---|---|---|---|")
    for j, name in enumerate(cols):
        ok = np.isfinite(ours[:, j]) & np.isfinite(ref[:, j]) & (ref[:, j] != 0)
        ratio = np.median(ours[ok, j] / ref[ok, j]) if ok.any() else np.nan
        print(f"| {name} | {r[j]:.3f} | {r_speech[j]:.3f} | {r_synth[j]:.3f} | {ratio:.3g} |")
    return r


def lld_table():
    import opensmile

    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.LowLevelDescriptors)
    ours_all, ref_all, agree = [], [], []
    for _, y in speech_clips():
        ref = smile.process_signal(y, SR).values
        ours = ak.egemaps(y, SR, level="lld")
        n = min(len(ref), len(ours))
        ref, ours = ref[:n], ours[:n]
        # openSMILE writes 0 on unvoiced frames of the _sma3nz columns
        ref = np.where((np.arange(25) >= 10) & (ref[:, 10:11] == 0), np.nan, ref)
        agree.append(np.isfinite(ours[:, 10]) == np.isfinite(ref[:, 10]))
        ours_all.append(ours)
        ref_all.append(ref)
    ours, ref = np.vstack(ours_all), np.vstack(ref_all)
    r = pearson_per_column(ours, ref)
    print(f"\nvoicing agreement with openSMILE: {np.mean(np.concatenate(agree)):.3f} of frames\n")
    print("| LLD | frame r |")
    print("|---|---|")
    for j, name in enumerate(ak.EGEMAPS_LLD):
        print(f"| {name} | {r[j]:.3f} |")
    return r


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    functional_table()
    if "--lld" in sys.argv:
        lld_table()
