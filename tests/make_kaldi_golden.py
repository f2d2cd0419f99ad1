"""Write tests/data/kaldi_golden.npz: torchaudio.compliance.kaldi outputs for the parity
tests, so that the suite checks Kaldi parity without installing torch (gigabytes).

Run from the repository root with torch and torchaudio installed:
    python tests/make_kaldi_golden.py
The file stores the input signals (float32), the outputs, and the calls that made them.
"""

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from signals import SYNTHETIC  # noqa: E402

# (function, keyword arguments) pairs, each run on every signal.
CONFIGS = [
    ("mfcc", {}),
    ("fbank", {}),
    ("mfcc", dict(use_energy=True, htk_compat=True, snip_edges=False, num_ceps=20, num_mel_bins=40)),
    ("mfcc", dict(use_energy=True, energy_floor=0.0, raw_energy=False, window_type="hamming", cepstral_lifter=0.0)),
    ("fbank", dict(window_type="hanning", use_energy=True, raw_energy=False, vtln_warp=0.9, subtract_mean=True)),
    ("fbank", dict(window_type="blackman", preemphasis_coefficient=0.0, remove_dc_offset=False, low_freq=60.0, high_freq=-400.0)),
    ("fbank", dict(window_type="rectangular", use_log_fbank=False, use_power=False, round_to_power_of_two=False)),
    ("mfcc", dict(frame_length=32.0, frame_shift=12.5, num_mel_bins=30, high_freq=7000.0, use_energy=True, htk_compat=True)),
]


def main() -> None:
    import torch
    import torchaudio.compliance.kaldi as kaldi

    import affectkit as ak

    signals = {}
    y, sr = ak.load(ak.datasets.sample_paths()[1])  # 3 s of LibriVox speech
    assert sr == 16000
    signals["librivox_0880"] = y.astype(np.float32)
    for name, f in SYNTHETIC.items():
        signals[name] = f(seconds=0.5).astype(np.float32)

    arrays = {f"signal__{k}": v for k, v in signals.items()}
    cases = []
    for sig, y in signals.items():
        t = torch.from_numpy(y)[None]
        for i, (function, params) in enumerate(CONFIGS):
            key = f"{sig}__{function}{i}"
            arrays[key] = getattr(kaldi, function)(t, sample_frequency=16000.0, **params).numpy()
            cases.append(dict(signal=sig, function=function, params=params, key=key))
    arrays["cases"] = np.array(json.dumps(cases))
    arrays["versions"] = np.array(json.dumps({"torch": torch.__version__, "torchaudio": __import__("torchaudio").__version__}))
    out = Path(__file__).parent / "data" / "kaldi_golden.npz"
    np.savez_compressed(out, **arrays)
    print(f"wrote {out} ({out.stat().st_size / 1e3:.0f} kB, {len(cases)} cases)")


if __name__ == "__main__":
    main()
