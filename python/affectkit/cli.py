"""The ``affectkit`` command line.

``affectkit extract [PATH ...] [-o out.csv|.npz|.parquet] [--features mfcc,logmel]``
featurizes audio files (folders are walked for .wav/.flac). With no PATH it runs on the
bundled sample recordings and prints a summary.

``affectkit demo [--out affectkit-demo] [--n-items N] [--seed S] [--no-plots]`` runs the
whole pipeline on a synthetic corpus and writes a report (see :mod:`affectkit.demo`).

``affectkit fuse annotations.csv [--method dawid-skene] [-o labels.csv]`` fuses the
answers of several annotators (a CSV with ``task, worker, label`` columns, or those named by
``--columns``) into one label and a distribution per item.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Iterable, Optional, Sequence

import numpy as np

AUDIO_SUFFIXES = {".wav", ".wave", ".flac"}
FEATURES = ("mfcc", "logmel")


class Progress:
    """One status line on a terminal (stderr); silent when stderr is not a terminal."""

    def __init__(self, total: int, stream=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.active = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = time.perf_counter()

    def update(self, done: int, label: str) -> None:
        if not self.active:
            return
        rate = done / max(time.perf_counter() - self.start, 1e-9)
        line = f"\r[{done}/{self.total}] {rate:6.1f} files/s  {label[-50:]:<50}"
        self.stream.write(line)
        self.stream.flush()

    def close(self) -> None:
        if self.active:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()


def collect_paths(paths: Sequence[str], err=None) -> "list[Path]":
    """Files named directly, plus the .wav/.flac files under named folders (sorted)."""
    err = err or sys.stderr
    out: "list[Path]" = []
    for p in map(Path, paths):
        if p.is_dir():
            skipped = 0
            for root, _dirs, files in os.walk(p):
                for f in sorted(files):
                    q = Path(root) / f
                    if q.suffix.lower() in AUDIO_SUFFIXES:
                        out.append(q)
                    else:
                        skipped += 1
            if skipped:
                print(f"affectkit: skipped {skipped} non-audio file(s) under {p}", file=err)
        else:
            out.append(p)
    return out


def _features_of(y: np.ndarray, sr: int, names: Iterable[str], args) -> "dict[str, np.ndarray]":
    from . import frontend

    out = {}
    for name in names:
        if name == "mfcc":
            out[name] = frontend.mfcc(y, sr, preset=args.preset, n_mfcc=args.n_mfcc, deltas=args.deltas)
        elif name == "logmel":
            out[name] = frontend.melspectrogram(y, sr, preset=args.preset, log=True)
    return out


def extract(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from . import datasets, frontend
    from .audio import pool_frames
    from .errors import AffectkitError

    names = [f.strip() for f in args.features.split(",") if f.strip()]
    for n in names:
        if n not in FEATURES:
            print(f"affectkit extract: unknown feature {n!r}; choose from {', '.join(FEATURES)}", file=err)
            return 2
    if args.paths:
        paths = collect_paths(args.paths, err)
    else:
        paths = datasets.sample_paths()
        print(f"affectkit: no PATH given; using the {len(paths)} bundled sample recordings", file=err)
    if not paths:
        print("affectkit extract: no audio files found", file=err)
        return 1

    t0 = time.perf_counter()
    rows = []
    failures = 0
    audio_seconds = 0.0
    progress = Progress(len(paths), err)
    for i, path in enumerate(paths):
        progress.update(i, path.name)
        try:
            y, sr = frontend.load(path, sr=args.sr)
            feats = _features_of(y, sr, names, args)
        except (AffectkitError, OSError, ValueError) as e:
            failures += 1
            progress.close()
            print(f"affectkit: skipped {path}: {e}", file=err)
            continue
        audio_seconds += len(y) / sr
        rows.append((path, len(y) / sr, feats))
    progress.update(len(paths), "done")
    progress.close()
    elapsed = time.perf_counter() - t0

    if not rows:
        print(f"affectkit extract: all {failures} file(s) failed", file=err)
        return 1
    if args.output:
        _write(args.output, rows, names, pool_frames)
        print(f"wrote {len(rows)} file(s) to {args.output}", file=out)
    _summary(rows, names, failures, audio_seconds, elapsed, out)
    return 0


def _pooled_table(rows, names, pool_frames):
    header = ["path", "duration_s"]
    table = []
    for name in names:
        width = rows[0][2][name].shape[1]
        header += [f"{name}_{s}_{j}" for s in ("mean", "std") for j in range(width)]
    for path, dur, feats in rows:
        vals = [str(path), dur]
        for name in names:
            vals += pool_frames(feats[name], ("mean", "std")).astype(float).tolist()
        table.append(vals)
    return header, table


def _write(output: str, rows, names, pool_frames) -> None:
    suffix = Path(output).suffix.lower()
    if suffix == ".npz":
        arrays = {"paths": np.array([str(p) for p, _, _ in rows])}
        for i, (_, _, feats) in enumerate(rows):
            for name in names:
                arrays[f"{name}_{i}"] = feats[name]
        np.savez_compressed(output, **arrays)
        return
    header, table = _pooled_table(rows, names, pool_frames)
    if suffix == ".csv":
        import csv

        with open(output, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(table)
    elif suffix == ".parquet":
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise SystemExit(f"affectkit extract: writing .parquet needs pandas and pyarrow ({e})")
        pd.DataFrame(table, columns=header).to_parquet(output)
    else:
        raise SystemExit(f"affectkit extract: -o must end in .csv, .npz or .parquet, got {output!r}")


def _summary(rows, names, failures, audio_seconds, elapsed, out) -> None:
    print(f"{'file':<48} {'seconds':>8}  " + "  ".join(f"{n} (frames x dims)" for n in names), file=out)
    for path, dur, feats in rows:
        dims = "  ".join(f"{feats[n].shape[0]:>7} x {feats[n].shape[1]:<4}" for n in names)
        print(f"{path.name[:48]:<48} {dur:8.2f}  {dims}", file=out)
    speed = audio_seconds / max(elapsed, 1e-9)
    print(
        f"{len(rows)} file(s), {audio_seconds:.1f} s of audio in {elapsed:.2f} s "
        f"({speed:.0f}x real time); {failures} failed",
        file=out,
    )


FUSE_METHODS = ("majority", "soft", "wawa", "dawid-skene", "one-coin", "glad", "mace")


def fuse(args: argparse.Namespace, out=None, err=None) -> int:
    import csv

    out = out or sys.stdout
    err = err or sys.stderr
    from . import labels
    from .errors import AffectkitError

    columns = [c.strip() for c in args.columns.split(",")]
    if len(columns) != 3:
        print(f"affectkit fuse: --columns needs three names (item, annotator, label), got {args.columns!r}", file=err)
        return 2
    try:
        with open(args.annotations, newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                print(f"affectkit fuse: {args.annotations} lacks column(s) {missing}; it has {reader.fieldnames}", file=err)
                return 2
            rows = [(r[columns[0]], r[columns[1]], r[columns[2]]) for r in reader]
    except OSError as e:
        print(f"affectkit fuse: cannot read {args.annotations}: {e}", file=err)
        return 1
    rows = [r for r in rows if r[2] != ""]
    if not rows:
        print("affectkit fuse: no answers", file=err)
        return 1
    items, workers, answers = (np.array(c, dtype=object).astype(str) for c in zip(*rows))
    method = getattr(labels, args.method.replace("-", "_"))
    kwargs = {"ties": "first"} if args.method in ("majority", "soft", "wawa") else {}
    try:
        r = method(items, workers, answers, **kwargs)
    except AffectkitError as e:
        print(f"affectkit fuse: {e}", file=err)
        return 1
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


def demo(args: argparse.Namespace, out=None, err=None) -> int:
    from .demo import DEFAULT_N_ITEMS, run_demo
    from .errors import AffectkitError

    err = err or sys.stderr
    try:
        run_demo(args.out, n_items=DEFAULT_N_ITEMS if args.n_items is None else args.n_items, seed=args.seed, n_jobs=args.n_jobs,
                 plots=not args.no_plots, stream=out, err=err)
    except AffectkitError as e:
        print(f"affectkit demo: {e}", file=err)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="affectkit", description="Affective-computing features from audio.")
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="featurize audio files (default: the bundled samples)")
    ex.add_argument("paths", nargs="*", help="audio files or folders (walked for .wav/.flac)")
    ex.add_argument("-o", "--output", help="write features to .csv (per-file mean/std), .npz (frames) or .parquet")
    ex.add_argument("--features", default="mfcc", help="comma-separated: mfcc, logmel (default: mfcc)")
    ex.add_argument("--preset", default="kaldi", choices=["librosa", "kaldi", "htk"], help="front-end preset (default: kaldi)")
    ex.add_argument("--sr", type=int, default=16000, help="resample to this rate (default: 16000)")
    ex.add_argument("--n-mfcc", type=int, default=None, help="number of cepstra (default: the preset's)")
    ex.add_argument("--deltas", type=int, default=0, choices=[0, 1, 2], help="append deltas (default: 0)")
    ex.set_defaults(func=extract)
    fu = sub.add_parser("fuse", help="fuse several annotators' labels per item (CSV in, CSV out)")
    fu.add_argument("annotations", help="CSV with one answer per row")
    fu.add_argument("--method", default="dawid-skene", choices=FUSE_METHODS, help="aggregation (default: dawid-skene)")
    fu.add_argument("--columns", default="task,worker,label", help="item, annotator and label columns (default: task,worker,label)")
    fu.add_argument("-o", "--output", help="write item, label, p_<class>... to this CSV (default: stdout)")
    fu.set_defaults(func=fuse)
    de = sub.add_parser("demo", help="run the whole pipeline on a synthetic corpus and write a report (under a minute)")
    de.add_argument("--out", default="affectkit-demo", help="report folder (default: affectkit-demo)")
    de.add_argument("--n-items", type=int, default=None, help="synthetic items to generate (default: 600)")
    de.add_argument("--seed", type=int, default=0, help="corpus and model seed (default: 0)")
    de.add_argument("--n-jobs", type=int, default=None, help="worker threads (default: AFFECTKIT_NUM_THREADS or all cores)")
    de.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    de.set_defaults(func=demo)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
