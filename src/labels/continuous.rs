//! Dimensional ratings (valence, arousal, dominance, ...): the Evaluator Weighted
//! Estimator, mean, median, trimmed mean and per-annotator z-normalisation.
//!
//! Ratings are a row-major `(n_items, n_annotators)` matrix with NaN where an annotator did
//! not rate an item. Items nobody rated give NaN.

use crate::error::{Error, Result};

/// The reference each rater is correlated with in EWE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EweReference {
    /// Mean of all raters of the item, the rater included (Grimm and Kroschel 2005).
    Mean,
    /// Mean of the other raters of the item (audpsychometric).
    LeaveOneOut,
}

/// What EWE does with a non-positive correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonPositive {
    /// Weight `max(r_k, 0)`: such raters do not contribute.
    Zero,
    /// Weight `r_k` as it is (the formula taken literally).
    Keep,
}

/// EWE consensus and the per-rater correlations.
#[derive(Debug, Clone)]
pub struct EweResult {
    /// `(n_items,)`.
    pub consensus: Vec<f64>,
    /// Correlation `r_k` of each rater with the reference, NaN where undefined (fewer
    /// than `min_overlap` items, or constant ratings on either side).
    pub correlations: Vec<f64>,
    /// The weights used: `r_k` after the non-positive rule, 0 where `r_k` is NaN.
    pub weights: Vec<f64>,
}

fn check_shape(x: &[f64], n_items: usize, n_ann: usize) -> Result<()> {
    if x.len() != n_items * n_ann {
        return Err(Error::Internal(format!(
            "ratings has {} values, expected {n_items} x {n_ann}",
            x.len()
        )));
    }
    if let Some(v) = x.iter().find(|v| v.is_infinite()) {
        return Err(Error::param(
            "ratings",
            format!("expected finite ratings or NaN for missing, found {v}"),
        ));
    }
    Ok(())
}

/// Pearson correlation of paired samples (two-pass, centred); NaN if either side is
/// constant or there are fewer than two pairs.
fn pearson(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return f64::NAN;
    }
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, y)| (a + x, b + y));
    let (mx, my) = (mx / n, my / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return f64::NAN;
    }
    (sxy / (sxx.sqrt() * syy.sqrt())).clamp(-1.0, 1.0)
}

/// Evaluator Weighted Estimator (Grimm and Kroschel 2005, "Evaluation of natural
/// emotions using self assessment manikins"): `y_n = sum_k w_k y_nk / sum_k w_k` over the
/// raters `k` of item `n`, `w_k` the correlation of rater `k` with the reference over
/// the items `k` rated (items where the reference is undefined left out).
///
/// Defined here for the cases the paper leaves open: a rater with fewer than
/// `min_overlap` usable items or constant ratings has an undefined (NaN) correlation and
/// weight 0; with [`NonPositive::Zero`] a non-positive correlation also gives weight 0;
/// an item whose raters all have weight 0 (or whose weights sum to 0) is NaN.
pub fn ewe(
    ratings: &[f64],
    n_items: usize,
    n_ann: usize,
    reference: EweReference,
    non_positive: NonPositive,
    min_overlap: usize,
) -> Result<EweResult> {
    check_shape(ratings, n_items, n_ann)?;
    if n_ann < 2 {
        return Err(Error::param(
            "ratings",
            format!(
                "EWE needs at least two raters (columns), got {n_ann}: with one rater the \
                 correlation with the mean is 1 by construction and EWE is that rater's ratings"
            ),
        ));
    }
    let row = |i: usize| &ratings[i * n_ann..(i + 1) * n_ann];
    let (sum, cnt): (Vec<f64>, Vec<usize>) = (0..n_items)
        .map(|i| {
            row(i)
                .iter()
                .filter(|v| !v.is_nan())
                .fold((0.0, 0usize), |(s, c), &v| (s + v, c + 1))
        })
        .unzip();
    let mut correlations = Vec::with_capacity(n_ann);
    let mut pairs = Vec::with_capacity(n_items);
    for k in 0..n_ann {
        pairs.clear();
        for i in 0..n_items {
            let x = ratings[i * n_ann + k];
            if x.is_nan() {
                continue;
            }
            let r = match reference {
                EweReference::Mean => sum[i] / cnt[i] as f64,
                EweReference::LeaveOneOut => {
                    if cnt[i] < 2 {
                        continue;
                    }
                    // the mean of the others, recomputed (not sum - x) to avoid cancellation
                    let s: f64 = row(i)
                        .iter()
                        .enumerate()
                        .filter(|(j, v)| *j != k && !v.is_nan())
                        .map(|(_, v)| v)
                        .sum();
                    s / (cnt[i] - 1) as f64
                }
            };
            pairs.push((x, r));
        }
        correlations.push(if pairs.len() < min_overlap.max(2) {
            f64::NAN
        } else {
            pearson(&pairs)
        });
    }
    let weights: Vec<f64> = correlations
        .iter()
        .map(|&r| match (r.is_nan(), non_positive) {
            (true, _) => 0.0,
            (false, NonPositive::Zero) => r.max(0.0),
            (false, NonPositive::Keep) => r,
        })
        .collect();
    let consensus = (0..n_items)
        .map(|i| {
            let (mut num, mut den, mut any) = (0.0, 0.0, false);
            for (&v, &w) in row(i).iter().zip(&weights) {
                if !v.is_nan() && w != 0.0 {
                    num += w * v;
                    den += w;
                    any = true;
                }
            }
            if any && den != 0.0 {
                num / den
            } else {
                f64::NAN
            }
        })
        .collect();
    Ok(EweResult {
        consensus,
        correlations,
        weights,
    })
}

