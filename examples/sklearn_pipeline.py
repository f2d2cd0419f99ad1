"""eGeMAPS features and a Burn classifier in one scikit-learn pipeline, evaluated
speaker-independently (GroupKFold) on the synthetic acted corpus.

    python examples/sklearn_pipeline.py
"""

import numpy as np
from sklearn.metrics import make_scorer
from sklearn.model_selection import GroupKFold, cross_val_score
from sklearn.pipeline import make_pipeline

import affectkit as ak

ds = ak.datasets.make_acted_corpus(300, n_speakers=6, seed=0)
model = make_pipeline(
    ak.audio.EGeMAPS(sr=ds.sr),                                       # 88 functionals per clip
    ak.EmotionClassifier((64,), standardize=True, max_epochs=100, random_state=0),
)
ua = make_scorer(ak.metrics.unweighted_accuracy)
scores = cross_val_score(model, ds.audio, ds.labels, groups=ds.speakers, cv=GroupKFold(n_splits=3), scoring=ua)
print(f"speaker-independent UA over 3 folds: {np.mean(scores):.3f} (folds {np.round(scores, 3).tolist()}; "
      f"chance {1 / len(ds.classes):.3f}) - synthetic data, a pipeline check, not a benchmark")
