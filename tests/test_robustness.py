"""No input kills, hangs or fools the process (issue 15, phase A).

Each test below is an input that, on main b56567c, aborted the interpreter (an allocation
sized by a header field or an argument), hung it, started threads without bound, returned
a plausible wrong answer, or raised a foreign exception. The calls that once killed or hung
the process run in a forked child with a 4 GB address-space cap and a time limit
(tests/isolated.py), so a regression fails one test instead of the whole run.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import warnings

import numpy as np
import pytest

import affectkit as ak
from isolated import outcome

SR = 16000
T = np.arange(SR) / SR
Y = (0.3 * np.sin(2 * np.pi * 200 * T)).astype(np.float32)
VOICED = (0.3 * np.sin(2 * np.pi * 150 * T) + 0.1 * np.sin(2 * np.pi * 300 * T)).astype(np.float64)


def isolated(fn, *args, timeout=60, **kwargs):
    return outcome(fn, *args, timeout=timeout, **kwargs)


def assert_raises_in_child(o, cls, *words):
    assert o.raised(cls.__name__), f"expected {cls.__name__}, got {o}"
    for w in words:
        assert w in o.message, f"{w!r} not in {o.message!r}"


def wav_bytes(*, sr=SR, channels=1, bits=16, block_align=None, data_size=None, fmt_tag=1, data=None,
              n=8000, riff=b"RIFF"):
    """A WAV file with every header field under the test's control (16-bit sine data)."""
    if data is None:
        x = (0.5 * np.sin(2 * np.pi * 440 * np.arange(n) / SR) * 32767).astype("<i2")
        data = np.repeat(x, channels).tobytes()
    ba = channels * ((bits + 7) // 8) if block_align is None else block_align
    fmt = struct.pack("<HHIIHH", fmt_tag, channels, sr & 0xFFFFFFFF, (sr * max(ba, 1)) & 0xFFFFFFFF, ba, bits)
    size = len(data) if data_size is None else data_size
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", size) + data
    return riff + struct.pack("<I", len(body) & 0xFFFFFFFF) + body


def write(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    return p


# ---------------------------------------------------------------- bounded allocations


def test_wav_sample_rate_field_beyond_the_range_is_an_audio_load_error(tmp_path):
    p = write(tmp_path, "rate.wav", wav_bytes(sr=0xFFFFFFFE))
    o = isolated(ak.load, p, sr=16000)
    assert_raises_in_child(o, ak.AudioLoadError, "rate.wav", "sample rate", "4294967294")


def test_resampling_between_coprime_extreme_rates_is_refused():
    o = isolated(ak.resample, Y, 2**31 - 1, 16000)
    assert_raises_in_child(o, ak.ParameterError, "orig_sr")


def test_resampling_plan_above_the_memory_limit_names_the_rate(tmp_path):
    # 999983 Hz is prime: its exact plan needs ~2e6-sample blocks (~256 MiB); a 64 MiB
    # ceiling refuses it with a message naming the rates and the variable.
    code = ("import numpy as np, affectkit as ak\n"
            "try:\n    ak.resample(np.zeros(100, np.float32), 999983, 16000)\n"
            "except ak.ParameterError as e:\n    print('ERR', e)\n")
    env = dict(os.environ, AFFECTKIT_MAX_ALLOC="64M")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert "ERR orig_sr: cannot resample 999983 Hz -> 16000 Hz" in out.stdout, out.stdout + out.stderr
    assert "AFFECTKIT_MAX_ALLOC" in out.stdout


def _flac_with_total_samples(tmp_path, total):
    sf = pytest.importorskip("soundfile")
    p = tmp_path / "total.flac"
    sf.write(p, 0.3 * np.sin(2 * np.pi * 300 * np.arange(20000) / SR), SR, subtype="PCM_16")
    b = bytearray(p.read_bytes())
    # STREAMINFO starts at byte 8; total samples are its bits 108..143 (36 bits)
    si = 8
    word = int.from_bytes(b[si + 13:si + 18], "big")  # the low 4 bits of byte 13 + bytes 14-17
    word = (word & ~((1 << 36) - 1)) | (total & ((1 << 36) - 1))
    b[si + 13:si + 18] = word.to_bytes(5, "big")
    p.write_bytes(bytes(b))
    return p


def test_flac_total_samples_field_does_not_size_the_buffer(tmp_path):
    p = _flac_with_total_samples(tmp_path, (1 << 36) - 1)   # 68.7e9 frames: 274 GB
    o = isolated(ak.load, p)
    # the file holds 20000 frames; the header's promise is refused, without allocating it
    assert_raises_in_child(o, ak.AudioLoadError, "total.flac", "truncated")


@pytest.mark.parametrize("n_fft", [2**40, 2**62])
def test_absurd_n_fft_is_a_parameter_error(n_fft):
    o = isolated(ak.mfcc, Y, SR, n_fft=n_fft)
    assert_raises_in_child(o, ak.ParameterError, "n_fft")


def test_absurd_hop_length_gives_a_pyin_track():
    o = isolated(ak.f0, Y, SR, hop_length=2**31)
    assert o.kind == "ok", o
    assert len(o.value.f0) == 1


def test_huge_max_transition_rate_gives_the_same_voicing_as_a_wide_band():
    o = isolated(ak.f0, VOICED, SR, max_transition_rate=1e9)
    assert o.kind == "ok", o
    # a band wider than the pitch grid is the whole grid: same track as any wider band
    ref = ak.f0(VOICED, SR, max_transition_rate=1e6)
    np.testing.assert_array_equal(o.value.voiced, ref.voiced)
    assert o.value.voiced.mean() > 0.8


def test_tiny_formant_window_is_a_parameter_error():
    o = isolated(ak.formants, VOICED, SR, window_length=1e-9)
    assert_raises_in_child(o, ak.ParameterError, "window_length")


@pytest.mark.parametrize("frame_length", [2**62, 2**70, -1])
def test_rms_frame_length_out_of_range_is_a_parameter_error(frame_length):
    o = isolated(ak.rms, Y, SR, frame_length=frame_length)
    assert_raises_in_child(o, ak.ParameterError, "frame_length")


def test_face_dynamics_window_longer_than_the_sequence_is_one_window():
    g = np.random.default_rng(0).random((100, 21))
    o = isolated(ak.face.dynamics, g, fps=30, window=1e9, hop=1e9)
    assert o.kind == "ok", o
    whole = ak.face.dynamics(g, fps=30, window=100 / 30, hop=100 / 30)
    np.testing.assert_array_equal(o.value.windows, whole.windows)
    assert o.value.windows.shape[0] == 1
    with pytest.raises(ak.ParameterError, match="window"):
        ak.face.dynamics(g, fps=30, window=float("inf"))


def test_float_regression_targets_are_not_class_labels():
    rng = np.random.default_rng(0)
    o = isolated(ak.metrics.unweighted_accuracy, rng.random(200000), rng.random(200000))
    assert_raises_in_child(o, ak.ParameterError, "y_true", "ccc")
    # whole-number floats are labels
    assert ak.metrics.unweighted_accuracy(np.array([0.0, 1.0, 1.0]), np.array([0.0, 1.0, 0.0])) == 0.75


def test_the_memory_ceiling_is_configurable_and_named():
    code = ("import numpy as np, affectkit as ak\n"
            "try:\n    ak.mfcc(np.zeros(16000, np.float32), 16000, n_fft=2**20)\n"
            "except ak.ParameterError as e:\n    print('ERR', e)\n")
    env = dict(os.environ, AFFECTKIT_MAX_ALLOC="1M")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert "ERR n_fft:" in out.stdout and "AFFECTKIT_MAX_ALLOC" in out.stdout, out.stdout + out.stderr
    env["AFFECTKIT_MAX_ALLOC"] = "lots"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert "ERR AFFECTKIT_MAX_ALLOC:" in out.stdout, out.stdout + out.stderr


# ---------------------------------------------------------------- n_jobs


def _threads():
    return len(os.listdir("/proc/self/task"))


def _batch_threads(n_jobs):
    before = _threads()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        ak.mfcc_batch([Y, Y], SR, n_jobs=n_jobs)
    return _threads() - before, [str(x.message) for x in w if issubclass(x.category, UserWarning)]


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc")
def test_n_jobs_is_capped_with_a_warning():
    o = isolated(_batch_threads, 10**6)
    assert o.kind == "ok", o
    added, messages = o.value
    cap = 4 * os.cpu_count()
    assert added <= cap, (added, cap)
    assert any("n_jobs=1000000" in m and f"using {cap} threads" in m for m in messages), messages


def _many_pool_sizes():
    before = _threads()
    cap = 4 * os.cpu_count()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for n in range(1, 3 * cap + 1):
            ak.mfcc_batch([Y[:2000]] * 2, SR, n_jobs=n)
    return _threads() - before, cap


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc")
def test_idle_pools_keep_a_bounded_number_of_threads():
    o = isolated(_many_pool_sizes, timeout=120)
    assert o.kind == "ok", o
    added, cap = o.value
    assert added <= 2 * cap, (added, cap)


def test_n_jobs_values_follow_joblib():
    cores = os.cpu_count()
    assert ak._core.resolve_n_jobs(-1) == cores
    assert ak._core.resolve_n_jobs(-2) == max(cores - 1, 1)
    with pytest.raises(ak.ParameterError, match="n_jobs.*got 0"):
        ak.mfcc_batch([Y], SR, n_jobs=0)
    with pytest.warns(UserWarning, match="using 1 thread"):
        assert ak._core.resolve_n_jobs(-10**6) == 1


# ---------------------------------------------------------------- WAV headers vs libsndfile


@pytest.mark.parametrize("block_align", [32767, 3, 1, 0, 4])
def test_wrong_block_align_reads_as_libsndfile(tmp_path, block_align):
    sf = pytest.importorskip("soundfile")
    p = write(tmp_path, "ba.wav", wav_bytes(block_align=block_align))
    ref, _ = sf.read(p, dtype="float32")
    y, sr = ak.load(p)
    assert sr == SR and len(ref) == 8000
    np.testing.assert_array_equal(y, ref)


@pytest.mark.parametrize("case", ["streaming", "zero", "odd", "riff_size"])
def test_data_sizes_read_as_libsndfile(tmp_path, case):
    sf = pytest.importorskip("soundfile")
    kwargs = {"streaming": dict(data_size=0xFFFFFFFF), "zero": dict(data_size=0), "odd": dict(data_size=15999),
              "riff_size": {}}[case]
    data = wav_bytes(**kwargs)
    if case == "riff_size":
        data = data[:4] + struct.pack("<I", 0xFFFFFFFF) + data[8:]
    p = write(tmp_path, "d.wav", data)
    ref, _ = sf.read(p, dtype="float32")
    y, _ = ak.load(p)
    np.testing.assert_array_equal(y, ref)
    if case == "streaming":
        assert len(y) == 8000
        np.testing.assert_array_equal(ak.load(p, offset=0.25, duration=0.1)[0], ref[4000:5600])


def test_stereo_streaming_wav_with_a_partial_last_frame(tmp_path):
    sf = pytest.importorskip("soundfile")
    data = wav_bytes(channels=2, data_size=0xFFFFFFFF)[:-1]   # half a sample short
    p = write(tmp_path, "s.wav", data)
    ref, _ = sf.read(p, dtype="float32", always_2d=True)
    y, _ = ak.load(p, mono=False)
    np.testing.assert_array_equal(y, ref)


def test_odd_bit_depth_in_a_wider_container_reads_as_libsndfile(tmp_path):
    sf = pytest.importorskip("soundfile")
    p = write(tmp_path, "b12.wav", wav_bytes(bits=12))
    ref, _ = sf.read(p, dtype="float32")
    np.testing.assert_array_equal(ak.load(p)[0], ref)


@pytest.mark.parametrize("fmt,subtype", [("RF64", "PCM_16"), ("RF64", "FLOAT"), ("WAV", "ULAW"), ("WAV", "ALAW"),
                                         ("WAVEX", "PCM_24"), ("WAVEX", "DOUBLE")])
def test_other_wav_flavours_read_as_libsndfile(tmp_path, fmt, subtype):
    sf = pytest.importorskip("soundfile")
    rng = np.random.default_rng(1)
    x = np.clip(0.4 * np.sin(2 * np.pi * 330 * np.arange(6000) / SR)[:, None] + 0.05 * rng.standard_normal((6000, 2)),
                -1, 1)
    p = tmp_path / "f.wav"
    sf.write(p, x, SR, format=fmt, subtype=subtype)
    ref, _ = sf.read(p, dtype="float32", always_2d=True)
    y, _ = ak.load(p, mono=False)
    np.testing.assert_array_equal(y, ref)


@pytest.mark.parametrize("kwargs,words", [
    (dict(sr=0), ["sample rate", "0 Hz"]),
    (dict(sr=2_000_000), ["sample rate", "2000000 Hz"]),
    (dict(channels=0, data=b"\0" * 100), ["no channels"]),
    (dict(channels=2000, data=b"\0" * 8000), ["channels", "1024"]),
    (dict(bits=0), ["bits per sample"]),
    (dict(bits=40), ["bits per sample"]),
    (dict(fmt_tag=0x55), ["unsupported encoding"]),
])
def test_invalid_wav_headers_are_audio_load_errors(tmp_path, kwargs, words):
    p = write(tmp_path, "bad.wav", wav_bytes(**kwargs))
    with pytest.raises(ak.AudioLoadError, match="bad.wav") as e:
        ak.load(p)
    for w in words:
        assert w in str(e.value)


@pytest.mark.parametrize("damage", ["guid", "peak"])
def test_headers_libsndfile_refuses_are_refused(tmp_path, damage):
    sf = pytest.importorskip("soundfile")
    p = tmp_path / "x.wav"
    if damage == "guid":
        sf.write(p, np.zeros((100, 2)), SR, format="WAVEX", subtype="PCM_16")
        b = bytearray(p.read_bytes())
        i = b.index(b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71")
        b[i + 9] ^= 0xFF   # the GUID's fixed tail
    else:
        sf.write(p, np.zeros(100), SR, subtype="FLOAT")   # libsndfile writes a PEAK chunk
        b = bytearray(p.read_bytes())
        assert b"PEAK" in b
        b[22] = 86   # the fmt chunk's channel count
    p.write_bytes(bytes(b))
    with pytest.raises(RuntimeError):
        sf.read(p)
    with pytest.raises(ak.AudioLoadError, match="x.wav"):
        ak.load(p)


def test_flac_with_a_zero_sample_rate_is_an_audio_load_error(tmp_path):
    sf = pytest.importorskip("soundfile")
    p = tmp_path / "z.flac"
    sf.write(p, np.zeros(1000), SR, subtype="PCM_16")
    b = bytearray(p.read_bytes())
    b[18] = 0
    b[19] = 0
    b[20] &= 0x0F   # the 20-bit rate field
    p.write_bytes(bytes(b))
    with pytest.raises(ak.AudioLoadError, match="z.flac: sample rate: 0 Hz"):
        ak.load(p)


def test_a_float_wav_with_nan_loads_but_is_not_resampled(tmp_path):
    sf = pytest.importorskip("soundfile")
    x = (0.3 * np.sin(np.arange(16000) / 10)).astype(np.float32)
    x[100] = np.nan
    p = tmp_path / "nan.wav"
    sf.write(p, x, SR, subtype="FLOAT")
    y, _ = ak.load(p)
    np.testing.assert_array_equal(y, sf.read(p, dtype="float32")[0])
    o = isolated(ak.load, p, sr=8000)
    assert_raises_in_child(o, ak.AudioLoadError, "nan.wav", "sample 100 of channel 0 is NaN")


def test_load_takes_float_rates():
    path = ak.datasets.sample_paths()[0]
    y1, sr1 = ak.load(path, sr=8000)
    y2, sr2 = ak.load(path, sr=8000.0)
    assert sr1 == sr2 == 8000
    np.testing.assert_array_equal(y1, y2)
    for bad in (8000.5, 0, -1, 2**70, float("nan")):
        with pytest.raises(ak.ParameterError, match="sr"):
            ak.load(path, sr=bad)
    np.testing.assert_array_equal(ak.resample(y1, 8000.0, 16000), ak.resample(y1, 8000, 16000))


# ---------------------------------------------------------------- MP3, Ogg/Vorbis, MP4/AAC


def _tone(seconds=1.0, sr=SR):
    t = np.arange(int(seconds * sr)) / sr
    return 0.4 * np.sin(2 * np.pi * 440 * t) * np.minimum(1, 5 * t)


@pytest.mark.parametrize("fmt,subtype,ext", [("MP3", "MPEG_LAYER_III", "mp3"), ("OGG", "VORBIS", "ogg")])
def test_lossy_files_decode_like_libsndfile(tmp_path, fmt, subtype, ext):
    sf = pytest.importorskip("soundfile")
    if fmt not in sf.available_formats():
        pytest.skip(f"this libsndfile cannot write {fmt}")
    p = tmp_path / f"tone.{ext}"
    sf.write(p, _tone(), SR, format=fmt, subtype=subtype)
    ref, sr_ref = sf.read(p, dtype="float32")
    y, sr = ak.load(p)
    assert sr == sr_ref == SR
    assert len(y) == len(ref), (len(y), len(ref))
    # two decoders of one bitstream: equal up to float rounding
    np.testing.assert_allclose(y, ref, atol=1e-4)


def _write_mp4(path, x, sr, with_video):
    av = pytest.importorskip("av")
    with av.open(str(path), "w") as out:
        if with_video:
            v = out.add_stream("mpeg4", rate=10)
            v.width, v.height, v.pix_fmt = 64, 48, "yuv420p"
        a = out.add_stream("aac", rate=sr)
        a.layout = "mono"
        if with_video:
            for i in range(int(len(x) / sr * 10)):
                frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), 10 * i % 255, np.uint8), format="rgb24")
                for pkt in v.encode(frame):
                    out.mux(pkt)
            for pkt in v.encode():
                out.mux(pkt)
        samples = (x * 32767).astype(np.int16)[None, :]
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="mono")
        frame.sample_rate = sr
        for pkt in a.encode(frame):
            out.mux(pkt)
        for pkt in a.encode():
            out.mux(pkt)


