//! Evaluation metrics as affective-computing papers report them.
//!
//! Categorical: unweighted accuracy (UA, = unweighted average recall UAR = balanced
//! accuracy, Schuller et al. 2009 INTERSPEECH Emotion Challenge), weighted accuracy (WA,
//! plain accuracy), per-class recall, F1 (macro / weighted / micro) and the confusion
//! matrix; definitions match scikit-learn (`balanced_accuracy_score` ignores classes
//! absent from the truth; F1 of a class with no predictions and no truth is 0).
//! Dimensional: concordance correlation coefficient (Lin 1989) with population moments,
//! Pearson's r, MAE, RMSE. Soft labels: cross-entropy of predicted distributions against
//! annotator distributions and the Jensen-Shannon divergence (base 2, in [0, 1]).
//!
//! ```
//! use _core::metrics;
//! let cm = metrics::confusion_matrix(&[0, 0, 1, 1], &[0, 1, 1, 1], 2).unwrap();
//! assert_eq!(cm, vec![1, 1, 0, 2]);
//! assert!((metrics::unweighted_accuracy(&cm, 2) - 0.75).abs() < 1e-12);
//! ```

use crate::error::{Error, Result};

/// Row = true class, column = predicted class, row-major `(n_classes, n_classes)`.
pub fn confusion_matrix(y_true: &[i64], y_pred: &[i64], n_classes: usize) -> Result<Vec<u64>> {
    if y_true.len() != y_pred.len() {
        return Err(Error::param(
            "y_pred",
            format!(
                "expected {} predictions (one per true label), got {}",
                y_true.len(),
                y_pred.len()
            ),
        ));
    }
    let src = crate::limits::Source::Arg("y_true");
    let mut cm = crate::limits::filled(
        crate::limits::product::<u64>(&[n_classes, n_classes], src)?,
        0u64,
        src,
    )?;
    for (&t, &p) in y_true.iter().zip(y_pred) {
        let ok = |c: i64| c >= 0 && (c as usize) < n_classes;
        if !ok(t) || !ok(p) {
            return Err(Error::Internal(format!(
                "class code outside 0..{n_classes}"
            )));
        }
        cm[t as usize * n_classes + p as usize] += 1;
    }
    Ok(cm)
}

fn row_total(cm: &[u64], k: usize, c: usize) -> u64 {
    cm[c * k..(c + 1) * k].iter().sum()
}

fn col_total(cm: &[u64], k: usize, c: usize) -> u64 {
    (0..k).map(|r| cm[r * k + c]).sum()
}

/// Recall of each class; NaN for a class with no true items.
pub fn per_class_recall(cm: &[u64], k: usize) -> Vec<f64> {
    (0..k)
        .map(|c| {
            let t = row_total(cm, k, c);
            if t == 0 {
                f64::NAN
            } else {
                cm[c * k + c] as f64 / t as f64
            }
        })
        .collect()
}

/// Mean recall over the classes that occur in the truth (UA / UAR / balanced accuracy).
pub fn unweighted_accuracy(cm: &[u64], k: usize) -> f64 {
    let r: Vec<f64> = per_class_recall(cm, k)
        .into_iter()
        .filter(|v| !v.is_nan())
        .collect();
    if r.is_empty() {
        f64::NAN
    } else {
        r.iter().sum::<f64>() / r.len() as f64
    }
}

/// Fraction of items classified correctly (WA).
pub fn weighted_accuracy(cm: &[u64], k: usize) -> f64 {
    let total: u64 = cm.iter().sum();
    let hits: u64 = (0..k).map(|c| cm[c * k + c]).sum();
    if total == 0 {
        f64::NAN
    } else {
        hits as f64 / total as f64
    }
}

