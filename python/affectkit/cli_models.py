"""``affectkit train`` and ``affectkit evaluate``: fit an emotion model on a feature table
and score it on another, from the shell.

Tables are what ``affectkit extract`` writes (.parquet or .csv, one row per item) and label
files what ``affectkit fuse`` or ``affectkit index`` write; rows are joined on the ``item``
column (or the index named ``item``), else on ``path``. Feature columns are the numeric
columns that are not bookkeeping (:data:`NOT_FEATURES`, ``p_<class>`` soft labels, the
targets). Models are saved with ``standardize=True``: the file holds the training means
and scales and the feature names, so ``evaluate`` checks that a table carries the same
features and NaN features (no voiced frame) count as the training mean.

    affectkit train feats.parquet labels.csv --model mlp -o model.ak
    affectkit evaluate model.ak test.parquet labels.csv -o predictions.csv
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from .cli import Stages
from .manifest import MANIFEST_COLUMNS

__all__ = ["NOT_FEATURES", "read_table", "add_parsers"]

# numeric bookkeeping and rating columns that are never model inputs
NOT_FEATURES = frozenset(MANIFEST_COLUMNS) | {"duration_s", "start", "end", "valence", "arousal", "dominance",
                                               "gender", "age", "n_frames"}
MODELS = {"mlp": (256,), "mlp2": (256, 128), "linear": ()}


class CommandError(Exception):
    """A user-facing failure: the message names the file (and line) and the command exits 1."""


def read_table(path: str) -> Any:
    """A .parquet or .csv table as a DataFrame keyed by ``item`` (or ``path``), with
    errors that name the file and, for CSV parse errors, the line."""
    import pandas as pd

    p = Path(path)
    if not p.is_file():
        raise CommandError(f"{path}: no such file")
    suffix = p.suffix.lower()
    try:
        if suffix == ".parquet":
            df = pd.read_parquet(p)
        elif suffix == ".csv":
            df = pd.read_csv(p, dtype={"item": str, "path": str, "label": str, "speaker": str})
        else:
            raise CommandError(f"{path}: expected a .parquet or .csv table")
    except ImportError as e:
        raise CommandError(f"{path}: reading .parquet needs pyarrow (pip install pyarrow, or "
                           f"'affectkit[parquet]'), or use .csv tables ({e})") from e
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as e:
        # pandas' CSV errors already say "... in line N"
        raise CommandError(f"{path}: cannot read: {e}") from e
    if "item" not in df.columns and df.index.name == "item":
        df = df.reset_index()
    key = "item" if "item" in df.columns else "path" if "path" in df.columns else None
    if key is None:
        raise CommandError(f"{path}: needs an 'item' (or 'path') column to join features and labels; "
                           f"it has {list(df.columns)[:8]}")
    dup = df[key].duplicated()
    if dup.any():
        raise CommandError(f"{path}: {key} {df[key][dup].iloc[0]!r} occurs more than once "
                           f"(data line {int(np.argmax(dup.to_numpy())) + 2})")
    return df.set_index(key)


def _targets(args: argparse.Namespace) -> "list[str]":
    return [t.strip() for t in args.target.split(",") if t.strip()]


def _joined(features_path: str, labels_path: Optional[str], targets: Sequence[str], soft: bool, err) -> Any:
    """Features joined with their labels; items without a label are dropped (said on err)."""
    feats = read_table(features_path)
    if labels_path:
        labels = read_table(labels_path)
        wanted = [c for c in labels.columns if c in targets or c == "split" or (soft and c.startswith("p_"))]
        feats = feats.drop(columns=[c for c in wanted if c in feats.columns]).join(labels[wanted], how="inner")
        if feats.empty:
            raise CommandError(f"{labels_path}: no item matches an item of {features_path}")
    source = labels_path or features_path
    missing = [t for t in targets if t not in feats.columns]
    if missing:
        raise CommandError(f"{source}: has no column {missing[0]!r} (choose the targets with --target)")
    if soft and not any(c.startswith("p_") for c in feats.columns):
        raise CommandError(f"{source}: --soft needs p_<class> columns (as affectkit fuse writes)")
    unlabelled = feats[list(targets)].isna().any(axis=1)
    if unlabelled.any():
        print(f"affectkit: {int(unlabelled.sum())} item(s) without {', '.join(targets)} left out", file=err)
        feats = feats[~unlabelled]
    return feats


def _feature_columns(table: Any, targets: Sequence[str]) -> "list[str]":
    import pandas as pd

    return [c for c in table.columns
            if c not in NOT_FEATURES and c not in targets and not str(c).startswith("p_")
            and pd.api.types.is_numeric_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])]


def _regression(table: Any, targets: Sequence[str]) -> bool:
    import pandas as pd

    return all(pd.api.types.is_float_dtype(table[t]) for t in targets)


def train(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from .models import EmotionClassifier, EmotionRegressor

    progress = Stages(3, err)
    progress.update(0, f"reading {Path(args.features).name}")
    targets = _targets(args)
    table = _joined(args.features, args.labels, targets, args.soft, err)
    if args.split:
        if "split" not in table.columns:
            raise CommandError(f"{args.features}: --split {args.split} needs a 'split' column")
        table = table[table["split"] == args.split]
    cols = _feature_columns(table, targets)
    if not cols:
        raise CommandError(f"{args.features}: no numeric feature columns")
    if len(table) < 2:
        raise CommandError(f"{args.features}: {len(table)} labelled item(s); training needs at least 2")
    X = table[cols]
    progress.update(1, f"training on {len(table)} items x {len(cols)} features")
    settings = dict(hidden_layer_sizes=MODELS[args.model], standardize=True, max_epochs=args.epochs,
                    random_state=args.seed, n_jobs=args.n_jobs)
    if _regression(table, targets):
        model = EmotionRegressor(loss=args.loss, **settings)
        y = table[targets].to_numpy(dtype=np.float64)
        model.fit(X, y[:, 0] if len(targets) == 1 else y)
        kind = f"regressor ({', '.join(targets)}, loss {args.loss})"
    else:
        model = EmotionClassifier(class_weight="balanced" if args.balanced else None, **settings)
        if args.soft:
            p = [c for c in table.columns if c.startswith("p_")]
            model.fit(X, table[p].to_numpy(dtype=np.float64), classes=[c[2:] for c in p])
        else:
            model.fit(X, table[targets[0]].astype(str).to_numpy())
        kind = f"classifier over {len(model.classes_)} classes ({', '.join(map(str, model.classes_))})"
    progress.update(2, f"saving {Path(args.output).name}")
    model.save(args.output)
    progress.close()
    print(f"trained {args.model} {kind} on {len(table)} item(s) x {len(cols)} features in "
          f"{model.n_iter_} epochs (final loss {model.loss_curve_[-1]:.4f}) -> {args.output}", file=out)
    return 0


def evaluate(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from . import metrics
    from .errors import AffectkitError
    from .models import EmotionRegressor, load_model

    progress = Stages(2, err)
    progress.update(0, f"loading {Path(args.model).name}")
    try:
        model = load_model(args.model)
    except (AffectkitError, OSError) as e:
        raise CommandError(f"{args.model}: {e}") from e
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        raise CommandError(f"{args.model}: the model does not record its feature names (train it with affectkit train "
                           "or fit it on a DataFrame)")
    regression = isinstance(model, EmotionRegressor)
    targets = _targets(args)
    if regression and args.target == "label":
        raise CommandError(f"{args.model}: a regressor; name its rating columns with --target")
    table = _joined(args.table, args.labels, targets, False, err)
    missing = [c for c in names if c not in table.columns]
    if missing:
        raise CommandError(f"{args.table}: lacks {len(missing)} feature column(s) the model was trained on, "
                           f"e.g. {missing[0]!r}")
    X = table[list(names)]
    progress.update(1, f"predicting {len(X)} items")
    if regression:
        progress.close()
        truth = table[targets].to_numpy(dtype=np.float64)
        pred = model.predict(X).reshape(len(X), -1)
        print(f"{'target':<12} {'CCC':>7} {'Pearson':>8} {'RMSE':>8}", file=out)
        for j, t in enumerate(targets):
            print(f"{t:<12} {metrics.ccc(truth[:, j], pred[:, j]):7.3f} {metrics.pearson(truth[:, j], pred[:, j]):8.3f} "
                  f"{metrics.rmse(truth[:, j], pred[:, j]):8.3f}", file=out)
        result = {f"pred_{t}": pred[:, j] for j, t in enumerate(targets)}
    else:
        truth = table[targets[0]].astype(str).to_numpy()
        pred = model.predict(X).astype(str)
        progress.close()
        classes = [str(c) for c in model.classes_]
        unknown = sorted(set(truth) - set(classes))
        if unknown:
            print(f"affectkit: label(s) {unknown} were not in training; they count as errors", file=err)
        labels = classes + unknown
        print(f"{len(truth)} item(s)   UA {metrics.unweighted_accuracy(truth, pred, labels):.3f}   "
              f"WA {metrics.weighted_accuracy(truth, pred, labels):.3f}   "
              f"macro F1 {metrics.f1(truth, pred, 'macro', labels):.3f}", file=out)
        cm = metrics.confusion_matrix(truth, pred, labels)
        width = max(8, *(len(c) for c in labels))
        print("confusion (rows: truth, columns: predicted)", file=out)
        print(" " * width + "".join(f"{c[:width]:>{width + 1}}" for c in labels), file=out)
        for c, row in zip(labels, cm):
            print(f"{c:<{width}}" + "".join(f"{v:>{width + 1}}" for v in row), file=out)
        result = {"predicted": pred} | {f"p_{c}": p for c, p in zip(classes, model.predict_proba(X).T)}
    if args.output:
        import pandas as pd

        pd.DataFrame(result, index=table.index).to_csv(args.output)
        print(f"affectkit: predictions for {len(table)} item(s) -> {args.output}", file=err)
    return 0


def _guarded(command):
    def run(args: argparse.Namespace, out=None, err=None) -> int:
        err = err or sys.stderr
        try:
            return command(args, out, err)
        except CommandError as e:
            print(f"affectkit {args.command}: {e}", file=err)
            return 1

    return run


_TRAIN_HELP = (
    "Rows of FEATURES and LABELS are joined on 'item' (else 'path'); the numeric non-bookkeeping columns are the "
    "features. Float --target columns train a regressor, others a classifier. The model file keeps the training "
    "standardization and the feature names; NaN features count as the training mean."
)


def add_parsers(sub: Any) -> None:
    """The ``train`` and ``evaluate`` subcommands of the ``affectkit`` command line."""
    tr = sub.add_parser("train", help="train an emotion model on a feature table (affectkit extract output)",
                        description=_TRAIN_HELP)
    tr.add_argument("features", help="feature table (.parquet or .csv), one row per item")
    tr.add_argument("labels", nargs="?", help="label table (affectkit fuse or index output); default: the features table's own columns")
    tr.add_argument("-o", "--output", default="model.ak", help="model file (default: model.ak)")
    tr.add_argument("--model", default="mlp", choices=sorted(MODELS), help="mlp: 256 hidden units; mlp2: 256+128; linear: softmax/linear regression")
    tr.add_argument("--target", default="label", help="label column, or comma-separated rating columns (float) for a regressor (default: label)")
    tr.add_argument("--soft", action="store_true", help="train on the p_<class> distributions of the label table (soft labels)")
    tr.add_argument("--split", help="train only on rows whose 'split' column equals this (e.g. train)")
    tr.add_argument("--balanced", action="store_true", help="class_weight='balanced' (unweighted-accuracy oriented)")
    tr.add_argument("--loss", default="ccc", choices=["ccc", "mse"], help="regression loss (default: ccc)")
    tr.add_argument("--epochs", type=int, default=200, help="maximum epochs (default: 200)")
    tr.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    tr.add_argument("--n-jobs", type=int, default=None, help="threads (default: all)")
    tr.set_defaults(func=_guarded(train))
    ev = sub.add_parser("evaluate", help="score a trained model on a feature table (UA, WA, macro F1 or CCC)")
    ev.add_argument("model", help="model file written by affectkit train (or estimator.save)")
    ev.add_argument("table", help="feature table (.parquet or .csv) with the model's feature columns")
    ev.add_argument("labels", nargs="?", help="label table; default: the feature table's own label column")
    ev.add_argument("--target", default="label", help="label column, or the rating columns of a regressor")
    ev.add_argument("-o", "--output", help="write per-item predictions (and class probabilities) to this CSV")
    ev.set_defaults(func=_guarded(evaluate))
