//! The Geneva Minimalistic Acoustic Parameter Sets as openSMILE computes them: eGeMAPS v02
//! (25 LLDs per 10 ms frame, 88 functionals) and GeMAPS v01b (18 LLDs, 62 functionals),
//! with openSMILE's column names and order.
//!
//! Eyben, Scherer, Schuller, Sundberg, André, Busso, Devillers, Epps, Laukka, Narayanan,
//! Truong (2016), "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS) for Voice
//! Research and Affective Computing", IEEE Trans. Affective Computing 7(2).
//!
//! Clean room: each stage follows the option values of the configuration files the
//! `opensmile` 2.6 pip package ships (`eGeMAPSv02.conf`, `GeMAPSv01b.conf` and their
//! includes), openSMILE's public component documentation and black-box measurements of
//! the package (its intermediate data-memory levels, read with
//! `opensmile.Smile(feature_set=<conf>, feature_level=<level>)`); no openSMILE source was
//! used. One module per stage, in the order of the chain:
//!
//! - [`framing`]: int16 quantisation, 20 ms Hamming and 60 ms Gaussian frames every 10 ms,
//!   symmetric zero padding to 512 / 1024 points;
//! - [`loudness`], [`spectral`]: loudness, MFCC 1-4, alpha ratio, Hammarberg index, slopes,
//!   flux of the 20 ms spectrum;
//! - [`shs`]: the octave spectrum and SHS F0 candidates of the 60 ms spectrum;
//!   [`viterbi`]: the pitch smoother; the 60 ms RMS gate (F0 = 0 below 0.001);
//! - [`formants`]: F1-F3 and bandwidths (LPC of the resampled 20 ms spectrum);
//! - [`harmonics`]: H1-H2, H1-A3, formant amplitudes, HNR; [`jitter`]: jitter and shimmer;
//! - [`smoothing`]: the 3-frame smoother; [`functionals`]: the statistics;
//! - [`sets`]: the two parameter sets and their column names.
//!
//! Pitch-rate row `t` pairs the 60 ms frame `[160 t, 160 t + 960)` with the 20 ms frame
//! `[160 t, 160 t + 320)`. A clip of `N >= 960` samples (16 kHz) has `(N - 960) / 160 + 2`
//! LLD rows; shorter clips none and all-NaN functionals. Other rates at or above 16 kHz are
//! resampled to 16 kHz first (openSMILE analyses them at their own rate; see
//! docs/egemaps.md for the measured difference); lower rates are an error.

pub mod formants;
pub mod framing;
pub mod functionals;
pub mod harmonics;
pub mod jitter;
pub mod loudness;
pub mod sets;
pub mod shs;
pub mod smoothing;
pub mod spectral;
pub mod viterbi;

use crate::error::{Error, Result};
use crate::num::real::Real;
use framing::{PaddedFft, HOP, LONG, LONG_FFT, SHORT, SHORT_FFT};
use functionals as fx;
use harmonics::Harmonics;
use shs::Candidates;
use viterbi::Pitch;

pub use sets::{functional_names, Version, EGEMAPS_LLD, GEMAPS_LLD};
use sets::{N_SHORT, N_VOICE, V_F0, V_F1};

/// The analysis rate; other rates are resampled to it.
pub const SAMPLE_RATE: u32 = 16000;
/// The 60 ms RMS below which F0 is 0 (`gemapsv01b_volmerge`, threshold 0.001 [C]).
const RMS_GATE: f64 = 0.001;

/// What the `_sma3nz` LLD columns hold on unvoiced rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unvoiced {
    /// NaN (affectkit's convention for normal missing data).
    Nan,
    /// openSMILE's own values: 0 for F0 and the voice-quality columns, -201 for the
    /// formant amplitudes, the ungated formants.
    OpenSmile,
}

impl std::str::FromStr for Unvoiced {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "nan" => Ok(Unvoiced::Nan),
            "opensmile" => Ok(Unvoiced::OpenSmile),
            other => Err(Error::param(
                "unvoiced",
                format!("expected \"nan\" or \"opensmile\", got {other:?}"),
            )),
        }
    }
}

