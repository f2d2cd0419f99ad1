"""``affectkit evaluate``: score a saved model on a feature table and its labels."""

from __future__ import annotations

from typing import Any

import argparse
import contextlib
import os
import sys
from pathlib import Path
import numpy as np
from ._common import EXIT_USAGE, CommandError, print_warnings
from .._util.progress import Stages

from ._tables import _joined, _table_settings, _targets

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

    from .. import metrics, settings
    from ..errors import AffectkitError
    from ..models.regressor import EmotionRegressor
    from ..models.persistence import load_model

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


_EVALUATE_HELP = (
    "Scores MODEL on TABLE (joined with LABELS as in train) and prints the paper-style report of "
    "ak.metrics.report. A table computed with other feature settings than the model's training table is refused "
    "(exit 2) unless --ignore-settings. Exit status: 0 done, 1 a file cannot be read, 2 a bad option, a missing "
    "column or other feature settings."
)


def add_parser(sub: Any) -> None:
    """The ``evaluate`` subcommand."""
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
