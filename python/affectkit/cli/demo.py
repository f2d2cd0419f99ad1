"""``affectkit demo``: the whole pipeline on a synthetic corpus (see :mod:`affectkit.demo`)."""

from __future__ import annotations

from typing import Any

import argparse
import sys


def demo(args: argparse.Namespace, out=None, err=None) -> int:
    from ..demo import DEFAULT_N_ITEMS, run_demo
    from ..errors import AffectkitError, ParameterError

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


def add_parser(sub: Any) -> None:
    """The ``demo`` subcommand."""
    de = sub.add_parser("demo", help="run the whole pipeline on a synthetic corpus and write a report (under a minute)")
    de.add_argument("--out", default="affectkit-demo", help="report folder (default: affectkit-demo)")
    de.add_argument("--n-items", type=int, default=None, help="synthetic items to generate (default: 600)")
    de.add_argument("--seed", type=int, default=0, help="corpus and model seed (default: 0)")
    de.add_argument("--n-jobs", type=int, default=None, help="worker threads (default: AFFECTKIT_NUM_THREADS or all cores)")
    de.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    de.set_defaults(func=demo)
