//! Dawid-Skene (1979) with full confusion matrices, and its one-coin (homogeneous)
//! variant, by expectation-maximisation.
//!
//! Reproduces crowd-kit 1.4 (`crowdkit.aggregation.DawidSkene`, `OneCoinDawidSkene`) step
//! for step so that the numbers can be compared:
//!
//! * initial posteriors are majority-vote fractions, priors their mean over items;
//! * M-step: per (annotator, observed label) the sum of the item posteriors, clipped at
//!   1e-10, normalised per annotator and true label over the labels that annotator used
//!   (one-coin: skill = mean posterior of the label given, errors `skill` on the diagonal,
//!   `(1 - skill) / (K - 1)` elsewhere, clipped to `[1e-10, 1 - 1e-10]`);
//! * E-step in base-2 logs with priors clipped at 1e-10, rows shifted by their maximum;
//! * after each E+M step the evidence lower bound per answer is computed as crowd-kit
//!   does (the prior term counted once per answer, entropy with posteriors clipped at
//!   1e-10) and EM stops when it improves by less than `tol`.
//!
//! Gold labels pin an item's posterior to its one-hot row after every E-step (crowd-kit's
//! `true_labels`). Items without answers get NaN rows and label `-1`.
//!
//! Each iteration is one pass over items (E-step, then the item's contribution to the
//! M-step sums), so memory is the answers plus `n_items x K` posteriors. Items are split
//! into fixed chunks whose partial sums are added in chunk order, so results do not
//! depend on the number of threads.

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::labels::annotations::{pin_gold, Annotations};
use crate::labels::vote::{argmax_with_ties, SplitMix64, Ties};

/// crowd-kit's `_EPS`.
pub const EPS: f64 = 1e-10;
const CHUNK_ITEMS: usize = 8192;

/// Which annotator model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// One full confusion matrix per annotator.
    Full,
    /// One skill (probability of answering correctly) per annotator.
    OneCoin,
}

/// `"full"` or `"one_coin"`.
impl std::str::FromStr for Model {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "full" => Ok(Model::Full),
            "one_coin" => Ok(Model::OneCoin),
            _ => Err(Error::param(
                "model",
                format!("expected \"full\" or \"one_coin\", got {name:?}"),
            )),
        }
    }
}

/// EM settings (crowd-kit defaults: 100 iterations, tol 1e-5).
#[derive(Debug, Clone)]
pub struct Options {
    pub n_iter: usize,
    pub tol: f64,
    /// Class code per item, `-1` where unknown.
    pub gold: Option<Vec<i64>>,
    pub n_jobs: Option<i64>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            n_iter: 100,
            tol: 1e-5,
            gold: None,
            n_jobs: Some(1),
        }
    }
}

/// What Dawid-Skene estimates.
#[derive(Debug, Clone)]
pub struct DsResult {
    /// Row-major `(n_items, n_classes)`.
    pub posterior: Vec<f64>,
    /// Most probable class per item (first on ties, as crowd-kit's `idxmax`), `-1` if none.
    pub labels: Vec<i64>,
    /// Class priors `(n_classes,)`.
    pub priors: Vec<f64>,
    /// Row-major `(n_annotators, n_classes true, n_classes observed)`: the probability
    /// that the annotator answers `observed` when the truth is `true`. Labels an annotator
    /// never used have probability 0; annotators without answers are NaN.
    pub confusion: Vec<f64>,
    /// One-coin skills `(n_annotators,)` (NaN without answers); empty for the full model.
    pub skills: Vec<f64>,
    /// Evidence lower bound per answer after each iteration.
    pub loss_history: Vec<f64>,
}

struct Shape {
    k: usize,
    n_ann: usize,
}

