//! MACE, Multi-Annotator Competence Estimation (Hovy et al. 2013, "Learning whom to trust
//! with MACE", NAACL): each annotator either knows the true label (with probability
//! `competence`) or answers from their own strategy distribution.
//!
//! Follows crowd-kit 1.4 `MACE`: uniform class prior, variational Bayes M-step with
//! Beta(`alpha`, `beta`) priors on spamming and a symmetric Dirichlet(10) prior on the
//! strategies (`method="em"`: additive smoothing `0.01 / K`), `n_iter` EM rounds per
//! restart, the restart with the highest log marginal likelihood wins. Initial
//! parameters are given by the caller (the Python layer draws them as crowd-kit does).
//! Gold labels pin those items' posteriors in every E-step (crowd-kit's MACE has none).
//! Per-item products are rescaled as they are built, so items with many answers do not
//! underflow.

use crate::error::{Error, Result};
use crate::labels::annotations::{pin_gold, Annotations};
use crate::labels::vote::{argmax_with_ties, SplitMix64, Ties};

/// Variational Bayes (crowd-kit's default) or plain EM with smoothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Vb,
    Em,
}

/// `"vb"` or `"em"`.
impl std::str::FromStr for Method {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "vb" => Ok(Method::Vb),
            "em" => Ok(Method::Em),
            _ => Err(Error::param(
                "method",
                format!("expected \"vb\" or \"em\", got {name:?}"),
            )),
        }
    }
}

/// MACE settings.
#[derive(Debug, Clone)]
pub struct Options {
    pub n_iter: usize,
    pub method: Method,
    /// Beta prior on "spamming" (crowd-kit `alpha`, 0.5).
    pub alpha: f64,
    /// Beta prior on "knowing" (crowd-kit `beta`, 0.5).
    pub beta: f64,
    /// Class code per item, `-1` where unknown: those posteriors are pinned.
    pub gold: Option<Vec<i64>>,
}

/// One restart's initial parameters: `spamming` `(n_annotators, 2)` rows `[P(spam),
/// P(knows)]`, `thetas` `(n_annotators, K)` strategy distributions.
#[derive(Debug, Clone)]
pub struct Init {
    pub spamming: Vec<f64>,
    pub thetas: Vec<f64>,
}

/// What MACE estimates.
#[derive(Debug, Clone)]
pub struct MaceResult {
    pub posterior: Vec<f64>,
    pub labels: Vec<i64>,
    /// `(n_annotators, 2)`: `[P(spam), P(knows)]` (variational: not normalised).
    pub spamming: Vec<f64>,
    /// `(n_annotators, K)` strategy distributions.
    pub thetas: Vec<f64>,
    pub log_marginal_likelihood: f64,
}

/// Digamma function: recurrence up to x >= 10, then the asymptotic series (error <
/// 1e-14 there).
pub fn digamma(mut x: f64) -> f64 {
    if x.is_nan() || x == f64::NEG_INFINITY {
        return f64::NAN;
    }
    let mut acc = 0.0;
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    let series = f
        * (-1.0 / 12.0
            + f * (1.0 / 120.0
                + f * (-1.0 / 252.0
                    + f * (1.0 / 240.0 + f * (-1.0 / 132.0 + f * (691.0 / 32760.0))))));
    acc + x.ln() - 0.5 / x + series
}

struct Counts {
    /// `(n_annotators, 2)`: expected spam / know counts.
    knowing: Vec<f64>,
    /// `(n_annotators, K)`: expected strategy counts per label.
    strategy: Vec<f64>,
    log_lik: f64,
}

