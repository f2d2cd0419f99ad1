//! YIN (de Cheveigné & Kawahara 2002), as librosa 0.11's `librosa.yin`: the cumulative
//! mean normalised difference function (CMNDF) of each frame from its FFT
//! autocorrelation, the first local minimum below `trough_threshold` (else the global
//! minimum), parabolic interpolation. The CMNDF and the framing are shared with
//! [`super::pyin`].

use std::sync::Arc;

use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::num_complex::Complex;

use super::track::F0Track;
use crate::audio::frontend::frames::{Edges, Framing, PadMode};
use crate::error::{Error, Result};
use crate::num::real::Real;
use crate::params::Params;

/// `numpy.finfo(float64).tiny`, librosa's floor before every logarithm and division.
pub(super) const TINY: f64 = f64::MIN_POSITIVE;

/// Framing and search range shared by YIN and pYIN (librosa's names and defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct YinSpec {
    pub sr: f64,
    pub fmin: f64,
    pub fmax: f64,
    pub frame_length: usize,
    pub hop_length: usize,
    pub center: bool,
    pub pad_mode: PadMode,
}

impl YinSpec {
    /// Reads librosa's keyword names from `p`; `fmin`/`fmax` default to 75 and 600 Hz.
    pub fn from_params(sr: f64, p: &Params) -> Result<Self> {
        if !(sr.is_finite() && sr > 0.0) {
            return Err(Error::param("sr", format!("must be positive, got {sr}")));
        }
        let frame_length = p.count(&["frame_length"], 2048)?;
        let hop_length = p.count(&["hop_length"], (frame_length / 4).max(1))?;
        let pad_mode = match p.opt_str(&["pad_mode"])? {
            Some(s) => s.parse::<PadMode>()?,
            None => PadMode::Constant,
        };
        let spec = YinSpec {
            sr,
            fmin: p.f64(&["fmin"], 75.0)?,
            fmax: p.f64(&["fmax"], 600.0)?,
            frame_length,
            hop_length,
            center: p.bool(&["center"], true)?,
            pad_mode,
        };
        spec.check()?;
        Ok(spec)
    }

    /// librosa's `__check_yin_params`.
    pub fn check(&self) -> Result<()> {
        let (sr, fmin, fmax) = (self.sr, self.fmin, self.fmax);
        if fmin <= 0.0 {
            return Err(Error::param(
                "fmin",
                format!("must be positive, got {fmin}"),
            ));
        }
        if fmin >= fmax {
            return Err(Error::param(
                "fmin",
                format!("must be less than fmax={fmax}, got {fmin}"),
            ));
        }
        if fmax > sr / 2.0 {
            return Err(Error::param(
                "fmax",
                format!(
                    "cannot exceed the Nyquist frequency {}, got {fmax}",
                    sr / 2.0
                ),
            ));
        }
        if self.frame_length < 3 || sr / fmin >= (self.frame_length - 1) as f64 {
            return Err(Error::param(
                "fmin",
                format!(
                    "{fmin} Hz is too low for frame_length={} at sr={sr}: raise fmin to at \
                     least {:.3} or frame_length to at least {}",
                    self.frame_length,
                    sr / (self.frame_length as f64 - 1.0).max(1.0),
                    (sr / fmin).ceil() as usize + 2
                ),
            ));
        }
        Ok(())
    }

    fn framing(&self) -> Result<Framing> {
        let edges = if self.center {
            Edges::Center(self.pad_mode)
        } else {
            Edges::Snip
        };
        Framing::new(self.frame_length, self.hop_length, edges)
    }

    /// `floor(sr / fmax)`, librosa's shortest period in samples.
    pub fn min_period(&self) -> usize {
        ((self.sr / self.fmax).floor() as usize).max(1)
    }

    /// `min(ceil(sr / fmin), frame_length - 1)`.
    pub fn max_period(&self) -> usize {
        ((self.sr / self.fmin).ceil() as usize).min(self.frame_length - 1)
    }
}

/// Smallest `2^a 3^b 5^c` that is even and at least `n` (an FFT size rustfft is fast at).
fn fast_len(n: usize) -> usize {
    let mut best = n.next_power_of_two().max(2);
    let mut p5 = 1;
    while p5 < best {
        let mut p35 = p5;
        while p35 < best {
            let mut m = p35;
            while m < n {
                m *= 2;
            }
            if m % 2 == 0 && m < best {
                best = m;
            }
            p35 *= 3;
        }
        p5 *= 5;
    }
    best
}

