"""Dimensional ratings (valence, arousal, ...): the ratings matrix, EWE, mean/median/trimmed mean, z-normalisation, trace alignment."""

from __future__ import annotations

from typing import Any, Optional, Sequence
import numpy as np
from .. import _core
from ..errors import InputTypeError, ParameterError

from ._table import _DEFAULT_COLUMNS, _Table, _decode
from .taxonomy import _missing_value

# ---------------------------------------------------------------- dimensional ratings


class RatingsMatrix(tuple):
    """What :func:`ratings_matrix` returns: the tuple ``(matrix, items, annotators)``, so
    ``m, items, raters = ratings_matrix(...)`` works, with those as attributes too.

    Attributes
    ----------
    matrix : ndarray of float64
        ``(n_items, n_annotators)`` for ``orient="items"``, ``(n_annotators, n_items)``
        for ``orient="annotators"``; NaN where an annotator gave no value.
    items : ndarray (n_items,)
        Item ids (sorted), the order of the item axis.
    annotators : ndarray (n_annotators,)
        Annotator ids (sorted), the order of the annotator axis.
    classes : ndarray or None, default None
        For categorical labels, the class of each code: ``matrix`` holds
        ``0 .. len(classes) - 1``; None for numeric ratings (``matrix`` holds the values).
    orient : str, default "items"
        ``"items"`` or ``"annotators"``: what the rows are.
    """

    classes: Optional[np.ndarray]
    orient: str

    def __new__(
        cls, matrix: np.ndarray, items: np.ndarray, annotators: np.ndarray, classes: Optional[np.ndarray] = None,
        orient: str = "items",
    ) -> "RatingsMatrix":
        self = super().__new__(cls, (matrix, items, annotators))
        self.classes = classes
        self.orient = orient
        return self

    @property
    def matrix(self) -> np.ndarray:
        return self[0]

    @property
    def items(self) -> np.ndarray:
        return self[1]

    @property
    def annotators(self) -> np.ndarray:
        return self[2]

    def __reduce__(self) -> Any:
        return (RatingsMatrix, (self[0], self[1], self[2], self.classes, self.orient))

    def to_frame(self) -> Any:
        """A pandas DataFrame of ``matrix`` with the item and annotator ids as index and
        columns (by ``orient``); categorical codes become their classes."""
        import pandas as pd

        values: Any = self.matrix
        if self.classes is not None:
            values = _decode(np.where(np.isnan(values), -1, values).astype(np.int64), self.classes)
        items, raters = pd.Index(self.items, name="item"), pd.Index(self.annotators, name="annotator")
        if self.orient == "items":
            return pd.DataFrame(values, index=items, columns=raters)
        return pd.DataFrame(values, index=raters, columns=items)

    def __repr__(self) -> str:
        k = "" if self.classes is None else f", classes={self.classes.tolist()!r}"
        return f"RatingsMatrix(orient={self.orient!r}, shape={self.matrix.shape}{k})"


_ORIENTS = ("items", "annotators")


