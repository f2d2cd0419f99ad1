"""Decoding WAV/FLAC of every supported sample format, resampling, and bad files."""

import numpy as np
import pytest

import affectkit as ak
from references import reference

sf = reference("soundfile")  # imported by the tests that use it

SR = 16000
WAV_SUBTYPES = ["PCM_U8", "PCM_16", "PCM_24", "PCM_32", "FLOAT", "DOUBLE"]
FLAC_SUBTYPES = ["PCM_S8", "PCM_16", "PCM_24"]


def _content(n_channels, n=4000, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n) / SR
    chans = [0.4 * np.sin(2 * np.pi * (220 + 110 * c) * t) + 0.05 * rng.standard_normal(n) for c in range(n_channels)]
    return np.stack(chans, axis=1)


@pytest.mark.parametrize("channels", [1, 2, 6])
@pytest.mark.parametrize("fmt,subtype", [("WAV", s) for s in WAV_SUBTYPES] + [("FLAC", s) for s in FLAC_SUBTYPES])
def test_decodes_like_libsndfile(tmp_path, fmt, subtype, channels):
    path = tmp_path / f"x_{subtype}.{fmt.lower()}"
    sf.write(path, _content(channels), SR, subtype=subtype, format=fmt)
    ref, sr_ref = sf.read(path, dtype="float64", always_2d=True)
    y, sr = ak.load(path, mono=False)
    assert sr == sr_ref == SR
    assert y.dtype == np.float32 and y.shape == ref.shape
    np.testing.assert_allclose(y, ref, atol=1e-7)
    mono, _ = ak.load(path)
    np.testing.assert_allclose(mono, ref.mean(axis=1), atol=1e-6)


def test_offset_and_duration(tmp_path):
    path = tmp_path / "x.wav"
    x = _content(1, n=16000)[:, 0]
    sf.write(path, x, SR, subtype="FLOAT")
    y, _ = ak.load(path, offset=0.25, duration=0.5)
    np.testing.assert_allclose(y, x[4000:12000], atol=1e-7)
    y, _ = ak.load(path, offset=0.9)
    assert len(y) == 1600
    y, _ = ak.load(path, offset=2.0)
    assert len(y) == 0


def test_bundled_samples_load_and_resample():
    paths = ak.datasets.sample_paths()
    assert len(paths) == 5
    y, sr = ak.load(paths[0])
    assert sr == 16000 and y.ndim == 1 and abs(len(y) / sr - 7.1) < 0.01
    y8, sr8 = ak.load(paths[0], sr=8000)
    assert sr8 == 8000 and len(y8) == (len(y) + 1) // 2


@pytest.mark.parametrize("pair", [(44100, 16000), (48000, 16000), (22050, 16000), (8000, 16000), (16000, 22050)])
def test_resampler_snr_on_a_sweep(pair):
    """SNR against the analytic sweep; soxr_hq's is in the table of docs/frontend.md."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[2] / "benches" / "python"))
    from resampler_quality import snr_db, sweep

    sr_in, sr_out = pair
    f1 = 0.45 * min(pair)
    y = ak.resample(sweep(sr_in, f1).astype(np.float32), sr_in, sr_out)
    ideal = sweep(sr_out, f1)
    assert len(y) == len(ideal)
    assert snr_db(y, ideal, sr_out) > 75.0


def test_resample_matches_soxr_length_and_alignment():
    soxr = pytest.importorskip("soxr")
    x = np.random.default_rng(0).standard_normal(44100) * 0.1
    # low-pass content so both resamplers should agree closely
    x = np.convolve(x, np.hanning(64) / 32, mode="same")
    ours = ak.resample(x, 44100, 16000)
    hq = soxr.resample(x, 44100, 16000, quality="HQ")
    assert len(ours) == len(hq)
    inner = slice(200, -200)
    assert np.max(np.abs(ours[inner] - hq[inner])) < 1e-3 * np.max(np.abs(hq))


# ------------------------------------------------------------------ bad files


def test_missing_file_names_it(tmp_path):
    with pytest.raises(ak.AudioLoadError, match="nope.wav"):
        ak.load(tmp_path / "nope.wav")
    with pytest.raises(OSError):
        ak.load(tmp_path / "nope.wav")


@pytest.mark.parametrize("fmt,subtype", [("WAV", "PCM_16"), ("WAV", "PCM_24"), ("FLAC", "PCM_16")])
def test_truncated_file_is_an_error(tmp_path, fmt, subtype):
    path = tmp_path / f"cut.{fmt.lower()}"
    sf.write(path, _content(2, n=16000), SR, subtype=subtype, format=fmt)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ak.AudioLoadError, match="cut"):
        ak.load(path)


def test_corrupt_and_non_audio_files(tmp_path):
    junk = tmp_path / "junk.wav"
    junk.write_bytes(np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes())
    with pytest.raises(ak.AudioLoadError, match="junk.wav"):
        ak.load(junk)
    text = tmp_path / "notes.txt"
    text.write_text("not audio")
    with pytest.raises(ak.AudioLoadError, match="notes.txt"):
        ak.load(text)
    with pytest.raises(ak.AudioLoadError, match="directory"):
        ak.load(tmp_path)
    header_only = tmp_path / "header.wav"
    sf.write(header_only, np.zeros(1000), SR)
    header_only.write_bytes(header_only.read_bytes()[:30])
    with pytest.raises(ak.AudioLoadError):
        ak.load(header_only)


def test_bad_load_arguments(tmp_path):
    path = tmp_path / "x.wav"
    sf.write(path, np.zeros(100), SR)
    with pytest.raises(ak.ParameterError, match="offset"):
        ak.load(path, offset=-1)
    with pytest.raises(ak.ParameterError, match="sr"):
        ak.load(path, sr=0)
    with pytest.raises(ak.ParameterError, match="duration"):
        ak.load(path, duration=float("nan"))
