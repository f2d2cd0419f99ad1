//! Temporal dynamics of per-frame measures: derivatives, gap filling, blinks from the eye
//! aspect ratio, neutral baselines and NaN-aware statistics over sliding windows.
//!
//! Matrices are `(n_frames, n_features)` row-major. NaN marks a frame without a face; it
//! never shifts other frames: a derivative is NaN only where it would use a NaN frame,
//! and window statistics skip NaN values.
//!
//! The window statistics are a small set named as the face module's users expect; their
//! percentiles come from the general [`crate::functionals`].

use crate::error::{Error, Result};
use crate::functionals::{functionals, Functional};

fn check_shape(x: &[f64], n: usize, f: usize, argument: &str) -> Result<()> {
    if x.len() != n * f {
        return Err(Error::Internal(format!(
            "{argument}: {} values do not make a ({n}, {f}) matrix",
            x.len()
        )));
    }
    Ok(())
}

fn check_fps(fps: f64) -> Result<()> {
    if fps.is_finite() && fps > 0.0 {
        Ok(())
    } else {
        Err(Error::param(
            "fps",
            format!("must be a positive frame rate, got {fps}"),
        ))
    }
}

/// First derivative along frames per second, as `numpy.gradient(x, 1/fps, axis=0)`:
/// central differences inside, one-sided at the ends; NaN with fewer than two frames.
pub fn derivative(x: &[f64], n: usize, f: usize, fps: f64) -> Result<Vec<f64>> {
    check_shape(x, n, f, "features")?;
    check_fps(fps)?;
    let mut out = vec![f64::NAN; n * f];
    if n < 2 {
        return Ok(out);
    }
    for i in 0..n {
        let (a, b, h) = if i == 0 {
            (0, 1, 1.0)
        } else if i == n - 1 {
            (n - 2, n - 1, 1.0)
        } else {
            (i - 1, i + 1, 2.0)
        };
        for j in 0..f {
            out[i * f + j] = (x[b * f + j] - x[a * f + j]) * fps / h;
        }
    }
    Ok(out)
}

/// Linear interpolation across runs of at most `max_gap` NaN frames that have a finite
/// value on both sides (per column); longer gaps and gaps at the ends stay NaN.
pub fn interpolate_gaps(x: &[f64], n: usize, f: usize, max_gap: usize) -> Result<Vec<f64>> {
    check_shape(x, n, f, "features")?;
    let mut out = x.to_vec();
    if max_gap == 0 {
        return Ok(out);
    }
    for j in 0..f {
        let mut last: Option<usize> = None;
        for i in 0..n {
            let v = x[i * f + j];
            if !v.is_finite() {
                continue;
            }
            if let Some(l) = last {
                let gap = i - l - 1;
                if gap > 0 && gap <= max_gap {
                    let (a, b) = (x[l * f + j], v);
                    for k in l + 1..i {
                        let t = (k - l) as f64 / (i - l) as f64;
                        out[k * f + j] = a + (b - a) * t;
                    }
                }
            }
            last = Some(i);
        }
    }
    Ok(out)
}

/// Blinks found in an eye-aspect-ratio track.
#[derive(Debug, Clone, PartialEq)]
pub struct Blinks {
    /// Per frame: inside a detected blink.
    pub closed: Vec<bool>,
    /// First frame of each blink.
    pub onsets: Vec<usize>,
    /// Length of each blink in frames.
    pub durations: Vec<usize>,
    /// Blinks per minute of frames with a face (finite EAR); NaN without such frames.
    pub rate_per_minute: f64,
    /// Mean blink duration in seconds; NaN without blinks.
    pub mean_duration_s: f64,
}

