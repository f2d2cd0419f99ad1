"""One shape of result (issue 16): contours are :class:`ak.Contour`, per-clip summaries a
Series for one clip and a DataFrame with the same columns for a batch."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import affectkit as ak
import affectkit.features as F

SR = 16000
T = np.arange(SR) / SR
VOICED = (0.3 * np.sin(2 * np.pi * 150 * T) + 0.01 * np.random.default_rng(0).standard_normal(SR)).astype(np.float32)

CONTOURS = {
    "f0": (lambda y: ak.f0(y, SR, method="yin"), ("f0", "voiced", "periodicity")),
    "intensity": (lambda y: ak.intensity(y, SR), ("intensity_db",)),
    "formants": (lambda y: ak.formants(y, SR), ak.FORMANT_NAMES),
    "harmonicity": (lambda y: ak.harmonicity(y, SR), ("hnr_db",)),
    "rms": (lambda y: ak.rms(y, SR), ("rms",)),
    "loudness": (lambda y: ak.loudness(y, SR), ("Loudness_sma3",)),
}


@pytest.mark.parametrize("name", sorted(CONTOURS))
def test_every_contour_function_returns_a_contour(name):
    func, names = CONTOURS[name]
    c = func(VOICED)
    assert isinstance(c, ak.Contour)
    assert c.names == tuple(names)
    assert c.values.shape == (len(c), len(names)) and c.values.dtype == np.float64
    assert c.times.shape == (len(c),) and np.all(np.diff(c.times) > 0)
    np.testing.assert_array_equal(c[names[0]], c.values[:, 0])
    frame = c.to_frame()
    assert list(frame.columns) == list(names) and frame.index.name == "time"
    np.testing.assert_array_equal(frame.index.to_numpy(), c.times)
    np.testing.assert_array_equal(np.asarray(c), c.values)
    assert repr(c).startswith(f"<{type(c).__name__}") and names[0] in repr(c)


def test_a_contour_is_not_a_tuple():
    c = ak.intensity(VOICED, SR)
    with pytest.raises(TypeError, match="not a tuple"):
        db, times = c
    with pytest.raises(TypeError, match="indexed by column name"):
        c[0]
    with pytest.raises(KeyError, match="intensity_db"):
        c["db"]
    with pytest.raises(ak.ParameterError, match="names"):
        ak.Contour(np.zeros((3, 2)), np.arange(3.0), ("a",))
    with pytest.raises(ak.ParameterError, match="times"):
        ak.Contour(np.zeros((3, 1)), np.arange(4.0), ("a",))


def test_f0_result_is_a_contour_with_its_old_attributes():
    tr = ak.f0(VOICED, SR, method="pyin")
    assert isinstance(tr, ak.Contour) and tr.names == ("f0", "voiced", "voiced_prob")
    assert tr.voiced.dtype == bool and tr.voiced[5:-5].all()
    np.testing.assert_array_equal(tr.prob, tr["voiced_prob"])
    assert ak.f0(VOICED, SR, method="praat").names[2] == "strength"
    assert tr.to_frame()["voiced"].dtype == bool


def test_contours_with_a_registry_name_carry_its_settings():
    tr = ak.f0(VOICED, SR, method="yin", fmax=400.0)
    want = F.settings("f0", sr=SR, pool=None, method="yin", fmax=400.0)
    assert ak.settings.differences(want, tr.to_frame().attrs["affectkit"]) == []
    assert ak.settings.of(tr) == tr.settings
    [b] = ak.f0_batch([VOICED], SR, method="yin", fmax=400.0)
    assert b.settings == tr.settings
    fm = ak.formants(VOICED, SR, maximum_formant=5000.0)
    assert ak.settings.differences(F.settings("formants", sr=SR, pool=None, formants={"maximum_formant": 5000.0}),
                                   fm.settings) == []
    assert ak.intensity(VOICED, SR).settings is None
    assert "affectkit" not in ak.intensity(VOICED, SR).to_frame().attrs
    [fb] = ak.formants_batch([VOICED], SR, maximum_formant=5000.0)
    np.testing.assert_array_equal(fb.values, fm.values)
    assert fb.settings == fm.settings


@pytest.mark.parametrize("kind,names", [("prosody", ak.PROSODY_NAMES), ("voice_quality", ak.VOICE_QUALITY_NAMES)])
def test_summaries_are_a_row_for_one_clip_and_a_table_for_a_batch(kind, names):
    one = getattr(ak, kind)(VOICED, SR, pitch_floor=100.0)
    batch = getattr(ak, kind + "_batch")([VOICED, VOICED[: SR // 2]], SR, pitch_floor=100.0)
    assert isinstance(one, pd.Series) and list(one.index) == list(names)
    assert isinstance(batch, pd.DataFrame) and list(batch.columns) == list(names) and len(batch) == 2
    pd.testing.assert_series_equal(batch.iloc[0], one, check_names=False)
    rec = F.settings(kind, sr=SR, pool=None, **{kind: {"pitch_floor": 100.0}})
    assert ak.settings.differences(rec, one.attrs["affectkit"]) == []
    assert ak.settings.differences(rec, batch.attrs["affectkit"]) == []


def test_egemaps_as_frame_is_a_row_for_one_clip_and_a_table_for_a_batch():
    one = ak.egemaps(VOICED, SR, as_frame=True)
    batch = ak.egemaps_batch([VOICED, VOICED], SR, as_frame=True)
    assert isinstance(one, pd.Series) and list(one.index) == list(ak.EGEMAPS_FUNCTIONALS)
    assert isinstance(batch, pd.DataFrame) and list(batch.columns) == list(one.index)
    np.testing.assert_array_equal(batch.iloc[1].to_numpy(), one.to_numpy())
    assert batch.attrs["affectkit"] == one.attrs["affectkit"]
    [lld] = ak.egemaps_batch([VOICED], SR, level="lld", as_frame=True)
    pd.testing.assert_frame_equal(lld, ak.egemaps(VOICED, SR, level="lld", as_frame=True))
