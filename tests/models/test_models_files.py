"""Model files (format version 3): a checksum over header and weights, shape bounds checked
against the file size, and every damaged or malformed file a ReadError naming the file."""

import json
import struct
import zlib

import numpy as np
import pytest

import affectkit as ak
from affectkit.errors import ReadError

MAGIC = b"AFFECTKIT-MODEL\n"


def _split(data):
    """(header dict, payload bytes) of a model file."""
    assert data.startswith(MAGIC)
    (n,) = struct.unpack("<Q", data[16:24])
    return json.loads(data[24:24 + n]), data[24 + n:-4]


def _join(header, payload):
    """A model file with a valid checksum: what a deliberate (or buggy) writer produces."""
    text = json.dumps(header, separators=(",", ":")).encode()
    body = MAGIC + struct.pack("<Q", len(text)) + text + payload
    return body + struct.pack("<I", zlib.crc32(body))


def _edit_metadata(data, edit):
    header, payload = _split(data)
    extra = json.loads(header["extra"])
    edit(extra)
    header["extra"] = json.dumps(extra)
    return _join(header, payload)


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 5))
    y = np.where(X[:, 0] > 0, "happy", "sad")
    path = tmp_path_factory.mktemp("models") / "ser.akm"
    clf = ak.EmotionClassifier((8,), max_epochs=5, random_state=0).fit(X, y)
    clf.save(path)
    return path, path.read_bytes(), X, clf


def test_layout_and_checksum_are_as_documented(saved):
    path, data, X, clf = saved
    header, payload = _split(data)
    assert header["format_version"] == 3 and header["kind"] == "mlp"
    assert header["payload_len"] == len(payload)
    assert struct.unpack("<I", data[-4:])[0] == zlib.crc32(data[:-4])
    assert header["spec"]["n_inputs"] == 5
    # re-signing an unchanged file gives the same bytes
    assert _join(header, payload) == data


def _load_error(tmp_path, data, name="bad.akm"):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(ReadError) as e:
        ak.load_model(p)
    msg = str(e.value)
    assert msg.startswith(str(p)), msg
    assert "\n" not in msg
    return msg


def test_flipped_bytes_anywhere_are_read_errors_naming_the_file(saved, tmp_path):
    path, data, X, clf = saved
    header_end = 24 + struct.unpack("<Q", data[16:24])[0]
    meta_at = data.index(b"classes_")
    positions = {"header": 40, "metadata": meta_at + 3, "weights": header_end + (len(data) - header_end) // 2,
                 "last weight byte": len(data) - 5, "checksum": len(data) - 2}
    for where, i in positions.items():
        bad = bytearray(data)
        bad[i] ^= 0x01
        msg = _load_error(tmp_path, bytes(bad))
        assert "checksum mismatch" in msg or "malformed" in msg or "unreadable" in msg, (where, msg)
    # every single-bit flip in the weights is caught (the old format loaded 134 of them)
    rng = np.random.default_rng(1)
    for i in rng.integers(header_end, len(data) - 4, 20):
        bad = bytearray(data)
        bad[i] ^= 1 << int(rng.integers(0, 8))
        assert "checksum mismatch" in _load_error(tmp_path, bytes(bad))


