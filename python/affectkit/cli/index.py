"""``affectkit index``: index a local copy of an emotion corpus into a manifest."""

from __future__ import annotations

from typing import Any

import argparse
import sys
import warnings
from pathlib import Path

from .._util.progress import Stages

def index(args: argparse.Namespace, out=None, err=None) -> int:
    """``affectkit index <corpus> <root> [-o manifest.csv]``: index a local corpus copy and
    print how many items each label and split has."""
    out = out or sys.stdout
    err = err or sys.stderr
    from .. import datasets
    from ..errors import AffectkitError

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


def add_parser(sub: Any) -> None:
    """The ``index`` subcommand."""
    from ..datasets.corpora import CORPORA

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
