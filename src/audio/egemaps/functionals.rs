//! openSMILE's functionals with the eGeMAPS options: Moments, Percentiles, Peaks2 and
//! Segments, over the frames each one really sees.
//!
//! [C] (`*_core.func.conf.inc`): amean and `stddevNorm = 2` (population standard deviation
//! over the mean, signed, no ratio limiting); percentiles 20/50/80 with linear
//! interpolation and the 20-80 range; Peaks2 rising/falling slope means and deviations per
//! second (`relThresh 0.1`) and the number of peaks; Segments `nonX`/`eqX` with `X = 0`.
//! `nonZeroFuncts 1` (the F0, voiced and unvoiced sets) drops values that are exactly 0
//! and joins the rest. Measured black-box (fact sheet `egemaps-facts-3-segments-harmonics.md`):
//! the segment rule and which frames of the smoothed F0 contour the functionals see
//! ([`f0_frames`]).

use crate::functionals::peak_slopes;

/// `[amean, stddevNorm]` of `x` (exactly-zero values left out when `non_zero`); NaN
/// when no value is left (openSMILE writes 0 there; see `mod.rs`).
pub fn moments(x: &[f64], non_zero: bool) -> [f64; 2] {
    let v: Vec<f64> = x
        .iter()
        .copied()
        .filter(|&v| !(non_zero && v == 0.0))
        .collect();
    if v.is_empty() {
        return [f64::NAN; 2];
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|a| (a - mean) * (a - mean)).sum::<f64>() / n;
    [mean, if mean != 0.0 { var.sqrt() / mean } else { 0.0 }]
}

/// The ten contour functionals of F0 and loudness: amean, stddevNorm, percentiles
/// 20/50/80, pctlrange0-2, rising slope mean/stddev, falling slope mean/stddev.
pub fn contour(x: &[f64], non_zero: bool) -> [f64; 10] {
    let v: Vec<f64> = x
        .iter()
        .copied()
        .filter(|&v| !(non_zero && v == 0.0))
        .collect();
    if v.is_empty() {
        return [f64::NAN; 10];
    }
    let [mean, norm] = moments(&v, false);
    let mut sorted = v.clone();
    sorted.sort_by(f64::total_cmp);
    let pct = |q: f64| crate::functionals::percentile_sorted(&sorted, q);
    let (p20, p50, p80) = (pct(0.2), pct(0.5), pct(0.8));
    let slopes = peak_slopes(&v, 100.0, 0.1);
    let (rm, rs) = slopes.mean_std(true);
    let (fm, fs) = slopes.mean_std(false);
    [mean, norm, p20, p50, p80, p80 - p20, rm, rs, fm, fs]
}

/// Number of frames of the smoothed F0 contour the F0 functionals see, from the unsmoothed
/// gated contour `f0` (`n60` frames; measured rule, exact on 21/21 real items): the last
/// frame unvoiced: `n60 - 1`; a trailing voiced run of `r >= 5` frames: `n60 - 2`;
/// `r <= 4`: `n60 - r`.
pub fn f0_frames(f0: &[f64]) -> usize {
    let n = f0.len();
    let r = f0.iter().rev().take_while(|&&v| v != 0.0).count();
    let cut = match r {
        0 => 1,
        r if r >= 5 => 2,
        r => r,
    };
    n.saturating_sub(cut)
}

/// Lengths (in frames, last active index - first) of the segments of `active` frames:
/// a single inactive frame between active ones is bridged, a segment needs at least 3
/// active frames (openSMILE's `segMinLng` and `pauseMinLng` defaults, measured).
pub fn segments(active: &[bool]) -> Vec<usize> {
    let n = active.len();
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        if !active[i] {
            i += 1;
            continue;
        }
        let first = i;
        let mut last = i;
        let mut count = 0;
        while i < n {
            if active[i] {
                last = i;
                count += 1;
                i += 1;
            } else if i + 1 < n && active[i + 1] {
                // a one-frame gap: bridged
                i += 1;
            } else {
                break;
            }
        }
        if count >= 3 {
            out.push(last - first);
        }
    }
    out
}

/// `(mean, population stddev)` of segment lengths in seconds; `(0, 0)` without segments.
pub fn segment_stats(lengths: &[usize]) -> (f64, f64) {
    if lengths.is_empty() {
        return (0.0, 0.0);
    }
    let v: Vec<f64> = lengths.iter().map(|&l| l as f64 * 0.01).collect();
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|a| (a - mean) * (a - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Number of peaks of `x` by Peaks2's rule (`relThresh 0.1`): the peaks of the turning
/// points of [`peak_slopes`].
pub fn num_peaks(x: &[f64]) -> usize {
    crate::functionals::peak_turning_points(x, 0.1)
        .iter()
        .filter(|p| p.1 == Some(true))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_rule() {
        let b = |s: &str| s.chars().map(|c| c == '1').collect::<Vec<bool>>();
        assert_eq!(segments(&b("111")), vec![2]);
        assert!(segments(&b("11")).is_empty());
        assert!(segments(&b("101")).is_empty());
        assert_eq!(segments(&b("1011")), vec![3]);
        assert_eq!(segments(&b("11011")), vec![4]);
        assert_eq!(segments(&b("111001111")), vec![2, 3]);
        // the cards_001 pattern of the fact sheet (U20 V17 U16 V17 U33): 2 segments of 16
        let mut v = vec![false; 20];
        v.extend([true; 17]);
        v.extend([false; 16]);
        v.extend([true; 17]);
        v.extend([false; 33]);
        assert_eq!(segments(&v), vec![16, 16]);
        let inv: Vec<bool> = v.iter().map(|a| !a).collect();
        assert_eq!(segments(&inv), vec![19, 15, 32]);
    }

    #[test]
    fn frame_range() {
        assert_eq!(f0_frames(&[1.0, 0.0]), 1);
        assert_eq!(f0_frames(&[0.0, 1.0, 1.0, 1.0]), 1);
        assert_eq!(f0_frames(&[0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]), 5);
        assert_eq!(moments(&[0.0, 2.0, 4.0], true), [3.0, 1.0 / 3.0]);
    }
}
