"""Speech features of one recording: the spectral front end in three reference presets,
F0, voice quality, the compact prosody set and eGeMAPS.

    python examples/speech_features.py [audio file]   # default: a bundled LibriVox clip
"""

import sys

import numpy as np

import affectkit as ak

path = sys.argv[1] if len(sys.argv) > 1 else ak.datasets.sample_paths()[0]
y, sr = ak.load(path, sr=16000)
print(f"{path}: {len(y) / sr:.2f} s at {sr} Hz")

# The same MFCC recipe as librosa, Kaldi (torchaudio) and HTK (python_speech_features)
for preset in ("librosa", "kaldi", "htk"):
    M = ak.mfcc(y, sr, preset=preset, deltas=2)
    print(f"mfcc preset={preset:<8} {M.shape[0]:>4} frames x {M.shape[1]} coefficients")

tr = ak.f0(y, sr, method="pyin", fmin=75, fmax=400)
print(f"pYIN F0: median {np.nanmedian(tr.f0):.1f} Hz, {tr.voiced.mean():.0%} of frames voiced")

vq = ak.voice_quality(y, sr)
print("voice quality (Praat definitions): "
      f"jitter {vq['jitter_local']:.2%}, shimmer {vq['shimmer_local']:.2%}, HNR {vq['hnr_db']:.1f} dB")

p = ak.prosody(y, sr)
print("prosody:", ", ".join(f"{n}={p[n]:.2f}" for n in ak.PROSODY_NAMES[:4]), "...")

g = ak.egemaps(y, sr)
named = dict(zip(ak.EGEMAPS_FUNCTIONALS, g))
print(f"eGeMAPS: {len(g)} functionals, e.g. loudness_sma3_amean={named['loudness_sma3_amean']:.3f}, "
      f"F0semitoneFrom27.5Hz_sma3nz_amean={named['F0semitoneFrom27.5Hz_sma3nz_amean']:.2f}")
