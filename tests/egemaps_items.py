"""Items for the eGeMAPS parity: the bundled speech, 2.5 s chunks of it, and synthetic
source-filter "utterances" with known, varied F0, loudness, spectral tilt, formants,
voice quality and pauses. Shared by tests/test_egemaps.py and
benches/python/egemaps_parity.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np

SR = 16000
DATA = Path(__file__).parent / "data"


def speech_clips():
    """The 5 LibriVox clips and the 2 CMU ARCTIC clips at 16 kHz, float32."""
    import affectkit as ak

    paths = list(ak.datasets.sample_paths()) + sorted(DATA.glob("cmu_cards_*.wav"))
    return [(Path(p).stem, ak.load(p, sr=SR)[0]) for p in paths]


def chunks(y, seconds=2.5):
    n = int(seconds * SR)
    return [y[i:i + n] for i in range(0, len(y) - n + 1, n)]


def utterance(f0=120.0, formants=(600.0, 1500.0, 2500.0), tilt=0.0, level=0.1,
              jitter=0.0, shimmer=0.0, noise=0.0, seconds=2.5, syllables=5, seed=0):
    """A synthetic utterance: `syllables` voiced stretches separated by short pauses.

    Source: a glottal-pulse train whose F0 glides by +-8 %
    within each syllable, with relative period `jitter` and amplitude `shimmer`
    perturbation; `tilt` (dB/octave, negative = steeper) shapes the source spectrum;
    three second-order resonators at `formants` (bandwidths 100/130/180 Hz); aspiration
    noise at `noise` relative level; amplitude `level`.
    """
    from scipy.signal import lfilter

    rng = np.random.default_rng(seed)
    n = int(seconds * SR)
    src = np.zeros(n)
    env = np.zeros(n)
    seg = n // syllables
    for s in range(syllables):
        a, b = s * seg, s * seg + int(seg * 0.7)
        env[a:b] = np.hanning(b - a) ** 0.3
        t = a + 20
        while t < b - 1:
            frac = (t - a) / max(b - a, 1)
            f = f0 * (1.0 + 0.08 * np.sin(2 * np.pi * (frac + 0.25 * s)))
            period = SR / f * (1.0 + jitter * rng.standard_normal())
            amp = 1.0 + shimmer * rng.standard_normal()
            src[int(t)] += amp
            t += max(period, 8.0)
    # glottal pulse shape and tilt: one-pole low-pass (tilt in dB/octave, ~-12 natural)
    pole = np.clip(0.9 - tilt / 40.0, 0.5, 0.99)
    x = lfilter([1.0], [1.0, -pole], src)
    x = lfilter([1.0, -1.0], [1.0], x)  # radiation
    x = x + noise * np.std(x) * rng.standard_normal(n)
    for fc, bw in zip(formants, (100.0, 130.0, 180.0)):
        r = np.exp(-np.pi * bw / SR)
        th = 2 * np.pi * fc / SR
        x = lfilter([1.0 - r], [1.0, -2 * r * np.cos(th), r * r], x)
    x = x * env
    x = x / (np.max(np.abs(x)) + 1e-12) * level
    x = x + 1e-4 * rng.standard_normal(n)  # room noise floor
    return x.astype(np.float32)


def synthetic_items(n=16, seed=1):
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        p = dict(
            f0=float(rng.uniform(90, 280)),
            formants=(float(rng.uniform(350, 850)), float(rng.uniform(1000, 2200)), float(rng.uniform(2400, 3200))),
            tilt=float(rng.uniform(-10, 10)),
            level=float(10 ** rng.uniform(-2, -0.5)),
            jitter=float(rng.uniform(0, 0.02)),
            shimmer=float(rng.uniform(0, 0.15)),
            noise=float(rng.uniform(0, 0.1)),
            syllables=int(rng.integers(3, 8)),
            seed=i,
        )
        out.append((f"synthetic_{i:02d}", utterance(**p)))
    return out


def items():
    """(name, signal) pairs: 7 whole clips, their 2.5 s chunks, 16 synthetic utterances."""
    clips = speech_clips()
    out = list(clips)
    for name, y in clips:
        out += [(f"{name}_chunk{k}", c) for k, c in enumerate(chunks(y))]
    return out + synthetic_items()


def opensmile_functionals(signals):
    """openSMILE eGeMAPSv02 functionals, `(n_items, 88)`, and the column names."""
    import opensmile

    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.Functionals)
    rows = [smile.process_signal(y, SR) for y in signals]
    return np.vstack([r.values for r in rows]), list(rows[0].columns)


def pearson_per_column(a, b):
    """Pearson r of each column over the rows where both are finite (NaN if < 3 rows or
    a constant column)."""
    out = np.full(a.shape[1], np.nan)
    for j in range(a.shape[1]):
        ok = np.isfinite(a[:, j]) & np.isfinite(b[:, j])
        if ok.sum() >= 3 and np.std(a[ok, j]) > 0 and np.std(b[ok, j]) > 0:
            out[j] = np.corrcoef(a[ok, j], b[ok, j])[0, 1]
    return out
