//! Framing, input quantisation, windows and the zero-padded FFTs of the eGeMAPS chain.
//!
//! openSMILE's eGeMAPSv02 configuration ([C] = the `opensmile` 2.6 pip package's
//! `GeMAPSv01b_core.lld.conf.inc`): 20 ms frames (`gemapsv01b_frame25`, symmetric Hamming)
//! and 60 ms frames (`gemapsv01b_frame60`, Gaussian, sigma 0.4), both every 10 ms and
//! starting at sample `160 t` (`frameCenterSpecial = left`). Measured black-box (fact
//! sheets `egemaps-facts*.md`): the pip wrapper hands openSMILE `int16(float32(y) * 32768)`
//! (truncation) and openSMILE reads those samples as `int16 / 32767`; `cTransformFFT` pads
//! a frame symmetrically to the next power of two (96 + 320 + 96 -> 512 points,
//! 32 + 960 + 32 -> 1024 points); magnitudes are plain `|X|`.

use std::sync::Arc;

use crate::num::real::Real;

use realfft::{RealFftPlanner, RealToComplex};
use rustfft::num_complex::Complex;

/// Samples per 10 ms hop, 20 ms frame and 60 ms frame at 16 kHz.
pub const HOP: usize = 160;
pub const SHORT: usize = 320;
pub const LONG: usize = 960;
/// FFT sizes after openSMILE's symmetric zero padding.
pub const SHORT_FFT: usize = 512;
pub const LONG_FFT: usize = 1024;
/// Bins of the two magnitude spectra.
pub const SHORT_BINS: usize = SHORT_FFT / 2 + 1;
pub const LONG_BINS: usize = LONG_FFT / 2 + 1;

/// The signal as openSMILE sees it: `trunc(float32(y) * 32768)` saturated to int16, read
/// back as `q / 32767` (measured: the magnitude spectra then agree to float32 rounding).
/// Kept as the int16 codes (2 bytes a sample; [`Sample::value`] reads them back), not as
/// an f64 copy of the clip; [`quantised`] reads the same values without any copy.
#[inline(never)]
pub fn quantise<T: Real>(y: &[T]) -> Vec<i16> {
    y.iter().map(|&v| code(v)).collect()
}

/// A sample the eGeMAPS stages read: an f64 as it is, or an int16 code of [`quantise`]
/// as `q / 32767` (kept, or computed on read by [`Quantised`]).
pub trait Sample: Copy + Send + Sync {
    fn value(self) -> f64;

    /// `out[i] = x[i].value() * w[i]` over the common length.
    #[inline(always)]
    fn windowed(x: &[Self], w: &[f64], out: &mut [f64]) {
        for ((o, v), w) in out.iter_mut().zip(x).zip(w) {
            *o = v.value() * w;
        }
    }
}

impl Sample for f64 {
    #[inline(always)]
    fn value(self) -> f64 {
        self
    }
}

/// `1 / 32767` rounded to f64.
const INV_32767: f64 = 1.0 / 32767.0;

impl Sample for i16 {
    /// `q / 32767` correctly rounded, without a division: `y = q r` with `r = 1/32767`
    /// rounded, its exact residual `q - 32767 y = (q - 32768 y) + y` (both subtractions
    /// of numbers within a factor of two of each other, hence exact by Sterbenz' lemma;
    /// `32768 y` is exact), then one correction step `y + e r`. Equal to the division bit
    /// for bit for every int16 code (checked exhaustively in the tests); a division is
    /// several times the cost of these four operations and the frames read every sample
    /// up to fifteen times.
    #[inline(always)]
    fn value(self) -> f64 {
        let q = self as f64;
        let y = q * INV_32767;
        let e = (q - y * 32768.0) + y;
        y + e * INV_32767
    }

    fn windowed(x: &[Self], w: &[f64], out: &mut [f64]) {
        window_codes(x, w, out);
    }
}

crate::num::fastmath::avx2_dispatch! {
/// [`Sample::windowed`] of int16 codes, four lanes at a time with AVX2 (the same
/// operations per sample as [`Sample::value`], so the same bits).
fn window_codes(x: &[i16], w: &[f64], out: &mut [f64]) -> () {
    for ((o, v), w) in out.iter_mut().zip(x).zip(w) {
        *o = v.value() * w;
    }
}
}

