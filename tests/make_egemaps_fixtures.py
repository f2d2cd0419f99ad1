"""Writes tests/data/egemaps/<clip>.json: openSMILE's intermediate eGeMAPS levels for two
bundled real clips (tests/data/cmu_cards_001.wav, a CMU speaker; the LibriVox clip 0880, a
low voice whose H1-H2 has openSMILE's missing-harmonic values), the fixtures of the Rust
stage tests in src/audio/egemaps/stage_tests.rs.

Uses the `opensmile` pip package (2.6): ``opensmile.Smile(feature_set=<the shipped
eGeMAPSv02.conf>, feature_level=<level>)`` returns any intermediate data-memory level of
the stock chain. Run from the repository root:

    python tests/make_egemaps_fixtures.py
"""

import json
import os
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).parents[1]
CLIPS = {
    "cards_001": ROOT / "tests" / "data" / "cmu_cards_001.wav",
    "librivox_0880": ROOT / "python" / "affectkit" / "data" / "samples" / "librivox_sense_and_sensibility_0880.flac",
}
OUT = ROOT / "tests" / "data" / "egemaps"

LEVELS = {
    # 20 ms frames
    "lldsetE": "egemapsv02_lldsetE",
    # 60 ms frames
    "shs": "gemapsv01b_pitchShsG60",
    "pitch_raw": "gemapsv01b_logPitchRaw",
    "pitch": "gemapsv01b_logPitch",
    "rms60": "gemapsv01b_e60",
    "formants": "gemapsv01b_formants",
    "lpc": "gemapsv01b_lpc",
    "harmonics": "gemapsv01b_harmonics",
    "jitter": "gemapsv01b_jitterShimmer",
    # smoothed output
    "lld": "lld",
    "func": "func",
}


def main():
    warnings.simplefilter("ignore")
    import opensmile
    import soundfile as sf

    conf = os.path.join(os.path.dirname(opensmile.__file__), "core/config/egemaps/v02/eGeMAPSv02.conf")
    gconf = os.path.join(os.path.dirname(opensmile.__file__), "core/config/gemaps/v01b/GeMAPSv01b.conf")
    for name, clip in CLIPS.items():
        y, sr = sf.read(clip, dtype="float32")
        out = {"clip": clip.name, "opensmile": opensmile.__version__, "levels": {}}
        for key, level in LEVELS.items():
            df = opensmile.Smile(feature_set=conf, feature_level=level).process_signal(y, sr)
            out["levels"][key] = {"columns": list(df.columns),
                                  "values": np.round(df.values.astype(float), 7).tolist()}
        df = opensmile.Smile(feature_set=gconf, feature_level="func").process_signal(y, sr)
        out["levels"]["gemaps_func"] = {"columns": list(df.columns),
                                        "values": np.round(df.values.astype(float), 7).tolist()}
        path = OUT / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out, separators=(",", ":")))
        print(f"wrote {path} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
