//! The training loop: shuffled minibatches, Adam or AdamW, a learning-rate schedule and
//! early stopping, written out here rather than taken from burn-train (which brings a
//! terminal dashboard and writes files).
//!
//! Stopping follows scikit-learn's MLP: without a validation split, training stops once
//! the epoch's training loss has failed to improve by `tol` for `n_iter_no_change`
//! epochs; with `early_stopping`, a `validation_fraction` of the items is held out, the
//! same rule watches the validation loss, and the weights of the best validation epoch are
//! kept. With `groups` (e.g. speakers) the held-out part is `validation_fraction` of the
//! groups, whole groups on one side as in scikit-learn's `GroupShuffleSplit`, so that no
//! speaker is on both sides and the validation loss measures what a new speaker gets. Every random choice (initialisation, shuffling, split, dropout) comes from
//! `seed`, so one thread gives bit-identical models; Burn's flex backend runs its kernels
//! on the calling rayon pool (`parallel::install`).

use burn::module::Module;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::{AdamConfig, AdamWConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::activation::softmax;
use burn::tensor::{Device, Tensor, TensorData};

use super::loss::{multitask, Objective};
use super::network::{Mlp, MlpSpec};
use crate::error::{Error, Result};
use crate::labels::vote::SplitMix64;

/// How the learning rate changes over the epochs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    Constant,
    /// Cosine annealing to zero over `max_epochs` (Loshchilov and Hutter 2017, no restarts).
    Cosine,
}

impl std::str::FromStr for Schedule {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "constant" => Ok(Self::Constant),
            "cosine" => Ok(Self::Cosine),
            other => Err(Error::param(
                "lr_schedule",
                format!("expected 'constant' or 'cosine', got {other:?}"),
            )),
        }
    }
}

impl Schedule {
    fn rate(self, base: f64, epoch: usize, max_epochs: usize) -> f64 {
        match self {
            Self::Constant => base,
            Self::Cosine => {
                0.5 * base * (1.0 + (std::f64::consts::PI * epoch as f64 / max_epochs as f64).cos())
            }
        }
    }
}

/// Adam with L2 regularisation added to the gradient, or AdamW with decoupled decay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optimizer {
    /// Kingma and Ba 2015; `alpha` is an L2 penalty on every parameter.
    Adam,
    /// Loshchilov and Hutter 2019; `alpha` is the decoupled weight decay.
    AdamW,
}

impl std::str::FromStr for Optimizer {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "adam" => Ok(Self::Adam),
            "adamw" => Ok(Self::AdamW),
            other => Err(Error::param(
                "optimizer",
                format!("expected 'adam' or 'adamw', got {other:?}"),
            )),
        }
    }
}

impl Optimizer {
    fn build(self, alpha: f64) -> ModuleOptimizer {
        // scikit-learn's Adam epsilon; Burn's default (1e-5) damps small gradients.
        let eps = 1e-8;
        match self {
            Self::Adam => AdamConfig::new()
                .with_epsilon(eps)
                .with_weight_decay((alpha > 0.0).then(|| WeightDecayConfig::new(alpha as f32)))
                .init(),
            Self::AdamW => AdamWConfig::new()
                .with_epsilon(eps)
                .with_weight_decay(alpha as f32)
                .init(),
        }
    }
}

/// Settings of one training run.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub batch_size: usize,
    pub max_epochs: usize,
    pub learning_rate: f64,
    pub schedule: Schedule,
    pub optimizer: Optimizer,
    /// L2 penalty (Adam) or weight decay (AdamW).
    pub alpha: f64,
    pub tol: f64,
    pub early_stopping: bool,
    pub validation_fraction: f64,
    pub n_iter_no_change: usize,
    pub seed: u64,
    /// Group of each training item (e.g. a speaker code), or `None`: with early stopping,
    /// whole groups are held out for validation.
    pub groups: Option<Vec<usize>>,
}

