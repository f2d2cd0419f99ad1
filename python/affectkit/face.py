"""Facial landmark geometry: named expression measures, alignment, head pose and dynamics
from the landmarks a detector already gave you (dlib, OpenFace, MediaPipe, py-feat).

Example (``video.csv`` written by OpenFace 2.x FeatureExtraction)::

    import affectkit as ak
    lm = ak.face.read_openface("video.csv")
    G = ak.face.geometry(lm.landmarks)                            # (n_frames, len(GEOMETRY_NAMES))
    P = ak.face.head_pose(lm.landmarks, image_size=(1280, 720))   # yaw, pitch, roll, tx, ty, tz
    D = ak.face.dynamics(G, fps=30)                               # velocities, blinks, window stats

Landmarks are arrays ``(n_frames, n_points, 2 or 3)`` (or one frame ``(n_points, 2|3)``) in
pixels or any consistent unit. A frame whose points are NaN is a frame where no face was
found: its output row is NaN and no other frame moves.

Schemes (``scheme=``)
    ``"ibug68"``: the iBUG-300W / dlib / OpenFace order, 0-based: jaw 0-16, right brow
    17-21, left brow 22-26, nose bridge 27-30, lower nose 31-35, right eye 36-41, left eye
    42-47, outer lips 48-59, inner lips 60-67 (left/right are the subject's).
    ``"mediapipe478"`` (FaceLandmarker, with iris) and ``"mediapipe468"`` (FaceMesh): the
    68 measures are taken on the mesh points of the published MediaPipe-to-68 index map
    (:data:`MEDIAPIPE_TO_IBUG68`). MediaPipe's x and y are fractions of the image width
    and height: multiply by ``(width, height, width)`` first, or ratios are distorted.
    A user scheme is a dict ``{"n_points": N, "jaw": [17 indices], "right_brow": [5],
    "left_brow": [5], "nose_bridge": [4], "lower_nose": [5], "right_eye": [6],
    "left_eye": [6], "outer_lips": [12], "inner_lips": [8]}`` giving, for each iBUG
    region, the indices of its points in iBUG order.

Errors follow affectkit's conventions: a wrong point count or last dimension raises
:class:`affectkit.errors.ParameterError` (a ``ValueError``) naming the expected and the
received shape; degenerate faces (zero inter-ocular distance) give NaN rows and one
``RuntimeWarning`` with their count.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core
from ._base import BaseEstimator, TransformerMixin
from .errors import InputTypeError, ParameterError

__all__ = [
    "geometry",
    "GEOMETRY_NAMES",
    "mesh_geometry",
    "MESH_GEOMETRY_NAMES",
    "head_pose",
    "POSE_NAMES",
    "REFERENCE_SHAPE_3D",
    "align",
    "baseline",
    "subtract_baseline",
    "au_proxies",
    "AU_PROXY_NAMES",
    "dynamics",
    "FaceDynamics",
    "blinks",
    "read_openface",
    "OpenFaceData",
    "FaceGeometry",
    "SCHEMES",
    "REGIONS",
    "MEDIAPIPE_TO_IBUG68",
    "WINDOW_FUNCTIONALS",
]

#: Column names of :func:`geometry`, in order. Distances are divided by the frame's
#: inter-ocular distance (outer eye corners 36-45); angles are in degrees; "vertical" and
#: "horizontal" are the face's own axes after similarity alignment (y down). See
#: :func:`geometry` for each definition.
GEOMETRY_NAMES: Tuple[str, ...] = tuple(_core.face_geometry_names())

#: Column names of :func:`mesh_geometry` (MediaPipe schemes only).
MESH_GEOMETRY_NAMES: Tuple[str, ...] = tuple(_core.face_mesh_geometry_names())

#: Column names of :func:`au_proxies`.
AU_PROXY_NAMES: Tuple[str, ...] = tuple(_core.face_au_proxy_names())

#: Column names of :func:`head_pose`.
POSE_NAMES: Tuple[str, ...] = ("yaw", "pitch", "roll", "tx", "ty", "tz")

#: A generic adult face in the 68-point iBUG layout, ``(68, 3)``, millimetres. Axes as
#: the camera's in OpenFace: x towards the subject's left (image right), y down, z away
#: from the viewer, so a face looking into the camera has zero rotation. The origin is
#: between the eyes (x = 0 on the midline, y = 0 on the eye-corner line, z = 0 about the
#: depth of the inner eye corners). Built for affectkit from average adult anthropometric
#: proportions (outer canthi 90 mm apart, mouth 50 mm wide, eye line to chin 105 mm, nose
#: tip 24 mm in front of the inner canthi): a generic face, not a fitted mean shape.
REFERENCE_SHAPE_3D: np.ndarray = _core.face_reference_shape()
REFERENCE_SHAPE_3D.flags.writeable = False

#: Built-in scheme names.
SCHEMES: Tuple[str, ...] = ("ibug68", "mediapipe478", "mediapipe468")

#: The iBUG regions a user scheme declares, with their point counts, in order.
REGIONS: Tuple[Tuple[str, int], ...] = (
    ("jaw", 17),
    ("right_brow", 5),
    ("left_brow", 5),
    ("nose_bridge", 4),
    ("lower_nose", 5),
    ("right_eye", 6),
    ("left_eye", 6),
    ("outer_lips", 12),
    ("inner_lips", 8),
)

#: MediaPipe face-mesh index of each of the 68 iBUG points (the published map).
MEDIAPIPE_TO_IBUG68: Tuple[int, ...] = tuple(_core.face_scheme_map("mediapipe478")[0])

#: Statistics :class:`FaceGeometry` pools with (NaN-aware); :func:`dynamics` accepts these and
#: every other :func:`affectkit.functionals` name.
WINDOW_FUNCTIONALS: Tuple[str, ...] = ("mean", "std", "min", "max", "median", "range", "iqr")


def _scheme_args(scheme: Any) -> Dict[str, Any]:
    if isinstance(scheme, str):
        return {"scheme_name": scheme}
    if isinstance(scheme, Mapping):
        n_points = scheme.get("n_points")
        if n_points is None:
            raise ParameterError("scheme: a user scheme needs 'n_points' as well as its regions")
        regions = []
        for k, v in scheme.items():
            if k == "n_points":
                continue
            regions.append((str(k), [int(i) for i in np.asarray(v).ravel()]))
        return {"regions": regions, "n_points": int(n_points)}
    raise InputTypeError(
        f"scheme: expected a name from {SCHEMES} or a dict of regions, got {type(scheme).__name__}"
    )


def _landmarks(landmarks: Any, name: str = "landmarks") -> Tuple[np.ndarray, bool]:
    a = np.asarray(landmarks)
    if a.dtype == object or a.dtype.kind not in "fiu":
        raise InputTypeError(f"{name}: expected a numeric array of landmark coordinates, got dtype {a.dtype}")
    single = a.ndim == 2
    if single:
        a = a[None]
    if a.ndim != 3:
        raise ParameterError(
            f"{name}: expected an array of shape (n_frames, n_points, 2|3) or (n_points, 2|3), "
            f"got shape {np.shape(landmarks)}"
        )
    return np.ascontiguousarray(a, dtype=np.float64), single


def _warn_degenerate(n: int) -> None:
    if n:
        warnings.warn(
            f"{n} frame(s) had a zero inter-ocular distance (degenerate face); their rows are NaN",
            RuntimeWarning,
            stacklevel=3,
        )


def _matrix(x: Any, name: str) -> Tuple[np.ndarray, bool]:
    a = np.asarray(x)
    if a.dtype == object or a.dtype.kind not in "fiub":
        raise InputTypeError(f"{name}: expected a numeric array, got dtype {a.dtype}")
    one = a.ndim == 1
    if one:
        a = a[:, None]
    if a.ndim != 2:
        raise ParameterError(f"{name}: expected (n_frames, n_features) or (n_frames,), got shape {np.shape(x)}")
    return np.ascontiguousarray(a, dtype=np.float64), one


def _as_frame(values: np.ndarray, columns: Sequence[str]) -> Any:
    import pandas as pd

    return pd.DataFrame(values, columns=list(columns))


def geometry(
    landmarks: Any,
    scheme: Any = "ibug68",
    *,
    as_frame: bool = False,
    n_jobs: Optional[int] = None,
) -> Any:
    """Named expression measures of every frame, ``(n_frames, len(GEOMETRY_NAMES))``.

    Each frame is aligned to the mean shape by Umeyama's similarity (so "vertical" is the
    face's own axis, y pointing down) and every distance is divided by the frame's
    inter-ocular distance IOD = |p36 - p45| (outer eye corners). The measures therefore do
    not change when the input is translated, scaled or rotated in the image plane; they
    do change with out-of-plane head rotation (use :func:`head_pose` to control for it).
    Point numbers are 0-based iBUG indices; the measures are listed under Notes.

    Parameters
    ----------
    landmarks : array_like
        ``(n_frames, n_points, 2 or 3)`` or one frame ``(n_points, 2 or 3)``, pixels or any
        consistent unit; a frame of NaN points is a frame without a face (NaN row).
    scheme : str or dict, default "ibug68"
        ``"ibug68"``, ``"mediapipe478"``, ``"mediapipe468"`` or a user scheme (see
        :mod:`affectkit.face`).
    as_frame : bool, default False
        Return a pandas DataFrame with :data:`GEOMETRY_NAMES` as columns.
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).

    Returns
    -------
    ndarray or DataFrame
        ``(n_frames, len(GEOMETRY_NAMES))`` float64 (one row for a single frame). Frames
        with any non-finite point among the 68 give NaN rows.

    Notes
    -----
    - ``eye_aspect_ratio_left/right``: Soukupova and Cech (2016), "Real-time eye blink
      detection using facial landmarks": (|p2-p6| + |p3-p5|) / (2 |p1-p4|) over the six
      eye points corner, top, top, corner, bottom, bottom (left = 42-47, right = 36-41).
    - ``eye_openness_left/right``: mean lid distance (|p2-p6| + |p3-p5|) / 2 / IOD.
    - ``mouth_aspect_ratio``: the EAR analogue on the inner lips used in yawning
      detection: (|61-67| + |62-66| + |63-65|) / (2 |60-64|).
    - ``mouth_width`` |48-54|, ``mouth_height`` |51-57|, ``mouth_opening`` |62-66| (inner
      lip gap), all / IOD.
    - ``inner_brow_raise_left/right``: height of the inner brow end above the inner eye
      corner, (y42 - y22) and (y39 - y21) / IOD; ``outer_brow_raise_left/right``:
      (y45 - y26) and (y36 - y17) / IOD.
    - ``brow_furrow``: inter-brow distance |21-22| / IOD (smaller when knitted).
    - ``lip_corner_pull_vertical_left/right``: height of the mouth corner relative to the
      subnasale, (y33 - y54) and (y33 - y48) / IOD (negative; larger = corner higher).
    - ``lip_corner_pull_horizontal_left/right``: lateral distance of the corner from the
      subnasale, (x54 - x33) and (x33 - x48) / IOD.
    - ``lip_stretch``: inner-lip corner distance |60-64| / IOD.
    - ``upper_lip_raise``: (y33 - y51) / IOD (negative; larger = upper lip raised).
    - ``jaw_drop``: chin below the subnasale, (y8 - y33) / IOD.
    - ``nose_wrinkle``: proxy, minus the mean ala-to-inner-eye-corner distance,
      -(|31-39| + |35-42|) / 2 / IOD (larger = nose wrinkled, alae raised).
    - ``face_asymmetry``: mean distance between each right point and its mirrored left
      partner (29 pairs), mirrored across the midline (mean x of 8, 27-30, 33, 51, 57, 62,
      66) / IOD; 0 for a symmetric face.
    - ``angle_brow_left/right``: brow slope in degrees, positive when the outer end is
      higher than the inner one (22->26, 21->17); ``angle_lip_corners``: tilt of 48->54,
      positive when the left corner is higher; ``angle_upper_lip``: angle at 51 between
      48 and 54.
    - ``distance_A_B``: |pA - pB| / IOD for 21 documented pairs (brow-eye, nose, lips,
      chin, face width and height, eye-to-mouth corners).
    - ``angle_mouth_corner_left/right`` (at 54: 53, 55; at 48: 49, 59),
      ``angle_eye_corner_left/right`` (at 45: 44, 46; at 36: 37, 41), ``angle_chin`` (at 8:
      6, 10), ``angle_nose_tip`` (at 30: 31, 35): interior angles in degrees.

    3-D landmarks are aligned in 3-D; "vertical" is then the aligned y axis.

    Examples
    --------
    >>> import affectkit as ak
    >>> landmarks = ak.datasets.make_acted_corpus(5, n_speakers=1, seed=0).landmarks[0]
    >>> G = ak.face.geometry(landmarks)                  # (n_frames, 53)
    >>> ear = G[:, ak.face.GEOMETRY_NAMES.index("eye_aspect_ratio_left")]
    >>> G.shape[1], bool(0.1 < ear.mean() < 0.5)
    (53, True)
    """
    a, single = _landmarks(landmarks)
    g, bad = _core.face_geometry(a, n_jobs=n_jobs, **_scheme_args(scheme))
    _warn_degenerate(bad)
    if single:
        g = g[0]
    if as_frame:
        return _as_frame(np.atleast_2d(g), GEOMETRY_NAMES)
    return g


def mesh_geometry(
    landmarks: Any,
    scheme: str = "mediapipe478",
    *,
    as_frame: bool = False,
    n_jobs: Optional[int] = None,
) -> Any:
    """Measures that use the dense MediaPipe mesh, ``(n_frames, len(MESH_GEOMETRY_NAMES))``.

    - ``mesh_eye_aspect_ratio_left/right``: the eye aspect ratio over MediaPipe's full
      eyelid contours (``FACEMESH_LEFT_EYE`` / ``FACEMESH_RIGHT_EYE``): the mean of seven
      upper-to-lower lid distances (upper 466, 388, 387, 386, 385, 384, 398 against lower
      249, 390, 373, 374, 380, 381, 382 on the left eye; 246, 161, 160, 159, 158, 157, 173
      against 7, 163, 144, 145, 153, 154, 155 on the right) divided by the corner distance
      (263-362, 33-133). Less noisy than the six-point EAR of :func:`geometry`, which uses
      two of these pairs.
    - ``iris_horizontal_left/right``: the iris centre (473 left, 468 right; FaceLandmarker
      / refined FaceMesh only) from the midpoint of the eye corners along the face's x
      axis, in eye widths, positive towards the subject's left for both eyes (a gaze
      proxy); ``iris_vertical_left/right``: the same upwards (positive = up).

    Measured after the similarity alignment of :func:`geometry`, so invariant to
    translation, scale and in-plane rotation. The iris columns are NaN for
    ``scheme="mediapipe468"``.

    Parameters
    ----------
    landmarks : array_like
        MediaPipe meshes ``(n_frames, 478 or 468, 2 or 3)`` (or one frame), x and y in
        pixels (multiply MediaPipe's fractions by the image width and height).
    scheme : {"mediapipe478", "mediapipe468"}, default "mediapipe478"
        The mesh layout.
    as_frame : bool, default False
        Return a pandas DataFrame with :data:`MESH_GEOMETRY_NAMES` as columns.
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).

    Returns
    -------
    ndarray or DataFrame
        ``(n_frames, len(MESH_GEOMETRY_NAMES))``.
    """
    a, single = _landmarks(landmarks)
    if not isinstance(scheme, str):
        raise ParameterError("scheme: mesh measures need 'mediapipe478' or 'mediapipe468'")
    g, bad = _core.face_mesh_geometry(a, scheme_name=scheme, n_jobs=n_jobs)
    _warn_degenerate(bad)
    if single:
        g = g[0]
    if as_frame:
        return _as_frame(np.atleast_2d(g), MESH_GEOMETRY_NAMES)
    return g


def align(
    landmarks: Any,
    scheme: Any = "ibug68",
    *,
    method: str = "procrustes",
    n_jobs: Optional[int] = None,
) -> np.ndarray:
    """Similarity-normalised landmarks, same shape as the input.

    ``method="procrustes"`` (default): the least-squares similarity (Umeyama 1991,
    "Least-squares estimation of transformation parameters between two point patterns")
    taking the frame's 68 iBUG points onto the mean shape (:data:`REFERENCE_SHAPE_3D`
    centred and scaled to unit inter-ocular distance; its x, y for 2-D input), applied to
    all of the scheme's points. ``method="interocular"``: the outer-eye-corner midpoint
    moved to the origin and coordinates divided by the inter-ocular distance; in 2-D the
    eye line is also rotated onto +x (in 3-D only translation and scale).

    Parameters
    ----------
    landmarks : array_like
        ``(n_frames, n_points, 2 or 3)`` or one frame ``(n_points, 2 or 3)``, pixels or any
        consistent unit; a frame of NaN points is a frame without a face (NaN row).
    scheme : str or dict, default "ibug68"
        ``"ibug68"``, ``"mediapipe478"``, ``"mediapipe468"`` or a user scheme (see
        :mod:`affectkit.face`).
    method : {"procrustes", "interocular"}, default "procrustes"
        The normalisation (above).
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).

    Returns
    -------
    ndarray
        Same shape as ``landmarks``: comparable shapes across people and frames.

    Examples
    --------
    >>> import affectkit as ak
    >>> landmarks = ak.datasets.make_acted_corpus(5, n_speakers=1, seed=0).landmarks[0]
    >>> ak.face.align(landmarks).shape == landmarks.shape
    True
    """
    a, single = _landmarks(landmarks)
    out, bad = _core.face_align(a, method=method, n_jobs=n_jobs, **_scheme_args(scheme))
    _warn_degenerate(bad)
    return out[0] if single else out


def _camera(image_size: Any, focal: Any, principal_point: Any) -> Optional[Tuple[float, float, float, float]]:
    if image_size is None and (focal is None or principal_point is None):
        return None
    if image_size is not None:
        try:
            w, h = (float(v) for v in image_size)
        except (TypeError, ValueError):
            raise ParameterError(f"image_size: expected (width, height) in pixels, got {image_size!r}") from None
        if not (w > 0 and h > 0):
            raise ParameterError(f"image_size: width and height must be positive, got {image_size!r}")
    if focal is None:
        fx = fy = w
    elif np.ndim(focal) == 0:
        fx = fy = float(focal)
    else:
        fx, fy = (float(v) for v in focal)
    if principal_point is None:
        cx, cy = w / 2.0, h / 2.0
    else:
        cx, cy = (float(v) for v in principal_point)
    return (fx, fy, cx, cy)


def head_pose(
    landmarks: Any,
    image_size: Optional[Tuple[float, float]] = None,
    *,
    focal: Any = None,
    principal_point: Optional[Tuple[float, float]] = None,
    scheme: Any = "ibug68",
    n_jobs: Optional[int] = None,
) -> np.ndarray:
    """Head pose of every frame, ``(n_frames, 6)``: yaw, pitch, roll (degrees), tx, ty, tz.

    Angles use OpenFace's convention: camera axes x right, y down, z away from the
    camera, R = Rx(pitch) @ Ry(yaw) @ Rz(roll) (OpenFace's ``pose_Rx`` = pitch,
    ``pose_Ry`` = yaw, ``pose_Rz`` = roll, there in radians). The translation is where
    the origin of :data:`REFERENCE_SHAPE_3D` (between the eyes) lies in camera
    coordinates.

    2-D landmarks (pixels): perspective-n-point against :data:`REFERENCE_SHAPE_3D`, EPnP
    (Lepetit et al. 2009) refined by Levenberg-Marquardt on the squared pixel
    reprojection error (the cost of OpenCV's ``solvePnP``); translation in millimetres.
    The camera is a pinhole with focal length ``focal`` (default the image width; a
    number or ``(fx, fy)``) and principal point ``principal_point`` (default the image
    centre), so ``image_size=(width, height)`` is needed unless both are given.

    3-D landmarks: the similarity taking the reference shape onto the points (Umeyama);
    the translation is in the points' units and ``image_size`` is not used.

    A generic face gives a systematic error of a few degrees on real faces. Frames without
    a face (NaN or infinite points) are NaN rows; frames whose points are degenerate (no
    pose can be solved) are NaN rows counted in one ``RuntimeWarning``. A finite coordinate
    beyond +-1e9 is a :class:`~affectkit.errors.ParameterError` naming the frame and point
    (no camera has such pixels, and the solvers lose all precision there); boolean arrays
    are an :class:`~affectkit.errors.InputTypeError`.

    Parameters
    ----------
    landmarks : array_like
        ``(n_frames, n_points, 2 or 3)`` or one frame ``(n_points, 2 or 3)``, pixels or any
        consistent unit; a frame of NaN points is a frame without a face (NaN row).
    image_size : (float, float) or None, default None
        ``(width, height)`` in pixels, for the default camera; needed for 2-D landmarks
        unless ``focal`` and ``principal_point`` are both given.
    focal : float or (float, float) or None, default None
        Focal length in pixels, one number or ``(fx, fy)``; None = the image width.
    principal_point : (float, float) or None, default None
        ``(cx, cy)`` in pixels; None = the image centre.
    scheme : str or dict, default "ibug68"
        ``"ibug68"``, ``"mediapipe478"``, ``"mediapipe468"`` or a user scheme (see
        :mod:`affectkit.face`).
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).

    Returns
    -------
    ndarray
        ``(n_frames, 6)`` columns :data:`POSE_NAMES`: yaw, pitch, roll (degrees), tx, ty,
        tz (one row for a single frame).

    Examples
    --------
    >>> import affectkit as ak
    >>> landmarks = ak.datasets.make_acted_corpus(5, n_speakers=1, seed=0).landmarks[0]
    >>> P = ak.face.head_pose(landmarks, image_size=(640, 480))   # the synthetic camera
    >>> yaw, pitch, roll = P[:, 0], P[:, 1], P[:, 2]
    >>> P.shape[1]
    6
    """
    a, single = _landmarks(landmarks)
    cam = _camera(image_size, focal, principal_point) if a.shape[-1] == 2 else None
    out, failed = _core.face_head_pose(a, camera=cam, n_jobs=n_jobs, **_scheme_args(scheme))
    if failed:
        warnings.warn(
            f"{failed} frame(s) had degenerate landmarks (e.g. all points equal) and no pose; their rows are NaN",
            RuntimeWarning,
            stacklevel=2,
        )
    return out[0] if single else out


def _mask(neutral: Any, n: int) -> Optional[List[bool]]:
    if neutral is None:
        return None
    if isinstance(neutral, slice):
        m = np.zeros(n, dtype=bool)
        m[neutral] = True
        return m.tolist()
    arr = np.asarray(neutral)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ParameterError(f"neutral: a boolean mask needs shape ({n},), got {arr.shape}")
        return arr.tolist()
    if arr.dtype.kind in "iu":
        m = np.zeros(n, dtype=bool)
        try:
            m[arr] = True
        except IndexError:
            raise ParameterError(f"neutral: frame indices must lie in 0..{n - 1}") from None
        return m.tolist()
    raise ParameterError("neutral: expected None, a slice, a boolean mask or frame indices")


def baseline(features: Any, neutral: Any = None, *, stat: str = "median") -> np.ndarray:
    """Per-person neutral baseline of a ``(n_frames, n_features)`` matrix.

    Parameters
    ----------
    features : array_like
        ``(n_frames, n_features)`` (or one column ``(n_frames,)``), e.g. :func:`geometry`.
    neutral : slice, bool mask, int indices or None, default None
        The neutral frames; None uses the whole video, whose median is a robust neutral
        estimate when the face is at rest most of the time.
    stat : str, default "median"
        The statistic (a :data:`WINDOW_FUNCTIONALS` name). NaN frames are skipped.

    Returns
    -------
    ndarray
        ``(n_features,)``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.face.baseline(np.array([[1.0], [2.0], [9.0]]), neutral=slice(0, 2), stat="mean")
    array([1.5])
    """
    x, one = _matrix(features, "features")
    b = _core.face_column_stat(x, _mask(neutral, x.shape[0]), stat)
    return b[0] if one else b


def subtract_baseline(features: Any, neutral: Any = None, *, stat: str = "median") -> np.ndarray:
    """``features - baseline(features, neutral, stat=stat)``: measures relative to the
    person's neutral face.

    Parameters
    ----------
    features : array_like
        ``(n_frames, n_features)`` (or ``(n_frames,)``).
    neutral : slice, bool mask, int indices or None, default None
        The neutral frames, as :func:`baseline` (None: the whole video).
    stat : str, default "median"
        As :func:`baseline`.

    Returns
    -------
    ndarray
        Same shape as ``features``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.face.subtract_baseline(np.array([1.0, 2.0, 9.0]))
    array([-1.,  0.,  7.])
    """
    x, one = _matrix(features, "features")
    out = x - _core.face_column_stat(x, _mask(neutral, x.shape[0]), stat)
    return out[:, 0] if one else out


def au_proxies(geometry: Any, neutral: Any = None, *, as_frame: bool = False) -> Any:
    """Action-unit proxies from geometry relative to the neutral baseline, ``(n_frames, 10)``.

    Geometric proxies, not FACS coding: each is the change of :func:`geometry` measures
    from the per-person baseline (median over the ``neutral`` frames, default the whole
    video), signed so that positive means more of the action, in inter-ocular units:

    - ``AU01_proxy`` (inner brow raiser): mean change of ``inner_brow_raise_left/right``
      (points 21, 22 against 39, 42).
    - ``AU02_proxy`` (outer brow raiser): ``outer_brow_raise_left/right`` (17, 26 against
      36, 45).
    - ``AU04_proxy`` (brow lowerer): decrease of ``brow_furrow`` (21-22) plus the lowering
      of the inner brows.
    - ``AU05_proxy`` (upper lid raiser): ``eye_openness_left/right`` (37, 38, 40, 41,
      43, 44, 46, 47).
    - ``AU12_proxy`` (lip corner puller): rise of the corners 48, 54 relative to 33
      (``lip_corner_pull_vertical_*``); ``AU15_proxy`` (lip corner depressor): its negative.
    - ``AU20_proxy`` (lip stretcher): ``lip_stretch`` (60-64).
    - ``AU25_proxy`` (lips part): ``mouth_opening`` (62-66).
    - ``AU26_proxy`` (jaw drop): ``jaw_drop`` (8 against 33).
    - ``AU45_proxy`` (blink / eyes closed, AU43/45): relative drop of the mean eye aspect
      ratio, (EAR_neutral - EAR) / EAR_neutral.

    Parameters
    ----------
    geometry : array_like
        ``(n_frames, len(GEOMETRY_NAMES))``, the output of :func:`geometry`.
    neutral : slice, bool mask, int indices or None, default None
        The neutral frames, as :func:`baseline` (None: the whole video).
    as_frame : bool, default False
        Return a pandas DataFrame with :data:`AU_PROXY_NAMES` as columns.

    Returns
    -------
    ndarray or DataFrame
        ``(n_frames, 10)``, columns :data:`AU_PROXY_NAMES`.

    Examples
    --------
    >>> import affectkit as ak
    >>> landmarks = ak.datasets.make_acted_corpus(5, n_speakers=1, seed=0).landmarks[0]
    >>> ak.face.au_proxies(ak.face.geometry(landmarks)).shape[1]
    10
    """
    g, _ = _matrix(geometry, "geometry")
    if g.shape[1] != len(GEOMETRY_NAMES):
        raise ParameterError(
            f"geometry: expected the {len(GEOMETRY_NAMES)} columns of ak.face.geometry, got shape {g.shape}"
        )
    base = _core.face_column_stat(g, _mask(neutral, g.shape[0]), "median")
    out = _core.face_au_proxies(g, base)
    return _as_frame(out, AU_PROXY_NAMES) if as_frame else out


def blinks(
    ear: Any, fps: float, *, threshold: float = 0.2, min_frames: int = 2, max_frames: Optional[int] = None
) -> Dict[str, Any]:
    """Blinks in an eye-aspect-ratio track: runs of ``min_frames`` to ``max_frames``
    frames with EAR below ``threshold`` (Soukupova and Cech 2016 threshold the EAR; 0.2
    is a common choice). A NaN frame ends a run.

    Parameters
    ----------
    ear : array_like
        Eye aspect ratio per frame (e.g. the mean of ``eye_aspect_ratio_left/right``).
    fps : float
        Frames per second.
    threshold : float, default 0.2
        EAR below which the eyes count as closed.
    min_frames : int, default 2
        Shortest closed run counted as a blink.
    max_frames : int or None, default None
        Longest closed run counted as a blink (None: no limit).

    Returns
    -------
    dict
        ``closed`` (bool per frame), ``onsets`` and ``durations`` (frames) of each blink,
        ``rate_per_minute`` (per minute of frames with a finite EAR) and
        ``mean_duration_s``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ear = np.array([0.3, 0.3, 0.1, 0.1, 0.3, 0.3])
    >>> b = ak.face.blinks(ear, fps=30)
    >>> b["onsets"].tolist(), b["durations"].tolist()
    ([2], [2])
    """
    e = np.ascontiguousarray(np.asarray(ear, dtype=np.float64).ravel())
    return dict(_core.face_blinks(e, float(fps), threshold=float(threshold), min_frames=int(min_frames),
                                  max_frames=None if max_frames is None else int(max_frames)))


@dataclass
class FaceDynamics:
    """The result of :func:`dynamics` (a result, not a transformer; arrays time-major).

    Attributes
    ----------
    names : list of str
        The feature names, one per column of ``features``.
    features : ndarray
        ``(n_frames, n_features)`` after gap interpolation.
    velocity : ndarray
        First derivative per second, same shape.
    acceleration : ndarray
        Second derivative per second, same shape.
    blinks : dict or None
        :func:`blinks` of the eye aspect ratio, when one was available.
    windows : ndarray or None
        ``(n_windows, n_features * n_functionals)`` window statistics (None without windows).
    window_names : list of str, default []
        ``"<feature>_<stat>"`` per column of ``windows``.
    window_times : ndarray or None, default None
        Start of each window, seconds.
    """

    names: List[str]
    features: np.ndarray
    velocity: np.ndarray
    acceleration: np.ndarray
    blinks: Optional[Dict[str, Any]]
    windows: Optional[np.ndarray]
    window_names: List[str] = field(default_factory=list)
    window_times: Optional[np.ndarray] = None


def dynamics(
    features: Any,
    fps: float,
    *,
    names: Optional[Sequence[str]] = None,
    max_gap: int = 0,
    window: Optional[float] = 2.0,
    hop: float = 1.0,
    functionals: Sequence[str] = ("mean", "std", "min", "max"),
    ear: Any = None,
    blink_threshold: float = 0.2,
    blink_min_frames: int = 2,
    blink_max_frames: Optional[int] = None,
) -> FaceDynamics:
    """Temporal dynamics of per-frame measures (e.g. :func:`geometry`'s output).

    - gaps of at most ``max_gap`` NaN frames are linearly interpolated first (0: none);
    - ``velocity`` and ``acceleration``: first and second derivatives per second
      (central differences as ``numpy.gradient``); NaN only next to NaN frames;
    - ``blinks``: :func:`blinks` on the mean of ``eye_aspect_ratio_left/right`` when the
      columns are :data:`GEOMETRY_NAMES` (or ``names`` contains them), or on ``ear``;
    - ``windows``: NaN-aware ``functionals`` of each feature over windows of ``window``
      seconds every ``hop`` seconds (``window=None``: none); columns
      ``"<feature>_<stat>"``, ``window_times`` the start of each window in seconds. The
      statistics are :func:`affectkit.functionals`' (same names and definitions: the
      defaults of :data:`WINDOW_FUNCTIONALS`, percentiles, ``stddevNorm``, slopes per
      second, ...).

    Parameters
    ----------
    features : array_like
        ``(n_frames, n_features)`` per-frame measures.
    fps : float
        Frames per second.
    names : sequence of str or None, default None
        Column names; None = :data:`GEOMETRY_NAMES` when there are 53 columns, else
        ``feature_<j>``.
    max_gap : int, default 0
        Longest run of NaN frames to interpolate linearly (0: none).
    window : float or None, default 2.0
        Window length in seconds for the window statistics (None: none).
    hop : float, default 1.0
        Seconds between window starts.
    functionals : sequence of str, default ("mean", "std", "min", "max")
        Statistics per window, :func:`affectkit.functionals` names.
    ear : array_like or None, default None
        An eye aspect ratio track for the blinks, when the columns are not
        :data:`GEOMETRY_NAMES`.
    blink_threshold : float, default 0.2
        :func:`blinks`' ``threshold``.
    blink_min_frames : int, default 2
        :func:`blinks`' ``min_frames``.
    blink_max_frames : int or None, default None
        :func:`blinks`' ``max_frames``.

    Returns
    -------
    FaceDynamics

    Examples
    --------
    >>> import affectkit as ak
    >>> landmarks = ak.datasets.make_acted_corpus(5, n_speakers=1, seed=0).landmarks[0]
    >>> D = ak.face.dynamics(ak.face.geometry(landmarks), fps=30, max_gap=3)
    >>> D.velocity.shape == D.features.shape, D.windows.shape[1] == 53 * 4
    (True, True)
    """
    x, _ = _matrix(features, "features")
    n, f = x.shape
    if names is None:
        names = list(GEOMETRY_NAMES) if f == len(GEOMETRY_NAMES) else [f"feature_{j}" for j in range(f)]
    names = [str(s) for s in names]
    if len(names) != f:
        raise ParameterError(f"names: expected {f} names (one per column), got {len(names)}")
    if int(max_gap) < 0:
        raise ParameterError(f"max_gap: must be >= 0 frames, got {max_gap}")
    if not (np.isfinite(fps) and fps > 0):
        raise ParameterError(f"fps: must be a positive frame rate, got {fps}")
    x = _core.face_interpolate_gaps(x, int(max_gap))
    vel = _core.face_derivative(x, float(fps))
    acc = _core.face_derivative(vel, float(fps))
    ear_track = None
    if ear is not None:
        ear_track = np.asarray(ear, dtype=np.float64).ravel()
        if ear_track.shape[0] != n:
            raise ParameterError(f"ear: expected {n} values (one per frame), got {ear_track.shape[0]}")
    elif "eye_aspect_ratio_left" in names and "eye_aspect_ratio_right" in names:
        ear_track = (x[:, names.index("eye_aspect_ratio_left")] + x[:, names.index("eye_aspect_ratio_right")]) / 2
    bl = None
    if ear_track is not None:
        bl = blinks(ear_track, fps, threshold=blink_threshold, min_frames=blink_min_frames, max_frames=blink_max_frames)
    windows, wnames, wtimes = None, [], None
    if window is not None:
        for name, v in (("window", window), ("hop", hop)):
            if not (isinstance(v, (int, float, np.integer, np.floating)) and np.isfinite(v)):
                raise ParameterError(f"{name}: must be a finite number of seconds, got {v!r}")
        wf, hf = float(window) * fps, float(hop) * fps
        if not (wf > 0.5 and hf > 0.5):  # round() would give 0 frames
            raise ParameterError(f"window/hop: must be at least one frame at {fps} fps, got window={window}, hop={hop}")
        # a window (or hop) longer than the sequence covers it: one window, the same result
        w, h = round(min(wf, max(n, 1))), round(min(hf, max(n, 1)))
        funcs = [str(s) for s in functionals]
        windows, starts = _core.face_window_functionals(x, w, h, funcs, float(fps))
        wnames = [f"{nm}_{s}" for nm in names for s in funcs]
        wtimes = starts.astype(np.float64) / fps
    return FaceDynamics(names, x, vel, acc, bl, windows, wnames, wtimes)


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
    return OpenFaceData(dict(_core.face_read_openface(p)), p)


def _pool(frames: np.ndarray, stats: Sequence[str]) -> np.ndarray:
    if frames.shape[0] == 0:
        return np.full(frames.shape[1] * len(stats), np.nan)
    return np.concatenate([_core.face_column_stat(frames, None, s) for s in stats])


class FaceGeometry(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: a list of landmark sequences -> geometry features.

    Each item of ``X`` is one sequence ``(n_frames, n_points, 2|3)``. With
    ``neutral="median"`` each sequence's measures are taken relative to its own median
    (a per-person neutral baseline); with ``pooling`` (default ``("mean", "std")``, names
    from :data:`WINDOW_FUNCTIONALS`, NaN-aware) the output is one row per sequence,
    ``(n_sequences, n_stats * n_features)``; ``pooling=None`` returns the list of
    per-frame matrices.

    Parameters
    ----------
    scheme : str or dict, default "ibug68"
        As :func:`geometry`.
    pooling : sequence of str or None, default ("mean", "std")
        Statistics per sequence, names from :data:`WINDOW_FUNCTIONALS` (NaN-aware); None
        returns the list of per-frame matrices.
    neutral : {None, "median"}, default None
        ``"median"``: each sequence relative to its own median (:func:`subtract_baseline`).
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).

    Examples
    --------
    >>> import affectkit as ak
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import LogisticRegression
    >>> ds = ak.datasets.make_acted_corpus(60, seed=0)
    >>> model = make_pipeline(ak.face.FaceGeometry(scheme="ibug68"), StandardScaler(), LogisticRegression())
    >>> model.fit(ds.landmarks, ds.labels).predict(ds.landmarks[:2]).shape
    (2,)
    """

    def __init__(self, scheme: Any = "ibug68", pooling: Any = ("mean", "std"), neutral: Optional[str] = None,
                 n_jobs: Optional[int] = None):
        self.scheme = scheme
        self.pooling = pooling
        self.neutral = neutral
        self.n_jobs = n_jobs

    def _stats(self) -> Optional[Tuple[str, ...]]:
        if self.pooling is None:
            return None
        stats = (self.pooling,) if isinstance(self.pooling, str) else tuple(self.pooling)
        for s in stats:
            if s not in WINDOW_FUNCTIONALS:
                raise ParameterError(f"pooling: unknown statistic {s!r}; expected None or names from {WINDOW_FUNCTIONALS}")
        return stats

    def fit(self, X: Any, y: Any = None) -> "FaceGeometry":
        """Nothing to learn; checks the parameters."""
        self._stats()
        if self.neutral not in (None, "median"):
            raise ParameterError(f"neutral: expected None or 'median', got {self.neutral!r}")
        _scheme_args(self.scheme)
        self.n_features_in_ = 1
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        stats = self._stats()
        if stats is None:
            return np.asarray(GEOMETRY_NAMES, dtype=object)
        return np.asarray([f"{n}_{s}" for s in stats for n in GEOMETRY_NAMES], dtype=object)

    def transform(self, X: Sequence[Any]) -> Any:
        """Geometry of each sequence in ``X``."""
        if isinstance(X, np.ndarray) and X.ndim == 3:
            raise ParameterError("X: expected a list of landmark sequences, got one 3-D array; wrap it as [landmarks]")
        stats = self._stats()
        out = []
        for i, seq in enumerate(X):
            a, _ = _landmarks(seq, f"X[{i}]")
            g = geometry(a, self.scheme, n_jobs=self.n_jobs)
            if self.neutral == "median":
                g = subtract_baseline(g)
            out.append(g)
        if stats is None:
            return out
        if not out:
            return np.empty((0, len(stats) * len(GEOMETRY_NAMES)))
        return np.stack([_pool(g, stats) for g in out])
