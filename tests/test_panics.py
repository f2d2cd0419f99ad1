"""No panic crosses FFI as PanicException (issue 15): every `_core` binding turns a panic
into ``affectkit.errors.InternalError``.

``_core._test_panic(True)`` makes the compute step of every binding panic on purpose.
The test records one real call of every exported ``_core`` callable (made through the
public API, the way users reach it, with the switch off), replays each with the switch
on, and asserts InternalError for every one; a callable the tour does not reach fails
the test, so a new binding cannot be forgotten.
"""

import inspect
import warnings

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

import affectkit as ak
from affectkit import _core

SR = 16000
T = np.arange(SR) / SR
Y = (0.3 * np.sin(2 * np.pi * 150 * T) + 0.1 * np.sin(2 * np.pi * 300 * T)).astype(np.float32)

# Callables that are not bindings with a compute step, and why.
NOT_BINDINGS = {
    "_test_panic": "the switch itself",
    "_debug_panic": "panics unconditionally (tests/test_errors.py checks it gives InternalError)",
}


def _modules():
    """`{prefix: module}`: `_core` itself ("") and each of its submodules ("labels.", ...)."""
    subs = {f"{n}.": v for n, v in vars(_core).items() if isinstance(v, type(_core))}
    return {"": _core, **subs}


def _callables():
    """Qualified names ("resolve_n_jobs", "audio.mfcc", ...) of every function `_core` and its
    submodules export."""
    return sorted(p + n for p, mod in _modules().items() for n, v in vars(mod).items()
                  if callable(v) and not n.startswith("__") and not isinstance(v, type))


def _owner(qualified):
    """`(module, name)` for a qualified name from `_callables`."""
    prefix, _, name = qualified.rpartition(".")
    return _modules()[f"{prefix}." if prefix else ""], name


def _landmarks(n=6, seed=0):
    ref = ak.face.REFERENCE_SHAPE_3D[:, :2]
    rng = np.random.default_rng(seed)
    return 100 + ref[None] + rng.normal(scale=0.5, size=(n, 68, 2))


def _openface(path):
    cols = {"frame": [1, 2, 3], "face_id": [0, 0, 0], "timestamp": [0.0, 0.033, 0.067],
            "confidence": [0.98, 0.97, 0.96], "success": [1, 1, 1]}
    lm = _landmarks(3)
    for i in range(68):
        cols[f"x_{i}"] = lm[:, i, 0]
    for i in range(68):
        cols[f"y_{i}"] = lm[:, i, 1]
    pd.DataFrame(cols).to_csv(path, index=False)


