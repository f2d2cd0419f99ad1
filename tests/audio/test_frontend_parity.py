"""Parity of the spectral front end with librosa, python_speech_features and torchaudio.

Measure: max|ours - ref| / max|ref| <= 1e-4 computing in float64, <= 1e-3 in float32,
on the bundled LibriVox/CMU speech and on synthetic signals (sine, chirp, noise, silence,
clipped).
"""

import json
from pathlib import Path

import numpy as np
import pytest

import affectkit as ak
from signals import rel_error
from references import reference

librosa = reference("librosa")  # imported by the tests that use it
psf = reference("python_speech_features")  # imported by the tests that use it

TOL = {"float64": 1e-4, "float32": 1e-3}
DTYPES = ["float64", "float32"]
SPEECH_SETTINGS = dict(n_fft=512, win_length=400, hop_length=160, n_mels=40)


def cast(y, dtype):
    return y.astype(dtype)


# ---------------------------------------------------------------- librosa


@pytest.mark.parametrize("dtype", DTYPES)
def test_librosa_melspectrogram_defaults(signal, dtype):
    name, y, sr = signal
    y = cast(y, dtype)
    ref = librosa.feature.melspectrogram(y=y, sr=sr).T
    assert rel_error(ak.melspectrogram(y, sr, dtype=dtype), ref) <= TOL[dtype]


@pytest.mark.parametrize("dtype", DTYPES)
def test_librosa_mfcc_defaults(signal, dtype):
    name, y, sr = signal
    y = cast(y, dtype)
    ref = librosa.feature.mfcc(y=y, sr=sr).T
    ours = ak.mfcc(y, sr, dtype=dtype)
    assert ours.dtype == np.dtype(dtype)
    assert rel_error(ours, ref) <= TOL[dtype]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "params",
    [
        dict(SPEECH_SETTINGS, n_mfcc=13),
        dict(SPEECH_SETTINGS, n_mfcc=13, lifter=22, htk=True, fmin=20.0, fmax=7600.0),
        dict(n_fft=1024, hop_length=256, window="hamming", center=False, n_mels=64, mel_norm=None),
        dict(n_fft=512, hop_length=128, pad_mode="reflect", n_mels=40, dct_type=3, norm=None),
        dict(n_fft=400, hop_length=160, n_mels=26, dct_type=1, mel_norm=2.0),
    ],
    ids=["speech", "htk-lifter", "hamming-nocenter", "reflect-dct3", "dct1-pnorm"],
)
def test_librosa_mfcc_parameters(signal, dtype, params):
    name, y, sr = signal
    y = cast(y, dtype)
    ref = librosa.feature.mfcc(y=y, sr=sr, **params).T
    assert rel_error(ak.mfcc(y, sr, dtype=dtype, **params), ref) <= TOL[dtype]


@pytest.mark.parametrize("dtype", DTYPES)
def test_librosa_log_melspectrogram(signal, dtype):
    name, y, sr = signal
    y = cast(y, dtype)
    S = librosa.feature.melspectrogram(y=y, sr=sr, **SPEECH_SETTINGS)
    ref = librosa.power_to_db(S, ref=np.max, top_db=70.0).T
    ours = ak.melspectrogram(y, sr, log=True, ref="max", top_db=70.0, dtype=dtype, **SPEECH_SETTINGS)
    assert rel_error(ours, ref) <= TOL[dtype]


@pytest.mark.parametrize("dtype", DTYPES)
def test_librosa_deltas(signal, dtype):
    name, y, sr = signal
    y = cast(y, dtype)
    M = librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13, **SPEECH_SETTINGS)
    ref = np.vstack([M, librosa.feature.delta(M), librosa.feature.delta(M, order=2)]).T
    ours = ak.mfcc(y, sr, n_mfcc=13, deltas=2, dtype=dtype, **SPEECH_SETTINGS)
    assert ours.shape[1] == 39
    assert rel_error(ours, ref) <= TOL[dtype]


