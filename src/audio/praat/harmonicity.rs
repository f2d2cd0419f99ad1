//! Harmonics-to-noise ratio as Praat's "Sound: To Harmonicity (cc)..." and "(ac)..."
//! (Boersma 1993, "Accurate short-term analysis of the fundamental frequency and the
//! harmonics-to-noise ratio of a sampled sound"; Praat manual), reimplemented from
//! those definitions.
//!
//! - cc: every 10 ms, the forward cross-correlation of one period of the pitch floor
//!   (75 Hz) of signal with the signal at every lag; `r` at the strongest peak (sinc
//!   interpolated); `HNR = 10 log10(r / (1 - r))` dB.
//! - ac: the same from the autocorrelation of a Gaussian-windowed frame (twice 4.5
//!   periods of the floor) divided by the window's autocorrelation.
//!
//! Frames whose local peak is under `silence_threshold` of the clip's peak (partly, up
//! to twice that) are unvoiced: NaN (Praat writes -200 dB).

use realfft::RealFftPlanner;
use rustfft::num_complex::Complex;

use super::intensity::PraatGrid;
use crate::error::{Error, Result};
use crate::num::real::Real;
use crate::params::check_positive;

/// Praat's two harmonicity methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HarmonicityMethod {
    /// "To Harmonicity (cc)": forward cross-correlation, 1 period per window by default.
    Cc,
    /// "To Harmonicity (ac)": autocorrelation of a Gaussian-windowed frame divided by the
    /// window's, 4.5 periods per window by default (the Gaussian spans twice that).
    Ac,
}

/// `"cc"` or `"ac"` (Praat's "To Harmonicity (cc)" / "(ac)").
impl std::str::FromStr for HarmonicityMethod {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "cc" => Ok(HarmonicityMethod::Cc),
            "ac" => Ok(HarmonicityMethod::Ac),
            _ => Err(Error::param(
                "method",
                format!("expected \"cc\" or \"ac\", got {name:?}"),
            )),
        }
    }
}

impl HarmonicityMethod {
    /// Praat's default periods per window of the method: cc 1.0, ac 4.5.
    pub fn default_periods_per_window(self) -> f64 {
        match self {
            HarmonicityMethod::Cc => 1.0,
            HarmonicityMethod::Ac => 4.5,
        }
    }
}

/// Praat's "To Harmonicity (cc/ac)" settings (parselmouth's `to_harmonicity_cc` names).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HarmonicitySpec {
    pub time_step: f64,
    pub minimum_pitch: f64,
    pub silence_threshold: f64,
    pub periods_per_window: f64,
    pub method: HarmonicityMethod,
}

impl Default for HarmonicitySpec {
    fn default() -> Self {
        HarmonicitySpec {
            time_step: 0.01,
            minimum_pitch: 75.0,
            silence_threshold: 0.1,
            periods_per_window: 1.0,
            method: HarmonicityMethod::Cc,
        }
    }
}

/// A harmonicity contour: dB per frame (NaN where unvoiced) and frame-centre times.
#[derive(Debug, Clone, PartialEq)]
pub struct Harmonicity {
    pub db: Vec<f64>,
    pub times: Vec<f64>,
}

impl Harmonicity {
    /// Mean over voiced frames (Praat's "Get mean", which skips unvoiced frames).
    pub fn mean(&self) -> f64 {
        let v: Vec<f64> = self.db.iter().copied().filter(|v| v.is_finite()).collect();
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    }
}

/// `r` (lags `0..=m`) extended to lags `-m..=m` by its symmetry (`r[-i] = r[i]`), lag 0
/// in the middle: both sides of a sinc interpolation then read contiguous samples
/// (built once per frame instead of gathered `|lag|` by `|lag|` per evaluation).
fn even_extension(r: &[f64], ext: &mut Vec<f64>) {
    ext.clear();
    ext.extend(r.iter().rev());
    ext.extend(&r[1..]);
}

