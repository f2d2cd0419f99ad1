"""help() of every public function and class lists its parameters with their defaults.

Walks the public API (``ak.__all__`` and the ``__all__`` of ``ak.audio``,
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

import numpy as np
import pytest

import affectkit as ak

# Areas other helpers are rewriting in parallel (labels agreement; estimators and model
# files; the feature pipeline, PyTorch, Dask and metrics; eGeMAPS). Their objects run as
# strict xfails until those branches are merged: THE LEAD EMPTIES THIS SET after merging
# them (a strict xfail that passes fails the run and names the entry to remove).
PENDING_OTHER_HELPERS: "set[str]" = set()

MODULES = ["affectkit", "affectkit.audio", "affectkit.face", "affectkit.datasets",
           "affectkit.labels", "affectkit.metrics", "affectkit.features", "affectkit.distributed",
           "affectkit.models", "affectkit.evaluation", "affectkit.embeddings"]

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
        # numpydoc's "optional" marks a parameter whose default is None
        return (True, None) if re.search(r"\boptional\b", typ) else (False, None)
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
        elif value is not inspect.Parameter.empty and repr(p.default) != "<factory>" \
                and not _same(value, p.default):
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
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue  # constants
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            found[f"{modname}.{name}"] = obj  # where users call it (ak.mfcc, ak.labels.dawid_skene)
    return found


PUBLIC = _public_objects()


# Result types that affectkit builds and users only read: their constructor arguments are
# internal, their docstrings document the attributes instead (checked by hand).
BUILT_BY_AFFECTKIT = {
    "affectkit.labels.AlignedTraces", "affectkit.labels.LabelResult", "affectkit.labels.LabelSet",
    "affectkit.labels.MultiLabelResult", "affectkit.labels.RatingResult",
    "affectkit.features.FeatureTable",  # a pandas DataFrame subclass: pandas' constructor
    "affectkit.metrics.Report",
}


def _cases():
    for qual in sorted(PUBLIC):
        marks = [pytest.mark.xfail(strict=True, reason="PENDING_OTHER_HELPERS: another helper's area")] \
            if qual in PENDING_OTHER_HELPERS else []
        yield pytest.param(qual, id=qual, marks=marks)


def test_pending_names_exist():
    assert PENDING_OTHER_HELPERS <= set(PUBLIC), PENDING_OTHER_HELPERS - set(PUBLIC)


@pytest.mark.parametrize("qualname", list(_cases()))
def test_docstring_lists_every_parameter(qualname):
    if qualname in BUILT_BY_AFFECTKIT:
        pytest.skip("built by affectkit, read by users: the docstring documents attributes, not arguments")
    missing = problems(PUBLIC[qualname])
    assert not missing, f"{qualname}:\n  " + "\n  ".join(missing)


def test_the_walk_covers_the_api():
    for name in ("affectkit.mfcc", "affectkit.prosody", "affectkit.face.FaceGeometry", "affectkit.audio.MFCC",
                 "affectkit.datasets.make_acted_corpus", "affectkit.datasets.index", "affectkit.labels.dawid_skene"):
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


def _accepted(call) -> List[str]:
    """The keywords a call accepts, read from the error an unknown keyword raises."""
    with pytest.raises(ak.ParameterError) as e:
        call(not_a_keyword_of_anything=1)
    return re.search(r"accepted: (.*)$", str(e.value)).group(1).split(", ")


def _entries_with_tag(doc: str, tag: str) -> List[str]:
    """Other Parameters entries whose description starts with ``tag`` (e.g. ``preset="kaldi"``)."""
    body = _sections(inspect.cleandoc(doc)).get("Other Parameters", [])
    out = []
    for k, ln in enumerate(body):
        if ln.strip() and not ln.startswith(" ") and " : " in ln:
            nxt = body[k + 1].strip() if k + 1 < len(body) else ""
            if any(nxt.startswith(f"{t}:") for t in tag.split("|")):
                out.append(ln.split(" : ")[0].strip())
    return out


_Y = np.zeros(16000, np.float32)
KEYWORD_CASES = [
    (ak.mfcc, lambda **kw: ak.mfcc(_Y, 16000, preset="librosa", **kw), '``preset="librosa"``'),
    (ak.mfcc, lambda **kw: ak.mfcc(_Y, 16000, preset="kaldi", **kw), '``preset="kaldi"``'),
    (ak.mfcc, lambda **kw: ak.mfcc(_Y, 16000, preset="htk", **kw), '``preset="htk"``'),
    (ak.melspectrogram, lambda **kw: ak.melspectrogram(_Y, 16000, preset="librosa", **kw), '``preset="librosa"``'),
    (ak.melspectrogram, lambda **kw: ak.melspectrogram(_Y, 16000, preset="kaldi", **kw), '``preset="kaldi"``'),
    (ak.melspectrogram, lambda **kw: ak.melspectrogram(_Y, 16000, preset="htk", **kw), '``preset="htk"``'),
    (ak.f0, lambda **kw: ak.f0(_Y, 16000, method="pyin", **kw), '``method="pyin"``|``method="pyin"``/``"yin"``'),
    (ak.f0, lambda **kw: ak.f0(_Y, 16000, method="yin", **kw), '``method="yin"``|``method="pyin"``/``"yin"``'),
    (ak.f0, lambda **kw: ak.f0(_Y, 16000, method="praat", **kw), "Praat pitch (ac)"),
    (ak.voice_quality, lambda **kw: ak.voice_quality(_Y, 16000, **kw), ""),
    (ak.prosody, lambda **kw: ak.prosody(_Y, 16000, **kw), ""),
    (ak.glottal_pulses, lambda **kw: ak.glottal_pulses(_Y, 16000, **kw), ""),
]


@pytest.mark.parametrize("func, call, tag", KEYWORD_CASES,
                         ids=[f"{f.__name__}-{t or 'all'}" for f, _, t in KEYWORD_CASES])
def test_help_lists_the_keywords_each_preset_accepts(func, call, tag):
    """Every keyword a preset (or method) accepts is documented in help(), under its own
    entry or as an alias named in the text; every entry tagged with a preset is accepted
    by that preset."""
    doc = func.__doc__
    entries = documented_parameters(doc)
    accepted = _accepted(call)
    for kw in accepted:
        assert kw in entries or f"``{kw}``" in doc, f"{func.__name__}: {kw} (accepted) is not documented"
    if tag:
        tagged = _entries_with_tag(doc, tag)
        assert tagged, f"{func.__name__}: no entry is tagged {tag}"
        for kw in tagged:
            assert kw in accepted, f"{func.__name__}: {kw} is documented for {tag} but not accepted there"


def test_dir_lists_the_lazy_names():
    names = dir(ak)
    for name in ("EmotionClassifier", "EmotionRegressor", "MultimodalClassifier", "SequenceClassifier",
                 "MultitaskEmotionModel", "load_model", "face", "audio", "metrics", "models", "features", "torch",
                 "distributed", "mfcc", "labels"):
        assert name in names, name
    assert set(ak.__all__) <= set(names)
    assert names == sorted(names)