/// M-step: errors `[annotator][observed][true]` from the posterior sums `acc` (same
/// layout).
fn m_step(
    model: Model,
    sh: &Shape,
    acc: &[f64],
    observed: &[bool],
    ann_counts: &[usize],
) -> Vec<f64> {
    let k = sh.k;
    let mut e = vec![0.0; acc.len()];
    for a in 0..sh.n_ann {
        let base = a * k * k;
        match model {
            Model::Full => {
                for t in 0..k {
                    let mut s = 0.0;
                    for l in 0..k {
                        if observed[a * k + l] {
                            s += acc[base + l * k + t].max(EPS);
                        }
                    }
                    for l in 0..k {
                        if observed[a * k + l] {
                            e[base + l * k + t] = acc[base + l * k + t].max(EPS) / s;
                        }
                    }
                }
            }
            Model::OneCoin => {
                let skill = skill_of(sh, acc, a, ann_counts);
                let off = if k > 1 {
                    (1.0 - skill) / (k - 1) as f64
                } else {
                    0.0
                };
                for l in 0..k {
                    if observed[a * k + l] {
                        for t in 0..k {
                            let v = if t == l { skill } else { off };
                            e[base + l * k + t] = v.clamp(EPS, 1.0 - EPS);
                        }
                    }
                }
            }
        }
    }
    e
}

fn skill_of(sh: &Shape, acc: &[f64], a: usize, ann_counts: &[usize]) -> f64 {
    let k = sh.k;
    if ann_counts[a] == 0 {
        return f64::NAN;
    }
    let s: f64 = (0..k).map(|l| acc[a * k * k + l * k + l]).sum();
    s / ann_counts[a] as f64
}

/// Adds item `i`'s posterior row to the M-step sums.
#[inline]
fn accumulate(acc: &mut [f64], answers: &[(u32, u32)], p: &[f64], k: usize) {
    for &(a, l) in answers {
        let off = (a as usize * k + l as usize) * k;
        for (x, &y) in acc[off..off + k].iter_mut().zip(p) {
            *x += y;
        }
    }
}