def _decode_av(path):
    av = pytest.importorskip("av")
    with av.open(str(path)) as f:
        frames = [fr.to_ndarray().astype(np.float32).mean(axis=0) if fr.format.is_planar else fr.to_ndarray()[0]
                  for fr in f.decode(audio=0)]
    return np.concatenate(frames)


@pytest.mark.parametrize("with_video", [False, True], ids=["m4a", "mp4-with-video"])
def test_mp4_aac_decodes_like_ffmpeg(tmp_path, with_video):
    p = tmp_path / ("clip.mp4" if with_video else "clip.m4a")
    sr = 48000
    t = np.arange(2 * sr) / sr
    x = 0.3 * np.sin(2 * np.pi * (200 * t + 400 * t * t)) * np.minimum(1, 5 * t)   # a chirp: no periodic lag
    _write_mp4(p, x, sr, with_video)
    y, sr_y = ak.load(p)
    assert sr_y == sr
    # FFmpeg's AAC decoder (PyAV, packets as stored): the same samples from the same start
    ref = _decode_av(p)
    assert len(x) <= len(y) <= len(ref)
    np.testing.assert_allclose(y, ref[:len(y)], atol=1e-5)
    # both keep the encoder's 1024 priming samples; after them the audio is the chirp that
    # went in (AAC is lossy: ~20-30 dB SNR at this rate)
    lag = int(np.argmax(np.correlate(y[:30000], x[:20000], mode="valid")))
    assert lag == 1024
    seg = y[lag:lag + len(x)][4800:-4800]
    snr = 10 * np.log10(np.mean(x[4800:-4800] ** 2) / np.mean((seg - x[4800:-4800]) ** 2))
    assert snr > 15, snr


