""":func:`load_model`: read any affectkit model file back into its estimator."""

from __future__ import annotations

import json
import os
from typing import Any

import numpy as np
from .. import _core
from ..errors import ReadError

from ._network import _Network
from ._state import _Malformed, _expect, _from_jsonable
from .classifier import EmotionClassifier
from .dialogue import DialogueClassifier
from .layerwise import LayerWeightedClassifier, LayerWeightedRegressor
from .multimodal import MultimodalClassifier
from .multitask import MultitaskEmotionModel
from .regressor import EmotionRegressor
from .sequence import SequenceClassifier
from .trace import SequenceRegressor

_ESTIMATORS = {"EmotionClassifier": EmotionClassifier, "EmotionRegressor": EmotionRegressor,
               "MultitaskEmotionModel": MultitaskEmotionModel}
_ESTIMATORS["SequenceRegressor"] = SequenceRegressor
_ESTIMATORS["LayerWeightedClassifier"] = LayerWeightedClassifier
_ESTIMATORS["LayerWeightedRegressor"] = LayerWeightedRegressor


def load_model(path: "str | os.PathLike[str]") -> Any:
    """Reads a model written by ``estimator.save(path)``.

    Any fitted :class:`EmotionClassifier`, :class:`EmotionRegressor`,
    :class:`MultitaskEmotionModel`, :class:`MultimodalClassifier` (every fusion) or
    :class:`SequenceClassifier` (every pooling), :class:`SequenceRegressor`,
    :class:`LayerWeightedClassifier` or :class:`LayerWeightedRegressor`; its predictions are bit-identical to the
    saved model's, and it keeps the input scaling, feature names and feature settings.

    The file (model-file format version 3, described in ``docs/models.md``) is checked
    before anything is built: its CRC-32 checksum, its lengths and the network shape
    against the file's size, and every header and metadata field. A corrupted, truncated
    or malformed file, and a file of another format version (the message names both
    versions; files of versions 1 and 2, from before the checksum, must be retrained and
    saved again), raise :class:`~affectkit.errors.ReadError` naming the file.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by ``save``.

    Returns
    -------
    estimator
        The fitted estimator.

    Examples
    --------
    >>> import numpy as np, affectkit as ak, tempfile, os
    >>> X, y = np.r_[np.zeros((20, 2)), np.ones((20, 2))], np.r_[[0] * 20, [1] * 20]
    >>> clf = ak.EmotionClassifier((4,), max_epochs=5, random_state=0).fit(X, y)
    >>> path = os.path.join(tempfile.mkdtemp(), "ser.akm")
    >>> clf.save(path)
    >>> bool((ak.load_model(path).predict_proba(X) == clf.predict_proba(X)).all())
    True
    """
    where = os.fspath(path)
    with open(path, "rb") as f:
        data = f.read()
    parts, extra_text = _core.models.read_file(data, where)
    try:
        return _from_file(parts, json.loads(extra_text))
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as e:
        detail = str(e) if isinstance(e, _Malformed) else f"{type(e).__name__}: {e}"
        raise ReadError(f"{where}: malformed model metadata ({detail})") from None


def _from_file(parts: "list[tuple[str, Any]]", extra: Any) -> Any:
    _expect(isinstance(extra, dict), "not a file written by an affectkit estimator's save()")
    if "wrapper" not in extra:
        _expect(len(parts) == 1 and parts[0][0] == "", "a single estimator's file holds one network")
        return _restore(parts[0][1], extra)
    metas = extra["parts"]
    _expect(isinstance(metas, dict) and sorted(metas) == sorted(k for k, _ in parts),
            "the bundled networks do not match the file's metadata")
    inners = {k: _restore(net, metas[k]) for k, net in parts}
    wrap = extra["wrapper"]
    cls = _WRAPPERS.get(wrap["estimator"])
    _expect(cls is not None, f"unknown model kind {wrap['estimator']!r}")
    template = None if wrap["template"] is None else _build(wrap["template"])
    outer = cls(template, **{k: _from_jsonable(v) for k, v in wrap["params"].items()})
    outer._restore_wrapper(inners, wrap["fitted"])
    return outer


_WRAPPERS = {"MultimodalClassifier": MultimodalClassifier, "SequenceClassifier": SequenceClassifier,
             "DialogueClassifier": DialogueClassifier}


def _build(meta: Any) -> "_Network":
    """An unfitted affectkit estimator from ``{"estimator": name, "params": {...}}``."""
    cls = _ESTIMATORS.get(meta["estimator"]) if isinstance(meta, dict) else None
    _expect(cls is not None, "not a file written by an affectkit estimator's save()")
    return cls(**{k: _from_jsonable(v) for k, v in meta["params"].items()})


def _restore(network: Any, meta: Any) -> "_Network":
    """The fitted affectkit estimator a model file's ``network`` and metadata describe."""
    est = _build(meta)
    est.network_ = network
    est._restore_state(meta["fitted"])
    hist = meta["history"]
    est.loss_curve_ = [float(v) for v in hist["loss_curve_"]]
    est.validation_loss_ = [float(v) for v in hist["validation_loss_"]]
    est.best_epoch_ = int(hist["best_epoch_"])
    est.validation_indices_ = np.asarray([int(i) for i in hist["validation_indices_"]], dtype=np.intp)
    est.n_iter_ = len(est.loss_curve_)
    return est
