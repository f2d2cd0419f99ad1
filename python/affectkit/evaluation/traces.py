"""Time-continuous evaluation (AVEC style): :func:`ccc_over_time` and the
:class:`TracePostprocessor` that chooses delay compensation, median smoothing and bias /
scale correction on validation data.

Traces are one array per recording (sequence), ``(n_frames,)`` or ``(n_frames,
n_targets)``, e.g. valence and arousal at 25 Hz. CCC (Lin 1989, population moments) is
computed, as in the AVEC challenges from 2016 on (Valstar et al. 2016; Ringeval et al.
2017), over the *concatenation* of all recordings' frames, per target column;
``average="sequence"`` gives the mean of the per-recording values instead. Frames whose
true value is NaN (unrated) are left out.

The post-processing steps follow the AVEC 2016 baseline (Valstar et al. 2016) and
Trigeorgis et al. (2016): a centred median filter (the window's edges replicate the first
and last frame), a time shift that compensates the annotators' reaction delay (Huang et
al. 2015; a prediction made for frame t is reported at frame ``t + delay``; the first
``delay`` frames repeat the first prediction), then bias (centring) and scale correction
with statistics of the validation data.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any, Sequence, Union

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..errors import ParameterError

__all__ = ["ccc_over_time", "TracePostprocessor", "shift_traces"]


def _traces(traces: Any, name: str) -> "tuple[list[np.ndarray], bool]":
    """``traces`` as a list of float64 ``(n_frames, n_targets)`` arrays and whether they
    were 1-D. One array (or a flat list of numbers) is one recording."""
    if isinstance(traces, np.ndarray) or (isinstance(traces, (list, tuple)) and len(traces) > 0
                                          and all(np.ndim(v) == 0 for v in traces)):
        traces = [traces]
    try:
        arrays = [np.asarray(t, dtype=np.float64) for t in traces]
    except (TypeError, ValueError) as e:
        raise ParameterError(f"{name}: expected a list of (n_frames,) or (n_frames, n_targets) arrays ({e})") from None
    if not arrays:
        raise ParameterError(f"{name}: expected at least one trace")
    flat = arrays[0].ndim == 1
    out = []
    for i, a in enumerate(arrays):
        if a.ndim not in (1, 2) or (a.ndim == 1) != flat or len(a) == 0:
            raise ParameterError(f"{name}[{i}]: expected a non-empty {'(n_frames,)' if flat else '(n_frames, n_targets)'} "
                                 f"array like {name}[0], got shape {a.shape}")
        a = a.reshape(len(a), -1)
        width = out[0].shape[1] if out else None
        if a.shape[1] == 0 or (width is not None and a.shape[1] != width):
            raise ParameterError(f"{name}[{i}]: expected {width or 'at least one'} target columns, got shape {a.shape}")
        if np.isinf(a).any():
            raise ParameterError(f"{name}[{i}]: contains infinity")
        out.append(a)
    return out, flat


def _pairs(y_traces: Any, p_traces: Any) -> "tuple[list[np.ndarray], list[np.ndarray], bool]":
    y, flat = _traces(y_traces, "y_traces")
    p, _ = _traces(p_traces, "p_traces")
    if len(p) != len(y):
        raise ParameterError(f"p_traces: expected {len(y)} traces (one per true trace), got {len(p)}")
    for i, (a, b) in enumerate(zip(y, p)):
        if a.shape != b.shape:
            raise ParameterError(f"p_traces[{i}]: expected shape {a.shape[:1] if flat else a.shape} like y_traces[{i}], "
                                 f"got {b.shape[:1] if flat else b.shape}")
        if np.isnan(b).any():
            raise ParameterError(f"p_traces[{i}]: contains NaN (predictions must be finite)")
    return y, p, flat


def _per_column(value: Any, k: int, name: str, least: int, odd: bool = False) -> np.ndarray:
    """One integer per target column from an integer or a sequence of ``k``."""
    v = np.atleast_1d(np.asarray(value, dtype=object))
    if v.ndim != 1 or len(v) not in (1, k) or not all(isinstance(x, Integral) and not isinstance(x, bool) for x in v):
        raise ParameterError(f"{name}: expected an integer or one integer per target column ({k}), got {value!r}")
    v = np.broadcast_to(v.astype(np.int64), (k,))
    if (v < least).any() or (odd and (v % 2 == 0).any()):
        raise ParameterError(f"{name}: expected {'odd ' if odd else ''}integers >= {least}, got {value!r}")
    return v


def _median(p: np.ndarray, window: int) -> np.ndarray:
    """Centred running median over frames of one column, edges replicated."""
    if window == 1:
        return p
    h = window // 2
    padded = np.concatenate([np.repeat(p[:1], h), p, np.repeat(p[-1:], h)])
    return np.median(np.lib.stride_tricks.sliding_window_view(padded, window), axis=-1)


def _shift(p: np.ndarray, delay: int) -> np.ndarray:
    """Predictions reported ``delay`` frames later (earlier for a negative delay), the
    edge frame repeated."""
    if delay == 0:
        return p
    return p[np.clip(np.arange(len(p)) - delay, 0, len(p) - 1)]


def shift_traces(traces: Any, delay: int, *, fill: str = "edge") -> Any:
    """Traces moved ``delay`` frames later (earlier for a negative delay).

    The annotation-delay compensation of Huang et al. (2015) on the *labels*: train on
    ratings moved earlier by the annotators' delay (``delay=-d``, ``fill="nan"`` so the
    last ``d`` frames are unrated instead of invented), so that a model predicts the
    emotion when it happens; then move its predictions ``d`` frames later
    (:func:`ccc_over_time` ``delay=d``, or :class:`TracePostprocessor`) to score them
    against the ratings.

    Parameters
    ----------
    traces : array-like or list of array-like
        One ``(n_frames,)`` or ``(n_frames, n_targets)`` array per recording (one array =
        one recording).
    delay : int
        Frames to move later (negative: earlier).
    fill : {"edge", "nan"}, default 'edge'
        What the frames moved in from outside get: the edge value, or NaN.

    Returns
    -------
    ndarray or list of ndarray
        In the form given.

    Examples
    --------
    >>> import affectkit as ak
    >>> ak.evaluation.shift_traces([[1.0, 2, 3, 4]], -1, fill="nan")[0].tolist()
    [2.0, 3.0, 4.0, nan]
    """
    if not isinstance(delay, Integral) or isinstance(delay, bool):
        raise ParameterError(f"delay: expected an integer number of frames, got {delay!r}")
    if fill not in ("edge", "nan"):
        raise ParameterError(f"fill: expected 'edge' or 'nan', got {fill!r}")
    single = isinstance(traces, np.ndarray)
    arrays, flat = _traces(traces, "traces")
    out = []
    for a in arrays:
        b = a[np.clip(np.arange(len(a)) - int(delay), 0, len(a) - 1)]
        if fill == "nan":
            src = np.arange(len(a)) - int(delay)
            b[(src < 0) | (src >= len(a))] = np.nan
        out.append(b.ravel() if flat else b)
    return out[0] if single else out


def _ccc(y: "list[np.ndarray]", p: "list[np.ndarray]", average: str) -> float:
    """CCC of one column over the rated frames: of the concatenation or mean per sequence."""
    from .. import metrics

    def one(a: np.ndarray, b: np.ndarray) -> float:
        keep = ~np.isnan(a)
        if keep.sum() < 1:
            return float("nan")
        return float(metrics.ccc(a[keep], b[keep]))

    if average == "concatenated":
        return one(np.concatenate(y), np.concatenate(p))
    return float(np.mean([one(a, b) for a, b in zip(y, p)]))


def _check_average(average: str) -> str:
    if average not in ("concatenated", "sequence"):
        raise ParameterError(f"average: expected 'concatenated' or 'sequence', got {average!r}")
    return average


def ccc_over_time(y_traces: Any, p_traces: Any, *, delay: Union[int, Sequence[int]] = 0,
                  smoothing: Union[int, Sequence[int]] = 1, average: str = "concatenated") -> Any:
    """CCC of predicted traces against true traces, after AVEC-style delay compensation and
    median smoothing of the predictions.

    Each prediction trace is median-filtered over ``smoothing`` frames (centred, edges
    replicated), then shifted ``delay`` frames later (the annotators' reaction delay:
    the prediction for frame t is compared with the rating at t + delay; the first
    ``delay`` frames repeat the first prediction). The concordance correlation
    coefficient (Lin 1989, population moments, :func:`affectkit.metrics.ccc`) is then
    computed per target column over the concatenated frames of all traces, as AVEC scores
    a partition (Valstar et al. 2016), or averaged over the traces with
    ``average="sequence"``. Frames whose true value is NaN are left out.

    Parameters
    ----------
    y_traces : array-like or list of array-like
        True traces, one ``(n_frames,)`` or ``(n_frames, n_targets)`` array per
        recording (one array = one recording); NaN = unrated frame.
    p_traces : array-like or list of array-like
        Predictions of the same shapes (finite).
    delay : int or sequence of int, default 0
        Frames the predictions are moved later, one for all columns or one per column
        (negative: earlier). Seconds times the frame rate.
    smoothing : int or sequence of int, default 1
        Odd median-filter width in frames (1 = none), one or one per column.
    average : {"concatenated", "sequence"}, default 'concatenated'
        CCC over all frames together, or the mean of the per-trace CCCs.

    Returns
    -------
    float or numpy.ndarray
        A float for 1-D traces, one value per target column otherwise.

    See Also
    --------
    TracePostprocessor : chooses ``delay`` and ``smoothing`` on validation data.

    References
    ----------
    .. [1] L. I.-K. Lin, "A concordance correlation coefficient to evaluate
       reproducibility", Biometrics 45(1), 1989.
    .. [2] M. Valstar et al., "AVEC 2016: depression, mood, and emotion recognition
       workshop and challenge", AVEC 2016.
    .. [3] Z. Huang et al., "An investigation of annotation delay compensation and
       output-associative fusion for multimodal continuous emotion prediction", AVEC 2015.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(200) / 25
    >>> truth = np.sin(t)
    >>> late = np.sin(t - 0.4)                      # annotators 10 frames (0.4 s) late
    >>> pred = np.sin(t)                            # a model that follows the signal
    >>> round(ak.metrics.ccc_over_time(late, pred), 3)
    0.913
    >>> round(ak.metrics.ccc_over_time(late, pred, delay=10), 3)
    0.997
    """
    average = _check_average(average)
    y, p, flat = _pairs(y_traces, p_traces)
    k = y[0].shape[1]
    delays = _per_column(delay, k, "delay", -(2**62))
    windows = _per_column(smoothing, k, "smoothing", 1, odd=True)
    out = np.array([
        _ccc([a[:, j] for a in y], [_shift(_median(b[:, j], int(windows[j])), int(delays[j])) for b in p], average)
        for j in range(k)
    ])
    return float(out[0]) if flat else out


class TracePostprocessor(BaseEstimator):
    """AVEC-style post-processing of predicted traces, chosen on validation data:
    annotator-delay compensation, median smoothing, bias and scale correction.

    ``fit(y_val, p_val)`` searches, per target column, every ``median_windows`` x
    ``delays`` pair for the highest validation CCC (:func:`ccc_over_time`; ties go to the
    smaller window, then the smaller delay), then (``bias``, ``scale``) takes the mean and
    standard deviation of the processed validation predictions and of the validation
    truth. ``transform(p)`` applies the same steps to new predictions: median filter,
    shift, then ``(p - mean_pred) * std_true / std_pred + mean_true`` (without ``scale``
    the factor is 1; without ``bias`` the mean added back is ``mean_pred``). Fit it on
    predictions of data the model was not trained on (a development set or
    cross-validation folds), and score the test set with what it chose: choosing on the
    test set overstates the CCC.

    The steps are those of the AVEC 2016 baseline (Valstar et al. 2016) and of Trigeorgis
    et al. (2016); the delay search of Huang et al. (2015), on the predictions instead of
    the labels.

    Parameters
    ----------
    delays : sequence of int, default range(0, 101, 2)
        Delays searched, in frames (0-4 s at 25 Hz).
    median_windows : sequence of int, default (1, 3, 5, 9, 15, 25, 41)
        Odd median-filter widths searched, in frames (1 = none).
    bias : bool, default True
        Move the predictions' mean to the validation truth's mean.
    scale : bool, default True
        Scale the predictions' spread to the validation truth's standard deviation.
    average : {"concatenated", "sequence"}, default 'concatenated'
        How the validation CCC is computed (see :func:`ccc_over_time`).

    Attributes
    ----------
    delay_ : ndarray of int, shape (n_targets,)
        Chosen delay per column, frames.
    median_window_ : ndarray of int, shape (n_targets,)
        Chosen median width per column, frames.
    mean_pred_, std_pred_, mean_true_, std_true_ : ndarray of shape (n_targets,)
        Statistics of the processed validation predictions and of the validation truth.
    validation_ccc_ : ndarray of shape (n_targets,)
        Validation CCC after all steps.
    n_targets_ : int
        Target columns.

    References
    ----------
    .. [1] M. Valstar et al., "AVEC 2016: depression, mood, and emotion recognition
       workshop and challenge", AVEC 2016.
    .. [2] G. Trigeorgis et al., "Adieu features? End-to-end speech emotion recognition
       using a deep convolutional recurrent network", ICASSP 2016.
    .. [3] Z. Huang et al., "An investigation of annotation delay compensation and
       output-associative fusion for multimodal continuous emotion prediction", AVEC 2015.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(500) / 25
    >>> late = 0.5 * np.sin(t - 1.0) + 0.2           # rated 25 frames late, offset, scaled
    >>> pred = np.sin(t)
    >>> post = ak.evaluation.TracePostprocessor().fit(late, pred)
    >>> int(post.delay_[0]), round(float(post.validation_ccc_[0]), 3)
    (24, 0.984)
    """

    def __init__(self, delays: Sequence[int] = tuple(range(0, 101, 2)),
                 median_windows: Sequence[int] = (1, 3, 5, 9, 15, 25, 41), bias: bool = True, scale: bool = True,
                 average: str = "concatenated") -> None:
        self.delays = delays
        self.median_windows = median_windows
        self.bias = bias
        self.scale = scale
        self.average = average

    def _grid(self) -> "tuple[list[int], list[int]]":
        out = []
        for name, least, odd in (("delays", -(2**62), False), ("median_windows", 1, True)):
            values = list(np.atleast_1d(np.asarray(getattr(self, name), dtype=object)))
            if not values:
                raise ParameterError(f"{name}: expected at least one value")
            out.append([int(v) for v in _per_column(values, len(values), name, least, odd)])
        for name in ("bias", "scale"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ParameterError(f"{name}: expected True or False, got {getattr(self, name)!r}")
        return out[0], out[1]

    def fit(self, y_true: Any, y_pred: Any) -> "TracePostprocessor":
        """Chooses delay and median width per column and the bias/scale statistics on
        validation traces.

        Parameters
        ----------
        y_true : array-like or list of array-like
            Validation truth, one ``(n_frames,)`` or ``(n_frames, n_targets)`` array per
            recording; NaN = unrated.
        y_pred : array-like or list of array-like
            The model's predictions for the same recordings.

        Returns
        -------
        TracePostprocessor
            ``self``, fitted.
        """
        average = _check_average(self.average)
        delays, windows = self._grid()
        y, p, _ = _pairs(y_true, y_pred)
        k = y[0].shape[1]
        self.n_targets_ = k
        self.delay_ = np.zeros(k, dtype=np.int64)
        self.median_window_ = np.ones(k, dtype=np.int64)
        for j in range(k):
            truth = [a[:, j] for a in y]
            best = -np.inf
            for w in sorted(set(windows)):
                smooth = [_median(b[:, j], w) for b in p]
                for d in sorted(set(delays), key=lambda v: (abs(v), v)):
                    c = _ccc(truth, [_shift(s, d) for s in smooth], average)
                    if c > best + 1e-12:
                        best, self.delay_[j], self.median_window_[j] = c, d, w
        processed = self._steps(p)
        rated = [~np.isnan(np.concatenate([a[:, j] for a in y])) for j in range(k)]
        cat_y = np.concatenate(y)
        cat_p = np.concatenate(processed)
        self.mean_true_ = np.array([cat_y[rated[j], j].mean() for j in range(k)])
        self.std_true_ = np.array([cat_y[rated[j], j].std() for j in range(k)])
        self.mean_pred_ = np.array([cat_p[rated[j], j].mean() for j in range(k)])
        self.std_pred_ = np.array([cat_p[rated[j], j].std() for j in range(k)])
        done = self._correct(processed)
        self.validation_ccc_ = np.array([_ccc([a[:, j] for a in y], [b[:, j] for b in done], average)
                                         for j in range(k)])
        return self

    def _steps(self, p: "list[np.ndarray]") -> "list[np.ndarray]":
        """Median filter then shift, per column."""
        return [np.column_stack([_shift(_median(b[:, j], int(self.median_window_[j])), int(self.delay_[j]))
                                 for j in range(b.shape[1])]) for b in p]

    def _correct(self, p: "list[np.ndarray]") -> "list[np.ndarray]":
        # a constant validation prediction has no spread to scale
        spread = np.where(self.std_pred_ > 0, self.std_pred_, 1.0)
        factor = self.std_true_ / spread if self.scale else np.ones(self.n_targets_)
        centre = self.mean_true_ if self.bias else self.mean_pred_
        return [(b - self.mean_pred_) * factor + centre for b in p]

    def transform(self, y_pred: Any) -> Any:
        """Applies the chosen steps to new predictions.

        Parameters
        ----------
        y_pred : array-like or list of array-like
            Predicted traces (one array per recording).

        Returns
        -------
        ndarray or list of ndarray
            The processed traces, in the form given (one array, or a list).
        """
        check_is_fitted(self, "delay_")
        single = isinstance(y_pred, np.ndarray)
        p, flat = _traces(y_pred, "y_pred")
        if p[0].shape[1] != self.n_targets_:
            raise ParameterError(f"y_pred: expected {self.n_targets_} target columns as in fit, got {p[0].shape[1]}")
        for i, b in enumerate(p):
            if np.isnan(b).any():
                raise ParameterError(f"y_pred[{i}]: contains NaN (predictions must be finite)")
        out = [b.ravel() if flat else b for b in self._correct(self._steps(p))]
        return out[0] if single else out

    def score(self, y_true: Any, y_pred: Any) -> float:
        """Mean over the target columns of :func:`ccc_over_time` after :meth:`transform`.

        Parameters
        ----------
        y_true, y_pred : array-like or list of array-like
            True and (raw) predicted traces.

        Returns
        -------
        float
        """
        return float(np.mean(ccc_over_time(y_true, self.transform(y_pred), average=self.average)))
