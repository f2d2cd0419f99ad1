"""Probe of the eGeMAPS pitch smoother (issue 14): openSMILE's own SHS candidates
(``gemapsv01b_pitchShsG60``) fed to a Python port of ``src/audio/egemaps/viterbi.rs``,
compared frame by frame with openSMILE's smoother output (``gemapsv01b_logPitchRaw``), in
the stock chain and in copies of the shipped eGeMAPSv02 configuration whose
``cPitchSmootherViterbi`` weights are changed (one term at a time). Black-box only: the
configuration files the ``opensmile`` pip package ships and its outputs.

    python benches/python/egemaps_smoother_probe.py [--n 10] [--cache /tmp/egemaps_probe]

Items: the ``n`` longest telephone prompts per speaker (tests/egemaps_items.py
``telephone_clips``) and the 14 wideband clips of ``items("all")`` (whole clips). Prints,
per group, the frames where the port and openSMILE disagree on voicing and, among frames
voiced in both, on the chosen candidate; last, with the SHS voicingCutoff lowered to 0.3
(wTvv 0 and 10), where the voiced-to-voiced term decides many more frames.
docs/egemaps.md ("What still differs", Voicing) quotes these numbers.
"""

import argparse
import re
import shutil
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2] / "tests"))

from egemaps_items import debian_clips, speech_clips, telephone_clips  # noqa: E402

try:  # the port runs ~100x faster compiled; plain Python gives the same numbers
    from numba import njit
except ImportError:  # pragma: no cover
    def njit(**_):
        return lambda f: f

SECTION = "[gemapsv01b_pitchSmoothViterbi:cPitchSmootherViterbi]"
SHS_SECTION = "[gemapsv01b_shs:cPitchShs]"


def config(root, weights, shs=None):
    """A copy of the shipped configuration tree with the smoother's weights (and the SHS
    options in ``shs``) changed."""
    import opensmile

    src = Path(opensmile.__file__).parent / "core" / "config"
    shs = shs or {}
    if not weights and not shs:
        return src / "egemaps" / "v02" / "eGeMAPSv02.conf"
    tag = "_".join(f"{k}{v}" for k, v in sorted({**weights, **shs}.items()))
    dst = Path(root) / f"conf_{tag}"
    if not dst.exists():
        shutil.copytree(src, dst)
        inc = dst / "gemaps" / "v01b" / "GeMAPSv01b_core.lld.conf.inc"
        text = inc.read_text()
        for section, options in ((SECTION, weights), (SHS_SECTION, shs)):
            head, rest = text.split(section)
            body, tail = rest.split("[componentInstances:cComponentManager]", 1)
            for k, v in options.items():
                body = re.sub(rf"^{k}\s*=.*$", f"{k}={v}", body, flags=re.M)
            text = head + section + body + "[componentInstances:cComponentManager]" + tail
        inc.write_text(text)
    return dst / "egemaps" / "v02" / "eGeMAPSv02.conf"


def levels(items, conf, level):
    import opensmile

    smile = opensmile.Smile(feature_set=str(conf), feature_level=level)
    return [smile.process_signal(y, 16000).to_numpy() for _, y in items]


@njit(cache=True)
def smooth(k, f, v, w_tvv, measured, cutoff):
    """The Viterbi of viterbi.rs: wLocal 2, wThr 4 as a step of 8 on each side of the SHS
    voicingCutoff ``cutoff`` (0.7 in the shipped configuration), wTvuv 10, starting
    unvoiced; with ``measured`` (viterbi.rs now) staying unvoiced
    costs 1, the range term follows its full curve ((100 - f) / 100 below 100 Hz,
    (f - 350) / 250 to 600 Hz, 1.2 above) and a voiced-to-voiced step from candidate k of
    the previous frame (at f') to f costs 2 wTvv |ln(f / f')| when k is 0 and
    wTvv (|ln(f / f')| + |ln(f' / f'_(k-1))|) otherwise (f'_(k-1) the candidate ranked just
    above it); without it, the rule before (staying
    unvoiced free, the range term below 100 Hz only, wTvv |log2(f / f')|)."""
    n = k.shape[0]
    back = np.zeros((n, 7), np.int64)
    prev = np.zeros(7)
    cur = np.zeros(7)
    loc = np.zeros(7)
    pk = 0
    for t in range(n):
        kt = int(k[t])
        loc[0] = 8.0 if kt > 0 and v[t, 0] >= cutoff else 0.0
        for c in range(kt):
            x = 2.0 * -np.log(max(v[t, c], 0.01)) + (8.0 if v[t, c] < cutoff else 0.0)
            if f[t, c] < 100.0:
                x += (100.0 - f[t, c]) / 100.0
            elif measured and f[t, c] > 600.0:
                x += 1.2
            elif measured and f[t, c] > 350.0:
                x += (f[t, c] - 350.0) / 250.0
            loc[c + 1] = x
        for s in range(kt + 1):
            if t == 0:
                cur[s] = loc[s] + (10.0 if s > 0 else 0.0)
                continue
            best = 1e300
            arg = 0
            for q in range(pk + 1):
                if q == 0 and s == 0:
                    tr = 1.0 if measured else 0.0
                elif q == 0 or s == 0:
                    tr = 10.0
                else:
                    a, b = f[t - 1, q - 1], f[t, s - 1]
                    if not measured:
                        tr = abs(np.log2(b / a))
                    elif q == 1:
                        tr = 2.0 * abs(np.log(b / a))
                    else:
                        tr = abs(np.log(b / a)) + abs(np.log(a / f[t - 1, q - 2]))
                    tr *= w_tvv
                if prev[q] + tr < best:
                    best = prev[q] + tr
                    arg = q
            cur[s] = loc[s] + best
            back[t, s] = arg
        for s in range(kt + 1):
            prev[s] = cur[s]
        pk = kt
    s = 0
    for q in range(1, pk + 1):
        if prev[q] < prev[s]:
            s = q
    out = np.zeros(n)
    for t in range(n - 1, -1, -1):
        if s > 0:
            out[t] = f[t, s - 1]
        s = back[t, s]
    return out


