//! Mel spectrograms: power spectrum -> mel filterbank -> optional log compression, with
//! an optional frame-energy column (Kaldi `use_energy`).

use ndarray::Array2;

use super::cmvn::{apply_cmvn, Cmvn};
use super::mel::{MelFilterbank, MelSpec};
use super::spectrum::{SpectrumSpec, Stft};
use crate::error::{Error, Result};
use crate::real::Real;

/// Log compression of (mel) energies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LogSpec {
    /// Leave energies linear.
    None,
    /// librosa `power_to_db`: `10 log10(max(S, amin)) - 10 log10(max(ref, amin))`, then
    /// everything below `max - top_db` raised to it (the max over the whole clip).
    /// `reference = None` means `ref=numpy.max` (the clip's maximum).
    Db {
        reference: Option<f64>,
        amin: f64,
        top_db: Option<f64>,
    },
    /// Kaldi: `ln(max(x, floor))` (floor = float32 epsilon in torchaudio).
    LnFloor { floor: f64 },
    /// python_speech_features: `ln(x)`, exact zeros replaced by `eps` first.
    LnZeroEps { eps: f64 },
}

/// How a frame energy becomes a log energy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EnergyLog {
    /// Kaldi: `max(ln(max(E, f32::EPSILON)), ln(energy_floor))`; floor 0 = no floor.
    Kaldi { energy_floor: f64 },
    /// python_speech_features: `ln(E)`, with `E == 0` replaced by `f64::EPSILON`.
    Psf,
}

impl EnergyLog {
    pub fn apply(self, e: f64) -> f64 {
        match self {
            EnergyLog::Kaldi { energy_floor } => {
                let le = e.max(f32::EPSILON as f64).ln();
                if energy_floor > 0.0 {
                    le.max(energy_floor.ln())
                } else {
                    le
                }
            }
            EnergyLog::Psf => (if e == 0.0 { f64::EPSILON } else { e }).ln(),
        }
    }
}

/// Where the log-energy column goes in a filterbank (Kaldi `use_energy`, `htk_compat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnergyColumn {
    None,
    First,
    Last,
}

/// A log-mel (or mel) spectrogram recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct MelSpectrogramSpec {
    pub sample_rate: f64,
    pub stft: SpectrumSpec,
    pub mel: MelSpec,
    pub log: LogSpec,
    pub energy_log: EnergyLog,
    pub energy_column: EnergyColumn,
    pub cmvn: Cmvn,
}

/// A planned mel analyser: FFT plan and filterbank built once, reused for many clips.
pub struct MelAnalyzer<T: Real> {
    pub stft: Stft<T>,
    pub filterbank: MelFilterbank<T>,
    pub spec: MelSpectrogramSpec,
}

impl<T: Real> MelAnalyzer<T> {
    pub fn new(spec: &MelSpectrogramSpec) -> Result<Self> {
        if !(spec.sample_rate.is_finite() && spec.sample_rate > 0.0) {
            return Err(Error::param(
                "sr",
                format!("must be a positive sample rate, got {}", spec.sample_rate),
            ));
        }
        let stft = Stft::new(spec.stft.clone())?;
        let filterbank = MelFilterbank::new(&spec.mel, spec.sample_rate, spec.stft.n_fft)?;
        Ok(MelAnalyzer {
            stft,
            filterbank,
            spec: spec.clone(),
        })
    }

    /// Linear mel energies `(n_frames, n_mels)` and the per-frame energies.
    pub fn mel_energies(&self, signal: &[T]) -> (Array2<T>, Vec<f64>) {
        let x = self.stft.prepare(signal);
        let n = self.stft.n_frames(x.len());
        let n_mels = self.filterbank.filters.len();
        let mut mel = Array2::<T>::zeros((n, n_mels));
        let mut energies = Vec::with_capacity(n);
        let mut scratch = self.stft.scratch();
        let mut power = vec![T::zero(); self.stft.n_bins()];
        for (t, mut row) in mel.rows_mut().into_iter().enumerate() {
            energies.push(self.stft.frame(&x, t, &mut scratch, &mut power));
            // rows of a fresh standard-layout array are contiguous
            if let Some(r) = row.as_slice_mut() {
                self.filterbank.apply(&power, r);
            }
        }
        (mel, energies)
    }

    /// The mel spectrogram as configured: log compression, energy column, CMVN.
    pub fn compute(&self, signal: &[T]) -> Result<Array2<T>> {
        let (mut mel, energies) = self.mel_energies(signal);
        apply_log(&mut mel, self.spec.log)?;
        let mut out = match self.spec.energy_column {
            EnergyColumn::None => mel,
            col => {
                let (n, m) = mel.dim();
                let mut out = Array2::<T>::zeros((n, m + 1));
                let (e_idx, off) = if col == EnergyColumn::First {
                    (0, 1)
                } else {
                    (m, 0)
                };
                for t in 0..n {
                    out[[t, e_idx]] = T::of(self.spec.energy_log.apply(energies[t]));
                    for j in 0..m {
                        out[[t, j + off]] = mel[[t, j]];
                    }
                }
                out
            }
        };
        apply_cmvn(&mut out, self.spec.cmvn);
        Ok(out)
    }
}

/// Applies `log` in place over the whole matrix.
pub fn apply_log<T: Real>(x: &mut Array2<T>, log: LogSpec) -> Result<()> {
    match log {
        LogSpec::None => {}
        LogSpec::LnFloor { floor } => {
            let f = T::of(floor);
            x.mapv_inplace(|v| v.max(f).ln());
        }
        LogSpec::LnZeroEps { eps } => {
            let e = T::of(eps);
            x.mapv_inplace(|v| if v == T::zero() { e.ln() } else { v.ln() });
        }
        LogSpec::Db {
            reference,
            amin,
            top_db,
        } => {
            if !(amin > 0.0) {
                return Err(Error::param(
                    "amin",
                    format!("must be strictly positive, got {amin}"),
                ));
            }
            if let Some(t) = top_db {
                if !(t >= 0.0) {
                    return Err(Error::param(
                        "top_db",
                        format!("must be non-negative, got {t}"),
                    ));
                }
            }
            let r = match reference {
                Some(r) => r.abs(),
                None => x.iter().fold(0.0f64, |a, v| a.max(v.f64().abs())),
            };
            let offset = 10.0 * r.max(amin).log10();
            let ten = T::of(10.0);
            let (a, off) = (T::of(amin), T::of(offset));
            x.mapv_inplace(|v| ten * v.max(a).log10() - off);
            if let Some(t) = top_db {
                if let Some(mx) = x.iter().copied().reduce(|a, b| a.max(b)) {
                    let floor = mx - T::of(t);
                    x.mapv_inplace(|v| v.max(floor));
                }
            }
        }
    }
    Ok(())
}
