//! The extended Geneva Minimalistic Acoustic Parameter Set, eGeMAPS v02: 25 low-level
//! descriptors (LLDs) per 10 ms frame and the 88 functionals over a clip, with
//! openSMILE's column names and order.
//!
//! Eyben, Scherer, Schuller, Sundberg, André, Busso, Devillers, Epps, Laukka,
//! Narayanan, Truong (2016), "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS)
//! for Voice Research and Affective Computing", IEEE Trans. Affective Computing 7(2).
//! Implemented from the paper; where it leaves a choice open, the choice was measured
//! against the `opensmile` 2.6 pip package on the bundled speech (never from its code):
//!
//! - frames every 10 ms at 16 kHz; frame `t` starts at sample `160 t` (zero-padded past
//!   the end); a clip of `N >= 960` samples has `(N - 960) / 160 + 2` frames (as
//!   openSMILE), shorter clips none;
//! - spectral LLDs (loudness, alpha ratio, Hammarberg, slopes, flux, MFCC 1-4) from a
//!   20 ms symmetric Hamming window, 512-point power spectrum, no pre-emphasis; MFCCs
//!   from 26 HTK-mel bands 20-8000 Hz, natural log, orthonormal DCT-II, lifter 22;
//!   loudness from the same bands (see `loudness.rs`);
//! - F0, HNR, jitter, shimmer and harmonic amplitudes from a 60 ms Gaussian window
//!   (sigma 0.4 of the half length), 2048-point FFT; F0 by subharmonic summation
//!   (`shs.rs`), in semitones above 27.5 Hz; harmonic amplitudes are the spectral
//!   peaks near `k F0`, formant amplitudes those of the harmonic nearest the formant,
//!   relative to H1, A3 of `logRelF0-H1-A3` the strongest harmonic in 2-3.5 kHz (its
//!   H1 the peak at 2 F0, as for H1-H2);
//!   `logRelF0-H1-H2` is the peak at 2 F0 over the one at 3 F0 (openSMILE counts its
//!   harmonics from 2 F0, measured); jitter and shimmer follow the glottal cycles
//!   ending in one 10 ms hop (`perturbation::hop_perturbation`);
//! - formants as openSMILE reports them, which are not Praat-like formants (measured:
//!   they ignore the spectral envelope; see `egemaps_formants.rs`): LPC of the 20 ms
//!   frame at 11 kHz, order 12, roots of the predictor-sign polynomial;
//! - a frame is voiced when the normalised autocorrelation at the SHS period exceeds
//!   0.55 (0.45 for frames within 20 dB of the clip's loudest) and the SHS strength
//!   exceeds 3, followed by a 5-frame median filter of the
//!   decisions (92.5 % frame agreement with openSMILE's voicing on the bundled speech),
//!   and never below -55.4 dB (60 ms mean square, measured);
//! - `_sma3`: 3-frame moving average (2 frames at the edges); `_sma3nz`: the average
//!   over the voiced frames among the three, NaN on unvoiced frames (openSMILE writes
//!   0 there); the `UV` functionals average over unvoiced frames likewise;
//! - rising/falling slope functionals: between alternating peaks and valleys that stand
//!   out by 10 % of the contour's range, the part into the contour's end signed and
//!   left out of the deviation's sum of squares (measured on openSMILE with F0
//!   contours synthesised to shape, `functionals::peak_slopes`);
//! - `stddevNorm` = standard deviation / mean, signed (openSMILE's sign), population
//!   deviation;
//! - segment statistics: a voiced segment of `k >= 3` frames lasts `(k - 1)` hops
//!   (shorter voiced runs are not segments), an unvoiced one `k` hops (measured);
//!   rates are per second of signal;
//!   `loudnessPeaksPerSec` counts loudness maxima with a prominence of at least 10 % of
//!   the clip's loudness maximum; `equivalentSoundLevel_dBp` is `10 log10` of the mean
//!   frame power (20 ms frames, unwindowed).
//!
//! Missing data is NaN, not an error: voiced-only functionals of a clip with no voiced
//! frame (silence, noise), and every functional of a clip shorter than 60 ms.
//!
//! ```
//! use _core::audio::egemaps::{Egemaps, EGEMAPS_LLD, functional_names};
//! let y: Vec<f32> = (0..32000).map(|i| 0.3 * (i as f32 * 0.0785).sin()).collect();
//! let eg = Egemaps::new();
//! let lld = eg.lld(&y, 16000.0).unwrap();
//! assert_eq!(lld.n_frames, 196);
//! assert_eq!(EGEMAPS_LLD.len(), 25);
//! let f = eg.functionals(&lld).unwrap();
//! assert_eq!(f.len(), functional_names().len());
//! ```

use std::sync::Arc;

use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::num_complex::Complex;

