//! The frame part of the layer-weighted head ([`super::layerwise`]) written out in plain
//! Rust, forward and backward: the softmax layer mix and the pooling (masked mean, or the
//! attention scorer `v . tanh(W h_t + b) + c` of [`super::sequence`] with its rational
//! tanh and a masked softmax over the frames).
//!
//! Burn's flex backend pays a fixed cost per tensor operation and materialises every
//! intermediate (the padded `(batch, frames, layers, dim)` product of the mix, its
//! gradient); here each item is mixed and pooled in place over its own frames, without
//! padding. Training feeds the pooled vectors to the Burn head as a leaf that requires a
//! gradient, reads that gradient after the backward pass, and runs [`Pooler::backward`]
//! for the gradients of the layer logits and the scorer, which go to the same optimizer
//! step as the head's. The tests check both directions against Burn's autodiff of the
//! network's tensor forward pass ([`super::layerwise::LayerWeighted`]).

use ndarray::{ArrayView2, ArrayViewMut2};

use super::fusion::to_vec;
use super::layerwise::{LayerInputs, LayerWeighted};
use crate::error::{Error, Result};

/// The scorer of attention pooling: `project.weight` `(dim, a)`, `project.bias` `(a,)`,
/// `score.weight` `(a,)`, `score.bias`.
struct Scorer {
    a: usize,
    project: Vec<f32>,
    bias: Vec<f32>,
    v: Vec<f32>,
    c: f32,
}

/// The parameters of the frame part, read out of a network once per minibatch.
pub(crate) struct Pooler {
    n_layers: usize,
    dim: usize,
    /// Softmax layer weights.
    w: Vec<f32>,
    scorer: Option<Scorer>,
}

/// What the backward pass needs of one item's forward pass.
pub(crate) struct ItemCache {
    /// Mixed frames `(frames, dim)`.
    mixed: Vec<f32>,
    /// Scorer pre-activations `(frames, a)` (attention only).
    z: Vec<f32>,
    /// Pooling weight of each frame (attention weights, or valid / count for the mean).
    a: Vec<f32>,
}

impl ItemCache {
    /// The item's pooling weights over its frames.
    pub(crate) fn into_weights(self) -> Vec<f32> {
        self.a
    }
}

/// Gradients of the frame part's parameters.
pub(crate) struct PoolGrads {
    pub layer_logits: Vec<f32>,
    /// `project.weight` `(dim, a)`, `project.bias`, `score.weight` `(a,)`, `score.bias`
    /// (attention only).
    pub scorer: Option<(Vec<f32>, Vec<f32>, Vec<f32>, f32)>,
}

/// The rational tanh of [`super::sequence`] (clamped to [-3, 3]) and its derivative.
#[inline]
fn rtanh(z: f32) -> (f32, f32) {
    let x = z.clamp(-3.0, 3.0);
    let x2 = x * x;
    let den = 27.0 + 9.0 * x2;
    let val = x * (27.0 + x2) / den;
    let slope = if (-3.0..=3.0).contains(&z) {
        ((27.0 + 3.0 * x2) * den - x * (27.0 + x2) * 18.0 * x) / (den * den)
    } else {
        0.0
    };
    (val, slope)
}

fn view(data: &[f32], rows: usize, cols: usize) -> Result<ArrayView2<'_, f32>> {
    ArrayView2::from_shape((rows, cols), data)
        .map_err(|e| Error::Internal(format!("pooling view: {e}")))
}

fn view_mut(data: &mut [f32], rows: usize, cols: usize) -> Result<ArrayViewMut2<'_, f32>> {
    ArrayViewMut2::from_shape((rows, cols), data)
        .map_err(|e| Error::Internal(format!("pooling view: {e}")))
}

impl Pooler {
    /// The current parameters of `net` (on any device).
    pub(crate) fn new(net: &LayerWeighted) -> Result<Self> {
        let (n_layers, dim) = (net.spec.n_layers, net.spec.dim);
        let w = to_vec(net.weights())?;
        let scorer = match (&net.project, &net.score) {
            (Some(p), Some(s)) => {
                let bias = |l: &burn::nn::Linear| -> Result<Vec<f32>> {
                    match &l.bias {
                        Some(b) => to_vec(b.val()),
                        None => Err(Error::Internal("attention layer without bias".into())),
                    }
                };
                let c = bias(s)?;
                Some(Scorer {
                    a: net.spec.attention_dim,
                    project: to_vec(p.weight.val())?,
                    bias: bias(p)?,
                    v: to_vec(s.weight.val())?,
                    c: c.first().copied().unwrap_or(0.0),
                })
            }
            _ => None,
        };
        Ok(Self {
            n_layers,
            dim,
            w,
            scorer,
        })
    }

