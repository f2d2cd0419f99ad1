//! Intensity contour in dB, as Praat's "Sound: To Intensity...".
//!
//! Definitions from the Praat manual (Boersma & Weenink, "Sound: To Intensity..."):
//! the squared signal is averaged under a Kaiser-20 window whose effective duration is
//! `3.2 / minimum_pitch` (physical length `6.4 / minimum_pitch`, Kaiser `beta = 2 pi^2 +
//! 0.5`), so that a periodic signal above the minimum pitch shows no pitch-synchronous
//! ripple; the default time step is a quarter of the effective duration,
//! `0.8 / minimum_pitch`; "subtract mean" removes the DC of each window first. Values are
//! `10 log10(I / (2e-5)^2)` dB (re 20 micropascal for a signal in pascal). Frames are
//! centred in the signal as Praat centres short-term analyses: `floor((duration -
//! window) / step) + 1` frames, the middle of the frame grid at the middle of the sound.
//! The tests compare with parselmouth (Praat 6.1.38): frame times to 1e-12 s, values to
//! 1e-5 dB.

use crate::error::{Error, Result};
use crate::num::real::Real;

/// Praat's settings (names as its dialog and parselmouth's `to_intensity`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntensitySpec {
    pub minimum_pitch: f64,
    /// Seconds; `None` = `0.8 / minimum_pitch`.
    pub time_step: Option<f64>,
    pub subtract_mean: bool,
}

impl Default for IntensitySpec {
    fn default() -> Self {
        IntensitySpec {
            minimum_pitch: 100.0,
            time_step: None,
            subtract_mean: true,
        }
    }
}

/// An intensity contour: dB values and frame-centre times (seconds, Praat's time axis:
/// sample `i` lies at `(i + 0.5) / sr`).
#[derive(Debug, Clone, PartialEq)]
pub struct Intensity {
    pub db: Vec<f64>,
    pub times: Vec<f64>,
}

/// Modified Bessel function of the first kind, order 0 (power series; converges for
/// every argument, needs ~40 terms at x = 20).
fn bessel_i0(x: f64) -> f64 {
    let q = x * x / 4.0;
    let (mut term, mut sum) = (1.0f64, 1.0f64);
    for k in 1..200 {
        term *= q / (k as f64 * k as f64);
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    sum
}

/// Praat's short-term analysis grid: `floor((duration - window) / step) + 1` frames,
/// centred on the sound, on Praat's time axis (sample i at `x1 + i dx`, `x1 = dx / 2`).
/// Evaluated in Praat's order, so that the sample nearest a frame agrees with Praat's to
/// the last bit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PraatGrid {
    pub n_frames: usize,
    t1: f64,
    step: f64,
    x1: f64,
    dx: f64,
}

impl PraatGrid {
    /// Errors (naming `y`) when the signal is shorter than one window; `what` says how
    /// the window follows from the caller's parameters. A step so small that the frames
    /// would not fit in memory is an error naming `step_name`, the parameter it came from.
    pub fn new(
        n: usize,
        sr: f64,
        window: f64,
        step: f64,
        what: &str,
        step_name: &str,
    ) -> Result<Self> {
        let dx = 1.0 / sr;
        let duration = n as f64 * dx;
        if duration < window {
            return Err(Error::param(
                "y",
                format!(
                    "{duration:.4} s is shorter than the {window:.4} s analysis window \
                     ({what}); lower the frequency floor or pass a longer signal"
                ),
            ));
        }
        // frames hold a few values each (a contour, times, candidates): 64 bytes bounds them
        let n_frames = crate::limits::count_from_f64::<[f64; 8]>(
            ((duration - window) / step).floor() + 1.0,
            crate::limits::Source::Arg(step_name),
        )?;
        let x1 = 0.5 * dx;
        let mid = x1 - 0.5 * dx + 0.5 * duration;
        let t1 = mid - 0.5 * (n_frames as f64 * step) + 0.5 * step;
        Ok(PraatGrid {
            n_frames,
            t1,
            step,
            x1,
            dx,
        })
    }

    pub fn time(&self, frame: usize) -> f64 {
        self.t1 + frame as f64 * self.step
    }

    /// Index of the last sample at or before time `t` (Praat's `xToLowIndex`, 0-based;
    /// may lie outside the signal).
    pub fn low_sample(&self, t: f64) -> isize {
        ((t - self.x1) / self.dx).floor() as isize
    }

    /// Index of the sample nearest to time `t` (may lie outside the signal).
    pub fn nearest_sample(&self, t: f64) -> isize {
        ((t - self.x1) / self.dx + 0.5).floor() as isize
    }
}

