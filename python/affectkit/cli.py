"""The ``affectkit`` command line.

``affectkit extract [PATH ... | manifest.csv] [-o out.csv|.npz|.parquet] [--features egemaps,mfcc]``
featurizes audio files (folders are walked for the formats ak.load reads) or the items of a manifest (a
CSV with the core columns of :mod:`affectkit.manifest`, which pass through to the output
with the corpus's own columns) with the feature registry (:mod:`affectkit.features`) and
its defaults (``mfcc``: the librosa preset, 20 coefficients); files that fail are reported
and the others continue; the output carries its settings record (parquet metadata, or a
``.json`` sidecar). With no PATH it runs on the bundled sample recordings and prints a
summary.

``affectkit demo [--out affectkit-demo] [--n-items N] [--seed S] [--no-plots]`` runs the
whole pipeline on a synthetic corpus and writes a report (see :mod:`affectkit.demo`).

``affectkit fuse annotations.csv [--method dawid-skene] [-o labels.csv]`` fuses the
answers of several annotators (a CSV with ``task, worker, label`` columns, or those named by
``--columns``) into one label and a distribution per item.

``affectkit index <corpus> <root> [-o manifest.csv]`` indexes a local copy of an emotion
corpus (RAVDESS, CREMA-D, EmoDB, TESS, IEMOCAP, MSP-Podcast, MELD) into a manifest and
prints the number of items per label and split.

Exit codes (every command): 0 success; 1 a runtime failure (a file that cannot be read,
every item failed, a corpus folder that does not match its layout); 2 bad arguments or
configuration (an unusable option value, a missing column, feature settings that differ
from a model's), checked before any file is read where possible; argparse's own usage
errors are 2 too. Expected failures print one line ``affectkit <command>: <message>``,
never a traceback; :func:`main` is the one place that maps exceptions to codes.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np


#: Exit status of a runtime failure (a file that cannot be read, every item failed).
EXIT_FAILURE = 1
#: Exit status of bad arguments or configuration (argparse's own usage errors too).
EXIT_USAGE = 2


class CommandError(Exception):
    """A user-facing failure detected by a command: printed as one line
    ``affectkit <command>: <message>`` by :func:`main`, which exits with ``status``
    (:data:`EXIT_FAILURE` or :data:`EXIT_USAGE`)."""

    def __init__(self, message: str, status: int = EXIT_FAILURE):
        super().__init__(message)
        self.status = status


def exit_status(exc: BaseException) -> Optional[int]:
    """The exit status for an expected exception, None for anything else (a bug, which
    keeps its traceback): :class:`CommandError` its own; bad arguments or configuration
    (:class:`~affectkit.errors.ParameterError`, :class:`~affectkit.errors.InputTypeError`,
    :class:`~affectkit.errors.SettingsMismatchError`) :data:`EXIT_USAGE`; files that
    cannot be read (:class:`~affectkit.errors.ReadError`, any ``OSError``), a missing
    optional package and other affectkit errors :data:`EXIT_FAILURE`."""
    from .errors import AffectkitError, InputTypeError, ParameterError

    if isinstance(exc, CommandError):
        return exc.status
    if isinstance(exc, (ParameterError, InputTypeError)):
        return EXIT_USAGE
    if isinstance(exc, (AffectkitError, OSError, ImportError)):
        return EXIT_FAILURE
    return None


def print_warnings(caught: Sequence[Any], command: str, err) -> None:
    """Warnings caught during a command, one line each (not Python's two-line format)."""
    seen = set()
    for w in caught:
        text = str(w.message)
        if text not in seen:
            seen.add(text)
            print(f"affectkit {command}: warning: {text}", file=err)


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
            self.active = False  # closing twice writes nothing


class Stages(Progress):
    """Progress over the named stages of one command: stage number, elapsed time, name."""

    def update(self, done: int, label: str) -> None:
        if not self.active:
            return
        elapsed = time.perf_counter() - self.start
        self.stream.write(f"\r[{done}/{self.total}] {elapsed:5.1f} s  {label[-60:]:<60}")
        self.stream.flush()


def collect_paths(paths: Sequence[str], err=None) -> "list[Path]":
    """Files named directly, plus the audio files under named folders (sorted; the
    extensions of :data:`affectkit.frontend.AUDIO_EXTENSIONS`)."""
    from .frontend import AUDIO_EXTENSIONS

    err = err or sys.stderr
    out: "list[Path]" = []
    for p in map(Path, paths):
        if p.is_dir():
            skipped = 0
            for root, _dirs, files in os.walk(p):
                for f in sorted(files):
                    q = Path(root) / f
                    if q.suffix.lower() in AUDIO_EXTENSIONS:
                        out.append(q)
                    else:
                        skipped += 1
            if skipped:
                print(f"affectkit: skipped {skipped} non-audio file(s) under {p}", file=err)
        else:
            out.append(p)
    return out


def _inputs(paths: Sequence[str], err) -> Any:
    """A manifest DataFrame or a list of files; a CSV with the manifest's core columns is
    read as a manifest (ak.datasets.read_manifest)."""
    import csv

    from . import datasets
    from .errors import ParameterError, ReadError

    manifests = []
    for p in paths:
        if Path(p).suffix.lower() == ".csv" and Path(p).is_file():
            with open(p, newline="") as f:
                header = next(csv.reader(f), [])
            missing = [c for c in datasets.MANIFEST_COLUMNS if c not in header]
            if missing:
                raise CommandError(f"{p} is a CSV but not a manifest: it lacks column(s) {missing} "
                                   f"(a manifest has {', '.join(datasets.MANIFEST_COLUMNS)})", EXIT_USAGE)
            manifests.append(p)
    if manifests:
        if len(paths) > 1:
            raise CommandError(f"give one manifest alone, got {len(paths)} inputs", EXIT_USAGE)
        try:
            return datasets.read_manifest(manifests[0])
        except (ReadError, ParameterError) as e:  # its contents: a file that cannot be used, not an option
            raise CommandError(str(e), EXIT_FAILURE) from e
    return [str(p) for p in collect_paths(paths, err)]


OUTPUT_SUFFIXES = (".csv", ".npz", ".parquet")


def _extract_options(args: argparse.Namespace, names: Sequence[str]) -> "dict[str, Any]":
    """The feature options the command line sets: only those given (None: the feature's
    own default, the same as in Python) and only for selected features that take them."""
    from . import features as F

    specs = F._resolve(names)
    wanted = {"preset": args.preset, "n_mfcc": args.n_mfcc, "deltas": args.deltas}
    return {k: v for k, v in wanted.items() if v is not None and any(k in f.shared for f in specs)}


def extract(args: argparse.Namespace, out=None, err=None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from . import datasets
    from . import features as F

    # the whole configuration, checked once before any file is read
    names = [f.strip() for f in args.features.split(",") if f.strip()]
    options = _extract_options(args, names)
    suffix = Path(args.output).suffix.lower() if args.output else None
    if suffix not in (None, *OUTPUT_SUFFIXES):
        raise CommandError(f"-o must end in .csv, .npz or .parquet, got {args.output!r}", EXIT_USAGE)
    # frames for the summary and .npz; otherwise pooled per item as they are computed
    keep_frames = suffix in (None, ".npz")
    pool = None if keep_frames else ("mean", "std")
    F.settings(names, sr=args.sr, pool=pool, **options)

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
            table = F.extract(data, names, sr=args.sr, pool=pool, progress=progress, **options)
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
    _summary(table, F._resolve(names), keep_frames, failures, elapsed, out)
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
    audio_seconds = float(table["duration_s"].sum())
    speed = audio_seconds / max(elapsed, 1e-9)
    print(
        f"{len(table)} file(s), {audio_seconds:.1f} s of audio in {elapsed:.2f} s "
        f"({speed:.0f}x real time); {failures} failed",
        file=out,
    )


FUSE_METHODS = ("majority", "soft", "wawa", "dawid-skene", "one-coin", "glad", "mace")


def fuse(args: argparse.Namespace, out=None, err=None) -> int:
    import csv
    import io

    out = out or sys.stdout
    err = err or sys.stderr
    from . import labels
    from .errors import AffectkitError

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


def index(args: argparse.Namespace, out=None, err=None) -> int:
    """``affectkit index <corpus> <root> [-o manifest.csv]``: index a local corpus copy and
    print how many items each label and split has."""
    out = out or sys.stdout
    err = err or sys.stderr
    from . import datasets
    from .errors import AffectkitError

    options = {"strict": not args.skip_mismatches}
    if args.video:
        if args.corpus != "ravdess":
            print("affectkit index: --video applies to ravdess only", file=err)
            return 2
        options["video"] = True
    if args.ratings:
        if args.corpus != "crema-d":
            print("affectkit index: --ratings applies to crema-d only", file=err)
            return 2
        options["ratings"] = args.ratings
    progress = Stages(2, err)
    progress.update(0, f"indexing {args.corpus} under {Path(args.root).name}")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            man = datasets.index(args.corpus, args.root, **options)
        progress.update(1, f"{len(man)} items")
        progress.close()
        for w in caught:  # skipped files, missing media: one line each, not a Python warning
            print(f"affectkit index: warning: {w.message}", file=err)
        if args.output:
            datasets.write_manifest(man, args.output)
    except (AffectkitError, OSError) as e:
        progress.close()
        print(f"affectkit index: {e}", file=err)
        return 1
    label = man["label"].map(lambda v: "(none)" if v is None else v)
    split = man["split"].map(lambda v: "(none)" if v is None else v)
    table = label.to_frame().assign(split=split).value_counts().unstack(fill_value=0)
    print(f"{args.corpus}: {len(man)} item(s), {man['speaker'].nunique()} speaker(s)", file=out)
    print(table.to_string(), file=out)
    if args.output:
        print(f"wrote {args.output}", file=out)
    return 0


def demo(args: argparse.Namespace, out=None, err=None) -> int:
    from .demo import DEFAULT_N_ITEMS, run_demo
    from .errors import AffectkitError, ParameterError

    err = err or sys.stderr
    try:
        run_demo(args.out, n_items=DEFAULT_N_ITEMS if args.n_items is None else args.n_items, seed=args.seed, n_jobs=args.n_jobs,
                 plots=not args.no_plots, stream=out, err=err)
    except ParameterError as e:  # a bad option value: --n-items too small, ...
        print(f"affectkit demo: {e}", file=err)
        return 2
    except (AffectkitError, OSError) as e:  # --out not writable, ...
        print(f"affectkit demo: {e}", file=err)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    import inspect

    from . import frontend

    parser = argparse.ArgumentParser(prog="affectkit", description="Affective-computing plumbing: corpora, features, label fusion, models.")
    sub = parser.add_subparsers(dest="command", required=True)
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
    ex.set_defaults(func=extract)
    fu = sub.add_parser("fuse", help="fuse several annotators' labels per item (CSV in, CSV out)")
    fu.add_argument("annotations", help="CSV with one answer per row")
    fu.add_argument("--method", default="dawid-skene", choices=FUSE_METHODS, help="aggregation (default: dawid-skene)")
    fu.add_argument("--columns", default="task,worker,label", help="item, annotator and label columns (default: task,worker,label)")
    fu.add_argument("-o", "--output", help="write item, label, p_<class>... to this CSV (default: stdout)")
    fu.set_defaults(func=fuse)
    from .corpora import CORPORA

    ix = sub.add_parser("index", help="index a local copy of an emotion corpus into a manifest CSV",
                        description="Read a local corpus copy (nothing is downloaded) and write its manifest: "
                                    "corpus, item, path, speaker, label, split (+ the corpus's own columns).")
    ix.add_argument("corpus", choices=CORPORA, help="which corpus the folder holds")
    ix.add_argument("root", help="the corpus folder as unpacked from its distribution")
    ix.add_argument("-o", "--output", help="write the manifest to this CSV (default: only print the counts)")
    ix.add_argument("--skip-mismatches", action="store_true",
                    help="skip files that do not follow the corpus layout, with a warning (default: error)")
    ix.add_argument("--video", action="store_true", help="RAVDESS: also index the .mp4 video files")
    ix.add_argument("--ratings", choices=["voice", "face", "audiovisual"],
                    help="CREMA-D: which raters' answers become annotations (default: voice)")
    ix.set_defaults(func=index)
    from . import cli_models

    cli_models.add_parsers(sub)
    from . import cli_cv  # evaluation (issue 17)

    cli_cv.add_parser(sub)
    de = sub.add_parser("demo", help="run the whole pipeline on a synthetic corpus and write a report (under a minute)")
    de.add_argument("--out", default="affectkit-demo", help="report folder (default: affectkit-demo)")
    de.add_argument("--n-items", type=int, default=None, help="synthetic items to generate (default: 600)")
    de.add_argument("--seed", type=int, default=0, help="corpus and model seed (default: 0)")
    de.add_argument("--n-jobs", type=int, default=None, help="worker threads (default: AFFECTKIT_NUM_THREADS or all cores)")
    de.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    de.set_defaults(func=demo)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (see the module docstring).

    The one place that turns expected exceptions into a one-line message on stderr and
    an exit code (:func:`exit_status`); anything else is a bug and keeps its traceback.
    """
    parser = build_parser()
    args = parser.parse_args(argv)  # usage errors: argparse prints them and exits 2
    try:
        return args.func(args)
    except Exception as e:  # noqa: BLE001 - mapped below, re-raised when unexpected
        status = exit_status(e)
        if status is None:
            raise
        print(f"affectkit {args.command}: {e}", file=sys.stderr)
        return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
