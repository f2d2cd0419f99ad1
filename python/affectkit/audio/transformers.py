"""scikit-learn transformers over lists of audio signals.

``MFCC`` and ``LogMel`` are stateless: ``fit`` learns nothing, ``transform`` maps a list of
1-D signals to either a list of ``(n_frames, n_features)`` arrays (``pooling=None``) or
one ``(n_clips, n_stats * n_features)`` matrix of per-clip statistics
(``pooling=("mean", "std")`` by default), ready for a classifier::

    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.linear_model import LogisticRegression
    import affectkit as ak

    model = make_pipeline(ak.audio.MFCC(sr=16000, preset="kaldi", deltas=1),
                          StandardScaler(), LogisticRegression())
    model.fit(list_of_signals, labels)
"""

from __future__ import annotations

import abc

from typing import Any, Optional, Sequence
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..errors import ParameterError
from .frontend import melspectrogram_batch, mfcc_batch
from .praat import PROSODY_NAMES, VOICE_QUALITY_NAMES, prosody_batch, voice_quality_batch

from ..pooling import POOLING_STATS, pool_frames

class _FrameFeatures(TransformerMixin, BaseEstimator, metaclass=abc.ABCMeta):
    def fit(self, X: Any, y: Any = None) -> "_FrameFeatures":
        """Nothing to learn; validates the parameters on an empty call."""
        self._check_pooling()
        self.n_features_in_ = 1
        return self

    def _check_pooling(self) -> Optional[Sequence[str]]:
        pooling = self.pooling
        if pooling is None:
            return None
        if isinstance(pooling, str):
            pooling = (pooling,)
        for s in pooling:
            if s not in POOLING_STATS:
                raise ParameterError(f"pooling: unknown statistic {s!r}; expected None or names from {POOLING_STATS}")
        return tuple(pooling)

    @abc.abstractmethod
    def _frames(self, X: Sequence[Any]) -> "list[np.ndarray]":
        """Per signal, its frame matrix (MFCC or LogMel)."""

    def transform(self, X: Sequence[Any]) -> Any:
        """Features of each signal in ``X`` (a list of 1-D arrays)."""
        if isinstance(X, np.ndarray) and X.ndim == 1:
            raise ParameterError("X: expected a list of signals, got one 1-D array; wrap it as [y]")
        stats = self._check_pooling()
        frames = self._frames(list(X))
        if stats is None:
            return frames
        return np.stack([pool_frames(f, stats) for f in frames]) if frames else np.empty((0, 0), np.float32)


class MFCC(_FrameFeatures):
    """scikit-learn transformer: MFCCs of each clip (:func:`affectkit.mfcc`), pooled per clip.

    Stateless: ``fit`` learns nothing; ``transform`` maps a list of 1-D signals to a
    ``(n_clips, n_stats * n_coefficients)`` matrix, or a list of frame matrices.

    Parameters
    ----------
    sr : float, default 16000
        Sample rate of the signals, Hz.
    preset : {"librosa", "kaldi", "htk"}, default "librosa"
        As :func:`affectkit.mfcc`.
    n_mfcc : int or None, default None
        Coefficients; None = the preset's own (librosa 20, Kaldi and HTK 13).
    deltas : int, default 0
        0, 1 or 2, as :func:`affectkit.mfcc`.
    pooling : sequence of str or None, default ("mean", "std")
        Statistics per clip, names from :data:`POOLING_STATS`; None returns the list of
        ``(n_frames, n)`` matrices.
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).
    params : dict or None, default None
        The preset's keywords (``help(affectkit.mfcc)`` lists them), e.g.
        ``{"num_mel_bins": 40}``.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> clips = [np.zeros(16000, np.float32), np.ones(8000, np.float32)]
    >>> ak.audio.MFCC(sr=16000, preset="kaldi").fit_transform(clips).shape
    (2, 26)
    """

    def __init__(self, sr: float = 16000, preset: str = "librosa", n_mfcc: Optional[int] = None,
                 deltas: int = 0, pooling: Any = ("mean", "std"), n_jobs: Optional[int] = None,
                 params: Optional[dict] = None):
        self.sr = sr
        self.preset = preset
        self.n_mfcc = n_mfcc
        self.deltas = deltas
        self.pooling = pooling
        self.n_jobs = n_jobs
        self.params = params

    def _frames(self, X: Sequence[Any]) -> "list[np.ndarray]":
        return mfcc_batch(X, self.sr, n_jobs=self.n_jobs, preset=self.preset, n_mfcc=self.n_mfcc,
                          deltas=self.deltas, **(self.params or {}))


