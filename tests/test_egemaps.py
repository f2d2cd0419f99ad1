"""eGeMAPS v02 (ak.egemaps, ak.egemaps_batch, ak.loudness, ak.audio.EGeMAPS): parity with
openSMILE's eGeMAPSv02 (the `opensmile` pip package) on the bundled speech, chunks of it
and synthetic utterances; synthetic ground truth; bad input."""

import pickle
import warnings

import numpy as np
import pytest

import affectkit as ak
from affectkit.errors import InputTypeError, ParameterError
from egemaps_items import SR, items, opensmile_functionals, pearson_per_column, speech_clips

opensmile = pytest.importorskip("opensmile")

# Functionals with Pearson r >= 0.9 against openSMILE across the parity items (measured:
# see benches/python/egemaps_parity.py and the table in docs/egemaps.md). A regression fails here.
MIN_FUNCTIONALS_R09 = 50
# eGeMAPS F1-F3 means against openSMILE's on the synthetic vowels below (measured: ratios
# 0.76-1.00; the former Praat-like analysis gave F1 ratios down to 0.43).
REL_FORMANT = 0.25

# Functionals that follow openSMILE closely (r >= 0.95 measured); each is checked alone.
CLOSE = [
    "F0semitoneFrom27.5Hz_sma3nz_amean",
    "loudness_sma3_amean",
    "loudness_sma3_percentile80.0",
    "spectralFlux_sma3_amean",
    "mfcc1_sma3_amean",
    "mfcc2_sma3_amean",
    "mfcc3_sma3_amean",
    "mfcc4_sma3_amean",
    "alphaRatioV_sma3nz_amean",
    "hammarbergIndexV_sma3nz_amean",
    "loudnessPeaksPerSec",
    "equivalentSoundLevel_dBp",
]


@pytest.fixture(scope="module")
def parity():
    its = items()
    ys = [y for _, y in its]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref, cols = opensmile_functionals(ys)
    return ak.egemaps_batch(ys, SR), ref, cols


def lld_pairs():
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.LowLevelDescriptors)
    for name, y in speech_clips():
        yield name, ak.egemaps(y, SR, level="lld"), smile.process_signal(y, SR).values


def test_names_are_opensmiles(parity):
    _, _, cols = parity
    assert list(ak.EGEMAPS_FUNCTIONALS) == cols
    assert len(ak.EGEMAPS_FUNCTIONALS) == 88
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.LowLevelDescriptors)
    assert list(ak.EGEMAPS_LLD) == list(smile.feature_names)


def test_functional_parity_count(parity):
    ours, ref, cols = parity
    assert ours.shape == ref.shape == (len(items()), 88)
    r = pearson_per_column(ours, ref)
    assert int(np.sum(r >= 0.9)) >= MIN_FUNCTIONALS_R09, dict(zip(cols, np.round(r, 3)))


@pytest.mark.parametrize("name", CLOSE)
def test_close_functionals(parity, name):
    ours, ref, cols = parity
    j = cols.index(name)
    r = pearson_per_column(ours[:, [j]], ref[:, [j]])[0]
    assert r >= 0.95, f"{name}: r = {r:.3f}"
    # same scale, not only correlated
    ok = np.isfinite(ours[:, j]) & np.isfinite(ref[:, j]) & (np.abs(ref[:, j]) > 1e-6)
    assert 0.8 < np.median(ours[ok, j] / ref[ok, j]) < 1.25


def test_lld_frames_align_with_opensmile():
    agree = []
    for name, ours, ref in lld_pairs():
        assert ours.shape == ref.shape, name
        both = np.isfinite(ours[:, 10]) & (ref[:, 10] > 0)
        agree.append(np.isfinite(ours[:, 10]) == (ref[:, 10] > 0))
        for j in [0, 1, 2, 6, 7, 8, 9]:  # loudness, alpha ratio, Hammarberg, MFCC 1-4
            assert np.corrcoef(ours[:, j], ref[:, j])[0, 1] > 0.98, (name, ak.EGEMAPS_LLD[j])
        assert np.corrcoef(ours[:, 5], ref[:, 5])[0, 1] > 0.95, (name, "spectralFlux")
        # F0 in semitones: within a semitone on 97 % of the frames both call voiced
        assert np.mean(np.abs(ours[both, 10] - ref[both, 10]) < 1.0) > 0.97, name
    assert np.mean(np.concatenate(agree)) > 0.9


