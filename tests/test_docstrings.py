"""help() of every public function and class lists its parameters with their defaults.

Walks the public API (``ak.__all__`` and the ``__all__`` of ``ak.prosody``, ``ak.audio``,
``ak.face``, ``ak.datasets``, ``ak.labels``, ``ak.metrics``, ``ak.features``,
``ak.distributed``, ``ak.models``) and checks each function's and class's docstring in
numpydoc form: every parameter of ``inspect.signature`` (``*args``/``**kwargs`` as
``*args``/``**kwargs``) has an entry in its "Parameters" or "Other Parameters" section
(classes: also "Attributes", for result types); an entry of a parameter with a default
says ``default ...``, and where that default is a plain literal it equals the real one.
Also: ``dir(ak)`` lists the lazily loaded names.
"""

from __future__ import annotations

import ast
import enum
import importlib
import inspect
import re
from typing import Dict, List, Optional, Tuple

import pytest

import affectkit as ak

# Areas other helpers are rewriting in parallel (labels agreement; estimators and model
# files; the feature pipeline, PyTorch, Dask and metrics; eGeMAPS). Their objects run as
# strict xfails until those branches are merged: THE LEAD EMPTIES THIS SET after merging
# them (a strict xfail that passes fails the run and names the entry to remove).
PENDING_OTHER_HELPERS = {
    # eGeMAPS helper
    "affectkit.egemaps.egemaps", "affectkit.egemaps.egemaps_batch", "affectkit.egemaps.loudness",
    # feature pipeline and CLI helper
    "affectkit.features.Feature", "affectkit.features.FeatureTable", "affectkit.features.register",
    "affectkit.features.available", "affectkit.features.featurize", "affectkit.features.extract",
    "affectkit.features.pool", "affectkit.distributed.extract",
}

MODULES = ["affectkit", "affectkit.prosody", "affectkit.audio", "affectkit.face", "affectkit.datasets",
           "affectkit.labels", "affectkit.metrics", "affectkit.features", "affectkit.distributed",
           "affectkit.models"]

_SECTION_NAMES = ("Parameters", "Other Parameters", "Attributes")


