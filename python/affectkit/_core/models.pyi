"""``affectkit._core.models`` (``affectkit.models`` wraps these).
"""

from typing import Any, Optional

import numpy as np
import numpy.typing as npt

_F32 = npt.NDArray[np.float32]
class Network:
    """A trained network (MLP, gated fusion, attention sequence, dialogue or trace model, or layer-weighted head); pickles as its model-file bytes."""

    def __init__(self, state: bytes, source: str = "state") -> None: ...
    def predict(self, x: _F32, probabilities: bool, n_jobs: Optional[int] = None) -> _F32: ...
    def predict_fusion(
        self, blocks: list[_F32], names: list[str], n_jobs: Optional[int] = None
    ) -> tuple[_F32, _F32]: ...
    def predict_sequence(
        self, frames: _F32, lengths: list[int], n_jobs: Optional[int] = None
    ) -> tuple[_F32, _F32]: ...
    def predict_dialogue(
        self, blocks: list[_F32], names: list[str], lengths: list[int], parties: list[int],
        n_jobs: Optional[int] = None,
    ) -> _F32: ...
    def predict_frames(self, frames: _F32, lengths: list[int], n_jobs: Optional[int] = None) -> _F32: ...
    def predict_layerwise(
        self, items: list[_F32], probabilities: bool, allow_nan: bool, n_jobs: Optional[int] = None
    ) -> tuple[_F32, _F32]: ...
    def layerwise_parameters(self) -> list[tuple[str, npt.NDArray[np.float32]]]:
        """Every parameter of a layer-weighted head, (name, array); linear weights are (in, out)."""
    @property
    def layer_weights(self) -> _F32:
        """Softmax layer weights of a layer-weighted head, (n_layers,)."""
    def to_bytes(self, extra: str) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes, source: str) -> tuple["Network", str]: ...
    @property
    def n_inputs(self) -> int:
        """Input columns: an MLP's features, a fusion network's summed modality widths, a sequence network's
        frame features, a layer-weighted head's layers x dims."""
    @property
    def n_outputs(self) -> int: ...
# settings: {"hidden", "activation", "dropout", "layer_norm", "batch_size", "max_epochs", "learning_rate",
#            "lr_schedule", "optimizer", "alpha", "tol", "early_stopping", "validation_fraction",
#            "n_iter_no_change", "seed", "groups" (one int code per item, or None)}
# _Fitted: (network, loss curve, validation loss, best epoch, the items held out for early stopping)
_Fitted = tuple[Network, list[float], list[float], int, list[int]]
def fit(
    x: _F32, targets: _F32, weights: Optional[_F32], objective: str, settings: dict[str, Any],
    n_jobs: Optional[int] = None, n_classes: int = 0, dimension_weight: float = 1.0,
) -> _Fitted: ...
def fit_fusion(
    blocks: list[_F32], names: list[str], targets: _F32, weights: Optional[_F32], modality_dropout: float,
    settings: dict[str, Any], n_jobs: Optional[int] = None,
) -> _Fitted: ...
def fit_sequence(
    frames: _F32, lengths: list[int], targets: _F32, weights: Optional[_F32], conv_channels: int,
    conv_kernel: int, attention_dim: int, settings: dict[str, Any], n_jobs: Optional[int] = None,
) -> _Fitted: ...
# shape: {"context", "speaker_state", "causal", "window", "hidden_size", "n_heads", "n_layers"}
def fit_dialogue(
    blocks: list[_F32], names: list[str], lengths: list[int], parties: list[int], targets: _F32, weights: _F32,
    shape: dict[str, Any], settings: dict[str, Any], n_jobs: Optional[int] = None,
) -> _Fitted: ...
def fit_trace(
    frames: _F32, lengths: list[int], targets: _F32, weights: Optional[_F32], objective: str, conv_channels: int,
    conv_kernel: int, context: str, context_dim: int, settings: dict[str, Any], n_jobs: Optional[int] = None,
) -> _Fitted: ...
def fit_layerwise(
    items: list[_F32], targets: _F32, weights: Optional[_F32], objective: str, normalize: bool, pooling: str,
    attention_dim: int, allow_nan: bool, settings: dict[str, Any], n_jobs: Optional[int] = None,
) -> _Fitted: ...
def bundle_to_bytes(parts: list[tuple[str, Network]], extra: str) -> bytes: ...
def read_file(data: bytes, source: str) -> tuple[list[tuple[str, Network]], str]: ...
def class_targets(
    n_classes: int, codes: Optional[npt.NDArray[np.int64]] = None, soft: Optional[_F32] = None,
    label_smoothing: float = 0.0, balanced: bool = False, class_weight: Optional[list[float]] = None,
) -> tuple[_F32, _F32]: ...