/// What [`Egemaps::features`] returns per clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The functionals, one row.
    Functionals,
    /// The smoothed LLDs, one row per 10 ms.
    Lld,
}

impl std::str::FromStr for Level {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "functionals" => Ok(Level::Functionals),
            "lld" => Ok(Level::Lld),
            other => Err(Error::param(
                "level",
                format!("expected \"functionals\" or \"lld\", got {other:?}"),
            )),
        }
    }
}

/// Every per-frame stage output of one clip (unsmoothed), at 16 kHz.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// 20 ms frames: loudness, alpha ratio, Hammarberg, slope 0-500, slope 500-1500,
    /// flux, MFCC 1-4 (`n_short` rows).
    pub short: Vec<[f64; N_SHORT]>,
    /// Mean square of each raw 20 ms frame (the equivalent sound level).
    pub energy: Vec<f64>,
    /// 60 ms frames: SHS candidates, smoothed pitch, RMS of the windowed frame.
    pub candidates: Vec<Candidates>,
    pub pitch: Vec<Pitch>,
    pub rms: Vec<f64>,
    /// 60 ms frames: F0 semitones (0 unvoiced, after the RMS gate), jitter, shimmer, HNR,
    /// H1-H2, H1-A3, F1 (frequency, bandwidth, amplitude), F2 (...), F3 (...).
    pub voice: Vec<[f64; N_VOICE]>,
    /// The F0 in Hz after the gate.
    pub f0: Vec<f64>,
}

impl Analysis {
    pub fn n_short(&self) -> usize {
        self.short.len()
    }

    pub fn n_long(&self) -> usize {
        self.voice.len()
    }

    fn short_column(&self, j: usize) -> Vec<f64> {
        self.short.iter().map(|r| r[j]).collect()
    }

    fn voice_column(&self, j: usize) -> Vec<f64> {
        self.voice.iter().map(|r| r[j]).collect()
    }

    /// Voiced 60 ms frames (F0 after the gate > 0).
    pub fn voiced(&self) -> Vec<bool> {
        self.voice.iter().map(|r| r[V_F0] > 1e-6).collect()
    }
}

/// A planned extractor (windows, FFT plans, filterbank, spline), reusable across clips and
/// threads.
pub struct Egemaps {
    short: PaddedFft,
    long: PaddedFft,
    /// Inverse FFT of the 1024-point power spectrum: the HNR's circular autocorrelation.
    acf: std::sync::Arc<dyn realfft::ComplexToReal<f64>>,
    auditory: loudness::Auditory,
    shs: shs::Shs,
    formants: formants::Formants,
}

impl Default for Egemaps {
    fn default() -> Self {
        Self::new()
    }
}

/// The extractor shared by every call in this process (its plans are immutable).
pub fn shared() -> &'static Egemaps {
    static SHARED: std::sync::OnceLock<Egemaps> = std::sync::OnceLock::new();
    SHARED.get_or_init(Egemaps::new)
}

/// One clip's features: a row-major buffer and its `(rows, columns)`.
pub type Features = (Vec<f64>, (usize, usize));

impl Egemaps {
    pub fn new() -> Self {
        Egemaps {
            short: PaddedFft::new(crate::num::window::hamming(SHORT), SHORT_FFT),
            long: PaddedFft::new(crate::num::window::opensmile_gaussian(LONG, 0.4), LONG_FFT),
            acf: realfft::RealFftPlanner::<f64>::new().plan_fft_inverse(LONG_FFT),
            auditory: loudness::Auditory::new(),
            shs: shs::Shs::new(),
            formants: formants::Formants::new(),
        }
    }

    /// Every stage of a clip at `sr` Hz (resampled to 16 kHz when `sr` differs; rates below
    /// 16 kHz are an error).
    pub fn analyse<T: Real>(&self, signal: &[T], sr: f64) -> Result<Analysis> {
        self.analyse_with(signal, sr, true)
    }

