//! Time-continuous valence and arousal: a latent emotional state per item that moves within
//! the item, drives the voice and the face, and is rated by annotators who react late.
//!
//! The state sits around the portrayed emotion's place on the valence-arousal plane
//! (Russell 1980's circumplex; the coordinates are round illustrative values): an
//! intensity `k(t)` in [0.2, 1] scales that place, and a slow drift of its own moves each
//! dimension by up to 0.25. All three are sums of three sinusoids with periods of 2-8 s
//! and random phases, so a trace varies within an item of a few seconds or more.
//! The voice follows arousal (level +8 dB and F0 +3 semitones per unit above the item's
//! mean arousal, the directions of Juslin and Laukka 2003); the face shows its prototype
//! expression at `k(t)` times its apex.
//!
//! Annotators rate both dimensions as with a joystick (RECOLA, Ringeval et al. 2013):
//! annotator `j` has a reaction lag of 1-3 s (Mariooryad and Busso 2015 measured lags of
//! this size), a gain of 0.7-1.2, an offset N(0, 0.1) and smooth noise (AR(1) with
//! coefficient 0.9 per frame, standard deviation 0.03-0.10).

use std::f64::consts::TAU;

use super::rng::{Domain, Rng};
use super::Emotion;

/// `(valence, arousal)` of an emotion on Russell's circumplex (illustrative values).
pub fn circumplex(e: Emotion) -> (f64, f64) {
    match e {
        Emotion::Neutral => (0.0, 0.0),
        Emotion::Happy => (0.8, 0.5),
        Emotion::Sad => (-0.7, -0.5),
        Emotion::Angry => (-0.6, 0.8),
        Emotion::Fearful => (-0.7, 0.6),
        Emotion::Disgust => (-0.6, 0.3),
        Emotion::Surprised => (0.3, 0.8),
    }
}

/// A slow signal in [-1, 1]: three sinusoids of periods 2-8 s, random phases and weights.
struct Slow([(f64, f64, f64); 3]);

impl Slow {
    fn draw(rng: &mut Rng) -> Self {
        let mut parts = [(0.0, 0.0, 0.0); 3];
        for p in parts.iter_mut() {
            *p = (
                rng.range(0.5, 1.0),
                1.0 / rng.range(2.0, 8.0),
                rng.range(0.0, TAU),
            );
        }
        let total: f64 = parts.iter().map(|p| p.0).sum();
        for p in parts.iter_mut() {
            p.0 /= total;
        }
        Slow(parts)
    }

    fn at(&self, t: f64) -> f64 {
        self.0
            .iter()
            .map(|&(a, f, ph)| a * (TAU * f * t + ph).sin())
            .sum()
    }
}

/// The latent state of one item.
pub struct Latent {
    /// `(valence, arousal)` of the portrayed emotion.
    centre: (f64, f64),
    intensity: Slow,
    drift: (Slow, Slow),
    /// Mean arousal over the item (the voice moves around it).
    mean_arousal: f64,
}

impl Latent {
    /// The state of an item of `dur` seconds portraying `emotion`, from `rng`.
    pub fn draw(emotion: Emotion, dur: f64, rng: &mut Rng) -> Self {
        let intensity = Slow::draw(rng);
        let drift = (Slow::draw(rng), Slow::draw(rng));
        let mut latent = Latent {
            centre: circumplex(emotion),
            intensity,
            drift,
            mean_arousal: 0.0,
        };
        let n = ((dur * 100.0) as usize).max(1);
        latent.mean_arousal = (0..n).map(|i| latent.at(i as f64 / 100.0).1).sum::<f64>() / n as f64;
        latent
    }

    /// Expression intensity in [0.2, 1] at `t` seconds.
    pub fn intensity(&self, t: f64) -> f64 {
        0.6 + 0.4 * self.intensity.at(t)
    }

    /// `(valence, arousal)` at `t` seconds.
    pub fn at(&self, t: f64) -> (f64, f64) {
        let k = self.intensity(t);
        (
            self.centre.0 * k + 0.25 * self.drift.0.at(t),
            self.centre.1 * k + 0.25 * self.drift.1.at(t),
        )
    }

