//! Mel scales and mel filterbanks.
//!
//! Three families, each exactly as its reference builds it:
//! - librosa `filters.mel` (Slaney 1998 Auditory Toolbox scale, or HTK with `htk=True`):
//!   triangles linear in Hz, evaluated at the FFT bin frequencies, optional Slaney area
//!   normalisation `2 / (f[i+2] - f[i])`.
//! - Kaldi `MelBanks` (and torchaudio.compliance.kaldi): scale `1127 ln(1 + f/700)`,
//!   triangles linear in mel, the Nyquist bin excluded, optional VTLN warping.
//! - HTK as python_speech_features builds it: `2595 log10(1 + f/700)`, triangle corners
//!   rounded down to FFT bins `floor((nfft + 1) f / sr)`.

use crate::error::{Error, Result};
use crate::num::fastmath::dot;
use crate::num::real::Real;

/// A mel scale (Hz <-> mel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MelScale {
    /// Slaney's Auditory Toolbox: linear below 1 kHz (200/3 Hz per mel), log above.
    Slaney,
    /// HTK: `2595 log10(1 + f/700)`.
    Htk,
    /// Kaldi: `1127 ln(1 + f/700)`.
    Kaldi,
}

const SLANEY_F_SP: f64 = 200.0 / 3.0;
const SLANEY_MIN_LOG_HZ: f64 = 1000.0;
const SLANEY_MIN_LOG_MEL: f64 = SLANEY_MIN_LOG_HZ / SLANEY_F_SP;

fn slaney_logstep() -> f64 {
    6.4f64.ln() / 27.0
}

impl MelScale {
    pub fn hz_to_mel(self, f: f64) -> f64 {
        match self {
            MelScale::Htk => 2595.0 * (1.0 + f / 700.0).log10(),
            MelScale::Kaldi => 1127.0 * (1.0 + f / 700.0).ln(),
            MelScale::Slaney => {
                if f >= SLANEY_MIN_LOG_HZ {
                    SLANEY_MIN_LOG_MEL + (f / SLANEY_MIN_LOG_HZ).ln() / slaney_logstep()
                } else {
                    f / SLANEY_F_SP
                }
            }
        }
    }

    pub fn mel_to_hz(self, m: f64) -> f64 {
        match self {
            MelScale::Htk => 700.0 * (10f64.powf(m / 2595.0) - 1.0),
            MelScale::Kaldi => 700.0 * ((m / 1127.0).exp() - 1.0),
            MelScale::Slaney => {
                if m >= SLANEY_MIN_LOG_MEL {
                    SLANEY_MIN_LOG_HZ * (slaney_logstep() * (m - SLANEY_MIN_LOG_MEL)).exp()
                } else {
                    SLANEY_F_SP * m
                }
            }
        }
    }
}

/// How filter weights are normalised (librosa's `norm`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MelNorm {
    None,
    /// Divide each triangle by its width in Hz (constant energy per channel).
    Slaney,
    /// Scale each filter to unit p-norm.
    PNorm(f64),
}

/// How the triangles are laid onto FFT bins.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TriangleLayout {
    /// librosa: corners at mel-spaced frequencies, weights linear in Hz at each bin's
    /// frequency `k sr / n_fft`.
    Hz,
    /// Kaldi: weights linear in mel; bins `0..n_fft/2` (Nyquist excluded); VTLN warp
    /// factor with its low/high cut-offs (Hz; a negative high is relative to Nyquist).
    Mel {
        vtln_warp: f64,
        vtln_low: f64,
        vtln_high: f64,
    },
    /// python_speech_features: corners rounded down to bins `floor((nfft+1) f / sr)`.
    Bins,
}

/// Everything that defines a filterbank.
#[derive(Debug, Clone, PartialEq)]
pub struct MelSpec {
    pub n_mels: usize,
    pub fmin: f64,
    pub fmax: f64,
    pub scale: MelScale,
    pub layout: TriangleLayout,
    pub norm: MelNorm,
}

/// One triangular filter: weights for bins `start .. start + weights.len()`.
#[derive(Debug, Clone)]
pub struct Filter<T> {
    pub start: usize,
    pub weights: Vec<T>,
}

/// A sparse mel filterbank over `n_bins = n_fft/2 + 1` FFT bins.
#[derive(Debug, Clone)]
pub struct MelFilterbank<T> {
    pub filters: Vec<Filter<T>>,
    pub n_bins: usize,
}