/// Praat's windowed-sinc interpolation at a fractional lag of `r` given as its
/// [`even_extension`] `ext`, using up to `depth` samples each side: `sinc` under a
/// raised-cosine window reaching zero one sample beyond the last one used.
fn sinc_interpolate(ext: &[f64], lag: f64, depth: usize) -> f64 {
    let m = (ext.len() / 2) as isize;
    let at = |i: isize| ext[(m + i) as usize];
    let left_i = lag.floor() as isize;
    let right_i = left_i + 1;
    let max_i = m;
    if lag == left_i as f64 {
        return at(left_i);
    }
    // Symmetric extension reaches max_i on the negative side too.
    let depth = (depth as isize).min(right_i + max_i).min(max_i - left_i);
    if depth < 1 {
        return at(lag.round() as isize);
    }
    let (first, last) = (right_i - depth, left_i + depth);
    let fl = lag - left_i as f64;
    // sin(pi (1 - fl)) = sin(pi fl): one sine for both sides.
    let half_sin = 0.5 * (std::f64::consts::PI * fl).sin();
    // Leftwards from left_i: r[left_i - j] = r[j - left_i], read forwards from -left_i.
    let n_left = (left_i - first + 1) as usize;
    let left_samples = &ext[(m - left_i) as usize..][..n_left];
    let n_right = (last - right_i + 1) as usize;
    let right_samples = &ext[(m + right_i) as usize..][..n_right];
    let left = windowed_sinc_side(left_samples, fl, half_sin, lag - first as f64 + 1.0);
    let right = windowed_sinc_side(right_samples, 1.0 - fl, half_sin, last as f64 - lag + 1.0);
    left + right
}

/// One side of [`sinc_interpolate`]: `samples[j]` at distance `d0 + j` from the lag
/// (`half_sin = sin(pi d0) / 2`), weighted by `sinc` under the raised cosine of
/// half-width `span`. The sinc's sine alternates in sign and the cosine's angle advances
/// by a fixed step, so both come from rotations; four interleaved chains (samples
/// `j = k mod 4`, the lanes of one AVX2 vector) keep the rotations from being one serial
/// dependency chain.
fn windowed_sinc_side(samples: &[f64], d0: f64, half_sin: f64, span: f64) -> f64 {
    let pi = std::f64::consts::PI;
    let a0 = pi * d0;
    let step = pi / span;
    let (sn, cs) = step.sin_cos();
    // Rotation by four steps, from the one-step rotation.
    let (c2, s2) = (cs * cs - sn * sn, 2.0 * sn * cs);
    let (c4, s4) = (c2 * c2 - s2 * s2, 2.0 * s2 * c2);
    let mut ch = SincChains {
        sum: [0.0; 4],
        a: [a0, a0 + pi, a0 + 2.0 * pi, a0 + 3.0 * pi],
        c: [0.0; 4],
        s: [0.0; 4],
        sign: [half_sin, -half_sin, half_sin, -half_sin],
        rot4: (c4, s4),
    };
    (ch.s[0], ch.c[0]) = (a0 / span).sin_cos();
    for k in 1..4 {
        ch.c[k] = ch.c[k - 1] * cs - ch.s[k - 1] * sn;
        ch.s[k] = ch.s[k - 1] * cs + ch.c[k - 1] * sn;
    }
    let full = samples.len() - samples.len() % 4;
    #[cfg(target_arch = "x86_64")]
    if crate::num::fastmath::has_avx2_fma() {
        // SAFETY: the CPU has AVX2 (checked).
        unsafe { ch.blocks_avx2(&samples[..full]) };
    } else {
        ch.blocks(&samples[..full]);
    }
    #[cfg(not(target_arch = "x86_64"))]
    ch.blocks(&samples[..full]);
    let SincChains {
        mut sum,
        a,
        c,
        sign,
        ..
    } = ch;
    for (k, v) in samples[full..].iter().enumerate() {
        sum[k] += v * sign[k] / a[k] * (1.0 + c[k]);
    }
    (sum[0] + sum[1]) + (sum[2] + sum[3])
}

/// The four chains of [`windowed_sinc_side`]: running sums, sinc denominators `a`
/// (`pi` times the distance), window cosines and sines, the sinc's alternating sign, and
/// the rotation by four steps.
struct SincChains {
    sum: [f64; 4],
    a: [f64; 4],
    c: [f64; 4],
    s: [f64; 4],
    sign: [f64; 4],
    rot4: (f64, f64),
}

