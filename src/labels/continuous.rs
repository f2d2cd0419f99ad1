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

/// `"mean"` or `"leave_one_out"`.
impl std::str::FromStr for EweReference {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "mean" => Ok(EweReference::Mean),
            "leave_one_out" => Ok(EweReference::LeaveOneOut),
            _ => Err(Error::param(
                "reference",
                format!("expected \"mean\" or \"leave_one_out\", got {name:?}"),
            )),
        }
    }
}

/// What EWE does with a non-positive correlation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonPositive {
    /// Weight `max(r_k, 0)`: such raters do not contribute.
    Zero,
    /// Weight `r_k` as it is (the formula taken literally).
    Keep,
}

/// `"zero"` or `"keep"`; the error names the Python argument `negative`.
impl std::str::FromStr for NonPositive {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "zero" => Ok(NonPositive::Zero),
            "keep" => Ok(NonPositive::Keep),
            _ => Err(Error::param(
                "negative",
                format!("expected \"zero\" or \"keep\", got {name:?}"),
            )),
        }
    }
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

impl Summary {
    /// `"mean"`, `"median"` or `"trimmed_mean"` (cutting `proportiontocut` from each end).
    pub fn named(name: &str, proportiontocut: f64) -> Result<Self> {
        match name {
            "mean" => Ok(Summary::Mean),
            "median" => Ok(Summary::Median),
            "trimmed_mean" => Ok(Summary::TrimmedMean(proportiontocut)),
            _ => Err(Error::param(
                "method",
                format!("expected \"mean\", \"median\" or \"trimmed_mean\", got {name:?}"),
            )),
        }
    }
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

/// Linear interpolation of a trace sampled at `fps` (sample `j` at time `j / fps`) onto
/// `times` (seconds); NaN outside the trace or next to a NaN sample.
pub fn resample_linear(trace: &[f64], fps: f64, times: &[f64]) -> Result<Vec<f64>> {
    if !(fps.is_finite() && fps > 0.0) {
        return Err(Error::param(
            "fps",
            format!("expected a positive rate in Hz, got {fps}"),
        ));
    }
    let n = trace.len();
    Ok(times
        .iter()
        .map(|&t| {
            let pos = t * fps;
            if pos.is_nan() || pos < 0.0 || n == 0 || pos > (n - 1) as f64 {
                return f64::NAN;
            }
            let j = pos.floor() as usize;
            if j + 1 >= n {
                return trace[n - 1];
            }
            let w = pos - j as f64;
            if w == 0.0 {
                trace[j]
            } else {
                trace[j] * (1.0 - w) + trace[j + 1] * w
            }
        })
        .collect())
}

/// The lag (in samples, `min_lag..=max_lag`) that maximises the Pearson correlation of
/// `x[t + lag]` with `reference[t]` over the samples where both are defined, and that
/// correlation; `(0, NaN)` when no lag gives a defined correlation. A positive lag means
/// `x` lags behind the reference (an annotator reacting late).
pub fn best_lag(x: &[f64], reference: &[f64], min_lag: i64, max_lag: i64) -> (i64, f64) {
    let mut best = (0i64, f64::NAN);
    let mut pairs = Vec::with_capacity(reference.len());
    // Lags beyond the traces' lengths pair nothing: the search stops there, so a huge
    // max_lag costs no more than the traces' length.
    let lo = min_lag.max(-(reference.len() as i64));
    let hi = max_lag.min(x.len() as i64);
    for lag in lo..=hi {
        pairs.clear();
        for (t, &r) in reference.iter().enumerate() {
            let j = t as i64 + lag;
            if j < 0 || j >= x.len() as i64 {
                continue;
            }
            let v = x[j as usize];
            if !v.is_nan() && !r.is_nan() {
                pairs.push((v, r));
            }
        }
        let c = pearson(&pairs);
        if !c.is_nan() && (best.1.is_nan() || c > best.1) {
            best = (lag, c);
        }
    }
    best
}

/// Time-continuous traces on a common grid, lag-compensated.
#[derive(Debug, Clone)]
pub struct Aligned {
    /// Row-major `(n_frames, n_annotators)`, NaN where a trace has no value.
    pub values: Vec<f64>,
    pub n_frames: usize,
    /// Lag removed from each trace, in frames of the common grid.
    pub lags: Vec<i64>,
    /// Correlation of each shifted trace with the mean of the others.
    pub correlations: Vec<f64>,
}

/// Resamples each trace (`fps[k]`) to `target_fps` from time 0 to the end of the longest
/// trace, then shifts each trace by the lag in `min_lag..=max_lag` frames that maximises
/// its correlation with the mean of the other (resampled, unshifted) traces
/// (Mariooryad and Busso 2015 compensate annotator reaction lag this way).
pub fn align_traces(
    traces: &[&[f64]],
    fps: &[f64],
    target_fps: f64,
    min_lag: i64,
    max_lag: i64,
) -> Result<Aligned> {
    let m = traces.len();
    if m == 0 {
        return Err(Error::param("traces", "expected at least one trace"));
    }
    if fps.len() != m {
        return Err(Error::param(
            "fps",
            format!("expected one rate per trace ({m}), got {}", fps.len()),
        ));
    }
    if !(target_fps.is_finite() && target_fps > 0.0) {
        return Err(Error::param(
            "target_fps",
            format!("expected a positive rate in Hz, got {target_fps}"),
        ));
    }
    if min_lag > max_lag {
        return Err(Error::param(
            "max_lag_s",
            format!("the lag range is empty ({min_lag} > {max_lag} frames)"),
        ));
    }
    let mut duration = 0.0f64;
    for (k, (t, &f)) in traces.iter().zip(fps).enumerate() {
        if !(f.is_finite() && f > 0.0) {
            return Err(Error::param(
                "fps",
                format!("trace {k}: expected a positive rate, got {f}"),
            ));
        }
        if let Some(v) = t.iter().find(|v| v.is_infinite()) {
            return Err(Error::param("traces", format!("trace {k} contains {v}")));
        }
        if !t.is_empty() {
            duration = duration.max((t.len() - 1) as f64 / f);
        }
    }
    let n_frames = crate::limits::count_from_f64::<[f64; 2]>(
        (duration * target_fps + 1e-9).floor() + 1.0,
        crate::limits::Source::Arg("target_fps"),
    )?;
    crate::limits::product::<f64>(&[n_frames, m], crate::limits::Source::Arg("target_fps"))?;
    let times: Vec<f64> = (0..n_frames).map(|j| j as f64 / target_fps).collect();
    let grid: Vec<Vec<f64>> = traces
        .iter()
        .zip(fps)
        .map(|(t, &f)| resample_linear(t, f, &times))
        .collect::<Result<_>>()?;
    let mut lags = vec![0i64; m];
    let mut correlations = vec![f64::NAN; m];
    if m >= 2 {
        for k in 0..m {
            let others: Vec<f64> = (0..n_frames)
                .map(|j| {
                    let (mut s, mut c) = (0.0, 0usize);
                    for (o, g) in grid.iter().enumerate() {
                        if o != k && !g[j].is_nan() {
                            s += g[j];
                            c += 1;
                        }
                    }
                    if c > 0 {
                        s / c as f64
                    } else {
                        f64::NAN
                    }
                })
                .collect();
            let (lag, c) = best_lag(&grid[k], &others, min_lag, max_lag);
            lags[k] = lag;
            correlations[k] = c;
        }
    }
    let mut values = vec![f64::NAN; n_frames * m];
    for (k, g) in grid.iter().enumerate() {
        for j in 0..n_frames {
            let src = j as i64 + lags[k];
            if src >= 0 && (src as usize) < n_frames {
                values[j * m + k] = g[src as usize];
            }
        }
    }
    Ok(Aligned {
        values,
        n_frames,
        lags,
        correlations,
    })
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
    fn resampling_and_lag_recovery() {
        let r = resample_linear(&[0.0, 1.0, 2.0], 1.0, &[0.0, 0.5, 2.0, 2.5]).unwrap();
        assert_eq!(&r[..3], &[0.0, 0.5, 2.0]);
        assert!(r[3].is_nan());
        // three smooth traces, the third 7 frames late
        let base: Vec<f64> = (0..400)
            .map(|t| (t as f64 / 15.0).sin() + (t as f64 / 41.0).cos())
            .collect();
        let late: Vec<f64> = (0..400)
            .map(|t| if t >= 7 { base[t - 7] } else { base[0] })
            .collect();
        let noisy: Vec<f64> = base
            .iter()
            .enumerate()
            .map(|(t, v)| v + 0.01 * ((t * 7919) % 13) as f64)
            .collect();
        let a = align_traces(&[&base, &noisy, &late], &[25.0, 25.0, 25.0], 25.0, 0, 20).unwrap();
        assert_eq!(a.lags, vec![0, 0, 7]);
        assert_eq!(a.n_frames, 400);
        assert_eq!(a.values[10 * 3 + 2], base[10]);
        // a trace at half the rate lands on the same grid
        let half: Vec<f64> = base.iter().step_by(2).copied().collect();
        let b = align_traces(&[&base, &half], &[25.0, 12.5], 25.0, 0, 0).unwrap();
        assert!((b.values[20 * 2 + 1] - base[20]).abs() < 1e-12);
        assert!(align_traces(&[&base], &[0.0], 25.0, 0, 0).is_err());
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
