"""One pooling vocabulary (issue 16): audio pooling, face windows and ``ak.functionals`` share
names and one implementation."""

from __future__ import annotations

import numpy as np
import pytest

import affectkit as ak

RNG = np.random.default_rng(4)


def test_the_vocabularies_are_one():
    assert ak.face.WINDOW_FUNCTIONALS is ak.audio.POOLING_STATS
    assert set(ak.audio.POOLING_STATS) >= {"mean", "std", "min", "max", "median", "range", "iqr"}
    x = RNG.standard_normal(50)
    # eGeMAPS' names are aliases of the same statistics
    f = ak.functionals(x, which=("mean", "amean", "std", "stddev"))
    assert f["mean"] == f["amean"] and f["std"] == f["stddev"]


@pytest.mark.parametrize("skipna", [False, True])
def test_pool_frames_is_functionals(skipna):
    x = RNG.standard_normal((40, 3))
    x[5, 1] = np.nan
    stats = ak.audio.POOLING_STATS
    got = ak.audio.pool_frames(x, stats, skipna=skipna).reshape(len(stats), 3)
    f = ak.functionals(x, which=stats)
    for k, s in enumerate(stats):
        want = f[s].copy()
        if not skipna:
            want[1] = np.nan  # a NaN frame makes its column NaN, as np.mean
        np.testing.assert_array_equal(got[k], want)
    # NumPy's definitions (std divides by N, linear-interpolated quantiles)
    np.testing.assert_allclose(got[stats.index("iqr"), [0, 2]],
                               np.subtract(*np.percentile(x[:, [0, 2]], [75, 25], axis=0)), rtol=1e-12)
    np.testing.assert_allclose(got[stats.index("std"), [0, 2]], x[:, [0, 2]].std(axis=0), rtol=1e-12)


def test_pool_frames_edges():
    assert ak.audio.pool_frames(np.ones((4, 2), np.float32), ("mean",)).dtype == np.float32
    assert np.isnan(ak.audio.pool_frames(np.empty((0, 2)), ("mean", "iqr"))).all()
    with pytest.raises(ak.ParameterError, match="kurtosis"):
        ak.audio.pool_frames(np.ones((3, 2)), ("mean", "kurtosis"))
    with pytest.raises(ak.ParameterError, match="frames"):
        ak.audio.pool_frames(np.ones(3), ("mean",))


def test_face_geometry_pools_with_the_same_statistics():
    ref = np.asarray(ak.face.REFERENCE_SHAPE_3D)[:, :2]
    lm = ref[None] + 0.01 * RNG.standard_normal((30,) + ref.shape)
    tr = ak.face.FaceGeometry(pooling=("median", "iqr"))
    row = tr.fit_transform([lm])[0]
    g = ak.face.geometry(lm)
    np.testing.assert_array_equal(row, ak.audio.pool_frames(g, ("median", "iqr"), skipna=True))


def test_feature_tables_pool_with_the_whole_vocabulary():
    rec = ak.features.settings("mfcc", pool=("median", "iqr"))
    assert rec["pool"] == ["median", "iqr"]
