"""Property tests over the Python API: random signals, rates and settings for the signal
functions either give a result or raise one of affectkit's own exceptions; never a
signal, a hang, a foreign exception (TypeError from pyo3, OverflowError, PanicException).

Each example runs in a forked child (tests/isolated.py) with a 2 GB address-space cap,
a 20 s time limit and ``AFFECTKIT_MAX_ALLOC=256M`` (so that a size that is merely large
fails fast instead of computing for minutes). The search is derandomised (the same
examples on every run) and bounded: ``AFFECTKIT_FUZZ_EXAMPLES`` examples per function
(default 25). A longer local run: ``AFFECTKIT_FUZZ_EXAMPLES=2000 python -m pytest
tests/test_fuzz_api.py``.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import affectkit as ak
from isolated import outcome

# hypothesis is a test requirement (tests/requirements.txt), not an optional reference
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

EXAMPLES = int(os.environ.get("AFFECTKIT_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                suppress_health_check=list(HealthCheck))

# ---------------------------------------------------------------- strategies

RATES = st.one_of(st.sampled_from([8000, 16000, 22050, 44100, 48000]), st.sampled_from([0, -1, 1, 7, 1e12]),
                  st.floats(allow_nan=True, allow_infinity=True))
SIZES = st.one_of(st.sampled_from([1, 2, 3, 16, 400, 512, 2048]),
                  st.sampled_from([0, -1, 2**31, 2**40, 2**62, 2**70]), st.integers(-10, 10**6))
SECONDS = st.one_of(st.sampled_from([0.001, 0.01, 0.025, 0.1]), st.sampled_from([0.0, -1.0, 1e-12, 1e9]),
                    st.floats(allow_nan=True, allow_infinity=True))
HZ = st.one_of(st.sampled_from([50.0, 75.0, 300.0, 600.0, 5500.0]), st.sampled_from([np.nan, np.inf, -1.0, 0.0]),
               st.floats(min_value=-1e6, max_value=1e9))

DTYPES = ["<f4", "<f8", ">f4", ">f8", "<i2", ">i2", "<i4", "u1"]


@st.composite
def signals(draw):
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    n = draw(st.one_of(st.integers(0, 8), st.integers(0, 6000)))
    if dtype.kind == "f":
        kind = draw(st.sampled_from(["tone", "noise", "extreme", "arbitrary"]))
        if kind == "arbitrary":
            elements = st.floats(width=8 * dtype.itemsize, allow_nan=True, allow_infinity=True)
            return draw(hnp.arrays(dtype, n, elements=elements))
        scale = draw(st.sampled_from([1.0, 1e-30, 1e-12, 1e3, 1e7, 1e30]))
        t = np.arange(n) / 16000
        x = np.sin(2 * np.pi * 180 * t) if kind == "tone" else np.random.default_rng(n).standard_normal(n)
        if kind == "extreme":
            x = x * draw(st.sampled_from([1e38, 1e300, 5e-324]))
        with np.errstate(over="ignore"):
            return (x * scale).astype(dtype)
    return draw(hnp.arrays(dtype, n))


def _allowed(o) -> bool:
    return o.kind == "ok" or (o.kind == "raised" and "AffectkitError" in o.exc_mro)


def _run(fn, *args, **kwargs):
    def child():
        os.environ["AFFECTKIT_MAX_ALLOC"] = "256M"
        import warnings
        warnings.simplefilter("ignore")
        fn(*args, **kwargs)
        return None
    o = outcome(child, timeout=20, memory=2 << 30)
    assert _allowed(o), f"{fn.__name__}{args[1:]!r} {kwargs!r} on {args[0].dtype}[{len(args[0])}]: {o}"


# ---------------------------------------------------------------- properties


@FUZZ
@given(y=signals(), sr=RATES, preset=st.sampled_from(["librosa", "kaldi", "htk"]), n_fft=SIZES, hop=SIZES,
       n_mels=SIZES, fmax=st.none() | HZ)
def test_mfcc(y, sr, preset, n_fft, hop, n_mels, fmax):
    names = {"librosa": ("n_fft", "hop_length", "n_mels", "fmax"), "kaldi": ("frame_length", "frame_shift",
             "num_mel_bins", "high_freq"), "htk": ("nfft", "winstep", "nfilt", "highfreq")}[preset]
    params = dict(zip(names, (n_fft, hop if preset == "librosa" else abs(hop) / 1000, n_mels, fmax)))
    _run(ak.mfcc, y, sr, preset=preset, **{k: v for k, v in params.items() if v is not None})


@FUZZ
@given(y=signals(), sr=RATES, frame_length=SIZES, hop_length=SIZES, center=st.booleans(),
       pad_mode=st.sampled_from(["constant", "reflect", "edge", "wrap"]))
def test_rms(y, sr, frame_length, hop_length, center, pad_mode):
    _run(ak.rms, y, sr, frame_length=frame_length, hop_length=hop_length, center=center, pad_mode=pad_mode)


@FUZZ
@given(y=signals(), sr=RATES, method=st.sampled_from(["pyin", "yin", "praat"]), fmin=HZ, fmax=HZ,
       frame_length=SIZES, hop_length=SIZES, extra=st.sampled_from([{}, {"resolution": 1e-6}, {"max_transition_rate": 1e12},
                                                                      {"time_step": 1e-9}, {"n_thresholds": 10**6},
                                                                      {"voicing_threshold": -1.0}]))
def test_f0(y, sr, method, fmin, fmax, frame_length, hop_length, extra):
    params = dict(extra)
    if method != "praat":
        params.update(frame_length=frame_length, hop_length=hop_length)
        params.pop("time_step", None)
        params.pop("voicing_threshold", None)
    else:
        params.pop("resolution", None)
        params.pop("max_transition_rate", None)
        params.pop("n_thresholds", None)
    _run(ak.f0, y, sr, method=method, fmin=fmin, fmax=fmax, **params)


@FUZZ
@given(y=signals(), sr=RATES, window_length=SECONDS, time_step=st.none() | SECONDS,
       max_number_of_formants=st.floats(-5, 30) | st.just(np.nan), maximum_formant=HZ)
def test_formants(y, sr, window_length, time_step, max_number_of_formants, maximum_formant):
    _run(ak.formants, y, sr, window_length=window_length, time_step=time_step,
         max_number_of_formants=max_number_of_formants, maximum_formant=maximum_formant)


@FUZZ
@given(y=signals(), sr=RATES, pitch_floor=HZ, hnr_time_step=SECONDS, hnr_minimum_pitch=HZ,
       silence_threshold=st.floats(-1, 2))
def test_voice_quality(y, sr, pitch_floor, hnr_time_step, hnr_minimum_pitch, silence_threshold):
    _run(ak.voice_quality, y, sr, pitch_floor=pitch_floor, hnr_time_step=hnr_time_step,
         hnr_minimum_pitch=hnr_minimum_pitch, silence_threshold=silence_threshold)


@FUZZ
@given(y=signals(), sr=RATES, minimum_pitch=HZ, time_step=st.none() | SECONDS, method=st.sampled_from(["cc", "ac"]))
def test_intensity_and_harmonicity(y, sr, minimum_pitch, time_step, method):
    _run(ak.intensity, y, sr, minimum_pitch=minimum_pitch, time_step=time_step)
    _run(ak.harmonicity, y, sr, method=method, minimum_pitch=minimum_pitch,
         time_step=0.01 if time_step is None else time_step)


@FUZZ
@given(y=signals(), orig=SIZES | RATES, target=SIZES | RATES)
def test_resample(y, orig, target):
    _run(ak.resample, y, orig, target)


@FUZZ
@given(n=st.integers(0, 50), value=st.sampled_from([0.0, 1.0, 1e8, 1e12, 1e300, np.nan, np.inf]),
       dim=st.sampled_from([2, 3]), fps=st.one_of(st.sampled_from([30.0, 0.0, -1.0]), st.floats()),
       window=st.none() | SECONDS, n_jobs=st.sampled_from([None, 1, -1, 0, -10**6, 10**6]))
def test_face(n, value, dim, fps, window, n_jobs):
    rng = np.random.default_rng(n)
    lm = rng.random((n, 68, dim)) * 200 + 100
    if n:
        lm[rng.integers(n), rng.integers(68), rng.integers(dim)] = value
    _run(ak.face.geometry, lm, n_jobs=n_jobs)
    _run(ak.face.head_pose, lm, image_size=(640, 480), n_jobs=n_jobs)
    g = rng.random((n, 21))
    _run(ak.face.dynamics, g, fps, window=window, hop=0.5, max_gap=3)
