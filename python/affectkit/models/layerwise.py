""":class:`LayerWeightedClassifier` and :class:`LayerWeightedRegressor`: a learned
softmax-weighted sum of frozen self-supervised layers, pooling over frames and an MLP head
(the SUPERB downstream protocol), trained in Rust with Burn."""

from __future__ import annotations

from numbers import Integral
import re
import textwrap
from typing import Any, Optional, Sequence, TypeVar

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .. import _core
from ..errors import ParameterError
from ._network import _documented, _sample_weights, _times
from ._state import _as_f32, _expect, _keep_fit, _opt_f32
from .classifier import EmotionClassifier
from .regressor import EmotionRegressor

_DOC = """\
pooling : {"mean", "attention"}, default 'mean'
    How the layer-weighted frames of an item become one vector: the mean over its
    frames, or attention pooling (a score ``v . tanh(W h_t)`` per frame with
    ``attention_dim`` hidden units, the scorer of :class:`SequenceClassifier`; Yang et al.
    2016, Mirsamadi et al. 2017).
normalize : bool, default False
    Layer-normalise every frame's vector of every layer over its ``dim`` values, without
    affine parameters, before the weighted sum (s3prl's featurizer ``layer_norm``
    option: ``(h - mean) / sqrt(var + 1e-5)``). Layers of self-supervised models differ
    in scale by orders of magnitude; normalising lets the weights compare them.
attention_dim : int, default 16
    Hidden units of the attention scorer (``pooling="attention"`` only)."""


_TRAIN_DOC = """\
activation : {"relu", "gelu", "tanh"}, default 'relu'
    Nonlinearity of the hidden layers.
dropout : float, default 0.0
    Probability of zeroing a hidden unit during training (inverted dropout).
layer_norm : bool, default False
    Layer normalisation (with affine parameters) before each hidden nonlinearity of the head.
optimizer : {"adam", "adamw"}, default 'adam'
    Adam with ``alpha`` as an L2 penalty on every parameter, or AdamW with ``alpha``
    as decoupled weight decay.
alpha : float, default 0.0001
    L2 penalty (Adam) or weight decay (AdamW).
learning_rate_init : float, default 0.001
    Adam's step size.
lr_schedule : {"constant", "cosine"}, default 'constant'
    Constant, or cosine annealing to zero over ``max_epochs``.
batch_size : int or "auto", default 'auto'
    Minibatch size; "auto" is ``min(200, n_items)``.
max_epochs : int, default 200
    Passes over the training data at most.
tol : float, default 0.0001
    Improvement of the watched loss that counts as progress.
early_stopping : bool, default False
    Hold out ``validation_fraction`` of the items (of the groups with ``groups``) and
    keep the weights of the best validation epoch.
validation_fraction : float, default 0.1
    Share of the items, or of the groups, held out by ``early_stopping``.
n_iter_no_change : int, default 10
    Epochs without a ``tol`` improvement before training stops."""

_T = TypeVar("_T")


def _pooling_documented(cls: _T) -> _T:
    """Fills the ``{pooling_parameters}`` line of a class docstring (before
    :func:`_documented` fills the shared blocks)."""
    doc = cls.__doc__ or ""
    # the marker's own indentation: Python 3.13 dedents docstrings, earlier versions do not
    for marker, text in (("pooling_parameters", _DOC), ("training_parameters", _TRAIN_DOC)):
        doc = re.sub(r"^([ \t]*)\{" + marker + r"\}[ \t]*$", lambda m, t=text: textwrap.indent(t, m.group(1)), doc,
                     count=1, flags=re.M)
    cls.__doc__ = doc
    return cls


