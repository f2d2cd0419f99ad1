//! Statistics over a contour (functionals), NaN-aware, with eGeMAPS' definitions.
//!
//! Eyben et al. (2016), "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS)",
//! IEEE Trans. Affective Computing 7(2), section 3.2: arithmetic mean, coefficient of
//! variation (`stddevNorm`), percentiles 20/50/80 and the 20-80 range (`pctlrange0-2`),
//! and the mean and standard deviation of the slopes of rising and falling signal parts.
//! Any contour works (F0, loudness, a face measure); NaN marks missing frames (unvoiced,
//! no face) and is left out, as eGeMAPS leaves out unvoiced frames (`_nz`).
//!
//! Definitions (documented choices where the paper is not explicit):
//! - standard deviations are population deviations (divide by N);
//! - `stddevNorm = stddev / |mean|`;
//! - percentiles interpolate linearly between order statistics (numpy's default);
//! - slopes: the finite values, in order, are cut into monotone runs at their turning
//!   points (plateaus belong to neither side); a run from a valley to the next peak is a
//!   rising part, peak to valley a falling part; its slope is the value change over its
//!   duration in seconds (`frames / frame_rate`). Falling slopes are reported as positive
//!   magnitudes. A contour without such a part gives NaN.

use crate::error::{Error, Result};

/// One statistic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Functional {
    Mean,
    Std,
    StddevNorm,
    Min,
    Max,
    Range,
    /// A percentile in [0, 100].
    Percentile(f64),
    /// `percentile(b) - percentile(a)`.
    PercentileRange(f64, f64),
    RisingSlopeMean,
    RisingSlopeStddev,
    FallingSlopeMean,
    FallingSlopeStddev,
    /// Number of finite values.
    Count,
}

/// The ten functionals eGeMAPS applies to F0 and loudness, in its order.
pub const EGEMAPS_CONTOUR: [&str; 10] = [
    "amean",
    "stddevNorm",
    "percentile20.0",
    "percentile50.0",
    "percentile80.0",
    "pctlrange0-2",
    "meanRisingSlope",
    "stddevRisingSlope",
    "meanFallingSlope",
    "stddevFallingSlope",
];

impl Functional {
    /// Parses a name: `mean`/`amean`, `std`/`stddev`, `stddevNorm`, `min`, `max`, `range`,
    /// `median`, `iqr`, `percentileP` (P in [0, 100], e.g. `percentile20` or
    /// `percentile20.0`), `pctlrange0-2` (eGeMAPS: percentile 80 - percentile 20),
    /// `risingSlopeMean`/`meanRisingSlope`, `risingSlopeStddev`/`stddevRisingSlope`, the
    /// falling forms likewise, `count`.
    pub fn from_name(name: &str) -> Result<Self> {
        Self::parse(name, "which")
    }

    /// [`Functional::from_name`], naming `argument` in the error (callers whose keyword is
    /// not `which`, such as the face dynamics' `functionals`).
    pub fn parse(name: &str, argument: &str) -> Result<Self> {
        Ok(match name {
            "mean" | "amean" => Functional::Mean,
            "std" | "stddev" => Functional::Std,
            "stddevNorm" => Functional::StddevNorm,
            "min" => Functional::Min,
            "max" => Functional::Max,
            "range" => Functional::Range,
            "median" => Functional::Percentile(50.0),
            "iqr" => Functional::PercentileRange(25.0, 75.0),
            "pctlrange0-2" => Functional::PercentileRange(20.0, 80.0),
            "risingSlopeMean" | "meanRisingSlope" => Functional::RisingSlopeMean,
            "risingSlopeStddev" | "stddevRisingSlope" => Functional::RisingSlopeStddev,
            "fallingSlopeMean" | "meanFallingSlope" => Functional::FallingSlopeMean,
            "fallingSlopeStddev" | "stddevFallingSlope" => Functional::FallingSlopeStddev,
            "count" => Functional::Count,
            other => {
                if let Some(p) = other.strip_prefix("percentile") {
                    if let Ok(q) = p.parse::<f64>() {
                        if (0.0..=100.0).contains(&q) {
                            return Ok(Functional::Percentile(q));
                        }
                    }
                }
                return Err(Error::param(
                    argument,
                    format!(
                        "unknown functional {other:?}; expected mean (amean), std (stddev), \
                         stddevNorm, min, max, range, median, iqr, percentileP with P in \
                         [0, 100], pctlrange0-2, risingSlopeMean, risingSlopeStddev, \
                         fallingSlopeMean, fallingSlopeStddev (or openSMILE's \
                         meanRisingSlope, ...), count"
                    ),
                ));
            }
        })
    }
}

