"""Label fusion on a simulated crowd: five annotators of mixed reliability label 500
items; majority vote, Dawid-Skene and soft labels are compared with the known truth, and
the agreement statistics are printed.

    python examples/label_fusion.py
"""

import numpy as np

import affectkit as ak

rng = np.random.default_rng(0)
classes = np.array(["angry", "happy", "neutral", "sad"])
truth = rng.integers(0, len(classes), 500)
# probability that each annotator gives the true label; otherwise a uniformly wrong one
skill = {"a1": 0.9, "a2": 0.8, "a3": 0.7, "a4": 0.35, "a5": 0.3}
items, annotators, labels = [], [], []
for i, t in enumerate(truth):
    for a, p in skill.items():
        lab = t if rng.random() < p else rng.choice([k for k in range(len(classes)) if k != t])
        items.append(f"item{i:03d}")
        annotators.append(a)
        labels.append(classes[lab])

true_by_item = dict(zip([f"item{i:03d}" for i in range(len(truth))], classes[truth]))
for method in (ak.labels.majority, ak.labels.dawid_skene):
    r = method(items, annotators, labels)
    acc = np.mean([lab == true_by_item[i] for i, lab in zip(r.items, r.labels)])
    print(f"{method.__name__:<12} accuracy against the truth: {acc:.3f}")

soft = ak.labels.soft(items, annotators, labels)
print("soft labels of the first item:", {str(c): round(float(v), 2) for c, v in zip(soft.classes, soft.posterior[0])})

alpha = ak.labels.krippendorff_alpha(items, annotators, labels, level="nominal")
print(f"Krippendorff's alpha (nominal): {alpha:.3f}")
ds = ak.labels.dawid_skene(items, annotators, labels)
print("Dawid-Skene's estimate of each annotator's accuracy:",
      {str(a): round(float(np.trace(cm)) / len(classes), 2) for a, cm in zip(ds.annotators, ds.confusion)})