def _hidden_arrays(H: Any, shape: "Optional[tuple[int, int]]" = None, *, ids: Any = None,
                   finite: bool = True) -> "tuple[list[np.ndarray], int, int]":
    """The items of ``H`` as ``(n_layers, n_frames, dim)`` float arrays (a 2-D item is one
    layer; views, no copies), with the common layer count and dim (``shape`` when given:
    the fitted one). ``finite`` also refuses NaN and infinity (reads every value). Errors
    name the item: ``H[i]``, with its id when ``ids`` are given or ``H`` carries them."""
    if isinstance(H, np.ndarray) and H.ndim != 4:
        raise ParameterError(
            f"H: expected a list of (n_layers, n_frames, dim) arrays (e.g. ak.embeddings.read) or one "
            f"(n_items, n_layers, n_frames, dim) array, got an array of shape {H.shape}")
    if isinstance(H, (str, bytes, dict)) or not isinstance(H, (Sequence, np.ndarray)):
        raise ParameterError(f"H: expected a list of (n_layers, n_frames, dim) arrays, got {type(H).__name__}")
    ids = getattr(H, "ids", None) if ids is None else ids
    first = "fit saw"  # what the items must match when ``shape`` is given
    if len(H) == 0:
        raise ParameterError("H: expected at least one item, got none")
    out = []
    for i in range(len(H)):
        name = f"H[{i}]" if ids is None else f"H[{i}] (item {ids[i]!r})"
        a = np.asanyarray(H[i])  # keeps a memory map
        if a.dtype.kind != "f":
            raise ParameterError(f"{name}: expected floating-point hidden states, got dtype {a.dtype}")
        if a.ndim == 2:
            a = a[None]
        if a.ndim != 3:
            raise ParameterError(f"{name}: expected a (n_layers, n_frames, dim) or (n_frames, dim) array, "
                                 f"got shape {a.shape}")
        if a.shape[1] == 0 or a.shape[0] == 0 or a.shape[2] == 0:
            raise ParameterError(f"{name}: expected at least one layer, frame and dimension, got shape {a.shape}")
        if shape is None:
            shape, first = (a.shape[0], a.shape[2]), (f"H[0] (item {ids[0]!r}) has" if ids is not None else "H[0] has")
        if (a.shape[0], a.shape[2]) != shape:
            raise ParameterError(f"{name}: has {a.shape[0]} layers of dim {a.shape[2]}, {first} {shape[0]} "
                                 f"layers of dim {shape[1]}; every item needs the same layers and dim")
        if finite and not np.isfinite(a).all():
            raise ParameterError(f"{name}: contains NaN or infinity")
        out.append(a)
    assert shape is not None
    return out, shape[0], shape[1]


def _items(arrays: "list[np.ndarray]") -> "list[np.ndarray]":
    """The items as C-contiguous float32 ``(n_layers, n_frames, dim)`` arrays: float32
    C-contiguous items (and memory maps) as they are, others converted one at a time."""
    return [np.ascontiguousarray(a, dtype=np.float32) for a in arrays]


def _naming_items(call: Any, H: Any, *args: Any) -> Any:
    """``call(*args)``, whose errors name items ``H[i]``; with the ids of ``H`` (e.g.
    :class:`affectkit.embeddings.HiddenStates`) they name the item's id too, as
    :func:`_hidden_arrays` does. The Rust side checks the values (NaN, infinity) in the
    pass that reads them, so Python does not read every value first."""
    try:
        return call(*args)
    except ParameterError as e:
        ids, m = getattr(H, "ids", None), re.match(r"H\[(\d+)\]", str(e))
        if ids is None or m is None:
            raise
        i = int(m.group(1))
        raise ParameterError(f"H[{i}] (item {ids[i]!r}){str(e)[m.end():]}") from None


