//! Layer-weighted head over frozen self-supervised hidden states (the SUPERB downstream
//! protocol, Yang et al. 2021; as emotion2vec's and WavLM's emotion probes use it).
//!
//! The input of an item is its hidden states `(n_layers, n_frames, dim)`. The network
//! learns one logit per layer (initialised 0, i.e. uniform weights) and takes the
//! softmax-weighted sum of the layers, pools it over the frames (masked mean, or the
//! attention pooling of [`super::sequence`]), and feeds the pooled vector to an MLP head.
//! With `normalize`, every (frame, layer) vector is first layer-normalised over `dim`
//! without affine parameters (s3prl's featurizer `layer_norm` option: `(h - mean) /
//! sqrt(var + 1e-5)`, biased variance, as `torch.nn.functional.layer_norm`).
//!
//! The normalisation has no parameters and the weighted sum is linear, so with mean
//! pooling `mean_t sum_l w_l h_lt = sum_l w_l mean_t h_lt`: the frames of an item reduce
//! to one (masked) mean per layer before training, exactly, and training touches
//! `n_layers x dim` numbers per item instead of `n_layers x n_frames x dim`.

use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::optim::GradientsParams;
use burn::tensor::activation::softmax;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use super::fusion::to_vec;
use super::layerpool::Pooler;
use super::loss::Objective;
use super::network::{dense, Activation, Mlp, MlpSpec};
use super::sequence::attend;
use super::train::{gather, item_weights, matrix, Task};
use crate::error::{Error, Result};
use crate::labels::vote::SplitMix64;
use std::borrow::Cow;

/// How the frames of an item become one vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pooling {
    /// Masked mean over the frames.
    Mean,
    /// Attention pooling (the scorer of [`super::sequence`]).
    Attention,
}

impl std::str::FromStr for Pooling {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "mean" => Ok(Self::Mean),
            "attention" => Ok(Self::Attention),
            other => Err(Error::param(
                "pooling",
                format!("expected 'mean' or 'attention', got {other:?}"),
            )),
        }
    }
}

/// Shape of a layer-weighted network; stored in model files next to the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LayerwiseSpec {
    pub n_layers: usize,
    pub dim: usize,
    /// Layer norm (no affine) of every (frame, layer) vector before the weighted sum.
    pub normalize: bool,
    pub pooling: Pooling,
    /// Width of the attention's hidden layer (attention pooling only).
    pub attention_dim: usize,
    /// Head layer widths (empty = softmax/linear regression on the pooled vector).
    pub hidden: Vec<usize>,
    pub n_outputs: usize,
    pub activation: Activation,
    pub dropout: f64,
    pub layer_norm: bool,
}

impl LayerwiseSpec {
    pub(crate) fn head(&self) -> MlpSpec {
        MlpSpec {
            n_inputs: self.dim,
            hidden: self.hidden.clone(),
            n_outputs: self.n_outputs,
            activation: self.activation,
            dropout: self.dropout,
            layer_norm: self.layer_norm,
        }
    }

    fn validate(&self) -> Result<()> {
        if self.n_layers == 0 {
            return Err(Error::param("H", "expected at least one layer"));
        }
        if self.pooling == Pooling::Attention && self.attention_dim == 0 {
            return Err(Error::param("attention_dim", "expected a positive width"));
        }
        self.head().validate()
    }
}

/// The Burn module.
#[derive(Module, Debug)]
pub struct LayerWeighted {
    /// One logit per layer; the layer weights are their softmax.
    pub layer_logits: Param<Tensor<1>>,
    pub project: Option<Linear>,
    pub score: Option<Linear>,
    pub head: Mlp,
    #[module(skip)]
    pub spec: LayerwiseSpec,
}

