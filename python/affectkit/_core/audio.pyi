"""``affectkit._core.audio``: loading, the front end, pitch, the Praat family and eGeMAPS
(``affectkit.audio`` wraps these).
"""

from typing import Any, Optional

import numpy as np
import numpy.typing as npt

VOICE_QUALITY_NAMES: list[str]
PROSODY_NAMES: list[str]
def load(
    path: str, sr: Optional[float] = None, mono: bool = True, offset: float = 0.0, duration: Optional[float] = None
) -> tuple[npt.NDArray[np.float32], int]: ...
def resample(y: npt.NDArray[Any], orig_sr: float, target_sr: float) -> npt.NDArray[np.float32]: ...
def info(path: str) -> tuple[int, int, Optional[int]]: ...
def preset_params(
    kind: str, preset: str, sr: float, params: dict[str, Any], log: Optional[bool] = None
) -> dict[str, Any]: ...
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
def f0(
    y: npt.NDArray[Any], sr: float, method: str, params: dict[str, Any], dtype: str = "float32"
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def f0_batch(
    ys: list[npt.NDArray[Any]], sr: float, method: str, params: dict[str, Any], n_jobs: Optional[int] = None,
    dtype: str = "float32",
) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_], npt.NDArray[np.float64], npt.NDArray[np.float64]]]: ...
def intensity(
    y: npt.NDArray[Any],
    sr: float,
    minimum_pitch: float = 100.0,
    time_step: Optional[float] = None,
    subtract_mean: bool = True,
    dtype: str = "float32",
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
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
    y: npt.NDArray[Any], sr: float, frame_length: int = 2048, hop_length: int = 512, center: bool = True,
    pad_mode: str = "constant",
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def harmonicity(
    y: npt.NDArray[Any],
    sr: float,
    method: str = "cc",
    time_step: float = 0.01,
    minimum_pitch: float = 75.0,
    silence_threshold: float = 0.1,
    periods_per_window: Optional[float] = None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
EGEMAPS_LLD: list[str]
EGEMAPS_FUNCTIONALS: list[str]
GEMAPS_LLD: list[str]
GEMAPS_FUNCTIONALS: list[str]
def egemaps(
    y: npt.NDArray[Any], sr: float, level: str = "functionals", version: str = "v02", unvoiced: str = "nan"
) -> npt.NDArray[np.float64]: ...
def egemaps_batch(
    ys: list[npt.NDArray[Any]], sr: float, level: str = "functionals", n_jobs: Optional[int] = None,
    version: str = "v02", unvoiced: str = "nan",
) -> npt.NDArray[np.float64] | list[npt.NDArray[np.float64]]: ...
def egemaps_stages(y: npt.NDArray[Any], sr: float) -> dict[str, npt.NDArray[np.float64]]: ...
def loudness(
    y: npt.NDArray[Any], sr: float, smooth: bool = True
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
