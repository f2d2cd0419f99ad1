//! Mel-frequency cepstral coefficients: log mel energies -> DCT -> lifter -> energy
//! replacement -> CMVN -> deltas.

use ndarray::Array2;

use super::cmvn::apply_cmvn;
use super::delta::{append_deltas, DeltaSpec};
use super::logmel::{apply_log, EnergyLog, MelAnalyzer, MelSpectrogramSpec};
use crate::error::{Error, Result};
use crate::num::fastmath::dot;
use crate::num::real::Real;

/// A discrete cosine transform as `scipy.fft.dct(type, norm)` defines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DctSpec {
    /// 1, 2 or 3.
    pub dct_type: u8,
    /// `norm="ortho"`; otherwise scipy's unnormalised transform.
    pub ortho: bool,
}

/// Cepstral liftering `c_n *= 1 + (L/2) sin(pi (n + offset) / L)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lifter {
    /// `L`; 0 switches liftering off.
    pub coeff: f64,
    /// librosa counts `n` from 1, HTK/Kaldi from 0.
    pub librosa_indexing: bool,
}

/// What replaces C0, and where it ends up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct C0Rule {
    /// Replace C0 by the log frame energy (Kaldi `use_energy`, psf `appendEnergy`).
    pub replace_with_energy: Option<EnergyLog>,
    /// Kaldi `htk_compat`: C0 (or energy) moves to the last column; a true C0 is scaled
    /// by sqrt(2).
    pub htk_compat: bool,
}

/// A complete MFCC recipe.
#[derive(Debug, Clone, PartialEq)]
pub struct MfccSpec {
    /// Must carry a log compression and no energy column.
    pub mel: MelSpectrogramSpec,
    pub n_mfcc: usize,
    pub dct: DctSpec,
    pub lifter: Lifter,
    pub c0: C0Rule,
    pub deltas: DeltaSpec,
}

/// `(n_out, n_in)` DCT matrix, row-major, in f64.
pub fn dct_matrix(n_in: usize, n_out: usize, dct: DctSpec) -> Result<Vec<f64>> {
    use std::f64::consts::PI;
    let n = n_in as f64;
    let mut m = crate::limits::filled(
        crate::limits::product::<f64>(&[n_out, n_in], crate::limits::Source::Arg("n_mfcc"))?,
        0.0,
        crate::limits::Source::Arg("n_mfcc"),
    )?;
    match dct.dct_type {
        2 => {
            for k in 0..n_out {
                let s = if dct.ortho {
                    if k == 0 {
                        (1.0 / n).sqrt()
                    } else {
                        (2.0 / n).sqrt()
                    }
                } else {
                    2.0
                };
                for j in 0..n_in {
                    m[k * n_in + j] =
                        s * (PI * k as f64 * (2.0 * j as f64 + 1.0) / (2.0 * n)).cos();
                }
            }
        }
        3 => {
            for k in 0..n_out {
                for j in 0..n_in {
                    let c = (PI * j as f64 * (2.0 * k as f64 + 1.0) / (2.0 * n)).cos();
                    m[k * n_in + j] = if dct.ortho {
                        if j == 0 {
                            (1.0 / n).sqrt()
                        } else {
                            (2.0 / n).sqrt() * c
                        }
                    } else if j == 0 {
                        1.0
                    } else {
                        2.0 * c
                    };
                }
            }
        }
        1 => {
            if n_in < 2 {
                return Err(Error::param(
                    "dct_type",
                    "type 1 needs at least 2 mel bands",
                ));
            }
            let nm1 = n - 1.0;
            for k in 0..n_out {
                for j in 0..n_in {
                    let edge = j == 0 || j == n_in - 1;
                    let c = (PI * k as f64 * j as f64 / nm1).cos();
                    let mut v = if edge { c } else { 2.0 * c };
                    if dct.ortho {
                        // scipy: x0, x_{N-1} scaled by sqrt(2), y scaled by sqrt(1/(2(N-1))),
                        // y0 and y_{N-1} divided by sqrt(2).
                        if edge {
                            v *= 2f64.sqrt();
                        }
                        v *= (1.0 / (2.0 * nm1)).sqrt();
                        if k == 0 || k == n_in - 1 {
                            v /= 2f64.sqrt();
                        }
                    }
                    m[k * n_in + j] = v;
                }
            }
        }
        t => {
            return Err(Error::param(
                "dct_type",
                format!("expected 1, 2 or 3, got {t}"),
            ))
        }
    }
    Ok(m)
}