/// Fits Dawid-Skene (`Model::Full`) or one-coin Dawid-Skene by EM.
pub fn fit(ann: &Annotations, model: Model, opts: &Options) -> Result<DsResult> {
    let k = ann.n_classes();
    let n = ann.n_items();
    let n_ann = ann.n_annotators();
    if opts.tol.is_nan() {
        return Err(Error::param(
            "tol",
            format!("expected a number, got {}", opts.tol),
        ));
    }
    if let Some(g) = &opts.gold {
        ann.check_gold(g)?;
    }
    let sh = Shape { k, n_ann };
    let gold = opts.gold.as_deref();
    let annotated: Vec<bool> = (0..n).map(|i| ann.count_of(i) > 0).collect();
    let n_eff = annotated.iter().filter(|&&x| x).count();
    let mut observed = vec![false; n_ann * k];
    let mut ann_counts = vec![0usize; n_ann];
    for &(a, l) in ann.answers() {
        observed[a as usize * k + l as usize] = true;
        ann_counts[a as usize] += 1;
    }

    // Initialisation: majority-vote fractions.
    let mut post = ann.vote_counts(None)?;
    for (i, row) in post.chunks_mut(k.max(1)).enumerate() {
        if annotated[i] {
            let s: f64 = row.iter().sum();
            row.iter_mut().for_each(|x| *x /= s);
            if let Some(g) = gold {
                pin_gold(row, g[i]);
            }
        } else {
            row.iter_mut().for_each(|x| *x = f64::NAN);
        }
    }
    let mut priors = column_means(&post, k, &annotated, n_eff);
    let mut acc = vec![0.0; n_ann * k * k];
    for i in 0..n {
        if annotated[i] {
            accumulate(&mut acc, ann.answers_of(i), &post[i * k..(i + 1) * k], k);
        }
    }
    let mut errors = m_step(model, &sh, &acc, &observed, &ann_counts);

    let mut loss = f64::NEG_INFINITY;
    let mut history = Vec::new();
    let n_answers = ann.len() as f64;
    let n_chunks = n.div_ceil(CHUNK_ITEMS).max(1);
    for _ in 0..opts.n_iter {
        crate::cancel::check()?;
        let prior_c: Vec<f64> = priors.iter().map(|&p| p.max(EPS)).collect();
        // E-step and the M-step sums, chunk by chunk.
        let ctx = PassCtx {
            ann,
            annotated: &annotated,
            gold,
            e: &errors,
            prior: &prior_c,
            k,
            n_ann,
        };
        let partials: Vec<Partial> = crate::parallel::install(opts.n_jobs, || {
            post.par_chunks_mut(CHUNK_ITEMS * k.max(1))
                .enumerate()
                .map(|(c, rows)| match k {
                    2 => chunk_pass::<2>(&ctx, c, rows),
                    3 => chunk_pass::<3>(&ctx, c, rows),
                    4 => chunk_pass::<4>(&ctx, c, rows),
                    5 => chunk_pass::<5>(&ctx, c, rows),
                    6 => chunk_pass::<6>(&ctx, c, rows),
                    7 => chunk_pass::<7>(&ctx, c, rows),
                    8 => chunk_pass::<8>(&ctx, c, rows),
                    _ => chunk_pass::<0>(&ctx, c, rows),
                })
                .collect()
        })?;
        debug_assert!(partials.len() <= n_chunks);
        acc.iter_mut().for_each(|x| *x = 0.0);
        let mut tot = Partial::default();
        for part in &partials {
            for (x, y) in acc.iter_mut().zip(&part.acc) {
                *x += y;
            }
            tot.ln_s += part.ln_s;
            tot.pinned_ln_u += part.pinned_ln_u;
            tot.extra_entropy += part.extra_entropy;
        }
        // Posterior entropy without a logarithm per class: for an item with unnormalised
        // posterior u = prior * prod(errors), sum_k p ln p = sum_k p ln u - ln sum(u), and
        // summed over items sum_k p ln u = sum_k (sum_i p_ik) ln prior_k +
        // sum_{a,l,k} acc[a,l,k] ln e[a,l,k] (gold-pinned items taken out again).
        let mut sum_p_ln_u = -tot.pinned_ln_u;
        for (r, row) in acc.chunks(k.max(1)).enumerate() {
            if observed[r] {
                for t in 0..k {
                    if row[t] != 0.0 {
                        sum_p_ln_u += row[t] * errors[r * k + t].ln();
                    }
                }
            }
        }
        let new_priors = column_means(&post, k, &annotated, n_eff);
        for t in 0..k {
            sum_p_ln_u += n_eff as f64 * new_priors[t] * prior_c[t].ln();
        }
        let entropy = tot.ln_s - sum_p_ln_u + tot.extra_entropy;
        priors = new_priors;
        errors = m_step(model, &sh, &acc, &observed, &ann_counts);
        // Evidence lower bound, as crowd-kit: sum over answers of
        // sum_k p_ik (ln e[a, l, k] + ln prior_k), plus the posterior entropy.
        let mut joint = 0.0;
        let mut col = vec![0.0; k];
        for (r, row) in acc.chunks(k.max(1)).enumerate() {
            if !observed[r] {
                continue;
            }
            for t in 0..k {
                joint += row[t] * errors[r * k + t].ln();
                col[t] += row[t];
            }
        }
        for t in 0..k {
            joint += col[t] * priors[t].max(EPS).ln();
        }
        let new_loss = (joint + entropy) / n_answers;
        history.push(new_loss);
        if new_loss - loss < opts.tol {
            break;
        }
        loss = new_loss;
    }

    let mut rng = SplitMix64::new(0);
    let labels = post
        .chunks(k.max(1))
        .take(n)
        .map(|row| argmax_with_ties(row, Ties::First, &mut rng))
        .collect();
    let mut confusion = vec![0.0; n_ann * k * k];
    for a in 0..n_ann {
        for t in 0..k {
            for l in 0..k {
                confusion[(a * k + t) * k + l] = if ann_counts[a] == 0 {
                    f64::NAN
                } else {
                    errors[(a * k + l) * k + t]
                };
            }
        }
    }
    let skills = match model {
        Model::Full => Vec::new(),
        Model::OneCoin => (0..n_ann)
            .map(|a| skill_of(&sh, &acc, a, &ann_counts))
            .collect(),
    };
    Ok(DsResult {
        posterior: post,
        labels,
        priors,
        confusion,
        skills,
        loss_history: history,
    })
}

struct PassCtx<'a> {
    ann: &'a Annotations,
    annotated: &'a [bool],
    gold: Option<&'a [i64]>,
    /// errors `[annotator][observed][true]`, linear
    e: &'a [f64],
    /// priors clipped at `EPS`, linear
    prior: &'a [f64],
    k: usize,
    n_ann: usize,
}

