//! Formant frequencies and bandwidths of eGeMAPS: openSMILE's `cSpecResample` -> `cLpc` ->
//! `cFormantLpc` chain on the 20 ms frame.
//!
//! [C] (`gemapsv01b_resampLpc`, `gemapsv01b_lpc`, `gemapsv01b_formantLpc`): the complex
//! 512-point spectrum of the Hamming-windowed 20 ms frame resampled to 11 kHz, LPC order 11
//! by the autocorrelation method, 5 formants between 50 and 5450 Hz. The recipe was
//! measured black-box (fact sheet `egemaps-facts.md` section 3, and
//! `benches/python/egemaps_formant_stages.py`):
//!
//! 1. `y[m] = 2 (Re X_0 + sum_{k=1..109} (Re X_k cos(2 pi k m / 352) - Im X_k sin(2 pi k m
//!    / 352))) / 512`, m = 0..219: bins up to 3406 Hz, a 352-point inverse DFT, the DC term
//!    doubled, the first 220 samples kept (so the LPC sees 66 samples of padding ringing
//!    and the first 14 ms of the frame);
//! 2. autocorrelation LPC of order 11 of those samples, no further window;
//! 3. roots of `1 - sum a_k z^-k` (`a` of `A(z) = 1 + sum a_k z^-k`) in the upper half
//!    plane: `f = arg(z) 11000 / (2 pi)`, `B = |ln |z|| 11000 / pi` (roots outside the unit
//!    circle kept as they are), those with 50 < f < 5450 sorted by frequency; missing
//!    formants are 0.
//!
//! Steps 1 and 2 run in float32 in openSMILE's order of operations ([`Formants::resample`],
//! [`lpc`]): given openSMILE's own FFT level they give its resampled frame, and given that
//! frame its LPC coefficients, bit for bit (every frame of 26 real-speech items, measured).
//! The order matters: a pair of LPC roots near the origin (|z| 0.06-0.25) is a formant with a
//! 5-10 kHz bandwidth or two real roots depending on the coefficients' last digits, and
//! such frames decide `F3bandwidth_sma3nz_stddevNorm`.
//!
//! These are openSMILE's values, not vocal-tract formants (`ak.formants` gives Praat's).

use rustfft::num_complex::Complex;

use crate::num::roots::{polynomial_roots, warm_roots};

const RATE: f64 = 11000.0;
/// LPC order (`p`).
pub const ORDER: usize = 11;
/// Length of the inverse DFT: 512 x 11 / 16.
const N_IDFT: usize = 352;
/// Samples kept of the resampled frame.
pub const N_OUT: usize = 220;
/// Bins of the 512-point spectrum used (0..=109, up to 3406 Hz).
pub const N_BINS: usize = 110;
const MIN_F: f64 = 50.0;
const MAX_F: f64 = 5450.0;

/// The resampler's float32 cosine and sine tables, `cos(2 pi k m / 352)` rounded from
/// float64, stored `[k][m]` so that the sum over `k` runs down the columns.
pub struct Formants {
    cos: Vec<[f32; N_OUT]>,
    sin: Vec<[f32; N_OUT]>,
}

/// Per-thread buffers; the previous frame's roots start the next frame's root search.
pub struct FormantBuffers {
    /// The 220-sample frame the LPC sees (`gemapsv01b_outpR`).
    pub frame: [f32; N_OUT],
    poly: Vec<f64>,
    roots: Vec<Complex<f64>>,
    /// `a_1..a_11` of the last frame (`gemapsv01b_lpc`), empty for a silent frame.
    pub lpc: Vec<f32>,
}

impl Default for Formants {
    fn default() -> Self {
        Self::new()
    }
}

impl Formants {
    pub fn new() -> Self {
        let table = |f: fn(f64) -> f64| -> Vec<[f32; N_OUT]> {
            (0..N_BINS)
                .map(|k| {
                    let mut col = [0.0f32; N_OUT];
                    for (m, c) in col.iter_mut().enumerate() {
                        // in this order, ((2 pi k) m) / 352: the product k m first rounds
                        // 218 of the 24200 cosines to another float32
                        let phase =
                            2.0 * std::f64::consts::PI * k as f64 * m as f64 / N_IDFT as f64;
                        *c = f(phase) as f32;
                    }
                    col
                })
                .collect()
        };
        Formants {
            cos: table(f64::cos),
            sin: table(f64::sin),
        }
    }

