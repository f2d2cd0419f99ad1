"""Corpus indexers: turn a LOCAL copy of an emotion corpus into a manifest.

Nothing is downloaded or redistributed: each indexer walks the folder you obtained from
the corpus's authors, parses its file names and annotation files, and returns a
manifest (see :mod:`affectkit.datasets.manifest`): the core columns
``corpus, item, path, speaker, label, split`` followed by the corpus's own extras.

>>> man = ak.datasets.index("ravdess", "/data/RAVDESS")          # doctest: +SKIP
>>> man = ak.datasets.index_iemocap("/data/IEMOCAP_full_release")  # doctest: +SKIP
>>> r = ak.labels.dawid_skene(ak.datasets.annotations(man))        # doctest: +SKIP

``label`` holds the class *names* of ``ak.labels.label_set(<corpus>)`` (``"happiness"``,
``"anger"``, ...), so ``ak.labels.map_labels(man.label, source, target)`` brings corpora
to a common set; :data:`CORPUS_LABEL_SETS` names the source set of each corpus (TESS
has no set of its own: its seven emotions are spelled as ``ekman7``'s classes). The
per-annotator answers in ``annotations`` use the same names.

Errors: a file that does not follow the corpus's layout raises
:class:`~affectkit.errors.ParameterError` naming the file and the expected pattern
(``strict=False`` skips such files and warns once with their count); a folder with no
matching file raises :class:`~affectkit.errors.ParameterError` saying so; an annotation
file that cannot be parsed raises :class:`~affectkit.errors.ReadError` naming the file
and line.
"""

from __future__ import annotations

from typing import Any, Callable, Dict
from ...errors import ParameterError

from ._common import CORPORA, CORPUS_LABEL_SETS, PathLike, _code_to_class, _find_file, _root, _start
from .crema_d import index_crema_d
from .emodb import index_emodb
from .iemocap import _iemocap_evaluation, index_iemocap
from .meld import index_meld
from .msp_podcast import _msp_detailed, index_msp_podcast
from .ravdess import index_ravdess
from .tess import index_tess

__all__ = ["CORPORA", "CORPUS_LABEL_SETS", "index", "dimensional_ratings", "index_ravdess", "index_crema_d",
           "index_emodb", "index_tess", "index_iemocap", "index_msp_podcast", "index_meld"]

# --------------------------------------------------------------------------- dimensional ratings


def dimensional_ratings(corpus: str, root: PathLike) -> Any:
    """Every annotator's own valence, arousal and dominance ratings, as a long DataFrame
    ``task, worker, valence, arousal, dominance`` (one row per annotator and item; ``task``
    is the manifest's ``item``), for the corpora that publish them:

    - ``"iemocap"``: the ``A-E1:<TAB>val 3; act 2; dom 2;`` lines of every EmoEvaluation
      file (1-5 scale; ``worker`` as the file writes it: ``E1``, ``F1``, ...);
    - ``"msp-podcast"``: ``Labels/labels_detailed.csv`` (1-7 scale; the ``A:``, ``V:``,
      ``D:`` fields of ``EmoDetail`` or the ``EmoAct``, ``EmoVal``, ``EmoDom`` columns).

    The manifest's ``valence``/``arousal``/``dominance`` are the corpora's consensus
    (the mean of these); fuse them yourself with, e.g., the Evaluator Weighted Estimator.

    Parameters
    ----------
    corpus : {"iemocap", "msp-podcast"}
        The corpus.
    root : str or os.PathLike
        The folder of your local copy.

    Returns
    -------
    pandas.DataFrame
        Columns ``task, worker, valence, arousal, dominance``.

    Examples
    --------
    >>> r = ak.datasets.dimensional_ratings("iemocap", root)                      # doctest: +SKIP
    >>> m, items, raters = ak.labels.ratings_matrix(r.task, r.worker, r.arousal)  # doctest: +SKIP
    >>> ak.labels.ewe(m).consensus                                                # doctest: +SKIP
    """
    import pandas as pd

    key = _corpus_key(corpus)
    columns = ["task", "worker", "valence", "arousal", "dominance"]
    if key == "iemocap":
        base, layout, classes = _start("iemocap", root, "SessionN/dialog/EmoEvaluation/<dialog>.txt", True)
        rows = [(t["turn"], worker, *vad)
                for ev in sorted(base.glob("Session*/dialog/EmoEvaluation/*.txt")) if not ev.name.startswith(".")
                for t in _iemocap_evaluation(ev, classes) for worker, vad in t["ratings"].items()]
        layout.finish(len(rows), base)
    elif key == "msp-podcast":
        base = _root(root, "msp-podcast")
        path = _find_file(base, "labels_detailed.csv", ["Labels"])
        if path is None:
            raise ParameterError(f"msp-podcast: no files matched Labels/labels_detailed.csv under {base}")
        rows = _msp_detailed(path, _code_to_class("msp-podcast"), with_dimensions=True)[1]
    else:
        raise ParameterError(f"corpus: per-annotator dimensional ratings exist for iemocap and msp-podcast, "
                             f"got {corpus!r}")
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- dispatcher

_INDEXERS: Dict[str, Callable[..., Any]] = {
    "ravdess": index_ravdess, "crema-d": index_crema_d, "emodb": index_emodb, "tess": index_tess,
    "iemocap": index_iemocap, "msp-podcast": index_msp_podcast, "meld": index_meld,
}


def index(corpus: str, root: PathLike, **options: Any) -> Any:
    """Index the local copy of a corpus and return its manifest (nothing is downloaded
    or copied: the manifest points at your files).

    Parameters
    ----------
    corpus : str
        One of :data:`CORPORA`, case-insensitive (``"crema_d"``/``"cremad"`` and
        ``"msp_podcast"`` work too).
    root : str or os.PathLike
        The folder of your local copy.
    **options
        The corpus indexer's keywords: ``strict`` for all,
        ``index_ravdess(root, video=...)``, ``index_crema_d(root, ratings=...)``.

    Returns
    -------
    pandas.DataFrame
        The manifest, as the corpus's ``index_<corpus>`` function describes it.

    Examples
    --------
    >>> man = ak.datasets.index("crema-d", "/data/CREMA-D")   # doctest: +SKIP
    >>> man.groupby("label").size()                           # doctest: +SKIP
    """
    return _INDEXERS[_corpus_key(corpus)](root, **options)


def _corpus_key(corpus: str) -> str:
    key = str(corpus).strip().lower().replace("_", "-")
    key = {"cremad": "crema-d", "msppodcast": "msp-podcast", "emo-db": "emodb"}.get(key, key)
    if key not in CORPORA:
        raise ParameterError(f"corpus: expected one of {list(CORPORA)}, got {corpus!r}")
    return key
