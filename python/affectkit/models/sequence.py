""":class:`SequenceClassifier`: a classifier over variable-length frame sequences (pooling or attention)."""

from __future__ import annotations

from numbers import Integral
from typing import Any, Optional
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted
from .. import _core
from ..errors import ParameterError

from ._network import _WrapsNetwork, _apply_scaling, _check_settings, _documented, _fit_scaling, _group_kw, _groups, _sample_weights, _settings_of, _times, _unscaled_clone, _wrapper_scales
from ._state import _as_f32
from ._state import _expect, _keep_fit, _opt_f32, _record_from_state, _vector
from .classifier import EmotionClassifier

@_documented
class SequenceClassifier(_WrapsNetwork, ClassifierMixin, BaseEstimator):
    """Classifier over variable-length sequences of frame features (one label per sequence).

    ``fit(X, y)`` takes ``X`` as a list of ``(n_frames_i, n_features)`` arrays. Frames
    containing NaN (e.g. no face found) are masked out; a sequence with no frame left is
    an error naming it.

    - ``pooling="mean"`` (masked mean) or ``"mean_std"`` (appends the standard deviation;
      statistics pooling, Snyder et al. 2018): each sequence is pooled and ``estimator``
      is trained on the pooled vectors (and standardizes them, with its
      ``standardize=True``). Parameter-free pooling followed by the network is the same
      model as pooling inside it.
    - ``pooling="attention"``: one network trained end to end in Rust: an optional 1-D
      convolution front (``conv_channels`` filters of ``conv_kernel`` frames, ReLU, zero
      "same" padding; 0 channels = none), attention pooling (a score
      ``v . tanh(W h_t)`` per frame with ``attention_dim`` hidden units, tanh computed
      as its clamped [3/2] Padé approximant, max error 0.024; padding and NaN frames
      set to -inf before the softmax over frames; Yang et al. 2016, as used for speech
      emotion recognition by Mirsamadi et al. 2017), then an MLP head with
      ``estimator``'s ``hidden_layer_sizes``. ``estimator`` (an
      :class:`EmotionClassifier`) supplies every training setting; with its
      ``standardize=True`` (the default) every frame feature is z-scored with its mean
      and standard deviation over all training frames (``input_mean_``/``input_scale_``,
      kept in model files). Sequences of any length share minibatches (zero padding,
      masked). :meth:`attention_weights` returns each sequence's weights over its frames.

    Parameters
    ----------
    estimator : EmotionClassifier or classifier, default None
        The classifier of the pooled vectors, or (attention) the source of the training
        settings; None is ``EmotionClassifier()``.
    pooling : {"mean", "mean_std", "attention"}, default 'mean'
        How a sequence becomes one vector (above).
    conv_channels : int, default 0
        Filters of the convolution front (attention only; 0 = none).
    conv_kernel : int, default 3
        Width of the convolution in frames.
    attention_dim : int, default 16
        Hidden units of the attention scorer (16 was as accurate as 32 on a short-event
        task and about 2x faster to train).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    estimator_ : EmotionClassifier or classifier
        The fitted classifier (pooling) or the holder of the trained attention network.
    n_frame_features_ : int
        Features per frame.
    feature_settings_ : dict or None
        The feature-settings record the sequences carried (of ``X`` or of its first
        element), None when none did; predictions on sequences with other settings
        raise :class:`~affectkit.errors.SettingsMismatchError`.
    input_mean_, input_scale_ : ndarray of shape (n_features,)
        Training mean and standard deviation of each frame feature over all training
        frames (attention pooling with ``standardize=True`` only).

    References
    ----------
    .. [1] Z. Yang, D. Yang, C. Dyer, X. He, A. Smola and E. Hovy, "Hierarchical attention
       networks for document classification", NAACL-HLT 2016.
    .. [2] S. Mirsamadi, E. Barsoum and C. Zhang, "Automatic speech emotion recognition
       using recurrent neural networks with local attention", ICASSP 2017.
    .. [3] D. Snyder, D. Garcia-Romero, G. Sell, D. Povey and S. Khudanpur, "X-vectors:
       robust DNN embeddings for speaker recognition", ICASSP 2018.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> y = np.arange(60) % 2
    >>> seqs = [rng.normal(loc=c, size=(rng.integers(5, 40), 3)) for c in y]
    >>> seq = ak.SequenceClassifier(ak.EmotionClassifier((8,), random_state=0)).fit(seqs, y)
    >>> bool(seq.score(seqs, y) > 0.95)
    True
    >>> att = ak.SequenceClassifier(ak.EmotionClassifier((8,), random_state=0), pooling="attention").fit(seqs, y)
    >>> bool(att.score(seqs, y) > 0.95)
    True
    """

    def __init__(self, estimator: Any = None, *, pooling: str = "mean", conv_channels: int = 0,
                 conv_kernel: int = 3, attention_dim: int = 16) -> None:
        self.estimator = estimator
        self.pooling = pooling
        self.conv_channels = conv_channels
        self.conv_kernel = conv_kernel
        self.attention_dim = attention_dim

    def _frames(self, X: Any, fitting: bool) -> "list[np.ndarray]":
        if self.pooling not in ("mean", "mean_std", "attention"):
            raise ParameterError(f"pooling: expected 'mean', 'mean_std' or 'attention', got {self.pooling!r}")
        if not fitting:
            _check_settings(getattr(self, "feature_settings_", None), _sequence_table(X), "this SequenceClassifier")
        seqs = _sequence_list(X, None if fitting else self.n_frame_features_)
        if fitting:
            self.n_frame_features_ = int(seqs[0].shape[1])
        return seqs

    def _pool(self, X: Any, fitting: bool) -> np.ndarray:
        pooled = []
        for s in self._frames(X, fitting):
            frames = s[~np.isnan(s).any(axis=1)]
            stats = [frames.mean(axis=0)]
            if self.pooling == "mean_std":
                stats.append(frames.std(axis=0))
            pooled.append(np.concatenate(stats))
        return np.vstack(pooled)

    def _conv_args(self) -> "tuple[int, int, int]":
        args = (self.conv_channels, self.conv_kernel, self.attention_dim)
        for name, v, least in zip(("conv_channels", "conv_kernel", "attention_dim"), args, (0, 1, 1)):
            if not isinstance(v, Integral) or isinstance(v, bool) or v < least:
                raise ParameterError(f"{name}: expected an integer >= {least}, got {v!r}")
        if self.pooling != "attention" and self.conv_channels:
            raise ParameterError("conv_channels: the convolution front needs pooling='attention'")
        return int(args[0]), int(args[1]), int(args[2])

    @_documented
    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> "SequenceClassifier":
        """Pools each sequence and trains ``estimator`` on the pooled vectors, or trains the
        attention network.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            One frame matrix per sequence (any lengths); frames with NaN are masked.
        y : array-like of shape (n_sequences,)
            One label per sequence.
        {fit_weights}

        Returns
        -------
        SequenceClassifier
            ``self``, fitted.
        """
        conv_channels, conv_kernel, attention_dim = self._conv_args()
        template = EmotionClassifier() if self.estimator is None else self.estimator
        self.feature_settings_ = _settings_of(_sequence_table(X))
        for name in ("input_mean_", "input_scale_"):
            self.__dict__.pop(name, None)
        if self.pooling != "attention":
            weigh = {} if sample_weight is None else {"sample_weight": sample_weight}
            est = clone(template)
            pooled = self._pool(X, fitting=True)
            self.estimator_ = est.fit(pooled, y, **weigh, **_group_kw(est, _groups(groups, len(pooled))))
            self.classes_ = self.estimator_.classes_
            return self
        if not isinstance(template, EmotionClassifier):
            raise ParameterError(
                f"estimator: pooling='attention' takes its settings from an EmotionClassifier, got {type(template).__name__}"
            )
        seqs = self._frames(X, fitting=True)
        y = np.asarray(y)
        if len(y) != len(seqs):
            raise ParameterError(f"y: expected {len(seqs)} labels (one per sequence), got {len(y)}")
        lengths = [len(s) for s in seqs]
        frames = np.vstack(seqs)
        sw = _sample_weights(sample_weight, y)
        if _wrapper_scales(template):
            usable = ~np.isnan(frames).any(axis=1)
            per_frame = None if sw is None else np.repeat(sw, lengths)[usable]
            self.input_mean_, self.input_scale_ = _fit_scaling(frames[usable], per_frame)
            frames = self._scale(frames)
        est = _unscaled_clone(template)  # holds the settings, classes and the trained network
        targets, weights = est._encode_targets(y)
        _keep_fit(est, _core.models.fit_sequence(
            _as_f32(frames), lengths, targets, _opt_f32(_times(weights, sw)), conv_channels, conv_kernel,
            attention_dim, est._settings(len(seqs), groups), est.n_jobs,
        ))
        self.estimator_ = est
        self.classes_ = est.classes_
        return self

    def _scale(self, frames: np.ndarray) -> np.ndarray:
        """Frames z-scored with the training statistics (NaN stays NaN: the frame is masked)."""
        if not hasattr(self, "input_mean_"):
            return frames
        return _apply_scaling(frames, self.input_mean_, self.input_scale_, impute=False)

    def _attention(self, X: Any) -> "tuple[np.ndarray, list[np.ndarray]]":
        seqs = self._frames(X, fitting=False)
        est = self.estimator_
        frames = self._scale(np.vstack(seqs))
        proba, weights = est.network_.predict_sequence(_as_f32(frames), [len(s) for s in seqs], est.n_jobs)
        bounds = np.cumsum([len(s) for s in seqs])[:-1]
        return proba.astype(np.float64), [w.astype(np.float64) for w in np.split(weights, bounds)]

    def _inners(self) -> "dict[str, Any]":
        check_is_fitted(self, "estimator_")
        return {"estimator": self.estimator_}

    def _wrapper_state(self) -> "dict[str, Any]":
        state: "dict[str, Any]" = {"n_frame_features_": int(self.n_frame_features_),
                                   "feature_settings_": self.feature_settings_}
        if hasattr(self, "input_mean_"):
            state["input_mean_"] = self.input_mean_.tolist()
            state["input_scale_"] = self.input_scale_.tolist()
        return state

    def _restore_wrapper(self, inners: "dict[str, Any]", state: "dict[str, Any]") -> None:
        self.n_frame_features_ = int(state["n_frame_features_"])
        _expect(list(inners) == ["estimator"], "a sequence model holds one network named 'estimator'")
        self.estimator_ = inners["estimator"]
        self.classes_ = self.estimator_.classes_
        width = self.n_frame_features_ * (2 if self.pooling == "mean_std" else 1)
        _expect(self.estimator_.network_.n_inputs == width,
                f"the network does not take the {width} inputs of {self.pooling!r} pooling")
        self.feature_settings_ = _record_from_state(state["feature_settings_"])
        if "input_mean_" in state:
            _expect(self.pooling == "attention", "only attention pooling scales the frames itself")
            self.input_mean_ = _vector(state["input_mean_"], self.n_frame_features_, "input_mean_")
            self.input_scale_ = _vector(state["input_scale_"], self.n_frame_features_, "input_scale_")

    def attention_weights(self, X: Any) -> "list[np.ndarray]":
        """Attention weights of each sequence over its frames.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            Sequences, as in fit.

        Returns
        -------
        list of ndarray of shape (n_frames_i,)
            Per sequence, 0 for NaN frames, summing to 1.
        """
        check_is_fitted(self, "estimator_")
        if self.pooling != "attention":
            raise ParameterError("attention_weights: only a pooling='attention' model has attention")
        return self._attention(X)[1]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities per sequence.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            Raw sequences, as in fit.

        Returns
        -------
        ndarray of shape (n_sequences, n_classes)
        """
        check_is_fitted(self, "estimator_")
        if self.pooling == "attention":
            p = self._attention(X)[0]
            return p / p.sum(axis=1, keepdims=True)
        return self.estimator_.predict_proba(self._pool(X, fitting=False))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class per sequence.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            Raw sequences, as in fit.

        Returns
        -------
        ndarray of shape (n_sequences,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


def _sequence_table(X: Any) -> Any:
    """What carries the settings of sequences ``X``: ``X`` itself, or its first element
    (a list of per-clip DataFrames)."""
    if hasattr(X, "attrs") or not isinstance(X, (list, tuple)) or not X:
        return X
    return X[0]


def _sequence_list(X: Any, width: "Optional[int]", nan_frames: bool = False) -> "list[np.ndarray]":
    """``X`` as a list of float64 ``(n_frames, width)`` arrays (``width`` None: that of the
    first); each needs a frame without NaN, or (``nan_frames``) just one frame. Errors name
    ``X[i]``."""
    if isinstance(X, np.ndarray) and X.ndim == 2:
        raise ParameterError("X: expected a list of (n_frames, n_features) arrays, got one 2-D array")
    try:
        seqs = [np.asarray(s, dtype=np.float64) for s in X]
    except (TypeError, ValueError) as e:
        raise ParameterError(f"X: expected a list of (n_frames, n_features) arrays ({e})") from None
    if not seqs:
        raise ParameterError("X: expected at least one sequence")
    if width is None:
        width = seqs[0].shape[-1] if seqs[0].ndim else 0
    for i, s in enumerate(seqs):
        if s.ndim != 2 or s.shape[1] != width or width == 0:
            raise ParameterError(f"X[{i}]: expected a (n_frames, {width}) array, got shape {s.shape}")
        if len(s) == 0 or (not nan_frames and np.isnan(s).any(axis=1).all()):
            raise ParameterError(f"X[{i}]: the sequence has no frames without NaN")
    return seqs
