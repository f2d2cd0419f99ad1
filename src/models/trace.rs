//! Time-continuous regression: one output per frame (e.g. valence and arousal traces as in
//! RECOLA / AVEC), from variable-length frame sequences.
//!
//! The network is an optional 1-D convolution front (the one of [`super::sequence`]), a
//! context layer and an MLP head applied to every frame. The context is a unidirectional
//! GRU ([`super::gru`]; Cho et al. 2014, the gate layout of PyTorch's `nn.GRU`:
//! `r = s(W_r x + U_r h)`, `z = s(W_z x + U_z h)`, `n = tanh(W_n x + r * (U_n h))`,
//! `h' = (1 - z) n + z h`, each with a bias), or none (frame by frame). A recurrent
//! context suits annotator traces: a rating at time t reflects what the annotator heard
//! and saw up to t (they react with a delay of seconds; Mariooryad and Busso 2015), so
//! the past is what a frame's prediction needs, and a causal model predicts as the
//! recording streams. Recurrent networks are the classic AVEC / RECOLA models
//! (Ringeval et al. 2015; Trigeorgis et al. 2016).
//!
//! Training minimises 1 - CCC (Lin 1989) over the concatenated rated frames of each
//! minibatch, per target column then averaged, or the MSE. Concatenation is how AVEC
//! (Valstar et al. 2016; Ringeval et al. 2017) scores a partition and how Trigeorgis et
//! al. (2016) trained their end-to-end model; it stays defined for a flat sequence, where
//! a per-sequence CCC does not. Padding frames and frames whose target is NaN (unrated)
//! are left out of the loss by *gathering* the rated frames before the head, so the head
//! and the loss never see a padding frame: extra padding changes neither the loss nor,
//! without the convolution front, the gradients (bit for bit).

use burn::module::Module;
use burn::nn::conv::Conv1d;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Int, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use super::fusion::to_vec;
use super::gru::GruCell;
use super::loss::{ccc_loss, weighted_mse, Objective};
use super::network::{Activation, Mlp, MlpSpec};
use super::sequence::{conv_front, Sequences};
use super::train::{matrix, Task};
use crate::error::{Error, Result};
use crate::labels::vote::SplitMix64;

/// The context layer between the frames and the per-frame head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Context {
    /// A unidirectional GRU of `context_dim` units.
    Gru,
    /// None: the head sees each frame (after the convolution, if any) on its own.
    None,
}

/// `"gru"` or `"none"`.
impl std::str::FromStr for Context {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "gru" => Ok(Self::Gru),
            "none" => Ok(Self::None),
            other => Err(Error::param(
                "context",
                format!("expected 'gru' or 'none', got {other:?}"),
            )),
        }
    }
}

/// Shape of a trace network; stored in model files next to the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceSpec {
    pub n_features: usize,
    /// Convolution filters; 0 = no convolution front.
    pub conv_channels: usize,
    /// Convolution width in frames.
    pub conv_kernel: usize,
    pub context: Context,
    /// GRU units (unused without a context).
    pub context_dim: usize,
    /// Head layer widths (empty = a linear read-out per frame).
    pub hidden: Vec<usize>,
    pub n_outputs: usize,
    pub activation: Activation,
    pub dropout: f64,
    pub layer_norm: bool,
}

impl TraceSpec {
    /// Width of what the context reads.
    fn frame_width(&self) -> usize {
        if self.conv_channels > 0 {
            self.conv_channels
        } else {
            self.n_features
        }
    }

    /// Width of what the head reads.
    fn context_width(&self) -> usize {
        match self.context {
            Context::Gru => self.context_dim,
            Context::None => self.frame_width(),
        }
    }

    fn head(&self) -> MlpSpec {
        MlpSpec {
            n_inputs: self.context_width(),
            hidden: self.hidden.clone(),
            n_outputs: self.n_outputs,
            activation: self.activation,
            dropout: self.dropout,
            layer_norm: self.layer_norm,
        }
    }

    fn validate(&self) -> Result<()> {
        if self.conv_channels > 0 && self.conv_kernel == 0 {
            return Err(Error::param(
                "conv_kernel",
                "expected a positive kernel width",
            ));
        }
        if self.context == Context::Gru && self.context_dim == 0 {
            return Err(Error::param("context_dim", "expected a positive width"));
        }
        self.head().validate()
    }

