"""One shape of result for time series: :class:`Contour` (values per frame, frame times, column names).

Every contour function (:func:`~affectkit.f0`, :func:`~affectkit.intensity`,
:func:`~affectkit.formants`, :func:`~affectkit.harmonicity`, :func:`~affectkit.rms`,
:func:`~affectkit.loudness`) returns one, and their ``_batch`` versions a list of them.
Frame matrices without a time axis of their own (MFCC, log-mel, face geometry) stay NumPy
arrays, as in librosa; per-clip summaries (:func:`~affectkit.prosody`,
:func:`~affectkit.voice_quality`) are a pandas Series for one clip and a DataFrame with the
same columns for a batch (:func:`_summary`, :func:`_summary_table`).
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional, Sequence

import numpy as np

from .. import errors, settings as _settings
from .._util.validation import _keywords


class Contour:
    """A time series: one row of values per analysis frame, with the frame times and column names.

    Parameters
    ----------
    values : array_like
        ``(n_frames, n_features)`` (a 1-D array is one column), stored as float64.
    times : array_like
        ``(n_frames,)``, the time of each frame in seconds (the reference's convention: the
        frame centre for Praat and librosa).
    names : sequence of str
        One name per column.
    feature : str or None, default None
        The feature-registry name (:mod:`affectkit.features`) of the function that made it,
        if it has one; with ``params`` and ``sr`` it gives :meth:`to_frame` its settings record.
    params : mapping or None, default None
        Every parameter the function ran with (resolved defaults included).
    sr : float or None, default None
        The sample rate of the analysed signal, Hz.

    Attributes
    ----------
    values : ndarray of float64
        ``(n_frames, n_features)``.
    times : ndarray of float64
        ``(n_frames,)``, seconds.
    names : tuple of str
        Column names; ``contour[name]`` is one column.

    Notes
    -----
    A Contour is not a tuple: ``db, times = ak.intensity(y, sr)`` (the shape before issue 16)
    raises a ``TypeError`` that says so; write ``c = ak.intensity(y, sr)`` then
    ``c.values`` / ``c["intensity_db"]`` and ``c.times``. ``np.asarray(c)`` is ``c.values``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> c = ak.Contour(np.array([[1.0, 2.0], [3.0, 4.0]]), [0.0, 0.01], ("a", "b"))
    >>> len(c), c.names, c["b"]
    (2, ('a', 'b'), array([2., 4.]))
    >>> c.to_frame().loc[0.01, "a"]
    np.float64(3.0)
    """

    __slots__ = ("values", "times", "names", "feature", "params", "sr")

    def __init__(self, values: Any, times: Any, names: "Sequence[str]", *, feature: Optional[str] = None,
                 params: "Optional[Mapping[str, Any]]" = None, sr: Optional[float] = None) -> None:
        v = np.asarray(values, dtype=np.float64)
        if v.ndim == 1:
            v = v.reshape(-1, 1)
        t = np.asarray(times, dtype=np.float64)
        names = tuple(str(n) for n in names)
        if v.ndim != 2 or t.ndim != 1 or len(t) != v.shape[0]:
            raise errors.ParameterError(f"values, times: expected (n_frames, n_features) values and (n_frames,) "
                                        f"times, got shapes {v.shape} and {t.shape}")
        if len(names) != v.shape[1] or len(set(names)) != len(names):
            raise errors.ParameterError(f"names: expected {v.shape[1]} distinct column names, got {names}")
        self.values = v
        self.times = t
        self.names = names
        self.feature = feature
        self.params = None if params is None else dict(params)
        self.sr = sr

    def __len__(self) -> int:
        return self.values.shape[0]

    def __getitem__(self, name: str) -> np.ndarray:
        if not isinstance(name, str):
            raise TypeError(f"a Contour is indexed by column name ({', '.join(self.names)}), got "
                            f"{type(name).__name__}; use .values[...] for frames and .times for the times")
        try:
            k = self.names.index(name)
        except ValueError:
            raise KeyError(f"{name!r}: not a column of this Contour; columns: {', '.join(self.names)}") from None
        return self.values[:, k]

    def __iter__(self):
        raise TypeError(f"a Contour is not a tuple (the contour functions returned (values, times) tuples "
                        f"before issue 16): use .values, .times or c[name] with name in {self.names}")

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.values if dtype is None else self.values.astype(dtype)

    def __repr__(self) -> str:
        span = f", {self.times[0]:.3f}-{self.times[-1]:.3f} s" if len(self) else ""
        what = f"{self.feature} " if self.feature else ""
        return (f"<{type(self).__name__} {what}{len(self)} frames x {len(self.names)}: "
                f"{', '.join(self.names)}{span}>")

    @property
    def settings(self) -> "Optional[dict[str, Any]]":
        """The settings record of this contour, or None when its function has no registry name.

        ``ak.settings.of(contour)`` reads it too.

        Returns
        -------
        dict or None
            ``{"features": {feature: {"params": ...}}, "sr": sr, "pool": None, ...}``, the record
            :func:`affectkit.features.extract` writes for the same settings (see :mod:`affectkit.settings`).

        Examples
        --------
        >>> import numpy as np, affectkit as ak
        >>> tr = ak.f0(np.zeros(16000, np.float32), 16000, method="yin")
        >>> tr.settings["features"]["f0"]["params"]["method"]
        'yin'
        """
        if self.feature is None or self.sr is None:
            return None
        return _settings.make({self.feature: self.params or {}}, sr=self.sr)

    def to_frame(self) -> Any:
        """The contour as a pandas DataFrame: one column per name, indexed by time in seconds.

        Returns
        -------
        pandas.DataFrame
            Index ``time`` (seconds), columns :attr:`names`; ``attrs["affectkit"]`` holds the
            settings record (:attr:`settings`) when the function has a registry name.

        Examples
        --------
        >>> import numpy as np, affectkit as ak
        >>> df = ak.intensity(0.1 * np.ones(8000), 16000).to_frame()
        >>> list(df.columns), df.index.name
        (['intensity_db'], 'time')
        """
        import pandas as pd

        frame = pd.DataFrame(self.values, columns=list(self.names), index=pd.Index(self.times, name="time"))
        return _settings.attach(frame, self.settings)


def _contour(values: Any, times: Any, names: "Sequence[str]", func: Optional[Callable[..., Any]] = None,
             feature: Optional[str] = None, options: "Optional[dict[str, Any]]" = None,
             sr: Optional[float] = None) -> Contour:
    """A :class:`Contour` whose settings are ``func``'s keyword defaults updated by ``options``."""
    params = None if func is None else _keywords(func, feature or func.__name__, options or {})
    return Contour(values, times, names, feature=feature, params=params, sr=sr)


