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

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from .cli import EXIT_USAGE, CommandError, Stages, print_warnings
from .manifest import MANIFEST_COLUMNS

__all__ = ["NOT_FEATURES", "read_table", "add_parsers"]

# numeric bookkeeping and rating columns that are never model inputs
NOT_FEATURES = frozenset(MANIFEST_COLUMNS) | {"duration_s", "start", "end", "valence", "arousal", "dominance",
                                               "gender", "age", "n_frames"}
MODELS = {"mlp": (256,), "mlp2": (256, 128), "linear": ()}


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


def _table_settings(path: str) -> Any:
    """The settings record a feature table file carries (None: made by hand)."""
    from . import settings

    return settings.read_file_settings(path)


def _joined(features_path: str, labels_path: Optional[str], targets: Sequence[str], soft: bool,
            split: Optional[str], err) -> "tuple[Any, list[str]]":
    """Features joined with their labels, restricted to ``split``; returns the table and
    what was left out (one phrase per reason, with counts)."""
    feats = read_table(features_path)
    dropped: "list[str]" = []
    split_source = features_path
    if labels_path:
        labels = read_table(labels_path)
        wanted = [c for c in labels.columns if c in targets or c == "split" or (soft and c.startswith("p_"))]
        if "split" in labels.columns:
            split_source = labels_path
        no_label_row = int((~feats.index.isin(labels.index)).sum())
        no_features = int((~labels.index.isin(feats.index)).sum())
        feats = feats.drop(columns=[c for c in wanted if c in feats.columns]).join(labels[wanted], how="inner")
        if feats.empty:
            raise CommandError(f"{labels_path}: no item matches an item of {features_path}")
        if no_label_row:
            dropped.append(f"{no_label_row} item(s) of {Path(features_path).name} without a row in "
                           f"{Path(labels_path).name}")
        if no_features:
            dropped.append(f"{no_features} item(s) of {Path(labels_path).name} without features in "
                           f"{Path(features_path).name}")
    source = labels_path or features_path
    missing = [t for t in targets if t not in feats.columns]
    if missing:
        raise CommandError(f"{source}: has no column {missing[0]!r} (choose the targets with --target)", EXIT_USAGE)
    if soft and not any(c.startswith("p_") for c in feats.columns):
        raise CommandError(f"{source}: --soft needs p_<class> columns (as affectkit fuse writes)", EXIT_USAGE)
    if split is not None:
        if "split" not in feats.columns:
            raise CommandError(f"{split_source}: --split {split} needs a 'split' column", EXIT_USAGE)
        present = feats["split"].dropna().astype(str)
        keep = (feats["split"].astype(str) == split) & feats["split"].notna()
        if not keep.any():
            splits = ", ".join(f"{k} ({v})" for k, v in present.value_counts().sort_index().items())
            has = f"its splits are: {splits}" if splits else "its 'split' column is empty"
            raise CommandError(f"{split_source}: no row has split {split!r}; {has}", EXIT_USAGE)
        if (~keep).any():
            dropped.append(f"{int((~keep).sum())} item(s) of other splits")
        feats = feats[keep]
    unlabelled = feats[list(targets)].isna().any(axis=1)
    if unlabelled.any():
        dropped.append(f"{int(unlabelled.sum())} item(s) without {', '.join(targets)}")
        feats = feats[~unlabelled]
    for d in dropped:
        print(f"affectkit: {d} left out", file=err)
    return feats, dropped


def _feature_columns(table: Any, targets: Sequence[str], record: Any = None) -> "list[str]":
    """The model inputs: the recorded features' columns when the table has a settings
    record, else the numeric columns that are not bookkeeping, labels or targets."""
    import pandas as pd

    from . import features as F
    from . import settings

    if record is not None:
        candidates = F.feature_columns(settings.attach(table, record))
    else:
        candidates = [c for c in table.columns if c not in NOT_FEATURES and not str(c).startswith("p_")]
    return [c for c in candidates if c not in targets and pd.api.types.is_numeric_dtype(table[c])
            and not pd.api.types.is_bool_dtype(table[c])]


def _regression(table: Any, targets: Sequence[str]) -> bool:
    import pandas as pd

    return all(pd.api.types.is_float_dtype(table[t]) for t in targets)


def _left_out(dropped: Sequence[str]) -> str:
    return f" (left out: {'; '.join(dropped)})" if dropped else ""


