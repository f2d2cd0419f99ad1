"""Emotion label sets, mappings between them and the valence/arousal/dominance table.

Expected values are written out by hand from the corpora's documentation and from
Warriner et al. (2013)'s published CSV (V.Mean.Sum, A.Mean.Sum, D.Mean.Sum)."""

import numpy as np
import pytest

import affectkit as ak
from affectkit.errors import InputTypeError, ParameterError

L = ak.labels

# GoEmotions authors' goemotions/data/ekman_mapping.json, verbatim.
GOEMOTIONS_EKMAN = {
    "anger": ["anger", "annoyance", "disapproval"],
    "disgust": ["disgust"],
    "fear": ["fear", "nervousness"],
    "joy": ["joy", "amusement", "approval", "excitement", "gratitude", "love", "optimism", "relief", "pride",
            "admiration", "desire", "caring"],
    "sadness": ["sadness", "disappointment", "embarrassment", "grief", "remorse"],
    "surprise": ["surprise", "realization", "confusion", "curiosity"],
}


def test_label_sets_codes_and_names():
    assert L.label_set("iemocap").codes == ("neu", "hap", "sad", "ang", "sur", "fea", "dis", "fru", "exc", "oth", "xxx")
    assert L.label_set("iemocap4").classes == ("neutral", "happiness", "sadness", "anger")
    assert L.label_set("MSP-Podcast").codes == tuple("AHSNUFDCOX")
    assert L.label_set("msp_podcast").classes[7] == "contempt"
    rav = L.label_set("ravdess")
    assert rav.codes == ("01", "02", "03", "04", "05", "06", "07", "08")
    assert rav.numbers == tuple(range(1, 9))
    assert rav.classes == ("neutral", "calm", "happiness", "sadness", "anger", "fear", "disgust", "surprise")
    assert L.label_set("crema_d").codes == ("ANG", "DIS", "FEA", "HAP", "NEU", "SAD")
    emodb = L.label_set("emodb")
    assert dict(zip(emodb.codes, emodb.classes)) == {
        "W": "anger", "L": "boredom", "E": "disgust", "A": "fear", "F": "happiness", "T": "sadness", "N": "neutral"}
    assert L.label_set("meld").classes == ("neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear")
    go = L.label_set("goemotions")
    assert len(go.classes) == 28 and go.numbers == tuple(range(28))
    assert go.classes[0] == "admiration" and go.classes[17] == "joy" and go.classes[27] == "neutral"
    assert sorted(c for v in GOEMOTIONS_EKMAN.values() for c in v) == sorted(go.classes[:27])
    assert L.label_set("ekman6").classes == ("anger", "disgust", "fear", "happiness", "sadness", "surprise")
    assert L.label_set("ekman7").classes[-1] == "neutral"
    assert set(L.LABEL_SETS) == {"ekman6", "ekman7", "iemocap", "iemocap4", "msp_podcast", "ravdess", "crema_d",
                                 "emodb", "meld", "goemotions"}
    df = L.label_set("emodb").to_frame()
    assert list(df.columns) == ["code", "name", "concept", "number"] and len(df) == 7


def test_hand_checked_mappings():
    assert L.map_labels(["neu", "hap", "exc", "sad", "ang", "fru", "sur", "oth", "xxx"], "iemocap", "iemocap4") == [
        "neutral", "happiness", "happiness", "sadness", "anger", None, None, None, None]
    assert L.map_labels(["exc", "fru", "dis", "Neutral state"], "iemocap", "ekman7") == [
        "happiness", None, "disgust", "neutral"]
    assert L.map_labels(list("AHSNUFDCOX"), "msp_podcast", "ekman7", output="code") == [
        "ang", "hap", "sad", "neu", "sur", "fea", "dis", None, None, None]
    assert L.map_labels(list("AHSNUFDCOX"), "msp_podcast", "iemocap", output="code") == [
        "ang", "hap", "sad", "neu", "sur", "fea", "dis", None, "oth", "xxx"]
    assert L.map_labels([1, 2, 3, 4, 5, 6, 7, 8], "ravdess", "ekman7") == [
        "neutral", None, "happiness", "sadness", "anger", "fear", "disgust", "surprise"]
    assert L.map_labels(["ANG", "DIS", "FEA", "HAP", "NEU", "SAD"], "crema_d", "emodb", output="code") == list("WEAFNT")
    assert L.map_labels(list("WLEAFTN"), "emodb", "crema_d", output="code") == [
        "ANG", None, "DIS", "FEA", "HAP", "SAD", "NEU"]
    assert L.map_labels(["joy", "neutral"], "meld", "ekman7") == ["happiness", "neutral"]
    assert L.map_labels(["happiness", "neutral"], "ekman7", "meld") == ["joy", "neutral"]
    assert L.map_labels(["calm", "neutral"], "ravdess", "msp_podcast", output="code") == [None, "N"]
    assert L.map_labels(["contempt"], "msp_podcast", "ekman7") == [None]