impl<T: Real> MelFilterbank<T> {
    /// Builds the filterbank for `n_fft` points at `sr` Hz.
    pub fn new(spec: &MelSpec, sr: f64, n_fft: usize) -> Result<Self> {
        let dense = dense_weights(spec, sr, n_fft)?;
        let n_bins = n_fft / 2 + 1;
        let mut filters = Vec::with_capacity(spec.n_mels);
        for (i, row) in dense.iter().enumerate() {
            let first = row.iter().position(|&w| w != 0.0);
            let Some(first) = first else {
                return Err(Error::param(
                    "n_mels",
                    format!(
                        "{} mel filters are too many for n_fft={n_fft} between {} and {} Hz: \
                         filter {i} covers no FFT bin (librosa only warns here and returns an \
                         all-zero band); use fewer mel bands or a longer FFT",
                        spec.n_mels, spec.fmin, spec.fmax
                    ),
                ));
            };
            let last = row.iter().rposition(|&w| w != 0.0).unwrap_or(first);
            filters.push(Filter {
                start: first,
                weights: row[first..=last].iter().map(|&w| T::of(w)).collect(),
            });
        }
        Ok(MelFilterbank { filters, n_bins })
    }

    /// Dense `(n_mels, n_bins)` weights, row-major (for inspection and tests).
    pub fn to_dense(&self) -> Vec<T> {
        let mut out = vec![T::zero(); self.filters.len() * self.n_bins];
        for (i, f) in self.filters.iter().enumerate() {
            out[i * self.n_bins + f.start..i * self.n_bins + f.start + f.weights.len()]
                .copy_from_slice(&f.weights);
        }
        out
    }

    /// `out[i] = sum_k w[i, k] spectrum[k]`.
    #[inline(always)]
    pub fn apply(&self, spectrum: &[T], out: &mut [T]) {
        for (o, f) in out.iter_mut().zip(&self.filters) {
            *o = dot(&f.weights, &spectrum[f.start..f.start + f.weights.len()]);
        }
    }
}

/// Validates the band edges against Nyquist.
pub fn check_band(fmin: f64, fmax: f64, sr: f64, fmin_name: &str, fmax_name: &str) -> Result<()> {
    let nyquist = sr / 2.0;
    if !(fmin.is_finite() && fmin >= 0.0) {
        return Err(Error::param(
            fmin_name,
            format!("must be >= 0 Hz, got {fmin}"),
        ));
    }
    if !(fmax.is_finite() && fmax <= nyquist + 1e-9) {
        return Err(Error::param(
            fmax_name,
            format!("must not exceed the Nyquist frequency sr/2 = {nyquist} Hz, got {fmax}"),
        ));
    }
    if fmin >= fmax {
        return Err(Error::param(
            fmin_name,
            format!("must be below {fmax_name} ({fmax} Hz), got {fmin}"),
        ));
    }
    Ok(())
}

