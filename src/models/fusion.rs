//! Gated multimodal fusion: one encoder per modality, a gate that weighs the modalities
//! an item has, one classifier head, trained end to end as one network.
//!
//! Each modality `m` is encoded to an embedding `h_m = act(MLP_m(x_m))`. The gate reads
//! all embeddings and the presence mask and scores each modality; the scores of missing
//! modalities are set to -inf before the softmax, so the weights spread over the present
//! modalities only and a missing one is skipped, not imputed. The fused embedding
//! `sum_m w_m h_m` feeds a linear softmax head. This is the attention-style gated fusion
//! of Arevalo et al. 2017 ("Gated multimodal units") with softmax gates over modalities
//! as in multimodal emotion recognition with missing modalities; modality dropout
//! (Neverova et al. 2016, ModDrop) hides present modalities of training items at random.
//!
//! With one modality always missing, its gate weight is exactly 0 and the other's
//! exactly 1, so the network trains exactly like the single-modality one: encoders,
//! gate and head draw their initial weights and dropout from separate seeded streams.

use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::activation::softmax;
use burn::tensor::{Device, Tensor};
use serde::{Deserialize, Serialize};

use super::loss::Objective;
use super::network::{dense, Activation, Mlp, MlpSpec};
use super::train::{gather, item_weights, matrix, Task};
use crate::error::{Error, Result};
use crate::labels::vote::SplitMix64;

/// Shape of a gated fusion network; stored in model files next to the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FusionSpec {
    /// Feature columns of each modality, in the caller's (sorted) modality order.
    pub widths: Vec<usize>,
    /// Encoder layer widths; the last is the shared embedding width.
    pub hidden: Vec<usize>,
    pub n_classes: usize,
    pub activation: Activation,
    pub dropout: f64,
    pub layer_norm: bool,
}

impl FusionSpec {
    fn encoder(&self, n_inputs: usize) -> Result<MlpSpec> {
        let (&embedding, inner) = self.hidden.split_last().ok_or_else(|| {
            Error::param(
                "hidden_layer_sizes",
                "gated fusion needs at least one hidden layer (its width is the embedding)",
            )
        })?;
        let spec = MlpSpec {
            n_inputs,
            hidden: inner.to_vec(),
            n_outputs: embedding,
            activation: self.activation,
            dropout: self.dropout,
            layer_norm: self.layer_norm,
        };
        spec.validate()?;
        Ok(spec)
    }

    fn embedding(&self) -> usize {
        self.hidden.last().copied().unwrap_or(0)
    }
}

/// The Burn module: encoders, gate and head.
#[derive(Module, Debug)]
pub struct GatedFusion {
    pub encoders: Vec<Mlp>,
    pub gate: Linear,
    pub head: Linear,
    #[module(skip)]
    pub spec: FusionSpec,
}

/// Seeds of the separate random streams, so that adding a modality leaves the others'
/// initial weights and dropout unchanged.
fn stream(seed: u64, part: u64) -> u64 {
    seed ^ part.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}
const GATE: u64 = 1 << 32;
const HEAD: u64 = (1 << 32) + 1;
const MODDROP: u64 = (1 << 32) + 2;

impl GatedFusion {
    pub fn init(spec: &FusionSpec, seed: u64, device: &Device) -> Result<Self> {
        if spec.widths.is_empty() || spec.n_classes < 2 {
            return Err(Error::param(
                "X",
                "expected at least one modality and two classes",
            ));
        }
        let encoders = spec
            .widths
            .iter()
            .enumerate()
            .map(|(m, &d)| Mlp::init(&spec.encoder(d)?, stream(seed, m as u64), device))
            .collect::<Result<Vec<_>>>()?;
        let (n_mod, emb) = (spec.widths.len(), spec.embedding());
        let gate = dense(
            n_mod * emb + n_mod,
            n_mod,
            &mut SplitMix64::new(stream(seed, GATE)),
            device,
        );
        let head = dense(
            emb,
            spec.n_classes,
            &mut SplitMix64::new(stream(seed, HEAD)),
            device,
        );
        Ok(Self {
            encoders,
            gate,
            head,
            spec: spec.clone(),
        })
    }

