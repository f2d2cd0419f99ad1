"""ak.DialogueClassifier(context="gru") (Burn, flex CPU backend) side by side with the same
network and loop in PyTorch, single thread (issue 19).

Data: 1,000 dialogues of 10 utterances (10,000 utterances), 256-dim features, 5 classes
whose sequence per dialogue keeps the previous emotion with probability 0.7; each
utterance's features are its class mean plus unit noise.

Network in both: utterance encoder Linear(256 + 1 presence bit -> 64) + ReLU, a
bidirectional GRU of 64 units per direction over the dialogue, Linear(128 -> 5) per
utterance; cross-entropy over the utterances; Adam at 1e-3 without weight decay;
minibatches of 32 dialogues, reshuffled each epoch; exactly --epochs epochs.

Reported: fit seconds (median of --repeat, runs interleaved) and training accuracy; and,
to see where the time goes, affectkit's fit with context="none" (encoder and head only) and
with causal=True (the forward GRU only).

Run: python benches/python/compare_dialogue.py [--repeat 3] [--epochs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")
os.environ.setdefault("AFFECTKIT_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import affectkit as ak  # noqa: E402
from affectkit.dialogues import Dialogues  # noqa: E402

N_DIALOGUES, TURNS, DIM, K, H = 1000, 10, 256, 5, 64


def data(seed=0):
    rng = np.random.default_rng(seed)
    means = rng.normal(size=(K, DIM)) * 0.3
    labels = np.empty((N_DIALOGUES, TURNS), dtype=np.int64)
    labels[:, 0] = rng.integers(0, K, N_DIALOGUES)
    for t in range(1, TURNS):
        keep = rng.random(N_DIALOGUES) < 0.7
        labels[:, t] = np.where(keep, labels[:, t - 1], rng.integers(0, K, N_DIALOGUES))
    X = means[labels] + rng.normal(size=(N_DIALOGUES, TURNS, DIM))
    return X.astype(np.float32), labels


def as_dialogues(X, labels):
    parties = np.arange(TURNS) % 2
    return Dialogues(ids=list(range(N_DIALOGUES)), items=[list(range(TURNS))] * N_DIALOGUES,
                     speakers=[parties] * N_DIALOGUES, speaker_names=[["a", "b"]] * N_DIALOGUES,
                     labels=[list(map(int, lab)) for lab in labels], features={"x": list(X)})


def fit_affectkit(D, epochs, **kw):
    est = ak.EmotionClassifier((), max_epochs=epochs, batch_size=32, alpha=0.0, tol=0.0,
                               n_iter_no_change=epochs, standardize=False, random_state=0, n_jobs=1)
    clf = ak.DialogueClassifier(est, hidden_size=H, **kw)
    t = time.perf_counter()
    clf.fit(D)
    return time.perf_counter() - t, clf.score(D) if kw.get("context") == "gru" and not kw.get("causal") else None


def fit_torch(X, labels, epochs):
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = torch.nn.Linear(DIM + 1, H)
            self.gru = torch.nn.GRU(H, H, batch_first=True, bidirectional=True)
            self.head = torch.nn.Linear(2 * H, K)

        def forward(self, x):
            u = torch.relu(self.enc(x))
            c, _ = self.gru(u)
            return self.head(c)

    x = torch.from_numpy(np.concatenate([X, np.ones(X.shape[:2] + (1,), np.float32)], axis=2))
    y = torch.from_numpy(labels)
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(0)
    t = time.perf_counter()
    for _ in range(epochs):
        for idx in torch.randperm(N_DIALOGUES, generator=g).split(32):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(x[idx]).reshape(-1, K), y[idx].reshape(-1))
            loss.backward()
            opt.step()
    secs = time.perf_counter() - t
    with torch.no_grad():
        acc = (net(x).argmax(-1) == y).float().mean().item()
    return secs, acc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args()
    X, labels = data()
    D = as_dialogues(X, labels)
    runs = {"affectkit gru": [], "pytorch gru": [], "affectkit none": [], "affectkit causal gru": []}
    accs = {}
    for _ in range(args.repeat):
        s, a = fit_affectkit(D, args.epochs, context="gru")
        runs["affectkit gru"].append(s)
        accs["affectkit gru"] = a
        s, a = fit_torch(X, labels, args.epochs)
        runs["pytorch gru"].append(s)
        accs["pytorch gru"] = a
        runs["affectkit none"].append(fit_affectkit(D, args.epochs, context="none")[0])
        runs["affectkit causal gru"].append(fit_affectkit(D, args.epochs, context="gru", causal=True)[0])
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"{N_DIALOGUES} dialogues x {TURNS} turns, {DIM} features, {args.epochs} epochs, batch 32, 1 thread, "
          f"median of {args.repeat}")
    print("| fit | seconds | runs | train accuracy (UA for affectkit) |\n|---|---|---|---|")
    for k, v in runs.items():
        print(f"| {k} | {med[k]:.2f} | {', '.join(f'{x:.2f}' for x in v)} | "
              f"{'' if accs.get(k) is None else f'{accs[k]:.3f}'} |")
    print(f"\nPyTorch / affectkit (bidirectional GRU): {med['pytorch gru'] / med['affectkit gru']:.2f}x "
          "(above 1: affectkit faster)")


if __name__ == "__main__":
    main()