# ---------------------------------------------------------------- hangs and silent wrong data


def _landmarks():
    lm = np.asarray(ak.face.REFERENCE_SHAPE_3D)[:, :2] * 2 + 320
    return lm.astype(np.float64)


@pytest.mark.parametrize("value", [1e300, 1e150, 1e10])
def test_absurd_landmark_coordinates_are_refused_quickly(value):
    lm = _landmarks()
    lm[0, 0] = value
    o = isolated(ak.face.head_pose, lm, image_size=(640, 480), timeout=30)
    assert_raises_in_child(o, ak.ParameterError, "landmarks", "frame 0, point 0")


def test_boolean_landmarks_are_a_type_error():
    with pytest.raises(ak.InputTypeError, match="landmarks"):
        ak.face.head_pose(_landmarks() > 300, image_size=(640, 480))


def test_align_traces_with_a_huge_lag_range_is_bounded():
    t = np.arange(0, 20, 0.04)
    traces = [np.sin(t), np.sin(t - 1.0), np.sin(t)]
    o = isolated(ak.labels.align_traces, traces, fps=25, max_lag_s=1e9, timeout=30)
    assert o.kind == "ok", o
    whole = ak.labels.align_traces(traces, fps=25, max_lag_s=20.0)
    np.testing.assert_array_equal(o.value.lags_s, whole.lags_s)
    inf = ak.labels.align_traces(traces, fps=25, min_lag_s=-np.inf, max_lag_s=np.inf)
    np.testing.assert_array_equal(inf.lags_s, ak.labels.align_traces(traces, fps=25, min_lag_s=-20, max_lag_s=20).lags_s)