impl LayerWeighted {
    pub fn init(spec: &LayerwiseSpec, seed: u64, device: &Device) -> Result<Self> {
        spec.validate()?;
        let mut rng = SplitMix64::new(seed ^ 0x1A_7E25);
        let (project, score) = if spec.pooling == Pooling::Attention {
            (
                Some(dense(spec.dim, spec.attention_dim, &mut rng, device)),
                Some(dense(spec.attention_dim, 1, &mut rng, device)),
            )
        } else {
            (None, None)
        };
        Ok(Self {
            layer_logits: Param::from_tensor(Tensor::from_data(
                TensorData::new(vec![0.0f32; spec.n_layers], [spec.n_layers]),
                device,
            )),
            project,
            score,
            head: Mlp::init(&spec.head(), seed, device)?,
            spec: spec.clone(),
        })
    }

    /// Every parameter as `(name, shape, values)`: `layer_logits` `(n_layers,)`, the
    /// attention's `project.weight` `(dim, attention_dim)`, `project.bias`,
    /// `score.weight`, `score.bias`, and the head's `head.layers.{i}.weight` `(in, out)`
    /// (Burn's layout: `y = x W + b`), `head.layers.{i}.bias`, `head.norms.{i}.gamma` /
    /// `.beta`. For inspection and for checking the network against other
    /// implementations.
    pub fn parameters(&self) -> Result<Vec<(String, Vec<usize>, Vec<f32>)>> {
        fn vector(name: String, t: Tensor<1>) -> Result<(String, Vec<usize>, Vec<f32>)> {
            let dims = t.dims().to_vec();
            Ok((name, dims, to_vec(t)?))
        }
        fn linear(
            name: &str,
            l: &Linear,
            out: &mut Vec<(String, Vec<usize>, Vec<f32>)>,
        ) -> Result<()> {
            let w = l.weight.val();
            let dims = w.dims().to_vec();
            out.push((format!("{name}.weight"), dims, to_vec(w)?));
            if let Some(b) = &l.bias {
                out.push(vector(format!("{name}.bias"), b.val())?);
            }
            Ok(())
        }
        let mut out = vec![vector("layer_logits".into(), self.layer_logits.val())?];
        if let (Some(p), Some(s)) = (&self.project, &self.score) {
            linear("project", p, &mut out)?;
            linear("score", s, &mut out)?;
        }
        for (i, l) in self.head.layers.iter().enumerate() {
            linear(&format!("head.layers.{i}"), l, &mut out)?;
        }
        for (i, n) in self.head.norms.iter().enumerate() {
            out.push(vector(format!("head.norms.{i}.gamma"), n.gamma.val())?);
            if let Some(b) = &n.beta {
                out.push(vector(format!("head.norms.{i}.beta"), b.val())?);
            }
        }
        Ok(out)
    }

    /// The softmax layer weights, `(n_layers,)`.
    pub fn weights(&self) -> Tensor<1> {
        softmax(self.layer_logits.val(), 0)
    }

    /// Outputs for per-layer pooled vectors `(batch, n_layers * dim)` (mean pooling), as
    /// Burn tensor operations: the reference definition that [`Pooler`] (which training and
    /// prediction run) is tested against, and what [`Task::loss`] differentiates.
    fn forward_pooled(&self, x: Tensor<2>, rng: Option<&mut SplitMix64>) -> Tensor<2> {
        let [b, _] = x.dims();
        let (l, d) = (self.spec.n_layers, self.spec.dim);
        let w = self.weights().reshape([1, l, 1]);
        let mixed = (x.reshape([b, l, d]) * w).sum_dim(1).reshape([b, d]);
        self.head.forward(mixed, rng)
    }

