//! Per-utterance cepstral mean (and variance) normalisation.

use ndarray::Array2;

use crate::error::{Error, Result};
use crate::num::real::Real;

/// What to normalise per column over the frames of one utterance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmvn {
    None,
    /// Subtract the column mean (Kaldi `subtract_mean`, `apply-cmvn --norm-vars=false`).
    Mean,
    /// Subtract the mean and divide by the population standard deviation
    /// (`apply-cmvn --norm-vars=true`); constant columns are only centred.
    MeanVariance,
}

impl Cmvn {
    pub fn from_name(name: Option<&str>) -> Result<Self> {
        Ok(match name {
            None | Some("none") => Cmvn::None,
            Some("mean") => Cmvn::Mean,
            Some("meanvar") | Some("mean_variance") => Cmvn::MeanVariance,
            Some(other) => {
                return Err(Error::param(
                    "cmvn",
                    format!("expected None, \"mean\" or \"meanvar\", got {other:?}"),
                ))
            }
        })
    }
}

/// Normalises the columns of `x` in place (statistics accumulated in f64).
pub fn apply_cmvn<T: Real>(x: &mut Array2<T>, cmvn: Cmvn) {
    if cmvn == Cmvn::None || x.nrows() == 0 {
        return;
    }
    let n = x.nrows() as f64;
    for mut col in x.columns_mut() {
        let mean = col.iter().map(|v| v.f64()).sum::<f64>() / n;
        let scale = if cmvn == Cmvn::MeanVariance {
            let var = col.iter().map(|v| (v.f64() - mean).powi(2)).sum::<f64>() / n;
            if var > 0.0 {
                1.0 / var.sqrt()
            } else {
                1.0
            }
        } else {
            1.0
        };
        col.mapv_inplace(|v| T::of((v.f64() - mean) * scale));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meanvar_gives_zero_mean_unit_variance() {
        let mut x = Array2::from_shape_fn((50, 3), |(i, j)| (i * (j + 1)) as f64 + j as f64);
        apply_cmvn(&mut x, Cmvn::MeanVariance);
        for c in x.columns() {
            let m: f64 = c.sum() / 50.0;
            let v: f64 = c.iter().map(|v| (v - m).powi(2)).sum::<f64>() / 50.0;
            assert!(m.abs() < 1e-12 && (v - 1.0).abs() < 1e-12);
        }
    }
}
