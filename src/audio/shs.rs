//! F0 by subharmonic summation (Hermes 1988), the pitch detector of eGeMAPS.
//!
//! Hermes (1988), "Measurement of pitch by subharmonic summation", JASA 83(1): the
//! magnitude spectrum is resampled onto a logarithmic frequency axis, where the
//! harmonics of F0 lie at fixed distances `log2(n)` above it; summing the spectrum
//! shifted down by those distances, with weights `h^(n-1)` (`h = 0.84`, 15 harmonics in
//! the paper), peaks at F0. Eyben et al. (2016) use it for eGeMAPS' F0 with a 60 ms
//! Gaussian window. The peak is refined by a parabola on the log axis.
//!
//! `strength` (the peak over the mean of the summed spectrum across the search range)
//! measures how harmonic the frame is; eGeMAPS' voicing decision uses it (see
//! `egemaps.rs`).
//!
//! ```
//! use _core::audio::shs::{Shs, ShsSpec};
//! let shs = Shs::new(&ShsSpec::default(), 16000.0, 2048).unwrap();
//! // harmonics of 200 Hz with a 1/n amplitude roll-off, 7.8125 Hz bins
//! let mut mag = vec![0.0; 1025];
//! for n in 1..20 {
//!     let k = (200.0 * n as f64 / 7.8125).round() as usize;
//!     if k < mag.len() { mag[k] = 1.0 / n as f64; }
//! }
//! let e = shs.estimate(&mag, &mut Vec::new());
//! assert!((e.f0 - 200.0).abs() < 3.0);
//! ```

use crate::error::{Error, Result};

/// Settings of the subharmonic summation.
#[derive(Debug, Clone, PartialEq)]
pub struct ShsSpec {
    /// Search range of F0, Hz.
    pub fmin: f64,
    pub fmax: f64,
    pub n_harmonics: usize,
    /// Weight ratio between successive harmonics (Hermes' `h`).
    pub compression: f64,
    /// Resolution of the log-frequency axis.
    pub points_per_octave: usize,
    /// Highest spectrum frequency used, Hz.
    pub spectrum_fmax: f64,
}

impl Default for ShsSpec {
    /// Hermes' 15 harmonics and `h = 0.84`; eGeMAPS' F0 range 55-1000 Hz; spectrum up to
    /// 5 kHz; 48 points per octave (quarter semitones).
    fn default() -> Self {
        ShsSpec {
            fmin: 55.0,
            fmax: 1000.0,
            n_harmonics: 15,
            compression: 0.84,
            points_per_octave: 48,
            spectrum_fmax: 5000.0,
        }
    }
}

/// One frame's estimate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShsEstimate {
    /// Hz.
    pub f0: f64,
    /// Summed-spectrum peak over its mean across the F0 range (>= 1; 0 for silence).
    pub strength: f64,
}

/// A planned subharmonic-summation pitch estimator for one FFT size and sample rate.
#[derive(Debug, Clone)]
pub struct Shs {
    /// For each log-axis point: the linear bin below it and the interpolation fraction.
    grid: Vec<(usize, f64)>,
    /// Shift (log-axis points) and weight of each harmonic.
    harmonics: Vec<(usize, f64)>,
    n_candidates: usize,
    log2_fmin: f64,
    step: f64,
}

impl Shs {
    pub fn new(spec: &ShsSpec, sr: f64, n_fft: usize) -> Result<Self> {
        if !(spec.fmin > 0.0 && spec.fmin < spec.fmax && spec.fmax < sr / 2.0) {
            return Err(Error::param(
                "fmin",
                format!(
                    "need 0 < fmin < fmax < sr/2, got fmin={} fmax={} sr={sr}",
                    spec.fmin, spec.fmax
                ),
            ));
        }
        if spec.n_harmonics == 0 || spec.points_per_octave == 0 {
            return Err(Error::param(
                "n_harmonics",
                "the harmonic count and the axis resolution must be positive",
            ));
        }
        let step = 1.0 / spec.points_per_octave as f64;
        let log2_fmin = spec.fmin.log2();
        let top = spec.spectrum_fmax.min(sr / 2.0).log2();
        let n_grid = ((top - log2_fmin) / step).floor() as usize + 1;
        let bin_hz = sr / n_fft as f64;
        let n_bins = n_fft / 2 + 1;
        let grid = (0..n_grid)
            .map(|i| {
                let pos =
                    (2f64.powf(log2_fmin + i as f64 * step) / bin_hz).min((n_bins - 2) as f64);
                (pos.floor() as usize, pos.fract())
            })
            .collect();
        let n_candidates = ((spec.fmax.log2() - log2_fmin) / step).floor() as usize + 1;
        let harmonics = (1..=spec.n_harmonics)
            .map(|n| {
                let shift = ((n as f64).log2() / step).round() as usize;
                (shift, spec.compression.powi(n as i32 - 1))
            })
            .collect();
        Ok(Shs {
            grid,
            harmonics,
            n_candidates,
            log2_fmin,
            step,
        })
    }