    /// Outputs and attention weights `(batch, frames)` for zero-padded frames
    /// `(batch, frames, n_layers * dim)` and their 0/1 mask `(batch, frames)`, as Burn
    /// tensor operations (the reference definition, as [`LayerWeighted::forward_pooled`]).
    fn forward_frames(
        &self,
        x: Tensor<3>,
        mask: Tensor<2>,
        rng: Option<&mut SplitMix64>,
    ) -> (Tensor<2>, Tensor<2>) {
        let [b, t, _] = x.dims();
        let (l, d) = (self.spec.n_layers, self.spec.dim);
        let w = self.weights().reshape([1, 1, l, 1]);
        let mixed = (x.reshape([b, t, l, d]) * w).sum_dim(2).reshape([b, t, d]);
        let (pooled, att) = match (&self.project, &self.score) {
            (Some(p), Some(s)) => attend(p, s, mixed, mask),
            _ => {
                let m = mask.clone().unsqueeze_dim::<3>(1);
                let count = mask.clone().sum_dim(1).clamp_min(1.0);
                let att = mask / count.clone();
                (m.matmul(mixed).reshape([b, d]) / count, att)
            }
        };
        (self.head.forward(pooled, rng), att)
    }
}

/// Hidden states of several items, ready for a layer-weighted network: normalised when
/// the network normalises, and reduced to one mean per layer with mean pooling.
pub struct LayerInputs<'a> {
    /// Per item its hidden states `(n_layers, n_frames, dim)`, row-major (layer after
    /// layer), or with mean pooling its per-layer means `(n_layers, 1, dim)`. Borrowed
    /// from the caller unless they had to change (normalised, NaN frames zeroed).
    items: Vec<Cow<'a, [f32]>>,
    /// Per item and frame: 1 = a real frame, 0 = a frame that had NaN (masked out).
    valid: Vec<Vec<f32>>,
    pooled: bool,
    n_layers: usize,
    dim: usize,
}

impl<'a> LayerInputs<'a> {
    /// From the hidden states of each item, `(n_layers, n_frames, dim)` row-major (the
    /// layout of a C-contiguous numpy array; the frame count is `len / (n_layers * dim)`).
    /// A frame with NaN in any layer is masked out (with `allow_nan`; without, NaN is an
    /// error); infinity, an item whose length is not whole frames, and an item with no
    /// usable frame are errors naming it (`H[i]`).
    pub fn new(
        items: Vec<Cow<'a, [f32]>>,
        n_layers: usize,
        dim: usize,
        normalize: bool,
        pooling: Pooling,
        allow_nan: bool,
    ) -> Result<Self> {
        if n_layers == 0 || dim == 0 {
            return Err(Error::param(
                "H",
                "expected hidden states of at least one layer and one dimension",
            ));
        }
        if items.is_empty() {
            return Err(Error::param("H", "expected at least one item"));
        }
        let width = n_layers * dim;
        let mut out = Vec::with_capacity(items.len());
        let mut valid = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let name = || format!("H[{i}]");
            if item.is_empty() || item.len() % width != 0 {
                return Err(Error::param(
                    &name(),
                    format!(
                        "expected {n_layers} layers of at least one frame of {dim} values, got {} values",
                        item.len()
                    ),
                ));
            }
            let t = item.len() / width;
            let all = vec![1.0f32; t];
            // with mean pooling, one pass: the means are finite iff every value is
            let means = (pooling == Pooling::Mean)
                .then(|| layer_means(&item, &all, n_layers, dim, normalize))
                .filter(|m| m.iter().all(|v| v.is_finite()));
            // frames with NaN, looked for only when the item has a value that is not finite
            let ok = if means.is_some() || item.iter().all(|v| v.is_finite()) {
                all
            } else if !allow_nan {
                return Err(Error::param(&name(), "contains NaN or infinity"));
            } else {
                frame_validity(&item, n_layers, t, dim).map_err(|m| Error::param(&name(), m))?
            };
            if !ok.iter().any(|&v| v > 0.0) {
                return Err(Error::param(
                    &name(),
                    "the item has no frames (or only frames with NaN)",
                ));
            }
            let item = if let Some(m) = means {
                Cow::Owned(m)
            } else if pooling == Pooling::Mean {
                Cow::Owned(layer_means(&item, &ok, n_layers, dim, normalize))
            } else if normalize || ok.iter().any(|&v| v == 0.0) {
                let mut owned = item.into_owned();
                for (k, row) in owned.chunks_exact_mut(dim).enumerate() {
                    if ok[k % t] == 0.0 {
                        row.fill(0.0);
                    } else if normalize {
                        layer_norm(row);
                    }
                }
                Cow::Owned(owned)
            } else {
                item
            };
            valid.push(if pooling == Pooling::Mean {
                vec![1.0]
            } else {
                ok
            });
            out.push(item);
        }
        Ok(Self {
            items: out,
            valid,
            pooled: pooling == Pooling::Mean,
            n_layers,
            dim,
        })
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Item `i`: its values `(n_layers, n_frames, dim)` and its frame mask `(n_frames,)`.
    pub(crate) fn item(&self, i: usize) -> (&[f32], &[f32]) {
        (&self.items[i], &self.valid[i])
    }

