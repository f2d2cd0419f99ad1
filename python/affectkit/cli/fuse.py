"""``affectkit fuse``: fuse several annotators' answers into one label and a distribution per item."""

from __future__ import annotations

from typing import Any

import argparse
import sys
from pathlib import Path
import numpy as np

from .._util.progress import Stages

FUSE_METHODS = ("majority", "soft", "wawa", "dawid-skene", "one-coin", "glad", "mace")


def fuse(args: argparse.Namespace, out=None, err=None) -> int:
    import csv
    import io

    out = out or sys.stdout
    err = err or sys.stderr
    from .. import labels
    from ..errors import AffectkitError

    columns = [c.strip() for c in args.columns.split(",")]
    if len(columns) != 3:
        print(f"affectkit fuse: --columns needs three names (item, annotator, label), got {args.columns!r}", file=err)
        return 2
    progress = Stages(3, err)
    progress.update(0, f"reading {Path(args.annotations).name}")
    try:
        data = Path(args.annotations).read_bytes()
    except OSError as e:
        progress.close()
        print(f"affectkit fuse: cannot read {args.annotations}: {e}", file=err)
        return 1
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        progress.close()
        print(f"affectkit fuse: {args.annotations}, line {line}: not UTF-8 text ({e.reason} at byte {e.start})", file=err)
        return 1
    rows = []
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    try:
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            progress.close()
            print(f"affectkit fuse: {args.annotations} lacks column(s) {missing}; it has {reader.fieldnames}", file=err)
            return 2
        for r in reader:
            extra = r.pop(None, [])
            got = sum(v is not None for v in r.values()) + len(extra)
            if got != len(reader.fieldnames):
                progress.close()
                print(f"affectkit fuse: {args.annotations}, line {reader.line_num}: expected "
                      f"{len(reader.fieldnames)} fields as in the header, got {got}", file=err)
                return 1
            rows.append(tuple(r[c] for c in columns))
    except csv.Error as e:
        # the row being read when the error came is the one after the last complete one
        progress.close()
        print(f"affectkit fuse: {args.annotations}, line {reader.line_num + 1}: cannot parse: {e}", file=err)
        return 1
    rows = [r for r in rows if r[2] != ""]
    if not rows:
        print("affectkit fuse: no answers", file=err)
        return 1
    items, workers, answers = (np.array(c, dtype=object).astype(str) for c in zip(*rows))
    progress.update(1, f"{args.method} over {len(rows)} answers")
    method = getattr(labels, args.method.replace("-", "_"))
    kwargs = {"ties": "first"} if args.method in ("majority", "soft", "wawa") else {}
    try:
        r = method(items, workers, answers, **kwargs)
    except AffectkitError as e:
        progress.close()
        print(f"affectkit fuse: {e}", file=err)
        return 1
    progress.update(2, "writing")
    progress.close()
    header = ["item", "label"] + [f"p_{c}" for c in r.classes]
    table = [[i, "" if lab is None else lab] + [f"{p:.6g}" for p in row] for i, lab, row in zip(r.items, r.labels, r.posterior)]
    if args.output:
        with open(args.output, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(table)
        print(f"affectkit fuse: {len(r.items)} item(s), {len(rows)} answer(s), {args.method} -> {args.output}", file=err)
    else:
        w = csv.writer(out)
        w.writerow(header)
        w.writerows(table)
    return 0


def add_parser(sub: Any) -> None:
    """The ``fuse`` subcommand."""
    fu = sub.add_parser("fuse", help="fuse several annotators' labels per item (CSV in, CSV out)")
    fu.add_argument("annotations", help="CSV with one answer per row")
    fu.add_argument("--method", default="dawid-skene", choices=FUSE_METHODS, help="aggregation (default: dawid-skene)")
    fu.add_argument("--columns", default="task,worker,label", help="item, annotator and label columns (default: task,worker,label)")
    fu.add_argument("-o", "--output", help="write item, label, p_<class>... to this CSV (default: stdout)")
    fu.set_defaults(func=fuse)
