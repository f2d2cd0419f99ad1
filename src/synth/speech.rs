//! Source-filter speech: Rosenberg glottal pulses with jitter and shimmer, spectral tilt
//! and aspiration noise, through a cascade of formant resonators (Klatt 1980), shaped
//! into syllables.
//!
//! The emotion moves the parameters in the directions of Juslin and Laukka (2003,
//! Psychological Bulletin 129(5), 770-814, Table 7): anger, happiness and fear raise the
//! F0 level; anger and happiness widen the F0 range; sadness lowers F0 level, range,
//! tempo, intensity and high-frequency energy; anger raises intensity and high-frequency
//! energy; fear is fast with more jitter. The magnitudes are round illustrative values,
//! not estimates from that review.

use std::f64::consts::PI;

use super::rng::Rng;
use super::Emotion;

/// One speaker's habitual voice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Speaker {
    pub female: bool,
    /// Habitual F0 (Hz).
    pub f0_hz: f64,
    /// Formant scale: shorter vocal tracts have higher formants (about 1.15 for women).
    pub tract_scale: f64,
    /// Habitual syllable rate (syllables per second).
    pub tempo: f64,
    /// Habitual level (dB relative to the corpus reference).
    pub level_db: f64,
}

impl Speaker {
    /// A speaker drawn around the adult male or female averages.
    pub fn draw(female: bool, rng: &mut Rng) -> Self {
        let (f0, tract) = if female { (205.0, 1.16) } else { (115.0, 1.0) };
        Speaker {
            female,
            f0_hz: rng.gauss(f0, 0.08 * f0).clamp(0.7 * f0, 1.3 * f0),
            tract_scale: rng.gauss(tract, 0.035),
            tempo: rng.gauss(4.5, 0.35).clamp(3.5, 5.5),
            level_db: rng.gauss(0.0, 1.5),
        }
    }
}

/// How an emotion shifts the voice (Juslin and Laukka 2003, Table 7 directions).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prosody {
    /// F0 level, a ratio of the speaker's habitual F0.
    pub f0_ratio: f64,
    /// Height of the pitch accents (semitones): the F0 range.
    pub accent_st: f64,
    /// Tempo, a ratio of the speaker's habitual rate.
    pub rate: f64,
    /// Level change (dB) on top of what the tilt and closure already change: a pressed,
    /// flat-tilted source is itself louder, so these are small.
    pub level_db: f64,
    /// Pole of the one-pole low-pass on the source: larger = steeper spectral tilt.
    pub tilt: f64,
    /// Closing phase of the Rosenberg pulse, a fraction of the period: shorter = abrupter
    /// closure = more high-frequency energy (pressed voice).
    pub closing: f64,
    /// Per-cycle period perturbation (relative standard deviation).
    pub jitter: f64,
    /// Per-cycle amplitude perturbation (relative standard deviation).
    pub shimmer: f64,
    /// Aspiration noise relative to the pulse amplitude.
    pub breath: f64,
}

impl Prosody {
    pub fn of(e: Emotion) -> Self {
        let p =
            |f0_ratio, accent_st, rate, level_db, tilt, closing, jitter, shimmer, breath| Prosody {
                f0_ratio,
                accent_st,
                rate,
                level_db,
                tilt,
                closing,
                jitter,
                shimmer,
                breath,
            };
        match e {
            Emotion::Neutral => p(1.00, 2.0, 1.00, 0.0, 0.70, 0.16, 0.005, 0.030, 0.02),
            Emotion::Happy => p(1.18, 4.5, 1.08, 0.0, 0.62, 0.14, 0.005, 0.030, 0.02),
            Emotion::Sad => p(0.88, 0.8, 0.75, -1.0, 0.85, 0.22, 0.008, 0.050, 0.06),
            Emotion::Angry => p(1.25, 5.0, 1.12, 2.0, 0.40, 0.09, 0.007, 0.035, 0.02),
            Emotion::Fearful => p(1.30, 3.0, 1.28, -2.0, 0.66, 0.15, 0.020, 0.060, 0.05),
            Emotion::Disgust => p(0.94, 2.0, 0.85, -1.0, 0.65, 0.15, 0.008, 0.040, 0.03),
            Emotion::Surprised => p(1.28, 6.0, 1.00, 0.0, 0.60, 0.14, 0.006, 0.030, 0.03),
        }
    }
}

/// Formant targets F1-F4 (Hz) of /a e i o u/ for an adult male tract (Peterson and
/// Barney 1952, rounded); scaled by [`Speaker::tract_scale`].
const VOWELS: [[f64; 4]; 5] = [
    [730.0, 1090.0, 2440.0, 3400.0],
    [530.0, 1840.0, 2480.0, 3500.0],
    [270.0, 2290.0, 3010.0, 3600.0],
    [570.0, 840.0, 2410.0, 3300.0],
    [300.0, 870.0, 2240.0, 3300.0],
];
const BANDWIDTHS: [f64; 4] = [80.0, 100.0, 140.0, 200.0];
/// Output scale: a neutral utterance peaks near 0.2 full scale, an angry one near 0.8.
const REFERENCE_GAIN: f64 = 0.042;
/// Silence before and after the utterance (s), so trackers see its edges.
const EDGE_S: f64 = 0.08;

