//! Crowd annotators as confusion matrices (the generative model of Dawid and Skene 1979):
//! annotator `j` answers class `l` for an item of true class `k` with probability
//! `confusion[j][k][l]`.

use super::rng::Rng;

/// How reliable an annotator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skill {
    Good,
    Average,
    NearRandom,
}

impl Skill {
    /// The skills of `n` annotators: good, average, near-random, good, average, ... so a
    /// panel of five has two good, two average and one near-random annotator.
    pub fn panel(n: usize) -> Vec<Skill> {
        const ORDER: [Skill; 5] = [
            Skill::Good,
            Skill::Average,
            Skill::NearRandom,
            Skill::Good,
            Skill::Average,
        ];
        (0..n).map(|j| ORDER[j % ORDER.len()]).collect()
    }

    /// Probability of a correct answer, drawn around the skill's level; near-random
    /// annotators are only a little better than chance `1/k`.
    fn accuracy(self, k: usize, rng: &mut Rng) -> f64 {
        let chance = 1.0 / k as f64;
        match self {
            Skill::Good => rng.range(0.82, 0.92),
            Skill::Average => rng.range(0.55, 0.70),
            Skill::NearRandom => chance + rng.range(0.03, 0.10),
        }
    }
}

/// A `k x k` row-stochastic confusion matrix (row = true class, column = answer), row-major:
/// the diagonal is the annotator's accuracy and the errors are spread unevenly over the
/// other classes, as people confuse some emotions more than others.
pub fn confusion(skill: Skill, k: usize, rng: &mut Rng) -> Vec<f64> {
    let mut m = vec![0.0; k * k];
    if k == 1 {
        m[0] = 1.0;
        return m;
    }
    for t in 0..k {
        let acc = skill.accuracy(k, rng);
        let w: Vec<f64> = (0..k)
            .map(|l| if l == t { 0.0 } else { rng.range(0.3, 1.7) })
            .collect();
        let total: f64 = w.iter().sum();
        for l in 0..k {
            m[t * k + l] = if l == t {
                acc
            } else {
                (1.0 - acc) * w[l] / total
            };
        }
    }
    m
}

/// One answer to an item of class `truth`, or `None` (skipped) with probability `missing`.
pub fn answer(
    confusion: &[f64],
    k: usize,
    truth: usize,
    missing: f64,
    rng: &mut Rng,
) -> Option<usize> {
    if missing > 0.0 && rng.chance(missing) {
        return None;
    }
    Some(rng.categorical(&confusion[truth * k..(truth + 1) * k]))
}

#[cfg(test)]
mod tests {
    use super::super::rng::Domain;
    use super::*;

    #[test]
    fn rows_are_distributions_and_skills_are_ordered() {
        let mut r = Rng::stream(0, Domain::Annotator, 0);
        let k = 5;
        let diag = |m: &[f64]| (0..k).map(|t| m[t * k + t]).sum::<f64>() / k as f64;
        let good = confusion(Skill::Good, k, &mut r);
        let avg = confusion(Skill::Average, k, &mut r);
        let poor = confusion(Skill::NearRandom, k, &mut r);
        for m in [&good, &avg, &poor] {
            for t in 0..k {
                let s: f64 = m[t * k..(t + 1) * k].iter().sum();
                assert!((s - 1.0).abs() < 1e-12);
            }
        }
        assert!(diag(&good) > diag(&avg) && diag(&avg) > diag(&poor) && diag(&poor) > 0.2);
        assert_eq!(
            Skill::panel(5)
                .iter()
                .filter(|s| **s == Skill::NearRandom)
                .count(),
            1
        );
    }

    #[test]
    fn answers_follow_the_matrix() {
        let mut r = Rng::stream(1, Domain::Answers, 0);
        let m = vec![0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4];
        let n = 30000;
        let mut counts = [0usize; 3];
        let mut skipped = 0;
        for _ in 0..n {
            match answer(&m, 3, 0, 0.1, &mut r) {
                Some(l) => counts[l] += 1,
                None => skipped += 1,
            }
        }
        let given = (n - skipped) as f64;
        assert!((skipped as f64 / n as f64 - 0.1).abs() < 0.01);
        for l in 0..3 {
            assert!(
                (counts[l] as f64 / given - m[l]).abs() < 0.015,
                "{counts:?}"
            );
        }
    }
}
