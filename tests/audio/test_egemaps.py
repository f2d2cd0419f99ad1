"""eGeMAPS v02 and GeMAPS v01b (ak.egemaps, ak.gemaps, ak.egemaps_batch, ak.loudness,
ak.audio.EGeMAPS): parity with openSMILE (the `opensmile` pip package, live) on real speech
(tests/egemaps_items.py: the bundled clips and their 2.5 s chunks), frame-level LLD parity,
the unvoiced conventions, bad input."""

import pickle
import warnings

import numpy as np
import pytest

import affectkit as ak
from affectkit.errors import InputTypeError, ParameterError
from egemaps_items import (ASTERISK, SR, TELEPHONE_SPEAKERS, items, median_relative_difference,
                           opensmile_functionals, opensmile_rows, pearson_per_column, speech_clips,
                           telephone_clips)
from references import reference

opensmile = reference("opensmile")  # imported by the tests that use it

# The bounds these tests assert on items("test") (16 items of real speech), as measured
# with benches/python/egemaps_parity.py (docs/egemaps.md has the per-functional table).
# eGeMAPS v02: every functional at Pearson r >= MIN_R across items, at least
# MIN_CLOSE_V02 of 88 within a median relative difference of 1 % (the same for v01b with
# its own bounds).
MIN_R = 0.99  # 0.85 before the pitch smoother's measured terms
MIN_R099_V02 = 88  # 81 before the smoother's measured terms, 80 before the Peaks2 rule
MIN_CLOSE_V02 = 88
MIN_R099_V01B = 62  # 56 before the smoother's measured terms, 55 before Peaks2
MIN_CLOSE_V01B = 62
# LLDs frame by frame (unvoiced="opensmile") on the 7 clips: every LLD at r >= MIN_LLD_R,
# at least MIN_LLD_R099 of 25 at r >= 0.99
MIN_LLD_R = 0.99
MIN_LLD_R099 = 25  # 23 (jitter 0.954, shimmer 0.984) before the smoother's measured terms
MIN_VOICING = 0.999  # measured 0.9996 of 5118 rows (0.9985 before)
# native 8 kHz telephone speech, the 4 bundled prompts upsampled (items("tel_test"), 16 items
# with chunks): functionals and LLD voicing; measured values in docs/egemaps.md
MIN_TEL_R = 0.98  # measured 0.9859 (F3bandwidth_stddevNorm); 0.75 with the fitted surrogate
MIN_TEL_R099_V02 = 87  # measured 87 (82 with the fitted voiced-to-voiced surrogate, 80 before its candidate-0 terms)
MIN_TEL_CLOSE_V02 = 88  # 87 before
MIN_TEL_VOICING = 0.999  # measured 1.0000 of 3003 rows (0.9970 with the fitted surrogate)


@pytest.fixture(scope="module")
def parity():
    its = items("test")
    ys = [y for _, y in its]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {}
        for version in ("v02", "v01b"):
            ref, cols = opensmile_functionals(ys, version=version)
            out[version] = (ak.egemaps_batch(ys, SR, version=version), ref, cols)
    return out