SIGNAL_FUNCTIONS = {
    "mfcc": lambda y: ak.mfcc(y, SR),
    "rms": lambda y: ak.rms(y, SR),
    "f0": lambda y: ak.f0(y, SR),
    "formants": lambda y: ak.formants(y, SR),
    "voice_quality": lambda y: ak.voice_quality(y, SR),
    "intensity": lambda y: ak.intensity(y, SR),
    "egemaps": lambda y: ak.egemaps(y, SR),
    "resample": lambda y: ak.resample(y, SR, 8000),
    "mfcc_batch": lambda y: ak.mfcc_batch([VOICED, y], SR),
}


@pytest.mark.parametrize("name", sorted(SIGNAL_FUNCTIONS))
def test_float64_beyond_float32_range_is_refused_naming_the_sample(name):
    y = VOICED.copy()
    y[123] = 1e39
    with pytest.raises(ak.ParameterError, match=r"sample 123 is 1e39, beyond float32's range"):
        SIGNAL_FUNCTIONS[name](y)


@pytest.mark.parametrize("method", ["pyin", "yin"])
def test_pitch_trackers_are_scale_invariant_and_refuse_unscaled_data(method):
    ref = ak.f0(VOICED, SR, method=method)
    assert ref.voiced.mean() > 0.8
    for scale in (1e-30, 1e-20, 1e5):
        tr = ak.f0(VOICED * scale, SR, method=method)
        np.testing.assert_array_equal(tr.voiced, ref.voiced)
        np.testing.assert_allclose(tr.f0, ref.f0, rtol=1e-6)
    with pytest.raises(ak.ParameterError, match=r"y: the peak amplitude \S+e17 is far outside \[-1e6, 1e6\]"):
        ak.f0(VOICED * 1e18, SR, method=method)
    # denormals only: digital silence, every frame unvoiced
    den = ak.f0(VOICED * 1e-310, SR, method=method)
    assert not den.voiced.any() and np.isnan(den.f0).all()


