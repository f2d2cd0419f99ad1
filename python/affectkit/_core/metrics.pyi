"""``affectkit._core.metrics`` (``affectkit.metrics`` wraps these).
"""

import numpy as np
import numpy.typing as npt

def confusion(
    y_true: npt.NDArray[np.int64], y_pred: npt.NDArray[np.int64], n_classes: int
) -> npt.NDArray[np.uint64]: ...
def from_confusion(
    cm: npt.NDArray[np.uint64],
) -> tuple[float, float, npt.NDArray[np.float64], npt.NDArray[np.float64], float, float, float]: ...
def dimensional(
    y_true: npt.NDArray[np.float64], y_pred: npt.NDArray[np.float64]
) -> tuple[float, float, float, float]: ...
def soft(p_true: npt.NDArray[np.float64], p_pred: npt.NDArray[np.float64]) -> tuple[float, float]: ...