    /// [`Egemaps::analyse`]; with `all_formants = false` the formants of unvoiced frames
    /// are left at 0 (the functionals only read voiced frames' formants: half the LPC
    /// work on speech).
    pub fn analyse_with<T: Real>(
        &self,
        signal: &[T],
        sr: f64,
        all_formants: bool,
    ) -> Result<Analysis> {
        crate::audio::check_finite(signal, "y")?;
        self.analyse_16k(&quantised_16k(signal, sr)?, all_formants)
    }

    /// Every stage of a quantised 16 kHz signal (formants of unvoiced frames only with
    /// `all_formants`). Cancellable ([`crate::cancel`]) every 256 frames.
    ///
    /// Memory: besides the per-frame rows of [`Analysis`], only one frame's spectra at a
    /// time (the 60 ms magnitudes the harmonics need are computed again for the voiced
    /// frames once the pitch is smoothed, not kept for every frame: 4 kB a frame).
    pub fn analyse_16k<S: framing::Sample>(&self, x: &[S], all_formants: bool) -> Result<Analysis> {
        let n20 = framing::n_short(x.len());
        let n60 = framing::n_long(x.len());
        let mut a = Analysis::default();
        let mut sb = self.short.buffers();
        let mut fb = self.formants.buffers();
        let mut prev = vec![0.0; framing::SHORT_BINS];
        let mut power = vec![0.0; framing::SHORT_BINS];
        let mut formants = vec![[(0.0, 0.0); 3]; n60];
        let mut raw = vec![0.0f64; SHORT];
        for t in 0..n20 {
            crate::cancel::check_every(t, 256)?;
            let start = t * HOP;
            for (r, v) in raw.iter_mut().zip(&x[start..start + SHORT]) {
                *r = v.value();
            }
            a.energy
                .push(crate::num::fastmath::dot(&raw, &raw) / SHORT as f64);
            self.short.process(x, start, &mut sb);
            for (p, m) in power.iter_mut().zip(&sb.magnitude) {
                *p = m * m;
            }
            let (loud, mfcc) = self.auditory.frame(&power);
            let (s0, s1) = spectral::slopes(&power);
            let flux = if t == 0 {
                0.0
            } else {
                spectral::flux(&sb.magnitude, &prev)
            };
            prev.copy_from_slice(&sb.magnitude);
            a.short.push([
                loud,
                spectral::alpha_ratio(&power),
                spectral::hammarberg_index(&power),
                s0,
                s1,
                flux,
                mfcc[0],
                mfcc[1],
                mfcc[2],
                mfcc[3],
            ]);
            if all_formants && t < n60 {
                formants[t] = self.formants.frame(&sb.spectrum, &mut fb);
            }
        }
        let mut lb = self.long.buffers();
        let mut hb = shs::ShsBuffers::default();
        for t in 0..n60 {
            crate::cancel::check_every(t, 256)?;
            self.long.process(x, t * HOP, &mut lb);
            let e = crate::num::fastmath::dot(&lb.input, &lb.input) / LONG as f64;
            a.rms.push(e.sqrt());
            a.candidates.push(self.shs.frame(&lb.magnitude, &mut hb));
        }
        a.pitch = viterbi::smooth(&a.candidates);
        a.f0 = a
            .pitch
            .iter()
            .zip(&a.rms)
            .map(|(p, &r)| if r < RMS_GATE { 0.0 } else { p.f0 })
            .collect();
        if !all_formants {
            for t in (0..n60).filter(|&t| a.f0[t] > 0.0) {
                self.short.process(x, t * HOP, &mut sb);
                formants[t] = self.formants.frame(&sb.spectrum, &mut fb);
            }
        }
        let perturbation = jitter::jitter_shimmer(x, &a.f0);
        let mut power = self.acf.make_input_vec();
        let mut acf = self.acf.make_output_vec();
        let mut acf_scratch = self.acf.make_scratch_vec();
        for t in 0..n60 {
            crate::cancel::check_every(t, 256)?;
            let f0 = a.f0[t];
            let fm = formants[t];
            let h = if f0 > 0.0 {
                // the same transform as in the pitch pass (deterministic: same values)
                self.long.process(x, t * HOP, &mut lb);
                let mag = &lb.magnitude;
                for (p, m) in power.iter_mut().zip(mag) {
                    *p = rustfft::num_complex::Complex::new(m * m, 0.0);
                }
                // sizes come from this plan: the transform cannot fail
                let _ = self
                    .acf
                    .process_with_scratch(&mut power, &mut acf, &mut acf_scratch);
                harmonics::describe(mag, &acf, f0, [fm[0].0, fm[1].0, fm[2].0])
            } else {
                Harmonics::UNVOICED
            };
            let semitone = if f0 > 0.0 {
                12.0 * (f0 / 27.5).log2()
            } else {
                0.0
            };
            let (jit, shim) = perturbation[t];
            a.voice.push([
                semitone,
                jit,
                shim,
                h.hnr,
                h.h1_h2,
                h.h1_a3,
                fm[0].0,
                fm[0].1,
                h.amplitudes[0],
                fm[1].0,
                fm[1].1,
                h.amplitudes[1],
                fm[2].0,
                fm[2].1,
                h.amplitudes[2],
            ]);
        }
        Ok(a)
    }

