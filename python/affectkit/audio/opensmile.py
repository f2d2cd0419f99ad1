"""eGeMAPS v02 and GeMAPS v01b: the (extended) Geneva Minimalistic Acoustic Parameter Set.

Eyben, Scherer, Schuller, Sundberg, André, Busso, Devillers, Epps, Laukka, Narayanan,
Truong (2016), "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS) for Voice
Research and Affective Computing", IEEE Trans. Affective Computing 7(2).

``ak.egemaps(y, sr)`` gives the 88 eGeMAPS v02 functionals of a clip, ``level="lld"`` the
25 low-level descriptors per 10 ms frame; ``ak.gemaps`` (or ``version="v01b"``) the 62
GeMAPS v01b functionals and 18 LLDs; ``win=``/``hop=`` (seconds) the functionals of each
window, as openSMILE's ``process_signal(start=, end=)`` of that window
(:mod:`affectkit.audio.windows`). Column names and order are openSMILE's
(``ak.EGEMAPS_FUNCTIONALS``, ``ak.EGEMAPS_LLD``, ``ak.GEMAPS_FUNCTIONALS``,
``ak.GEMAPS_LLD``), and the numbers are meant to be openSMILE's: the chain was rebuilt
stage by stage (``src/audio/egemaps/``, one Rust module per stage) from the option values
of the configuration files the ``opensmile`` 2.6 pip package ships and black-box
measurements of that package, never from its source. docs/egemaps.md lists the measured
agreement per functional and what still differs.

Sample rate: the analysis runs at 16 kHz. Higher rates are resampled to 16 kHz (openSMILE
analyses them at their own rate; docs/egemaps.md gives the measured difference); rates
below 16 kHz raise :class:`affectkit.errors.ParameterError` (the spectral descriptors use
the band up to 8 kHz). Input is quantised as the ``opensmile`` package does (int16).

Missing data: with ``unvoiced="nan"`` (default) the ``_sma3nz`` LLD columns are NaN on
unvoiced rows; ``unvoiced="opensmile"`` gives openSMILE's own values there (0 for F0,
jitter, shimmer, HNR, H1-H2 and H1-A3, -201 for the formant amplitudes, the ungated
formants). Voiced-only functionals of a clip without voiced frames (silence, noise) are
NaN (openSMILE writes 0), every functional of a clip shorter than 60 ms is NaN, with no
exception. NaN or infinite samples raise ``ParameterError``.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence
import numpy as np
from .. import _core
from .._util.validation import _signal
from .contour import Contour
from .windows import _cuts, _run, _table, _window


#: The 88 eGeMAPS v02 functional names, openSMILE's spelling and order.
EGEMAPS_FUNCTIONALS: "tuple[str, ...]" = tuple(_core.audio.EGEMAPS_FUNCTIONALS)


#: The 25 eGeMAPS v02 LLD names, openSMILE's spelling and order.
EGEMAPS_LLD: "tuple[str, ...]" = tuple(_core.audio.EGEMAPS_LLD)


#: The 62 GeMAPS v01b functional names, openSMILE's spelling and order.
GEMAPS_FUNCTIONALS: "tuple[str, ...]" = tuple(_core.audio.GEMAPS_FUNCTIONALS)


#: The 18 GeMAPS v01b LLD names, openSMILE's spelling and order.
GEMAPS_LLD: "tuple[str, ...]" = tuple(_core.audio.GEMAPS_LLD)


_LEVELS = ("functionals", "lld")


_VERSIONS = ("v02", "v01b")


_UNVOICED = ("nan", "opensmile")


def _check(level: str, version: str, unvoiced: str) -> None:
    from ..errors import ParameterError

    if level not in _LEVELS:
        raise ParameterError(f"level: expected one of {_LEVELS}, got {level!r}")
    if version not in _VERSIONS:
        raise ParameterError(f"version: expected one of {_VERSIONS} (eGeMAPS v02, GeMAPS v01b), got {version!r}")
    if unvoiced not in _UNVOICED:
        raise ParameterError(f"unvoiced: expected one of {_UNVOICED}, got {unvoiced!r}")


def _registry_name(level: str, version: str) -> str:
    """The feature registry's name of a level and version (``affectkit.features``)."""
    base = "egemaps" if version == "v02" else "gemaps"
    return base if level == "functionals" else base + "_lld"