def _tour(tmp):
    """One public-API call that reaches each binding (small inputs)."""
    wav = tmp / "a.wav"
    sf.write(wav, Y, SR, subtype="PCM_16")
    ak.load(wav)
    ak.load(wav, sr=8000)
    ak.resample(Y, SR, 8000)
    ak.mfcc(Y, SR)
    ak.melspectrogram(Y, SR)
    ak.mfcc_batch([Y, Y], SR)
    ak.melspectrogram_batch([Y, Y], SR)
    ak.audio.resolved_params("mfcc", SR)
    from affectkit.torch import FeatureDataset  # noqa: F401  (audio_info: through the torch loader)
    _core.audio.info(str(wav))

    lm = _landmarks()
    g = ak.face.geometry(lm)
    ak.face.align(lm)
    ak.face.head_pose(lm, image_size=(640, 480))
    ak.face.au_proxies(g)
    ak.face.blinks(np.r_[np.full(10, 0.3), np.full(3, 0.1), np.full(10, 0.3)], fps=30)
    ak.face.dynamics(g, fps=30, window=1.0 / 15)
    ak.face.mesh_geometry(100 + np.random.default_rng(1).normal(size=(2, 478, 3)))
    ak.face.subtract_baseline(g)
    _openface(tmp / "of.csv")
    ak.face.read_openface(tmp / "of.csv")
    for name in ("geometry_names", "mesh_geometry_names", "au_proxy_names", "reference_shape", "regions"):
        getattr(_core.face, name)()  # module constants of affectkit.face, computed at import
    _core.face.scheme_map("mediapipe478")

    ak.f0(Y, SR, method="yin")
    ak.f0_batch([Y, Y], SR, method="yin")
    ak.intensity(Y, SR)
    ak.pooling.functionals(np.abs(Y[:200]).astype(np.float64))
    ak.formants(Y, SR)
    ak.formants_batch([Y, Y], SR)
    ak.voice_quality(Y, SR)
    ak.voice_quality_batch([Y, Y], SR)
    ak.glottal_pulses(Y, SR)
    ak.harmonicity(Y, SR)
    ak.rms(Y, SR)

    items = np.repeat(np.arange(6), 3)
    raters = np.tile(["a", "b", "c"], 6)
    labels = np.array(["ang", "hap", "ang", "sad", "sad", "hap"] * 3)
    ak.labels.majority(items, raters, labels)
    ak.labels.soft(items, raters, labels)
    ak.labels.wawa(items, raters, labels)
    ak.labels.all_inclusive(items, raters, labels)
    ak.labels.unanimous(items, raters, labels)
    ak.labels.dawid_skene(items, raters, labels)
    ak.labels.glad(items, raters, labels)
    ak.labels.mace(items, raters, labels)
    ak.labels.annotator_agreement(items, raters, labels)
    ak.labels.krippendorff_alpha(items, raters, labels)
    ak.labels.fleiss_kappa(items, raters, labels)
    ak.labels.cohen_kappa(labels[::3], labels[1::3])
    ratings = np.random.default_rng(2).normal(size=(20, 3))
    ak.labels.ewe(ratings)
    ak.labels.mean(ratings)
    ak.labels.znorm(ratings)
    ak.labels.align_traces([np.sin(np.arange(100) / 5), np.sin(np.arange(100) / 5 + 0.2)], 25.0)
    ak.labels.map_labels(["ang", "hap"], "ekman6", "ekman6")
    ak.labels.to_valence_arousal(["ang", "hap"], "ekman6")
    _core.labels.class_index(["ang"], "ekman6")  # no Python caller yet
    _core.labels.label_sets()  # the module constant affectkit.labels.LABEL_SETS

    y_true = np.array([0, 1, 2, 1, 0, 2])
    ak.metrics.confusion_matrix(y_true, y_true[::-1])
    ak.metrics.unweighted_accuracy(y_true, y_true[::-1])
    ak.metrics.ccc(np.arange(6.0), np.arange(6.0) ** 1.5)
    ak.metrics.soft_cross_entropy(np.full((3, 2), 0.5), np.full((3, 2), 0.5))

    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 4)).astype(np.float32)
    yc = np.arange(60) % 3
    clf = ak.EmotionClassifier((8,), max_epochs=3, random_state=0).fit(X, yc)
    clf.predict_proba(X)
    clf.save(tmp / "m.akm")
    ak.load_model(tmp / "m.akm")
    mm = ak.MultimodalClassifier(ak.EmotionClassifier((8,), max_epochs=3, random_state=0), fusion="gated")
    mm.fit({"audio": X[:, :2], "face": X[:, 2:]}, yc)
    mm.predict_proba({"audio": X[:, :2], "face": X[:, 2:]})
    mm.save(tmp / "mm.akm")
    ak.load_model(tmp / "mm.akm")
    seqs = [rng.normal(size=(5 + i % 3, 4)).astype(np.float32) for i in range(30)]
    sq = ak.SequenceClassifier(ak.EmotionClassifier((8,), max_epochs=3, random_state=0), pooling="attention")
    sq.fit(seqs, np.arange(30) % 2)
    sq.predict_proba(seqs)
    dd = ak.datasets.make_dialogue_corpus(4, turns=(2, 4), duration=0.5, seed=0)
    D = ak.dialogues.from_manifest(dd.manifest, features={"a": rng.normal(size=(len(dd), 3))})
    dc = ak.DialogueClassifier(ak.EmotionClassifier((), max_epochs=2, random_state=0), hidden_size=4).fit(D)
    dc.predict_proba(D)
    nets = dict(mlp=clf.network_, fusion=mm.estimators_["gated"].network_, sequence=sq.estimator_.network_,
                dialogue=dc.estimator_.network_)
    tr = ak.SequenceRegressor(context_dim=4, max_epochs=2, random_state=0).fit(seqs, [s[:, 0] for s in seqs])
    tr.predict(seqs)
    nets["trace"] = tr.network_
    H = [rng.normal(size=(3, 4 + i % 3, 4)).astype(np.float32) for i in range(20)]
    lw = ak.LayerWeightedClassifier((8,), pooling="attention", max_epochs=3, random_state=0).fit(H, np.arange(20) % 2)
    lw.predict_proba(H)
    nets["layerwise"] = lw.network_

    ak.egemaps(Y, SR)
    ak.egemaps_batch([Y, Y], SR)
    _core.audio.egemaps_stages(Y, float(SR))  # no Python caller: the eGeMAPS stage tests use it
    ak.loudness(Y, SR)

    ak.datasets.make_acted_corpus(n_items=4, n_speakers=2, n_annotators=2, seed=0)
    _core.resolve_n_jobs(1)  # the one rule; affectkit.features uses it
    return nets



