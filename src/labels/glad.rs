//! GLAD (Whitehill et al. 2009, "Whose vote should count more: optimal integration of
//! labels from labelers of unknown expertise", NeurIPS): annotator ability `alpha_i`,
//! item easiness `exp(beta_j)`, `P(correct) = sigmoid(alpha_i exp(beta_j))`, wrong
//! answers spread evenly over the other `K - 1` classes.
//!
//! Follows crowd-kit 1.4 `GLAD`: `alpha = beta = 1` initially, standard normal priors
//! around 1 on both, uniform class priors; E-step, then an M-step that maximises the
//! expected log-likelihood plus the log priors by at most `m_step_max_iter` nonlinear
//! conjugate-gradient steps (Polak-Ribiere+, stopping when the largest gradient entry is
//! below `m_step_tol`); EM stops when the objective per (answer, class) improves by less
//! than `tol`. Gold labels pin those items' posteriors after every E-step (crowd-kit's
//! GLAD has no gold; this is the semi-supervised EM of Whitehill et al.). The CG line search is a strong-Wolfe bracketing search (`c1 = 1e-4`,
//! `c2 = 0.4`, as SciPy's CG) but not SciPy's MINPACK routine, so the iterates differ
//! slightly from crowd-kit's.

use crate::error::{Error, Result};
use crate::labels::annotations::{pin_gold, Annotations};
use crate::labels::vote::{argmax_with_ties, SplitMix64, Ties};

/// GLAD settings (crowd-kit defaults).
#[derive(Debug, Clone)]
pub struct Options {
    pub n_iter: usize,
    pub tol: f64,
    pub m_step_max_iter: usize,
    pub m_step_tol: f64,
    /// Class code per item, `-1` where unknown: those posteriors are pinned.
    pub gold: Option<Vec<i64>>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            n_iter: 100,
            tol: 1e-5,
            m_step_max_iter: 25,
            m_step_tol: 1e-2,
            gold: None,
        }
    }
}

/// What GLAD estimates.
#[derive(Debug, Clone)]
pub struct GladResult {
    /// Row-major `(n_items, n_classes)`; NaN rows for items without answers.
    pub posterior: Vec<f64>,
    pub labels: Vec<i64>,
    /// Annotator abilities `(n_annotators,)`.
    pub alphas: Vec<f64>,
    /// Item log-easiness `(n_items,)` (NaN for items without answers).
    pub betas: Vec<f64>,
    pub loss_history: Vec<f64>,
}

