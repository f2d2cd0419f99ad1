//! Training objectives and the targets they read.
//!
//! Categorical targets are always class distributions: hard labels become one-hot rows
//! (optionally label-smoothed, Szegedy et al. 2016), soft labels from annotator votes are
//! used as given (cross-entropy against the distribution, as in Fayek, Lech and Cavedon
//! 2016 "Modeling subjectivity ..."). Class weights turn into per-item weights.
//! Dimensional targets (valence, arousal, dominance) use MSE or the concordance loss
//! 1 - CCC (Lin 1989; Atmaja and Akagi 2021), averaged over the target columns.

use burn::tensor::activation::log_softmax;
use burn::tensor::Tensor;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What the network is trained to minimise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Weighted cross-entropy between softmax outputs and target distributions.
    CrossEntropy,
    /// Mean squared error over all target columns.
    Mse,
    /// Mean over target columns of 1 - CCC, computed per minibatch.
    Ccc,
}

impl Objective {
    pub fn parse_regression(name: &str) -> Result<Self> {
        match name {
            "mse" => Ok(Self::Mse),
            "ccc" => Ok(Self::Ccc),
            other => Err(Error::param(
                "loss",
                format!("expected 'ccc' or 'mse', got {other:?}"),
            )),
        }
    }

    /// The minibatch loss. `weights` (one per row) only matters for cross-entropy.
    pub fn loss(self, outputs: Tensor<2>, targets: Tensor<2>, weights: Tensor<1>) -> Tensor<1> {
        match self {
            Self::CrossEntropy => cross_entropy(outputs, targets, weights),
            Self::Mse => (outputs - targets).square().mean(),
            Self::Ccc => ccc_loss(outputs, targets),
        }
    }
}

/// sum_i w_i * (-sum_k q_ik log softmax(z_i)_k) / sum_i w_i.
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<2>, weights: Tensor<1>) -> Tensor<1> {
    let [rows, _] = logits.dims();
    let per_row = (log_softmax(logits, 1) * targets).sum_dim(1).neg();
    let w = weights.reshape([rows, 1]);
    (per_row * w.clone()).sum() / w.sum()
}

/// mean_j (1 - CCC_j) with population (biased) moments over the batch rows; a small
/// epsilon keeps a constant batch finite.
pub fn ccc_loss(pred: Tensor<2>, target: Tensor<2>) -> Tensor<1> {
    let mp = pred.clone().mean_dim(0);
    let mt = target.clone().mean_dim(0);
    let dp = pred - mp.clone();
    let dt = target - mt.clone();
    let vp = dp.clone().square().mean_dim(0);
    let vt = dt.clone().square().mean_dim(0);
    let cov = (dp * dt).mean_dim(0);
    let ccc = cov.mul_scalar(2.0) / (vp + vt + (mp - mt).square()).add_scalar(1e-8);
    ccc.neg().add_scalar(1.0).mean()
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
