""":class:`MultimodalClassifier`: one classifier over several modalities (early, late, gated fusion)."""

from __future__ import annotations

from numbers import Real
from typing import Any, Optional
import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d
from .. import _core
from ..errors import ParameterError

from ._network import _WrapsNetwork, _apply_scaling, _check_settings, _classes_from_state, _classes_state, _documented, _fit_scaling, _group_kw, _groups, _sample_weights, _settings_of, _times, _unscaled_clone, _wrapper_scales
from ._state import _as_f32
from ._state import _expect, _keep_fit, _opt_f32, _record_from_state, _vector
from .classifier import EmotionClassifier

@_documented
class MultimodalClassifier(_WrapsNetwork, ClassifierMixin, BaseEstimator):
    """Fusion of several modalities, skipping the modalities an item lacks.

    ``fit(X, y)`` takes ``X`` as a dict ``{modality: (n, d_modality) array}`` with the same
    ``n`` in every entry; a row that is all NaN means the item has no data for that
    modality (e.g. no face found in the clip). An item with no modality at all gets a NaN
    probability row (``predict`` refuses it).

    - ``fusion="late"`` (default): one clone of ``estimator`` is trained per modality on
      the items that have it, and ``predict_proba`` averages the class probabilities of
      the modalities present for each item, weighted by ``modality_weights`` and
      renormalised over the present ones, so a missing modality is skipped, not imputed.
    - ``fusion="early"``: one ``estimator`` on the concatenated modalities, each block
      followed by a presence bit; a missing modality's block is zero with presence 0, so
      its first-layer weights contribute nothing (masked, not imputed) and the network
      learns from the bit that the modality is absent. ``modality_dropout`` teaches it to
      cope with missing modalities: the training items are used once as they are and
      once more with modalities dropped, drawn from ``random_state`` (Neverova et al.
      2016, ModDrop, applied as augmentation); an item and its copy stay on one side of
      early stopping's validation split.
    - ``fusion="gated"``: one network trained end to end in Rust: per modality an
      encoder MLP (``estimator``'s ``hidden_layer_sizes``; the last width is the shared
      embedding), a gate that scores the modalities from all embeddings and the presence
      mask, a softmax over the *present* modalities only (missing ones get -inf before
      the softmax, so weight exactly 0), and a softmax head on the gate-weighted sum of
      embeddings (Arevalo et al. 2017). ``estimator`` (an :class:`EmotionClassifier`)
      supplies every training setting (optimizer, epochs, batch size, dropout, class
      weights, early stopping, ``random_state``); ``modality_dropout`` hides present
      modalities of each training minibatch at random (ModDrop). :meth:`gate_weights`
      returns the learned weights per item. With one modality always missing the
      network is exactly the single-modality network.

    With the estimator's ``standardize=True`` (the default) every modality is z-scored
    with its own training statistics over the items that have it: by each per-modality
    classifier in late fusion, by this wrapper before the masking in early and gated
    fusion (kept in ``input_mean_``/``input_scale_`` and in model files).

    Parameters
    ----------
    estimator : EmotionClassifier or classifier, default None
        The per-modality (late), fused (early) or settings-giving (gated) classifier;
        None is ``EmotionClassifier()``. Late and early fusion take any scikit-learn
        classifier with ``predict_proba`` (``save`` needs an affectkit one; ``groups``
        reach affectkit estimators only).
    fusion : {"late", "early", "gated"}, default 'late'
        How the modalities are combined (above).
    modality_weights : dict or None, default None
        Late fusion: ``{modality: weight}`` of each modality's probabilities (default 1).
    modality_dropout : float, default 0.0
        Early and gated fusion: probability of hiding each present modality of a
        training item (at least one is kept).
    random_state : int, RandomState instance or None, default None
        Seeds early fusion's modality dropout (the gated network draws from the
        estimator's ``random_state``).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, sorted.
    modalities_ : list of str
        Modality names, sorted (the column order of :meth:`gate_weights`).
    n_features_ : dict of str to int
        Feature columns per modality.
    estimators_ : dict of str to estimator
        The fitted classifiers: one per modality (late), ``"early"`` or ``"gated"``.
    feature_settings_ : dict or None
        ``{modality: record or None}`` of the feature-settings records the modality
        tables carried (``ak.settings.of(X[m])``), None when none carried one.
        Predictions on tables with other settings raise
        :class:`~affectkit.errors.SettingsMismatchError`.
    input_mean_, input_scale_ : dict of str to ndarray
        Per-modality training mean and standard deviation (early and gated fusion with
        ``standardize=True`` only).

    References
    ----------
    .. [1] J. Arevalo, T. Solorio, M. Montes-y-Gomez and F. A. Gonzalez, "Gated
       multimodal units for information fusion", ICLR workshop, 2017.
    .. [2] N. Neverova, C. Wolf, G. Taylor and F. Nebout, "ModDrop: adaptive multi-modal
       gesture recognition", IEEE TPAMI 38(8), 1692-1706, 2016.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> y = np.arange(200) % 2
    >>> audio = y[:, None] + rng.normal(scale=0.3, size=(200, 3))
    >>> face = y[:, None] + rng.normal(scale=0.3, size=(200, 2))
    >>> face[::3] = np.nan                                   # no face in every third clip
    >>> mm = ak.MultimodalClassifier(ak.EmotionClassifier((8,), random_state=0)).fit({"audio": audio, "face": face}, y)
    >>> bool(mm.score({"audio": audio, "face": face}, y) > 0.95)
    True
    """

    def __init__(self, estimator: Any = None, *, fusion: str = "late", modality_weights: Any = None,
                 modality_dropout: float = 0.0, random_state: Any = None) -> None:
        self.estimator = estimator
        self.fusion = fusion
        self.modality_weights = modality_weights
        self.modality_dropout = modality_dropout
        self.random_state = random_state

    def _early(self, arrays: "dict[str, np.ndarray]", present: "dict[str, np.ndarray]") -> np.ndarray:
        """Concatenated blocks (zero where missing), each followed by its presence bit."""
        blocks = []
        for name in self.modalities_:
            keep = present[name]
            blocks.append(np.where(keep[:, None], np.nan_to_num(arrays[name]), 0.0))
            blocks.append(keep[:, None].astype(np.float64))
        return np.hstack(blocks)

    def _modalities(self, X: Any, fitting: bool) -> "tuple[dict[str, np.ndarray], dict[str, np.ndarray], int]":
        if not isinstance(X, dict) or not X:
            raise ParameterError(f"X: expected a non-empty dict of modality -> feature matrix, got {type(X).__name__}")
        if not fitting and set(X) != set(self.modalities_):
            raise ParameterError(
                f"X: expected the modalities seen in fit {sorted(self.modalities_)!r}, got {sorted(X)!r}"
            )
        arrays, present = {}, {}
        n = None
        for name in sorted(X):
            if not fitting:
                _check_settings((getattr(self, "feature_settings_", None) or {}).get(name), X[name],
                                f"this MultimodalClassifier's {name!r} modality", got=f"X[{name!r}]")
            a = np.asarray(X[name], dtype=np.float64)
            if a.ndim != 2:
                raise ParameterError(f"X[{name!r}]: expected a 2-D (n_items, n_features) array, got shape {a.shape}")
            if n is None:
                n = a.shape[0]
            elif a.shape[0] != n:
                raise ParameterError(f"X[{name!r}]: expected {n} rows like the other modalities, got {a.shape[0]}")
            if not fitting and a.shape[1] != self.n_features_[name]:
                raise ParameterError(
                    f"X[{name!r}]: expected {self.n_features_[name]} features as in fit, got {a.shape[1]}"
                )
            nan = np.isnan(a)
            missing = nan.all(axis=1)
            if (nan.any(axis=1) & ~missing).any():
                raise ParameterError(
                    f"X[{name!r}]: rows must be complete or all NaN (modality missing); found partly NaN rows"
                )
            arrays[name], present[name] = a, ~missing
        return arrays, present, int(n or 0)

    def _scale(self, arrays: "dict[str, np.ndarray]") -> "dict[str, np.ndarray]":
        """Each modality z-scored with its training statistics (missing rows stay NaN)."""
        if not hasattr(self, "input_mean_"):
            return arrays
        return {k: _apply_scaling(a, self.input_mean_[k], self.input_scale_[k], impute=False)
                for k, a in arrays.items()}

    def _inputs(self, X: Any) -> "tuple[dict[str, np.ndarray], dict[str, np.ndarray], int]":
        """Checked, scaled modalities of ``X`` for prediction."""
        arrays, present, n = self._modalities(X, fitting=False)
        return self._scale(arrays), present, n

    @_documented
    def fit(self, X: Any, y: Any, sample_weight: Any = None, groups: Any = None) -> "MultimodalClassifier":
        """Late fusion: one classifier per modality on the items that have it; early
        fusion: one classifier on the masked concatenation; gated: one network with
        learned gates.

        Parameters
        ----------
        X : dict of str to array-like of shape (n_samples, n_features_m)
            One feature matrix per modality; an all-NaN row marks a missing modality.
            A DataFrame's feature-settings record is kept per modality.
        y : array-like of shape (n_samples,)
            Labels.
        {fit_weights}

        Returns
        -------
        MultimodalClassifier
            ``self``, fitted.
        """
        if self.fusion not in ("late", "early", "gated"):
            raise ParameterError(f"fusion: expected 'late', 'early' or 'gated', got {self.fusion!r}")
        p = self.modality_dropout
        if not (isinstance(p, Real) and 0.0 <= p < 1.0):
            raise ParameterError(f"modality_dropout: expected a probability in [0, 1), got {p!r}")
        if p > 0 and self.fusion == "late":
            raise ParameterError("modality_dropout: only fusion='early' or 'gated' trains on dropped modalities")
        arrays, present, n = self._modalities(X, fitting=True)
        y = column_or_1d(np.asarray(y), warn=True)
        if len(y) != n:
            raise ParameterError(f"y: expected {n} labels (one per item), got {len(y)}")
        check_classification_targets(y)
        sw = _sample_weights(sample_weight, y)
        g = _groups(groups, n)
        # the keyword for the rows `rows` of the items, none without weights
        weigh = lambda rows: {} if sw is None else {"sample_weight": sw[rows]}  # noqa: E731
        records = {k: _settings_of(X[k]) for k in sorted(X)}
        self.feature_settings_ = records if any(r is not None for r in records.values()) else None
        self.classes_ = np.unique(y)
        template = EmotionClassifier() if self.estimator is None else self.estimator
        self.modalities_ = sorted(arrays)
        self.n_features_ = {k: a.shape[1] for k, a in arrays.items()}
        self.estimators_ = {}
        for name in ("input_mean_", "input_scale_"):
            self.__dict__.pop(name, None)
        if self.fusion != "late" and _wrapper_scales(template):
            scaling = {k: _fit_scaling(arrays[k][present[k]], None if sw is None else sw[present[k]])
                       for k in self.modalities_}
            self.input_mean_ = {k: m for k, (m, _) in scaling.items()}
            self.input_scale_ = {k: s for k, (_, s) in scaling.items()}
            arrays = self._scale(arrays)
        if self.fusion == "gated":
            return self._fit_gated(template, arrays, present, y, sw, g)
        if self.fusion == "early":
            has_any = np.any([present[k] for k in self.modalities_], axis=0)
            if not has_any.any():
                raise ParameterError("X: every modality is missing for every item")
            fused, labels = self._early(arrays, present)[has_any], y[has_any]
            gg = None if g is None else g[has_any]
            if p > 0:
                rng = check_random_state(self.random_state)
                mask = np.stack([present[k][has_any] for k in self.modalities_], axis=1)
                dropped = mask & (rng.random_sample(mask.shape) >= p)
                # keep one present modality, chosen at random, where everything was dropped
                empty = ~dropped.any(axis=1)
                for i in np.nonzero(empty)[0]:
                    dropped[i, rng.choice(np.nonzero(mask[i])[0])] = True
                aug = self._early({k: arrays[k][has_any] for k in self.modalities_},
                                  {k: dropped[:, j] for j, k in enumerate(self.modalities_)})
                fused, labels = np.vstack([fused, aug]), np.concatenate([labels, labels])
                has_any = np.r_[np.nonzero(has_any)[0], np.nonzero(has_any)[0]]
                # an item and its copy with dropped modalities stay on one side of the
                # early-stopping split
                gg = np.tile(np.arange(len(mask)) if gg is None else gg, 2)
            est = _unscaled_clone(template)
            self.estimators_["early"] = est.fit(fused, labels, **weigh(has_any), **_group_kw(est, gg))
            return self
        for name in self.modalities_:
            rows = present[name]
            if rows.any():
                est = clone(template)
                self.estimators_[name] = est.fit(arrays[name][rows], y[rows], **weigh(rows),
                                                 **_group_kw(est, None if g is None else g[rows]))
        if not self.estimators_:
            raise ParameterError("X: every modality is missing for every item")
        return self

    def _fit_gated(self, template: Any, arrays: "dict[str, np.ndarray]", present: "dict[str, np.ndarray]",
                   y: np.ndarray, sw: Optional[np.ndarray], g: Optional[np.ndarray]) -> "MultimodalClassifier":
        if not isinstance(template, EmotionClassifier):
            raise ParameterError(
                f"estimator: fusion='gated' takes its settings from an EmotionClassifier, got {type(template).__name__}"
            )
        has_any = np.any([present[k] for k in self.modalities_], axis=0)
        if not has_any.any():
            raise ParameterError("X: every modality is missing for every item")
        est = _unscaled_clone(template)  # holds the settings, classes and the trained network
        targets, weights = est._encode_targets(y[has_any])
        weights = _times(weights, None if sw is None else sw[has_any])
        blocks = [_as_f32(arrays[k][has_any]) for k in self.modalities_]
        _keep_fit(est, _core.models.fit_fusion(
            blocks, list(self.modalities_), targets, _opt_f32(weights),
            float(self.modality_dropout), est._settings(int(has_any.sum()), None if g is None else g[has_any]),
            est.n_jobs,
        ))
        self.estimators_["gated"] = est
        return self

    def _gated(self, X: Any) -> "tuple[np.ndarray, np.ndarray]":
        arrays, _, _ = self._inputs(X)
        est = self.estimators_["gated"]
        proba, gates = est.network_.predict_fusion([_as_f32(arrays[k]) for k in self.modalities_],
                                                   list(self.modalities_), est.n_jobs)
        out = np.full((len(proba), len(self.classes_)), np.nan)
        cols = np.searchsorted(self.classes_, est.classes_)
        rows = ~np.isnan(proba).any(axis=1)
        out[rows] = 0.0
        out[np.ix_(rows, cols)] = proba[rows]
        return out, gates.astype(np.float64)

    def _inners(self) -> "dict[str, Any]":
        check_is_fitted(self, "estimators_")
        return dict(self.estimators_)

    def _wrapper_state(self) -> "dict[str, Any]":
        state = _classes_state(self.classes_) | {"modalities_": list(self.modalities_),
                                                  "n_features_": dict(self.n_features_),
                                                  "order": list(self.estimators_),
                                                  "feature_settings_": self.feature_settings_}
        if hasattr(self, "input_mean_"):
            state["input_mean_"] = {k: v.tolist() for k, v in self.input_mean_.items()}
            state["input_scale_"] = {k: v.tolist() for k, v in self.input_scale_.items()}
        return state

    def _restore_wrapper(self, inners: "dict[str, Any]", state: "dict[str, Any]") -> None:
        self.classes_ = _classes_from_state(state)
        self.modalities_ = [str(k) for k in state["modalities_"]]
        self.n_features_ = {str(k): int(v) for k, v in state["n_features_"].items()}
        _expect(self.modalities_ == sorted(self.n_features_) and all(v > 0 for v in self.n_features_.values()),
                "modalities_ and n_features_ do not match")
        # late fusion sums the modalities in this order: keep it for bit-identical output
        order = list(state["order"])
        _expect(sorted(order) == sorted(inners), "the estimators' order does not match the bundled networks")
        self.estimators_ = {k: inners[k] for k in order}
        width = sum(self.n_features_.values())
        for k, est in self.estimators_.items():
            expected = {"gated": width, "early": width + len(self.modalities_)}.get(self.fusion, self.n_features_.get(k))
            _expect(k == self.fusion or (self.fusion == "late" and k in self.n_features_),
                    f"a {self.fusion} fusion holds no {k!r} network")
            _expect(est.network_.n_inputs == expected, f"the {k!r} network does not take {expected} inputs")
            _expect(set(est.classes_.tolist()) <= set(self.classes_.tolist()), f"the {k!r} classes are not in classes_")
        fs = state["feature_settings_"]
        _expect(fs is None or (isinstance(fs, dict) and set(fs) <= set(self.modalities_)),
                "feature_settings_ must map modalities to records")
        self.feature_settings_ = None if fs is None else {k: _record_from_state(v) for k, v in fs.items()}
        if "input_mean_" in state:
            _expect(self.fusion != "late", "late fusion scales inside its per-modality estimators")
            self.input_mean_ = {k: _vector(state["input_mean_"][k], self.n_features_[k], "input_mean_")
                                for k in self.modalities_}
            self.input_scale_ = {k: _vector(state["input_scale_"][k], self.n_features_[k], "input_scale_")
                                 for k in self.modalities_}

    def gate_weights(self, X: Any) -> np.ndarray:
        """Gate weights of a gated fusion: each present modality's share of the fused embedding.

        Parameters
        ----------
        X : dict of str to array-like
            The modalities, as in fit.

        Returns
        -------
        ndarray of shape (n_samples, n_modalities)
            Columns in ``modalities_`` order, 0 for a missing modality, rows summing to 1
            (NaN rows for items with no modality).
        """
        check_is_fitted(self, "estimators_")
        if self.fusion != "gated" or "gated" not in self.estimators_:
            raise ParameterError("gate_weights: only a fusion='gated' model has gates")
        return self._gated(X)[1]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities: the fused network's (early, gated) or the weighted mean of
        the present modalities' (late).

        Parameters
        ----------
        X : dict of str to array-like
            The modalities seen in fit, raw (the model applies its scaling); tables with
            other feature settings than in fit raise
            :class:`~affectkit.errors.SettingsMismatchError`.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            In ``classes_`` order; a NaN row for an item with no modality.
        """
        check_is_fitted(self, "estimators_")
        if "gated" in self.estimators_:
            return self._gated(X)[0]
        arrays, present, n = self._inputs(X)
        if "early" in self.estimators_:
            est = self.estimators_["early"]
            has_any = np.any([present[k] for k in self.modalities_], axis=0)
            out = np.full((n, len(self.classes_)), np.nan)
            if has_any.any():
                cols = np.searchsorted(self.classes_, est.classes_)
                out[np.ix_(has_any, np.arange(len(self.classes_)))] = 0.0
                out[np.ix_(has_any, cols)] = est.predict_proba(self._early(arrays, present)[has_any])
            return out
        weights = self.modality_weights or {}
        unknown = set(weights) - set(self.modalities_)
        if unknown:
            raise ParameterError(f"modality_weights: unknown modalities {sorted(unknown)!r}")
        total = np.zeros((n, len(self.classes_)))
        mass = np.zeros(n)
        for name, est in self.estimators_.items():
            rows = present[name]
            if not rows.any():
                continue
            w = float(weights.get(name, 1.0))
            cols = np.searchsorted(self.classes_, est.classes_)
            total[np.ix_(rows, cols)] += w * est.predict_proba(arrays[name][rows])
            mass[rows] += w
        with np.errstate(invalid="ignore", divide="ignore"):
            return total / mass[:, None]

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class per item.

        Parameters
        ----------
        X : dict of str to array-like
            The modalities, as in fit; every item needs at least one.

        Returns
        -------
        ndarray of shape (n_samples,)
        """
        p = self.predict_proba(X)
        if np.isnan(p).any():
            raise ParameterError("X: some items have no modality at all; predict_proba gives them NaN rows")
        return self.classes_[np.argmax(p, axis=1)]
