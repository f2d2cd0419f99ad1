"""Feature extraction on a Dask cluster: the same table as :func:`affectkit.features.extract`.

>>> from dask.distributed import Client                                    # doctest: +SKIP
>>> client = Client("tcp://scheduler:8786")                                # doctest: +SKIP
>>> X = ak.distributed.extract(manifest, ["egemaps", "mfcc"], client)      # doctest: +SKIP
>>> X.errors          # item, path, message of the files that failed       # doctest: +SKIP
>>> X.attrs["affectkit"]   # the settings record, as the local run's       # doctest: +SKIP

Defaults, settings record, the options check before anything runs, the low-rate
warning (once, on the client) and ``low_rate`` are those of the local run.

The manifest is cut into chunks of ``chunk_size`` rows; each chunk is one Dask task that
runs :func:`affectkit.features.extract` on a worker (files are read there, so every worker
must see the paths), and the chunks' tables are joined in manifest order. Workers need
affectkit installed; a custom :class:`affectkit.features.Feature` passed as an object
(not a name) travels with the task.

Failures: a file that cannot be read or featurized is reported in ``errors`` (the rest
continue), as in the local run. A worker process that dies (out of memory, a crash in
native code) loses its running chunk: the nanny restarts the worker and the scheduler
reruns the chunk elsewhere, up to Dask's ``distributed.scheduler.allowed-failures``
times per task (default 3; after that Dask raises ``KilledWorker``). ``retries``
(default 1) reruns a chunk whose task raised an exception (a transient I/O error).
"""

from __future__ import annotations

from typing import Any, Optional

from ._util.optional import require
from .errors import InputTypeError, ParameterError

__all__ = ["extract"]


def _dask() -> Any:
    return require("distributed", "affectkit.distributed", "'distributed' package (Dask)",
                   "pip install 'dask[distributed]', or pip install 'affectkit[dask]'")


def extract(manifest: Any, features: Any = "mfcc", client: Any = None, *, chunk_size: int = 64, progress: Any = True,
            retries: int = 1, n_jobs: Optional[int] = 1, **options: Any) -> Any:
    """Featurize a manifest on a Dask cluster: the table (with ``errors``, ``low_rate``
    and the settings record in ``attrs["affectkit"]``) that
    :func:`affectkit.features.extract` returns locally with the same arguments.

    Parameters
    ----------
    manifest : pandas.DataFrame
        A manifest (:mod:`affectkit.datasets.manifest`); every worker must see its paths.
    features : str, Feature or list of them, default "mfcc"
        As in :func:`affectkit.features.extract` (same defaults).
    client : dask.distributed.Client, default None (required: None is an error)
        The cluster's client (required).
    chunk_size : int, default 64
        Manifest rows per task.
    progress : bool or object, default True
        A bar over files (tqdm when installed, else affectkit's terminal status line);
        False for none.
    retries : int, default 1
        Reruns of a chunk whose task raised an exception (a transient I/O error).
    n_jobs : int or None, default 1
        affectkit threads per task (1: the Dask workers' threads are the parallelism;
        raise it with fewer, larger workers).
    **options
        ``sr``, ``pool``, ``on_error``, ``win``, ``hop`` and the feature options of
        :func:`affectkit.features.extract`; checked here, before any task is sent. A
        manifest's ``segment_start``/``segment_end`` columns select part of each file, as
        locally.

    Returns
    -------
    affectkit.features.FeatureTable

    Warns
    -----
    UserWarning
        Once, when items failed.
    LowRateWarning
        Once, naming the files whose native rate is below what a feature needs.

    Examples
    --------
    >>> from dask.distributed import Client, LocalCluster                   # doctest: +SKIP
    >>> with LocalCluster(n_workers=2) as cluster, Client(cluster) as client:  # doctest: +SKIP
    ...     X = ak.distributed.extract(manifest, "mfcc", client)
    """
    distributed = _dask()
    import warnings

    import pandas as pd

    from . import features as F
    from . import settings as S
    from .errors import LowRateWarning
    from ._util.progress import progress_bar
    from .datasets.manifest import check_manifest

    if not isinstance(client, distributed.Client):
        raise InputTypeError(f"client: expected a dask.distributed.Client, got {type(client).__name__}")
    check_manifest(manifest)
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ParameterError(f"chunk_size: expected a positive integer, got {chunk_size!r}")
    # fail here on a bad feature name or option, not once per chunk on the workers
    own = ("sr", "pool", "on_error", "win", "hop")
    rest = {k: v for k, v in options.items() if k not in own}
    plan = F.extraction._check(features, n_jobs, options.get("sr", 16000), options.get("pool", ("mean", "std")),
                    options.get("on_error", "report"), rest, options.get("win"), options.get("hop"))

    if len(manifest) == 0:
        return _extract_chunk(manifest, features=features, n_jobs=n_jobs, options=options)
    chunks = [manifest.iloc[s:s + chunk_size] for s in range(0, len(manifest), chunk_size)]
    futures = client.map(_extract_chunk, chunks, features=features, n_jobs=n_jobs, options=options,
                         retries=retries, pure=False)
    bar = progress_bar(len(manifest), progress)
    if bar is not None:
        sizes = {f.key: len(c) for f, c in zip(futures, chunks)}
        done = 0
        for future in distributed.as_completed(futures):
            done += sizes[future.key]
            bar.update(done, "")
        bar.close()
    tables = client.gather(futures)
    errors = pd.concat([t.errors for t in tables], ignore_index=True)
    low_rate = pd.concat([t.low_rate for t in tables], ignore_index=True)
    upsampled = [u for t in tables for u in ((S.of(t) or {}).get("audio") or {}).get("upsampled", [])]
    # a chunk whose every item failed has no rows and no feature columns: leave it out, so
    # that the columns and dtypes are those of the local run
    kept = [pd.DataFrame(t) for t in tables if len(t)] or [max(tables, key=lambda t: t.shape[1])]
    table = F.FeatureTable(pd.concat(kept))
    table.errors = errors
    table.low_rate = low_rate
    S.attach(table, plan.record(upsampled))
    if len(errors):
        warnings.warn(f"affectkit.distributed.extract: {len(errors)} of {len(manifest)} item(s) failed "
                      f"(first: {errors['item'].iloc[0]}: {errors['message'].iloc[0]}); see table.errors", stacklevel=2)
    if len(low_rate):
        warnings.warn(f"affectkit.distributed.extract: {F.low_rate_message(low_rate, plan.sr)}; see table.low_rate",
                      LowRateWarning, stacklevel=2)
    return table


def _extract_chunk(chunk: Any, *, features: Any, n_jobs: Optional[int], options: dict) -> Any:
    import warnings

    from . import features as F

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # failures and low rates come back in the table; the client warns once
        return F.extract(chunk, features, n_jobs=n_jobs, **options)
