//! Training objectives and the targets they read.
//!
//! Categorical targets are always class distributions: hard labels become one-hot rows
//! (optionally label-smoothed, Szegedy et al. 2016), soft labels from annotator votes are
//! used as given (cross-entropy against the distribution, as in Fayek, Lech and Cavedon
//! 2016 "Modeling subjectivity ..."). Class weights turn into per-item weights.
//! Dimensional targets (valence, arousal, dominance) use MSE or the concordance loss
//! 1 - CCC (Lin 1989; Atmaja and Akagi 2021), averaged over the target columns.
//! Item weights (class and sample weights) weigh every objective: a weight of 2 is
//! the item counted twice. The multitask objective adds a categorical and a
//! dimensional head on one network; NaN targets mark what an item lacks (no label, or
//! a missing rating) and are masked out of their loss.

use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Tensor, TensorData};

use crate::error::{Error, Result};

/// What the network is trained to minimise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Objective {
    /// Weighted cross-entropy between softmax outputs and target distributions.
    CrossEntropy,
    /// Weighted mean squared error over all target columns.
    Mse,
    /// Mean over target columns of 1 - CCC (weighted moments), computed per minibatch.
    Ccc,
    /// Outputs are `n_classes` logits then the dimensional predictions: cross-entropy on
    /// the items with a label plus `dimension_weight` times the MSE or CCC loss on the
    /// ratings present.
    Multitask {
        n_classes: usize,
        ccc: bool,
        dimension_weight: f64,
    },
}

/// `"cross_entropy"`, `"mse"` or `"ccc"`; the multitask objectives take arguments
/// ([`Objective::named`]).
impl std::str::FromStr for Objective {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "cross_entropy" => Ok(Self::CrossEntropy),
            "mse" => Ok(Self::Mse),
            "ccc" => Ok(Self::Ccc),
            other => Err(Error::param(
                "loss",
                format!("expected 'ccc' or 'mse', got {other:?}"),
            )),
        }
    }
}

impl Objective {
    /// The objective called `name`: a [`FromStr`](std::str::FromStr) name, or
    /// `"multitask_ccc"` / `"multitask_mse"` with `n_classes` logits first and the
    /// dimensional loss weighted by `dimension_weight` (>= 0).
    pub fn named(name: &str, n_classes: usize, dimension_weight: f64) -> Result<Self> {
        match name {
            "multitask_ccc" | "multitask_mse" => {
                if !(dimension_weight >= 0.0 && dimension_weight.is_finite()) {
                    return Err(Error::param(
                        "dimension_weight",
                        format!("expected >= 0, got {dimension_weight}"),
                    ));
                }
                Ok(Self::Multitask {
                    n_classes,
                    ccc: name == "multitask_ccc",
                    dimension_weight,
                })
            }
            other => other.parse(),
        }
    }

    /// Whether NaN targets mark missing entries (multitask) rather than bad input.
    pub fn allows_missing(self) -> bool {
        matches!(self, Self::Multitask { .. })
    }

    /// The minibatch loss with one weight per row. Multitask targets go through
    /// [`multitask`], which needs the host values to build its masks.
    pub fn loss(self, outputs: Tensor<2>, targets: Tensor<2>, weights: Tensor<1>) -> Tensor<1> {
        let [rows, cols] = outputs.dims();
        let per_entry = || weights.clone().reshape([rows, 1]).repeat_dim(1, cols);
        match self {
            Self::CrossEntropy | Self::Multitask { .. } => cross_entropy(outputs, targets, weights),
            Self::Mse => weighted_mse(outputs, targets, per_entry()),
            Self::Ccc => ccc_loss(outputs, targets, per_entry()),
        }
    }
}

/// Guards the weight sums of a minibatch whose items all weigh 0.
const TINY: f32 = 1e-12;