use super::egemaps_formants::{self as formants, EgemapsFormants};
use super::loudness::{equal_loudness, loudness};
use super::mel::{MelFilterbank, MelNorm, MelScale, MelSpec, TriangleLayout};
use super::mfcc::{dct_matrix, lifter_weights, DctSpec, Lifter};
use super::perturbation::{acf_peak, hnr_db, hop_perturbation, periodicity};
use super::shs::{Shs, ShsSpec};
use super::spectral::{
    alpha_ratio, hammarberg_index, harmonic_amplitude, spectral_flux, spectral_slope,
};
use super::window::Window;
use crate::error::{Error, Result};
use crate::fastmath::dot;
use crate::functionals::{self as fx, Functional, EGEMAPS_CONTOUR};
use crate::real::Real;

/// The analysis rate; other rates are resampled to it.
pub const SAMPLE_RATE: u32 = 16000;
const HOP: usize = 160;
const SHORT: usize = 320;
const SHORT_FFT: usize = 512;
const LONG: usize = 960;
const LONG_FFT: usize = 2048;
const FRAME_RATE: f64 = 100.0;
/// Loudness and flux are reported on openSMILE's scale (constant factors, measured).
const LOUDNESS_SCALE: f64 = 0.0664;
const FLUX_SCALE: f64 = 0.0790;
/// Voicing thresholds (measured, see the module docs).
const VOICED_PERIODICITY: f64 = 0.55;
const VOICED_STRENGTH: f64 = 3.0;
/// Rising/falling slopes between turning points standing out by 10 % of the contour's
/// range, openSMILE's way (measured, see `functionals::peak_slopes`).
const OPENSMILE_SLOPES: fx::SlopeRule = fx::SlopeRule::Peaks { rel_threshold: 0.1 };
/// Frames with power above this fraction of the clip's loudest frame are voiced from a
/// lower periodicity (measured).
const LOUD_RANGE: f64 = 0.01;
const LOUD_PERIODICITY: f64 = 0.45;
/// Voiced runs shorter than this many frames are not counted as segments (measured).
const MIN_VOICED_SEGMENT: usize = 3;
/// Frame power (mean square, full scale 1) below which a frame is silent.
const SILENCE_POWER: f64 = 1e-10;
/// 60 ms frames quieter than -55.4 dB (mean square, full scale 1) are unvoiced
/// (measured on opensmile 2.6: a harmonic vowel is voiced from -55.4 dB RMS up and
/// unvoiced from -55.5 dB down, whatever its F0 and formants; a decaying vowel stops
/// being voiced at -55.0 to -55.4 dB whatever its starting level).
const VOICING_MIN_POWER: f64 = 2.9e-6;

/// The 25 LLD column names, openSMILE's spelling and order.
pub const EGEMAPS_LLD: [&str; 25] = [
    "Loudness_sma3",
    "alphaRatio_sma3",
    "hammarbergIndex_sma3",
    "slope0-500_sma3",
    "slope500-1500_sma3",
    "spectralFlux_sma3",
    "mfcc1_sma3",
    "mfcc2_sma3",
    "mfcc3_sma3",
    "mfcc4_sma3",
    "F0semitoneFrom27.5Hz_sma3nz",
    "jitterLocal_sma3nz",
    "shimmerLocaldB_sma3nz",
    "HNRdBACF_sma3nz",
    "logRelF0-H1-H2_sma3nz",
    "logRelF0-H1-A3_sma3nz",
    "F1frequency_sma3nz",
    "F1bandwidth_sma3nz",
    "F1amplitudeLogRelF0_sma3nz",
    "F2frequency_sma3nz",
    "F2bandwidth_sma3nz",
    "F2amplitudeLogRelF0_sma3nz",
    "F3frequency_sma3nz",
    "F3bandwidth_sma3nz",
    "F3amplitudeLogRelF0_sma3nz",
];

const N_LLD: usize = 25;
const LOUDNESS: usize = 0;
const ALPHA: usize = 1;
const FLUX: usize = 5;
const MFCC1: usize = 6;
const F0: usize = 10;
const JITTER: usize = 11;
const SHIMMER: usize = 12;
const HNR: usize = 13;
const H1_H2: usize = 14;
const H1_A3: usize = 15;
const F1: usize = 16;
/// The nine spectral LLDs that also get voiced (`V`) functionals, the first five of
/// them unvoiced (`UV`) ones too: alpha ratio .. mfcc4.
const SPECTRAL_V: std::ops::Range<usize> = ALPHA..MFCC1 + 4;
const SPECTRAL_V_NAMES: [&str; 9] = [
    "alphaRatioV",
    "hammarbergIndexV",
    "slopeV0-500",
    "slopeV500-1500",
    "spectralFluxV",
    "mfcc1V",
    "mfcc2V",
    "mfcc3V",
    "mfcc4V",
];
const SPECTRAL_UV_NAMES: [&str; 5] = [
    "alphaRatioUV",
    "hammarbergIndexUV",
    "slopeUV0-500",
    "slopeUV500-1500",
    "spectralFluxUV",
];