    /// The smoothed LLDs of an analysis, `(rows, columns)` row-major.
    pub fn lld(&self, a: &Analysis, version: Version, unvoiced: Unvoiced) -> Features {
        let n60 = a.n_long();
        if n60 == 0 {
            return (Vec::new(), (0, version.lld_names().len()));
        }
        let rows = n60 + 1;
        let mut cols: Vec<Vec<f64>> = Vec::with_capacity(25);
        for j in 0..N_SHORT {
            let mut s = smoothing::sma3(&a.short_column(j), false);
            s.truncate(rows);
            cols.push(s);
        }
        for j in 0..N_VOICE {
            cols.push(smoothing::sma3_lagged(&a.voice_column(j), true));
        }
        if unvoiced == Unvoiced::Nan {
            let voiced: Vec<bool> = cols[N_SHORT + V_F0].iter().map(|&v| v != 0.0).collect();
            for col in cols[N_SHORT..].iter_mut() {
                for (v, &on) in col.iter_mut().zip(&voiced) {
                    if !on {
                        *v = f64::NAN;
                    }
                }
            }
        }
        let which = version.lld_columns();
        let mut out = Vec::with_capacity(rows * which.len());
        for t in 0..rows {
            out.extend(which.iter().map(|&j| cols[j][t]));
        }
        (out, (rows, which.len()))
    }

