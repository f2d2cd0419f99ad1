"""Writes tests/data/egemaps/formant_frames.json: openSMILE's formant-chain levels of a few
20 ms frames, the fixture of the Rust stage test `formants::tests::opensmile_frames_bit_for_bit`
(src/audio/egemaps/formants.rs).

Per frame: the first 220 values of the 512-point FFT level (`gemapsv01b_fftcH25`:
Re X0, Re X256, then Re X_k, -Im X_k for k = 1..109), the resampled frame
(`gemapsv01b_outpR`, 220 samples at 11 kHz), the LPC coefficients (`gemapsv01b_lpc`) and
the formants (`gemapsv01b_formants`), all float32 as openSMILE stores them. The frames are
the band-limited (16 -> 8 -> 16 kHz) and full-band frames of bundled LibriVox clips whose
third formant bandwidth decided `F3bandwidth_sma3nz_stddevNorm` before the float32 chain
(docs/egemaps.md, "What still differs"), and a few ordinary ones.

Uses the `opensmile` pip package (2.6): ``opensmile.Smile(feature_set=<the shipped
eGeMAPSv02.conf>, feature_level=<level>)`` returns any intermediate level of the stock
chain. Run from the repository root:

    python tests/make_formant_fixtures.py
"""

import json
import os
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT / "tests"))
OUT = ROOT / "tests" / "data" / "egemaps" / "formant_frames.json"
SAMPLES = ROOT / "python" / "affectkit" / "data" / "samples"
# (clip, band-limited, frames)
FRAMES = [
    ("librivox_sense_and_sensibility_0920", True, [185, 100, 300]),
    ("librivox_sense_and_sensibility_0870", True, [82, 384, 200]),
    ("librivox_sense_and_sensibility_0890", True, [32, 250]),
    ("librivox_sense_and_sensibility_0870", False, [384, 82]),
]
LEVELS = ["gemapsv01b_fftcH25", "gemapsv01b_outpR", "gemapsv01b_lpc", "gemapsv01b_formants"]


def main():
    warnings.simplefilter("ignore")
    import affectkit as ak
    import opensmile
    from egemaps_items import band_limited

    conf = os.path.join(os.path.dirname(opensmile.__file__), "core/config/egemaps/v02/eGeMAPSv02.conf")
    smiles = {lv: opensmile.Smile(feature_set=conf, feature_level=lv) for lv in LEVELS}
    frames = []
    for clip, band, ts in FRAMES:
        y = ak.load(SAMPLES / f"{clip}.flac", sr=16000)[0]
        if band:
            y = band_limited(y)
        levels = {lv: s.process_signal(y, 16000).values.astype(np.float32) for lv, s in smiles.items()}
        for t in ts:
            fft, outp, lpc, fm = (levels[lv][t] for lv in LEVELS)
            frames.append({
                "clip": clip + ("_8k" if band else ""), "frame": t,
                # float32 values written as the shortest decimal of the same double: exact
                "fft": [float(v) for v in fft[:220]], "outp": [float(v) for v in outp],
                "lpc": [float(v) for v in lpc], "formants": [float(v) for v in fm],
            })
    OUT.write_text(json.dumps({"opensmile": opensmile.__version__, "frames": frames}, separators=(",", ":")))
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB, {len(frames)} frames)")


if __name__ == "__main__":
    main()