impl SincChains {
    /// Adds the blocks of four samples (`samples.len()` a multiple of 4).
    fn blocks(&mut self, samples: &[f64]) {
        let (c4, s4) = self.rot4;
        let four_pi = 4.0 * std::f64::consts::PI;
        for v in samples.chunks_exact(4) {
            for k in 0..4 {
                self.sum[k] += v[k] * self.sign[k] / self.a[k] * (1.0 + self.c[k]);
                self.a[k] += four_pi;
                let next = self.c[k] * c4 - self.s[k] * s4;
                self.s[k] = self.s[k] * c4 + self.c[k] * s4;
                self.c[k] = next;
            }
        }
    }

    /// [`Self::blocks`] with the four chains as the lanes of AVX registers, the same
    /// operations in the same order (no fused multiply-add): equal bit for bit.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn blocks_avx2(&mut self, samples: &[f64]) {
        use std::arch::x86_64::*;
        let (c4, s4) = (_mm256_set1_pd(self.rot4.0), _mm256_set1_pd(self.rot4.1));
        let (one, four_pi) = (
            _mm256_set1_pd(1.0),
            _mm256_set1_pd(4.0 * std::f64::consts::PI),
        );
        let sign = _mm256_loadu_pd(self.sign.as_ptr());
        let mut sum = _mm256_loadu_pd(self.sum.as_ptr());
        let mut a = _mm256_loadu_pd(self.a.as_ptr());
        let mut c = _mm256_loadu_pd(self.c.as_ptr());
        let mut s = _mm256_loadu_pd(self.s.as_ptr());
        for v in samples.chunks_exact(4) {
            let v = _mm256_loadu_pd(v.as_ptr());
            let term = _mm256_div_pd(_mm256_mul_pd(v, sign), a);
            sum = _mm256_add_pd(sum, _mm256_mul_pd(term, _mm256_add_pd(one, c)));
            a = _mm256_add_pd(a, four_pi);
            let next = _mm256_sub_pd(_mm256_mul_pd(c, c4), _mm256_mul_pd(s, s4));
            s = _mm256_add_pd(_mm256_mul_pd(s, c4), _mm256_mul_pd(c, s4));
            c = next;
        }
        _mm256_storeu_pd(self.sum.as_mut_ptr(), sum);
        _mm256_storeu_pd(self.a.as_mut_ptr(), a);
        _mm256_storeu_pd(self.c.as_mut_ptr(), c);
        _mm256_storeu_pd(self.s.as_mut_ptr(), s);
    }
}

crate::num::fastmath::avx2_dispatch! {
/// `r[i] = c[i] / sqrt(sumx2 energy[i])`, 0 where an energy vanishes: the normalised
/// cross-correlation at each lag.
fn normalise(c: &[f64], energy: &[f64], sumx2: f64, r: &mut [f64]) -> () {
    for ((r, &c), &e) in r.iter_mut().zip(c).zip(energy) {
        let den = (sumx2 * e).sqrt();
        *r = if den > 0.0 { c / den } else { 0.0 };
    }
}
}

/// Maximum of the sinc interpolant of `r` within one lag of `i`: parabolic steps on the
/// interpolant at shrinking spacings (0.1, 0.01, 0.001 lag), which converge in a few
/// evaluations near a smooth peak; golden-section search where the interpolant is not
/// concave. `ext` is scratch for `r`'s [`even_extension`].
fn refine_peak(r: &[f64], i: usize, depth: usize, ext: &mut Vec<f64>) -> (f64, f64) {
    even_extension(r, ext);
    let ext = &ext[..];
    let f = |x: f64| sinc_interpolate(ext, x, depth);
    let (lo, hi) = (i as f64 - 1.0, i as f64 + 1.0);
    let (a, b, c) = (r[i - 1], r[i], r[i + 1]);
    let d = a - 2.0 * b + c;
    let mut x = if d < 0.0 {
        i as f64 + (0.5 * (a - c) / d).clamp(-1.0, 1.0)
    } else {
        i as f64
    };
    for h in [0.1, 0.01, 0.001] {
        let (fa, fb, fc) = (f(x - h), f(x), f(x + h));
        let d = fa - 2.0 * fb + fc;
        if !(d < 0.0) {
            return golden_max(&f, lo, hi, r[i], i as f64);
        }
        x = (x + (0.5 * h * (fa - fc) / d).clamp(-h, h)).clamp(lo, hi);
    }
    let fx = f(x);
    if fx >= r[i] {
        (x, fx)
    } else {
        (i as f64, r[i])
    }
}

