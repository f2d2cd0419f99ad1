"""``affectkit train`` and ``affectkit evaluate``: fit an emotion model on a feature table
and score it on another, from the shell.

Tables are what ``affectkit extract`` writes (.parquet or .csv, one row per item) and label
files what ``affectkit fuse`` or ``affectkit index`` write; rows are joined on the ``item``
column (or the index named ``item``), else on ``path``. Feature columns are those of the
features the table's settings record names (:func:`affectkit.features.feature_columns`);
for a table without a record (made by hand), the numeric columns that are not bookkeeping
(:data:`NOT_FEATURES`, ``p_<class>`` soft labels, the targets). Models are saved with
``standardize=True``: the file holds the training means and scales, the feature names and
the table's feature settings, so ``evaluate`` checks that a table carries the same
features computed with the same settings (exit 2 otherwise; ``--ignore-settings``
overrides with a warning); NaN features (no voiced frame) count as the training mean.
Every row left out (no label, no features, another split) is counted in the output.

    affectkit train feats.parquet labels.csv --split train -o model.ak
    affectkit evaluate model.ak feats.parquet labels.csv --split test -o predictions.csv
"""

from __future__ import annotations

from typing import Any

import argparse
import sys
from pathlib import Path
import numpy as np
from ._common import EXIT_USAGE, CommandError, SEED_MAX, _n_jobs, _positive, _seed
from .._util.progress import Stages

from ._tables import _feature_columns, _joined, _left_out, _regression, _table_settings, _targets

MODELS = {"mlp": (256,), "mlp2": (256, 128), "linear": ()}


def train(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    progress = Stages(3, err)
    try:
        return _train(args, out, err, progress)
    finally:
        progress.close()


def _train(args: argparse.Namespace, out, err, progress: Stages) -> int:
    from .. import settings
    from ..models.classifier import EmotionClassifier
    from ..models.regressor import EmotionRegressor

    progress.update(0, f"reading {Path(args.features).name}")
    targets = _targets(args)
    record = _table_settings(args.features)
    table, dropped = _joined(args.features, args.labels, targets, args.soft, args.split, err)
    if record is None:
        print(f"affectkit train: warning: {args.features} carries no feature settings (a table made by hand?); "
              "the model cannot check that the tables it scores were computed the same way", file=err)
    cols = _feature_columns(table, targets, record)
    if not cols:
        raise CommandError(f"{args.features}: no numeric feature columns", EXIT_USAGE)
    if len(table) < 2:
        raise CommandError(f"{args.features}: {len(table)} labelled item(s); training needs at least 2")
    X = settings.attach(table[cols].copy(), record)
    progress.update(1, f"training on {len(table)} items x {len(cols)} features")
    options = dict(hidden_layer_sizes=MODELS[args.model], standardize=True, max_epochs=args.epochs,
                   random_state=args.seed, n_jobs=args.n_jobs)
    if _regression(table, targets):
        model = EmotionRegressor(loss=args.loss, **options)
        y = table[targets].to_numpy(dtype=np.float64)
        model.fit(X, y[:, 0] if len(targets) == 1 else y)
        kind = f"regressor ({', '.join(targets)}, loss {args.loss})"
    else:
        model = EmotionClassifier(class_weight="balanced" if args.balanced else None, **options)
        if args.soft:
            p = [c for c in table.columns if c.startswith("p_")]
            model.fit(X, table[p].to_numpy(dtype=np.float64), classes=[c[2:] for c in p])
        else:
            model.fit(X, table[targets[0]].astype(str).to_numpy())
        kind = f"classifier over {len(model.classes_)} classes ({', '.join(map(str, model.classes_))})"
    progress.update(2, f"saving {Path(args.output).name}")
    model.save(args.output)
    progress.close()
    print(f"trained {args.model} {kind} on {len(table)} item(s) x {len(cols)} features{_left_out(dropped)} in "
          f"{model.n_iter_} epochs (final loss {model.loss_curve_[-1]:.4f}) -> {args.output}", file=out)
    return 0


_TRAIN_HELP = (
    "Rows of FEATURES and LABELS are joined on 'item' (else 'path'); the feature columns are those of the features the "
    "table's settings name (for a table made by hand: the numeric non-bookkeeping columns). Float --target columns "
    "train a regressor, others a classifier. The model file keeps the training standardization, the feature names and "
    "the table's feature settings; NaN features count as the training mean. Exit status: 0 done, 1 a file cannot be "
    "read, 2 a bad option or a missing column."
)


def add_parser(sub: Any) -> None:
    """The ``train`` subcommand."""
    tr = sub.add_parser("train", help="train an emotion model on a feature table (affectkit extract output)",
                        description=_TRAIN_HELP)
    tr.add_argument("features", help="feature table (.parquet or .csv), one row per item")
    tr.add_argument("labels", nargs="?", help="label table (affectkit fuse or index output); default: the features table's own columns")
    tr.add_argument("-o", "--output", default="model.ak", help="model file (default: model.ak)")
    tr.add_argument("--model", default="mlp", choices=sorted(MODELS), help="mlp: 256 hidden units; mlp2: 256+128; linear: softmax/linear regression")
    tr.add_argument("--target", default="label", help="label column, or comma-separated rating columns (float) for a regressor (default: label)")
    tr.add_argument("--soft", action="store_true", help="train on the p_<class> distributions of the label table (soft labels)")
    tr.add_argument("--split", help="train only on rows whose 'split' column (of LABELS when it has one) equals this (e.g. train)")
    tr.add_argument("--balanced", action="store_true", help="class_weight='balanced' (unweighted-accuracy oriented)")
    tr.add_argument("--loss", default="ccc", choices=["ccc", "mse"], help="regression loss (default: ccc)")
    tr.add_argument("--epochs", type=_positive, default=200, help="maximum epochs (default: 200)")
    tr.add_argument("--seed", type=_seed, default=0, help=f"random seed, 0 to {SEED_MAX} (default: 0)")
    tr.add_argument("--n-jobs", type=_n_jobs, default=None, help="threads; -1 all cores (default: all)")
    tr.set_defaults(func=train)