/// Per-frame CMNDF computation: the planned FFTs and scratch buffers.
pub(super) struct Cmndf<T: Real> {
    pub(super) framing: Framing,
    pub(super) min_period: usize,
    pub(super) max_period: usize,
    pub(super) n_fft: usize,
    pub(super) fwd: Arc<dyn RealToComplex<T>>,
    pub(super) inv: Arc<dyn ComplexToReal<T>>,
    pub(super) frame: Vec<T>,
    pub(super) buf: Vec<T>,
    pub(super) spec: Vec<Complex<T>>,
    pub(super) scratch: Vec<Complex<T>>,
    pub(super) energy: Vec<T>,
    pub(super) diff: Vec<T>,
}

impl<T: Real> Cmndf<T> {
    pub(super) fn new(spec: &YinSpec) -> Result<Self> {
        let framing = spec.framing()?;
        let (min_period, max_period) = (spec.min_period(), spec.max_period());
        if min_period >= max_period {
            return Err(Error::param(
                "fmax",
                "the period range floor(sr/fmax)..ceil(sr/fmin) is empty",
            ));
        }
        // A linear (not circular) autocorrelation up to lag max_period needs
        // n_fft >= frame_length + max_period; the result equals librosa's (which pads to
        // next_fast_len(2 n - 1)) up to rounding.
        crate::limits::check::<[f64; 4]>(
            spec.frame_length,
            crate::limits::Source::Arg("frame_length"),
        )?;
        let n_fft = fast_len(spec.frame_length + max_period);
        let mut planner = RealFftPlanner::<T>::new();
        let fwd = planner.plan_fft_forward(n_fft);
        let inv = planner.plan_fft_inverse(n_fft);
        let scratch_len = fwd.get_scratch_len().max(inv.get_scratch_len());
        Ok(Cmndf {
            framing,
            min_period,
            max_period,
            n_fft,
            buf: fwd.make_input_vec(),
            spec: fwd.make_output_vec(),
            scratch: vec![Complex::new(T::zero(), T::zero()); scratch_len],
            fwd,
            inv,
            frame: vec![T::zero(); spec.frame_length],
            energy: vec![T::zero(); spec.frame_length],
            diff: vec![T::zero(); max_period + 1],
        })
    }

    /// Number of CMNDF values per frame (periods `min_period..=max_period`).
    pub(super) fn width(&self) -> usize {
        self.max_period - self.min_period + 1
    }

    /// CMNDF of frame `t` into `out` (`width()` values, float64 as librosa's).
    pub(super) fn frame(&mut self, signal: &[T], t: usize, out: &mut [f64]) {
        let n = self.frame.len();
        self.framing.fill(signal, t, &mut self.frame);
        self.buf[..n].copy_from_slice(&self.frame);
        self.buf[n..].iter_mut().for_each(|v| *v = T::zero());
        // Lengths come from the plans, so the transforms cannot fail.
        let _ = self
            .fwd
            .process_with_scratch(&mut self.buf, &mut self.spec, &mut self.scratch);
        for c in self.spec.iter_mut() {
            *c = Complex::new(c.re * c.re + c.im * c.im, T::zero());
        }
        let _ = self
            .inv
            .process_with_scratch(&mut self.spec, &mut self.buf, &mut self.scratch);
        let scale = T::one() / T::of(self.n_fft as f64);
        let acf = &self.buf;
        // Cumulative energy, summed sequentially like numpy.cumsum.
        let mut acc = T::zero();
        for (e, &x) in self.energy.iter_mut().zip(&self.frame) {
            acc = acc + x * x;
            *e = acc;
        }
        let two = T::of(2.0);
        let r0 = acf[0] * scale;
        // d(k) = 2 (r(0) - r(k)) - sum_{m<k} y(m)^2, librosa's difference function.
        for k in 1..=self.max_period {
            self.diff[k] = two * (r0 - acf[k] * scale) - self.energy[k - 1];
        }
        let mut cum = T::zero();
        for k in 1..=self.max_period {
            cum = cum + self.diff[k];
            if k >= self.min_period {
                let mean = cum.f64() / k as f64;
                out[k - self.min_period] = self.diff[k].f64() / (mean + TINY);
            }
        }
    }
}

/// librosa's parabolic shift at interior index `i` of `x` (0 at the ends and where the
/// optimum would move by more than one bin).
#[inline]
pub(super) fn parabolic_shift(x: &[f64], i: usize) -> f64 {
    if i == 0 || i + 1 >= x.len() {
        return 0.0;
    }
    let a = x[i + 1] + x[i - 1] - 2.0 * x[i];
    let b = (x[i + 1] - x[i - 1]) / 2.0;
    if b.abs() >= a.abs() {
        0.0
    } else {
        -b / a
    }
}

/// librosa's trough rule: `x[i] < x[i-1] and x[i] <= x[i+1]` inside, `x[0] < x[1]` and
/// `x[-1] < x[-2]` at the ends.
#[inline]
pub(super) fn is_trough(x: &[f64], i: usize) -> bool {
    let n = x.len();
    if n < 2 {
        return false;
    }
    if i == 0 {
        x[0] < x[1]
    } else if i == n - 1 {
        x[n - 1] < x[n - 2]
    } else {
        x[i] < x[i - 1] && x[i] <= x[i + 1]
    }
}

