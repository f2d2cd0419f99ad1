""":class:`DialogueClassifier`: emotion recognition in conversation (one label per utterance, from its context)."""

from __future__ import annotations

from numbers import Integral
from typing import Any, List, Optional

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from .. import _core
from ..errors import ParameterError
from ._network import _WrapsNetwork, _apply_scaling, _documented, _fit_scaling, _unscaled_clone, _wrapper_scales
from ._state import _as_f32, _expect, _keep_fit, _vector
from .classifier import EmotionClassifier

_CONTEXTS = ("none", "gru", "transformer")


@_documented
class DialogueClassifier(_WrapsNetwork, ClassifierMixin, BaseEstimator):
    """Classifies every utterance of a dialogue from the utterance and its context.

    ``fit(D)`` takes an :class:`affectkit.dialogues.Dialogues` (its ``features`` by
    modality, its party indices ``speakers`` and its ``labels``; ``None`` = unlabelled)
    and trains one network in Rust (Burn):

    1. an utterance encoder: an MLP over the modalities concatenated, each block followed
       by a presence bit (a row that is all NaN marks the modality missing: zero block,
       bit 0, as ``MultimodalClassifier(fusion="early")``), with ``estimator``'s
       ``hidden_layer_sizes`` as inner layers and ``hidden_size`` outputs;
    2. the context over the dialogue's turns, ``context=``:

       - ``"none"``: the utterance alone (the utterance-only baseline);
       - ``"gru"``: a bidirectional GRU over the dialogue (Cho et al. 2014), each
         direction over the dialogue's own turns; ``causal=True`` keeps the forward one;
       - ``"transformer"``: ``n_layers`` pre-norm transformer encoder layers (Vaswani et
         al. 2017, ``n_heads`` heads, feed-forward width ``2 * hidden_size``) over the
         utterance embeddings plus sinusoidal turn positions plus a learned embedding of
         the speaking party; ``causal=True`` masks later turns (online prediction: a
         prediction never depends on a later turn, bit for bit), ``window=w`` masks the
         turns more than ``w`` away;

    3. with ``speaker_state=True``, in the spirit of DialogueRNN (Majumder et al. 2019): a
       state per party, updated by a GRU cell at that party's turns from the utterance
       and its context; each utterance is classified from its speaker's updated state and
       the context;
    4. a softmax head per utterance.

    The loss is the cross-entropy over the labelled utterances of each minibatch of
    dialogues (padding and unlabelled turns weigh 0; unlabelled turns remain context).
    ``estimator`` (an :class:`EmotionClassifier`) supplies every training setting:
    optimizer, learning rate, epochs, ``batch_size`` (counted in *dialogues*; its
    ``"auto"`` means ``min(32, n_dialogues)`` here), dropout, ``class_weight``,
    ``label_smoothing``, early stopping (whole dialogues held out) and ``random_state``.
    With its ``standardize=True`` (the default) every modality is z-scored with its own
    training statistics over the utterances that have it (``input_mean_``,
    ``input_scale_``, kept in model files).

    Party indices are per dialogue (0 = the first to speak, see
    :class:`~affectkit.dialogues.Dialogues`); the network has an embedding and a state
    for as many parties as the training dialogues have (``n_parties_``); a party index at
    or beyond that shares those of ``index % n_parties_``.

    Parameters
    ----------
    estimator : EmotionClassifier or None, default None
        Source of the training settings; None is ``EmotionClassifier()``.
    context : {"none", "gru", "transformer"}, default 'gru'
        What an utterance sees of its dialogue (above).
    speaker_state : bool, default False
        Add a GRU state per party (DialogueRNN-style).
    causal : bool, default False
        No look at later turns (forward GRU only; causal attention mask).
    window : int or None, default None
        ``context="transformer"`` only: attend to turns at most this many turns away.
    hidden_size : int, default 64
        Width of the utterance embedding, of each GRU direction and of the transformer.
    n_heads : int, default 4
        Attention heads (a divisor of ``hidden_size``; transformer only).
    n_layers : int, default 1
        Transformer layers.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    modalities_ : list of str
        Modality names, sorted.
    n_features_ : dict of str to int
        Feature columns per modality.
    n_parties_ : int
        Parties with their own embedding and state.
    estimator_ : EmotionClassifier
        Holder of the trained network, the classes and the training history
        (``loss_curve_``, ...).
    input_mean_, input_scale_ : dict of str to ndarray
        Per-modality training mean and standard deviation (``standardize=True`` only).

    References
    ----------
    .. [1] N. Majumder, S. Poria, D. Hazarika, R. Mihalcea, A. Gelbukh and E. Cambria,
       "DialogueRNN: an attentive RNN for emotion detection in conversations", AAAI 2019.
    .. [2] D. Ghosal, N. Majumder, S. Poria, N. Chhaya and A. Gelbukh, "DialogueGCN: a
       graph convolutional neural network for emotion recognition in conversation",
       EMNLP 2019 (the window of past and future turns).
    .. [3] K. Cho et al., "Learning phrase representations using RNN encoder-decoder for
       statistical machine translation", EMNLP 2014.
    .. [4] A. Vaswani et al., "Attention is all you need", NeurIPS 2017.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> ds = ak.datasets.make_dialogue_corpus(20, turns=(3, 6), duration=0.5, seed=0)
    >>> audio = np.array([np.r_[m.mean(0), m.std(0)] for m in ak.mfcc_batch(ds.audio, ds.sr)])
    >>> D = ak.dialogues.from_manifest(ds.manifest, features={"audio": audio})
    >>> clf = ak.DialogueClassifier(ak.EmotionClassifier((), max_epochs=5, random_state=0), hidden_size=16)
    >>> pred = clf.fit(D).predict(D)          # one array of labels per dialogue
    >>> len(pred) == len(D) and len(pred[0]) == len(D.items[0])
    True
    """

    def __init__(self, estimator: Any = None, *, context: str = "gru", speaker_state: bool = False,
                 causal: bool = False, window: Optional[int] = None, hidden_size: int = 64, n_heads: int = 4,
                 n_layers: int = 1) -> None:
        self.estimator = estimator
        self.context = context
        self.speaker_state = speaker_state
        self.causal = causal
        self.window = window
        self.hidden_size = hidden_size
        self.n_heads = n_heads
        self.n_layers = n_layers

    # -- input ------------------------------------------------------------------------------

    def _shape(self) -> "dict[str, Any]":
        if self.context not in _CONTEXTS:
            raise ParameterError(f"context: expected 'none', 'gru' or 'transformer', got {self.context!r}")
        for name in ("speaker_state", "causal"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise ParameterError(f"{name}: expected True or False, got {getattr(self, name)!r}")
        for name in ("hidden_size", "n_heads", "n_layers"):
            v = getattr(self, name)
            if not isinstance(v, Integral) or isinstance(v, bool) or v < 1:
                raise ParameterError(f"{name}: expected a positive integer, got {v!r}")
        w = self.window
        if w is not None and (not isinstance(w, Integral) or isinstance(w, bool) or w < 1):
            raise ParameterError(f"window: expected None or a positive number of turns, got {w!r}")
        return {"context": self.context, "speaker_state": bool(self.speaker_state), "causal": bool(self.causal),
                "window": None if w is None else int(w), "hidden_size": int(self.hidden_size),
                "n_heads": int(self.n_heads), "n_layers": int(self.n_layers)}

    def _blocks(self, D: Any, fitting: bool) -> "tuple[Any, dict[str, np.ndarray]]":
        """The checked dialogues and their utterance features per modality, stacked."""
        from ..dialogues.data import as_dialogues

        D = as_dialogues(D)
        if len(D) == 0:
            raise ParameterError("D: has no dialogues")
        if not D.features:
            raise ParameterError("D: has no features (pass features= to ak.dialogues.from_manifest)")
        if not fitting and sorted(D.features) != self.modalities_:
            raise ParameterError(f"D: expected the modalities seen in fit {self.modalities_!r}, "
                                 f"got {sorted(D.features)!r}")
        arrays = {}
        for name in sorted(D.features):
            parts = D.features[name]
            first = np.asarray(parts[0])
            width = self.n_features_[name] if not fitting else (first.shape[1] if first.ndim == 2 else -1)
            for i, (a, its) in enumerate(zip(parts, D.items)):
                a = np.asarray(a)
                if a.ndim != 2 or a.shape != (len(its), width):
                    raise ParameterError(f"D.features[{name!r}][{i}]: expected shape ({len(its)}, {width}) "
                                         f"(one row per utterance, {width} features"
                                         f"{' as in fit' if not fitting else ' as the first dialogue'}), "
                                         f"got {a.shape}")
            a = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts], axis=0)
            nan = np.isnan(a)
            if (nan.any(axis=1) & ~nan.all(axis=1)).any():
                raise ParameterError(f"D.features[{name!r}]: rows must be complete or all NaN (modality missing); "
                                     "found partly NaN rows")
            arrays[name] = a
        return D, arrays

    def _scale(self, arrays: "dict[str, np.ndarray]") -> "list[np.ndarray]":
        """Each modality z-scored with its training statistics (missing rows stay NaN)."""
        out = []
        for k in self.modalities_:
            a = arrays[k]
            if hasattr(self, "input_mean_"):
                a = _apply_scaling(a, self.input_mean_[k], self.input_scale_[k], impute=False)
            out.append(_as_f32(a))
        return out

    def _labels(self, D: Any, y: Any) -> "tuple[np.ndarray, np.ndarray]":
        """Per utterance: the labels (object array, or (n, k) soft) and whether labelled."""
        n = D.n_utterances
        if y is None:
            flat = D.flat("labels")
        elif isinstance(y, (list, tuple)) and len(y) == len(D) and len(D) and all(np.ndim(p) >= 1 for p in y) \
                and sum(len(p) for p in y) == n:
            flat = np.concatenate([np.asarray(p, dtype=object if np.ndim(p) == 1 else np.float64) for p in y])
        else:
            flat = np.asarray(y, dtype=object) if np.ndim(y) == 1 else np.asarray(y, dtype=np.float64)
        if len(flat) != n:
            raise ParameterError(f"y: expected one label per utterance ({n}), got {len(flat)}")
        if flat.ndim == 2:
            labelled = ~np.isnan(flat).any(axis=1)
        else:
            labelled = np.array([not (v is None or (isinstance(v, float) and v != v)) for v in flat], dtype=bool)
        if not labelled.any():
            raise ParameterError("D: has no labelled utterance to train on (D.labels are all None; pass y= or "
                                 "label= to ak.dialogues.from_manifest)")
        return flat, labelled

    # -- fitting ----------------------------------------------------------------------------

    @_documented
    def fit(self, D: Any, y: Any = None, sample_weight: Any = None, classes: Any = None) -> "DialogueClassifier":
        """Trains the dialogue network.

        Parameters
        ----------
        D : affectkit.dialogues.Dialogues
            The training dialogues with features; their labels unless ``y`` is given.
        y : None, sequence or list of arrays, default None
            Per-utterance labels in ``D.flat()`` order (or one array per dialogue):
            class labels (``None`` = unlabelled) or class distributions ``(n, k)``
            (soft labels; a NaN row = unlabelled). None: ``D.labels``.
        sample_weight : array-like of shape (n_utterances,) or None, default None
            Non-negative weight per utterance (times its class weight).
        classes : sequence or None, default None
            Soft labels: the class of each column of ``y`` (default 0..k-1).

        Returns
        -------
        DialogueClassifier
            ``self``, fitted.
        """
        shape = self._shape()
        template = EmotionClassifier() if self.estimator is None else self.estimator
        if not isinstance(template, EmotionClassifier):
            raise ParameterError(f"estimator: DialogueClassifier takes its settings from an EmotionClassifier, "
                                 f"got {type(template).__name__}")
        D, arrays = self._blocks(D, fitting=True)
        flat, labelled = self._labels(D, y)
        n = D.n_utterances
        sw = None
        if sample_weight is not None:
            sw = np.asarray(sample_weight, dtype=np.float64).ravel()
            if len(sw) != n or not np.isfinite(sw).all() or (sw < 0).any():
                raise ParameterError(f"sample_weight: expected {n} finite non-negative weights (one per utterance)")
        self.modalities_ = sorted(arrays)
        self.n_features_ = {k: int(a.shape[1]) for k, a in arrays.items()}
        for name in ("input_mean_", "input_scale_"):
            self.__dict__.pop(name, None)
        if _wrapper_scales(template):
            present = {k: ~np.isnan(a).all(axis=1) for k, a in arrays.items()}
            scaling = {k: _fit_scaling(arrays[k][present[k]], None if sw is None else sw[present[k]])
                       for k in self.modalities_}
            self.input_mean_ = {k: m for k, (m, _) in scaling.items()}
            self.input_scale_ = {k: s for k, (_, s) in scaling.items()}
        est = _unscaled_clone(template)  # holds the settings, classes and the trained network
        ys = flat[labelled]
        if ys.ndim == 1:
            ys = np.asarray(ys.tolist())
        targets_l, weights_l = est._encode_targets(ys, classes)
        k = targets_l.shape[1]
        targets = np.zeros((n, k), dtype=np.float32)
        targets[labelled] = targets_l
        weights = np.zeros(n, dtype=np.float32)
        weights[labelled] = 1.0 if weights_l is None else weights_l
        if sw is not None:
            weights = weights * sw.astype(np.float32)
        parties = np.concatenate(D.speakers).astype(np.int64)
        self.n_parties_ = int(parties.max()) + 1
        settings = est._settings(len(D))
        if isinstance(est.batch_size, str) and est.batch_size == "auto":
            settings["batch_size"] = min(32, len(D))
        _keep_fit(est, _core.models.fit_dialogue(
            self._scale(arrays), list(self.modalities_), [int(v) for v in D.lengths], parties.tolist(),
            targets, weights, shape, settings, est.n_jobs,
        ))
        self.estimator_ = est
        self.classes_ = est.classes_
        return self

    # -- prediction -------------------------------------------------------------------------

    def _proba(self, D: Any) -> "tuple[Any, np.ndarray]":
        check_is_fitted(self, "estimator_")
        D, arrays = self._blocks(D, fitting=False)
        est = self.estimator_
        parties = np.concatenate(D.speakers).astype(np.int64)
        p = est.network_.predict_dialogue(self._scale(arrays), list(self.modalities_),
                                          [int(v) for v in D.lengths], parties.tolist(), est.n_jobs)
        p = p.astype(np.float64)
        p /= p.sum(axis=1, keepdims=True)
        if self.context == "none" and not self.speaker_state:
            # nothing to go on: an utterance without any modality gets a NaN row
            none = np.all([np.isnan(arrays[k]).all(axis=1) for k in self.modalities_], axis=0)
            p[none] = np.nan
        return D, p

    def predict_proba(self, D: Any) -> List[np.ndarray]:
        """Class probabilities of every utterance.

        Parameters
        ----------
        D : affectkit.dialogues.Dialogues
            Dialogues with the modalities (and widths) seen in fit; labels are not needed.

        Returns
        -------
        list of ndarray of shape (n_utterances_i, n_classes)
            One per dialogue, rows in turn order, columns in ``classes_`` order. With
            ``context="none"`` an utterance without any modality gets a NaN row.
        """
        D, p = self._proba(D)
        return list(np.split(p, np.cumsum(D.lengths)[:-1]))

    def predict(self, D: Any) -> List[np.ndarray]:
        """The most probable class of every utterance.

        Parameters
        ----------
        D : affectkit.dialogues.Dialogues
            Dialogues, as for :meth:`predict_proba`.

        Returns
        -------
        list of ndarray of shape (n_utterances_i,)
            One array of labels per dialogue, in turn order.
        """
        D, p = self._proba(D)
        bad = np.isnan(p).any(axis=1)
        if bad.any():
            i = int(np.nonzero(bad)[0][0])
            raise ParameterError(f"D: utterance {D.flat('items')[i]!r} has no modality at all; "
                                 "context='none' cannot classify it (predict_proba gives NaN)")
        labels = self.classes_[np.argmax(p, axis=1)]
        return list(np.split(labels, np.cumsum(D.lengths)[:-1]))

    def score(self, D: Any, y: Any = None, sample_weight: Any = None) -> float:
        """Unweighted accuracy (UA, mean recall over the classes) over the labelled utterances.

        Parameters
        ----------
        D : affectkit.dialogues.Dialogues
            Labelled dialogues.
        y : None or per-utterance labels, default None
            As in :meth:`fit`; None: ``D.labels``.
        sample_weight : None
            Not supported (UA weighs the classes equally); must be None.

        Returns
        -------
        float
        """
        from ..metrics import unweighted_accuracy

        if sample_weight is not None:
            raise ParameterError("sample_weight: score is the unweighted accuracy and takes no weights")
        pred = np.concatenate(self.predict(D))
        flat, labelled = self._labels(D, y)
        if flat.ndim == 2:
            raise ParameterError("y: score needs class labels, not distributions")
        return unweighted_accuracy(np.asarray(flat[labelled].tolist()), pred[labelled])

    # -- persistence ------------------------------------------------------------------------

    def _inners(self) -> "dict[str, Any]":
        check_is_fitted(self, "estimator_")
        return {"estimator": self.estimator_}

    def _wrapper_state(self) -> "dict[str, Any]":
        state: "dict[str, Any]" = {"modalities_": list(self.modalities_), "n_features_": dict(self.n_features_),
                                   "n_parties_": int(self.n_parties_)}
        if hasattr(self, "input_mean_"):
            state["input_mean_"] = {k: v.tolist() for k, v in self.input_mean_.items()}
            state["input_scale_"] = {k: v.tolist() for k, v in self.input_scale_.items()}
        return state

    def _restore_wrapper(self, inners: "dict[str, Any]", state: "dict[str, Any]") -> None:
        _expect(list(inners) == ["estimator"], "a dialogue model holds one network named 'estimator'")
        self.estimator_ = inners["estimator"]
        self.classes_ = self.estimator_.classes_
        self.modalities_ = [str(m) for m in state["modalities_"]]
        self.n_features_ = {str(k): int(v) for k, v in state["n_features_"].items()}
        _expect(sorted(self.n_features_) == self.modalities_, "the modality widths do not match the modalities")
        self.n_parties_ = int(state["n_parties_"])
        _expect(self.estimator_.network_.n_inputs == sum(self.n_features_.values()),
                "the network does not take the modalities' features")
        if "input_mean_" in state:
            self.input_mean_ = {k: _vector(state["input_mean_"][k], self.n_features_[k], "input_mean_")
                                for k in self.modalities_}
            self.input_scale_ = {k: _vector(state["input_scale_"][k], self.n_features_[k], "input_scale_")
                                 for k in self.modalities_}
