"""Per-subject baselines, AU proxies, blinks and windowed dynamics of face geometry."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple
import numpy as np
from .. import _core
from ..errors import ParameterError

from ._common import _as_frame, _matrix
from .landmarks import GEOMETRY_NAMES

#: Column names of :func:`au_proxies`.
AU_PROXY_NAMES: Tuple[str, ...] = tuple(_core.face.au_proxy_names())


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
    b = _core.face.column_stat(x, _mask(neutral, x.shape[0]), stat)
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
    out = x - _core.face.column_stat(x, _mask(neutral, x.shape[0]), stat)
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
    base = _core.face.column_stat(g, _mask(neutral, g.shape[0]), "median")
    out = _core.face.au_proxies(g, base)
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
    return dict(_core.face.blinks(e, float(fps), threshold=float(threshold), min_frames=int(min_frames),
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
    x = _core.face.interpolate_gaps(x, int(max_gap))
    vel = _core.face.derivative(x, float(fps))
    acc = _core.face.derivative(vel, float(fps))
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
        windows, starts = _core.face.window_functionals(x, w, h, funcs, float(fps))
        wnames = [f"{nm}_{s}" for nm in names for s in funcs]
        wtimes = starts.astype(np.float64) / fps
    return FaceDynamics(names, x, vel, acc, bl, windows, wnames, wtimes)
