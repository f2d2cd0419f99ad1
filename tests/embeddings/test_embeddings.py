"""ak.embeddings: the hidden-state reader, the layer probe and the transformers helper (issue 18)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import soundfile as sf

import affectkit as ak
from affectkit.errors import ParameterError, ReadError


def _states(layers=3, frames=5, dim=4, seed=0, dtype=np.float32):
    return np.random.default_rng(seed).normal(size=(layers, frames, dim)).astype(dtype)


def test_read_npy_is_memory_mapped_and_keeps_the_dtype_and_manifest_order(tmp_path):
    a, b = _states(frames=5, dtype=np.float16), _states(frames=9, seed=1, dtype=np.float16)
    np.save(tmp_path / "a.npy", a)
    (tmp_path / "spk1").mkdir()
    np.save(tmp_path / "spk1" / "b.npy", b)
    man = pd.DataFrame({"item": ["spk1/b", "a"], "label": ["x", "y"]})
    H = ak.embeddings.read(man, root=tmp_path)
    assert list(H.ids) == ["spk1/b", "a"] and len(H) == 2
    assert isinstance(H[0], np.memmap) and H[0].dtype == np.float16
    np.testing.assert_array_equal(H[0], b)
    np.testing.assert_array_equal(H[1], a)
    assert (H.n_layers, H.dim) == (3, 4)
    assert not isinstance(ak.embeddings.read(["a"], root=tmp_path, mmap=False)[0], np.memmap)
    sub = H[[1]]
    assert isinstance(sub, ak.embeddings.HiddenStates) and list(sub.ids) == ["a"]
    np.testing.assert_allclose(H.pooled()[1], a.astype(np.float64).mean(axis=1))


def test_read_npz_and_safetensors(tmp_path):
    a = _states()
    np.savez(tmp_path / "one.npz", a)
    np.savez(tmp_path / "two.npz", hidden_states=a, lengths=np.array([5]))
    np.savez(tmp_path / "three.npz", x=a, z=a[:1])
    H = ak.embeddings.read(["one", "two"], root=tmp_path)
    np.testing.assert_array_equal(H[0], a)
    np.testing.assert_array_equal(H[1], a)
    with pytest.raises(ReadError, match=r"three.npz.*several arrays.*key="):
        ak.embeddings.read(["three"], root=tmp_path)
    np.testing.assert_array_equal(ak.embeddings.read(["three"], root=tmp_path, key="x")[0], a)
    with pytest.raises(ReadError, match="no array 'q'"):
        ak.embeddings.read(["three"], root=tmp_path, key="q")


def test_read_safetensors(tmp_path):
    st = pytest.importorskip("safetensors.numpy")
    a = _states(dtype=np.float16)
    st.save_file({"hidden_states": a}, str(tmp_path / "s.safetensors"))
    H = ak.embeddings.read(["s"], root=tmp_path, format="safetensors")
    assert H[0].dtype == np.float16
    np.testing.assert_array_equal(H[0], a)


def test_a_2d_file_is_one_layer(tmp_path):
    np.save(tmp_path / "a.npy", _states()[0])
    H = ak.embeddings.read(["a"], root=tmp_path)
    assert H[0].shape == (1, 5, 4) and H.n_layers == 1


def test_read_errors_name_the_item(tmp_path):
    np.save(tmp_path / "a.npy", _states(layers=3))
    np.save(tmp_path / "b.npy", _states(layers=2))
    np.save(tmp_path / "c.npy", _states(dim=6))
    np.save(tmp_path / "d.npy", np.zeros((2, 3, 4, 5), np.float32))
    np.save(tmp_path / "e.npy", np.zeros((3, 5, 4), np.int16))
    np.savez(tmp_path / "a.npz", _states())
    (tmp_path / "bad.npy").write_bytes(b"not numpy")
    with pytest.raises(ParameterError, match=r"item 'b'.*2 layers.*H\[0\] \(item 'a'\) has 3 layers"):
        ak.embeddings.read(["a", "b"], root=tmp_path, format="npy")
    with pytest.raises(ParameterError, match=r"item 'c'.*dim 6"):
        ak.embeddings.read(["a", "c"], root=tmp_path, format="npy")
    with pytest.raises(ParameterError, match=r"item 'd'.*shape \(2, 3, 4, 5\)"):
        ak.embeddings.read(["d"], root=tmp_path)
    with pytest.raises(ParameterError, match=r"item 'e'.*dtype int16"):
        ak.embeddings.read(["e"], root=tmp_path)
    with pytest.raises(ParameterError, match=r"item 'a'.*several formats"):
        ak.embeddings.read(["a"], root=tmp_path)
    with pytest.raises(ReadError, match=r"item 'zz'.*zz.npy"):
        ak.embeddings.read(["zz"], root=tmp_path)
    with pytest.raises(ReadError, match="bad.npy"):
        ak.embeddings.read(["bad"], root=tmp_path)
    with pytest.raises(ReadError, match="not a folder"):
        ak.embeddings.read(["a"], root=tmp_path / "nope")
    with pytest.raises(ParameterError, match="format"):
        ak.embeddings.read(["a"], root=tmp_path, format="pt")
    with pytest.raises(ParameterError, match="no items"):
        ak.embeddings.read([], root=tmp_path)
    with pytest.raises(ParameterError, match="'item' column"):
        ak.embeddings.read(pd.DataFrame({"x": [1]}), root=tmp_path)


def test_layer_probe_checks_its_arguments_and_plots():
    rng = np.random.default_rng(0)
    y = np.arange(30) % 2
    H = [rng.normal(size=(2, 4, 3)) for _ in y]
    with pytest.raises(ParameterError, match="groups"):
        ak.embeddings.layer_probe(H, y, groups=None)
    with pytest.raises(ParameterError, match="groups: expected one group per item"):
        ak.embeddings.layer_probe(H, y, groups=[0, 1])
    with pytest.raises(ParameterError, match="y: expected one label per item"):
        ak.embeddings.layer_probe(H, y[:3], groups=np.arange(30) % 3)
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    table = ak.embeddings.layer_probe(H, y, groups=np.arange(30) % 3, n_splits=3, plot=True)
    assert table.attrs["metric"] == "unweighted_accuracy"
    ax = ak.embeddings.plot_layer_probe(table)
    assert ax.get_xlabel() == "layer"


def _tiny_wav2vec2(folder):
    """A randomly initialised 2-layer wav2vec 2.0 (hidden size 16) and its feature
    extractor, saved to ``folder``: nothing is downloaded."""
    transformers = pytest.importorskip("transformers")
    pytest.importorskip("torch")
    import torch

    torch.manual_seed(0)
    config = transformers.Wav2Vec2Config(
        hidden_size=16, num_hidden_layers=2, num_attention_heads=2, intermediate_size=32, conv_dim=(8, 8),
        conv_stride=(5, 4), conv_kernel=(10, 8), num_conv_pos_embeddings=8, num_conv_pos_embedding_groups=2,
        do_stable_layer_norm=False, feat_extract_norm="group",
    )
    model = transformers.Wav2Vec2Model(config).eval()
    model.save_pretrained(folder)
    extractor = transformers.Wav2Vec2FeatureExtractor(sampling_rate=16000, do_normalize=True)
    extractor.save_pretrained(folder)
    return model, extractor


def test_write_hidden_states_with_a_tiny_local_model(tmp_path):
    model, extractor = _tiny_wav2vec2(tmp_path / "model")
    import torch

    rng = np.random.default_rng(0)
    paths = []
    for i, sr in enumerate((16000, 8000)):
        p = tmp_path / f"clip{i}.wav"
        sf.write(p, (0.1 * rng.normal(size=sr // 2)).astype(np.float32), sr, subtype="FLOAT")
        paths.append(str(p))
    man = pd.DataFrame({"item": ["a", "spk/b"], "path": paths})
    written = ak.embeddings.write_hidden_states(man, tmp_path / "model", tmp_path / "hs")
    assert [p.name for p in written] == ["a.npy", "b.npy"]
    H = ak.embeddings.read(man, root=tmp_path / "hs")
    assert H.n_layers == 3 and H.dim == 16
    # item b was resampled from 8 kHz to the extractor's 16 kHz before the model
    for i, path in enumerate(paths):
        y, _ = ak.load(path, sr=16000)
        values = extractor(y, sampling_rate=16000, return_tensors="pt")["input_values"]
        with torch.inference_mode():
            ref = torch.stack([h[0] for h in model(values, output_hidden_states=True).hidden_states]).numpy()
        np.testing.assert_allclose(H[i], ref, rtol=1e-5, atol=1e-5)
    # existing files are kept unless overwrite=True
    before = written[0].stat().st_mtime_ns
    ak.embeddings.write_hidden_states(man, tmp_path / "model", tmp_path / "hs")
    assert written[0].stat().st_mtime_ns == before
    half = ak.embeddings.write_hidden_states(man.iloc[:1], tmp_path / "model", tmp_path / "hs16", dtype="float16")
    assert np.load(half[0]).dtype == np.float16


def test_write_hidden_states_refuses_what_it_cannot_run(tmp_path):
    pytest.importorskip("transformers")
    pytest.importorskip("torch")
    man = pd.DataFrame({"item": ["a"], "path": [""]})
    with pytest.raises(ReadError, match="no config.json"):
        ak.embeddings.write_hidden_states(man, tmp_path, tmp_path / "out")
    _tiny_wav2vec2(tmp_path / "model")
    with pytest.raises(ParameterError, match="item 'a' has no audio path"):
        ak.embeddings.write_hidden_states(man, tmp_path / "model", tmp_path / "out")
    with pytest.raises(ParameterError, match="dtype"):
        ak.embeddings.write_hidden_states(man, tmp_path / "model", tmp_path / "out", dtype="int8")