    /// Number of parameters (None: it overflows `usize`).
    pub fn n_params(&self) -> Option<usize> {
        let conv =
            super::sequence::conv_params(self.n_features, self.conv_channels, self.conv_kernel)?;
        let gru = match self.context {
            Context::Gru => GruCell::n_params(self.frame_width(), self.context_dim)?,
            Context::None => 0,
        };
        let head = super::persist::mlp_params(
            self.context_width(),
            &self.hidden,
            self.n_outputs,
            self.layer_norm,
        )?;
        conv.checked_add(gru)?.checked_add(head)
    }
}

/// The Burn module.
#[derive(Module, Debug)]
pub struct TraceNet {
    pub conv: Option<Conv1d>,
    /// The GRU context (`context="gru"`), `context_dim` units.
    pub gru: Option<GruCell>,
    pub head: Mlp,
    #[module(skip)]
    pub spec: TraceSpec,
}

impl TraceNet {
    pub fn init(spec: &TraceSpec, seed: u64, device: &Device) -> Result<Self> {
        spec.validate()?;
        let mut rng = SplitMix64::new(seed ^ 0x7A_ACE5);
        let conv = (spec.conv_channels > 0).then(|| {
            conv_front(
                spec.n_features,
                spec.conv_channels,
                spec.conv_kernel,
                &mut rng,
                device,
            )
        });
        let gru = match spec.context {
            Context::Gru => Some(GruCell::init(
                spec.frame_width(),
                spec.context_dim,
                &mut rng,
                device,
            )),
            Context::None => None,
        };
        let head = Mlp::init(&spec.head(), seed, device)?;
        Ok(Self {
            conv,
            gru,
            head,
            spec: spec.clone(),
        })
    }

    /// Context features `(batch * frames, width)` (row `j * frames + t`) of zero-padded
    /// frames `(batch, frames, n_features)`.
    fn context(&self, x: Tensor<3>) -> Tensor<2> {
        let [b, t, _] = x.dims();
        let x = match &self.conv {
            Some(conv) => relu(conv.forward(x.swap_dims(1, 2))).swap_dims(1, 2),
            None => x,
        };
        let width = self.spec.frame_width();
        let x = x.reshape([b * t, width]);
        let Some(gru) = &self.gru else {
            return x;
        };
        // every operation is per row of the batch, so a sequence's states do not depend on
        // its batch mates or on the padding after it
        gru.run(x, b, t).reshape([b * t, self.spec.context_dim])
    }

    /// Outputs `(batch * frames, n_outputs)` (row `j * frames + t`) for zero-padded
    /// frames `(batch, frames, n_features)`; `rows` restricts them to those rows (in that
    /// order) before the head.
    pub fn forward(
        &self,
        x: Tensor<3>,
        rows: Option<Tensor<1, Int>>,
        rng: Option<&mut SplitMix64>,
    ) -> Tensor<2> {
        let c = self.context(x);
        let c = match rows {
            Some(r) => c.select(0, r),
            None => c,
        };
        self.head.forward(c, rng)
    }
}

/// Training data of a trace network: per-frame targets aligned with the frames.
pub struct TraceTask<'a> {
    pub inputs: &'a Sequences,
    /// Row-major `(total_frames, n_targets)`, NaN = unrated frame (left out of the loss).
    pub targets: &'a [f32],
    pub n_targets: usize,
    /// One weight per sequence (weighs each of its frames), or None.
    pub weights: Option<&'a [f32]>,
    /// [`Objective::Ccc`] or [`Objective::Mse`].
    pub objective: Objective,
    /// Pads every minibatch to at least this many frames (tests of the padding; 0).
    pub min_frames: usize,
}