/// Dense filter weights in f64, one row per filter.
fn dense_weights(spec: &MelSpec, sr: f64, n_fft: usize) -> Result<Vec<Vec<f64>>> {
    if spec.n_mels == 0 {
        return Err(Error::param("n_mels", "must be at least 1"));
    }
    check_band(spec.fmin, spec.fmax, sr, "fmin", "fmax")?;
    let n_bins = n_fft / 2 + 1;
    let n = spec.n_mels;
    let scale = spec.scale;
    crate::limits::product::<f64>(&[n, n_bins], crate::limits::Source::Arg("n_mels"))?;
    let mut w = vec![vec![0.0f64; n_bins]; n];
    let mel_lo = scale.hz_to_mel(spec.fmin);
    let mel_hi = scale.hz_to_mel(spec.fmax);
    match spec.layout {
        TriangleLayout::Hz => {
            // librosa.mel_frequencies: n + 2 points evenly spaced in mel.
            let edges: Vec<f64> = linspace(mel_lo, mel_hi, n + 2)
                .into_iter()
                .map(|m| scale.mel_to_hz(m))
                .collect();
            // librosa.fft_frequencies = numpy.fft.rfftfreq(n_fft, 1/sr)
            let fft_freqs: Vec<f64> = (0..n_bins).map(|k| k as f64 * sr / n_fft as f64).collect();
            for i in 0..n {
                let (lo, c, hi) = (edges[i], edges[i + 1], edges[i + 2]);
                for (k, &f) in fft_freqs.iter().enumerate() {
                    let lower = (f - lo) / (c - lo);
                    let upper = (hi - f) / (hi - c);
                    w[i][k] = lower.min(upper).max(0.0);
                }
            }
            if spec.norm == MelNorm::Slaney {
                for i in 0..n {
                    let enorm = 2.0 / (edges[i + 2] - edges[i]);
                    w[i].iter_mut().for_each(|v| *v *= enorm);
                }
            }
        }
        TriangleLayout::Mel {
            vtln_warp,
            vtln_low,
            vtln_high,
        } => {
            let nyquist = sr / 2.0;
            let delta = (mel_hi - mel_lo) / (n as f64 + 1.0);
            let vtln_high = if vtln_high < 0.0 {
                vtln_high + nyquist
            } else {
                vtln_high
            };
            let warp = vtln_warp != 1.0;
            if warp
                && !(spec.fmin < vtln_low
                    && vtln_low < spec.fmax
                    && 0.0 < vtln_high
                    && vtln_high < spec.fmax
                    && vtln_low < vtln_high)
            {
                return Err(Error::param(
                    "vtln_low",
                    format!(
                        "with vtln_warp != 1 need low_freq < vtln_low < vtln_high < high_freq; got \
                         vtln_low={vtln_low}, vtln_high={vtln_high}, low_freq={}, high_freq={}",
                        spec.fmin, spec.fmax
                    ),
                ));
            }
            let warp_mel = |m: f64| -> f64 {
                if !warp {
                    return m;
                }
                let f = scale.mel_to_hz(m);
                scale.hz_to_mel(vtln_warp_freq(
                    vtln_low, vtln_high, spec.fmin, spec.fmax, vtln_warp, f,
                ))
            };
            let bin_width = sr / n_fft as f64;
            for i in 0..n {
                let left = warp_mel(mel_lo + i as f64 * delta);
                let center = warp_mel(mel_lo + (i as f64 + 1.0) * delta);
                let right = warp_mel(mel_lo + (i as f64 + 2.0) * delta);
                // Kaldi leaves out the Nyquist bin.
                for k in 0..n_fft / 2 {
                    let mel = scale.hz_to_mel(bin_width * k as f64);
                    let up = (mel - left) / (center - left);
                    let down = (right - mel) / (right - center);
                    w[i][k] = if !warp {
                        up.min(down).max(0.0)
                    } else if mel > left && mel <= center {
                        up
                    } else if mel > center && mel < right {
                        down
                    } else {
                        0.0
                    };
                }
            }
        }
        TriangleLayout::Bins => {
            let bins: Vec<f64> = linspace(mel_lo, mel_hi, n + 2)
                .into_iter()
                .map(|m| ((n_fft as f64 + 1.0) * scale.mel_to_hz(m) / sr).floor())
                .collect();
            for j in 0..n {
                let (b0, b1, b2) = (bins[j], bins[j + 1], bins[j + 2]);
                for k in (b0 as usize)..(b1 as usize) {
                    if k < n_bins {
                        w[j][k] = (k as f64 - b0) / (b1 - b0);
                    }
                }
                for k in (b1 as usize)..(b2 as usize) {
                    if k < n_bins {
                        w[j][k] = (b2 - k as f64) / (b2 - b1);
                    }
                }
            }
        }
    }
    if let MelNorm::PNorm(p) = spec.norm {
        for row in w.iter_mut() {
            let norm = if p.is_infinite() {
                row.iter().fold(0.0f64, |a, v| a.max(v.abs()))
            } else {
                row.iter()
                    .map(|v| v.abs().powf(p))
                    .sum::<f64>()
                    .powf(1.0 / p)
            };
            if norm > 0.0 {
                row.iter_mut().for_each(|v| *v /= norm);
            }
        }
    }
    Ok(w)
}

/// Kaldi's piecewise-linear VTLN frequency warp (`VtlnWarpFreq`).
fn vtln_warp_freq(low_cut: f64, high_cut: f64, low: f64, high: f64, factor: f64, f: f64) -> f64 {
    if f < low || f > high {
        return f;
    }
    let l = low_cut * factor.max(1.0);
    let h = high_cut * factor.min(1.0);
    let scale = 1.0 / factor;
    let fl = scale * l;
    let fh = scale * h;
    if f < l {
        low + (fl - low) / (l - low) * (f - low)
    } else if f < h {
        scale * f
    } else {
        high + (high - fh) / (high - h) * (f - high)
    }
}

/// `numpy.linspace(a, b, n)` (endpoint included), computed as numpy does.
pub fn linspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    if n == 1 {
        return vec![a];
    }
    let step = (b - a) / (n - 1) as f64;
    let mut v: Vec<f64> = (0..n).map(|i| a + i as f64 * step).collect();
    if let Some(last) = v.last_mut() {
        *last = b;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_round_trip() {
        for s in [MelScale::Slaney, MelScale::Htk, MelScale::Kaldi] {
            for f in [0.0, 440.0, 999.0, 1000.0, 7999.0] {
                assert!((s.mel_to_hz(s.hz_to_mel(f)) - f).abs() < 1e-9);
            }
        }
        assert!((MelScale::Slaney.hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
    }

    #[test]
    fn too_many_mels_is_an_error() {
        let spec = MelSpec {
            n_mels: 256,
            fmin: 0.0,
            fmax: 8000.0,
            scale: MelScale::Slaney,
            layout: TriangleLayout::Hz,
            norm: MelNorm::Slaney,
        };
        assert!(MelFilterbank::<f64>::new(&spec, 16000.0, 512).is_err());
    }

    #[test]
    fn fmax_above_nyquist_is_an_error() {
        let spec = MelSpec {
            n_mels: 40,
            fmin: 0.0,
            fmax: 9000.0,
            scale: MelScale::Htk,
            layout: TriangleLayout::Hz,
            norm: MelNorm::None,
        };
        let e = MelFilterbank::<f32>::new(&spec, 16000.0, 512).unwrap_err();
        assert!(e.to_string().contains("fmax"));
    }
}
