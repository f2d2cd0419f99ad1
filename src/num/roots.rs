//! Roots of real polynomials: the eigenvalues of the companion matrix (Hessenberg QR,
//! with nalgebra's Schur form as the fallback), Aberth-Ehrlich refinement from nearby
//! estimates ([`warm_roots`], for frame-to-frame tracking), Newton polishing. Used for
//! LPC formants ([`super::lpc`]).

use nalgebra::{Complex, DMatrix, Schur};

/// Roots of the polynomial `c[0] z^m + c[1] z^(m-1) + ... + c[m]` (highest power first,
/// as `numpy.roots`): the eigenvalues of its companion matrix (Francis' double-shift QR,
/// values only), each polished by Newton's method on the polynomial (Praat's
/// "Polynomial: To Roots" does the same). Leading zeros are dropped; a constant
/// polynomial has no roots. Complex roots of the real polynomial come in exactly
/// conjugate pairs.
///
/// ```
/// use _core::num::roots::polynomial_roots;
/// // (z - 2)(z^2 + 1)
/// let mut r = polynomial_roots(&[1.0, -2.0, 1.0, -2.0]);
/// r.sort_by(|a, b| a.re.total_cmp(&b.re).then(a.im.total_cmp(&b.im)));
/// assert!((r[0].im + 1.0).abs() < 1e-12 && (r[1].im - 1.0).abs() < 1e-12);
/// assert!((r[2].re - 2.0).abs() < 1e-12);
/// ```
pub fn polynomial_roots(coefficients: &[f64]) -> Vec<Complex<f64>> {
    let c: &[f64] = match coefficients.iter().position(|&v| v != 0.0) {
        Some(i) => &coefficients[i..],
        None => return Vec::new(),
    };
    if c.len() < 2 {
        return Vec::new();
    }
    let estimates = companion_eigenvalues(c)
        .or_else(|| schur_eigenvalues(c))
        .unwrap_or_else(|| aberth_roots(c));
    // Newton on p(conj z) = conj p(z) is exactly conjugate: polish one root of a pair
    // (`paired`: the estimate is followed by its conjugate).
    let mut starts = Vec::with_capacity(estimates.len());
    let mut paired = Vec::with_capacity(estimates.len());
    let mut i = 0;
    while i < estimates.len() {
        let pair = estimates[i].im != 0.0 && estimates.get(i + 1) == Some(&estimates[i].conj());
        starts.push(estimates[i]);
        paired.push(pair);
        i += if pair { 2 } else { 1 };
    }
    let mut polished = starts.clone();
    polish_all(c, &mut polished);
    let mut roots = Vec::with_capacity(estimates.len());
    for ((z, start), pair) in polished.into_iter().zip(starts).zip(paired) {
        roots.push(z);
        if pair && z.im != 0.0 {
            roots.push(z.conj());
        } else if pair {
            // polished onto the real axis: the conjugate estimate is polished on its own
            roots.push(newton_polish(c, start.conj()));
        }
    }
    roots
}

/// The companion matrix's eigenvalues by nalgebra's general Schur decomposition: the
/// fallback when [`companion_eigenvalues`] does not converge. nalgebra's plain
/// `complex_eigenvalues` iterates without limit and never returns on some matrices (the
/// companion of z^m - 1 is a permutation), so the QR sweeps are bounded.
fn schur_eigenvalues(c: &[f64]) -> Option<Vec<Complex<f64>>> {
    let m = c.len() - 1;
    let mut comp = DMatrix::<f64>::zeros(m, m);
    for j in 0..m {
        comp[(0, j)] = -c[j + 1] / c[0];
    }
    for i in 1..m {
        comp[(i, i - 1)] = 1.0;
    }
    Schur::try_new(comp, f64::EPSILON, 60 * m)
        .map(|schur| schur.complex_eigenvalues().iter().copied().collect())
}

