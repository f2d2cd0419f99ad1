//! Glottal pulses, jitter, shimmer and harmonics-to-noise ratio, with Praat's definitions
//! (Boersma & Weenink, Praat manual: "Sound: To PointProcess (periodic, cc)...",
//! "PointProcess: Get jitter (local)...", "Voice 3. Shimmer", "Sound: To Harmonicity
//! (cc)..."; Boersma 1993 for the harmonicity; reimplemented from those definitions).
//!
//! Time axis: sample `k` (0-based) lies at `(k + 0.5) / sr`, as in Praat.
//!
//! - Pulses: [`super::pulses`] (from the voiced stretches of
//!   [`super::pitch_ac::praat_ac`]).
//! - Jitter and shimmer: [`super::perturbation`].
//! - HNR: [`super::harmonicity`] (Praat's "To Harmonicity (cc)", mean over voiced frames).
//!
//! Undefined values (too few pulses, no voiced frame) are NaN.

use super::harmonicity::{harmonicity_of, HarmonicityMethod, HarmonicitySpec};
use super::intensity::{intensity, IntensitySpec};
use super::perturbation::{jitter, mean_period, shimmer, PeriodRules};
use super::pitch_ac::{praat_ac, praat_ac_of, PraatPitchSpec};
use super::pulses::pulses_cc;
use crate::audio::pitch::F0Track;
use crate::error::{Error, Result};
use crate::functionals::{functionals, Functional};
use crate::num::real::Real;
use crate::params::Params;

/// Names of [`voice_quality`]'s values, in order.
pub const VOICE_QUALITY_NAMES: [&str; 14] = [
    "jitter_local",
    "jitter_local_absolute",
    "jitter_rap",
    "jitter_ppq5",
    "jitter_ddp",
    "shimmer_local",
    "shimmer_local_db",
    "shimmer_apq3",
    "shimmer_apq5",
    "shimmer_apq11",
    "shimmer_dda",
    "hnr_db",
    "mean_period",
    "n_pulses",
];

/// Everything [`voice_quality`] needs.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceQualitySpec {
    /// The pitch track the pulses follow (Praat's "To Pitch (ac)" with this floor and
    /// ceiling, as "To PointProcess (periodic, cc)").
    pub pitch: PraatPitchSpec,
    pub rules: PeriodRules,
    pub harmonicity: HarmonicitySpec,
}

impl VoiceQualitySpec {
    /// Checks every setting (errors name the keyword).
    pub fn check(&self) -> Result<()> {
        self.rules.check()?;
        self.harmonicity.check("hnr_")
    }
}

/// Pulse times following an existing Praat pitch track of the same signal.
fn pulses_of_track<T: Real>(x: &[T], sr: f64, track: &F0Track, pitch: &PraatPitchSpec) -> Vec<f64> {
    let step = pitch.time_step.unwrap_or(0.75 / pitch.pitch_floor);
    let t1 = track.times.first().copied().unwrap_or(0.0);
    pulses_cc(x, sr, &track.f0_or_nan(), t1, step, pitch.pitch_ceiling)
}

/// Pulse times of one clip (s): Praat's pitch (ac) with `pitch`'s settings, then the
/// cross-correlation pulses, as "Sound: To PointProcess (periodic, cc)".
pub fn pulses<T: Real>(signal: &[T], sr: f64, pitch: &PraatPitchSpec) -> Result<Vec<f64>> {
    let track = praat_ac(signal, sr, pitch)?;
    Ok(pulses_of_track(signal, sr, &track, pitch))
}

/// Jitter (5), shimmer (6), HNR, mean period and pulse count from a clip and its track.
fn voice_measures<T: Real>(
    x: &[T],
    sr: f64,
    track: &F0Track,
    spec: &VoiceQualitySpec,
) -> Result<Vec<f64>> {
    let t = pulses_of_track(x, sr, track, &spec.pitch);
    let hnr = harmonicity_of(x, sr, &spec.harmonicity, "hnr_")?.mean();
    let mut out = Vec::with_capacity(VOICE_QUALITY_NAMES.len());
    out.extend_from_slice(&jitter(&t, &spec.rules));
    out.extend_from_slice(&shimmer(x, sr, &t, &spec.rules));
    out.push(hnr);
    out.push(mean_period(&t, &spec.rules));
    out.push(t.len() as f64);
    Ok(out)
}

