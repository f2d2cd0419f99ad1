//! Mel spectrograms: power spectrum -> mel filterbank -> optional log compression, with
//! an optional frame-energy column (Kaldi `use_energy`).

use ndarray::Array2;

use super::cmvn::{apply_cmvn, Cmvn};
use super::mel::{MelFilterbank, MelSpec};
use super::spectrum::{SpectrumSpec, Stft};
use crate::error::{Error, Result};
use crate::num::fastmath::ln_in_place;
use crate::num::real::Real;

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
    ///
    /// Inside a worker pool (a batch call, or a single call with `n_jobs`) long signals
    /// are split into blocks of frames that run in parallel; results do not depend on
    /// the split.
    pub fn mel_energies(&self, signal: &[T]) -> (Array2<T>, Vec<f64>) {
        use rayon::prelude::*;
        const BLOCK: usize = 2048;
        let x = self.stft.prepare(signal);
        let n = self.stft.n_frames(x.len());
        let n_mels = self.filterbank.filters.len();
        let mut mel = vec![T::zero(); n * n_mels];
        let mut energies = vec![0.0f64; n];
        let in_pool = rayon::current_thread_index().is_some() && rayon::current_num_threads() > 1;
        if in_pool && n >= 2 * BLOCK {
            mel.par_chunks_mut(BLOCK * n_mels.max(1))
                .zip(energies.par_chunks_mut(BLOCK))
                .enumerate()
                .for_each(|(b, (m, e))| self.frames_into(&x, b * BLOCK, m, e));
        } else {
            self.frames_into(&x, 0, &mut mel, &mut energies);
        }
        // Lengths agree by construction (n * n_mels).
        let mel =
            Array2::from_shape_vec((n, n_mels), mel).unwrap_or_else(|_| Array2::zeros((0, n_mels)));
        (mel, energies)
    }

    /// Mel rows and energies of frames `first ..` (as many as `energies` holds).
    fn frames_into(&self, x: &[T], first: usize, mel: &mut [T], energies: &mut [f64]) {
        #[cfg(target_arch = "x86_64")]
        {
            if crate::num::fastmath::has_avx2_fma() {
                // SAFETY: the CPU supports AVX2 and FMA (checked at run time).
                unsafe { self.frames_into_avx2(x, first, mel, energies) };
                return;
            }
        }
        self.frames_into_generic(x, first, mel, energies)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn frames_into_avx2(&self, x: &[T], first: usize, mel: &mut [T], energies: &mut [f64]) {
        self.frames_into_generic(x, first, mel, energies)
    }

    #[inline(always)]
    fn frames_into_generic(&self, x: &[T], first: usize, mel: &mut [T], energies: &mut [f64]) {
        let n_mels = self.filterbank.filters.len();
        let mut scratch = self.stft.scratch();
        let mut power = vec![T::zero(); self.stft.n_bins()];
        for (i, e) in energies.iter_mut().enumerate() {
            *e = self.stft.frame(x, first + i, &mut scratch, &mut power);
            self.filterbank
                .apply(&power, &mut mel[i * n_mels..(i + 1) * n_mels]);
        }
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

/// `x = ln(clamp(x))` elementwise, vectorised (see [`crate::num::fastmath`]).
fn ln_matrix<T: Real>(x: &mut Array2<T>, clamp: impl Fn(T) -> T) {
    x.mapv_inplace(clamp);
    match x.as_slice_mut() {
        Some(s) => ln_in_place(s),
        None => x.mapv_inplace(|v| v.ln()),
    }
}

/// Applies `log` in place over the whole matrix.
pub fn apply_log<T: Real>(x: &mut Array2<T>, log: LogSpec) -> Result<()> {
    match log {
        LogSpec::None => {}
        LogSpec::LnFloor { floor } => {
            let f = T::of(floor);
            ln_matrix(x, |v| v.max(f));
        }
        LogSpec::LnZeroEps { eps } => {
            let e = T::of(eps);
            ln_matrix(x, |v| if v == T::zero() { e } else { v });
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
            let offset = T::of(10.0 * r.max(amin).log10());
            let a = T::of(amin);
            // 10 log10(v) = (10 / ln 10) ln(v)
            ln_matrix(x, |v| v.max(a));
            let k = T::of(10.0 / std::f64::consts::LN_10);
            x.mapv_inplace(|v| k * v - offset);
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
