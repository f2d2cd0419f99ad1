"""Type stubs for the Rust extension module ``affectkit._core``.

Use the wrappers in ``affectkit`` (``ak.mfcc`` etc.); these are their low-level forms.
"""

from typing import Any, Optional

import numpy as np
import numpy.typing as npt

__version__: str
EGEMAPS_CONTOUR_FUNCTIONALS: list[str]
VOICE_QUALITY_NAMES: list[str]
PROSODY_NAMES: list[str]

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
# --- face (affectkit.face wraps these) ---
_F64 = npt.NDArray[np.float64]
_Regions = Optional[list[tuple[str, list[int]]]]

def face_geometry(
    landmarks: _F64, scheme_name: str = "ibug68", regions: _Regions = None, n_points: Optional[int] = None,
    n_jobs: Optional[int] = None,
) -> tuple[_F64, int]: ...
def face_geometry_names() -> list[str]: ...
def face_mesh_geometry(
    landmarks: _F64, scheme_name: str = "mediapipe478", n_jobs: Optional[int] = None
) -> tuple[_F64, int]: ...
def face_mesh_geometry_names() -> list[str]: ...
def face_align(
    landmarks: _F64, method: str = "procrustes", scheme_name: str = "ibug68", regions: _Regions = None,
    n_points: Optional[int] = None, n_jobs: Optional[int] = None,
) -> tuple[_F64, int]: ...
def face_head_pose(
    landmarks: _F64, camera: Optional[tuple[float, float, float, float]] = None, scheme_name: str = "ibug68",
    regions: _Regions = None, n_points: Optional[int] = None, n_jobs: Optional[int] = None,
) -> tuple[_F64, int]: ...
def face_reference_shape() -> _F64: ...
def face_scheme_map(scheme_name: str = "ibug68", regions: _Regions = None, n_points: Optional[int] = None) -> tuple[list[int], int]: ...
def face_au_proxies(geometry: _F64, baseline: _F64) -> _F64: ...
def face_au_proxy_names() -> list[str]: ...
def face_derivative(x: _F64, fps: float) -> _F64: ...
def face_interpolate_gaps(x: _F64, max_gap: int) -> _F64: ...
def face_blinks(
    ear: _F64, fps: float, threshold: float = 0.2, min_frames: int = 2, max_frames: Optional[int] = None
) -> dict[str, Any]: ...
def face_window_functionals(x: _F64, window: int, hop: int, functionals: list[str]) -> tuple[_F64, npt.NDArray[np.uintp]]: ...
def face_column_stat(x: _F64, mask: Optional[list[bool]] = None, stat: str = "median") -> _F64: ...
def face_read_openface(path: str) -> dict[str, Any]: ...
def f0(
    y: npt.NDArray[Any], sr: float, method: str, params: dict[str, Any], dtype: str = "float32"
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def intensity(
    y: npt.NDArray[Any],
    sr: float,
    minimum_pitch: float = 100.0,
    time_step: Optional[float] = None,
    subtract_mean: bool = True,
    dtype: str = "float32",
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def functionals(contour: npt.NDArray[np.float64], which: list[str], frame_rate: float = 100.0) -> npt.NDArray[np.float64]: ...
def formants(y: npt.NDArray[Any], sr: float, params: dict[str, Any]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def formants_batch(
    ys: list[npt.NDArray[Any]], sr: float, params: dict[str, Any], n_jobs: Optional[int] = None
) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]: ...
def voice_measures(y: npt.NDArray[Any], sr: float, kind: str, params: dict[str, Any]) -> list[float]: ...
def voice_measures_batch(
    ys: list[npt.NDArray[Any]], sr: float, kind: str, params: dict[str, Any], n_jobs: Optional[int] = None
) -> npt.NDArray[np.float64]: ...
def pulses(y: npt.NDArray[Any], sr: float, params: dict[str, Any]) -> npt.NDArray[np.float64]: ...
def rms(
    y: npt.NDArray[Any], frame_length: int = 2048, hop_length: int = 512, center: bool = True, pad_mode: str = "constant"
) -> npt.NDArray[np.float64]: ...
def harmonicity(
    y: npt.NDArray[Any],
    sr: float,
    method: str = "cc",
    time_step: float = 0.01,
    minimum_pitch: float = 75.0,
    silence_threshold: float = 0.1,
    periods_per_window: Optional[float] = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...

# --- labels (affectkit.labels wraps these) ---
# codes are int64, -1 = none
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
