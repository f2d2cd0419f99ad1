"""What the standardize=True default does on real feature scales: eGeMAPS (88 functionals,
columns from ~0.01 to thousands) and face-geometry statistics of the synthetic acted corpus,
trained on 10 speakers and scored on 2 held-out speakers, with standardize=True (the default)
and standardize=False, for seeds 0-2 of the estimators (the corpus is seed 0).

- classifier: EmotionClassifier((64,)) on eGeMAPS, UA on the held-out speakers;
- regressor: EmotionRegressor((64,), loss="ccc") on eGeMAPS predicting an arousal rating
  derived from the emotion (the corpus has no dimensional ratings: angry 0.8, fearful 0.7,
  happy 0.6, neutral 0.0, sad -0.6, an approximation of Russell's circumplex), CCC;
- gated: MultimodalClassifier(EmotionClassifier((64,)), fusion="gated") on eGeMAPS + face;
- attention: SequenceClassifier(EmotionClassifier((32,)), pooling="attention") on the
  per-frame eGeMAPS LLDs (25 columns), UA.

    python benches/python/bench_standardize.py
"""

import numpy as np

import affectkit as ak

AROUSAL = {"angry": 0.8, "fearful": 0.7, "happy": 0.6, "neutral": 0.0, "sad": -0.6}


def main() -> None:
    ds = ak.datasets.make_acted_corpus(600, n_speakers=12, seed=0)
    split = ds.manifest["split"].to_numpy()
    tr, te = split != "test", split == "test"
    eg = ak.egemaps_batch(ds.audio, ds.sr)
    face = np.array([np.concatenate([ak.functionals(ak.face.geometry(lm.astype(np.float64)), which=(s,))[s]
                                     for s in ("mean", "std", "max")]) for lm in ds.landmarks])
    lld = [ak.egemaps(y, ds.sr, level="lld") for y in ds.audio]
    y = np.asarray(ds.labels).astype(str)
    arousal = np.array([AROUSAL[c] for c in y])
    print(f"eGeMAPS column scales (training s.d.): min {np.nanstd(eg[tr], axis=0).min():.3g}, "
          f"max {np.nanstd(eg[tr], axis=0).max():.3g}; train {tr.sum()} items, test {te.sum()}")
    ua = ak.metrics.unweighted_accuracy
    rows = []
    for standardize in (True, False):
        res = {"classifier UA": [], "regressor CCC": [], "gated UA": [], "attention UA": []}
        for seed in (0, 1, 2):
            kw = dict(standardize=standardize, random_state=seed)
            clf = ak.EmotionClassifier((64,), **kw).fit(eg[tr], y[tr])
            res["classifier UA"].append(ua(y[te], clf.predict(eg[te])))
            reg = ak.EmotionRegressor((64,), loss="ccc", **kw).fit(eg[tr], arousal[tr])
            res["regressor CCC"].append(ak.metrics.ccc(arousal[te], reg.predict(eg[te])))
            mm = ak.MultimodalClassifier(ak.EmotionClassifier((64,), **kw), fusion="gated")
            mm.fit({"audio": eg[tr], "face": face[tr]}, y[tr])
            res["gated UA"].append(ua(y[te], mm.predict({"audio": eg[te], "face": face[te]})))
            seq = ak.SequenceClassifier(ak.EmotionClassifier((32,), max_epochs=100, **kw), pooling="attention")
            seq.fit([lld[i] for i in np.nonzero(tr)[0]], y[tr])
            res["attention UA"].append(ua(y[te], seq.predict([lld[i] for i in np.nonzero(te)[0]])))
        rows.append((standardize, res))
    print("| standardize | " + " | ".join(rows[0][1]) + " |")
    print("|---|" + "---|" * len(rows[0][1]))
    for standardize, res in rows:
        cells = [f"{np.median(v):.3f} ({min(v):.3f}-{max(v):.3f})" for v in res.values()]
        print(f"| {standardize} | " + " | ".join(cells) + " |")
    print("median (min-max) over estimator seeds 0-2")


if __name__ == "__main__":
    main()