    /// Pooled vectors `(idx.len(), dim)` of the items `idx` of `inputs`, and per item
    /// its forward cache (holding its pooling weights over its frames).
    pub(crate) fn forward(
        &self,
        inputs: &LayerInputs,
        idx: &[usize],
    ) -> Result<(Vec<f32>, Vec<ItemCache>)> {
        let (l, d) = (self.n_layers, self.dim);
        let mut pooled = vec![0.0f32; idx.len() * d];
        let mut caches = Vec::with_capacity(idx.len());
        for (&i, out) in idx.iter().zip(pooled.chunks_exact_mut(d)) {
            let (item, valid) = inputs.item(i);
            let t = valid.len();
            if item.len() != l * t * d {
                return Err(Error::Internal(
                    "hidden states do not match the network".into(),
                ));
            }
            // the mix: one axpy over (frames x dim) per layer
            let mut mixed = vec![0.0f32; t * d];
            for (&wl, block) in self.w.iter().zip(item.chunks_exact(t * d)) {
                mixed.iter_mut().zip(block).for_each(|(m, &h)| *m += wl * h);
            }
            let (z, a) = match &self.scorer {
                None => {
                    let count = valid.iter().sum::<f32>().max(1.0);
                    (Vec::new(), valid.iter().map(|&v| v / count).collect())
                }
                Some(s) => {
                    let mut z = vec![0.0f32; t * s.a];
                    for zt in z.chunks_exact_mut(s.a) {
                        zt.copy_from_slice(&s.bias);
                    }
                    ndarray::linalg::general_mat_mul(
                        1.0,
                        &view(&mixed, t, d)?,
                        &view(&s.project, d, s.a)?,
                        1.0,
                        &mut view_mut(&mut z, t, s.a)?,
                    );
                    let scores: Vec<f32> = z
                        .chunks_exact(s.a)
                        .zip(valid)
                        .map(|(zt, &ok)| {
                            if ok > 0.0 {
                                zt.iter()
                                    .zip(&s.v)
                                    .map(|(&z, &v)| rtanh(z).0 * v)
                                    .sum::<f32>()
                                    + s.c
                            } else {
                                f32::NEG_INFINITY
                            }
                        })
                        .collect();
                    let top = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                    let mut a: Vec<f32> = scores.iter().map(|&s| (s - top).exp()).collect();
                    let total: f32 = a.iter().sum();
                    a.iter_mut().for_each(|v| *v /= total);
                    (z, a)
                }
            };
            for (&at, m) in a.iter().zip(mixed.chunks_exact(d)) {
                if at != 0.0 {
                    out.iter_mut().zip(m).for_each(|(o, &m)| *o += at * m);
                }
            }
            caches.push(ItemCache { mixed, z, a });
        }
        Ok((pooled, caches))
    }

