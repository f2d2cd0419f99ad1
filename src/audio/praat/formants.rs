//! Formant tracks as Praat's "Sound: To Formant (burg)..." (Boersma & Weenink, Praat
//! manual; the LPC method from Childers 1978, "Modern spectrum analysis", Burg's
//! algorithm as in Press et al., "Numerical Recipes").
//!
//! Steps, with Praat's defaults: resample to twice the maximum formant (5500 Hz ->
//! 11 kHz); pre-emphasise from 50 Hz (`x[n] -= exp(-2 pi 50 / sr) x[n-1]`); on Praat's
//! centred frame grid (time step 0 = a quarter of the window length), multiply a Gaussian
//! window of twice the "window length" (0.025 s -> 0.05 s physical) into the frame;
//! Burg LPC with `2 x max_number_of_formants` poles; formants from the roots
//! ([`crate::num::lpc::formants_from_lpc`]) between 50 Hz and Nyquist - 50 Hz, sorted.

use super::intensity::PraatGrid;
use crate::error::{Error, Result};
use crate::num::lpc::{burg_lpc, formants_from_lpc};
use crate::num::real::Real;
use crate::num::window::praat_gaussian;

/// Praat's settings (names as parselmouth's `Sound.to_formant_burg`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormantSpec {
    /// Seconds; `None` (Praat's 0) = a quarter of `window_length`.
    pub time_step: Option<f64>,
    pub max_number_of_formants: f64,
    pub maximum_formant: f64,
    /// Effective length; the Gaussian window is twice as long.
    pub window_length: f64,
    pub pre_emphasis_from: f64,
}

impl Default for FormantSpec {
    fn default() -> Self {
        FormantSpec {
            time_step: None,
            max_number_of_formants: 5.0,
            maximum_formant: 5500.0,
            window_length: 0.025,
            pre_emphasis_from: 50.0,
        }
    }
}

/// Frames of formants: `formants[f]` holds `(frequency, bandwidth)` pairs in Hz, lowest
/// first; `times` are frame centres (s, Praat's time axis).
#[derive(Debug, Clone, PartialEq)]
pub struct FormantTrack {
    pub formants: Vec<Vec<(f64, f64)>>,
    pub times: Vec<f64>,
}

impl FormantTrack {
    /// `(n_frames, 2 n)` row-major: F1..Fn, then B1..Bn; NaN where a frame has fewer
    /// formants.
    pub fn table(&self, n: usize) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.formants.len() * 2 * n);
        for fr in &self.formants {
            out.extend((0..n).map(|k| fr.get(k).map_or(f64::NAN, |p| p.0)));
            out.extend((0..n).map(|k| fr.get(k).map_or(f64::NAN, |p| p.1)));
        }
        out
    }
}

impl FormantSpec {
    /// Reads parselmouth's keyword names (`time_step`, `max_number_of_formants`,
    /// `maximum_formant`, `window_length`, `pre_emphasis_from`) from `p`.
    pub fn from_params(p: &crate::params::Params) -> Result<Self> {
        let d = FormantSpec::default();
        Ok(FormantSpec {
            time_step: p.opt_f64(&["time_step"])?.filter(|&v| v != 0.0),
            max_number_of_formants: p.f64(&["max_number_of_formants"], d.max_number_of_formants)?,
            maximum_formant: p.f64(&["maximum_formant"], d.maximum_formant)?,
            window_length: p.f64(&["window_length"], d.window_length)?,
            pre_emphasis_from: p.f64(&["pre_emphasis_from"], d.pre_emphasis_from)?,
        })
    }