/// Intensity contour of `signal` at `sr` Hz.
pub fn intensity<T: Real>(signal: &[T], sr: f64, spec: &IntensitySpec) -> Result<Intensity> {
    crate::audio::check_finite(signal, "y")?;
    if !(sr.is_finite() && sr > 0.0) {
        return Err(Error::param("sr", format!("must be positive, got {sr}")));
    }
    let mp = spec.minimum_pitch;
    if !(mp.is_finite() && mp > 0.0) {
        return Err(Error::param(
            "minimum_pitch",
            format!("must be a positive frequency in Hz, got {mp}"),
        ));
    }
    let step = spec.time_step.unwrap_or(0.8 / mp);
    if !(step.is_finite() && step > 0.0) {
        return Err(Error::param(
            "time_step",
            format!("must be positive seconds (or None for 0.8 / minimum_pitch), got {step}"),
        ));
    }
    let window = 6.4 / mp;
    let step_name = if spec.time_step.is_some() {
        "time_step"
    } else {
        "minimum_pitch"
    };
    let grid = PraatGrid::new(
        signal.len(),
        sr,
        window,
        step,
        "6.4 / minimum_pitch",
        step_name,
    )?;
    let n_frames = grid.n_frames;
    let half_window = 0.5 * window * sr; // in samples, not rounded
    let half_samples = (half_window.floor() as usize).max(1);
    let beta = 2.0 * std::f64::consts::PI * std::f64::consts::PI + 0.5;
    let i0_beta = bessel_i0(beta);
    let mut db = Vec::with_capacity(n_frames);
    let mut times = Vec::with_capacity(n_frames);
    let mut w = Vec::new();
    for f in 0..n_frames {
        crate::cancel::check_every(f, 256)?;
        let t = grid.time(f);
        // The window: `half_samples` samples either side of the sample nearest to t
        // (this reproduces Praat's values to 1e-6 dB).
        let c = grid.nearest_sample(t);
        let lo = (c - half_samples as isize).max(0) as usize;
        let hi = ((c + half_samples as isize) as usize).min(signal.len() - 1);
        let x = &signal[lo..=hi];
        w.clear();
        w.extend((lo..=hi).map(|i| {
            let u = ((i as f64 - c as f64) / half_window).clamp(-1.0, 1.0);
            bessel_i0(beta * (1.0 - u * u).sqrt()) / i0_beta
        }));
        let mean = if spec.subtract_mean {
            x.iter().map(|v| v.f64()).sum::<f64>() / x.len() as f64
        } else {
            0.0
        };
        let (mut num, mut den) = (0.0f64, 0.0f64);
        for (v, wi) in x.iter().zip(&w) {
            let d = v.f64() - mean;
            num += wi * d * d;
            den += wi;
        }
        let i = num / den;
        db.push(if i > 0.0 {
            10.0 * (i / 4.0e-10).log10()
        } else {
            -300.0
        });
        times.push(t);
    }
    Ok(Intensity { db, times })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bessel_matches_known_values() {
        assert!((bessel_i0(0.0) - 1.0).abs() < 1e-15);
        assert!((bessel_i0(1.0) - 1.2660658777520082).abs() < 1e-14);
        assert!((bessel_i0(20.0) / 4.355828255955353e7 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn sine_level_and_frame_grid() {
        let sr = 16000.0;
        let y: Vec<f64> = (0..16000)
            .map(|i| 0.1 * (2.0 * std::f64::consts::PI * 440.0 * i as f64 / sr).sin())
            .collect();
        let it = intensity(&y, sr, &IntensitySpec::default()).unwrap();
        // mean square 0.005 -> 10 log10(0.005 / 4e-10) = 70.97 dB
        for v in &it.db {
            assert!((v - 70.969).abs() < 0.01, "{v}");
        }
        // floor((1 - 0.064) / 0.008) + 1 frames, where the quotient rounds to just below
        // 117: 117 frames (as Praat: parselmouth gives 117, the first at 0.036 s), centred
        assert_eq!(it.db.len(), 117);
        assert!((it.times[0] - 0.036).abs() < 1e-12);
        assert!((it.times[0] + it.times[116] - 1.0).abs() < 1e-12);
        assert!(intensity(&y[..1000], sr, &IntensitySpec::default()).is_err());
        let silent = intensity(&vec![0.0f32; 4000], sr, &IntensitySpec::default()).unwrap();
        assert!(silent.db.iter().all(|&v| v == -300.0));
    }
}