/// The int16 code of one sample: `trunc(float32(v) * 32768)` saturated to int16 (Rust's
/// float-to-int cast truncates and saturates).
#[inline(always)]
pub fn code<T: Real>(v: T) -> i16 {
    ((v.f64() as f32) * 32768.0) as i16
}

/// A sample of the caller's signal read as [`quantise`] codes it, when it is read.
#[repr(transparent)]
#[derive(Debug, Clone, Copy)]
pub struct Quantised<T>(T);

impl<T: Real> Sample for Quantised<T> {
    #[inline(always)]
    fn value(self) -> f64 {
        code(self.0).value()
    }
}

/// `y` as the eGeMAPS stages read it ([`quantise`]'s values), without a copy: 16 kHz
/// input costs no memory of the clip's size.
pub fn quantised<T: Real>(y: &[T]) -> &[Quantised<T>] {
    // SAFETY: `Quantised<T>` is `repr(transparent)` over `T` (same size, alignment and
    // validity), so the slice reinterpretation keeps the length and the lifetime.
    unsafe { std::slice::from_raw_parts(y.as_ptr() as *const Quantised<T>, y.len()) }
}

/// Number of 20 ms frames of `n` samples: `(n - 320) / 160 + 1`, 0 below one frame.
pub fn n_short(n: usize) -> usize {
    if n >= SHORT {
        (n - SHORT) / HOP + 1
    } else {
        0
    }
}

/// Number of 60 ms frames of `n` samples: `(n - 960) / 160 + 1`, 0 below one frame.
pub fn n_long(n: usize) -> usize {
    if n >= LONG {
        (n - LONG) / HOP + 1
    } else {
        0
    }
}

/// A windowed frame centred in a zero-padded FFT buffer, as `cTransformFFT` does.
pub struct PaddedFft {
    window: Vec<f64>,
    n_fft: usize,
    fft: Arc<dyn RealToComplex<f64>>,
}

/// Per-thread buffers of one [`PaddedFft`].
pub struct FftBuffers {
    /// The padded, windowed frame, which the real FFT then uses as its work area (it is
    /// windowed straight in: no copy of the frame per transform).
    work: Vec<f64>,
    pub spectrum: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
    /// `|X|` of every bin.
    pub magnitude: Vec<f64>,
}

impl PaddedFft {
    pub fn new(window: Vec<f64>, n_fft: usize) -> Self {
        PaddedFft {
            window,
            n_fft,
            fft: RealFftPlanner::<f64>::new().plan_fft_forward(n_fft),
        }
    }

    pub fn buffers(&self) -> FftBuffers {
        FftBuffers {
            work: self.fft.make_input_vec(),
            spectrum: self.fft.make_output_vec(),
            scratch: self.fft.make_scratch_vec(),
            magnitude: vec![0.0; self.n_fft / 2 + 1],
        }
    }

    /// Windows `x[start .. start + len]` (zeros past the end of `x`), pads it
    /// symmetrically and transforms it into `b.spectrum` and `b.magnitude`.
    pub fn process<S: Sample>(&self, x: &[S], start: usize, b: &mut FftBuffers) {
        self.window_into(x, start, b);
        self.transform(b);
    }

    /// [`PaddedFft::process`], returning the sum of squares of the padded, windowed frame
    /// (taken before the transform overwrites it; only the frames whose energy is read
    /// pay for it).
    pub fn process_with_energy<S: Sample>(&self, x: &[S], start: usize, b: &mut FftBuffers) -> f64 {
        let work = self.window_into(x, start, b);
        let sum_sq = crate::num::fastmath::dot(work, work);
        self.transform(b);
        sum_sq
    }

    /// The padded, windowed frame, written straight into the transform's work area.
    fn window_into<'a, S: Sample>(
        &self,
        x: &[S],
        start: usize,
        b: &'a mut FftBuffers,
    ) -> &'a [f64] {
        let len = self.window.len();
        let pad = (self.n_fft - len) / 2;
        let (lo, hi) = (start.min(x.len()), (start + len).min(x.len()));
        let have = hi - lo;
        // the transform overwrote the last frame's padding: zeros again
        let work = &mut b.work[..self.n_fft];
        work[..pad].fill(0.0);
        S::windowed(&x[lo..hi], &self.window, &mut work[pad..pad + have]);
        work[pad + have..].fill(0.0);
        work
    }

    fn transform(&self, b: &mut FftBuffers) {
        // the buffers come from this plan: the transform cannot fail
        let _ = self
            .fft
            .process_with_scratch(&mut b.work, &mut b.spectrum, &mut b.scratch);
        magnitudes(&b.spectrum, &mut b.magnitude);
    }
}

