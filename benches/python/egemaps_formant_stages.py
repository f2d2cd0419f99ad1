"""Where affectkit's eGeMAPS formant chain first differs from openSMILE's, frame by frame.

Black-box probe of the `opensmile` pip package (2.6): ``opensmile.Smile(feature_set=<the
shipped eGeMAPSv02.conf>, feature_level=<level>)`` returns the intermediate levels of the
stock chain: the windowed 20 ms frame (``gemapsv01b_winH25``), its 512-point FFT
(``gemapsv01b_fftcH25``: ``[Re X0, Re X256, Re X1, -Im X1, ...]``), the 220 samples at
11 kHz the LPC sees (``gemapsv01b_outpR``), the 11 LPC coefficients (``gemapsv01b_lpc``)
and the formants (``gemapsv01b_formants``). Every stage is compared with the recipe
affectkit implements (float64, src/audio/egemaps/formants.rs) and with float32 versions
whose arithmetic order was found by probing (below); then the F1-F3 functionals are
rebuilt from each variant with openSMILE's own voicing, so only the formant stage differs.
Prints the numbers docs/egemaps.md ("What still differs", band-limited) quotes.

    python benches/python/egemaps_formant_stages.py [--kind band|all]

The items are those of benches/python/egemaps_parity.py (tests/egemaps_items.py): ``band``,
the real clips resampled 16 -> 8 -> 16 kHz; ``all``, the clips at 16 kHz and their 2.5 s
chunks (whose frames repeat the clips').
"""

import argparse
import os
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2] / "tests"))

from egemaps_items import items  # noqa: E402

f32 = np.float32
HAMMING = 0.54 - 0.46 * np.cos(2 * np.pi * np.arange(320) / 319)
M = np.arange(220)[:, None] * np.arange(110)[None, :]
COS32 = np.cos(2 * np.pi * M / 352.0).astype(f32)
SIN32 = np.sin(2 * np.pi * M / 352.0).astype(f32)
LEVELS = ["gemapsv01b_fftcH25", "gemapsv01b_outpR", "gemapsv01b_lpc", "gemapsv01b_formants",
          "gemapsv01b_lld_single_logF0", "func"]


def quantised(y):
    """The signal as openSMILE reads it: trunc(float32(y) * 32768) / 32767."""
    return np.clip(np.trunc(np.asarray(y, f32).astype(np.float64) * 32768.0), -32768, 32767) / 32767.0


def fft_level(x, t):
    """The 512-point FFT of the Hamming-windowed 20 ms frame t (float64), in openSMILE's
    layout: Re, and the imaginary part with openSMILE's sign (-Im of numpy's)."""
    buf = np.zeros(512)
    buf[96:416] = x[160 * t:160 * t + 320] * HAMMING
    X = np.fft.rfft(buf)
    return X.real, -X.imag


def resample64(re, im):
    """affectkit's recipe: 110 bins, a 352-point inverse DFT, DC doubled, 220 samples."""
    y = re[0] + np.sum(re[None, 1:110] * np.cos(2 * np.pi * M[:, 1:] / 352.0)
                       + im[None, 1:110] * np.sin(2 * np.pi * M[:, 1:] / 352.0), axis=1)
    return y * 2.0 / 512.0


def resample32(re, im):
    """The same sum in float32 as openSMILE's level holds it (bit-identical given its FFT
    level): float32 cos/sin tables, one accumulator starting at Re X0, then for k = 1..109
    `+ Re X_k cos` and `+ I_k sin` in that order, each product rounded; times 2 / 512."""
    re, im = np.asarray(re, f32), np.asarray(im, f32)
    terms = np.empty((220, 220), f32)
    terms[:, 0::2] = re[None, :110] * COS32
    terms[:, 1::2] = im[None, :110] * SIN32
    terms[:, 0], terms[:, 1] = re[0], 0
    return np.cumsum(terms, axis=1, dtype=f32)[:, -1] * f32(2) / f32(512)


def lpc64(frame, p=11):
    """Autocorrelation + Levinson-Durbin in float64 (affectkit, src/num/lpc.rs)."""
    x = np.asarray(frame, np.float64)
    r = np.array([np.dot(x[:len(x) - k], x[k:]) for k in range(p + 1)])
    return levinson(r, p, np.float64, reciprocal=False)