def _names(level: str, version: str) -> "tuple[str, ...]":
    if version == "v02":
        return EGEMAPS_LLD if level == "lld" else EGEMAPS_FUNCTIONALS
    return GEMAPS_LLD if level == "lld" else GEMAPS_FUNCTIONALS


def _frame(values: np.ndarray, level: str, version: str) -> Any:
    import pandas as pd

    if level == "lld":
        index = pd.Index(np.arange(len(values)) / 100.0, name="start")
        return pd.DataFrame(values, columns=list(_names(level, version)), index=index)
    if values.ndim == 1:
        return pd.Series(values, index=list(_names(level, version)))
    return pd.DataFrame(values, columns=list(_names(level, version)))


def egemaps(y: Any, sr: float, *, level: str = "functionals", as_frame: bool = False,
            version: str = "v02", unvoiced: str = "nan", win: Optional[float] = None,
            hop: Optional[float] = None) -> Any:
    """eGeMAPS v02 (or GeMAPS v01b) features of one mono clip, as openSMILE computes them.

    Parameters
    ----------
    y : array_like
        Mono signal: float (full scale 1.0) or integer PCM (scaled by its full scale).
    sr : float
        Sample rate in Hz, at least 16000 (higher rates are resampled to 16 kHz).
    level : {"functionals", "lld"}, default "functionals"
        ``"functionals"``: one row of statistics, a ``(88,)`` array ordered as
        :data:`EGEMAPS_FUNCTIONALS` (``(62,)`` and :data:`GEMAPS_FUNCTIONALS` for v01b).
        ``"lld"``: the smoothed low-level descriptors, ``(n_frames, 25)`` ordered as
        :data:`EGEMAPS_LLD` (18 columns, :data:`GEMAPS_LLD`, for v01b), one row every
        10 ms: ``(N - 960) // 160 + 2`` rows for ``N >= 960`` samples at 16 kHz, as openSMILE.
    as_frame : bool, default False
        Return pandas with the names: a Series indexed by the functional names for
        ``level="functionals"`` (:func:`egemaps_batch` gives a DataFrame with the same
        columns), a DataFrame with the frame start time in seconds as index for LLDs; either
        carries its settings record in
        ``attrs["affectkit"]`` (feature ``egemaps``, ``egemaps_lld``, ``gemaps`` or
        ``gemaps_lld`` at ``sr``; see :mod:`affectkit.settings`).
    version : {"v02", "v01b"}, default "v02"
        ``"v02"``: eGeMAPS v02 (``opensmile.FeatureSet.eGeMAPSv02``); ``"v01b"``: GeMAPS v01b
        (``opensmile.FeatureSet.GeMAPSv01b``), the same chain with fewer descriptors.
    unvoiced : {"nan", "opensmile"}, default "nan"
        What the ``_sma3nz`` LLD columns hold on unvoiced rows: NaN (affectkit's convention
        for missing data) or openSMILE's own values (0 for F0 and the voice-quality
        columns, -201 for the formant amplitudes, the ungated formants). Functionals are
        the same either way.
    win : float or None, default None
        Functionals per window: the window length in seconds. Each window is analysed on
        its own cut of the signal, as ``opensmile.Smile.process_signal(y, sr, start=,
        end=)`` analyses a segment; windows that would run past the end are dropped and a
        clip shorter than ``win`` raises :class:`~affectkit.errors.ParameterError` (see
        :mod:`affectkit.audio.windows`). None: one row for the whole clip. Only for
        ``level="functionals"`` (the LLDs are already per 10 ms frame).
    hop : float or None, default None
        Seconds between window starts; None: ``win`` (windows that tile the clip). Needs
        ``win``.

    Returns
    -------
    numpy.ndarray, pandas.Series or pandas.DataFrame
        With ``win``: an ``(n_windows, 88)`` array (``(n_windows, 62)`` for v01b), rows in
        the order of :func:`affectkit.audio.window_times`; with ``as_frame`` a DataFrame
        with those columns indexed by ``(start, end)`` in seconds, its settings record
        carrying ``window={"win": ..., "hop": ...}``.

    References
    ----------
    Eyben et al. (2016), IEEE Trans. Affective Computing 7(2); the ``opensmile`` 2.6 pip
    package's ``eGeMAPSv02.conf`` / ``GeMAPSv01b.conf`` (the reference these numbers
    reproduce; agreement per functional in docs/egemaps.md).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(32000) / 16000
    >>> y = (0.1 * np.sign(np.sin(2 * np.pi * 150 * t))).astype(np.float32)
    >>> f = ak.egemaps(y, 16000)
    >>> f.shape
    (88,)
    >>> round(float(f[0]), 1)   # F0 mean in semitones above 27.5 Hz: 12 log2(150 / 27.5)
    29.4
    >>> ak.egemaps(y, 16000, level="lld", unvoiced="opensmile").shape
    (196, 25)
    >>> per_window = ak.egemaps(y, 16000, win=1.0, hop=0.5, as_frame=True)   # functionals per window
    >>> per_window.shape, per_window.index.tolist()
    ((3, 88), [(0.0, 1.0), (0.5, 1.5), (1.0, 2.0)])
    """
    _check(level, version, unvoiced)
    window = _window(win, hop)
    if window is None:
        out = _core.audio.egemaps(_signal(y), float(sr), level, version, unvoiced)
        return _as_frame(out, level, version, sr) if as_frame else out
    if level != "functionals":
        from ..errors import ParameterError

        raise ParameterError("win: windows apply to level='functionals' (the LLDs are already one row per 10 ms)")
    cuts, starts, ends = _cuts(_signal(y), float(sr), *window)
    out = _run(lambda ys: _core.audio.egemaps_batch(ys, float(sr), level, None, version, unvoiced), cuts, starts,
               ends)
    if not as_frame:
        return out
    from .. import settings

    record = settings.make({_registry_name(level, version): {}}, sr=sr, window=window)
    return _table(out, _names(level, version), starts, ends, record)