/// Eigenvalues of the companion matrix of the monic polynomial `c / c[0]` by Francis'
/// implicit double-shift QR iteration on the (already upper Hessenberg) matrix, values
/// only (Golub & Van Loan, "Matrix Computations", 4th ed., Algorithm 7.5.2, with the
/// deflation test and exceptional shifts of EISPACK's `hqr`). Praat's "Polynomial: To
/// Roots" takes the same eigenvalues (LAPACK's `dhseqr`); without the Schur vectors and
/// on one flat buffer this is several times cheaper than a general Schur decomposition.
/// `None` when an eigenvalue needs more than 30 sweeps.
fn companion_eigenvalues(c: &[f64]) -> Option<Vec<Complex<f64>>> {
    let m = c.len() - 1;
    // Row-major companion matrix: first row -c[1..]/c[0], ones on the subdiagonal.
    let mut h = vec![0.0f64; m * m];
    for j in 0..m {
        h[j] = -c[j + 1] / c[0];
    }
    for i in 1..m {
        h[i * m + i - 1] = 1.0;
    }
    let at = |i: usize, j: usize| i * m + j;
    let norm: f64 = h
        .iter()
        .map(|v| v.abs())
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let mut roots = vec![Complex::new(0.0, 0.0); m];
    // Active block: rows and columns lo..=hi; everything below hi is converged.
    let mut hi = m as isize - 1;
    let mut sweeps = 0;
    while hi >= 0 {
        let h_ = hi as usize;
        // Deflate at the lowest negligible subdiagonal entry.
        let mut lo = h_;
        while lo > 0 {
            let mut s = h[at(lo - 1, lo - 1)].abs() + h[at(lo, lo)].abs();
            if s == 0.0 {
                s = norm;
            }
            if h[at(lo, lo - 1)].abs() <= f64::EPSILON * s {
                h[at(lo, lo - 1)] = 0.0;
                break;
            }
            lo -= 1;
        }
        if lo == h_ {
            roots[h_] = Complex::new(h[at(h_, h_)], 0.0);
            hi -= 1;
            sweeps = 0;
            continue;
        }
        if lo + 1 == h_ {
            // A 2 x 2 block: its eigenvalues in the cancellation-free form.
            let (a, b) = (h[at(lo, lo)], h[at(lo, h_)]);
            let (cc, d) = (h[at(h_, lo)], h[at(h_, h_)]);
            let p = 0.5 * (a - d);
            let q = p * p + b * cc;
            if q >= 0.0 {
                let z = p + q.sqrt().copysign(p);
                roots[lo] = Complex::new(d + z, 0.0);
                roots[h_] = Complex::new(if z != 0.0 { d - b * cc / z } else { d + z }, 0.0);
            } else {
                let w = (-q).sqrt();
                roots[lo] = Complex::new(d + p, w);
                roots[h_] = Complex::new(d + p, -w);
            }
            hi -= 2;
            sweeps = 0;
            continue;
        }
        sweeps += 1;
        if sweeps > 30 {
            return None;
        }
        // Shifts: the eigenvalues of the trailing 2 x 2 block (sum s, product t), or
        // EISPACK's exceptional shifts after 10 and 20 fruitless sweeps.
        let (s, t) = if sweeps % 10 == 0 {
            // EISPACK's shifts are relative to H - h_nn I: sum 1.5 e, product e^2.
            let e = h[at(h_, h_ - 1)].abs() + h[at(h_ - 1, h_ - 2)].abs();
            let d = h[at(h_, h_)];
            (1.5 * e + 2.0 * d, d * d + 1.5 * e * d + e * e)
        } else {
            let (a, b) = (h[at(h_ - 1, h_ - 1)], h[at(h_ - 1, h_)]);
            let (cc, d) = (h[at(h_, h_ - 1)], h[at(h_, h_)]);
            (a + d, a * d - b * cc)
        };
        // First column of (H - s1 I)(H - s2 I), then chase the bulge down.
        let (h00, h01, h10, h11, h21) = (
            h[at(lo, lo)],
            h[at(lo, lo + 1)],
            h[at(lo + 1, lo)],
            h[at(lo + 1, lo + 1)],
            h[at(lo + 2, lo + 1)],
        );
        let mut x = h00 * h00 + h01 * h10 - s * h00 + t;
        let mut y = h10 * (h00 + h11 - s);
        let mut z = h10 * h21;
        for k in lo..h_ - 1 {
            let (v, beta) = householder3(x, y, z);
            if beta != 0.0 {
                // From the left on rows k..k+2 (three row slices, no per-element index
                // arithmetic), then from the right on columns k..k+2.
                let cols = k.saturating_sub(1).max(lo)..=h_;
                let (upper, lower) = h.split_at_mut((k + 1) * m);
                let (row1, row2) = lower.split_at_mut(m);
                let row0 = &mut upper[k * m..];
                for ((a, b), c) in row0[cols.clone()]
                    .iter_mut()
                    .zip(&mut row1[cols.clone()])
                    .zip(&mut row2[cols])
                {
                    let p = beta * (v[0] * *a + v[1] * *b + v[2] * *c);
                    *a -= p * v[0];
                    *b -= p * v[1];
                    *c -= p * v[2];
                }
                for row in h[lo * m..=(k + 3).min(h_) * m + k + 2].chunks_mut(m) {
                    let t = &mut row[k..k + 3];
                    let p = beta * (v[0] * t[0] + v[1] * t[1] + v[2] * t[2]);
                    t[0] -= p * v[0];
                    t[1] -= p * v[1];
                    t[2] -= p * v[2];
                }
            }
            x = h[at(k + 1, k)];
            y = h[at(k + 2, k)];
            z = if k + 3 <= h_ { h[at(k + 3, k)] } else { 0.0 };
        }
        // The last step is a 2-vector reflection on rows and columns hi-1, hi.
        let k = h_ - 1;
        let (v, beta) = householder3(x, y, 0.0);
        if beta != 0.0 {
            for j in (k - 1).max(lo)..=h_ {
                let p = beta * (v[0] * h[at(k, j)] + v[1] * h[at(k + 1, j)]);
                h[at(k, j)] -= p * v[0];
                h[at(k + 1, j)] -= p * v[1];
            }
            for i in lo..=h_ {
                let p = beta * (v[0] * h[at(i, k)] + v[1] * h[at(i, k + 1)]);
                h[at(i, k)] -= p * v[0];
                h[at(i, k + 1)] -= p * v[1];
            }
        }
    }
    Some(roots)
}

