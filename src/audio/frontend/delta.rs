//! Delta (time-derivative) features.
//!
//! - `Savgol`: librosa `feature.delta` = `scipy.signal.savgol_filter(x, width,
//!   polyorder=order, deriv=order, mode)`; order 2 is the second derivative of a local
//!   quadratic fit, not a delta of deltas. Mode `"interp"` fits the edge windows.
//! - `Regression`: HTK / python_speech_features `delta(feat, N)`:
//!   `d_t = sum_n n (c_{t+n} - c_{t-n}) / (2 sum n^2)`, frames clamped at the edges;
//!   order 2 applies it to the deltas (as HTK and `torchaudio.functional.compute_deltas`
//!   twice).
//! - `Kaldi`: Kaldi `add-deltas`: order-k filters are the order-1 filter convolved with
//!   itself k times, applied to the static features with clamped frame indices.

use ndarray::{s, Array2};

use crate::error::{Error, Result};
use crate::num::real::Real;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeltaMethod {
    Savgol,
    Regression,
    Kaldi,
}

/// Edge handling of the Savitzky-Golay filter (scipy's `mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavgolMode {
    Interp,
    Nearest,
    Mirror,
    Constant,
    Wrap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeltaSpec {
    /// 0 (statics only), 1 (+ deltas) or 2 (+ deltas + delta-deltas).
    pub order: usize,
    pub method: DeltaMethod,
    /// Odd window width in frames: 9 for librosa, 5 (N = 2) for HTK and Kaldi.
    pub width: usize,
    pub mode: SavgolMode,
}

impl DeltaSpec {
    pub fn none() -> Self {
        DeltaSpec {
            order: 0,
            method: DeltaMethod::Regression,
            width: 5,
            mode: SavgolMode::Interp,
        }
    }

    pub fn validate(&self) -> Result<()> {
        if self.order > 2 {
            return Err(Error::param(
                "deltas",
                format!("expected 0, 1 or 2, got {}", self.order),
            ));
        }
        if self.order > 0 && (self.width < 3 || self.width % 2 == 0) {
            return Err(Error::param(
                "delta_width",
                format!("must be an odd number >= 3, got {}", self.width),
            ));
        }
        if self.order > 0 {
            // the Savitzky-Golay fit holds a width x width matrix
            crate::limits::product::<f64>(
                &[self.width, self.width],
                crate::limits::Source::Arg("delta_width"),
            )?;
        }
        Ok(())
    }
}

impl std::str::FromStr for SavgolMode {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        Ok(match name {
            "interp" => SavgolMode::Interp,
            "nearest" => SavgolMode::Nearest,
            "mirror" => SavgolMode::Mirror,
            "constant" => SavgolMode::Constant,
            "wrap" => SavgolMode::Wrap,
            other => {
                return Err(Error::param(
                    "delta_mode",
                    format!("expected interp, nearest, mirror, constant or wrap, got {other:?}"),
                ))
            }
        })
    }
}

/// Appends `spec.order` delta blocks to the right of `statics`.
pub fn append_deltas<T: Real>(statics: Array2<T>, spec: &DeltaSpec) -> Result<Array2<T>> {
    if spec.order == 0 {
        return Ok(statics);
    }
    spec.validate()?;
    let (n, d) = statics.dim();
    if spec.method == DeltaMethod::Savgol && spec.mode == SavgolMode::Interp && n < spec.width {
        return Err(Error::param(
            "deltas",
            format!(
                "Savitzky-Golay deltas with mode=\"interp\" need at least delta_width={} frames, \
                 got {n} (librosa.feature.delta raises here too); use a shorter delta_width, \
                 another delta_mode, or a longer clip",
                spec.width
            ),
        ));
    }
    let mut out = Array2::<T>::zeros((n, d * (1 + spec.order)));
    out.slice_mut(s![.., ..d]).assign(&statics);
    let mut prev = statics.clone();
    for k in 1..=spec.order {
        let block = match spec.method {
            DeltaMethod::Savgol => map_columns(&statics, |c| savgol(c, spec.width, k, spec.mode)),
            DeltaMethod::Regression => {
                map_columns(&prev, |c| regression(c, &regression_filter(spec.width)))
            }
            DeltaMethod::Kaldi => {
                map_columns(&statics, |c| regression(c, &kaldi_filter(spec.width, k)))
            }
        };
        out.slice_mut(s![.., k * d..(k + 1) * d]).assign(&block);
        prev = block;
    }
    Ok(out)
}

fn map_columns<T: Real>(x: &Array2<T>, f: impl Fn(&[f64]) -> Vec<f64>) -> Array2<T> {
    let (n, d) = x.dim();
    let mut out = Array2::<T>::zeros((n, d));
    for j in 0..d {
        let col: Vec<f64> = x.column(j).iter().map(|v| v.f64()).collect();
        for (o, v) in out.column_mut(j).iter_mut().zip(f(&col)) {
            *o = T::of(v);
        }
    }
    out
}

/// Order-1 regression filter for odd `width` (taps `-N..=N`).
fn regression_filter(width: usize) -> Vec<f64> {
    let n = (width / 2) as i64;
    let denom: f64 = 2.0 * (1..=n).map(|i| (i * i) as f64).sum::<f64>();
    (-n..=n).map(|i| i as f64 / denom).collect()
}

/// Kaldi's order-k filter: the order-1 filter convolved with itself k times.
fn kaldi_filter(width: usize, order: usize) -> Vec<f64> {
    let base = regression_filter(width);
    let mut f = vec![1.0];
    for _ in 0..order {
        let mut g = vec![0.0; f.len() + base.len() - 1];
        for (i, a) in f.iter().enumerate() {
            for (j, b) in base.iter().enumerate() {
                g[i + j] += a * b;
            }
        }
        f = g;
    }
    f
}