fn e_step(
    ann: &Annotations,
    gold: Option<&[i64]>,
    s: &[f64],
    theta: &[f64],
    post: &mut [f64],
) -> Counts {
    let k = ann.n_classes();
    let n_ann = ann.n_annotators();
    let mut knowing = vec![0.0; n_ann * 2];
    let mut strategy = vec![0.0; n_ann * k];
    let mut log_lik = 0.0;
    for (i, g) in post.chunks_exact_mut(k).enumerate() {
        let answers = ann.answers_of(i);
        if answers.is_empty() {
            continue;
        }
        g.iter_mut().for_each(|x| *x = 1.0 / k as f64);
        let mut log_scale = 0.0;
        for &(a, l) in answers {
            let (a, l) = (a as usize, l as usize);
            let spam = s[a * 2] * theta[a * k + l];
            for (z, x) in g.iter_mut().enumerate() {
                *x *= spam + if z == l { s[a * 2 + 1] } else { 0.0 };
            }
            let m = g.iter().fold(0.0f64, |m, &x| m.max(x));
            if m > 0.0 && m < 1e-150 {
                g.iter_mut().for_each(|x| *x /= m);
                log_scale += m.ln();
            }
        }
        let inst: f64 = g.iter().sum();
        log_lik += inst.ln() + log_scale;
        if inst > 0.0 {
            g.iter_mut().for_each(|x| *x /= inst);
        }
        // the likelihood stays the marginal one; the counts use the known truth
        if let Some(gold) = gold {
            pin_gold(g, gold[i]);
        }
        for &(a, l) in answers {
            let (a, l) = (a as usize, l as usize);
            let spam = s[a * 2] * theta[a * k + l];
            let know = s[a * 2 + 1];
            let pl = g[l];
            // P(answer came from the strategy) and P(annotator knew), given the item
            let strat = (1.0 - pl) + pl * spam / (spam + know);
            let knew = pl * know / (spam + know);
            strategy[a * k + l] += strat;
            knowing[a * 2] += strat;
            knowing[a * 2 + 1] += knew;
        }
    }
    Counts {
        knowing,
        strategy,
        log_lik,
    }
}

fn m_step(c: &Counts, opts: &Options, k: usize, s: &mut [f64], theta: &mut [f64]) {
    match opts.method {
        Method::Vb => {
            let prior = [opts.alpha, opts.beta];
            for (row, cnt) in s.chunks_exact_mut(2).zip(c.knowing.chunks_exact(2)) {
                let norm = digamma(cnt[0] + prior[0] + cnt[1] + prior[1]).exp();
                for j in 0..2 {
                    row[j] = digamma(cnt[j] + prior[j]).exp() / norm;
                }
            }
            for (row, cnt) in theta.chunks_exact_mut(k).zip(c.strategy.chunks_exact(k)) {
                let norm = digamma(cnt.iter().map(|x| x + 10.0).sum()).exp();
                for (t, &x) in row.iter_mut().zip(cnt) {
                    *t = digamma(x + 10.0).exp() / norm;
                }
            }
        }
        Method::Em => {
            let smoothing = 0.01 / k as f64;
            for (row, cnt) in s.chunks_exact_mut(2).zip(c.knowing.chunks_exact(2)) {
                let norm = cnt[0] + cnt[1] + 2.0 * smoothing;
                for j in 0..2 {
                    row[j] = if norm > 0.0 {
                        (cnt[j] + smoothing) / norm
                    } else {
                        0.0
                    };
                }
            }
            for (row, cnt) in theta.chunks_exact_mut(k).zip(c.strategy.chunks_exact(k)) {
                let norm: f64 = cnt.iter().map(|x| x + smoothing).sum();
                for (t, &x) in row.iter_mut().zip(cnt) {
                    *t = if norm > 0.0 {
                        (x + smoothing) / norm
                    } else {
                        0.0
                    };
                }
            }
        }
    }
}