/// Householder vector `v` and `beta = 2 / v.v` with `(I - beta v v^T) (x, y, z)` a
/// multiple of the first unit vector; `beta = 0` for the zero vector.
fn householder3(x: f64, y: f64, z: f64) -> ([f64; 3], f64) {
    let norm = (x * x + y * y + z * z).sqrt();
    if norm == 0.0 {
        return ([0.0; 3], 0.0);
    }
    let v0 = x + norm.copysign(x);
    let v = [v0, y, z];
    (v, 2.0 / (v0 * v0 + y * y + z * z))
}

/// All roots at once by the Aberth-Ehrlich iteration (Aberth 1973), started on a circle
/// of the roots' geometric-mean radius; the last fallback when both QR iterations stall.
fn aberth_roots(c: &[f64]) -> Vec<Complex<f64>> {
    let m = c.len() - 1;
    let radius = (c[m] / c[0]).abs().powf(1.0 / m as f64).max(1e-3);
    let mut z: Vec<Complex<f64>> = (0..m)
        .map(|k| {
            Complex::from_polar(
                radius,
                2.0 * std::f64::consts::PI * k as f64 / m as f64 + 0.4,
            )
        })
        .collect();
    for _ in 0..500 {
        if aberth_sweep(c, &mut z) < 1e-14 {
            break;
        }
    }
    z
}

/// One Gauss-Seidel sweep of the Aberth-Ehrlich iteration over all estimates `z`;
/// returns the largest step relative to `1 + |z|`, infinite when a step was not finite
/// (that estimate is left as it was, so the sweep has not converged).
fn aberth_sweep(c: &[f64], z: &mut [Complex<f64>]) -> f64 {
    // split real / imaginary parts and p, p' of every estimate, in lanes rounded up to
    // whole groups of four (the unused lanes hold zeros); on the stack up to 16
    // estimates (LPC orders): no allocation per sweep
    let lanes = 4 * z.len().div_ceil(4);
    let (mut stack, mut heap) = ([0.0f64; 7 * 16], Vec::new());
    let buffer = scratch(&mut stack, &mut heap, 7 * lanes);
    let (re, rest) = buffer.split_at_mut(lanes);
    let (im, work) = rest.split_at_mut(lanes);
    for (k, v) in z.iter().enumerate() {
        re[k] = v.re;
        im[k] = v.im;
    }
    let largest = aberth_sweep_lanes(c, re, im, work, z.len());
    for (k, v) in z.iter_mut().enumerate() {
        *v = Complex::new(re[k], im[k]);
    }
    largest
}

