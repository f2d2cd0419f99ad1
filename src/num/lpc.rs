//! Linear prediction (LPC): autocorrelation (Levinson-Durbin) and Burg coefficients, the
//! roots of the prediction polynomial, and formants read off those roots.
//!
//! Convention everywhere: the inverse filter is `A(z) = 1 + sum_k a_k z^-k`, so a frame
//! is predicted as `x[n] ~ -sum_k a_k x[n-k]` and `a` holds `a_1..a_p` (the leading 1 is
//! implicit), as in `scipy.signal.lfilter([1, *a], 1, x)` for the residual and
//! `librosa.lpc` (which returns `[1, *a]`).
//!
//! Formants follow Praat's "Sound: To Formant (burg)..." (Boersma & Weenink, Praat
//! manual): roots of the polynomial ([`super::roots`]: the eigenvalues of its companion
//! matrix, polished by Newton's method), roots outside the unit circle reflected inside, and every root
//! `z` in the upper half plane giving frequency `arg(z) sr / (2 pi)` and bandwidth
//! `-ln|z| sr / pi`.

use super::roots::polynomial_roots;
use crate::num::fastmath::dot;
use nalgebra::Complex;

/// LPC of `frame` by the autocorrelation method (Levinson-Durbin recursion; Makhoul
/// 1975, "Linear prediction: a tutorial review", Proc. IEEE 63(4)). The frame is used as
/// given (window it first). Returns `(a_1..a_p, E)` with `E` the energy of the
/// prediction error (same scale as `sum x^2`), or `None` for a silent frame or
/// `order >= frame.len()`. The recursion stops early, leaving the higher coefficients
/// at zero, if the error energy reaches zero (an exactly predictable frame).
///
/// ```
/// use _core::num::lpc::autocorrelation_lpc;
/// // the impulse response of 1 / (1 - 0.9 z^-1): A(z) = 1 - 0.9 z^-1
/// let x: Vec<f64> = (0..200).map(|n| 0.9f64.powi(n)).collect();
/// let (a, e) = autocorrelation_lpc(&x, 1).unwrap();
/// assert!((a[0] + 0.9).abs() < 1e-9 && (e - 1.0).abs() < 1e-9);
/// ```
pub fn autocorrelation_lpc(frame: &[f64], order: usize) -> Option<(Vec<f64>, f64)> {
    if order == 0 || order >= frame.len() {
        return None;
    }
    // on the stack up to order 32 (LPC orders): no allocation but the result
    let mut stack = [0.0f64; 33];
    let mut heap = Vec::new();
    let r: &mut [f64] = if order < stack.len() {
        &mut stack[..=order]
    } else {
        heap.resize(order + 1, 0.0);
        &mut heap
    };
    if !autocorrelation(frame, r) {
        return None;
    }
    let mut a = vec![0.0f64; order];
    let mut err = r[0];
    for i in 0..order {
        if err <= 0.0 {
            break;
        }
        let acc = r[i + 1] + (0..i).map(|j| a[j] * r[i - j]).sum::<f64>();
        let k = -acc / err;
        // a[j] += k a[i-1-j] from the old values: update the pairs (j, i-1-j) together
        for j in 0..i / 2 {
            let (lo, hi) = (a[j], a[i - 1 - j]);
            a[j] = lo + k * hi;
            a[i - 1 - j] = hi + k * lo;
        }
        if i % 2 == 1 {
            let m = i / 2;
            a[m] += k * a[m];
        }
        a[i] = k;
        err *= 1.0 - k * k;
    }
    Some((a, err.max(0.0)))
}

crate::num::fastmath::avx2_dispatch! {
    /// `r[k] = sum_n frame[n] frame[n + k]` for `k < r.len()` (vectorised dot products,
    /// several accumulators; with AVX2 4 wide, the same values); whether `r[0] > 0`.
    fn autocorrelation(frame: &[f64], r: &mut [f64]) -> bool {
        for (k, v) in r.iter_mut().enumerate() {
            *v = dot(&frame[k..], frame);
        }
        r[0] > 0.0
    }
}

