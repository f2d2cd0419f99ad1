"""Per-frame face geometry from 2-D landmarks: distances, angles and areas after similarity alignment, mesh geometry, alignment and head pose."""

from __future__ import annotations

import warnings
from typing import Any, Optional, Tuple
import numpy as np
from .. import _core
from ..errors import ParameterError

from ._common import _as_frame, _landmarks, _scheme_args, _warn_degenerate

#: Column names of :func:`geometry`, in order. Distances are divided by the frame's
#: inter-ocular distance (outer eye corners 36-45); angles are in degrees; "vertical" and
#: "horizontal" are the face's own axes after similarity alignment (y down). See
#: :func:`geometry` for each definition.
GEOMETRY_NAMES: Tuple[str, ...] = tuple(_core.face.geometry_names())


#: Column names of :func:`mesh_geometry` (MediaPipe schemes only).
MESH_GEOMETRY_NAMES: Tuple[str, ...] = tuple(_core.face.mesh_geometry_names())


#: Column names of :func:`head_pose`.
POSE_NAMES: Tuple[str, ...] = ("yaw", "pitch", "roll", "tx", "ty", "tz")


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
    g, bad = _core.face.geometry(a, n_jobs=n_jobs, **_scheme_args(scheme))
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
    g, bad = _core.face.mesh_geometry(a, scheme_name=scheme, n_jobs=n_jobs)
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
    out, bad = _core.face.align(a, method=method, n_jobs=n_jobs, **_scheme_args(scheme))
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
    out, failed = _core.face.head_pose(a, camera=cam, n_jobs=n_jobs, **_scheme_args(scheme))
    if failed:
        warnings.warn(
            f"{failed} frame(s) had degenerate landmarks (e.g. all points equal) and no pose; their rows are NaN",
            RuntimeWarning,
            stacklevel=2,
        )
    return out[0] if single else out
