"""Reference libraries for parity tests, imported by the test that uses them.

``librosa = reference("librosa")`` at the top of a test file replaces
``pytest.importorskip("librosa")``: the import happens on first attribute access, inside
the test, so a missing reference skips only the tests that compare with it (a whole-file
skip would hide the file's other tests). ``conftest.py`` turns such a skip into a failure
when ``AFFECTKIT_REQUIRE_REFERENCES=1`` (set by ``.ci/run``) and the module is one that
tests/requirements.txt installs (:data:`REQUIRED`).
"""

from __future__ import annotations

from typing import Any

import pytest

#: Import names of the references tests/requirements.txt installs. The torch family stays
#: optional: its comparisons fall back to committed golden files.
REQUIRED = frozenset({
    "scipy", "librosa", "python_speech_features", "soundfile", "soxr", "sklearn", "cv2", "pandas",
    "parselmouth", "crowdkit", "krippendorff", "statsmodels", "opensmile", "dask", "distributed",
    "matplotlib", "hypothesis", "av", "pdoc",
})

#: What a skip for a missing module says (pytest.importorskip's message starts with this).
SKIP_PREFIX = "could not import "


class reference:  # noqa: N801 - reads as a module at the call site
    """A module imported on first use, skipping the current test when it is missing."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(pytest.importorskip(self._name), attr)

    def __repr__(self) -> str:
        return f"reference({self._name!r})"


def missing_required(skip_reason: str) -> "str | None":
    """The required module a skip reason says is missing, else None."""
    if skip_reason.startswith("Skipped: "):
        skip_reason = skip_reason[len("Skipped: "):]
    if not skip_reason.startswith(SKIP_PREFIX):
        return None
    name = skip_reason[len(SKIP_PREFIX):].split(":")[0].strip("'\" ")
    return name if name.split(".")[0] in REQUIRED else None