/// How to summarise each item's ratings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Summary {
    Mean,
    Median,
    /// `scipy.stats.trim_mean(x, proportiontocut)` over the item's ratings: cut
    /// `floor(p n)` ratings from each end of the sorted ratings.
    TrimmedMean(f64),
}

/// Per-item mean / median / trimmed mean of the available ratings (NaN if none).
pub fn summarise(ratings: &[f64], n_items: usize, n_ann: usize, how: Summary) -> Result<Vec<f64>> {
    check_shape(ratings, n_items, n_ann)?;
    if let Summary::TrimmedMean(p) = how {
        if !(0.0..0.5).contains(&p) {
            return Err(Error::param(
                "proportiontocut",
                format!("expected 0 <= proportiontocut < 0.5, got {p}"),
            ));
        }
    }
    let mut buf = Vec::with_capacity(n_ann);
    Ok((0..n_items)
        .map(|i| {
            buf.clear();
            buf.extend(
                ratings[i * n_ann..(i + 1) * n_ann]
                    .iter()
                    .copied()
                    .filter(|v| !v.is_nan()),
            );
            let n = buf.len();
            if n == 0 {
                return f64::NAN;
            }
            match how {
                Summary::Mean => buf.iter().sum::<f64>() / n as f64,
                Summary::Median => {
                    buf.sort_by(|a, b| a.total_cmp(b));
                    if n % 2 == 1 {
                        buf[n / 2]
                    } else {
                        (buf[n / 2 - 1] + buf[n / 2]) / 2.0
                    }
                }
                Summary::TrimmedMean(p) => {
                    buf.sort_by(|a, b| a.total_cmp(b));
                    let cut = (p * n as f64) as usize;
                    let kept = &buf[cut..n - cut];
                    kept.iter().sum::<f64>() / kept.len() as f64
                }
            }
        })
        .collect())
}

