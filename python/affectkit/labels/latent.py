"""Latent-truth label fusion: Dawid-Skene, one-coin Dawid-Skene (crowd-kit 1.4), GLAD and MACE."""

from __future__ import annotations

from typing import Any, Optional, Sequence
import numpy as np
from .. import _core
from ..errors import ParameterError

from ._table import _DEFAULT_COLUMNS, _Table, _check_missing, _gold
from .results import LabelResult

def _ds(
    model: str,
    items: Any,
    annotators: Any,
    labels: Any,
    n_iter: int,
    tol: float,
    gold: Any,
    n_jobs: Optional[int],
    classes: Any,
    item_ids: Any,
    missing: str,
    columns: Sequence[str],
) -> LabelResult:
    _check_missing(missing)
    if int(n_iter) < 0:
        raise ParameterError(f"n_iter: expected a count >= 0, got {n_iter}")
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    g = _gold(t, gold)
    post, codes, priors, confusion, skills, loss = _core.labels.dawid_skene(
        t.args, model, int(n_iter), float(tol), g, n_jobs
    )
    extra: "dict[str, Any]" = {"priors": priors, "confusion": confusion, "loss_history": loss, "n_iter_": len(loss)}
    if model == "one_coin":
        extra["skills"] = skills
    return LabelResult("dawid_skene" if model == "full" else "one_coin", t, post, codes, missing, **extra)