/// sum_i w_i * (-sum_k q_ik log softmax(z_i)_k) / sum_i w_i.
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<2>, weights: Tensor<1>) -> Tensor<1> {
    let [rows, _] = logits.dims();
    let per_row = (log_softmax(logits, 1) * targets).sum_dim(1).neg();
    let w = weights.reshape([rows, 1]);
    (per_row * w.clone()).sum() / w.sum().add_scalar(TINY)
}

/// sum_ij w_ij (p_ij - t_ij)^2 / sum_ij w_ij, one weight per entry.
pub fn weighted_mse(pred: Tensor<2>, target: Tensor<2>, weights: Tensor<2>) -> Tensor<1> {
    ((pred - target).square() * weights.clone()).sum() / weights.sum().add_scalar(TINY)
}

/// mean_j (1 - CCC_j) with weighted population moments over the batch rows (weights per
/// entry, so a column's missing ratings weigh 0); a small epsilon keeps a constant batch
/// finite.
pub fn ccc_loss(pred: Tensor<2>, target: Tensor<2>, weights: Tensor<2>) -> Tensor<1> {
    let total = weights.clone().sum_dim(0).add_scalar(TINY);
    let mean = |x: Tensor<2>| (x * weights.clone()).sum_dim(0) / total.clone();
    let mp = mean(pred.clone());
    let mt = mean(target.clone());
    let dp = pred - mp.clone();
    let dt = target - mt.clone();
    let vp = mean(dp.clone().square());
    let vt = mean(dt.clone().square());
    let cov = mean(dp * dt);
    let ccc = cov.mul_scalar(2.0) / (vp + vt + (mp - mt).square()).add_scalar(1e-8);
    ccc.neg().add_scalar(1.0).mean()
}

/// The multitask loss of `outputs` `(rows, n_classes + n_dims)` against host `targets`
/// of the same layout: a row whose class part is NaN has no label, a NaN rating is
/// missing; `weights` weigh the rows in both heads.
pub fn multitask(
    outputs: Tensor<2>,
    targets: &[f32],
    weights: &[f32],
    n_classes: usize,
    ccc: bool,
    dimension_weight: f64,
    device: &Device,
) -> Tensor<1> {
    let [rows, cols] = outputs.dims();
    let n_dims = cols - n_classes;
    let mut clean = targets.to_vec();
    let mut class_w = vec![0.0f32; rows];
    let mut dim_w = vec![0.0f32; rows * n_dims];
    for (i, row) in clean.chunks_exact_mut(cols).enumerate() {
        let (cls, dims) = row.split_at_mut(n_classes);
        if cls.iter().all(|v| !v.is_nan()) {
            class_w[i] = weights[i];
        } else {
            cls.fill(0.0);
        }
        for (j, v) in dims.iter_mut().enumerate() {
            if v.is_nan() {
                *v = 0.0;
            } else {
                dim_w[i * n_dims + j] = weights[i];
            }
        }
    }
    let t = Tensor::<2>::from_data(TensorData::new(clean, [rows, cols]), device);
    let cls = cross_entropy(
        outputs.clone().narrow(1, 0, n_classes),
        t.clone().narrow(1, 0, n_classes),
        Tensor::from_data(TensorData::new(class_w, [rows]), device),
    );
    if n_dims == 0 {
        return cls;
    }
    let (p, y) = (
        outputs.narrow(1, n_classes, n_dims),
        t.narrow(1, n_classes, n_dims),
    );
    let w = Tensor::from_data(TensorData::new(dim_w, [rows, n_dims]), device);
    let dims = if ccc {
        ccc_loss(p, y, w)
    } else {
        weighted_mse(p, y, w)
    };
    cls + dims.mul_scalar(dimension_weight)
}

/// How classes are weighted in the cross-entropy.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassWeight {
    Uniform,
    /// n_items / (n_classes * class total), scikit-learn's "balanced"; soft labels count
    /// fractionally.
    Balanced,
    Given(Vec<f64>),
}

