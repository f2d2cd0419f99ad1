"""ak.evaluation.splits / combine / select / fold files and ak.SpeakerNormalizer: folds
against scikit-learn's LeaveOneGroupOut and StratifiedGroupKFold on the same groups, the
official splits of fake corpus trees (MSP-Podcast, MELD, IEMOCAP layouts), and the
normaliser against a StandardScaler fitted per speaker."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import LeaveOneGroupOut, StratifiedGroupKFold
from sklearn.preprocessing import StandardScaler

import affectkit as ak

# the fake corpus trees of tests/datasets/test_corpora.py (importable however pytest is started)
sys.path.insert(0, str(Path(__file__).parents[1] / "datasets"))
from test_corpora import _iemocap, _meld, _msp  # noqa: E402


@pytest.fixture(scope="module")
def corpus():
    return ak.datasets.make_acted_corpus(90, n_speakers=6, seed=2, n_annotators=0)


def _uneven(n=120, n_speakers=8, seed=0):
    """A manifest with uneven speakers and classes (sklearn's splitters have work to do)."""
    rng = np.random.default_rng(seed)
    spk = np.array([f"s{int(v)}" for v in rng.integers(0, n_speakers, n)])
    lab = np.array(["ang", "hap", "neu", "sad"])[rng.choice(4, n, p=[0.1, 0.3, 0.4, 0.2])]
    return pd.DataFrame({"corpus": "toy", "item": [f"i{k}" for k in range(n)], "path": "", "speaker": spk,
                         "label": lab, "split": None, "session": [int(s[1:]) % 3 for s in spk]})


def test_loso_equals_leave_one_group_out(corpus):
    man = corpus.manifest
    folds = ak.evaluation.splits(man, protocol="loso")
    ref = list(LeaveOneGroupOut().split(man, groups=man["speaker"]))
    assert len(folds) == len(ref) == 6
    for f, (tr, te) in zip(folds, ref):
        np.testing.assert_array_equal(f.train, tr)
        np.testing.assert_array_equal(f.test, te)
        assert f.name == man["speaker"].iloc[te[0]] and f.shared_speakers == []
        assert sum(f.counts["test"].values()) == len(te)
    assert ak.evaluation.splits(man, "leave-one-speaker-out")[2].name == folds[2].name
    # a Folds list is a scikit-learn cv
    from sklearn.model_selection import cross_val_score
    from sklearn.dummy import DummyClassifier

    assert len(cross_val_score(DummyClassifier(), np.zeros((90, 1)), man["label"], cv=folds)) == 6


@pytest.mark.parametrize("seed", [0, 3])
def test_speaker_kfold_equals_stratified_group_kfold(seed):
    man = _uneven()
    folds = ak.evaluation.splits(man, protocol="speaker-kfold", n_splits=4, seed=seed)
    ref = StratifiedGroupKFold(n_splits=4, shuffle=True, random_state=seed).split(man, man["label"], man["speaker"])
    for f, (tr, te) in zip(folds, ref):
        np.testing.assert_array_equal(f.train, tr)
        np.testing.assert_array_equal(f.test, te)
        assert not set(man.speaker.iloc[f.train]) & set(man.speaker.iloc[f.test])


def test_session_folds_validation_and_unlabelled_rows():
    man = _uneven()
    man.loc[[0, 5], "label"] = None
    folds = ak.evaluation.splits(man, protocol="leave-one-session-out", validation=0.3, seed=1)
    assert [f.name for f in folds] == ["0", "1", "2"] and folds.excluded == 2
    for f in folds:
        spk = man.speaker.to_numpy()
        assert not set(spk[f.valid]) & set(spk[f.train]), "validation must be speaker-disjoint from training"
        assert not set(spk[f.valid]) & set(spk[f.test])
        assert len(f.valid) > 0 and 0 not in f.train and 0 not in f.test and 5 not in f.test
        assert set(man.session.iloc[f.test]) == {int(f.name)}
    table = folds.summary()
    assert list(table.columns) == ["ang", "hap", "neu", "sad", "total"]
    assert table.loc[("0", "valid"), "total"] == len(folds[0].valid)


def test_speaker_dependent_shares_speakers_without_warning(corpus):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        folds = ak.evaluation.splits(corpus.manifest, protocol="speaker-dependent", n_splits=3)
    assert all(len(f.shared_speakers) == 6 for f in folds)


def test_protocol_errors_name_the_column_or_fold(corpus):
    man = corpus.manifest
    one = man[man.speaker == "spk00"]
    with pytest.raises(ak.ParameterError, match=r"protocol 'loso' needs at least 2 distinct values in column 'speaker'"):
        ak.evaluation.splits(one, "loso")
    with pytest.raises(ak.ParameterError, match=r"needs a 'session' column"):
        ak.evaluation.splits(man, "leave-one-session-out")
    with pytest.raises(ak.ParameterError, match=r"n_splits: 8 speaker-disjoint folds need at least 8 speakers"):
        ak.evaluation.splits(man, "speaker-kfold", n_splits=8)
    bad = man.copy()
    bad.loc[bad.speaker == "spk03", "label"] = "surprised"  # a class only one speaker has
    with pytest.raises(ak.ParameterError, match=r"fold 'spk03': class\(es\) \['surprised'\] of its test side never "
                                                r"occur in its training side"):
        ak.evaluation.splits(bad, "loso")
    assert len(ak.evaluation.splits(bad, "loso", check_classes=False)) == 6
    with pytest.raises(ak.ParameterError, match=r"protocol: unknown protocol 'lozo'; expected one of \['loso'"):
        ak.evaluation.splits(man, "lozo")
    with pytest.raises(ak.ParameterError, match="needs a list of at least 2 manifests"):
        ak.evaluation.splits(man, "cross-corpus")
    with pytest.raises(ak.ParameterError, match="protocol 'official' found no labelled row with split 'train'"):
        ak.evaluation.splits(man.assign(split=None), "official")
    gaps = man.copy()
    gaps.loc[3, "speaker"] = None
    with pytest.raises(ak.ParameterError, match=r"column 'speaker' is empty in row 3"):
        ak.evaluation.splits(gaps, "loso")
    with pytest.raises(ak.InputTypeError, match="manifest: expected a pandas DataFrame"):
        ak.evaluation.splits(man.to_dict(), "loso")


def test_corpus_protocols_map_labels_to_a_common_taxonomy(corpus):
    a = corpus.manifest
    b = a.assign(corpus="mirror", item=a["item"] + "_m", speaker=a["speaker"] + "_m",
                 label=a["label"].map({"neutral": "neutral", "happy": "happiness", "sad": "sadness", "angry": "anger",
                                       "fearful": "fear"}))
    sets = {"synthetic": "ekman7", "mirror": "ekman7"}
    table = ak.evaluation.combine([a, b], taxonomy="ekman7", label_sets=sets)
    assert len(table) == 180 and set(table.label) == {"neutral", "happiness", "sadness", "anger", "fear"}
    assert table.label_original.iloc[0] == a.label.iloc[0]
    loco = ak.evaluation.splits([a, b], "leave-one-corpus-out", taxonomy="ekman7", label_sets=sets)
    assert [f.name for f in loco] == ["synthetic", "mirror"]
    np.testing.assert_array_equal(loco[0].test, np.arange(90))
    cc = ak.evaluation.splits([a, b], "cross-corpus", taxonomy="ekman7", label_sets=sets)
    assert [f.name for f in cc] == ["synthetic->mirror", "mirror->synthetic"]  # train->test
    np.testing.assert_array_equal(cc[0].train, np.arange(90))
    # without a taxonomy the corpora's spellings differ: the class check names the fold
    with pytest.raises(ak.ParameterError, match=r"fold 'synthetic->mirror'"):
        ak.evaluation.splits([a, b], "cross-corpus")
    with pytest.raises(ak.ParameterError, match=r"label_sets: corpus 'mirror' has no known label set"):
        ak.evaluation.combine([a, b], taxonomy="ekman7", label_sets={"synthetic": "ekman7"})
    # the same speaker ids in two corpora: a warning
    with pytest.warns(ak.evaluation.SpeakerOverlapWarning, match="corpora with the same speaker ids"):
        ak.evaluation.splits([a, b.assign(speaker=a["speaker"])], "cross-corpus", taxonomy="ekman7", label_sets=sets)


def test_official_splits_of_msp_podcast_and_meld(tmp_path):
    msp = ak.datasets.index("msp-podcast", _msp(tmp_path / "msp"))
    f = ak.evaluation.splits(msp, "official", check_classes=False)[0]
    items = msp["item"].to_numpy()
    assert list(items[f.train]) == ["MSP-PODCAST_0001_0019"]  # X (no agreement) left out
    assert list(items[f.valid]) == ["MSP-PODCAST_0001_0008"]  # Development
    assert list(items[f.test]) == ["MSP-PODCAST_0003_0001", "MSP-PODCAST_0004_0002"]
    assert f.counts["test"] == {"happiness": 1, "sadness": 1}
    with pytest.raises(ak.ParameterError, match=r"fold 'official': class\(es\) \['happiness', 'sadness'\]"):
        ak.evaluation.splits(msp, "official")
    with warnings.catch_warnings():  # MSP-Podcast's "Unknown" speaker is no speaker
        warnings.simplefilter("error")
        unknown = msp.assign(speaker="Unknown")
        assert ak.evaluation.splits(unknown, "official", check_classes=False)[0].shared_speakers == []
    root = _meld(tmp_path / "meld")
    with open(root / "MELD.Raw" / "test_sent_emo.csv", "a", encoding="utf-8") as fh:
        fh.write('2,"Could I be any more tested?",Chandler,joy,positive,0,1,3,19,"00:14:41,000","00:14:42,000"\n')
    with pytest.warns(UserWarning):
        meld = ak.datasets.index("meld", root)
    with pytest.warns(ak.evaluation.SpeakerOverlapWarning, match=r"fold 'official': 1 speaker\(s\) on both sides "
                                                                 r"\(e.g. \['Chandler'\]\)"):
        f = ak.evaluation.splits(meld, "official", check_classes=False)[0]
    assert f.shared_speakers == ["Chandler"]
    assert list(meld["split"].to_numpy()[f.valid]) == ["dev", "dev"]


def test_iemocap_4class_selection_and_session_folds(tmp_path):
    man = ak.datasets.index("iemocap", _iemocap(tmp_path))
    four = ak.evaluation.select(man, "iemocap-4class")
    # neutral (Ses01F_impro01_F000) and anger (Ses02M_script01_1_F001) stay; xxx, frustration and oth go
    assert list(four["item"]) == ["Ses01F_impro01_F000", "Ses02M_script01_1_F001"]
    assert list(four["label"]) == ["neutral", "anger"]
    exc = man.assign(label=["excitement"] * len(man))
    assert set(ak.evaluation.select(exc, "iemocap-4class")["label"]) == {"happiness"}
    folds = ak.evaluation.splits(man, "leave-one-session-out", check_classes=False)
    assert [f.name for f in folds] == ["1", "2"]
    with pytest.raises(ak.ParameterError, match="name: unknown selection 'iemocap-5class'"):
        ak.evaluation.select(man, "iemocap-5class")
    with pytest.raises(ak.ParameterError, match=r"iemocap-4class selects IEMOCAP turns; this manifest holds \['synthetic'\]"):
        ak.evaluation.select(ak.datasets.make_acted_corpus(10, n_speakers=2).manifest, "iemocap-4class")


def test_fold_files_round_trip_in_emobox_layout(tmp_path, corpus):
    man = corpus.manifest
    folds = ak.evaluation.splits(man, "speaker-kfold", n_splits=3, validation=0.5)
    ak.evaluation.write_fold_files(folds, man, tmp_path / "folds")
    first = (tmp_path / "folds" / "fold_1" / "synthetic_test_fold_1.jsonl").read_text().splitlines()[0]
    assert set(json.loads(first)) >= {"key", "wav", "emo"}
    spec = ak.evaluation.read_fold_files(tmp_path / "folds")
    assert list(spec) == ["fold1", "fold2", "fold3"] and set(spec["fold1"]) == {"train", "valid", "test"}
    again = ak.evaluation.splits(man, "fold-file", folds=tmp_path / "folds")
    for f, g in zip(folds, again):
        np.testing.assert_array_equal(f.test, g.test)
        np.testing.assert_array_equal(f.valid, g.valid)
    # EmoBox keys carry the corpus as a prefix: "synthetic-<item>"
    prefixed = {"fold1": {"train": [f"synthetic-{i}" for i in man.item[:60]],
                          "test": [f"synthetic-{i}" for i in man.item[60:]]}}
    with pytest.warns(ak.evaluation.SpeakerOverlapWarning):
        f = ak.evaluation.splits(man, "fold-file", folds=prefixed, check_classes=False)[0]
    assert len(f.train) == 60 and len(f.test) == 30


def test_fold_file_errors(tmp_path, corpus):
    man = corpus.manifest
    bad = tmp_path / "fold_1"
    bad.mkdir()
    (bad / "x_train_fold_1.jsonl").write_text('{"key": "a"}\nnot json\n')
    (bad / "x_test_fold_1.jsonl").write_text('{"key": "b"}\n')
    with pytest.raises(ak.ReadError, match=r"x_train_fold_1.jsonl, line 2: not JSON"):
        ak.evaluation.read_fold_files(tmp_path)
    with pytest.raises(ak.ParameterError, match=r"fold 'f' test lists 1 item\(s\) the manifest lacks, e.g. \['nope'\]"):
        ak.evaluation.splits(man, "fold-file", folds={"f": {"train": list(man.item[:5]), "test": ["nope"]}})
    with pytest.raises(ak.ParameterError, match="folds: protocol 'fold-file' needs folds="):
        ak.evaluation.splits(man, "fold-file")


# ------------------------------------------------------------------ SpeakerNormalizer


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-12), (np.float32, 1e-6)])
def test_speaker_normalizer_equals_standard_scaler_per_speaker(dtype, tol):
    rng = np.random.default_rng(0)
    spk = np.repeat(["a", "b", "c"], [20, 35, 15])
    X = (rng.normal(size=(70, 5)) * [1, 10, 100, 0.01, 1] + rng.normal(size=(3, 5))[np.searchsorted(["a", "b", "c"], spk)] * 50)
    X[:, 4] = 3.0  # a constant feature: scale 1, as StandardScaler
    X[4, 1] = np.nan  # NaN: ignored in the statistics, kept
    X = X.astype(dtype)
    Z = ak.SpeakerNormalizer().fit_transform(X, groups=spk)
    assert Z.dtype == dtype
    for s in "abc":
        # float32 input: computed in float64, rounded once; StandardScaler on the same values
        # in float64 is the reference (its own float32 path accumulates in float32, ~4e-6 off here)
        rows = X[spk == s].astype(np.float64)
        ref = StandardScaler().fit(rows).transform(rows)
        np.testing.assert_allclose(Z[spk == s], ref, atol=tol, rtol=0)
    assert np.isnan(Z[4, 1])


