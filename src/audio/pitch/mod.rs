//! Fundamental frequency (F0) tracking: YIN ([`yin`]) and probabilistic YIN ([`pyin`]),
//! both following librosa 0.11 (`librosa.yin`, `librosa.pyin`) step for step so that the
//! same parameters give the same track, and [`F0Method`], the one entry point that also
//! runs Praat's "To Pitch (ac)" ([`crate::audio::praat::pitch_ac`]). Every tracker returns
//! an [`F0Track`].

pub mod pyin;
pub mod track;
pub mod yin;

pub use pyin::{pyin, PyinSpec};
pub use track::F0Track;
pub use yin::{yin, YinSpec, MAX_PITCH_AMPLITUDE};

use crate::audio::praat::pitch_ac::{praat_ac, PraatPitchSpec};
use crate::error::{Error, Result};
use crate::num::real::Real;
use crate::params::Params;

/// An F0 tracker with its settings, parsed once and run on any number of clips.
#[derive(Debug, Clone)]
pub enum F0Method {
    /// YIN with its trough threshold.
    Yin(YinSpec, f64),
    Pyin(YinSpec, PyinSpec),
    Praat(PraatPitchSpec),
}

impl F0Method {
    /// `method` = `"yin"`, `"pyin"` or `"praat"` with its keywords from `p` (see each spec's
    /// `from_params`); the caller checks for unknown keywords with `p.finish`.
    pub fn from_params(method: &str, sr: f64, p: &Params) -> Result<Self> {
        Ok(match method {
            "yin" => F0Method::Yin(
                YinSpec::from_params(sr, p)?,
                p.f64(&["trough_threshold"], 0.1)?,
            ),
            "pyin" => F0Method::Pyin(YinSpec::from_params(sr, p)?, PyinSpec::from_params(p)?),
            "praat" => F0Method::Praat(PraatPitchSpec::from_params(p)?),
            other => {
                return Err(Error::param(
                    "method",
                    format!("unknown F0 method {other:?}; expected \"pyin\", \"yin\" or \"praat\""),
                ))
            }
        })
    }

    /// The F0 track of one clip at `sr` Hz.
    pub fn track<T: Real>(&self, signal: &[T], sr: f64) -> Result<F0Track> {
        match self {
            F0Method::Yin(spec, threshold) => yin(signal, spec, *threshold),
            F0Method::Pyin(spec, pspec) => pyin(signal, spec, pspec),
            F0Method::Praat(spec) => praat_ac(signal, sr, spec),
        }
    }

    /// [`F0Method::track`] of every clip on the `n_jobs` pool, in order.
    pub fn track_batch<T: Real>(
        &self,
        signals: &[&[T]],
        sr: f64,
        n_jobs: Option<i64>,
    ) -> Result<Vec<F0Track>> {
        crate::parallel::map_clips(signals, n_jobs, |x| self.track(x, sr))
    }
}

/// Test signals shared by the trackers' tests.
#[cfg(test)]
pub(crate) mod test_signals {
    use super::*;

    pub(crate) fn spec(sr: f64) -> YinSpec {
        YinSpec::from_params(sr, &Params::new()).unwrap()
    }

    pub(crate) fn pulses(f0: impl Fn(f64) -> f64, seconds: f64, sr: f64) -> Vec<f64> {
        // A band-limited harmonic signal with instantaneous frequency f0(t).
        let n = (seconds * sr) as usize;
        let mut phase = 0.0f64;
        (0..n)
            .map(|i| {
                let f = f0(i as f64 / sr);
                phase += 2.0 * std::f64::consts::PI * f / sr;
                (1..=8)
                    .filter(|h| (*h as f64) * f < sr / 2.0)
                    .map(|h| (h as f64 * phase).sin() / h as f64)
                    .sum::<f64>()
                    * 0.3
            })
            .collect()
    }
}