@pytest.mark.parametrize("key", ["silence_threshold", "voicing_threshold", "octave_cost", "octave_jump_cost",
                                 "voiced_unvoiced_cost"])
def test_negative_praat_settings_are_parameter_errors(key):
    with pytest.raises(ak.ParameterError, match=f"^{key}: must be >= 0"):
        ak.f0(VOICED, SR, method="praat", **{key: -0.5})
    with pytest.raises(ak.ParameterError, match=f"^{key}: must be >= 0"):
        ak.voice_quality(VOICED, SR, **{key: -0.5})
    with pytest.raises(ak.ParameterError, match="hnr_silence_threshold"):
        ak.voice_quality(VOICED, SR, hnr_silence_threshold=-0.1)


SR_FUNCTIONS = {
    "rms": lambda sr: ak.rms(VOICED, sr),
    "mfcc": lambda sr: ak.mfcc(VOICED, sr),
    "f0": lambda sr: ak.f0(VOICED, sr),
    "f0_praat": lambda sr: ak.f0(VOICED, sr, method="praat"),
    "formants": lambda sr: ak.formants(VOICED, sr),
    "voice_quality": lambda sr: ak.voice_quality(VOICED, sr),
    "intensity": lambda sr: ak.intensity(VOICED, sr),
    "harmonicity": lambda sr: ak.harmonicity(VOICED, sr),
    "glottal_pulses": lambda sr: ak.glottal_pulses(VOICED, sr),
    "egemaps": lambda sr: ak.egemaps(VOICED, sr),
}