impl TrainOptions {
    fn validate(&self) -> Result<()> {
        let positive = |name: &str, ok: bool, v: &dyn std::fmt::Debug| {
            if ok {
                Ok(())
            } else {
                Err(Error::param(
                    name,
                    format!("expected a positive value, got {v:?}"),
                ))
            }
        };
        positive("batch_size", self.batch_size > 0, &self.batch_size)?;
        positive("max_epochs", self.max_epochs > 0, &self.max_epochs)?;
        positive(
            "n_iter_no_change",
            self.n_iter_no_change > 0,
            &self.n_iter_no_change,
        )?;
        positive(
            "learning_rate_init",
            self.learning_rate > 0.0 && self.learning_rate.is_finite(),
            &self.learning_rate,
        )?;
        if !(self.alpha >= 0.0 && self.alpha.is_finite()) {
            return Err(Error::param(
                "alpha",
                format!("expected >= 0, got {}", self.alpha),
            ));
        }
        if !(self.tol >= 0.0) {
            return Err(Error::param(
                "tol",
                format!("expected >= 0, got {}", self.tol),
            ));
        }
        if self.early_stopping
            && !(self.validation_fraction > 0.0 && self.validation_fraction < 1.0)
        {
            return Err(Error::param(
                "validation_fraction",
                format!(
                    "expected a value in (0, 1), got {}",
                    self.validation_fraction
                ),
            ));
        }
        Ok(())
    }
}

/// Row-major training data: `x` is `(n, n_features)`, `targets` `(n, n_targets)` (class
/// distributions or dimensional values), `weights` one per row (cross-entropy only).
#[derive(Debug, Clone, Copy)]
pub struct Dataset<'a> {
    pub x: &'a [f32],
    pub n_features: usize,
    pub targets: &'a [f32],
    pub n_targets: usize,
    pub weights: Option<&'a [f32]>,
}

impl Dataset<'_> {
    fn n_rows(&self) -> usize {
        self.x.len() / self.n_features.max(1)
    }

    fn validate(&self, objective: Objective) -> Result<()> {
        let n = self.n_rows();
        if n == 0 || self.n_features == 0 || self.x.len() != n * self.n_features {
            return Err(Error::param(
                "X",
                format!("expected a non-empty (n_samples, n_features) matrix, got {} values for {} features", self.x.len(), self.n_features),
            ));
        }
        if self.x.iter().any(|v| !v.is_finite()) {
            return Err(Error::param("X", "contains NaN or infinity"));
        }
        if self.targets.len() != n * self.n_targets {
            return Err(Error::param(
                "y",
                format!(
                    "expected {n} rows of {} targets, got {} values",
                    self.n_targets,
                    self.targets.len()
                ),
            ));
        }
        let bad = |v: &f32| v.is_infinite() || (v.is_nan() && !objective.allows_missing());
        if self.targets.iter().any(bad) {
            return Err(Error::param("y", "contains NaN or infinity"));
        }
        check_weights(self.weights, n, "rows")?;
        Ok(())
    }
}

/// A trained network (on the inference device) and its training history.
#[derive(Debug, Clone)]
pub struct Training<M = Mlp> {
    pub model: M,
    /// Mean training loss per epoch.
    pub loss_curve: Vec<f64>,
    /// Validation loss per epoch (empty without early stopping).
    pub validation_loss: Vec<f64>,
    /// Index of the epoch whose weights were kept.
    pub best_epoch: usize,
    /// The items held out for early stopping, ascending (empty without it).
    pub validation_indices: Vec<usize>,
}

/// Copies the rows `idx` of a row-major matrix of `width` columns.
pub(crate) fn gather(src: &[f32], width: usize, idx: &[usize]) -> Vec<f32> {
    let mut out = Vec::with_capacity(idx.len() * width);
    for &i in idx {
        out.extend_from_slice(&src[i * width..(i + 1) * width]);
    }
    out
}

pub(crate) fn matrix(values: Vec<f32>, rows: usize, cols: usize, device: &Device) -> Tensor<2> {
    Tensor::from_data(TensorData::new(values, [rows, cols]), device)
}

/// Fisher-Yates shuffle driven by `rng`.
fn shuffle(idx: &mut [usize], rng: &mut SplitMix64) {
    for i in (1..idx.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        idx.swap(i, j);
    }
}

/// What the training loop needs from a model and its data: the minibatch loss.
pub trait Task {
    type Net: Module;
    /// Number of training items.
    fn n_rows(&self) -> usize;
    /// Loss of `net` on the items `idx`, built on `device`. `rng` drives the random parts
    /// of training (dropout); `None` is evaluation.
    fn loss(
        &self,
        net: &Self::Net,
        idx: &[usize],
        device: &Device,
        rng: Option<&mut SplitMix64>,
    ) -> Tensor<1>;

