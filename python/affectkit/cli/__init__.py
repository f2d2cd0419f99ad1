"""The ``affectkit`` command line.

``affectkit extract [PATH ... | manifest.csv] [-o out.csv|.npz|.parquet] [--features egemaps,mfcc]``
featurizes audio files (folders are walked for the formats ak.load reads) or the items of a manifest (a
CSV with the core columns of :mod:`affectkit.datasets.manifest`, which pass through to the output
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

``affectkit cv feats.parquet manifest.csv --protocol loso`` cross-validates a model under an
evaluation protocol (:mod:`affectkit.evaluation`) and writes a table with confidence intervals.

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
import sys
from typing import Optional, Sequence

from . import cv, demo, evaluate, extract, fuse, index, train
from ._common import exit_status

def build_parser() -> argparse.ArgumentParser:
    """The ``affectkit`` argument parser: one subcommand per module of this package."""
    parser = argparse.ArgumentParser(prog="affectkit", description="Affective-computing plumbing: corpora, features, label fusion, models.")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in (extract, fuse, index, train, evaluate, cv, demo):
        command.add_parser(sub)
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