crate::num::fastmath::avx2_dispatch! {
/// [`aberth_sweep`] on the first `m` lanes of split real / imaginary parts `re`, `im`
/// (lengths a multiple of 4; `work` five times that): `p` and `p'` at every estimate by
/// Horner's scheme over all lanes at once (z[i] changes only at its own turn, so they
/// can be evaluated up front), then each estimate's repulsion `sum_{j != i} 1 / (z_i -
/// z_j)` over all lanes at once (its own lane and the unused ones masked), both straight
/// loops over lanes that the compiler vectorises.
fn aberth_sweep_lanes(
    c: &[f64],
    re: &mut [f64],
    im: &mut [f64],
    work: &mut [f64],
    m: usize,
) -> f64 {
    let lanes = re.len();
    let (p_re, rest) = work.split_at_mut(lanes);
    let (p_im, rest) = rest.split_at_mut(lanes);
    let (d_re, rest) = rest.split_at_mut(lanes);
    let (d_im, valid) = rest.split_at_mut(lanes);
    // 1 on the lanes in use, 0 on the padding
    for (j, v) in valid.iter_mut().enumerate() {
        *v = if j < m { 1.0 } else { 0.0 };
    }
    horner_lanes(c, re, im, [&mut *p_re, &mut *p_im, &mut *d_re, &mut *d_im]);
    // Newton's corrections p / p' of every lane (they do not depend on the updates;
    // num_complex's division), so that only the repulsion and one division stay on the
    // serial path from one estimate's update to the next
    for k in 0..lanes {
        let (pr, pi, dr, di) = (p_re[k], p_im[k], d_re[k], d_im[k]);
        let den = dr * dr + di * di;
        p_re[k] = (pr * dr + pi * di) / den;
        p_im[k] = (pi * dr - pr * di) / den;
        // a lane with p = 0 exactly stays where it is
        d_re[k] = if pr == 0.0 && pi == 0.0 { 0.0 } else { 1.0 };
    }
    let (newton_re, newton_im, moves) = (p_re, p_im, d_re);
    // |step|^2 of each lane, for the convergence test after the sweep
    let step_sq = d_im;
    step_sq.fill(0.0);
    for i in 0..m {
        if moves[i] == 0.0 {
            continue;
        }
        let (zr, zi) = (re[i], im[i]);
        // sum_{j != i} conj(z_i - z_j) / |z_i - z_j|^2 in four partial sums. Lane i has
        // d = 0: its |d|^2 is taken as 1, so that it adds 0 without a branch (so would an
        // exact duplicate, which the distinctness check after the sweeps then refuses).
        let (mut sr, mut si) = ([0.0f64; 4], [0.0f64; 4]);
        let groups = re.chunks_exact(4).zip(im.chunks_exact(4));
        for ((gr, gi), gv) in groups.zip(valid.chunks_exact(4)) {
            for l in 0..4 {
                let (dr, di) = (zr - gr[l], zi - gi[l]);
                let n = dr * dr + di * di;
                let inv = gv[l] / (n + if n == 0.0 { 1.0 } else { 0.0 });
                sr[l] += dr * inv;
                si[l] -= di * inv;
            }
        }
        let repulsion = Complex::new((sr[0] + sr[1]) + (sr[2] + sr[3]), (si[0] + si[1]) + (si[2] + si[3]));
        let newton = Complex::new(newton_re[i], newton_im[i]);
        let step = newton / (Complex::new(1.0, 0.0) - newton * repulsion);
        if step.is_finite() {
            re[i] = zr - step.re;
            im[i] = zi - step.im;
            step_sq[i] = step.norm_sqr();
        } else {
            step_sq[i] = f64::INFINITY;
        }
    }
    // the largest step relative to 1 + |z| (sqrt of norm_sqr, not norm: libm's hypot
    // was 8 % of the eGeMAPS profile)
    let mut largest_step = 0.0f64;
    for k in 0..m {
        let relative = step_sq[k].sqrt() / (1.0 + (re[k] * re[k] + im[k] * im[k]).sqrt());
        largest_step = largest_step.max(relative);
    }
    largest_step
}
}