    /// Logits and gate weights `(rows, n_modalities)` for zero-filled blocks `xs` and the
    /// 0/1 presence `mask` `(rows, n_modalities)`. `seed` drives dropout in training.
    pub fn forward(
        &self,
        xs: Vec<Tensor<2>>,
        mask: Tensor<2>,
        seed: Option<u64>,
    ) -> (Tensor<2>, Tensor<2>) {
        let n_mod = self.encoders.len();
        let mut embedded = Vec::with_capacity(n_mod + 1);
        for (m, (enc, x)) in self.encoders.iter().zip(xs).enumerate() {
            let mut rng = seed.map(|s| SplitMix64::new(stream(s, m as u64)));
            let h = self.spec.activation.apply(enc.forward(x, rng.as_mut()));
            // zero the embedding of a missing modality: the gate must not see the
            // encoder's response to the zero filler
            embedded.push(h * mask.clone().narrow(1, m, 1));
        }
        let absent = mask.clone().equal_elem(0.0);
        embedded.push(mask);
        let scores = self.gate.forward(Tensor::cat(embedded.clone(), 1));
        let weights = softmax(scores.mask_fill(absent, f32::NEG_INFINITY), 1);
        let mut fused = embedded[0].clone() * weights.clone().narrow(1, 0, 1);
        for (m, h) in embedded.into_iter().enumerate().take(n_mod).skip(1) {
            fused = fused + h * weights.clone().narrow(1, m, 1);
        }
        (self.head.forward(fused), weights)
    }
}

/// Modality blocks split into zero-filled features and a presence mask.
#[derive(Debug, Clone)]
pub struct Modalities {
    /// Row-major `(n, width_m)` per modality, zero where missing.
    pub blocks: Vec<Vec<f32>>,
    pub widths: Vec<usize>,
    /// Row-major `(n, n_modalities)`, 1 = present.
    pub mask: Vec<f32>,
    pub n: usize,
}

impl Modalities {
    /// From row-major blocks where an all-NaN row means the modality is missing for that
    /// item. `names` label the blocks in error messages.
    pub fn new(blocks: &[&[f32]], widths: &[usize], names: &[String]) -> Result<Self> {
        let n_mod = blocks.len();
        let mut n = None;
        for ((b, &w), name) in blocks.iter().zip(widths).zip(names) {
            let rows = b.len().checked_div(w).unwrap_or(0);
            if w == 0 || b.len() != rows * w || n.is_some_and(|n| n != rows) {
                return Err(Error::param(
                    &format!("X[{name:?}]"),
                    "expected a non-empty (n_items, n_features) matrix with the same rows as the other modalities",
                ));
            }
            n = Some(rows);
        }
        let n = n.ok_or_else(|| Error::param("X", "expected at least one modality"))?;
        let mut mask = vec![0.0f32; n * n_mod];
        let mut filled = Vec::with_capacity(n_mod);
        for (m, ((b, &w), name)) in blocks.iter().zip(widths).zip(names).enumerate() {
            let mut out = b.to_vec();
            for (i, row) in out.chunks_exact_mut(w).enumerate() {
                let nan = row.iter().filter(|v| v.is_nan()).count();
                if nan == w {
                    row.fill(0.0);
                } else if nan > 0 || row.iter().any(|v| v.is_infinite()) {
                    return Err(Error::param(
                        &format!("X[{name:?}]"),
                        format!("row {i} is partly NaN or infinite; rows must be complete or all NaN (modality missing)"),
                    ));
                } else {
                    mask[i * n_mod + m] = 1.0;
                }
            }
            filled.push(out);
        }
        Ok(Self {
            blocks: filled,
            widths: widths.to_vec(),
            mask,
            n,
        })
    }

    /// Whether item `i` has at least one modality.
    pub fn has_any(&self, i: usize) -> bool {
        let k = self.widths.len();
        self.mask[i * k..(i + 1) * k].iter().any(|&p| p > 0.0)
    }