/// Blinks as runs of frames with EAR below `threshold` lasting `min_frames` to
/// `max_frames` frames (Soukupova and Cech 2016 threshold the EAR the same way). A NaN
/// frame ends a run.
pub fn blinks(
    ear: &[f64],
    fps: f64,
    threshold: f64,
    min_frames: usize,
    max_frames: Option<usize>,
) -> Result<Blinks> {
    check_fps(fps)?;
    if !threshold.is_finite() {
        return Err(Error::param(
            "threshold",
            format!("must be finite, got {threshold}"),
        ));
    }
    let min_frames = min_frames.max(1);
    if let Some(m) = max_frames {
        if m < min_frames {
            return Err(Error::param(
                "max_frames",
                format!("must be at least min_frames ({min_frames}), got {m}"),
            ));
        }
    }
    let n = ear.len();
    let mut closed = vec![false; n];
    let (mut onsets, mut durations) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < n {
        if ear[i] < threshold {
            let start = i;
            while i < n && ear[i] < threshold {
                i += 1;
            }
            let len = i - start;
            if len >= min_frames && max_frames.is_none_or(|m| len <= m) {
                onsets.push(start);
                durations.push(len);
                closed[start..i].iter_mut().for_each(|c| *c = true);
            }
        } else {
            i += 1;
        }
    }
    let valid = ear.iter().filter(|v| v.is_finite()).count();
    let rate_per_minute = if valid > 0 {
        onsets.len() as f64 / (valid as f64 / fps / 60.0)
    } else {
        f64::NAN
    };
    let mean_duration_s = if durations.is_empty() {
        f64::NAN
    } else {
        durations.iter().sum::<usize>() as f64 / durations.len() as f64 / fps
    };
    Ok(Blinks {
        closed,
        onsets,
        durations,
        rate_per_minute,
        mean_duration_s,
    })
}

/// The functionals of the finite values in `v` (NaN when there are none): the same
/// definitions as `ak.functionals` (one implementation, [`crate::functionals`]).
fn finite_functionals(v: &mut Vec<f64>, which: &[Functional], fps: f64) -> Result<Vec<f64>> {
    // Infinite values (a degenerate geometry ratio) count as missing here, like NaN.
    v.retain(|x| x.is_finite());
    functionals(v, which, fps)
}

/// Statistics over sliding windows of `window` frames every `hop` frames (windows that
/// fit; one shorter window when the sequence is shorter than `window`). Output
/// `(n_windows, f * stats.len())`, feature-major (all statistics of feature 0 first),
/// and the first frame of each window.
pub fn window_functionals(
    x: &[f64],
    n: usize,
    f: usize,
    window: usize,
    hop: usize,
    stats: &[Functional],
    fps: f64,
) -> Result<(Vec<f64>, Vec<usize>)> {
    check_shape(x, n, f, "features")?;
    check_fps(fps)?;
    if window == 0 {
        return Err(Error::param("window", "must be at least one frame, got 0"));
    }
    if hop == 0 {
        return Err(Error::param("hop", "must be at least one frame, got 0"));
    }
    let starts: Vec<usize> = if n == 0 {
        Vec::new()
    } else if n <= window {
        vec![0]
    } else {
        (0..=n - window).step_by(hop).collect()
    };
    let width = f * stats.len();
    let src = crate::limits::Source::Arg("window");
    let mut out = crate::limits::filled(
        crate::limits::product::<f64>(&[starts.len(), width], src)?,
        f64::NAN,
        src,
    )?;
    // a window longer than the sequence covers the sequence
    let mut buf = Vec::with_capacity(window.min(n));
    for (w, &s) in starts.iter().enumerate() {
        let e = (s + window).min(n);
        for j in 0..f {
            buf.clear();
            buf.extend((s..e).map(|i| x[i * f + j]));
            let row = finite_functionals(&mut buf, stats, fps)?;
            out[w * width + j * stats.len()..][..stats.len()].copy_from_slice(&row);
        }
    }
    Ok((out, starts))
}