    /// F0 of one frame's magnitude spectrum (`n_fft/2 + 1` bins); `scratch` is reused.
    pub fn estimate(&self, magnitude: &[f64], scratch: &mut Vec<f64>) -> ShsEstimate {
        let n_grid = self.grid.len();
        scratch.clear();
        scratch.resize(n_grid + self.n_candidates, 0.0);
        let (log_mag, sum) = scratch.split_at_mut(n_grid);
        for (v, &(k, fr)) in log_mag.iter_mut().zip(&self.grid) {
            *v = magnitude[k] + (magnitude[k + 1] - magnitude[k]) * fr;
        }
        for &(shift, w) in &self.harmonics {
            if shift >= n_grid {
                break;
            }
            let m = (n_grid - shift).min(self.n_candidates);
            for (s, v) in sum[..m].iter_mut().zip(&log_mag[shift..shift + m]) {
                *s += w * v;
            }
        }
        let (mut best, mut peak) = (0usize, f64::NEG_INFINITY);
        for (i, &v) in sum.iter().enumerate() {
            if v > peak {
                peak = v;
                best = i;
            }
        }
        let mean = sum.iter().sum::<f64>() / sum.len() as f64;
        let mut pos = best as f64;
        if best > 0 && best + 1 < sum.len() {
            let (a, b, c) = (sum[best - 1], sum[best], sum[best + 1]);
            let den = a - 2.0 * b + c;
            if den < 0.0 {
                pos += (0.5 * (a - c) / den).clamp(-0.5, 0.5);
            }
        }
        ShsEstimate {
            f0: 2f64.powf(self.log2_fmin + pos * self.step),
            strength: if mean > 0.0 { peak / mean } else { 0.0 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn harmonic_spectrum(f0: f64, bin_hz: f64, n_bins: usize) -> Vec<f64> {
        let mut mag = vec![0.0; n_bins];
        let mut n = 1;
        while f0 * n as f64 / bin_hz < (n_bins - 1) as f64 {
            let pos = f0 * n as f64 / bin_hz;
            let k = pos.round() as usize;
            // a little spread around each harmonic, as a window would give
            mag[k] += 1.0 / n as f64;
            mag[k - 1] += 0.5 / n as f64;
            mag[k + 1] += 0.5 / n as f64;
            n += 1;
        }
        mag
    }

    #[test]
    fn finds_f0_across_the_range() {
        let shs = Shs::new(&ShsSpec::default(), 16000.0, 2048).unwrap();
        let mut s = Vec::new();
        for f0 in [80.0, 120.0, 210.0, 330.0, 500.0] {
            let e = shs.estimate(&harmonic_spectrum(f0, 7.8125, 1025), &mut s);
            assert!((e.f0 / f0 - 1.0).abs() < 0.02, "{f0}: {}", e.f0);
            assert!(e.strength > 2.0);
        }
        // a missing fundamental is still found from its harmonics
        let mut m = harmonic_spectrum(150.0, 7.8125, 1025);
        for k in 17..22 {
            m[k] = 0.0;
        }
        let e = shs.estimate(&m, &mut s);
        assert!((e.f0 / 150.0 - 1.0).abs() < 0.02, "{}", e.f0);
    }

    #[test]
    fn silence_has_no_strength() {
        let shs = Shs::new(&ShsSpec::default(), 16000.0, 2048).unwrap();
        let e = shs.estimate(&vec![0.0; 1025], &mut Vec::new());
        assert_eq!(e.strength, 0.0);
    }

    #[test]
    fn bad_range_is_a_parameter_error() {
        let spec = ShsSpec {
            fmin: 500.0,
            fmax: 100.0,
            ..ShsSpec::default()
        };
        assert!(Shs::new(&spec, 16000.0, 2048).is_err());
    }
}