    /// Number of frames of item `i` (1 with mean pooling).
    fn length(&self, i: usize) -> usize {
        self.valid[i].len()
    }

    /// Zero-padded frames `(batch, longest, n_layers * dim)` (each frame's vector of every
    /// layer, layer after layer) and the frame mask of the items `idx`.
    fn padded(&self, idx: &[usize], device: &Device) -> (Tensor<3>, Tensor<2>) {
        let (l, d) = (self.n_layers, self.dim);
        let t = idx.iter().map(|&i| self.length(i)).max().unwrap_or(1);
        let mut x = vec![0.0f32; idx.len() * t * l * d];
        let mut mask = vec![0.0f32; idx.len() * t];
        for (j, &i) in idx.iter().enumerate() {
            let (item, ok) = self.item(i);
            let ti = ok.len();
            for (k, row) in item.chunks_exact(d).enumerate() {
                let (layer, frame) = (k / ti, k % ti);
                let at = ((j * t + frame) * l + layer) * d;
                x[at..at + d].copy_from_slice(row);
            }
            mask[j * t..j * t + ti].copy_from_slice(ok);
        }
        let x = Tensor::from_data(TensorData::new(x, [idx.len(), t, l * d]), device);
        (x, matrix(mask, idx.len(), t, device))
    }

    fn check(&self, s: &LayerwiseSpec) -> Result<()> {
        if (self.n_layers, self.dim) != (s.n_layers, s.dim)
            || self.pooled != (s.pooling == Pooling::Mean)
        {
            return Err(Error::param(
                "H",
                format!(
                    "expected hidden states of {} layers x {} dims as in fit",
                    s.n_layers, s.dim
                ),
            ));
        }
        Ok(())
    }

    /// Network outputs, through the Burn tensor forward pass (the reference definition;
    /// see [`LayerWeighted::forward_pooled`]), and (attention pooling) attention weights
    /// `(batch, frames)` for the items `idx`.
    fn forward_tensors(
        &self,
        net: &LayerWeighted,
        idx: &[usize],
        device: &Device,
        rng: Option<&mut SplitMix64>,
    ) -> (Tensor<2>, Option<Tensor<2>>) {
        if self.pooled {
            let w = self.n_layers * self.dim;
            let mut x = Vec::with_capacity(idx.len() * w);
            idx.iter()
                .for_each(|&i| x.extend_from_slice(self.item(i).0));
            let x = matrix(x, idx.len(), w, device);
            (net.forward_pooled(x, rng), None)
        } else {
            let (x, mask) = self.padded(idx, device);
            let (out, att) = net.forward_frames(x, mask, rng);
            (out, Some(att))
        }
    }