/// Row-major `(n, n_classes)` target distributions from class codes `0..n_classes`, with
/// label smoothing `eps`: (1 - eps) one-hot + eps / n_classes.
pub fn one_hot(labels: &[i64], n_classes: usize, smoothing: f64) -> Result<Vec<f32>> {
    let smoothing = smoothing_checked(smoothing)?;
    let off = (smoothing / n_classes as f64) as f32;
    let on = (1.0 - smoothing) as f32 + off;
    let mut out = vec![off; labels.len() * n_classes];
    for (row, &c) in out.chunks_exact_mut(n_classes).zip(labels) {
        if c < 0 || c as usize >= n_classes {
            return Err(Error::param(
                "y",
                format!("class code {c} outside 0..{n_classes}"),
            ));
        }
        row[c as usize] = on;
    }
    Ok(out)
}

/// Checks that every row of `dist` is a probability distribution (tolerance 1e-3 on the
/// sum, as annotator fractions are often rounded), then applies label smoothing.
pub fn soft_targets(dist: &[f32], n_classes: usize, smoothing: f64) -> Result<Vec<f32>> {
    if n_classes < 2 || dist.len() % n_classes != 0 {
        return Err(Error::param(
            "y",
            format!("soft labels need at least 2 columns, got {n_classes}"),
        ));
    }
    for (i, row) in dist.chunks_exact(n_classes).enumerate() {
        if row.iter().any(|&p| !p.is_finite() || p < 0.0) {
            return Err(Error::param(
                "y",
                format!("soft label row {i} has a negative or non-finite entry: {row:?}"),
            ));
        }
        let s: f64 = row.iter().map(|&p| p as f64).sum();
        if (s - 1.0).abs() > 1e-3 {
            return Err(Error::param(
                "y",
                format!("soft label row {i} sums to {s}, expected 1 (a distribution over classes)"),
            ));
        }
    }
    let off = (smoothing / n_classes as f64) as f32;
    let keep = (1.0 - smoothing) as f32;
    Ok(dist.iter().map(|&p| keep * p + off).collect())
}

/// One weight per row: the class weights averaged under the row's target distribution.
pub fn item_weights(dist: &[f32], n_classes: usize, weighting: &ClassWeight) -> Result<Vec<f32>> {
    let n = dist.len() / n_classes;
    let per_class: Vec<f64> = match weighting {
        ClassWeight::Uniform => return Ok(vec![1.0; n]),
        ClassWeight::Given(w) => {
            if w.len() != n_classes || w.iter().any(|&v| !v.is_finite() || v < 0.0) {
                return Err(Error::param(
                    "class_weight",
                    format!("expected {n_classes} non-negative weights, got {w:?}"),
                ));
            }
            w.clone()
        }
        ClassWeight::Balanced => {
            let mut totals = vec![0.0f64; n_classes];
            for row in dist.chunks_exact(n_classes) {
                for (t, &p) in totals.iter_mut().zip(row) {
                    *t += p as f64;
                }
            }
            totals
                .iter()
                .map(|&t| {
                    if t > 0.0 {
                        n as f64 / (n_classes as f64 * t)
                    } else {
                        0.0
                    }
                })
                .collect()
        }
    };
    Ok(dist
        .chunks_exact(n_classes)
        .map(|row| {
            row.iter()
                .zip(&per_class)
                .map(|(&p, &w)| p as f64 * w)
                .sum::<f64>() as f32
        })
        .collect())
}

