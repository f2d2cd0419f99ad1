"""The API part of scripts/wheel_smoke.sh: run inside a venv that has only the wheel installed.

    python scripts/wheel_smoke_api.py EXPECTED_VERSION

Imports the installed affectkit (never the source tree: run it from another folder), and
exercises each area once on the bundled samples and a small synthetic corpus: audio
decoding, MFCC and eGeMAPS, annotation fusion and agreement, a Burn-trained classifier with
its metrics. Prints one line per check; exits non-zero on the first failure.
"""
import sys
import time
from pathlib import Path

t0 = time.perf_counter()
expected_version = sys.argv[1]

import numpy as np

import affectkit as ak

here = Path(ak.__file__).resolve()
assert "site-packages" in here.parts, f"affectkit imported from {here}, not from the installed wheel"
assert ak.__version__ == expected_version, (ak.__version__, expected_version)
print(f"ok  import affectkit {ak.__version__} from {here.parent}")

# Bundled samples: decoded by the Rust core (FLAC through symphonia).
paths = ak.datasets.sample_paths()
assert len(paths) == 5, paths
y, sr = ak.load(paths[0], sr=16000)
assert y.dtype == np.float32 and y.ndim == 1 and sr == 16000 and y.size > sr, (y.dtype, y.shape, sr)
print(f"ok  load {paths[0].name}: {y.size / sr:.2f} s")

M = ak.mfcc(y, sr)
assert M.ndim == 2 and M.shape[1] == 20 and np.isfinite(M).all(), M.shape
E = ak.egemaps(y, sr)
assert len(E) == 88, len(E)
print(f"ok  mfcc {M.shape}, egemaps {len(E)} functionals")

# Annotations: fusion and agreement on the long table.
ds = ak.datasets.make_acted_corpus(60, seed=0)
fused = ak.labels.dawid_skene(ds.annotations)
alpha = ak.labels.krippendorff_alpha(ds.annotations, level="nominal")
assert np.isfinite(alpha) and -1.0 <= alpha <= 1.0, alpha
print(f"ok  dawid_skene on {len(ds.annotations)} answers, krippendorff alpha {alpha:.3f}")

# A model: Burn MLP behind scikit-learn's API.
X = ak.egemaps_batch(ds.audio, ds.sr)
train = (ds.manifest["split"] != "test").to_numpy()
clf = ak.EmotionClassifier((32,), max_epochs=20, random_state=0)
clf.fit(X[train], ds.labels[train])
pred = clf.predict(X[~train])
rep = ak.metrics.report(ds.labels[~train], pred)
print(f"ok  EmotionClassifier fit on {int(train.sum())} clips, UA {100 * rep.scores['UA']:.1f} % on {int((~train).sum())}")
print(f"ok  API smoke test in {time.perf_counter() - t0:.1f} s")
