""":func:`layer_probe`: which layer of a self-supervised model carries the emotion? A small probe per layer, scored on speaker-independent folds."""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from .._util.optional import require
from ..errors import ParameterError
from ..models.layerwise import _hidden_arrays


def _pooled(H: Any) -> np.ndarray:
    """``(n_items, n_layers, dim)`` float64 means over each item's frames (NaN refused)."""
    arrays, _, _ = _hidden_arrays(H)
    return np.stack([np.asarray(a, dtype=np.float64).mean(axis=1) for a in arrays])


def layer_probe(H: Any, y: Any, groups: Any, *, n_splits: int = 5, probe: Any = None,
                scoring: Optional[Callable[[Any, Any], float]] = None, seed: int = 0,
                plot: bool = False) -> Any:
    """Scores a small classifier on each layer alone, on speaker-independent folds.

    The question SUPERB's learned layer weights (Yang et al. 2021) and emotion2vec's
    layer analysis (Ma et al. 2023) answer: which layer of a frozen self-supervised
    model carries the emotion? For each layer, every item's frames are averaged (mean
    pooling) and ``probe`` is trained on the training side of each fold and scored on its
    test side. The folds are :func:`affectkit.evaluation.splits` with
    ``protocol="speaker-kfold"`` on ``groups`` (scikit-learn's ``StratifiedGroupKFold``,
    shuffled with ``seed``): no speaker is on both sides, so a layer that only identifies
    speakers scores no better than chance. Every layer sees the same folds.

    Parameters
    ----------
    H : HiddenStates or list of array-like of shape (n_layers, n_frames_i, dim)
        Hidden states per item (:func:`read`); NaN is refused.
    y : array-like of shape (n_items,)
        Class labels.
    groups : array-like of shape (n_items,)
        Speaker (or other group) of each item; required, so that the scores are
        speaker-independent.
    n_splits : int, default 5
        Speaker-disjoint folds (at most the number of speakers).
    probe : scikit-learn classifier or None, default None
        The per-layer model; None is ``make_pipeline(StandardScaler(),
        LogisticRegression(max_iter=1000))`` (a linear probe on z-scored means).
    scoring : callable or None, default None
        ``scoring(y_true, y_pred) -> float``, higher is better; None is
        :func:`affectkit.metrics.unweighted_accuracy` (the mean per-class recall, UA).
    seed : int, default 0
        Shuffling of the folds.
    plot : bool, default False
        Also draw the scores per layer (:func:`plot_layer_probe`; needs matplotlib).

    Returns
    -------
    pandas.DataFrame
        One row per layer: ``layer``, ``score`` (mean over folds), ``std`` (over folds),
        ``rank`` (1 = best mean score), then one column per fold (``fold:<name>``).
        ``attrs["metric"]`` names the scoring, ``attrs["folds"]`` holds the fold count.

    References
    ----------
    .. [1] S. Yang et al., "SUPERB: Speech processing Universal PERformance Benchmark",
       Interspeech 2021.
    .. [2] Z. Ma et al., "emotion2vec: self-supervised pre-training for speech emotion
       representation", arXiv:2312.15185, 2023.

    Examples
    --------
    >>> import numpy as np, affectkit as ak
    >>> rng = np.random.default_rng(0)
    >>> y = np.arange(60) % 3
    >>> speakers = np.arange(60) % 6
    >>> H = [rng.normal(size=(4, 10, 8)) for _ in y]
    >>> for h, c in zip(H, y):
    ...     h[1, :, c] += 1.0                           # layer 1 knows the class
    >>> table = ak.embeddings.layer_probe(H, y, groups=speakers, n_splits=3)
    >>> int(table.loc[table["rank"] == 1, "layer"].iloc[0])
    1
    """
    import pandas as pd
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from ..evaluation import splits
    from ..metrics import unweighted_accuracy

    X = _pooled(H)
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(X):
        raise ParameterError(f"y: expected one label per item ({len(X)}), got shape {y.shape}")
    if groups is None:
        raise ParameterError("groups: layer_probe scores speaker-independent folds; pass the speaker of each item")
    g = np.asarray(groups)
    if g.ndim != 1 or len(g) != len(X):
        raise ParameterError(f"groups: expected one group per item ({len(X)}), got shape {g.shape}")
    if not isinstance(plot, (bool, np.bool_)):
        raise ParameterError(f"plot: expected True or False, got {plot!r}")
    manifest = pd.DataFrame({"corpus": "probe", "item": [str(i) for i in range(len(y))], "path": "",
                             "speaker": [str(v) for v in g], "label": list(y), "split": None})
    folds = splits(manifest, protocol="speaker-kfold", n_splits=n_splits, seed=seed)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)) if probe is None else probe
    score = unweighted_accuracy if scoring is None else scoring
    rows = []
    for layer in range(X.shape[1]):
        per_fold = {}
        for fold in folds:
            est = clone(model).fit(X[fold.train, layer], y[fold.train])
            per_fold[f"fold:{fold.name}"] = float(score(y[fold.test], est.predict(X[fold.test, layer])))
        values = np.array(list(per_fold.values()))
        rows.append({"layer": layer, "score": float(values.mean()), "std": float(values.std(ddof=1))
                     if len(values) > 1 else float("nan"), **per_fold})
    table = pd.DataFrame(rows)
    table.insert(3, "rank", table["score"].rank(ascending=False, method="min").astype(int))
    table.attrs["metric"] = getattr(score, "__name__", "score")
    table.attrs["folds"] = len(folds)
    if plot:
        plot_layer_probe(table)
    return table


def plot_layer_probe(table: Any, ax: Any = None) -> Any:
    """Draws :func:`layer_probe`'s mean score per layer with its fold standard deviation.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`layer_probe` result.
    ax : matplotlib.axes.Axes or None, default None
        Where to draw; None draws on a new figure.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Raises
    ------
    ImportError
        Without matplotlib (``pip install matplotlib``).

    Examples
    --------
    >>> import pandas as pd, affectkit as ak
    >>> t = pd.DataFrame({"layer": [0, 1], "score": [0.4, 0.6], "std": [0.05, 0.04]})
    >>> ax = ak.embeddings.plot_layer_probe(t)          # doctest: +SKIP
    """
    plt = require("matplotlib.pyplot", "plot_layer_probe", "'matplotlib' package", "pip install matplotlib")
    for col in ("layer", "score", "std"):
        if col not in getattr(table, "columns", ()):
            raise ParameterError(f"table: expected a layer_probe result with a {col!r} column")
    if ax is None:
        ax = plt.figure().add_subplot()
    ax.errorbar(table["layer"], table["score"], yerr=table["std"], marker="o", capsize=3)
    ax.set_xlabel("layer")
    ax.set_ylabel(table.attrs.get("metric", "score"))
    ax.set_title("layer probe (speaker-independent folds)")
    return ax