def tone(f0, seconds=1.0, amp=0.1):
    """A harmonic complex (14 harmonics, 1/n amplitudes) at f0 Hz."""
    t = np.arange(int(seconds * SR)) / SR
    return amp * sum(np.sin(2 * np.pi * f0 * h * t) / h for h in range(1, 15))


@pytest.mark.parametrize("f0", [90.0, 150.0, 240.0, 380.0])
def test_f0_of_a_harmonic_tone(f0):
    f = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(tone(f0), SR)))
    assert abs(f["F0semitoneFrom27.5Hz_sma3nz_amean"] - 12 * np.log2(f0 / 27.5)) < 0.15
    assert f["VoicedSegmentsPerSec"] == pytest.approx(1.0)
    noisy = tone(f0) + np.random.default_rng(0).standard_normal(SR) * 0.05
    g = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(noisy, SR)))
    assert f["HNRdBACF_sma3nz_amean"] > 3
    assert f["HNRdBACF_sma3nz_amean"] > g["HNRdBACF_sma3nz_amean"] + 2


def test_harmonic_amplitudes_and_perturbation_of_known_signals():
    from egemaps_items import utterance

    # openSMILE's H1-H2 is the level at 2 F0 over the one at 3 F0 (see the next test):
    # 1/n harmonics give 20 log10(3/2) = 3.52 dB; a perfect tone has no jitter
    f = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(tone(150), SR)))
    assert f["logRelF0-H1-H2_sma3nz_amean"] == pytest.approx(3.52, abs=0.3)
    assert f["jitterLocal_sma3nz_amean"] < 0.002
    # jitter and shimmer grow with the set period and amplitude perturbation
    def vq(**kw):
        y = utterance(f0=130.0, seconds=2.0, syllables=2, level=0.1, **kw)
        g = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(y, SR)))
        return g["jitterLocal_sma3nz_amean"], g["shimmerLocaldB_sma3nz_amean"]

    j0, s0 = vq()
    assert vq(jitter=0.01)[0] > j0 * 1.4 and vq(jitter=0.03)[0] > j0 * 2
    assert vq(shimmer=0.1)[1] > s0 * 1.8 and vq(shimmer=0.3)[1] > s0 * 4


def harmonic_tone_lld(f0, gains_db, column, smile):
    """Median of LLD `column` (ours, openSMILE's) on a 1 s harmonic tone with 1/h
    amplitudes, harmonic h changed by gains_db[h] dB."""
    t = np.arange(SR) / SR
    amps = [1.0 / h for h in range(1, 25)]
    for h, g in gains_db.items():
        amps[h - 1] *= 10 ** (g / 20)
    y = sum(a * np.sin(2 * np.pi * f0 * h * t) for h, a in enumerate(amps, 1) if f0 * h < 7900)
    y = 0.1 * y / np.max(np.abs(y))
    ours = np.nanmedian(ak.egemaps(y, SR, level="lld")[:, column])
    ref = smile.process_signal(y, SR).values[:, column]
    return ours, np.median(ref[ref != 0])


@pytest.mark.parametrize("f0", [120.0, 200.0])
def test_h1_h2_follows_the_levels_at_2f0_and_3f0(f0):
    # harmonic tones with set levels: openSMILE 2.6's H1-H2 moves 1:1 with the level
    # at 2 F0, against the one at 3 F0 and not with the one at F0 (measured); ours too
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.LowLevelDescriptors)
    column = ak.EGEMAPS_LLD.index("logRelF0-H1-H2_sma3nz")
    base, base_ref = harmonic_tone_lld(f0, {}, column, smile)
    assert base == pytest.approx(20 * np.log10(3 / 2), abs=0.3)
    assert base == pytest.approx(base_ref, abs=0.7)
    for gains, change in [({1: 6.0}, 0.0), ({2: 6.0}, 6.0), ({3: 6.0}, -6.0), ({2: -10.0}, -10.0)]:
        ours, ref = harmonic_tone_lld(f0, gains, column, smile)
        assert ours - base == pytest.approx(change, abs=0.3), gains
        assert ours == pytest.approx(ref, abs=0.7), gains


