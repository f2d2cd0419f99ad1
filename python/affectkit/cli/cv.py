"""``affectkit cv``: cross-validate a model on a feature table under an evaluation protocol.

    affectkit cv feats.parquet manifest.csv --protocol loso --model mlp -o results/

Rows of the feature table (``affectkit extract`` output) and of the manifest
(``affectkit index`` output) are joined on ``item``; the feature columns are chosen as
``affectkit train`` chooses them. Writes to ``-o`` the table with confidence intervals
(``table.md``), ``per_fold.csv``, ``predictions.csv``, ``folds.csv`` (items per class and
side) and two plots (per-fold score with intervals, confusion matrix) when matplotlib is
installed; prints the table. Exit status: 0 done, 1 a file cannot be read, 2 a bad option,
a missing column or a protocol the manifest cannot support.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .._util.progress import Stages
from ._common import EXIT_USAGE, CommandError

__all__ = ["add_parser", "cv"]


def _seeds(text: str) -> "list[int]":
    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not seeds or any(not 0 <= s <= 2**32 - 1 for s in seeds):
        raise argparse.ArgumentTypeError(f"expected seeds between 0 and {2**32 - 1}, got {text!r}")
    return seeds


_seeds.__name__ = "seed list"


def cv(args: argparse.Namespace, out=None, err=None) -> int:
    """Runs ``affectkit cv`` (see the module docstring)."""
    import warnings

    import numpy as np

    from .. import evaluation, settings
    from ..datasets.manifest import read_manifest
    from ..models import EmotionClassifier
    from ._common import print_warnings
    from ._tables import _feature_columns, _table_settings, read_table
    from .train import MODELS

    out = out or sys.stdout
    err = err or sys.stderr
    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()]
    for m in metrics:  # a bad metric name before any file is read
        evaluation.stats._canonical(m)
    progress = Stages(3, err)
    try:
        progress.update(0, f"reading {Path(args.features).name}")
        feats = read_table(args.features)
        if not Path(args.manifest).is_file():
            raise CommandError(f"{args.manifest}: no such file")
        man = read_manifest(args.manifest)
        record = _table_settings(args.features)
        keyed = man.set_index("item", drop=False)
        shared = keyed.index.intersection(feats.index)
        if len(shared) == 0:
            raise CommandError(f"{args.manifest}: no item matches an item of {args.features}")
        left_out = len(keyed) - len(shared)
        man = keyed.loc[shared].reset_index(drop=True)
        table = feats.loc[shared]
        cols = _feature_columns(table.drop(columns=[c for c in man.columns if c in table.columns]), [args.target],
                                record)
        if not cols:
            raise CommandError(f"{args.features}: no numeric feature columns", EXIT_USAGE)
        X = settings.attach(table[cols].reset_index(drop=True), record)
        if args.target not in man.columns:
            raise CommandError(f"{args.manifest}: has no column {args.target!r} (choose it with --target)", EXIT_USAGE)
        if left_out:
            print(f"affectkit cv: {left_out} item(s) of {Path(args.manifest).name} without features left out", file=err)
        est: Any = EmotionClassifier(MODELS[args.model], max_epochs=args.epochs, class_weight="balanced"
                                     if args.balanced else None, n_jobs=args.n_jobs)
        if args.normalize == "speaker":
            from sklearn.pipeline import make_pipeline

            est = make_pipeline(evaluation.SpeakerNormalizer(), est)
        progress.update(1, f"{args.protocol}: training {len(man)} items x {len(cols)} features")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            res = evaluation.cross_validate(est, X, man, protocol=args.protocol, metrics=metrics, seeds=args.seeds,
                                            n_splits=args.n_splits, validation=args.validation, label=args.target,
                                            folds=args.folds, confidence=args.confidence,
                                            n_resamples=args.n_resamples, ci_method=args.ci)
        print_warnings([w for w in caught if issubclass(w.category, UserWarning)], "cv", err)
        progress.update(2, f"writing {args.output}")
        files = res.save(args.output, plots=not args.no_plots)
    finally:
        progress.close()
    print(res.table(), file=out)
    print(f"\naffectkit cv: {len(files)} file(s) -> {args.output}", file=out)
    if not args.no_plots and not any(str(f).endswith(".png") for f in files):
        print("affectkit cv: warning: matplotlib is not installed; no plots (pip install 'affectkit[report]')",
              file=err)
    return 0


def add_parser(sub: Any) -> None:
    """The ``cv`` subcommand of the ``affectkit`` command line."""
    from ._common import _n_jobs, _positive
    from .train import MODELS
    from ..evaluation import PROTOCOLS

    p = sub.add_parser("cv", help="cross-validate a model under an evaluation protocol (LOSO, k-fold, official, ...) "
                                   "with confidence intervals", description=__doc__.split("\n\n")[2].replace("\n", " "))
    p.add_argument("features", help="feature table (.parquet or .csv), one row per item")
    p.add_argument("manifest", help="manifest CSV (affectkit index output): item, speaker, label, split, ...")
    p.add_argument("-o", "--output", default="cv-results", help="results folder (default: cv-results)")
    p.add_argument("--protocol", default="loso", choices=[p for p in PROTOCOLS if p not in ("leave-one-corpus-out",
                                                                                               "cross-corpus")],
                    help="evaluation protocol (default: loso)")
    p.add_argument("--folds", help="fold files (EmoBox layout) for --protocol fold-file")
    p.add_argument("--n-splits", type=_positive, default=5, help="folds of speaker-kfold / speaker-dependent (default: 5)")
    p.add_argument("--validation", type=float, default=None,
                    help="speaker-disjoint validation fraction of each training side (default: none)")
    p.add_argument("--model", default="mlp", choices=sorted(MODELS), help="as affectkit train (default: mlp)")
    p.add_argument("--normalize", default="none", choices=["none", "speaker"],
                    help="per-speaker z-normalisation before the model (default: none)")
    p.add_argument("--balanced", action="store_true", help="class_weight='balanced'")
    p.add_argument("--epochs", type=_positive, default=200, help="maximum epochs (default: 200)")
    p.add_argument("--target", default="label", help="label column of the manifest (default: label)")
    p.add_argument("--metrics", default="ua,wa,macro_f1", help="comma-separated: ua, wa, macro_f1, weighted_f1 "
                    "(default: ua,wa,macro_f1)")
    p.add_argument("--seeds", type=_seeds, default=[0], help="comma-separated seeds to repeat over (default: 0)")
    p.add_argument("--confidence", type=float, default=0.95, help="interval level (default: 0.95)")
    p.add_argument("--n-resamples", type=_positive, default=2000, help="bootstrap resamples (default: 2000)")
    p.add_argument("--ci", default="percentile", choices=["percentile", "bca"], help="interval method (default: "
                    "percentile)")
    p.add_argument("--n-jobs", type=_n_jobs, default=None, help="threads; -1 all cores (default: all)")
    p.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    p.set_defaults(func=cv)
