"""Bad input gives a clear affectkit exception naming the argument; nothing panics."""

import subprocess
import sys

import numpy as np
import pytest

import affectkit as ak

Y = np.random.default_rng(0).standard_normal(16000).astype(np.float32)


def test_exception_classes_are_builtin_subclasses():
    assert issubclass(ak.ParameterError, ValueError)
    assert issubclass(ak.InputTypeError, TypeError)
    assert issubclass(ak.ReadError, OSError)
    assert issubclass(ak.AudioLoadError, ak.ReadError)
    assert issubclass(ak.InternalError, RuntimeError)
    for cls in (ak.ParameterError, ak.InputTypeError, ak.ReadError, ak.AudioLoadError, ak.InternalError):
        assert issubclass(cls, ak.AffectkitError)


@pytest.mark.parametrize("bad,word", [(np.nan, "NaN"), (np.inf, "infinite"), (-np.inf, "infinite")])
@pytest.mark.parametrize("fn", [ak.mfcc, ak.melspectrogram])
def test_non_finite_samples_name_the_first_bad_index(fn, bad, word):
    y = Y.copy()
    y[1234] = bad
    y[5000] = bad
    with pytest.raises(ak.ParameterError, match=rf"y: sample 1234 is {word}"):
        fn(y, 16000)


def test_batch_errors_name_the_clip():
    y = Y.copy()
    y[7] = np.nan
    with pytest.raises(ak.ParameterError, match=r"clip 1: y: sample 7 is NaN"):
        ak.mfcc_batch([Y, y], 16000)


@pytest.mark.parametrize("fn", [ak.mfcc_batch, ak.melspectrogram_batch, ak.f0_batch, ak.formants_batch,
                                ak.voice_quality_batch, ak.egemaps_batch])
def test_a_bad_clip_in_a_batch_is_named_by_the_argument_users_pass(fn):
    # every *_batch function takes `signals`; the Rust reader named the second clip `y[1]`
    # in some bindings and `signals[1]` in others
    with pytest.raises(ak.ParameterError, match=r"signals\[1\]: expected a mono 1-D signal"):
        fn([Y, Y.reshape(2, 8000)], 16000)


def test_two_dimensional_input_points_to_mixing():
    with pytest.raises(ak.ParameterError, match=r"mono 1-D signal.*shape \[2, 8000\].*mix it down"):
        ak.mfcc(Y.reshape(2, 8000), 16000)


@pytest.mark.parametrize("y", [np.zeros(100, complex), np.array(["a", "b"]), np.zeros(10, bool)])
def test_unsupported_dtypes_are_type_errors(y):
    with pytest.raises(ak.InputTypeError, match="y: expected float32/float64 samples or integer PCM"):
        ak.mfcc(y, 16000)


def test_non_array_input_is_converted_or_refused():
    assert ak.mfcc(list(Y[:4000]), 16000).shape[1] == 20
    with pytest.raises((ak.InputTypeError, ak.ParameterError)):
        ak.mfcc(object(), 16000)


@pytest.mark.parametrize("sr", [0, -16000, float("nan"), float("inf")])
def test_bad_sample_rate(sr):
    with pytest.raises(ak.ParameterError, match="sr: must be a positive sample rate"):
        ak.mfcc(Y, sr)


def test_too_many_mels_for_the_fft():
    with pytest.raises(ak.ParameterError, match="n_mels: .*covers no FFT bin"):
        ak.melspectrogram(Y, 16000, n_fft=256, n_mels=128)
    with pytest.raises(ak.ParameterError, match="n_mels"):
        ak.mfcc(Y, 16000, preset="kaldi", num_mel_bins=200)


@pytest.mark.parametrize("preset,key", [("librosa", "fmax"), ("kaldi", "high_freq"), ("htk", "highfreq")])
def test_fmax_above_nyquist(preset, key):
    with pytest.raises(ak.ParameterError, match="Nyquist"):
        ak.mfcc(Y, 16000, preset=preset, **{key: 9000.0})


def test_fmin_not_below_fmax():
    with pytest.raises(ak.ParameterError, match="fmin"):
        ak.melspectrogram(Y, 16000, fmin=5000.0, fmax=4000.0)


def test_unknown_preset_window_and_keyword():
    with pytest.raises(ak.ParameterError, match='preset: unknown preset "essentia"'):
        ak.mfcc(Y, 16000, preset="essentia")
    with pytest.raises(ak.ParameterError, match="window: unknown window"):
        ak.mfcc(Y, 16000, window="kaiser")
    with pytest.raises(ak.ParameterError, match="window_type"):
        ak.mfcc(Y, 16000, preset="kaldi", window_type="hann")
    with pytest.raises(ak.ParameterError, match=r"winlen: not a parameter of mfcc\(preset=\"kaldi\"\); accepted: .*frame_length"):
        ak.mfcc(Y, 16000, preset="kaldi", winlen=0.025)
    with pytest.raises(ak.ParameterError, match="give either num_ceps or n_mfcc"):
        ak.mfcc(Y, 16000, preset="kaldi", num_ceps=13, n_mfcc=13)


@pytest.mark.parametrize(
    "kwargs,word",
    [
        (dict(n_fft=0), "n_fft"),
        (dict(hop_length=-1), "hop_length"),
        (dict(win_length=4096), "win_length"),
        (dict(n_mfcc=0), "n_mfcc"),
        (dict(n_mfcc=200), "n_mfcc"),
        (dict(deltas=3), "deltas"),
        (dict(delta_width=4, deltas=1), "delta_width"),
        (dict(lifter=-1), "lifter"),
        (dict(power=0.0), "power"),
        (dict(center="yes"), "center"),
        (dict(pad_mode="wrap"), "pad_mode"),
        (dict(cmvn="global"), "cmvn"),
        (dict(dtype=np.int16), "dtype"),
        (dict(top_db=-5.0), "top_db"),
        (dict(amin=0.0), "amin"),
        (dict(dct_type=4), "dct_type"),
    ],
)
def test_bad_parameters_name_themselves(kwargs, word):
    with pytest.raises(ak.ParameterError, match=word):
        ak.mfcc(Y, 16000, **kwargs)


def test_kaldi_sample_frequency_must_match():
    with pytest.raises(ak.ParameterError, match="sample_frequency"):
        ak.mfcc(Y, 16000, preset="kaldi", sample_frequency=8000)


def test_too_few_frames_for_savgol_deltas_is_explained():
    with pytest.raises(ak.ParameterError, match="delta_width=9 frames"):
        ak.mfcc(Y[:1000], 16000, deltas=1)


def test_panic_is_caught_and_reported():
    """A Rust panic surfaces as InternalError; the interpreter carries on."""
    with pytest.raises(ak.InternalError, match="deliberate panic"):
        ak._core._debug_panic()
    assert ak.mfcc(Y, 16000).shape == (32, 20)


def test_panic_does_not_kill_a_fresh_interpreter():
    code = (
        "import affectkit as ak\n"
        "try:\n    ak._core._debug_panic()\nexcept ak.InternalError:\n    print('caught')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "caught" in out.stdout