def test_truncated_extended_and_foreign_files(saved, tmp_path):
    path, data, X, clf = saved
    for cut in (3, 20, 100, len(data) // 2, len(data) - 1):
        msg = _load_error(tmp_path, data[:cut])
        assert "truncated" in msg or "not an affectkit model file" in msg, msg
    assert "checksum" in _load_error(tmp_path, data + b"\0")
    assert "not an affectkit model file" in _load_error(tmp_path, b"PK\x03\x04" + data[4:])
    assert "not an affectkit model file" in _load_error(tmp_path, b"")


def test_other_format_versions_name_both_versions(saved, tmp_path):
    path, data, X, clf = saved
    header, payload = _split(data)
    for version, advice in ((2, "retrain"), (1, "retrain"), (4, "read it with the affectkit version that wrote it")):
        old = dict(header, format_version=version)
        msg = _load_error(tmp_path, _join(old, payload))
        assert f"format version {version}" in msg and "(format version 3)" in msg and advice in msg, msg
    # a real version-2 file (no payload_len, no checksum) names its version too
    v2 = dict(header, format_version=2)
    del v2["payload_len"]
    text = json.dumps(v2).encode()
    msg = _load_error(tmp_path, MAGIC + struct.pack("<Q", len(text)) + text + payload)
    assert "format version 2" in msg


def test_a_header_claiming_a_huge_network_is_refused_before_allocating(saved, tmp_path):
    path, data, X, clf = saved
    header, payload = _split(data)
    for n in (10**12, 2**64 - 1):
        huge = dict(header, spec=dict(header["spec"], n_inputs=n))
        msg = _load_error(tmp_path, _join(huge, payload))
        assert "needs" in msg and "bytes of weights" in msg, msg
    wide = dict(header, spec=dict(header["spec"], hidden=[2**40]))
    assert "bytes of weights" in _load_error(tmp_path, _join(wide, payload))
    assert "truncated" in _load_error(tmp_path, _join(dict(header, payload_len=10**15), payload))
    assert "payload_len" in _load_error(tmp_path, _join(dict(header, payload_len=len(payload) - 1), payload))


@pytest.mark.parametrize("damage", [
    "header not json", "header missing key", "header wrong type", "spec wrong type",
    "metadata not json", "metadata missing key", "metadata wrong type", "classes do not fit",
    "unknown estimator", "scaling of another width", "settings not a record", "history wrong type",
])
def test_malformed_header_or_metadata_with_a_valid_checksum(saved, tmp_path, damage):
    path, data, X, clf = saved
    header, payload = _split(data)
    if damage == "header not json":
        text = b"{not json"
        body = MAGIC + struct.pack("<Q", len(text)) + text + payload
        bad = body + struct.pack("<I", zlib.crc32(body))
    elif damage == "header missing key":
        bad = _join({k: v for k, v in header.items() if k != "kind"}, payload)
    elif damage == "header wrong type":
        bad = _join(dict(header, payload_len="many"), payload)
    elif damage == "spec wrong type":
        bad = _join(dict(header, spec=dict(header["spec"], hidden="wide")), payload)
    elif damage == "metadata not json":
        bad = _join(dict(header, extra="{oops"), payload)
    elif damage == "metadata missing key":
        bad = _edit_metadata(data, lambda m: m.pop("history"))
    elif damage == "metadata wrong type":
        bad = _edit_metadata(data, lambda m: m["fitted"].update(classes_dtype=7))
    elif damage == "classes do not fit":
        bad = _edit_metadata(data, lambda m: m["fitted"].update(classes_=["a", "b", "c"]))
    elif damage == "unknown estimator":
        bad = _edit_metadata(data, lambda m: m.update(estimator="os.system"))
    elif damage == "scaling of another width":
        bad = _edit_metadata(data, lambda m: m["fitted"].update(input_mean_=[0.0, 1.0]))
    elif damage == "settings not a record":
        bad = _edit_metadata(data, lambda m: m["fitted"].update(feature_settings_=[1, 2]))
    else:
        bad = _edit_metadata(data, lambda m: m["history"].update(loss_curve_=None))
    _load_error(tmp_path, bad)


def test_bundles_are_checked_part_by_part(tmp_path):
    rng = np.random.default_rng(2)
    X = {"audio": rng.normal(size=(60, 3)), "face": rng.normal(size=(60, 2))}
    y = np.arange(60) % 2
    path = tmp_path / "mm.akm"
    ak.MultimodalClassifier(ak.EmotionClassifier((4,), max_epochs=3)).fit(X, y).save(path)
    data = path.read_bytes()
    header, payload = _split(data)
    assert header["kind"] == "bundle" and [p["name"] for p in header["spec"]] == ["audio", "face"]
    # each part is a complete file with its own checksum
    first = payload[:header["spec"][0]["len"]]
    assert first.startswith(MAGIC) and struct.unpack("<I", first[-4:])[0] == zlib.crc32(first[:-4])
    # a part damaged inside a re-signed bundle is still caught by the part's checksum
    bad = bytearray(payload)
    bad[len(first) // 2] ^= 1
    assert "checksum mismatch" in _load_error(tmp_path, _join(header, bytes(bad)))
    index = [dict(p, len=p["len"] + 5) for p in header["spec"]]
    assert "bundle index" in _load_error(tmp_path, _join(dict(header, spec=index), payload))
    swapped = _edit_metadata(data, lambda m: m["wrapper"]["fitted"].update(n_features_={"audio": 2, "face": 3}))
    _load_error(tmp_path, swapped)
    renamed = _edit_metadata(data, lambda m: m["wrapper"].update(estimator="Pipeline"))
    assert "unknown model kind" in _load_error(tmp_path, renamed)


def test_pickled_networks_are_checked_too(saved):
    path, data, X, clf = saved
    state = clf.network_.__reduce__()[1][0]
    bad = bytearray(state)
    bad[len(bad) // 2] ^= 1
    with pytest.raises(ReadError, match="checksum mismatch"):
        type(clf.network_)(bytes(bad))