class _LayerWeighted:
    """What the layer-weighted classifier and regressor share: hidden-state input,
    the Rust fit and predict calls, ``layer_weights_`` and the model-file state."""

    # the inputs are not standardized: ``normalize`` is this model's per-layer scaling
    standardize = False
    pooling: str
    normalize: bool
    attention_dim: int
    n_jobs: Any

    def _shape_args(self) -> "tuple[str, bool, int]":
        if self.pooling not in ("mean", "attention"):
            raise ParameterError(f"pooling: expected 'mean' or 'attention', got {self.pooling!r}")
        if not isinstance(self.normalize, (bool, np.bool_)):
            raise ParameterError(f"normalize: expected True or False, got {self.normalize!r}")
        d = self.attention_dim
        if not isinstance(d, Integral) or isinstance(d, bool) or d < 1:
            raise ParameterError(f"attention_dim: expected an integer >= 1, got {d!r}")
        return str(self.pooling), bool(self.normalize), int(d)

    def _fit_layers(self, H: Any, checked: "tuple[list[np.ndarray], int, int]", targets: np.ndarray,
                    weights: Optional[np.ndarray], groups: Any, objective: str) -> None:
        """Trains on ``checked`` (:func:`_hidden_arrays` of the training items ``H``, not yet
        checked for NaN: the Rust side refuses it)."""
        pooling, normalize, attention_dim = self._shape_args()
        arrays, n_layers, dim = checked
        _keep_fit(self, _naming_items(
            _core.models.fit_layerwise, H, _items(arrays), _as_f32(targets), _opt_f32(weights), objective,
            normalize, pooling, attention_dim, False, self._settings(len(arrays), groups),  # type: ignore[attr-defined]
            self.n_jobs,
        ))
        self.n_layers_, self.dim_ = n_layers, dim

    def _layer_outputs(self, H: Any, probabilities: bool) -> "tuple[np.ndarray, np.ndarray, list[int]]":
        check_is_fitted(self, "network_")
        arrays, _, _ = _hidden_arrays(H, (self.n_layers_, self.dim_), finite=False)
        out, att = _naming_items(self.network_.predict_layerwise, H, _items(arrays), probabilities, False,
                                 self.n_jobs)
        return out.astype(np.float64), att, [a.shape[1] for a in arrays]

    @property
    def layer_weights_(self) -> np.ndarray:
        """Softmax weight of each layer, ``(n_layers,)`` float64, summing to 1 (layer 0
        first: for a transformers model, the convolutional front's output)."""
        check_is_fitted(self, "network_")
        return np.asarray(self.network_.layer_weights, dtype=np.float64)

    def attention_weights(self, H: Any) -> "list[np.ndarray]":
        """Attention weights of each item over its frames (``pooling="attention"`` only).

        Parameters
        ----------
        H : list of array-like of shape (n_layers, n_frames_i, dim)
            Hidden states, as in fit.

        Returns
        -------
        list of ndarray of shape (n_frames_i,)
            Per item, summing to 1.
        """
        if self.pooling != "attention":
            raise ParameterError("attention_weights: only a pooling='attention' model has attention")
        _, att, lengths = self._layer_outputs(H, False)
        return [w.astype(np.float64) for w in np.split(att, np.cumsum(lengths)[:-1])]

    def _fitted_state(self) -> "dict[str, Any]":
        return super()._fitted_state() | {"n_layers_": int(self.n_layers_), "dim_": int(self.dim_)}  # type: ignore[misc]

    def _restore_state(self, state: "dict[str, Any]") -> None:
        self.n_layers_, self.dim_ = int(state["n_layers_"]), int(state["dim_"])
        _expect(self.n_layers_ * self.dim_ == self.network_.n_inputs,
                "n_layers_ x dim_ does not match the network's inputs")
        super()._restore_state(state)  # type: ignore[misc]


def _common_init(est: Any, kw: "dict[str, Any]") -> None:
    for k, v in kw.items():
        setattr(est, k, v)