def test_librosa_deltas_other_width_and_mode():
    y = np.random.default_rng(1).standard_normal(8000)
    M = librosa.feature.mfcc(y=y, sr=16000, n_mfcc=13)
    for width, mode in [(5, "interp"), (7, "nearest"), (9, "mirror"), (5, "constant"), (5, "wrap")]:
        ref = np.vstack([M, librosa.feature.delta(M, width=width, mode=mode)]).T
        ours = ak.mfcc(y, 16000, n_mfcc=13, deltas=1, delta_width=width, delta_mode=mode, dtype=np.float64)
        assert rel_error(ours, ref) <= 1e-9, (width, mode)


# ---------------------------------------------------------------- python_speech_features (HTK)


@pytest.mark.parametrize("dtype", DTYPES)
def test_psf_mfcc_defaults(signal, dtype):
    name, y, sr = signal
    y = cast(y, dtype)
    ref = psf.mfcc(y.astype(np.float64), sr)
    assert rel_error(ak.mfcc(y, sr, preset="htk", dtype=dtype), ref) <= TOL[dtype]


@pytest.mark.parametrize("dtype", DTYPES)
def test_psf_logfbank_defaults(signal, dtype):
    name, y, sr = signal
    y = cast(y, dtype)
    ref = psf.logfbank(y.astype(np.float64), sr)
    assert rel_error(ak.melspectrogram(y, sr, preset="htk", dtype=dtype), ref) <= TOL[dtype]


@pytest.mark.parametrize(
    "params",
    [
        dict(numcep=20, nfilt=40, nfft=1024, lowfreq=100, highfreq=7000, preemph=0.95, ceplifter=0, appendEnergy=False),
        dict(winlen=0.032, winstep=0.016, winfunc=np.hamming),
        dict(winlen=0.05, nfft=512),  # frame longer than the FFT: psf truncates, so do we
    ],
    ids=["options", "hamming", "truncated"],
)
def test_psf_mfcc_parameters(signal, params):
    name, y, sr = signal
    ref = psf.mfcc(y, sr, **params)
    assert rel_error(ak.mfcc(y, sr, preset="htk", dtype=np.float64, **params), ref) <= 1e-4


def test_psf_deltas(signal):
    name, y, sr = signal
    M = psf.mfcc(y, sr)
    d1 = psf.delta(M, 2)
    d2 = psf.delta(d1, 2)
    ours = ak.mfcc(y, sr, preset="htk", deltas=2, dtype=np.float64)
    assert rel_error(ours, np.hstack([M, d1, d2])) <= 1e-4


# ---------------------------------------------------------------- torchaudio (Kaldi)

GOLDEN = Path(__file__).parents[1] / "data" / "kaldi_golden.npz"


def _golden_cases():
    if not GOLDEN.exists():
        return []
    with np.load(GOLDEN) as z:
        cases = json.loads(str(z["cases"]))
    return [(c["signal"], c["function"], c["params"], c["key"]) for c in cases]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("case", _golden_cases(), ids=lambda c: c[3])
def test_kaldi_against_committed_torchaudio_outputs(case, dtype):
    """Golden outputs made by tests/make_kaldi_golden.py with torchaudio (float32)."""
    sig, function, params, key = case
    with np.load(GOLDEN) as z:
        y = z[f"signal__{sig}"]
        ref = z[key]
    fn = ak.mfcc if function == "mfcc" else ak.melspectrogram
    ours = fn(y.astype(dtype), 16000, preset="kaldi", dtype=dtype, **params)
    assert rel_error(ours, ref) <= 1e-3  # the reference itself was computed in float32


def test_golden_file_is_present():
    assert _golden_cases(), "tests/data/kaldi_golden.npz is missing: run tests/make_kaldi_golden.py"


@pytest.mark.parametrize("dtype", DTYPES)
def test_kaldi_live_torchaudio(signal, dtype):
    torch = pytest.importorskip("torch")
    kaldi = pytest.importorskip("torchaudio.compliance.kaldi")
    from make_kaldi_golden import CONFIGS

    name, y, sr = signal
    t = torch.from_numpy(y.astype(dtype))[None]
    for function, params in CONFIGS:
        ref = getattr(kaldi, function)(t, sample_frequency=sr, **params).numpy()
        fn = ak.mfcc if function == "mfcc" else ak.melspectrogram
        ours = fn(y.astype(dtype), sr, preset="kaldi", dtype=dtype, **params)
        # torchaudio builds its filterbank and DCT in float32 even for float64 input, so
        # its float64 output carries float32 roundoff (visible on silence): 1e-3 for both.
        assert rel_error(ours, ref) <= 1e-3, (function, params)
        if name != "silence":
            assert rel_error(ours, ref) <= TOL[dtype], (function, params)


