"""ak.LayerWeightedClassifier / LayerWeightedRegressor: softmax layer weights over frozen
hidden states, masked mean or attention pooling, an MLP head (issue 18).

The forward pass is checked against a PyTorch implementation of the same network written
here (:func:`torch_forward`): live when torch is installed, and against the committed
golden file tests/data/layerwise_golden.npz (the model files and the outputs torch gave
for them) without torch. Regenerate the golden file with torch installed:
    python tests/models/test_models_layerwise.py
"""

from __future__ import annotations

import io
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

import affectkit as ak
from affectkit.errors import ParameterError

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "layerwise_golden.npz"

# (name, estimator parameters): the golden configurations
CONFIGS = [
    ("mean", dict(hidden_layer_sizes=(8,))),
    ("mean_normalize_ln", dict(hidden_layer_sizes=(8, 4), normalize=True, layer_norm=True, activation="tanh")),
    ("attention_normalize", dict(hidden_layer_sizes=(6,), pooling="attention", normalize=True, activation="gelu")),
    ("attention_linear", dict(hidden_layer_sizes=(), pooling="attention", attention_dim=5)),
    ("regressor_mean", dict(hidden_layer_sizes=(5,))),
]


def _hidden(n=24, layers=4, dim=6, seed=0, scale=None):
    """Random hidden states of 3-11 frames with layers of different scales."""
    rng = np.random.default_rng(seed)
    scale = np.geomspace(0.5, 4.0, layers) if scale is None else scale
    return [(rng.normal(size=(layers, int(rng.integers(3, 12)), dim)) * scale[:, None, None]).astype(np.float32)
            for _ in range(n)]


def _fit(name, params, H):
    """A trained model of a golden configuration (a few epochs: trained weights, not the
    initial ones, and layer weights away from uniform)."""
    y = np.arange(len(H)) % 3
    if name.startswith("regressor"):
        target = np.array([h[1, :, 0].mean() for h in H])
        return ak.LayerWeightedRegressor(**params, max_epochs=30, learning_rate_init=0.02, random_state=1,
                                         n_jobs=1).fit(H, target)
    return ak.LayerWeightedClassifier(**params, max_epochs=30, learning_rate_init=0.02, random_state=1,
                                      n_jobs=1).fit(H, y)


def _outputs(model, H):
    return model.predict_proba(H) if hasattr(model, "predict_proba") else model.predict(H).reshape(len(H), -1)


def torch_forward(params, H, *, pooling, normalize, activation, classifier):
    """The layer-weighted network in PyTorch (float64), from the parameters affectkit
    reports (``network_.layerwise_parameters()``; linear weights are ``(in, out)``).

    softmax layer weights -> (optional) layer norm of each frame's vector per layer, no
    affine, eps 1e-5 (s3prl's featurizer) -> weighted sum over layers -> masked mean, or
    attention pooling with affectkit's documented tanh ([3/2] Padé approximant clamped
    at +-3) -> MLP head (linear, optional affine layer norm, activation per hidden layer)
    -> softmax (classifier) or raw outputs.
    """
    import torch
    import torch.nn.functional as F

    p = {k: torch.as_tensor(np.asarray(v), dtype=torch.float64) for k, v in params}
    w = torch.softmax(p["layer_logits"], 0)
    n_layers = sum(1 for k in p if k.startswith("head.layers.") and k.endswith(".weight"))
    act = {"relu": torch.relu, "tanh": torch.tanh, "gelu": F.gelu}[activation]

    def rational_tanh(x):
        x = x.clamp(-3.0, 3.0)
        return x * (27 + x * x) / (27 + 9 * x * x)

    out = []
    for h in H:
        x = torch.as_tensor(np.asarray(h), dtype=torch.float64)       # (L, T, D)
        if normalize:
            x = F.layer_norm(x, (x.shape[-1],), eps=1e-5)
        mixed = (w[:, None, None] * x).sum(0)                          # (T, D)
        if pooling == "mean":
            z = mixed.mean(0)
        else:
            s = rational_tanh(mixed @ p["project.weight"] + p["project.bias"]) @ p["score.weight"] + p["score.bias"]
            z = torch.softmax(s[:, 0], 0) @ mixed
        for i in range(n_layers):
            z = z @ p[f"head.layers.{i}.weight"] + p[f"head.layers.{i}.bias"]
            if i == n_layers - 1:
                break
            if f"head.norms.{i}.gamma" in p:
                z = F.layer_norm(z, (z.shape[-1],), p[f"head.norms.{i}.gamma"], p[f"head.norms.{i}.beta"], eps=1e-5)
            z = act(z)
        out.append(torch.softmax(z, 0) if classifier else z)
    return torch.stack(out).numpy()


