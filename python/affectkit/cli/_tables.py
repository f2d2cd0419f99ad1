"""Reading feature and label tables for ``affectkit train`` / ``affectkit evaluate``: joins, target columns, the feature columns a model uses."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Optional, Sequence
import numpy as np
from ._common import EXIT_USAGE, CommandError
from ..datasets.manifest import MANIFEST_COLUMNS


# numeric bookkeeping and rating columns that are never model inputs
NOT_FEATURES = frozenset(MANIFEST_COLUMNS) | {"duration_s", "start", "end", "valence", "arousal", "dominance",
                                               "gender", "age", "n_frames"}


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
    from .. import settings

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

    from .. import features as F
    from .. import settings

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
