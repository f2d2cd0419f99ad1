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
def mfcc(y: npt.NDArray[Any], sr: float, preset: str, params: dict[str, Any], dtype: str = "float32") -> npt.NDArray[np.floating[Any]]: ...
def melspectrogram(
    y: npt.NDArray[Any], sr: float, preset: str, params: dict[str, Any], log: Optional[bool] = None, dtype: str = "float32"
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
# label fusion (affectkit.labels): codes are int64, -1 = none
_Codes = npt.NDArray[np.int64]

def labels_majority(
    items: _Codes, annotators: _Codes, labels: _Codes, n_items: int, n_annotators: int, n_classes: int,
    ties: str, seed: int, weights: Optional[npt.NDArray[np.float64]] = None,
) -> tuple[_Codes, npt.NDArray[np.float64]]: ...
def labels_soft(
    items: _Codes, annotators: _Codes, labels: _Codes, n_items: int, n_annotators: int, n_classes: int,
    smoothing: float, ties: str, seed: int, weights: Optional[npt.NDArray[np.float64]] = None,
) -> tuple[_Codes, npt.NDArray[np.float64]]: ...
def labels_wawa(
    items: _Codes, annotators: _Codes, labels: _Codes, n_items: int, n_annotators: int, n_classes: int,
    ties: str, seed: int,
) -> tuple[_Codes, npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def labels_glad(
    items: _Codes, annotators: _Codes, labels: _Codes, n_items: int, n_annotators: int, n_classes: int,
    n_iter: int, tol: float, m_step_max_iter: int, m_step_tol: float,
) -> tuple[npt.NDArray[np.float64], _Codes, npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def labels_mace(
    items: _Codes, annotators: _Codes, labels: _Codes, n_items: int, n_annotators: int, n_classes: int,
    n_iter: int, method: str, alpha: float, beta: float,
    spamming: npt.NDArray[np.float64], thetas: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float64], _Codes, npt.NDArray[np.float64], npt.NDArray[np.float64], float]: ...
def labels_annotator_agreement(
    items: _Codes, annotators: _Codes, labels: _Codes, n_items: int, n_annotators: int, n_classes: int,
    consensus: _Codes,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.uint64]]: ...
def labels_all_inclusive(
    items: _Codes, annotators: _Codes, labels: _Codes, n_items: int, n_annotators: int, n_classes: int,
    min_fraction: float,
) -> npt.NDArray[np.bool_]: ...
def labels_unanimous(
    items: _Codes, annotators: _Codes, labels: _Codes, n_items: int, n_annotators: int, n_classes: int
) -> _Codes: ...
def labels_dawid_skene(
    items: _Codes, annotators: _Codes, labels: _Codes, n_items: int, n_annotators: int, n_classes: int,
    model: str, n_iter: int, tol: float, gold: Optional[_Codes] = None, n_jobs: Optional[int] = None,
) -> tuple[
    npt.NDArray[np.float64], _Codes, npt.NDArray[np.float64], npt.NDArray[np.float64],
    npt.NDArray[np.float64], npt.NDArray[np.float64],
]: ...
def labels_krippendorff_alpha(
    data: npt.NDArray[np.float64], level: str, value_domain: Optional[npt.NDArray[np.float64]] = None
) -> float: ...
def labels_fleiss_kappa(table: npt.NDArray[np.float64], randolph: bool) -> float: ...
def labels_cohen_kappa(a: _Codes, b: _Codes, n_classes: int, weights: Optional[str] = None) -> float: ...
def labels_ewe(
    ratings: npt.NDArray[np.float64], reference: str, non_positive: str, min_overlap: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def labels_summarise(ratings: npt.NDArray[np.float64], how: str, proportiontocut: float = 0.0) -> npt.NDArray[np.float64]: ...
def labels_znorm(ratings: npt.NDArray[np.float64], ddof: int) -> npt.NDArray[np.float64]: ...
def labels_align_traces(
    traces: list[npt.NDArray[np.float64]], fps: list[float], target_fps: float, min_lag: int, max_lag: int
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.float64]]: ...
def resolve_n_jobs(n_jobs: Optional[int] = None) -> int: ...
def _debug_panic() -> None: ...