def _torch_of(model, H):
    return torch_forward(model.network_.layerwise_parameters(), H, pooling=model.pooling, normalize=model.normalize,
                         activation=model.activation, classifier=hasattr(model, "predict_proba"))


@pytest.mark.parametrize("name,params", CONFIGS, ids=[c[0] for c in CONFIGS])
def test_forward_pass_equals_the_pytorch_reference_live(name, params):
    pytest.importorskip("torch")
    H = _hidden()
    model = _fit(name, params, H)
    assert not np.allclose(model.layer_weights_, 0.25, atol=1e-3), "the layer weights were trained"
    np.testing.assert_allclose(_outputs(model, H), _torch_of(model, H), rtol=0, atol=1e-5)


@pytest.mark.parametrize("name", [c[0] for c in CONFIGS])
def test_forward_pass_equals_the_committed_pytorch_outputs(name, tmp_path):
    golden = np.load(GOLDEN)
    lengths = golden["lengths"]
    frames = np.split(golden["frames"], np.cumsum(lengths)[:-1], axis=1)
    path = tmp_path / f"{name}.akm"
    path.write_bytes(golden[f"{name}/model"].tobytes())
    model = ak.load_model(path)
    np.testing.assert_allclose(_outputs(model, frames), golden[f"{name}/torch"], rtol=0, atol=1e-5)


