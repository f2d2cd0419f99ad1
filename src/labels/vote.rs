//! Counting rules: majority (plurality) vote with an explicit tie policy, soft label
//! distributions, all-inclusive (union) and unanimous (intersection) rules.
//!
//! Items nobody annotated get label code `-1` and a NaN posterior row.

use crate::error::{Error, Result};
use crate::labels::annotations::{pin_gold, Annotations};

/// What majority vote does when several classes share the top count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ties {
    /// One of the tied classes uniformly at random (seeded, reproducible).
    Random,
    /// The tied class with the smallest code (crowd-kit's `MajorityVote`, `idxmax`).
    First,
    /// No label (`-1`, NaN in Python).
    Nan,
}

impl std::str::FromStr for Ties {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "random" => Ok(Ties::Random),
            "first" => Ok(Ties::First),
            "nan" => Ok(Ties::Nan),
            _ => Err(Error::param(
                "ties",
                format!("expected \"random\", \"first\" or \"nan\", got {name:?}"),
            )),
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded generator for tie-breaking.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform integer in `0..n` (`n > 0`), by rejection so that it is unbiased.
    pub fn below(&mut self, n: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// Hard labels and the distributions they came from.
#[derive(Debug, Clone)]
pub struct VoteResult {
    /// Class code per item, `-1` where there is no label.
    pub labels: Vec<i64>,
    /// Row-major `(n_items, n_classes)`; NaN rows for items without answers.
    pub posterior: Vec<f64>,
}

fn normalise_rows(counts: &mut [f64], k: usize) {
    for row in counts.chunks_mut(k.max(1)) {
        let s: f64 = row.iter().sum();
        if s > 0.0 {
            row.iter_mut().for_each(|x| *x /= s);
        } else {
            row.iter_mut().for_each(|x| *x = f64::NAN);
        }
    }
}

/// Index of the largest value of `row` under `ties` (`-1`: none). NaN rows give `-1`.
pub fn argmax_with_ties(row: &[f64], ties: Ties, rng: &mut SplitMix64) -> i64 {
    let mut best = f64::NEG_INFINITY;
    let mut first = -1i64;
    let mut n_best = 0u64;
    for (c, &x) in row.iter().enumerate() {
        if x > best {
            best = x;
            first = c as i64;
            n_best = 1;
        } else if x == best {
            n_best += 1;
        }
    }
    if first < 0 || n_best <= 1 {
        return first;
    }
    match ties {
        Ties::First => first,
        Ties::Nan => -1,
        Ties::Random => {
            let pick = rng.below(n_best);
            row.iter()
                .enumerate()
                .filter(|(_, &x)| x == best)
                .nth(pick as usize)
                .map_or(first, |(c, _)| c as i64)
        }
    }
}

/// Gold labels (class code per item, `-1` unknown) override the vote of the annotated
/// items they cover: one-hot posterior, label the gold class.
fn apply_gold(ann: &Annotations, r: &mut VoteResult, gold: Option<&[i64]>) -> Result<()> {
    let Some(gold) = gold else { return Ok(()) };
    ann.check_gold(gold)?;
    let k = ann.n_classes();
    for (i, &g) in gold.iter().enumerate() {
        if g >= 0 && ann.count_of(i) > 0 {
            pin_gold(&mut r.posterior[i * k..(i + 1) * k], g);
            r.labels[i] = g;
        }
    }
    Ok(())
}

/// Majority (plurality) vote, optionally weighted per annotator. The posterior is the
/// (weighted) vote fraction, as crowd-kit's `MajorityVote.fit_predict_proba`; `gold`
/// pins the items it gives.
pub fn majority(
    ann: &Annotations,
    ties: Ties,
    seed: u64,
    weights: Option<&[f64]>,
    gold: Option<&[i64]>,
) -> Result<VoteResult> {
    let k = ann.n_classes();
    let mut posterior = ann.vote_counts(weights)?;
    normalise_rows(&mut posterior, k);
    let mut rng = SplitMix64::new(seed);
    let labels = posterior
        .chunks(k.max(1))
        .take(ann.n_items())
        .map(|row| argmax_with_ties(row, ties, &mut rng))
        .collect();
    let mut r = VoteResult { labels, posterior };
    apply_gold(ann, &mut r, gold)?;
    Ok(r)
}

/// Soft labels: per-item label distributions `(count_c + smoothing) / (n + K smoothing)`
/// (additive, Laplace/Dirichlet smoothing), counts optionally weighted per annotator.
/// Labels are the argmax with `ties`; `gold` pins the items it gives.
pub fn soft(
    ann: &Annotations,
    smoothing: f64,
    weights: Option<&[f64]>,
    ties: Ties,
    seed: u64,
    gold: Option<&[i64]>,
) -> Result<VoteResult> {
    if !(smoothing.is_finite() && smoothing >= 0.0) {
        return Err(Error::param(
            "smoothing",
            format!("expected a finite pseudo-count >= 0, got {smoothing}"),
        ));
    }
    let k = ann.n_classes();
    let mut posterior = ann.vote_counts(weights)?;
    for (i, row) in posterior.chunks_mut(k.max(1)).enumerate() {
        if ann.count_of(i) > 0 {
            row.iter_mut().for_each(|x| *x += smoothing);
        }
    }
    normalise_rows(&mut posterior, k);
    let mut rng = SplitMix64::new(seed);
    let labels = posterior
        .chunks(k.max(1))
        .take(ann.n_items())
        .map(|row| argmax_with_ties(row, ties, &mut rng))
        .collect();
    let mut r = VoteResult { labels, posterior };
    apply_gold(ann, &mut r, gold)?;
    Ok(r)
}

/// Wawa, "worker agreement with aggregate" (crowd-kit's `Wawa`): each annotator's skill
/// is the fraction of their answers that agree with the majority vote (ties to the first
/// class, as crowd-kit), then a majority vote weighted by skill, ties broken by `ties`.
/// Returns the vote and the skills (NaN for annotators without a scored answer; their
/// votes weigh 0). Unlike crowd-kit, repeated identical answers are not deduplicated.
/// With `gold`, skills are scored against the gold labels where given (the majority
/// vote elsewhere) and the gold items are pinned.
pub fn wawa(
    ann: &Annotations,
    ties: Ties,
    seed: u64,
    gold: Option<&[i64]>,
) -> Result<(VoteResult, Vec<f64>)> {
    let mv = majority(ann, Ties::First, 0, None, gold)?;
    let n = ann.n_annotators();
    let (mut hits, mut total) = (vec![0.0; n], vec![0.0; n]);
    for (i, &truth) in mv.labels.iter().enumerate() {
        if truth < 0 {
            continue;
        }
        for &(a, l) in ann.answers_of(i) {
            total[a as usize] += 1.0;
            hits[a as usize] += f64::from(u8::from(l as i64 == truth));
        }
    }
    let skills: Vec<f64> = hits
        .iter()
        .zip(&total)
        .map(|(&h, &t)| if t > 0.0 { h / t } else { f64::NAN })
        .collect();
    let weights: Vec<f64> = skills
        .iter()
        .map(|&s| if s.is_nan() { 0.0 } else { s })
        .collect();
    let r = majority(ann, ties, seed, Some(&weights), gold)?;
    Ok((r, skills))
}

/// Per-annotator agreement with a consensus: the fraction of each annotator's answers on
/// items with a consensus label (`consensus[i] >= 0`) that equal it, and how many such
/// answers there were (NaN fraction for none).
pub fn agreement_with(ann: &Annotations, consensus: &[i64]) -> Result<(Vec<f64>, Vec<usize>)> {
    if consensus.len() != ann.n_items() {
        return Err(Error::param(
            "consensus",
            format!(
                "expected one label per item ({}), got {}",
                ann.n_items(),
                consensus.len()
            ),
        ));
    }
    let n = ann.n_annotators();
    let (mut hits, mut total) = (vec![0usize; n], vec![0usize; n]);
    for (i, &c) in consensus.iter().enumerate() {
        if c < 0 {
            continue;
        }
        for &(a, l) in ann.answers_of(i) {
            total[a as usize] += 1;
            hits[a as usize] += usize::from(l as i64 == c);
        }
    }
    let frac = hits
        .iter()
        .zip(&total)
        .map(|(&h, &t)| if t > 0 { h as f64 / t as f64 } else { f64::NAN })
        .collect();
    Ok((frac, total))
}

/// All-inclusive rule: class `c` is on for item `i` when the fraction of the item's
/// answers naming `c` is at least `min_fraction` (`0 < min_fraction <= 1`); with the
/// default of any single vote use a tiny fraction. Row-major `(n_items, n_classes)`.
pub fn all_inclusive(ann: &Annotations, min_fraction: f64) -> Result<Vec<bool>> {
    if !(min_fraction > 0.0 && min_fraction <= 1.0) {
        return Err(Error::param(
            "min_fraction",
            format!("expected 0 < min_fraction <= 1, got {min_fraction}"),
        ));
    }
    let k = ann.n_classes();
    let counts = ann.vote_counts(None)?;
    let mut out = vec![false; counts.len()];
    for i in 0..ann.n_items() {
        let n = ann.count_of(i) as f64;
        for c in 0..k {
            let x = counts[i * k + c];
            // compare counts, not rounded fractions: x / n >= f  <=>  x >= f n
            out[i * k + c] = x > 0.0 && x >= min_fraction * n - 1e-12 * n;
        }
    }
    Ok(out)
}

/// Unanimous rule: the label every annotator of the item gave, `-1` where they disagree or
/// nobody annotated it.
pub fn unanimous(ann: &Annotations) -> Vec<i64> {
    (0..ann.n_items())
        .map(|i| {
            let answers = ann.answers_of(i);
            match answers.first() {
                Some(&(_, l)) if answers.iter().all(|&(_, m)| m == l) => l as i64,
                _ => -1,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Annotations {
        // item 0: a a b -> a; item 1: a b -> tie; item 2: c c -> c; item 3: none
        Annotations::new(
            &[0, 0, 0, 1, 1, 2, 2],
            &[0, 1, 2, 0, 1, 0, 2],
            &[0, 0, 1, 0, 1, 2, 2],
            4,
            3,
            3,
        )
        .unwrap()
    }

    #[test]
    fn majority_tie_policies() {
        let a = table();
        let r = majority(&a, Ties::First, 0, None, None).unwrap();
        assert_eq!(r.labels, vec![0, 0, 2, -1]);
        assert!((r.posterior[0] - 2.0 / 3.0).abs() < 1e-15);
        assert!(r.posterior[9..12].iter().all(|x| x.is_nan()));
        let r = majority(&a, Ties::Nan, 0, None, None).unwrap();
        assert_eq!(r.labels, vec![0, -1, 2, -1]);
        let mut seen = [false; 2];
        for seed in 0..64 {
            let r = majority(&a, Ties::Random, seed, None, None).unwrap();
            assert_eq!(r.labels[0], 0);
            seen[r.labels[1] as usize] = true;
            let again = majority(&a, Ties::Random, seed, None, None).unwrap();
            assert_eq!(r.labels, again.labels);
        }
        assert_eq!(seen, [true, true]);
        // a heavier annotator 1 breaks the tie
        let r = majority(&a, Ties::Nan, 0, Some(&[1.0, 2.0, 1.0]), None).unwrap();
        assert_eq!(r.labels[1], 1);
    }

    #[test]
    fn soft_smoothing() {
        let a = table();
        let r = soft(&a, 1.0, None, Ties::First, 0, None).unwrap();
        // item 0: (2+1, 1+1, 0+1) / 6
        let want = [0.5, 2.0 / 6.0, 1.0 / 6.0];
        for (x, y) in r.posterior[0..3].iter().zip(want) {
            assert!((x - y).abs() < 1e-15);
        }
        assert!(r.posterior[9].is_nan());
        assert!(soft(&a, -1.0, None, Ties::First, 0, None).is_err());
    }

    #[test]
    fn union_and_unanimity() {
        let a = table();
        let u = all_inclusive(&a, 1e-9).unwrap();
        assert_eq!(&u[0..3], &[true, true, false]);
        let u = all_inclusive(&a, 0.5).unwrap();
        assert_eq!(&u[0..6], &[true, false, false, true, true, false]);
        assert_eq!(unanimous(&a), vec![-1, -1, 2, -1]);
        assert!(all_inclusive(&a, 0.0).is_err());
    }

    #[test]
    fn wawa_weights_by_agreement() {
        // annotator 2 always disagrees with the majority: skill 0, no say in the vote
        let a = Annotations::new(
            &[0, 0, 0, 1, 1, 1, 2, 2],
            &[0, 1, 2, 0, 1, 2, 0, 2],
            &[0, 0, 1, 1, 1, 0, 0, 1],
            3,
            3,
            2,
        )
        .unwrap();
        let (r, skills) = wawa(&a, Ties::Nan, 0, None).unwrap();
        assert_eq!(skills, vec![1.0, 1.0, 0.0]);
        assert_eq!(r.labels, vec![0, 1, 0]);
        assert_eq!(&r.posterior[4..6], &[1.0, 0.0]);
    }

    #[test]
    fn agreement_with_consensus() {
        let a = table();
        let (f, n) = agreement_with(&a, &[0, 1, -1, -1]).unwrap();
        // annotator 0: items 0 (0 ok), 1 (0 vs 1); annotator 1: 0 ok, 1 ok; annotator 2: 1 vs 0
        assert_eq!(f, vec![0.5, 1.0, 0.0]);
        assert_eq!(n, vec![2, 2, 1]);
        assert!(agreement_with(&a, &[0]).is_err());
    }

    #[test]
    fn rng_is_uniform_enough() {
        let mut r = SplitMix64::new(7);
        let mut c = [0u32; 3];
        for _ in 0..30000 {
            c[r.below(3) as usize] += 1;
        }
        assert!(c.iter().all(|&x| (9500..10500).contains(&x)), "{c:?}");
    }

    #[test]
    fn gold_pins_votes_and_scores_wawa() {
        // item 0: votes 0,0,1 ; item 1: votes 1,1,0 ; item 2: nobody
        let a = Annotations::new(
            &[0, 0, 0, 1, 1, 1],
            &[0, 1, 2, 0, 1, 2],
            &[0, 0, 1, 1, 1, 0],
            3,
            3,
            2,
        )
        .unwrap();
        let gold = [1, -1, 0];
        let r = majority(&a, Ties::First, 0, None, Some(&gold)).unwrap();
        assert_eq!(r.labels, vec![1, 1, -1]);
        assert_eq!(&r.posterior[..4], &[0.0, 1.0, 1.0 / 3.0, 2.0 / 3.0]);
        assert!(r.posterior[4].is_nan());
        let r = soft(&a, 1.0, None, Ties::First, 0, Some(&gold)).unwrap();
        assert_eq!(&r.posterior[..4], &[0.0, 1.0, 0.4, 0.6]);
        // truth = gold 1 for item 0, majority 1 for item 1: each annotator is right once
        let (r, skills) = wawa(&a, Ties::First, 0, Some(&gold)).unwrap();
        assert_eq!(skills, vec![0.5, 0.5, 0.5]);
        assert_eq!(r.labels[0], 1);
        assert!(majority(&a, Ties::First, 0, None, Some(&[2, -1, -1])).is_err());
    }
}