/// Correlates `x` with a centred odd filter, clamping frame indices at the edges.
fn regression(x: &[f64], filter: &[f64]) -> Vec<f64> {
    let n = x.len() as i64;
    let h = (filter.len() / 2) as i64;
    (0..n)
        .map(|t| {
            filter
                .iter()
                .enumerate()
                .map(|(j, w)| w * x[(t + j as i64 - h).clamp(0, n - 1) as usize])
                .sum()
        })
        .collect()
}

/// Least-squares polynomial derivative weights: for samples at `positions`, the weights
/// `w` with `sum_i w_i x_i = d^deriv/dt^deriv p(at)` where `p` is the degree-`order` fit.
fn poly_derivative_weights(positions: &[f64], order: usize, deriv: usize, at: f64) -> Vec<f64> {
    let m = order + 1;
    // Normal equations G = A^T A (m x m), A_ij = positions_i^j.
    let mut g = vec![vec![0.0; m]; m];
    for &p in positions {
        for r in 0..m {
            for c in 0..m {
                g[r][c] += p.powi((r + c) as i32);
            }
        }
    }
    // Row vector e: derivative of the basis t^j at `at`.
    let e: Vec<f64> = (0..m)
        .map(|j| {
            if j < deriv {
                0.0
            } else {
                let fall: f64 = ((j - deriv + 1)..=j).map(|v| v as f64).product();
                fall * at.powi((j - deriv) as i32)
            }
        })
        .collect();
    // Solve G z = e (G symmetric positive definite, tiny): Gaussian elimination.
    let z = solve(g, e);
    positions
        .iter()
        .map(|&p| (0..m).map(|j| z[j] * p.powi(j as i32)).sum())
        .collect()
}

fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
    let n = b.len();
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, piv);
        b.swap(col, piv);
        for r in col + 1..n {
            let f = a[r][col] / a[col][col];
            for c in col..n {
                a[r][c] -= f * a[col][c];
            }
            b[r] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    x
}

/// `scipy.signal.savgol_filter(x, width, polyorder=order, deriv=order, delta=1, mode)`.
fn savgol(x: &[f64], width: usize, order: usize, mode: SavgolMode) -> Vec<f64> {
    let n = x.len();
    let h = width / 2;
    let pos: Vec<f64> = (0..width).map(|i| i as f64 - h as f64).collect();
    let centre = poly_derivative_weights(&pos, order, order, 0.0);
    let ni = n as i64;
    let at = |i: i64| -> f64 {
        match mode {
            SavgolMode::Nearest | SavgolMode::Interp => x[i.clamp(0, ni - 1) as usize],
            SavgolMode::Constant => {
                if (0..ni).contains(&i) {
                    x[i as usize]
                } else {
                    0.0
                }
            }
            SavgolMode::Wrap => x[i.rem_euclid(ni) as usize],
            SavgolMode::Mirror => {
                if ni == 1 {
                    return x[0];
                }
                let p = 2 * (ni - 1);
                let mut k = i.rem_euclid(p);
                if k >= ni {
                    k = p - k;
                }
                x[k as usize]
            }
        }
    };
    let mut out: Vec<f64> = (0..ni)
        .map(|t| {
            centre
                .iter()
                .enumerate()
                .map(|(j, w)| w * at(t + j as i64 - h as i64))
                .sum()
        })
        .collect();
    if mode == SavgolMode::Interp && n >= width {
        // Fit the first and last `width` samples and evaluate the derivative there.
        let win: Vec<f64> = (0..width).map(|i| i as f64 - h as f64).collect();
        for t in 0..h {
            let w = poly_derivative_weights(&win, order, order, t as f64 - h as f64);
            out[t] = w.iter().zip(&x[..width]).map(|(a, b)| a * b).sum();
        }
        for t in (n - h)..n {
            let rel = (t - (n - width)) as f64 - h as f64;
            let w = poly_derivative_weights(&win, order, order, rel);
            out[t] = w.iter().zip(&x[n - width..]).map(|(a, b)| a * b).sum();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn savgol_recovers_polynomial_derivatives() {
        // x = t^2: first derivative 2t, second 2, everywhere including the edges (interp).
        let x: Vec<f64> = (0..20).map(|t| (t * t) as f64).collect();
        let d1 = savgol(&x, 9, 1, SavgolMode::Interp);
        let d2 = savgol(&x, 9, 2, SavgolMode::Interp);
        for t in 0..20 {
            assert!((d2[t] - 2.0).abs() < 1e-9, "d2[{t}]={}", d2[t]);
        }
        // order-1 fit of a parabola is exact in the interior (symmetric window)
        for t in 4..16 {
            assert!((d1[t] - 2.0 * t as f64).abs() < 1e-9);
        }
    }

    #[test]
    fn regression_of_a_ramp_is_one_inside() {
        let x: Vec<f64> = (0..10).map(|t| t as f64).collect();
        let d = regression(&x, &regression_filter(5));
        assert!((d[5] - 1.0).abs() < 1e-12);
        // edge clamping: d0 = (1*(1-0) + 2*(2-0)) / 10 = 0.5
        assert!((d[0] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn kaldi_second_order_filter_has_nine_taps() {
        let f = kaldi_filter(5, 2);
        assert_eq!(f.len(), 9);
        assert!((f.iter().sum::<f64>()).abs() < 1e-12);
    }
}