/// `len` default values of scratch: the front of `stack` when it is long enough (no
/// allocation per call at LPC orders), else `heap`, grown to `len`.
fn scratch<'a, T: Clone + Default>(
    stack: &'a mut [T],
    heap: &'a mut Vec<T>,
    len: usize,
) -> &'a mut [T] {
    if len <= stack.len() {
        &mut stack[..len]
    } else {
        heap.resize(len, T::default());
        heap
    }
}

/// `p(z)` and `p'(z)` at every lane `z = re + i im` by Horner's scheme (`c` highest
/// power first) into `[p_re, p_im, dp_re, dp_im]`: the operations of
/// [`eval_with_derivative`] in the same order (num_complex's product), so the same bits,
/// the lanes in one straight loop that the compiler vectorises.
#[inline(always)]
fn horner_lanes(c: &[f64], re: &[f64], im: &[f64], out: [&mut [f64]; 4]) {
    let [p_re, p_im, d_re, d_im] = out;
    let lanes = re.len().min(im.len());
    let (p_re, p_im) = (&mut p_re[..lanes], &mut p_im[..lanes]);
    let (d_re, d_im) = (&mut d_re[..lanes], &mut d_im[..lanes]);
    p_re.fill(c[0]);
    p_im.fill(0.0);
    d_re.fill(0.0);
    d_im.fill(0.0);
    for &ck in &c[1..] {
        for k in 0..lanes {
            // dp = dp z + p; p = p z + c_k
            let (zr, zi) = (re[k], im[k]);
            let (pr, pi) = (p_re[k], p_im[k]);
            let dr = d_re[k] * zr - d_im[k] * zi + pr;
            let di = d_re[k] * zi + d_im[k] * zr + pi;
            d_re[k] = dr;
            d_im[k] = di;
            p_re[k] = pr * zr - pi * zi + ck;
            p_im[k] = pr * zi + pi * zr;
        }
    }
}

/// [`newton_polish`] of every estimate in `z`, in place: the same steps with the same
/// values, every estimate's Horner evaluations run side by side (a lone Horner chain
/// is latency bound: polishing the 11 LPC roots one at a time cost about a third of a
/// root search).
fn polish_all(c: &[f64], z: &mut [Complex<f64>]) {
    let lanes = 4 * z.len().div_ceil(4);
    let (mut stack, mut heap) = ([0.0f64; 13 * 16], Vec::new());
    let buffer = scratch(&mut stack, &mut heap, 13 * lanes);
    for (k, v) in z.iter().enumerate() {
        buffer[k] = v.re;
        buffer[lanes + k] = v.im;
    }
    polish_lanes(c, buffer, lanes, z.len());
    for (k, v) in z.iter_mut().enumerate() {
        *v = Complex::new(buffer[k], buffer[lanes + k]);
    }
}

crate::num::fastmath::avx2_dispatch! {
/// [`polish_all`] on `buffer` (13 blocks of `lanes`: the estimates' real and imaginary
/// parts first), the first `m` lanes in use.
fn polish_lanes(c: &[f64], buffer: &mut [f64], lanes: usize, m: usize) -> () {
    let mut blocks = buffer.chunks_exact_mut(lanes);
    let mut block = || blocks.next().unwrap_or_default();
    let (re, im) = (block(), block());
    let (p_re, p_im, d_re, d_im) = (block(), block(), block(), block());
    let (n_re, n_im) = (block(), block());
    let (q_re, q_im, e_re, e_im) = (block(), block(), block(), block());
    let best = block();
    horner_lanes(c, re, im, [&mut *p_re, &mut *p_im, &mut *d_re, &mut *d_im]);
    let (mut stack, mut heap) = ([false; 16], Vec::new());
    let active = scratch(&mut stack, &mut heap, lanes);
    for k in 0..lanes {
        best[k] = p_re[k] * p_re[k] + p_im[k] * p_im[k];
        active[k] = k < m;
    }
    for _ in 0..80 {
        // the next estimate z - p / dp of every lane still stepping
        let mut any = false;
        for k in 0..lanes {
            let ns = d_re[k] * d_re[k] + d_im[k] * d_im[k];
            active[k] &= best[k] != 0.0 && ns != 0.0;
            any |= active[k];
            n_re[k] = re[k] - (p_re[k] * d_re[k] + p_im[k] * d_im[k]) / ns;
            n_im[k] = im[k] - (p_im[k] * d_re[k] - p_re[k] * d_im[k]) / ns;
        }
        if !any {
            break;
        }
        horner_lanes(c, n_re, n_im, [&mut *q_re, &mut *q_im, &mut *e_re, &mut *e_im]);
        // a lane takes its step only while |p| falls, and otherwise stops where it is
        for k in 0..lanes {
            let value = q_re[k] * q_re[k] + q_im[k] * q_im[k];
            active[k] &= value < best[k];
            if active[k] {
                (re[k], im[k], best[k]) = (n_re[k], n_im[k], value);
                (p_re[k], p_im[k], d_re[k], d_im[k]) = (q_re[k], q_im[k], e_re[k], e_im[k]);
            }
        }
    }
}
}