    fn check(&self, sr: f64) -> Result<()> {
        if !(sr.is_finite() && sr > 0.0 && sr.fract() == 0.0) {
            return Err(Error::param(
                "sr",
                format!("must be a positive whole number of Hz, got {sr}"),
            ));
        }
        let m = self.maximum_formant;
        if !(m.is_finite() && m >= 100.0 && (2.0 * m).fract() == 0.0) {
            return Err(Error::param(
                "maximum_formant",
                format!("must be at least 100 Hz, in steps of 0.5 Hz, got {m}"),
            ));
        }
        let n = self.max_number_of_formants;
        if !(n.is_finite() && (1.0..=20.0).contains(&n)) {
            return Err(Error::param(
                "max_number_of_formants",
                format!("must lie in [1, 20], got {n}"),
            ));
        }
        crate::params::check_positive(&[
            ("window_length", self.window_length),
            ("time_step", self.time_step.unwrap_or(self.window_length)),
        ])?;
        if !(self.pre_emphasis_from.is_finite() && self.pre_emphasis_from >= 0.0) {
            return Err(Error::param(
                "pre_emphasis_from",
                format!(
                    "must be a frequency >= 0 Hz, got {}",
                    self.pre_emphasis_from
                ),
            ));
        }
        Ok(())
    }
}

/// Formants of one clip (see the module docs). A clip shorter than the physical window
/// is an error naming `y`; silent frames have no formants.
///
/// ```
/// use _core::audio::praat::formants::{formants, FormantSpec};
/// let y = vec![0.0f32; 16000];
/// let tr = formants(&y, 16000.0, &FormantSpec::default()).unwrap();
/// assert_eq!(tr.times.len(), tr.formants.len());
/// assert!(tr.formants.iter().all(|f| f.is_empty()));
/// ```
pub fn formants<T: Real>(signal: &[T], sr: f64, spec: &FormantSpec) -> Result<FormantTrack> {
    crate::audio::check_finite(signal, "y")?;
    spec.check(sr)?;
    let new_sr = 2.0 * spec.maximum_formant;
    // Resample (as Praat, whenever the Nyquist frequency is not the maximum formant).
    let x: Vec<f64> = if (new_sr - sr).abs() > 0.0 && new_sr.fract() == 0.0 {
        let y32: Vec<f32> = signal.iter().map(|v| v.f64() as f32).collect();
        crate::audio::io::resample::resample(&y32, sr as u32, new_sr as u32)?
            .into_iter()
            .map(f64::from)
            .collect()
    } else if (new_sr - sr).abs() > 0.0 {
        return Err(Error::param(
            "maximum_formant",
            format!("2 x maximum_formant must be a whole number of Hz, got {new_sr}"),
        ));
    } else {
        signal.iter().map(|v| v.f64()).collect()
    };
    let mut x = x;
    let dx = 1.0 / new_sr;
    if spec.pre_emphasis_from > 0.0 {
        let a = (-2.0 * std::f64::consts::PI * spec.pre_emphasis_from * dx).exp();
        for i in (1..x.len()).rev() {
            x[i] -= a * x[i - 1];
        }
    }
    let physical = 2.0 * spec.window_length;
    let step = spec.time_step.unwrap_or(spec.window_length / 4.0);
    let step_name = if spec.time_step.is_some() {
        "time_step"
    } else {
        "window_length"
    };
    let grid = PraatGrid::new(
        x.len(),
        new_sr,
        physical,
        step,
        "2 x window_length",
        step_name,
    )?;
    let half = ((physical / dx).floor() as usize / 2)
        .saturating_sub(1)
        .max(1);
    let window = praat_gaussian(2 * half);
    let order = (2.0 * spec.max_number_of_formants).round() as usize;
    let nyquist = 0.5 * new_sr;
    let mut frame = Vec::with_capacity(2 * half);
    let mut out = Vec::with_capacity(grid.n_frames);
    let mut times = Vec::with_capacity(grid.n_frames);
    for f in 0..grid.n_frames {
        crate::cancel::check_every(f, 16)?;
        let t = grid.time(f);
        // The samples either side of t: [low - half + 1, low + half], clipped to the
        // signal; the window is applied from its start even when clipped (as Praat).
        let low = ((t - 0.5 * dx) / dx).floor() as isize;
        let start = (low - half as isize + 1).max(0) as usize;
        let end = ((low + half as isize) as usize).min(x.len() - 1);
        frame.clear();
        frame.extend(x[start..=end].iter().zip(&window).map(|(v, w)| v * w));
        let fr = match burg_lpc(&frame, order) {
            Some((a, _)) => formants_from_lpc(&a, new_sr, 50.0, nyquist - 50.0),
            None => Vec::new(),
        };
        out.push(fr);
        times.push(t);
    }
    Ok(FormantTrack {
        formants: out,
        times,
    })
}