impl TraceTask<'_> {
    /// Checks targets and weights against the sequences; the error names `y[i]`.
    pub fn validate(&self) -> Result<()> {
        let n = self.inputs.len();
        let total = self.inputs.offsets[n];
        if self.n_targets == 0 || self.targets.len() != total * self.n_targets {
            return Err(Error::Internal(format!(
                "{} target values for {total} frames of {} targets",
                self.targets.len(),
                self.n_targets
            )));
        }
        if !matches!(self.objective, Objective::Ccc | Objective::Mse) {
            return Err(Error::param("loss", "expected 'ccc' or 'mse'"));
        }
        for i in 0..n {
            let (a, b) = (self.inputs.offsets[i], self.inputs.offsets[i + 1]);
            let rows = &self.targets[a * self.n_targets..b * self.n_targets];
            if rows.iter().any(|v| v.is_infinite()) {
                return Err(Error::param(&format!("y[{i}]"), "contains infinity"));
            }
            if rows.iter().all(|v| v.is_nan()) {
                return Err(Error::param(
                    &format!("y[{i}]"),
                    "the trace has no rated frame (all NaN)",
                ));
            }
        }
        super::train::check_weights(self.weights, n, "sequences")?;
        Ok(())
    }
}

impl Task for TraceTask<'_> {
    type Net = TraceNet;

    fn n_rows(&self) -> usize {
        self.inputs.len()
    }

    fn loss(
        &self,
        net: &TraceNet,
        idx: &[usize],
        device: &Device,
        rng: Option<&mut SplitMix64>,
    ) -> Tensor<1> {
        let k = self.n_targets;
        let (x, _) = self.inputs.padded(idx, self.min_frames, device);
        let t = x.dims()[1];
        // the frames with at least one rating, in sequence order
        let mut rows = Vec::new();
        let mut y = Vec::new();
        let mut w = Vec::new();
        for (j, &i) in idx.iter().enumerate() {
            let start = self.inputs.offsets[i];
            let sw = self.weights.map_or(1.0, |w| w[i]);
            for f in 0..self.inputs.length(i) {
                let target = &self.targets[(start + f) * k..(start + f + 1) * k];
                if target.iter().all(|v| v.is_nan()) {
                    continue;
                }
                rows.push((j * t + f) as i64);
                for &v in target {
                    y.push(if v.is_nan() { 0.0 } else { v });
                    w.push(if v.is_nan() { 0.0 } else { sw });
                }
            }
        }
        let n = rows.len();
        if n == 0 {
            // a minibatch of unrated sequences cannot happen (validate), but stay finite
            return Tensor::zeros([1], device);
        }
        let rows = Tensor::<1, Int>::from_data(TensorData::new(rows, [n]), device);
        let out = net.forward(x, Some(rows), rng);
        let y = matrix(y, n, k, device);
        let w = matrix(w, n, k, device);
        match self.objective {
            Objective::Mse => weighted_mse(out, y, w),
            _ => ccc_loss(out, y, w),
        }
    }
}