def lpc32(frame, p=11):
    """openSMILE's LPC level bit for bit (measured): the autocorrelation accumulated in
    float32, sequentially over n; Levinson-Durbin in float32 with the reflection
    coefficient `k = -acc * (1 / err)` (a reciprocal, not a division) and
    `err *= 1 - k^2`."""
    x = np.asarray(frame, f32)
    r = np.array([np.cumsum(x[:len(x) - k] * x[k:], dtype=f32)[-1] for k in range(p + 1)], f32)
    return levinson(r, p, f32, reciprocal=True)


def levinson(r, p, dt, reciprocal):
    a = np.zeros(p, dt)
    err = dt(r[0])
    if not err > 0:
        return None
    for i in range(p):
        acc = dt(r[i + 1])
        for j in range(i):
            acc = dt(acc + a[j] * r[i - j])
        k = dt(-acc * dt(dt(1) / err)) if reciprocal else -acc / err
        a[:i] = a[:i] + k * a[:i][::-1]
        a[i] = k
        err = dt(err * dt(dt(1) - dt(k * k)))
    return a


def formants(a):
    """F1-F5 and bandwidths: roots of 1 - sum a_k z^-k in the upper half plane,
    50 < f < 5450 Hz, B = |ln|z|| 11000 / pi (formants.rs)."""
    z = np.roots(np.concatenate([[1.0], -np.asarray(a, np.float64)]))
    z = z[z.imag > 0]
    f = np.angle(z) * 11000 / (2 * np.pi)
    b = np.abs(np.log(np.abs(z))) * 11000 / np.pi
    keep = (f > 50) & (f < 5450)
    order = np.argsort(f[keep])[:5]
    F, B = np.zeros(5), np.zeros(5)
    F[:len(order)], B[:len(order)] = f[keep][order], b[keep][order]
    return F, B


def stddevnorm_and_mean(values, voiced):
    """openSMILE's formant functionals: zero where unvoiced, noZeroSma 3-frame mean,
    non-zero mean and std / mean."""
    x = np.where(voiced, values[:len(voiced)], 0.0)
    n = len(x)
    s = np.zeros(n + 1)
    for t in range(n + 1):
        c = x[min(t, n - 1)]
        if c != 0:
            near = [v for v in (x[max(t - 1, 0)], c, x[min(t + 1, n - 1)]) if v != 0]
            s[t] = sum(near) / len(near)
    s = s[s != 0]
    return np.mean(s), np.std(s) / np.mean(s)