/// Largest peak amplitude YIN and pYIN accept: audio is expected in [-1, 1], and a peak
/// beyond this is unscaled data (integer PCM cast to float without its full scale).
pub const MAX_PITCH_AMPLITUDE: f64 = 1e6;

/// The signal YIN/pYIN analyse. Both are scale-invariant in exact arithmetic, but their
/// float32 sums of squares underflow for quiet signals (peak ~1e-20) and overflow for
/// loud ones (~1e18): a signal whose peak lies outside [2^-10, 2^10] is scaled by a power
/// of two into [0.5, 1), which is exact, so the track is the one the same signal at a
/// normal level gives. A peak above [`MAX_PITCH_AMPLITUDE`] is an error naming `y`; a
/// signal whose samples are all below float32's smallest normal number (1.2e-38,
/// denormals or zeros) is digital silence: every frame unvoiced.
pub(super) fn check_signal<'a, T: Real>(
    signal: &'a [T],
    spec: &YinSpec,
) -> Result<std::borrow::Cow<'a, [T]>> {
    use std::borrow::Cow;
    crate::audio::check_finite(signal, "y")?;
    if !spec.center && signal.len() < spec.frame_length {
        return Err(Error::param(
            "y",
            format!(
                "{} samples is shorter than one frame (frame_length={}) with center=False",
                signal.len(),
                spec.frame_length
            ),
        ));
    }
    let peak = signal.iter().fold(0.0f64, |m, v| m.max(v.f64().abs()));
    if peak > MAX_PITCH_AMPLITUDE {
        return Err(Error::param(
            "y",
            format!(
                "the peak amplitude {peak:e} is far outside [-1e6, 1e6]; audio samples are \
                 expected in [-1, 1] (integer PCM divided by its full scale, e.g. 32768 for \
                 int16)"
            ),
        ));
    }
    if peak < f32::MIN_POSITIVE as f64 {
        return Ok(Cow::Owned(vec![T::zero(); signal.len()]));
    }
    if (2f64.powi(-10)..=2f64.powi(10)).contains(&peak) {
        return Ok(Cow::Borrowed(signal));
    }
    let scale = 2f64.powi(-(peak.log2().floor() as i32) - 1);
    Ok(Cow::Owned(
        signal.iter().map(|v| T::of(v.f64() * scale)).collect(),
    ))
}

pub(super) fn frame_times(spec: &YinSpec, n_frames: usize) -> Vec<f64> {
    let offset = if spec.center {
        0.0
    } else {
        (spec.frame_length / 2) as f64
    };
    (0..n_frames)
        .map(|t| (t as f64 * spec.hop_length as f64 + offset) / spec.sr)
        .collect()
}

/// YIN F0 track (librosa.yin). `voiced` marks frames with a trough below
/// `trough_threshold`; elsewhere `f0` is librosa's global-minimum fallback.
pub fn yin<T: Real>(signal: &[T], spec: &YinSpec, trough_threshold: f64) -> Result<F0Track> {
    let signal = &*check_signal(signal, spec)?;
    if !(trough_threshold > 0.0 && trough_threshold.is_finite()) {
        return Err(Error::param(
            "trough_threshold",
            format!("must be positive, got {trough_threshold}"),
        ));
    }
    let mut c = Cmndf::<T>::new(spec)?;
    let n_frames = c.framing.n_frames(signal.len());
    let mut d = vec![0.0; c.width()];
    let mut track = F0Track {
        f0: Vec::with_capacity(n_frames),
        voiced: Vec::with_capacity(n_frames),
        prob: Vec::with_capacity(n_frames),
        times: frame_times(spec, n_frames),
    };
    for t in 0..n_frames {
        crate::cancel::check_every(t, 64)?;
        c.frame(signal, t, &mut d);
        let below = (0..d.len()).find(|&i| is_trough(&d, i) && d[i] < trough_threshold);
        // First global minimum, as numpy.argmin.
        let global = d
            .iter()
            .enumerate()
            .fold(0, |b, (i, &v)| if v < d[b] { i } else { b });
        let i = below.unwrap_or(global);
        let period = (c.min_period + i) as f64 + parabolic_shift(&d, i);
        track.f0.push(spec.sr / period);
        track.voiced.push(below.is_some());
        track.prob.push((1.0 - d[i]).clamp(0.0, 1.0));
    }
    Ok(track)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_len_is_smooth_and_large_enough() {
        assert_eq!(fast_len(2048 + 214), 2304);
        assert_eq!(fast_len(4095), 4096);
        assert_eq!(fast_len(7), 8);
        for n in 2..500 {
            let m = fast_len(n);
            assert!(m >= n && m % 2 == 0);
        }
    }
}