def _sections(doc: str) -> Dict[str, List[str]]:
    """numpydoc sections of a cleaned docstring: title -> its lines."""
    lines = doc.split("\n")
    out: Dict[str, List[str]] = {}
    title = None
    i = 0
    while i < len(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if lines[i].strip() and re.fullmatch(r"\s*-{3,}\s*", nxt) and len(nxt.strip()) == len(lines[i].strip()):
            title = lines[i].strip()
            out[title] = []
            i += 2
            continue
        if title is not None:
            out[title].append(lines[i])
        i += 1
    return out


def documented_parameters(doc: Optional[str], sections=_SECTION_NAMES) -> Dict[str, str]:
    """``{name: type line}`` of the entries in the given numpydoc sections."""
    entries: Dict[str, str] = {}
    secs = _sections(inspect.cleandoc(doc or ""))
    for name in sections:
        body = secs.get(name, [])
        indents = [len(ln) - len(ln.lstrip()) for ln in body if ln.strip()]
        if not indents:
            continue
        base = min(indents)
        for ln in body:
            if not ln.strip() or len(ln) - len(ln.lstrip()) != base:
                continue
            head, _, typ = ln.strip().partition(" : ")
            for p in head.split(","):
                p = p.strip()
                if re.fullmatch(r"\*{0,2}[A-Za-z_][A-Za-z0-9_]*", p):
                    entries[p] = typ.strip()
    return entries


def _documented_default(typ: str) -> Tuple[bool, object]:
    """(said, value): whether the type line states a default, and its value when it is a literal."""
    m = re.search(r"\bdefault(?:s to)?\b\s*[=:]?\s*(.*)$", typ)
    if not m:
        return False, None
    text = m.group(1).strip().rstrip(".")
    try:
        return True, ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return True, inspect.Parameter.empty  # said, but not a literal (e.g. ``np.nan``)


def _same(a: object, b: object) -> bool:
    if isinstance(a, enum.Enum) or isinstance(b, enum.Enum):
        return a == b
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    return a == b


def problems(obj: object) -> List[str]:
    """What the docstring of ``obj`` misses (empty when it is complete)."""
    sections = _SECTION_NAMES if inspect.isclass(obj) else _SECTION_NAMES[:2]
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    doc = inspect.getdoc(obj) if not inspect.isclass(obj) else obj.__doc__
    entries = documented_parameters(doc, sections)
    out = []
    for p in sig.parameters.values():
        key = {p.VAR_POSITIONAL: "*", p.VAR_KEYWORD: "**"}.get(p.kind, "") + p.name
        if key not in entries:
            out.append(f"{key}: no entry in {' / '.join(sections)}")
            continue
        if p.default is p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        said, value = _documented_default(entries[key])
        if not said:
            out.append(f"{key}: the entry does not state its default ({p.default!r})")
        elif value is not inspect.Parameter.empty and not _same(value, p.default):
            out.append(f"{key}: documented default {value!r}, real default {p.default!r}")
    return out


def _public_objects() -> Dict[str, object]:
    found: Dict[str, object] = {}
    seen = set()
    for modname in MODULES:
        mod = importlib.import_module(modname)
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if inspect.ismodule(obj) and not callable(obj):
                continue
            if isinstance(obj, type) and issubclass(obj, BaseException):
                continue  # the exceptions: documented in affectkit.errors
            if inspect.ismodule(obj):  # ak.prosody: the module is callable as its prosody()
                obj = obj.prosody
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue  # constants
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


PUBLIC = _public_objects()


def _cases():
    for qual in sorted(PUBLIC):
        marks = [pytest.mark.xfail(strict=True, reason="pending: another helper's area")] \
            if qual in PENDING_OTHER_HELPERS or qual.startswith("affectkit.labels.") \
            or qual.startswith("affectkit.models.") or qual.startswith("affectkit.metrics.") else []
        yield pytest.param(qual, id=qual, marks=marks)


@pytest.mark.parametrize("qualname", list(_cases()))
def test_docstring_lists_every_parameter(qualname):
    missing = problems(PUBLIC[qualname])
    assert not missing, f"{qualname}:\n  " + "\n  ".join(missing)


def test_the_walk_covers_the_api():
    for name in ("affectkit.frontend.mfcc", "affectkit.prosody.prosody", "affectkit.face.FaceGeometry",
                 "affectkit.audio.MFCC", "affectkit.synthetic.make_acted_corpus", "affectkit.corpora.index",
                 "affectkit.models.EmotionClassifier", "affectkit.labels.dawid_skene"):
        assert name in PUBLIC, name
    assert len(PUBLIC) > 80


def test_the_checker_catches_what_it_should():
    def f(y, sr, *, n=3, mode="a", **params):
        """Do it.

        Parameters
        ----------
        y, sr : array, float
            Input.
        n : int, default 4
            Count.
        mode : str
            No default said.
        """

    assert problems(f) == ["n: documented default 4, real default 3",
                           "mode: the entry does not state its default ('a')",
                           "**params: no entry in Parameters / Other Parameters"]

    def g(y, *, fill=float("nan"), **params):
        """Do it.

        Parameters
        ----------
        y : array
        fill : float, default NaN
            Not a literal: only its presence is checked.

        Other Parameters
        ----------------
        **params
            Anything.
        """

    assert problems(g) == []


def test_help_of_mfcc_lists_every_preset_keyword():
    text = ak.mfcc.__doc__
    for kw in ("n_fft", "hop_length", "htk", "mel_norm", "top_db", "frame_length", "window_type", "num_mel_bins",
               "cepstral_lifter", "snip_edges", "winlen", "winstep", "nfilt", "appendEnergy", "winfunc",
               "delta_width", "cmvn"):
        assert re.search(rf"^\s*{kw}\b.* : ", text, re.M) or re.search(rf"^\s*(\w+, )*{kw}(, \w+)* : ", text, re.M), kw
    for kw in ("n_fft", "fmin", "num_mel_bins", "nfilt", "use_log_fbank"):
        assert re.search(rf"^\s*(\w+, )*{kw}(, \w+)* : ", ak.melspectrogram.__doc__, re.M), kw


def test_dir_lists_the_lazy_names():
    names = dir(ak)
    for name in ("EmotionClassifier", "EmotionRegressor", "MultimodalClassifier", "SequenceClassifier",
                 "MultitaskEmotionModel", "load_model", "face", "audio", "metrics", "models", "features", "torch",
                 "distributed", "mfcc", "labels"):
        assert name in names, name
    assert set(ak.__all__) <= set(names)
    assert names == sorted(names)