    fn tensors(
        &self,
        idx: &[usize],
        mask: Vec<f32>,
        device: &Device,
    ) -> (Vec<Tensor<2>>, Tensor<2>) {
        let xs = self
            .blocks
            .iter()
            .zip(&self.widths)
            .map(|(b, &w)| matrix(gather(b, w, idx), idx.len(), w, device))
            .collect();
        (xs, matrix(mask, idx.len(), self.widths.len(), device))
    }
}

/// Training data of a gated fusion network.
pub struct FusionTask<'a> {
    pub inputs: &'a Modalities,
    /// Row-major `(n, n_classes)` target distributions.
    pub targets: &'a [f32],
    pub weights: Option<&'a [f32]>,
    /// Probability of hiding each present modality of a training item.
    pub modality_dropout: f64,
}

impl FusionTask<'_> {
    pub fn validate(&self, spec: &FusionSpec) -> Result<()> {
        let n = self.inputs.n;
        if self.targets.len() != n * spec.n_classes || self.inputs.widths != spec.widths {
            return Err(Error::Internal(
                "fusion data do not match the network".into(),
            ));
        }
        if let Some(i) = (0..n).find(|&i| !self.inputs.has_any(i)) {
            return Err(Error::param(
                "X",
                format!("training item {i} has no modality at all"),
            ));
        }
        if !(0.0..1.0).contains(&self.modality_dropout) {
            return Err(Error::param(
                "modality_dropout",
                format!(
                    "expected a probability in [0, 1), got {}",
                    self.modality_dropout
                ),
            ));
        }
        Ok(())
    }

    /// The presence mask of `idx` with modalities dropped at random (at least one kept).
    fn dropped_mask(&self, idx: &[usize], rng: &mut SplitMix64) -> Vec<f32> {
        let k = self.inputs.widths.len();
        let mut out = gather(&self.inputs.mask, k, idx);
        if self.modality_dropout == 0.0 {
            return out;
        }
        for row in out.chunks_exact_mut(k) {
            let present: Vec<usize> = (0..k).filter(|&m| row[m] > 0.0).collect();
            for &m in &present {
                if super::network::uniform(rng) < self.modality_dropout {
                    row[m] = 0.0;
                }
            }
            if row.iter().all(|&p| p == 0.0) {
                row[present[rng.below(present.len() as u64) as usize]] = 1.0;
            }
        }
        out
    }
}

impl Task for FusionTask<'_> {
    type Net = GatedFusion;

    fn n_rows(&self) -> usize {
        self.inputs.n
    }

    fn loss(
        &self,
        net: &GatedFusion,
        idx: &[usize],
        device: &Device,
        rng: Option<&mut SplitMix64>,
    ) -> Tensor<1> {
        let k = net.spec.n_classes;
        let (mask, seed) = match rng {
            Some(rng) => {
                let seed = rng.next_u64();
                (
                    self.dropped_mask(idx, &mut SplitMix64::new(stream(seed, MODDROP))),
                    Some(seed),
                )
            }
            None => (
                gather(&self.inputs.mask, self.inputs.widths.len(), idx),
                None,
            ),
        };
        let (xs, mask) = self.inputs.tensors(idx, mask, device);
        let (logits, _) = net.forward(xs, mask, seed);
        let y = matrix(gather(self.targets, k, idx), idx.len(), k, device);
        Objective::CrossEntropy.loss(logits, y, item_weights(self.weights, idx, device))
    }
}