/// Linear-interpolation percentile (`q` in [0, 1]) of sorted values (numpy's default
/// method); NaN for no values.
pub fn percentile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let pos = q * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

fn mean_std(v: &[f64]) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let m = v.len() as f64;
    let mean = v.iter().sum::<f64>() / m;
    let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / m;
    (mean, var.sqrt())
}

/// Slopes (per second) of the rising and of the falling parts of `x` (finite values).
pub fn rise_fall_slopes(x: &[f64], frame_rate: f64) -> (Vec<f64>, Vec<f64>) {
    let (mut rising, mut falling) = (Vec::new(), Vec::new());
    let mut push = |s: usize, e: usize, dir: i8| {
        let slope = (x[e] - x[s]) * frame_rate / (e - s) as f64;
        if dir > 0 {
            rising.push(slope);
        } else {
            falling.push(-slope);
        }
    };
    // start: last index of the plateau the current run left from; reached: first index
    // at which the run attained its latest value.
    let (mut start, mut reached, mut dir) = (0usize, 0usize, 0i8);
    for i in 1..x.len() {
        let d = if x[i] > x[i - 1] {
            1
        } else if x[i] < x[i - 1] {
            -1
        } else {
            0
        };
        if d == 0 {
            continue;
        }
        if dir == 0 {
            start = i - 1;
        } else if d != dir {
            push(start, reached, dir);
            start = i - 1;
        }
        dir = d;
        reached = i;
    }
    if dir != 0 {
        push(start, reached, dir);
    }
    (rising, falling)
}

/// How [`functionals_with`] cuts a contour into rising and falling parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SlopeRule {
    /// Every turning point ends a part (see the module docs); falling slopes positive.
    MonotoneRuns,
    /// openSMILE-compatible (measured on the `opensmile` 2.6 eGeMAPSv02 outputs, see
    /// [`peak_slopes`]): turning points must stand out by `rel_threshold` of the
    /// contour's range; the last fall, into the contour's end, keeps its negative sign.
    Peaks { rel_threshold: f64 },
}

/// Slopes (per second) of the rising and falling parts of `x` (finite values) between
/// its prominent turning points: a maximum is confirmed once the contour falls
/// `rel_threshold * (max - min)` below it, a minimum once it rises that much above it
/// (hysteresis), so small wiggles do not cut a rise. The contour's first and last values
/// close the first and last parts. A falling part that ends a valley is reported as a
/// positive magnitude, the one into the contour's end as its signed (negative) slope.
///
/// Measured on openSMILE 2.6 (eGeMAPSv02 `meanRisingSlope` .. `stddevFallingSlope`):
/// a single triangle gives one rising and one negative falling slope, a V shape a
/// positive falling slope, and `rel_threshold = 0.1` reproduces its values from its own
/// F0 and loudness contours best (r >= 0.94 for the rising statistics).
///
/// ```
/// use _core::functionals::peak_slopes;
/// let (r, f) = peak_slopes(&[0.0, 1.0, 2.0, 1.9, 2.0, 1.0, 0.0], 10.0, 0.1);
/// assert_eq!(r, vec![10.0]); // the 1.9 dip is smaller than 10 % of the range
/// assert_eq!(f, vec![-5.0]); // the fall into the end keeps its sign
/// ```
pub fn peak_slopes(x: &[f64], frame_rate: f64, rel_threshold: f64) -> (Vec<f64>, Vec<f64>) {
    let (mut rising, mut falling) = (Vec::new(), Vec::new());
    let n = x.len();
    if n < 2 {
        return (rising, falling);
    }
    let (lo, hi) = x
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let th = rel_threshold * (hi - lo);
    let mut points = vec![0usize];
    // dir: 1 while rising (tracking the running maximum), -1 falling, 0 undecided.
    let (mut dir, mut imax, mut imin) = (0i8, 0usize, 0usize);
    for i in 1..n {
        if x[i] > x[imax] {
            imax = i;
        }
        if x[i] < x[imin] {
            imin = i;
        }
        match dir {
            1 if x[i] < x[imax] - th => {
                points.push(imax);
                dir = -1;
                imin = i;
            }
            -1 if x[i] > x[imin] + th => {
                points.push(imin);
                dir = 1;
                imax = i;
            }
            0 if x[i] > x[0] + th => dir = 1,
            0 if x[i] < x[0] - th => dir = -1,
            _ => {}
        }
    }
    points.push(n - 1);
    for w in points.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b == a {
            continue;
        }
        let slope = (x[b] - x[a]) * frame_rate / (b - a) as f64;
        if slope > 0.0 {
            rising.push(slope);
        } else if slope < 0.0 {
            falling.push(if b == n - 1 { slope } else { -slope });
        }
    }
    (rising, falling)
}