    /// The training loss of `net` on the items `idx` (built on the autodiff `device`) and,
    /// when it is finite, the gradients of the parameters. The default differentiates
    /// [`Task::loss`] with Burn's autodiff; a task may compute part of the gradients
    /// itself.
    fn gradients(
        &self,
        net: &Self::Net,
        idx: &[usize],
        device: &Device,
        rng: Option<&mut SplitMix64>,
    ) -> Result<(f64, Option<GradientsParams>)> {
        let loss = self.loss(net, idx, device, rng);
        let value = loss.clone().into_scalar::<f32>() as f64;
        if !value.is_finite() {
            return Ok((value, None));
        }
        Ok((
            value,
            Some(GradientsParams::from_grads(loss.backward(), net)),
        ))
    }

    /// The loss of `net` (on the inference device) on the items `idx`, without dropout:
    /// the validation loss of early stopping. The default evaluates [`Task::loss`].
    fn evaluate(&self, net: &Self::Net, idx: &[usize], device: &Device) -> Result<f64> {
        Ok(self.loss(net, idx, device, None).into_scalar::<f32>() as f64)
    }
}

/// An MLP on a row-major feature matrix.
struct MlpTask<'a> {
    objective: Objective,
    data: &'a Dataset<'a>,
}

impl Task for MlpTask<'_> {
    type Net = Mlp;

    fn n_rows(&self) -> usize {
        self.data.n_rows()
    }

    fn loss(
        &self,
        net: &Mlp,
        idx: &[usize],
        device: &Device,
        rng: Option<&mut SplitMix64>,
    ) -> Tensor<1> {
        let (data, n) = (self.data, idx.len());
        let x = matrix(
            gather(data.x, data.n_features, idx),
            n,
            data.n_features,
            device,
        );
        let y = gather(data.targets, data.n_targets, idx);
        let out = net.forward(x, rng);
        if let Objective::Multitask {
            n_classes,
            ccc,
            dimension_weight,
        } = self.objective
        {
            let w: Vec<f32> = match data.weights {
                Some(w) => idx.iter().map(|&i| w[i]).collect(),
                None => vec![1.0; n],
            };
            return multitask(out, &y, &w, n_classes, ccc, dimension_weight, device);
        }
        let y = matrix(y, n, data.n_targets, device);
        self.objective
            .loss(out, y, item_weights(data.weights, idx, device))
    }
}

/// The weights of the rows `idx` (all 1 without weights).
/// Checks the optional per-item weights (`sample_weight`) of `n` `items`: one each,
/// finite, non-negative and not all zero.
pub(crate) fn check_weights(weights: Option<&[f32]>, n: usize, items: &str) -> Result<()> {
    let Some(w) = weights else {
        return Ok(());
    };
    if w.len() != n {
        return Err(Error::Internal(format!(
            "{} weights for {n} {items}",
            w.len()
        )));
    }
    if w.iter().any(|v| !v.is_finite() || *v < 0.0) || !w.iter().any(|&v| v > 0.0) {
        return Err(Error::param(
            "sample_weight",
            "expected finite non-negative weights, not all zero",
        ));
    }
    Ok(())
}

pub(crate) fn item_weights(weights: Option<&[f32]>, idx: &[usize], device: &Device) -> Tensor<1> {
    let w: Vec<f32> = match weights {
        Some(w) => idx.iter().map(|&i| w[i]).collect(),
        None => vec![1.0; idx.len()],
    };
    Tensor::from_data(TensorData::new(w, [idx.len()]), device)
}

/// Trains an MLP of shape `spec` on `data`. Runs on the current rayon pool.
pub fn fit(
    spec: &MlpSpec,
    objective: Objective,
    data: &Dataset,
    opts: &TrainOptions,
) -> Result<Training> {
    opts.validate()?;
    data.validate(objective)?;
    spec.validate()?;
    if spec.n_inputs != data.n_features || spec.n_outputs != data.n_targets {
        return Err(Error::Internal(
            "network shape does not match the data".into(),
        ));
    }
    let net = Mlp::init(spec, opts.seed, &Device::flex().autodiff())?;
    run(net, &MlpTask { objective, data }, opts)
}