@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """`{name: (function, args, kwargs)}`: the first call the tour made of each callable."""
    calls = {}
    originals = {n: getattr(*_owner(n)) for n in _callables()}

    def recorder(name, fn):
        def rec(*args, **kwargs):
            calls.setdefault(name, (fn, args, kwargs))
            return fn(*args, **kwargs)
        return rec

    for n, fn in originals.items():
        setattr(*_owner(n), recorder(n, fn))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nets = _tour(tmp_path_factory.mktemp("tour"))
    finally:
        for n, fn in originals.items():
            setattr(*_owner(n), fn)
    net = nets["mlp"]
    data = net.to_bytes("null")
    x = np.zeros((4, 2), np.float32)
    fusion, sequence = nets["fusion"], nets["sequence"]
    calls["Network.predict_fusion"] = (fusion.predict_fusion, ([x, x], ["audio", "face"]), {})
    calls["Network.predict_sequence"] = (sequence.predict_sequence, (np.zeros((7, 4), np.float32), [3, 4]), {})
    calls["Network.predict_dialogue"] = (nets["dialogue"].predict_dialogue,
                                         ([np.zeros((3, 3), np.float32)], ["a"], [1, 2], [0, 0, 1]), {})
    calls["Network.predict_frames"] = (nets["trace"].predict_frames, (np.zeros((7, 4), np.float32), [3, 4]), {})
    lw = nets["layerwise"]
    items = [np.zeros((3, 3, 4), np.float32), np.zeros((3, 4, 4), np.float32)]
    calls["Network.predict_layerwise"] = (lw.predict_layerwise, (items, True, False), {})
    calls["Network.layer_weights"] = (lambda: lw.layer_weights, (), {})
    calls["Network.layerwise_parameters"] = (lw.layerwise_parameters, (), {})
    # the methods of the network class (bound to a fitted network)
    calls["Network.__new__"] = (_core.models.Network, (data,), {})
    calls["Network.from_bytes"] = (_core.models.Network.from_bytes, (data, "m"), {})
    calls["Network.to_bytes"] = (net.to_bytes, ("null",), {})
    calls["Network.__reduce__"] = (net.__reduce__, (), {})
    calls["Network.predict"] = (net.predict, (np.zeros((2, net.n_inputs), np.float32), True), {})
    calls["Network.n_inputs"] = (lambda: net.n_inputs, (), {})
    calls["Network.n_outputs"] = (lambda: net.n_outputs, (), {})
    return calls


def test_the_tour_reaches_every_binding(recorded):
    missing = [n for n in _callables() if n not in recorded and n not in NOT_BINDINGS]
    assert not missing, f"no recorded call of {missing}: extend _tour"
    methods = {n for n, _ in inspect.getmembers(_core.models.Network) if not n.startswith("_")}
    assert not {m for m in methods if f"Network.{m}" not in recorded}


def test_every_binding_turns_a_panic_into_internal_error(recorded):
    wrong = {}
    assert _core._test_panic(True) is False
    try:
        for name, (fn, args, kwargs) in sorted(recorded.items()):
            try:
                fn(*args, **kwargs)
            except ak.InternalError as e:
                if "_test_panic is on" not in str(e):
                    wrong[name] = f"InternalError without the test panic: {e}"
            except BaseException as e:  # noqa: BLE001 -- PanicException is a BaseException
                wrong[name] = f"{type(e).__module__}.{type(e).__name__}: {e}"
            else:
                wrong[name] = "returned normally"
    finally:
        _core._test_panic(False)
    assert not wrong, wrong
    assert len(recorded) >= len(_callables()) - len(NOT_BINDINGS)
    # the switch is off again: calls work
    assert ak.mfcc(Y, SR).shape[1] == 20