    /// Network outputs for the items `idx` with the layer mix and pooling of [`Pooler`]
    /// (plain Rust, no padding) and the head in Burn, and per item its pooling weights
    /// over its frames.
    fn forward(
        &self,
        net: &LayerWeighted,
        idx: &[usize],
        device: &Device,
    ) -> Result<(Tensor<2>, Vec<Vec<f32>>)> {
        let pooler = Pooler::new(net)?;
        let (pooled, caches) = pooler.forward(self, idx)?;
        let x = matrix(pooled, idx.len(), self.dim, device);
        let weights = caches.into_iter().map(|c| c.into_weights()).collect();
        Ok((net.head.forward(x, None), weights))
    }
}

/// The frame mask of an item `(n_layers, t, dim)` that has values that are not finite:
/// 0 for a frame with NaN in any layer. Infinity is an error (the message).
fn frame_validity(
    item: &[f32],
    n_layers: usize,
    t: usize,
    dim: usize,
) -> std::result::Result<Vec<f32>, String> {
    if item.iter().any(|v| v.is_infinite()) {
        return Err("contains infinity".into());
    }
    let mut ok = vec![1.0f32; t];
    for (k, row) in item.chunks_exact(dim).enumerate().take(n_layers * t) {
        if row.iter().any(|v| v.is_nan()) {
            ok[k % t] = 0.0;
        }
    }
    Ok(ok)
}

/// The per-layer means `(n_layers, dim)` over the valid frames `ok` of an item
/// `(n_layers, t, dim)`, of the layer-normalised vectors with `normalize`; sums in f64.
fn layer_means(item: &[f32], ok: &[f32], n_layers: usize, dim: usize, normalize: bool) -> Vec<f32> {
    let t = ok.len();
    let count = ok.iter().filter(|&&v| v > 0.0).count().max(1) as f64;
    let mut acc = vec![0.0f64; dim];
    let mut row_buf = vec![0.0f32; dim];
    let mut means = Vec::with_capacity(n_layers * dim);
    for block in item.chunks_exact(t * dim).take(n_layers) {
        acc.fill(0.0);
        for (row, &v) in block.chunks_exact(dim).zip(ok) {
            if v == 0.0 {
                continue;
            }
            let row = if normalize {
                row_buf.copy_from_slice(row);
                layer_norm(&mut row_buf);
                &row_buf[..]
            } else {
                row
            };
            acc.iter_mut().zip(row).for_each(|(s, &x)| *s += x as f64);
        }
        means.extend(acc.iter().map(|s| (s / count) as f32));
    }
    means
}

/// In-place layer norm without affine parameters (biased variance, eps 1e-5), in f64.
fn layer_norm(row: &mut [f32]) {
    let n = row.len() as f64;
    let mean = row.iter().map(|&v| v as f64).sum::<f64>() / n;
    let var = row.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n;
    let inv = 1.0 / (var + 1e-5).sqrt();
    row.iter_mut()
        .for_each(|v| *v = ((*v as f64 - mean) * inv) as f32);
}

/// Training data of a layer-weighted network.
pub struct LayerwiseTask<'a> {
    pub inputs: &'a LayerInputs<'a>,
    pub objective: Objective,
    /// Row-major `(n_items, n_outputs)` targets (class distributions or dimensions).
    pub targets: &'a [f32],
    pub weights: Option<&'a [f32]>,
}