/// Fits MACE from each initialisation in `inits` (one per restart) and keeps the best.
pub fn fit(ann: &Annotations, opts: &Options, inits: &[Init]) -> Result<MaceResult> {
    let k = ann.n_classes();
    let n_ann = ann.n_annotators();
    if inits.is_empty() {
        return Err(Error::param("n_restarts", "expected at least one restart"));
    }
    if k == 0 {
        return Err(Error::param(
            "labels",
            "MACE needs at least one class (there are no answers)",
        ));
    }
    if !(opts.alpha > 0.0 && opts.beta > 0.0) {
        return Err(Error::param(
            "alpha, beta",
            format!(
                "expected positive priors, got {} and {}",
                opts.alpha, opts.beta
            ),
        ));
    }
    for init in inits {
        if init.spamming.len() != n_ann * 2 || init.thetas.len() != n_ann * k {
            return Err(Error::Internal(
                "MACE initialisation has the wrong shape".into(),
            ));
        }
    }
    if let Some(g) = &opts.gold {
        ann.check_gold(g)?;
    }
    let gold = opts.gold.as_deref();
    let n = ann.n_items();
    let mut post = vec![f64::NAN; n * k];
    let mut best: Option<(f64, Vec<f64>, Vec<f64>)> = None;
    for init in inits {
        let mut s = init.spamming.clone();
        let mut theta = init.thetas.clone();
        let mut counts = e_step(ann, gold, &s, &theta, &mut post);
        for _ in 0..opts.n_iter {
            crate::cancel::check()?;
            m_step(&counts, opts, k, &mut s, &mut theta);
            counts = e_step(ann, gold, &s, &theta, &mut post);
        }
        if best.as_ref().is_none_or(|b| counts.log_lik > b.0) {
            best = Some((counts.log_lik, s, theta));
        }
    }
    let (log_lik, s, theta) = best.ok_or_else(|| Error::Internal("no restart".into()))?;
    e_step(ann, gold, &s, &theta, &mut post);
    let mut rng = SplitMix64::new(0);
    let labels = post
        .chunks(k.max(1))
        .map(|row| argmax_with_ties(row, Ties::First, &mut rng))
        .collect();
    Ok(MaceResult {
        posterior: post,
        labels,
        spamming: s,
        thetas: theta,
        log_marginal_likelihood: log_lik,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_values() {
        // psi(1) = -Euler-Mascheroni, psi(0.5) = -gamma - 2 ln 2, psi(10.5)
        let g = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + g).abs() < 1e-14);
        assert!((digamma(0.5) + g + 2.0 * 2f64.ln()).abs() < 1e-14);
        // scipy.special.digamma
        assert!((digamma(10.5) - 2.303_001_034_297_686_5).abs() < 1e-14);
        assert!((digamma(3.3) - 1.034_822_489_059_621_6).abs() < 1e-14);
        assert!((digamma(0.01) - -100.560_885_457_868_68).abs() < 1e-12);
    }

    #[test]
    fn no_classes_is_an_error() {
        let a = Annotations::new(&[], &[], &[], 0, 0, 0).unwrap();
        let init = Init {
            spamming: vec![],
            thetas: vec![],
        };
        let opts = Options {
            n_iter: 5,
            method: Method::Vb,
            alpha: 0.5,
            beta: 0.5,
            gold: None,
        };
        assert!(fit(&a, &opts, &[init]).is_err());
    }

    #[test]
    fn finds_the_spammer() {
        // annotators 0-3 mostly right; annotator 4 always answers class 0
        let acc = [0.9, 0.85, 0.8, 0.75, 0.0];
        let (it, an, mut lb, truth) =
            crate::labels::dawid_skene::tests::simulate(1500, 5, 3, 5, &acc, 4);
        for (a, l) in an.iter().zip(lb.iter_mut()) {
            if *a == 4 {
                *l = 0;
            }
        }
        let a = Annotations::new(&it, &an, &lb, 1500, 5, 3).unwrap();
        let init = Init {
            spamming: [0.5, 0.5].repeat(5),
            thetas: vec![1.0 / 3.0; 15],
        };
        let opts = Options {
            n_iter: 50,
            method: Method::Vb,
            alpha: 0.5,
            beta: 0.5,
            gold: None,
        };
        let r = fit(&a, &opts, &[init]).unwrap();
        let hits = r.labels.iter().zip(&truth).filter(|(x, y)| x == y).count();
        assert!(hits as f64 / 1500.0 > 0.95, "{hits}");
        assert!(r.spamming[4 * 2 + 1] < 0.2, "{:?}", &r.spamming[8..10]);
        assert!(r.spamming[1] > 0.7);
        assert!(r.thetas[4 * 3] > 0.9);
    }

    #[test]
    fn gold_is_pinned_and_bad_gold_rejected() {
        let acc = [0.9, 0.85, 0.8, 0.75, 0.0];
        let (it, an, lb, truth) =
            crate::labels::dawid_skene::tests::simulate(300, 5, 3, 4, &acc, 5);
        let a = Annotations::new(&it, &an, &lb, 300, 5, 3).unwrap();
        let gold: Vec<i64> = truth
            .iter()
            .enumerate()
            .map(|(i, &t)| if i % 2 == 0 { (t + 1) % 3 } else { -1 })
            .collect();
        let opts = Options {
            n_iter: 20,
            method: Method::Vb,
            alpha: 0.5,
            beta: 0.5,
            gold: Some(gold.clone()),
        };
        let init = Init {
            spamming: [0.5, 0.5].repeat(5),
            thetas: vec![1.0 / 3.0; 15],
        };
        let r = fit(&a, &opts, std::slice::from_ref(&init)).unwrap();
        // even deliberately wrong gold is obeyed on its items
        for (i, &g) in gold.iter().enumerate() {
            if g >= 0 {
                assert_eq!(r.labels[i], g);
            }
        }
        let bad = Options {
            gold: Some(vec![0; 3]),
            ..opts
        };
        assert!(fit(&a, &bad, &[init]).is_err());
    }
}