/// Jitter, shimmer and HNR of one clip, in the order of [`VOICE_QUALITY_NAMES`]
/// (`mean_period` in seconds, `n_pulses` as a float). Silence and noise give NaN.
///
/// ```
/// use _core::audio::praat::voice::{voice_quality, VoiceQualitySpec, VOICE_QUALITY_NAMES};
/// let spec = VoiceQualitySpec::default();
/// let v = voice_quality(&vec![0.0f32; 16000], 16000.0, &spec).unwrap();
/// assert_eq!(v.len(), VOICE_QUALITY_NAMES.len());
/// assert!(v[0].is_nan() && v[11].is_nan());
/// ```
pub fn voice_quality<T: Real>(signal: &[T], sr: f64, spec: &VoiceQualitySpec) -> Result<Vec<f64>> {
    spec.check()?;
    // Checked finite once for the pitch, pulse and HNR passes, which read the samples
    // where they are (no f64 copy of the clip).
    crate::audio::check_finite(signal, "y")?;
    let track = praat_ac_of(signal, sr, &spec.pitch)?;
    voice_measures(signal, sr, &track, spec)
}

/// Names of [`prosody`]'s values, in order.
pub const PROSODY_NAMES: [&str; 13] = [
    "f0_mean_hz",
    "f0_mean_st",
    "f0_std_st",
    "f0_range_st",
    "intensity_mean_db",
    "intensity_std_db",
    "intensity_range_db",
    "jitter_local",
    "shimmer_local",
    "hnr_db",
    "voiced_segments_per_sec",
    "mean_voiced_segment_sec",
    "pause_ratio",
];

/// Settings of [`prosody`].
#[derive(Debug, Clone, PartialEq)]
pub struct ProsodySpec {
    pub voice: VoiceQualitySpec,
    pub intensity: IntensitySpec,
    /// Frames this many dB below the clip's loudest are silent (Praat's "To TextGrid
    /// (silences)" default -25).
    pub silence_threshold_db: f64,
    /// Silent stretches shorter than this (s) are not pauses (Praat's default 0.1).
    pub min_pause: f64,
}

impl Default for ProsodySpec {
    fn default() -> Self {
        ProsodySpec {
            voice: VoiceQualitySpec::default(),
            intensity: IntensitySpec::default(),
            silence_threshold_db: -25.0,
            min_pause: 0.1,
        }
    }
}

/// Lengths of the runs of `true` in `flags`.
fn run_lengths(flags: impl Iterator<Item = bool>) -> Vec<usize> {
    let mut runs = Vec::new();
    let mut current = 0usize;
    for f in flags {
        if f {
            current += 1;
        } else if current > 0 {
            runs.push(current);
            current = 0;
        }
    }
    if current > 0 {
        runs.push(current);
    }
    runs
}