/// The functionals `which` of `contour` (NaN values left out); `frame_rate` (frames per
/// second) scales the slopes. Every statistic of a contour with no finite value is NaN
/// (`count` is 0).
pub fn functionals(contour: &[f64], which: &[Functional], frame_rate: f64) -> Result<Vec<f64>> {
    functionals_with(contour, which, frame_rate, SlopeRule::MonotoneRuns)
}

/// [`functionals`] with the slope functionals cut by `slopes` (eGeMAPS uses
/// [`SlopeRule::Peaks`] for openSMILE parity).
pub fn functionals_with(
    contour: &[f64],
    which: &[Functional],
    frame_rate: f64,
    slopes: SlopeRule,
) -> Result<Vec<f64>> {
    if !(frame_rate.is_finite() && frame_rate > 0.0) {
        return Err(Error::param(
            "frame_rate",
            format!("must be a positive number of frames per second, got {frame_rate}"),
        ));
    }
    if let Some(i) = contour.iter().position(|v| v.is_infinite()) {
        return Err(Error::param(
            "contour",
            format!("value {i} is infinite; mark missing frames with NaN"),
        ));
    }
    let finite: Vec<f64> = contour.iter().copied().filter(|v| v.is_finite()).collect();
    let mut sorted: Option<Vec<f64>> = None;
    let rule = slopes;
    let mut slopes: Option<(Vec<f64>, Vec<f64>)> = None;
    let (mean, std) = mean_std(&finite);
    let mut out = Vec::with_capacity(which.len());
    for f in which {
        let mut pct = |q: f64| {
            let s = sorted.get_or_insert_with(|| {
                let mut s = finite.clone();
                s.sort_by(f64::total_cmp);
                s
            });
            percentile_sorted(s, q / 100.0)
        };
        let v = match *f {
            Functional::Mean => mean,
            Functional::Std => std,
            Functional::StddevNorm => std / mean.abs(),
            Functional::Min => pct(0.0),
            Functional::Max => pct(100.0),
            Functional::Range => pct(100.0) - pct(0.0),
            Functional::Percentile(q) => pct(q),
            Functional::PercentileRange(a, b) => pct(b) - pct(a),
            Functional::Count => finite.len() as f64,
            Functional::RisingSlopeMean
            | Functional::RisingSlopeStddev
            | Functional::FallingSlopeMean
            | Functional::FallingSlopeStddev => {
                let (r, fl) = slopes.get_or_insert_with(|| match rule {
                    SlopeRule::MonotoneRuns => rise_fall_slopes(&finite, frame_rate),
                    SlopeRule::Peaks { rel_threshold } => {
                        peak_slopes(&finite, frame_rate, rel_threshold)
                    }
                });
                match *f {
                    Functional::RisingSlopeMean => mean_std(r).0,
                    Functional::RisingSlopeStddev => mean_std(r).1,
                    Functional::FallingSlopeMean => mean_std(fl).0,
                    _ => mean_std(fl).1,
                }
            }
        };
        out.push(v);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(names: &[&str]) -> Vec<Functional> {
        names
            .iter()
            .map(|n| Functional::from_name(n).unwrap())
            .collect()
    }

    #[test]
    fn basic_statistics_skip_nan() {
        let x = [1.0, f64::NAN, 2.0, 3.0, 4.0, f64::NAN];
        let v = functionals(
            &x,
            &all(&[
                "mean",
                "std",
                "stddevNorm",
                "median",
                "percentile25",
                "count",
            ]),
            100.0,
        )
        .unwrap();
        assert_eq!(v[0], 2.5);
        assert!((v[1] - 1.25f64.sqrt()).abs() < 1e-12);
        assert!((v[2] - 1.25f64.sqrt() / 2.5).abs() < 1e-12);
        assert_eq!(v[3], 2.5);
        assert_eq!(v[4], 1.75);
        assert_eq!(v[5], 4.0);
    }

    #[test]
    fn slopes_of_a_triangle_wave() {
        // up 0..4 in 4 frames (slope 1/frame), down to 0 in 2 frames (2/frame), up again.
        let x = [0.0, 1.0, 2.0, 3.0, 4.0, 2.0, 0.0, 1.0, 2.0];
        let (r, f) = rise_fall_slopes(&x, 100.0);
        assert_eq!(r, vec![100.0, 100.0]);
        assert_eq!(f, vec![200.0]);
        // plateaus belong to neither side
        let (r, f) = rise_fall_slopes(&[1.0, 1.0, 3.0, 3.0, 3.0, 2.0], 10.0);
        assert_eq!(r, vec![20.0]);
        assert_eq!(f, vec![10.0]);
        let v = functionals(&x, &all(&["risingSlopeStddev", "meanFallingSlope"]), 100.0).unwrap();
        assert_eq!(v, vec![0.0, 200.0]);
    }

    #[test]
    fn peak_slopes_skip_small_wiggles() {
        // two prominent peaks (2.0) with a 0.1 dip on the first rise: 3 rising parts
        // would appear without the threshold, 2 with it.
        let x = [0.0, 1.0, 0.9, 2.0, 1.0, 0.0, 1.0, 2.0, 1.0];
        let (r, f) = peak_slopes(&x, 1.0, 0.1);
        assert_eq!(r, vec![2.0 / 3.0, 1.0]);
        // the valley fall is a magnitude, the fall into the end keeps its sign
        assert_eq!(f, vec![1.0, -1.0]);
        let (r, _) = rise_fall_slopes(&x, 1.0);
        assert_eq!(r.len(), 3);
        // a V shape: a positive falling slope; a monotone ramp: one part
        assert_eq!(
            peak_slopes(&[2.0, 1.0, 0.0, 2.0], 1.0, 0.1),
            (vec![2.0], vec![1.0])
        );
        assert_eq!(peak_slopes(&[0.0, 1.0, 2.0], 1.0, 0.1), (vec![1.0], vec![]));
        let v = functionals_with(
            &x,
            &[Functional::FallingSlopeMean],
            1.0,
            SlopeRule::Peaks { rel_threshold: 0.1 },
        );
        assert_eq!(v.unwrap(), vec![0.0]);
    }

    #[test]
    fn empty_and_bad_input() {
        let v = functionals(
            &[f64::NAN; 3],
            &all(&["mean", "percentile50", "count"]),
            100.0,
        )
        .unwrap();
        assert!(v[0].is_nan() && v[1].is_nan() && v[2] == 0.0);
        assert!(functionals(&[], &all(&["meanRisingSlope"]), 100.0).unwrap()[0].is_nan());
        assert!(Functional::from_name("percentile101").is_err());
        assert!(Functional::from_name("kurtosis").is_err());
        assert!(functionals(&[1.0, f64::INFINITY], &[Functional::Mean], 100.0).is_err());
        assert!(functionals(&[1.0], &[Functional::Mean], 0.0).is_err());
    }
}
