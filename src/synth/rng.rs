//! Seeded random streams for the synthetic corpus.
//!
//! Every item draws from its own stream, derived from `(seed, domain, index)`, so an
//! item's content does not depend on which thread made it or in what order: the corpus
//! is identical for any `n_jobs`.

use crate::labels::vote::SplitMix64;

/// Stream domains: the same index in different domains gives unrelated streams.
#[derive(Debug, Clone, Copy)]
pub enum Domain {
    Speaker = 1,
    Annotator = 2,
    Voice = 3,
    Face = 4,
    Answers = 5,
    /// The latent valence/arousal state of an item and its ratings.
    Trace = 6,
    /// The trace annotators.
    Rater = 7,
    /// The turns of synthetic dialogues (far from the others' numbers, which grow).
    Dialogue = 16,
}

/// A SplitMix64 stream (Steele, Lea and Flood 2014) with the draws the corpus needs.
#[derive(Debug, Clone)]
pub struct Rng {
    bits: SplitMix64,
    /// Box-Muller makes normals in pairs; the second waits here.
    spare: Option<f64>,
}

impl Rng {
    /// The stream for `index` in `domain` under `seed`. The three values are mixed through
    /// SplitMix64's finaliser so that neighbouring seeds and indices give unrelated streams.
    pub fn stream(seed: u64, domain: Domain, index: u64) -> Self {
        let mut mix = SplitMix64::new(seed);
        let a = mix.next_u64();
        let mut mix = SplitMix64::new(a ^ (domain as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93));
        let b = mix.next_u64();
        let mut mix = SplitMix64::new(b ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        Rng {
            bits: SplitMix64::new(mix.next_u64()),
            spare: None,
        }
    }

    /// Uniform on (0, 1), never exactly 0 or 1.
    pub fn uniform(&mut self) -> f64 {
        ((self.bits.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Uniform on (lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let (u1, u2) = (self.uniform(), self.uniform());
        let r = (-2.0 * u1.ln()).sqrt();
        let (s, c) = (std::f64::consts::TAU * u2).sin_cos();
        self.spare = Some(r * s);
        r * c
    }

    /// Normal with mean `mu` and standard deviation `sd`.
    pub fn gauss(&mut self, mu: f64, sd: f64) -> f64 {
        mu + sd * self.normal()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Uniform integer in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        self.bits.below(n as u64) as usize
    }

    /// Index drawn from the (unnormalised, non-negative) weights `w`.
    pub fn categorical(&mut self, w: &[f64]) -> usize {
        let total: f64 = w.iter().sum();
        let mut u = self.uniform() * total;
        for (i, &p) in w.iter().enumerate() {
            if u < p {
                return i;
            }
            u -= p;
        }
        w.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws(seed: u64, domain: Domain, index: u64) -> Vec<f64> {
        let mut r = Rng::stream(seed, domain, index);
        (0..5).map(|_| r.uniform()).collect()
    }

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a = draws(7, Domain::Voice, 3);
        assert_eq!(a, draws(7, Domain::Voice, 3));
        assert_ne!(a, draws(7, Domain::Voice, 4));
        assert_ne!(a, draws(7, Domain::Face, 3));
        assert_ne!(a, draws(8, Domain::Voice, 3));
    }

    #[test]
    fn draws_have_the_right_moments() {
        let mut r = Rng::stream(1, Domain::Speaker, 0);
        let n = 20000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(
            mean.abs() < 0.03 && (var - 1.0).abs() < 0.05,
            "{mean} {var}"
        );
        let mut counts = [0usize; 3];
        for _ in 0..n {
            counts[r.categorical(&[1.0, 2.0, 1.0])] += 1;
        }
        let f = counts[1] as f64 / n as f64;
        assert!((f - 0.5).abs() < 0.02, "{counts:?}");
    }
}
