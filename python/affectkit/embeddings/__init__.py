"""Frozen self-supervised embeddings: hidden states per item, which layer to use, and the
layer-weighted head (guide: ``docs/embeddings.md``).

Most current speech-emotion results (SUPERB, Yang et al. 2021; emotion2vec, Ma et al.
2023; WavLM and HuBERT probes) train a small head on the frozen hidden states of a
self-supervised model. This module holds the data side:

- :func:`write_hidden_states`: run a local transformers model (wav2vec 2.0, HuBERT,
  WavLM, ...) on a manifest's audio and write ``<out>/<item>.npy`` ``(n_layers, n_frames,
  dim)`` (needs ``torch`` and ``transformers``; nothing is downloaded);
- :func:`read`: those files (``.npy`` memory-mapped, ``.npz``, ``.safetensors``) as a
  :class:`HiddenStates`, keyed by the manifest's item ids;
- :func:`layer_probe`: a linear probe per layer on speaker-independent folds, as a table
  (and :func:`plot_layer_probe`).

The head itself is :class:`affectkit.LayerWeightedClassifier` /
:class:`affectkit.LayerWeightedRegressor`.

>>> import numpy as np, affectkit as ak
>>> H = ak.embeddings.HiddenStates([np.zeros((13, 40, 8), np.float32)], ids=["clip1"])
>>> H.n_layers, H.dim
(13, 8)
"""

from ._states import FORMATS, HiddenStates, read
from .extract import write_hidden_states
from .probe import layer_probe, plot_layer_probe

__all__ = ["read", "HiddenStates", "FORMATS", "layer_probe", "plot_layer_probe", "write_hidden_states"]