/// Per-column NaN-aware `stat` (median for a robust neutral baseline) over the frames
/// where `mask` is true (all frames without a mask).
pub fn column_stat(
    x: &[f64],
    n: usize,
    f: usize,
    mask: Option<&[bool]>,
    s: Functional,
) -> Result<Vec<f64>> {
    check_shape(x, n, f, "features")?;
    if let Some(m) = mask {
        if m.len() != n {
            return Err(Error::param(
                "neutral",
                format!(
                    "a frame mask needs {n} values (one per frame), got {}",
                    m.len()
                ),
            ));
        }
    }
    let mut buf = Vec::with_capacity(n);
    (0..f)
        .map(|j| {
            buf.clear();
            buf.extend(
                (0..n)
                    .filter(|&i| mask.is_none_or(|m| m[i]))
                    .map(|i| x[i * f + j]),
            );
            // Frame rate 1: a per-column statistic has no slope to scale.
            Ok(finite_functionals(&mut buf, &[s], 1.0)?[0])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn derivative_matches_gradient() {
        let x = [0.0, 1.0, 4.0, 9.0, f64::NAN, 25.0];
        let d = derivative(&x, 6, 1, 10.0).unwrap();
        assert_abs_diff_eq!(d[0], 10.0);
        assert_abs_diff_eq!(d[1], 20.0);
        assert_abs_diff_eq!(d[2], 40.0);
        // NaN only spreads to the frames whose difference uses it
        assert!(d[3].is_nan() && d[5].is_nan());
        assert_abs_diff_eq!(d[4], 80.0);
        assert!(derivative(&x, 6, 1, 0.0).is_err());
    }

    #[test]
    fn gaps() {
        let x = [
            1.0,
            f64::NAN,
            3.0,
            f64::NAN,
            f64::NAN,
            f64::NAN,
            7.0,
            f64::NAN,
        ];
        let y = interpolate_gaps(&x, 8, 1, 2).unwrap();
        assert_abs_diff_eq!(y[1], 2.0);
        assert!(y[3].is_nan() && y[7].is_nan());
        let y = interpolate_gaps(&x, 8, 1, 3).unwrap();
        assert_abs_diff_eq!(y[4], 5.0);
    }

    #[test]
    fn blink_detection() {
        let mut ear = vec![0.3; 60];
        ear[10..13].iter_mut().for_each(|v| *v = 0.1); // blink of 3 frames
        ear[30] = 0.1; // too short
        ear[40..44].iter_mut().for_each(|v| *v = 0.15); // 4 frames
        ear[50] = f64::NAN;
        let b = blinks(&ear, 30.0, 0.2, 2, None).unwrap();
        assert_eq!(b.onsets, vec![10, 40]);
        assert_eq!(b.durations, vec![3, 4]);
        assert_abs_diff_eq!(b.mean_duration_s, 3.5 / 30.0);
        assert_abs_diff_eq!(
            b.rate_per_minute,
            2.0 / (59.0 / 30.0 / 60.0),
            epsilon = 1e-9
        );
        assert!(b.closed[11] && !b.closed[30]);
    }

    #[test]
    fn windows_and_stats() {
        let x: Vec<f64> = (0..10).map(|i| i as f64).collect();
        let stats = ["mean", "iqr", "median"].map(|s| Functional::named(s, "functionals").unwrap());
        let (w, starts) = window_functionals(&x, 10, 1, 4, 3, &stats, 30.0).unwrap();
        assert_eq!(starts, vec![0, 3, 6]);
        assert_abs_diff_eq!(w[0], 1.5);
        assert_abs_diff_eq!(w[1], 1.5);
        assert_abs_diff_eq!(w[3], 4.5);
        let mut v = vec![f64::NAN, 1.0, 3.0, f64::INFINITY];
        assert_abs_diff_eq!(
            finite_functionals(&mut v, &[Functional::Std], 1.0).unwrap()[0],
            1.0
        );
        let mut v = vec![f64::NAN];
        assert!(finite_functionals(&mut v, &[Functional::Max], 1.0).unwrap()[0].is_nan());
        // slopes are per second at the given frame rate
        let (w, _) =
            window_functionals(&x, 10, 1, 10, 1, &[Functional::RisingSlopeMean], 30.0).unwrap();
        assert_abs_diff_eq!(w[0], 30.0);
        let base = column_stat(
            &x,
            10,
            1,
            Some(&[true; 10][..]),
            Functional::Percentile(50.0),
        )
        .unwrap();
        assert_abs_diff_eq!(base[0], 4.5);
    }
}
