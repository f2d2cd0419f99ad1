"""``affectkit._core.pooling``: the functionals vocabulary (``affectkit.pooling`` wraps these).
"""

import numpy as np
import numpy.typing as npt

EGEMAPS_CONTOUR_FUNCTIONALS: list[str]
def functionals(contour: npt.NDArray[np.float64], which: list[str], frame_rate: float = 100.0) -> npt.NDArray[np.float64]: ...