def test_goemotions_to_ekman_is_the_published_table():
    names = list(L.label_set("goemotions").classes)
    got = L.map_labels(names, "goemotions", "ekman6")
    ekman_name = {"anger": "anger", "disgust": "disgust", "fear": "fear", "joy": "happiness", "sadness": "sadness",
                  "surprise": "surprise"}
    expected = {c: ekman_name[e] for e, cs in GOEMOTIONS_EKMAN.items() for c in cs}
    expected["neutral"] = None
    assert dict(zip(names, got)) == expected
    # integer ids of emotions.txt
    assert L.map_labels([17, 27, 9], "goemotions", "ekman7") == ["happiness", "neutral", "sadness"]


@pytest.mark.parametrize("source", sorted(L.LABEL_SETS))
@pytest.mark.parametrize("target", sorted(L.LABEL_SETS))
def test_round_trip_of_shared_emotions(source, target):
    """A class that the target has (same emotion) maps there and back to itself."""
    s, t = L.label_set(source), L.label_set(target)
    shared = [code for code, concept in zip(s.codes, s.concepts) if concept in t.concepts]
    there = L.map_labels(shared, source, target, output="code")
    assert None not in there
    back = L.map_labels(there, target, source, output="code")
    assert back == shared


def test_unknown_policies():
    y = ["fru", "hap", None, "oth"]
    assert L.map_labels(y, "iemocap", "ekman6") == [None, "happiness", None, None]
    assert L.map_labels(y, "iemocap", "ekman6", unknown="keep") == ["fru", "happiness", None, "oth"]
    with pytest.raises(ParameterError, match="fru"):
        L.map_labels(y, "iemocap", "ekman6", unknown="error")
    # nothing unmappable: "error" is fine
    assert L.map_labels(["hap"], "iemocap", "ekman6", unknown="error") == ["happiness"]
    with pytest.raises(ParameterError, match="unknown"):
        L.map_labels(y, "iemocap", "ekman6", unknown="drop")


def test_input_kinds_come_back_as_given():
    pd = pytest.importorskip("pandas")
    arr = L.map_labels(np.array(["A", "h", "x"]), "msp_podcast", "iemocap4")
    assert isinstance(arr, np.ndarray) and arr.tolist() == ["anger", "happiness", None]
    arr = L.map_labels(np.array(["A", "H"]), "msp_podcast", "iemocap4")
    assert arr.dtype.kind == "U" and arr.tolist() == ["anger", "happiness"]
    ints = L.map_labels(np.array([3, 3, 5], dtype=np.int64), "ravdess", "crema_d", output="code")
    assert ints.tolist() == ["HAP", "HAP", "ANG"]
    s = pd.Series(["hap", np.nan, "sad"], index=["u1", "u2", "u3"], name="emotion")
    out = L.map_labels(s, "iemocap", "ekman7")
    assert isinstance(out, pd.Series) and list(out.index) == ["u1", "u2", "u3"] and out.name == "emotion"
    assert out["u1"] == "happiness" and out.isna()["u2"] and out["u3"] == "sadness"
    # integer codes read into a float column because of a missing value
    f = pd.Series([3.0, np.nan, 8.0])
    assert L.map_labels(f, "ravdess", "ekman7").tolist()[::2] == ["happiness", "surprise"]
    assert L.map_labels("exc", "iemocap", "iemocap4") == "happiness"
    assert L.map_labels("fru", "iemocap", "iemocap4") is None
    assert L.map_labels(("W", "Angst"), "emodb", "ekman6") == ["anger", "fear"]
    assert L.map_labels([], "emodb", "ekman6") == []


def test_bad_input():
    with pytest.raises(ParameterError, match="joyful"):
        L.map_labels(["hap", "joyful"], "iemocap", "ekman6")
    with pytest.raises(ParameterError, match="taxonomy"):
        L.map_labels(["hap"], "iemocapp", "ekman6")
    with pytest.raises(ParameterError, match="taxonomy"):
        L.to_valence_arousal(["hap"], taxonomy="nope")
    with pytest.raises(ParameterError, match='"1"'):
        L.map_labels([1], "iemocap", "ekman6")  # IEMOCAP has no integer codes
    with pytest.raises(ParameterError, match='"9"'):
        L.map_labels([9], "ravdess", "ekman6")
    with pytest.raises(InputTypeError, match="y"):
        L.map_labels([2.5], "ravdess", "ekman6")
    with pytest.raises(InputTypeError, match="y"):
        L.map_labels([True], "ravdess", "ekman6")
    with pytest.raises(ParameterError, match="1-D"):
        L.map_labels(np.array([["hap"]]), "iemocap", "ekman6")
    with pytest.raises(ParameterError, match="output"):
        L.map_labels(["hap"], "iemocap", "ekman6", output="index")
    with pytest.raises(ParameterError, match="scale"):
        L.to_valence_arousal(["hap"], taxonomy="iemocap", scale="0-1")
    with pytest.raises(ParameterError, match="unknown"):
        L.to_valence_arousal(["hap"], taxonomy="iemocap", unknown="keep")