@_documented
@_pooling_documented
class LayerWeightedClassifier(_LayerWeighted, EmotionClassifier):
    """Emotion classifier on frozen self-supervised hidden states: learned layer weights,
    pooling over frames and an MLP head (the SUPERB downstream protocol).

    ``fit(H, y)`` takes the hidden states of each item, ``(n_layers, n_frames, dim)``
    (e.g. :func:`affectkit.embeddings.read`; a 2-D ``(n_frames, dim)`` item is one layer;
    any float dtype; items may differ in frames, not in layers or dim). The network
    learns one logit per layer, initialised to 0 (uniform weights), mixes the layers
    with their softmax (``layer_weights_``), pools the mixed frames (masked mean, or
    attention), and classifies the pooled vector with an MLP; the whole network trains
    end to end with (weighted, smoothed, soft) cross-entropy as
    :class:`EmotionClassifier`, whose training parameters it shares. The hidden states
    are not standardized (``normalize`` is the per-layer normalisation; there is no
    ``standardize``).

    With mean pooling the frames of an item reduce exactly to one mean per layer before
    training (the weighted sum is linear), so training time does not grow with the
    frame count. Float32 C-contiguous items (and memory maps) are read in place, others
    are converted to float32 one at a time; with mean pooling an item is read once.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default (256,)
        Width of each hidden layer of the head (s3prl's emotion recipe projects to 256);
        ``()`` is softmax regression on the pooled vector.
    {pooling_parameters}
    {training_parameters}
    class_weight : None, "balanced" or dict, default None
        Per-class weights in the cross-entropy, as in :class:`EmotionClassifier`.
    label_smoothing : float, default 0.0
        eps in ``(1 - eps) * target + eps / n_classes``.
    {run_parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    layer_weights_ : ndarray of shape (n_layers,)
        Softmax weight of each layer (sums to 1).
    n_layers_, dim_ : int
        Layers and dimension of the hidden states seen in fit.
    network_ : affectkit._core.models.Network
        The trained network (pickles as its model-file bytes).
    loss_curve_, validation_loss_, validation_indices_, best_epoch_, n_iter_
        Training history, as in :class:`EmotionClassifier`.

    See Also
    --------
    LayerWeightedRegressor, affectkit.embeddings.read, affectkit.embeddings.layer_probe

    References
    ----------
    .. [1] S. Yang et al., "SUPERB: Speech processing Universal PERformance Benchmark",
       Interspeech 2021 (weighted sum of layers, frozen upstream).
    .. [2] Z. Ma et al., "emotion2vec: self-supervised pre-training for speech emotion
       representation", arXiv:2312.15185, 2023.
    .. [3] Z. Yang et al., "Hierarchical attention networks for document
       classification", NAACL-HLT 2016; S. Mirsamadi, E. Barsoum and C. Zhang, ICASSP 2017.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> y = np.arange(40) % 2
    >>> H = [rng.normal(size=(4, int(rng.integers(5, 20)), 8)) for _ in y]
    >>> for h, c in zip(H, y):
    ...     h[2, :, 0] += 3.0 * c                      # the label lives in layer 2
    >>> clf = ak.LayerWeightedClassifier((16,), learning_rate_init=0.01, random_state=0).fit(H, y)
    >>> clf.score(H, y)
    1.0
    >>> int(np.argmax(clf.layer_weights_))
    2
    """

    def __init__(
        self,
        hidden_layer_sizes: "tuple[int, ...]" = (256,),
        *,
        pooling: str = "mean",
        normalize: bool = False,
        attention_dim: int = 16,
        activation: str = "relu",
        dropout: float = 0.0,
        layer_norm: bool = False,
        optimizer: str = "adam",
        alpha: float = 1e-4,
        learning_rate_init: float = 1e-3,
        lr_schedule: str = "constant",
        batch_size: "int | str" = "auto",
        max_epochs: int = 200,
        tol: float = 1e-4,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        class_weight: Any = None,
        label_smoothing: float = 0.0,
        random_state: Any = None,
        n_jobs: Optional[int] = None,
    ) -> None:
        _common_init(self, {k: v for k, v in locals().items() if k not in ("self", "__class__")})

    def fit(self, H: Any, y: Any, classes: Any = None, sample_weight: Any = None,  # type: ignore[override]
            groups: Any = None) -> "LayerWeightedClassifier":
        """Trains on hidden states ``H`` and labels or class distributions ``y``.

        Parameters
        ----------
        H : list of array-like of shape (n_layers, n_frames_i, dim)
            Hidden states per item (a :class:`affectkit.embeddings.HiddenStates`, any
            list of arrays, or one ``(n_items, n_layers, n_frames, dim)`` array); a 2-D
            item is one layer.
        y : array-like of shape (n_items,) or (n_items, n_classes)
            Labels, or class distributions (soft labels; rows sum to 1).
        classes : array-like of shape (n_classes,) or None, default None
            Names of the columns of soft labels ``y``.
        sample_weight : array-like of shape (n_items,) or None, default None
            Non-negative weight per item (multiplies its loss).
        groups : array-like of shape (n_items,) or None, default None
            Group (speaker) of each item: early stopping holds out whole groups.

        Returns
        -------
        LayerWeightedClassifier
            ``self``, fitted.
        """
        self._start_fit(None)
        checked = _hidden_arrays(H, finite=False)
        y = np.asarray(y)
        if len(y) != len(checked[0]):
            raise ParameterError(f"y: expected {len(checked[0])} labels (one per item of H), got {len(y)}")
        sw = _sample_weights(sample_weight, y)
        targets, item_w = self._encode_targets(y, classes)
        self._fit_layers(H, checked, targets, _times(item_w, sw), groups, "cross_entropy")
        return self

    def predict_proba(self, H: Any) -> np.ndarray:  # type: ignore[override]
        """Class probabilities per item.

        Parameters
        ----------
        H : list of array-like of shape (n_layers, n_frames_i, dim)
            Hidden states with the layers and dim of fit.

        Returns
        -------
        ndarray of shape (n_items, n_classes)
        """
        p = self._layer_outputs(H, True)[0]
        return p / p.sum(axis=1, keepdims=True)


