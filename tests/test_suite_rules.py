"""Rules of the test suite itself: a missing reference skips only the tests that need it."""

from __future__ import annotations

import ast
from pathlib import Path

from references import missing_required, reference

TESTS = Path(__file__).resolve().parent

# property tests whose every test is a hypothesis decorator: the whole file needs it
WHOLE_FILE_OK = {"test_fuzz_api.py"}


def whole_file_skips(source: str) -> "list[int]":
    """Lines of module-level ``pytest.importorskip`` / ``skip(allow_module_level=True)``."""
    lines = []
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute) and sub.attr == "importorskip":
                lines.append(node.lineno)
            if isinstance(sub, ast.keyword) and sub.arg == "allow_module_level":
                lines.append(node.lineno)
    return sorted(set(lines))


def test_no_test_file_skips_as_a_whole():
    found = {p.relative_to(TESTS).as_posix(): whole_file_skips(p.read_text())
             for p in TESTS.rglob("test_*.py") if p.name not in WHOLE_FILE_OK}
    assert {k: v for k, v in found.items() if v} == {}, "use references.reference(...) so only the tests that need it skip"


def test_the_rule_sees_a_whole_file_skip():
    assert whole_file_skips('import pytest\nlibrosa = pytest.importorskip("librosa")\n') == [2]
    assert whole_file_skips('import pytest\ndef test_a():\n    pytest.importorskip("librosa")\n') == []


def test_a_missing_reference_skips_the_test_that_uses_it():
    import pytest

    missing = reference("affectkit_no_such_reference")
    with pytest.raises(pytest.skip.Exception, match="could not import"):
        missing.anything


def test_ci_fails_on_skips_for_listed_references():
    assert missing_required("could not import 'librosa': No module named 'librosa'") == "librosa"
    assert missing_required("Skipped: could not import 'parselmouth': No module named 'parselmouth'") == "parselmouth"
    assert missing_required("could not import 'torch': No module named 'torch'") is None  # optional
    assert missing_required("needs a GPU") is None
    requirements = (TESTS / "requirements.txt").read_text()
    for name in ("librosa", "praat-parselmouth", "opensmile", "crowd-kit", "pdoc"):
        assert name in requirements