@pytest.fixture(scope="module")
def lld_pairs():
    ys = [y for _, y in speech_clips()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        refs, cols = opensmile_rows(ys, level="lld")
    ours = [ak.egemaps(y, SR, level="lld", unvoiced="opensmile") for y in ys]
    return ours, refs, cols


def test_names_are_opensmiles(parity, lld_pairs):
    assert list(ak.EGEMAPS_FUNCTIONALS) == parity["v02"][2] and len(ak.EGEMAPS_FUNCTIONALS) == 88
    assert list(ak.GEMAPS_FUNCTIONALS) == parity["v01b"][2] and len(ak.GEMAPS_FUNCTIONALS) == 62
    assert list(ak.EGEMAPS_LLD) == lld_pairs[2]
    smile = opensmile.Smile(feature_set=opensmile.FeatureSet.GeMAPSv01b,
                            feature_level=opensmile.FeatureLevel.LowLevelDescriptors)
    assert list(ak.GEMAPS_LLD) == list(smile.feature_names)


def assert_functionals_match(ours, ref, cols, min_r, min_r099, min_close):
    """Every functional at Pearson r >= min_r across items, at least min_r099 at r >= 0.99
    and min_close within a median relative difference of 1 % (the report names the rest)."""
    assert ours.shape == ref.shape
    r = pearson_per_column(ours, ref)
    rel = median_relative_difference(ours, ref)
    report = {c: (round(float(a), 4), round(float(b), 4)) for c, a, b in zip(cols, r, rel)
              if not (a >= 0.99 and b <= 0.01)}
    assert np.all(r >= min_r), report
    assert int(np.sum(r >= 0.99)) >= min_r099, report
    assert int(np.sum(rel <= 0.01)) >= min_close, report


@pytest.mark.parametrize("version, min_r099, min_close", [("v02", MIN_R099_V02, MIN_CLOSE_V02),
                                                          ("v01b", MIN_R099_V01B, MIN_CLOSE_V01B)])
def test_functional_parity(parity, version, min_r099, min_close):
    assert_functionals_match(*parity[version], MIN_R, min_r099, min_close)


def test_lld_frames_match_opensmile(lld_pairs):
    ours, refs, cols = lld_pairs
    for o, r in zip(ours, refs):
        assert o.shape == r.shape
    o, r = np.vstack(ours), np.vstack(refs)
    f0 = cols.index("F0semitoneFrom27.5Hz_sma3nz")
    assert np.mean((o[:, f0] > 0) == (r[:, f0] > 0)) >= MIN_VOICING
    rr = pearson_per_column(o, r)
    report = {c: round(float(v), 4) for c, v in zip(cols, rr) if v < 0.99}
    assert np.all(rr >= MIN_LLD_R), report
    assert int(np.sum(rr >= 0.99)) >= MIN_LLD_R099, report


def test_telephone_items_are_upsampled_prompts():
    if not ASTERISK.is_dir():
        pytest.skip("Debian's asterisk-core-sounds-*-wav are not installed")
    its = telephone_clips(2)
    names = [n for n, _ in its]
    assert len(its) == 2 * len(TELEPHONE_SPEAKERS) and len(set(names)) == len(names)
    assert [n.split("/")[0] for n in names] == [s for s in TELEPHONE_SPEAKERS for _ in range(2)]
    for name, y in its:
        assert y.ndim == 1 and len(y) > SR and np.max(np.abs(y)) < 1.0
        speaker, stem = name.split("/")
        y8, sr = ak.load(ASTERISK / speaker / f"{stem}.wav", sr=None)
        assert sr == 8000 and abs(len(y) - 2 * len(y8)) <= 2
    # the longest files first, as items("tel") takes them
    assert its[0][0] == telephone_clips(1)[0][0]
    assert len(telephone_clips(1)) == len(TELEPHONE_SPEAKERS)


def test_telephone_parity():
    """Native 8 kHz telephone prompts (four speakers) upsampled to 16 kHz: the functionals
    and the voicing decisions against openSMILE on the same signals."""
    its = items("tel_test")
    ys = [y for _, y in its]
    assert len(ys) == 16
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref, cols = opensmile_functionals(ys)
        refs, lcols = opensmile_rows(ys[:4], level="lld")
    assert_functionals_match(ak.egemaps_batch(ys, SR), ref, cols, MIN_TEL_R, MIN_TEL_R099_V02,
                             MIN_TEL_CLOSE_V02)
    f0 = lcols.index("F0semitoneFrom27.5Hz_sma3nz")
    agree = total = 0
    for y, lref in zip(ys[:4], refs):
        lours = ak.egemaps(y, SR, level="lld", unvoiced="opensmile")
        assert lours.shape == lref.shape
        agree += int(np.sum((lours[:, f0] > 0) == (lref[:, f0] > 0)))
        total += len(lref)
    assert agree / total >= MIN_TEL_VOICING


def test_unvoiced_conventions():
    y = speech_clips()[5][1]
    nan = ak.egemaps(y, SR, level="lld")
    osm = ak.egemaps(y, SR, level="lld", unvoiced="opensmile")
    f0 = list(ak.EGEMAPS_LLD).index("F0semitoneFrom27.5Hz_sma3nz")
    unvoiced = osm[:, f0] == 0
    assert 0 < unvoiced.sum() < len(osm)
    # the house convention: NaN in every _sma3nz column on unvoiced rows, openSMILE's
    # values elsewhere; the 20 ms columns are the same either way
    assert np.isnan(nan[unvoiced, 10:]).all() and np.isfinite(nan[~unvoiced]).all()
    np.testing.assert_array_equal(nan[~unvoiced], osm[~unvoiced])
    np.testing.assert_array_equal(nan[:, :10], osm[:, :10])
    # openSMILE's own: F0 0, formant amplitudes -201 away from voiced frames, formants ungated
    amp = list(ak.EGEMAPS_LLD).index("F1amplitudeLogRelF0_sma3nz")
    assert (osm[unvoiced, amp] <= -100).mean() > 0.8
    f1 = list(ak.EGEMAPS_LLD).index("F1frequency_sma3nz")
    assert (osm[unvoiced, f1] > 0).mean() > 0.9
    np.testing.assert_array_equal(ak.egemaps(y, SR), ak.egemaps(y, SR, unvoiced="opensmile"))
    g = ak.gemaps(y, SR, level="lld", unvoiced="opensmile")
    assert g.shape == (len(osm), 18)
    np.testing.assert_array_equal(g[:, :5], osm[:, :5])


def tone(f0, seconds=1.0, amp=0.1):
    """A harmonic complex (14 harmonics, 1/n amplitudes) at f0 Hz."""
    t = np.arange(int(seconds * SR)) / SR
    return amp * sum(np.sin(2 * np.pi * f0 * h * t) / h for h in range(1, 15))


@pytest.mark.parametrize("f0", [90.0, 150.0, 240.0, 380.0])
def test_f0_of_a_harmonic_tone(f0):
    f = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(tone(f0), SR)))
    assert abs(f["F0semitoneFrom27.5Hz_sma3nz_amean"] - 12 * np.log2(f0 / 27.5)) < 0.15
    # one segment per second of the frames the functional sees (openSMILE's rate, live)
    ref = opensmile.Smile(feature_set=opensmile.FeatureSet.eGeMAPSv02).process_signal(tone(f0), SR)
    assert f["VoicedSegmentsPerSec"] == pytest.approx(ref["VoicedSegmentsPerSec"].iloc[0], rel=1e-4)
    noisy = tone(f0) + np.random.default_rng(0).standard_normal(SR) * 0.05
    g = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(noisy, SR)))
    assert f["HNRdBACF_sma3nz_amean"] > 3
    assert f["HNRdBACF_sma3nz_amean"] > g["HNRdBACF_sma3nz_amean"] + 2