/// The 88 functional names, openSMILE's spelling and order.
pub fn functional_names() -> Vec<String> {
    let mut names = Vec::with_capacity(88);
    for prefix in [EGEMAPS_LLD[F0], "loudness_sma3"] {
        names.extend(EGEMAPS_CONTOUR.iter().map(|f| format!("{prefix}_{f}")));
    }
    let mean_norm = |names: &mut Vec<String>, base: &str| {
        names.push(format!("{base}_amean"));
        names.push(format!("{base}_stddevNorm"));
    };
    for name in EGEMAPS_LLD[FLUX..MFCC1 + 4]
        .iter()
        .chain(&EGEMAPS_LLD[JITTER..])
    {
        mean_norm(&mut names, name);
    }
    for n in SPECTRAL_V_NAMES {
        mean_norm(&mut names, &format!("{n}_sma3nz"));
    }
    for n in SPECTRAL_UV_NAMES {
        names.push(format!("{n}_sma3nz_amean"));
    }
    names.extend(
        [
            "loudnessPeaksPerSec",
            "VoicedSegmentsPerSec",
            "MeanVoicedSegmentLengthSec",
            "StddevVoicedSegmentLengthSec",
            "MeanUnvoicedSegmentLength",
            "StddevUnvoicedSegmentLength",
            "equivalentSoundLevel_dBp",
        ]
        .map(String::from),
    );
    names
}

/// The LLDs of one clip.
#[derive(Debug, Clone)]
pub struct Lld {
    pub n_frames: usize,
    /// `(n_frames, 25)` row-major, smoothed; `_sma3nz` columns NaN on unvoiced frames.
    pub values: Vec<f64>,
    /// Unsmoothed descriptors, same layout (NaN where undefined).
    pub raw: Vec<f64>,
    pub voiced: Vec<bool>,
    /// Mean square of each 20 ms frame.
    pub power: Vec<f64>,
    /// Seconds of signal analysed.
    pub duration: f64,
}

impl Lld {
    fn column(&self, data: &[f64], j: usize) -> Vec<f64> {
        (0..self.n_frames).map(|t| data[t * N_LLD + j]).collect()
    }
}

/// One planned FFT with its window.
struct Analysis {
    window: Vec<f64>,
    fft: Arc<dyn RealToComplex<f64>>,
}

impl Analysis {
    fn new(window: Vec<f64>, n_fft: usize) -> Self {
        Analysis {
            window,
            fft: RealFftPlanner::<f64>::new().plan_fft_forward(n_fft),
        }
    }

    /// Magnitude spectrum of `frame` (zero-padded to the FFT size) into `mag`.
    fn magnitude(&self, frame: &[f64], s: &mut FftScratch, mag: &mut Vec<f64>) {
        s.input.iter_mut().for_each(|v| *v = 0.0);
        for ((o, x), w) in s.input.iter_mut().zip(frame).zip(&self.window) {
            *o = x * w;
        }
        // the buffers are sized from this plan, so the transform cannot fail
        let _ = self
            .fft
            .process_with_scratch(&mut s.input, &mut s.output, &mut s.scratch);
        magnitudes(&s.output, mag);
    }

    fn scratch(&self) -> FftScratch {
        FftScratch {
            input: self.fft.make_input_vec(),
            output: self.fft.make_output_vec(),
            scratch: self.fft.make_scratch_vec(),
        }
    }
}

crate::fastmath::avx2_dispatch! {
/// `|c|` of every bin into `mag`: sqrt(re^2 + im^2) (Complex::norm calls hypot, which
/// dominated the profile), four square roots at a time with AVX2.
fn magnitudes(spectrum: &[Complex<f64>], mag: &mut Vec<f64>) -> () {
    mag.clear();
    mag.extend(spectrum.iter().map(|c| (c.re * c.re + c.im * c.im).sqrt()));
}
}

struct FftScratch {
    input: Vec<f64>,
    output: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
}

/// A planned eGeMAPS extractor (windows, FFT plans, filterbank, DCT), reusable across
/// clips and threads.
pub struct Egemaps {
    short: Analysis,
    long: Analysis,
    /// Inverse FFT of the 60 ms power spectrum: the frame's autocorrelation.
    acf: Arc<dyn ComplexToReal<f64>>,
    mel: MelFilterbank<f64>,
    loudness_weights: Vec<f64>,
    /// MFCC 1-4 rows of the liftered DCT, `(4, 26)`.
    cepstrum: Vec<f64>,
    shs: Shs,
}

impl Default for Egemaps {
    fn default() -> Self {
        Self::new()
    }
}

fn gaussian_window(len: usize, sigma: f64) -> Vec<f64> {
    let half = (len - 1) as f64 / 2.0;
    (0..len)
        .map(|i| (-0.5 * ((i as f64 - half) / (sigma * half)).powi(2)).exp())
        .collect()
}