def _one_layer_task(n, seed, layers=6, dim=8, informative=3, n_speakers=8):
    """Labels (3 classes) visible only in layer ``informative`` (class c shifts dim c by
    1.5 frame standard deviations), every layer with the same noise scale; each speaker
    adds its own offset (standard deviation 0.5) to every layer and dim (what a
    speaker-independent split must not reward)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    speakers = rng.integers(0, n_speakers, n)
    offsets = rng.normal(scale=0.5, size=(n_speakers, layers, 1, dim))
    H = []
    for c, s in zip(y, speakers):
        h = rng.normal(size=(layers, int(rng.integers(10, 30)), dim)) + offsets[s]
        h[informative, :, c] += 1.5
        H.append(h.astype(np.float32))
    return H, y, speakers


@pytest.mark.parametrize("pooling", ["mean", "attention"])
def test_weights_concentrate_on_the_informative_layer(pooling):
    H, y, speakers = _one_layer_task(400, 0)
    clf = ak.LayerWeightedClassifier((32,), pooling=pooling, max_epochs=100, learning_rate_init=0.01,
                                     random_state=0).fit(H, y, groups=speakers)
    w = clf.layer_weights_
    assert w.shape == (6,) and abs(w.sum() - 1) < 1e-6
    # "concentrates": uniform is 1/6 = 0.17 per layer; the informative layer must get more
    # than 0.4 and more than 3x any other layer (measured: 0.46-0.52 vs at most 0.12 over
    # seeds 0-2 with both poolings; at learning rate 1e-3 it was still 0.23 after 100 epochs)
    others = np.delete(w, 3)
    assert int(np.argmax(w)) == 3 and w[3] > 0.4 and w[3] > 3 * others.max(), w
    Ht, yt, _ = _one_layer_task(200, 1)   # other speakers
    assert clf.score(Ht, yt) > 0.8


def test_layer_probe_ranks_the_informative_layer_first():
    H, y, speakers = _one_layer_task(240, 2)
    table = ak.embeddings.layer_probe(H, y, groups=speakers, n_splits=4)
    assert list(table["layer"]) == list(range(6))
    assert table.loc[table["rank"] == 1, "layer"].tolist() == [3]
    # measured: layer 3 UA 0.81, the others 0.30-0.36 (chance 0.33)
    assert table.loc[3, "score"] > 0.7 and table.drop(index=3)["score"].max() < 0.45
    folds = [c for c in table.columns if c.startswith("fold:")]
    assert len(folds) == 4 == table.attrs["folds"]
    np.testing.assert_allclose(table[folds].mean(axis=1), table["score"])


@pytest.mark.parametrize("pooling", ["mean", "attention"])
def test_save_load_and_pickle_give_identical_predictions(pooling, tmp_path):
    H = _hidden(seed=3)
    y = np.array(["angry", "happy", "sad"])[np.arange(len(H)) % 3]
    clf = ak.LayerWeightedClassifier((8,), pooling=pooling, normalize=True, max_epochs=5, random_state=0).fit(H, y)
    clf.save(tmp_path / "lw.akm")
    back = ak.load_model(tmp_path / "lw.akm")
    assert type(back) is ak.LayerWeightedClassifier and back.get_params() == clf.get_params() | {"random_state": None}
    np.testing.assert_array_equal(back.predict_proba(H), clf.predict_proba(H))
    np.testing.assert_array_equal(back.layer_weights_, clf.layer_weights_)
    assert list(back.predict(H)) == list(clf.predict(H))
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(H), clf.predict_proba(H))
    reg = ak.LayerWeightedRegressor((4,), pooling=pooling, max_epochs=5, random_state=0)
    reg.fit(H, np.c_[np.arange(len(H)), -np.arange(len(H))] / len(H))
    reg.save(tmp_path / "reg.akm")
    np.testing.assert_array_equal(ak.load_model(tmp_path / "reg.akm").predict(H), reg.predict(H))
    assert reg.predict(H).shape == (len(H), 2)


def test_attention_weights_sum_to_one_per_item():
    H = _hidden(seed=4)
    clf = ak.LayerWeightedClassifier((8,), pooling="attention", max_epochs=3, random_state=0).fit(H, np.arange(24) % 2)
    att = clf.attention_weights(H)
    assert [len(a) for a in att] == [h.shape[1] for h in H]
    np.testing.assert_allclose([a.sum() for a in att], 1.0, atol=1e-5)
    mean = clf.set_params(pooling="mean").fit(H, np.arange(24) % 2)
    with pytest.raises(ParameterError, match="attention"):
        mean.attention_weights(H)


def test_soft_one_hot_labels_train_the_same_model_as_hard_labels():
    H = _hidden(seed=5)
    y = np.arange(24) % 3
    hard = ak.LayerWeightedClassifier((8,), max_epochs=10, random_state=0, n_jobs=1).fit(H, y)
    soft = ak.LayerWeightedClassifier((8,), max_epochs=10, random_state=0, n_jobs=1).fit(H, np.eye(3)[y])
    np.testing.assert_array_equal(hard.predict_proba(H), soft.predict_proba(H))
    # a weight of 2 on an item moves the model; weights of the wrong length are refused
    w = np.ones(24)
    w[0] = 5.0
    weighted = ak.LayerWeightedClassifier((8,), max_epochs=10, random_state=0, n_jobs=1).fit(H, y, sample_weight=w)
    assert not np.array_equal(weighted.predict_proba(H), hard.predict_proba(H))
    with pytest.raises(ValueError, match="sample_weight|samples"):
        ak.LayerWeightedClassifier((8,), max_epochs=2).fit(H, y, sample_weight=np.ones(3))


def test_a_2d_item_is_one_layer_and_a_4d_array_is_a_batch():
    rng = np.random.default_rng(6)
    flat = [rng.normal(size=(int(rng.integers(3, 9)), 5)) for _ in range(20)]
    y = np.arange(20) % 2
    clf = ak.LayerWeightedClassifier((4,), max_epochs=3, random_state=0).fit(flat, y)
    assert clf.n_layers_ == 1 and clf.dim_ == 5 and clf.layer_weights_.tolist() == [1.0]
    np.testing.assert_array_equal(clf.predict_proba(flat), clf.predict_proba([f[None] for f in flat]))
    batch = rng.normal(size=(20, 3, 7, 5))
    clf = ak.LayerWeightedClassifier((4,), max_epochs=3, random_state=0).fit(batch, y)
    np.testing.assert_array_equal(clf.predict_proba(batch), clf.predict_proba(list(batch)))


def test_float16_and_float64_hidden_states_are_accepted():
    H = _hidden(seed=7)
    y = np.arange(24) % 2
    a = ak.LayerWeightedClassifier((4,), max_epochs=3, random_state=0, n_jobs=1).fit([h.astype(np.float64) for h in H], y)
    b = ak.LayerWeightedClassifier((4,), max_epochs=3, random_state=0, n_jobs=1).fit(H, y)
    np.testing.assert_array_equal(a.predict_proba(H), b.predict_proba(H))
    assert a.predict_proba([h.astype(np.float16) for h in H]).shape == (24, 2)


def test_bad_hidden_states_are_errors_naming_the_item():
    H = _hidden(n=6)
    y = np.arange(6) % 2
    est = ak.LayerWeightedClassifier((4,), max_epochs=2, random_state=0)
    mixed_layers = H[:3] + [H[3][:2]] + H[4:]
    with pytest.raises(ParameterError, match=r"H\[3\].*2 layers.*H\[0\] has 4 layers"):
        est.fit(mixed_layers, y)
    with pytest.raises(ParameterError, match=r"H\[2\] \(item 'c'\).*dim 5"):
        est.fit(ak.embeddings.HiddenStates(H[:2] + [H[2][..., :5]] + H[3:], ids="abcdef"), y)
    with pytest.raises(ParameterError, match=r"item 'c'.*dim 5"):
        ak.embeddings.HiddenStates(H[:2] + [H[2][..., :5]] + H[3:], ids="abcdef")
    nan = [h.copy() for h in H]
    nan[4][1, 0, 0] = np.nan
    with pytest.raises(ParameterError, match=r"H\[4\].*NaN"):
        est.fit(nan, y)
    with pytest.raises(ParameterError, match=r"H\[4\] \(item 'e'\).*NaN"):
        est.fit(ak.embeddings.HiddenStates(nan, ids="abcdef"), y)
    inf = [h.copy() for h in H]
    inf[2][0, 1, 1] = np.inf
    with pytest.raises(ParameterError, match=r"H\[2\].*infinity"):
        clone(est).set_params(pooling="attention").fit(inf, y)
    with pytest.raises(ParameterError, match=r"H\[1\].*shape \(4,\)"):
        est.fit([H[0], np.zeros(4, np.float32)] + H[2:], y)
    with pytest.raises(ParameterError, match=r"H\[0\].*frame"):
        est.fit([np.zeros((4, 0, 6), np.float32)] + H[1:], y)
    with pytest.raises(ParameterError, match="at least one item"):
        est.fit([], [])
    with pytest.raises(ParameterError, match="shape \\(6, 4, 6\\)"):
        est.fit(np.zeros((6, 4, 6), np.float32), y)
    with pytest.raises(ParameterError, match="dtype int64"):
        est.fit([np.zeros((4, 3, 6), np.int64)] * 6, y)
    with pytest.raises(ParameterError, match="y: expected 6"):
        est.fit(H, y[:5])
    with pytest.raises(ParameterError, match="pooling"):
        clone(est).set_params(pooling="max").fit(H, y)
    with pytest.raises(ParameterError, match="attention_dim"):
        clone(est).set_params(pooling="attention", attention_dim=0).fit(H, y)
    fitted = clone(est).fit(H, y)
    with pytest.raises(ParameterError, match=r"H\[0\].*3 layers of dim 6, fit saw 4 layers"):
        fitted.predict([h[:3] for h in H])
    with pytest.raises(ParameterError, match=r"H\[4\].*NaN"):
        fitted.predict(nan)
    with pytest.raises(ParameterError, match="NaN"):
        ak.LayerWeightedRegressor((4,), max_epochs=2).fit(H, np.r_[np.nan, np.ones(5)])


def test_estimator_parameters_follow_scikit_learn():
    est = ak.LayerWeightedClassifier(pooling="attention", normalize=True)
    params = est.get_params()
    assert params["pooling"] == "attention" and params["normalize"] is True
    assert params["hidden_layer_sizes"] == (256,) and "standardize" not in params
    assert clone(est).get_params() == params
    assert "loss" in ak.LayerWeightedRegressor().get_params()


def _write_golden():
    """Writes tests/data/layerwise_golden.npz (needs torch)."""
    H = _hidden()
    lengths = np.array([h.shape[1] for h in H])
    out = {"frames": np.concatenate(H, axis=1), "lengths": lengths}
    for name, params in CONFIGS:
        model = _fit(name, params, H)
        buf = io.BytesIO()
        path = GOLDEN.parent / f"_{name}.akm"
        model.save(path)
        buf.write(path.read_bytes())
        path.unlink()
        out[f"{name}/model"] = np.frombuffer(buf.getvalue(), dtype=np.uint8)
        out[f"{name}/torch"] = _torch_of(model, H)
        gap = np.abs(_outputs(model, H) - out[f"{name}/torch"]).max()
        print(f"{name}: max |affectkit - torch| = {gap:.2e}")
    np.savez_compressed(GOLDEN, **out)


if __name__ == "__main__":
    sys.exit(_write_golden())
