"""The synthetic acted corpus: determinism, the emotion cues measured with affectkit's own
extractors, the annotators' confusion matrices, the manifest and bad input."""

import numpy as np
import pandas as pd
import pytest

import affectkit as ak
from affectkit.errors import InputTypeError, ParameterError

CLASSES = ("neutral", "happy", "sad", "angry", "fearful")


@pytest.fixture(scope="module")
def corpus():
    # 12 speakers x 5 emotions x 2 takes
    return ak.datasets.make_acted_corpus(120, n_speakers=12, seed=3)


def _by_class(ds, values):
    values = np.asarray(values, dtype=float)
    return {c: values[ds.labels == c] for c in ds.classes}


def _paired(ds, values, a, b):
    """Fraction of speakers whose mean for class a exceeds their mean for class b."""
    values = np.asarray(values, dtype=float)
    wins = []
    for s in np.unique(ds.speakers):
        m = ds.speakers == s
        wins.append(np.nanmean(values[m & (ds.labels == a)]) > np.nanmean(values[m & (ds.labels == b)]))
    return float(np.mean(wins))


def test_same_seed_same_corpus_for_any_thread_count():
    a = ak.datasets.make_acted_corpus(15, n_speakers=3, seed=7, n_jobs=1)
    b = ak.datasets.make_acted_corpus(15, n_speakers=3, seed=7, n_jobs=2)
    c = ak.datasets.make_acted_corpus(15, n_speakers=3, seed=8, n_jobs=2)
    for x, y in zip(a.audio, b.audio):
        np.testing.assert_array_equal(x, y)
    for x, y in zip(a.landmarks, b.landmarks):
        np.testing.assert_array_equal(x, y)
    pd.testing.assert_frame_equal(a.annotations, b.annotations)
    np.testing.assert_array_equal(a.confusions, b.confusions)
    assert not np.array_equal(a.audio[0], c.audio[0])
    assert not np.array_equal(a.landmarks[0], c.landmarks[0])


def test_shapes_dtypes_and_design(corpus):
    ds = corpus
    assert len(ds) == 120 and ds.classes == CLASSES and ds.sr == 16000 and ds.fps == 30
    for y, lm in zip(ds.audio, ds.landmarks):
        assert y.dtype == np.float32 and lm.dtype == np.float32
        secs = len(y) / ds.sr
        assert 1.5 <= secs <= 3.0
        assert lm.shape == (int(np.floor(secs * ds.fps)), 68, 2)
        assert np.isfinite(y).all() and np.abs(y).max() < 1.0
    # balanced: every speaker portrays every class twice
    counts = pd.crosstab(ds.speakers, ds.labels)
    assert (counts.to_numpy() == 2).all()
    assert ds.confusions.shape == (5, 5, 5)
    np.testing.assert_allclose(ds.confusions.sum(axis=2), 1.0)
    assert ds.skills == ("good", "average", "near-random", "good", "average")


def test_manifest_follows_the_contract_with_a_speaker_independent_split(corpus):
    man = ak.datasets.check_manifest(corpus.manifest)
    assert tuple(man.columns[:6]) == ak.datasets.MANIFEST_COLUMNS
    assert (man["corpus"] == "synthetic").all() and (man["path"] == "").all()
    assert list(man["label"]) == list(corpus.labels)
    splits = man.groupby("speaker")["split"].nunique()
    assert (splits == 1).all()  # no speaker in two parts
    per_split = man.groupby("split")["speaker"].nunique().to_dict()
    assert per_split == {"train": 9, "dev": 1, "test": 2}
    long = ak.datasets.annotations(man)
    pd.testing.assert_frame_equal(long, corpus.annotations)
    assert len(long) == 120 * 5


def test_female_speakers_have_higher_f0(corpus):
    f0 = [np.nanmedian(ak.f0(y, corpus.sr, method="yin", fmin=60, fmax=600).f0) for y in corpus.audio]
    f0 = np.asarray(f0)
    neutral = corpus.labels == "neutral"
    assert np.median(f0[neutral & (corpus.genders == "f")]) > 1.4 * np.median(f0[neutral & (corpus.genders == "m")])


def test_f0_level_follows_juslin_and_laukka(corpus):
    f0 = [np.nanmean(ak.f0(y, corpus.sr, method="pyin").f0) for y in corpus.audio]
    # within each speaker: angry above neutral above sad
    assert _paired(corpus, f0, "angry", "neutral") >= 0.9
    assert _paired(corpus, f0, "neutral", "sad") >= 0.9
    assert _paired(corpus, f0, "fearful", "neutral") >= 0.9