# ---------------------------------------------------------------- shapes and edge cases


def test_short_signals_follow_their_reference():
    y = np.random.default_rng(0).standard_normal(100)
    # librosa centres and pads: one frame
    assert ak.mfcc(y, 16000).shape == librosa.feature.mfcc(y=y, sr=16000).T.shape
    # python_speech_features pads the tail to one frame
    assert ak.mfcc(y, 16000, preset="htk").shape == (1, 13)
    # Kaldi with snip_edges=True: no complete frame -> no output rows
    assert ak.mfcc(y, 16000, preset="kaldi").shape == (0, 13)
    assert ak.melspectrogram(y, 16000, preset="kaldi", use_energy=True).shape == (0, 24)


def test_empty_signal():
    assert ak.mfcc(np.zeros(0), 16000, preset="kaldi").shape == (0, 13)
    assert ak.mfcc(np.zeros(0), 16000).shape == (1, 20)


def test_kaldi_min_duration_gives_no_rows():
    y = np.random.default_rng(0).standard_normal(8000)
    assert ak.mfcc(y, 16000, preset="kaldi", min_duration=1.0).shape == (0, 13)


def test_cmvn_normalises_columns():
    y = np.random.default_rng(0).standard_normal(16000)
    m = ak.mfcc(y, 16000, preset="kaldi", cmvn="meanvar", dtype=np.float64)
    np.testing.assert_allclose(m.mean(0), 0, atol=1e-9)
    np.testing.assert_allclose(m.std(0), 1, atol=1e-9)
    plain = ak.mfcc(y, 16000, preset="kaldi", dtype=np.float64)
    np.testing.assert_allclose(ak.mfcc(y, 16000, preset="kaldi", subtract_mean=True, dtype=np.float64), plain - plain.mean(0), atol=1e-9)


def test_kaldi_deltas_match_kaldi_add_deltas():
    """Kaldi add-deltas: order-2 filter = order-1 filter convolved with itself, applied
    to the statics with clamped frame indices (written out here independently)."""
    y = np.random.default_rng(3).standard_normal(16000)
    m = ak.mfcc(y, 16000, preset="kaldi", dtype=np.float64)
    f1 = np.array([-2, -1, 0, 1, 2]) / 10.0
    f2 = np.convolve(f1, f1)
    n = len(m)

    def apply(f):
        h = len(f) // 2
        return np.stack([sum(f[j] * m[min(max(t + j - h, 0), n - 1)] for j in range(len(f))) for t in range(n)])

    ours = ak.mfcc(y, 16000, preset="kaldi", deltas=2, dtype=np.float64)
    np.testing.assert_allclose(ours, np.hstack([m, apply(f1), apply(f2)]), atol=1e-9)


def test_integer_pcm_is_scaled_by_full_scale():
    y = (np.random.default_rng(0).standard_normal(16000) * 3000).astype(np.int16)
    a = ak.mfcc(y, 16000, preset="kaldi", dtype=np.float64)
    b = ak.mfcc(y.astype(np.float64) / 32768.0, 16000, preset="kaldi", dtype=np.float64)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    u8 = np.array([0, 128, 255], np.uint8)
    np.testing.assert_allclose(ak.melspectrogram(u8, 16000, preset="htk", log=False, winlen=3 / 16000, nfft=4, nfilt=1, preemph=0.0, dtype=np.float64).shape, (1, 1))


def test_non_contiguous_and_read_only_arrays():
    y = np.random.default_rng(0).standard_normal(32000)
    ref = ak.mfcc(y[::2].copy(), 16000)
    np.testing.assert_array_equal(ak.mfcc(y[::2], 16000), ref)
    r = y[::2].copy()
    r.setflags(write=False)
    np.testing.assert_array_equal(ak.mfcc(r, 16000), ref)
    f32 = y.astype(np.float32)[::2]
    assert ak.mfcc(f32, 16000).shape == ref.shape