/// A chunk's share of the M-step sums and of the entropy terms.
#[derive(Default)]
struct Partial {
    acc: Vec<f64>,
    /// sum over (unpinned) items of ln sum_k u_ik
    ln_s: f64,
    /// sum over gold-pinned items of ln u_ig (taken out of the identity)
    pinned_ln_u: f64,
    /// entropy not covered by the identity: pinned items, and crowd-kit's clipping of
    /// posteriors below `EPS`
    extra_entropy: f64,
}

/// One EM pass over a chunk of items: E-step for each item (in the linear domain:
/// `u_k = prior_k prod e[a, l, k]`, rescaled if it nears underflow), then its
/// contribution to the M-step sums and to the posterior entropy. `K` is the number of
/// classes when it is a small constant (so the per-answer loops unroll), 0 otherwise.
#[allow(clippy::needless_range_loop)] // indexed loops over the constant K unroll
fn chunk_pass<const K: usize>(ctx: &PassCtx<'_>, chunk: usize, rows: &mut [f64]) -> Partial {
    let k = if K == 0 { ctx.k } else { K };
    let mut out = Partial {
        acc: vec![0.0; ctx.n_ann * k * k],
        ..Partial::default()
    };
    let clip_term = -EPS * EPS.ln();
    for (j, p) in rows.chunks_exact_mut(k).enumerate() {
        let i = chunk * CHUNK_ITEMS + j;
        if !ctx.annotated[i] {
            continue;
        }
        let answers = ctx.ann.answers_of(i);
        p.copy_from_slice(&ctx.prior[..k]);
        let mut ln_scale = 0.0;
        for &(a, l) in answers {
            let off = (a as usize * k + l as usize) * k;
            let row = &ctx.e[off..off + k];
            let mut m = 0.0f64;
            for c in 0..k {
                p[c] *= row[c];
                m = m.max(p[c]);
            }
            if m < 1e-250 && m > 0.0 {
                for x in p.iter_mut() {
                    *x /= m;
                }
                ln_scale += m.ln();
            }
        }
        let g = ctx.gold.map_or(-1, |g| g[i]);
        if g >= 0 {
            out.pinned_ln_u += p[g as usize].ln() + ln_scale;
            pin_gold(p, g);
            for &x in p.iter() {
                let x = x.max(EPS);
                out.extra_entropy -= x.ln() * x;
            }
        } else {
            let s: f64 = p.iter().sum();
            for x in p.iter_mut() {
                *x /= s;
            }
            let ln_s = s.ln();
            out.ln_s += ln_s + ln_scale;
            // crowd-kit clips posteriors at EPS before -p ln p: swap the exact term of
            // such entries for EPS's (terms below 1e-14 are under 5e-13 and left out)
            for c in 0..k {
                if p[c] < EPS {
                    out.extra_entropy += clip_term;
                    if p[c] > 1e-14 {
                        out.extra_entropy += p[c] * p[c].ln();
                    }
                }
            }
        }
        for &(a, l) in answers {
            let off = (a as usize * k + l as usize) * k;
            let acc = &mut out.acc[off..off + k];
            for c in 0..k {
                acc[c] += p[c];
            }
        }
    }
    out
}

