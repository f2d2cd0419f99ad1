//! Jitter and shimmer of a pulse train, with Praat's definitions ("PointProcess: Get
//! jitter (local)...", "Voice 3. Shimmer"; reimplemented from the manual).
//!
//! - Periods count when `period_floor <= T <= period_ceiling` (0.0001-0.02 s) and no
//!   neighbour differs by more than `max_period_factor` (1.3); jitter averages over the
//!   runs of 2, 3 or 5 periods that all satisfy this. Shimmer uses the Hann-windowed RMS
//!   around each pulse (window 0.2 periods either side) and also requires neighbouring
//!   amplitudes within `max_amplitude_factor` (1.6).

use super::pulses::Axis;
use crate::error::{Error, Result};
use crate::num::real::Real;

/// Praat's period and amplitude rules for jitter and shimmer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PeriodRules {
    pub period_floor: f64,
    pub period_ceiling: f64,
    pub max_period_factor: f64,
    pub max_amplitude_factor: f64,
}

impl Default for PeriodRules {
    fn default() -> Self {
        PeriodRules {
            period_floor: 0.0001,
            period_ceiling: 0.02,
            max_period_factor: 1.3,
            max_amplitude_factor: 1.6,
        }
    }
}

impl PeriodRules {
    fn in_range(&self, p: f64) -> bool {
        p >= self.period_floor && p <= self.period_ceiling
    }

    pub(super) fn check(&self) -> Result<()> {
        if !(self.period_floor >= 0.0 && self.period_floor < self.period_ceiling) {
            return Err(Error::param(
                "period_floor",
                format!(
                    "must be >= 0 and below period_ceiling {}, got {}",
                    self.period_ceiling, self.period_floor
                ),
            ));
        }
        for (name, v) in [
            ("max_period_factor", self.max_period_factor),
            ("max_amplitude_factor", self.max_amplitude_factor),
        ] {
            if !(v >= 1.0) {
                return Err(Error::param(name, format!("must be >= 1, got {v}")));
            }
        }
        Ok(())
    }
}

/// Mean period over the periods that pass the rules (Praat's "Get mean period").
pub fn mean_period(t: &[f64], rules: &PeriodRules) -> f64 {
    let n = t.len();
    let (mut sum, mut count) = (0.0, 0usize);
    for i in 0..n.saturating_sub(1) {
        let p = t[i + 1] - t[i];
        if !(p > 0.0 && rules.in_range(p)) {
            continue;
        }
        let ratio = |q: f64| {
            if q > 0.0 {
                Some((p / q).max(q / p))
            } else {
                None
            }
        };
        let prev = (i >= 1).then(|| t[i] - t[i - 1]).and_then(ratio);
        let next = (i + 2 < n).then(|| t[i + 2] - t[i + 1]).and_then(ratio);
        // A period is rejected only when both neighbours differ too much.
        let bad = matches!((prev, next), (Some(a), Some(b)) if a > rules.max_period_factor && b > rules.max_period_factor);
        if !bad {
            sum += p;
            count += 1;
        }
    }
    if count > 0 {
        sum / count as f64
    } else {
        f64::NAN
    }
}

/// Mean deviation over runs of `k` consecutive values: `|v_1 - v_2|` for `k = 2`, the
/// middle value's deviation from the run's mean otherwise; a run counts when `ok` accepts
/// it. NaN when none does.
fn mean_run_deviation(v: &[f64], k: usize, ok: impl Fn(usize) -> bool) -> f64 {
    let (mut sum, mut count) = (0.0, 0usize);
    for s in 0..(v.len() + 1).saturating_sub(k) {
        if !ok(s) {
            continue;
        }
        let run = &v[s..s + k];
        sum += if k == 2 {
            (run[0] - run[1]).abs()
        } else {
            (run[k / 2] - run.iter().sum::<f64>() / k as f64).abs()
        };
        count += 1;
    }
    if count > 0 {
        sum / count as f64
    } else {
        f64::NAN
    }
}

/// `max(a, b) / min(a, b) <= factor`.
fn within_factor(a: f64, b: f64, factor: f64) -> bool {
    (if a > b { a / b } else { b / a }) <= factor
}

/// Period perturbation over runs of `k` periods (2: local, 3: rap, 5: ppq5), in seconds.
fn period_perturbation(t: &[f64], k: usize, rules: &PeriodRules) -> f64 {
    let periods: Vec<f64> = t.windows(2).map(|w| w[1] - w[0]).collect();
    mean_run_deviation(&periods, k, |s| {
        let run = &periods[s..s + k];
        run.iter().all(|&p| rules.in_range(p))
            && run
                .windows(2)
                .all(|w| within_factor(w[0], w[1], rules.max_period_factor))
    })
}

/// Jitter `(local, local absolute, rap, ppq5, ddp)` of pulse times `t` (Praat's
/// definitions; local absolute in seconds, the others relative to the mean period).
pub fn jitter(t: &[f64], rules: &PeriodRules) -> [f64; 5] {
    let mp = mean_period(t, rules);
    let local_abs = period_perturbation(t, 2, rules);
    let rap = period_perturbation(t, 3, rules) / mp;
    [
        local_abs / mp,
        local_abs,
        rap,
        period_perturbation(t, 5, rules) / mp,
        3.0 * rap,
    ]
}

