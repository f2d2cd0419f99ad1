"""Training time of the layer-weighted head (softmax layer weights, pooling over frames,
MLP 256 ReLU) in affectkit against the same head trained by a PyTorch loop, one thread
each, same data, epochs, batch size, optimizer (Adam 1e-3, L2 1e-4) and no early stop.

Data: synthetic hidden states of N items, 13 layers (a base-size model: 12 transformer
layers + the front), D dims, 40-80 frames, 4 classes. PyTorch runs:

- "torch frames": the loop a researcher writes (s3prl's featurizer + mean pooling): each
  minibatch pads the frames (B, L, T, D), mixes the layers, masked-means the frames;
- "torch pre-pooled": the same network given the per-layer frame means once (what
  affectkit does with mean pooling: exact, since the mix is linear);
- attention pooling: both on the frames (no reduction possible), affectkit's tanh
  approximation vs torch's tanh.

    python benches/python/compare_layerwise.py [n_items dim epochs]
"""

import os
import sys
import time

os.environ.setdefault("AFFECTKIT_NUM_THREADS", "1")
os.environ.setdefault("RAYON_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

import affectkit as ak  # noqa: E402

torch.set_num_threads(1)
LAYERS, HIDDEN, BATCH, CLASSES = 13, 256, 32, 4


def data(n, dim, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, CLASSES, n)
    H = []
    for c in y:
        h = rng.normal(size=(LAYERS, int(rng.integers(40, 81)), dim)).astype(np.float32)
        h[8, :, c] += 0.5
        H.append(h)
    return H, y


class Head(torch.nn.Module):
    def __init__(self, dim, pooling):
        super().__init__()
        self.logits = torch.nn.Parameter(torch.zeros(LAYERS))
        self.pooling = pooling
        if pooling == "attention":
            self.project, self.score = torch.nn.Linear(dim, 16), torch.nn.Linear(16, 1)
        self.mlp = torch.nn.Sequential(torch.nn.Linear(dim, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES))

    def forward(self, x, mask):  # x (B, L, T, D) or pre-pooled (B, L, D) with mask None
        w = torch.softmax(self.logits, 0)
        if mask is None:
            return self.mlp((w[None, :, None] * x).sum(1))
        mixed = (w[None, :, None, None] * x).sum(1)                 # (B, T, D)
        if self.pooling == "mean":
            pooled = (mixed * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        else:
            s = self.score(torch.tanh(self.project(mixed)))[..., 0].masked_fill(mask == 0, float("-inf"))
            pooled = (torch.softmax(s, 1)[..., None] * mixed).sum(1)
        return self.mlp(pooled)


def torch_fit(H, y, epochs, pooling, prepooled):
    torch.manual_seed(0)
    dim = H[0].shape[2]
    net = Head(dim, pooling)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
    target = torch.as_tensor(y)
    pooled = torch.as_tensor(np.stack([h.mean(axis=1) for h in H])) if prepooled else None
    rng = np.random.default_rng(0)
    for _ in range(epochs):
        for idx in np.array_split(rng.permutation(len(H)), int(np.ceil(len(H) / BATCH))):
            if prepooled:
                x, mask = pooled[idx], None
            else:
                t = max(H[i].shape[1] for i in idx)
                x = torch.zeros(len(idx), LAYERS, t, dim)
                mask = torch.zeros(len(idx), t)
                for j, i in enumerate(idx):
                    x[j, :, : H[i].shape[1]] = torch.from_numpy(H[i])
                    mask[j, : H[i].shape[1]] = 1
            loss = torch.nn.functional.cross_entropy(net(x, mask), target[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net


def ak_fit(H, y, epochs, pooling):
    return ak.LayerWeightedClassifier((HIDDEN,), pooling=pooling, batch_size=BATCH, max_epochs=epochs,
                                      n_iter_no_change=epochs, random_state=0, n_jobs=1).fit(H, y)


def timed(f, repeats):
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        out.append(time.perf_counter() - t)
    return out


def main():
    n, dim, epochs = (int(a) for a in (sys.argv[1:] or ["400", "192", "20"]))
    H, y = data(n, dim)
    print(f"{n} items x {LAYERS} layers x 40-80 frames x {dim} dims, {epochs} epochs, batch {BATCH}, "
          f"head {HIDDEN} ReLU, one thread (torch {torch.__version__})")
    runs = [
        ("mean: affectkit", lambda: ak_fit(H, y, epochs, "mean")),
        ("mean: torch frames", lambda: torch_fit(H, y, epochs, "mean", False)),
        ("mean: torch pre-pooled", lambda: torch_fit(H, y, epochs, "mean", True)),
        ("attention: affectkit", lambda: ak_fit(H, y, max(epochs // 4, 1), "attention")),
        ("attention: torch frames", lambda: torch_fit(H, y, max(epochs // 4, 1), "attention", False)),
    ]
    times = {name: [] for name, _ in runs}
    for _ in range(3):  # interleaved
        for name, f in runs:
            times[name] += timed(f, 1)
    med = {k: float(np.median(v)) for k, v in times.items()}
    for name, _ in runs:
        print(f"{name:26s} median {med[name]:7.2f} s  runs {[round(t, 2) for t in times[name]]}")
    print(f"mean pooling: affectkit {med['mean: torch frames'] / med['mean: affectkit']:.1f}x the torch frame loop, "
          f"{med['mean: torch pre-pooled'] / med['mean: affectkit']:.2f}x the pre-pooled torch loop")
    print(f"attention pooling ({max(epochs // 4, 1)} epochs): affectkit "
          f"{med['attention: torch frames'] / med['attention: affectkit']:.2f}x the torch loop")


if __name__ == "__main__":
    main()
