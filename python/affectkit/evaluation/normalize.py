"""Per-speaker and per-corpus feature normalisation, the most common trick in speech
emotion recognition (e.g. Busso et al. 2011; Schuller et al. 2010 for cross-corpus work).

:class:`SpeakerNormalizer` z-scores every feature with the mean and standard deviation of
the row's own speaker; :class:`CorpusNormalizer` does the same per corpus. Both are
scikit-learn transformers that take the groups in ``fit`` and ``transform`` and request
them through metadata routing, so inside a pipeline::

    import sklearn
    sklearn.set_config(enable_metadata_routing=True)
    pipe = make_pipeline(ak.SpeakerNormalizer(), ak.EmotionClassifier())
    pipe.fit(X, y, groups=speakers); pipe.predict(X_test, groups=test_speakers)

(:func:`affectkit.evaluation.cross_validate` routes the speakers itself).

A speaker first seen at transform time (the test speaker of a leave-one-speaker-out
fold) is normalised with its own statistics, computed from the rows it has in that call:
the usual practice, and it needs no label. A speaker seen in fit keeps its fitted
statistics.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from ..errors import InputTypeError, ParameterError

__all__ = ["SpeakerNormalizer", "CorpusNormalizer"]


def _stats(X: np.ndarray) -> "tuple[np.ndarray, np.ndarray]":
    """Mean and scale of the rows as ``StandardScaler`` computes them: NaN ignored,
    population standard deviation, a zero (or all-NaN) deviation gives scale 1."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column: NaN statistics
        mean = np.nanmean(X, axis=0)
        std = np.nanstd(X, axis=0)
    # StandardScaler's test for a constant feature (sklearn.preprocessing._data._is_constant_feature)
    eps = np.finfo(np.float64).eps
    n = np.sum(~np.isnan(X), axis=0)
    var = std ** 2
    constant = ~(var > n * eps * var + (n * np.nan_to_num(mean) * eps) ** 2)
    scale = np.where(constant, 1.0, std)
    return mean, scale


class _GroupNormalizer(TransformerMixin, BaseEstimator):
    """Shared implementation: z-scores per group; ``_key`` names the metadata argument."""

    _key = "groups"

    def __init__(self, with_mean: bool = True, with_std: bool = True) -> None:
        self.with_mean = with_mean
        self.with_std = with_std

    def _array(self, X: Any) -> np.ndarray:
        if hasattr(X, "to_numpy"):
            X = X.to_numpy()
        A = np.asarray(X)
        if A.dtype.kind not in "fiub":
            raise InputTypeError(f"X: expected numeric features, got dtype {A.dtype}")
        if A.ndim != 2:
            raise ParameterError(f"X: expected a 2-D array (n_samples, n_features), got shape {A.shape}")
        return A

    def _groups(self, groups: Any, n: int, method: str) -> np.ndarray:
        if groups is None:
            raise ParameterError(f"{self._key}: {type(self).__name__}.{method} needs the {self._noun} of each row "
                                 f"({self._key}=...; in a pipeline enable scikit-learn metadata routing)")
        g = np.asarray(groups)
        if g.ndim != 1 or len(g) != n:
            raise ParameterError(f"{self._key}: expected one {self._noun} per row of X ({n}), got shape {g.shape}")
        return g.astype(str)

    def _fit(self, X: Any, groups: Any) -> Any:
        A = self._array(X)
        g = self._groups(groups, len(A), "fit")
        self.n_features_in_ = A.shape[1]
        if hasattr(X, "columns"):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.stats_ = {k: _stats(A[g == k].astype(np.float64)) for k in np.unique(g)}
        return self

    def _transform(self, X: Any, groups: Any) -> np.ndarray:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "stats_")
        A = self._array(X)
        if A.shape[1] != self.n_features_in_:
            raise ParameterError(f"X: expected {self.n_features_in_} features (as in fit), got {A.shape[1]}")
        g = self._groups(groups, len(A), "transform")
        out_dtype = A.dtype if A.dtype.kind == "f" else np.float64
        F = A.astype(np.float64)
        out = np.empty_like(F)
        for k in np.unique(g):
            rows = g == k
            mean, scale = self.stats_[k] if k in self.stats_ else _stats(F[rows])
            Z = F[rows]
            if self.with_mean:
                Z = Z - mean
            if self.with_std:
                Z = Z / scale
            out[rows] = Z
        return out.astype(out_dtype, copy=False)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The output column names: the input's.

        Parameters
        ----------
        input_features : array-like of str or None, default None
            Input names (default: ``feature_names_in_`` or ``x0, x1, ...``).

        Returns
        -------
        numpy.ndarray of str
        """
        from sklearn.utils.validation import _check_feature_names_in

        return _check_feature_names_in(self, input_features)


class SpeakerNormalizer(_GroupNormalizer):
    """Per-speaker z-normalisation of features: ``(x - mean_s) / std_s`` with the mean and
    (population) standard deviation of the row's speaker ``s``.

    Equals a scikit-learn ``StandardScaler`` fitted on each speaker's rows (NaN ignored in
    the statistics and kept in the output; a constant feature gets scale 1), to 1e-12 in
    float64 (the tests check it). float32 input gives float32 output computed in float64:
    within 1e-6 of that float64 result (``StandardScaler``'s own float32 path accumulates
    in float32 and differs by about 4e-6). A speaker first seen in ``transform`` is normalised with its own statistics
    from the rows it has in that call (the test speaker of a speaker-independent fold);
    statistics fitted for a speaker are reused when it comes back.

    ``fit`` and ``transform`` take ``groups`` (the speaker per row) and request it
    through scikit-learn metadata routing, so a pipeline passes it on once routing is
    enabled (``sklearn.set_config(enable_metadata_routing=True)``);
    :func:`affectkit.evaluation.cross_validate` does that for you.

    Parameters
    ----------
    with_mean : bool, default True
        Subtract the speaker's mean.
    with_std : bool, default True
        Divide by the speaker's standard deviation.

    Attributes
    ----------
    stats_ : dict
        ``{speaker: (mean, scale)}`` fitted per speaker (arrays of ``n_features``).
    n_features_in_ : int
        Features seen in fit.
    feature_names_in_ : numpy.ndarray of str
        Column names of a DataFrame ``X`` seen in fit (absent for arrays).

    References
    ----------
    .. [1] C. Busso, A. Metallinou and S. Narayanan, "Iterative feature normalization for
       emotional speech detection", ICASSP 2011.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> X = np.array([[1.0], [3.0], [10.0], [30.0]])
    >>> ak.SpeakerNormalizer().fit_transform(X, groups=["a", "a", "b", "b"]).ravel().tolist()
    [-1.0, 1.0, -1.0, 1.0]
    """

    _key = "groups"
    _noun = "speaker"
    __metadata_request__fit = {"groups": True}
    __metadata_request__transform = {"groups": True}

    def fit(self, X: Any, y: Any = None, groups: Any = None) -> "SpeakerNormalizer":
        """Computes each speaker's mean and standard deviation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features (NaN allowed: ignored in the statistics).
        y : None, default None
            Ignored.
        groups : array-like of shape (n_samples,), default None
            The speaker of each row (required: None raises ``ParameterError``).

        Returns
        -------
        SpeakerNormalizer
            ``self``, fitted.
        """
        return self._fit(X, groups)

    def transform(self, X: Any, groups: Any = None) -> np.ndarray:
        """z-scores each row with its speaker's statistics (an unseen speaker's own).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.
        groups : array-like of shape (n_samples,), default None
            The speaker of each row (required: None raises ``ParameterError``).

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_features)
            float32 for float32 input, else float64.
        """
        return self._transform(X, groups)

    def fit_transform(self, X: Any, y: Any = None, groups: Any = None) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform` of the same rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.
        y : None, default None
            Ignored.
        groups : array-like of shape (n_samples,), default None
            The speaker of each row (required: None raises ``ParameterError``).

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_features)
        """
        return self._fit(X, groups)._transform(X, groups)