    /// The functionals of an analysis, in [`functional_names`] order.
    pub fn functionals(&self, a: &Analysis, version: Version) -> Vec<f64> {
        let names = functional_names(version).len();
        let (n20, n60) = (a.n_short(), a.n_long());
        if n60 == 0 {
            return vec![f64::NAN; names];
        }
        let mut out = Vec::with_capacity(names);
        let voiced = a.voiced();
        // The F0, voiced and unvoiced sets: the first `frames` frames of their smoothed
        // contours (measured: the same count for all four sets)
        let semitone = a.voice_column(V_F0);
        let f0_smooth = smoothing::sma3(&semitone, true);
        let frames = fx::f0_frames(&semitone);
        let f0_seen = &f0_smooth[..frames];
        out.extend(fx::contour(f0_seen, true));
        let loud = smoothing::sma3(&a.short_column(0), false);
        let loud_seen = &loud[..n20];
        out.extend(fx::contour(loud_seen, false));
        if version == Version::EgemapsV02 {
            for j in 5..N_SHORT {
                let s = smoothing::sma3(&a.short_column(j), false);
                out.extend(fx::moments(&s[..n20], false));
            }
        }
        for j in version.voice_functional_columns() {
            let mut col = a.voice_column(j);
            if (V_F1..N_VOICE).contains(&j) && (j - V_F1) % 3 != 2 {
                // formant frequencies and bandwidths: gated for the functionals only
                for (v, &on) in col.iter_mut().zip(&voiced) {
                    if !on {
                        *v = 0.0;
                    }
                }
            }
            let s = smoothing::sma3(&col, true);
            out.extend(fx::moments(&s[..frames], true));
        }
        let gated = |j: usize, keep: bool| -> Vec<f64> {
            (0..n60)
                .map(|t| {
                    if voiced[t] == keep {
                        a.short[t][j]
                    } else {
                        0.0
                    }
                })
                .collect()
        };
        for j in 1..1 + version.n_spectral_v() {
            let s = smoothing::sma3(&gated(j, true), true);
            out.extend(fx::moments(&s[..frames], true));
        }
        for j in 1..1 + version.n_spectral_uv() {
            let s = smoothing::sma3(&gated(j, false), true);
            out.push(fx::moments(&s[..frames], true)[0]);
        }
        // temporal
        out.push(fx::num_peaks(loud_seen) as f64 / (n20 as f64 * 0.01));
        let active: Vec<bool> = f0_seen.iter().map(|&v| v != 0.0).collect();
        let pauses: Vec<bool> = active.iter().map(|&v| !v).collect();
        let seconds = frames as f64 * 0.01;
        let voiced_segments = fx::segments(&active);
        out.push(if seconds > 0.0 {
            voiced_segments.len() as f64 / seconds
        } else {
            0.0
        });
        let (m, s) = fx::segment_stats(&voiced_segments);
        out.extend([m, s]);
        let (m, s) = fx::segment_stats(&fx::segments(&pauses));
        out.extend([m, s]);
        if version == Version::EgemapsV02 {
            let mean = a.energy.iter().sum::<f64>() / n20 as f64;
            out.push(if mean > 0.0 {
                10.0 * mean.log10()
            } else {
                // openSMILE's dBp of 0 power is its floor; digital silence only
                -100.0
            });
        }
        out
    }

    /// Features of one clip at `level`.
    pub fn features<T: Real>(
        &self,
        signal: &[T],
        sr: f64,
        level: Level,
        version: Version,
        unvoiced: Unvoiced,
    ) -> Result<Features> {
        let a = self.analyse_with(signal, sr, level == Level::Lld)?;
        Ok(match level {
            Level::Lld => self.lld(&a, version, unvoiced),
            Level::Functionals => {
                let f = self.functionals(&a, version);
                let k = f.len();
                (f, (1, k))
            }
        })
    }

    /// [`Egemaps::features`] of many clips on the `n_jobs` pool, in input order; an error
    /// names its clip.
    pub fn features_batch<T: Real>(
        &self,
        signals: &[&[T]],
        sr: f64,
        level: Level,
        version: Version,
        unvoiced: Unvoiced,
        n_jobs: Option<i64>,
    ) -> Result<Vec<Features>> {
        crate::parallel::map_clips(signals, n_jobs, |s| {
            self.features(s, sr, level, version, unvoiced)
        })
    }

    /// The loudness contour of a clip (`Loudness_sma3` over every 20 ms frame, or
    /// unsmoothed) and the start time (s) of each frame.
    pub fn loudness<T: Real>(
        &self,
        signal: &[T],
        sr: f64,
        smooth: bool,
    ) -> Result<(Vec<f64>, Vec<f64>)> {
        let a = self.analyse(signal, sr)?;
        let raw = a.short_column(0);
        let l = if smooth {
            let mut s = smoothing::sma3(&raw, false);
            s.truncate(raw.len());
            s
        } else {
            raw
        };
        let times = (0..l.len()).map(|t| t as f64 / 100.0).collect();
        Ok((l, times))
    }
}

