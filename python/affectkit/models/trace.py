""":class:`SequenceRegressor`: time-continuous regression, one output per frame (valence and arousal traces)."""

from __future__ import annotations

from numbers import Integral
from typing import Any, Optional

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .. import _core
from ..errors import ParameterError
from ._network import _Network, _apply_scaling, _check_settings, _documented, _fit_scaling, _sample_weights
from ._state import _as_f32, _expect, _keep_fit, _opt_f32
from .sequence import _sequence_list, _sequence_table


@_documented
class SequenceRegressor(_Network):
    """Time-continuous regressor: one prediction per frame of variable-length sequences
    (valence and arousal traces as in RECOLA / AVEC).

    ``fit(X, y)`` takes ``X`` as a list of ``(n_frames_i, n_features)`` frame matrices
    and ``y`` as a list of traces of the same lengths, ``(n_frames_i,)`` or
    ``(n_frames_i, n_targets)``; ``predict`` returns a list of traces. The network,
    trained in Rust (Burn) as one model: an optional 1-D convolution front
    (``conv_channels`` filters of ``conv_kernel`` frames, ReLU, zero "same" padding, as
    in :class:`SequenceClassifier`), a context layer, and an MLP head
    (``hidden_layer_sizes``; ``()`` = linear read-out) applied to every frame.

    ``context="gru"`` (default) is a unidirectional GRU of ``context_dim`` units (Cho et
    al. 2014; PyTorch's gate layout). It is causal on purpose: an annotator's rating at
    time t reflects what they perceived up to t, seconds late (Mariooryad and Busso
    2015), so the past is what a frame needs; a causal model also runs on a stream.
    Recurrent models are the classic RECOLA / AVEC approach (Ringeval et al. 2015;
    Trigeorgis et al. 2016). ``context="none"`` predicts each frame from its own
    (convolved) features, a baseline. Self-attention is not offered: it would need
    position encodings to learn a delay, and it cannot run on a stream.

    ``loss="ccc"`` minimises 1 - CCC (Lin 1989) over the concatenated rated frames of a
    minibatch of sequences, per target column, averaged: the way AVEC scores a partition
    (the concatenation; Valstar et al. 2016) and Trigeorgis et al. (2016) trained; use
    ``batch_size`` of several sequences. ``loss="mse"`` is the mean squared error per
    rated frame. A NaN in ``y`` marks an unrated frame (left out of the loss); padding
    frames are never in the loss (the rated frames are gathered before the head, so
    extra padding changes nothing). ``sample_weight`` weighs each sequence's frames.

    Traces must have as many frames as their feature matrix: a trace of another length
    is a :class:`~affectkit.errors.ParameterError` naming it (``y[i]``), not resampled
    silently (a mismatch usually means another frame rate or hop). Resample first, e.g.
    ``np.interp(feature_times, trace_times, trace)`` or
    :func:`affectkit.labels.align_traces` with ``target_fps``.

    With ``standardize=True`` (the default) every frame feature is z-scored with its mean
    and standard deviation over all training frames (``input_mean_``/``input_scale_``,
    kept in model files); NaN features count as the training mean. With
    ``standardize=False`` X must be finite.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default ()
        Widths of the per-frame head's hidden layers; ``()`` = a linear read-out of the
        context.
    context : {"gru", "none"}, default 'gru'
        The context layer (above).
    context_dim : int, default 32
        GRU units.
    conv_channels : int, default 0
        Filters of the convolution front (0 = none).
    conv_kernel : int, default 3
        Width of the convolution in frames.
    loss : {"ccc", "mse"}, default 'ccc'
        Training objective (above).
    activation : {"relu", "gelu", "tanh"}, default 'relu'
        Nonlinearity of the head's hidden layers.
    dropout : float, default 0.0
        Dropout on the head's hidden units.
    layer_norm : bool, default False
        Layer normalisation in the head.
    optimizer : {"adam", "adamw"}, default 'adam'
        See :class:`EmotionRegressor`.
    alpha : float, default 0.0001
        L2 penalty (Adam) or weight decay (AdamW).
    learning_rate_init : float, default 0.005
        Adam's step size.
    lr_schedule : {"constant", "cosine"}, default 'constant'
        Learning-rate schedule.
    batch_size : int or "auto", default 8
        Sequences per minibatch ("auto": ``min(200, n_sequences)``).
    max_epochs : int, default 100
        Passes over the sequences at most.
    tol : float, default 0.0001
        Improvement of the watched loss that counts as progress.
    early_stopping : bool, default False
        Hold out ``validation_fraction`` of the sequences (of the groups with ``groups``).
    validation_fraction : float, default 0.1
        Share held out by ``early_stopping``.
    n_iter_no_change : int, default 10
        Epochs without improvement before training stops.
    standardize : bool, default True
        z-score the frame features (above).
    {run_parameters}

    Attributes
    ----------
    n_features_in_ : int
        Features per frame.
    n_outputs_ : int
        Target columns.
    network_ : affectkit._core.models.Network
        The trained network.
    feature_settings_ : dict or None
        Feature-settings record of the sequences (of ``X`` or its first element).
    input_mean_, input_scale_ : ndarray of shape (n_features,)
        Training statistics of the frame features (``standardize=True``).
    loss_curve_, validation_loss_, best_epoch_, validation_indices_, n_iter_
        Training history, as in :class:`EmotionRegressor` (indices are sequences).

    See Also
    --------
    affectkit.metrics.ccc_over_time, affectkit.evaluation.TracePostprocessor

    References
    ----------
    .. [1] K. Cho et al., "Learning phrase representations using RNN encoder-decoder for
       statistical machine translation", EMNLP 2014.
    .. [2] G. Trigeorgis et al., "Adieu features? End-to-end speech emotion recognition
       using a deep convolutional recurrent network", ICASSP 2016.
    .. [3] F. Ringeval et al., "Prediction of asynchronous dimensional emotion ratings
       from audiovisual and physiological data", Pattern Recognition Letters 66, 2015.
    .. [4] M. Valstar et al., "AVEC 2016: depression, mood, and emotion recognition
       workshop and challenge", AVEC 2016.
    .. [5] S. Mariooryad and C. Busso, "Correcting time-continuous emotional labels by
       modeling the reaction lag of evaluators", IEEE Trans. Affective Computing 6(2), 2015.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> X = [rng.normal(size=(n, 2)) for n in rng.integers(40, 80, size=24)]
    >>> y = [np.convolve(x[:, 0], np.ones(5) / 5)[:len(x)] for x in X]   # a running mean of feature 0
    >>> reg = ak.SequenceRegressor(context_dim=16, random_state=0).fit(X, y)
    >>> [p.shape for p in reg.predict(X[:2])] == [(len(X[0]),), (len(X[1]),)]
    True
    >>> bool(reg.score(X, y) > 0.9)
    True
    """

    def __init__(
        self,
        hidden_layer_sizes: "tuple[int, ...]" = (),
        *,
        context: str = "gru",
        context_dim: int = 32,
        conv_channels: int = 0,
        conv_kernel: int = 3,
        loss: str = "ccc",
        activation: str = "relu",
        dropout: float = 0.0,
        layer_norm: bool = False,
        optimizer: str = "adam",
        alpha: float = 1e-4,
        learning_rate_init: float = 5e-3,
        lr_schedule: str = "constant",
        batch_size: "int | str" = 8,
        max_epochs: int = 100,
        tol: float = 1e-4,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        standardize: bool = True,
        random_state: Any = None,
        n_jobs: Optional[int] = None,
    ) -> None:
        super().__init__(
            hidden_layer_sizes,
            activation=activation,
            dropout=dropout,
            layer_norm=layer_norm,
            optimizer=optimizer,
            alpha=alpha,
            learning_rate_init=learning_rate_init,
            lr_schedule=lr_schedule,
            batch_size=batch_size,
            max_epochs=max_epochs,
            tol=tol,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            n_iter_no_change=n_iter_no_change,
            standardize=standardize,
            random_state=random_state,
            n_jobs=n_jobs,
        )
        self.context = context
        self.context_dim = context_dim
        self.conv_channels = conv_channels
        self.conv_kernel = conv_kernel
        self.loss = loss

    def _shape(self) -> "tuple[int, int, str, int]":
        for name, least in (("context_dim", 1), ("conv_channels", 0), ("conv_kernel", 1)):
            v = getattr(self, name)
            if not isinstance(v, Integral) or isinstance(v, bool) or v < least:
                raise ParameterError(f"{name}: expected an integer >= {least}, got {v!r}")
        if self.context not in ("gru", "none"):
            raise ParameterError(f"context: expected 'gru' or 'none', got {self.context!r}")
        if self.loss not in ("ccc", "mse"):
            raise ParameterError(f"loss: expected 'ccc' or 'mse', got {self.loss!r}")
        return int(self.conv_channels), int(self.conv_kernel), str(self.context), int(self.context_dim)

    def _frames(self, X: Any, fitting: bool) -> "tuple[list[np.ndarray], np.ndarray]":
        """The sequences and their frames stacked and scaled (float64)."""
        if not fitting:
            _check_settings(getattr(self, "feature_settings_", None), _sequence_table(X), "this SequenceRegressor")
        seqs = _sequence_list(X, None if fitting else self.n_features_in_, nan_frames=True)
        frames = np.vstack(seqs)
        if np.isinf(frames).any():
            bad = next(i for i, s in enumerate(seqs) if np.isinf(s).any())
            raise ParameterError(f"X[{bad}]: contains infinity")
        if not self.standardize and np.isnan(frames).any():
            bad = next(i for i, s in enumerate(seqs) if np.isnan(s).any())
            raise ParameterError(f"X[{bad}]: contains NaN (allowed with standardize=True, as the training mean)")
        return seqs, frames

    def _targets(self, y: Any, seqs: "list[np.ndarray]") -> np.ndarray:
        """The traces stacked ``(total_frames, n_targets)``; sets ``n_outputs_`` and the layout."""
        if isinstance(y, np.ndarray) and y.ndim >= 1 and len(seqs) == 1 and len(y) == len(seqs[0]) and y.dtype != object:
            y = [y]
        try:
            traces = [np.asarray(t, dtype=np.float64) for t in y]
        except (TypeError, ValueError) as e:
            raise ParameterError(f"y: expected a list of (n_frames,) or (n_frames, n_targets) traces ({e})") from None
        if len(traces) != len(seqs):
            raise ParameterError(f"y: expected {len(seqs)} traces (one per sequence of X), got {len(traces)}")
        ndim = traces[0].ndim
        width = 1 if ndim == 1 else (traces[0].shape[1] if ndim == 2 else 0)
        for i, (t, s) in enumerate(zip(traces, seqs)):
            if t.ndim != ndim or t.ndim not in (1, 2) or (t.ndim == 2 and t.shape[1] != width) or width == 0:
                raise ParameterError(f"y[{i}]: expected a {'(n_frames,)' if ndim == 1 else f'(n_frames, {width})'} "
                                     f"trace like y[0], got shape {t.shape}")
            if len(t) != len(s):
                raise ParameterError(
                    f"y[{i}]: the trace has {len(t)} frames, X[{i}] has {len(s)}; traces are not resampled "
                    "silently: resample the trace to the feature frames first (np.interp, or "
                    "ak.labels.align_traces(..., target_fps=...))")
            if np.isinf(t).any():
                raise ParameterError(f"y[{i}]: contains infinity")
            if np.isnan(t).all():
                raise ParameterError(f"y[{i}]: the trace has no rated frame (all NaN)")
        self.n_outputs_ = int(width)
        self._y_ndim = int(ndim)
        return np.vstack([t.reshape(len(t), width) for t in traces])

    def _scale(self, frames: np.ndarray) -> np.ndarray:
        if not self.standardize:
            return frames
        return _apply_scaling(frames, self.input_mean_, self.input_scale_, impute=True)

    @_documented
    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> "SequenceRegressor":
        """Trains on frame sequences ``X`` and per-frame traces ``y``.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            One frame matrix per sequence (recording).
        y : list of array-like of shape (n_frames_i,) or (n_frames_i, n_targets)
            One trace per sequence, as many frames as its ``X[i]``; NaN = unrated frame.
        sample_weight : array-like of shape (n_sequences,) or None, default None
            Non-negative weight per sequence (weighs each of its frames).
        groups : array-like of shape (n_sequences,) or None, default None
            Group of each sequence (e.g. speaker): early stopping holds out whole groups.

        Returns
        -------
        SequenceRegressor
            ``self``, fitted.
        """
        conv_channels, conv_kernel, context, context_dim = self._shape()
        self._start_fit(_sequence_table(X))
        self.__dict__.pop("n_features_in_", None)
        seqs, frames = self._frames(X, fitting=True)
        targets = self._targets(y, seqs)
        self.n_features_in_ = int(frames.shape[1])
        lengths = [len(s) for s in seqs]
        sw = _sample_weights(sample_weight, np.empty((len(seqs), 1)))
        if self.standardize:
            self.input_mean_, self.input_scale_ = _fit_scaling(frames, None if sw is None else np.repeat(sw, lengths))
        _keep_fit(self, _core.models.fit_trace(
            _as_f32(self._scale(frames)), lengths, _as_f32(targets), _opt_f32(sw), str(self.loss), conv_channels,
            conv_kernel, context, context_dim, self._settings(len(seqs), groups), self.n_jobs,
        ))
        return self

    def predict(self, X: Any) -> "list[np.ndarray]":
        """Per-frame predictions.

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            Raw frame sequences, as in fit.

        Returns
        -------
        list of ndarray of shape (n_frames_i,) or (n_frames_i, n_targets)
            One trace per sequence, in the layout of the ``y`` given to fit.
        """
        check_is_fitted(self, "network_")
        seqs, frames = self._frames(X, fitting=False)
        lengths = [len(s) for s in seqs]
        out = self.network_.predict_frames(_as_f32(self._scale(frames)), lengths, self.n_jobs).astype(np.float64)
        parts = np.split(out, np.cumsum(lengths)[:-1])
        return [p.ravel() if self._y_ndim == 1 else p for p in parts]

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Mean over the target columns of the CCC over all frames together
        (:func:`affectkit.metrics.ccc_over_time`, no post-processing).

        Parameters
        ----------
        X : list of array-like of shape (n_frames_i, n_features)
            Frame sequences.
        y : list of array-like
            True traces (NaN = unrated).
        sample_weight : None
            Not supported (scikit-learn's signature); must be None.

        Returns
        -------
        float
        """
        if sample_weight is not None:
            raise ParameterError("sample_weight: SequenceRegressor.score does not weigh sequences")
        from ..evaluation.traces import ccc_over_time

        return float(np.mean(ccc_over_time(list(y), self.predict(X))))

    def _n_outputs(self) -> int:
        return self.n_outputs_

    def _fitted_state(self) -> "dict[str, Any]":
        state = super()._fitted_state()
        state["n_outputs_"] = int(self.n_outputs_)
        state["y_ndim"] = int(self._y_ndim)
        return state

    def _restore_state(self, state: "dict[str, Any]") -> None:
        self.n_outputs_ = int(state["n_outputs_"])
        self._y_ndim = int(state["y_ndim"])
        _expect(self._y_ndim in (1, 2) and (self._y_ndim == 2 or self.n_outputs_ == 1), "y_ndim must be 1 or 2")
        super()._restore_state(state)