/// Hann-windowed RMS around `tmid`, the window reaching `left` s before and `right` s
/// after it; `None` with fewer than 3 samples.
fn hann_windowed_rms<T: Real>(x: &[T], ax: Axis, tmid: f64, left: f64, right: f64) -> Option<f64> {
    let lo = ax.high(tmid - left).max(0);
    let hi = ax.low(tmid + right).min(ax.n as isize - 1);
    if hi - lo + 1 < 3 {
        return None;
    }
    let (mut num, mut den) = (0.0, 0.0);
    // The window's angle advances by a fixed step on each side of tmid: rotate (cos, sin)
    // instead of calling cos per sample; restart where the side changes.
    let mut rotation: Option<(f64, f64, f64, f64, bool)> = None; // cos, sin, step cos, step sin, side
    for k in lo..=hi {
        let t = ax.time(k as f64);
        let before = t < tmid;
        let width = if before { left } else { right };
        let (c, s, dc, ds) = match rotation {
            Some((c, s, dc, ds, side)) if side == before => {
                (c * dc - s * ds, s * dc + c * ds, dc, ds)
            }
            _ => {
                let (s, c) = (std::f64::consts::PI * (t - tmid) / width).sin_cos();
                let (ds, dc) = (std::f64::consts::PI / (ax.sr * width)).sin_cos();
                (c, s, dc, ds)
            }
        };
        rotation = Some((c, s, dc, ds, before));
        let w = 0.5 + 0.5 * c;
        let v = x[k as usize].f64() * w;
        num += v * v;
        den += w * w;
    }
    Some((num / den).sqrt())
}

/// Peak amplitudes `(time, amplitude)` at the pulses whose two periods pass the rules.
fn pulse_amplitudes<T: Real>(x: &[T], sr: f64, t: &[f64], rules: &PeriodRules) -> Vec<(f64, f64)> {
    let ax = Axis {
        sr,
        n: x.len(),
        off: 0,
    };
    t.windows(3)
        .filter_map(|w| {
            let (p1, p2) = (w[1] - w[0], w[2] - w[1]);
            let ok = rules.in_range(p1)
                && rules.in_range(p2)
                && within_factor(p1, p2, rules.max_period_factor);
            if !ok {
                return None;
            }
            hann_windowed_rms(x, ax, w[1], 0.2 * p1, 0.2 * p2)
                .filter(|&a| a > 0.0)
                .map(|a| (w[1], a))
        })
        .collect()
}

/// Shimmer `(local, local dB, apq3, apq5, apq11, dda)` from the signal and its pulses
/// (Praat's definitions: the amplitude perturbation divided by the mean amplitude).
pub fn shimmer<T: Real>(x: &[T], sr: f64, t: &[f64], rules: &PeriodRules) -> [f64; 6] {
    if t.len() < 3 {
        return [f64::NAN; 6];
    }
    let peaks = pulse_amplitudes(x, sr, t, rules);
    let times: Vec<f64> = peaks.iter().map(|p| p.0).collect();
    let amps: Vec<f64> = peaks.iter().map(|p| p.1).collect();
    // Praat's denominator: the mean of all amplitudes but the last.
    let mean_amp = if amps.len() >= 2 {
        amps[..amps.len() - 1].iter().sum::<f64>() / (amps.len() - 1) as f64
    } else {
        f64::NAN
    };
    let run_ok = |k: usize| {
        let (times, amps) = (&times, &amps);
        move |s: usize| {
            times[s..s + k]
                .windows(2)
                .all(|w| rules.in_range(w[1] - w[0]))
                && amps[s..s + k]
                    .windows(2)
                    .all(|w| within_factor(w[0], w[1], rules.max_amplitude_factor))
        }
    };
    let rel = |k: usize| mean_run_deviation(&amps, k, run_ok(k)) / mean_amp;
    let log_amps: Vec<f64> = amps.iter().map(|a| 20.0 * a.log10()).collect();
    let local_db = mean_run_deviation(&log_amps, 2, run_ok(2));
    let apq3 = rel(3);
    [rel(2), local_db, apq3, rel(5), rel(11), 3.0 * apq3]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_and_shimmer_of_known_sequences() {
        let rules = PeriodRules::default();
        // Alternating periods 10 ms and 10.2 ms: local jitter = 0.2 / 10.1.
        let mut t = vec![0.0];
        for i in 0..50 {
            let p = if i % 2 == 0 { 0.010 } else { 0.0102 };
            t.push(t[i] + p);
        }
        let j = jitter(&t, &rules);
        assert!((j[0] - 0.0002 / 0.0101).abs() < 1e-9, "{j:?}");
        assert!((j[1] - 0.0002).abs() < 1e-12);
        // rap: |p2 - mean(p1, p2, p3)| = 2 x 0.0002 / 3 for alternating periods
        assert!((j[2] - 2.0 * 0.0002 / 3.0 / 0.0101).abs() < 1e-9);
        assert!((j[4] - 3.0 * j[2]).abs() < 1e-15);
        // A jump beyond the factor 1.3 removes the periods around it.
        let t2 = [0.0, 0.01, 0.02, 0.03, 0.045, 0.055, 0.065];
        assert!(jitter(&t2, &rules)[0].abs() < 1e-12);
        assert!(jitter(&[0.0, 0.01], &rules)[0].is_nan());
    }
}
