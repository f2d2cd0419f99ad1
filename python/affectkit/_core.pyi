"""Type stubs for the Rust extension module ``affectkit._core``.

Use the wrappers in ``affectkit`` (``ak.mfcc`` etc.); these are their low-level forms.
"""

from typing import Any, Optional

import numpy as np
import numpy.typing as npt

__version__: str

def load(
    path: str, sr: Optional[int] = None, mono: bool = True, offset: float = 0.0, duration: Optional[float] = None
) -> tuple[npt.NDArray[np.float32], int]: ...
def resample(y: npt.NDArray[Any], orig_sr: int, target_sr: int) -> npt.NDArray[np.float32]: ...
def mfcc(
    y: npt.NDArray[Any], sr: float, preset: str, params: dict[str, Any], dtype: str = "float32", n_jobs: Optional[int] = 1
) -> npt.NDArray[np.floating[Any]]: ...
def melspectrogram(
    y: npt.NDArray[Any],
    sr: float,
    preset: str,
    params: dict[str, Any],
    log: Optional[bool] = None,
    dtype: str = "float32",
    n_jobs: Optional[int] = 1,
) -> npt.NDArray[np.floating[Any]]: ...
def mfcc_batch(
    ys: list[npt.NDArray[Any]], sr: float, preset: str, params: dict[str, Any], n_jobs: Optional[int] = None, dtype: str = "float32"
) -> list[npt.NDArray[np.floating[Any]]]: ...
def melspectrogram_batch(
    ys: list[npt.NDArray[Any]],
    sr: float,
    preset: str,
    params: dict[str, Any],
    log: Optional[bool] = None,
    n_jobs: Optional[int] = None,
    dtype: str = "float32",
) -> list[npt.NDArray[np.floating[Any]]]: ...
def resolve_n_jobs(n_jobs: Optional[int] = None) -> int: ...
def _debug_panic() -> None: ...