def _as_frame(out: Any, level: str, version: str, sr: float) -> Any:
    from .. import settings

    # the eGeMAPS family takes no options: its settings are the feature name and the rate
    record = settings.make({_registry_name(level, version): {}}, sr=sr)
    if isinstance(out, list):
        return [settings.attach(_frame(o, level, version), record) for o in out]
    return settings.attach(_frame(out, level, version), record)


def gemaps(y: Any, sr: float, *, level: str = "functionals", as_frame: bool = False,
           unvoiced: str = "nan", win: Optional[float] = None, hop: Optional[float] = None) -> Any:
    """GeMAPS v01b features of one mono clip: :func:`egemaps` with ``version="v01b"``.

    62 functionals (:data:`GEMAPS_FUNCTIONALS`) or 18 LLDs per 10 ms (:data:`GEMAPS_LLD`),
    as ``opensmile.FeatureSet.GeMAPSv01b`` computes them.

    Parameters
    ----------
    y : array_like
        Mono signal: float (full scale 1.0) or integer PCM.
    sr : float
        Sample rate in Hz, at least 16000.
    level : {"functionals", "lld"}, default "functionals"
        As :func:`egemaps`.
    as_frame : bool, default False
        As :func:`egemaps` (settings record of ``gemaps`` / ``gemaps_lld``).
    unvoiced : {"nan", "opensmile"}, default "nan"
        As :func:`egemaps`.
    win : float or None, default None
        Functionals per window of ``win`` seconds, as :func:`egemaps`.
    hop : float or None, default None
        Seconds between windows (None: ``win``), as :func:`egemaps`.

    Returns
    -------
    numpy.ndarray, pandas.Series or pandas.DataFrame

    References
    ----------
    Eyben et al. (2016), IEEE Trans. Affective Computing 7(2); ``GeMAPSv01b.conf`` of the
    ``opensmile`` 2.6 pip package.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> y = np.sin(2 * np.pi * 200 * np.arange(16000) / 16000) * 0.1
    >>> ak.gemaps(y, 16000).shape
    (62,)
    """
    return egemaps(y, sr, level=level, as_frame=as_frame, version="v01b", unvoiced=unvoiced, win=win, hop=hop)