def main():
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("--kind", default="band", choices=["band", "all", "test"])
    args = ap.parse_args()
    import opensmile

    conf = os.path.join(os.path.dirname(opensmile.__file__), "core/config/egemaps/v02/eGeMAPSv02.conf")
    smiles = {lv: opensmile.Smile(feature_set=conf, feature_level=lv) for lv in LEVELS}
    clips = items(args.kind)
    names = [f"F{i}{w}_sma3nz_{s}" for i in (1, 2, 3) for w in ("frequency", "bandwidth")
             for s in ("amean", "stddevNorm")]
    variants = ["openSMILE", "float64 (affectkit)", "float32 resampler + LPC"]
    stats = {k: 0 for k in ("frames", "fft_same", "fft_values", "res_same", "lpc_same", "root_exact")}
    out_dev = []
    fdiff = {v: [0, 0] for v in variants[1:]}
    lpc_dev = []
    functionals = {v: [] for v in variants}
    ref = []
    worst = []
    for name, y in clips:
        lv = {k: s.process_signal(y, 16000) for k, s in smiles.items()}
        ref.append(lv["func"][names].values[0])
        x = quantised(y)
        voiced = lv["gemapsv01b_lld_single_logF0"].values[:, 0] > 0
        C, R, A, FM = (lv[k].values for k in LEVELS[:4])
        per = {v: np.zeros((len(voiced), 6)) for v in variants}
        for t in range(len(R)):
            if not np.any(R[t]):
                continue
            stats["frames"] += 1
            re, im = fft_level(x, t)
            ours = np.empty(512)
            ours[0], ours[1], ours[2::2], ours[3::2] = re[0], re[256], re[1:256], im[1:256]
            stats["fft_same"] += np.sum(ours.astype(f32) == C[t])
            stats["fft_values"] += 512
            ore, oim = np.zeros(257, f32), np.zeros(257, f32)
            ore[0], ore[1:256], oim[1:256] = C[t, 0], C[t, 2::2], C[t, 3::2]
            stats["res_same"] += np.array_equal(resample32(ore, oim), R[t])
            stats["lpc_same"] += np.array_equal(lpc32(R[t]), A[t])
            lpc_dev.append((np.max(np.abs(lpc32(R[t]) - A[t])), np.max(np.abs(lpc64(R[t]) - A[t]))))
            F, B = formants(A[t])
            stats["root_exact"] += np.allclose(F, FM[t, :5], rtol=2e-7) and np.allclose(B, FM[t, 5:], rtol=2e-7)
            y64, y32 = resample64(re, im), resample32(re, im)
            peak = np.max(np.abs(R[t]))
            out_dev.append((np.max(np.abs(y64 - R[t])) / peak, np.max(np.abs(y32 - R[t])) / peak))
            fb = {"openSMILE": (FM[t, :5], FM[t, 5:]), "float64 (affectkit)": formants(lpc64(y64)),
                  "float32 resampler + LPC": formants(lpc32(y32))}
            for v, (F, B) in fb.items():
                if t < len(voiced):
                    per[v][t] = [F[0], B[0], F[1], B[1], F[2], B[2]]
                if v != "openSMILE":
                    fdiff[v][0] += abs(F[2] - FM[t, 2]) > 1
                    fdiff[v][1] += abs(B[2] - FM[t, 7]) > 0.01 * max(FM[t, 7], 1)
            if t < len(voiced) and voiced[t]:
                b64 = fb["float64 (affectkit)"][1][2]
                worst.append((abs(b64 - FM[t, 7]), name, t, FM[t, 2], FM[t, 7], fb["float64 (affectkit)"][0][2], b64))
        for v in variants:
            row = []
            for j in range(6):
                row += list(stddevnorm_and_mean(per[v][:, j], voiced))
            functionals[v].append(row)
    n = stats["frames"]
    lpc_dev = np.array(lpc_dev)
    print(f"{args.kind}: {len(clips)} items, {n} non-silent 20 ms frames\n")
    print(f"- formants from openSMILE's own LPC level: {stats['root_exact']} of {n} frames equal to float32 rounding")
    print(f"- LPC, float32 recipe on openSMILE's resampled frame: {stats['lpc_same']} of {n} frames bit-identical "
          f"(median max |da| {np.median(lpc_dev[:, 0]):.1e}); float64: median max |da| {np.median(lpc_dev[:, 1]):.1e}")
    print(f"- resampler, float32 recipe on openSMILE's FFT level: {stats['res_same']} of {n} frames bit-identical")
    print(f"- FFT level, float64 FFT rounded to float32: {100 * stats['fft_same'] / stats['fft_values']:.1f} % "
          f"of the values bit-identical")
    out_dev = np.median(out_dev, axis=0)
    print(f"- resampled frame from our FFT, median over frames of max |diff| / frame peak: "
          f"float64 {out_dev[0]:.1e}, float32 recipe {out_dev[1]:.1e}")
    for v, (df, db) in fdiff.items():
        print(f"- {v}: F3 off by > 1 Hz on {100 * df / n:.1f} % of frames, B3 off by > 1 % on {100 * db / n:.1f} %")
    print("\nVoiced frames with the largest B3 difference (float64 chain):\n")
    print("| clip | frame | openSMILE F3, B3 (Hz) | affectkit F3, B3 (Hz) |")
    print("|---|---|---|---|")
    for d, name, t, f3, b3, of3, ob3 in sorted(worst, reverse=True)[:5]:
        print(f"| {name} | {t} | {f3:.0f}, {b3:.0f} | {of3:.0f}, {ob3:.0f} |")
    ref = np.array(ref)
    print("\nPearson r across clips against openSMILE's functionals (openSMILE's voicing):\n")
    print("| functional | " + " | ".join(variants) + " |")
    print("|---|" + "---|" * len(variants))
    for j, name in enumerate(names):
        rs = [np.corrcoef(np.array(functionals[v])[:, j], ref[:, j])[0, 1] for v in variants]
        print(f"| {name} | " + " | ".join(f"{r:.4f}" for r in rs) + " |")


if __name__ == "__main__":
    main()
