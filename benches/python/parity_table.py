"""Parity of the front end with its references: the worst max|ours - ref| / max|ref| over
the bundled speech and the synthetic signals of tests/signals.py, per reference call and
precision. Prints the markdown table docs/frontend.md shows.

    python benches/python/parity_table.py
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2] / "tests"))

import affectkit as ak  # noqa: E402
from signals import SYNTHETIC, rel_error  # noqa: E402


def signals():
    out = []
    for p in ak.datasets.sample_paths():
        y, sr = ak.load(p)
        out.append((y.astype(np.float64), sr))
    out += [(f(), 16000) for f in SYNTHETIC.values()]
    return out


def cases():
    import librosa
    import python_speech_features as psf

    speech = dict(n_fft=512, win_length=400, hop_length=160, n_mels=40, n_mfcc=13)
    rows = [
        ("librosa.feature.melspectrogram (defaults)", lambda y, sr: librosa.feature.melspectrogram(y=y, sr=sr).T,
         lambda y, sr, dt: ak.melspectrogram(y, sr, dtype=dt)),
        ("librosa.feature.mfcc (defaults)", lambda y, sr: librosa.feature.mfcc(y=y, sr=sr).T,
         lambda y, sr, dt: ak.mfcc(y, sr, dtype=dt)),
        ("librosa.feature.mfcc (speech settings) + delta, delta2",
         lambda y, sr: (lambda M: np.vstack([M, librosa.feature.delta(M), librosa.feature.delta(M, order=2)]).T)(librosa.feature.mfcc(y=y, sr=sr, **speech)),
         lambda y, sr, dt: ak.mfcc(y, sr, dtype=dt, deltas=2, **speech)),
        ("python_speech_features.mfcc (defaults)", lambda y, sr: psf.mfcc(y, sr), lambda y, sr, dt: ak.mfcc(y, sr, preset="htk", dtype=dt)),
        ("python_speech_features.logfbank (defaults)", lambda y, sr: psf.logfbank(y, sr),
         lambda y, sr, dt: ak.melspectrogram(y, sr, preset="htk", dtype=dt)),
    ]
    try:
        import torch
        import torchaudio.compliance.kaldi as kaldi

        rows += [
            ("torchaudio.compliance.kaldi.mfcc (defaults)", lambda y, sr: kaldi.mfcc(torch.from_numpy(y)[None], sample_frequency=sr).numpy(),
             lambda y, sr, dt: ak.mfcc(y, sr, preset="kaldi", dtype=dt)),
            ("torchaudio.compliance.kaldi.fbank (defaults)", lambda y, sr: kaldi.fbank(torch.from_numpy(y)[None], sample_frequency=sr).numpy(),
             lambda y, sr, dt: ak.melspectrogram(y, sr, preset="kaldi", dtype=dt)),
        ]
    except ImportError:
        print("(torch not installed: Kaldi rows left out)", file=sys.stderr)
    return rows


def main():
    sigs = signals()
    print("| reference | worst error, float64 | worst error, float32 |")
    print("|---|---|---|")
    for name, ref, ours in cases():
        worst = {}
        for dt in ("float64", "float32"):
            worst[dt] = max(rel_error(ours(y.astype(dt), sr, dt), ref(y.astype(dt), sr)) for y, sr in sigs)
        print(f"| `{name}` | {worst['float64']:.1e} | {worst['float32']:.1e} |")


if __name__ == "__main__":
    main()
