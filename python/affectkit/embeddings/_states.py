""":class:`HiddenStates` and :func:`read`: per-item hidden states of a self-supervised model, from files named after the manifest's item ids."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Iterable, Optional, Union, overload

import numpy as np

from .._util.optional import require
from ..errors import InputTypeError, ParameterError, ReadError
from ..models.layerwise import _hidden_arrays

#: File formats :func:`read` understands, in the order it looks for them.
FORMATS = ("npy", "npz", "safetensors")


class HiddenStates(Sequence):  # type: ignore[type-arg]
    """Hidden states of several items: one ``(n_layers, n_frames, dim)`` array per item and
    the item ids. What :func:`read` returns and the layer-weighted estimators take.

    A sequence of arrays: ``H[i]`` is item ``i``'s array (a read-only memory map for
    ``.npy`` files), ``len(H)`` the number of items; ``H[[0, 2]]``, ``H[mask]`` and slices
    give a :class:`HiddenStates` of those items, with their ids.

    Parameters
    ----------
    arrays : iterable of array-like of shape (n_layers, n_frames_i, dim)
        One array per item; a 2-D ``(n_frames, dim)`` array is one layer. Every item
        must have the same ``n_layers`` and ``dim``; frames may differ.
    ids : iterable of str or None, default None
        Item ids (default ``"0"``, ``"1"``, ...); kept as the ``ids`` attribute, an
        object array of str in item order.

    Attributes
    ----------
    n_layers : int
        Layers per item.
    dim : int
        Values per frame and layer.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> H = ak.embeddings.HiddenStates([np.zeros((3, 5, 4)), np.ones((3, 7, 4))], ids=["a", "b"])
    >>> len(H), H.n_layers, H.dim, H.pooled().shape
    (2, 3, 4, (2, 3, 4))
    """

    def __init__(self, arrays: Iterable[Any], ids: Optional[Iterable[Any]] = None) -> None:
        items = [np.asanyarray(a) for a in arrays]  # memory maps stay memory maps
        self.ids = np.asarray([str(i) for i in range(len(items))] if ids is None else [str(i) for i in ids],
                              dtype=object)
        if len(self.ids) != len(items):
            raise ParameterError(f"ids: expected {len(items)} ids (one per array), got {len(self.ids)}")
        self._arrays = _hidden_arrays(items, ids=self.ids, finite=False)[0]

    @property
    def n_layers(self) -> int:
        return int(self._arrays[0].shape[0])

    @property
    def dim(self) -> int:
        return int(self._arrays[0].shape[2])

    def __len__(self) -> int:
        return len(self._arrays)

    @overload
    def __getitem__(self, index: int) -> np.ndarray: ...

    @overload
    def __getitem__(self, index: Any) -> "HiddenStates": ...

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, (int, np.integer)):
            return self._arrays[index]
        pos = np.arange(len(self))[index]
        return HiddenStates([self._arrays[i] for i in pos], self.ids[pos])

    def pooled(self) -> np.ndarray:
        """The mean over the frames of each item and layer.

        Returns
        -------
        ndarray of shape (n_items, n_layers, dim)
            float64 means (the input of :func:`layer_probe`).
        """
        return np.stack([np.asarray(a, dtype=np.float64).mean(axis=1) for a in self._arrays])

    def __repr__(self) -> str:
        return f"HiddenStates({len(self)} items, {self.n_layers} layers, dim {self.dim})"


def _item_ids(manifest: Any) -> "list[str]":
    if hasattr(manifest, "columns"):
        if "item" not in manifest.columns:
            raise ParameterError("manifest: lacks the 'item' column (the ids that name the files)")
        ids = manifest["item"].tolist()
    elif isinstance(manifest, (str, bytes)) or not isinstance(manifest, Iterable):
        raise InputTypeError(f"manifest: expected a manifest DataFrame or a list of item ids, got "
                             f"{type(manifest).__name__}")
    else:
        ids = list(manifest)
    if not ids:
        raise ParameterError("manifest: has no items")
    return [str(i) for i in ids]


def _pick(names: "list[str]", key: Optional[str], where: str) -> str:
    """The array of an .npz/.safetensors file: ``key``, the only one, or "hidden_states"."""
    if key is not None:
        if key not in names:
            raise ReadError(f"{where}: has no array {key!r} (arrays: {sorted(names)})")
        return key
    if len(names) == 1:
        return names[0]
    if "hidden_states" in names:
        return "hidden_states"
    raise ReadError(f"{where}: holds several arrays {sorted(names)}; pass key= to choose one")


def _load(path: Path, fmt: str, key: Optional[str], mmap: bool) -> np.ndarray:
    where = os.fspath(path)
    try:
        if fmt == "npy":
            return np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
        if fmt == "npz":
            with np.load(path, allow_pickle=False) as z:
                return z[_pick(list(z.files), key, where)]
        st = require("safetensors", "reading .safetensors hidden states", "'safetensors' package",
                     "pip install safetensors")
        with st.safe_open(where, framework="np") as f:
            return f.get_tensor(_pick(list(f.keys()), key, where))
    except ReadError:
        raise
    except (OSError, ValueError, TypeError, KeyError) as e:
        raise ReadError(f"{where}: cannot read hidden states ({type(e).__name__}: {e})") from None
    except Exception as e:  # safetensors raises its own SafetensorError
        if type(e).__name__ == "SafetensorError":
            raise ReadError(f"{where}: cannot read hidden states ({e})") from None
        raise


def read(manifest: Any, root: "Union[str, os.PathLike[str]]", *, format: Optional[str] = None,
         key: Optional[str] = None, mmap: bool = True) -> HiddenStates:
    """Reads the hidden states of each item of a manifest from ``<root>/<item>.<ext>``.

    Each file holds one item's hidden states ``(n_layers, n_frames, dim)`` (as
    :func:`write_hidden_states` writes them: transformers' ``hidden_states`` stacked,
    layer 0 the output of the convolutional front); a 2-D ``(n_frames, dim)`` file is
    one layer. Any floating dtype (float16, float32, float64) is kept as stored; the
    estimators convert to float32 when they train.

    File naming: ``<root>/<item>.npy``, ``<root>/<item>.npz`` or
    ``<root>/<item>.safetensors``, where ``item`` is the manifest's ``item`` id as text (an
    id with ``/`` reads from a subfolder). Formats:

    - ``.npy``: memory-mapped read-only (``numpy.load(mmap_mode="r")``) with ``mmap=True``,
      so only the frames a model touches are read from disk;
    - ``.npz``: the array ``key``, the file's only array, or its ``"hidden_states"``; read
      into memory (zip members cannot be mapped);
    - ``.safetensors`` (needs the ``safetensors`` package): the tensor ``key``, the only
      one or ``"hidden_states"``; read into memory. bfloat16 has no NumPy dtype: save
      float16 or float32.

    Parameters
    ----------
    manifest : pandas.DataFrame or sequence of str
        A manifest (its ``item`` column) or the item ids, in the order wanted.
    root : str or os.PathLike
        The folder holding the files.
    format : {"npy", "npz", "safetensors"} or None, default None
        The file format; None finds each item's file among the three and refuses an
        item that has files in several formats.
    key : str or None, default None
        The array to take from ``.npz``/``.safetensors`` files holding several.
    mmap : bool, default True
        Memory-map ``.npy`` files (False reads them into memory).

    Returns
    -------
    HiddenStates
        One array per item, in manifest order, with the item ids; the input of
        :class:`~affectkit.LayerWeightedClassifier`, :class:`~affectkit.LayerWeightedRegressor`
        and :func:`layer_probe`.

    Raises
    ------
    affectkit.errors.ReadError
        An item without a file (naming the paths tried) or an unreadable file.
    affectkit.errors.ParameterError
        Items with different layer counts or dims, a non-float dtype or a wrong number of
        dimensions (naming the item); NaN is checked when a model reads the items.

    Examples
    --------
    >>> import numpy as np, affectkit as ak, tempfile, os
    >>> root = tempfile.mkdtemp()
    >>> for item in ("a", "b"):
    ...     np.save(os.path.join(root, f"{item}.npy"), np.zeros((13, 50, 8), np.float16))
    >>> H = ak.embeddings.read(["a", "b"], root=root)
    >>> H, H[0].dtype
    (HiddenStates(2 items, 13 layers, dim 8), dtype('float16'))
    """
    if format is not None and format not in FORMATS:
        raise ParameterError(f"format: expected one of {FORMATS} or None, got {format!r}")
    if not isinstance(mmap, (bool, np.bool_)):
        raise ParameterError(f"mmap: expected True or False, got {mmap!r}")
    base = Path(root)
    if not base.is_dir():
        raise ReadError(f"root: {os.fspath(root)!r} is not a folder")
    ids = _item_ids(manifest)
    arrays = []
    for item in ids:
        tried = [base / f"{item}.{ext}" for ext in (FORMATS if format is None else (format,))]
        found = [p for p in tried if p.is_file()]
        if not found:
            raise ReadError(f"item {item!r}: no hidden-state file ({', '.join(os.fspath(p) for p in tried)})")
        if len(found) > 1:
            raise ParameterError(f"item {item!r}: files in several formats ({', '.join(p.name for p in found)}); "
                                 "pass format= to choose")
        path = found[0]
        arrays.append(_load(path, path.suffix[1:], key, bool(mmap)))
    return HiddenStates(arrays, ids)
