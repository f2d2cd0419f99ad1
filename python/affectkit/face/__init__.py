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

from .temporal import AU_PROXY_NAMES, FaceDynamics, au_proxies, baseline, blinks, dynamics, subtract_baseline
from .landmarks import GEOMETRY_NAMES, MESH_GEOMETRY_NAMES, POSE_NAMES, align, geometry, head_pose, mesh_geometry
from .openface import OpenFaceData, read_openface
from .scheme import MEDIAPIPE_TO_IBUG68, REFERENCE_SHAPE_3D, REGIONS, SCHEMES
from .transformers import WINDOW_FUNCTIONALS, FaceGeometry

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
