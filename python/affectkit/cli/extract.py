"""``affectkit extract``: featurize audio files or a manifest into a feature table."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Sequence

from .._util.progress import Progress
from ._common import CommandError, EXIT_USAGE, _inputs

OUTPUT_SUFFIXES = (".csv", ".npz", ".parquet")


def _extract_options(args: argparse.Namespace, names: Sequence[str]) -> "dict[str, Any]":
    """The feature options the command line sets: only those given (None: the feature's
    own default, the same as in Python) and only for selected features that take them."""
    from .. import features as F

    specs = F.registry._resolve(names)
    wanted = {"preset": args.preset, "n_mfcc": args.n_mfcc, "deltas": args.deltas}
    return {k: v for k, v in wanted.items() if v is not None and any(k in f.shared for f in specs)}


def extract(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from .. import datasets
    from .. import features as F

    # the whole configuration, checked once before any file is read
    names = [f.strip() for f in args.features.split(",") if f.strip()]
    options = _extract_options(args, names)
    suffix = Path(args.output).suffix.lower() if args.output else None
    if suffix not in (None, *OUTPUT_SUFFIXES):
        raise CommandError(f"-o must end in .csv, .npz or .parquet, got {args.output!r}", EXIT_USAGE)
    # frames for the summary and .npz; otherwise pooled per item as they are computed
    keep_frames = suffix in (None, ".npz")
    pool = None if keep_frames else ("mean", "std")
    F.settings(names, sr=args.sr, pool=pool, win=args.win, hop=args.hop, **options)

    if args.paths:
        data = _inputs(args.paths, err)
    else:
        data = [str(p) for p in datasets.sample_paths()]
        print(f"affectkit: no PATH given; using the {len(data)} bundled sample recordings", file=err)
    if len(data) == 0:
        raise CommandError("no audio files found")

    t0 = time.perf_counter()
    progress = Progress(len(data), err)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # failures and low-rate files are printed below
            table = F.extract(data, names, sr=args.sr, pool=pool, progress=progress, win=args.win, hop=args.hop,
                              **options)
    finally:
        progress.close()
    elapsed = time.perf_counter() - t0
    # low-rate files as one warning line, failures one line each
    if len(table.low_rate):
        print(f"affectkit extract: warning: {F.low_rate_message(table.low_rate, args.sr)}", file=err)
    for item, path, message in table.errors.itertuples(index=False):
        print(f"affectkit: skipped {path or item}: {message}", file=err)
    failures = len(table.errors)
    if len(table) == 0:
        raise CommandError(f"all {failures} file(s) failed")
    if args.output:
        F.write(table, args.output)
        print(f"wrote {len(table)} file(s) to {args.output}", file=out)
    _summary(table, F.registry._resolve(names), keep_frames, failures, elapsed, out)
    return 0


SUMMARY_ROWS = 50


def _summary(table, specs, keep_frames, failures, elapsed, out) -> None:
    """One line per file (the first SUMMARY_ROWS): duration and, when frames were kept,
    each feature's shape (clip features: 1 x d)."""

    def shape(row, spec):
        n, d = (row[spec.name].shape if spec.level == "frames" else (1, len(spec.names)))
        return f"{n:>7} x {d:<4}"

    shapes = "  ".join(f"{f.name} (frames x dims)" for f in specs) if keep_frames else ""
    print(f"{'file':<48} {'seconds':>8}  {shapes}".rstrip(), file=out)
    for _, row in table.head(SUMMARY_ROWS).iterrows():
        name = Path(row["path"]).name
        cells = "  ".join(shape(row, f) for f in specs) if keep_frames else ""
        print(f"{name[:48]:<48} {row['duration_s']:8.2f}  {cells}".rstrip(), file=out)
    if len(table) > SUMMARY_ROWS:
        print(f"... and {len(table) - SUMMARY_ROWS} more", file=out)
    windows = "window_start" in table.columns
    n_files = table.index.nunique() if windows else len(table)
    # with windows, duration_s is per window (they may overlap): the files' audio is the last window's end
    audio_seconds = float(table.groupby(level=0)["window_end"].max().sum() if windows else table["duration_s"].sum())
    speed = audio_seconds / max(elapsed, 1e-9)
    rows = f" ({len(table)} windows)" if windows else ""
    print(
        f"{n_files} file(s){rows}, {audio_seconds:.1f} s of audio in {elapsed:.2f} s "
        f"({speed:.0f}x real time); {failures} failed",
        file=out,
    )


def add_parser(sub: Any) -> None:
    """The ``extract`` subcommand."""
    import inspect

    from ..audio import frontend

    ex = sub.add_parser("extract", help="featurize audio files (default: the bundled samples)")
    ex.add_argument("paths", nargs="*", help="audio files or folders (walked for .wav/.flac/.mp3/.ogg/.m4a/.mp4), or one manifest CSV")
    ex.add_argument("-o", "--output", help="write features to .csv or .parquet (one row per item: frame features "
                    "as per-item mean/std) or .npz (frames)")
    ex.add_argument("--features", default="mfcc", help="comma-separated registry names: mfcc, logmel, egemaps, "
                    "egemaps_lld, prosody, voice_quality, f0, formants (default: mfcc)")
    # no defaults of its own: an option not given is the feature's default, as in Python
    mfcc_defaults = inspect.signature(frontend.mfcc).parameters
    ex.add_argument("--preset", default=None, choices=["librosa", "kaldi", "htk"],
                    help=f"mfcc/logmel front-end preset (default: {mfcc_defaults['preset'].default}, as ak.mfcc)")
    ex.add_argument("--sr", type=int, default=16000, help="resample to this rate (default: 16000)")
    ex.add_argument("--n-mfcc", type=int, default=None, help="number of cepstra (default: the preset's own: librosa 20, "
                    "kaldi and htk 13)")
    ex.add_argument("--deltas", type=int, default=None, choices=[0, 1, 2],
                    help=f"append deltas (default: {mfcc_defaults['deltas'].default})")
    ex.add_argument("--win", type=float, default=None, help="one row per window of this many seconds of each "
                    "file (default: one row per file)")
    ex.add_argument("--hop", type=float, default=None, help="seconds between window starts (default: --win; "
                    "needs --win)")
    ex.set_defaults(func=extract)