/// The compact prosody set papers tabulate, in the order of [`PROSODY_NAMES`]:
/// F0 statistics of the Praat pitch track (Hz; semitones re 27.5 Hz as eGeMAPS; range =
/// percentile 95 - percentile 5), Praat intensity statistics over the frames that are
/// not digital silence (dB; range 5-95 %), local jitter and shimmer and HNR as
/// [`voice_quality`], voiced stretches of the pitch track per second and their mean
/// length (s), and the pause ratio: the fraction of intensity frames lying in silent
/// stretches (`silence_threshold_db` below the loudest frame) of at least `min_pause`.
/// Undefined values (no voiced frame) are NaN.
pub fn prosody<T: Real>(signal: &[T], sr: f64, spec: &ProsodySpec) -> Result<Vec<f64>> {
    spec.voice.check()?;
    if !(spec.min_pause >= 0.0) {
        return Err(Error::param(
            "min_pause",
            format!("must be >= 0 seconds, got {}", spec.min_pause),
        ));
    }
    crate::audio::check_finite(signal, "y")?;
    let track = praat_ac_of(signal, sr, &spec.voice.pitch)?;
    let vq = voice_measures(signal, sr, &track, &spec.voice)?;
    let ceiling = spec.voice.pitch.pitch_ceiling;
    let voiced: Vec<bool> = track
        .f0
        .iter()
        .zip(&track.voiced)
        .map(|(&f, &v)| v && f > 0.0 && f < ceiling)
        .collect();
    let hz: Vec<f64> = track
        .f0
        .iter()
        .zip(&voiced)
        .map(|(&f, &v)| if v { f } else { f64::NAN })
        .collect();
    let st: Vec<f64> = hz.iter().map(|f| 12.0 * (f / 27.5).log2()).collect();
    let stats = [
        Functional::Mean,
        Functional::Std,
        Functional::PercentileRange(5.0, 95.0),
    ];
    let f0_hz = functionals(&hz, &[Functional::Mean], 100.0)?;
    let f0_st = functionals(&st, &stats, 100.0)?;
    let it = intensity(signal, sr, &spec.intensity)?;
    let db: Vec<f64> = it
        .db
        .iter()
        .map(|&v| if v > -300.0 { v } else { f64::NAN })
        .collect();
    let int_stats = functionals(&db, &stats, 100.0)?;
    let step = spec
        .voice
        .pitch
        .time_step
        .unwrap_or(0.75 / spec.voice.pitch.pitch_floor);
    let duration = signal.len() as f64 / sr;
    let segments = run_lengths(voiced.iter().copied());
    let mean_segment = if segments.is_empty() {
        f64::NAN
    } else {
        segments.iter().sum::<usize>() as f64 * step / segments.len() as f64
    };
    let loudest = db
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    let int_step = spec
        .intensity
        .time_step
        .unwrap_or(0.8 / spec.intensity.minimum_pitch);
    let pause_frames: usize = if loudest.is_finite() {
        run_lengths(
            db.iter()
                .map(|v| !(*v >= loudest + spec.silence_threshold_db)),
        )
        .into_iter()
        .filter(|&n| n as f64 * int_step >= spec.min_pause)
        .sum()
    } else {
        db.len()
    };
    let mut out = Vec::with_capacity(PROSODY_NAMES.len());
    out.push(f0_hz[0]);
    out.extend_from_slice(&f0_st);
    out.extend_from_slice(&int_stats);
    out.push(vq[0]);
    out.push(vq[5]);
    out.push(vq[11]);
    out.push(segments.len() as f64 / duration);
    out.push(mean_segment);
    out.push(pause_frames as f64 / db.len().max(1) as f64);
    Ok(out)
}

impl VoiceQualitySpec {
    /// Reads parselmouth/Praat keyword names from `p`: the pitch settings of
    /// [`PraatPitchSpec::from_params`] (`pitch_floor`/`fmin`, `pitch_ceiling`/`fmax`, ...),
    /// `period_floor`, `period_ceiling`, `max_period_factor`, `max_amplitude_factor`, and
    /// for the HNR `hnr_time_step`, `hnr_minimum_pitch`, `hnr_silence_threshold`,
    /// `hnr_periods_per_window`.
    pub fn from_params(p: &Params) -> Result<Self> {
        let d = PeriodRules::default();
        let h = HarmonicitySpec::default();
        let s = VoiceQualitySpec {
            pitch: PraatPitchSpec::from_params(p)?,
            rules: PeriodRules {
                period_floor: p.f64(&["period_floor"], d.period_floor)?,
                period_ceiling: p.f64(&["period_ceiling"], d.period_ceiling)?,
                max_period_factor: p.f64(&["max_period_factor"], d.max_period_factor)?,
                max_amplitude_factor: p.f64(&["max_amplitude_factor"], d.max_amplitude_factor)?,
            },
            harmonicity: HarmonicitySpec {
                time_step: p.f64(&["hnr_time_step"], h.time_step)?,
                minimum_pitch: p.f64(&["hnr_minimum_pitch"], h.minimum_pitch)?,
                silence_threshold: p.f64(&["hnr_silence_threshold"], h.silence_threshold)?,
                periods_per_window: p.f64(&["hnr_periods_per_window"], h.periods_per_window)?,
                method: HarmonicityMethod::Cc,
            },
        };
        s.check()?;
        Ok(s)
    }
}

impl ProsodySpec {
    /// [`VoiceQualitySpec::from_params`] plus `intensity_minimum_pitch` (100),
    /// `silence_threshold_db` (-25) and `min_pause` (0.1 s).
    pub fn from_params(p: &Params) -> Result<Self> {
        let d = ProsodySpec::default();
        Ok(ProsodySpec {
            voice: VoiceQualitySpec::from_params(p)?,
            intensity: IntensitySpec {
                minimum_pitch: p.f64(&["intensity_minimum_pitch"], d.intensity.minimum_pitch)?,
                ..d.intensity
            },
            silence_threshold_db: p.f64(&["silence_threshold_db"], d.silence_threshold_db)?,
            min_pause: p.f64(&["min_pause"], d.min_pause)?,
        })
    }
}

