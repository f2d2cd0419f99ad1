"""What every ``affectkit`` command shares: exit codes, the one error type commands raise, warnings, input paths, argument types."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, Optional, Sequence


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
    from ..errors import AffectkitError, InputTypeError, ParameterError

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


def collect_paths(paths: Sequence[str], err=None) -> "list[Path]":
    """Files named directly, plus the audio files under named folders (sorted; the
    extensions of :data:`affectkit.audio.AUDIO_EXTENSIONS`)."""
    from ..audio.io import AUDIO_EXTENSIONS

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

    from .. import datasets
    from ..errors import ParameterError, ReadError

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