/// LPC of `frame` by Burg's method (Burg 1967; the recursion as in Press et al.,
/// "Numerical Recipes", `memcof`, which Praat's "To Formant (burg)" uses): each
/// reflection coefficient minimises the sum of the forward and backward prediction
/// errors, so the model is stable and needs no window-edge assumption. Returns
/// `(a_1..a_p, E)` with `E` the mean square of the prediction error per sample, or `None`
/// for a silent frame or `order >= frame.len()`.
///
/// ```
/// use _core::num::lpc::burg_lpc;
/// let x: Vec<f64> = (0..400).map(|n| (0.3 * n as f64).sin()).collect();
/// let (a, e) = burg_lpc(&x, 2).unwrap();
/// // a pure sinusoid: A(z) = 1 - 2 cos(0.3) z^-1 + z^-2, no error
/// assert!((a[0] + 2.0 * 0.3f64.cos()).abs() < 1e-3 && (a[1] - 1.0).abs() < 1e-3);
/// assert!(e < 1e-6);
/// ```
pub fn burg_lpc(frame: &[f64], order: usize) -> Option<(Vec<f64>, f64)> {
    let n = frame.len();
    if order == 0 || order >= n {
        return None;
    }
    let mut mean_square = frame.iter().map(|v| v * v).sum::<f64>() / n as f64;
    if !(mean_square > 0.0) {
        return None;
    }
    // Numerical Recipes' two error sequences: b starts as x[0..n-1], f as x[1..n].
    let mut f: Vec<f64> = frame[1..].to_vec();
    let mut b: Vec<f64> = frame[..n - 1].to_vec();
    let (mut next_f, mut next_b) = (vec![0.0f64; n - 1], vec![0.0f64; n - 1]);
    // d: the predictor x[n] ~ sum d_k x[n-k] (Numerical Recipes' sign).
    let mut d = vec![0.0f64; order];
    let mut prev = vec![0.0f64; order];
    for i in 0..order {
        // Vectorised dot products (several accumulators), not one serial fold.
        let num = dot(&f, &b);
        let den = dot(&f, &f) + dot(&b, &b);
        if !(den > 0.0) {
            // Perfectly predicted already: the remaining coefficients stay zero.
            break;
        }
        let k = 2.0 * num / den;
        mean_square *= 1.0 - k * k;
        prev[..i].copy_from_slice(&d[..i]);
        d[i] = k;
        for j in 0..i {
            d[j] = prev[j] - k * prev[i - 1 - j];
        }
        // Next stage (both error sequences shorten by one): e_b <- e_b - k e_f,
        // e_f <- e_f (one step later) - k e_b (one step later), from the old values.
        let m = f.len() - 1;
        next_b.truncate(m);
        next_f.truncate(m);
        for (nb, (bj, fj)) in next_b.iter_mut().zip(b.iter().zip(&f)) {
            *nb = bj - k * fj;
        }
        for (nf, (fj, bj)) in next_f.iter_mut().zip(f[1..].iter().zip(&b[1..])) {
            *nf = fj - k * bj;
        }
        std::mem::swap(&mut b, &mut next_b);
        std::mem::swap(&mut f, &mut next_f);
    }
    Some((d.iter().map(|v| -v).collect(), mean_square.max(0.0)))
}

/// Formants `(frequency Hz, bandwidth Hz)` of the all-pole model `1 / A(z)`,
/// `A(z) = 1 + sum_k a[k-1] z^-k`, sorted by frequency: roots outside the unit circle
/// are reflected inside (`z -> 1 / conj(z)`, which keeps the magnitude response up to a
/// gain, as Praat's "Roots: Fix into unit circle"); each root with positive imaginary
/// part gives `f = arg(z) sr / (2 pi)`, `B = -ln|z| sr / pi`; frequencies outside
/// `[min_freq, max_freq]` are dropped (Praat keeps 50 Hz .. Nyquist - 50 Hz).
///
/// ```
/// use _core::num::lpc::formants_from_lpc;
/// // one resonance at 1000 Hz with 100 Hz bandwidth, sr 10 kHz
/// let (sr, f, b) = (10000.0f64, 1000.0f64, 100.0f64);
/// let r = (-std::f64::consts::PI * b / sr).exp();
/// let th = 2.0 * std::f64::consts::PI * f / sr;
/// let out = formants_from_lpc(&[-2.0 * r * th.cos(), r * r], sr, 50.0, 4950.0);
/// assert!((out[0].0 - f).abs() < 1e-9 && (out[0].1 - b).abs() < 1e-9);
/// ```
pub fn formants_from_lpc(
    a: &[f64],
    sample_rate: f64,
    min_freq: f64,
    max_freq: f64,
) -> Vec<(f64, f64)> {
    let mut c = Vec::with_capacity(a.len() + 1);
    c.push(1.0);
    c.extend_from_slice(a);
    formants_from_roots(&polynomial_roots(&c), sample_rate, min_freq, max_freq)
}

/// [`formants_from_lpc`] from the roots of `A(z)` already found (e.g. by [`warm_roots`]).
pub fn formants_from_roots(
    roots: &[Complex<f64>],
    sample_rate: f64,
    min_freq: f64,
    max_freq: f64,
) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = roots
        .iter()
        .filter(|z| z.im > 0.0)
        .filter_map(|z| {
            let r = z.norm();
            let z = if r > 1.0 { z.conj().inv() } else { *z };
            let f = z.im.atan2(z.re) * sample_rate / (2.0 * std::f64::consts::PI);
            let bw = -z.norm().ln() * sample_rate / std::f64::consts::PI;
            (f >= min_freq && f <= max_freq).then_some((f, bw))
        })
        .collect();
    out.sort_by(|p, q| p.0.total_cmp(&q.0));
    out
}

/// Test polynomials and signals shared by the LPC and root tests.
#[cfg(test)]
pub(crate) mod test_polys {
    use std::f64::consts::PI;