crate::num::fastmath::avx2_dispatch! {
/// `|X|` of every bin (four square roots at a time with AVX2).
fn magnitudes(spectrum: &[Complex<f64>], out: &mut [f64]) -> () {
    for (m, c) in out.iter_mut().zip(spectrum) {
        *m = (c.re * c.re + c.im * c.im).sqrt();
    }
}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int16_codes_read_back_as_the_division() {
        for q in i16::MIN..=i16::MAX {
            let v = q.value();
            assert_eq!(v.to_bits(), (q as f64 / 32767.0).to_bits(), "{q}");
        }
    }

    #[test]
    fn counts_and_quantisation() {
        assert_eq!(n_short(17526), 108);
        assert_eq!(n_long(17526), 104);
        assert_eq!(n_long(959), 0);
        let q: Vec<f64> = quantise(&[0.5f64, -0.5, 1.0, -1.0, 1e-6])
            .into_iter()
            .map(Sample::value)
            .collect();
        assert_eq!(q[0], 16384.0 / 32767.0);
        assert_eq!(q[1], -16384.0 / 32767.0);
        assert_eq!(q[2], 1.0);
        assert_eq!(q[3], -32768.0 / 32767.0);
        assert_eq!(q[4], 0.0);
        // the view reads the same values, saturation included
        let y = [0.5f32, -0.5, 1.0, -1.0, 1e-6, 1.5, -2.0, 0.999_99, -1e-9];
        for (c, v) in quantise(&y).into_iter().zip(quantised(&y)) {
            assert_eq!(c.value().to_bits(), v.value().to_bits());
        }
        let y = [1e300f64, -1e300, 0.25, 3.0e-5];
        for (c, v) in quantise(&y).into_iter().zip(quantised(&y)) {
            assert_eq!(c.value().to_bits(), v.value().to_bits());
        }
    }

    #[test]
    fn padded_frame_sits_in_the_middle() {
        let f = PaddedFft::new(vec![1.0; 4], 8);
        let mut b = f.buffers();
        // |X_k| of an 8-point frame, from the definition
        let dft = |v: [f64; 8]| -> Vec<f64> {
            (0..5)
                .map(|k| {
                    let (mut re, mut im) = (0.0f64, 0.0f64);
                    for (n, x) in v.iter().enumerate() {
                        let a = -2.0 * std::f64::consts::PI * (k * n) as f64 / 8.0;
                        re += x * a.cos();
                        im += x * a.sin();
                    }
                    re.hypot(im)
                })
                .collect()
        };
        let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
        let sum_sq = f.process_with_energy(&[1.0, 2.0, 3.0, 4.0, 5.0], 1, &mut b);
        assert!(close(
            &b.magnitude,
            &dft([0.0, 0.0, 2.0, 3.0, 4.0, 5.0, 0.0, 0.0])
        ));
        assert_eq!(sum_sq, 54.0);
        assert!((b.magnitude[0] - 14.0).abs() < 1e-12);
        // int16 codes: the (vectorised) windowing gives value() * w bit for bit
        let codes: Vec<i16> = (0..300)
            .map(|i| (i * 2477 % 65536 - 32768) as i16)
            .collect();
        let w: Vec<f64> = (0..300).map(|i| 0.3 + i as f64 / 517.0).collect();
        let mut out = vec![0.0; 300];
        i16::windowed(&codes, &w, &mut out);
        for ((o, q), w) in out.iter().zip(&codes).zip(&w) {
            assert_eq!(o.to_bits(), (q.value() * w).to_bits());
        }
        // buffers reused for a frame running past the end (and one past it): the stale
        // samples of the previous frame are not left in the padding or the tail
        let sum_sq = f.process_with_energy(&[1.0, 2.0, 3.0, 4.0, 5.0], 3, &mut b);
        assert!(close(
            &b.magnitude,
            &dft([0.0, 0.0, 4.0, 5.0, 0.0, 0.0, 0.0, 0.0])
        ));
        assert_eq!(sum_sq, 41.0);
        let sum_sq = f.process_with_energy(&[1.0, 2.0, 3.0, 4.0, 5.0], 7, &mut b);
        assert_eq!(sum_sq, 0.0);
        assert_eq!(b.magnitude, vec![0.0; 5]);
    }
}