/// Golden-section search for the maximum of `f` on `[a, b]`; `(at, value)` of the
/// sample when that is higher.
fn golden_max(f: &impl Fn(f64) -> f64, a: f64, b: f64, sample: f64, at: f64) -> (f64, f64) {
    let g = 0.5 * (5f64.sqrt() - 1.0);
    let (mut a, mut b) = (a, b);
    let (mut c, mut d) = (b - g * (b - a), a + g * (b - a));
    let (mut fc, mut fd) = (f(c), f(d));
    while b - a > 1e-6 {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    let x = 0.5 * (a + b);
    let fx = f(x);
    if fx >= sample {
        (x, fx)
    } else {
        (at, sample)
    }
}

/// Correlation by FFT: `c[lag] = sum_j a[j] b[j + lag]` for `lag >= 0`, exact while
/// `a.len() + b.len() <= n_fft` lags are not wrapped, i.e. for every lag below
/// `n_fft - a.len()`.
struct Correlator {
    fwd: std::sync::Arc<dyn realfft::RealToComplex<f64>>,
    inv: std::sync::Arc<dyn realfft::ComplexToReal<f64>>,
    a: Vec<f64>,
    b: Vec<f64>,
    a_spec: Vec<Complex<f64>>,
    b_spec: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
}

impl Correlator {
    fn new(n_fft: usize) -> Self {
        let mut planner = RealFftPlanner::<f64>::new();
        let (fwd, inv) = (
            planner.plan_fft_forward(n_fft),
            planner.plan_fft_inverse(n_fft),
        );
        let scratch =
            vec![Complex::new(0.0, 0.0); fwd.get_scratch_len().max(inv.get_scratch_len())];
        Correlator {
            a: fwd.make_input_vec(),
            b: fwd.make_input_vec(),
            a_spec: fwd.make_output_vec(),
            b_spec: fwd.make_output_vec(),
            fwd,
            inv,
            scratch,
        }
    }

    fn correlate(&mut self, a: &[f64], b: &[f64]) -> &[f64] {
        let n = self.a.len();
        for (buf, src) in [(&mut self.a, a), (&mut self.b, b)] {
            buf[..src.len()].copy_from_slice(src);
            buf[src.len()..].iter_mut().for_each(|v| *v = 0.0);
        }
        let _ = self
            .fwd
            .process_with_scratch(&mut self.a, &mut self.a_spec, &mut self.scratch);
        let _ = self
            .fwd
            .process_with_scratch(&mut self.b, &mut self.b_spec, &mut self.scratch);
        // n is a power of two: multiplying by 1 / n is exact, as the division was
        let scale = 1.0 / n as f64;
        debug_assert!(n.is_power_of_two());
        for (p, q) in self.a_spec.iter().zip(self.b_spec.iter_mut()) {
            *q *= p.conj() * scale;
        }
        // DC and Nyquist bins are real by construction; drop rounding residue.
        self.b_spec[0].im = 0.0;
        if let Some(last) = self.b_spec.last_mut() {
            last.im = 0.0;
        }
        let _ = self
            .inv
            .process_with_scratch(&mut self.b_spec, &mut self.b, &mut self.scratch);
        &self.b
    }
}

/// Harmonicity contour as Praat's "Sound: To Harmonicity (cc)..." or "(ac)..."
/// (`spec.method`; see the module docs). Errors name `y` when the clip is shorter than
/// the analysis window (cc: `1 / minimum_pitch + periods_per_window / minimum_pitch`;
/// ac: `2 periods_per_window / minimum_pitch`).
pub fn harmonicity<T: Real>(signal: &[T], sr: f64, spec: &HarmonicitySpec) -> Result<Harmonicity> {
    crate::audio::check_finite(signal, "y")?;
    harmonicity_of(signal, sr, spec, "")
}

impl HarmonicitySpec {
    /// Checks the settings; errors name each as `prefix` + its field name (`"hnr_"` where
    /// the spec came from `voice_quality`'s keywords).
    pub fn check(&self, prefix: &str) -> Result<()> {
        let name = |f: &str| format!("{prefix}{f}");
        let (mp, ts, ppw) = (
            name("minimum_pitch"),
            name("time_step"),
            name("periods_per_window"),
        );
        check_positive(&[
            (mp.as_str(), self.minimum_pitch),
            (ts.as_str(), self.time_step),
            (ppw.as_str(), self.periods_per_window),
        ])?;
        if !(self.silence_threshold >= 0.0 && self.silence_threshold.is_finite()) {
            return Err(Error::param(
                &name("silence_threshold"),
                format!("must be >= 0, got {}", self.silence_threshold),
            ));
        }
        Ok(())
    }
}

/// [`harmonicity`] of a clip already checked finite, its samples read where they are (no
/// f64 copy); errors about the settings name them with `prefix` (see
/// [`HarmonicitySpec::check`]).
pub(crate) fn harmonicity_of<T: Real>(
    x: &[T],
    sr: f64,
    spec: &HarmonicitySpec,
    prefix: &str,
) -> Result<Harmonicity> {
    check_positive(&[("sr", sr)])?;
    spec.check(prefix)?;
    let ac = spec.method == HarmonicityMethod::Ac;
    let mp = spec.minimum_pitch;
    let n = x.len();
    let period = (sr / mp).floor() as usize;
    let half_period = period / 2 + 1;
    // The Gaussian window is twice as long as the periods it covers effectively.
    let periods = if ac { 2.0 } else { 1.0 } * spec.periods_per_window;
    let dt_window = periods / mp;
    let half_w = ((dt_window * sr).floor() as usize / 2).saturating_sub(1);
    if half_w < 2 {
        return Err(Error::param(
            &format!("{prefix}minimum_pitch"),
            format!("the analysis window ({dt_window} s) is too short at {sr} Hz"),
        ));
    }
    let n_win = 2 * half_w;
    let max_lag = ((n_win as f64 / periods).floor() as usize + 2).min(n_win);
    // Lags the sinc interpolation may use: a quarter window for ac (Praat's depth).
    let max_interp = if ac { n_win / 4 } else { n_win };
    let grid = if ac {
        PraatGrid::new(
            n,
            sr,
            dt_window,
            spec.time_step,
            "2 periods_per_window / minimum_pitch",
            &format!("{prefix}time_step"),
        )?
    } else {
        PraatGrid::new(
            n,
            sr,
            1.0 / mp + dt_window,
            spec.time_step,
            "1 / minimum_pitch + periods_per_window / minimum_pitch",
            &format!("{prefix}time_step"),
        )?
    };
    let mean = crate::num::fastmath::sum_f64(x) / n as f64;
    let global_peak = x.iter().fold(0.0f64, |m, v| m.max((v.f64() - mean).abs()));
    let mut db = Vec::with_capacity(grid.n_frames);
    let r_len = if ac { max_interp + 1 } else { max_lag + 2 };
    let mut r = vec![0.0f64; r_len];
    let mut centred = vec![0.0f64; n_win + max_lag + 1];
    // cc: the products at every lag at once, as a correlation by FFT of the window
    // against the span it slides over (the FFT covers the span: no wrap-around).
    // ac: the frame's autocorrelation by FFT, zero-padded past the interpolation lags.
    let n_fft = if ac {
        (n_win + max_interp).next_power_of_two()
    } else {
        (n_win + max_lag + 1).next_power_of_two()
    };
    let mut fft = Correlator::new(n_fft);
    let window = if ac {
        crate::num::window::praat_gaussian(n_win)
    } else {
        Vec::new()
    };
    let window_r: Vec<f64> = if ac {
        let wr = fft.correlate(&window, &window);
        wr.iter().map(|v| v / wr[0]).collect()
    } else {
        Vec::new()
    };
    let mut frame = vec![0.0f64; n_win];
    // Local peak: the frame's middle, half a longest period each side.
    let (p0, p1) = (
        (half_w as isize - half_period as isize).max(0) as usize,
        (half_w as isize + half_period as isize - 1).min(n_win as isize - 1) as usize,
    );
    let mut ext = Vec::with_capacity(2 * r_len);
    let mut energy = vec![0.0f64; r_len];
    // Running sums give every frame's local mean in O(1).
    let mut cum = crate::audio::frontend::frames::RunningSums::new(x);
    for f in 0..grid.n_frames {
        crate::cancel::check_every(f, 16)?;
        let t = grid.time(f);
        // NaN = unvoiced (Praat's -200 dB).
        let value = 'frame: {
            if global_peak == 0.0 {
                break 'frame f64::NAN;
            }
            let low = (t * sr - 0.5).floor() as isize;
            let right = low + 1;
            // Local mean over one longest period each side.
            let (m0, m1) = (
                (right - period as isize).max(0),
                (low + period as isize).min(n as isize - 1),
            );
            let local_mean = cum.span(m0 as usize, m1 as usize + 1) / (2 * period) as f64;
            // The frame around t, mean removed (and windowed for ac); cc reads only the
            // local-peak span of it.
            let w0 = right - half_w as isize;
            let filled = if ac { 0..n_win } else { p0..p1 + 1 };
            for (j, v) in frame[filled.clone()].iter_mut().enumerate() {
                let j = filled.start + j;
                let k = w0 + j as isize;
                let s = if k >= 0 && (k as usize) < n {
                    x[k as usize].f64() - local_mean
                } else {
                    0.0
                };
                *v = if ac { s * window[j] } else { s };
            }
            let local_peak = frame[p0..=p1].iter().fold(0.0f64, |m, v| m.max(v.abs()));
            if local_peak == 0.0 {
                break 'frame f64::NAN;
            }
            let intensity = (local_peak / global_peak).min(1.0);
            let unvoiced = (2.0 - intensity / spec.silence_threshold).max(0.0);
            if unvoiced >= 1.0 {
                // No correlation (at most 1) can beat it: skip the correlation.
                break 'frame f64::NAN;
            }
            r.iter_mut().for_each(|v| *v = 0.0);
            r[0] = 1.0;
            if ac {
                let c = fft.correlate(&frame, &frame);
                for i in 1..r_len {
                    r[i] = c[i] / (c[0] * window_r[i]);
                }
            } else {
                // Forward cross-correlation from one window before t.
                let start_time = t - 0.5 * (1.0 / mp + dt_window);
                let start = ((start_time * sr - 0.5).floor() as isize).max(0) as usize;
                let span = (max_lag + n_win).min(n - start);
                if span <= n_win {
                    break 'frame f64::NAN;
                }
                let local_max_lag = span - n_win;
                for (c, v) in centred.iter_mut().zip(&x[start..start + span]) {
                    *c = v.f64() - local_mean;
                }
                let head = &centred[..n_win];
                let sumx2 = crate::num::fastmath::dot(head, head);
                let mut sumy2 = sumx2;
                let c = fft.correlate(head, &centred[..span]);
                let lags = 1..local_max_lag.min(max_lag + 1) + 1;
                // The sliding window's energy is a serial running sum; the square roots
                // and divisions then run over all lags at once (vectorised).
                for lag in lags.clone() {
                    let (y0, yz) = (centred[lag - 1], centred[lag - 1 + n_win]);
                    sumy2 += yz * yz - y0 * y0;
                    energy[lag] = sumy2;
                }
                normalise(&c[lags.clone()], &energy[lags.clone()], sumx2, &mut r[lags]);
            }
            // Candidates: positive local maxima from lag 2.
            let top = max_lag.min(max_interp).min(r_len - 1);
            let strongest = (2..top)
                .filter(|&i| r[i] > 0.0 && r[i] > r[i - 1] && r[i] >= r[i + 1])
                .map(|i| {
                    let (dr, d2r) = (
                        0.5 * (r[i + 1] - r[i - 1]),
                        2.0 * r[i] - r[i - 1] - r[i + 1],
                    );
                    (i, r[i] + 0.5 * dr * dr / d2r)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1));
            // All path costs are zero here, so only the strongest peak can win; its
            // parabolic height ranks it (the sinc refinement moves heights by ~1e-3).
            let best = strongest
                .map(|(i, _)| {
                    let s = refine_peak(&r[..=max_interp.min(r_len - 1)], i, 700, &mut ext).1;
                    if s > 1.0 {
                        1.0 / s
                    } else {
                        s
                    }
                })
                .unwrap_or(f64::NEG_INFINITY);
            if !(best > unvoiced) {
                f64::NAN
            } else if best <= 1e-15 {
                -150.0
            } else if best > 1.0 - 1e-15 {
                150.0
            } else {
                10.0 * (best / (1.0 - best)).log10()
            }
        };
        db.push(value);
    }
    Ok(Harmonicity {
        db,
        times: (0..grid.n_frames).map(|f| grid.time(f)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_parse_and_carry_praats_default_periods() {
        let periods = |s: &str| {
            s.parse::<HarmonicityMethod>()
                .ok()
                .map(|m| m.default_periods_per_window())
        };
        assert_eq!((periods("cc"), periods("ac")), (Some(1.0), Some(4.5)));
        let e = "acf"
            .parse::<HarmonicityMethod>()
            .err()
            .map_or(String::new(), |e| e.to_string());
        assert!(e.starts_with("method: expected \"cc\" or \"ac\""), "{e}");
    }

    #[test]
    fn silence_is_unvoiced() {
        let h = harmonicity(&vec![0.0f64; 8000], 16000.0, &HarmonicitySpec::default()).unwrap();
        assert!(h.mean().is_nan() && !h.db.is_empty());
        let spec = HarmonicitySpec {
            method: HarmonicityMethod::Ac,
            periods_per_window: 4.5,
            ..HarmonicitySpec::default()
        };
        assert!(harmonicity(&vec![0.0f64; 1000], 16000.0, &spec).is_err());
    }

    #[test]
    fn periodic_signal_with_known_noise_ratio() {
        // A 150 Hz harmonic signal plus white noise 20 dB below it: both methods read
        // about 20 dB.
        let sr = 16000.0;
        let mut rng = crate::num::TestRng(99);
        let y: Vec<f64> = (0..16000)
            .map(|i| {
                let t = i as f64 / sr;
                let s = (1..=5)
                    .map(|h| (2.0 * std::f64::consts::PI * 150.0 * h as f64 * t).sin() / h as f64)
                    .sum::<f64>();
                let u = rng.uniform() - 0.5;
                // signal power sum 1/(2 h^2) = 0.732; uniform noise power 1/12 * a^2
                s + u * (12.0 * 0.732f64 / 100.0).sqrt()
            })
            .collect();
        for method in [HarmonicityMethod::Cc, HarmonicityMethod::Ac] {
            let spec = HarmonicitySpec {
                method,
                periods_per_window: if method == HarmonicityMethod::Ac {
                    4.5
                } else {
                    1.0
                },
                ..HarmonicitySpec::default()
            };
            let m = harmonicity(&y, sr, &spec).unwrap().mean();
            assert!((m - 20.0).abs() < 2.0, "{method:?}: {m}");
        }
    }

    #[test]
    fn sinc_interpolation_reproduces_samples_and_smooth_peaks() {
        let r: Vec<f64> = (0..200).map(|i| (i as f64 * 0.05).cos()).collect();
        let mut ext = Vec::new();
        even_extension(&r, &mut ext);
        assert_eq!(sinc_interpolate(&ext, 10.0, 700), r[10]);
        assert_eq!(sinc_interpolate(&ext, -10.0, 700), r[10]);
        let v = sinc_interpolate(&ext, 10.5, 700);
        assert!((v - (10.5f64 * 0.05).cos()).abs() < 1e-3, "{v}");
        // A peak between samples: cos(0.05 (i - 100.3)).
        let r: Vec<f64> = (0..200)
            .map(|i| (0.05 * (i as f64 - 100.3)).cos())
            .collect();
        let (x, y) = refine_peak(&r, 100, 700, &mut ext);
        assert!(
            (x - 100.3).abs() < 0.01 && (y - 1.0).abs() < 1e-3,
            "{x} {y}"
        );
        // The parabolic steps land where the golden-section search does.
        even_extension(&r, &mut ext);
        let f = |x: f64| sinc_interpolate(&ext, x, 700);
        let (xg, yg) = golden_max(&f, 99.0, 101.0, r[100], 100.0);
        assert!((x - xg).abs() < 1e-3 && (y - yg).abs() < 1e-9, "{x} {xg}");
    }
}