impl Task for LayerwiseTask<'_> {
    type Net = LayerWeighted;

    fn n_rows(&self) -> usize {
        self.inputs.len()
    }

    /// The loss through Burn's tensor forward pass: the reference that the gradients of
    /// [`LayerwiseTask::gradients`] are tested against.
    fn loss(
        &self,
        net: &LayerWeighted,
        idx: &[usize],
        device: &Device,
        rng: Option<&mut SplitMix64>,
    ) -> Tensor<1> {
        let (out, _) = self.inputs.forward_tensors(net, idx, device, rng);
        self.objective_loss(out, idx, device)
    }

    /// The head and loss run in Burn on the pooled vectors of [`Pooler`], fed as a leaf
    /// that requires a gradient; [`Pooler::backward`] turns that gradient into the
    /// gradients of the layer logits and the attention scorer.
    fn gradients(
        &self,
        net: &LayerWeighted,
        idx: &[usize],
        device: &Device,
        rng: Option<&mut SplitMix64>,
    ) -> Result<(f64, Option<GradientsParams>)> {
        let inputs = self.inputs;
        let d = net.spec.dim;
        let pooler = Pooler::new(net)?;
        let (pooled, caches) = pooler.forward(inputs, idx)?;
        let x = matrix(pooled, idx.len(), d, device).require_grad();
        let out = net.head.forward(x.clone(), rng);
        let loss = self.objective_loss(out, idx, device);
        let value = loss.clone().into_scalar::<f32>() as f64;
        if !value.is_finite() {
            return Ok((value, None));
        }
        let mut grads = loss.backward();
        let g = match x.grad_remove(&mut grads) {
            Some(g) => to_vec(g)?,
            None => vec![0.0; idx.len() * d],
        };
        let mut params = GradientsParams::from_module(&mut grads, net);
        let pg = pooler.backward(inputs, idx, &caches, &g)?;
        let plain = Device::flex();
        let vector = |v: Vec<f32>| {
            let n = v.len();
            Tensor::<1>::from_data(TensorData::new(v, [n]), &plain)
        };
        params.register(net.layer_logits.id, vector(pg.layer_logits));
        if let (Some(p), Some(s), Some((dp, db, dv, dc))) = (&net.project, &net.score, pg.scorer) {
            let a = net.spec.attention_dim;
            params.register(p.weight.id, matrix(dp, d, a, &plain));
            params.register(s.weight.id, matrix(dv, a, 1, &plain));
            if let (Some(pb), Some(sb)) = (&p.bias, &s.bias) {
                params.register(pb.id, vector(db));
                params.register(sb.id, vector(vec![dc]));
            }
        }
        Ok((value, Some(params)))
    }

    fn evaluate(&self, net: &LayerWeighted, idx: &[usize], device: &Device) -> Result<f64> {
        let (out, _) = self.inputs.forward(net, idx, device)?;
        Ok(self.objective_loss(out, idx, device).into_scalar::<f32>() as f64)
    }
}

impl LayerwiseTask<'_> {
    /// The objective on outputs `out` of the items `idx`.
    fn objective_loss(&self, out: Tensor<2>, idx: &[usize], device: &Device) -> Tensor<1> {
        let k = out.dims()[1];
        let y = matrix(gather(self.targets, k, idx), idx.len(), k, device);
        self.objective
            .loss(out, y, item_weights(self.weights, idx, device))
    }

    pub(crate) fn validate(&self, spec: &LayerwiseSpec) -> Result<()> {
        self.inputs.check(spec)?;
        let n = self.inputs.len();
        if self.targets.len() != n * spec.n_outputs {
            return Err(Error::param(
                "y",
                format!("expected one target row per item ({n})"),
            ));
        }
        if self.targets.iter().any(|v| !v.is_finite()) {
            return Err(Error::param("y", "contains NaN or infinity"));
        }
        super::train::check_weights(self.weights, n, "items")?;
        Ok(())
    }
}

/// Outputs `(n, n_outputs)` (softmax probabilities when `probabilities`, else raw) and,
/// with attention pooling, each item's attention weights over its own frames
/// (concatenated in item order; empty with mean pooling).
pub fn predict(
    net: &LayerWeighted,
    inputs: &LayerInputs,
    probabilities: bool,
) -> Result<(Vec<f32>, Vec<f32>)> {
    inputs.check(&net.spec)?;
    let k = net.spec.n_outputs;
    let device = Device::flex();
    let n = inputs.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| inputs.length(i));
    let mut out = vec![0.0f32; n * k];
    let mut att_rows = vec![Vec::new(); n];
    for idx in order.chunks(256) {
        let (z, att) = inputs.forward(net, idx, &device)?;
        let z = to_vec(if probabilities { softmax(z, 1) } else { z })?;
        for (j, &i) in idx.iter().enumerate() {
            out[i * k..(i + 1) * k].copy_from_slice(&z[j * k..(j + 1) * k]);
        }
        if !inputs.pooled {
            for (&i, a) in idx.iter().zip(att) {
                att_rows[i] = a;
            }
        }
    }
    Ok((out, att_rows.concat()))
}