/// crowd-kit's `_softplus` with its +-30 cut-offs.
fn softplus(x: f64) -> f64 {
    if x > 30.0 {
        x
    } else if x < -30.0 {
        0.0
    } else {
        x.exp().ln_1p()
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

struct Problem<'a> {
    ann: &'a Annotations,
    annotated: &'a [bool],
    gold: Option<&'a [i64]>,
    k: usize,
    /// ln(K - 1)
    c: f64,
}

impl Problem<'_> {
    fn n_ann(&self) -> usize {
        self.ann.n_annotators()
    }

    /// E-step: posteriors under `alpha`, `beta` with uniform class priors (gold items
    /// pinned to their class).
    fn e_step(&self, alpha: &[f64], beta: &[f64], post: &mut [f64]) {
        let k = self.k;
        let log_prior = -(k as f64).ln();
        for (i, p) in post.chunks_exact_mut(k).enumerate() {
            if !self.annotated[i] {
                continue;
            }
            let eb = beta[i].exp();
            let mut base = log_prior;
            p.iter_mut().for_each(|x| *x = 0.0);
            for &(a, l) in self.ann.answers_of(i) {
                let x = alpha[a as usize] * eb;
                let ls = -softplus(-x);
                let l1s = -softplus(x) - self.c;
                base += l1s;
                p[l as usize] += ls - l1s;
            }
            let m = p.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x + base));
            let mut s = 0.0;
            for x in p.iter_mut() {
                *x = (*x + base - m).exp();
                s += *x;
            }
            p.iter_mut().for_each(|x| *x /= s);
            if let Some(g) = self.gold {
                pin_gold(p, g[i]);
            }
        }
    }

    /// Objective Q (expected log-likelihood plus log priors) and, if asked, its gradient
    /// with respect to `(alpha, beta)`.
    fn q(&self, x: &[f64], post: &[f64], grad: Option<&mut [f64]>) -> f64 {
        let n_ann = self.n_ann();
        let (alpha, beta) = x.split_at(n_ann);
        let k = self.k;
        let mut q = 0.0;
        let mut g = grad;
        if let Some(g) = g.as_deref_mut() {
            g.iter_mut().for_each(|v| *v = 0.0);
        }
        for i in 0..self.ann.n_items() {
            if !self.annotated[i] {
                continue;
            }
            let eb = beta[i].exp();
            let p = &post[i * k..(i + 1) * k];
            let mut gb = 0.0;
            for &(a, l) in self.ann.answers_of(i) {
                let al = alpha[a as usize];
                let x = al * eb;
                let pl = p[l as usize];
                q += pl * -softplus(-x) + (1.0 - pl) * (-softplus(x) - self.c);
                if let Some(g) = g.as_deref_mut() {
                    let r = pl - sigmoid(x);
                    g[a as usize] += r * eb;
                    gb += r * al * eb;
                }
            }
            let d = beta[i] - 1.0;
            q += -0.5 * d * d - LN_SQRT_2PI;
            if let Some(g) = g.as_deref_mut() {
                g[n_ann + i] = gb - d;
            }
        }
        for (a, &al) in alpha.iter().enumerate() {
            let d = al - 1.0;
            q += -0.5 * d * d - LN_SQRT_2PI;
            if let Some(g) = g.as_deref_mut() {
                g[a] -= d;
            }
        }
        q
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises `f` (value and gradient in one call) from `x` by Polak-Ribiere+ conjugate
/// gradients with a strong-Wolfe line search; at most `max_iter` steps, stopping when
/// the largest gradient entry is at most `gtol`.
fn minimise_cg(
    f: &mut dyn FnMut(&[f64], &mut [f64]) -> f64,
    x: &mut [f64],
    max_iter: usize,
    gtol: f64,
) {
    let n = x.len();
    let mut g = vec![0.0; n];
    let mut fx = f(x, &mut g);
    let norm_inf = |g: &[f64]| g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut old_old = fx + g.iter().map(|v| v * v).sum::<f64>().sqrt() / 2.0;
    let mut p: Vec<f64> = g.iter().map(|v| -v).collect();
    let mut xt = vec![0.0; n];
    let mut gt = vec![0.0; n];
    for _ in 0..max_iter {
        if norm_inf(&g) <= gtol {
            break;
        }
        let d0 = dot(&g, &p);
        if d0 >= 0.0 {
            // not a descent direction: restart along the gradient
            p.iter_mut().zip(&g).for_each(|(pi, gi)| *pi = -gi);
            continue;
        }
        // SciPy's first trial step
        let mut step = (1.01 * 2.0 * (fx - old_old) / d0).min(1.0);
        if step.is_nan() || step <= 0.0 || !step.is_finite() {
            step = 1.0;
        }
        let (c1, c2) = (1e-4, 0.4);
        let (mut lo, mut hi) = (0.0f64, f64::INFINITY);
        let mut accepted = None;
        for _ in 0..40 {
            for j in 0..n {
                xt[j] = x[j] + step * p[j];
            }
            let ft = f(&xt, &mut gt);
            let dt = dot(&gt, &p);
            if !ft.is_finite() || ft > fx + c1 * step * d0 {
                hi = step;
            } else if dt < c2 * d0 {
                lo = step;
            } else if dt > -c2 * d0 {
                hi = step;
            } else {
                accepted = Some(ft);
                break;
            }
            step = if hi.is_finite() {
                0.5 * (lo + hi)
            } else {
                2.0 * step
            };
            if hi - lo < 1e-14 * hi.max(1.0) {
                break;
            }
        }
        let Some(ft) = accepted else { break };
        // Polak-Ribiere+ update
        let gg = dot(&g, &g);
        let beta = if gg > 0.0 {
            (gt.iter().zip(&g).map(|(a, b)| (a - b) * a).sum::<f64>() / gg).max(0.0)
        } else {
            0.0
        };
        x.copy_from_slice(&xt);
        g.copy_from_slice(&gt);
        for j in 0..n {
            p[j] = -g[j] + beta * p[j];
        }
        old_old = fx;
        fx = ft;
    }
}

/// Fits GLAD by EM.
pub fn fit(ann: &Annotations, opts: &Options) -> Result<GladResult> {
    let k = ann.n_classes();
    if k < 2 {
        return Err(Error::param(
            "classes",
            format!("GLAD needs at least two classes, got {k}"),
        ));
    }
    if opts.tol.is_nan() || opts.m_step_tol.is_nan() {
        return Err(Error::param("tol", "expected a number, got NaN"));
    }
    if let Some(g) = &opts.gold {
        ann.check_gold(g)?;
    }
    let n = ann.n_items();
    let n_ann = ann.n_annotators();
    let annotated: Vec<bool> = (0..n).map(|i| ann.count_of(i) > 0).collect();
    let prob = Problem {
        ann,
        annotated: &annotated,
        gold: opts.gold.as_deref(),
        k,
        c: ((k - 1) as f64).ln(),
    };
    let mut x = vec![1.0; n_ann + n];
    let mut post = vec![f64::NAN; n * k];
    prob.e_step(&x[..n_ann], &x[n_ann..], &mut post);
    let n_rows = (ann.len() * k) as f64;
    let mut q = prob.q(&x, &post, None);
    let mut history = Vec::new();
    for _ in 0..opts.n_iter {
        crate::cancel::check()?;
        let last = q;
        {
            let (alpha, beta) = x.split_at(n_ann);
            prob.e_step(alpha, beta, &mut post);
        }
        let mut f = |xs: &[f64], g: &mut [f64]| {
            let v = prob.q(xs, &post, Some(g));
            g.iter_mut().for_each(|v| *v = -*v);
            -v
        };
        minimise_cg(&mut f, &mut x, opts.m_step_max_iter, opts.m_step_tol);
        q = prob.q(&x, &post, None) / n_rows;
        history.push(q);
        if q - last < opts.tol {
            break;
        }
    }
    let mut rng = SplitMix64::new(0);
    let labels = post
        .chunks(k)
        .map(|row| argmax_with_ties(row, Ties::First, &mut rng))
        .collect();
    let (alphas, betas) = x.split_at(n_ann);
    let betas = betas
        .iter()
        .zip(&annotated)
        .map(|(&b, &a)| if a { b } else { f64::NAN })
        .collect();
    Ok(GladResult {
        posterior: post,
        labels,
        alphas: alphas.to_vec(),
        betas,
        loss_history: history,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let a = Annotations::new(
            &[0, 0, 0, 1, 1, 2, 2, 2],
            &[0, 1, 2, 0, 2, 0, 1, 2],
            &[0, 0, 1, 1, 1, 2, 0, 2],
            3,
            3,
            3,
        )
        .unwrap();
        let annotated = vec![true; 3];
        let prob = Problem {
            ann: &a,
            annotated: &annotated,
            gold: None,
            k: 3,
            c: 2f64.ln(),
        };
        let x = vec![0.7, 1.3, -0.2, 0.4, 1.1, 0.9];
        let mut post = vec![0.0; 9];
        prob.e_step(&x[..3], &x[3..], &mut post);
        let mut g = vec![0.0; 6];
        prob.q(&x, &post, Some(&mut g));
        for j in 0..6 {
            let mut xp = x.clone();
            let mut xm = x.clone();
            xp[j] += 1e-6;
            xm[j] -= 1e-6;
            let fd = (prob.q(&xp, &post, None) - prob.q(&xm, &post, None)) / 2e-6;
            assert!((fd - g[j]).abs() < 1e-6, "{j}: {fd} vs {}", g[j]);
        }
    }

    #[test]
    fn cg_minimises_a_quadratic() {
        let mut f = |x: &[f64], g: &mut [f64]| {
            g[0] = 2.0 * (x[0] - 3.0);
            g[1] = 20.0 * (x[1] + 1.0);
            (x[0] - 3.0).powi(2) + 10.0 * (x[1] + 1.0).powi(2)
        };
        let mut x = vec![0.0, 0.0];
        minimise_cg(&mut f, &mut x, 50, 1e-10);
        assert!(
            (x[0] - 3.0).abs() < 1e-8 && (x[1] + 1.0).abs() < 1e-8,
            "{x:?}"
        );
    }

    #[test]
    fn recovers_truth() {
        let acc = [0.9, 0.8, 0.7, 0.6, 0.55, 0.85];
        let (it, an, lb, truth) =
            crate::labels::dawid_skene::tests::simulate(1500, 6, 3, 4, &acc, 9);
        let a = Annotations::new(&it, &an, &lb, 1500, 6, 3).unwrap();
        let r = fit(&a, &Options::default()).unwrap();
        let hits = r.labels.iter().zip(&truth).filter(|(x, y)| x == y).count();
        assert!(hits as f64 / 1500.0 > 0.9, "{hits}");
        // abler annotators get larger alphas
        assert!(r.alphas[0] > r.alphas[4]);
    }

    #[test]
    fn gold_pins_items_and_helps_the_rest() {
        let acc = [0.65, 0.6, 0.55, 0.6, 0.58];
        let (it, an, lb, truth) =
            crate::labels::dawid_skene::tests::simulate(600, 5, 3, 3, &acc, 21);
        let a = Annotations::new(&it, &an, &lb, 600, 5, 3).unwrap();
        let free = fit(&a, &Options::default()).unwrap();
        let gold: Vec<i64> = truth
            .iter()
            .enumerate()
            .map(|(i, &t)| if i % 3 == 0 { t } else { -1 })
            .collect();
        let opts = Options {
            gold: Some(gold.clone()),
            ..Options::default()
        };
        let r = fit(&a, &opts).unwrap();
        for (i, &g) in gold.iter().enumerate() {
            if g >= 0 {
                assert_eq!(r.labels[i], g);
                assert_eq!(r.posterior[i * 3 + g as usize], 1.0);
            }
        }
        let hits = |l: &[i64]| (0..600).filter(|&i| i % 3 != 0 && l[i] == truth[i]).count();
        // known items teach the abilities; allow 1 % noise on the 400 others
        assert!(
            hits(&r.labels) + 4 >= hits(&free.labels),
            "{} {}",
            hits(&r.labels),
            hits(&free.labels)
        );
        let bad = Options {
            gold: Some(vec![3; 600]),
            ..Options::default()
        };
        assert!(fit(&a, &bad).is_err());
    }
}
