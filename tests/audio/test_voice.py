"""Voice quality, formants and the compact prosody set: parity with Praat (parselmouth)
on the bundled speech, synthetic ground truth, bad input."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import affectkit as ak
from conftest import DATA

from references import reference

parselmouth = reference("parselmouth")  # imported by the tests that use it


def call(*args, **kwargs):
    """``parselmouth.praat.call``, importing parselmouth in the test that needs it."""
    return parselmouth.praat.call(*args, **kwargs)

SR = 16000
SEGMENT = 2.0


@functools.lru_cache(maxsize=None)
def segments():
    """2-second segments of all the bundled speech (5 LibriVox clips, 2 CMU clips)."""
    paths = list(ak.datasets.sample_paths()) + sorted(DATA.glob("cmu_*.wav"))
    out = []
    n = int(SR * SEGMENT)
    for p in paths:
        y, _ = ak.load(p, sr=SR)
        y = y.astype(np.float64)
        for k, i in enumerate(range(0, len(y) - n + 1, n)):
            out.append((f"{p.stem}_{k}", y[i:i + n]))
    return out


@functools.lru_cache(maxsize=None)
def praat_voice(name):
    y = dict(segments())[name]
    snd = parselmouth.Sound(y, SR)
    pp = call(snd, "To PointProcess (periodic, cc)", 75, 600)
    j = [call(pp, f"Get jitter ({w})", 0, 0, 0.0001, 0.02, 1.3)
         for w in ("local", "local, absolute", "rap", "ppq5", "ddp")]
    s = [call([snd, pp], f"Get shimmer ({w})", 0, 0, 0.0001, 0.02, 1.3, 1.6)
         for w in ("local", "local_dB", "apq3", "apq5", "apq11", "dda")]
    h = snd.to_harmonicity_cc()
    hnr = call(h, "Get mean", 0, 0)
    n = call(pp, "Get number of points")
    times = np.array([call(pp, "Get time from index", i + 1) for i in range(n)])
    contour = np.where(h.values[0] == -200, np.nan, h.values[0])
    return dict(zip(["jitter_local", "jitter_local_absolute", "jitter_rap", "jitter_ppq5", "jitter_ddp",
                     "shimmer_local", "shimmer_local_db", "shimmer_apq3", "shimmer_apq5", "shimmer_apq11",
                     "shimmer_dda", "hnr_db"], j + s + [hnr])), times, (contour, np.array(h.xs()))


@functools.lru_cache(maxsize=None)
def ours_voice(name):
    return ak.voice_quality(dict(segments())[name], SR)


NAMES = [n for n, _ in segments()]


# --- formants ----------------------------------------------------------------------


def praat_formants(y, sr=SR):
    fm = parselmouth.Sound(y, sr).to_formant_burg()
    t = np.array(fm.xs())
    vals = np.array([[fm.get_value_at_time(k, tt) for k in (1, 2, 3)] +
                     [fm.get_bandwidth_at_time(k, tt) for k in (1, 2, 3)] for tt in t])
    return vals, t


@pytest.mark.parametrize("name", NAMES[::3])
def test_formants_match_praat(name):
    y = dict(segments())[name]
    ref, t_ref = praat_formants(y)
    _c = ak.formants(y, SR)
    table, times = _c.values, _c.times
    assert table.shape == (len(t_ref), 6)
    np.testing.assert_allclose(times, t_ref, atol=1e-4)
    for k, label in enumerate(("F1", "F2")):
        both = np.isfinite(table[:, k]) & np.isfinite(ref[:, k])
        assert both.mean() > 0.9
        rel = np.abs(table[both, k] / ref[both, k] - 1)
        assert np.median(rel) < 0.01, f"{name} {label}: median relative error {np.median(rel):.4f}"
        assert (rel < 0.05).mean() > 0.8, f"{name} {label}: {(rel < 0.05).mean():.3f} within 5 %"


def vowel(formants, f0=120.0, seconds=0.8, sr=SR, jitter=0.0, shimmer=0.0, noise=0.0, seed=0):
    """A source-filter vowel: glottal pulses (-12 dB/oct source, +6 dB/oct radiation)
    through second-order resonators; periods alternate by +-jitter/2 (relative), pulse
    amplitudes by +-shimmer/2, and white noise at `noise` times the signal RMS."""
    from scipy.signal import lfilter

    rng = np.random.default_rng(seed)
    n = int(seconds * sr)
    src = np.zeros(n)
    t, k = 0.01, 0
    while t < seconds - 0.01:
        a = 1.0 + (shimmer / 2 if k % 2 else -shimmer / 2)
        i = int(t * sr)
        frac = t * sr - i
        src[i] += a * (1 - frac)  # linear split keeps sub-sample timing
        src[i + 1] += a * frac
        t += (1 + (jitter / 2 if k % 2 else -jitter / 2)) / f0
        k += 1
    y = lfilter([1.0], [1.0, -0.97], lfilter([1.0], [1.0, -0.97], src))
    y = np.diff(y, prepend=0.0)
    for f, b in formants:
        r = np.exp(-np.pi * b / sr)
        y = lfilter([1.0], [1.0, -2 * r * np.cos(2 * np.pi * f / sr), r * r], y)
    y = 0.5 * y / np.abs(y).max()
    if noise:
        y = y + noise * np.sqrt(np.mean(y ** 2)) * rng.standard_normal(n)
    return y


# Peterson & Barney (1952) male F1-F3, plus two higher resonances as the default
# analysis (5 formants below 5500 Hz) assumes. (/i/ with F1 = 270 Hz is left out: at
# F0 100-150 Hz both Praat and affectkit read its F1 7-11 % high, the LPC pull of the
# second harmonic.)
VOWELS = {
    "a": [(730, 80), (1090, 90), (2440, 120), (3500, 150), (4500, 200)],
    "e": [(530, 70), (1840, 100), (2480, 120), (3500, 150), (4500, 200)],
    "u": [(300, 60), (870, 80), (2240, 110), (3500, 150), (4500, 200)],
}


@pytest.mark.parametrize("f0", [100.0, 150.0])
@pytest.mark.parametrize("v", sorted(VOWELS))
def test_synthetic_vowel_formants_within_five_percent(v, f0):
    truth = VOWELS[v]
    y = vowel(truth, f0=f0)
    _c = ak.formants(y, SR)
    table, times = _c.values, _c.times
    inner = (times > 0.1) & (times < 0.7)
    for k in range(3):
        med = np.nanmedian(table[inner, k])
        assert abs(med / truth[k][0] - 1) < 0.05, f"/{v}/ F{k + 1}: {med:.0f} vs {truth[k][0]}"


# --- pulses, jitter, shimmer, HNR ---------------------------------------------------


@functools.lru_cache(maxsize=None)
def whole_clips():
    """The 7 bundled clips, whole (5 LibriVox, 2 CMU)."""
    paths = list(ak.datasets.sample_paths()) + sorted(DATA.glob("cmu_*.wav"))
    return [(p.stem, ak.load(p, sr=SR)[0].astype(np.float64)) for p in paths]


@functools.lru_cache(maxsize=None)
def clip_measures():
    ref, ours = [], []
    for _, y in whole_clips():
        snd = parselmouth.Sound(y, SR)
        pp = call(snd, "To PointProcess (periodic, cc)", 75, 600)
        r = {k: call(pp, f"Get jitter ({w})", 0, 0, 0.0001, 0.02, 1.3)
             for k, w in [("jitter_local", "local"), ("jitter_local_absolute", "local, absolute"),
                          ("jitter_rap", "rap"), ("jitter_ppq5", "ppq5"), ("jitter_ddp", "ddp")]}
        r.update({k: call([snd, pp], f"Get shimmer ({w})", 0, 0, 0.0001, 0.02, 1.3, 1.6)
                  for k, w in [("shimmer_local", "local"), ("shimmer_local_db", "local_dB"),
                               ("shimmer_apq3", "apq3"), ("shimmer_apq5", "apq5"),
                               ("shimmer_apq11", "apq11"), ("shimmer_dda", "dda")]})
        r["hnr_db"] = call(snd.to_harmonicity_cc(), "Get mean", 0, 0)
        ref.append(r)
        ours.append(ak.voice_quality(y, SR))
    return ref, ours


@pytest.mark.parametrize("name", NAMES[::2])
def test_pulses_follow_praat(name):
    # Pulse counts differ only where the pitch tracks' voicing differs (measured: at most
    # 4.9 %, median 0 on these segments).
    _, ref, _ = praat_voice(name)
    ours = ak.glottal_pulses(dict(segments())[name], SR)
    assert abs(len(ours) - len(ref)) <= max(3, 0.08 * len(ref)), (len(ours), len(ref))
    assert np.all(np.diff(ours) > 0)


# The three measures: r >= 0.95 across clips and within 10 % on most clips
# (measured: r 0.987 / 0.992 / 0.996, every clip within 10 %); the other perturbations
# measured r 0.93-0.99, all within 10 % but rap and ppq5 (5 of 7).
@pytest.mark.parametrize("key,min_r,min_within", [
    ("jitter_local", 0.97, 1.0), ("shimmer_local", 0.97, 1.0), ("hnr_db", 0.99, 1.0),
    ("shimmer_local_db", 0.95, 1.0), ("shimmer_apq3", 0.97, 1.0), ("shimmer_apq11", 0.97, 1.0),
    ("jitter_local_absolute", 0.9, 1.0), ("jitter_rap", 0.9, 0.7), ("jitter_ppq5", 0.9, 0.7),
])
def test_voice_quality_correlates_with_praat(key, min_r, min_within):
    ref_all, ours_all = clip_measures()
    ref = np.array([r[key] for r in ref_all])
    ours = np.array([o[key] for o in ours_all])
    assert np.isfinite(ref).all() and np.isfinite(ours).all()
    r = np.corrcoef(ref, ours)[0, 1]
    assert r >= min_r, f"{key}: r = {r:.3f}"
    within = np.abs(ours / ref - 1) <= 0.10
    assert within.mean() >= min_within, f"{key}: {within.mean():.2f} of clips within 10 %"


def test_harmonicity_contour_matches_praat():
    for name in NAMES[:6]:
        _, _, (ref, t_ref) = praat_voice(name)
        _c = ak.harmonicity(dict(segments())[name], SR)
        db, times = _c["hnr_db"], _c.times
        np.testing.assert_allclose(times, t_ref, atol=1e-9)
        voiced = np.isfinite(ref) & np.isfinite(db)
        agree = (np.isfinite(ref) == np.isfinite(db)).mean()
        assert agree > 0.95, f"{name}: voicing agreement {agree:.3f}"
        assert np.median(np.abs(db[voiced] - ref[voiced])) < 0.5


# At 100 Hz the formant ringing of one pulse has decayed before the next; at higher F0
# it blurs the cross-correlation and Praat (and affectkit, to 4 digits) read less
# jitter and shimmer than set.
def test_harmonicity_ac_matches_praat():
    # Praat's "To Harmonicity (ac)" default is 4.5 periods per window (parselmouth's
    # to_harmonicity_ac defaults to 1.0, so it is passed explicitly).
    ref_means, our_means = [], []
    for name, y in whole_clips():
        h = parselmouth.Sound(y, SR).to_harmonicity_ac(periods_per_window=4.5)
        ref = np.where(h.values[0] == -200, np.nan, h.values[0])
        _c = ak.harmonicity(y, SR, method="ac")
        db, times = _c["hnr_db"], _c.times
        np.testing.assert_allclose(times, h.xs(), atol=1e-9)
        assert (np.isfinite(db) == np.isfinite(ref)).mean() > 0.99, name
        both = np.isfinite(db) & np.isfinite(ref)
        assert np.median(np.abs(db[both] - ref[both])) < 0.01, name
        ref_means.append(call(h, "Get mean", 0, 0))
        our_means.append(np.nanmean(db))
    np.testing.assert_allclose(our_means, ref_means, atol=0.05)


@pytest.mark.parametrize("jitter", [0.01, 0.02, 0.04])
def test_synthetic_jitter_within_ten_percent(jitter):
    y = vowel(VOWELS["a"], f0=100.0, seconds=1.5, jitter=jitter)
    vq = ak.voice_quality(y, SR)
    # alternating periods (1 -+ j/2) T: |T_i - T_{i-1}| / mean T = j
    assert abs(vq["jitter_local"] / jitter - 1) < 0.10, vq["jitter_local"]
    assert abs(vq["jitter_rap"] / (2 * jitter / 3) - 1) < 0.10, vq["jitter_rap"]


@pytest.mark.parametrize("shimmer", [0.05, 0.1, 0.2])
def test_synthetic_shimmer_within_ten_percent(shimmer):
    y = vowel(VOWELS["a"], f0=100.0, seconds=1.5, shimmer=shimmer)
    vq = ak.voice_quality(y, SR)
    assert abs(vq["shimmer_local"] / shimmer - 1) < 0.10, vq["shimmer_local"]
    assert vq["jitter_local"] < 0.002


@pytest.mark.parametrize("snr_db", [10.0, 20.0])
def test_synthetic_noise_level_sets_hnr(snr_db):
    # Periodic part plus white noise at a set ratio: HNR within 10 % of it (in dB).
    y = vowel(VOWELS["a"], f0=100.0, seconds=1.5, noise=10 ** (-snr_db / 20))
    hnr = ak.voice_quality(y, SR)["hnr_db"]
    assert abs(hnr / snr_db - 1) < 0.10, hnr


def test_silence_and_noise_give_nan():
    vq = ak.voice_quality(np.zeros(SR), SR)
    assert set(vq.index) == set(ak.VOICE_QUALITY_NAMES)
    assert all(np.isnan(vq[k]) for k in ak.VOICE_QUALITY_NAMES[:12])
    noise = 0.1 * np.random.default_rng(0).standard_normal(2 * SR)
    vq = ak.voice_quality(noise, SR)
    assert np.isnan(vq["jitter_local"]) or vq["n_pulses"] < 20


def test_bad_input():
    with pytest.raises(ak.ParameterError, match="y"):
        ak.voice_quality(np.array([0.0, np.nan, 0.0] * 4000), SR)
    with pytest.raises(ak.ParameterError, match="y"):
        ak.voice_quality(np.zeros(100), SR)
    with pytest.raises(ak.ParameterError, match="fmin"):
        ak.voice_quality(np.zeros(SR), SR, pitch_floor=700)
    with pytest.raises(ak.ParameterError, match="max_period_factor"):
        ak.voice_quality(np.zeros(SR), SR, max_period_factor=0.5)
    with pytest.raises(ak.ParameterError, match="nonsense"):
        ak.voice_quality(np.zeros(SR), SR, nonsense=1)
    with pytest.raises(ak.ParameterError, match="y"):
        ak.formants(np.zeros(100), SR)
    with pytest.raises(ak.ParameterError, match="maximum_formant"):
        ak.formants(np.zeros(SR), SR, maximum_formant=10.0)
    with pytest.raises(ak.InputTypeError, match="y"):
        ak.formants(np.array(["not", "audio"]), SR)
    with pytest.raises(ak.ParameterError, match="method"):
        ak.harmonicity(np.zeros(SR), SR, method="xx")
    with pytest.raises(ak.ParameterError, match="minimum_pitch"):
        ak.harmonicity(np.zeros(SR), SR, minimum_pitch=-1.0)


# --- prosody set, batches, transformer ------------------------------------------------


def test_prosody_of_a_vowel_with_a_pause():
    a = vowel(VOWELS["a"], f0=150.0, seconds=0.6)
    y = np.concatenate([a, np.zeros(SR // 2), a])
    p = ak.prosody(y, SR)
    assert list(p.index) == list(ak.PROSODY_NAMES)
    # ak.f0(method="praat") reads two frames at the vowel's end as 366 Hz (Praat: 150),
    # which moves the mean by 2.4 %; the 5-95 % range is unaffected.
    assert abs(p["f0_mean_hz"] / 150 - 1) < 0.03
    assert abs(p["f0_mean_st"] - 12 * np.log2(150 / 27.5)) < 0.4
    assert p["f0_range_st"] < 0.05
    assert abs(p["voiced_segments_per_sec"] * len(y) / SR - 2) < 1e-9
    assert abs(p["pause_ratio"] - 0.5 / 1.7) < 0.08, p["pause_ratio"]
    vq = ak.voice_quality(y, SR)
    assert p["jitter_local"] == vq["jitter_local"] and p["hnr_db"] == vq["hnr_db"]


def test_prosody_f0_follows_the_praat_pitch_track():
    # The F0 statistics are those of ak.f0(method="praat") over voiced frames below the
    # ceiling. (Against parselmouth's own track they differ where that tracker's voicing
    # and octave choices differ: on some of these segments its mean is 30-45 % higher.)
    for name in NAMES[:4]:
        y = dict(segments())[name]
        tr = ak.f0(y, SR, method="praat")
        f = tr.f0[tr.voiced & (tr.f0 < 600)]
        p = ak.prosody(y, SR)
        assert abs(p["f0_mean_hz"] / f.mean() - 1) < 1e-9
        st = 12 * np.log2(f / 27.5)
        assert abs(p["f0_mean_st"] - st.mean()) < 1e-9
        assert abs(p["f0_std_st"] - st.std()) < 1e-9
        assert abs(p["f0_range_st"] - (np.percentile(st, 95) - np.percentile(st, 5))) < 1e-9


def test_batches_equal_single_calls():
    clips = [y for _, y in segments()[:4]]
    for n_jobs in (1, 2):
        vq = ak.voice_quality_batch(clips, SR, n_jobs=n_jobs)
        assert vq.shape == (4, len(ak.VOICE_QUALITY_NAMES))
        for row, y in zip(vq.to_numpy(), clips):
            np.testing.assert_array_equal(row, ak.voice_quality(y, SR).to_numpy())
        pr = ak.prosody_batch(clips, SR, n_jobs=n_jobs)
        np.testing.assert_array_equal(pr.to_numpy()[1], ak.prosody(clips[1], SR).to_numpy())
        fb = ak.formants_batch(clips, SR, n_jobs=n_jobs)
        np.testing.assert_array_equal(fb[2].values, ak.formants(clips[2], SR).values)
    with pytest.raises(ak.ParameterError, match="clip 1"):
        ak.voice_quality_batch([clips[0], np.zeros(10)], SR)


def test_prosody_transformer():
    pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    clips = [y for _, y in segments()[:3]]
    tr = ak.audio.Prosody(sr=SR)
    X = tr.fit_transform(clips)
    assert X.shape == (3, len(ak.PROSODY_NAMES))
    assert list(tr.get_feature_names_out()) == list(ak.PROSODY_NAMES)
    np.testing.assert_array_equal(X[0], ak.prosody(clips[0], SR).to_numpy())
    vq = ak.audio.Prosody(sr=SR, features="voice_quality")
    assert vq.fit_transform(clips).shape == (3, len(ak.VOICE_QUALITY_NAMES))
    assert clone(tr).get_params() == tr.get_params()
    Z = make_pipeline(ak.audio.Prosody(sr=SR), StandardScaler()).fit_transform(clips)
    assert Z.shape == (3, len(ak.PROSODY_NAMES))
    import pickle

    assert pickle.loads(pickle.dumps(tr)).transform(clips[:1]).shape == (1, len(ak.PROSODY_NAMES))


# --- RMS energy ---------------------------------------------------------------------


@pytest.mark.parametrize("center", [True, False])
@pytest.mark.parametrize("frame_length,hop_length", [(2048, 512), (400, 160)])
def test_rms_matches_librosa(center, frame_length, hop_length):
    librosa = pytest.importorskip("librosa")
    clips = [y for _, y in whole_clips()[:3]] + [np.zeros(SR), 0.3 * np.ones(5000)]
    for y in clips:
        ref = librosa.feature.rms(y=y, frame_length=frame_length, hop_length=hop_length, center=center)[0]
        _c = ak.rms(y, SR, frame_length=frame_length, hop_length=hop_length, center=center)
        ours, times = _c["rms"], _c.times
        assert ours.shape == ref.shape
        # librosa accumulates the power in float32 (its dtype=np.float32 default)
        np.testing.assert_allclose(ours, ref, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(times, librosa.times_like(ref, sr=SR, hop_length=hop_length))


def test_rms_bad_input():
    with pytest.raises(ak.ParameterError, match="y"):
        ak.rms(np.array([0.0, np.inf]))
    with pytest.raises(ak.ParameterError, match="hop_length"):
        ak.rms(np.zeros(100), hop_length=0)
    with pytest.raises(ak.ParameterError, match="pad_mode"):
        ak.rms(np.zeros(100), pad_mode="wrap")