/// The training loop for any [`Task`]: `net` is freshly initialised on the autodiff
/// device. Runs on the current rayon pool.
pub fn run<T: Task>(net: T::Net, task: &T, opts: &TrainOptions) -> Result<Training<T::Net>> {
    opts.validate()?;
    let n = task.n_rows();
    if n == 0 {
        return Err(Error::param("X", "expected at least one training item"));
    }
    let (mut train_idx, valid_idx) = if opts.early_stopping {
        validation_split(n, opts)?
    } else {
        ((0..n).collect(), Vec::new())
    };

    let device = Device::flex().autodiff();
    let plain = Device::flex();
    let mut model = net;
    let mut optim = opts.optimizer.build(opts.alpha);
    let mut shuffle_rng = SplitMix64::new(opts.seed ^ 0x5EED_0002);
    let mut dropout_rng = SplitMix64::new(opts.seed ^ 0x5EED_0003);
    let batch = opts.batch_size.min(train_idx.len());

    let mut loss_curve = Vec::new();
    let mut validation_loss = Vec::new();
    let mut best = f64::INFINITY;
    let mut best_epoch = 0;
    let mut best_model: Option<T::Net> = None;
    let mut stale = 0;
    for epoch in 0..opts.max_epochs {
        let lr = opts
            .schedule
            .rate(opts.learning_rate, epoch, opts.max_epochs);
        shuffle(&mut train_idx, &mut shuffle_rng);
        let mut total = 0.0f64;
        for idx in train_idx.chunks(batch) {
            crate::cancel::check()?;
            let rows = idx.len();
            let (value, grads) = task.gradients(&model, idx, &device, Some(&mut dropout_rng))?;
            let Some(grads) = grads.filter(|_| value.is_finite()) else {
                return Err(Error::param(
                    "learning_rate_init",
                    format!("training diverged at epoch {epoch} (loss {value}); lower the learning rate or standardise X"),
                ));
            };
            total += value * rows as f64;
            model = optim.step(lr, model, grads);
        }
        let epoch_loss = total / train_idx.len() as f64;
        loss_curve.push(epoch_loss);
        let watched = if opts.early_stopping {
            let v = task.evaluate(&model.valid(), &valid_idx, &plain)?;
            validation_loss.push(v);
            v
        } else {
            epoch_loss
        };
        if watched < best - opts.tol {
            stale = 0;
        } else {
            stale += 1;
        }
        if watched < best {
            best = watched;
            best_epoch = epoch;
            if opts.early_stopping {
                best_model = Some(model.valid());
            }
        }
        if stale >= opts.n_iter_no_change {
            break;
        }
    }
    let model = match best_model {
        Some(m) => m,
        None => {
            best_epoch = loss_curve.len() - 1;
            model.valid()
        }
    };
    Ok(Training {
        model,
        loss_curve,
        validation_loss,
        best_epoch,
        validation_indices: {
            let mut v = valid_idx;
            v.sort_unstable();
            v
        },
    })
}

/// `(training items, validation items)` for early stopping: a seeded random
/// `validation_fraction` of the items (rounded up), or with `groups` that fraction of the
/// groups (rounded up; at least one group on each side), whole groups on one side as in
/// scikit-learn's `GroupShuffleSplit`.
fn validation_split(n: usize, opts: &TrainOptions) -> Result<(Vec<usize>, Vec<usize>)> {
    let mut rng = SplitMix64::new(opts.seed ^ 0x5EED_0001);
    let Some(groups) = &opts.groups else {
        let mut order: Vec<usize> = (0..n).collect();
        shuffle(&mut order, &mut rng);
        let n_valid = ((n as f64) * opts.validation_fraction).ceil() as usize;
        if n_valid == 0 || n_valid >= n {
            return Err(Error::param(
                "validation_fraction",
                format!(
                    "{} of {n} items leaves no training or no validation items",
                    opts.validation_fraction
                ),
            ));
        }
        let valid = order.split_off(n - n_valid);
        return Ok((order, valid));
    };
    if groups.len() != n {
        return Err(Error::param(
            "groups",
            format!("expected one group per item ({n}), got {}", groups.len()),
        ));
    }
    // distinct groups in order of first appearance, then shuffled
    let mut seen = std::collections::HashSet::new();
    let mut distinct: Vec<usize> = groups.iter().copied().filter(|g| seen.insert(*g)).collect();
    let n_groups = distinct.len();
    let n_valid = ((n_groups as f64) * opts.validation_fraction).ceil() as usize;
    if n_valid == 0 || n_valid >= n_groups {
        return Err(Error::param(
            "groups",
            format!(
                "early stopping holds out whole groups, and {n_groups} group(s) with \
                 validation_fraction {} leave no training or no validation group",
                opts.validation_fraction
            ),
        ));
    }
    shuffle(&mut distinct, &mut rng);
    let held: std::collections::HashSet<usize> =
        distinct[n_groups - n_valid..].iter().copied().collect();
    let (valid, train): (Vec<usize>, Vec<usize>) = (0..n).partition(|i| held.contains(&groups[*i]));
    Ok((train, valid))
}