@pytest.mark.parametrize("sr", [0, -16000, float("nan"), float("inf")])
@pytest.mark.parametrize("name", sorted(SR_FUNCTIONS))
def test_non_positive_sample_rates_are_parameter_errors(name, sr):
    with pytest.raises(ak.ParameterError, match="sr"):
        SR_FUNCTIONS[name](sr)


def test_binary_relevance_refuses_missing_labels():
    for bad in (np.nan, None):
        with pytest.raises(ak.ParameterError, match="label_sets: .*missing value"):
            ak.labels.binary_relevance([0, 0, 1], ["a", "b", "a"], [["hap"], [bad], ["sad"]], method="majority")
    with pytest.raises(ak.ParameterError, match="label_sets"):
        ak.labels.binary_relevance([0, 1], ["a", "a"], [["hap"], np.nan], method="majority")
    # an empty set is an answer ("none of these")
    r = ak.labels.binary_relevance([0, 0], ["a", "b"], [["hap"], []], method="majority")
    assert r.classes == ["hap"]


# ---------------------------------------------------------------- foreign exceptions


@pytest.mark.parametrize("dtype", [">f4", ">f8", ">i2", ">i4"])
def test_big_endian_signals_are_converted(dtype):
    scale = 2 ** (8 * np.dtype(dtype).itemsize - 1) - 1 if np.dtype(dtype).kind == "i" else 1
    native = (VOICED * scale).astype(np.dtype(dtype).newbyteorder("="))
    big = native.astype(dtype)
    np.testing.assert_array_equal(ak.mfcc(big, SR), ak.mfcc(native, SR))
    np.testing.assert_array_equal(ak.rms(big, SR)["rms"], ak.rms(native, SR)["rms"])
    np.testing.assert_array_equal(ak.f0(big, SR).f0, ak.f0(native, SR).f0)
    assert ak.voice_quality(big, SR).equals(ak.voice_quality(native, SR))
    np.testing.assert_array_equal(ak.egemaps(big, SR), ak.egemaps(native, SR))
    np.testing.assert_array_equal(ak.resample(big, SR, 8000), ak.resample(native, SR, 8000))