/// A synthesised utterance and its amplitude envelope (0..1), one value per sample.
pub struct Utterance {
    pub samples: Vec<f32>,
    pub envelope: Vec<f32>,
}

struct Syllable {
    start: f64,
    end: f64,
    vowel: usize,
    accent: f64,
}

fn syllables(dur: f64, rate: f64, accent_st: f64, rng: &mut Rng) -> Vec<Syllable> {
    let mut out = Vec::new();
    let mut t = EDGE_S;
    let stop = dur - EDGE_S;
    while t < stop {
        let len = (rng.range(0.75, 1.25) / rate).min(stop - t);
        if len < 0.06 {
            break;
        }
        // about every third syllable carries a pitch accent
        let accent = if rng.chance(0.35) {
            accent_st * rng.range(0.6, 1.0)
        } else {
            0.0
        };
        out.push(Syllable {
            start: t,
            end: t + len,
            vowel: rng.below(VOWELS.len()),
            accent,
        });
        t += len;
        // an occasional short pause between phrases
        if rng.chance(0.12) {
            t += rng.range(0.08, 0.2);
        }
    }
    out
}

/// Rosenberg (1971) glottal-flow derivative at phase `u` (seconds into a cycle of opening
/// time `tp` and closing time `tn`), scaled so that its peak does not depend on F0.
fn rosenberg_derivative(u: f64, tp: f64, tn: f64) -> f64 {
    if u < tp {
        0.5 * PI * (PI * u / tp).sin()
    } else if u < tp + tn {
        -0.5 * PI * (tp / tn) * (0.5 * PI * (u - tp) / tn).sin()
    } else {
        0.0
    }
}

/// Two-pole resonator of Klatt (1980), unity gain at 0 Hz.
#[derive(Default, Clone, Copy)]
struct Resonator {
    a: f64,
    b: f64,
    c: f64,
    y1: f64,
    y2: f64,
}

impl Resonator {
    fn tune(&mut self, f: f64, bw: f64, sr: f64) {
        let r = (-PI * bw / sr).exp();
        self.b = 2.0 * r * (2.0 * PI * f / sr).cos();
        self.c = -r * r;
        self.a = 1.0 - self.b - self.c;
    }
    fn step(&mut self, x: f64) -> f64 {
        let y = self.a * x + self.b * self.y1 + self.c * self.y2;
        self.y2 = self.y1;
        self.y1 = y;
        y
    }
}

/// Synthesises `dur` seconds of one speaker portraying `emotion` at `sr` Hz.
///
/// ```
/// use _core::synth::{rng::{Domain, Rng}, speech::{synthesize, Speaker}, Emotion};
/// let mut r = Rng::stream(0, Domain::Voice, 0);
/// let spk = Speaker::draw(false, &mut r);
/// let u = synthesize(&spk, Emotion::Angry, 1.0, 16000.0, &mut r);
/// assert_eq!(u.samples.len(), 16000);
/// ```
pub fn synthesize(spk: &Speaker, emotion: Emotion, dur: f64, sr: f64, rng: &mut Rng) -> Utterance {
    synthesize_modulated(spk, emotion, dur, sr, rng, None)
}

