"""The settings record (affectkit.settings): comparison, the mismatch error, storage."""

import warnings

import pandas as pd
import pytest

import affectkit as ak
from affectkit import settings as S


def _rec(**kw):
    base = {"mfcc": {"preset": "librosa", "n_mfcc": 20}}
    base["mfcc"].update(kw)
    return S.make(base, sr=16000, pool=("mean", "std"))


def test_compatible_records_have_no_differences_and_version_is_not_compared():
    a, b = _rec(), _rec()
    b["affectkit_version"] = "9.9.9"
    b["audio"] = {"upsampled": ["x"]}
    assert S.differences(a, b) == []
    assert S.check(a, b) == []


def test_every_compared_field_is_reported():
    a = _rec()
    b = S.make({"mfcc": {"preset": "kaldi", "n_mfcc": 13}}, sr=8000, pool=("mean",))
    d = S.differences(a, b)
    assert "sample rate 16000 vs 8000" in d
    assert any(x.startswith("pooling") for x in d)
    assert "mfcc: preset 'librosa' vs 'kaldi'" in d and "mfcc: n_mfcc 20 vs 13" in d
    c = S.make({"mfcc": {"preset": "librosa", "n_mfcc": 20}}, sr=16000, pool=("mean", "std"),
               definitions={"mfcc": 2})
    assert S.differences(a, c) == ["mfcc: definition version 1 vs 2"]
    assert S.differences(a, S.make({"egemaps": {}}, sr=16000, pool=("mean", "std"))) == [
        "mfcc: missing (has egemaps)"]


def test_only_the_expected_features_are_compared():
    model = S.make({"egemaps": {}}, sr=16000, pool=("mean", "std"))
    table = S.make({"egemaps": {}, "mfcc": {"preset": "kaldi"}}, sr=16000, pool=("mean", "std"))
    assert S.differences(model, table) == []


def test_check_names_both_sides_and_the_override_warns():
    a, b = _rec(), _rec(preset="kaldi")
    with pytest.raises(ak.SettingsMismatchError, match=r"test\.csv .* model\.ak: mfcc: preset 'librosa' vs 'kaldi'"):
        S.check(a, b, expected_name="model.ak", got_name="test.csv")
    assert issubclass(ak.SettingsMismatchError, ValueError)
    with S.allow_mismatch(), pytest.warns(UserWarning, match="other feature settings"):
        assert S.check(a, b)
    with pytest.raises(ak.SettingsMismatchError):  # the override ends with its block
        S.check(a, b)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert S.check(None, b) == [] and S.check(a, None) == []  # no record: nothing to compare


def test_records_travel_in_attrs_sidecars_and_parquet(tmp_path):
    rec = _rec()
    df = S.attach(pd.DataFrame({"mfcc_mean_0": [1.0, 2.0]}), rec)
    assert S.of(df) == rec and S.of(df[["mfcc_mean_0"]]) == rec
    side = S.write_sidecar(tmp_path / "t.csv", rec)
    assert side.name == "t.csv.json" and S.read_sidecar(tmp_path / "t.csv") == rec
    assert S.read_sidecar(tmp_path / "other.csv") is None
    side.write_text("{not json")
    with pytest.raises(ak.ReadError, match="t.csv.json"):
        S.read_sidecar(tmp_path / "t.csv")
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    t = pa.Table.from_pandas(df).replace_schema_metadata({b"affectkit": S.to_json(rec).encode()})
    pq.write_table(t, tmp_path / "t.parquet")
    assert S.read_file_settings(tmp_path / "t.parquet") == rec


def test_settings_must_be_plain_data():
    with pytest.raises(ak.ParameterError, match="mfcc"):
        S.make({"mfcc": {"window": object()}}, sr=16000)
    assert S.make({"mfcc": {"fmin": float("nan")}}, sr=16000)["features"]["mfcc"]["params"]["fmin"] == "nan"
