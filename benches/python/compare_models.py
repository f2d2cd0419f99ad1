"""ak.EmotionClassifier (Burn, flex CPU backend) side by side with scikit-learn's MLPClassifier
and a plain PyTorch CPU loop, single thread, same data, architecture, epochs and batch size.

Problems:
- digits: 1,797 x 64 (scaled to [0, 1]), 128 ReLU units, 60 epochs, batch 200;
- synthetic: 20,000 x 88 (eGeMAPS-sized), 7 classes, 256 ReLU units, 30 epochs, batch 200.

Every fitter runs exactly the given number of epochs (tol=0 / no early stopping), Adam at
1e-3. Reported: fit seconds (median of --repeat, runs interleaved), test accuracy, and
predict_proba throughput on the test set (median of 20 calls).

Run: chrt -f 1 python benches/python/compare_models.py [--repeat 5] [--no-torch]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import warnings

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("AFFECTKIT_NUM_THREADS", "1")

import numpy as np  # noqa: E402
from sklearn.datasets import load_digits, make_classification  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

import affectkit as ak  # noqa: E402


def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y, 128, 60


def synthetic():
    X, y = make_classification(n_samples=20000, n_features=88, n_informative=40, n_redundant=20,
                               n_classes=7, n_clusters_per_class=2, class_sep=1.5, random_state=0)
    return StandardScaler().fit_transform(X), y, 256, 30


class Torch:
    """The same MLP and Adam loop in PyTorch (shuffled minibatches, L2 alpha in Adam)."""

    def __init__(self, hidden, epochs, batch):
        self.hidden, self.epochs, self.batch = hidden, epochs, batch

    def fit(self, X, y):
        import torch

        torch.set_num_threads(1)
        torch.manual_seed(0)
        Xt = torch.as_tensor(X, dtype=torch.float32)
        yt = torch.as_tensor(y, dtype=torch.long)
        k = int(y.max()) + 1
        self.model = torch.nn.Sequential(torch.nn.Linear(X.shape[1], self.hidden), torch.nn.ReLU(),
                                         torch.nn.Linear(self.hidden, k))
        opt = torch.optim.Adam(self.model.parameters(), lr=1e-3, weight_decay=1e-4)
        loss_fn = torch.nn.CrossEntropyLoss()
        g = torch.Generator().manual_seed(0)
        for _ in range(self.epochs):
            for idx in torch.randperm(len(Xt), generator=g).split(self.batch):
                opt.zero_grad()
                loss_fn(self.model(Xt[idx]), yt[idx]).backward()
                opt.step()
        return self

    def predict_proba(self, X):
        import torch

        with torch.no_grad():
            return torch.softmax(self.model(torch.as_tensor(X, dtype=torch.float32)), 1).numpy()

    def score(self, X, y):
        return float((self.predict_proba(X).argmax(1) == y).mean())


def fitters(hidden, epochs, batch, use_torch):
    out = {
        "affectkit": lambda: ak.EmotionClassifier((hidden,), max_epochs=epochs, batch_size=batch, tol=0.0,
                                                  random_state=0, n_jobs=1),
        "sklearn": lambda: MLPClassifier((hidden,), max_iter=epochs, batch_size=batch, tol=0.0, random_state=0),
    }
    if use_torch:
        out["torch"] = lambda: Torch(hidden, epochs, batch)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-torch", action="store_true")
    args = ap.parse_args()
    use_torch = not args.no_torch
    if use_torch:
        try:
            import torch  # noqa: F401
        except ImportError:
            use_torch = False
    warnings.simplefilter("ignore")
    for name, make in (("digits", digits), ("synthetic 20k x 88, 7 classes", synthetic)):
        X, y, hidden, epochs = make()
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
        fs = fitters(hidden, epochs, 200, use_torch)
        times = {k: [] for k in fs}
        models = {}
        for _ in range(args.repeat):
            for k, f in fs.items():  # interleaved, so load changes hit every fitter alike
                t0 = time.perf_counter()
                models[k] = f().fit(Xtr, ytr)
                times[k].append(time.perf_counter() - t0)
        print(f"\n{name}: {len(Xtr)} train / {len(Xte)} test, {hidden} hidden, {epochs} epochs, batch 200, 1 thread")
        print(f"{'':<10}{'fit s (median)':>16}{'test acc':>10}{'proba rows/s':>14}")
        rates = {}
        for k, m in models.items():
            calls = []
            for _ in range(20):
                t0 = time.perf_counter()
                m.predict_proba(Xte)
                calls.append(time.perf_counter() - t0)
            rates[k] = len(Xte) / statistics.median(calls)
            print(f"{k:<10}{statistics.median(times[k]):>16.3f}{m.score(Xte, yte):>10.4f}{rates[k]:>14.0f}")
        ours = statistics.median(times["affectkit"])
        for k in fs:
            if k != "affectkit":
                print(f"fit speed-up vs {k}: {statistics.median(times[k]) / ours:.2f}x; "
                      f"predict_proba throughput ratio: {rates['affectkit'] / rates[k]:.2f}x")


if __name__ == "__main__":
    main()
