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
PY
# the manifest's speaker, label and split columns pass through to the feature table
affectkit extract corpus/manifest.csv --features egemaps,mfcc -o feats.parquet
affectkit fuse annotations.csv --method dawid-skene -o labels.csv
# train on the fused labels; --split uses the feature table's split column (speaker-independent)
affectkit train feats.parquet labels.csv --split train --model mlp -o model.ak
# score against the truth (the manifest's label, in the feature table), not the fused labels
affectkit evaluate model.ak feats.parquet --split test