/// Class probabilities `(n, n_classes)` and gate weights `(n, n_modalities)`; items with
/// no modality get NaN rows in both. Runs on the current rayon pool.
pub fn predict(net: &GatedFusion, inputs: &Modalities) -> Result<(Vec<f32>, Vec<f32>)> {
    if inputs.widths != net.spec.widths {
        return Err(Error::param(
            "X",
            format!(
                "expected modalities of widths {:?} as in fit, got {:?}",
                net.spec.widths, inputs.widths
            ),
        ));
    }
    let (k, n_mod) = (net.spec.n_classes, inputs.widths.len());
    let device = Device::flex();
    let mut proba = vec![f32::NAN; inputs.n * k];
    let mut gates = vec![f32::NAN; inputs.n * n_mod];
    let rows: Vec<usize> = (0..inputs.n).filter(|&i| inputs.has_any(i)).collect();
    for idx in rows.chunks(1024) {
        let (xs, mask) = inputs.tensors(idx, gather(&inputs.mask, n_mod, idx), &device);
        let (logits, w) = net.forward(xs, mask, None);
        let p = to_vec(softmax(logits, 1))?;
        let w = to_vec(w)?;
        for (j, &i) in idx.iter().enumerate() {
            proba[i * k..(i + 1) * k].copy_from_slice(&p[j * k..(j + 1) * k]);
            gates[i * n_mod..(i + 1) * n_mod].copy_from_slice(&w[j * n_mod..(j + 1) * n_mod]);
        }
    }
    Ok((proba, gates))
}

pub(crate) fn to_vec<const D: usize>(t: Tensor<D>) -> Result<Vec<f32>> {
    t.into_data()
        .try_into_vec::<f32>()
        .map_err(|e| Error::Internal(format!("reading network outputs: {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::loss::one_hot;
    use crate::models::train::{run, Optimizer, Schedule, TrainOptions};

    fn options() -> TrainOptions {
        TrainOptions {
            batch_size: 16,
            max_epochs: 15,
            learning_rate: 0.01,
            schedule: Schedule::Constant,
            optimizer: Optimizer::Adam,
            alpha: 1e-4,
            tol: 0.0,
            early_stopping: false,
            validation_fraction: 0.1,
            n_iter_no_change: 100,
            seed: 3,
            groups: None,
        }
    }

    fn train(blocks: &[&[f32]], widths: &[usize], targets: &[f32]) -> (GatedFusion, Modalities) {
        let names: Vec<String> = (0..blocks.len()).map(|m| format!("m{m}")).collect();
        let inputs = Modalities::new(blocks, widths, &names).unwrap();
        let spec = FusionSpec {
            widths: widths.to_vec(),
            hidden: vec![8],
            n_classes: 2,
            activation: Activation::Relu,
            dropout: 0.1,
            layer_norm: false,
        };
        let task = FusionTask {
            inputs: &inputs,
            targets,
            weights: None,
            modality_dropout: 0.0,
        };
        task.validate(&spec).unwrap();
        let net = GatedFusion::init(&spec, 3, &Device::flex().autodiff()).unwrap();
        (run(net, &task, &options()).unwrap().model, inputs)
    }

    #[test]
    fn a_modality_missing_everywhere_changes_nothing() {
        let n = 40;
        let audio: Vec<f32> = (0..n * 2)
            .map(|i| if (i / 2) % 2 == 0 { -1.0 } else { 1.0 } + (i % 7) as f32 * 0.1)
            .collect();
        let labels: Vec<i64> = (0..n as i64).map(|i| i % 2).collect();
        let t = one_hot(&labels, 2, 0.0).unwrap();
        let face = vec![f32::NAN; n * 3];
        let (both, inputs) = train(&[&audio, &face], &[2, 3], &t);
        let (single, alone) = train(&[&audio], &[2], &t);
        let (p2, g2) = predict(&both, &inputs).unwrap();
        let (p1, g1) = predict(&single, &alone).unwrap();
        assert_eq!(p1, p2);
        assert!(g1.iter().all(|&w| w == 1.0));
        assert!(g2.chunks(2).all(|w| w == [1.0, 0.0]));
        // a row that is partly NaN is refused, naming the modality
        let mut partial = face.clone();
        partial[0] = 1.0;
        let err = Modalities::new(&[&audio, &partial], &[2, 3], &["a".into(), "face".into()])
            .unwrap_err();
        assert!(err.to_string().contains("face"), "{err}");
    }
}
