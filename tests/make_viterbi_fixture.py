"""Writes tests/data/egemaps/viterbi_telephone.json: openSMILE's own SHS candidates
(``gemapsv01b_pitchShsG60``: nCandidates, F0Cand, candVoicing) and its smoother's output
(``gemapsv01b_logPitchRaw``: F0final) for one native 8 kHz telephone prompt, the fixture
of the Rust test ``telephone_candidate_choice`` in src/audio/egemaps/viterbi.rs.

The prompt: ``it_IT_m_Carlo/demo-enterkeywords`` of Debian's asterisk-core-sounds-it-wav
(569 frames), upsampled to 16 kHz with ``ak.resample`` as tests/egemaps_items.py
``telephone_clips`` does. Given these candidates, the smoother with `wTvv |log2(f / f')|`
alone (the rule before the measured terms) differs from openSMILE on 12 frames, the
smoother of viterbi.rs on 1.
Run from the repository root (needs the ``opensmile`` pip package and the Debian package):

    python tests/make_viterbi_fixture.py
"""

import json
import os
import warnings
from pathlib import Path

from egemaps_items import ASTERISK, upsampled_8k

ROOT = Path(__file__).parents[1]
PROMPT = ASTERISK / "it_IT_m_Carlo" / "demo-enterkeywords.wav"
OUT = ROOT / "tests" / "data" / "egemaps" / "viterbi_telephone.json"


def main():
    warnings.simplefilter("ignore")
    import opensmile

    y16 = upsampled_8k(PROMPT)
    conf = os.path.join(os.path.dirname(opensmile.__file__), "core/config/egemaps/v02/eGeMAPSv02.conf")
    shs = opensmile.Smile(feature_set=conf, feature_level="gemapsv01b_pitchShsG60").process_signal(y16, 16000)
    raw = opensmile.Smile(feature_set=conf, feature_level="gemapsv01b_logPitchRaw").process_signal(y16, 16000)
    n = min(len(shs), len(raw))
    cols = ["nCandidates"] + [f"F0Cand[{k}]" for k in range(6)] + [f"candVoicing[{k}]" for k in range(6)]
    out = {
        "source": f"{PROMPT.parent.name}/{PROMPT.name}, ak.resample to 16 kHz; opensmile {opensmile.__version__}",
        "columns": cols + ["F0final"],
        "values": [[float(v) for v in shs[cols].to_numpy()[t]] + [float(raw["F0final"].to_numpy()[t])]
                   for t in range(n)],
    }
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"{OUT}: {n} frames")


if __name__ == "__main__":
    main()