/// [`synthesize`] with the level (dB) and F0 (semitones) moved over time by `modulation`
/// (seconds -> (dB, semitones)); None is [`synthesize`], sample for sample.
pub fn synthesize_modulated(
    spk: &Speaker,
    emotion: Emotion,
    dur: f64,
    sr: f64,
    rng: &mut Rng,
    modulation: Option<&dyn Fn(f64) -> (f64, f64)>,
) -> Utterance {
    let pr = Prosody::of(emotion);
    let n = (dur * sr).round() as usize;
    let syl = syllables(dur, spk.tempo * pr.rate, pr.accent_st, rng);
    let f0_base = spk.f0_hz * pr.f0_ratio * rng.gauss(1.0, 0.03);
    let nyquist_guard = 0.45 * sr;

    // Per-sample syllable envelope, F0 (semitone offsets) and formant targets.
    let mut env = vec![0.0f64; n];
    let mut semis = vec![0.0f64; n];
    let mut formant = vec![VOWELS[0]; n];
    let accent_width = 0.09;
    for (k, s) in syl.iter().enumerate() {
        let i0 = (s.start * sr) as usize;
        let i1 = ((s.end * sr) as usize).min(n);
        let len = (i1 - i0).max(1) as f64;
        let prev = if k > 0 { syl[k - 1].vowel } else { s.vowel };
        for i in i0..i1 {
            let x = (i - i0) as f64 / len;
            // voiced nucleus over the first 80 %, a consonant-like gap after it
            env[i] = if x < 0.8 {
                (PI * x / 0.8).sin().powf(0.7)
            } else {
                0.0
            };
            // move from the previous vowel to this one over the first 30 %
            let w = (x / 0.3).min(1.0);
            for j in 0..4 {
                formant[i][j] = (1.0 - w) * VOWELS[prev][j] + w * VOWELS[s.vowel][j];
            }
        }
        if s.accent > 0.0 {
            let centre = 0.5 * (s.start + s.end);
            let lo = ((centre - 3.0 * accent_width) * sr).max(0.0) as usize;
            let hi = (((centre + 3.0 * accent_width) * sr) as usize).min(n);
            for (i, st) in semis.iter_mut().enumerate().take(hi).skip(lo) {
                let z = (i as f64 / sr - centre) / accent_width;
                *st += s.accent * (-0.5 * z * z).exp();
            }
        }
    }

    let mut out = vec![0.0f64; n];
    let mut tilt_state = 0.0;
    let mut res = [Resonator::default(); 4];
    // Glottal cycles: each has its own period (jitter) and amplitude (shimmer).
    let mut t_cycle = 0.0;
    let mut period = 1.0 / f0_base;
    let mut amp = 1.0;
    let mut prev_src = 0.0;
    let decl_st = -2.0; // declination over the utterance (semitones)
    let level = REFERENCE_GAIN * 10f64.powf((spk.level_db + pr.level_db) / 20.0);
    for i in 0..n {
        let t = i as f64 / sr;
        if t >= t_cycle + period {
            t_cycle += period;
            let mut st = semis[i] + decl_st * t / dur;
            if let Some(m) = modulation {
                st += m(t).1;
            }
            let f0 = f0_base * 2f64.powf(st / 12.0);
            period = (1.0 + pr.jitter * rng.normal()).max(0.5) / f0;
            amp = (1.0 + pr.shimmer * rng.normal()).max(0.1);
        }
        let u = t - t_cycle;
        let flow_d = amp * rosenberg_derivative(u, 0.4 * period, pr.closing * period);
        // aspiration: turbulence, stronger while the glottis is open
        let open = u < (0.4 + pr.closing) * period;
        let noise = pr.breath * rng.normal() * if open { 1.0 } else { 0.4 };
        let src = flow_d + noise;
        // one-pole tilt, with the first difference as the lip radiation
        tilt_state = (1.0 - pr.tilt) * src + pr.tilt * tilt_state;
        let radiated = tilt_state - prev_src;
        prev_src = tilt_state;
        if i % 32 == 0 {
            for (j, r) in res.iter_mut().enumerate() {
                let f = (formant[i][j] * spk.tract_scale).min(nyquist_guard);
                r.tune(f, BANDWIDTHS[j], sr);
            }
        }
        let mut y = radiated * env[i];
        for r in res.iter_mut() {
            y = r.step(y);
        }
        // a little frication in the gaps between nuclei
        let gap = if env[i] == 0.0 && t > EDGE_S && t < dur - EDGE_S {
            0.02 * rng.normal()
        } else {
            0.0
        };
        out[i] = match modulation {
            Some(m) => level * 10f64.powf(m(t).0 / 20.0) * (y + gap),
            None => level * (y + gap),
        };
    }
    Utterance {
        samples: out.iter().map(|&v| v.clamp(-1.0, 1.0) as f32).collect(),
        envelope: env.iter().map(|&v| v as f32).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::rng::Domain;
    use super::*;

    fn rms(x: &[f32]) -> f64 {
        (x.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
    }

    fn utter(e: Emotion, seed: u64) -> Utterance {
        let mut r = Rng::stream(seed, Domain::Voice, 0);
        let spk = Speaker {
            female: false,
            f0_hz: 120.0,
            tract_scale: 1.0,
            tempo: 4.5,
            level_db: 0.0,
        };
        synthesize(&spk, e, 2.0, 16000.0, &mut r)
    }

    #[test]
    fn finite_bounded_and_reproducible() {
        for e in Emotion::ALL {
            let u = utter(e, 3);
            assert_eq!(u.samples.len(), 32000);
            assert!(
                u.samples.iter().all(|v| v.is_finite() && v.abs() < 1.0),
                "{e:?}"
            );
            assert!(rms(&u.samples) > 1e-3, "{e:?}");
            assert_eq!(u.samples, utter(e, 3).samples);
        }
    }

    #[test]
    fn anger_louder_than_sadness() {
        let (a, s) = (
            rms(&utter(Emotion::Angry, 1).samples),
            rms(&utter(Emotion::Sad, 1).samples),
        );
        assert!(20.0 * (a / s).log10() > 8.0, "{a} {s}");
    }

    #[test]
    fn resonator_has_unity_dc_gain() {
        let mut r = Resonator::default();
        r.tune(500.0, 80.0, 16000.0);
        let mut y = 0.0;
        for _ in 0..20000 {
            y = r.step(1.0);
        }
        assert!((y - 1.0).abs() < 1e-9);
    }
}