/// Per-class F1 (0 where precision and recall are both undefined or zero).
pub fn per_class_f1(cm: &[u64], k: usize) -> Vec<f64> {
    (0..k)
        .map(|c| {
            let tp = cm[c * k + c] as f64;
            let denom = (row_total(cm, k, c) + col_total(cm, k, c)) as f64;
            if denom == 0.0 {
                0.0
            } else {
                2.0 * tp / denom
            }
        })
        .collect()
}

/// How per-class F1 values are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    /// Unweighted mean over classes.
    Macro,
    /// Mean weighted by the number of true items per class.
    Weighted,
    /// F1 of the pooled counts (equals accuracy for single-label problems).
    Micro,
}

impl std::str::FromStr for Average {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "macro" => Ok(Self::Macro),
            "weighted" => Ok(Self::Weighted),
            "micro" => Ok(Self::Micro),
            other => Err(Error::param(
                "average",
                format!("expected 'macro', 'weighted' or 'micro', got {other:?}"),
            )),
        }
    }
}

pub fn f1(cm: &[u64], k: usize, average: Average) -> f64 {
    let per = per_class_f1(cm, k);
    match average {
        Average::Macro => per.iter().sum::<f64>() / k as f64,
        Average::Weighted => {
            let support: Vec<f64> = (0..k).map(|c| row_total(cm, k, c) as f64).collect();
            let total: f64 = support.iter().sum();
            if total == 0.0 {
                0.0
            } else {
                per.iter().zip(&support).map(|(f, s)| f * s).sum::<f64>() / total
            }
        }
        Average::Micro => weighted_accuracy(cm, k),
    }
}

fn paired<'a>(
    y_true: &'a [f64],
    y_pred: &'a [f64],
) -> Result<impl Iterator<Item = (f64, f64)> + 'a> {
    if y_true.len() != y_pred.len() {
        return Err(Error::param(
            "y_pred",
            format!(
                "expected {} values (as many as y_true), got {}",
                y_true.len(),
                y_pred.len()
            ),
        ));
    }
    if y_true.is_empty() {
        return Err(Error::param("y_true", "expected at least one value"));
    }
    Ok(y_true.iter().copied().zip(y_pred.iter().copied()))
}

/// Means, population variances and covariance of two paired series.
fn moments(y_true: &[f64], y_pred: &[f64]) -> Result<(f64, f64, f64, f64, f64)> {
    let n = y_true.len() as f64;
    let (mut mt, mut mp) = (0.0, 0.0);
    for (t, p) in paired(y_true, y_pred)? {
        mt += t;
        mp += p;
    }
    mt /= n;
    mp /= n;
    let (mut vt, mut vp, mut cov) = (0.0, 0.0, 0.0);
    for (t, p) in paired(y_true, y_pred)? {
        vt += (t - mt) * (t - mt);
        vp += (p - mp) * (p - mp);
        cov += (t - mt) * (p - mp);
    }
    Ok((mt, mp, vt / n, vp / n, cov / n))
}

/// Lin's concordance correlation coefficient 2 cov / (var_t + var_p + (mean_t - mean_p)^2)
/// with population (1/n) moments, as in the AVEC challenges. NaN when both are constant
/// and equal.
pub fn ccc(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    let (mt, mp, vt, vp, cov) = moments(y_true, y_pred)?;
    Ok(2.0 * cov / (vt + vp + (mt - mp) * (mt - mp)))
}

/// Pearson's correlation coefficient; NaN when either series is constant.
pub fn pearson(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    let (_, _, vt, vp, cov) = moments(y_true, y_pred)?;
    Ok(cov / (vt * vp).sqrt())
}

pub fn mae(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    let n = y_true.len() as f64;
    Ok(paired(y_true, y_pred)?
        .map(|(t, p)| (t - p).abs())
        .sum::<f64>()
        / n)
}

pub fn rmse(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    let n = y_true.len() as f64;
    Ok((paired(y_true, y_pred)?
        .map(|(t, p)| (t - p) * (t - p))
        .sum::<f64>()
        / n)
        .sqrt())
}