/// Per-annotator z-normalisation: each column minus its mean over the items the annotator
/// rated, divided by its standard deviation (`ddof` 0: population, as scikit-learn's
/// `StandardScaler`; 1: sample). A column with fewer than `ddof + 1` ratings or zero
/// spread (constant ratings) becomes NaN: its z-scores are undefined.
pub fn znorm(ratings: &[f64], n_items: usize, n_ann: usize, ddof: usize) -> Result<Vec<f64>> {
    check_shape(ratings, n_items, n_ann)?;
    let mut out = ratings.to_vec();
    for k in 0..n_ann {
        let col = || {
            (0..n_items)
                .map(|i| ratings[i * n_ann + k])
                .filter(|v| !v.is_nan())
        };
        let n = col().count();
        let mean = col().sum::<f64>() / n as f64;
        let ss: f64 = col().map(|v| (v - mean) * (v - mean)).sum();
        let sd = if n > ddof {
            (ss / (n - ddof) as f64).sqrt()
        } else {
            f64::NAN
        };
        for i in 0..n_items {
            let v = &mut out[i * n_ann + k];
            *v = if sd > 0.0 { (*v - mean) / sd } else { f64::NAN };
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAN: f64 = f64::NAN;

    #[test]
    fn ewe_formula_by_hand() {
        // three raters, four items; rater 2 anti-correlated
        let x = [
            1.0, 2.0, 4.0, //
            2.0, 3.0, 3.0, //
            3.0, 3.0, 2.0, //
            4.0, 5.0, 1.0,
        ];
        let r = ewe(&x, 4, 3, EweReference::Mean, NonPositive::Zero, 2).unwrap();
        let mean: Vec<f64> = x.chunks(3).map(|c| c.iter().sum::<f64>() / 3.0).collect();
        for k in 0..3 {
            let col: Vec<(f64, f64)> = (0..4).map(|i| (x[i * 3 + k], mean[i])).collect();
            assert!((r.correlations[k] - pearson(&col)).abs() < 1e-15);
        }
        assert!(r.correlations[2] < 0.0 && r.weights[2] == 0.0);
        let (w0, w1) = (r.weights[0], r.weights[1]);
        for i in 0..4 {
            let want = (w0 * x[i * 3] + w1 * x[i * 3 + 1]) / (w0 + w1);
            assert!((r.consensus[i] - want).abs() < 1e-14);
        }
        let keep = ewe(&x, 4, 3, EweReference::Mean, NonPositive::Keep, 2).unwrap();
        assert_eq!(keep.weights[2], keep.correlations[2]);
    }

    #[test]
    fn ewe_missing_and_degenerate() {
        let x = [
            1.0, 1.0, NAN, //
            2.0, NAN, 5.0, //
            3.0, 3.0, 5.0, //
            NAN, NAN, NAN,
        ];
        let r = ewe(&x, 4, 3, EweReference::LeaveOneOut, NonPositive::Zero, 2).unwrap();
        // rater 2 is constant: undefined correlation, weight 0
        assert!(r.correlations[2].is_nan() && r.weights[2] == 0.0);
        assert!(r.consensus[3].is_nan());
        assert!(ewe(&[1.0, 2.0], 2, 1, EweReference::Mean, NonPositive::Zero, 2).is_err());
        assert!(ewe(
            &[1.0, f64::INFINITY],
            1,
            2,
            EweReference::Mean,
            NonPositive::Zero,
            2
        )
        .is_err());
    }

    #[test]
    fn summaries_and_znorm() {
        let x = [1.0, 2.0, 9.0, NAN, NAN, NAN, 4.0, NAN, 2.0, 0.0];
        let m = summarise(&x, 2, 5, Summary::Mean).unwrap();
        assert_eq!(m, vec![4.0, 2.0]);
        let md = summarise(&x, 2, 5, Summary::Median).unwrap();
        assert_eq!(md, vec![2.0, 2.0]);
        let y: Vec<f64> = (0..10).map(f64::from).collect();
        // scipy.stats.trim_mean(range(10), 0.2) == 4.5 (cuts 2 from each end)
        assert_eq!(
            summarise(&y, 1, 10, Summary::TrimmedMean(0.2)).unwrap(),
            vec![4.5]
        );
        assert!(summarise(&y, 1, 10, Summary::TrimmedMean(0.5)).is_err());
        let z = znorm(&[1.0, 5.0, 3.0, 5.0, NAN, 5.0], 3, 2, 0).unwrap();
        assert_eq!((z[0], z[2]), (-1.0, 1.0));
        assert!(z[4].is_nan() && z[1].is_nan());
    }
}