impl Egemaps {
    pub fn new() -> Self {
        let sr = SAMPLE_RATE as f64;
        let mel_spec = MelSpec {
            n_mels: 26,
            fmin: 20.0,
            fmax: 8000.0,
            scale: MelScale::Htk,
            layout: TriangleLayout::Hz,
            norm: MelNorm::None,
        };
        // Fixed settings: these constructors cannot fail (covered by the unit tests).
        let mel = MelFilterbank::new(&mel_spec, sr, SHORT_FFT).expect("eGeMAPS filterbank");
        let mel_hz = |m: f64| MelScale::Htk.mel_to_hz(m);
        let (lo, hi) = (
            MelScale::Htk.hz_to_mel(20.0),
            MelScale::Htk.hz_to_mel(8000.0),
        );
        let loudness_weights = (1..=26)
            .map(|i| equal_loudness(mel_hz(lo + (hi - lo) * i as f64 / 27.0)))
            .collect();
        let dct = dct_matrix(
            26,
            5,
            DctSpec {
                dct_type: 2,
                ortho: true,
            },
        )
        .expect("eGeMAPS DCT");
        let lift = lifter_weights(
            5,
            Lifter {
                coeff: 22.0,
                librosa_indexing: false,
            },
        );
        let cepstrum = (1..5)
            .flat_map(|k| {
                let w = lift[k];
                dct[k * 26..(k + 1) * 26].iter().map(move |v| v * w)
            })
            .collect();
        let hamming = Window::Hamming { periodic: false }
            .samples(SHORT)
            .expect("Hamming window");
        Egemaps {
            short: Analysis::new(hamming, SHORT_FFT),
            long: Analysis::new(gaussian_window(LONG, 0.4), LONG_FFT),
            acf: RealFftPlanner::<f64>::new().plan_fft_inverse(LONG_FFT),
            mel,
            loudness_weights,
            cepstrum,
            shs: Shs::new(&ShsSpec::default(), sr, LONG_FFT).expect("SHS plan"),
        }
    }

    /// The 25 LLDs of a clip at `sr` Hz (resampled to 16 kHz when `sr` differs; rates
    /// below 16 kHz are an error: eGeMAPS needs the band up to 8 kHz).
    pub fn lld<T: Real>(&self, signal: &[T], sr: f64) -> Result<Lld> {
        super::check_finite(signal, "y")?;
        let x = to_16k(signal, sr)?;
        Ok(self.lld_16k(&x))
    }

