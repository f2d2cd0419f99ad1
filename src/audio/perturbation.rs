//! Cycle-to-cycle perturbation and periodicity of one analysis frame: the per-frame
//! jitter, shimmer and harmonics-to-noise ratio of eGeMAPS.
//!
//! Eyben et al. (2016), GeMAPS section 3.1.1: jitter is the deviation of individual
//! period lengths from the mean period, shimmer the difference in peak amplitude of
//! consecutive periods (in dB), HNR the energy ratio of harmonic to noise components,
//! here from the normalised autocorrelation `r` of the windowed frame at the period
//! (computed by the caller, e.g. from the frame's power spectrum):
//! `10 log10(r / (1 - r))`.
//! Periods are found by peak picking: from the largest sample of the first period, each
//! next peak is the maximum within 0.7-1.3 periods of the previous one, refined by a
//! parabola. Local jitter = mean |T_i - T_{i-1}| / mean T (as Praat's jitter (local));
//! shimmer = mean |20 log10(A_{i+1} / A_i)| (Praat's shimmer (local, dB)).
//! eGeMAPS' per-frame jitter and shimmer as openSMILE reports them follow only the
//! cycles that end within one 10 ms hop ([`hop_perturbation`], measured).
//!
//! ```
//! use _core::audio::perturbation::{cycle_perturbation, periodicity};
//! // a 100 Hz pulse-like wave at 16 kHz: perfectly periodic
//! let x: Vec<f64> = (0..960).map(|i| (2.0 * std::f64::consts::PI * i as f64 / 160.0).sin().powi(15)).collect();
//! let (jitter, shimmer) = cycle_perturbation(&x, 160.0);
//! assert!(jitter < 1e-3 && shimmer < 1e-2);
//! assert!(periodicity(&x, 160.0) > 0.99);
//! ```

use crate::fastmath::dot;

/// Normalised autocorrelation of `frame` at its period (best lag within +-2 samples of
/// `period`), in [-1, 1]; 0 for a silent frame or a period that does not fit twice.
pub fn periodicity(frame: &[f64], period: f64) -> f64 {
    let n = frame.len();
    let t0 = period.round() as isize;
    let (lo, hi) = ((t0 - 2).max(1) as usize, (t0 + 2).max(0) as usize);
    if 2 * lo > n {
        return 0.0;
    }
    // energies of the two overlapping parts from running sums of squares
    let energy = |v: &[f64]| dot(v, v);
    let total = energy(frame);
    let mut head = total - energy(&frame[n - lo..]);
    let mut tail = total - energy(&frame[..lo]);
    let mut best = 0.0f64;
    let mut any = false;
    for lag in lo..=hi {
        if 2 * lag > n {
            break;
        }
        if lag > lo {
            head -= frame[n - lag] * frame[n - lag];
            tail -= frame[lag - 1] * frame[lag - 1];
        }
        let den = (head.max(0.0) * tail.max(0.0)).sqrt();
        if den > 0.0 {
            let r = dot(&frame[..n - lag], &frame[lag..]) / den;
            best = if any { best.max(r) } else { r };
            any = true;
        }
    }
    best
}

/// Peak of an autocorrelation `acf` (lag 0 first, of a windowed frame) within
/// 0.9-1.1 periods, over `acf[0]`: the harmonic share of the frame's power that
/// `HNRdBACF` reports (the window taper lowers it; measured against openSMILE, this is
/// the scale it uses). 0 for silence.
pub fn acf_peak(acf: &[f64], period: f64) -> f64 {
    let (lo, hi) = (
        (0.9 * period) as usize,
        ((1.1 * period) as usize + 2).min(acf.len()),
    );
    if acf.is_empty() || acf[0] <= 0.0 || lo.max(1) >= hi {
        return 0.0;
    }
    acf[lo.max(1)..hi]
        .iter()
        .fold(f64::NEG_INFINITY, |m, &v| m.max(v))
        / acf[0]
}

/// HNR (dB) from a normalised autocorrelation `r`, bounded to +-(about) 60 dB.
pub fn hnr_db(r: f64) -> f64 {
    let r = r.clamp(1e-6, 1.0 - 1e-6);
    10.0 * (r / (1.0 - r)).log10()
}

/// Parabolic peak position and height around index `i`.
fn refine(x: &[f64], i: usize) -> (f64, f64) {
    if i == 0 || i + 1 >= x.len() {
        return (i as f64, x[i]);
    }
    let (a, b, c) = (x[i - 1], x[i], x[i + 1]);
    let den = a - 2.0 * b + c;
    if den >= 0.0 {
        return (i as f64, b);
    }
    let d = (0.5 * (a - c) / den).clamp(-0.5, 0.5);
    (i as f64 + d, b - 0.25 * (a - c) * d)
}