@pytest.mark.parametrize("f0", [120.0, 200.0])
def test_h1_a3_takes_h1_at_2f0(f0):
    # openSMILE 2.6's H1-A3 moves 1:1 with the level at 2 F0 and within about 1 dB of
    # nothing with the one at F0 (measured: +0.67 / -1.04 dB for +6 dB at F0); ours
    # moves exactly with 2 F0. A3 (strongest harmonic in 2-3.5 kHz) sits up to 2.6 dB
    # from openSMILE's on these tones.
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.LowLevelDescriptors)
    column = ak.EGEMAPS_LLD.index("logRelF0-H1-A3_sma3nz")
    base, base_ref = harmonic_tone_lld(f0, {}, column, smile)
    assert base == pytest.approx(base_ref, abs=3.0)
    for gains, change in [({1: 6.0}, 0.0), ({2: 6.0}, 6.0), ({2: -10.0}, -10.0)]:
        ours, ref = harmonic_tone_lld(f0, gains, column, smile)
        assert ours - base == pytest.approx(change, abs=0.3), gains
        assert ours - base == pytest.approx(ref - base_ref, abs=1.2), gains


def pulse_vowel(pulse_positions, amplitudes, n):
    """Pulses at set sample positions and amplitudes through a fixed vowel filter."""
    from scipy.signal import lfilter

    x = np.zeros(n)
    x[pulse_positions] = amplitudes
    x = lfilter([1.0, -1.0], [1.0, -0.95], x)
    for fc, bw in [(600, 100), (1500, 130), (2500, 180)]:
        r, th = np.exp(-np.pi * bw / SR), 2 * np.pi * fc / SR
        x = lfilter([1.0 - r], [1.0, -2 * r * np.cos(th), r * r], x)
    return 0.3 * x / np.max(np.abs(x))


def test_shimmer_follows_the_cycles_of_each_hop():
    # 100 Hz pulses with a random amplitude sequence (10 %) through a vowel filter:
    # openSMILE's per-frame shimmer follows the level change into each cycle ending in
    # the frame's hop (the exact rule, for jitter too, is unit-tested in
    # perturbation.rs); ours frame by frame. (Jitter is not compared here: on a jittered
    # vowel our voicing drops frames openSMILE keeps, see docs/egemaps.md.)
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.LowLevelDescriptors)
    rng = np.random.default_rng(3)
    n = 4 * SR
    pos = np.arange(0, n - 1, 160)
    y = pulse_vowel(pos, np.exp(0.1 * rng.standard_normal(len(pos))), n)
    ours, ref = ak.egemaps(y, SR, level="lld")[:, 12], smile.process_signal(y, SR).values[:, 12]
    both = np.isfinite(ours) & (ref != 0)
    assert both.mean() > 0.9
    r = np.corrcoef(ours[both], ref[both])[0, 1]
    assert r > 0.95, r
    assert 0.8 < np.median(ours[both] / ref[both]) < 1.25


def test_formants_follow_opensmile_not_the_vowel():
    """eGeMAPS formants are openSMILE's (measured: they ignore the spectral envelope), so
    on synthetic vowels they follow openSMILE's F1-F3, not the set formants; ak.formants
    (Praat's analysis) finds the set F1 and F2."""
    from egemaps_items import utterance

    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.Functionals)
    for formants, f0 in [((700.0, 1200.0, 2600.0), 110.0), ((550.0, 1700.0, 2500.0), 110.0),
                         ((650.0, 1000.0, 2500.0), 150.0), ((300.0, 2200.0, 3000.0), 130.0)]:
        y = utterance(f0=f0, formants=formants, level=0.1, seconds=2.0, syllables=2)
        ours = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(y, SR)))
        ref = smile.process_signal(y, SR).iloc[0]
        for k in (1, 2, 3):
            name = f"F{k}frequency_sma3nz_amean"
            assert abs(ours[name] / ref[name] - 1) < REL_FORMANT, (name, ours[name], ref[name], formants)
        if formants[0] < 500:
            continue  # a 300 Hz F1 next to a 130 Hz F0 defeats LPC in Praat too
        praat = np.nanmedian(ak.formants(y, SR)[0], axis=0)
        for k in (1, 2):
            assert abs(praat[k - 1] / formants[k - 1] - 1) < 0.15, (k, praat, formants)


