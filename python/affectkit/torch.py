"""PyTorch data loading: featurize recordings on the fly in ``DataLoader`` workers.

>>> from torch.utils.data import DataLoader                                 # doctest: +SKIP
>>> ds = ak.torch.FeatureDataset(manifest, features="mfcc")                 # doctest: +SKIP
>>> loader = DataLoader(ds, batch_size=16, num_workers=4, collate_fn=ak.torch.pad_collate)  # doctest: +SKIP
>>> batch = next(iter(loader)); batch["features"].shape                       # doctest: +SKIP
torch.Size([16, 129, 20])

Features and their defaults are those of :mod:`affectkit.features` (``mfcc``: the
librosa preset, 20 coefficients), so a dataset gives the frames whose pooled statistics
``ak.features.extract`` tabulates; ``ds.settings`` is the settings record
(:mod:`affectkit.settings`) a model trained on it keeps.

This module imports without torch; torch is needed when items are produced (an
``ImportError`` naming the package says so). Featurization runs in affectkit's Rust core
with the GIL released; the per-process pool is fork-safe, so ``num_workers > 0`` with the
``fork`` start method works. Each item is featurized on one thread (``n_jobs=1``): the
parallelism comes from the loader's workers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import numpy as np

from ._util.optional import require
from .errors import InputTypeError, LowRateWarning, ParameterError
from .datasets.manifest import _is_missing

__all__ = ["FeatureDataset", "pad_collate", "IGNORE_INDEX"]

#: Label index of items without a label: ``torch.nn.CrossEntropyLoss``'s default
#: ``ignore_index``, so unlabelled items contribute no loss.
IGNORE_INDEX = -100


def _torch() -> Any:
    return require("torch", "affectkit.torch", "'torch' package (PyTorch)",
                   "pip install torch, or pip install 'affectkit[torch]'")


class FeatureDataset:
    """A map-style dataset (``len`` and ``[i]``) of features computed on the fly.

    Item ``i`` is ``(features, label, item_id)``: the float32 array of :meth:`featurize`
    made a tensor with the zero-copy ``torch.from_numpy``, then passed to ``transform``
    if given; the label's index in ``classes``, or :data:`IGNORE_INDEX` where the label
    is missing or ``label_column`` is None; and the manifest's item id (``"0"``,
    ``"1"``... for a list of signals). Torch is needed only to produce items:
    :meth:`featurize` gives the same array without it.

    Parameters
    ----------
    data : DataFrame or list of array-like
        A manifest (see :mod:`affectkit.datasets.manifest`; files are read from ``path`` and
        resampled to ``sr``; with ``segment_start``/``segment_end`` columns only that part
        of each file, NaN in both for the whole file) or a list of 1-D signals already at
        ``sr`` Hz.
    features : str, Feature or list of them, default "mfcc"
        Registry feature sets (:mod:`affectkit.features`) of one level: frame features
        are joined column-wise into ``(n_frames, d)`` (they must have the same frame
        count, e.g. ``mfcc`` and ``logmel`` with one preset), clip features into ``(d,)``.
        The defaults are the registry's (``mfcc``: ``preset="librosa"``, 20 coefficients).
    sr : int, default 16000
        The analysis rate, Hz.
    label_column : str or None, default "label"
        The manifest column holding labels (compared as strings).
    classes : sequence of str or None, default None
        The label set, in index order (None: the sorted labels of ``label_column``).
    cache_dir : path-like or None, default None
        One ``.npy`` per item, named by the item id (and its segment, if it has one) and a
        hash of the settings record (features, every resolved parameter, ``sr``,
        definition versions), so changing
        any of them never reads stale features (changing the audio behind an item id
        does: clear the folder). Writes go to a temporary file renamed into place, so
        several loader workers can fill one cache at once. Needs a manifest.
    transform : callable or None, default None
        Applied to each item's tensor.
    check_rates : bool, default True
        Read each file's header (not its audio) at construction to find files whose
        native rate is below what a feature needs: they are named in one
        :class:`~affectkit.errors.LowRateWarning` and recorded in ``settings``.
    **feature_options
        As in :func:`affectkit.features.featurize` (``preset="kaldi"``, ``mfcc={...}``);
        checked here, before any worker starts.

    Attributes
    ----------
    settings : dict
        The settings record (:mod:`affectkit.settings`): features, every resolved
        parameter, ``sr``, ``pool`` None (frames), the upsampled items.
    low_rate : list of tuple
        ``(item, path, native_sr, needed_sr, features)`` of the low-rate files.

    Raises
    ------
    ParameterError
        Manifest rows with an empty ``path``, labels outside ``classes``, an unusable
        feature option, invalid segments. An unreadable file raises
        :class:`~affectkit.errors.AudioLoadError` naming it when its item is loaded, a
        segment ending beyond its file a ``ParameterError`` naming the item and
        ``segment_end``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ds = ak.torch.FeatureDataset([np.zeros(16000, np.float32)], "mfcc")
    >>> ds.featurize(0).shape, ds.settings["features"]["mfcc"]["params"]["preset"]
    ((32, 20), 'librosa')
    """

    def __init__(self, data: Any, features: Any = "mfcc", *, sr: int = 16000, label_column: Optional[str] = "label",
                 classes: Optional[Sequence[str]] = None, cache_dir: Any = None,
                 transform: Optional[Callable[[Any], Any]] = None, check_rates: bool = True, **feature_options: Any):
        from . import features as F

        plan = F.extraction._plan(features, sr, None, feature_options)  # fail now, not in a worker
        self._specs = plan.specs
        levels = {f.level for f in self._specs}
        if len(levels) > 1:
            raise ParameterError(f"features: {[f.name for f in self._specs]} mix frame and clip features; "
                                 "a dataset item is one matrix: use one level (or two datasets)")
        self.features = [f.name for f in self._specs]
        self.sr = plan.sr
        self.feature_options = dict(feature_options)
        self.transform = transform
        self._signals: Optional[list] = None
        import pandas as pd

        if isinstance(data, pd.DataFrame):
            from .datasets.manifest import check_manifest

            check_manifest(data)
            from .datasets.manifest import segments

            self.segments = segments(data)
            self.ids = [str(v) for v in data["item"]]
            self.paths = ["" if _is_missing(v) else str(v) for v in data["path"]]
            empty = [i for i, p in zip(self.ids, self.paths) if p == ""]
            if empty:
                raise ParameterError(f"data: item {empty[0]!r} has an empty path (in-memory item); pass the signals "
                                     "as a list instead")
            if label_column is not None and label_column not in data.columns:
                raise ParameterError(f"label_column: the manifest has no column {label_column!r}")
            raw = list(data[label_column]) if label_column is not None else [None] * len(self.ids)
        elif isinstance(data, (list, tuple)):
            if cache_dir is not None:
                raise ParameterError("cache_dir: needs a manifest (its item ids name the cache files), "
                                     "got a list of signals")
            from ._util.validation import _signal

            self._signals = [_signal(y, f"data[{i}]") for i, y in enumerate(data)]
            self.ids = [str(i) for i in range(len(data))]
            self.paths = [""] * len(data)
            self.segments = [None] * len(data)
            raw = [None] * len(data)
        else:
            raise InputTypeError(f"data: expected a manifest DataFrame or a list of signals, got {type(data).__name__}")
        present = sorted({str(v) for v in raw if not _is_missing(v)})
        # labels are compared as strings, so classes=[0, 1] matches a column of 0/1 ints too
        self.classes = [str(c) for c in classes] if classes is not None else present
        index = {c: k for k, c in enumerate(self.classes)}
        unknown = [v for v in present if v not in index]
        if unknown:
            raise ParameterError(f"classes: label {unknown[0]!r} of column {label_column!r} is not in {self.classes}")
        self.labels = np.array([IGNORE_INDEX if _is_missing(v) else index[str(v)] for v in raw], dtype=np.int64)
        upsampled: "list[str]" = []
        self.low_rate: "list[tuple[str, str, int, float, str]]" = []
        if check_rates and self._signals is None:
            upsampled = self._check_rates(plan)
        self.settings = plan.record(upsampled)
        self.cache_dir = None if cache_dir is None else Path(cache_dir).expanduser()
        if self.cache_dir is not None:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            key = json.dumps({"sr": self.settings["sr"], "features": self.settings["features"]}, sort_keys=True)
            self._key = hashlib.sha1(key.encode()).hexdigest()[:16]

    def _check_rates(self, plan: Any) -> "list[str]":
        """Native rates from the file headers: warn once about the low-rate files; returns
        the upsampled items. An unreadable header is left for the item's load to report."""
        import warnings
        from concurrent.futures import ThreadPoolExecutor

        from . import _core
        from . import features as F

        def native(path: str) -> Optional[int]:
            try:
                return int(_core.audio.info(path)[0])
            except (OSError, ValueError):
                return None

        with ThreadPoolExecutor(F.extraction._reader_threads(None)) as pool:
            rates = list(pool.map(native, self.paths))
        upsampled = []
        for item, path, rate in zip(self.ids, self.paths, rates):
            if rate is None:
                continue
            if rate < self.sr:
                upsampled.append(item)
            need, short = plan.low_rate(rate)
            if short:
                self.low_rate.append((item, path, rate, need, ", ".join(short)))
        if self.low_rate:
            frame = F.table._low_rate_frame(self.low_rate)
            warnings.warn(f"affectkit.torch.FeatureDataset: {F.low_rate_message(frame, self.sr)}; see ds.low_rate",
                          LowRateWarning, stacklevel=3)
        return upsampled

    def __len__(self) -> int:
        return len(self.ids)

    def cache_path(self, i: int) -> Optional[Path]:
        """The cache file of item ``i`` (None without ``cache_dir``)."""
        if self.cache_dir is None:
            return None
        item = self.ids[i]
        if self.segments[i] is not None:  # the same item id cut another way is another file
            item += "@%r-%r" % self.segments[i]
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", item)
        if safe != item:  # two ids may sanitise alike: tell them apart
            safe += "~" + hashlib.sha1(item.encode()).hexdigest()[:8]
        return self.cache_dir / f"{safe}.{self._key}.npy"

    def featurize(self, i: int) -> np.ndarray:
        """Item ``i``'s features as a float32 array, before ``torch.from_numpy`` (from the
        cache when there); needs no torch.

        Parameters
        ----------
        i : int
            Item index, ``0 <= i < len(self)``.

        Returns
        -------
        numpy.ndarray
            ``(n_frames, d)`` for frame features, ``(d,)`` for clip features.
        """
        from .features.registry import featurize
        from .audio.io import _load_native

        cached = self.cache_path(i)
        if cached is not None and cached.exists():
            return np.load(cached)
        if self._signals is not None:
            y = self._signals[i]
        else:
            try:
                y = _load_native(self.paths[i], self.sr, self.segments[i])[0]
            except ParameterError as e:
                raise ParameterError(f"item {self.ids[i]!r} ({self.paths[i]}): {e}") from None
        parts = featurize(y, self.sr, self._specs, **self.feature_options)
        arrays = [parts[name] for name in self.features]
        if self._specs[0].level == "frames" and len({a.shape[0] for a in arrays}) > 1:
            raise ParameterError(f"features: {self.features} give different frame counts "
                                 f"{[a.shape[0] for a in arrays]} for item {self.ids[i]!r}; use one framing")
        x = np.ascontiguousarray(np.concatenate(arrays, axis=-1), dtype=np.float32)
        if cached is not None:
            # write-then-rename: a reader never sees half a file, concurrent writers race harmlessly
            fd, tmp = tempfile.mkstemp(dir=self.cache_dir, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    np.save(f, x)
                os.replace(tmp, cached)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        return x

    def __getitem__(self, i: int) -> "tuple[Any, int, str]":
        if not -len(self) <= i < len(self):
            raise IndexError(f"index {i} out of range for a dataset of {len(self)} items")
        i = i % len(self)
        torch = _torch()
        x = torch.from_numpy(self.featurize(i))
        if self.transform is not None:
            x = self.transform(x)
        return x, int(self.labels[i]), self.ids[i]


def pad_collate(batch: Sequence["tuple[Any, int, str]"]) -> "dict[str, Any]":
    """Collate ``(features, label, id)`` items of different lengths into one batch
    (``DataLoader(..., collate_fn=pad_collate)``).

    Parameters
    ----------
    batch : sequence of (tensor, int, str)
        Items of :class:`FeatureDataset`.

    Returns
    -------
    dict
        ``{"features": (B, T, d) float tensor, zero-padded after each item's frames;
        "mask": (B, T) bool, True on real frames; "lengths": (B,) int64; "labels": (B,)
        int64; "ids": list of item ids}``, ``T`` the longest item. Clip vectors ``(d,)``
        count as one frame (``T = 1``).

    Raises
    ------
    ParameterError
        An empty batch, or items of different feature widths.

    Examples
    --------
    >>> from torch.utils.data import DataLoader                          # doctest: +SKIP
    >>> loader = DataLoader(ds, batch_size=8, collate_fn=ak.torch.pad_collate)  # doctest: +SKIP
    """
    torch = _torch()
    if len(batch) == 0:
        raise ParameterError("batch: empty")
    xs = [x if x.dim() == 2 else x.reshape(1, -1) for x, _, _ in batch]
    widths = {x.shape[1] for x in xs}
    if len(widths) > 1:
        raise ParameterError(f"batch: items have different feature widths {sorted(widths)}")
    lengths = torch.tensor([x.shape[0] for x in xs], dtype=torch.int64)
    t = int(lengths.max())
    out = xs[0].new_zeros((len(xs), t, xs[0].shape[1]))
    for k, x in enumerate(xs):
        out[k, : x.shape[0]] = x
    mask = torch.arange(t)[None, :] < lengths[:, None]
    labels = torch.tensor([int(lab) for _, lab, _ in batch], dtype=torch.int64)
    return {"features": out, "mask": mask, "lengths": lengths, "labels": labels, "ids": [i for _, _, i in batch]}