/// Cycle marks `(position, peak height)` of `x` with period `period` samples: from the
/// largest sample of the first period, each next mark is the maximum within 0.7-1.3
/// periods of the previous one, refined by a parabola.
fn cycle_marks(x: &[f64], period: f64) -> Vec<(f64, f64)> {
    let n = x.len();
    if period.is_nan() || period < 2.0 || period.ceil() as usize >= n {
        return Vec::new();
    }
    let argmax =
        |lo: usize, hi: usize| (lo..hi.min(n)).fold(lo, |m, i| if x[i] > x[m] { i } else { m });
    let mut marks = vec![refine(x, argmax(0, period.ceil() as usize))];
    loop {
        let last = marks[marks.len() - 1].0;
        let lo = (last + 0.7 * period).round() as usize;
        let hi = (last + 1.3 * period).round() as usize + 1;
        if hi > n {
            break;
        }
        marks.push(refine(x, argmax(lo, hi)));
    }
    marks
}

/// `|20 log10(a / b)|`, NaN unless both are positive.
fn level_change_db(a: f64, b: f64) -> f64 {
    if a > 0.0 && b > 0.0 {
        (20.0 * (a / b).log10()).abs()
    } else {
        f64::NAN
    }
}

fn mean_finite(v: impl Iterator<Item = f64>) -> f64 {
    let (s, c) = v
        .filter(|x| x.is_finite())
        .fold((0.0, 0usize), |(s, c), x| (s + x, c + 1));
    if c > 0 {
        s / c as f64
    } else {
        f64::NAN
    }
}

/// `(jitter_local, shimmer_local_db)` of the cycles of `frame` with period `period` samples
/// (Praat's definitions over every cycle of the frame); NaN when fewer than three fit.
pub fn cycle_perturbation(frame: &[f64], period: f64) -> (f64, f64) {
    let marks = cycle_marks(frame, period);
    if (period * 3.0) as usize >= frame.len() || marks.len() < 3 {
        return (f64::NAN, f64::NAN);
    }
    let periods: Vec<f64> = marks.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let mean_t = periods.iter().sum::<f64>() / periods.len() as f64;
    let jitter = periods.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>()
        / (periods.len() - 1) as f64
        / mean_t;
    let shimmer = if marks.iter().all(|m| m.1 > 0.0) {
        mean_finite(marks.windows(2).map(|w| level_change_db(w[1].1, w[0].1)))
    } else {
        f64::NAN
    };
    (jitter, shimmer)
}