    pub fn buffers(&self) -> FormantBuffers {
        FormantBuffers {
            frame: [0.0; N_OUT],
            poly: Vec::with_capacity(ORDER + 1),
            roots: Vec::new(),
            lpc: Vec::with_capacity(ORDER),
        }
    }

    /// openSMILE's resampled frame (`gemapsv01b_outpR`) from the first [`N_BINS`] bins of
    /// its float32 FFT level: `re[k] = Re X_k`, `im[k] = -Im X_k` (`gemapsv01b_fftcH25`
    /// stores the imaginary part with that sign). Measured order of operations: one float32
    /// accumulator per output sample starts at `re[0]` and adds, for k = 1..109 in turn,
    /// the rounded products `re[k] cos` and then `im[k] sin`; the sum times 2 / 512.
    pub fn resample(&self, re: &[f32; N_BINS], im: &[f32; N_BINS], out: &mut [f32; N_OUT]) {
        out.fill(re[0]);
        for k in 1..N_BINS {
            let (c, s) = (&self.cos[k], &self.sin[k]);
            for m in 0..N_OUT {
                // two roundings, not a fused multiply-add: Rust never contracts
                out[m] = (out[m] + re[k] * c[m]) + im[k] * s[m];
            }
        }
        for v in out.iter_mut() {
            // powers of two: exact
            *v = *v * 2.0 / 512.0;
        }
    }

    /// Formants 1-3 `(frequency, bandwidth)` (0 where missing) of the 20 ms frame whose
    /// 512-point complex spectrum is `x`.
    pub fn frame(&self, x: &[Complex<f64>], b: &mut FormantBuffers) -> [(f64, f64); 3] {
        // the spectrum as openSMILE's float32 FFT level holds it
        let mut re = [0.0f32; N_BINS];
        let mut im = [0.0f32; N_BINS];
        for (k, z) in x[..N_BINS].iter().enumerate() {
            re[k] = z.re as f32;
            im[k] = -z.im as f32;
        }
        self.resample(&re, &im, &mut b.frame);
        b.lpc.clear();
        match lpc(&b.frame) {
            Some(a) => {
                b.lpc.extend_from_slice(&a);
                from_lpc(&a, b)
            }
            None => [(0.0, 0.0); 3],
        }
    }
}