    fn lld_16k(&self, x: &[f64]) -> Lld {
        let n = if x.len() >= LONG {
            (x.len() - LONG) / HOP + 2
        } else {
            0
        };
        let mut raw = vec![f64::NAN; n * N_LLD];
        let mut power = vec![0.0; n];
        let mut pitch = vec![f64::NAN; n];
        let mut periodic = vec![0.0; n];
        let mut audible = vec![false; n];
        let (mut ss, mut ls) = (self.short.scratch(), self.long.scratch());
        let (mut frame, mut mag, mut prev, mut pw) = (vec![], vec![], vec![], vec![]);
        let mut bands = vec![0.0; 26];
        let mut shs_scratch = Vec::new();
        let bin_short = SAMPLE_RATE as f64 / SHORT_FFT as f64;
        let mut vq = VoiceQuality::new(self, x);
        for t in 0..n {
            let row = &mut raw[t * N_LLD..(t + 1) * N_LLD];
            fill_frame(x, t * HOP, SHORT, &mut frame);
            // vectorised sums (fastmath): serial ones were 15 % of the extraction
            power[t] = dot(&frame, &frame) / SHORT as f64;
            self.short.magnitude(&frame, &mut ss, &mut mag);
            pw.clear();
            pw.extend(mag.iter().map(|m| m * m));
            self.mel.apply(&pw, &mut bands);
            row[LOUDNESS] = loudness(&bands, &self.loudness_weights, LOUDNESS_SCALE);
            row[ALPHA] = alpha_ratio(&pw, bin_short);
            row[ALPHA + 1] = hammarberg_index(&pw, bin_short);
            row[ALPHA + 2] = spectral_slope(&pw, bin_short, 0.0, 500.0);
            row[ALPHA + 3] = spectral_slope(&pw, bin_short, 500.0, 1500.0);
            row[FLUX] = if t == 0 {
                0.0
            } else {
                FLUX_SCALE * spectral_flux(&mag, &prev)
            };
            std::mem::swap(&mut prev, &mut mag);
            bands.iter_mut().for_each(|b| *b = b.max(1e-8).ln());
            for k in 0..4 {
                row[MFCC1 + k] = dot(&self.cepstrum[k * 26..(k + 1) * 26], &bands);
            }
            // 60 ms analysis: pitch and periodicity
            fill_frame(x, t * HOP, LONG, &mut frame);
            self.long.magnitude(&frame, &mut ls, &mut mag);
            let est = self.shs.estimate(&mag, &mut shs_scratch);
            let mean = crate::fastmath::sum(&frame) / LONG as f64;
            frame.iter_mut().for_each(|v| *v -= mean);
            let period = SAMPLE_RATE as f64 / est.f0;
            audible[t] = dot(&frame, &frame) / LONG as f64 > VOICING_MIN_POWER;
            // the periodicity only decides frames the SHS strength has not already rejected
            let r = if audible[t] && power[t] > SILENCE_POWER && est.strength > VOICED_STRENGTH {
                periodicity(&frame, period)
            } else {
                0.0
            };
            pitch[t] = est.f0;
            periodic[t] = r;
            if r > VOICED_PERIODICITY && est.strength > VOICED_STRENGTH {
                row[F0] = 12.0 * (est.f0 / 27.5).log2();
                vq.describe(&mag, est.f0, t, row);
            }
        }
        // Loud frames (within LOUD_RANGE of the clip's loudest) need less periodicity
        // (measured: openSMILE voices them; 91.7 -> 92.5 % frame agreement on speech).
        let loud = power.iter().fold(0.0f64, |a, &b| a.max(b)) * LOUD_RANGE;
        let mut voiced = median5(
            &(0..n)
                .map(|t| {
                    raw[t * N_LLD + F0].is_finite()
                        || (power[t] > loud.max(SILENCE_POWER) && periodic[t] > LOUD_PERIODICITY)
                })
                .collect::<Vec<_>>(),
        );
        // the level gate holds after the median filter too
        voiced.iter_mut().zip(&audible).for_each(|(v, &a)| *v &= a);
        // The median filter voices a few frames the first pass left out (and unvoices
        // others): describe those now.
        for t in 0..n {
            let row = &mut raw[t * N_LLD..(t + 1) * N_LLD];
            if !voiced[t] {
                row[F0..].iter_mut().for_each(|v| *v = f64::NAN);
            } else if row[F0].is_nan() {
                let f0 = pitch[t];
                row[F0] = 12.0 * (f0 / 27.5).log2();
                fill_frame(x, t * HOP, LONG, &mut frame);
                self.long.magnitude(&frame, &mut ls, &mut mag);
                vq.describe(&mag, f0, t, row);
            }
        }
        let mut values = vec![f64::NAN; n * N_LLD];
        for j in 0..N_LLD {
            let col: Vec<f64> = (0..n).map(|t| raw[t * N_LLD + j]).collect();
            let sm = if j < F0 {
                smooth3(&col, None)
            } else {
                smooth3(&col, Some((&voiced, true)))
            };
            for (t, v) in sm.into_iter().enumerate() {
                values[t * N_LLD + j] = v;
            }
        }
        Lld {
            n_frames: n,
            values,
            raw,
            voiced,
            power,
            duration: x.len() as f64 / SAMPLE_RATE as f64,
        }
    }

    /// The 88 functionals of a clip's LLDs, in [`functional_names`] order.
    pub fn functionals(&self, lld: &Lld) -> Result<Vec<f64>> {
        if lld.n_frames == 0 {
            return Ok(vec![f64::NAN; functional_names().len()]);
        }
        let mut out = Vec::with_capacity(88);
        let contour: Vec<Functional> = EGEMAPS_CONTOUR
            .iter()
            .map(|n| Functional::from_name(n))
            .collect::<Result<_>>()?;
        let smoothed = |j| lld.column(&lld.values, j);
        for j in [F0, LOUDNESS] {
            out.extend(fx::functionals_with(
                &smoothed(j),
                &contour,
                FRAME_RATE,
                OPENSMILE_SLOPES,
            )?);
        }
        for j in (FLUX..MFCC1 + 4).chain(JITTER..N_LLD) {
            out.extend(mean_stddev_norm(&smoothed(j))?);
        }
        for j in SPECTRAL_V {
            let v = smooth3(&lld.column(&lld.raw, j), Some((&lld.voiced, true)));
            out.extend(mean_stddev_norm(&v)?);
        }
        for j in SPECTRAL_V.take(5) {
            let uv = smooth3(&lld.column(&lld.raw, j), Some((&lld.voiced, false)));
            out.push(mean_stddev_norm(&uv)?[0]);
        }
        let dur = lld.duration;
        out.push(prominent_peaks(&smoothed(LOUDNESS), 0.1) as f64 / dur);
        let (voiced_runs, unvoiced_runs) = runs(&lld.voiced);
        let hop = 1.0 / FRAME_RATE;
        let v_len: Vec<f64> = voiced_runs
            .iter()
            .filter(|&&k| k >= MIN_VOICED_SEGMENT)
            .map(|&k| (k - 1) as f64 * hop)
            .collect();
        let uv_len: Vec<f64> = unvoiced_runs.iter().map(|&k| k as f64 * hop).collect();
        out.push(v_len.len() as f64 / dur);
        let stats = [Functional::Mean, Functional::Std];
        out.extend(fx::functionals(&v_len, &stats, FRAME_RATE)?);
        out.extend(fx::functionals(&uv_len, &stats, FRAME_RATE)?);
        let mean_power = lld.power.iter().sum::<f64>() / lld.n_frames as f64;
        out.push(if mean_power > 0.0 {
            10.0 * mean_power.log10()
        } else {
            f64::NAN
        });
        Ok(out)
    }
}

