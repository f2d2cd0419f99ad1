"""Landmark schemes: the built-in names, the iBUG regions, the MediaPipe map and the reference 3-D face."""

from __future__ import annotations

from typing import Tuple
import numpy as np
from .. import _core


#: A generic adult face in the 68-point iBUG layout, ``(68, 3)``, millimetres. Axes as
#: the camera's in OpenFace: x towards the subject's left (image right), y down, z away
#: from the viewer, so a face looking into the camera has zero rotation. The origin is
#: between the eyes (x = 0 on the midline, y = 0 on the eye-corner line, z = 0 about the
#: depth of the inner eye corners). Built for affectkit from average adult anthropometric
#: proportions (outer canthi 90 mm apart, mouth 50 mm wide, eye line to chin 105 mm, nose
#: tip 24 mm in front of the inner canthi): a generic face, not a fitted mean shape.
REFERENCE_SHAPE_3D: np.ndarray = _core.face.reference_shape()


REFERENCE_SHAPE_3D.flags.writeable = False


#: Built-in scheme names.
SCHEMES: Tuple[str, ...] = ("ibug68", "mediapipe478", "mediapipe468")


#: The iBUG regions a user scheme declares, with their point counts, in order (defined in
#: src/face/scheme.rs).
REGIONS: Tuple[Tuple[str, int], ...] = tuple((str(name), int(n)) for name, n in _core.face.regions())


#: MediaPipe face-mesh index of each of the 68 iBUG points (the published map).
MEDIAPIPE_TO_IBUG68: Tuple[int, ...] = tuple(_core.face.scheme_map("mediapipe478")[0])