/// [`formants`] of many clips on the `n_jobs` pool, in order.
pub fn formants_batch<T: Real>(
    signals: &[&[T]],
    sr: f64,
    spec: &FormantSpec,
    n_jobs: Option<i64>,
) -> Result<Vec<FormantTrack>> {
    crate::parallel::map_clips(signals, n_jobs, |s| formants(s, sr, spec))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// A vowel-like source-filter signal: a 100 Hz pulse train with a glottal -12 dB/oct
    /// tilt (two one-pole low-passes) and +6 dB/oct lip radiation (a difference), through
    /// resonators.
    fn vowel(formants: &[(f64, f64)], sr: f64, seconds: f64) -> Vec<f64> {
        let n = (sr * seconds) as usize;
        let period = (sr / 100.0) as usize;
        let mut y: Vec<f64> = (0..n)
            .map(|i| if i % period == 0 { 1.0 } else { 0.0 })
            .collect();
        for _ in 0..2 {
            for i in 1..n {
                y[i] += 0.97 * y[i - 1];
            }
        }
        for i in (1..n).rev() {
            y[i] -= y[i - 1];
        }
        for &(f, b) in formants {
            let r = (-PI * b / sr).exp();
            let (c1, c2) = (2.0 * r * (2.0 * PI * f / sr).cos(), -r * r);
            let (mut y1, mut y2) = (0.0, 0.0);
            for v in y.iter_mut() {
                let out = *v + c1 * y1 + c2 * y2;
                y2 = y1;
                y1 = out;
                *v = out;
            }
        }
        let peak = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        y.iter().map(|v| 0.5 * v / peak).collect()
    }

    #[test]
    fn synthetic_vowel_formants_within_five_percent() {
        let sr = 16000.0;
        // Peterson & Barney's /a/ (male) plus two higher resonances, as the default
        // analysis (five formants below 5500 Hz) assumes.
        let truth = [
            (730.0, 80.0),
            (1090.0, 90.0),
            (2440.0, 120.0),
            (3500.0, 150.0),
            (4500.0, 200.0),
        ];
        let y = vowel(&truth, sr, 0.6);
        let tr = formants(&y, sr, &FormantSpec::default()).unwrap();
        // Praat's grid: about (0.6 - 0.05) / 0.00625 + 1 frames, centred
        assert!((88..=89).contains(&tr.times.len()));
        assert!((tr.times[0] + tr.times[tr.times.len() - 1] - 0.6).abs() < 1e-3);
        let table = tr.table(3);
        let rows: Vec<&[f64]> = table
            .chunks(6)
            .zip(&tr.times)
            .filter(|(_, &t)| t > 0.1 && t < 0.5)
            .map(|(r, _)| r)
            .collect();
        assert!(rows.len() > 50);
        for k in 0..3 {
            let mut v: Vec<f64> = rows.iter().map(|r| r[k]).collect();
            v.sort_by(f64::total_cmp);
            let median = v[v.len() / 2];
            assert!(
                (median / truth[k].0 - 1.0).abs() < 0.05,
                "F{}: median {median}",
                k + 1
            );
            // every frame within 10 % (the harmonics pull single frames)
            assert!(
                v.iter().all(|f| (f / truth[k].0 - 1.0).abs() < 0.1),
                "F{}: {v:?}",
                k + 1
            );
        }
    }

    #[test]
    fn window_and_bad_input() {
        let w = praat_gaussian(10);
        assert!((w[4] - w[5]).abs() < 1e-15 && w[0] > 0.0 && w[4] < 1.0);
        let spec = FormantSpec::default();
        assert!(formants(&[0.0f32; 100], 16000.0, &spec).is_err());
        assert!(formants(&[f32::NAN; 16000], 16000.0, &spec).is_err());
        let bad = FormantSpec {
            max_number_of_formants: 0.0,
            ..spec
        };
        assert!(formants(&[0.0f32; 16000], 16000.0, &bad).is_err());
    }
}