/// What [`Egemaps::features`] returns per clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The 88 functionals, one row.
    Functionals,
    /// The 25 smoothed LLDs, one row per frame.
    Lld,
}

impl Level {
    pub fn from_name(name: &str) -> Result<Self> {
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

/// One clip's features: a row-major buffer and its `(rows, columns)`.
pub type Features = (Vec<f64>, (usize, usize));

/// The extractor shared by every call in this process (its plans are immutable).
pub fn shared() -> &'static Egemaps {
    static SHARED: std::sync::OnceLock<Egemaps> = std::sync::OnceLock::new();
    SHARED.get_or_init(Egemaps::new)
}

impl Egemaps {
    /// The loudness contour of a clip (`Loudness_sma3`, or unsmoothed) and the start
    /// time (s) of each frame.
    pub fn loudness<T: Real>(
        &self,
        signal: &[T],
        sr: f64,
        smooth: bool,
    ) -> Result<(Vec<f64>, Vec<f64>)> {
        let lld = self.lld(signal, sr)?;
        let l = lld.column(if smooth { &lld.values } else { &lld.raw }, LOUDNESS);
        let times = (0..lld.n_frames).map(|t| t as f64 / FRAME_RATE).collect();
        Ok((l, times))
    }

    /// Features of one clip at `level`: a row-major buffer and its `(rows, columns)`.
    pub fn features<T: Real>(&self, signal: &[T], sr: f64, level: Level) -> Result<Features> {
        let lld = self.lld(signal, sr)?;
        Ok(match level {
            Level::Lld => {
                let n = lld.n_frames;
                (lld.values, (n, N_LLD))
            }
            Level::Functionals => {
                let f = self.functionals(&lld)?;
                let k = f.len();
                (f, (1, k))
            }
        })
    }

    /// [`Egemaps::features`] of many clips on the `n_jobs` pool, in input order; an
    /// error names its clip.
    pub fn features_batch<T: Real>(
        &self,
        signals: &[&[T]],
        sr: f64,
        level: Level,
        n_jobs: Option<i64>,
    ) -> Result<Vec<Features>> {
        crate::parallel::map_clips(signals, n_jobs, |s| self.features(s, sr, level))
    }
}

/// Jitter and shimmer of frame `t` follow the cycles ending in the hop that starts this
/// many samples before the frame (measured on opensmile 2.6: random period and
/// amplitude sequences at 100 Hz correlate best, r = 0.996 and 0.999, with the hop
/// `[160 t - 120, 160 t + 40)`).
const PERTURBATION_LEAD: usize = 120;

/// The voiced-frame descriptors (jitter .. F3 amplitude) of one clip.
struct VoiceQuality<'a> {
    /// The 16 kHz signal.
    x: &'a [f64],
    acf_fft: &'a dyn ComplexToReal<f64>,
    power: Vec<Complex<f64>>,
    acf: Vec<f64>,
    scratch: Vec<Complex<f64>>,
    formants: EgemapsFormants,
    formant_scratch: formants::Scratch,
    buf: Vec<f64>,
}

impl<'a> VoiceQuality<'a> {
    fn new(eg: &'a Egemaps, x: &'a [f64]) -> Self {
        let analysis = EgemapsFormants::new();
        VoiceQuality {
            x,
            acf_fft: eg.acf.as_ref(),
            power: eg.acf.make_input_vec(),
            acf: eg.acf.make_output_vec(),
            scratch: eg.acf.make_scratch_vec(),
            formant_scratch: analysis.scratch(),
            formants: analysis,
            buf: Vec::with_capacity(formants::FRAME),
        }
    }