/// `(jitter_local, shimmer_local_db)` of the cycles that end within `hop` (sample
/// indices of `x`), openSMILE's per-frame eGeMAPS jitter and shimmer (measured on
/// opensmile 2.6 with pulse trains of set period and amplitude sequences: its value
/// for a frame follows only the cycles ending in one 10 ms hop, each compared with the
/// cycle before it, r = 0.996 and 0.999): jitter is the mean of
/// `|T_k - T_{k-1}| / ((T_k + T_{k-1}) / 2)` and shimmer the mean of
/// `|20 log10(A_k / A_{k-1})|` over the marks `k` in `hop` (`T_k` the period ending at
/// mark `k`, `A_k` its peak). NaN when no cycle ends in `hop`.
pub fn hop_perturbation(x: &[f64], hop: std::ops::Range<usize>, period: f64) -> (f64, f64) {
    if !(period.is_finite() && period >= 2.0) {
        return (f64::NAN, f64::NAN);
    }
    // two cycles before the hop; past it, the search span of a mark just inside it
    let start = hop.start.saturating_sub((2.6 * period).ceil() as usize);
    let end = (hop.end + (0.3 * period).ceil() as usize + 2).min(x.len());
    if start >= end {
        return (f64::NAN, f64::NAN);
    }
    let marks = cycle_marks(&x[start..end], period);
    let inside = |m: &(f64, f64)| hop.contains(&(start + m.0.round() as usize));
    let jitter = mean_finite(marks.windows(3).filter(|w| inside(&w[2])).map(|w| {
        let (t1, t2) = (w[1].0 - w[0].0, w[2].0 - w[1].0);
        (t2 - t1).abs() / (0.5 * (t1 + t2))
    }));
    let shimmer = mean_finite(
        marks
            .windows(2)
            .filter(|w| inside(&w[1]))
            .map(|w| level_change_db(w[1].1, w[0].1)),
    );
    (jitter, shimmer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pulses(periods: &[f64], amps: &[f64], n: usize) -> Vec<f64> {
        // narrow Gaussian pulses at the given period and amplitude sequence
        let mut x = vec![0.0; n];
        let mut t = 20.0;
        for (p, a) in periods.iter().zip(amps) {
            for (i, v) in x.iter_mut().enumerate() {
                let d = (i as f64 - t) / 3.0;
                *v += a * (-0.5 * d * d).exp();
            }
            t += p;
        }
        x
    }

    #[test]
    fn measures_set_jitter_and_shimmer() {
        // periods alternate 98/102 samples: |dT| = 4, mean T = 100 -> jitter 0.04
        let periods: Vec<f64> = (0..12)
            .map(|i| if i % 2 == 0 { 98.0 } else { 102.0 })
            .collect();
        // amplitudes alternate 1 / 0.9: |20 log10 0.9| = 0.915 dB
        let amps: Vec<f64> = (0..12)
            .map(|i| if i % 2 == 0 { 1.0 } else { 0.9 })
            .collect();
        let x = pulses(&periods, &amps, 960);
        let (j, s) = cycle_perturbation(&x, 100.0);
        assert!((j - 0.04).abs() < 0.004, "{j}");
        assert!((s - 0.915).abs() < 0.05, "{s}");
    }

    #[test]
    fn hop_perturbation_follows_the_cycles_ending_in_the_hop() {
        // 100 Hz pulses, pulse 13 moved 8 samples late (2100 -> 2108): the period
        // pairs ending at 2108, 2260 and 2420 differ by 8, 16 and 8 samples
        let mut periods = vec![160.0; 30];
        periods[12] = 168.0;
        periods[13] = 152.0;
        let x = pulses(&periods, &[1.0; 30], 4800);
        // pulse 13 ends the 168-sample period; the hop holding it sees |168 - 160|
        let (j, s) = hop_perturbation(&x, 2060..2160, 160.0);
        assert!((j - 8.0 / 164.0).abs() < 1e-3, "{j}");
        assert!(s < 1e-6);
        let (j, _) = hop_perturbation(&x, 2160..2320, 160.0);
        assert!((j - 16.0 / 160.0).abs() < 1e-3, "{j}");
        // far from the moved pulse: no jitter; a hop without a cycle end: NaN
        assert!(hop_perturbation(&x, 3500..3660, 160.0).0 < 1e-6);
        assert!(hop_perturbation(&x, 3500..3510, 160.0).0.is_nan());
        // one pulse at 0.5: the level change into and out of it, 6.02 dB each
        let mut amps = vec![1.0; 30];
        amps[10] = 0.5; // at 20 + 1600 = 1620
        let x = pulses(&vec![160.0; 30], &amps, 4800);
        let (_, s) = hop_perturbation(&x, 1600..1640, 160.0);
        assert!((s - 6.0206).abs() < 0.01, "{s}");
    }

    #[test]
    fn short_frames_and_silence() {
        assert!(cycle_perturbation(&[0.0; 100], 50.0).0.is_nan());
        // running energies equal the direct sums
        let x: Vec<f64> = (0..960)
            .map(|i| ((i * 7919) % 101) as f64 / 50.0 - 1.0)
            .collect();
        let direct = (97..=101)
            .map(|l| {
                let (a, b) = (&x[..960 - l], &x[l..]);
                let ab: f64 = a.iter().zip(b).map(|(p, q)| p * q).sum();
                ab / (a.iter().map(|v| v * v).sum::<f64>() * b.iter().map(|v| v * v).sum::<f64>())
                    .sqrt()
            })
            .fold(f64::NEG_INFINITY, f64::max);
        assert!((periodicity(&x, 99.0) - direct).abs() < 1e-9);
        assert_eq!(periodicity(&[0.0; 960], 100.0), 0.0);
        assert!(hnr_db(0.5).abs() < 1e-12);
        assert_eq!(acf_peak(&[0.0; 960], 100.0), 0.0);
        let x: Vec<f64> = (0..960).map(|i| (i as f64 * 0.0628).sin()).collect();
        let acf: Vec<f64> = (0..960)
            .map(|l| x[..960 - l].iter().zip(&x[l..]).map(|(a, b)| a * b).sum())
            .collect();
        // an unwindowed sine: r(T) / r(0) = (N - T) / N
        let r = acf_peak(&acf, 100.0);
        assert!((r - 860.0 / 960.0).abs() < 0.01, "{r}");
        assert!(hnr_db(1.0) > 59.0);
    }
}
