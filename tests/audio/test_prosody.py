"""F0 tracks: synthetic ground truth, parity with librosa.yin / librosa.pyin, bad input."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import affectkit as ak
from conftest import SPEECH
from signals import SR, SYNTHETIC
from references import reference

librosa = reference("librosa")  # imported by the tests that use it

FMIN, FMAX = 75.0, 600.0


def harmonic(f0_of_t, seconds=1.5, sr=SR, n_harmonics=10, amp=0.3):
    """A band-limited harmonic signal (decaying harmonics) with instantaneous F0 f0_of_t."""
    t = np.arange(int(seconds * sr)) / sr
    f = f0_of_t(t)
    phase = 2 * np.pi * np.cumsum(f) / sr
    y = np.zeros_like(t)
    for h in range(1, n_harmonics + 1):
        y += np.where(h * f < sr / 2, np.sin(h * phase) / h, 0.0)
    return amp * y / np.max(np.abs(y)), f


def pulse_train(f0=150.0, seconds=1.5, sr=SR):
    """Unit impulses every 1/f0 seconds (rounded to samples), lightly low-passed."""
    y = np.zeros(int(seconds * sr))
    y[(np.arange(0, seconds, 1 / f0) * sr).astype(int)] = 1.0
    y = np.convolve(y, np.hanning(9) / 4, mode="same")
    return 0.5 * y


CONTOURS = {
    "steady_180": lambda t: np.full_like(t, 180.0),
    "glide_120_210": lambda t: 120.0 + 60.0 * t,
    "vibrato_220": lambda t: 220.0 * 2 ** (0.3 / 12 * np.sin(2 * np.pi * 4 * t)),
    "falling_300_150": lambda t: 300.0 * 2 ** (-t / 1.5),
}


def truth_at(times, f_true, sr=SR):
    idx = np.clip(np.round(times * sr).astype(int), 0, len(f_true) - 1)
    return f_true[idx]


@pytest.mark.parametrize("frame_length", [1024, 2048])
@pytest.mark.parametrize("method", ["pyin", "yin"])
@pytest.mark.parametrize("name", sorted(CONTOURS))
def test_known_contour_within_one_percent(method, name, frame_length):
    # A frame reports the F0 around its centre; moving contours are kept slow enough
    # (<= 60 Hz/s, vibrato +-0.3 semitone at 4 Hz) for a 64-128 ms frame to resolve them.
    y, f_true = harmonic(CONTOURS[name])
    tr = ak.f0(y, SR, method=method, frame_length=frame_length)
    inner = (tr.times > 0.1) & (tr.times < len(y) / SR - 0.1)
    assert tr.voiced[inner].all()
    err = np.abs(tr.f0[inner] / truth_at(tr.times[inner], f_true) - 1)
    assert err.max() < 0.01, f"{method} {name}: max error {err.max():.4f}"


@pytest.mark.parametrize("method", ["pyin", "yin"])
def test_pulse_train(method):
    y = pulse_train(150.0)
    tr = ak.f0(y, SR, method=method)
    inner = (tr.times > 0.1) & (tr.times < 1.4)
    assert tr.voiced[inner].all()
    # The train's period is a whole number of samples on average: 16000/150.
    assert np.abs(tr.f0[inner] / 150.0 - 1).max() < 0.01


def parity_signals():
    out = [(name, y, sr) for name, (y, sr) in SPEECH.items()]
    out += [(name, f(), SR) for name, f in SYNTHETIC.items()]
    for name, c in sorted(CONTOURS.items()):
        out.append((name, harmonic(c)[0], SR))
    return out


PARITY = parity_signals()


@functools.lru_cache(maxsize=None)
def _librosa_pyin(name, dtype):
    y, sr = next((y, sr) for n, y, sr in PARITY if n == name)
    return librosa.pyin(y.astype(dtype), fmin=FMIN, fmax=FMAX, sr=sr)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", PARITY, ids=lambda c: c[0])
def test_yin_matches_librosa(case, dtype):
    name, y, sr = case
    y = y.astype(dtype)
    ref = librosa.yin(y, fmin=FMIN, fmax=FMAX, sr=sr)
    tr = ak.f0(y, sr, method="yin", fill_na=None, dtype=dtype)
    assert tr.f0.shape == ref.shape
    close = np.abs(tr.f0 / ref - 1) <= 0.01
    assert close.mean() >= 0.98, f"{name}: {close.mean():.3f} of frames within 1 %"
    np.testing.assert_allclose(tr.times, librosa.times_like(ref, sr=sr, hop_length=512))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", PARITY, ids=lambda c: c[0])
def test_pyin_matches_librosa(case, dtype):
    name, y, sr = case
    ref_f0, ref_voiced, ref_prob = _librosa_pyin(name, dtype)
    tr = ak.f0(y.astype(dtype), sr, method="pyin", dtype=dtype)
    assert tr.f0.shape == ref_f0.shape
    agree = (tr.voiced == ref_voiced).mean()
    assert agree >= 0.95, f"{name}: voicing agreement {agree:.3f}"
    both = tr.voiced & ref_voiced
    if both.any():
        close = np.abs(tr.f0[both] / ref_f0[both] - 1) <= 0.01
        assert close.mean() >= 0.98, f"{name}: {close.mean():.3f} of frames within 1 %"
    assert np.isnan(tr.f0[~tr.voiced]).all()
    np.testing.assert_allclose(tr.prob, ref_prob, atol=1e-3)


def test_pyin_parameters_follow_librosa():
    y, sr = SPEECH[next(iter(SPEECH))]
    kw = dict(frame_length=1024, hop_length=160, resolution=0.2, switch_prob=0.05, beta_parameters=(1, 18))
    ref_f0, ref_voiced, _ = librosa.pyin(y, fmin=100, fmax=400, sr=sr, fill_na=None, **kw)
    tr = ak.f0(y, sr, method="pyin", fmin=100, fmax=400, fill_na=None, dtype=np.float64, **kw)
    assert (tr.voiced == ref_voiced).mean() >= 0.95
    assert (np.abs(tr.f0 / ref_f0 - 1) <= 0.01).mean() >= 0.98


def test_result_object():
    y, _ = harmonic(CONTOURS["steady_180"], seconds=0.5)
    tr = ak.f0(y, SR)
    assert isinstance(tr, ak.F0Result) and isinstance(tr, ak.Contour)
    f, voiced, prob, times = tr.f0, tr.voiced, tr.prob, tr.times
    assert f.dtype == np.float64 and voiced.dtype == bool
    assert len(tr) == len(times) == 1 + len(y) // 512
    assert ((prob >= 0) & (prob <= 1)).all()


@pytest.mark.parametrize("method", ["pyin", "yin"])
def test_silence_and_noise_are_unvoiced(method):
    tr = ak.f0(np.zeros(8000, np.float32), SR, method=method)
    assert not tr.voiced.any() and np.isnan(tr.f0).all()
    noise = np.random.default_rng(1).standard_normal(32000).astype(np.float32) * 0.1
    tr = ak.f0(noise, SR, method=method)
    # librosa.pyin also calls the frames at the clip's edges (half zero padding) voiced
    # here: 25 % of this clip; YIN finds no trough below 0.1 at all.
    assert tr.voiced.mean() < 0.3
    assert np.isnan(tr.f0[~tr.voiced]).all()


@pytest.mark.parametrize("method", ["pyin", "yin", "praat"])
def test_clipping_and_dc_offset_keep_the_pitch(method):
    # A hard-clipped voice (square-ish wave) and a large DC offset leave F0 where it was:
    # YIN's difference function and Praat's local-mean removal ignore the offset.
    y, f_true = harmonic(CONTOURS["steady_180"])
    clipped = np.clip(4 * y, -0.3, 0.3)
    for z in (clipped, y + 0.5):
        z = z.astype(np.float32)
        tr = ak.f0(z, SR, method=method, fmin=FMIN, fmax=FMAX)
        if method == "yin" and z.mean() > 0.4:
            # librosa's difference function (energy terms over the whole frame) does not
            # cancel an offset larger than the voice: no trough reaches the 0.1 threshold,
            # so YIN calls the frames unvoiced; its best estimate still equals librosa's.
            ref = librosa.yin(z, fmin=FMIN, fmax=FMAX, sr=SR)
            best = ak.f0(z, SR, method="yin", fmin=FMIN, fmax=FMAX, fill_na=None).f0
            np.testing.assert_allclose(best, ref, rtol=1e-3)
            continue
        inner = tr.voiced & (tr.times > 0.2) & (tr.times < 1.3)
        assert inner.sum() >= 0.9 * ((tr.times > 0.2) & (tr.times < 1.3)).sum()
        np.testing.assert_allclose(tr.f0[inner], 180.0, rtol=0.01)


@pytest.mark.parametrize("method", ["pyin", "yin", "praat"])
def test_f0_batch_equals_single_calls(method):
    clips = [y for y, _ in list(SPEECH.values())[:3]] + [harmonic(CONTOURS["glide_120_210"])[0]]
    batch = ak.f0_batch(clips, SR, method=method, n_jobs=2, fill_na=None)
    assert len(batch) == len(clips)
    for y, b in zip(clips, batch):
        one = ak.f0(y, SR, method=method, fill_na=None)
        np.testing.assert_array_equal(b.values, one.values)
        np.testing.assert_array_equal(b.times, one.times)
        assert b.names == one.names
    assert ak.f0_batch([], SR) == []
    with pytest.raises(ValueError, match="clip 1: y: sample 1 is NaN"):
        ak.f0_batch([clips[0], np.array([0.0, np.nan] * 2000)], SR, method=method)
    with pytest.raises(TypeError, match="signals"):
        ak.f0_batch(clips[0], SR)
    with pytest.raises(ValueError, match="method"):
        ak.f0_batch(clips, SR, method="crepe")


def test_empty_and_short_signals():
    tr = ak.f0(np.zeros(0, np.float32), SR)
    assert len(tr) == 1 and not tr.voiced.any()
    tr = ak.f0(np.zeros(100, np.float32), SR, method="yin")
    assert len(tr) == 1
    with pytest.raises(ValueError, match="y"):
        ak.f0(np.zeros(1000, np.float32), SR, center=False)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(fmin=400, fmax=300), "fmin"),
        (dict(fmin=300, fmax=300), "fmin"),
        (dict(fmin=0), "fmin"),
        (dict(fmax=9000), "fmax"),
        (dict(fmin=5), "fmin"),
        (dict(method="crepe"), "method"),
        (dict(fmin_hz=80), "fmin_hz"),
        (dict(switch_prob=2.0), "switch_prob"),
        (dict(dtype=np.int16), "dtype"),
    ],
)
def test_bad_parameters(kwargs, match):
    with pytest.raises(ak.ParameterError, match=match):
        ak.f0(np.zeros(4000, np.float32), SR, **kwargs)


@pytest.mark.parametrize("method", ["pyin", "yin"])
def test_nan_samples_raise(method):
    y = np.zeros(4000, np.float32)
    y[123] = np.nan
    with pytest.raises(ValueError, match="sample 123"):
        ak.f0(y, SR, method=method)


def test_integer_pcm_and_lists():
    y, _ = harmonic(CONTOURS["steady_180"], seconds=0.5)
    a = ak.f0((y * 32767).astype(np.int16), SR)
    b = ak.f0(y.astype(np.float32), SR)
    assert (a.voiced == b.voiced).all()
    np.testing.assert_allclose(a.f0[a.voiced], b.f0[b.voiced], rtol=1e-3)


# --- functionals ---------------------------------------------------------------------


def test_functionals_defaults_are_the_egemaps_ten():
    x = np.array([1.0, 2.0, 3.0, 4.0, 3.0, 2.0, np.nan, 2.0, 5.0])
    out = ak.functionals(x)
    assert list(out) == list(ak.EGEMAPS_CONTOUR_FUNCTIONALS)
    finite = x[np.isfinite(x)]
    assert out["amean"] == pytest.approx(finite.mean())
    assert out["stddevNorm"] == pytest.approx(finite.std() / finite.mean())
    for q in (20, 50, 80):
        assert out[f"percentile{q}.0"] == pytest.approx(np.percentile(finite, q))
    assert out["pctlrange0-2"] == pytest.approx(np.percentile(finite, 80) - np.percentile(finite, 20))
    # NaN frames are left out: the finite sequence 1 2 3 4 3 2 2 5 rises 1->4 over 3 frames
    # (100 /s at 100 frames/s) and 2->5 over 1 frame after the plateau (300 /s); it falls
    # 4->2 over 2 frames (100 /s).
    assert out["meanRisingSlope"] == pytest.approx(200.0)
    assert out["stddevRisingSlope"] == pytest.approx(100.0)
    assert out["meanFallingSlope"] == pytest.approx(100.0)
    assert out["stddevFallingSlope"] == pytest.approx(0.0)


def test_functionals_names_aliases_and_frame_rate():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(200)
    a = ak.functionals(x, which=("mean", "std", "min", "max", "range", "median", "iqr", "percentile99.5", "count"))
    assert a["mean"] == pytest.approx(x.mean())
    assert a["std"] == pytest.approx(x.std())
    assert a["range"] == pytest.approx(np.ptp(x))
    assert a["median"] == pytest.approx(np.median(x))
    assert a["iqr"] == pytest.approx(np.subtract(*np.percentile(x, [75, 25])))
    assert a["percentile99.5"] == pytest.approx(np.percentile(x, 99.5))
    assert a["count"] == 200
    s1 = ak.functionals(x, which=("risingSlopeMean", "fallingSlopeStddev"))
    s2 = ak.functionals(x, which=("meanRisingSlope", "stddevFallingSlope"), frame_rate=50)
    assert s2["meanRisingSlope"] == pytest.approx(s1["risingSlopeMean"] / 2)
    assert s2["stddevFallingSlope"] == pytest.approx(s1["fallingSlopeStddev"] / 2)


def test_functionals_on_a_pitch_contour_in_semitones():
    # A rising-falling F0 contour: slopes in semitones per second are known.
    t = np.arange(0, 1.0, 0.01)
    st = np.where(t < 0.5, 12 * t, 12 * (1 - t))  # +12 st/s, then -12 st/s
    f = 27.5 * 2 ** ((60 + st) / 12)
    f[40:45] = np.nan  # an unvoiced gap inside the rise
    semitones = 12 * np.log2(f / 27.5)
    out = ak.functionals(semitones)
    # 0 -> 6 semitones over 50 frames of which 5 are missing: the gap is closed up
    assert out["meanRisingSlope"] == pytest.approx(6 * 100 / 45, rel=1e-6)
    assert out["meanFallingSlope"] == pytest.approx(12.0, rel=1e-6)


def test_functionals_2d_and_missing():
    x = np.column_stack([np.arange(10.0), np.full(10, np.nan)])
    out = ak.functionals(x, which=("mean", "count", "meanRisingSlope"))
    np.testing.assert_allclose(out["mean"], [4.5, np.nan])
    np.testing.assert_array_equal(out["count"], [10, 0])
    assert out["meanRisingSlope"][0] == pytest.approx(100.0)
    assert np.isnan(out["meanRisingSlope"][1])
    empty = ak.functionals(np.array([]), which=("mean", "meanFallingSlope"))
    assert np.isnan(empty["mean"]) and np.isnan(empty["meanFallingSlope"])


def test_functionals_bad_input():
    with pytest.raises(ak.ParameterError, match="which"):
        ak.functionals(np.ones(5), which=("kurtosis",))
    with pytest.raises(ak.ParameterError, match="which"):
        ak.functionals(np.ones(5), which=("percentile120",))
    with pytest.raises(ak.ParameterError, match="contour"):
        ak.functionals(np.array([1.0, np.inf]))
    with pytest.raises(ak.ParameterError, match="contour"):
        ak.functionals(np.ones((2, 2, 2)))
    with pytest.raises(ak.ParameterError, match="frame_rate"):
        ak.functionals(np.ones(5), frame_rate=0)


def test_functionals_of_an_f0_track():
    y, _ = harmonic(CONTOURS["vibrato_220"], seconds=1.5)
    tr = ak.f0(y, SR, method="pyin", frame_length=1024, hop_length=160)
    st = 12 * np.log2(tr.f0 / 27.5)
    out = ak.functionals(st, which=("amean", "pctlrange0-2"))
    assert out["amean"] == pytest.approx(12 * np.log2(220 / 27.5), abs=0.05)
    assert 0.2 < out["pctlrange0-2"] < 0.6  # +-0.3 semitone vibrato


# --- intensity -----------------------------------------------------------------------


def test_intensity_of_a_sine():
    y = 0.1 * np.sin(2 * np.pi * 440 * np.arange(16000) / SR)
    _c = ak.intensity(y, SR)
    db, times = _c["intensity_db"], _c.times
    assert len(db) == len(times) == 117  # floor((1 - 0.064) / 0.008) + 1, as Praat
    assert times[0] == pytest.approx(0.036)
    np.testing.assert_allclose(db, 10 * np.log10(0.005 / 4e-10), atol=0.01)
    _c = ak.intensity(2 * y, SR)
    db6, _ = _c["intensity_db"], _c.times
    np.testing.assert_allclose(db6 - db, 20 * np.log10(2), atol=1e-6)


def test_intensity_silence_and_bad_input():
    _c = ak.intensity(np.zeros(8000), SR)
    db, _ = _c["intensity_db"], _c.times
    assert (db == -300.0).all()
    with pytest.raises(ak.ParameterError, match="y"):
        ak.intensity(np.zeros(500), SR)  # shorter than 6.4 / 100 s
    with pytest.raises(ak.ParameterError, match="minimum_pitch"):
        ak.intensity(np.zeros(8000), SR, minimum_pitch=0)
    with pytest.raises(ak.ParameterError, match="time_step"):
        ak.intensity(np.zeros(8000), SR, time_step=-1.0)
    y = np.zeros(8000)
    y[5] = np.nan
    with pytest.raises(ValueError, match="sample 5"):
        ak.intensity(y, SR)


@pytest.mark.parametrize(
    "kwargs",
    [{}, dict(minimum_pitch=75.0), dict(minimum_pitch=100.0, time_step=0.01, subtract_mean=False)],
    ids=["defaults", "floor75", "step10ms_no_mean"],
)
def test_intensity_matches_praat(kwargs):
    parselmouth = pytest.importorskip("parselmouth")
    for name, (y, sr) in SPEECH.items():
        ref = parselmouth.Sound(y, sr).to_intensity(**kwargs)
        _c = ak.intensity(y, sr, dtype=np.float64, **kwargs)
        db, times = _c["intensity_db"], _c.times
        np.testing.assert_allclose(times, ref.xs(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(db, ref.values[0], rtol=0, atol=1e-5, err_msg=name)


# --- method="praat" ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONTOURS))
def test_praat_known_contour_within_one_percent(name):
    y, f_true = harmonic(CONTOURS[name])
    tr = ak.f0(y, SR, method="praat")
    inner = (tr.times > 0.05) & (tr.times < len(y) / SR - 0.05)
    assert tr.voiced[inner].all()
    err = np.abs(tr.f0[inner] / truth_at(tr.times[inner], f_true) - 1)
    assert err.max() < 0.01, f"praat {name}: max error {err.max():.4f}"


def test_praat_matches_parselmouth():
    parselmouth = pytest.importorskip("parselmouth")
    agree, gross, n_frames, n_both = 0, 0, 0, 0
    for name, (y, sr) in SPEECH.items():
        p = parselmouth.Sound(y, sr).to_pitch_ac()
        ref = p.selected_array["frequency"]
        tr = ak.f0(y, sr, method="praat", dtype=np.float64)
        np.testing.assert_allclose(tr.times, p.xs(), rtol=0, atol=1e-12)
        rv = ref > 0
        both = tr.voiced & rv
        a = (tr.voiced == rv).mean()
        rel = np.abs(tr.f0[both] / ref[both] - 1)
        # Measured per clip: voicing agreement 0.985-1.000, no gross errors, F0 within
        # 1 % on 99.6-100 % of the frames both call voiced (Praat refines peaks by sinc
        # interpolation, we by a parabola). The issue asks >= 0.90 and <= 2 % gross.
        assert a >= 0.98, f"{name}: voicing agreement {a:.3f}"
        assert (rel > 0.2).mean() <= 0.005, f"{name}: gross pitch errors {(rel > 0.2).mean():.3f}"
        assert (rel < 0.01).mean() >= 0.99, f"{name}: F0 within 1 % on {(rel < 0.01).mean():.3f}"
        agree += (tr.voiced == rv).sum()
        gross += (np.abs(tr.f0[both] / ref[both] - 1) > 0.2).sum()
        n_frames += len(rv)
        n_both += both.sum()
    assert agree / n_frames >= 0.99
    assert gross / n_both <= 0.002


def test_praat_bad_input():
    with pytest.raises(ak.ParameterError, match="fmin"):
        ak.f0(np.zeros(8000), SR, method="praat", fmin=300, fmax=200)
    with pytest.raises(ak.ParameterError, match="fmax"):
        ak.f0(np.zeros(8000), SR, method="praat", fmax=9000)
    with pytest.raises(ak.ParameterError, match="y"):
        ak.f0(np.zeros(100), SR, method="praat")  # shorter than 3 / 75 s
    with pytest.raises(ak.ParameterError, match="frame_length"):
        ak.f0(np.zeros(8000), SR, method="praat", frame_length=1024)
    y = np.zeros(8000)
    y[7] = np.nan
    with pytest.raises(ValueError, match="sample 7"):
        ak.f0(y, SR, method="praat")
    tr = ak.f0(np.zeros(8000), SR, method="praat")
    assert not tr.voiced.any() and np.isnan(tr.f0).all()
    noise = np.random.default_rng(1).standard_normal(32000) * 0.1
    assert ak.f0(noise, SR, method="praat").voiced.mean() < 0.1


def test_docstring_examples():
    import doctest

    import affectkit.audio.pitch
    import affectkit.audio.praat
    import affectkit.pooling

    for module in (affectkit.audio.pitch, affectkit.audio.praat, affectkit.pooling):
        result = doctest.testmod(module)
        assert result.attempted >= 1 and result.failed == 0, module.__name__