/// Per-frame outputs `(total_frames, n_outputs)`, in the order of the input frames.
pub fn predict(net: &TraceNet, inputs: &Sequences) -> Result<Vec<f32>> {
    if inputs.n_features != net.spec.n_features {
        return Err(Error::param(
            "X",
            format!(
                "expected frames of {} features as in fit, got {}",
                net.spec.n_features, inputs.n_features
            ),
        ));
    }
    let k = net.spec.n_outputs;
    let device = Device::flex();
    let n = inputs.len();
    let mut out = vec![0.0f32; inputs.offsets[n] * k];
    // sort by length so that batches carry little padding
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| inputs.length(i));
    for idx in order.chunks(64) {
        let (x, _) = inputs.padded(idx, 0, &device);
        let t = x.dims()[1];
        let y = to_vec(net.forward(x, None, None))?;
        for (j, &i) in idx.iter().enumerate() {
            let (a, len) = (inputs.offsets[i], inputs.length(i));
            out[a * k..(a + len) * k].copy_from_slice(&y[j * t * k..(j * t + len) * k]);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::train::{run, Optimizer, Schedule, TrainOptions};

    fn spec(conv_channels: usize, context: Context) -> TraceSpec {
        TraceSpec {
            n_features: 2,
            conv_channels,
            conv_kernel: 3,
            context,
            context_dim: 6,
            hidden: vec![5],
            n_outputs: 1,
            activation: Activation::Tanh,
            dropout: 0.0,
            layer_norm: false,
        }
    }

    /// Sequences of 9, 14 and 5 frames whose target is the first feature of two frames
    /// before (a lag the GRU can learn).
    fn data() -> (Sequences, Vec<f32>) {
        let lengths = [9usize, 14, 5];
        let total: usize = lengths.iter().sum();
        let frames: Vec<f32> = (0..total * 2)
            .map(|i| (((i * 37) % 17) as f32 - 8.0) / 5.0)
            .collect();
        let mut targets = Vec::new();
        let mut start = 0;
        for &len in &lengths {
            for f in 0..len {
                targets.push(if f < 2 {
                    f32::NAN
                } else {
                    frames[(start + f - 2) * 2]
                });
            }
            start += len;
        }
        (Sequences::new(&frames, &lengths, 2).unwrap(), targets)
    }

    fn options() -> TrainOptions {
        TrainOptions {
            batch_size: 2,
            max_epochs: 15,
            learning_rate: 0.01,
            schedule: Schedule::Constant,
            optimizer: Optimizer::Adam,
            alpha: 0.0,
            tol: 0.0,
            early_stopping: false,
            validation_fraction: 0.1,
            n_iter_no_change: 100,
            seed: 3,
            groups: None,
        }
    }

    fn train(conv: usize, context: Context, min_frames: usize, objective: Objective) -> Vec<f32> {
        let (seqs, targets) = data();
        let task = TraceTask {
            inputs: &seqs,
            targets: &targets,
            n_targets: 1,
            weights: None,
            objective,
            min_frames,
        };
        task.validate().unwrap();
        let net = TraceNet::init(&spec(conv, context), 1, &Device::flex().autodiff()).unwrap();
        let fitted = crate::parallel::install(Some(1), || run(net, &task, &options()))
            .unwrap()
            .unwrap();
        predict(&fitted.model, &seqs).unwrap()
    }

    #[test]
    fn extra_padding_changes_nothing() {
        for objective in [Objective::Ccc, Objective::Mse] {
            for context in [Context::Gru, Context::None] {
                // bit for bit without the convolution front
                assert_eq!(
                    train(0, context, 0, objective),
                    train(0, context, 40, objective),
                    "{context:?} {objective:?}"
                );
            }
        }
        let (a, b) = (
            train(3, Context::Gru, 0, Objective::Ccc),
            train(3, Context::Gru, 40, Objective::Ccc),
        );
        let worst = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f32::max);
        assert!(worst < 1e-4, "{worst}");
    }

    #[test]
    fn a_sequence_alone_predicts_as_in_a_padded_batch() {
        let (seqs, _) = data();
        for conv in [0, 3] {
            let net = TraceNet::init(&spec(conv, Context::Gru), 2, &Device::flex()).unwrap();
            let all = predict(&net, &seqs).unwrap();
            assert_eq!(all.len(), 28);
            // the last sequence (5 frames) shares its batch with longer ones above
            let alone = Sequences::new(&seqs.frames[23 * 2..], &[5], 2).unwrap();
            let p = predict(&net, &alone).unwrap();
            for (x, y) in p.iter().zip(&all[23..]) {
                assert!((x - y).abs() < 1e-6, "{x} {y}");
            }
        }
    }

    #[test]
    fn the_gru_learns_a_lag_and_counts_match() {
        let (seqs, targets) = data();
        let task = TraceTask {
            inputs: &seqs,
            targets: &targets,
            n_targets: 1,
            weights: None,
            objective: Objective::Mse,
            min_frames: 0,
        };
        let mut o = options();
        o.max_epochs = 300;
        let net = TraceNet::init(&spec(0, Context::Gru), 1, &Device::flex().autodiff()).unwrap();
        let fitted = run(net, &task, &o).unwrap();
        assert!(
            fitted.loss_curve.last().unwrap() < &(0.2 * fitted.loss_curve[0]),
            "{:?}",
            fitted.loss_curve
        );
        for (conv, context) in [(0, Context::Gru), (4, Context::Gru), (4, Context::None)] {
            let s = spec(conv, context);
            let net = TraceNet::init(&s, 0, &Device::flex()).unwrap();
            assert_eq!(s.n_params(), Some(net.num_params()));
        }
        let mut bad = targets.clone();
        bad[23..].fill(f32::NAN);
        let task = TraceTask {
            targets: &bad,
            ..task
        };
        let err = task.validate().unwrap_err().to_string();
        assert!(err.starts_with("y[2]"), "{err}");
    }
}