def ratings_matrix(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    orient: str = "items",
    classes: Optional[Sequence[Any]] = None,
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> RatingsMatrix:
    """The long form (one row per answer) as a matrix with one cell per item and annotator.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The long form, as every aggregator takes it: three equal-length 1-D arrays (item
        id, annotator id, label or rating of each answer), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) leaves its cell empty.
    orient : {"items", "annotators"}, default "items"
        What the rows are: ``"items"`` gives the items x annotators matrix that
        :func:`ewe`, :func:`mean`, :func:`median`, :func:`trimmed_mean` and
        :func:`znorm` take; ``"annotators"`` the annotators x items (coders x units)
        matrix that :func:`krippendorff_alpha` and the ``krippendorff`` package take.
    classes : sequence, optional
        Class list for categorical labels: the matrix then holds each label's index in
        ``classes`` (a label not in it is an error). By default numeric labels (bool,
        int, float) are kept as values and any other labels (strings) are coded by
        their index in the sorted distinct labels, returned as ``.classes``.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    RatingsMatrix
        The tuple ``(matrix, items, annotators)``: the float matrix with NaN where an
        annotator gave no value, and the sorted item and annotator ids along its axes;
        also ``.classes`` (None for numeric ratings) and ``.orient``. Passed whole to
        :func:`krippendorff_alpha`, :func:`ewe`, :func:`mean`, ... it is read by its
        ``orient`` and its ids label their results.

    Raises
    ------
    ParameterError
        An annotator with two answers on the same item (average or drop repeats first),
        unequal lengths, a DataFrame without the named columns, an unknown ``orient``.

    Examples
    --------
    >>> m, items, raters = ratings_matrix(["u1", "u1", "u2"], ["a", "b", "a"], [3.0, 4.0, 1.0])
    >>> m
    array([[ 3.,  4.],
           [ 1., nan]])
    >>> r = ratings_matrix(["u1", "u1", "u2"], ["a", "b", "a"], ["hap", "sad", "hap"], orient="annotators")
    >>> r.matrix, r.classes
    (array([[ 0.,  0.],
           [ 1., nan]]), array(['hap', 'sad'], dtype='<U3'))
    """
    if orient not in _ORIENTS:
        raise ParameterError(f'orient: expected "items" (items x annotators) or "annotators" '
                             f"(annotators x items), got {orient!r}")
    t = _Table(items, annotators, labels, classes=classes, columns=columns, missing_labels="skip")
    _check_repeats(t, "rated")
    numbers = None if classes is not None else _as_numbers(t.classes)
    if numbers is None:
        values, kept = t.label_codes.astype(np.float64), t.classes
    else:
        values, kept = numbers[t.label_codes], None
    return RatingsMatrix(_dense(t, values, orient), t.item_ids, t.annotator_ids, kept, orient)


def _as_numbers(values: np.ndarray) -> Optional[np.ndarray]:
    """``values`` as float64 (NaN = missing) when they are numbers (bool, int, float, also
    in an object array with None/NaN/NA for missing), else None (strings, mixed)."""
    if values.dtype.kind in "biuf":
        return values.astype(np.float64)
    if values.dtype.kind != "O":
        return None
    flat = values.ravel().tolist()
    if not all(isinstance(v, (bool, int, float, np.number, np.bool_)) or _missing_value(v) for v in flat):
        return None
    return np.array([np.nan if _missing_value(v) else float(v) for v in flat], dtype=np.float64).reshape(values.shape)


def _check_repeats(t: _Table, verb: str = "answered") -> None:
    """A repeated (item, annotator) pair is an error naming both: a matrix has one cell
    per pair, and the agreement statistics count each annotator once per item."""
    n_a = len(t.annotator_ids)
    flat = t.item_codes * n_a + t.annotator_codes
    if len(flat) < 2:
        return
    n_cells = len(t.item_ids) * n_a
    if n_cells <= 8 * len(flat) + (1 << 16):
        repeated = np.flatnonzero(np.bincount(flat, minlength=n_cells) > 1)
    else:
        s = np.sort(flat)
        repeated = s[1:][s[1:] == s[:-1]]
    if len(repeated):
        i, a = divmod(int(repeated[0]), n_a)
        item, ann = _plain(t.item_ids[i]), _plain(t.annotator_ids[a])
        raise ParameterError(
            f"items, annotators: annotator {ann!r} {verb} item {item!r} twice or more; one value per "
            "annotator and item is expected (average or drop the repeats first)"
        )


def _plain(v: Any) -> Any:
    """A NumPy scalar as the Python value (for ``repr`` in messages)."""
    return v.item() if isinstance(v, np.generic) else v


def _dense(t: _Table, values: np.ndarray, orient: str) -> np.ndarray:
    """``values`` (one per answer) in a NaN-filled matrix, rows by ``orient``."""
    n_i, n_a = len(t.item_ids), len(t.annotator_ids)
    if orient == "items":
        m = np.full((n_i, n_a), np.nan)
        m[t.item_codes, t.annotator_codes] = values
    else:
        m = np.full((n_a, n_i), np.nan)
        m[t.annotator_codes, t.item_codes] = values
    return m


def _ratings(ratings: Any) -> "tuple[np.ndarray, Any, Any]":
    index = columns = None
    if isinstance(ratings, RatingsMatrix):
        if ratings.classes is not None:
            raise InputTypeError(
                f"ratings: expected numeric ratings, got the codes of categorical labels {ratings.classes[:5].tolist()}"
            )
        import pandas as pd

        index, columns = pd.Index(ratings.items, name="item"), pd.Index(ratings.annotators, name="annotator")
        ratings = ratings.matrix if ratings.orient == "items" else ratings.matrix.T
    elif hasattr(ratings, "columns") and hasattr(ratings, "index"):
        index, columns = ratings.index, ratings.columns
        ratings = ratings.to_numpy(dtype=np.float64, na_value=np.nan)
    try:
        r = np.asarray(ratings, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise InputTypeError(f"ratings: expected numbers (NaN = missing), got {e}") from None
    if r.ndim != 2:
        raise ParameterError(f"ratings: expected a 2-D items x annotators matrix, got shape {r.shape}")
    return np.ascontiguousarray(r), index, columns


def _series(values: np.ndarray, index: Any, name: str) -> Any:
    if index is None:
        return values
    import pandas as pd

    return pd.Series(values, index=index, name=name)


class RatingResult:
    """Consensus of dimensional ratings.

    Attributes
    ----------
    consensus : ndarray (n_items,)
        The fused rating per item (NaN where undefined).
    correlations : ndarray (n_annotators,)
        EWE: each rater's correlation with the reference (NaN where undefined).
    weights : ndarray (n_annotators,)
        EWE: the weights used.
    items, annotators
        Row and column labels when the ratings came as a DataFrame, else ``arange``.
    """

    def __init__(self, method: str, consensus: np.ndarray, items: Any, annotators: Any, **extra: Any) -> None:
        self.method = method
        self.consensus = consensus
        self.items = np.arange(len(consensus)) if items is None else np.asarray(items)
        self.annotators = annotators
        for k, v in extra.items():
            setattr(self, k, v)

    def to_frame(self) -> Any:
        """A pandas DataFrame indexed by item with a ``consensus`` column."""
        import pandas as pd

        return pd.DataFrame({"consensus": self.consensus}, index=pd.Index(self.items, name="item"))

    def __repr__(self) -> str:
        return f"RatingResult(method={self.method!r}, n_items={len(self.consensus)})"


def ewe(ratings: Any, *, reference: str = "mean", negative: str = "zero", min_overlap: int = 2) -> RatingResult:
    """Evaluator Weighted Estimator: each item's consensus weights each rater by how well
    they agree with the others.

    Each item's consensus is ``sum_k w_k y_nk / sum_k w_k`` over the raters ``k`` of that
    item, where ``w_k`` is the Pearson correlation ``r_k`` of rater ``k``'s ratings with the
    reference over the items ``k`` rated. A rater with fewer than ``min_overlap`` usable
    items, or with constant ratings, has an undefined correlation (NaN in
    ``correlations``) and weight 0. An item whose raters all have weight 0 (or whose
    weights sum to 0), or that nobody rated, has a NaN consensus. A single rater is an
    error: the correlation with the mean is then 1 by construction and EWE is just that
    rater's ratings.

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.
    reference : {"mean", "leave_one_out"}, default "mean"
        ``"mean"`` (Grimm and Kroschel): the mean of all raters of the item, ``k``
        included; ``"leave_one_out"``: the mean of the other raters (as audpsychometric),
        items ``k`` rated alone then do not count towards ``r_k``.
    negative : {"zero", "keep"}, default "zero"
        ``"zero"``: raters with ``r_k <= 0`` get weight 0 (they disagree with the consensus
        and would flip or destabilise it); ``"keep"`` uses ``r_k`` as it is, the formula
        taken literally.
    min_overlap : int, default 2
        Fewest items a rater needs for a correlation.

    Returns
    -------
    RatingResult
        ``consensus`` (n_items,), ``correlations`` and ``weights`` (n_annotators,),
        ``items``, ``annotators``.

    References
    ----------
    Grimm, M. and Kroschel, K. (2005). Evaluation of natural emotions using self assessment
    manikins. IEEE ASRU, 381-385.

    Examples
    --------
    >>> r = ewe([[1, 2, 4], [2, 3, 3], [3, 3, 2], [4, 5, 1]])
    >>> r.weights.round(2), r.consensus.round(2)
    (array([0.92, 1.  , 0.  ]), array([1.52, 2.52, 3.  , 4.52]))
    """
    r, index, columns = _ratings(ratings)
    if int(min_overlap) < 0:
        raise ParameterError(f"min_overlap: expected a count >= 0, got {min_overlap}")
    consensus, corr, weights = _core.labels.ewe(r, reference, negative, int(min_overlap))
    return RatingResult(
        "ewe", consensus, index, None if columns is None else np.asarray(columns), correlations=corr, weights=weights
    )


def mean(ratings: Any) -> Any:
    """Per-item mean of the available ratings (NaN if nobody rated the item).

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.

    Returns
    -------
    ndarray or pandas.Series
        One value per item; a Series indexed by item when the ratings carry ids.

    Examples
    --------
    >>> mean([[1, 2, np.nan], [3, np.nan, 5]])
    array([1.5, 4. ])
    """
    r, index, _ = _ratings(ratings)
    return _series(_core.labels.summarise(r, "mean"), index, "mean")


def median(ratings: Any) -> Any:
    """Per-item median of the available ratings, as ``np.nanmedian(ratings, axis=1)``.

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.

    Returns
    -------
    ndarray or pandas.Series
        One value per item (NaN if nobody rated it); a Series indexed by item when the
        ratings carry ids.

    Examples
    --------
    >>> median([[1, 2, 9], [3, np.nan, 5]])
    array([2., 4.])
    """
    r, index, _ = _ratings(ratings)
    return _series(_core.labels.summarise(r, "median"), index, "median")


def trimmed_mean(ratings: Any, proportiontocut: float = 0.1) -> Any:
    """Per-item trimmed mean of the available ratings, as
    ``scipy.stats.trim_mean(row[~isnan(row)], proportiontocut)``.

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.
    proportiontocut : float, default 0.1
        Fraction cut from each end: ``floor(proportiontocut * n)`` of the item's ``n``
        ratings (so with few raters nothing may be cut).

    Returns
    -------
    ndarray or pandas.Series
        One value per item (NaN if nobody rated it); a Series indexed by item when the
        ratings carry ids.

    Examples
    --------
    >>> trimmed_mean([[1, 2, 3, 4, 100]], proportiontocut=0.2)
    array([3.])
    """
    r, index, _ = _ratings(ratings)
    return _series(_core.labels.summarise(r, "trimmed_mean", float(proportiontocut)), index, "trimmed_mean")


def znorm(ratings: Any, ddof: int = 0) -> Any:
    """Per-annotator z-normalisation: each annotator's ratings minus their mean, divided by
    their standard deviation, over the items they rated; NaN stays NaN. An annotator with
    constant ratings (or too few) has undefined z-scores: their column is NaN.

    Parameters
    ----------
    ratings : array-like, DataFrame or RatingsMatrix
        Items x annotators matrix of numeric ratings, NaN where an annotator did not rate an
        item; a DataFrame keeps its index and columns as ids; a :class:`RatingsMatrix` from
        :func:`ratings_matrix` (either orientation) brings its ids.
    ddof : int, default 0
        Delta degrees of freedom of the standard deviation: 0 is the population value, as
        scikit-learn's ``StandardScaler``.

    Returns
    -------
    ndarray or pandas.DataFrame
        Items x annotators z-scores; a DataFrame with the ids when the ratings carry them.

    Examples
    --------
    >>> znorm([[1, 5], [3, 5]])
    array([[-1., nan],
           [ 1., nan]])
    """
    r, index, columns = _ratings(ratings)
    if int(ddof) < 0:
        raise ParameterError(f"ddof: expected 0 or more, got {ddof}")
    z = _core.labels.znorm(r, int(ddof))
    if index is None:
        return z
    import pandas as pd

    return pd.DataFrame(z, index=index, columns=columns)


class AlignedTraces:
    """Time-continuous ratings on a common time grid.

    Attributes: ``values`` (n_frames, n_annotators) with NaN where a trace has no value,
    ``times`` (n_frames,) in seconds, ``fps``, ``lags_s`` (n_annotators,) the reaction lag
    removed from each trace, ``correlations`` each shifted trace's correlation with the
    mean of the others. ``ewe(**kw)`` and ``mean()`` fuse them into one trace.
    """

    def __init__(self, values: np.ndarray, fps: float, lags: np.ndarray, correlations: np.ndarray) -> None:
        self.values = values
        self.fps = fps
        self.times = np.arange(values.shape[0]) / fps
        self.lags_s = lags / fps
        self.correlations = correlations

    def ewe(self, **kwargs: Any) -> RatingResult:
        """EWE over time: frames are the items (see :func:`ewe`)."""
        return ewe(self.values, **kwargs)

    def mean(self) -> np.ndarray:
        """Mean trace over the annotators with a value at each frame."""
        return mean(self.values)

    def to_frame(self) -> Any:
        """A pandas DataFrame indexed by time (s), one column per annotator."""
        import pandas as pd

        return pd.DataFrame(self.values, index=pd.Index(self.times, name="time_s"))

    def __repr__(self) -> str:
        return f"AlignedTraces(n_frames={self.values.shape[0]}, n_annotators={self.values.shape[1]}, fps={self.fps})"


def align_traces(
    traces: Sequence[Any],
    fps: Any,
    *,
    target_fps: Optional[float] = None,
    max_lag_s: float = 0.0,
    min_lag_s: float = 0.0,
) -> AlignedTraces:
    """Time-continuous ratings (one trace per annotator, e.g. arousal from a joystick)
    onto a common time grid, with each annotator's reaction lag compensated.

    Each trace ``k`` (sample ``j`` at time ``j / fps[k]``) is linearly interpolated at
    ``target_fps`` from 0 to the end of the longest trace; NaN beyond a trace's end. Then
    each trace is shifted earlier by the lag in ``[min_lag_s, max_lag_s]`` that maximises
    its Pearson correlation with the mean of the other traces (the reaction-lag
    compensation of Mariooryad and Busso). Fuse with ``.ewe()`` or ``.mean()``.

    Parameters
    ----------
    traces : sequence of 1-D array-like
        One trace per annotator.
    fps : float or sequence of float
        Sample rate of the traces (one for all, or one per trace), in frames per second.
    target_fps : float, optional
        Rate of the common grid. Default: the highest ``fps``.
    max_lag_s : float, default 0.0
        Longest reaction lag searched, in seconds; 0 only resamples. A few seconds is
        typical for annotators.
    min_lag_s : float, default 0.0
        Shortest reaction lag searched, in seconds (<= ``max_lag_s``).

    Returns
    -------
    AlignedTraces
        ``values`` (n_frames, n_annotators), ``times``, ``lags_s``, ``correlations``.

    References
    ----------
    Mariooryad, S. and Busso, C. (2015). Correcting time-continuous emotional labels by
    modeling the reaction lag of evaluators. IEEE Transactions on Affective Computing 6(2),
    97-108.

    Examples
    --------
    >>> t = np.arange(0, 20, 0.04)
    >>> a = np.sin(t); b = np.sin(t - 1.0)            # b reacts one second late
    >>> al = align_traces([a, b, a], fps=25, max_lag_s=3)
    >>> al.lags_s
    array([0., 1., 0.])
    """
    ts = [np.ascontiguousarray(np.asarray(x, dtype=np.float64)) for x in traces]
    for k, x in enumerate(ts):
        if x.ndim != 1:
            raise ParameterError(f"traces: trace {k} should be 1-D, got shape {x.shape}")
    f = np.broadcast_to(np.asarray(fps, dtype=np.float64), (len(ts),)).tolist() if np.ndim(fps) == 0 else list(map(float, fps))
    if target_fps is None:
        target_fps = max(f) if f else 1.0
    target_fps = float(target_fps)
    if not (min_lag_s <= max_lag_s):
        raise ParameterError(f"max_lag_s: expected min_lag_s <= max_lag_s, got {min_lag_s} and {max_lag_s}")
    # (clipped: an infinite lag range is every lag; the search stops at the traces' length)
    lo = int(np.clip(np.ceil(min_lag_s * target_fps - 1e-9), -9e18, 9e18))
    hi = int(np.clip(np.floor(max_lag_s * target_fps + 1e-9), -9e18, 9e18))
    values, lags, corr = _core.labels.align_traces(ts, f, target_fps, lo, hi)
    return AlignedTraces(values, target_fps, lags, corr)
