//! Analysis windows.
//!
//! Periodic ("DFT-even") windows are what `scipy.signal.get_window` and librosa use;
//! symmetric windows are what `torch.hann_window(periodic=False)` and Kaldi use.

use crate::error::{Error, Result};

/// A window shape. `periodic` selects the DFT-even form (denominator `N`) over the
/// symmetric form (denominator `N - 1`).
#[derive(Debug, Clone, PartialEq)]
pub enum Window {
    /// von Hann: `0.5 - 0.5 cos(2 pi n / M)`.
    Hann { periodic: bool },
    /// Hamming: `0.54 - 0.46 cos(2 pi n / M)`.
    Hamming { periodic: bool },
    /// Blackman with Kaldi's parameterisation: `a - 0.5 cos(x) + (0.5 - a) cos(2x)`;
    /// `a = 0.42` is the classic Blackman window.
    Blackman { coeff: f64, periodic: bool },
    /// Kaldi's default: symmetric Hann raised to the power 0.85 (Povey).
    Povey,
    /// All ones (no tapering), as python_speech_features' default `winfunc`.
    Rectangular,
    /// User-supplied samples; the length must match the frame.
    Custom(Vec<f64>),
}

/// Parses a window name as librosa/scipy (`"hann"`, `"hamming"`, `"blackman"`,
/// `"boxcar"`/`"rectangular"`/`"ones"`) or Kaldi (`"hanning"`, `"povey"`) spell it, in
/// its periodic form (scipy's `fftbins=True`); [`Window::named`] chooses the form.
impl std::str::FromStr for Window {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        let periodic = true;
        Ok(match name.to_ascii_lowercase().as_str() {
            "hann" | "hanning" => Window::Hann { periodic },
            "hamming" => Window::Hamming { periodic },
            "blackman" => Window::Blackman {
                coeff: 0.42,
                periodic,
            },
            "povey" => Window::Povey,
            "boxcar" | "rectangular" | "rect" | "ones" | "none" => Window::Rectangular,
            other => {
                return Err(Error::param(
                    "window",
                    format!(
                        "unknown window {other:?}; expected one of hann, hamming, blackman, \
                         povey, rectangular (boxcar), or an array of samples"
                    ),
                ))
            }
        })
    }
}

impl Window {
    /// The window called `name` (see the [`FromStr`](std::str::FromStr) impl); `periodic`
    /// applies to the shapes that have both forms.
    pub fn named(name: &str, periodic: bool) -> Result<Self> {
        Ok(match name.parse::<Self>()? {
            Window::Hann { .. } => Window::Hann { periodic },
            Window::Hamming { .. } => Window::Hamming { periodic },
            Window::Blackman { coeff, .. } => Window::Blackman { coeff, periodic },
            other => other,
        })
    }

    /// The `len` window samples.
    pub fn samples(&self, len: usize) -> Result<Vec<f64>> {
        let cosine = |periodic: bool, f: &dyn Fn(f64) -> f64| cosine_window(len, periodic, f);
        Ok(match self {
            Window::Hann { periodic } => cosine(*periodic, &|x| 0.5 - 0.5 * x.cos()),
            Window::Hamming { periodic } => cosine(*periodic, &hamming_at),
            Window::Blackman { coeff, periodic } => {
                let a = *coeff;
                cosine(*periodic, &|x| {
                    a - 0.5 * x.cos() + (0.5 - a) * (2.0 * x).cos()
                })
            }
            Window::Povey => cosine(false, &|x| (0.5 - 0.5 * x.cos()).powf(0.85)),
            Window::Rectangular => vec![1.0; len],
            Window::Custom(w) => {
                if w.len() != len {
                    return Err(Error::param(
                        "window",
                        format!(
                            "a window array must have the frame length {len}, got {}",
                            w.len()
                        ),
                    ));
                }
                if let Some(i) = w.iter().position(|v| !v.is_finite()) {
                    return Err(Error::param("window", format!("sample {i} is not finite")));
                }
                w.clone()
            }
        })
    }
}

/// A cosine-sum window: `f(2 pi n / M)` for `n` in `0..len`, with `M = len` (periodic)
/// or `len - 1` (symmetric); a single sample is 1.
fn cosine_window(len: usize, periodic: bool, f: &dyn Fn(f64) -> f64) -> Vec<f64> {
    use std::f64::consts::PI;
    if len == 1 {
        return vec![1.0];
    }
    let m = if periodic {
        len as f64
    } else {
        (len as f64 - 1.0).max(1.0)
    };
    (0..len).map(|n| f(2.0 * PI * n as f64 / m)).collect()
}

fn hamming_at(x: f64) -> f64 {
    0.54 - 0.46 * x.cos()
}

