"""Corpus indexers (ak.datasets.index / index_<corpus>) on tiny fake trees built here in
each corpus's real layout: rows, labels, speakers, splits, annotations -> ak.labels, the
documented errors on wrong layouts and broken annotation files, and the CLI round trip."""

import math
import shutil
import wave

import numpy as np
import pytest

import affectkit as ak
from affectkit import cli
from affectkit.errors import ParameterError, ReadError


def _wav(path, seconds=0.05, sr=16000, f0=220.0):
    """A real (tiny) 16-bit PCM sine, so ak.load can read what the indexers point at."""
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * sr)) / sr
    pcm = (0.3 * np.sin(2 * np.pi * f0 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sr)
        w.writeframes(pcm.tobytes())
    return path


def _text(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


def _core(man):
    assert list(man.columns[:6]) == list(ak.datasets.MANIFEST_COLUMNS)
    ak.datasets.check_manifest(man)
    return man.set_index("item")


def _strict_then_skip(indexer, root, match, n_kept):
    """The first mismatching file raises (naming it); strict=False skips it with a warning."""
    with pytest.raises(ParameterError, match=match):
        indexer(root)
    with pytest.warns(UserWarning, match="skipped 1 file"):
        assert len(indexer(root, strict=False)) == n_kept


def _label_names(corpus):
    return set(ak.labels.label_set(ak.datasets.CORPUS_LABEL_SETS[corpus]).classes)


# --------------------------------------------------------------------------- RAVDESS


def _ravdess(root):
    speech = root / "Audio_Speech_Actors_01-24"
    _wav(speech / "Actor_01" / "03-01-05-02-01-01-01.wav")   # angry, strong, kids, male
    _wav(speech / "Actor_01" / "03-01-01-01-02-02-01.wav")   # neutral
    _wav(speech / "Actor_12" / "03-01-06-01-02-01-12.wav")   # fearful, female
    _wav(root / "Audio_Song_Actors_01-24" / "Actor_12" / "03-02-03-02-01-01-12.wav")  # song, happy
    (root / "Video_Speech_Actor_12" / "Actor_12").mkdir(parents=True)
    (root / "Video_Speech_Actor_12" / "Actor_12" / "02-01-06-01-02-01-12.mp4").write_bytes(b"\x00")
    (root / "Video_Speech_Actor_12" / "Actor_12" / "01-01-06-01-02-01-12.mp4").write_bytes(b"\x00")
    _text(root / "README.txt", "not a recording, outside the Actor folders")
    return root


def test_ravdess_filename_codes(tmp_path):
    man = _core(ak.datasets.index_ravdess(_ravdess(tmp_path)))
    assert len(man) == 4  # the two .mp4 files are skipped by default
    r = man.loc["03-01-05-02-01-01-01"]
    assert (r.corpus, r.speaker, r.label, r.split, r.gender) == ("ravdess", "01", "anger", None, "male")
    assert (r.intensity, r.statement, r.repetition, r.vocal_channel) == ("strong", "01", 1, "speech")
    assert r.text == "Kids are talking by the door"
    assert man.loc["03-01-06-01-02-01-12", "gender"] == "female"
    assert man.loc["03-01-06-01-02-01-12", "label"] == "fear"
    song = man.loc["03-02-03-02-01-01-12"]
    assert (song.vocal_channel, song.label) == ("song", "happiness")
    assert set(man.label) <= _label_names("ravdess")
    y, sr = ak.load(r.path, sr=16000)
    assert sr == 16000 and len(y) == 800
    # rows sorted by path (Audio_Song_... first); the labels map onto other sets with ak.labels
    assert ak.labels.map_labels(list(man.label), "ravdess", "ekman7", output="code") == ["hap", "neu", "ang", "fea"]


def test_ravdess_video_option_and_dispatcher(tmp_path):
    man = _core(ak.datasets.index("RAVDESS", _ravdess(tmp_path), video=True))
    assert len(man) == 6
    assert man.loc["02-01-06-01-02-01-12", "modality"] == "video"
    assert man.loc["01-01-06-01-02-01-12", "modality"] == "audiovisual"


def test_ravdess_wrong_layout(tmp_path):
    _ravdess(tmp_path)
    bad = _wav(tmp_path / "Audio_Speech_Actors_01-24" / "Actor_01" / "foo.wav")
    with pytest.raises(ParameterError, match=r"foo\.wav does not match Actor_XX/MM-VV-EE-II-SS-RR-AA\.wav"):
        ak.datasets.index_ravdess(tmp_path)
    with pytest.warns(UserWarning, match=r"skipped 1 file.*foo\.wav"):
        man = ak.datasets.index_ravdess(tmp_path, strict=False)
    assert len(man) == 4 and str(bad) not in set(man.path)
    # a file whose actor code disagrees with its folder
    bad.unlink()
    _wav(tmp_path / "Audio_Speech_Actors_01-24" / "Actor_01" / "03-01-05-02-01-01-02.wav")
    with pytest.raises(ParameterError, match="actor 02 in a folder of actor 01"):
        ak.datasets.index_ravdess(tmp_path)


def test_empty_or_missing_folder(tmp_path):
    with pytest.raises(ParameterError, match=r"no files matched Actor_XX/MM-VV-EE-II-SS-RR-AA\.wav"):
        ak.datasets.index_ravdess(tmp_path)
    with pytest.raises(ParameterError, match="root: .* is not a folder"):
        ak.datasets.index_ravdess(tmp_path / "nowhere")
    with pytest.raises(ParameterError, match="corpus: expected one of"):
        ak.datasets.index("savee", tmp_path)


# --------------------------------------------------------------------------- CREMA-D

_VOTES_HEADER = ('"","A","D","F","H","N","S","fileName","numResponses","agreement","emoVote","meanEmoResp",'
                 '"meanAngerResp","meanDisgustResp","meanFearResp","meanHappyResp","meanNeutralResp","meanSadResp",'
                 '"medianEmoResp"\n')
_RESP_HEADER = ('"","localid","pos","ans","ttr","queryType","numTries","clipNum","questNum","subType","clipName",'
                '"sessionNums","respEmo","respLevel","dispEmo","dispVal","dispLevel"\n')


def _crema(root, votes=True, responses=True):
    for name in ("1001_DFA_ANG_XX", "1001_IEO_HAP_HI", "1002_TIE_NEU_XX"):
        _wav(root / "AudioWAV" / f"{name}.wav")
    _text(root / "VideoDemographics.csv", '"ActorID","Age","Sex","Race","Ethnicity"\n'
          '1001,51,"Male","Caucasian","Not Hispanic"\n1002,21,"Female","Caucasian","Not Hispanic"\n')
    if votes:
        _text(root / "processedResults" / "tabulatedVotes.csv", _VOTES_HEADER +
              '"100001",3,0,0,0,1,0,"1001_DFA_ANG_XX",4,0.75,"A",55,55,NA,NA,NA,50,NA,55\n'
              '"300001",4,0,0,0,0,0,"1001_DFA_ANG_XX",4,1,"A",70,70,NA,NA,NA,NA,NA,70\n'
              '"100002",0,0,0,2,2,0,"1001_IEO_HAP_HI",4,0.5,"H:N",60,NA,NA,NA,60,60,NA,60\n'
              '"100003",0,0,0,0,3,0,"1002_TIE_NEU_XX",3,1,"N",50,NA,NA,NA,NA,50,NA,50\n')
    if responses:
        lines = []
        answers = [("1001_DFA_ANG_XX", 1, ["A", "A", "A", "N"]), ("1001_DFA_ANG_XX", 3, ["A", "A", "A", "A"]),
                   ("1001_IEO_HAP_HI", 1, ["H", "N", "H", "N"]), ("1002_TIE_NEU_XX", 1, ["N", "N", "N"])]
        k = 0
        for clip, query, resp in answers:
            for rater, emo in zip(["r10", "r11", "r12", "r13"], resp):
                k += 1
                lines.append(f'"{k}","{rater}",{k},"{emo}_50",1200,{query},0,1,{k},4,"{clip}",{k},"{emo}",50,'
                             f'"{clip[9]}","XX",50\n')
        _text(root / "finishedResponses.csv", _RESP_HEADER + "".join(lines))
    return root


def test_crema_d_files_votes_and_raters(tmp_path):
    man = _core(ak.datasets.index("crema-d", _crema(tmp_path)))
    assert list(man.index) == ["1001_DFA_ANG_XX", "1001_IEO_HAP_HI", "1002_TIE_NEU_XX"]
    r = man.loc["1001_DFA_ANG_XX"]
    assert (r.speaker, r.label, r.split, r.gender, r.age) == ("1001", "anger", None, "male", 51.0)
    assert (r.sentence, r.level, r.text) == ("DFA", "unspecified", "Don't forget a jacket")
    # the voice-only row of tabulatedVotes (key 1xxxxx), not the audio-visual one (3xxxxx)
    assert (r.vote_label, r.agreement, r.num_responses, r.mean_level) == ("anger", 0.75, 4.0, 55.0)
    assert man.loc["1001_IEO_HAP_HI", "vote_label"] is None  # "H:N" tie
    assert man.loc["1001_IEO_HAP_HI", "level"] == "high"
    assert man.loc["1002_TIE_NEU_XX", "gender"] == "female"
    assert r.annotations == {"r10": "anger", "r11": "anger", "r12": "anger", "r13": "neutral"}
    long = ak.datasets.annotations(man.reset_index())
    assert len(long) == 11 and set(long.label) <= _label_names("crema-d")
    fused = ak.labels.majority(long, ties="nan")
    got = dict(zip(fused.items, fused.labels))
    assert got["1001_DFA_ANG_XX"] == "anger" and got["1002_TIE_NEU_XX"] == "neutral"
    assert got["1001_IEO_HAP_HI"] is None or (isinstance(got["1001_IEO_HAP_HI"], float)
                                              and math.isnan(got["1001_IEO_HAP_HI"]))
    av = _core(ak.datasets.index_crema_d(tmp_path, ratings="audiovisual"))
    assert av.loc["1001_DFA_ANG_XX", "annotations"] == {"r10": "anger", "r11": "anger", "r12": "anger",
                                                        "r13": "anger"}
    assert av.loc["1001_DFA_ANG_XX", "agreement"] == 1.0
    assert av.loc["1002_TIE_NEU_XX", "annotations"] is None
    with pytest.raises(ParameterError, match="ratings: expected one of"):
        ak.datasets.index_crema_d(tmp_path, ratings="audio")


def test_crema_d_without_rating_files(tmp_path):
    man = ak.datasets.index_crema_d(_crema(tmp_path, votes=False, responses=False))
    assert "annotations" not in man.columns and "vote_label" not in man.columns
    with pytest.raises(ParameterError, match="no 'annotations' column"):
        ak.datasets.annotations(man)


def test_crema_d_broken_files(tmp_path):
    _crema(tmp_path)
    p = tmp_path / "finishedResponses.csv"
    p.write_text(p.read_text() + '"99","r14",99,"Q_50",1200,1,0,1,99,4,"1002_TIE_NEU_XX",99,"Q",50,"N","XX",50\n')
    with pytest.raises(ReadError, match=r"finishedResponses\.csv, line 17: respEmo 'Q'"):
        ak.datasets.index_crema_d(tmp_path)
    p.write_text(_RESP_HEADER + '"1","r1",1\n')
    with pytest.raises(ReadError, match=r"finishedResponses\.csv, line 2: 3 field\(s\), the header has 17"):
        ak.datasets.index_crema_d(tmp_path)
    p.unlink()
    _text(tmp_path / "processedResults" / "tabulatedVotes.csv", '"","A","fileName"\n')
    with pytest.raises(ReadError, match=r"tabulatedVotes\.csv, line 1: lacks column\(s\)"):
        ak.datasets.index_crema_d(tmp_path)
    _wav(tmp_path / "AudioWAV" / "1001_XYZ_ANG_XX.wav")
    with pytest.raises(ParameterError, match=r"1001_XYZ_ANG_XX\.wav does not match AudioWAV/AAAA_SSS_EEE_LL\.wav"):
        ak.datasets.index_crema_d(tmp_path)


# --------------------------------------------------------------------------- EmoDB


def test_emodb_codes_and_speaker_table(tmp_path):
    for name in ("03a01Fa", "08b02Wb", "16a07Lc", "09b09Ta"):
        _wav(tmp_path / "wav" / f"{name}.wav")
    _text(tmp_path / "silb" / "03a01Fa.silb", "a syllable file, not a recording")
    man = _core(ak.datasets.index("emodb", tmp_path))
    assert len(man) == 4
    r = man.loc["03a01Fa"]
    assert (r.speaker, r.label, r.gender, r.age, r.text_id, r.version) == ("03", "happiness", "male", 31.0, "a01", "a")
    assert r.text == "Der Lappen liegt auf dem Eisschrank."
    assert (man.loc["08b02Wb", "label"], man.loc["08b02Wb", "gender"]) == ("anger", "female")
    assert man.loc["16a07Lc", "label"] == "boredom" and man.loc["09b09Ta", "label"] == "sadness"
    _wav(tmp_path / "wav" / "04a01Fa.wav")  # speaker 04 is not in the corpus
    _strict_then_skip(ak.datasets.index_emodb, tmp_path, r"04a01Fa\.wav does not match wav/SSTTTEV\.wav", 4)
    with pytest.raises(ParameterError, match=r"emodb: .*wav is not a folder"):
        ak.datasets.index_emodb(tmp_path / "silb")


# --------------------------------------------------------------------------- TESS


def test_tess_folders_and_spelling_quirks(tmp_path):
    data = tmp_path / "TESS Toronto emotional speech set data"
    _wav(data / "OAF_angry" / "OAF_back_angry.wav")
    _wav(data / "OAF_Fear" / "OAF_bite_fear.wav")
    _wav(data / "OAF_Pleasant_surprise" / "OAF_bar_ps.wav")
    _wav(data / "OAF_neutral" / "OA_bite_neutral.wav")      # the archive's OA_ prefix
    _wav(data / "YAF_pleasant_surprised" / "YAF_chair_ps.wav")
    _wav(data / "YAF_sad" / "YAF_germ_sad.wav")
    _wav(data / "YAF_happy" / "YAF_dog_happy.wav")
    man = _core(ak.datasets.index_tess(tmp_path))
    assert len(man) == 7
    assert man.loc["OAF_back_angry", "label"] == "anger" and man.loc["OAF_bite_fear", "label"] == "fear"
    assert man.loc["OAF_bar_ps", "label"] == "surprise" and man.loc["YAF_chair_ps", "label"] == "surprise"
    assert man.loc["OA_bite_neutral", "speaker"] == "OAF" and man.loc["YAF_germ_sad", "label"] == "sadness"
    assert (man.loc["YAF_dog_happy", "label"], man.loc["YAF_dog_happy", "age"]) == ("happiness", 26.0)
    assert man.loc["OAF_back_angry", "text"] == "Say the word back"
    assert set(man.speaker) == {"OAF", "YAF"} and set(man.gender) == {"female"}
    assert set(man.label) <= _label_names("tess")
    # the copy some archives nest inside the corpus folder: a clear error, not duplicate rows
    _wav(data / "TESS Toronto emotional speech set data" / "YAF_happy" / "YAF_dog_happy.wav")
    with pytest.raises(ParameterError, match="item 'YAF_dog_happy' found twice.*one copy of the corpus"):
        ak.datasets.index_tess(tmp_path)
    assert len(ak.datasets.index_tess(data / "TESS Toronto emotional speech set data")) == 1
    shutil.rmtree(data / "TESS Toronto emotional speech set data")
    _wav(data / "YAF_sad" / "YAF_dog_happy.wav")   # folder and file disagree
    with pytest.raises(ParameterError, match=r"YAF_sad/YAF_dog_happy\.wav does not match"):
        ak.datasets.index_tess(tmp_path)


# --------------------------------------------------------------------------- IEMOCAP

_EVAL_01 = """% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]

[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]
C-E2:\tNeutral;\t()
C-E3:\tNeutral;\t()
C-E4:\tNeutral;\t()
C-F1:\tNeutral;\t(curious)
A-E3:\tval 3; act 2; dom  2;\t()
A-E4:\tval 2; act 3; dom  3;\t(mildly aggravated but staying polite, attitude)
A-F1:\tval 3; act 2; dom  1;\t()

[10.0100 - 11.3925]\tSes01F_impro01_M001\txxx\t[2.0000, 3.5000, 3.5000]
C-E1:\tFrustration; Anger;\t()
C-E2:\tNeutral;\t()
C-E4:\tExcited;\t()
A-E1:\tval 2; act 4; dom  4;\t()
A-E2:\tval 2; act 3; dom  3;\t()

[14.8872 - 18.0175]\tSes01F_impro01_F002\tfru\t[2.0000, 3.0000, 3.0000]
C-E1:\tFrustration;\t()
C-E2:\tFrustration; Sadness;\t()
C-M1:\tAnger;\t(annoyed)
A-E1:\tval 2; act 3; dom  3;\t()
"""

_EVAL_02 = """% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]

[1.0000 - 3.5000]\tSes02M_script01_1_M000\toth\t[3.0000, 3.0000, 3.0000]
C-E5:\tOther;\t(sarcastic)
C-E6:\tHappiness;\t()
A-E5:\tval 3; act 3; dom  3;\t()

[4.0000 - 5.2500]\tSes02M_script01_1_F001\tang\t[1.5000, 4.0000, 4.5000]
C-E5:\tAnger;\t()
C-E6:\tAnger;\t()
A-E5:\tval 1; act 4; dom  5;\t(threatening, belligerent)
"""


def _iemocap(root):
    _text(root / "Session1" / "dialog" / "EmoEvaluation" / "Ses01F_impro01.txt", _EVAL_01)
    _text(root / "Session1" / "dialog" / "EmoEvaluation" / "Categorical" / "Ses01F_impro01_e2_cat.txt",
          "Ses01F_impro01_F000 :Neutral state; ()\n")  # other formats live in subfolders: not read
    _text(root / "Session2" / "dialog" / "EmoEvaluation" / "Ses02M_script01_1.txt", _EVAL_02)
    for turn in ("Ses01F_impro01_F000", "Ses01F_impro01_M001", "Ses01F_impro01_F002"):
        _wav(root / "Session1" / "sentences" / "wav" / "Ses01F_impro01" / f"{turn}.wav")
    for turn in ("Ses02M_script01_1_M000", "Ses02M_script01_1_F001"):
        _wav(root / "Session2" / "sentences" / "wav" / "Ses02M_script01_1" / f"{turn}.wav")
    return root


def test_iemocap_evaluations(tmp_path):
    man = _core(ak.datasets.index("iemocap", _iemocap(tmp_path)))
    assert len(man) == 5
    r = man.loc["Ses01F_impro01_F000"]
    assert (r.speaker, r.gender, r.session, r.label, r.split) == ("Ses01F", "female", 1, "neutral", None)
    assert (r.start, r.end, r.valence, r.arousal, r.dominance) == (6.2901, 8.2357, 2.5, 2.5, 2.5)
    assert r.annotations == {"E2": "neutral", "E3": "neutral", "E4": "neutral", "F1": "neutral"}
    assert r.n_ratings == 3 and r.dialogue == "Ses01F_impro01"
    m = man.loc["Ses01F_impro01_M001"]
    assert (m.speaker, m.gender, m.label, m.emotion_code) == ("Ses01M", "male", None, "xxx")
    assert m.annotations == {"E1": "frustration", "E2": "neutral", "E4": "excitement"}  # first category kept
    assert man.loc["Ses01F_impro01_F002", "annotations"]["E2"] == "frustration"
    o = man.loc["Ses02M_script01_1_M000"]
    assert (o.label, o.emotion_code, o.speaker, o.session) == (None, "oth", "Ses02M", 2)
    assert o.annotations == {"E5": "other", "E6": "happiness"}
    assert man.loc["Ses02M_script01_1_F001", "label"] == "anger"
    assert man.loc["Ses02M_script01_1_F001", "speaker"] == "Ses02F"
    long = ak.datasets.annotations(man.reset_index())
    assert len(long) == 14 and set(long.label) <= _label_names("iemocap")
    fused = ak.labels.majority(long, ties="first")
    got = dict(zip(fused.items, fused.labels))
    assert got["Ses01F_impro01_F000"] == "neutral" and got["Ses02M_script01_1_F001"] == "anger"
    assert got["Ses01F_impro01_F002"] == "frustration"
    assert ak.labels.map_labels(["excitement", "happiness"], "iemocap", "iemocap4") == ["happiness", "happiness"]


def test_iemocap_dialogues(tmp_path):
    # dialogue = the EmoEvaluation file, turn = order by start time over both speakers
    man = ak.datasets.index("iemocap", _iemocap(tmp_path))
    got = {r.item: (r.dialogue, r.turn) for r in man.itertuples()}
    assert got == {"Ses01F_impro01_F000": ("Ses01F_impro01", 0), "Ses01F_impro01_M001": ("Ses01F_impro01", 1),
                   "Ses01F_impro01_F002": ("Ses01F_impro01", 2), "Ses02M_script01_1_M000": ("Ses02M_script01_1", 0),
                   "Ses02M_script01_1_F001": ("Ses02M_script01_1", 1)}
    D = ak.dialogues.from_manifest(man)
    k = D.ids.index("Ses01F_impro01")
    assert D.items[k] == ["Ses01F_impro01_F000", "Ses01F_impro01_M001", "Ses01F_impro01_F002"]
    assert D.speakers[k].tolist() == [0, 1, 0] and D.speaker_names[k] == ["Ses01F", "Ses01M", "Ses01F"]
    assert D.labels[k] == ["neutral", None, "frustration"]
    parts = ak.dialogues.split(D, "sessions", test_sessions=[2])
    assert parts["train"].ids == ["Ses01F_impro01"] and parts["test"].ids == ["Ses02M_script01_1"]


def test_iemocap_dimensional_ratings(tmp_path):
    r = ak.datasets.dimensional_ratings("iemocap", _iemocap(tmp_path))
    assert list(r.columns) == ["task", "worker", "valence", "arousal", "dominance"]
    assert len(r) == 8
    e4 = r[(r.task == "Ses01F_impro01_F000") & (r.worker == "E4")].iloc[0]
    assert (e4.valence, e4.arousal, e4.dominance) == (2.0, 3.0, 3.0)
    # the consensus line is the evaluators' mean, as the manifest's columns hold it
    man = ak.datasets.index_iemocap(tmp_path).set_index("item")
    mean = r.groupby("task")[["valence", "arousal", "dominance"]].mean()
    assert mean.loc["Ses01F_impro01_M001"].tolist() == man.loc["Ses01F_impro01_M001", ["valence", "arousal",
                                                                                          "dominance"]].tolist()
    assert man.loc["Ses01F_impro01_F000", "n_ratings"] == 3
    m, items, raters = ak.labels.ratings_matrix(r.task, r.worker, r.arousal)
    assert m.shape == (len(set(r.task)), len(set(r.worker)))
    with pytest.raises(ParameterError, match="iemocap and msp-podcast"):
        ak.datasets.dimensional_ratings("ravdess", tmp_path)


def test_iemocap_broken_files(tmp_path):
    _iemocap(tmp_path)
    ev = tmp_path / "Session1" / "dialog" / "EmoEvaluation" / "Ses01F_impro01.txt"
    ev.write_text(_EVAL_01.replace("C-E3:\tNeutral;", "C-E3:\tBemused;"))
    with pytest.raises(ReadError, match=r"Ses01F_impro01\.txt, line 5: category 'Bemused'"):
        ak.datasets.index_iemocap(tmp_path)
    ev.write_text(_EVAL_01.replace("A-E4:\tval 2; act 3; dom  3;", "A-E4:\tvalence high"))
    with pytest.raises(ReadError, match=r"line 9: expected 'val N; act N; dom N;'"):
        ak.datasets.index_iemocap(tmp_path)
    ev.write_text(_EVAL_01.replace("[10.0100 - 11.3925]", "[10.0100 to 11.3925]"))
    with pytest.raises(ReadError, match=r"Ses01F_impro01\.txt, line 12: neither"):
        ak.datasets.index_iemocap(tmp_path)
    ev.write_text(_EVAL_01)
    (tmp_path / "Session2" / "sentences" / "wav" / "Ses02M_script01_1" / "Ses02M_script01_1_F001.wav").unlink()
    _strict_then_skip(ak.datasets.index_iemocap, tmp_path,
                      r"Ses02M_script01_1_F001\.wav does not match SessionN/.*has no wav", 4)
    with pytest.raises(ParameterError, match=r"iemocap: no files matched SessionN/dialog/EmoEvaluation"):
        ak.datasets.index_iemocap(tmp_path / "Session1")


# --------------------------------------------------------------------------- MSP-Podcast

_CONSENSUS = """FileName,EmoClass,EmoAct,EmoVal,EmoDom,SpkrID,Gender,Split_Set
MSP-PODCAST_0001_0008.wav,N,4.2,4.0,4.4,127,Female,Development
MSP-PODCAST_0001_0019.wav,A,5.8,2.0,5.6,127,Female,Train
MSP-PODCAST_0002_0033.wav,X,4.0,3.4,4.2,Unknown,Unknown,Train
MSP-PODCAST_0003_0001.wav,H,4.6,5.8,4.6,982,Male,Test1
MSP-PODCAST_0004_0002.wav,S,2.6,2.4,3.0,1044,Male,Test2
"""

_DETAILED_V111 = """FileName,EmoDetail
MSP-PODCAST_0001_0008.wav,"WORKER00014; Neutral; Neutral; A:4.0; V:4.0; D:4.0;"
MSP-PODCAST_0001_0008.wav,"WORKER00022; Neutral; ; A:4.0; V:4.0; D:5.0;"
MSP-PODCAST_0001_0008.wav,"WORKER00031; Happy; Amused,Excited; A:5.0; V:5.0; D:4.0;"
MSP-PODCAST_0001_0019.wav,"WORKER00014; Angry; Frustrated,Annoyed; A:6.0; V:2.0; D:6.0;"
MSP-PODCAST_0001_0019.wav,"WORKER00031; Angry; Annoyed; A:6.0; V:2.0; D:5.0;"
MSP-PODCAST_0001_0019.wav,"WORKER00045; Contempt; ; A:5.0; V:2.0; D:6.0;"
MSP-PODCAST_0002_0033.wav,"WORKER00014; Other-Curious; Other-Curious; A:4.0; V:4.0; D:4.0;"
MSP-PODCAST_0002_0033.wav,"WORKER00022; Sad; Concerned; A:4.0; V:3.0; D:4.0;"
"""


def _msp(root, detailed=_DETAILED_V111):
    _text(root / "Labels" / "labels_consensus.csv", _CONSENSUS)
    if detailed is not None:
        _text(root / "Labels" / "labels_detailed.csv", detailed)
    for line in _CONSENSUS.splitlines()[1:]:
        _wav(root / "Audios" / line.split(",")[0])
    _wav(root / "Audios" / "MSP-PODCAST_9999_0001.wav")   # unlabelled: ignored
    return root


def test_msp_podcast_consensus_splits_and_workers(tmp_path):
    man = _core(ak.datasets.index("msp-podcast", _msp(tmp_path)))
    assert list(man.index) == ["MSP-PODCAST_0001_0008", "MSP-PODCAST_0001_0019", "MSP-PODCAST_0002_0033",
                               "MSP-PODCAST_0003_0001", "MSP-PODCAST_0004_0002"]
    assert list(man.split) == ["dev", "train", "train", "test", "test"]
    assert list(man.split_set) == ["Development", "Train", "Train", "Test1", "Test2"]
    assert list(man.label) == ["neutral", "anger", None, "happiness", "sadness"]
    r = man.loc["MSP-PODCAST_0001_0019"]
    assert (r.speaker, r.gender, r.arousal, r.valence, r.dominance) == ("127", "female", 5.8, 2.0, 5.6)
    assert r.annotations == {"WORKER00014": "anger", "WORKER00031": "anger", "WORKER00045": "contempt"}
    assert man.loc["MSP-PODCAST_0002_0033", "annotations"] == {"WORKER00014": "other", "WORKER00022": "sadness"}
    assert man.loc["MSP-PODCAST_0002_0033", "gender"] is None
    assert man.loc["MSP-PODCAST_0003_0001", "annotations"] is None
    long = ak.datasets.annotations(man.reset_index())
    assert len(long) == 8 and set(long.label) <= _label_names("msp-podcast")
    fused = ak.labels.majority(long, ties="nan")
    got = dict(zip(fused.items, fused.labels))
    assert got["MSP-PODCAST_0001_0008"] == "neutral" and got["MSP-PODCAST_0001_0019"] == "anger"


def test_msp_podcast_column_format_of_labels_detailed(tmp_path):
    detailed = ("FileName,WorkerID,EmoClass_Major,EmoClass_Second,EmoAct,EmoVal,EmoDom\n"
                "MSP-PODCAST_0001_0008.wav,WORKER00014,Neutral,Neutral,4,4,4\n"
                "MSP-PODCAST_0001_0008.wav,WORKER00022,H,,4,4,5\n")
    man = _core(ak.datasets.index_msp_podcast(_msp(tmp_path, detailed)))
    assert man.loc["MSP-PODCAST_0001_0008", "annotations"] == {"WORKER00014": "neutral", "WORKER00022": "happiness"}


def test_msp_podcast_dimensional_ratings(tmp_path):
    r = ak.datasets.dimensional_ratings("msp-podcast", _msp(tmp_path))
    assert len(r) == 8
    w = r[(r.task == "MSP-PODCAST_0001_0019") & (r.worker == "WORKER00031")].iloc[0]
    assert (w.valence, w.arousal, w.dominance) == (2.0, 6.0, 5.0)
    old = ("FileName,WorkerID,EmoClass_Major,EmoClass_Second,EmoAct,EmoVal,EmoDom\n"
           "MSP-PODCAST_0001_0008.wav,WORKER00014,Neutral,Neutral,4,3,5\n")
    _text(tmp_path / "Labels" / "labels_detailed.csv", old)
    assert ak.datasets.dimensional_ratings("msp_podcast", tmp_path).iloc[0].tolist() == [
        "MSP-PODCAST_0001_0008", "WORKER00014", 3.0, 4.0, 5.0]
    _text(tmp_path / "Labels" / "labels_detailed.csv", _DETAILED_V111.replace("V:2.0; D:5.0;", "D:5.0;"))
    with pytest.raises(ReadError, match=r"labels_detailed\.csv, line 6: expected 'A:x; V:x; D:x;'"):
        ak.datasets.dimensional_ratings("msp-podcast", tmp_path)
    (tmp_path / "Labels" / "labels_detailed.csv").unlink()
    with pytest.raises(ParameterError, match="no files matched Labels/labels_detailed.csv"):
        ak.datasets.dimensional_ratings("msp-podcast", tmp_path)


def test_msp_podcast_errors(tmp_path):
    _msp(tmp_path, detailed=None)
    assert "annotations" not in ak.datasets.index_msp_podcast(tmp_path).columns
    (tmp_path / "Audios" / "MSP-PODCAST_0003_0001.wav").unlink()
    _strict_then_skip(ak.datasets.index_msp_podcast, tmp_path,
                      r"MSP-PODCAST_0003_0001\.wav does not match .*missing from Audios", 4)
    _text(tmp_path / "Labels" / "labels_consensus.csv", _CONSENSUS.replace("Test2", "Holdout"))
    with pytest.raises(ReadError, match=r"labels_consensus\.csv, line 6: Split_Set 'Holdout'"):
        ak.datasets.index_msp_podcast(tmp_path, strict=False)
    _text(tmp_path / "Labels" / "labels_consensus.csv", _CONSENSUS.replace("4.2,4.0,4.4", "high,4.0,4.4"))
    with pytest.raises(ReadError, match=r"line 2: column 'EmoAct' holds 'high'"):
        ak.datasets.index_msp_podcast(tmp_path, strict=False)
    _text(tmp_path / "Labels" / "labels_consensus.csv", _CONSENSUS)
    _text(tmp_path / "Labels" / "labels_detailed.csv", _DETAILED_V111.replace("Contempt;", "Meh;"))
    with pytest.raises(ReadError, match=r"labels_detailed\.csv, line 7: primary emotion 'Meh'"):
        ak.datasets.index_msp_podcast(tmp_path, strict=False)


# --------------------------------------------------------------------------- MELD

_MELD_HEADER = "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime\n"


def _meld(root):
    raw = root / "MELD.Raw"
    _text(raw / "train_sent_emo.csv", _MELD_HEADER +
          '1,"also I was the point person on my company\'s transition from the KL-5 to GR-6 system.",Chandler,neutral,'
          'neutral,0,0,8,21,"00:16:16,059","00:16:21,731"\n'
          '2,"You must\'ve had your hands full.",The Interviewer,neutral,neutral,0,1,8,21,'
          '"00:16:21,940","00:16:23,442"\n'
          '3,"That I did. That I did.",Chandler,joy,positive,0,2,8,21,"00:16:23,442","00:16:26,389"\n')
    _text(raw / "dev_sent_emo.csv", _MELD_HEADER +
          '1,"Oh my God, he\'s lost it. He\'s totally lost it.",Phoebe,sadness,negative,0,0,4,7,'
          '"00:20:57,256","00:21:00,049"\n'
          '2,"What?",Monica,surprise,negative,0,1,4,7,"00:21:00,049","00:21:01,007"\n')
    _text(raw / "test_sent_emo.csv", _MELD_HEADER +
          '1,"Why do all you\'re coffee mugs have numbers on the bottom?",Mark,surprise,positive,0,0,3,19,'
          '"00:14:38,127","00:14:40,466"\n')
    for name in ("dia0_utt0", "dia0_utt1", "dia0_utt2"):
        (raw / "train" / "train_splits").mkdir(parents=True, exist_ok=True)
        (raw / "train" / "train_splits" / f"{name}.mp4").write_bytes(b"\x00")
    (raw / "dev" / "dev_splits_complete").mkdir(parents=True)
    (raw / "dev" / "dev_splits_complete" / "dia0_utt0.mp4").write_bytes(b"\x00")  # dia0_utt1 missing
    (raw / "test" / "output_repeated_splits_test").mkdir(parents=True)
    (raw / "test" / "output_repeated_splits_test" / "dia0_utt0.mp4").write_bytes(b"\x00")
    return root


def test_meld_splits_text_and_media(tmp_path):
    with pytest.warns(UserWarning, match=r"1 utterance\(s\) have no media file.*dev_splits_complete/dia0_utt1\.mp4"):
        man = _core(ak.datasets.index("meld", _meld(tmp_path)))
    assert len(man) == 6
    assert list(man.split) == ["train"] * 3 + ["dev"] * 2 + ["test"]
    r = man.loc["train_dia0_utt2"]
    assert (r.speaker, r.label, r.sentiment, r.text) == ("Chandler", "joy", "positive", "That I did. That I did.")
    assert r.start == pytest.approx(16 * 60 + 23.442) and r.end == pytest.approx(16 * 60 + 26.389)
    assert r.path.endswith("train_splits/dia0_utt2.mp4")
    assert man.loc["dev_dia0_utt1", "path"] == "" and man.loc["dev_dia0_utt1", "label"] == "surprise"
    assert man.loc["test_dia0_utt0", "path"].endswith("output_repeated_splits_test/dia0_utt0.mp4")
    assert set(man.label) <= _label_names("meld")
    assert ak.labels.map_labels(["joy"], "meld", "ekman7") == ["happiness"]
    # MELD numbers dialogues per split: the dialogue id carries the split
    assert list(man.dialogue) == ["train_dia0"] * 3 + ["dev_dia0"] * 2 + ["test_dia0"]
    assert list(man.turn) == [0, 1, 2, 0, 1, 0] and list(man.utterance) == [0, 1, 2, 0, 1, 0]
    D = ak.dialogues.from_manifest(man.reset_index())
    assert D.ids == ["train_dia0", "dev_dia0", "test_dia0"] and D.extra["sentiment"][0] == ["neutral"] * 2 + ["positive"]
    parts = ak.dialogues.split(D)
    assert {k: v.ids for k, v in parts.items()} == {"train": ["train_dia0"], "dev": ["dev_dia0"], "test": ["test_dia0"]}


def test_meld_errors(tmp_path):
    _meld(tmp_path)
    p = tmp_path / "MELD.Raw" / "dev_sent_emo.csv"
    p.write_text(p.read_text().replace("surprise,negative", "bewildered,negative"))
    with pytest.raises(ReadError, match=r"dev_sent_emo\.csv, line 3: Emotion 'bewildered'"):
        ak.datasets.index_meld(tmp_path)
    p.write_text(_MELD_HEADER + '1,"Hi",Monica,neutral,neutral,0,0,4,7,"20 past 3","00:21:01,007"\n')
    with pytest.raises(ReadError, match=r"line 2: StartTime '20 past 3' is not HH:MM:SS,mmm"):
        ak.datasets.index_meld(tmp_path)
    with pytest.raises(ParameterError, match=r"meld: no files matched train_sent_emo\.csv"):
        ak.datasets.index_meld(tmp_path / "MELD.Raw" / "train")


# --------------------------------------------------------------------------- CLI


def test_cli_index_round_trip(tmp_path, capsys):
    root = _iemocap(tmp_path / "IEMOCAP_full_release")
    out = tmp_path / "manifest.csv"
    assert cli.main(["index", "iemocap", str(root), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "5 item(s)" in printed and "neutral" in printed and "anger" in printed
    back = ak.datasets.read_manifest(out)
    direct = ak.datasets.index_iemocap(root)
    assert list(back["item"]) == list(direct["item"])
    assert list(back["label"]) == list(direct["label"])
    assert list(back["annotations"]) == list(direct["annotations"])
    assert back["valence"].tolist() == direct["valence"].tolist()
    fused = ak.labels.majority(ak.datasets.annotations(back), ties="first")
    assert dict(zip(fused.items, fused.labels))["Ses02M_script01_1_F001"] == "anger"


def test_cli_index_options(tmp_path, capsys):
    root = _crema(tmp_path / "CREMA-D")
    out = tmp_path / "av.csv"
    assert cli.main(["index", "crema-d", str(root), "--ratings", "audiovisual", "-o", str(out)]) == 0
    back = ak.datasets.read_manifest(out).set_index("item")
    assert back.loc["1001_DFA_ANG_XX", "annotations"]["r13"] == "anger"   # "neutral" in the voice ratings
    assert cli.main(["index", "emodb", str(root), "--ratings", "face"]) == 2
    assert "--ratings applies to crema-d only" in capsys.readouterr().err
    _wav(root / "AudioWAV" / "notes.wav")
    assert cli.main(["index", "crema-d", str(root)]) == 1
    assert "--skip-mismatches" in capsys.readouterr().err
    capsys.readouterr()
    assert cli.main(["index", "crema-d", str(root), "--skip-mismatches"]) == 0
    cap = capsys.readouterr()
    assert "3 item(s)" in cap.out
    # the indexer's warning reaches the shell as one line, not as a Python warning
    assert "affectkit index: warning: crema-d: skipped 1 file" in cap.err and "UserWarning" not in cap.err


def test_cli_index_errors_and_help(tmp_path, capsys):
    assert cli.main(["index", "ravdess", str(tmp_path), "-o", str(tmp_path / "m.csv")]) == 1
    assert "no files matched Actor_XX" in capsys.readouterr().err
    assert not (tmp_path / "m.csv").exists()
    root = _meld(tmp_path / "meld")
    assert cli.main(["index", "meld", str(root)]) == 0
    cap = capsys.readouterr()
    printed = cap.out
    assert "affectkit index: warning: meld:" in cap.err
    assert "train" in printed and "dev" in printed and "joy" in printed
    with pytest.raises(SystemExit) as e:
        cli.main(["index", "--help"])
    assert e.value.code == 0
    assert "msp-podcast" in capsys.readouterr().out


def test_cli_index_shows_its_stages_on_a_terminal(tmp_path):
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    root = _crema(tmp_path / "CREMA-D")
    err = Terminal()
    args = cli.build_parser().parse_args(["index", "crema-d", str(root)])
    assert args.func(args, io.StringIO(), err) == 0
    assert "indexing crema-d under CREMA-D" in err.getvalue() and "3 items" in err.getvalue()
