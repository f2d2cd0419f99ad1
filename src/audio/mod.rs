//! Audio: decoding, resampling and the spectral front end (MFCC, log-mel).

pub mod cmvn;
pub mod delta;
pub mod egemaps;
pub mod energy;
pub mod formants;
pub mod frames;
pub mod harmonicity;
pub mod intensity;
pub mod io;
pub mod logmel;
pub mod lpc;
pub mod mel;
pub mod mfcc;
pub mod pitch;
pub mod precheck;
pub mod preset;
pub mod resample;
pub mod spectrum;
pub mod voice;
pub mod wav;
pub mod window;

use ndarray::Array2;

use crate::error::{Error, Result};
use crate::parallel;
use crate::params::Params;
use crate::real::Real;
pub use preset::Preset;

/// Fails on the first sample that is NaN or infinite, naming its index.
pub fn check_finite<T: Real>(signal: &[T], name: &str) -> Result<()> {
    // Scan in blocks with a branch-free OR (vectorises); locate the index only on failure.
    const BLOCK: usize = 1024;
    let bad_block = signal
        .chunks(BLOCK)
        .position(|c| c.iter().fold(false, |acc, v| acc | !v.is_finite()));
    let first = bad_block.and_then(|b| {
        let c = &signal[b * BLOCK..signal.len().min((b + 1) * BLOCK)];
        c.iter().position(|v| !v.is_finite()).map(|i| b * BLOCK + i)
    });
    match first {
        None => Ok(()),
        Some(i) => Err(Error::param(
            name,
            format!(
                "sample {i} is {} (of {}); audio must be finite",
                if signal[i].is_nan() {
                    "NaN"
                } else {
                    "infinite"
                },
                signal.len()
            ),
        )),
    }
}

/// A planned front end for one preset and parameter set, reusable across clips.
pub struct Extractor<T: Real> {
    analyzer: Analyzer<T>,
    /// Kaldi's `min_duration` in samples: shorter signals give no rows.
    min_samples: usize,
    width: usize,
}

enum Analyzer<T: Real> {
    Mfcc(mfcc::MfccAnalyzer<T>),
    Mel(logmel::MelAnalyzer<T>),
}

impl<T: Real> Extractor<T> {
    /// An MFCC extractor (`preset` and `params` as [`preset::mfcc_spec`]).
    pub fn mfcc(preset: Preset, sr: f64, params: &Params) -> Result<Self> {
        let (spec, min_duration) = preset::mfcc_spec(preset, sr, params)?;
        let analyzer = mfcc::MfccAnalyzer::new(&spec)?;
        let width = analyzer.n_features();
        Ok(Extractor {
            analyzer: Analyzer::Mfcc(analyzer),
            min_samples: (min_duration * sr).ceil() as usize,
            width,
        })
    }

    /// A mel-spectrogram extractor (see [`preset::melspectrogram_spec`]).
    pub fn melspectrogram(
        preset: Preset,
        sr: f64,
        params: &Params,
        log: Option<bool>,
    ) -> Result<Self> {
        let (spec, min_duration) = preset::melspectrogram_spec(preset, sr, params, log)?;
        let width = spec.mel.n_mels + usize::from(spec.energy_column != logmel::EnergyColumn::None);
        let analyzer = logmel::MelAnalyzer::new(&spec)?;
        Ok(Extractor {
            analyzer: Analyzer::Mel(analyzer),
            min_samples: (min_duration * sr).ceil() as usize,
            width,
        })
    }

    /// Number of columns of the output.
    pub fn n_features(&self) -> usize {
        self.width
    }

    /// Features of one clip, `(n_frames, n_features)`.
    pub fn compute(&self, signal: &[T]) -> Result<Array2<T>> {
        check_finite(signal, "y")?;
        if signal.len() < self.min_samples {
            return Ok(Array2::zeros((0, self.width)));
        }
        // the frames x (mel bands or output columns) buffers, before they are allocated
        let mel = match &self.analyzer {
            Analyzer::Mfcc(a) => a.mel(),
            Analyzer::Mel(a) => a,
        };
        let n_frames = mel.stft.n_frames(signal.len());
        let per_frame = self.width.max(mel.filterbank.filters.len());
        crate::limits::product::<f64>(&[n_frames, per_frame], crate::limits::Source::Arg("y"))?;
        match &self.analyzer {
            Analyzer::Mfcc(a) => a.compute(signal),
            Analyzer::Mel(a) => a.compute(signal),
        }
    }

    /// Features of one clip; with `n_jobs` other than 1 the frames of a long clip are
    /// computed in parallel on the pool.
    pub fn compute_with_jobs(&self, signal: &[T], n_jobs: Option<i64>) -> Result<Array2<T>> {
        if n_jobs == Some(1) {
            return self.compute(signal);
        }
        parallel::install(n_jobs, || self.compute(signal))?
    }

    /// Features of many clips on the `n_jobs` pool, in input order. An error names the
    /// clip it came from.
    pub fn compute_batch(&self, signals: &[&[T]], n_jobs: Option<i64>) -> Result<Vec<Array2<T>>> {
        parallel::map_clips(signals, n_jobs, |s| self.compute(s))
    }
}

/// MFCCs of one clip: `(n_frames, n_mfcc * (1 + deltas))`.
///
/// ```
/// use _core::{audio::{mfcc, Preset}, params::{Params, Value}};
/// let y: Vec<f32> = (0..16000).map(|i| (i as f32 * 0.05).sin()).collect();
/// let p = Params::new().with("deltas", Value::Int(2));
/// let m = mfcc(&y, 16000.0, Preset::Kaldi, &p).unwrap();
/// assert_eq!(m.dim(), (98, 39));
/// ```
pub fn mfcc<T: Real>(signal: &[T], sr: f64, preset: Preset, params: &Params) -> Result<Array2<T>> {
    Extractor::mfcc(preset, sr, params)?.compute(signal)
}

/// Mel spectrogram of one clip: `(n_frames, n_mels)` (see [`preset::melspectrogram_spec`]).
pub fn melspectrogram<T: Real>(
    signal: &[T],
    sr: f64,
    preset: Preset,
    params: &Params,
    log: Option<bool>,
) -> Result<Array2<T>> {
    Extractor::melspectrogram(preset, sr, params, log)?.compute(signal)
}
