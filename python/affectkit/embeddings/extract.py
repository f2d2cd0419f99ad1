""":func:`write_hidden_states`: run a local transformers speech model on each item of a manifest and save its hidden states."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Optional, Union

import numpy as np

from .._util.optional import require
from ..errors import ParameterError, ReadError


def write_hidden_states(manifest: Any, model_dir: "Union[str, os.PathLike[str]]",
                        out_dir: "Union[str, os.PathLike[str]]", *, sr: Optional[int] = None,
                        dtype: str = "float32", overwrite: bool = False, max_seconds: Optional[float] = None,
                        progress: Any = False) -> "list[Path]":
    """Runs a local transformers speech model on each item and writes its hidden states to
    ``<out_dir>/<item>.npy``, the layout :func:`read` reads.

    For each row of ``manifest``, the audio at ``path`` is loaded mono at the model's
    sampling rate (:func:`affectkit.load`, which resamples), passed through the model's
    own feature extractor (``preprocessor_config.json``: e.g. wav2vec 2.0's per-utterance
    zero-mean, unit-variance normalisation) and through the model with
    ``output_hidden_states=True``; the ``n_layers = num_hidden_layers + 1`` hidden states
    (layer 0: the input of the first transformer layer) are stacked to ``(n_layers,
    n_frames, dim)`` and saved. Nothing is downloaded: ``model_dir`` must be a local folder
    (``save_pretrained`` output, ``local_files_only=True``). Runs on the CPU, one item at
    a time, in inference mode.

    Parameters
    ----------
    manifest : pandas.DataFrame
        A manifest with ``item`` and ``path`` columns (``path`` an audio file).
    model_dir : str or os.PathLike
        Local folder of a transformers audio model (wav2vec 2.0, HuBERT, WavLM,
        data2vec-audio, ...) and, ideally, its feature extractor.
    out_dir : str or os.PathLike
        Where to write ``<item>.npy`` (created; an item id with ``/`` writes to a
        subfolder).
    sr : int or None, default None
        Sampling rate of the model's input; None takes the feature extractor's
        ``sampling_rate``. Without a feature extractor in ``model_dir``, ``sr`` is
        required and the audio goes to the model as loaded (no normalisation).
    dtype : {"float32", "float16"}, default 'float32'
        Dtype of the written arrays (float16 halves the disk space).
    overwrite : bool, default False
        Rewrite existing files; False skips items whose file exists (resumable runs).
    max_seconds : float or None, default None
        Keep only the first ``max_seconds`` of each file (memory of long recordings).
    progress : bool or object, default False
        True shows a progress bar (tqdm when installed); an object with
        ``update(done, label)`` and ``close()`` gets the progress.

    Returns
    -------
    list of pathlib.Path
        The file of each item, in manifest order (written or already there).

    Raises
    ------
    ImportError
        Without ``torch`` and ``transformers``.
    affectkit.errors.ParameterError
        A bad argument, or an item without an audio path (naming the item).

    References
    ----------
    .. [1] S. Yang et al., "SUPERB: Speech processing Universal PERformance Benchmark",
       Interspeech 2021.
    .. [2] T. Wolf et al., "Transformers: state-of-the-art natural language processing",
       EMNLP 2020 (system demonstrations).

    Examples
    --------
    A local model folder is needed (tests/embeddings builds a tiny one):

    >>> import affectkit as ak
    >>> man = ak.datasets.make_acted_corpus(20, n_speakers=2).manifest
    >>> ak.embeddings.write_hidden_states(man, "models/wavlm-base-plus", "hidden_states/")  # doctest: +SKIP
    >>> H = ak.embeddings.read(man, root="hidden_states/")                                 # doctest: +SKIP
    """
    torch = require("torch", "write_hidden_states", "'torch' package (PyTorch)", "pip install torch")
    transformers = require("transformers", "write_hidden_states", "'transformers' package",
                           "pip install transformers")
    from ..audio import load
    from .._util.progress import progress_bar

    if dtype not in ("float32", "float16"):
        raise ParameterError(f"dtype: expected 'float32' or 'float16', got {dtype!r}")
    if max_seconds is not None and not (isinstance(max_seconds, (int, float)) and max_seconds > 0):
        raise ParameterError(f"max_seconds: expected a positive number of seconds or None, got {max_seconds!r}")
    for col in ("item", "path"):
        if not hasattr(manifest, "columns") or col not in manifest.columns:
            raise ParameterError(f"manifest: expected a DataFrame with an {col!r} column")
    folder = Path(model_dir)
    if not (folder / "config.json").is_file():
        raise ReadError(f"model_dir: {os.fspath(model_dir)!r} is not a local transformers model folder "
                        "(no config.json); nothing is downloaded")
    try:
        extractor = transformers.AutoFeatureExtractor.from_pretrained(folder, local_files_only=True)
    except (OSError, ValueError):
        extractor = None
    rate = sr if sr is not None else getattr(extractor, "sampling_rate", None)
    if rate is None:
        raise ParameterError(f"sr: {os.fspath(model_dir)!r} has no feature extractor; pass the model's sampling rate")
    if not isinstance(rate, (int, np.integer)) or isinstance(rate, bool) or rate <= 0:
        raise ParameterError(f"sr: expected a positive integer sampling rate, got {rate!r}")
    model = transformers.AutoModel.from_pretrained(folder, local_files_only=True)
    model.eval()
    out = Path(out_dir)
    written = []
    rows = list(zip(manifest["item"].astype(str), manifest["path"]))
    bar = progress_bar(len(rows), progress)
    try:
        for done, (item, path) in enumerate(rows, 1):
            target = out / f"{item}.npy"
            written.append(target)
            if bar is not None:
                bar.update(done, item)
            if target.exists() and not overwrite:
                continue
            if not isinstance(path, str) or not path:
                raise ParameterError(f"manifest: item {item!r} has no audio path")
            y, _ = load(path, sr=int(rate))
            if max_seconds is not None:
                y = y[: int(round(max_seconds * rate))]
            if extractor is not None:
                inputs = extractor(y, sampling_rate=int(rate), return_tensors="pt")
                values = inputs["input_values"]
            else:
                values = torch.from_numpy(np.ascontiguousarray(y))[None]
            with torch.inference_mode():
                hidden = model(values, output_hidden_states=True).hidden_states
            stacked = torch.stack([h[0] for h in hidden]).to(torch.float32).numpy().astype(dtype)
            target.parent.mkdir(parents=True, exist_ok=True)
            np.save(target, stacked)
    finally:
        if bar is not None:
            bar.close()
    return written
