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

/// `"none"`, `"mean"`, `"meanvar"` (or `"mean_variance"`).
impl std::str::FromStr for Cmvn {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        Ok(match name {
            "none" => Cmvn::None,
            "mean" => Cmvn::Mean,
            "meanvar" | "mean_variance" => Cmvn::MeanVariance,
            other => {
                return Err(Error::param(
                    "cmvn",
                    format!("expected None, \"mean\" or \"meanvar\", got {other:?}"),
                ))
            }
        })
    }
}

impl Cmvn {
    /// No normalisation for `None`, else the [`FromStr`](std::str::FromStr) name.
    pub fn from_option(name: Option<&str>) -> Result<Self> {
        name.map_or(Ok(Cmvn::None), str::parse)
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
    fn none_is_no_normalisation_and_names_parse() {
        assert_eq!(Cmvn::from_option(None).ok(), Some(Cmvn::None));
        assert_eq!(
            Cmvn::from_option(Some("meanvar")).ok(),
            Some(Cmvn::MeanVariance)
        );
        assert_eq!("none".parse::<Cmvn>().ok(), Some(Cmvn::None));
        let e = Cmvn::from_option(Some("var"))
            .err()
            .map_or(String::new(), |e| e.to_string());
        assert!(e.starts_with("cmvn: expected None"), "{e}");
    }

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