/// Symmetric Hamming window (denominator `N - 1`): openSMILE's `winFunc = hamming`,
/// the same samples as `Window::Hamming { periodic: false }`.
pub fn hamming(len: usize) -> Vec<f64> {
    cosine_window(len, false, &hamming_at)
}

/// A Gaussian window over `len` samples: `exp(-0.5 (u / sigma)^2)` with `u` the distance
/// from the centre `(len - 1) / 2` in units of `half_width` samples. With `zero_ends`
/// the value at `u = +-1` is subtracted and the peak rescaled to 1.
///
/// The two forms in use are [`opensmile_gaussian`] and [`praat_gaussian`].
pub fn gaussian(len: usize, half_width: f64, sigma: f64, zero_ends: bool) -> Vec<f64> {
    let centre = (len as f64 - 1.0) / 2.0;
    let at = |u: f64| (-0.5 * (u / sigma).powi(2)).exp();
    let edge = if zero_ends { at(1.0) } else { 0.0 };
    (0..len)
        .map(|i| (at((i as f64 - centre) / half_width) - edge) / (1.0 - edge))
        .collect()
}

/// openSMILE's `winFunc = gauss` with its `sigma` (eGeMAPS: 0.4):
/// `exp(-0.5 ((n - (N-1)/2) / (sigma (N-1)/2))^2)`.
pub fn opensmile_gaussian(len: usize, sigma: f64) -> Vec<f64> {
    gaussian(len, (len as f64 - 1.0) / 2.0, sigma, false)
}

/// Praat's Gaussian analysis window over `n` samples (Sound: To Formant, To Harmonicity
/// (ac)): `exp(-12 u^2)` with `u` in [-1, 1] over `(n + 1) / 2` samples either side of the
/// centre, shifted and scaled to reach zero at the ends.
pub fn praat_gaussian(n: usize) -> Vec<f64> {
    gaussian(n, (n as f64 + 1.0) / 2.0, (1.0f64 / 24.0).sqrt(), true)
}

/// Centres `w` in a buffer of `n` samples (librosa's `util.pad_center`).
pub fn pad_center(w: &[f64], n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n];
    let lpad = (n - w.len()) / 2;
    out[lpad..lpad + w.len()].copy_from_slice(w);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_to_the_periodic_form_and_named_chooses() {
        assert_eq!(
            "Hann".parse::<Window>().ok(),
            Some(Window::Hann { periodic: true })
        );
        assert_eq!(
            Window::named("hanning", false).ok(),
            Some(Window::Hann { periodic: false })
        );
        assert_eq!(
            Window::named("blackman", false).ok(),
            Some(Window::Blackman {
                coeff: 0.42,
                periodic: false
            })
        );
        assert_eq!(Window::named("povey", true).ok(), Some(Window::Povey));
        let e = Window::named("kaiser", true)
            .err()
            .map_or(String::new(), |e| e.to_string());
        assert!(e.starts_with("window: unknown window \"kaiser\""), "{e}");
    }

    #[test]
    fn hann_forms() {
        let p = Window::Hann { periodic: true }.samples(4).unwrap();
        assert!((p[0] - 0.0).abs() < 1e-15 && (p[2] - 1.0).abs() < 1e-15);
        let s = Window::Hann { periodic: false }.samples(5).unwrap();
        assert!((s[4]).abs() < 1e-15 && (s[2] - 1.0).abs() < 1e-15);
    }

    #[test]
    fn povey_is_hann_power() {
        let h = Window::Hann { periodic: false }.samples(400).unwrap();
        let p = Window::Povey.samples(400).unwrap();
        for (a, b) in h.iter().zip(&p) {
            assert!((a.powf(0.85) - b).abs() < 1e-12);
        }
    }

    #[test]
    fn gaussian_forms() {
        // Praat's form, as it was written: (exp(-48 d^2 / (n+1)^2) - e^-12) / (1 - e^-12)
        let n = 10;
        let edge = (-12.0f64).exp();
        for (i, w) in praat_gaussian(n).iter().enumerate() {
            let d = (i + 1) as f64 - 0.5 * (n as f64 + 1.0);
            let want = ((-48.0 * d * d / ((n * n + 2 * n + 1) as f64)).exp() - edge) / (1.0 - edge);
            assert!((w - want).abs() < 1e-14, "{i}: {w} {want}");
        }
        // openSMILE's form with sigma 0.4 reaches exp(-0.5 / 0.16) at the ends
        let g = opensmile_gaussian(9, 0.4);
        assert!((g[4] - 1.0).abs() < 1e-15 && (g[0] - (-3.125f64).exp()).abs() < 1e-15);
        let h = Window::Hamming { periodic: false }.samples(7);
        assert!(matches!(h, Ok(h) if h == hamming(7)));
    }

    #[test]
    fn custom_length_checked() {
        assert!(Window::Custom(vec![1.0; 3]).samples(4).is_err());
        assert!("kaiser".parse::<Window>().is_err());
    }
}