def test_speaker_normalizer_unseen_speaker_and_routing():
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 3)) + np.repeat([[0, 0, 0], [5, 5, 5]], 20, axis=0)
    spk = np.repeat(["a", "b"], 20)
    norm = ak.SpeakerNormalizer().fit(X, groups=spk)
    new = rng.normal(size=(10, 3)) * 3 + 100
    Z = norm.transform(new, groups=["z"] * 10)  # unseen: its own statistics
    np.testing.assert_allclose(Z, StandardScaler().fit_transform(new), atol=1e-12)
    np.testing.assert_allclose(norm.transform(X[:20], groups=spk[:20]), norm.fit_transform(X, groups=spk)[:20])
    y = np.tile(["x", "y"], 20)
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(ak.SpeakerNormalizer(), LogisticRegression()).fit(X, y, groups=spk)
        assert pipe.predict(new, groups=["z"] * 10).shape == (10,)
    with pytest.raises(ak.ParameterError, match=r"groups: SpeakerNormalizer.fit needs the speaker of each row"):
        ak.SpeakerNormalizer().fit(X)
    with pytest.raises(ak.ParameterError, match=r"groups: expected one speaker per row of X \(40\), got shape \(3,\)"):
        ak.SpeakerNormalizer().fit(X, groups=["a", "b", "c"])
    with pytest.raises(ak.ParameterError, match="X: expected 3 features"):
        norm.transform(X[:, :2], groups=spk)
    c = ak.evaluation.CorpusNormalizer().fit_transform(X, corpus=spk)
    np.testing.assert_allclose(c, ak.SpeakerNormalizer().fit_transform(X, groups=spk))


def test_evaluation_api_is_documented():
    """Every public function and class of ak.evaluation lists its parameters with their
    defaults (the rule tests/test_docstrings.py applies to the other modules)."""
    import inspect

    from test_docstrings import problems

    found = {}
    for name in ak.evaluation.__all__:
        obj = getattr(ak.evaluation, name)
        if inspect.isfunction(obj) or (inspect.isclass(obj) and not issubclass(obj, Warning)):
            found[name] = problems(obj)
            for meth, m in vars(obj).items() if inspect.isclass(obj) else ():
                if inspect.isfunction(m) and not meth.startswith("_"):
                    found[f"{name}.{meth}"] = [x for x in problems(m) if not x.startswith("self:")]
    assert {k: v for k, v in found.items() if v} == {}