/// Categorical targets as given by the user.
#[derive(Debug, Clone, Copy)]
pub enum Labels<'a> {
    /// Class codes `0..n_classes`.
    Hard(&'a [i64]),
    /// Row-major `(n, n_classes)` distributions (e.g. `ak.labels.soft(...).posterior`).
    Soft(&'a [f32]),
}

/// Training distributions (smoothed) and per-item weights (from the unsmoothed targets).
pub fn class_targets(
    labels: Labels,
    n_classes: usize,
    smoothing: f64,
    weighting: &ClassWeight,
) -> Result<(Vec<f32>, Vec<f32>)> {
    let raw = match labels {
        Labels::Hard(codes) => one_hot(codes, n_classes, 0.0)?,
        Labels::Soft(dist) => soft_targets(dist, n_classes, 0.0)?,
    };
    let weights = item_weights(&raw, n_classes, weighting)?;
    let targets = soft_targets(&raw, n_classes, smoothing_checked(smoothing)?)?;
    Ok((targets, weights))
}

fn smoothing_checked(smoothing: f64) -> Result<f64> {
    if (0.0..1.0).contains(&smoothing) {
        Ok(smoothing)
    } else {
        Err(Error::param(
            "label_smoothing",
            format!("expected a value in [0, 1), got {smoothing}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t2(v: Vec<f32>, rows: usize, cols: usize) -> Tensor<2> {
        Tensor::from_data(TensorData::new(v, [rows, cols]), &Device::flex())
    }

    fn t1(v: Vec<f32>) -> Tensor<1> {
        let n = v.len();
        Tensor::from_data(TensorData::new(v, [n]), &Device::flex())
    }

    #[test]
    fn integer_weights_equal_repeated_rows() {
        let p = vec![0.1, 1.0, 0.4, -0.3, 0.9, 0.2];
        let t = vec![0.0, 1.2, 0.5, 0.1, 1.1, 0.0];
        // row 0 twice, row 1 dropped, row 2 once
        let rep_p = vec![0.1, 1.0, 0.1, 1.0, 0.9, 0.2];
        let rep_t = vec![0.0, 1.2, 0.0, 1.2, 1.1, 0.0];
        for objective in [Objective::Mse, Objective::Ccc, Objective::CrossEntropy] {
            let w = objective
                .loss(
                    t2(p.clone(), 3, 2),
                    t2(t.iter().map(|v: &f32| v.abs()).collect(), 3, 2),
                    t1(vec![2.0, 0.0, 1.0]),
                )
                .into_scalar::<f32>();
            let r = objective
                .loss(
                    t2(rep_p.clone(), 3, 2),
                    t2(rep_t.iter().map(|v: &f32| v.abs()).collect(), 3, 2),
                    t1(vec![1.0; 3]),
                )
                .into_scalar::<f32>();
            assert!((w - r).abs() < 1e-5, "{objective:?}: {w} vs {r}");
        }
    }

    #[test]
    fn multitask_ignores_masked_entries() {
        let out = vec![0.3, -0.2, 0.5, 0.1, 0.4, 0.0, 0.7, 0.3, 0.9];
        // rows: labelled + rated; unlabelled + rated; labelled + not rated
        let y = |missing: f32| vec![1.0, 0.0, 0.4, missing, missing, 0.2, 0.0, 1.0, missing];
        let dev = Device::flex();
        let loss = |targets: Vec<f32>| {
            multitask(
                t2(out.clone(), 3, 3),
                &targets,
                &[1.0; 3],
                2,
                true,
                0.5,
                &dev,
            )
            .into_scalar::<f32>()
        };
        let a = loss(y(f32::NAN));
        // = cross-entropy over rows 0 and 2 + 0.5 (1 - CCC) over rows 0 and 1
        let ce = cross_entropy(
            t2(vec![0.3, -0.2, 0.7, 0.3], 2, 2),
            t2(vec![1.0, 0.0, 0.0, 1.0], 2, 2),
            t1(vec![1.0; 2]),
        )
        .into_scalar::<f32>();
        let dims = ccc_loss(
            t2(vec![0.5, 0.0], 2, 1),
            t2(vec![0.4, 0.2], 2, 1),
            t2(vec![1.0; 2], 2, 1),
        )
        .into_scalar::<f32>();
        assert!(
            (a - (ce + 0.5 * dims)).abs() < 1e-5,
            "{a} vs {}",
            ce + 0.5 * dims
        );
    }
}
