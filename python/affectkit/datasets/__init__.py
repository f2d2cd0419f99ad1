"""Data that ships with affectkit.

:func:`sample_paths` lists the bundled recordings: five public-domain LibriVox clips
(Jane Austen, *Sense and Sensibility*) from Debian's pocketsphinx-testdata package, FLAC,
16 kHz mono. Their licence note is ``affectkit/data/samples/LICENSE.md``.
"""

from __future__ import annotations

from pathlib import Path


SAMPLES_DIR = Path(__file__).resolve().parent.parent / "data" / "samples"


def sample_paths() -> "list[Path]":
    """Paths of the bundled sample recordings, sorted by name.

    Returns
    -------
    list of pathlib.Path
        Five LibriVox readings (FLAC, 16 kHz mono; public domain, from Debian's
        pocketsphinx-testdata).

    Examples
    --------
    >>> import affectkit as ak
    >>> len(ak.datasets.sample_paths())
    5
    """
    return sorted(SAMPLES_DIR.glob("*.flac"))


from .corpora import (CORPORA, CORPUS_LABEL_SETS, dimensional_ratings, index, index_crema_d, index_emodb,
                      index_iemocap, index_meld, index_msp_podcast, index_ravdess, index_tess)
from .manifest import (MANIFEST_COLUMNS, SEGMENT_COLUMNS, annotations, check_manifest, read_manifest, segments,
                       write_manifest)
from .synthetic import ActedCorpus, make_acted_corpus, make_dialogue_corpus

__all__ = ["sample_paths", "SAMPLES_DIR", "MANIFEST_COLUMNS", "annotations", "check_manifest", "read_manifest",
           "write_manifest", "SEGMENT_COLUMNS", "segments", "ActedCorpus", "make_acted_corpus", "make_dialogue_corpus",
           "CORPORA", "CORPUS_LABEL_SETS", "index",
           "dimensional_ratings", "index_ravdess", "index_crema_d", "index_emodb", "index_tess", "index_iemocap",
           "index_msp_podcast", "index_meld"]
