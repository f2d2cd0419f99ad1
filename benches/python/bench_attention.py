"""Training time and held-out accuracy of SequenceClassifier(pooling="attention") on the
short-event task of tests/models/test_models_sequence.py (600 training sequences of 20-60
frames, 100 epochs, one thread), against mean pooling.

    chrt -f 1 python benches/python/bench_attention.py [attention_dim ...]
"""

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))
from test_models_sequence import _short_event  # noqa: E402

import affectkit as ak  # noqa: E402


def main() -> None:
    dims = [int(a) for a in sys.argv[1:]] or [32, 16, 8]
    Xtr, ytr = _short_event(600, 1)
    Xte, yte = _short_event(300, 2)
    base = ak.EmotionClassifier((16,), max_epochs=100, random_state=0, n_jobs=1)
    runs = [("mean", {"pooling": "mean"})] + [(f"attention dim={d}", {"pooling": "attention", "attention_dim": d})
                                              for d in dims]
    times = {name: [] for name, _ in runs}
    acc = {}
    for _ in range(3):  # interleaved: each repeat runs every variant once
        for name, kw in runs:
            t = time.perf_counter()
            m = ak.SequenceClassifier(base, **kw).fit(Xtr, ytr)
            times[name].append(time.perf_counter() - t)
            acc[name] = m.score(Xte, yte)
    for name, _ in runs:
        print(f"{name:22s} median {np.median(times[name]):6.2f} s  runs {[round(x, 2) for x in times[name]]}"
              f"  held-out accuracy {acc[name]:.3f}")


if __name__ == "__main__":
    main()
