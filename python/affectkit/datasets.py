"""Data that ships with affectkit.

:func:`sample_paths` lists the bundled recordings: five public-domain LibriVox clips
(Jane Austen, *Sense and Sensibility*) from Debian's pocketsphinx-testdata package, FLAC,
16 kHz mono. Their licence note is ``affectkit/data/samples/LICENSE.md``.
"""

from __future__ import annotations

from pathlib import Path

from .manifest import MANIFEST_COLUMNS, annotations, check_manifest, read_manifest, write_manifest
from .synthetic import ActedCorpus, make_acted_corpus

__all__ = ["sample_paths", "SAMPLES_DIR", "MANIFEST_COLUMNS", "annotations", "check_manifest", "read_manifest",
           "write_manifest"]
__all__ += ["ActedCorpus", "make_acted_corpus"]

SAMPLES_DIR = Path(__file__).resolve().parent / "data" / "samples"


def sample_paths() -> "list[Path]":
    """Paths of the bundled sample recordings, sorted by name."""
    return sorted(SAMPLES_DIR.glob("*.flac"))