    /// Gradients of the layer logits (and the scorer) from the gradient `g`
    /// `(idx.len(), dim)` of the loss with respect to the pooled vectors of
    /// [`Pooler::forward`] on the same items.
    pub(crate) fn backward(
        &self,
        inputs: &LayerInputs,
        idx: &[usize],
        caches: &[ItemCache],
        g: &[f32],
    ) -> Result<PoolGrads> {
        let (l, d) = (self.n_layers, self.dim);
        let mut dw = vec![0.0f64; l];
        let mut sg = self.scorer.as_ref().map(|s| {
            (
                vec![0.0f32; d * s.a],
                vec![0.0f32; s.a],
                vec![0.0f32; s.a],
                0.0f32,
            )
        });
        for ((&i, cache), gi) in idx.iter().zip(caches).zip(g.chunks_exact(d)) {
            let (item, valid) = inputs.item(i);
            let t = valid.len();
            // d loss / d mixed, (frames, dim)
            let mut dmixed = vec![0.0f32; t * d];
            for (dm, &at) in dmixed.chunks_exact_mut(d).zip(&cache.a) {
                dm.iter_mut().zip(gi).for_each(|(o, &g)| *o = at * g);
            }
            if let (Some(s), Some((dp, db, dv, dc))) = (&self.scorer, sg.as_mut()) {
                let da: Vec<f32> = cache
                    .mixed
                    .chunks_exact(d)
                    .map(|m| m.iter().zip(gi).map(|(&m, &g)| m * g).sum::<f32>())
                    .collect();
                let mean: f32 = cache.a.iter().zip(&da).map(|(&a, &x)| a * x).sum();
                let mut dz = vec![0.0f32; t * s.a];
                for (((dzt, zt), &at), &dat) in dz
                    .chunks_exact_mut(s.a)
                    .zip(cache.z.chunks_exact(s.a))
                    .zip(&cache.a)
                    .zip(&da)
                {
                    if at == 0.0 {
                        continue;
                    }
                    let ds = at * (dat - mean);
                    *dc += ds;
                    for (((o, &z), &v), dvk) in dzt.iter_mut().zip(zt).zip(&s.v).zip(dv.iter_mut())
                    {
                        let (u, slope) = rtanh(z);
                        *dvk += ds * u;
                        *o = ds * v * slope;
                    }
                }
                for dzt in dz.chunks_exact(s.a) {
                    db.iter_mut().zip(dzt).for_each(|(o, &x)| *o += x);
                }
                let dzv = view(&dz, t, s.a)?;
                // project.weight += mixed^T dz; dmixed += dz project^T
                ndarray::linalg::general_mat_mul(
                    1.0,
                    &view(&cache.mixed, t, d)?.t(),
                    &dzv,
                    1.0,
                    &mut view_mut(dp, d, s.a)?,
                );
                ndarray::linalg::general_mat_mul(
                    1.0,
                    &dzv,
                    &view(&s.project, d, s.a)?.t(),
                    1.0,
                    &mut view_mut(&mut dmixed, t, d)?,
                );
            }
            for (acc, block) in dw.iter_mut().zip(item.chunks_exact(t * d)) {
                for (dm, h) in dmixed.chunks_exact(d).zip(block.chunks_exact(d)) {
                    *acc += dm.iter().zip(h).map(|(&g, &h)| g * h).sum::<f32>() as f64;
                }
            }
        }
        // softmax: d logit_k = w_k (dw_k - sum_j w_j dw_j)
        let inner: f64 = self.w.iter().zip(&dw).map(|(&w, &g)| w as f64 * g).sum();
        let layer_logits = self
            .w
            .iter()
            .zip(&dw)
            .map(|(&w, &g)| (w as f64 * (g - inner)) as f32)
            .collect();
        Ok(PoolGrads {
            layer_logits,
            scorer: sg,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::layerwise::{
        stacked_items, LayerInputs, LayerwiseSpec, LayerwiseTask, Pooling,
    };
    use crate::models::loss::Objective;
    use crate::models::network::Activation;
    use crate::models::train::Task;
    use burn::module::Module;
    use burn::optim::GradientsParams;
    use burn::tensor::{Device, Tensor};

    fn spec(pooling: Pooling) -> LayerwiseSpec {
        LayerwiseSpec {
            n_layers: 3,
            dim: 5,
            normalize: false,
            pooling,
            attention_dim: 4,
            hidden: vec![6],
            n_outputs: 3,
            activation: Activation::Tanh,
            dropout: 0.0,
            layer_norm: false,
        }
    }

    fn grads_of(net: &LayerWeighted, g: &GradientsParams) -> Vec<(String, Vec<f32>)> {
        let mut out = Vec::new();
        let mut put = |name: &str, t: Option<Tensor<2>>| {
            if let Some(t) = t {
                out.push((name.to_string(), to_vec(t).unwrap()));
            }
        };
        put(
            "layer_logits",
            g.get::<1>(net.layer_logits.id).map(|t| t.unsqueeze()),
        );
        if let (Some(p), Some(s)) = (&net.project, &net.score) {
            put("project.weight", g.get::<2>(p.weight.id));
            put(
                "project.bias",
                g.get::<1>(p.bias.as_ref().unwrap().id)
                    .map(|t| t.unsqueeze()),
            );
            put("score.weight", g.get::<2>(s.weight.id));
            put(
                "score.bias",
                g.get::<1>(s.bias.as_ref().unwrap().id)
                    .map(|t| t.unsqueeze()),
            );
        }
        for (i, l) in net.head.layers.iter().enumerate() {
            put(&format!("head.{i}.weight"), g.get::<2>(l.weight.id));
        }
        out
    }

    /// The hand-written forward and backward of the layer mix and pooling give Burn's
    /// autodiff of the tensor forward pass, for both poolings, with padding (items of
    /// different lengths), a masked (NaN) frame, sample weights and cross-entropy.
    #[test]
    fn gradients_equal_burns_autodiff_of_the_tensor_forward_pass() {
        let lengths = [4usize, 7, 1, 5];
        let total: usize = lengths.iter().sum();
        let mut frames: Vec<f32> = (0..total * 15)
            .map(|i| ((i * 37 % 29) as f32 - 14.0) / 6.0)
            .collect();
        frames[6 * 15 + 2] = f32::NAN; // frame 2 of the second item is masked out
        let targets: Vec<f32> = (0..4 * 3)
            .map(|i| if i % 4 == 0 { 1.0 } else { 0.0 })
            .collect();
        let weights = [1.0f32, 0.5, 2.0, 1.0];
        let device = Device::flex().autodiff();
        for pooling in [Pooling::Mean, Pooling::Attention] {
            for pooled_inputs in [true, false] {
                let inputs_pooling = if pooled_inputs {
                    pooling
                } else {
                    Pooling::Attention
                };
                if pooling == Pooling::Attention && pooled_inputs {
                    continue;
                }
                let inputs = LayerInputs::new(
                    stacked_items(&frames, &lengths, 3, 5),
                    3,
                    5,
                    false,
                    inputs_pooling,
                    true,
                )
                .unwrap();
                let mut s = spec(pooling);
                if !pooled_inputs {
                    // the frame path of a mean-pooling network: its masked mean of frames
                    s.pooling = Pooling::Attention;
                }
                let mut net = LayerWeighted::init(&s, 7, &device).unwrap();
                if !pooled_inputs && pooling == Pooling::Mean {
                    net.project = None;
                    net.score = None;
                }
                // non-uniform layer weights
                net.layer_logits = burn::module::Param::from_tensor(
                    Tensor::<1>::from_data(
                        burn::tensor::TensorData::new(vec![0.3f32, -0.5, 0.9], [3]),
                        &device,
                    )
                    .require_grad(),
                );
                let task = LayerwiseTask {
                    inputs: &inputs,
                    objective: Objective::CrossEntropy,
                    targets: &targets,
                    weights: Some(&weights),
                };
                let idx = [2usize, 0, 3, 1];
                let loss = task.loss(&net, &idx, &device, None);
                let reference_value = loss.clone().into_scalar::<f32>() as f64;
                let reference = GradientsParams::from_grads(loss.backward(), &net);
                let (value, grads) = task.gradients(&net, &idx, &device, None).unwrap();
                let grads = grads.unwrap();
                assert!(
                    (value - reference_value).abs() < 1e-6,
                    "{value} {reference_value}"
                );
                let (a, b) = (grads_of(&net, &grads), grads_of(&net, &reference));
                assert_eq!(a.len(), b.len(), "{pooling:?} {pooled_inputs}");
                assert!(a.len() >= if pooling == Pooling::Attention { 7 } else { 3 });
                // the check can fail: every gradient is far from 0 (but the score's bias:
                // the softmax over the frames ignores a shift, its gradient is 0)
                for (name, v) in b.iter().filter(|(n, _)| n != "score.bias") {
                    assert!(v.iter().any(|x| x.abs() > 1e-4), "{name}: {v:?}");
                }
                for ((name, u), (_, v)) in a.iter().zip(&b) {
                    assert_eq!(u.len(), v.len(), "{name}");
                    for (x, y) in u.iter().zip(v) {
                        assert!(
                            (x - y).abs() <= 1e-6,
                            "{pooling:?} {pooled_inputs} {name}: {u:?} vs {v:?}"
                        );
                    }
                }
                // the outputs and the evaluation loss of the plain path
                let plain = net.valid();
                let v = task.evaluate(&plain, &idx, &Device::flex()).unwrap();
                assert!((v - reference_value).abs() < 1e-6, "{v} {reference_value}");
            }
        }
    }

    #[test]
    fn rtanh_slope_is_the_derivative() {
        for i in -400..=400 {
            let z = i as f32 / 100.0 + 0.003;
            let h = 1e-3f32;
            let numeric = (rtanh(z + h).0 - rtanh(z - h).0) / (2.0 * h);
            assert!((numeric - rtanh(z).1).abs() < 1e-3, "{z}");
        }
    }
}
