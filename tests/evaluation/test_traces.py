"""ak.metrics.ccc_over_time and ak.evaluation.TracePostprocessor on hand-computed fixtures."""

import numpy as np
import pytest

import affectkit as ak
from affectkit.errors import ParameterError


def lin_ccc(y, p):
    """Lin's CCC with population moments, written out."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    my, mp = y.mean(), p.mean()
    cov = ((y - my) * (p - mp)).mean()
    return 2 * cov / (y.var() + p.var() + (my - mp) ** 2)


def test_plain_ccc_by_hand():
    # means 2.5 and 3.5, variances 1.25, covariance 1.25: 2.5 / (1.25 + 1.25 + 1) = 5/7
    assert ak.metrics.ccc_over_time([1.0, 2, 3, 4], [2.0, 3, 4, 5]) == pytest.approx(5 / 7, abs=1e-12)
    assert ak.metrics.ccc_over_time(np.array([1.0, 2, 3, 4]), np.array([1.0, 2, 3, 4])) == pytest.approx(1.0)


def test_delay_moves_predictions_later_with_the_first_value_repeated():
    y = np.array([0.0, 0, 1, 2, 3, 4])
    p = np.array([0.0, 1, 2, 3, 4, 4])
    # shifted by 1: [0, 0, 1, 2, 3, 4] == y
    assert ak.metrics.ccc_over_time(y, p, delay=1) == pytest.approx(1.0)
    assert ak.metrics.ccc_over_time(y, p, delay=2) == pytest.approx(lin_ccc(y, [0, 0, 0, 1, 2, 3]))
    # negative delay: earlier, the last value repeated
    assert ak.metrics.ccc_over_time(p, y, delay=-1) == pytest.approx(1.0)


def test_median_smoothing_replicates_the_edges():
    y = np.array([0.0, 1, 0, 0, 5])
    p = np.array([0.0, 10, 0, 0, 5])
    # window 3 over [0, 0, 10, 0, 0, 5, 5]: medians [0, 0, 0, 0, 5]
    assert ak.metrics.ccc_over_time(y, p, smoothing=3) == pytest.approx(lin_ccc(y, [0, 0, 0, 0, 5]))
    with pytest.raises(ParameterError, match="smoothing"):
        ak.metrics.ccc_over_time(y, p, smoothing=2)


def test_concatenated_versus_per_sequence_and_unrated_frames():
    y = [np.array([1.0, 2, 3]), np.array([4.0, np.nan, 6, 8])]
    p = [np.array([1.0, 2, 4]), np.array([5.0, 0, 6, 7])]
    cat = lin_ccc([1, 2, 3, 4, 6, 8], [1, 2, 4, 5, 6, 7])       # the NaN frame left out
    assert ak.metrics.ccc_over_time(y, p) == pytest.approx(cat)
    per = (lin_ccc([1, 2, 3], [1, 2, 4]) + lin_ccc([4, 6, 8], [5, 6, 7])) / 2
    assert ak.metrics.ccc_over_time(y, p, average="sequence") == pytest.approx(per)


def test_two_columns_take_one_delay_each():
    t = np.arange(300) / 25
    truth = np.c_[np.sin(t - 1.0), np.cos(t - 0.4)]
    pred = np.c_[np.sin(t), np.cos(t)]
    out = ak.metrics.ccc_over_time([truth], [pred], delay=[25, 10])
    assert out.shape == (2,)
    assert out.min() > 0.97          # the first 25 (10) frames repeat the first prediction
    plain = ak.metrics.ccc_over_time([truth], [pred])
    assert (out > plain + 0.04).all()
    # one delay per column: swapping them is worse for both
    assert (ak.metrics.ccc_over_time([truth], [pred], delay=[10, 25]) < out).all()


@pytest.mark.parametrize("call, match", [
    (lambda: ak.metrics.ccc_over_time([np.ones(3)], [np.ones(4)]), r"p_traces\[0\]"),
    (lambda: ak.metrics.ccc_over_time([np.ones(3), np.ones(2)], [np.ones(3)]), "p_traces: expected 2"),
    (lambda: ak.metrics.ccc_over_time([np.ones(3)], [np.array([1.0, np.nan, 2])]), "NaN"),
    (lambda: ak.metrics.ccc_over_time([np.ones(3)], [np.ones(3)], average="mean"), "average"),
    (lambda: ak.metrics.ccc_over_time([np.ones(3)], [np.ones(3)], delay=1.5), "delay"),
    (lambda: ak.metrics.ccc_over_time([np.ones(3), np.ones((3, 2))], [np.ones(3)] * 2), r"y_traces\[1\]"),
    (lambda: ak.metrics.ccc_over_time([], []), "at least one"),
])
def test_bad_input_names_the_argument(call, match):
    with pytest.raises(ParameterError, match=match):
        call()


def test_postprocessor_finds_delay_bias_and_scale_on_validation():
    t = np.arange(500) / 25
    late = 0.5 * np.sin(t - 1.0) + 0.2
    post = ak.evaluation.TracePostprocessor().fit(late, np.sin(t))
    assert abs(int(post.delay_[0]) - 25) <= 1
    assert post.median_window_[0] % 2 == 1
    out = post.transform(np.sin(t))
    assert isinstance(out, np.ndarray) and out.shape == (500,)
    # bias and scale: the processed prediction has the truth's mean and spread
    assert out[100:].mean() == pytest.approx(late[100:].mean(), abs=0.02)
    assert out.std() == pytest.approx(late.std(), rel=0.02)
    assert post.validation_ccc_[0] > 0.98  # the first 24 frames repeat the first prediction
    plain = ak.evaluation.TracePostprocessor(median_windows=[1], bias=False, scale=False).fit(late, np.sin(t))
    assert plain.transform(np.sin(t)).std() == pytest.approx(np.sin(t).std(), rel=0.02)


def test_postprocessor_smooths_noise_and_refuses_bad_settings():
    rng = np.random.default_rng(0)
    t = np.arange(2000) / 25
    truth = [np.sin(t[:1000] / 2), np.sin(t[1000:] / 2)]
    pred = [y + rng.normal(scale=0.3, size=y.shape) for y in truth]
    post = ak.evaluation.TracePostprocessor(delays=[0], median_windows=[1, 3, 9, 25]).fit(truth, pred)
    assert post.median_window_[0] > 1
    assert post.score(truth, pred) > ak.metrics.ccc_over_time(truth, pred)
    assert isinstance(post.transform(pred), list)
    with pytest.raises(ParameterError, match="median_windows"):
        ak.evaluation.TracePostprocessor(median_windows=[2]).fit(truth, pred)
    with pytest.raises(ParameterError, match="bias"):
        ak.evaluation.TracePostprocessor(bias="yes").fit(truth, pred)
    with pytest.raises(ParameterError, match="target columns"):
        post.transform([np.ones((5, 2))])
