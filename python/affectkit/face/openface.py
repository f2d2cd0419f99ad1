"""Reading OpenFace 2.x CSV output (landmarks, pose, gaze, action units)."""

from __future__ import annotations

from typing import Any, Dict, Optional
import numpy as np
from .. import _core


class OpenFaceData:
    """Contents of an OpenFace 2.x FeatureExtraction (or py-feat) CSV, as
    :func:`read_openface` returns them. Frames with ``success == 0`` hold NaN in every
    measurement.

    Parameters
    ----------
    raw : dict
        The parsed columns (made by :func:`read_openface`).
    path : str
        The file they came from.

    Attributes
    ----------
    frame, face_id, timestamp, confidence, success : ndarray or None
        1-D per frame; None when the file has no such column.
    landmarks : ndarray
        ``(n, 68, 2)`` pixels.
    landmarks_3d : ndarray or None
        ``(n, 68, 3)`` millimetres.
    gaze, eye_landmarks, pose, shape_params, au_intensity, au_presence, other : ndarray or None
        ``(n, k)`` column groups, with their names in ``<group>_names``.
    """

    GROUPS = ("gaze", "eye_landmarks", "pose", "shape_params", "au_intensity", "au_presence", "other")

    def __init__(self, raw: Dict[str, Any], path: str):
        self.path = path
        for k in ("frame", "face_id", "timestamp", "confidence", "success"):
            setattr(self, k, raw.get(k))
        self.landmarks: np.ndarray = raw["landmarks"]
        self.landmarks_3d: Optional[np.ndarray] = raw.get("landmarks_3d")
        for g in self.GROUPS:
            sub = raw.get(g)
            setattr(self, g, None if sub is None else sub["values"])
            setattr(self, g + "_names", None if sub is None else list(sub["names"]))

    def __len__(self) -> int:
        return int(self.landmarks.shape[0])

    def __repr__(self) -> str:
        have = [g for g in self.GROUPS if getattr(self, g) is not None]
        return f"OpenFaceData({self.path!r}, n_frames={len(self)}, landmarks={self.landmarks.shape[1]}, groups={have})"

    @property
    def aus(self) -> Dict[str, np.ndarray]:
        """AU columns by name (``AU01_r`` ... and ``AU01_c`` ...)."""
        out = {}
        for g in ("au_intensity", "au_presence"):
            vals = getattr(self, g)
            if vals is not None:
                out.update({n: vals[:, i] for i, n in enumerate(getattr(self, g + "_names"))})
        return out

    @property
    def head_pose(self) -> Optional[np.ndarray]:
        """OpenFace's pose as ``(n, 6)`` in :func:`head_pose`'s layout: yaw, pitch, roll in
        degrees (``pose_Ry``, ``pose_Rx``, ``pose_Rz``) and ``pose_Tx, Ty, Tz`` (mm)."""
        if self.pose is None:
            return None
        names = self.pose_names
        need = ["pose_Ry", "pose_Rx", "pose_Rz", "pose_Tx", "pose_Ty", "pose_Tz"]
        if not all(n in names for n in need):
            return None
        cols = [self.pose[:, names.index(n)] for n in need]
        out = np.stack(cols, axis=1)
        out[:, :3] = np.degrees(out[:, :3])
        return out

    def to_frame(self) -> Any:
        """Everything as one pandas DataFrame with OpenFace's column names."""
        import pandas as pd

        cols: Dict[str, Any] = {}
        for k in ("frame", "face_id", "timestamp", "confidence", "success"):
            v = getattr(self, k)
            if v is not None:
                cols[k] = v
        n_pts = self.landmarks.shape[1]
        for i in range(n_pts):
            cols[f"x_{i}"] = self.landmarks[:, i, 0]
        for i in range(n_pts):
            cols[f"y_{i}"] = self.landmarks[:, i, 1]
        if self.landmarks_3d is not None:
            for d, ax in enumerate("XYZ"):
                for i in range(n_pts):
                    cols[f"{ax}_{i}"] = self.landmarks_3d[:, i, d]
        for g in self.GROUPS:
            vals = getattr(self, g)
            if vals is not None:
                for i, nm in enumerate(getattr(self, g + "_names")):
                    cols[nm] = vals[:, i]
        return pd.DataFrame(cols)


def read_openface(path: Any) -> OpenFaceData:
    """Read an OpenFace 2.x FeatureExtraction CSV (Baltrusaitis et al. 2018, "OpenFace 2.0:
    Facial behavior analysis toolkit"), or any CSV with py-feat's ``x_i``/``y_i`` landmark
    columns.

    Column names are stripped (OpenFace writes a space after each comma); frames with
    ``success == 0`` become NaN landmarks, pose, gaze and AUs, so that
    ``geometry(data.landmarks)`` gives NaN rows for them. A file without landmark columns
    raises :class:`affectkit.errors.ParameterError` naming what is missing; a file that
    cannot be read raises :class:`affectkit.errors.ReadError`.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.

    Returns
    -------
    OpenFaceData

    Examples
    --------
    ::

        of = ak.face.read_openface("video.csv")
        G = ak.face.geometry(of.landmarks); P = of.head_pose; df = of.to_frame()
    """
    import os

    p = os.fspath(path)
    return OpenFaceData(dict(_core.face.read_openface(p)), p)