    /// Level change (dB) and F0 change (semitones) of the voice at `t` seconds.
    pub fn voice(&self, t: f64) -> (f64, f64) {
        let d = self.at(t).1 - self.mean_arousal;
        (8.0 * d, 3.0 * d)
    }
}

/// One annotator of the traces.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rater {
    pub lag_s: f64,
    pub gain: f64,
    pub offset: f64,
    pub noise: f64,
}

impl Rater {
    pub fn draw(rng: &mut Rng) -> Self {
        Rater {
            lag_s: rng.range(1.0, 3.0),
            gain: rng.range(0.7, 1.2),
            offset: rng.gauss(0.0, 0.1),
            noise: rng.range(0.03, 0.10),
        }
    }
}

/// The panel of `n` trace annotators of a corpus seeded `seed`.
pub fn panel(seed: u64, n: usize) -> Vec<Rater> {
    (0..n)
        .map(|j| Rater::draw(&mut Rng::stream(seed, Domain::Rater, j as u64)))
        .collect()
}

/// The traces of one item at `fps`.
#[derive(Debug, Clone, PartialEq)]
pub struct Traces {
    /// True valence and arousal per frame, `(n_frames,)` each.
    pub valence: Vec<f64>,
    pub arousal: Vec<f64>,
    /// Ratings `(n_frames, n_raters)` row-major per dimension.
    pub valence_ratings: Vec<f64>,
    pub arousal_ratings: Vec<f64>,
}

/// Samples `latent` at `fps` over `dur` seconds (`floor(dur * fps)` frames, frame `f` at
/// `f / fps`) and the ratings of `raters`: rater `j` at time t reports the state at
/// `max(t - lag_j, 0)`.
pub fn rate(latent: &Latent, dur: f64, fps: f64, raters: &[Rater], rng: &mut Rng) -> Traces {
    let n = ((dur * fps).floor() as usize).max(1);
    let m = raters.len();
    let (mut valence, mut arousal) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for f in 0..n {
        let (v, a) = latent.at(f as f64 / fps);
        valence.push(v);
        arousal.push(a);
    }
    let mut ratings = [vec![0.0; n * m], vec![0.0; n * m]];
    for (j, r) in raters.iter().enumerate() {
        for (d, out) in ratings.iter_mut().enumerate() {
            let mut noise = rng.gauss(0.0, r.noise);
            let innovation = r.noise * (1.0f64 - 0.81).sqrt();
            for f in 0..n {
                let t = (f as f64 / fps - r.lag_s).max(0.0);
                let state = latent.at(t);
                let value = if d == 0 { state.0 } else { state.1 };
                out[f * m + j] = r.gain * value + r.offset + noise;
                noise = 0.9 * noise + rng.gauss(0.0, innovation);
            }
        }
    }
    let [valence_ratings, arousal_ratings] = ratings;
    Traces {
        valence,
        arousal,
        valence_ratings,
        arousal_ratings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traces_vary_within_an_item_and_raters_lag() {
        let mut rng = Rng::stream(1, Domain::Trace, 0);
        let latent = Latent::draw(Emotion::Happy, 20.0, &mut rng);
        let raters = vec![Rater {
            lag_s: 2.0,
            gain: 1.0,
            offset: 0.0,
            noise: 0.0,
        }];
        let tr = rate(&latent, 20.0, 25.0, &raters, &mut rng);
        assert_eq!(tr.valence.len(), 500);
        let (lo, hi) = tr
            .valence
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
        assert!(hi - lo > 0.3, "{lo} {hi}");
        // the noiseless rater reports the state of 50 frames (2 s) earlier
        for f in 50..500 {
            assert!((tr.valence_ratings[f] - tr.valence[f - 50]).abs() < 1e-9);
        }
        assert!(panel(3, 4).iter().all(|r| (1.0..=3.0).contains(&r.lag_s)));
    }
}
