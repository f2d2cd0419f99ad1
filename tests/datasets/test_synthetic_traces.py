"""make_acted_corpus(traces=True): valence/arousal traces that drive voice and face, rated by lagged annotators."""

import numpy as np
import pytest

import affectkit as ak
from affectkit.errors import InputTypeError, ParameterError


@pytest.fixture(scope="module")
def corpus():
    return ak.datasets.make_acted_corpus(10, n_speakers=2, n_annotators=4, duration=(12.0, 16.0), seed=3,
                                         traces=True)


def test_without_traces_nothing_changes():
    a = ak.datasets.make_acted_corpus(6, n_speakers=2, seed=1)
    b = ak.datasets.make_acted_corpus(6, n_speakers=2, seed=1, traces=False)
    assert a.traces is None and b.traces is None
    for x, y in zip(a.audio, b.audio):
        assert np.array_equal(x, y)
    # with traces the same items move within themselves: other audio, same length
    c = ak.datasets.make_acted_corpus(6, n_speakers=2, seed=1, traces=True)
    assert [len(x) for x in c.audio] == [len(x) for x in a.audio]
    assert not np.array_equal(c.audio[0], a.audio[0])
    assert c.labels.tolist() == a.labels.tolist()


def test_shapes_and_variation_within_items(corpus):
    tr = corpus.traces
    assert tr.fps == 25.0 and len(tr.valence) == 10
    for i, audio in enumerate(corpus.audio):
        n = int(np.floor(len(audio) / corpus.sr * 25))
        assert tr.arousal[i].shape == (n,)
        assert tr.valence_ratings[i].shape == (n, 4)
        assert np.ptp(tr.arousal[i]) > 0.2 and np.ptp(tr.valence[i]) > 0.2
    assert ((tr.lags_s >= 1) & (tr.lags_s <= 3)).all()
    # the emotion sets the place on the circumplex: happy above sad in valence
    mean_v = {lab: np.mean([tr.valence[i].mean() for i in range(10) if corpus.labels[i] == lab])
              for lab in ("happy", "sad")}
    assert mean_v["happy"] > mean_v["sad"] + 0.5


def test_each_annotator_reports_the_state_late_by_its_lag(corpus):
    tr = corpus.traces
    for j in range(4):
        best = []
        for i in range(10):
            truth, rating = tr.arousal[i], tr.arousal_ratings[i][:, j]
            corr = [np.corrcoef(truth[: len(truth) - lag], rating[lag:])[0, 1] for lag in range(0, 101)]
            best.append(int(np.argmax(corr)))
        assert abs(np.median(best) - tr.lags_s[j] * 25) <= 3, (best, tr.lags_s[j])


def test_the_voice_follows_arousal(corpus):
    # the same items without traces: the level the latent state adds per second of audio
    # follows arousal (+8 dB per unit); the voice's own syllables and pauses move the
    # level by 1-4 dB as well, so within an item the cue is there but noisy, as in speech
    plain = ak.datasets.make_acted_corpus(10, n_speakers=2, n_annotators=4, duration=(12.0, 16.0), seed=3)
    tr = corpus.traces
    for i in range(10):
        seconds = len(tr.arousal[i]) // 25

        def level(x):
            return np.array([10 * np.log10(np.mean(x[k * corpus.sr:(k + 1) * corpus.sr].astype(float) ** 2))
                             for k in range(seconds)])

        added = level(corpus.audio[i]) - level(plain.audio[i])
        arousal = tr.arousal[i][: seconds * 25].reshape(seconds, 25).mean(axis=1)
        assert np.corrcoef(arousal, added)[0, 1] > 0.85
        slope = np.polyfit(arousal, added, 1)[0]
        assert 6 < slope < 16, slope  # 8 dB, plus the energy of the higher F0 (more pulses)


def test_bad_trace_settings():
    with pytest.raises(ParameterError, match="trace_fps"):
        ak.datasets.make_acted_corpus(2, n_speakers=1, traces=True, trace_fps=0)
    with pytest.raises(InputTypeError, match="traces"):
        ak.datasets.make_acted_corpus(2, n_speakers=1, traces="yes")