def test_big_endian_matrices_are_converted():
    lm = np.stack([_landmarks()] * 3)
    np.testing.assert_array_equal(ak.face.geometry(lm.astype(">f8")), ak.face.geometry(lm))
    np.testing.assert_array_equal(ak.face.head_pose(lm.astype(">f8"), image_size=(640, 480)),
                                  ak.face.head_pose(lm, image_size=(640, 480)))
    g = ak.face.geometry(lm)
    np.testing.assert_array_equal(ak.face.dynamics(g.astype(">f8"), fps=30).velocity,
                                  ak.face.dynamics(g, fps=30).velocity)
    fb, fn = ak.functionals(g.astype(">f8")), ak.functionals(g)
    assert fb.keys() == fn.keys()
    for k in fn:
        np.testing.assert_array_equal(fb[k], fn[k])
    r = np.array([[1.0, 2.0, np.nan], [2.0, 2.0, 3.0], [1.0, 1.0, 3.0]])
    assert ak.labels.krippendorff_alpha(r.astype(">f8"), level="interval") == ak.labels.krippendorff_alpha(
        r, level="interval")


@pytest.mark.parametrize("kwargs,name", [(dict(frame_length=-1), "frame_length"), (dict(hop_length=-1), "hop_length"),
                                         (dict(hop_length=2**70), "hop_length"), (dict(frame_length=2.5), "frame_length")])
