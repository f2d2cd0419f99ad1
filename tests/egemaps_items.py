"""Items for the eGeMAPS / GeMAPS parity with openSMILE: real human speech only.

The item list (no synthetic or espeak items):

- ``speech_clips()``: the 5 bundled LibriVox clips (python/affectkit/data/samples) and the
  2 CMU clips (tests/data), at 16 kHz;
- ``chunks()``: their consecutive 2.5 s chunks (40000 samples);
- ``debian_clips()``: the other real recordings of Debian's ``pocketsphinx-testdata``
  package when it is installed (cards 002-004, goforward, numbers, something, a tidigits
  file; 16 kHz raw or wav);
- ``band_limited(y)``: real speech resampled 16 -> 8 -> 16 kHz (telephone band);
- ``telephone_clips(n)``: native 8 kHz telephone speech, the IVR prompts of Debian's
  ``asterisk-core-sounds-{en,fr,it,ru}-wav`` (four speakers, three female), the ``n``
  longest files per speaker upsampled to 16 kHz with ``ak.resample`` (empty when
  /usr/share/asterisk/sounds is absent);
- ``upsampled(y, sr)``: real speech at 44.1 / 48 kHz (openSMILE analyses it at that rate,
  affectkit resamples to 16 kHz; the difference is measured, not asserted).

``items(kind)`` builds a named list; tests/audio/test_egemaps.py asserts the bounds on
``items("test")`` (the bundled clips and chunks, always available), and
benches/python/egemaps_parity.py reports every kind.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

SR = 16000
DATA = Path(__file__).parent / "data"
POCKETSPHINX = Path("/usr/share/pocketsphinx/test/data")
ASTERISK = Path("/usr/share/asterisk/sounds")
TELEPHONE_SPEAKERS = ("en_US_f_Allison", "fr_CA_f_June", "it_IT_m_Carlo", "ru_RU_f_IvrvoiceRU")


def speech_clips():
    """The 5 LibriVox clips and the 2 CMU clips at 16 kHz, float32."""
    import affectkit as ak

    paths = list(ak.datasets.sample_paths()) + sorted(DATA.glob("cmu_cards_*.wav"))
    return [(Path(p).stem, ak.load(p, sr=SR)[0]) for p in paths]


def debian_clips():
    """Real recordings of Debian's pocketsphinx-testdata not bundled here (empty when the
    package is not installed)."""
    import affectkit as ak

    out = []
    for k in (2, 3, 4):
        p = POCKETSPHINX / "cards" / f"00{k}.wav"
        if p.exists():
            out.append((f"cards_00{k}", ak.load(p, sr=SR)[0]))
    for name in ("goforward.raw", "numbers.raw", "something.raw", "tidigits/dhd.2934z.raw"):
        p = POCKETSPHINX / name
        if p.exists():
            pcm = np.fromfile(p, dtype="<i2")
            out.append((Path(name).stem, (pcm / 32768.0).astype(np.float32)))
    return out


def chunks(y, seconds=2.5):
    n = int(seconds * SR)
    return [y[i:i + n] for i in range(0, len(y) - n + 1, n)]


def band_limited(y):
    """16 -> 8 -> 16 kHz: the telephone band. Scaled down when the resampler's ringing
    would pass full scale (openSMILE's wrapper wraps such samples around int16)."""
    import affectkit as ak

    return below_full_scale(ak.resample(ak.resample(np.asarray(y, np.float32), SR, 8000), 8000, SR))


def below_full_scale(y):
    """``y`` scaled to a 0.99 peak where a resampler's ringing passed full scale
    (openSMILE's wrapper wraps such samples around int16), else unchanged."""
    peak = float(np.max(np.abs(y))) if len(y) else 0.0
    return y * (0.99 / peak) if peak >= 1.0 else y


def upsampled_8k(path):
    """A native 8 kHz recording at 16 kHz: ``ak.resample``, kept below full scale."""
    import affectkit as ak

    y, sr = ak.load(path, sr=None)
    return below_full_scale(ak.resample(y, sr, SR))


def telephone_clips(n=20):
    """The ``n`` longest IVR prompts (by file size) of each of the four asterisk speakers,
    8 kHz wav upsampled to 16 kHz with ``ak.resample`` and scaled down where the
    resampler's ringing would pass full scale; ``[]`` when the packages are not installed."""
    out = []
    for speaker in TELEPHONE_SPEAKERS:
        d = ASTERISK / speaker
        if not d.is_dir():
            continue
        paths = sorted(d.glob("*.wav"), key=lambda p: (-p.stat().st_size, p.name))[:n]
        out += [(f"{speaker}/{p.stem}", upsampled_8k(p)) for p in paths]
    return out


def bundled_telephone_clips():
    """The four native 8 kHz telephone prompts bundled in tests/data/telephone (one per
    asterisk speaker, about 7.5 s each), upsampled to 16 kHz with ``ak.resample`` as
    ``telephone_clips`` does."""
    return [(p.stem, upsampled_8k(p)) for p in sorted((DATA / "telephone").glob("asterisk_*.wav"))]


def with_chunks(clips):
    out = list(clips)
    for name, y in clips:
        out += [(f"{name}_chunk{k}", c) for k, c in enumerate(chunks(y))]
    return out


def items(kind="test"):
    """(name, signal at 16 kHz) pairs of real speech.

    ``"test"``: the 7 bundled clips and their 2.5 s chunks (16 items); ``"all"``: those,
    the Debian recordings and their chunks; ``"band"``: the ``"all"`` clips band-limited;
    ``"tel"``: ``telephone_clips()`` (80 items when the asterisk sounds are installed);
    ``"tel_test"``: the 4 bundled telephone prompts and their 2.5 s chunks (16 items).
    """
    if kind == "test":
        return with_chunks(speech_clips())
    if kind == "tel_test":
        return with_chunks(bundled_telephone_clips())
    if kind == "tel":
        return telephone_clips()
    clips = speech_clips() + debian_clips()
    if kind == "all":
        return with_chunks(clips)
    if kind == "band":
        return [(f"{n}_8k", band_limited(y)) for n, y in clips]
    raise ValueError(f"kind: expected 'test', 'all', 'band', 'tel' or 'tel_test', got {kind!r}")


def opensmile_rows(signals, sr=SR, version="v02", level="functionals"):
    """openSMILE's eGeMAPSv02 / GeMAPSv01b rows for each signal and the column names."""
    import pytest

    opensmile = pytest.importorskip("opensmile")

    fs = opensmile.FeatureSet.eGeMAPSv02 if version == "v02" else opensmile.FeatureSet.GeMAPSv01b
    lv = opensmile.FeatureLevel.Functionals if level == "functionals" else opensmile.FeatureLevel.LowLevelDescriptors
    smile = opensmile.Smile(feature_set=fs, feature_level=lv)
    rows = [smile.process_signal(y, sr) for y in signals]
    return [r.values for r in rows], list(rows[0].columns)


def opensmile_functionals(signals, sr=SR, version="v02"):
    """openSMILE functionals, `(n_items, n)`, and the column names."""
    rows, cols = opensmile_rows(signals, sr, version)
    return np.vstack(rows), cols


def pearson_per_column(a, b):
    """Pearson r of each column over the rows where both are finite (NaN if < 3 rows or
    a constant column)."""
    out = np.full(a.shape[1], np.nan)
    for j in range(a.shape[1]):
        ok = np.isfinite(a[:, j]) & np.isfinite(b[:, j])
        if ok.sum() >= 3 and np.std(a[ok, j]) > 0 and np.std(b[ok, j]) > 0:
            out[j] = np.corrcoef(a[ok, j], b[ok, j])[0, 1]
    return out


def median_relative_difference(a, b):
    """Per column: median over items of |a - b| / max(|b|, 0.05 x the spread of b across
    items) (the issue's 1 % criterion)."""
    spread = np.nanmax(b, axis=0) - np.nanmin(b, axis=0)
    out = np.full(a.shape[1], np.nan)
    for j in range(a.shape[1]):
        ok = np.isfinite(a[:, j]) & np.isfinite(b[:, j])
        if ok.any():
            out[j] = np.median(np.abs(a[ok, j] - b[ok, j]) / np.maximum(np.abs(b[ok, j]), 0.05 * spread[j] + 1e-300))
    return out
