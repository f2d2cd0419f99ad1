//! Formant frequencies and bandwidths of eGeMAPS: openSMILE's `cSpecResample` -> `cLpc` ->
//! `cFormantLpc` chain on the 20 ms frame.
//!
//! [C] (`gemapsv01b_resampLpc`, `gemapsv01b_lpc`, `gemapsv01b_formantLpc`): the complex
//! 512-point spectrum of the Hamming-windowed 20 ms frame resampled to 11 kHz, LPC order 11
//! by the autocorrelation method, 5 formants between 50 and 5450 Hz. The recipe was
//! measured black-box (fact sheet `egemaps-facts.md` section 3: the resampled frame to
//! float precision, F1-F3 and bandwidths at r >= 0.999 frame by frame on most clips):
//!
//! 1. `y[m] = (2 Re X_0 + 2 sum_{k=1..109} Re(X_k e^{2 pi i k m / 352})) / 512`, m = 0..219:
//!    bins up to 3406 Hz, a 352-point inverse DFT, the DC term doubled, the first 220
//!    samples kept (so the LPC sees 66 samples of padding ringing and the first 14 ms of
//!    the frame);
//! 2. autocorrelation LPC of order 11 of those samples, no further window;
//! 3. roots of `1 - sum a_k z^-k` (`a` of `A(z) = 1 + sum a_k z^-k`) in the upper half
//!    plane: `f = arg(z) 11000 / (2 pi)`, `B = |ln |z|| 11000 / pi` (roots outside the unit
//!    circle kept as they are), those with 50 < f < 5450 sorted by frequency; missing
//!    formants are 0.
//!
//! These are openSMILE's values, not vocal-tract formants (`ak.formants` gives Praat's).

use std::sync::Arc;

use realfft::{ComplexToReal, RealFftPlanner};
use rustfft::num_complex::Complex;

use crate::num::lpc::autocorrelation_lpc;
use crate::num::roots::{polynomial_roots, warm_roots};

const RATE: f64 = 11000.0;
const ORDER: usize = 11;
const N_IDFT: usize = 352;
const N_OUT: usize = 220;
const N_BINS: usize = 110;
const MIN_F: f64 = 50.0;
const MAX_F: f64 = 5450.0;

/// Planned inverse DFT.
pub struct Formants {
    inverse: Arc<dyn ComplexToReal<f64>>,
}

/// Per-thread buffers; the previous frame's roots start the next frame's root search.
pub struct FormantBuffers {
    spectrum: Vec<Complex<f64>>,
    /// The 220-sample frame the LPC sees (`gemapsv01b_outpR`).
    pub frame: Vec<f64>,
    scratch: Vec<Complex<f64>>,
    poly: Vec<f64>,
    roots: Vec<Complex<f64>>,
    /// `a_1..a_11` of the last frame (`gemapsv01b_lpc`), empty for a silent frame.
    pub lpc: Vec<f64>,
}

impl Default for Formants {
    fn default() -> Self {
        Self::new()
    }
}

impl Formants {
    pub fn new() -> Self {
        Formants {
            inverse: RealFftPlanner::<f64>::new().plan_fft_inverse(N_IDFT),
        }
    }

    pub fn buffers(&self) -> FormantBuffers {
        FormantBuffers {
            spectrum: self.inverse.make_input_vec(),
            frame: self.inverse.make_output_vec(),
            scratch: self.inverse.make_scratch_vec(),
            poly: Vec::with_capacity(ORDER + 1),
            roots: Vec::new(),
            lpc: Vec::new(),
        }
    }

    /// Formants 1-3 `(frequency, bandwidth)` (0 where missing) of the 20 ms frame whose
    /// 512-point complex spectrum is `x`.
    pub fn frame(&self, x: &[Complex<f64>], b: &mut FormantBuffers) -> [(f64, f64); 3] {
        // the inverse transform overwrites its input: clear the bins above N_BINS again
        b.spectrum[N_BINS..].fill(Complex::new(0.0, 0.0));
        b.spectrum[0] = Complex::new(2.0 * x[0].re, 0.0);
        b.spectrum[1..N_BINS].copy_from_slice(&x[1..N_BINS]);
        // sizes come from this plan: the transform cannot fail
        let _ = self
            .inverse
            .process_with_scratch(&mut b.spectrum, &mut b.frame, &mut b.scratch);
        b.frame.truncate(N_OUT);
        // times 1/512 (a power of two): the same values as a division
        b.frame.iter_mut().for_each(|v| *v *= 1.0 / 512.0);
        let mut out = [(0.0, 0.0); 3];
        b.lpc.clear();
        let a = autocorrelation_lpc(&b.frame, ORDER).map(|(a, _)| a);
        b.frame.resize(N_IDFT, 0.0);
        let Some(a) = a else {
            return out;
        };
        b.lpc.extend_from_slice(&a);
        b.poly.clear();
        b.poly.push(1.0);
        b.poly.extend(a.iter().map(|v| -v));
        let roots = warm_roots(&b.poly, &b.roots).unwrap_or_else(|| polynomial_roots(&b.poly));
        // at most ORDER / 2 roots in the upper half plane: no allocation
        let mut found = [(0.0, 0.0); ORDER];
        let mut count = 0;
        for z in roots.iter().filter(|z| z.im > 0.0) {
            let f = z.im.atan2(z.re) * RATE / (2.0 * std::f64::consts::PI);
            if f > MIN_F && f < MAX_F && count < ORDER {
                let bw = z.norm().ln().abs() * RATE / std::f64::consts::PI;
                found[count] = (f, bw);
                count += 1;
            }
        }
        let found = &mut found[..count];
        found.sort_by(|p, q| p.0.total_cmp(&q.0));
        for (o, f) in out.iter_mut().zip(found.iter()) {
            *o = *f;
        }
        b.roots = roots;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::egemaps::framing::{PaddedFft, SHORT, SHORT_FFT};

    #[test]
    fn silence_has_no_formants_and_noise_has_three() {
        let fft = PaddedFft::new(crate::num::window::hamming(SHORT), SHORT_FFT);
        let mut fb = fft.buffers();
        let fm = Formants::new();
        let mut b = fm.buffers();
        fft.process(&[0.0; 320], 0, &mut fb);
        assert_eq!(fm.frame(&fb.spectrum, &mut b), [(0.0, 0.0); 3]);
        let noise: Vec<f64> = (0..320u64)
            .map(|i| ((i * 7919 % 613) as f64 / 613.0) - 0.5)
            .collect();
        fft.process(&noise, 0, &mut fb);
        let f = fm.frame(&fb.spectrum, &mut b);
        assert!(f[0].0 > 50.0 && f[0].0 < f[1].0 && f[1].0 < f[2].0, "{f:?}");
    }
}