def test_loudness_and_level_follow_amplitude():
    lo, hi = tone(150, amp=0.01), tone(150, amp=0.1)
    l_lo, t = ak.loudness(lo, SR)
    l_hi, _ = ak.loudness(hi, SR)
    # power law: 20 dB (100x power) -> 100 ** 0.33 the loudness
    assert np.median(l_hi / l_lo) == pytest.approx(100 ** 0.33, rel=0.01)
    assert np.allclose(np.diff(t), 0.01)
    assert np.array_equal(l_hi, ak.egemaps(hi, SR, level="lld")[:, 0])
    sine = 0.1 * np.sin(2 * np.pi * 1000 * np.arange(SR) / SR)
    f = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(sine, SR)))
    assert f["equivalentSoundLevel_dBp"] == pytest.approx(10 * np.log10(0.01 / 2), abs=0.1)


def test_spectral_balance_of_white_noise():
    y = np.random.default_rng(0).standard_normal(2 * SR) * 0.05
    lld = ak.egemaps(y, SR, level="lld")
    # white noise: 4 kHz of band above 1 kHz vs 1 kHz below -> 6 dB; flat slopes
    assert np.median(lld[:, 1]) == pytest.approx(10 * np.log10(4), abs=0.5)
    assert abs(np.median(lld[:, 3])) < 0.005 and abs(np.median(lld[:, 4])) < 0.005


def test_silence_and_noise_are_nan_not_errors():
    for y in [np.zeros(SR), np.random.default_rng(1).standard_normal(SR) * 0.1]:
        f = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(y, SR)))
        assert np.isnan(f["F0semitoneFrom27.5Hz_sma3nz_amean"])
        assert np.isnan(f["jitterLocal_sma3nz_amean"])
        assert f["VoicedSegmentsPerSec"] == 0.0
        assert np.isfinite(f["mfcc1_sma3_amean"]) or not y.any()


def test_short_clip_is_a_nan_row():
    f = ak.egemaps(np.zeros(500), SR)
    assert f.shape == (88,) and np.isnan(f).all()
    assert ak.egemaps(np.zeros(500), SR, level="lld").shape == (0, 25)


def test_sample_rates():
    y = tone(200, 1.0)
    a = ak.egemaps(y, SR)
    b = ak.egemaps(ak.resample(y.astype(np.float32), SR, 44100), 44100)
    assert abs(a[0] - b[0]) < 0.05
    with pytest.raises(ParameterError, match="sr"):
        ak.egemaps(y, 8000)
    with pytest.raises(ParameterError, match="sr"):
        ak.egemaps(y, 22050.5)


def test_bad_input():
    y = tone(150)
    y[100] = np.nan
    with pytest.raises(ParameterError, match="y"):
        ak.egemaps(y, SR)
    with pytest.raises(ParameterError, match="level"):
        ak.egemaps(tone(150), SR, level="frames")
    with pytest.raises(ParameterError, match="mono"):
        ak.egemaps(np.zeros((SR, 2)), SR)
    with pytest.raises(InputTypeError, match="y"):
        ak.egemaps(["a", "b"], SR)
    with pytest.raises(ParameterError, match="clip 1"):
        ak.egemaps_batch([tone(150), np.full(SR, np.inf)], SR)
    with pytest.raises(ParameterError, match="signals"):
        ak.egemaps_batch(tone(150), SR)


def test_pcm_and_float32_inputs_agree():
    y = tone(180)
    pcm = np.round(y * 32767).astype(np.int16)
    # integer PCM is scaled by full scale, exactly as a float of the same samples
    a, b = ak.egemaps(pcm.astype(np.float64) / 32768, SR), ak.egemaps(pcm, SR)
    np.testing.assert_array_equal(a, b)
    c = ak.egemaps(y.astype(np.float32), SR)
    assert abs(c[0] - a[0]) < 0.01 and abs(c[10] / a[10] - 1) < 0.01