    /// Fills `row[JITTER..]` of voiced frame `t` from the magnitude spectrum `mag` of its
    /// windowed 60 ms frame and `f0` (Hz).
    fn describe(&mut self, mag: &[f64], f0: f64, t: usize, row: &mut [f64]) {
        let period = SAMPLE_RATE as f64 / f0;
        let hop = (t * HOP).saturating_sub(PERTURBATION_LEAD)..t * HOP + HOP - PERTURBATION_LEAD;
        let (jitter, shimmer) = hop_perturbation(self.x, hop, period);
        row[JITTER] = jitter;
        row[SHIMMER] = shimmer;
        // autocorrelation of the windowed frame = inverse FFT of its power spectrum (the
        // FFT is twice the frame long, so no wrap-around); DC left out
        for (p, m) in self.power.iter_mut().zip(mag) {
            *p = Complex::new(m * m, 0.0);
        }
        self.power[0] = Complex::new(0.0, 0.0);
        let _ =
            self.acf_fft
                .process_with_scratch(&mut self.power, &mut self.acf, &mut self.scratch);
        row[HNR] = hnr_db(acf_peak(&self.acf[..LONG], period));
        let bin = SAMPLE_RATE as f64 / LONG_FFT as f64;
        let amp = |f: f64| harmonic_amplitude(mag, bin, f, (0.25 * f0).max(bin));
        let h1 = amp(f0);
        // Measured on opensmile 2.6 (harmonic tones with set levels): its H1-H2 moves
        // 1:1 with the level at 2 F0 and against the one at 3 F0, not at all with the
        // level at F0; its harmonics are counted from 2 F0, so "H1-H2" is 2 F0 over 3 F0.
        row[H1_H2] = ratio_db(amp(2.0 * f0), amp(3.0 * f0));
        // the 20 ms frame at t (openSMILE's formant frame, measured)
        fill_frame(self.x, t * HOP, formants::FRAME, &mut self.buf);
        let formants = self.formants.frame(&self.buf, &mut self.formant_scratch);
        for (i, (freq, bw)) in formants.iter().enumerate() {
            row[F1 + 3 * i] = *freq;
            row[F1 + 3 * i + 1] = *bw;
            // the harmonic nearest the formant, relative to H1
            let h = (freq / f0).round().max(1.0) * f0;
            row[F1 + 3 * i + 2] = ratio_db(amp(h), h1);
        }
        // A3: the strongest harmonic of the F3 region, 2-3.5 kHz (openSMILE's formants
        // are not the vocal tract's; measured on opensmile 2.6: frame r 0.67 and median
        // 25.5 vs 24.2 dB, against 0.61 and 33.9 dB for the harmonic nearest its own F3)
        let a3 = ((A3_BAND.0 / f0).ceil().max(1.0) as usize..=(A3_BAND.1 / f0) as usize)
            .map(|k| amp(k as f64 * f0))
            .fold(f64::NAN, f64::max);
        // H1 of H1-A3 is the peak at 2 F0, as for H1-H2 (measured on opensmile 2.6:
        // its H1-A3 moves 1:1 with the level at 2 F0, barely with the one at F0; clip
        // r of the amean 0.83 -> 0.96 over the parity items)
        row[H1_A3] = ratio_db(amp(2.0 * f0), a3);
    }
}

/// The band (Hz) searched for A3: the F3 region, up to the edge of openSMILE's formant
/// band (measured near 3.5 kHz).
const A3_BAND: (f64, f64) = (2000.0, 3500.0);

fn ratio_db(a: f64, b: f64) -> f64 {
    if a > 0.0 && b > 0.0 {
        20.0 * (a / b).log10()
    } else {
        f64::NAN
    }
}

/// The signal as f64 at 16 kHz.
fn to_16k<T: Real>(signal: &[T], sr: f64) -> Result<Vec<f64>> {
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
        return Ok(signal.iter().map(|v| v.f64()).collect());
    }
    if sr.fract() != 0.0 || sr > u32::MAX as f64 {
        return Err(Error::param(
            "sr",
            format!("must be a whole number of Hz to be resampled to 16000, got {sr}"),
        ));
    }
    let x: Vec<f32> = signal.iter().map(|v| v.f64() as f32).collect();
    Ok(super::resample::resample(&x, sr as u32, SAMPLE_RATE)?
        .into_iter()
        .map(f64::from)
        .collect())
}

/// `len` samples from `start`, zero-padded past the end.
fn fill_frame(x: &[f64], start: usize, len: usize, out: &mut Vec<f64>) {
    out.clear();
    let end = (start + len).min(x.len());
    out.extend_from_slice(&x[start.min(end)..end]);
    out.resize(len, 0.0);
}

/// Majority of each 5-frame neighbourhood (edges replicated).
fn median5(v: &[bool]) -> Vec<bool> {
    let n = v.len();
    (0..n)
        .map(|t| {
            let count = (0..5)
                .filter(|&d| v[(t + d).saturating_sub(2).min(n - 1)])
                .count();
            count >= 3
        })
        .collect()
}