def dawid_skene(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    n_iter: int = 100,
    tol: float = 1e-5,
    gold: Any = None,
    n_jobs: Optional[int] = 1,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """Dawid-Skene aggregation: one full confusion matrix per annotator, estimated by EM.

    Reproduces crowd-kit 1.4 ``DawidSkene(n_iter=100, tol=1e-5)``: posteriors start as
    majority-vote fractions and priors as their mean; the M-step sums posteriors per
    (annotator, observed label), clips at 1e-10 and normalises per true label; the E-step
    works in log space; EM stops when the evidence lower bound per answer improves by less
    than ``tol``. Hard labels take the first most-probable class on ties, as crowd-kit.
    Differences from crowd-kit: posteriors are not clipped at 1e-10 at the end (rows sum to
    exactly 1); ``n_jobs`` parallelises over items without changing results.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    n_iter : int, default 100
        Most EM iterations.
    tol : float, default 1e-5
        EM stops when the evidence lower bound per answer improves by less than this.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label. Pinned items also inform the confusion matrices (crowd-kit's
        ``true_labels``).
    n_jobs : int or None, default 1
        Threads over items (None: ``AFFECTKIT_NUM_THREADS`` or all cores); results do not
        depend on it.
    classes : sequence, optional
        The classes, the column order of the posterior; a label not in it is an error.
        Default: the sorted distinct labels.
    item_ids : sequence, optional
        The items, the row order of the result; an item nobody annotated gets a NaN row.
        Default: the sorted distinct items.
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    LabelResult
        Besides :class:`LabelResult`'s attributes: ``priors`` (n_classes,), ``confusion``
        (n_annotators, n_classes true, n_classes observed; rows sum to 1 over the labels
        the annotator used; crowd-kit's ``errors_`` transposed), ``loss_history`` (ELBO per
        answer after each iteration) and ``n_iter_``.

    References
    ----------
    Dawid, A. P. and Skene, A. M. (1979). Maximum likelihood estimation of observer
    error-rates using the EM algorithm. Journal of the Royal Statistical Society C 28(1),
    20-28.

    Examples
    --------
    >>> r = dawid_skene([0, 0, 0, 1, 1, 1], [1, 2, 3, 1, 2, 3], ["a", "a", "b", "b", "b", "b"])
    >>> r.labels, r.confusion.shape
    (array(['a', 'b'], dtype='<U1'), (3, 2, 2))
    """
    return _ds("full", items, annotators, labels, n_iter, tol, gold, n_jobs, classes, item_ids, missing, columns)


def one_coin(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    n_iter: int = 100,
    tol: float = 1e-5,
    gold: Any = None,
    n_jobs: Optional[int] = 1,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """One-coin (homogeneous) Dawid-Skene: one skill per annotator, the probability of
    answering correctly, errors spread evenly over the other classes.

    Reproduces crowd-kit 1.4 ``OneCoinDawidSkene``: the M-step sets each annotator's skill
    to the mean posterior of the labels they gave and the error matrix to ``skill`` on the
    diagonal and ``(1 - skill) / (K - 1)`` off it, clipped to ``[1e-10, 1 - 1e-10]``;
    initialisation, E-step and stopping as :func:`dawid_skene`.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    n_iter : int, default 100
        Most EM iterations.
    tol : float, default 1e-5
        EM stops when the evidence lower bound per answer improves by less than this.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label.
    n_jobs : int or None, default 1
        Threads over items (None: ``AFFECTKIT_NUM_THREADS`` or all cores); results do not
        depend on it.
    classes : sequence, optional
        The classes, the column order of the posterior; a label not in it is an error.
        Default: the sorted distinct labels.
    item_ids : sequence, optional
        The items, the row order of the result; an item nobody annotated gets a NaN row.
        Default: the sorted distinct items.
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    LabelResult
        As :func:`dawid_skene`, plus ``skills`` (n_annotators,).

    References
    ----------
    Dawid, A. P. and Skene, A. M. (1979), as :func:`dawid_skene`, with one parameter per
    annotator.

    Examples
    --------
    >>> one_coin([0, 0, 0, 1, 1, 1], [1, 2, 3, 1, 2, 3], ["a", "a", "b", "b", "b", "b"]).skills.shape
    (3,)
    """
    return _ds("one_coin", items, annotators, labels, n_iter, tol, gold, n_jobs, classes, item_ids, missing, columns)


def glad(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    n_iter: int = 100,
    tol: float = 1e-5,
    m_step_max_iter: int = 25,
    m_step_tol: float = 1e-2,
    gold: Any = None,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """GLAD: annotator ability ``alphas``, item log-easiness ``betas``,
    ``P(correct) = sigmoid(alpha_i * exp(beta_j))``, wrong answers spread evenly over the
    other classes.

    Follows crowd-kit 1.4 ``GLAD`` (same defaults, initialisation ``alpha = beta = 1``,
    standard normal priors around 1, uniform class priors, objective and stopping rule per
    (answer, class) pair). The M-step is a conjugate-gradient ascent limited to
    ``m_step_max_iter`` steps like crowd-kit's ``scipy.optimize.minimize(method="CG")``,
    but with its own line search, so iterates and posteriors differ slightly from
    crowd-kit's (labels agree on about 99 % of items in the tests). Needs two or more
    classes.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    n_iter : int, default 100
        Most EM iterations.
    tol : float, default 1e-5
        EM stops when the objective per (answer, class) pair improves by less than this.
    m_step_max_iter : int, default 25
        Most conjugate-gradient steps per M-step.
    m_step_tol : float, default 1e-2
        The M-step stops when no gradient entry exceeds this.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label. Pinned after every E-step (crowd-kit's GLAD takes no gold).
    classes : sequence, optional
        The classes, the column order of the posterior; a label not in it is an error.
        Default: the sorted distinct labels.
    item_ids : sequence, optional
        The items, the row order of the result; an item nobody annotated gets a NaN row.
        Default: the sorted distinct items.
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    LabelResult
        Plus ``alphas`` (n_annotators,), ``betas`` (n_items,), ``loss_history`` and
        ``n_iter_``.

    References
    ----------
    Whitehill, J., Ruvolo, P., Wu, T., Bergsma, J. and Movellan, J. (2009). Whose vote
    should count more: optimal integration of labels from labelers of unknown expertise.
    NIPS 22.

    Examples
    --------
    >>> r = glad([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1])
    >>> r.labels
    array([1, 2])
    """
    _check_missing(missing)
    if int(n_iter) < 0 or int(m_step_max_iter) < 0:
        raise ParameterError(f"n_iter, m_step_max_iter: expected counts >= 0, got {n_iter}, {m_step_max_iter}")
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    post, codes, alphas, betas, loss = _core.labels.glad(
        t.args, int(n_iter), float(tol), int(m_step_max_iter), float(m_step_tol), _gold(t, gold)
    )
    return LabelResult("glad", t, post, codes, missing, alphas=alphas, betas=betas, loss_history=loss, n_iter_=len(loss))


def _appearance_order(codes: np.ndarray, n: int) -> np.ndarray:
    """Codes ordered by first appearance (pandas.factorize order), unused codes last."""
    first = np.full(n, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return np.argsort(first, kind="stable")


def mace(
    items: Any,
    annotators: Any = None,
    labels: Any = None,
    *,
    n_restarts: int = 10,
    n_iter: int = 50,
    method: str = "vb",
    alpha: float = 0.5,
    beta: float = 0.5,
    default_noise: float = 0.5,
    random_state: int = 0,
    gold: Any = None,
    classes: Optional[Sequence[Any]] = None,
    item_ids: Optional[Sequence[Any]] = None,
    missing: str = "nan",
    columns: Sequence[str] = _DEFAULT_COLUMNS,
) -> LabelResult:
    """MACE, Multi-Annotator Competence Estimation: each annotator either knows the true
    label, with probability ``competence``, or answers from their own strategy
    distribution.

    Follows crowd-kit 1.4 ``MACE`` (same defaults): parameters start uniform on
    ``[1, 2 + default_noise]`` and are normalised, drawn with ``numpy.random.RandomState``
    exactly as crowd-kit draws them (annotators and labels in order of first appearance);
    ``n_iter`` rounds per restart and the restart with the highest log marginal likelihood
    wins. Differences from crowd-kit, on purpose: restart ``r`` is seeded with
    ``random_state + r`` (crowd-kit seeds every restart with ``random_state``, so its
    restarts are identical; restart 0 is crowd-kit's run); crowd-kit pairs its strategy
    counts with annotators and labels in sorted order but its parameters in order of
    appearance, which mixes annotators up when the two orders differ, affectkit does not;
    per-item likelihood products are rescaled, so items with many answers do not underflow.

    Parameters
    ----------
    items, annotators, labels : array-like or DataFrame; annotators and labels default None
        The answers in long form, one entry per answer: three equal-length 1-D arrays
        (item id, annotator id, label; strings or numbers), or one pandas DataFrame with
        the columns named by ``columns`` (``annotators`` and ``labels`` then None). A
        missing label (NaN/None) is an error: drop unanswered rows first.
    n_restarts : int, default 10
        Random restarts (>= 1).
    n_iter : int, default 50
        Rounds per restart.
    method : {"vb", "em"}, default "vb"
        ``"vb"``: variational Bayes with Beta(``alpha``, ``beta``) priors on spamming and
        Dirichlet(10) priors on the strategies; ``"em"``: plain EM with crowd-kit's
        smoothing ``0.01 / K``.
    alpha, beta : float, default 0.5
        Beta prior on spamming (``"vb"``).
    default_noise : float, default 0.5
        Spread of the initial parameters (>= 0).
    random_state : int, default 0
        Seed of restart 0.
    gold : mapping or Series, optional
        Known labels, item id -> label: those items get a one-hot posterior and the gold
        label. Pinned in every E-step (crowd-kit's MACE takes no gold).
    classes : sequence, optional
        The classes, the column order of the posterior; a label not in it is an error.
        Default: the sorted distinct labels.
    item_ids : sequence, optional
        The items, the row order of the result; an item nobody annotated gets a NaN row.
        Default: the sorted distinct items.
    missing : {"nan", "drop"}, default "nan"
        Items of ``item_ids`` nobody annotated: NaN rows, or left out.
    columns : sequence of three str, default ("task", "worker", "label")
        The item, annotator and label columns of a DataFrame (crowd-kit's names).

    Returns
    -------
    LabelResult
        Plus ``competence`` (n_annotators,) = P(knows), ``spamming`` (n_annotators, 2) =
        ``[P(spams), P(knows)]`` as crowd-kit's ``spamming_``, ``strategies``
        (n_annotators, n_classes) and ``log_marginal_likelihood``.

    References
    ----------
    Hovy, D., Berg-Kirkpatrick, T., Vaswani, A. and Hovy, E. (2013). Learning whom to trust
    with MACE. NAACL-HLT, 1120-1130.

    Examples
    --------
    >>> r = mace([0, 0, 0, 1, 1, 1], ["a", "b", "c"] * 2, [1, 1, 2, 2, 2, 1])
    >>> r.labels, r.strategies.shape
    (array([1, 2]), (3, 2))
    """
    _check_missing(missing)
    if int(n_restarts) < 1 or int(n_iter) < 0:
        raise ParameterError(f"n_restarts, n_iter: expected >= 1 and >= 0, got {n_restarts}, {n_iter}")
    if not default_noise >= 0:
        raise ParameterError(f"default_noise: expected >= 0, got {default_noise}")
    t = _Table(items, annotators, labels, classes=classes, item_ids=item_ids, columns=columns)
    n_ann, k = len(t.annotator_ids), len(t.classes)
    w_order = _appearance_order(t.annotator_codes, n_ann)
    l_order = _appearance_order(t.label_codes, k)
    spam = np.empty((int(n_restarts), n_ann, 2))
    theta = np.empty((int(n_restarts), n_ann, k))
    for r in range(int(n_restarts)):
        # scipy.stats.uniform(1, 1 + default_noise).rvs(size, random_state=seed)
        s = 1 + (1 + default_noise) * np.random.RandomState(random_state + r).random_sample((n_ann, 2))
        th = 1 + (1 + default_noise) * np.random.RandomState(random_state + r).random_sample((n_ann, k))
        spam[r][w_order] = s / s.sum(axis=1, keepdims=True)
        theta[r][np.ix_(w_order, l_order)] = th / th.sum(axis=1, keepdims=True)
    post, codes, spamming, strategies, loglik = _core.labels.mace(
        t.args, int(n_iter), method, float(alpha), float(beta), spam, theta, _gold(t, gold)
    )
    return LabelResult(
        "mace",
        t,
        post,
        codes,
        missing,
        competence=spamming[:, 1].copy(),
        spamming=spamming,
        strategies=strategies,
        log_marginal_likelihood=loglik,
    )