/// Network outputs for the rows of `x` (`(n, n_inputs)` row-major): softmax
/// probabilities when `probabilities`, else raw outputs. Runs on the current rayon pool.
pub fn predict(model: &Mlp, x: &[f32], probabilities: bool) -> Result<Vec<f32>> {
    let d = model.spec.n_inputs;
    if x.len() % d != 0 {
        return Err(Error::param("X", format!("expected {d} feature columns")));
    }
    let n = x.len() / d;
    let device = Device::flex();
    let mut out = Vec::with_capacity(n * model.spec.n_outputs);
    // Chunks whose widest activation holds about 2^18 floats (1 MiB) stay in cache: on
    // 5,000 x 88 inputs to 256 units, 1,024-row chunks ran 2.6x faster than one pass
    // (measured with flex on one thread).
    let widest = model
        .spec
        .hidden
        .iter()
        .copied()
        .chain([d, model.spec.n_outputs])
        .max()
        .unwrap_or(1);
    let chunk_rows = ((1usize << 18) / widest).max(64);
    for rows in x.chunks(chunk_rows * d) {
        let m = rows.len() / d;
        let z = model.forward(matrix(rows.to_vec(), m, d, &device), None);
        let z = if probabilities { softmax(z, 1) } else { z };
        let v = z
            .into_data()
            .try_into_vec::<f32>()
            .map_err(|e| Error::Internal(format!("reading network outputs: {e:?}")))?;
        out.extend_from_slice(&v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::loss::{one_hot, Objective};
    use crate::models::network::Activation;
    use crate::models::persist::{self, AnyNetwork};

    fn blobs(n: usize, seed: u64) -> (Vec<f32>, Vec<i64>) {
        let mut rng = SplitMix64::new(seed);
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..n {
            let c = (i % 3) as i64;
            let centre = [(0.0, 3.0), (3.0, -2.0), (-3.0, -2.0)][c as usize];
            let noise = |rng: &mut SplitMix64| (crate::models::network::uniform(rng) - 0.5) as f32;
            x.push(centre.0 + noise(&mut rng));
            x.push(centre.1 + noise(&mut rng));
            y.push(c);
        }
        (x, y)
    }

    fn options(seed: u64) -> TrainOptions {
        TrainOptions {
            batch_size: 32,
            max_epochs: 30,
            learning_rate: 0.01,
            schedule: Schedule::Constant,
            optimizer: Optimizer::Adam,
            alpha: 1e-4,
            tol: 1e-4,
            early_stopping: false,
            validation_fraction: 0.2,
            n_iter_no_change: 10,
            seed,
            groups: None,
        }
    }

    fn spec(n_outputs: usize) -> MlpSpec {
        MlpSpec {
            n_inputs: 2,
            hidden: vec![16],
            n_outputs,
            activation: Activation::Relu,
            dropout: 0.1,
            layer_norm: true,
        }
    }

    #[test]
    fn separable_blobs_are_learned_deterministically() {
        let (x, y) = blobs(150, 1);
        let t = one_hot(&y, 3, 0.0).unwrap();
        let data = Dataset {
            x: &x,
            n_features: 2,
            targets: &t,
            n_targets: 3,
            weights: None,
        };
        let run = || {
            crate::parallel::install(Some(1), || {
                fit(&spec(3), Objective::CrossEntropy, &data, &options(7))
            })
            .unwrap()
            .unwrap()
        };
        let a = run();
        let p = predict(&a.model, &x, true).unwrap();
        let hits = p
            .chunks(3)
            .zip(&y)
            .filter(|(row, &c)| row.iter().cloned().fold(f32::MIN, f32::max) == row[c as usize])
            .count();
        assert_eq!(hits, 150);
        assert!(a.loss_curve.last().unwrap() < &a.loss_curve[0]);
        let b = run();
        assert_eq!(predict(&b.model, &x, true).unwrap(), p);
    }

    #[test]
    fn early_stopping_keeps_the_best_validation_epoch() {
        let (x, y) = blobs(100, 2);
        let t = one_hot(&y, 3, 0.1).unwrap();
        let data = Dataset {
            x: &x,
            n_features: 2,
            targets: &t,
            n_targets: 3,
            weights: None,
        };
        let mut o = options(3);
        o.early_stopping = true;
        o.n_iter_no_change = 3;
        let r = fit(&spec(3), Objective::CrossEntropy, &data, &o).unwrap();
        assert_eq!(r.validation_loss.len(), r.loss_curve.len());
        let best = r
            .validation_loss
            .iter()
            .cloned()
            .fold(f64::INFINITY, f64::min);
        assert_eq!(r.validation_loss[r.best_epoch], best);
        assert_eq!(r.validation_indices.len(), 20);
    }

    #[test]
    fn early_stopping_holds_out_whole_groups() {
        let (x, y) = blobs(120, 5);
        let t = one_hot(&y, 3, 0.0).unwrap();
        let data = Dataset {
            x: &x,
            n_features: 2,
            targets: &t,
            n_targets: 3,
            weights: None,
        };
        // 12 "speakers" of 10 consecutive items
        let groups: Vec<usize> = (0..120).map(|i| i / 10).collect();
        let mut o = options(4);
        o.early_stopping = true;
        o.validation_fraction = 0.25;
        o.groups = Some(groups.clone());
        let r = fit(&spec(3), Objective::CrossEntropy, &data, &o).unwrap();
        let held: std::collections::BTreeSet<usize> =
            r.validation_indices.iter().map(|&i| groups[i]).collect();
        assert_eq!(held.len(), 3, "ceil(0.25 * 12) groups");
        assert_eq!(r.validation_indices.len(), 30, "whole groups only");
        // no group on both sides
        for i in 0..120 {
            assert_eq!(held.contains(&groups[i]), r.validation_indices.contains(&i));
        }
        o.groups = Some(vec![0; 120]);
        let err = fit(&spec(3), Objective::CrossEntropy, &data, &o).unwrap_err();
        assert!(err.to_string().contains("groups"), "{err}");
        o.groups = Some(vec![0; 5]);
        assert!(fit(&spec(3), Objective::CrossEntropy, &data, &o).is_err());
    }

    #[test]
    fn ccc_regression_and_model_files() {
        let (x, _) = blobs(120, 3);
        let t: Vec<f32> = x
            .chunks(2)
            .map(|r| 0.5 * r[0] - 0.25 * r[1] + 1.0)
            .collect();
        let data = Dataset {
            x: &x,
            n_features: 2,
            targets: &t,
            n_targets: 1,
            weights: None,
        };
        let mut s = spec(1);
        s.dropout = 0.0;
        let r = fit(&s, Objective::Ccc, &data, &options(4)).unwrap();
        let p: Vec<f64> = predict(&r.model, &x, false)
            .unwrap()
            .iter()
            .map(|&v| v as f64)
            .collect();
        let t64: Vec<f64> = t.iter().map(|&v| v as f64).collect();
        assert!(crate::metrics::ccc(&t64, &p).unwrap() > 0.95);

        let bytes = persist::to_bytes(&r.model, "{\"k\": 0.1}").unwrap();
        let (back, extra) = persist::from_bytes(&bytes, "path").unwrap();
        assert_eq!(extra, "{\"k\": 0.1}");
        assert_eq!(
            predict(&back, &x, false).unwrap(),
            predict(&r.model, &x, false).unwrap()
        );

        let mut newer = bytes.clone();
        let at = b"AFFECTKIT-MODEL\n".len() + 8;
        let text = String::from_utf8_lossy(&newer[at..at + 20]).to_string();
        assert!(text.starts_with("{\"format_version\":3"));
        newer[at + 18] = b'9';
        let err = persist::from_bytes::<Mlp>(&newer, "path")
            .unwrap_err()
            .to_string();
        assert!(err.contains("format version 9"), "{err}");
        assert!(persist::from_bytes::<Mlp>(b"nope", "path").is_err());

        // a bundle of two networks reads back part by part, in order
        let net = AnyNetwork::Mlp(r.model.clone());
        let bundle = persist::bundle_to_bytes(&[("a", &net), ("b", &net)], "{}").unwrap();
        let (parts, extra) = persist::read_networks(&bundle, "path").unwrap();
        assert_eq!(extra, "{}");
        assert_eq!(
            parts.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        let AnyNetwork::Mlp(b) = &parts[1].1 else {
            panic!("not an MLP")
        };
        assert_eq!(
            predict(b, &x, false).unwrap(),
            predict(&r.model, &x, false).unwrap()
        );
        let cut = persist::read_networks(&bundle[..bundle.len() - 10], "path").unwrap_err();
        assert!(cut.to_string().contains("truncated"), "{cut}");
        assert!(matches!(cut, crate::Error::Io { .. }));
        // a single file reads as one unnamed part
        assert_eq!(persist::read_networks(&bytes, "path").unwrap().0[0].0, "");
    }
}