/// Items `(n_layers, n_frames, dim)` from frames stacked `(total_frames, n_layers * dim)`
/// (each row one frame, layer after layer) and the frame count of each item.
#[cfg(test)]
pub(crate) fn stacked_items(
    frames: &[f32],
    lengths: &[usize],
    n_layers: usize,
    dim: usize,
) -> Vec<Cow<'static, [f32]>> {
    let mut at = 0;
    lengths
        .iter()
        .map(|&t| {
            let mut item = vec![0.0f32; n_layers * t * dim];
            for f in 0..t {
                for l in 0..n_layers {
                    let src = ((at + f) * n_layers + l) * dim;
                    item[(l * t + f) * dim..(l * t + f + 1) * dim]
                        .copy_from_slice(&frames[src..src + dim]);
                }
            }
            at += t;
            Cow::Owned(item)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(pooling: Pooling, normalize: bool) -> LayerwiseSpec {
        LayerwiseSpec {
            n_layers: 3,
            dim: 4,
            normalize,
            pooling,
            attention_dim: 4,
            hidden: vec![5],
            n_outputs: 2,
            activation: Activation::Relu,
            dropout: 0.0,
            layer_norm: false,
        }
    }

    #[test]
    fn pooled_means_equal_the_frame_path_and_weights_start_uniform() {
        let lengths = [2usize, 5, 3];
        let frames: Vec<f32> = (0..10 * 12)
            .map(|i| ((i * 37 % 23) as f32 - 11.0) / 4.0)
            .collect();
        for normalize in [false, true] {
            let s = spec(Pooling::Mean, normalize);
            let net = LayerWeighted::init(&s, 3, &Device::flex()).unwrap();
            let w = to_vec(net.weights()).unwrap();
            assert!(w.iter().all(|&v| (v - 1.0 / 3.0).abs() < 1e-7), "{w:?}");
            let pooled = LayerInputs::new(
                stacked_items(&frames, &lengths, 3, 4),
                3,
                4,
                normalize,
                Pooling::Mean,
                true,
            )
            .unwrap();
            let (p, a) = predict(&net, &pooled, true).unwrap();
            assert!(a.is_empty());
            // the same network fed the frames through its masked-mean frame path
            let full = LayerInputs::new(
                stacked_items(&frames, &lengths, 3, 4),
                3,
                4,
                normalize,
                Pooling::Attention,
                true,
            )
            .unwrap();
            let (x, mask) = full.padded(&[0, 1, 2], &Device::flex());
            let (z, _) = net.forward_frames(x, mask, None);
            let q = to_vec(softmax(z, 1)).unwrap();
            for (u, v) in p.iter().zip(&q) {
                assert!((u - v).abs() < 1e-5, "{p:?} {q:?}");
            }
        }
    }

    #[test]
    fn the_model_file_parameter_count_matches_and_files_round_trip() {
        use crate::models::persist::{self, AnyNetwork, Stored};
        for (pooling, layer_norm) in [(Pooling::Mean, false), (Pooling::Attention, true)] {
            let mut s = spec(pooling, true);
            s.layer_norm = layer_norm;
            let net = LayerWeighted::init(&s, 2, &Device::flex()).unwrap();
            assert_eq!(LayerWeighted::n_params(&s), Some(net.num_params()));
            let names: usize = net.parameters().unwrap().iter().map(|p| p.2.len()).sum();
            assert_eq!(names, net.num_params());
            let bytes = persist::to_bytes(&net, "{}").unwrap();
            let Ok((AnyNetwork::LayerWeighted(back), _)) = AnyNetwork::from_bytes(&bytes, "f")
            else {
                panic!("not read back as a layer-weighted network")
            };
            let frames: Vec<f32> = (0..7 * 12).map(|i| (i % 5) as f32 - 2.0).collect();
            let inputs = LayerInputs::new(
                stacked_items(&frames, &[3, 4], 3, 4),
                3,
                4,
                true,
                pooling,
                true,
            )
            .unwrap();
            assert_eq!(
                predict(&back, &inputs, true).unwrap(),
                predict(&net, &inputs, true).unwrap()
            );
        }
    }

    #[test]
    fn a_nan_frame_weighs_nothing_and_infinity_is_an_error_naming_the_item() {
        // item 1: 3 frames of 3 layers x 4 dims, its frame 1 has NaN in layer 2
        let frames: Vec<f32> = (0..5 * 12)
            .map(|i| ((i * 7 % 13) as f32 - 6.0) / 3.0)
            .collect();
        let mut with_nan = frames.clone();
        with_nan[(2 + 1) * 12 + 2 * 4 + 3] = f32::NAN;
        // the same items without that frame
        let mut without = frames[..3 * 12].to_vec();
        without.extend_from_slice(&frames[4 * 12..]);
        for pooling in [Pooling::Mean, Pooling::Attention] {
            for normalize in [false, true] {
                let net =
                    LayerWeighted::init(&spec(pooling, normalize), 1, &Device::flex()).unwrap();
                let a = LayerInputs::new(
                    stacked_items(&with_nan, &[2, 3], 3, 4),
                    3,
                    4,
                    normalize,
                    pooling,
                    true,
                )
                .unwrap();
                let b = LayerInputs::new(
                    stacked_items(&without, &[2, 2], 3, 4),
                    3,
                    4,
                    normalize,
                    pooling,
                    true,
                )
                .unwrap();
                let (p, att) = predict(&net, &a, true).unwrap();
                let (q, _) = predict(&net, &b, true).unwrap();
                for (u, v) in p.iter().zip(&q) {
                    assert!((u - v).abs() < 1e-6, "{pooling:?} {normalize}: {p:?} {q:?}");
                }
                if pooling == Pooling::Attention {
                    assert_eq!(att.len(), 5);
                    assert_eq!(att[3], 0.0);
                }
            }
        }
        let mut with_inf = frames.clone();
        with_inf[4 * 12] = f32::INFINITY;
        for pooling in [Pooling::Mean, Pooling::Attention] {
            let err = LayerInputs::new(
                stacked_items(&with_inf, &[2, 3], 3, 4),
                3,
                4,
                false,
                pooling,
                true,
            )
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
            assert!(err.contains("H[1]") && err.contains("infinity"), "{err}");
        }
        let err = LayerInputs::new(
            vec![Cow::Owned(vec![0.5f32; 13])],
            3,
            4,
            false,
            Pooling::Mean,
            true,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("H[0]"), "{err}");
    }

    #[test]
    fn wrong_shapes_and_empty_items_are_errors_naming_h() {
        let frames = vec![0.5f32; 2 * 12];
        let err = LayerInputs::new(
            stacked_items(&frames, &[2, 0], 3, 4),
            3,
            4,
            false,
            Pooling::Mean,
            true,
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("H[1]"), "{err}");
        let inputs = LayerInputs::new(
            stacked_items(&frames, &[2], 2, 6),
            2,
            6,
            false,
            Pooling::Mean,
            true,
        )
        .unwrap();
        let net = LayerWeighted::init(&spec(Pooling::Mean, false), 0, &Device::flex()).unwrap();
        assert!(predict(&net, &inputs, true).is_err());
    }
}