/// `p(z)` and `p'(z)` by Horner's scheme (`c` highest power first).
fn eval_with_derivative(c: &[f64], z: Complex<f64>) -> (Complex<f64>, Complex<f64>) {
    let mut p = Complex::new(c[0], 0.0);
    let mut dp = Complex::new(0.0, 0.0);
    for &ck in &c[1..] {
        dp = dp * z + p;
        p = p * z + ck;
    }
    (p, dp)
}

/// Newton's method from an eigenvalue estimate; stops when `|p(z)|` no longer falls, so
/// that polishing can only improve the root (at most 80 steps, as Praat). The value at
/// an accepted step is kept for the next one (one Horner pass per step).
fn newton_polish(c: &[f64], z0: Complex<f64>) -> Complex<f64> {
    let (mut p, mut dp) = eval_with_derivative(c, z0);
    let (mut z, mut best) = (z0, p.norm_sqr());
    for _ in 0..80 {
        if best == 0.0 || dp.norm_sqr() == 0.0 {
            break;
        }
        let next = z - p / dp;
        let (pn, dpn) = eval_with_derivative(c, next);
        let value = pn.norm_sqr();
        if !(value < best) {
            break;
        }
        (z, best, p, dp) = (next, value, pn, dpn);
    }
    z
}

/// Roots of `c` (highest power first, `c[0] != 0`) refined from close estimates `guess`,
/// one per root, such as the previous analysis frame's roots (LPC roots move little
/// from one 10 ms frame to the next): a few Aberth-Ehrlich sweeps (Aberth 1973; cubic
/// convergence from good estimates) then Newton polishing as in [`polynomial_roots`],
/// so the roots agree with it to rounding. `None` when the sweeps do not converge or
/// the result is not `m` distinct roots, real or in clear conjugate pairs: the caller
/// then takes [`polynomial_roots`].
///
/// ```
/// use _core::num::roots::{polynomial_roots, warm_roots};
/// use nalgebra::Complex;
/// // (z - 0.5)(z^2 + 0.81), estimates slightly off
/// let c = [1.0, -0.5, 0.81, -0.405];
/// let guess = [Complex::new(0.52, 0.0), Complex::new(0.01, 0.88), Complex::new(0.01, -0.88)];
/// let mut r = warm_roots(&c, &guess).unwrap();
/// r.sort_by(|a, b| a.im.total_cmp(&b.im));
/// assert!((r[0] - Complex::new(0.0, -0.9)).norm() < 1e-12);
/// assert!((r[1] - Complex::new(0.5, 0.0)).norm() < 1e-12 && r[1].im == 0.0);
/// assert!(warm_roots(&c, &guess[..2]).is_none());
/// ```
pub fn warm_roots(c: &[f64], guess: &[Complex<f64>]) -> Option<Vec<Complex<f64>>> {
    /// Sweeps allowed before falling back: a close start converges in 3-5; on LPC roots of
    /// consecutive 10 ms speech frames (eGeMAPS' formants) 12 % of the frames needed 9-12
    /// sweeps, each cheaper than falling back to the QR iteration (0.3 % need more).
    const SWEEPS: usize = 12;
    let m = c.len().checked_sub(1)?;
    if m == 0 || c[0] == 0.0 || guess.len() != m || !guess.iter().all(|z| z.is_finite()) {
        return None;
    }
    let mut z = guess.to_vec();
    // cubic convergence: after a sweep with steps below 1e-8 the estimates are far
    // closer than that, and Newton finishes them to rounding
    (0..SWEEPS).find(|_| aberth_sweep(c, &mut z) < 1e-8)?;
    // Real roots come out with a rounding-sized imaginary part; a pair with a small but
    // not negligible one could be two real roots or a complex pair: leave it to the QR.
    // the real roots (on the axis) and the upper roots of pairs, polished side by side
    let mut starts = Vec::with_capacity(m);
    for w in z {
        let scale = 1.0 + w.norm_sqr().sqrt();
        if w.im.abs() <= 1e-12 * scale {
            starts.push(Complex::new(w.re, 0.0));
        } else if w.im.abs() < 1e-6 * scale {
            return None;
        } else if w.im > 0.0 {
            starts.push(w);
        }
    }
    let upper: Vec<bool> = starts.iter().map(|w| w.im > 0.0).collect();
    polish_all(c, &mut starts);
    let mut roots = Vec::with_capacity(m);
    for (r, upper) in starts.into_iter().zip(upper) {
        if !upper {
            roots.push(r);
        } else if r.im <= 0.0 {
            return None;
        } else {
            // Newton on p(conj z) = conj p(z) is exactly conjugate, as in polynomial_roots
            roots.push(r);
            roots.push(r.conj());
        }
    }
    let distinct = (0..roots.len()).all(|i| {
        let scale = 1e-6 * (1.0 + roots[i].norm_sqr().sqrt());
        (i + 1..roots.len()).all(|j| (roots[i] - roots[j]).norm_sqr() > scale * scale)
    });
    (roots.len() == m && distinct && roots.iter().all(|r| r.is_finite())).then_some(roots)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::lpc::test_polys::from_reflection;

    #[test]
    fn roots_of_known_polynomials() {
        let r = polynomial_roots(&[2.0, -6.0, 4.0]); // 2 (z - 1)(z - 2)
        let mut re: Vec<f64> = r.iter().map(|z| z.re).collect();
        re.sort_by(f64::total_cmp);
        assert!((re[0] - 1.0).abs() < 1e-12 && (re[1] - 2.0).abs() < 1e-12);
        assert!(polynomial_roots(&[0.0, 0.0, 3.0]).is_empty());
        assert!(polynomial_roots(&[]).is_empty());
        // z^10 - 1: the 10th roots of unity, each |p(z)| tiny after polishing
        let mut c = vec![0.0; 11];
        c[0] = 1.0;
        c[10] = -1.0;
        let r = polynomial_roots(&c);
        assert_eq!(r.len(), 10);
        for z in &r {
            assert!((z.norm() - 1.0).abs() < 1e-12);
        }
        // The fallback alone finds the same roots.
        let mut r = aberth_roots(&[1.0, -2.0, 1.0, -2.0]);
        r.sort_by(|a, b| a.re.total_cmp(&b.re).then(a.im.total_cmp(&b.im)));
        let want = [
            Complex::new(0.0, -1.0),
            Complex::new(0.0, 1.0),
            Complex::new(2.0, 0.0),
        ];
        for (z, w) in r.iter().zip(&want) {
            assert!((z - w).norm() < 1e-10, "{z}");
        }
    }

    #[test]
    fn qr_roots_equal_the_schur_roots_on_random_stable_lpc_polynomials() {
        let mut rng = crate::num::TestRng(7);
        let mut uniform = || rng.uniform();
        let mut worst = 0.0f64;
        for trial in 0..3000 {
            let order = [2, 4, 8, 10, 10, 10, 12, 16, 20][trial % 9];
            // Reflection coefficients up to +-0.98 put roots close to the unit circle,
            // as in voiced speech.
            let k: Vec<f64> = (0..order)
                .map(|_| {
                    let u = 2.0 * uniform() - 1.0;
                    u.signum() * u.abs().powf(0.3) * 0.98
                })
                .collect();
            let mut c = vec![1.0];
            c.extend(from_reflection(&k));
            let ours = polynomial_roots(&c);
            let estimates = companion_eigenvalues(&c).expect("QR converges");
            let reference: Vec<Complex<f64>> = schur_eigenvalues(&c)
                .expect("Schur converges")
                .into_iter()
                .map(|z| newton_polish(&c, z))
                .collect();
            assert_eq!(ours.len(), order);
            assert_eq!(estimates.len(), order);
            // Same multiset: match each reference root to its nearest unused root.
            let mut used = vec![false; order];
            for z in &reference {
                let (j, d) = ours
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| !used[*j])
                    .map(|(j, w)| (j, (w - z).norm()))
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .unwrap();
                used[j] = true;
                worst = worst.max(d);
                assert!(d < 1e-9, "order {order}: {z} vs {}", ours[j]);
                assert!(
                    ours[j].norm() < 1.0 + 1e-9,
                    "stable polynomial, root {}",
                    ours[j]
                );
            }
            // Conjugate pairs are exact.
            for z in &ours {
                assert!(ours.iter().any(|w| *w == z.conj()));
            }
        }
        assert!(worst < 1e-9, "{worst}");
    }

    #[test]
    fn polishing_side_by_side_equals_polishing_one_at_a_time() {
        // the same steps and stops per estimate, so the same bits; 1 to 19 estimates
        // (stack and heap lanes, partly filled groups), near roots and far from them
        let mut rng = crate::num::TestRng(5);
        let mut uniform = || rng.uniform();
        for n in 1..20 {
            let c: Vec<f64> = (0..=n)
                .map(|k| if k == 0 { 1.0 } else { uniform() - 0.5 })
                .collect();
            let mut z: Vec<Complex<f64>> = (0..n)
                .map(|_| Complex::new(2.0 * uniform() - 1.0, 2.0 * uniform() - 1.0))
                .collect();
            z.push(Complex::new(0.3, 0.0));
            let one: Vec<Complex<f64>> = z.iter().map(|&w| newton_polish(&c, w)).collect();
            polish_all(&c, &mut z);
            for (a, b) in z.iter().zip(&one) {
                assert_eq!(
                    (a.re.to_bits(), a.im.to_bits()),
                    (b.re.to_bits(), b.im.to_bits()),
                    "n {n}"
                );
            }
        }
    }

    #[test]
    fn warm_roots_equal_the_qr_roots_from_nearby_estimates() {
        // random degree-12 polynomials with roots inside the unit disk (LPC-like: five
        // conjugate pairs and two real roots), started from the roots moved by ~1e-2
        let mut state = 0x9E3779B97F4A7C15u64;
        let mut uniform = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut warm = 0;
        for _ in 0..200 {
            let mut true_roots = Vec::new();
            for _ in 0..5 {
                let z = Complex::from_polar(0.3 + 0.69 * uniform(), 0.05 + 3.0 * uniform());
                true_roots.extend([z, z.conj()]);
            }
            true_roots.extend([
                Complex::new(uniform() - 0.5, 0.0),
                Complex::new(0.9 * uniform(), 0.0),
            ]);
            let mut c = vec![Complex::new(1.0, 0.0)];
            for r in &true_roots {
                let mut next = vec![Complex::new(0.0, 0.0); c.len() + 1];
                for (i, v) in c.iter().enumerate() {
                    next[i] += v;
                    next[i + 1] -= v * r;
                }
                c = next;
            }
            let c: Vec<f64> = c.iter().map(|v| v.re).collect();
            let guess: Vec<Complex<f64>> = true_roots
                .iter()
                .map(|z| z + Complex::new(0.02 * (uniform() - 0.5), 0.02 * (uniform() - 0.5)))
                .collect();
            let want = polynomial_roots(&c);
            let Some(got) = warm_roots(&c, &guess) else {
                continue;
            };
            warm += 1;
            assert_eq!(got.len(), want.len());
            for g in &got {
                let nearest = want
                    .iter()
                    .map(|w| (g - w).norm())
                    .fold(f64::INFINITY, f64::min);
                assert!(nearest < 1e-9, "{g} vs {want:?}");
                // real stays exactly real, pairs exactly conjugate
                assert!(g.im == 0.0 || got.contains(&g.conj()));
            }
        }
        assert!(warm > 150, "{warm} of 200 warm");
        // a start far from the roots falls back rather than return wrong roots
        let c = [1.0, 0.0, 0.0, 0.0, -1.0];
        let bad = [Complex::new(0.0, 0.0); 4];
        assert!(warm_roots(&c, &bad).is_none());
    }
}