/// 3-frame moving average of the finite values; with `mask = (m, keep)`, only frames
/// where `m == keep` take part and the others become NaN.
fn smooth3(x: &[f64], mask: Option<(&[bool], bool)>) -> Vec<f64> {
    let n = x.len();
    let inside = |t: usize| mask.is_none_or(|(m, keep)| m[t] == keep);
    (0..n)
        .map(|t| {
            if mask.is_some_and(|(m, keep)| m[t] != keep) {
                return f64::NAN;
            }
            let lo = t.saturating_sub(1);
            let (mut s, mut c) = (0.0, 0usize);
            for (u, v) in x[lo..(t + 2).min(n)].iter().enumerate() {
                if v.is_finite() && inside(lo + u) {
                    s += v;
                    c += 1;
                }
            }
            if c > 0 {
                s / c as f64
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// `[amean, stddevNorm]` (signed coefficient of variation) of the finite values.
fn mean_stddev_norm(x: &[f64]) -> Result<[f64; 2]> {
    let v = fx::functionals(x, &[Functional::Mean, Functional::Std], FRAME_RATE)?;
    Ok([v[0], v[1] / v[0]])
}

/// Lengths (frames) of the runs of `true` and of `false`.
fn runs(v: &[bool]) -> (Vec<usize>, Vec<usize>) {
    let (mut on, mut off) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < v.len() {
        let j = v[i..]
            .iter()
            .position(|&b| b != v[i])
            .map_or(v.len(), |k| i + k);
        if v[i] { &mut on } else { &mut off }.push(j - i);
        i = j;
    }
    (on, off)
}

/// Local maxima whose prominence (height above the higher of the two minima that
/// separate it from higher ground on each side) is at least `fraction` of the maximum.
fn prominent_peaks(x: &[f64], fraction: f64) -> usize {
    let top = x
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::NAN, f64::max);
    if top.is_nan() || top <= 0.0 {
        return 0;
    }
    let n = x.len();
    let mut count = 0;
    let mut i = 1;
    while i + 1 < n {
        if x[i] > x[i - 1] {
            // plateau: the peak spans i..=j
            let mut j = i;
            while j + 1 < n && x[j + 1] == x[i] {
                j += 1;
            }
            if j + 1 < n && x[j + 1] < x[i] {
                let side_min = |it: &mut dyn Iterator<Item = usize>| {
                    let mut m = x[i];
                    for k in it {
                        if x[k] > x[i] {
                            break;
                        }
                        m = m.min(x[k]);
                    }
                    m
                };
                let left = side_min(&mut (0..i).rev());
                let right = side_min(&mut (j + 1..n));
                if x[i] - left.max(right) >= fraction * top {
                    count += 1;
                }
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    count
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
        let names = functional_names();
        assert_eq!(names.len(), 88);
        assert_eq!(names[0], "F0semitoneFrom27.5Hz_sma3nz_amean");
        assert_eq!(names[87], "equivalentSoundLevel_dBp");
        let eg = Egemaps::new();
        let lld = eg.lld(&vec![0.0f32; 16000], 16000.0).unwrap();
        assert_eq!(lld.n_frames, 96);
        assert_eq!(eg.functionals(&lld).unwrap().len(), 88);
    }

    #[test]
    fn f0_of_a_harmonic_tone() {
        let eg = Egemaps::new();
        for f0 in [110.0, 220.0] {
            let lld = eg.lld(&vowel(f0, 1.0, 0.1), 16000.0).unwrap();
            let st = 12.0 * (f0 / 27.5f64).log2();
            let f = eg.functionals(&lld).unwrap();
            assert!((f[3] - st).abs() < 0.2, "{} vs {st}", f[3]);
            assert!(lld.voiced.iter().filter(|&&v| v).count() > 80);
        }
    }

    #[test]
    fn silence_gives_nan_voiced_functionals() {
        let eg = Egemaps::new();
        let lld = eg.lld(&vec![0.0f64; 16000], 16000.0).unwrap();
        let f = eg.functionals(&lld).unwrap();
        assert!(f[0].is_nan());
        assert_eq!(f[10], 0.0); // loudness amean
        assert_eq!(
            f[functional_names()
                .iter()
                .position(|n| n == "VoicedSegmentsPerSec")
                .unwrap()],
            0.0
        );
    }

    #[test]
    fn low_rates_are_rejected_and_high_rates_resampled() {
        let eg = Egemaps::new();
        assert!(eg.lld(&vec![0.0f32; 8000], 8000.0).is_err());
        let y: Vec<f32> = vowel(200.0, 1.0, 0.1).iter().map(|&v| v as f32).collect();
        let y44: Vec<f32> = crate::audio::resample::resample(&y, 16000, 44100).unwrap();
        let a = eg.functionals(&eg.lld(&y, 16000.0).unwrap()).unwrap();
        let b = eg.functionals(&eg.lld(&y44, 44100.0).unwrap()).unwrap();
        assert!((a[0] - b[0]).abs() < 0.05);
    }

    #[test]
    fn helpers() {
        assert_eq!(runs(&[true, true, false, true]), (vec![2, 1], vec![1]));
        assert_eq!(
            median5(&[false, true, false, true, true, true]),
            vec![false, false, true, true, true, true]
        );
        let s = smooth3(&[1.0, 2.0, 6.0], None);
        assert_eq!(s, vec![1.5, 3.0, 4.0]);
        let s = smooth3(&[1.0, 2.0, 6.0], Some((&[true, false, true], true)));
        assert_eq!(s[0], 1.0);
        assert!(s[1].is_nan());
        assert_eq!(
            prominent_peaks(&[0.0, 1.0, 0.0, 0.95, 0.9, 1.0, 0.0], 0.1),
            2
        );
    }
}