class LogMel(_FrameFeatures):
    """scikit-learn transformer: log-mel energies of each clip
    (:func:`affectkit.melspectrogram` with ``log=True``: dB for librosa, natural log for
    Kaldi and HTK), pooled per clip.

    Parameters
    ----------
    sr : float, default 16000
        Sample rate of the signals, Hz.
    preset : {"librosa", "kaldi", "htk"}, default "librosa"
        As :func:`affectkit.melspectrogram`.
    n_mels : int or None, default None
        Mel bands; None = the preset's own (librosa 128, Kaldi 23, HTK 26).
    pooling : sequence of str or None, default ("mean", "std")
        Statistics per clip, names from :data:`POOLING_STATS`; None returns the list of
        ``(n_frames, n_mels)`` matrices.
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).
    params : dict or None, default None
        The preset's keywords (``help(affectkit.melspectrogram)`` lists them).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.audio.LogMel(preset="htk").fit_transform([np.ones(16000, np.float32)]).shape
    (1, 52)
    """

    def __init__(self, sr: float = 16000, preset: str = "librosa", n_mels: Optional[int] = None,
                 pooling: Any = ("mean", "std"), n_jobs: Optional[int] = None,
                 params: Optional[dict] = None):
        self.sr = sr
        self.preset = preset
        self.n_mels = n_mels
        self.pooling = pooling
        self.n_jobs = n_jobs
        self.params = params

    def _frames(self, X: Sequence[Any]) -> "list[np.ndarray]":
        p = dict(self.params or {})
        if self.n_mels is not None:
            p["n_mels"] = self.n_mels
        return melspectrogram_batch(X, self.sr, n_jobs=self.n_jobs, preset=self.preset, log=True, **p)


class Prosody(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: one row of voice measures per clip (Praat definitions).

    Stateless: ``fit`` learns nothing. Undefined values (a clip with no voiced frame) are
    NaN; impute them before an estimator that cannot take NaN.

    Parameters
    ----------
    sr : float, default 16000
        Sample rate of the signals, Hz.
    features : {"prosody", "voice_quality"}, default "prosody"
        :func:`affectkit.prosody`'s columns (:data:`affectkit.PROSODY_NAMES`) or
        :func:`affectkit.voice_quality`'s (:data:`affectkit.VOICE_QUALITY_NAMES`).
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).
    params : dict or None, default None
        Their keyword settings, Praat's names (``help(affectkit.prosody)``).

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ak.audio.Prosody(sr=16000).fit_transform([np.zeros(16000)]).shape
    (1, 13)
    """

    def __init__(self, sr: float = 16000, features: str = "prosody", n_jobs: Optional[int] = None,
                 params: Optional[dict] = None):
        self.sr = sr
        self.features = features
        self.n_jobs = n_jobs
        self.params = params

    def _names(self) -> "tuple[str, ...]":
        if self.features == "prosody":
            return PROSODY_NAMES
        if self.features == "voice_quality":
            return VOICE_QUALITY_NAMES
        raise ParameterError(f"features: expected 'prosody' or 'voice_quality', got {self.features!r}")

    def fit(self, X: Any, y: Any = None) -> "Prosody":
        """Nothing to learn; checks ``features``."""
        self._names()
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence[Any]) -> np.ndarray:
        """``(len(X), n_features)`` float64 matrix for a list of 1-D signals."""
        if isinstance(X, np.ndarray) and X.ndim == 1:
            raise ParameterError("X: expected a list of signals, got one 1-D array; wrap it as [y]")
        names = self._names()
        batch = prosody_batch if self.features == "prosody" else voice_quality_batch
        X = list(X)
        if not X:
            return np.empty((0, len(names)))
        return batch(X, self.sr, n_jobs=self.n_jobs, **(self.params or {})).to_numpy()

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Column names (:data:`affectkit.PROSODY_NAMES` or ``VOICE_QUALITY_NAMES``)."""
        return np.asarray(self._names(), dtype=object)


class EGeMAPS(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: the 88 eGeMAPS v02 functionals of each clip
    (:func:`affectkit.egemaps`; Eyben et al. 2016).

    Stateless: ``fit`` learns nothing; ``transform`` maps a list of 1-D signals at ``sr``
    Hz to a ``(n_clips, 88)`` float64 matrix whose columns are
    ``get_feature_names_out()`` (openSMILE's names). Voiced-only functionals of clips
    without voicing are NaN: put an imputer before models that cannot take NaN::

        make_pipeline(ak.audio.EGeMAPS(sr=16000), SimpleImputer(), StandardScaler(), clf)

    Parameters
    ----------
    sr : float, default 16000
        Sample rate of the signals, Hz (16 kHz or more; higher rates are resampled).
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).
    """

    def __init__(self, sr: float = 16000, n_jobs: Optional[int] = None):
        self.sr = sr
        self.n_jobs = n_jobs

    def fit(self, X: Any, y: Any = None) -> "EGeMAPS":
        """Nothing to learn."""
        self.n_features_in_ = 1
        return self

    def transform(self, X: Sequence[Any]) -> np.ndarray:
        """eGeMAPS functionals of each signal in ``X`` (a list of 1-D arrays)."""
        from .opensmile import egemaps_batch

        if isinstance(X, np.ndarray) and X.ndim == 1:
            raise ParameterError("X: expected a list of signals, got one 1-D array; wrap it as [y]")
        return egemaps_batch(list(X), self.sr, n_jobs=self.n_jobs)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The 88 openSMILE column names."""
        from .opensmile import EGEMAPS_FUNCTIONALS

        return np.asarray(EGEMAPS_FUNCTIONALS, dtype=object)