fn rows<'a>(
    p_true: &'a [f64],
    p_pred: &'a [f64],
    k: usize,
) -> Result<impl Iterator<Item = (&'a [f64], &'a [f64])>> {
    if k == 0 || p_true.len() != p_pred.len() || p_true.len() % k != 0 || p_true.is_empty() {
        return Err(Error::param(
            "p_pred",
            "expected two non-empty (n_items, n_classes) distributions of the same shape",
        ));
    }
    Ok(p_true.chunks_exact(k).zip(p_pred.chunks_exact(k)))
}

/// Mean over items of -sum_k q_k ln p_k (nats); predictions are clipped at 1e-15 like
/// scikit-learn's `log_loss`.
pub fn soft_cross_entropy(p_true: &[f64], p_pred: &[f64], k: usize) -> Result<f64> {
    let n = (p_true.len() / k.max(1)) as f64;
    let total: f64 = rows(p_true, p_pred, k)?
        .map(|(q, p)| {
            -q.iter()
                .zip(p)
                .map(|(&q, &p)| q * p.max(1e-15).ln())
                .sum::<f64>()
        })
        .sum();
    Ok(total / n)
}

/// Mean over items of the Jensen-Shannon divergence in bits (0 = identical, 1 = disjoint).
pub fn jensen_shannon(p_true: &[f64], p_pred: &[f64], k: usize) -> Result<f64> {
    let kl = |a: &[f64], m: &[f64]| -> f64 {
        a.iter()
            .zip(m)
            .filter(|(&a, _)| a > 0.0)
            .map(|(&a, &m)| a * (a / m).log2())
            .sum()
    };
    let n = (p_true.len() / k.max(1)) as f64;
    let total: f64 = rows(p_true, p_pred, k)?
        .map(|(q, p)| {
            let m: Vec<f64> = q.iter().zip(p).map(|(a, b)| 0.5 * (a + b)).collect();
            0.5 * kl(q, &m) + 0.5 * kl(p, &m)
        })
        .sum();
    Ok(total / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_scores() {
        // truth 0,0,0,1,2 ; predictions 0,0,1,1,1
        let cm = confusion_matrix(&[0, 0, 0, 1, 2], &[0, 0, 1, 1, 1], 3).unwrap();
        assert_eq!(cm, vec![2, 1, 0, 0, 1, 0, 0, 1, 0]);
        assert!((unweighted_accuracy(&cm, 3) - (2.0 / 3.0 + 1.0 + 0.0) / 3.0).abs() < 1e-12);
        assert!((weighted_accuracy(&cm, 3) - 0.6).abs() < 1e-12);
        // F1: class 0 = 2*2/(3+2) = 0.8, class 1 = 2*1/(1+3) = 0.5, class 2 = 0
        assert!((f1(&cm, 3, Average::Macro) - 1.3 / 3.0).abs() < 1e-12);
        assert!((f1(&cm, 3, Average::Weighted) - (0.8 * 3.0 + 0.5) / 5.0).abs() < 1e-12);
    }

    #[test]
    fn ccc_is_one_only_for_identity() {
        let a = [1.0, 2.0, 3.0, 4.0];
        assert!((ccc(&a, &a).unwrap() - 1.0).abs() < 1e-12);
        let shifted: Vec<f64> = a.iter().map(|v| v + 1.0).collect();
        // var 1.25 each, cov 1.25, mean gap 1 -> 2.5 / 3.5
        assert!((ccc(&a, &shifted).unwrap() - 2.5 / 3.5).abs() < 1e-12);
        assert!((pearson(&a, &shifted).unwrap() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn jensen_shannon_bounds() {
        assert_eq!(jensen_shannon(&[0.5, 0.5], &[0.5, 0.5], 2).unwrap(), 0.0);
        assert!((jensen_shannon(&[1.0, 0.0], &[0.0, 1.0], 2).unwrap() - 1.0).abs() < 1e-12);
    }
}