fn column_means(post: &[f64], k: usize, annotated: &[bool], n_eff: usize) -> Vec<f64> {
    let mut m = vec![0.0; k];
    for (i, row) in post.chunks(k.max(1)).enumerate() {
        if annotated[i] {
            for (x, &y) in m.iter_mut().zip(row) {
                *x += y;
            }
        }
    }
    if n_eff > 0 {
        m.iter_mut().for_each(|x| *x /= n_eff as f64);
    }
    m
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A simulated crowd: `n_items` items, `n_ann` annotators with diagonal accuracy
    /// `acc[a]`, each item answered by `per_item` annotators.
    pub(crate) fn simulate(
        n_items: usize,
        n_ann: usize,
        k: usize,
        per_item: usize,
        acc: &[f64],
        seed: u64,
    ) -> (Vec<i64>, Vec<i64>, Vec<i64>, Vec<i64>) {
        let mut rng = SplitMix64::new(seed);
        let unif = |r: &mut SplitMix64| (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let (mut it, mut an, mut lb, mut truth) = (vec![], vec![], vec![], vec![]);
        for i in 0..n_items {
            let t = rng.below(k as u64) as i64;
            truth.push(t);
            let start = rng.below(n_ann as u64) as usize;
            for j in 0..per_item {
                let a = (start + j) % n_ann;
                let l = if unif(&mut rng) < acc[a] {
                    t
                } else {
                    let o = rng.below(k as u64 - 1) as i64;
                    if o >= t {
                        o + 1
                    } else {
                        o
                    }
                };
                it.push(i as i64);
                an.push(a as i64);
                lb.push(l);
            }
        }
        (it, an, lb, truth)
    }

    #[test]
    fn recovers_truth_and_confusions() {
        let acc = [0.9, 0.8, 0.7, 0.6, 0.55, 0.85, 0.75, 0.65];
        let (it, an, lb, truth) = simulate(4000, 8, 4, 5, &acc, 3);
        let a = Annotations::new(&it, &an, &lb, 4000, 8, 4).unwrap();
        let r = fit(&a, Model::Full, &Options::default()).unwrap();
        let hits = r.labels.iter().zip(&truth).filter(|(x, y)| x == y).count();
        assert!(hits as f64 / 4000.0 > 0.93, "{hits}");
        let mv = crate::labels::vote::majority(&a, Ties::First, 0, None, None).unwrap();
        let mv_hits = mv.labels.iter().zip(&truth).filter(|(x, y)| x == y).count();
        assert!(hits >= mv_hits);
        for (j, &p) in acc.iter().enumerate() {
            for t in 0..4 {
                let d = r.confusion[(j * 4 + t) * 4 + t];
                assert!((d - p).abs() < 0.06, "annotator {j} class {t}: {d} vs {p}");
                let row: f64 = r.confusion[(j * 4 + t) * 4..(j * 4 + t + 1) * 4]
                    .iter()
                    .sum();
                assert!((row - 1.0).abs() < 1e-12);
            }
        }
        for row in r.posterior.chunks(4) {
            assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
        // the ELBO never decreases by more than rounding
        for w in r.loss_history.windows(2) {
            assert!(w[1] >= w[0] - 1e-9, "{:?}", r.loss_history);
        }
        let one = fit(&a, Model::OneCoin, &Options::default()).unwrap();
        for (j, &p) in acc.iter().enumerate() {
            assert!((one.skills[j] - p).abs() < 0.05, "{j}: {}", one.skills[j]);
        }
        let hits1 = one
            .labels
            .iter()
            .zip(&truth)
            .filter(|(x, y)| x == y)
            .count();
        assert!(hits1 as f64 / 4000.0 > 0.93);
    }

    #[test]
    fn thread_count_does_not_change_results() {
        let acc = [0.9, 0.7, 0.6, 0.8];
        let (it, an, lb, _) = simulate(20000, 4, 3, 3, &acc, 5);
        let a = Annotations::new(&it, &an, &lb, 20000, 4, 3).unwrap();
        let one = fit(&a, Model::Full, &Options::default()).unwrap();
        let two = fit(
            &a,
            Model::Full,
            &Options {
                n_jobs: Some(2),
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(one.posterior, two.posterior);
        assert_eq!(one.loss_history, two.loss_history);
    }

    #[test]
    fn gold_pins_and_missing_items() {
        let a = Annotations::new(&[0, 0, 1, 1], &[0, 1, 0, 1], &[0, 1, 1, 1], 3, 2, 2).unwrap();
        let r = fit(
            &a,
            Model::Full,
            &Options {
                gold: Some(vec![1, -1, 0]),
                ..Options::default()
            },
        )
        .unwrap();
        assert_eq!(&r.posterior[0..2], &[0.0, 1.0]);
        assert!(r.posterior[4].is_nan());
        assert_eq!(r.labels[2], -1);
        assert!(fit(
            &a,
            Model::Full,
            &Options {
                gold: Some(vec![2, -1, 0]),
                ..Options::default()
            }
        )
        .is_err());
    }
}