def disagreements(shs, raws, w_tvv=10.0, measured=True, cutoff=0.7):
    """(voicing disagreements, candidate disagreements, frames voiced in both, frames)."""
    vd = cd = both = total = 0
    for a, r in zip(shs, raws):
        n = min(len(a), len(r))
        f0 = smooth(a[:n, 0].astype(np.int64), np.ascontiguousarray(a[:n, 1:7], dtype=np.float64),
                    np.ascontiguousarray(a[:n, 7:13], dtype=np.float64), w_tvv, measured, cutoff)
        ref = r[:n, 0]
        x, y = f0 > 0, ref > 0
        vd += int(np.sum(x != y))
        b = x & y
        both += int(b.sum())
        cd += int(np.sum(np.abs(f0 - ref)[b] > 1e-3 * ref[b]))
        total += n
    return vd, cd, both, total


if __name__ == "__main__":
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10, help="telephone prompts per speaker")
    ap.add_argument("--cache", default="/tmp/egemaps_probe")
    args = ap.parse_args()
    Path(args.cache).mkdir(parents=True, exist_ok=True)
    groups = {"telephone": telephone_clips(args.n), "wideband": speech_clips() + debian_clips()}
    stock = config(args.cache, {})
    shs = {g: levels(its, stock, "gemapsv01b_pitchShsG60") for g, its in groups.items()}
    raw = {g: levels(its, stock, "gemapsv01b_logPitchRaw") for g, its in groups.items()}

    def row(label, g, res):
        vd, cd, both, total = res
        print(f"| {label} | {g} | {total} | {vd} ({100 * vd / total:.2f} %) | "
              f"{cd} of {both} ({100 * cd / max(both, 1):.2f} %) |")

    print("| openSMILE run / port | items | frames | voicing differs | candidate differs |")
    print("|---|---|---|---|---|")
    for g in groups:
        row("stock / viterbi.rs", g, disagreements(shs[g], raw[g]))
        row("stock / the rule before the measured terms", g, disagreements(shs[g], raw[g], measured=False))
    for weights, w_tvv in (({"wTvvd": 0}, 10.0), ({"wTvvd": 50}, 10.0), ({"wTvv": 0}, 0.0),
                           ({"wTvv": 2}, 2.0), ({"wTvv": 100}, 100.0)):
        conf = config(args.cache, weights)
        label = ", ".join(f"{k} {v}" for k, v in weights.items())
        for g in groups:
            r = levels(groups[g], conf, "gemapsv01b_logPitchRaw")
            same = sum(int(np.sum(np.abs(a[:len(b), 0] - b[:len(a), 0]) > 1e-4)) for a, b in zip(r, raw[g]))
            print(f"| {label}: frames whose F0 differs from the stock run | {g} | | {same} | |")
            row(f"{label} / port, same weights", g, disagreements(shs[g], r, w_tvv))
    # The SHS voicingCutoff lowered: many more frames are voiced, on weaker candidates, and
    # the voiced-to-voiced term decides far more of them (a magnifier for that term; the
    # port takes the same cutoff, its other terms unchanged).
    for w_tvv in (0.0, 10.0):
        conf = config(args.cache, {"wTvv": w_tvv}, {"voicingCutoff": 0.3})
        for g in groups:
            s = levels(groups[g], conf, "gemapsv01b_pitchShsG60")
            r = levels(groups[g], conf, "gemapsv01b_logPitchRaw")
            row(f"SHS voicingCutoff 0.3, wTvv {w_tvv:g} / port, same settings", g,
                disagreements(s, r, w_tvv, cutoff=0.3))