def test_valence_arousal_hand_checked():
    # Warriner et al. (2013): happiness, anger, sadness, neutral, excitement, frustration
    va = L.to_valence_arousal(["hap", "ang", "sad", "neu", "exc", "fru"], taxonomy="iemocap", dominance=True)
    np.testing.assert_array_equal(va, [[8.48, 6.50, 7.05], [2.50, 5.93, 5.14], [2.40, 2.81, 3.84],
                                       [5.50, 3.45, 5.81], [7.62, 6.21, 6.33], [2.45, 5.94, 3.27]])
    np.testing.assert_array_equal(L.to_valence_arousal(["C", "U", "F", "D"], taxonomy="msp_podcast"),
                                  [[3.22, 4.61], [7.44, 6.57], [2.93, 6.14], [3.32, 5.00]])
    np.testing.assert_array_equal(L.to_valence_arousal("L", taxonomy="emodb", dominance=True), [2.77, 2.58, 5.04])
    np.testing.assert_array_equal(L.to_valence_arousal([2], taxonomy="ravdess"), [[6.89, 1.67]])
    np.testing.assert_array_equal(L.to_valence_arousal(["joy"], taxonomy="meld"), [[8.21, 5.55]])
    np.testing.assert_array_equal(
        L.to_valence_arousal(["annoyance", "disappointment", "disapproval", "nervousness"], taxonomy="goemotions",
                             dominance=True),
        [[2.95, 4.10, 3.45], [2.79, 4.90, 4.08], [3.40, 4.23, 5.26], [3.10, 4.45, 3.93]])
    np.testing.assert_array_equal(
        L.to_valence_arousal(["admiration", "amusement", "approval", "confusion", "curiosity"], taxonomy="goemotions",
                             dominance=True),
        [[7.58, 5.52, 6.11], [7.00, 4.82, 6.59], [6.75, 3.52, 6.63], [3.32, 4.64, 3.08], [6.37, 5.90, 6.21]])
    np.testing.assert_array_equal(
        L.to_valence_arousal(["desire", "embarrassment", "gratitude", "grief", "love", "optimism", "pride",
                              "realization", "relief", "remorse"], taxonomy="goemotions", dominance=True),
        [[7.05, 6.20, 6.07], [2.72, 5.45, 2.92], [6.67, 5.09, 6.71], [2.33, 4.95, 3.26], [8.00, 5.36, 5.92],
         [7.21, 4.95, 6.90], [6.50, 5.54, 5.83], [6.42, 3.67, 5.68], [6.63, 4.42, 5.64], [3.63, 4.29, 4.57]])
    # the norms have no row "caring" (a participle); it takes the row of its lemma "care"
    np.testing.assert_array_equal(L.to_valence_arousal(5, taxonomy="goemotions", dominance=True), [7.64, 2.67, 6.56])
    go = L.to_valence_arousal(list(L.label_set("goemotions").classes), taxonomy="goemotions", dominance=True)
    assert go.shape == (28, 3) and not np.isnan(go).any()
    np.testing.assert_allclose(L.to_valence_arousal(["hap", "neu"], taxonomy="iemocap", scale="unit"),
                               [[(8.48 - 5) / 4, (6.50 - 5) / 4], [0.125, (3.45 - 5) / 4]])


def test_valence_arousal_missing_unknown_and_pandas():
    pd = pytest.importorskip("pandas")
    va = L.to_valence_arousal(["hap", "oth", None, "xxx"], taxonomy="iemocap")
    assert va.shape == (4, 2) and not np.isnan(va[0]).any() and np.isnan(va[1:]).all()
    with pytest.raises(ParameterError, match="oth"):
        L.to_valence_arousal(["hap", "oth"], taxonomy="iemocap", unknown="error")
    s = pd.Series(["H", "S"], index=[10, 20])
    df = L.to_valence_arousal(s, taxonomy="msp_podcast", dominance=True)
    assert list(df.columns) == ["valence", "arousal", "dominance"] and list(df.index) == [10, 20]
    assert df.loc[20, "valence"] == 2.40
    # mapped labels and the target's own labels agree (same lemma)
    ek = L.map_labels(["exc", "ang"], "iemocap", "ekman6")
    np.testing.assert_array_equal(L.to_valence_arousal(ek, taxonomy="ekman6"), [[8.48, 6.50], [2.50, 5.93]])
