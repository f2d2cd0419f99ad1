"""Resampler quality: SNR of ak.resample and soxr (quality "HQ", librosa's soxr_hq) on a
linear sine sweep from 50 Hz to 0.45 x the lower sample rate, against the analytic sweep
at the target rate (edges of 50 ms excluded).

    python benches/python/resampler_quality.py
"""

import numpy as np

import affectkit as ak

PAIRS = [(44100, 16000), (48000, 16000), (22050, 16000), (8000, 16000), (16000, 22050), (16000, 8000)]


def sweep(sr, f1, seconds=3.0, f0=50.0):
    t = np.arange(int(seconds * sr)) / sr
    k = (f1 - f0) / seconds
    return np.sin(2 * np.pi * (f0 * t + 0.5 * k * t * t))


def snr_db(y, ideal, sr):
    n = min(len(y), len(ideal))
    e = slice(int(0.05 * sr), n - int(0.05 * sr))
    return 10 * np.log10(np.sum(ideal[e] ** 2) / np.sum((y[e] - ideal[e]) ** 2))


def measure():
    import soxr

    rows = []
    for sr_in, sr_out in PAIRS:
        f1 = 0.45 * min(sr_in, sr_out)
        x = sweep(sr_in, f1)
        ideal = sweep(sr_out, f1)
        ours = ak.resample(x.astype(np.float32), sr_in, sr_out)
        hq = soxr.resample(x, sr_in, sr_out, quality="HQ")
        rows.append((sr_in, sr_out, snr_db(ours, ideal, sr_out), snr_db(hq, ideal, sr_out)))
    return rows


if __name__ == "__main__":
    print("| from -> to (Hz) | affectkit (rubato FFT) SNR | soxr_hq SNR |")
    print("|---|---|---|")
    for a, b, o, h in measure():
        print(f"| {a} -> {b} | {o:.1f} dB | {h:.1f} dB |")