def train(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    progress = Stages(3, err)
    try:
        return _train(args, out, err, progress)
    finally:
        progress.close()


def _train(args: argparse.Namespace, out, err, progress: Stages) -> int:
    from . import settings
    from .models import EmotionClassifier, EmotionRegressor

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


def evaluate(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    progress = Stages(2, err)
    try:
        return _evaluate(args, out, err, progress)
    finally:
        progress.close()


def _evaluate(args: argparse.Namespace, out, err, progress: Stages) -> int:
    import warnings

    from . import metrics, settings
    from .errors import AffectkitError
    from .models import EmotionRegressor, load_model

    progress.update(0, f"loading {Path(args.model).name}")
    try:
        model = load_model(args.model)
    except (AffectkitError, OSError) as e:
        # load_model's errors name the file already
        raise CommandError(str(e) if os.fspath(args.model) in str(e) else f"{args.model}: {e}") from e
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        raise CommandError(f"{args.model}: the model does not record its feature names (train it with affectkit "
                           "train or fit it on a DataFrame)")
    # the table's settings against the model's, before the tables are read
    expected, got = settings.of(model), _table_settings(args.table)
    if expected is None:
        print(f"affectkit evaluate: warning: {args.model} records no feature settings; cannot check that "
              f"{args.table} was computed the same way", file=err)
    elif got is None:
        print(f"affectkit evaluate: warning: {args.table} carries no feature settings (a table made by hand?); "
              f"cannot check that it was computed like the table {args.model} was trained on", file=err)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with settings.allow_mismatch() if args.ignore_settings else contextlib.nullcontext():
            settings.check(expected, got, expected_name=args.model, got_name=args.table)
    print_warnings([w for w in caught if issubclass(w.category, UserWarning)], "evaluate", err)
    regression = isinstance(model, EmotionRegressor)
    targets = _targets(args)
    if regression and args.target == "label":
        raise CommandError(f"{args.model}: a regressor; name its rating columns with --target", EXIT_USAGE)
    table, dropped = _joined(args.table, args.labels, targets, False, args.split, err)
    missing = [c for c in names if c not in table.columns]
    if missing:
        raise CommandError(f"{args.table}: lacks {len(missing)} feature column(s) the model was trained on, "
                           f"e.g. {missing[0]!r}", EXIT_USAGE)
    # the checked settings travel with the input (an estimator that checks them at predict
    # agrees); with --ignore-settings they stay behind, so the override holds there too
    X = settings.attach(table[list(names)].copy(), None if args.ignore_settings else got)
    progress.update(1, f"predicting {len(X)} items")
    pred = model.predict(X)
    proba = None if regression else model.predict_proba(X)
    progress.close()
    if regression:
        truth = table[targets].to_numpy(dtype=np.float64)
        pred = pred.reshape(len(X), -1)
        print(metrics.report(truth, pred, target_names=targets), file=out)
        result = {f"pred_{t}": pred[:, j] for j, t in enumerate(targets)}
    else:
        truth = table[targets[0]].astype(str).to_numpy()
        pred = pred.astype(str)
        classes = [str(c) for c in model.classes_]
        unknown = sorted(set(truth) - set(classes))
        if unknown:
            print(f"affectkit: label(s) {unknown} were not in training; they count as errors", file=err)
        print(metrics.report(truth, pred, labels=classes + unknown), file=out)
        result = {"predicted": pred} | {f"p_{c}": p for c, p in zip(classes, proba.T)}
    if dropped:
        print(f"left out: {'; '.join(dropped)}", file=out)
    if args.output:
        import pandas as pd

        pd.DataFrame(result, index=table.index).to_csv(args.output)
        print(f"affectkit: predictions for {len(table)} item(s) -> {args.output}", file=err)
    return 0


def _positive(text: str) -> int:
    v = int(text)
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {v}")
    return v


def _n_jobs(text: str) -> int:
    v = int(text)
    if v == 0:
        raise argparse.ArgumentTypeError("must be a positive count or a negative joblib-style count (-1: all "
                                         "cores), got 0")
    return v


# argparse names the type in "invalid <type> value: 'x'"
_positive.__name__ = _n_jobs.__name__ = "int"

#: Seeds numpy's RandomState (hence scikit-learn's random_state) accepts.
SEED_MAX = 2**32 - 1


def _seed(text: str) -> int:
    v = int(text)
    if not 0 <= v <= SEED_MAX:
        raise argparse.ArgumentTypeError(f"must be between 0 and {SEED_MAX}, got {v}")
    return v


_seed.__name__ = "int"


_TRAIN_HELP = (
    "Rows of FEATURES and LABELS are joined on 'item' (else 'path'); the feature columns are those of the features the "
    "table's settings name (for a table made by hand: the numeric non-bookkeeping columns). Float --target columns "
    "train a regressor, others a classifier. The model file keeps the training standardization, the feature names and "
    "the table's feature settings; NaN features count as the training mean. Exit status: 0 done, 1 a file cannot be "
    "read, 2 a bad option or a missing column."
)
_EVALUATE_HELP = (
    "Scores MODEL on TABLE (joined with LABELS as in train) and prints the paper-style report of "
    "ak.metrics.report. A table computed with other feature settings than the model's training table is refused "
    "(exit 2) unless --ignore-settings. Exit status: 0 done, 1 a file cannot be read, 2 a bad option, a missing "
    "column or other feature settings."
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
    tr.add_argument("--split", help="train only on rows whose 'split' column (of LABELS when it has one) equals this (e.g. train)")
    tr.add_argument("--balanced", action="store_true", help="class_weight='balanced' (unweighted-accuracy oriented)")
    tr.add_argument("--loss", default="ccc", choices=["ccc", "mse"], help="regression loss (default: ccc)")
    tr.add_argument("--epochs", type=_positive, default=200, help="maximum epochs (default: 200)")
    tr.add_argument("--seed", type=_seed, default=0, help=f"random seed, 0 to {SEED_MAX} (default: 0)")
    tr.add_argument("--n-jobs", type=_n_jobs, default=None, help="threads; -1 all cores (default: all)")
    tr.set_defaults(func=train)
    ev = sub.add_parser("evaluate", help="score a trained model on a feature table (UA, WA, macro F1 or CCC)",
                        description=_EVALUATE_HELP)
    ev.add_argument("model", help="model file written by affectkit train (or estimator.save)")
    ev.add_argument("table", help="feature table (.parquet or .csv) with the model's feature columns")
    ev.add_argument("labels", nargs="?", help="label table; default: the feature table's own label column")
    ev.add_argument("--target", default="label", help="label column, or the rating columns of a regressor")
    ev.add_argument("--split", help="score only rows whose 'split' column (of LABELS when it has one) equals this (e.g. test)")
    ev.add_argument("--ignore-settings", action="store_true",
                    help="score a table computed with other feature settings than the model's (a warning, not an error)")
    ev.add_argument("-o", "--output", help="write per-item predictions (and class probabilities) to this CSV")
    ev.set_defaults(func=evaluate)