def _summary(values: Any, names: "Sequence[str]", func: Callable[..., Any], feature: str,
             options: "dict[str, Any]", sr: float) -> Any:
    """One clip's summary as a pandas Series (index: the names) with its settings record."""
    import pandas as pd

    row = pd.Series(np.asarray(values, dtype=np.float64), index=list(names), name=None)
    return _settings.attach(row, _settings.make({feature: _keywords(func, feature, options)}, sr=sr))


def _summary_table(values: Any, names: "Sequence[str]", func: Callable[..., Any], feature: str,
                   options: "dict[str, Any]", sr: float) -> Any:
    """A batch of summaries as a pandas DataFrame (one row per clip, the same columns as :func:`_summary`)."""
    import pandas as pd

    table = pd.DataFrame(np.asarray(values, dtype=np.float64).reshape(-1, len(names)), columns=list(names))
    return _settings.attach(table, _settings.make({feature: _keywords(func, feature, options)}, sr=sr))


def _windowed_summary(y: np.ndarray, sr: float, window: "tuple[float, float]", kind: str, names: "Sequence[str]",
                      func: Callable[..., Any], options: "dict[str, Any]") -> Any:
    """A per-clip summary (``kind`` of the core's voice measures) per window: one row per
    window indexed by ``(start, end)`` seconds, the settings record carrying the window."""
    from .. import _core
    from .windows import _cuts, _run, _table

    cuts, starts, ends = _cuts(y, sr, *window)
    values = _run(lambda ys: _core.audio.voice_measures_batch(ys, sr, kind, options, None), cuts, starts, ends)
    record = _settings.make({kind: _keywords(func, kind, options)}, sr=sr, window=window)
    return _table(values, names, starts, ends, record)
