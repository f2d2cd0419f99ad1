#!/usr/bin/env bash
# The command-line route from a corpus on disk to a scored model: the synthetic acted
# corpus is written as WAV files + manifest.csv, then featurized, its crowd annotations
# fused, a model trained on the training speakers and evaluated on the held-out ones.
#
#     bash examples/cli_walkthrough.sh [work folder]
set -euo pipefail
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
cd "$work"
python - <<'PY'
import affectkit as ak
man = ak.datasets.read_manifest(ak.datasets.make_acted_corpus(200, n_speakers=6, seed=0).save("corpus"))
ak.datasets.annotations(man).to_csv("annotations.csv", index=False)     # task, worker, label
man[["item", "split"]].to_csv("splits.csv", index=False)
PY
affectkit extract corpus/manifest.csv --features egemaps,mfcc -o feats.parquet
affectkit fuse annotations.csv --method dawid-skene -o labels.csv
python - <<'PY'
import pandas as pd
# fused labels + each item's split (speaker-independent) in one label table
pd.read_csv("labels.csv").merge(pd.read_csv("splits.csv"), on="item").to_csv("labels_split.csv", index=False)
feats = pd.read_parquet("feats.parquet")
split = pd.read_csv("splits.csv").set_index("item")["split"]
feats[feats["item"].map(split) == "test"].to_parquet("test.parquet", index=False)
PY
affectkit train feats.parquet labels_split.csv --split train --model mlp -o model.ak
# score against the truth (the manifest's label), not against the fused labels
affectkit evaluate model.ak test.parquet corpus/manifest.csv