/// The signal at 16 kHz as openSMILE reads it ([`framing::quantise`]: int16 codes, no
/// f64 copy of the clip).
fn quantised_16k<T: Real>(signal: &[T], sr: f64) -> Result<Vec<i16>> {
    if !(sr.is_finite() && sr >= SAMPLE_RATE as f64) {
        return Err(Error::param(
            "sr",
            format!(
                "eGeMAPS needs a sample rate of at least 16000 Hz (its spectral descriptors \
                 use the band up to 8 kHz), got {sr}"
            ),
        ));
    }
    if sr == SAMPLE_RATE as f64 {
        return Ok(framing::quantise(signal));
    }
    if sr.fract() != 0.0 || sr > u32::MAX as f64 {
        return Err(Error::param(
            "sr",
            format!("must be a whole number of Hz to be resampled to 16000, got {sr}"),
        ));
    }
    let x: Vec<f32> = signal.iter().map(|v| v.f64() as f32).collect();
    Ok(framing::quantise(&crate::audio::io::resample::resample(
        &x,
        sr as u32,
        SAMPLE_RATE,
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vowel(f0: f64, secs: f64, amp: f64) -> Vec<f64> {
        let n = (secs * 16000.0) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / 16000.0;
                amp * (1..15)
                    .map(|h| (2.0 * std::f64::consts::PI * f0 * h as f64 * t).sin() / h as f64)
                    .sum::<f64>()
            })
            .collect()
    }

    #[test]
    fn names_and_shapes() {
        let v02 = functional_names(Version::EgemapsV02);
        assert_eq!(v02.len(), 88);
        assert_eq!(v02[0], "F0semitoneFrom27.5Hz_sma3nz_amean");
        assert_eq!(v02[87], "equivalentSoundLevel_dBp");
        let v01b = functional_names(Version::GemapsV01b);
        assert_eq!(v01b.len(), 62);
        assert_eq!(v01b[37], "F2frequency_sma3nz_stddevNorm");
        assert_eq!(v01b[38], "F2amplitudeLogRelF0_sma3nz_amean");
        assert_eq!(v01b[61], "StddevUnvoicedSegmentLength");
        let eg = Egemaps::new();
        let a = eg.analyse(&vec![0.0f32; 16000], 16000.0).unwrap();
        let (_, shape) = eg.lld(&a, Version::EgemapsV02, Unvoiced::Nan);
        assert_eq!(shape, (96, 25));
        let (_, shape) = eg.lld(&a, Version::GemapsV01b, Unvoiced::Nan);
        assert_eq!(shape, (96, 18));
        assert_eq!(eg.functionals(&a, Version::EgemapsV02).len(), 88);
        assert_eq!(eg.functionals(&a, Version::GemapsV01b).len(), 62);
    }

    #[test]
    fn f0_of_a_harmonic_tone() {
        let eg = Egemaps::new();
        for f0 in [110.0, 220.0] {
            let a = eg.analyse(&vowel(f0, 1.0, 0.1), 16000.0).unwrap();
            let st = 12.0 * (f0 / 27.5f64).log2();
            let f = eg.functionals(&a, Version::EgemapsV02);
            assert!((f[0] - st).abs() < 0.2, "{} vs {st}", f[0]);
            assert!(a.voiced().iter().filter(|&&v| v).count() > 80);
        }
    }

    #[test]
    fn silence_and_rates() {
        let eg = Egemaps::new();
        let a = eg.analyse(&vec![0.0f64; 16000], 16000.0).unwrap();
        let f = eg.functionals(&a, Version::EgemapsV02);
        assert!(f[0].is_nan());
        assert_eq!(f[82], 0.0); // VoicedSegmentsPerSec
        assert!(eg.analyse(&vec![0.0f32; 8000], 8000.0).is_err());
        let short = eg.analyse(&vec![0.1f32; 500], 16000.0).unwrap();
        assert!(eg
            .functionals(&short, Version::EgemapsV02)
            .iter()
            .all(|v| v.is_nan()));
    }
}

#[cfg(test)]
mod stage_tests;
