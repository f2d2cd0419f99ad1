"""Writes tests/data/egemaps/viterbi_telephone.json and viterbi_telephone_2.json:
openSMILE's own SHS candidates (``gemapsv01b_pitchShsG60``: nCandidates, F0Cand,
candVoicing) and its smoother's output (``gemapsv01b_logPitchRaw``: F0final) for two native
8 kHz telephone prompts, the fixtures of the Rust test ``telephone_candidate_choice`` in
src/audio/egemaps/viterbi.rs.

The prompts: ``it_IT_m_Carlo/demo-enterkeywords`` (569 frames) and
``it_IT_m_Carlo/vm-forwardoptions`` (512 frames) of Debian's asterisk-core-sounds-it-wav,
upsampled to 16 kHz with ``ak.resample`` as tests/egemaps_items.py ``telephone_clips``
does. Given these candidates, the smoother of viterbi.rs gives openSMILE's path on every
frame; the fitted voiced-to-voiced surrogate before it differed on 1 and 6.
Run from the repository root (needs the ``opensmile`` pip package and the Debian package):

    python tests/make_viterbi_fixture.py
"""

import json
import os
import warnings
from pathlib import Path

from egemaps_items import ASTERISK, upsampled_8k

ROOT = Path(__file__).parents[1]
PROMPTS = {
    "viterbi_telephone.json": ASTERISK / "it_IT_m_Carlo" / "demo-enterkeywords.wav",
    "viterbi_telephone_2.json": ASTERISK / "it_IT_m_Carlo" / "vm-forwardoptions.wav",
}


def main():
    warnings.simplefilter("ignore")
    import opensmile

    conf = os.path.join(os.path.dirname(opensmile.__file__), "core/config/egemaps/v02/eGeMAPSv02.conf")
    shs_level = opensmile.Smile(feature_set=conf, feature_level="gemapsv01b_pitchShsG60")
    raw_level = opensmile.Smile(feature_set=conf, feature_level="gemapsv01b_logPitchRaw")
    cols = ["nCandidates"] + [f"F0Cand[{k}]" for k in range(6)] + [f"candVoicing[{k}]" for k in range(6)]
    for name, prompt in PROMPTS.items():
        y16 = upsampled_8k(prompt)
        shs = shs_level.process_signal(y16, 16000)
        raw = raw_level.process_signal(y16, 16000)
        n = min(len(shs), len(raw))
        out = {
            "source": f"{prompt.parent.name}/{prompt.name}, ak.resample to 16 kHz; opensmile {opensmile.__version__}",
            "columns": cols + ["F0final"],
            "values": [[float(v) for v in shs[cols].to_numpy()[t]] + [float(raw["F0final"].to_numpy()[t])]
                       for t in range(n)],
        }
        path = ROOT / "tests" / "data" / "egemaps" / name
        path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
        print(f"{path}: {n} frames")


if __name__ == "__main__":
    main()