def test_batch_matches_single_and_threads():
    ys = [tone(f, 0.8) for f in (100, 170, 260)] + [np.zeros(SR // 2)]
    single = np.vstack([ak.egemaps(y, SR) for y in ys])
    for n_jobs in (1, 2):
        batch = ak.egemaps_batch(ys, SR, n_jobs=n_jobs)
        np.testing.assert_array_equal(batch, single)
    llds = ak.egemaps_batch(ys, SR, level="lld")
    assert [x.shape for x in llds] == [ak.egemaps(y, SR, level="lld").shape for y in ys]


def test_as_frame():
    pd = pytest.importorskip("pandas")
    y = tone(150)
    df = ak.egemaps(y, SR, as_frame=True)
    assert isinstance(df, pd.DataFrame) and list(df.columns) == list(ak.EGEMAPS_FUNCTIONALS)
    lld = ak.egemaps(y, SR, level="lld", as_frame=True)
    assert list(lld.columns) == list(ak.EGEMAPS_LLD) and len(lld) == (SR - 960) // 160 + 2


def test_transformer_in_a_pipeline():
    pytest.importorskip("sklearn")
    from sklearn.base import clone
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = [tone(f, 0.5, amp=a) for f in (100, 120, 220, 250) for a in (0.05, 0.1)]
    y = [0, 0, 0, 0, 1, 1, 1, 1]
    eg = ak.audio.EGeMAPS(sr=SR)
    feats = eg.fit_transform(X)
    assert feats.shape == (8, 88)
    assert list(eg.get_feature_names_out()) == list(ak.EGEMAPS_FUNCTIONALS)
    model = make_pipeline(ak.audio.EGeMAPS(sr=SR), SimpleImputer(), StandardScaler(), LogisticRegression())
    model.fit(X, y)
    assert list(model.predict(X)) == y
    assert clone(eg).get_params() == eg.get_params()
    assert np.array_equal(pickle.loads(pickle.dumps(eg)).transform(X[:2]), feats[:2], equal_nan=True)


def test_docstring_examples():
    import doctest

    import sys

    # ak.egemaps is the function; the module is affectkit.egemaps in sys.modules
    result = doctest.testmod(sys.modules["affectkit.egemaps"])
    assert result.attempted >= 3 and result.failed == 0


def vowel_with_f0(knots_s, knots_hz, seconds=2.0):
    """A pulse-train vowel whose F0 follows straight lines between the knots."""
    t = np.arange(int(seconds * SR)) / SR
    phase = np.cumsum(np.interp(t, knots_s, knots_hz)) / SR
    pulses = np.nonzero(np.diff(np.floor(phase)) > 0)[0] + 1
    return pulse_vowel(pulses, 1.0, len(t))


@pytest.mark.parametrize("knots_s, knots_hz", [
    ([0, 1, 2], [100, 200, 100]),                 # triangle: the fall into the end is negative
    ([0, 1, 2], [200, 100, 200]),                 # V: a positive falling slope
    # rise, decline into a valley, small bump, steep fall into the end: the fall after
    # the valley is a negative rising slope
    ([0, 0.5, 1, 1.2, 2], [150, 200, 180, 185, 120]),
    ([0, 0.5, 1, 1.5, 2], [100, 200, 100, 200, 100]),
    ([0, 2], [100, 200]),                         # no turning point: a slope per frame
])
def test_f0_slopes_follow_opensmiles_rule(knots_s, knots_hz):
    y = vowel_with_f0(knots_s, knots_hz)
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02,
                            feature_level=opensmile.FeatureLevel.Functionals)
    ref = smile.process_signal(y, SR)
    names = [c for c in ref.columns if c.startswith("F0") and "Slope" in c]
    ours = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(y, SR)))
    for name in names:
        # openSMILE's last frames differ slightly from its F0 output: 1 semitone/s
        assert ours[name] == pytest.approx(ref[name].iloc[0], rel=0.1, abs=1.0), name
