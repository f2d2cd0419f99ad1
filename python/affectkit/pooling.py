"""One vocabulary of statistics over contours and frames (:func:`functionals`), shared by audio pooling, face windows and eGeMAPS."""

from __future__ import annotations

from typing import Any, Sequence
import numpy as np
from . import _core, errors
import warnings


#: The ten functionals eGeMAPS applies to F0 and loudness, in its order (defined in
#: src/functionals.rs).
EGEMAPS_CONTOUR_FUNCTIONALS: "tuple[str, ...]" = tuple(_core.EGEMAPS_CONTOUR_FUNCTIONALS)


def functionals(
    contour: Any,
    which: "Sequence[str]" = EGEMAPS_CONTOUR_FUNCTIONALS,
    *,
    frame_rate: float = 100.0,
) -> "dict[str, Any]":
    """Statistics over a contour (any per-frame measure), NaN-aware, eGeMAPS definitions.

    NaN marks missing frames (unvoiced, no face) and is left out, as eGeMAPS' voiced-only
    (``_nz``) functionals leave out unvoiced frames.

    Parameters
    ----------
    contour : array_like
        1-D ``(n_frames,)`` or 2-D ``(n_frames, n_columns)``.
    which : sequence of str, default EGEMAPS_CONTOUR_FUNCTIONALS
        Names of the statistics (below). The default is the ten functionals eGeMAPS
        (Eyben et al. 2016, IEEE Trans. Affective Computing 7(2)) applies to F0 and
        loudness, with openSMILE's names.
    frame_rate : float, default 100.0
        Frames per second, for the slopes (100 for eGeMAPS' 10 ms step).

    Returns
    -------
    dict
        ``{name: value}``: a float per name for 1-D input, an array over columns for 2-D.

    Notes
    -----
    Names: ``mean``/``amean``, ``std``/``stddev`` (population, divide by N),
    ``stddevNorm`` (std / |mean|), ``min``, ``max``, ``range``, ``median``, ``iqr``,
    ``percentileP`` (P in [0, 100], linear interpolation as numpy), ``pctlrange0-2``
    (percentile 80 - percentile 20), ``risingSlopeMean``/``meanRisingSlope``,
    ``risingSlopeStddev``/``stddevRisingSlope``, the falling forms likewise, ``count``
    (finite values). Slopes: the finite values in order are cut into monotone runs at
    their turning points (plateaus belong to neither side); each run's slope is its value
    change per second (``frame_rate`` frames per second, 100 for eGeMAPS' 10 ms step);
    falling slopes are positive magnitudes. Anything undefined (no finite value, no
    rising part) is NaN. Infinite values raise :class:`affectkit.errors.ParameterError`.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.functionals(np.array([1.0, 2.0, np.nan, 3.0]), which=("mean", "percentile50"))
    {'mean': 2.0, 'percentile50': 2.0}
    """
    if isinstance(which, str):
        which = (which,)
    which = [str(w) for w in which]
    x = np.asarray(contour, dtype=np.float64)
    if x.ndim not in (1, 2):
        raise errors.ParameterError(
            f"contour: expected a 1-D (n_frames,) or 2-D (n_frames, n_columns) array, got shape {x.shape}"
        )
    x2 = x.reshape(len(x), 1) if x.ndim == 1 else x
    out = _core.functionals(np.ascontiguousarray(x2), which, float(frame_rate))
    if x.ndim == 1:
        return {w: float(out[0, k]) for k, w in enumerate(which)}
    return {w: out[:, k].copy() for k, w in enumerate(which)}


#: Statistics available for pooling frames into one vector per clip.
POOLING_STATS = ("mean", "std", "min", "max", "median")


def pool_frames(frames: np.ndarray, stats: Sequence[str] = ("mean", "std"), *,
                skipna: bool = False) -> np.ndarray:
    """Concatenate per-column statistics of a ``(n_frames, n_features)`` matrix.

    Parameters
    ----------
    frames : ndarray
        ``(n_frames, n_features)``.
    stats : sequence of str, default ("mean", "std")
        Names from :data:`POOLING_STATS` (NumPy's definitions; ``std`` divides by N).
    skipna : bool, default False
        Ignore NaN frames column by column (``np.nanmean``...), as contours that are NaN
        where unvoiced need (F0, eGeMAPS ``_sma3nz`` LLDs); an all-NaN column gives NaN.

    Returns
    -------
    ndarray
        ``(len(stats) * n_features,)``: the first statistic of every column, then the
        second... A clip with no frames gives NaN statistics (missing, not an error).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.audio.pool_frames(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([2., 3., 1., 1.])
    """
    out = []
    for s in stats:
        if s not in POOLING_STATS:
            raise errors.ParameterError(f"pooling: unknown statistic {s!r}; expected one of {POOLING_STATS}")
        if frames.shape[0] == 0:
            out.append(np.full(frames.shape[1], np.nan, dtype=frames.dtype))
            continue
        if skipna:
            with warnings.catch_warnings():
                # an all-NaN column (a clip with no voiced frame) is missing data, not news
                warnings.simplefilter("ignore", RuntimeWarning)
                out.append(getattr(np, "nan" + s)(frames, axis=0))
        else:
            out.append(getattr(np, s)(frames, axis=0))
    return np.concatenate(out).astype(frames.dtype, copy=False)