def test_f0_range_is_wider_in_anger_and_happiness_than_in_sadness(corpus):
    def semitone_sd(y):
        f = ak.f0(y, corpus.sr, method="pyin").f0
        f = f[np.isfinite(f)]
        return np.std(12 * np.log2(f))

    sd = [semitone_sd(y) for y in corpus.audio]
    assert _paired(corpus, sd, "angry", "sad") >= 0.9
    assert _paired(corpus, sd, "happy", "sad") >= 0.9


def test_loudness_and_high_frequency_energy_angry_above_sad(corpus):
    feats = ak.egemaps_batch(corpus.audio, corpus.sr)
    names = list(ak.EGEMAPS_FUNCTIONALS)
    loud = feats[:, names.index("loudness_sma3_amean")]
    # Hammarberg index: strongest peak 0-2 kHz minus 2-5 kHz (dB); smaller = more HF energy
    hammarberg = feats[:, names.index("hammarbergIndexV_sma3nz_amean")]
    assert _paired(corpus, loud, "angry", "sad") == 1.0
    assert _paired(corpus, loud, "angry", "neutral") >= 0.9
    assert _paired(corpus, hammarberg, "sad", "angry") >= 0.9
    intensity = [np.nanmean(ak.intensity(y, corpus.sr)["intensity_db"]) for y in corpus.audio]
    assert _paired(corpus, intensity, "angry", "sad") == 1.0


def test_jitter_fear_above_neutral(corpus):
    jitter = [ak.voice_quality(y, corpus.sr)["jitter_local"] for y in corpus.audio]
    assert _paired(corpus, jitter, "fearful", "neutral") >= 0.9


def test_face_expressions_follow_ekman_prototypes(corpus):
    names = list(ak.face.GEOMETRY_NAMES)

    def clip_mean(name):
        k = names.index(name)
        return [np.nanmean(ak.face.geometry(lm.astype(np.float64))[:, k]) for lm in corpus.landmarks]

    corners = np.add(clip_mean("lip_corner_pull_vertical_left"), clip_mean("lip_corner_pull_vertical_right"))
    assert _paired(corpus, corners, "happy", "neutral") == 1.0   # AU12
    # AU15: subjects differ in expressivity (0.3-1), so the least expressive can tie
    assert _paired(corpus, corners, "neutral", "sad") >= 0.75
    by = _by_class(corpus, corners)
    assert np.median(by["happy"]) > np.median(by["neutral"]) > np.median(by["sad"])
    inner_brow = np.add(clip_mean("inner_brow_raise_left"), clip_mean("inner_brow_raise_right"))
    assert _paired(corpus, inner_brow, "sad", "neutral") >= 0.9  # AU1
    furrow = clip_mean("brow_furrow")
    assert _paired(corpus, furrow, "neutral", "angry") >= 0.9    # AU4 pulls the brows together
    eye = clip_mean("eye_openness_left")
    assert _paired(corpus, eye, "fearful", "neutral") >= 0.9     # AU5


def test_mouth_moves_with_the_speech():
    ds = ak.datasets.make_acted_corpus(6, n_speakers=2, classes=["neutral"], seed=2)
    k = list(ak.face.GEOMETRY_NAMES).index("mouth_opening")
    for y, lm in zip(ds.audio, ds.landmarks):
        opening = ak.face.geometry(lm.astype(np.float64))[:, k]
        hop = ds.sr // int(ds.fps)
        energy = np.array([np.sqrt(np.mean(y[i * hop:(i + 1) * hop].astype(float) ** 2)) for i in range(len(opening))])
        assert np.corrcoef(opening, energy)[0, 1] > 0.5


def test_annotators_answer_from_their_confusion_matrices():
    ds = ak.datasets.make_acted_corpus(2000, n_speakers=10, duration=0.5, sr=8000, fps=5, seed=4, missing=0.1)
    ann = ds.annotations
    assert abs(1 - len(ann) / (2000 * 5) - 0.1) < 0.02
    truth = dict(zip(ds.manifest["item"], ds.labels))
    idx = {c: i for i, c in enumerate(ds.classes)}
    k = len(ds.classes)
    for j, worker in enumerate(ds.annotators):
        a = ann[ann["worker"] == worker]
        emp = np.zeros((k, k))
        for item, lab in zip(a["task"], a["label"]):
            emp[idx[truth[item]], idx[lab]] += 1
        emp /= emp.sum(axis=1, keepdims=True)
        assert np.abs(emp - ds.confusions[j]).max() < 0.08, worker
    # the good annotators are right far more often than the near-random one
    acc = [np.trace(c) / k for c in ds.confusions]
    assert acc[0] > 0.8 and acc[2] < 0.35