def test_negative_or_huge_sizes_are_parameter_errors(kwargs, name):
    with pytest.raises(ak.ParameterError, match=f"^{name}: "):
        ak.rms(Y, SR, **kwargs)


@pytest.mark.parametrize("key", ["hnr_time_step", "hnr_minimum_pitch", "hnr_periods_per_window"])
def test_voice_quality_errors_name_the_hnr_keyword(key):
    with pytest.raises(ak.ParameterError, match=f"^{key}: "):
        ak.voice_quality(VOICED, SR, **{key: 0})


def test_a_tiny_hnr_time_step_names_it():
    o = isolated(ak.voice_quality, VOICED, SR, hnr_time_step=1e-15)
    assert_raises_in_child(o, ak.ParameterError, "hnr_time_step")


# ---------------------------------------------------------------- phase B: leftovers and the CLI


def test_kaldi_frame_length_beyond_the_ceiling_names_frame_length():
    o = isolated(ak.mfcc, Y, SR, preset="kaldi", frame_length=2**62)
    assert_raises_in_child(o, ak.ParameterError, "frame_length")
    assert "n_fft" not in o.message


@pytest.mark.parametrize("n_jobs", [2**63, 2**64, 10**30])
def test_n_jobs_beyond_64_bits_is_capped_not_an_overflow_error(n_jobs):
    with pytest.warns(UserWarning, match="n_jobs"):
        out = ak.mfcc_batch([Y, Y], SR, n_jobs=n_jobs)
    assert len(out) == 2
    with pytest.warns(UserWarning, match="n_jobs"):
        assert ak._core.resolve_n_jobs(n_jobs) >= 1


def test_n_jobs_far_below_minus_one_counts_as_joblib_does():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert ak._core.resolve_n_jobs(-(2**70)) == 1
    with pytest.raises(ak.ParameterError, match="n_jobs"):
        ak._core.resolve_n_jobs(0)
    with pytest.raises(ak.ParameterError, match="n_jobs: must be a whole number"):
        ak.mfcc_batch([Y], SR, n_jobs=1.5)


def test_extract_on_a_folder_with_one_poisoned_file_reports_it_and_carries_on(tmp_path):
    """Observation 2: a WAV whose sample-rate field is 0xFFFFFFFE aborted `affectkit extract`
    (exit 134, the whole batch lost). Now that file is reported and the others are written."""
    import soundfile as sf

    for k in range(3):
        sf.write(tmp_path / f"good{k}.wav", VOICED[: SR // 2] * 0.5, SR)
    write(tmp_path, "poisoned.wav", wav_bytes(sr=0xFFFFFFFE))
    out = tmp_path / "feats.csv"
    p = subprocess.run([sys.executable, "-m", "affectkit", "extract", str(tmp_path), "-o", str(out),
                        "--features", "mfcc"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "poisoned.wav" in p.stderr and "Traceback" not in p.stderr, p.stderr
    import pandas as pd

    table = pd.read_csv(out)
    assert len(table) == 3