impl Default for VoiceQualitySpec {
    fn default() -> Self {
        VoiceQualitySpec {
            pitch: PraatPitchSpec::from_params(&Params::new()).expect("Praat's defaults are valid"),
            rules: PeriodRules::default(),
            harmonicity: HarmonicitySpec::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pulse train with periods `periods` (s) and amplitudes `amps`, each pulse a
    /// decaying 800 Hz resonance (a crude glottal source through one formant).
    fn train(periods: &[f64], amps: &[f64], sr: f64) -> Vec<f64> {
        let total: f64 = periods.iter().sum::<f64>() + 0.05;
        let n = (total * sr) as usize;
        let mut y = vec![0.0; n];
        let mut t = 0.02;
        for (p, a) in periods.iter().zip(amps) {
            let k0 = (t * sr).round() as usize;
            for k in 0..(0.02 * sr) as usize {
                if k0 + k < n {
                    let tt = k as f64 / sr;
                    y[k0 + k] +=
                        a * (-tt * 400.0).exp() * (2.0 * std::f64::consts::PI * 800.0 * tt).sin();
                }
            }
            t += p;
        }
        y
    }

    #[test]
    fn pulses_and_perturbation_of_a_synthetic_train() {
        let sr = 16000.0;
        let n = 150;
        let spec = VoiceQualitySpec::default();
        // Jitter alone: alternating periods of 8.0 and 8.4 ms.
        let periods: Vec<f64> = (0..n)
            .map(|i| if i % 2 == 0 { 0.0080 } else { 0.0084 })
            .collect();
        let v = voice_quality(&train(&periods, &vec![0.5; n], sr), sr, &spec).unwrap();
        let set_jitter = 0.0004 / 0.0082;
        assert!(
            (v[0] / set_jitter - 1.0).abs() < 0.1,
            "jitter {} vs {set_jitter}",
            v[0]
        );
        assert!(v[5] < 0.02, "shimmer {} with constant amplitude", v[5]);
        assert!(v[13] > 100.0);
        // Shimmer alone: alternating amplitudes 0.5 and 0.45 at a constant 8 ms period.
        let amps: Vec<f64> = (0..n)
            .map(|i| if i % 2 == 0 { 0.5 } else { 0.45 })
            .collect();
        let v = voice_quality(&train(&vec![0.008; n], &amps, sr), sr, &spec).unwrap();
        let set_shimmer = 0.05 / 0.475;
        assert!(
            (v[5] / set_shimmer - 1.0).abs() < 0.1,
            "shimmer {} vs {set_shimmer}",
            v[5]
        );
        assert!(v[0] < 0.002, "jitter {} with constant period", v[0]);
        // Without noise or jitter the periodicity is near perfect.
        assert!(v[11] > 20.0, "hnr {}", v[11]);
    }

    #[test]
    fn prosody_of_a_train_with_a_pause() {
        let sr = 16000.0;
        let mut y = train(&vec![0.008; 60], &vec![0.5; 60], sr);
        y.extend(vec![0.0; 8000]);
        y.extend(train(&vec![0.008; 60], &vec![0.5; 60], sr));
        let v = prosody(&y, sr, &ProsodySpec::default()).unwrap();
        assert_eq!(v.len(), PROSODY_NAMES.len());
        // (F0 accuracy is tested against Praat on vowels in tests/test_voice.py.)
        assert!(v[0] > 100.0 && v[0] < 260.0, "f0 {}", v[0]);
        // at least the two voiced stretches (this crude train breaks voicing more
        // often; the Python tests count segments on vowels), 0.5 s of the clip silent
        assert!(v[10] * y.len() as f64 / sr >= 1.99, "{}", v[10]);
        assert!((v[12] - 0.5 / 1.53).abs() < 0.08, "pause ratio {}", v[12]);
    }

    #[test]
    fn silence_gives_nan_and_short_clips_error() {
        let spec = VoiceQualitySpec::default();
        let v = voice_quality(&vec![0.0f64; 8000], 16000.0, &spec).unwrap();
        assert!(v[..12].iter().all(|x| x.is_nan()));
        assert!(voice_quality(&vec![0.0f64; 100], 16000.0, &spec).is_err());
    }
}