def test_save_round_trips(tmp_path):
    ds = ak.datasets.make_acted_corpus(6, n_speakers=2, seed=5)
    path = ds.save(tmp_path / "corpus")
    man = ak.datasets.read_manifest(path)
    assert list(man["item"]) == list(ds.manifest["item"])
    assert man["annotations"].tolist() == ds.manifest["annotations"].tolist()
    y, sr = ak.load(man["path"][0])
    assert sr == ds.sr
    np.testing.assert_allclose(y, ds.audio[0], atol=1.0 / 32768 + 1e-7)
    lm = np.load(tmp_path / "corpus" / "landmarks.npz")
    np.testing.assert_array_equal(lm[man["item"][0]], ds.landmarks[0])
    # the command line reads the saved corpus
    from affectkit.cli import main

    assert main(["extract", str(tmp_path / "corpus"), "-o", str(tmp_path / "feats.csv")]) == 0
    feats = pd.read_csv(tmp_path / "feats.csv")
    assert len(feats) == 6


def test_save_expands_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    path = ak.datasets.make_acted_corpus(2, n_speakers=1, seed=0).save("~/corpus")
    assert path == tmp_path / "corpus" / "manifest.csv" and (tmp_path / "corpus" / "synthetic_0.wav").exists()


@pytest.mark.parametrize("kwargs, name", [
    ({"n_items": 0}, "n_items"),
    ({"n_speakers": 0}, "n_speakers"),
    ({"classes": ["happy", "bored"]}, "classes"),
    ({"classes": ["happy", "happy"]}, "classes"),
    ({"classes": []}, "classes"),
    ({"duration": (3.0, 1.0)}, "duration"),
    ({"duration": 0.1}, "duration"),
    ({"sr": 1000}, "sr"),
    ({"fps": 0}, "fps"),
    ({"missing": 1.5}, "missing"),
    ({"seed": -1}, "seed"),
    ({"n_jobs": 0}, "n_jobs"),
])
def test_bad_parameters_name_the_argument(kwargs, name):
    args = {"n_items": 5, "n_speakers": 2, **kwargs}
    n = args.pop("n_items")
    with pytest.raises(ParameterError, match=f"^{name}"):
        ak.datasets.make_acted_corpus(n, **args)


@pytest.mark.parametrize("kwargs, name", [
    ({"n_items": "10"}, "n_items"),
    ({"classes": "happy"}, "classes"),
    ({"duration": "2"}, "duration"),
    ({"fps": None}, "fps"),
])
def test_wrong_types_name_the_argument(kwargs, name):
    args = {"n_items": 5, **kwargs}
    n = args.pop("n_items")
    with pytest.raises(InputTypeError, match=f"^{name}"):
        ak.datasets.make_acted_corpus(n, **args)


def test_docstring_examples_run():
    import doctest

    import affectkit.datasets.synthetic as S

    result = doctest.testmod(S, extraglobs={"ak": ak})
    assert result.attempted >= 4 and result.failed == 0


def test_dawid_skene_beats_majority_vote_with_a_near_random_annotator():
    ds = ak.datasets.make_acted_corpus(300, n_speakers=6, duration=0.5, sr=8000, fps=5, seed=0)
    truth = dict(zip(ds.manifest["item"], ds.labels))

    def accuracy(result):
        return np.mean([truth[i] == lab for i, lab in zip(result.items, result.labels)])

    mv = accuracy(ak.labels.majority(ds.annotations, ties="random", seed=0))
    dsk = accuracy(ak.labels.dawid_skene(ds.annotations))
    assert dsk > mv > 0.8


def test_corpus_pickles():
    import pickle

    ds = ak.datasets.make_acted_corpus(4, n_speakers=2, seed=1)
    back = pickle.loads(pickle.dumps(ds))
    np.testing.assert_array_equal(back.audio[1], ds.audio[1])
    pd.testing.assert_frame_equal(back.manifest, ds.manifest)
