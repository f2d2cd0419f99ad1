"""Featurize on the fly in PyTorch DataLoader workers and train a small network on
padded MFCC sequences (synthetic acted corpus written to WAV files first, as a real
corpus would be on disk).

    python examples/pytorch_training.py
"""

import sys
import tempfile

import numpy as np

import affectkit as ak

try:
    import torch
    from torch.utils.data import DataLoader
except ImportError:
    print("torch is not installed: this example needs it (pip install 'affectkit[torch]'); skipped")
    sys.exit(0)

torch.manual_seed(0)
folder = tempfile.mkdtemp(prefix="affectkit-example-")
man = ak.datasets.read_manifest(ak.datasets.make_acted_corpus(200, n_speakers=6, seed=0).save(folder))
train, test = man[man["split"] != "test"], man[man["split"] == "test"]
classes = sorted(man["label"].unique())


def loader(part, shuffle):
    ds = ak.torch.FeatureDataset(part, features="mfcc", classes=classes, preset="kaldi", cache_dir=f"{folder}/cache")
    return DataLoader(ds, batch_size=16, shuffle=shuffle, num_workers=2, collate_fn=ak.torch.pad_collate)


class MeanPoolNet(torch.nn.Module):
    """Frame MLP, masked mean over time, linear classifier."""

    def __init__(self, d, k):
        super().__init__()
        self.norm = torch.nn.LayerNorm(d)
        self.frame = torch.nn.Sequential(torch.nn.Linear(d, 64), torch.nn.ReLU())
        self.out = torch.nn.Linear(64, k)

    def forward(self, x, mask):
        h = self.frame(self.norm(x)) * mask[..., None]
        return self.out(h.sum(1) / mask.sum(1, keepdim=True))


net = MeanPoolNet(13, len(classes))
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
for epoch in range(15):
    for b in loader(train, True):
        loss = torch.nn.functional.cross_entropy(net(b["features"], b["mask"].float()), b["labels"])
        opt.zero_grad()
        loss.backward()
        opt.step()
net.eval()
pred, true = [], []
with torch.no_grad():
    for b in loader(test, False):
        pred += net(b["features"], b["mask"].float()).argmax(1).tolist()
        true += b["labels"].tolist()
ua = ak.metrics.unweighted_accuracy(np.array(true), np.array(pred))
print(f"held-out speakers: UA {ua:.3f} over {len(true)} items (chance {1 / len(classes):.3f}); "
      "synthetic data, a pipeline check, not a benchmark")