class CorpusNormalizer(_GroupNormalizer):
    """Per-corpus z-normalisation: :class:`SpeakerNormalizer`'s computation with the corpus
    of each row as the group (for cross-corpus work: each corpus's recording conditions
    are removed before training on one and testing on another; Schuller et al. 2010).

    ``fit`` and ``transform`` take ``corpus`` (requested through metadata routing under
    that name, so one pipeline can hold both normalisers); a corpus first seen in
    ``transform`` uses its own statistics.

    Parameters
    ----------
    with_mean : bool, default True
        Subtract the corpus's mean.
    with_std : bool, default True
        Divide by the corpus's standard deviation.

    Attributes
    ----------
    stats_ : dict
        ``{corpus: (mean, scale)}``.
    n_features_in_ : int
        Features seen in fit.
    feature_names_in_ : numpy.ndarray of str
        Column names of a DataFrame ``X`` seen in fit (absent for arrays).

    References
    ----------
    .. [1] B. Schuller, B. Vlasenko, F. Eyben, M. Wöllmer, A. Stuhlsatz, A. Wendemuth and
       G. Rigoll, "Cross-corpus acoustic emotion recognition: variances and strategies",
       IEEE Transactions on Affective Computing 1(2), 119-131, 2010.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> X = np.array([[1.0], [3.0], [10.0], [30.0]])
    >>> ak.evaluation.CorpusNormalizer().fit_transform(X, corpus=["a", "a", "b", "b"]).ravel().tolist()
    [-1.0, 1.0, -1.0, 1.0]
    """

    _key = "corpus"
    _noun = "corpus"
    __metadata_request__fit = {"corpus": True}
    __metadata_request__transform = {"corpus": True}

    def fit(self, X: Any, y: Any = None, corpus: Any = None) -> "CorpusNormalizer":
        """Computes each corpus's mean and standard deviation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.
        y : None, default None
            Ignored.
        corpus : array-like of shape (n_samples,), default None
            The corpus of each row (required: None raises ``ParameterError``).

        Returns
        -------
        CorpusNormalizer
            ``self``, fitted.
        """
        return self._fit(X, corpus)

    def transform(self, X: Any, corpus: Any = None) -> np.ndarray:
        """z-scores each row with its corpus's statistics.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.
        corpus : array-like of shape (n_samples,), default None
            The corpus of each row (required: None raises ``ParameterError``).

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_features)
        """
        return self._transform(X, corpus)

    def fit_transform(self, X: Any, y: Any = None, corpus: Any = None) -> np.ndarray:
        """:meth:`fit`, then :meth:`transform` of the same rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.
        y : None, default None
            Ignored.
        corpus : array-like of shape (n_samples,), default None
            The corpus of each row (required: None raises ``ParameterError``).

        Returns
        -------
        numpy.ndarray of shape (n_samples, n_features)
        """
        return self._fit(X, corpus)._transform(X, corpus)
