"""Cross-validation under an evaluation protocol, with per-fold and pooled scores and
bootstrap confidence intervals.

:func:`cross_validate` fits a fresh clone of an estimator (any scikit-learn classifier or
pipeline) on the training side of every fold of :func:`~affectkit.evaluation.splits`,
predicts its test side, and returns a :class:`CVResult`: scores per fold, the pooled score
over all test predictions (each item predicted by the fold that held it out), intervals
that resample speakers (:meth:`CVResult.ci`), a paper-style table and plots.

>>> import numpy as np, affectkit as ak
>>> from sklearn.linear_model import LogisticRegression
>>> ds = ak.datasets.make_acted_corpus(60, n_speakers=6, seed=0)
>>> X = np.random.default_rng(0).normal(size=(60, 4))
>>> res = ak.evaluation.cross_validate(LogisticRegression(), X, ds.manifest, protocol="loso")
>>> res.per_fold.shape[0], sorted(res.pooled)
(6, ['macro_f1', 'ua', 'wa'])
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

import numpy as np

from ..errors import InputTypeError, ParameterError
from .protocols import Folds, _missing, combine, splits
from .stats import ConfidenceInterval, _CATEGORICAL, _canonical, _interval, _scorer, _units, _check_confidence

__all__ = ["CVResult", "cross_validate"]

_HEADS = {"ua": "UA", "wa": "WA", "macro_f1": "F1-macro", "weighted_f1": "F1-weighted"}


def _metric_names(metrics: Any) -> "list[Any]":
    if isinstance(metrics, str) or callable(metrics):
        metrics = (metrics,)
    if not isinstance(metrics, (list, tuple)) or not metrics:
        raise ParameterError(f"metrics: expected a metric name or a sequence of them, got {metrics!r}")
    out = []
    for m in metrics:
        if callable(m):
            out.append(m)
            continue
        if not isinstance(m, str):
            raise InputTypeError(f"metrics: expected names or callables, got {type(m).__name__}")
        key = _canonical(m)
        if key not in _CATEGORICAL:
            raise ParameterError(f"metrics: cross_validate scores labels; {m!r} is a continuous-target metric "
                                 f"(label metrics: {list(_CATEGORICAL)})")
        out.append(key)
    return out


def _name(m: Any) -> str:
    return m if isinstance(m, str) else getattr(m, "__name__", "metric")


@dataclass
class CVResult:
    """The result of :func:`cross_validate`.

    ``str(result)`` is the paper-style table (pooled score, its confidence interval, the
    mean and standard deviation over folds, in percent).

    Attributes
    ----------
    protocol : str
        The protocol's name.
    metrics : list of str
        Metric names, in table order.
    folds : Folds
        The folds (of the first seed; k-fold protocols reshuffle per seed).
    per_fold : pandas.DataFrame
        One row per (seed, fold): ``seed, fold, n_train, n_valid, n_test``, the metrics
        (fractions) and ``valid_<metric>`` where the fold has a validation side.
    predictions : pandas.DataFrame
        One row per test prediction: ``row`` (position in the manifest), ``item``,
        ``speaker``, ``seed``, ``fold``, ``y_true``, ``y_pred`` and ``p_<class>`` when the
        estimator has ``predict_proba``.
    seeds : list of int
        The seeds run.
    classes : list
        The classes seen in training.
    n_resamples : int, default 2000
        Default bootstrap resamples of :meth:`ci`.
    confidence : float, default 0.95
        Default level of :meth:`ci` and the table.
    ci_method : str, default "percentile"
        Default interval method of :meth:`ci` (``"percentile"`` or ``"bca"``).
    """

    protocol: str
    metrics: List[Any]
    folds: Folds
    per_fold: Any
    predictions: Any
    seeds: List[int]
    classes: List[Any]
    n_resamples: int = 2000
    confidence: float = 0.95
    ci_method: str = "percentile"
    _ci_cache: Dict[Any, Any] = field(default_factory=dict, repr=False, init=False)

    # ------------------------------------------------------------------ scores

    def _aligned(self) -> "list[Any]":
        """Each seed's predictions in the same order (by manifest row, then fold order)."""
        out = []
        for s in self.seeds:
            p = self.predictions[self.predictions["seed"] == s]
            out.append(p.sort_values("row", kind="stable"))
        return out

    @property
    def pooled(self) -> "dict[str, float]":
        """The metrics on all test predictions together (the mean over seeds with several).

        Returns
        -------
        dict
            ``{metric: fraction}``.
        """
        return {k: float(v) for k, v in self.per_seed.drop(columns="seed").mean().items()}

    @property
    def per_seed(self) -> Any:
        """The pooled metrics of each seed.

        Returns
        -------
        pandas.DataFrame
            One row per seed: ``seed`` and the metrics (fractions).
        """
        import pandas as pd

        rows = []
        for s, p in zip(self.seeds, self._aligned()):
            t, q = p["y_true"].to_numpy(), p["y_pred"].to_numpy()
            row = {"seed": s}
            for m in self.metrics:
                stat, n, _ = _scorer(t, q, m)
                row[_name(m)] = stat(np.arange(n))
            rows.append(row)
        return pd.DataFrame(rows)

    def ci(self, confidence: Optional[float] = None, *, method: Optional[str] = None, unit: str = "speakers",
           n_resamples: Optional[int] = None, seed: int = 0) -> "dict[str, ConfidenceInterval]":
        """Bootstrap confidence intervals of the pooled metrics.

        Resamples whole speakers by default (the claim a speaker-independent protocol
        makes is about unseen speakers), or items. With several seeds each resample
        scores the mean over seeds, so the interval covers the data, not the seed.

        Parameters
        ----------
        confidence : float or None, default None
            Level (default: ``self.confidence``, 0.95).
        method : {"percentile", "bca"} or None, default None
            Interval method (default: ``self.ci_method``).
        unit : {"speakers", "items"}, default "speakers"
            What is resampled.
        n_resamples : int or None, default None
            Resamples (default: ``self.n_resamples``).
        seed : int, default 0
            Seeds the resampling.

        Returns
        -------
        dict
            ``{metric: ConfidenceInterval}``.
        """
        confidence = _check_confidence(self.confidence if confidence is None else confidence)
        method = self.ci_method if method is None else method
        n_resamples = self.n_resamples if n_resamples is None else n_resamples
        if unit not in ("speakers", "items"):
            raise ParameterError(f"unit: expected 'speakers' or 'items', got {unit!r}")
        if method not in ("percentile", "bca"):
            raise ParameterError(f"method: expected 'percentile' or 'bca', got {method!r}")
        key = (confidence, method, unit, n_resamples, seed)
        if key in self._ci_cache:
            return self._ci_cache[key]
        aligned = self._aligned()
        first = aligned[0]
        groups = first["speaker"].to_numpy() if unit == "speakers" else None
        if groups is not None and len(set(groups)) < 2:
            raise ParameterError("unit: the test predictions hold one speaker; resample items (unit='items')")
        out = {}
        for m in self.metrics:
            scorers = []
            for p in aligned:
                stat, n, _ = _scorer(p["y_true"].to_numpy(), p["y_pred"].to_numpy(), m)
                scorers.append(stat)
            units, kind = _units(groups, len(first))

            def mean_over_seeds(rows: np.ndarray, scorers: "list[Any]" = scorers) -> float:
                return float(np.mean([f(rows) for f in scorers]))

            est, low, high, dist = _interval(mean_over_seeds, units, int(n_resamples), confidence, method, seed)
            out[_name(m)] = ConfidenceInterval(
                estimate=est, low=low, high=high, confidence=confidence, method=method, n_resamples=int(n_resamples),
                unit=kind, n_units=len(units), metric=_name(m), distribution=dist,
                standard_error=float(np.std(dist, ddof=1)) if len(dist) > 1 else float("nan"))
        self._ci_cache[key] = out
        return out

    def fold_ci(self, metric: Optional[str] = None, *, confidence: Optional[float] = None,
                n_resamples: int = 1000, seed: int = 0) -> Any:
        """Per-fold bootstrap intervals (items of the fold resampled; first seed).

        Parameters
        ----------
        metric : str or None, default None
            The metric (default: the first).
        confidence : float or None, default None
            Level (default: ``self.confidence``).
        n_resamples : int, default 1000
            Resamples per fold.
        seed : int, default 0
            Seeds the resampling.

        Returns
        -------
        pandas.DataFrame
            One row per fold: ``fold``, ``estimate``, ``low``, ``high``.
        """
        import pandas as pd

        from .stats import bootstrap_ci

        metric = self.metrics[0] if metric is None else metric
        confidence = self.confidence if confidence is None else confidence
        p = self.predictions[self.predictions["seed"] == self.seeds[0]]
        rows = []
        for f in self.folds:
            q = p[p["fold"] == f.name]
            if len(q) < 2:
                rows.append({"fold": f.name, "estimate": float("nan"), "low": float("nan"), "high": float("nan")})
                continue
            c = bootstrap_ci(q["y_true"].to_numpy(), q["y_pred"].to_numpy(), metric, n_resamples=n_resamples,
                             confidence=confidence, seed=seed)
            rows.append({"fold": f.name, "estimate": c.estimate, "low": c.low, "high": c.high})
        return pd.DataFrame(rows)

    def confusion(self) -> Any:
        """The confusion matrix of all test predictions (all seeds summed).

        Returns
        -------
        pandas.DataFrame
            Counts, rows = truth, columns = prediction, in ``classes`` order.
        """
        import pandas as pd

        from ..metrics import confusion_matrix

        labels = sorted(set(self.classes) | set(self.predictions["y_true"]), key=str)
        cm = confusion_matrix(self.predictions["y_true"].to_numpy(), self.predictions["y_pred"].to_numpy(),
                              labels=labels)
        return pd.DataFrame(cm, index=pd.Index(labels, name="truth"), columns=pd.Index(labels, name="predicted"))

    def to_frame(self, percent: bool = True) -> Any:
        """The per-fold table.

        Parameters
        ----------
        percent : bool, default True
            Metrics in percent (as the printed table); False for fractions.

        Returns
        -------
        pandas.DataFrame
            ``per_fold``, metrics scaled.
        """
        frame = self.per_fold.copy()
        if percent:
            cols = [c for c in frame.columns if c.removeprefix("valid_") in {_name(m) for m in self.metrics}]
            frame[cols] = frame[cols] * 100.0
        return frame

    def table(self, confidence: Optional[float] = None, digits: int = 1) -> str:
        """The paper-style table: per metric the pooled score, its interval (speakers
        resampled) and the mean and standard deviation over folds, in percent.

        Parameters
        ----------
        confidence : float or None, default None
            Interval level (default: ``self.confidence``).
        digits : int, default 1
            Decimals.

        Returns
        -------
        str
        """
        cis = self.ci(confidence, unit="speakers" if self.predictions["speaker"].nunique() > 1 else "items")
        any_ci = next(iter(cis.values()))
        level = f"{100 * any_ci.confidence:g} % CI"
        n_items = self.predictions[self.predictions["seed"] == self.seeds[0]]["row"].nunique()
        head = (f"protocol {self.protocol}: {len(self.folds)} folds, {n_items} test items, seed(s) "
                f"{', '.join(map(str, self.seeds))}; interval: {any_ci.n_resamples} bootstrap resamples of "
                f"{any_ci.n_units} {any_ci.unit} ({any_ci.method})")
        lines = [head, "", f"{'metric':<12}{'pooled':>8}  {level:<18}{'folds mean ± sd':>16}"]
        pooled = self.pooled
        for m in self.metrics:
            k = _name(m)
            vals = self.per_fold[k].to_numpy(dtype=float)
            c = cis[k]
            interval = f"[{100 * c.low:.{digits}f}, {100 * c.high:.{digits}f}]"
            sd = np.nanstd(vals, ddof=1) if np.sum(~np.isnan(vals)) > 1 else float("nan")
            lines.append(f"{_HEADS.get(k, k):<12}{100 * pooled[k]:>8.{digits}f}  {interval:<18}"
                         f"{f'{100 * np.nanmean(vals):.{digits}f} ± {100 * sd:.{digits}f}':>16}")
        if len(self.seeds) > 1:
            ps = self.per_seed
            lines += ["", "over seeds (pooled score per seed): " + ", ".join(
                f"{_HEADS.get(_name(m), _name(m))} {100 * ps[_name(m)].mean():.{digits}f} ± "
                f"{100 * ps[_name(m)].std(ddof=1):.{digits}f}" for m in self.metrics)]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        return f"CVResult(protocol={self.protocol!r}, folds={len(self.folds)}, seeds={self.seeds}, pooled=" \
               f"{ {k: round(v, 4) for k, v in self.pooled.items()} })"

    # ------------------------------------------------------------------ output

    def plot(self, folder: Union[str, Path]) -> "list[Path]":
        """Two PNG figures: the first metric per fold with its interval
        (``cv_folds.png``) and the pooled confusion matrix (``cv_confusion.png``).
        Needs matplotlib.

        Parameters
        ----------
        folder : str or os.PathLike
            Where the files go (created).

        Returns
        -------
        list of pathlib.Path
        """
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        metric = _name(self.metrics[0])
        fc = self.fold_ci(self.metrics[0])
        pooled = self.pooled[metric]
        cis = self.ci(unit="speakers" if self.predictions["speaker"].nunique() > 1 else "items")[metric]
        width = min(10.0, max(4.0, 0.45 * len(fc) + 2))
        fig, ax = plt.subplots(figsize=(width, 3.6), dpi=100)
        x = np.arange(len(fc))
        est = 100 * fc["estimate"].to_numpy()
        ax.errorbar(x, est, yerr=[est - 100 * fc["low"].to_numpy(), 100 * fc["high"].to_numpy() - est], fmt="o",
                    capsize=3, color="tab:blue", label="fold (items resampled)")
        ax.axhline(100 * pooled, color="tab:red", lw=1, label=f"pooled {100 * pooled:.1f}")
        ax.axhspan(100 * cis.low, 100 * cis.high, color="tab:red", alpha=0.12,
                   label=f"{100 * cis.confidence:g} % CI ({cis.unit})")
        ax.set_xticks(x)
        ax.set_xticklabels(fc["fold"].tolist(), rotation=45, ha="right", fontsize=8)
        ax.set_ylabel(f"{_HEADS.get(metric, metric)} (%)")
        ax.set_title(f"{self.protocol}: {_HEADS.get(metric, metric)} per fold")
        ax.legend(fontsize=7, loc="lower right")
        fig.subplots_adjust(bottom=0.3, left=0.12, right=0.98)
        p1 = folder / "cv_folds.png"
        fig.savefig(p1)
        plt.close(fig)
        cm = self.confusion()
        n = len(cm)
        fig, ax = plt.subplots(figsize=(min(8.0, 1.0 + 0.7 * n + 1.5), min(7.0, 1.0 + 0.7 * n + 1.0)), dpi=100)
        ax.imshow(cm.to_numpy(), cmap="Blues")
        for i in range(n):
            for j in range(n):
                ax.text(j, i, int(cm.iat[i, j]), ha="center", va="center", fontsize=8)
        ax.set_xticks(range(n))
        ax.set_xticklabels([str(c) for c in cm.columns], rotation=45, ha="right")
        ax.set_yticks(range(n))
        ax.set_yticklabels([str(c) for c in cm.index])
        ax.set_xlabel("predicted")
        ax.set_ylabel("truth")
        ax.set_title(f"{self.protocol}: confusion (all folds)")
        fig.tight_layout()
        p2 = folder / "cv_confusion.png"
        fig.savefig(p2)
        plt.close(fig)
        return [p1, p2]

    def save(self, folder: Union[str, Path], *, plots: bool = True) -> "list[Path]":
        """Write the results: ``table.md`` (the table, then the per-fold table),
        ``per_fold.csv``, ``predictions.csv``, ``folds.csv`` (items per class and side) and,
        with ``plots`` and matplotlib, the figures of :meth:`plot`.

        Parameters
        ----------
        folder : str or os.PathLike
            Created if missing.
        plots : bool, default True
            Also draw the PNG figures (skipped without matplotlib).

        Returns
        -------
        list of pathlib.Path
            The files written.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        per_fold = self.to_frame(percent=True).round(2)
        text = "```\n" + self.table() + "\n```\n\n## Per fold (%)\n\n" + per_fold.to_markdown(index=False) \
            if _has_tabulate() else "```\n" + self.table() + "\n\n" + per_fold.to_string(index=False) + "\n```\n"
        (folder / "table.md").write_text(text + "\n")
        files.append(folder / "table.md")
        self.per_fold.to_csv(folder / "per_fold.csv", index=False)
        self.predictions.to_csv(folder / "predictions.csv", index=False)
        self.folds.summary().to_csv(folder / "folds.csv")
        files += [folder / "per_fold.csv", folder / "predictions.csv", folder / "folds.csv"]
        if plots:
            try:
                files += self.plot(folder)
            except ImportError:
                pass
        return files


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


def _set_seed(est: Any, seed: int) -> None:
    params = est.get_params(deep=True) if hasattr(est, "get_params") else {}
    wanted = {k: seed for k in params if k == "random_state" or k.endswith("__random_state")}
    if wanted:
        est.set_params(**wanted)


def _request_groups(est: Any) -> None:
    """Asks every step whose ``fit`` takes ``groups`` and has not said otherwise to receive
    the speakers (affectkit estimators then hold out whole speakers for early stopping)."""
    steps = [s for _, s in est.steps] if hasattr(est, "steps") else [est]
    for step in steps:
        if step is None or step == "passthrough" or not hasattr(step, "set_fit_request"):
            continue
        if "groups" not in inspect.signature(step.fit).parameters:
            continue
        if step.get_metadata_routing().fit.requests.get("groups") is None:
            step.set_fit_request(groups=True)


def _routed(est: Any, method: str, meta: "dict[str, Any]") -> "dict[str, Any]":
    """The metadata ``est.<method>`` consumes (scikit-learn metadata routing)."""
    if not hasattr(est, "get_metadata_routing"):
        return {}
    consumed = est.get_metadata_routing().consumes(method, list(meta))
    return {k: meta[k] for k in consumed}


def cross_validate(
    estimator: Any,
    X: Any,
    manifest: Any,
    protocol: str = "loso",
    *,
    metrics: Any = ("ua", "wa", "macro_f1"),
    seeds: Sequence[int] = (0,),
    n_splits: int = 5,
    validation: Optional[float] = None,
    label: str = "label",
    speaker: str = "speaker",
    session: str = "session",
    taxonomy: Optional[str] = None,
    label_sets: Optional[Dict[str, str]] = None,
    folds: Any = None,
    check_classes: bool = True,
    confidence: float = 0.95,
    n_resamples: int = 2000,
    ci_method: str = "percentile",
) -> CVResult:
    """Cross-validate a classifier under an evaluation protocol.

    For each seed and each fold of :func:`~affectkit.evaluation.splits`: clone the
    estimator, set every ``random_state`` it has to the seed, fit it on the fold's
    training rows (validation rows left out), predict the test rows. Speakers travel as
    ``groups`` and corpora as ``corpus`` through scikit-learn metadata routing to every
    step that asks for them (:class:`~affectkit.SpeakerNormalizer` in ``fit`` and
    ``transform``, :class:`~affectkit.evaluation.CorpusNormalizer`); affectkit
    estimators whose ``fit`` takes ``groups`` are asked to receive them too, so their
    early-stopping split holds out whole speakers.

    Parameters
    ----------
    estimator : scikit-learn classifier or pipeline
        Cloned per fold; never fitted itself.
    X : array-like or DataFrame of shape (n_rows, n_features)
        One row per manifest row (for several manifests: per row of
        :func:`~affectkit.evaluation.combine` of them), in the same order.
    manifest : pandas.DataFrame or list of pandas.DataFrame
        The manifest(s) (labels, speakers, sessions, corpora, splits).
    protocol : str, default "loso"
        See :func:`~affectkit.evaluation.splits`.
    metrics : str, callable or sequence, default ("ua", "wa", "macro_f1")
        Label metrics (``ua``, ``wa``, ``macro_f1``, ``weighted_f1``) or callables
        ``metric(y_true, y_pred) -> float``.
    seeds : sequence of int, default (0,)
        Repeat everything per seed (model initialisation; fold shuffling of the k-fold
        protocols); results are summarised over seeds.
    n_splits : int, default 5
        Folds of the k-fold protocols.
    validation : float or None, default None
        Speaker-disjoint validation fraction of each training side (left out of training;
        scored as ``valid_<metric>``).
    label : str, default "label"
        The label column.
    speaker : str, default "speaker"
        The speaker column.
    session : str, default "session"
        The session column.
    taxonomy : str or None, default None
        Common label set for several manifests (:func:`~affectkit.evaluation.combine`).
    label_sets : dict or None, default None
        ``{corpus: label set}`` for :func:`~affectkit.evaluation.combine`.
    folds : Folds, str, os.PathLike or dict, optional
        Ready-made folds (a :class:`~affectkit.evaluation.Folds`), or the fold files of
        ``protocol="fold-file"``.
    check_classes : bool, default True
        See :func:`~affectkit.evaluation.splits`.
    confidence : float, default 0.95
        Level of the table's intervals.
    n_resamples : int, default 2000
        Bootstrap resamples of the table's intervals.
    ci_method : {"percentile", "bca"}, default "percentile"
        Interval method of the table.

    Returns
    -------
    CVResult
        ``per_fold``, ``pooled``, ``ci()``, ``to_frame()``, ``table()``, ``save()``.

    Examples
    --------
    >>> import affectkit as ak
    >>> from sklearn.pipeline import make_pipeline
    >>> res = ak.evaluation.cross_validate(make_pipeline(ak.SpeakerNormalizer(), ak.EmotionClassifier()),
    ...                                    X, manifest, protocol="loso")   # doctest: +SKIP
    >>> print(res)   # doctest: +SKIP
    """
    import pandas as pd
    import sklearn
    from sklearn.base import clone

    metric_list = _metric_names(metrics)
    confidence = _check_confidence(confidence)
    if ci_method not in ("percentile", "bca"):
        raise ParameterError(f"ci_method: expected 'percentile' or 'bca', got {ci_method!r}")
    if isinstance(seeds, (int, np.integer)):
        seeds = (int(seeds),)
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ParameterError("seeds: expected at least one seed")
    frames = manifest if isinstance(manifest, (list, tuple)) else [manifest]
    table = combine(list(frames), taxonomy=taxonomy, label_sets=label_sets, label=label) \
        if len(frames) > 1 or taxonomy else frames[0]
    n_rows = len(table)
    if not hasattr(X, "shape") and not hasattr(X, "iloc"):
        X = np.asarray(X)
    if len(X) != n_rows:
        raise ParameterError(f"X: expected {n_rows} rows (one per manifest row, in its order), got {len(X)}")
    take = (lambda rows: X.iloc[rows]) if hasattr(X, "iloc") else (lambda rows: X[rows])
    labels = np.array([None if _missing(v) else v for v in table[label]], dtype=object) if label in table.columns \
        else None
    speakers = table[speaker].astype(str).to_numpy() if speaker in table.columns else np.array(["?"] * n_rows)
    corpora = table["corpus"].astype(str).to_numpy() if "corpus" in table.columns else None
    items = table["item"].astype(str).to_numpy() if "item" in table.columns else np.arange(n_rows).astype(str)
    reshuffles = protocol in ("speaker-kfold", "speaker-disjoint-kfold", "speaker-dependent", "random-kfold") or \
        validation is not None
    ready = folds if isinstance(folds, Folds) else None
    split_kw = dict(n_splits=n_splits, validation=validation, label=label, speaker=speaker, session=session,
                    taxonomy=taxonomy, label_sets=label_sets, folds=folds, check_classes=check_classes)

    fold_rows, pred_frames = [], []
    first_folds = None
    classes: "set[Any]" = set()
    for s in seeds:
        if ready is not None:
            fs = ready
        elif first_folds is None or reshuffles:
            fs = splits(manifest, protocol, seed=s, **split_kw)
        else:
            fs = first_folds
        first_folds = first_folds or fs
        for f in fs:
            est = clone(estimator)
            _set_seed(est, s)
            meta_tr = {"groups": speakers[f.train]}
            meta_te = {"groups": speakers[f.test]}
            if corpora is not None:
                meta_tr["corpus"], meta_te["corpus"] = corpora[f.train], corpora[f.test]
            y_tr = labels[f.train].astype(str)
            with sklearn.config_context(enable_metadata_routing=True):
                _request_groups(est)
                est.fit(take(f.train), y_tr, **_routed(est, "fit", meta_tr))
                pred = np.asarray(est.predict(take(f.test), **_routed(est, "predict", meta_te))).astype(str)
                proba = None
                if hasattr(est, "predict_proba"):
                    proba = np.asarray(est.predict_proba(take(f.test), **_routed(est, "predict_proba", meta_te)))
                vpred = None
                if len(f.valid):
                    meta_va = {"groups": speakers[f.valid]}
                    if corpora is not None:
                        meta_va["corpus"] = corpora[f.valid]
                    vpred = np.asarray(est.predict(take(f.valid), **_routed(est, "predict", meta_va))).astype(str)
            est_classes = [str(c) for c in getattr(est, "classes_", np.unique(y_tr))]
            classes |= set(est_classes)
            y_te = labels[f.test].astype(str)
            row = {"seed": s, "fold": f.name, "n_train": len(f.train), "n_valid": len(f.valid), "n_test": len(f.test)}
            for m in metric_list:
                stat, n, _ = _scorer(y_te, pred, m) if len(y_te) > 1 else (None, 0, None)
                row[_name(m)] = stat(np.arange(n)) if stat is not None else float(pred[0] == y_te[0])
            if vpred is not None:
                y_va = labels[f.valid].astype(str)
                for m in metric_list:
                    stat, n, _ = _scorer(y_va, vpred, m)
                    row[f"valid_{_name(m)}"] = stat(np.arange(n))
            fold_rows.append(row)
            frame = pd.DataFrame({"row": f.test, "item": items[f.test], "speaker": speakers[f.test], "seed": s,
                                  "fold": f.name, "y_true": y_te, "y_pred": pred})
            if proba is not None and proba.ndim == 2 and proba.shape[1] == len(est_classes):
                for j, c in enumerate(est_classes):
                    frame[f"p_{c}"] = proba[:, j]
            pred_frames.append(frame)
    predictions = pd.concat(pred_frames, ignore_index=True)
    p_cols = [c for c in predictions.columns if c.startswith("p_")]
    if p_cols:
        predictions[p_cols] = predictions[p_cols].fillna(0.0)
    return CVResult(protocol=first_folds.protocol, metrics=[_name(m) if isinstance(m, str) else m for m in metric_list],
                    folds=first_folds, per_fold=pd.DataFrame(fold_rows), predictions=predictions, seeds=seeds,
                    classes=sorted(classes, key=str), n_resamples=int(n_resamples), confidence=confidence,
                    ci_method=ci_method)
