"""One vocabulary of statistics over contours and frames (:func:`functionals`), shared by audio pooling, face windows and eGeMAPS."""

from __future__ import annotations

from typing import Any, Sequence
import numpy as np
from . import _core, errors


#: The ten functionals eGeMAPS applies to F0 and loudness, in its order (defined in
#: src/functionals.rs).
EGEMAPS_CONTOUR_FUNCTIONALS: "tuple[str, ...]" = tuple(_core.pooling.EGEMAPS_CONTOUR_FUNCTIONALS)


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
    out = _core.pooling.functionals(np.ascontiguousarray(x2), which, float(frame_rate))
    if x.ndim == 1:
        return {w: float(out[0, k]) for k, w in enumerate(which)}
    return {w: out[:, k].copy() for k, w in enumerate(which)}


#: The statistics that pool frames into one vector (audio pooling: :func:`pool_frames`,
#: ``features.extract(pool=...)``, the ``pooling`` of ``ak.audio.MFCC`` & co.; face windows
#: and ``ak.face.FaceGeometry``): names of :func:`functionals`, with its definitions.
POOLING_STATS: "tuple[str, ...]" = ("mean", "std", "min", "max", "median", "range", "iqr")


def pool_frames(frames: np.ndarray, stats: Sequence[str] = ("mean", "std"), *,
                skipna: bool = False) -> np.ndarray:
    """Concatenate per-column statistics of a ``(n_frames, n_features)`` matrix.

    The statistics are :func:`functionals`' (one implementation, in the Rust core).

    Parameters
    ----------
    frames : ndarray
        ``(n_frames, n_features)``.
    stats : sequence of str, default ("mean", "std")
        Names from :data:`POOLING_STATS`, defined as in :func:`functionals` (``std`` divides
        by N; ``median`` and ``iqr`` interpolate linearly, as NumPy).
    skipna : bool, default False
        Ignore NaN frames column by column, as contours that are NaN where unvoiced need
        (F0, eGeMAPS ``_sma3nz`` LLDs); an all-NaN column gives NaN. False: a column with a
        NaN gives NaN statistics (NumPy's ``np.mean``...).

    Returns
    -------
    ndarray
        ``(len(stats) * n_features,)``: the first statistic of every column, then the
        second...; the dtype of ``frames`` (float64 for integer input). A clip with no
        frames gives NaN statistics (missing, not an error); infinite values raise
        :class:`affectkit.errors.ParameterError`.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.audio.pool_frames(np.array([[1.0, 2.0], [3.0, 4.0]]))
    array([2., 3., 1., 1.])
    """
    stats = [stats] if isinstance(stats, str) else [str(s) for s in stats]
    for s in stats:
        if s not in POOLING_STATS:
            raise errors.ParameterError(f"pooling: unknown statistic {s!r}; expected one of {POOLING_STATS}")
    frames = np.asarray(frames)
    if frames.ndim != 2:
        raise errors.ParameterError(f"frames: expected a 2-D (n_frames, n_features) array, got shape {frames.shape}")
    dtype = frames.dtype if np.issubdtype(frames.dtype, np.floating) else np.dtype(np.float64)
    n = frames.shape[1]
    if frames.shape[0] == 0 or not stats or n == 0:
        return np.full(len(stats) * n, np.nan, dtype=dtype)
    x = np.ascontiguousarray(frames, dtype=np.float64)
    out = _core.pooling.functionals(x, stats, 100.0)  # (n_features, n_stats), NaN frames left out
    if not skipna:
        out[np.isnan(x).any(axis=0), :] = np.nan
    return out.T.reshape(-1).astype(dtype, copy=False)