/// Formants 1-3 `(frequency, bandwidth)` (0 where missing) of the LPC coefficients `a`
/// (`gemapsv01b_lpc`): roots of `1 - sum a_k z^-k` in the upper half plane with
/// 50 < f < 5450 Hz, sorted by frequency (`cFormantLpc`; measured: from openSMILE's own
/// coefficients these are its `gemapsv01b_formants` to float32 rounding on every frame).
pub fn from_lpc(a: &[f32; ORDER], b: &mut FormantBuffers) -> [(f64, f64); 3] {
    let mut out = [(0.0, 0.0); 3];
    b.poly.clear();
    b.poly.push(1.0);
    b.poly.extend(a.iter().map(|&v| -f64::from(v)));
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

/// openSMILE's LPC level (`cLpc`, method acf, order 11) of the resampled frame, bit for bit
/// (measured): the autocorrelation `r_k = sum_n y_n y_{n+k}` accumulated in float32 in
/// order of `n`, then Levinson-Durbin in float32 with the reflection coefficient
/// `k_i = -(r_{i+1} + sum_j a_j r_{i-j}) * (1 / E)` (a reciprocal, then a product) and
/// `E <- E (1 - k_i^2)`. Returns `a_1..a_11` of `A(z) = 1 + sum a_k z^-k`, or `None` for
/// a silent frame. [`crate::num::lpc::autocorrelation_lpc`] is the same method in float64
/// with vectorised sums: on ill-conditioned frames (autocorrelation matrix condition
/// number ~1e6) the two differ in the third digit of the coefficients.
pub fn lpc(frame: &[f32]) -> Option<[f32; ORDER]> {
    // every lag's sum in order of n (the compiler never reorders float additions); the
    // 12 sums advance together, so no sum waits on its own previous addition
    let mut r = [0.0f32; ORDER + 1];
    let n = frame.len();
    for i in 0..n {
        let x = frame[i];
        for (k, rk) in r.iter_mut().enumerate().take(n - i) {
            *rk += x * frame[i + k];
        }
    }
    if !(r[0] > 0.0) {
        return None;
    }
    let mut a = [0.0f32; ORDER];
    let mut err = r[0];
    for i in 0..ORDER {
        if !(err > 0.0) {
            // exactly predictable: the higher coefficients stay 0
            break;
        }
        let mut acc = r[i + 1];
        for j in 0..i {
            acc += a[j] * r[i - j];
        }
        let k = -acc * (1.0 / err);
        // a_j += k a_{i-1-j} from the old values: update the pairs (j, i-1-j) together
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
    Some(a)
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

    /// openSMILE's own levels of 10 frames (tests/data/egemaps/formant_frames.json, written
    /// by tests/make_formant_fixtures.py), among them the band-limited frames whose wide
    /// F3 bandwidth decided `F3bandwidth_sma3nz_stddevNorm`: its FFT level resampled gives its
    /// resampled frame, that frame's LPC its coefficients, bit for bit, and those
    /// coefficients its formants. The float64 method before (vectorised autocorrelation,
    /// Levinson-Durbin with a division) misses the coefficients on every frame and, on 6 of
    /// the 10, F3.
    #[test]
    fn opensmile_frames_bit_for_bit() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let text =
            std::fs::read_to_string(root.join("tests/data/egemaps/formant_frames.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let values = |v: &serde_json::Value| -> Vec<f32> {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap() as f32)
                .collect()
        };
        let fm = Formants::new();
        let mut b = fm.buffers();
        let frames = json["frames"].as_array().unwrap();
        assert_eq!(frames.len(), 10);
        for f in frames {
            let name = format!("{} frame {}", f["clip"], f["frame"]);
            let fft = values(&f["fft"]);
            let (mut re, mut im) = ([0.0f32; N_BINS], [0.0f32; N_BINS]);
            re[0] = fft[0];
            for k in 1..N_BINS {
                re[k] = fft[2 * k];
                im[k] = fft[2 * k + 1];
            }
            let want = values(&f["outp"]);
            let mut out = [0.0f32; N_OUT];
            fm.resample(&re, &im, &mut out);
            for (m, (o, w)) in out.iter().zip(&want).enumerate() {
                assert_eq!(o.to_bits(), w.to_bits(), "{name}: sample {m}: {o} vs {w}");
            }
            let a = lpc(&want).unwrap();
            assert_eq!(a.to_vec(), values(&f["lpc"]), "{name}");
            // the float64 method differs in the coefficients' float32 digits on every frame
            let wide: Vec<f64> = want.iter().map(|&v| f64::from(v)).collect();
            let (a64, _) = crate::num::lpc::autocorrelation_lpc(&wide, ORDER).unwrap();
            assert!(a64.iter().zip(&a).any(|(x, y)| *x as f32 != *y), "{name}");
            let formants = values(&f["formants"]);
            let got = from_lpc(&a, &mut b);
            for (i, (freq, bw)) in got.iter().enumerate() {
                let (wf, wb) = (f64::from(formants[i]), f64::from(formants[5 + i]));
                assert!(
                    (freq - wf).abs() <= 1e-6 * wf,
                    "{name} F{}: {freq} vs {wf}",
                    i + 1
                );
                assert!(
                    (bw - wb).abs() <= 1e-6 * wb,
                    "{name} B{}: {bw} vs {wb}",
                    i + 1
                );
            }
        }
        // the frame that set the band-limited LibriVox 0920's F3 bandwidth spread: a pole
        // pair at |z| = 0.06 is F3 (2115 Hz, 9829 Hz wide)
        let first = &frames[0];
        assert_eq!(first["frame"], 185);
        let f3 = values(&first["formants"])[2];
        assert!((f3 - 2115.0).abs() < 1.0, "{f3}");
        // the float64 LPC of the same frame has two real roots there instead: F3 is the next
        // pole, 3217 Hz
        let wide: Vec<f64> = values(&first["outp"])
            .iter()
            .map(|&v| f64::from(v))
            .collect();
        let (a64, _) = crate::num::lpc::autocorrelation_lpc(&wide, ORDER).unwrap();
        let mut a = [0.0f32; ORDER];
        for (x, y) in a.iter_mut().zip(&a64) {
            *x = *y as f32;
        }
        let f3_64 = from_lpc(&a, &mut b)[2].0;
        assert!((f3_64 - 3217.0).abs() < 5.0, "{f3_64}");
    }
}