/// Lifter weights for `n` coefficients.
pub fn lifter_weights(n: usize, lifter: Lifter) -> Vec<f64> {
    let l = lifter.coeff;
    if l == 0.0 {
        return vec![1.0; n];
    }
    let off = if lifter.librosa_indexing { 1.0 } else { 0.0 };
    (0..n)
        .map(|i| 1.0 + (l / 2.0) * (std::f64::consts::PI * (i as f64 + off) / l).sin())
        .collect()
}

/// A planned MFCC extractor (filterbank, FFT plan and DCT built once).
pub struct MfccAnalyzer<T: Real> {
    mel: MelAnalyzer<T>,
    spec: MfccSpec,
    dct: Vec<T>,
}

impl<T: Real> MfccAnalyzer<T> {
    /// The mel front end under the cepstrum.
    pub fn mel(&self) -> &MelAnalyzer<T> {
        &self.mel
    }

    pub fn new(spec: &MfccSpec) -> Result<Self> {
        let mel = MelAnalyzer::new(&spec.mel)?;
        let n_mels = spec.mel.mel.n_mels;
        if spec.n_mfcc == 0 || spec.n_mfcc > n_mels {
            return Err(Error::param(
                "n_mfcc",
                format!(
                    "must be between 1 and the number of mel bands ({n_mels}), got {}",
                    spec.n_mfcc
                ),
            ));
        }
        if spec.lifter.coeff < 0.0 {
            return Err(Error::param(
                "lifter",
                format!("must be >= 0, got {}", spec.lifter.coeff),
            ));
        }
        let mut dct = dct_matrix(n_mels, spec.n_mfcc, spec.dct)?;
        // Fold the lifter into the DCT rows: one pass per frame instead of two.
        for (k, w) in lifter_weights(spec.n_mfcc, spec.lifter)
            .into_iter()
            .enumerate()
        {
            dct[k * n_mels..(k + 1) * n_mels]
                .iter_mut()
                .for_each(|v| *v *= w);
        }
        spec.deltas.validate()?;
        Ok(MfccAnalyzer {
            mel,
            spec: spec.clone(),
            dct: dct.into_iter().map(T::of).collect(),
        })
    }

    /// Width of the output rows.
    pub fn n_features(&self) -> usize {
        self.spec.n_mfcc * (1 + self.spec.deltas.order)
    }

    pub fn compute(&self, signal: &[T]) -> Result<Array2<T>> {
        let spec = &self.spec;
        let (mut mel, energies) = self.mel.mel_energies(signal);
        apply_log(&mut mel, spec.mel.log)?;
        let (n, n_mels) = mel.dim();
        let nc = spec.n_mfcc;
        let mut out = Array2::<T>::zeros((n, nc));
        for (t, (m, mut o)) in mel.rows().into_iter().zip(out.rows_mut()).enumerate() {
            let m = m
                .as_slice()
                .ok_or_else(|| Error::Internal("mel row not contiguous".into()))?;
            for k in 0..nc {
                o[k] = dot(&self.dct[k * n_mels..(k + 1) * n_mels], m);
            }
            if let Some(rule) = spec.c0.replace_with_energy {
                o[0] = T::of(rule.apply(energies[t]));
            } else if spec.c0.htk_compat {
                o[0] = o[0] * T::of(std::f64::consts::SQRT_2);
            }
            if spec.c0.htk_compat {
                // C0 goes last: rotate left by one.
                if let Some(s) = o.as_slice_mut() {
                    s.rotate_left(1);
                }
            }
        }
        apply_cmvn(&mut out, spec.mel.cmvn);
        append_deltas(out, &spec.deltas)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ortho_dct2_is_orthonormal() {
        let n = 8;
        let m = dct_matrix(
            n,
            n,
            DctSpec {
                dct_type: 2,
                ortho: true,
            },
        )
        .unwrap();
        for a in 0..n {
            for b in 0..n {
                let d: f64 = (0..n).map(|j| m[a * n + j] * m[b * n + j]).sum();
                assert!((d - if a == b { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
        // type 3 ortho is its inverse
        let m3 = dct_matrix(
            n,
            n,
            DctSpec {
                dct_type: 3,
                ortho: true,
            },
        )
        .unwrap();
        for a in 0..n {
            for b in 0..n {
                let d: f64 = (0..n).map(|j| m3[a * n + j] * m[j * n + b]).sum();
                assert!((d - if a == b { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn lifter_indexing() {
        let k = lifter_weights(
            3,
            Lifter {
                coeff: 22.0,
                librosa_indexing: false,
            },
        );
        assert_eq!(k[0], 1.0);
        let l = lifter_weights(
            3,
            Lifter {
                coeff: 22.0,
                librosa_indexing: true,
            },
        );
        assert!((l[0] - (1.0 + 11.0 * (std::f64::consts::PI / 22.0).sin())).abs() < 1e-12);
    }
}