@_documented
@_pooling_documented
class LayerWeightedRegressor(_LayerWeighted, EmotionRegressor):
    """Dimensional emotion regressor (valence, arousal, dominance) on frozen
    self-supervised hidden states: learned layer weights, pooling and an MLP head,
    trained with the CCC or MSE loss.

    The network of :class:`LayerWeightedClassifier` with linear outputs; ``fit`` takes
    ``y`` of shape ``(n,)`` or ``(n, n_targets)`` and ``predict`` returns that layout.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, default (256,)
        Width of each hidden layer of the head; ``()`` is linear regression on the
        pooled vector.
    loss : {"ccc", "mse"}, default 'ccc'
        1 - CCC (Lin 1989) averaged over the target columns, per minibatch, or MSE.
    {pooling_parameters}
    {training_parameters}
    {run_parameters}

    Attributes
    ----------
    n_outputs_ : int
        Number of target columns.
    layer_weights_ : ndarray of shape (n_layers,)
        Softmax weight of each layer (sums to 1).
    n_layers_, dim_ : int
        Layers and dimension of the hidden states seen in fit.

    References
    ----------
    .. [1] S. Yang et al., "SUPERB: Speech processing Universal PERformance Benchmark",
       Interspeech 2021.
    .. [2] L. I.-K. Lin, "A concordance correlation coefficient to evaluate
       reproducibility", Biometrics 45(1), 1989.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> H = rng.normal(size=(80, 3, 6, 4))                # 80 items, 3 layers, 6 frames, dim 4
    >>> v = H[:, 1, :, 0].mean(axis=1)                     # "valence" lives in layer 1
    >>> reg = ak.LayerWeightedRegressor((16,), learning_rate_init=0.01, random_state=0).fit(H, v)
    >>> bool(ak.metrics.ccc(v, reg.predict(H)) > 0.9)
    True
    """

    def __init__(
        self,
        hidden_layer_sizes: "tuple[int, ...]" = (256,),
        *,
        loss: str = "ccc",
        pooling: str = "mean",
        normalize: bool = False,
        attention_dim: int = 16,
        activation: str = "relu",
        dropout: float = 0.0,
        layer_norm: bool = False,
        optimizer: str = "adam",
        alpha: float = 1e-4,
        learning_rate_init: float = 1e-3,
        lr_schedule: str = "constant",
        batch_size: "int | str" = "auto",
        max_epochs: int = 200,
        tol: float = 1e-4,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 10,
        random_state: Any = None,
        n_jobs: Optional[int] = None,
    ) -> None:
        _common_init(self, {k: v for k, v in locals().items() if k not in ("self", "__class__")})

    def fit(self, H: Any, y: Any, sample_weight: Any = None,  # type: ignore[override]
            groups: Any = None) -> "LayerWeightedRegressor":
        """Trains on hidden states ``H`` and dimensional targets ``y``.

        Parameters
        ----------
        H : list of array-like of shape (n_layers, n_frames_i, dim)
            Hidden states per item, as in :meth:`LayerWeightedClassifier.fit`.
        y : array-like of shape (n_items,) or (n_items, n_targets)
            Targets, e.g. valence and arousal ratings (finite).
        sample_weight : array-like of shape (n_items,) or None, default None
            Non-negative weight per item.
        groups : array-like of shape (n_items,) or None, default None
            Group (speaker) of each item: early stopping holds out whole groups.

        Returns
        -------
        LayerWeightedRegressor
            ``self``, fitted.
        """
        self._start_fit(None)
        checked = _hidden_arrays(H, finite=False)
        try:
            y = np.asarray(y, dtype=np.float64)
        except (TypeError, ValueError):
            raise ParameterError("y: expected numeric targets") from None
        if y.ndim not in (1, 2) or (y.ndim == 2 and y.shape[1] == 0):
            raise ParameterError(f"y: expected (n,) or (n, n_targets) targets, got shape {y.shape}")
        if len(y) != len(checked[0]):
            raise ParameterError(f"y: expected {len(checked[0])} rows (one per item of H), got {len(y)}")
        if not np.isfinite(y).all():
            raise ParameterError("y: contains NaN or infinity")
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]
        sw = _sample_weights(sample_weight, y)
        self._fit_layers(H, checked, y.reshape(len(y), -1), sw, groups, self._objective)
        self._y_ndim = y.ndim
        return self

    def predict(self, H: Any) -> np.ndarray:  # type: ignore[override]
        """Predicted targets per item.

        Parameters
        ----------
        H : list of array-like of shape (n_layers, n_frames_i, dim)
            Hidden states with the layers and dim of fit.

        Returns
        -------
        ndarray of shape (n_items,) or (n_items, n_targets)
            The layout of the ``y`` given to fit.
        """
        out = self._layer_outputs(H, False)[0]
        return out.ravel() if self._y_ndim == 1 else out