def test_perfect_tone_has_no_jitter():
    f = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(tone(150), SR)))
    assert f["jitterLocal_sma3nz_amean"] < 0.002
    # 1/n harmonics: about 20 log10(3/2) = 3.5 dB (parabolic peak heights of the Gaussian window)
    assert f["logRelF0-H1-H2_sma3nz_amean"] == pytest.approx(20 * np.log10(3 / 2), abs=0.6)


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
    assert base == pytest.approx(20 * np.log10(3 / 2), abs=0.6)
    assert base == pytest.approx(base_ref, abs=0.01)
    for gains, change in [({1: 6.0}, 0.0), ({2: 6.0}, 6.0), ({3: 6.0}, -6.0), ({2: -10.0}, -10.0)]:
        ours, ref = harmonic_tone_lld(f0, gains, column, smile)
        assert ours - base == pytest.approx(change, abs=0.6), gains
        assert ours == pytest.approx(ref, abs=0.01), gains


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


def test_loudness_and_level_follow_amplitude():
    lo, hi = tone(150, amp=0.01), tone(150, amp=0.1)
    _c = ak.loudness(lo, SR)
    l_lo, t = _c["Loudness_sma3"], _c.times
    _c = ak.loudness(hi, SR)
    l_hi, _ = _c["Loudness_sma3"], _c.times
    # power law: 20 dB (100x power) -> 100 ** 0.33 the loudness
    assert np.median(l_hi / l_lo) == pytest.approx(100 ** 0.33, rel=0.01)
    assert np.allclose(np.diff(t), 0.01)
    lld = ak.egemaps(hi, SR, level="lld")[:, 0]
    assert len(l_hi) == (SR - 320) // 160 + 1 and np.array_equal(l_hi[:len(lld)], lld)
    sine = 0.1 * np.sin(2 * np.pi * 1000 * np.arange(SR) / SR)
    f = dict(zip(ak.EGEMAPS_FUNCTIONALS, ak.egemaps(sine, SR)))
    assert f["equivalentSoundLevel_dBp"] == pytest.approx(10 * np.log10(0.01 / 2), abs=0.1)


def test_spectral_balance_of_white_noise():
    y = np.random.default_rng(0).standard_normal(2 * SR) * 0.05
    lld = ak.egemaps(y, SR, level="lld")
    # white noise: 129 bins of 1-5 kHz against 32 below 1 kHz -> 6 dB
    assert np.median(lld[:, 1]) == pytest.approx(10 * np.log10(129 / 32), abs=0.5)


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
    with pytest.raises(ParameterError, match="version"):
        ak.egemaps(tone(150), SR, version="v03")
    with pytest.raises(ParameterError, match="unvoiced"):
        ak.egemaps(tone(150), SR, unvoiced="zero")
    with pytest.raises(ParameterError, match="unvoiced"):
        ak.egemaps_batch([tone(150)], SR, unvoiced=None)
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
    row = ak.egemaps(y, SR, as_frame=True)
    assert isinstance(row, pd.Series) and list(row.index) == list(ak.EGEMAPS_FUNCTIONALS)
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

    import affectkit.audio.opensmile

    result = doctest.testmod(affectkit.audio.opensmile)
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
