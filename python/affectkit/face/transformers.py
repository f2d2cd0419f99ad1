"""scikit-learn transformer for face geometry (:class:`FaceGeometry`)."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from ..errors import ParameterError
from ..pooling import POOLING_STATS, pool_frames

from ._common import _landmarks, _scheme_args
from .temporal import subtract_baseline
from .landmarks import GEOMETRY_NAMES, geometry

#: Statistics :class:`FaceGeometry` pools with (NaN-aware): the pooling vocabulary,
#: :data:`affectkit.audio.POOLING_STATS` (names and definitions of :func:`affectkit.functionals`);
#: :func:`dynamics` accepts these and every other :func:`affectkit.functionals` name.
WINDOW_FUNCTIONALS: Tuple[str, ...] = POOLING_STATS


class FaceGeometry(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: a list of landmark sequences -> geometry features.

    Each item of ``X`` is one sequence ``(n_frames, n_points, 2|3)``. With
    ``neutral="median"`` each sequence's measures are taken relative to its own median
    (a per-person neutral baseline); with ``pooling`` (default ``("mean", "std")``, names
    from :data:`WINDOW_FUNCTIONALS`, NaN-aware) the output is one row per sequence,
    ``(n_sequences, n_stats * n_features)``; ``pooling=None`` returns the list of
    per-frame matrices.

    Parameters
    ----------
    scheme : str or dict, default "ibug68"
        As :func:`geometry`.
    pooling : sequence of str or None, default ("mean", "std")
        Statistics per sequence, names from :data:`WINDOW_FUNCTIONALS` (NaN-aware); None
        returns the list of per-frame matrices.
    neutral : {None, "median"}, default None
        ``"median"``: each sequence relative to its own median (:func:`subtract_baseline`).
    n_jobs : int or None, default None
        Threads of affectkit's pool (None: ``AFFECTKIT_NUM_THREADS`` or all cores).

    Examples
    --------
    >>> import affectkit as ak
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklearn.linear_model import LogisticRegression
    >>> ds = ak.datasets.make_acted_corpus(60, seed=0)
    >>> model = make_pipeline(ak.face.FaceGeometry(scheme="ibug68"), StandardScaler(), LogisticRegression())
    >>> model.fit(ds.landmarks, ds.labels).predict(ds.landmarks[:2]).shape
    (2,)
    """

    def __init__(self, scheme: Any = "ibug68", pooling: Any = ("mean", "std"), neutral: Optional[str] = None,
                 n_jobs: Optional[int] = None):
        self.scheme = scheme
        self.pooling = pooling
        self.neutral = neutral
        self.n_jobs = n_jobs

    def _stats(self) -> Optional[Tuple[str, ...]]:
        if self.pooling is None:
            return None
        stats = (self.pooling,) if isinstance(self.pooling, str) else tuple(self.pooling)
        for s in stats:
            if s not in WINDOW_FUNCTIONALS:
                raise ParameterError(f"pooling: unknown statistic {s!r}; expected None or names from {WINDOW_FUNCTIONALS}")
        return stats

    def fit(self, X: Any, y: Any = None) -> "FaceGeometry":
        """Nothing to learn; checks the parameters."""
        self._stats()
        if self.neutral not in (None, "median"):
            raise ParameterError(f"neutral: expected None or 'median', got {self.neutral!r}")
        _scheme_args(self.scheme)
        self.n_features_in_ = 1
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        stats = self._stats()
        if stats is None:
            return np.asarray(GEOMETRY_NAMES, dtype=object)
        return np.asarray([f"{n}_{s}" for s in stats for n in GEOMETRY_NAMES], dtype=object)

    def transform(self, X: Sequence[Any]) -> Any:
        """Geometry of each sequence in ``X``."""
        if isinstance(X, np.ndarray) and X.ndim == 3:
            raise ParameterError("X: expected a list of landmark sequences, got one 3-D array; wrap it as [landmarks]")
        stats = self._stats()
        out = []
        for i, seq in enumerate(X):
            a, _ = _landmarks(seq, f"X[{i}]")
            g = geometry(a, self.scheme, n_jobs=self.n_jobs)
            if self.neutral == "median":
                g = subtract_baseline(g)
            out.append(g)
        if stats is None:
            return out
        if not out:
            return np.empty((0, len(stats) * len(GEOMETRY_NAMES)))
        return np.stack([pool_frames(g, stats, skipna=True) for g in out])
