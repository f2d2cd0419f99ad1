"""Features per window: the ``win``/``hop`` keywords of the per-clip feature sets.

``ak.egemaps(y, sr, win=1.0, hop=0.5)`` (likewise :func:`~affectkit.gemaps`,
:func:`~affectkit.prosody`, :func:`~affectkit.voice_quality`, and every registry feature
through ``ak.features.extract(..., win=, hop=)``, pooled MFCC included) computes the
feature set once per window, each window on its own cut of the signal, as openSMILE's
``Smile.process_signal(y, sr, start=, end=)`` computes a segment: no context from outside
the window enters it.

The windows (:func:`window_times`): window ``k`` covers samples
``[k * H, k * H + W)`` with ``W = round(win * sr)`` and ``H = round(hop * sr)``, i.e.
``[k * hop, k * hop + win)`` seconds; ``hop`` defaults to ``win`` (windows that tile the
clip; audinterface's ``win_dur`` defaults its hop to ``win_dur / 2``). A window that would
run past the end of the clip is dropped, as audinterface's sliding window (the one
``opensmile.Smile`` inherits) drops it, so every row summarises the same duration: the
last ``(n - W) mod H`` samples of a clip are covered by no window when the hop does not
divide them. A clip shorter than one window has no window and raises
:class:`~affectkit.errors.ParameterError` naming ``win`` (audinterface returns an empty
table; an empty result would pass unnoticed into a paper).

Bad values raise :class:`~affectkit.errors.ParameterError` naming the argument: ``win`` or
``hop`` that is not a positive finite number of seconds, one shorter than a sample, and
``hop`` without ``win``.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Optional

import numpy as np

from ..errors import AffectkitError, ParameterError

__all__ = ["window_times"]


def _seconds(value: Any, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ParameterError(f"{name}: expected a positive number of seconds, got {value!r}")
    v = float(value)
    if not (math.isfinite(v) and v > 0):
        raise ParameterError(f"{name}: expected a positive number of seconds, got {value!r}")
    return v


def _window(win: Any, hop: Any) -> "Optional[tuple[float, float]]":
    """``(win, hop)`` in seconds, checked (``hop`` defaults to ``win``), or None without ``win``."""
    if win is None:
        if hop is not None:
            raise ParameterError(f"hop: given ({hop!r}) without win; pass win= (seconds) too, or neither")
        return None
    w = _seconds(win, "win")
    return w, (w if hop is None else _seconds(hop, "hop"))


def _bounds(n: int, sr: float, win: float, hop: float) -> "tuple[np.ndarray, int]":
    """First samples of the windows of an ``n``-sample clip, and the window length in samples."""
    length, step = int(round(win * sr)), int(round(hop * sr))
    if length < 1:
        raise ParameterError(f"win: {win!r} s is shorter than one sample at {sr:g} Hz")
    if step < 1:
        raise ParameterError(f"hop: {hop!r} s is shorter than one sample at {sr:g} Hz")
    if n < length:
        raise ParameterError(f"win: {win:g} s is longer than the clip ({n / sr:.3f} s); a clip shorter than "
                             f"one window has no window (use a shorter win, or win=None for the whole clip)")
    return np.arange(0, n - length + 1, step, dtype=np.int64), length


def window_times(n_samples: int, sr: float, *, win: float, hop: Optional[float] = None) -> "tuple[np.ndarray, np.ndarray]":
    """Start and end times (seconds) of the windows ``win``/``hop`` cut from a clip.

    The rows of ``ak.egemaps(y, sr, win=..., hop=...)`` (and of every ``win=`` feature)
    are these windows, in order.

    Parameters
    ----------
    n_samples : int
        Length of the clip in samples.
    sr : float
        Its sample rate, Hz.
    win : float
        Window length, seconds (``round(win * sr)`` samples).
    hop : float or None, default None
        Seconds between window starts (``round(hop * sr)`` samples); None: ``win``.

    Returns
    -------
    (starts, ends) : (ndarray of float64, ndarray of float64)
        Window ``k`` is ``[starts[k], ends[k])``. Windows that would run past the end are
        dropped (see :mod:`affectkit.audio.windows`).

    Raises
    ------
    ParameterError
        ``win`` or ``hop`` not a positive number of seconds or shorter than a sample, or a
        clip shorter than ``win``.

    Examples
    --------
    >>> import affectkit as ak
    >>> starts, ends = ak.audio.window_times(40000, 16000, win=1.0, hop=0.5)
    >>> starts.tolist(), ends.tolist()
    ([0.0, 0.5, 1.0, 1.5], [1.0, 1.5, 2.0, 2.5])
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 0:
        raise ParameterError(f"n_samples: expected a count of samples, got {n_samples!r}")
    if isinstance(sr, bool) or not isinstance(sr, (int, float, np.integer, np.floating)) or not (
            math.isfinite(float(sr)) and float(sr) > 0):
        raise ParameterError(f"sr: expected a positive sample rate in Hz, got {sr!r}")
    w, h = _window(win, hop)  # type: ignore[misc]
    first, length = _bounds(int(n_samples), float(sr), w, h)
    return first / float(sr), (first + length) / float(sr)


def _cuts(y: np.ndarray, sr: float, win: float, hop: float) -> "tuple[list[np.ndarray], np.ndarray, np.ndarray]":
    """The windows of ``y`` (views, no copy), their start and end times in seconds."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ParameterError(f"y: expected a 1-D (mono) signal, got shape {y.shape}")
    first, length = _bounds(len(y), float(sr), win, hop)
    return [y[s:s + length] for s in first], first / float(sr), (first + length) / float(sr)


def _run(batch: Callable[[list], Any], cuts: "list[np.ndarray]", starts: np.ndarray, ends: np.ndarray) -> Any:
    """``batch(cuts)``, a batch function of the core; its errors, which name a clip of the
    batch ("clip 3: y: ..."), are said of the caller's arguments and the window instead."""
    try:
        return batch(cuts)
    except AffectkitError as e:
        m = re.match(r"clip (\d+): (.*)", str(e), re.S)
        if m is None or int(m.group(1)) >= len(starts):
            raise
        k = int(m.group(1))
        raise type(e)(f"{m.group(2)} (in the window {starts[k]:g}-{ends[k]:g} s)") from None


def _index(starts: np.ndarray, ends: np.ndarray) -> Any:
    """The row index of a windowed table: ``(start, end)`` in seconds."""
    import pandas as pd

    return pd.MultiIndex.from_arrays([np.asarray(starts, np.float64), np.asarray(ends, np.float64)],
                                     names=["start", "end"])


def _table(values: Any, names: Any, starts: np.ndarray, ends: np.ndarray, record: Any) -> Any:
    """One row per window: columns ``names``, index ``(start, end)``, the settings record attached."""
    import pandas as pd

    from .. import settings

    frame = pd.DataFrame(np.asarray(values, dtype=np.float64).reshape(len(starts), -1), columns=list(names),
                         index=_index(starts, ends))
    return settings.attach(frame, record)