def egemaps_batch(signals: Sequence[Any], sr: float, *, level: str = "functionals", as_frame: bool = False,
                  n_jobs: Optional[int] = None, version: str = "v02", unvoiced: str = "nan") -> Any:
    """:func:`egemaps` of many clips in parallel on affectkit's worker pool.

    Parameters
    ----------
    signals : sequence of array_like
        Mono signals at the same rate.
    sr : float
        Their sample rate (Hz, at least 16000).
    level : {"functionals", "lld"}, default "functionals"
        As :func:`egemaps`.
    as_frame : bool, default False
        Return pandas: one DataFrame for ``level="functionals"`` (a row per clip, the columns
        of :func:`egemaps`' Series), a list of :func:`egemaps`' LLD DataFrames for
        ``level="lld"``; with the settings record in ``attrs["affectkit"]``.
    version : {"v02", "v01b"}, default "v02"
        As :func:`egemaps`.
    unvoiced : {"nan", "opensmile"}, default "nan"
        As :func:`egemaps`.
    n_jobs : int, optional
        Pool size (default: the ``AFFECTKIT_NUM_THREADS`` variable or all cores).

    Returns
    -------
    numpy.ndarray, list of numpy.ndarray, pandas.DataFrame or list of pandas.DataFrame
        A ``(n_clips, n_functionals)`` array for ``level="functionals"``, a list of
        ``(n_frames, n_lld)`` arrays for ``level="lld"``; their pandas forms with ``as_frame``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ys = [np.zeros(16000), np.ones(8000) * 0.1]
    >>> ak.egemaps_batch(ys, 16000).shape
    (2, 88)
    >>> list(ak.egemaps_batch(ys, 16000, as_frame=True).columns) == list(ak.EGEMAPS_FUNCTIONALS)
    True
    """
    if isinstance(signals, np.ndarray) and signals.ndim == 1:
        from ..errors import ParameterError

        raise ParameterError("signals: expected a list of signals, got one 1-D array; wrap it as [y]")
    _check(level, version, unvoiced)
    ys = [_signal(y, f"signals[{i}]") for i, y in enumerate(signals)]
    out = _core.audio.egemaps_batch(ys, float(sr), level, n_jobs, version, unvoiced)
    return _as_frame(out, level, version, sr) if as_frame else out


def loudness(y: Any, sr: float, *, smooth: bool = True) -> Contour:
    """eGeMAPS loudness contour, one value every 10 ms.

    Loudness is the sum over an auditory spectrum (Eyben et al. 2016, after Hermansky's PLP,
    1990): 26 mel bands (20-8000 Hz) of a 20 ms Hamming-windowed power spectrum, weighted by
    an equal-loudness curve and compressed by the power law ``^0.33``, with openSMILE's
    band weights (measured). One value per 20 ms frame (``(N - 320) // 160 + 1``, the frames
    openSMILE's loudness functionals see).

    Parameters
    ----------
    y : array_like
        Mono signal.
    sr : float
        Sample rate in Hz (at least 16000).
    smooth : bool, default True
        ``True``: ``Loudness_sma3`` (openSMILE's 3-frame moving average); ``False``: raw.

    Returns
    -------
    Contour
        One column, named as openSMILE names it: ``Loudness_sma3`` (the eGeMAPS LLD column of
        that name) with ``smooth=True``, ``Loudness`` without; ``times`` in seconds.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> t = np.arange(16000) / 16000
    >>> quiet, loud = (a * np.sin(2 * np.pi * 1000 * t) for a in (0.01, 0.1))
    >>> bool(ak.loudness(loud, 16000).values.mean() > ak.loudness(quiet, 16000).values.mean())
    True
    """
    values, times = _core.audio.loudness(_signal(y), float(sr), bool(smooth))
    return Contour(values, times, ("Loudness_sma3" if smooth else "Loudness",))