    /// Coefficients a_1..a_p of a product of second-order resonators.
    pub(crate) fn resonators(poles: &[(f64, f64)], sr: f64) -> Vec<f64> {
        let mut poly = vec![1.0f64];
        for &(f, b) in poles {
            let r = (-PI * b / sr).exp();
            let sec = [1.0, -2.0 * r * (2.0 * PI * f / sr).cos(), r * r];
            let mut next = vec![0.0; poly.len() + 2];
            for (i, p) in poly.iter().enumerate() {
                for (j, s) in sec.iter().enumerate() {
                    next[i + j] += p * s;
                }
            }
            poly = next;
        }
        poly[1..].to_vec()
    }

    /// The all-pole filter 1/A(z) driven by a pseudo-random excitation.
    pub(crate) fn synthesize(a: &[f64], n: usize) -> Vec<f64> {
        let mut rng = crate::num::TestRng(12345);
        let mut y = vec![0.0f64; n];
        for i in 0..n {
            let e = rng.uniform() - 0.5;
            let fb: f64 = a
                .iter()
                .enumerate()
                .filter(|(k, _)| i > *k)
                .map(|(k, ak)| ak * y[i - 1 - k])
                .sum();
            y[i] = e - fb;
        }
        y
    }

    /// A(z) from reflection coefficients (the step-up recursion): every |k| < 1 gives a
    /// stable polynomial, as Burg and Levinson-Durbin produce.
    pub(crate) fn from_reflection(k: &[f64]) -> Vec<f64> {
        let mut a: Vec<f64> = Vec::new();
        for &ki in k {
            let prev = a.clone();
            a.push(ki);
            for j in 0..prev.len() {
                a[j] = prev[j] + ki * prev[prev.len() - 1 - j];
            }
        }
        a
    }
}

#[cfg(test)]
mod tests {
    use super::test_polys::{resonators, synthesize};
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn formants_of_known_poles() {
        let sr = 11000.0;
        let poles = [
            (500.0, 60.0),
            (1500.0, 90.0),
            (2500.0, 120.0),
            (3500.0, 200.0),
        ];
        let a = resonators(&poles, sr);
        let f = formants_from_lpc(&a, sr, 50.0, sr / 2.0 - 50.0);
        assert_eq!(f.len(), 4);
        for ((fe, be), (ft, bt)) in f.iter().zip(&poles) {
            assert!(
                (fe - ft).abs() < 1e-8 && (be - bt).abs() < 1e-8,
                "{fe} {be}"
            );
        }
        // A pole pair outside the unit circle is reflected: same frequency, same |B|.
        let r: f64 = 1.05;
        let th = 2.0 * PI * 1000.0 / sr;
        let out = formants_from_lpc(&[-2.0 * r * th.cos(), r * r], sr, 50.0, 5450.0);
        assert!((out[0].0 - 1000.0).abs() < 1e-9);
        assert!((out[0].1 - r.ln() * sr / PI).abs() < 1e-9);
        // Range limits drop roots.
        assert!(formants_from_lpc(&a, sr, 600.0, 3000.0).len() == 2);
    }

    #[test]
    fn burg_and_autocorrelation_recover_an_all_pole_model() {
        let sr = 10000.0;
        let poles = [(700.0, 80.0), (1200.0, 100.0), (2600.0, 150.0)];
        let a_true = resonators(&poles, sr);
        let y = synthesize(&a_true, 20000);
        for (name, fit) in [
            ("burg", burg_lpc(&y, 6).unwrap()),
            ("autocorrelation", autocorrelation_lpc(&y, 6).unwrap()),
        ] {
            let (a, e) = fit;
            // The autocorrelation method is biased on a finite frame (implicit zeros
            // outside it); Burg is not.
            let tol = if name == "burg" { 0.05 } else { 0.1 };
            for (x, t) in a.iter().zip(&a_true) {
                assert!((x - t).abs() < tol, "{name}: {a:?} vs {a_true:?}");
            }
            let f = formants_from_lpc(&a, sr, 50.0, 4950.0);
            for ((fe, _), (ft, _)) in f.iter().zip(&poles) {
                assert!((fe / ft - 1.0).abs() < 0.01, "{name}: {fe} vs {ft}");
            }
            assert!(e > 0.0);
        }
        // The excitation is uniform(-0.5, 0.5): variance 1/12 per sample.
        let (_, e) = burg_lpc(&y, 6).unwrap();
        assert!((e * 12.0 - 1.0).abs() < 0.05, "{e}");
    }

    #[test]
    fn burg_matches_levinson_on_a_long_stationary_signal_and_rejects_silence() {
        let y: Vec<f64> = synthesize(&[-1.2, 0.5], 50000);
        let (ab, _) = burg_lpc(&y, 2).unwrap();
        let (al, _) = autocorrelation_lpc(&y, 2).unwrap();
        for (x, z) in ab.iter().zip(&al) {
            assert!((x - z).abs() < 1e-3);
        }
        assert!((ab[0] + 1.2).abs() < 0.02 && (ab[1] - 0.5).abs() < 0.02);
        assert!(burg_lpc(&[0.0; 100], 4).is_none());
        assert!(autocorrelation_lpc(&[0.0; 100], 4).is_none());
        assert!(burg_lpc(&[1.0, 2.0], 4).is_none());
    }
}
