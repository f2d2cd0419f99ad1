"""The API reference renders from the docstrings (pdoc), so a broken docstring fails here.

Build it yourself: ``python -m pdoc --docformat numpy -o api-docs affectkit '!affectkit._util'``
(docs/api.md).
"""

from __future__ import annotations

import warnings

import pytest

# names affectkit loads on first use (scikit-learn estimators, the evaluation statistics):
# pdoc documents them in the modules that define them (affectkit.models,
# affectkit.audio.transformers, affectkit.evaluation)
LAZY = {"EmotionClassifier", "EmotionRegressor", "MultimodalClassifier", "SequenceClassifier", "load_model",
        "MultitaskEmotionModel", "MFCC", "LogMel", "Prosody", "EGeMAPS",
        "SpeakerNormalizer", "TemperatureScaler", "bootstrap_ci", "paired_test", "calibration", "fairness"}
LAZY |= {"emotion_shift_report"}  # affectkit.metrics -> affectkit.dialogues
LAZY |= {"DialogueClassifier"}
LAZY |= {"SequenceRegressor", "ccc_over_time"}
LAZY |= {"LayerWeightedClassifier", "LayerWeightedRegressor"}


def test_api_reference_builds(tmp_path):
    pdoc = pytest.importorskip("pdoc")
    import pdoc.render

    pdoc.render.configure(docformat="numpy")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdoc.pdoc("affectkit", "!affectkit._util", output_directory=tmp_path)
    ours = [str(w.message) for w in caught if "affectkit" in str(w.message)
            and not any(f"Found '{name}' in affectkit" in str(w.message) for name in LAZY)]
    assert ours == []
    pages = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html")}
    for page in ("affectkit.html", "affectkit/audio.html", "affectkit/labels.html", "affectkit/models.html",
                 "affectkit/features.html", "affectkit/face.html", "affectkit/datasets.html",
                 "affectkit/evaluation.html", "affectkit/dialogues.html", "affectkit/embeddings.html"):
        assert page in pages, sorted(pages)
    text = (tmp_path / "affectkit" / "labels.html").read_text()
    assert "dawid_skene" in text and "Parameters" in text
