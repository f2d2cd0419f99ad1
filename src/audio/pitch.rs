//! Fundamental frequency (F0) tracking: YIN and probabilistic YIN.
//!
//! Both follow librosa 0.11 (`librosa.yin`, `librosa.pyin`) step for step, so that the
//! same parameters give the same track:
//!
//! - YIN (de Cheveigné & Kawahara 2002): the cumulative mean normalised difference
//!   function (CMNDF) of each frame from its FFT autocorrelation, the first local minimum
//!   below `trough_threshold` (else the global minimum), parabolic interpolation.
//! - pYIN (Mauch & Dixon 2014), as librosa implements the official pYIN software:
//!   100 thresholds with a beta(2, 18) prior, a Boltzmann prior over troughs, pitch bins of
//!   `resolution` semitones, and Viterbi decoding over voiced and unvoiced copies of every
//!   pitch bin with a triangular local transition band.
//!
//! librosa computes the Viterbi recursion over the dense `2 n x 2 n` transition matrix
//! with every zero entry floored at the smallest float (`log(tiny) = -708.4`). Here the
//! band is evaluated directly, the voiced/unvoiced switch is applied after the in-band
//! maximum, and the floored out-of-band entries are covered by the global maximum of the
//! previous column; back-pointers are recomputed only along the decoded path. The
//! decoded states are those of the dense recursion up to floating-point rounding
//! (`log(0.99 T)` is evaluated as `log T + log 0.99`).

use std::sync::{Arc, Mutex};

use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};
use rustfft::num_complex::Complex;

use super::frames::{Edges, Framing, PadMode};
use crate::error::{Error, Result};
use crate::params::{Params, Value};
use crate::real::Real;

/// `numpy.finfo(float64).tiny`, librosa's floor before every logarithm and division.
const TINY: f64 = f64::MIN_POSITIVE;

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

/// The pYIN model parameters (librosa's names and defaults).
#[derive(Debug, Clone, PartialEq)]
pub struct PyinSpec {
    pub n_thresholds: usize,
    pub beta_parameters: (f64, f64),
    pub boltzmann_parameter: f64,
    pub resolution: f64,
    pub max_transition_rate: f64,
    pub switch_prob: f64,
    pub no_trough_prob: f64,
}

impl Default for PyinSpec {
    fn default() -> Self {
        PyinSpec {
            n_thresholds: 100,
            beta_parameters: (2.0, 18.0),
            boltzmann_parameter: 2.0,
            resolution: 0.1,
            max_transition_rate: 35.92,
            switch_prob: 0.01,
            no_trough_prob: 0.01,
        }
    }
}

/// An F0 track. `f0` holds the best estimate for every frame, voiced or not (librosa's
/// `fill_na=None` form); [`F0Track::f0_or_nan`] gives NaN on unvoiced frames.
#[derive(Debug, Clone, PartialEq)]
pub struct F0Track {
    pub f0: Vec<f64>,
    pub voiced: Vec<bool>,
    /// Voicing probability (pYIN) or periodicity `1 - d'(tau)` clipped to [0, 1] (YIN).
    pub prob: Vec<f64>,
    /// Time of each frame's centre in seconds.
    pub times: Vec<f64>,
}

impl F0Track {
    /// F0 with NaN on unvoiced frames.
    pub fn f0_or_nan(&self) -> Vec<f64> {
        self.f0
            .iter()
            .zip(&self.voiced)
            .map(|(&f, &v)| if v { f } else { f64::NAN })
            .collect()
    }
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
            Some(s) => PadMode::from_name(&s)?,
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

impl PyinSpec {
    pub fn from_params(p: &Params) -> Result<Self> {
        let d = PyinSpec::default();
        let beta_parameters = match p.get(&["beta_parameters"])? {
            None | Some(Value::None) => d.beta_parameters,
            Some(Value::Array(a)) if a.len() == 2 => (a[0], a[1]),
            Some(_) => {
                return Err(Error::param(
                    "beta_parameters",
                    "expected a pair of numbers (alpha, beta)",
                ))
            }
        };
        let s = PyinSpec {
            n_thresholds: p.count(&["n_thresholds"], d.n_thresholds)?,
            beta_parameters,
            boltzmann_parameter: p.f64(&["boltzmann_parameter"], d.boltzmann_parameter)?,
            resolution: p.f64(&["resolution"], d.resolution)?,
            max_transition_rate: p.f64(&["max_transition_rate"], d.max_transition_rate)?,
            switch_prob: p.f64(&["switch_prob"], d.switch_prob)?,
            no_trough_prob: p.f64(&["no_trough_prob"], d.no_trough_prob)?,
        };
        let (a, b) = s.beta_parameters;
        if !(a >= 1.0 && b >= 1.0 && a.is_finite() && b.is_finite()) {
            return Err(Error::param(
                "beta_parameters",
                format!("both must be finite and >= 1, got ({a}, {b})"),
            ));
        }
        if !(s.boltzmann_parameter > 0.0) {
            return Err(Error::param("boltzmann_parameter", "must be positive"));
        }
        if !(s.resolution > 0.0 && s.resolution < 1.0) {
            return Err(Error::param(
                "resolution",
                format!("must lie in (0, 1) semitones, got {}", s.resolution),
            ));
        }
        if !(s.max_transition_rate > 0.0) {
            return Err(Error::param("max_transition_rate", "must be positive"));
        }
        for (name, v) in [
            ("switch_prob", s.switch_prob),
            ("no_trough_prob", s.no_trough_prob),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::param(name, format!("must lie in [0, 1], got {v}")));
            }
        }
        Ok(s)
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
struct Cmndf<T: Real> {
    framing: Framing,
    min_period: usize,
    max_period: usize,
    n_fft: usize,
    fwd: Arc<dyn RealToComplex<T>>,
    inv: Arc<dyn ComplexToReal<T>>,
    frame: Vec<T>,
    buf: Vec<T>,
    spec: Vec<Complex<T>>,
    scratch: Vec<Complex<T>>,
    energy: Vec<T>,
    diff: Vec<T>,
}

impl<T: Real> Cmndf<T> {
    fn new(spec: &YinSpec) -> Result<Self> {
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
    fn width(&self) -> usize {
        self.max_period - self.min_period + 1
    }

    /// CMNDF of frame `t` into `out` (`width()` values, float64 as librosa's).
    fn frame(&mut self, signal: &[T], t: usize, out: &mut [f64]) {
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
fn parabolic_shift(x: &[f64], i: usize) -> f64 {
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
fn is_trough(x: &[f64], i: usize) -> bool {
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
fn check_signal<'a, T: Real>(signal: &'a [T], spec: &YinSpec) -> Result<std::borrow::Cow<'a, [T]>> {
    use std::borrow::Cow;
    super::check_finite(signal, "y")?;
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

fn frame_times(spec: &YinSpec, n_frames: usize) -> Vec<f64> {
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

/// Probability mass of beta(a, b) over each of `n` equal bins of [0, 1]
/// (`numpy.diff(scipy.stats.beta.cdf(numpy.linspace(0, 1, n + 1), a, b))`), by composite
/// Simpson integration of the density (a, b >= 1: bounded), normalised to sum to 1.
fn beta_bin_probs(a: f64, b: f64, n: usize) -> Vec<f64> {
    const SUB: usize = 64;
    let pdf = |x: f64| x.powf(a - 1.0) * (1.0 - x).powf(b - 1.0);
    let mut out: Vec<f64> = (0..n)
        .map(|m| {
            let (lo, hi) = (m as f64 / n as f64, (m + 1) as f64 / n as f64);
            let h = (hi - lo) / SUB as f64;
            let mut s = pdf(lo) + pdf(hi);
            for k in 1..SUB {
                s += pdf(lo + k as f64 * h) * if k % 2 == 1 { 4.0 } else { 2.0 };
            }
            s * h / 3.0
        })
        .collect();
    let total: f64 = out.iter().sum();
    out.iter_mut().for_each(|v| *v /= total);
    out
}

/// The pYIN hidden Markov model: pitch grid, threshold prior and transition band.
struct PyinModel {
    thresholds: Vec<f64>,
    beta_probs: Vec<f64>,
    /// `sum(beta_probs[..m])` for m = 0..=n_thresholds.
    beta_prefix: Vec<f64>,
    n_bins: usize,
    bins_per_semitone: usize,
    /// Half width of the local transition band, in bins.
    half: usize,
    /// `log T[k, j]` of the row-normalised triangle band, by target `j`: entry
    /// `j * (2 half + 1) + (k - j + half)`; unused slots are -inf.
    log_band: Vec<f64>,
    log_stay: f64,
    log_switch: f64,
    log_init: f64,
    /// `exp(-lambda r)` for ranks r = 0..max_troughs.
    boltzmann_decay: Vec<f64>,
    /// scipy's Boltzmann normaliser `(1 - exp(-lambda)) / (1 - exp(-lambda N))` for
    /// N = 0..=max_troughs (entry 0 unused).
    boltzmann_norm: Vec<f64>,
}

impl PyinModel {
    fn new(spec: &YinSpec, p: &PyinSpec) -> Result<Self> {
        use crate::limits::{self, Source};
        let nt = p.n_thresholds;
        let lam = p.boltzmann_parameter;
        // Troughs are strict local minima, so at most every other CMNDF value is one.
        let max_troughs = (spec.max_period() - spec.min_period()) / 2 + 2;
        let thresholds: Vec<f64> = (0..=nt).map(|i| i as f64 / nt as f64).collect();
        let beta_probs = beta_bin_probs(p.beta_parameters.0, p.beta_parameters.1, nt);
        let mut beta_prefix = vec![0.0; nt + 1];
        for m in 0..nt {
            beta_prefix[m + 1] = beta_prefix[m] + beta_probs[m];
        }
        let bins_per_semitone =
            limits::count_from_f64::<f64>((1.0 / p.resolution).ceil(), Source::Arg("resolution"))?;
        let n_bins = limits::count_from_f64::<f64>(
            (12.0 * bins_per_semitone as f64 * (spec.fmax / spec.fmin).log2()).floor() + 1.0,
            Source::Arg("resolution"),
        )?;
        // The band is max_semitones wide on either side; computed in f64, since a large
        // max_transition_rate or hop_length makes it wider than any grid (it then covers
        // every bin, and only its central part is ever evaluated).
        let max_semitones = (p.max_transition_rate * 12.0 * spec.hop_length as f64 / spec.sr)
            .round_ties_even();
        let width = max_semitones * bins_per_semitone as f64 + 1.0;
        let half_width = (width / 2.0).floor();
        // scipy.signal.get_window("triangle", width, fftbins=False), centred on each row;
        // `offset` = target - source bin.
        let tri = |offset: f64| -> f64 {
            let m = offset + half_width;
            let m = m.min(width - 1.0 - m) + 1.0;
            if width % 2.0 == 1.0 {
                2.0 * m / (width + 1.0)
            } else {
                (2.0 * m - 1.0) / width
            }
        };
        // Offsets beyond the grid never occur: store the band clipped to it.
        let half = (half_width.min((n_bins - 1) as f64)) as usize;
        let bw = 2 * half + 1;
        limits::product::<f64>(&[n_bins, bw], Source::Arg("resolution"))?;
        // Row sums (rows are source states k), then the columns by target j.
        let row_sum: Vec<f64> = (0..n_bins)
            .map(|k| {
                let lo = k.saturating_sub(half);
                let hi = (k + half).min(n_bins - 1);
                (lo..=hi).map(|j| tri(j as f64 - k as f64)).sum()
            })
            .collect();
        let mut log_band = vec![f64::NEG_INFINITY; n_bins * bw];
        for j in 0..n_bins {
            let lo = j.saturating_sub(half);
            let hi = (j + half).min(n_bins - 1);
            for k in lo..=hi {
                log_band[j * bw + (k + half - j)] = (tri(j as f64 - k as f64) / row_sum[k]).ln();
            }
        }
        let n_states = 2 * n_bins;
        Ok(PyinModel {
            thresholds,
            beta_probs,
            beta_prefix,
            n_bins,
            bins_per_semitone,
            half,
            log_band,
            log_stay: (1.0 - p.switch_prob).ln(),
            log_switch: p.switch_prob.ln(),
            log_init: (1.0 / n_states as f64 + TINY).ln(),
            boltzmann_decay: (0..=max_troughs).map(|r| (-lam * r as f64).exp()).collect(),
            boltzmann_norm: (0..=max_troughs)
                .map(|n| (1.0 - (-lam).exp()) / (1.0 - (-lam * n as f64).exp()))
                .collect(),
        })
    }

    /// Observation probabilities of one frame (librosa's `__pyin_helper`): fills the
    /// voiced bins `obs[..n_bins]` (zero elsewhere) and returns the voicing probability.
    #[allow(clippy::too_many_arguments)]
    fn observe(
        &self,
        d: &[f64],
        min_period: usize,
        sr: f64,
        fmin: f64,
        no_trough_prob: f64,
        troughs: &mut Vec<usize>,
        probs: &mut Vec<f64>,
        obs: &mut [f64],
    ) -> f64 {
        obs.iter_mut().for_each(|v| *v = 0.0);
        troughs.clear();
        troughs.extend((0..d.len()).filter(|&i| is_trough(d, i)));
        if troughs.is_empty() {
            return 0.0;
        }
        probs.clear();
        probs.resize(troughs.len(), 0.0);
        let nt = self.beta_probs.len();
        let lowest = troughs.iter().map(|&i| d[i]).fold(f64::INFINITY, f64::min);
        for m in 0..nt {
            let thr = self.thresholds[m + 1];
            if !(lowest < thr) {
                continue;
            }
            let count = troughs.iter().filter(|&&i| d[i] < thr).count();
            // scipy.stats.boltzmann.pmf(rank, lambda, count) * beta_probs[m]
            let fact = self.boltzmann_norm[count] * self.beta_probs[m];
            let mut rank = 0usize;
            for (p, &i) in probs.iter_mut().zip(troughs.iter()) {
                if d[i] < thr {
                    *p += fact * self.boltzmann_decay[rank];
                    rank += 1;
                }
            }
        }
        let gmin =
            (0..troughs.len()).fold(0, |b, t| if d[troughs[t]] < d[troughs[b]] { t } else { b });
        let h = d[troughs[gmin]];
        let below_min = (0..nt).filter(|&m| !(h < self.thresholds[m + 1])).count();
        probs[gmin] += no_trough_prob * self.beta_prefix[below_min];
        let n = self.n_bins;
        for (&i, &p) in troughs.iter().zip(probs.iter()) {
            if p == 0.0 {
                continue;
            }
            let period = (min_period + i) as f64 + parabolic_shift(d, i);
            let f0 = sr / period;
            let bin = (12.0 * self.bins_per_semitone as f64 * (f0 / fmin).log2())
                .round_ties_even()
                .clamp(0.0, n as f64) as usize;
            // librosa clips to n_bins, which lands in the unvoiced half and is then
            // overwritten: such a candidate is dropped.
            if bin < n {
                obs[bin] = p;
            }
        }
        obs.iter().sum::<f64>().clamp(0.0, 1.0)
    }

    /// Viterbi decoding over `n_frames` frames; `logp(t, row)` fills frame t's log
    /// observation probabilities (`2 n_bins` values). Returns the state sequence. Ties
    /// go to the lowest source state, as numpy.argmax in librosa's dense recursion.
    fn viterbi(
        &self,
        n_frames: usize,
        mut logp: impl FnMut(usize, &mut [f64]),
    ) -> Result<Vec<usize>> {
        let n = self.n_bins;
        let ns = 2 * n;
        if n_frames == 0 {
            return Ok(Vec::new());
        }
        let log_floor = TINY.ln();
        let mut row = vec![0.0f64; ns];
        let mut prev = vec![0.0f64; ns];
        let mut cur = vec![0.0f64; ns];
        let mut band_val = vec![0.0f64; ns];
        let mut band_arg = vec![0usize; ns];
        let mut ptr = crate::limits::filled(
            crate::limits::product::<u32>(&[n_frames, ns], crate::limits::Source::Arg("y"))?,
            0u32,
            crate::limits::Source::Arg("y"),
        )?;
        logp(0, &mut row);
        for (p, r) in prev.iter_mut().zip(&row) {
            *p = r + self.log_init;
        }
        for t in 1..n_frames {
            crate::cancel::check_every(t, 64)?;
            logp(t, &mut row);
            for a in 0..2 {
                let r = a * n..(a + 1) * n;
                band_max(
                    self,
                    &prev[r.clone()],
                    &mut band_val[r.clone()],
                    &mut band_arg[r],
                );
            }
            let (gi, gv) = argmax(&prev);
            let g_bin = gi % n;
            for b in 0..2 {
                let (l0, l1) = if b == 0 {
                    (self.log_stay, self.log_switch)
                } else {
                    (self.log_switch, self.log_stay)
                };
                for j in 0..n {
                    // Candidates in source order: voiced block, unvoiced block, and the
                    // floored out-of-band maximum; ties keep the lower source index.
                    let mut best = (band_val[j] + l0, band_arg[j]);
                    let v1 = (band_val[n + j] + l1, n + band_arg[n + j]);
                    if v1.0 > best.0 {
                        best = v1;
                    }
                    if g_bin.abs_diff(j) > self.half {
                        let g = gv + log_floor;
                        if g > best.0 || (g == best.0 && gi < best.1) {
                            best = (g, gi);
                        }
                    }
                    let s = b * n + j;
                    cur[s] = row[s] + best.0;
                    ptr[t * ns + s] = best.1 as u32;
                }
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        let mut states = vec![0usize; n_frames];
        states[n_frames - 1] = argmax(&prev).0;
        for t in (1..n_frames).rev() {
            states[t - 1] = ptr[t * ns + states[t]] as usize;
        }
        Ok(states)
    }
}

/// `out[j] = max_k v[k] + log T[k, j]` over the band of every target bin `j`.
///
/// `log T[k, j] = log tri(j - k) - log rowsum(k)`: a source term plus a concave function
/// of `j - k`, so the matrix `v[k] + log T[k, j]` is Monge and the leftmost maximising
/// `k` never decreases with `j`. Divide and conquer over `j` then needs
/// O((n + width) log n) evaluations instead of n * width. It runs level by level (the
/// targets of one level are the midpoints between targets already solved, whose
/// argmaxima bound their search ranges), which needs no stack.
fn band_max(model: &PyinModel, v: &[f64], out: &mut [f64], arg: &mut [usize]) {
    let n = v.len();
    let half = model.half;
    let bw = 2 * half + 1;
    let mut step = n.next_power_of_two();
    while step > 0 {
        // Targets j = step - 1 + 2 step i; their neighbours j -/+ step are solved already
        // (or lie outside, bounding by 0 / n - 1).
        let mut j = step - 1;
        while j < n {
            let klo = if j >= step { arg[j - step] } else { 0 };
            let khi = if j + step < n { arg[j + step] } else { n - 1 };
            let lo = klo.max(j.saturating_sub(half));
            let hi = khi.min(j + half).min(n - 1);
            let (mut best_k, mut best) = (lo, f64::NEG_INFINITY);
            if lo <= hi {
                let w = &model.log_band[j * bw + (lo + half - j)..][..hi - lo + 1];
                for (i, (x, y)) in v[lo..=hi].iter().zip(w).enumerate() {
                    let s = x + y;
                    if s > best {
                        best = s;
                        best_k = lo + i;
                    }
                }
            }
            out[j] = best;
            arg[j] = best_k;
            j += 2 * step;
        }
        step /= 2;
    }
}

/// First index of the maximum and the maximum.
fn argmax(v: &[f64]) -> (usize, f64) {
    v.iter().enumerate().fold(
        (0, f64::NEG_INFINITY),
        |b, (i, &x)| if x > b.1 { (i, x) } else { b },
    )
}

/// The model for `(spec, pspec)`, built once and kept for the next clips (a clip of a
/// few seconds costs less than building the transition band and the beta prior).
fn cached_model(spec: &YinSpec, pspec: &PyinSpec) -> Result<Arc<PyinModel>> {
    type Key = (YinSpec, PyinSpec);
    static CACHE: Mutex<Vec<(Key, Arc<PyinModel>)>> = Mutex::new(Vec::new());
    let key: Key = (spec.clone(), pspec.clone());
    // A poisoned lock only means a panic elsewhere; the cache stays consistent.
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, m)) = cache.iter().find(|(k, _)| *k == key) {
        return Ok(Arc::clone(m));
    }
    let m = Arc::new(PyinModel::new(spec, pspec)?);
    if cache.len() >= 8 {
        cache.remove(0);
    }
    cache.push((key, Arc::clone(&m)));
    Ok(m)
}

/// pYIN F0 track (librosa.pyin). `f0` holds the decoded pitch bin's frequency on every
/// frame (librosa's `fill_na=None`); `voiced` the decoded voicing; `prob` the voicing
/// probability.
pub fn pyin<T: Real>(signal: &[T], spec: &YinSpec, pspec: &PyinSpec) -> Result<F0Track> {
    let signal = &*check_signal(signal, spec)?;
    let mut c = Cmndf::<T>::new(spec)?;
    let model = cached_model(spec, pspec)?;
    let n_frames = c.framing.n_frames(signal.len());
    let n = model.n_bins;
    let mut d = vec![0.0; c.width()];
    let mut prob = Vec::with_capacity(n_frames);
    let (mut troughs, mut probs) = (Vec::new(), Vec::new());
    let mut obs = vec![0.0; n];
    let log_tiny = TINY.ln();
    // Observations are computed frame by frame as the Viterbi recursion asks for them.
    let states = model.viterbi(n_frames, |t, row| {
        c.frame(signal, t, &mut d);
        let vp = model.observe(
            &d,
            c.min_period,
            spec.sr,
            spec.fmin,
            pspec.no_trough_prob,
            &mut troughs,
            &mut probs,
            &mut obs,
        );
        prob.push(vp);
        for (l, &o) in row[..n].iter_mut().zip(&obs) {
            *l = if o == 0.0 { log_tiny } else { (o + TINY).ln() };
        }
        let unvoiced = ((1.0 - vp) / n as f64 + TINY).ln();
        row[n..].iter_mut().for_each(|l| *l = unvoiced);
    })?;
    let step = 12.0 * model.bins_per_semitone as f64;
    Ok(F0Track {
        f0: states
            .iter()
            .map(|&s| spec.fmin * ((s % n) as f64 / step).exp2())
            .collect(),
        voiced: states.iter().map(|&s| s < n).collect(),
        prob,
        times: frame_times(spec, n_frames),
    })
}

/// An F0 tracker with its settings, parsed once and run on any number of clips.
#[derive(Debug, Clone)]
pub enum F0Method {
    /// YIN with its trough threshold.
    Yin(YinSpec, f64),
    Pyin(YinSpec, PyinSpec),
    Praat(PraatPitchSpec),
}

impl F0Method {
    /// `method` = `"yin"`, `"pyin"` or `"praat"` with its keywords from `p` (see each spec's
    /// `from_params`); the caller checks for unknown keywords with `p.finish`.
    pub fn from_params(method: &str, sr: f64, p: &Params) -> Result<Self> {
        Ok(match method {
            "yin" => F0Method::Yin(
                YinSpec::from_params(sr, p)?,
                p.f64(&["trough_threshold"], 0.1)?,
            ),
            "pyin" => F0Method::Pyin(YinSpec::from_params(sr, p)?, PyinSpec::from_params(p)?),
            "praat" => F0Method::Praat(PraatPitchSpec::from_params(p)?),
            other => {
                return Err(Error::param(
                    "method",
                    format!("unknown F0 method {other:?}; expected \"pyin\", \"yin\" or \"praat\""),
                ))
            }
        })
    }

    /// The F0 track of one clip at `sr` Hz.
    pub fn track<T: Real>(&self, signal: &[T], sr: f64) -> Result<F0Track> {
        match self {
            F0Method::Yin(spec, threshold) => yin(signal, spec, *threshold),
            F0Method::Pyin(spec, pspec) => pyin(signal, spec, pspec),
            F0Method::Praat(spec) => praat_ac(signal, sr, spec),
        }
    }

    /// [`F0Method::track`] of every clip on the `n_jobs` pool, in order.
    pub fn track_batch<T: Real>(
        &self,
        signals: &[&[T]],
        sr: f64,
        n_jobs: Option<i64>,
    ) -> Result<Vec<F0Track>> {
        crate::parallel::map_clips(signals, n_jobs, |x| self.track(x, sr))
    }
}

/// Praat's "To Pitch (ac)" settings (Boersma 1993; names as parselmouth's
/// `Sound.to_pitch_ac`).
#[derive(Debug, Clone, PartialEq)]
pub struct PraatPitchSpec {
    /// Seconds; `None` = `0.75 / pitch_floor`.
    pub time_step: Option<f64>,
    pub pitch_floor: f64,
    pub pitch_ceiling: f64,
    pub max_number_of_candidates: usize,
    pub silence_threshold: f64,
    pub voicing_threshold: f64,
    pub octave_cost: f64,
    pub octave_jump_cost: f64,
    pub voiced_unvoiced_cost: f64,
}

impl PraatPitchSpec {
    /// Praat's defaults, with `fmin`/`fmax` (affectkit's names) accepted as aliases of
    /// `pitch_floor`/`pitch_ceiling`.
    pub fn from_params(p: &Params) -> Result<Self> {
        let s = PraatPitchSpec {
            time_step: p.opt_f64(&["time_step"])?.filter(|&v| v != 0.0),
            pitch_floor: p.f64(&["pitch_floor", "fmin"], 75.0)?,
            pitch_ceiling: p.f64(&["pitch_ceiling", "fmax"], 600.0)?,
            max_number_of_candidates: p.count(&["max_number_of_candidates"], 15)?,
            silence_threshold: p.f64(&["silence_threshold"], 0.03)?,
            voicing_threshold: p.f64(&["voicing_threshold"], 0.45)?,
            octave_cost: p.f64(&["octave_cost"], 0.01)?,
            octave_jump_cost: p.f64(&["octave_jump_cost"], 0.35)?,
            voiced_unvoiced_cost: p.f64(&["voiced_unvoiced_cost"], 0.14)?,
        };
        if !(s.pitch_floor > 0.0) {
            return Err(Error::param(
                "fmin",
                format!("the pitch floor must be positive, got {}", s.pitch_floor),
            ));
        }
        if s.pitch_floor >= s.pitch_ceiling {
            return Err(Error::param(
                "fmin",
                format!(
                    "the pitch floor {} must be less than the ceiling {}",
                    s.pitch_floor, s.pitch_ceiling
                ),
            ));
        }
        if s.max_number_of_candidates < 2 {
            return Err(Error::param(
                "max_number_of_candidates",
                "must be at least 2 (one unvoiced candidate and one voiced)",
            ));
        }
        if let Some(t) = s.time_step {
            if !(t > 0.0 && t.is_finite()) {
                return Err(Error::param(
                    "time_step",
                    format!("must be positive seconds, got {t}"),
                ));
            }
        }
        // Praat's thresholds and costs are fractions and weights >= 0; a negative one
        // silently turns every frame voiced or unvoiced.
        for (name, v) in [
            ("silence_threshold", s.silence_threshold),
            ("voicing_threshold", s.voicing_threshold),
            ("octave_cost", s.octave_cost),
            ("octave_jump_cost", s.octave_jump_cost),
            ("voiced_unvoiced_cost", s.voiced_unvoiced_cost),
        ] {
            if !(v >= 0.0 && v.is_finite()) {
                return Err(Error::param(name, format!("must be >= 0, got {v}")));
            }
        }
        Ok(s)
    }
}

/// One pitch candidate: frequency (0 = unvoiced) and strength.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    f: f64,
    strength: f64,
    /// log2 f, kept for the octave-jump costs of the path finder (0 when unvoiced).
    log2_f: f64,
}

/// Praat-style autocorrelation pitch (Boersma 1993, "Accurate short-term analysis of the
/// fundamental frequency and the harmonics-to-noise ratio of a sampled sound"):
/// Hanning windows of three periods of the floor every `0.75 / floor` s on Praat's
/// centred frame grid; the autocorrelation of the windowed frame divided by that of the
/// window; peaks refined by parabolic interpolation of the normalised autocorrelation
/// (strength = the peak height r, reflected around 1 when above it); when there are more
/// than `max_number_of_candidates`, the strongest by `r - octave_cost log2(floor / f)`
/// are kept; an unvoiced candidate whose strength grows as the frame's peak falls below
/// `silence_threshold` of the global peak; Viterbi (Praat's path finder) over the local
/// scores `r - octave_cost log2(ceiling / f)` with Praat's octave-jump and
/// voiced/unvoiced costs. Peaks at or above the ceiling stay candidates (as Praat's) but
/// score and count as unvoiced (Praat's `frequencyIsVoiced`: 0 < f < ceiling). `prob`
/// is the peak height of the chosen voiced candidate (0 when unvoiced).
pub fn praat_ac<T: Real>(signal: &[T], sr: f64, spec: &PraatPitchSpec) -> Result<F0Track> {
    super::check_finite(signal, "y")?;
    let x: Vec<f64> = signal.iter().map(|v| v.f64()).collect();
    praat_ac_of(&x, sr, spec)
}

/// [`praat_ac`] of a finite clip already in f64 (callers that hold one skip a copy).
pub(crate) fn praat_ac_of(x: &[f64], sr: f64, spec: &PraatPitchSpec) -> Result<F0Track> {
    if !(sr.is_finite() && sr > 0.0) {
        return Err(Error::param("sr", format!("must be positive, got {sr}")));
    }
    if spec.pitch_ceiling > sr / 2.0 {
        return Err(Error::param(
            "fmax",
            format!(
                "the pitch ceiling {} exceeds the Nyquist frequency {}",
                spec.pitch_ceiling,
                sr / 2.0
            ),
        ));
    }
    let floor = spec.pitch_floor;
    let step = spec.time_step.unwrap_or(0.75 / floor);
    let periods = 3.0;
    let window = periods / floor;
    let grid = super::intensity::PraatGrid::new(
        x.len(),
        sr,
        window,
        step,
        "3 periods of the pitch floor",
        if spec.time_step.is_some() {
            "time_step"
        } else {
            "fmin"
        },
    )?;
    // vectorised (a serial sum over the clip cost as much as a few frames)
    let global_mean = crate::fastmath::sum(x) / x.len().max(1) as f64;
    let global_peak = x
        .iter()
        .map(|v| (v - global_mean).abs())
        .fold(0.0f64, f64::max);
    // Praat's sample counts: the window has 2 (floor(window sr) / 2 - 1) samples; the
    // local mean spans one longest period to each side of the centre, the local peak
    // half a period (plus one sample).
    let half = ((window * sr).floor() as usize / 2)
        .saturating_sub(1)
        .max(1);
    let n_win = 2 * half;
    let n_period = (sr / floor).floor() as usize;
    let half_period = n_period / 2 + 1;
    let n_fft = (n_win + n_win / 2).next_power_of_two();
    let min_lag = ((sr / spec.pitch_ceiling).floor() as usize).max(2);
    let ceiling = spec.pitch_ceiling;
    let voiced = move |c: &Candidate| c.f > 0.0 && c.f < ceiling;
    let max_lag = ((sr / floor).ceil() as usize).min(n_win - 1);
    let hann: Vec<f64> = (0..n_win)
        .map(|i| {
            0.5 - 0.5 * (2.0 * std::f64::consts::PI * (i + 1) as f64 / (n_win + 1) as f64).cos()
        })
        .collect();
    let mut planner = RealFftPlanner::<f64>::new();
    let fwd = planner.plan_fft_forward(n_fft);
    let inv = planner.plan_fft_inverse(n_fft);
    let mut buf = fwd.make_input_vec();
    let mut spec_buf = fwd.make_output_vec();
    let mut scratch =
        vec![Complex::new(0.0, 0.0); fwd.get_scratch_len().max(inv.get_scratch_len())];
    let mut autocorr = |frame: &[f64], out: &mut Vec<f64>| {
        buf[..frame.len()].copy_from_slice(frame);
        buf[frame.len()..].iter_mut().for_each(|v| *v = 0.0);
        let _ = fwd.process_with_scratch(&mut buf, &mut spec_buf, &mut scratch);
        for c in spec_buf.iter_mut() {
            *c = Complex::new(c.re * c.re + c.im * c.im, 0.0);
        }
        let _ = inv.process_with_scratch(&mut spec_buf, &mut buf, &mut scratch);
        out.clear();
        out.extend_from_slice(&buf[..=max_lag + 1]);
    };
    let mut r_w = Vec::new();
    autocorr(&hann, &mut r_w);
    let rw0 = r_w[0];
    // 1 / (normalised window autocorrelation): frames multiply instead of divide.
    let inv_r_w: Vec<f64> = r_w.iter().map(|v| rw0 / v).collect();
    let vt = spec.voicing_threshold;
    // Path costs (Praat's, per 10 ms), also used below to skip hopeless frames.
    let corr = 0.01 / step;
    let (jump, vuv) = (
        spec.octave_jump_cost * corr,
        spec.voiced_unvoiced_cost * corr,
    );
    // A voiced candidate scores at most 1 and swapping it for the unvoiced one changes
    // at most two transitions (each by at most `vuv`): where the unvoiced strength beats
    // 1 + 2 vuv, no best path is voiced and the frame's correlation can be skipped
    // (outputs unchanged; quiet frames between words). The bound needs costs >= 0.
    let hopeless = if spec.octave_cost >= 0.0 && jump >= 0.0 && vuv >= 0.0 {
        1.0 + 2.0 * vuv + 1e-9
    } else {
        f64::INFINITY
    };
    let mut frames: Vec<Vec<Candidate>> = Vec::with_capacity(grid.n_frames);
    let mut frame = vec![0.0f64; n_win];
    let mut r = Vec::new();
    // Running sums give every frame's local mean in O(1).
    let cum = super::frames::running_sums(x);
    let len = x.len() as isize;
    let mut rn = Vec::with_capacity(max_lag + 2);
    for f in 0..grid.n_frames {
        crate::cancel::check_every(f, 16)?;
        // The samples left and right of the frame centre (0-based).
        let left = grid.low_sample(grid.time(f));
        let right = left + 1;
        let lo = (right - n_period as isize).clamp(0, len) as usize;
        let hi = (left + n_period as isize + 1).clamp(0, len) as usize;
        let mean = (cum[hi] - cum[lo.min(hi)]) / (2 * n_period) as f64;
        let start = right - half as isize;
        if start >= 0 && start + n_win as isize <= len {
            let xs = &x[start as usize..][..n_win];
            for ((v, w), s) in frame.iter_mut().zip(&hann).zip(xs) {
                *v = (s - mean) * w;
            }
        } else {
            for (j, (v, w)) in frame.iter_mut().zip(&hann).enumerate() {
                let i = start + j as isize;
                let s = if (0..len).contains(&i) {
                    x[i as usize]
                } else {
                    0.0
                };
                *v = (s - mean) * w;
            }
        }
        let local_peak = frame[half.saturating_sub(half_period)..(half + half_period).min(n_win)]
            .iter()
            .fold(0.0f64, |m, v| m.max(v.abs()));
        let unvoiced_strength = if global_peak > 0.0 {
            let intensity = (local_peak / global_peak).min(1.0);
            vt + (2.0 - intensity / (spec.silence_threshold / (1.0 + vt))).max(0.0)
        } else {
            vt + 2.0
        };
        let mut cands = vec![Candidate {
            f: 0.0,
            strength: unvoiced_strength,
            log2_f: 0.0,
        }];
        if local_peak > 0.0 && unvoiced_strength <= hopeless {
            autocorr(&frame, &mut r);
            let inv_r0 = 1.0 / r[0];
            rn.clear();
            rn.extend((0..=max_lag + 1).map(|k| r[k] * inv_r_w[k] * inv_r0));
            for k in min_lag.max(1)..=max_lag {
                if !(rn[k] > rn[k - 1] && rn[k] >= rn[k + 1]) || rn[k] <= 0.5 * vt {
                    continue;
                }
                // Parabolic refinement of position and height.
                let (a, b, cc) = (rn[k - 1], rn[k], rn[k + 1]);
                let denom = a - 2.0 * b + cc;
                let (shift, height) = if denom != 0.0 {
                    let d = 0.5 * (a - cc) / denom;
                    (d, b - 0.25 * (a - cc) * d)
                } else {
                    (0.0, b)
                };
                let lag = (k as f64 + shift) / sr;
                let height = if height > 1.0 { 1.0 / height } else { height };
                cands.push(Candidate {
                    f: 1.0 / lag,
                    strength: height,
                    log2_f: -lag.log2(),
                });
            }
            if cands.len() > spec.max_number_of_candidates {
                // Ranking favours high frequencies, as Praat's choice of the weakest place.
                let rank = |c: &Candidate| c.strength - spec.octave_cost * (floor / c.f).log2();
                cands[1..].sort_by(|p, q| rank(q).total_cmp(&rank(p)));
                cands.truncate(spec.max_number_of_candidates);
            }
        }
        frames.push(cands);
    }
    // Viterbi: maximise the summed strengths minus the transition costs. Praat's path
    // finder scores a voiced candidate r - octave_cost log2(ceiling / f) and any other
    // (unvoiced, or at/above the ceiling) with the frame's unvoiced strength.
    let log2_ceiling = ceiling.log2();
    let local = |cands: &[Candidate], c: &Candidate| {
        if voiced(c) {
            c.strength - spec.octave_cost * (log2_ceiling - c.log2_f)
        } else {
            cands[0].strength
        }
    };
    let n = frames.len();
    let mut score: Vec<Vec<f64>> = Vec::with_capacity(n);
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(n);
    for (t, cands) in frames.iter().enumerate() {
        crate::cancel::check_every(t, 256)?;
        if t == 0 {
            score.push(cands.iter().map(|c| local(cands, c)).collect());
            back.push(vec![0; cands.len()]);
            continue;
        }
        let prev = &frames[t - 1];
        let prev_score = &score[t - 1];
        let mut s = Vec::with_capacity(cands.len());
        let mut b = Vec::with_capacity(cands.len());
        for q in cands {
            let qv = voiced(q);
            let (mut bi, mut bv) = (0, f64::NEG_INFINITY);
            for (i, (p, &ps)) in prev.iter().zip(prev_score).enumerate() {
                let cost = match (voiced(p), qv) {
                    (false, false) => 0.0,
                    (true, true) => jump * (p.log2_f - q.log2_f).abs(),
                    _ => vuv,
                };
                if ps - cost > bv {
                    (bi, bv) = (i, ps - cost);
                }
            }
            s.push(bv + local(cands, q));
            b.push(bi);
        }
        score.push(s);
        back.push(b);
    }
    let mut path = vec![0usize; n];
    if n > 0 {
        path[n - 1] = argmax(&score[n - 1]).0;
        for t in (1..n).rev() {
            path[t - 1] = back[t][path[t]];
        }
    }
    let chosen: Vec<Candidate> = path.iter().zip(&frames).map(|(&i, c)| c[i]).collect();
    Ok(F0Track {
        f0: chosen
            .iter()
            .map(|c| if voiced(c) { c.f } else { f64::NAN })
            .collect(),
        voiced: chosen.iter().map(voiced).collect(),
        prob: chosen
            .iter()
            .map(|c| {
                if voiced(c) {
                    c.strength.clamp(0.0, 1.0)
                } else {
                    0.0
                }
            })
            .collect(),
        times: (0..n).map(|f| grid.time(f)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(sr: f64) -> YinSpec {
        YinSpec::from_params(sr, &Params::new()).unwrap()
    }

    fn pulses(f0: impl Fn(f64) -> f64, seconds: f64, sr: f64) -> Vec<f64> {
        // A band-limited harmonic signal with instantaneous frequency f0(t).
        let n = (seconds * sr) as usize;
        let mut phase = 0.0f64;
        (0..n)
            .map(|i| {
                let f = f0(i as f64 / sr);
                phase += 2.0 * std::f64::consts::PI * f / sr;
                (1..=8)
                    .filter(|h| (*h as f64) * f < sr / 2.0)
                    .map(|h| (h as f64 * phase).sin() / h as f64)
                    .sum::<f64>()
                    * 0.3
            })
            .collect()
    }

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

    #[test]
    fn yin_and_pyin_find_a_steady_pitch() {
        let sr = 16000.0;
        let y = pulses(|_| 180.0, 1.0, sr);
        let s = spec(sr);
        let tr = yin(&y, &s, 0.1).unwrap();
        for (f, v) in tr.f0.iter().zip(&tr.voiced).skip(4).take(20) {
            assert!(*v);
            assert!((f / 180.0 - 1.0).abs() < 0.01, "yin {f}");
        }
        let tr = pyin(&y, &s, &PyinSpec::default()).unwrap();
        for (f, v) in tr.f0.iter().zip(&tr.voiced).skip(4).take(20) {
            assert!(*v);
            assert!((f / 180.0 - 1.0).abs() < 0.01, "pyin {f}");
        }
        let y32: Vec<f32> = y.iter().map(|&v| v as f32).collect();
        let tr32 = pyin(&y32, &s, &PyinSpec::default()).unwrap();
        assert_eq!(tr32.voiced[4..24], tr.voiced[4..24]);
    }

    #[test]
    fn silence_is_unvoiced_and_bad_ranges_are_errors() {
        let s = spec(16000.0);
        let tr = pyin(&vec![0.0f32; 8000], &s, &PyinSpec::default()).unwrap();
        assert!(tr.voiced.iter().all(|v| !v));
        assert!(tr.f0_or_nan().iter().all(|f| f.is_nan()));
        let tr = yin(&vec![0.0f32; 8000], &s, 0.1).unwrap();
        assert!(tr.voiced.iter().all(|v| !v));
        let p = Params::new()
            .with("fmin", Value::Float(500.0))
            .with("fmax", Value::Float(400.0));
        assert!(YinSpec::from_params(16000.0, &p).is_err());
        let p = Params::new().with("fmax", Value::Float(9000.0));
        assert!(YinSpec::from_params(16000.0, &p).is_err());
        let p = Params::new().with("fmin", Value::Float(5.0));
        assert!(YinSpec::from_params(16000.0, &p).is_err());
        assert!(yin(&[f32::NAN; 4000], &s, 0.1).is_err());
    }

    #[test]
    fn monotone_band_max_equals_dense_scan() {
        let s = spec(16000.0);
        let m = PyinModel::new(&s, &PyinSpec::default()).unwrap();
        let n = m.n_bins;
        let bw = 2 * m.half + 1;
        let mut state = 7u64;
        for trial in 0..20 {
            let v: Vec<f64> = (0..n)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let r = (state >> 11) as f64 / (1u64 << 53) as f64;
                    match trial % 3 {
                        0 => -1000.0 * r,
                        1 => -708.0 * ((r * 4.0) as i32) as f64,
                        _ => -((i as f64) - 100.0).abs() + r,
                    }
                })
                .collect();
            let mut fast = vec![0.0; n];
            let mut arg = vec![0usize; n];
            band_max(&m, &v, &mut fast, &mut arg);
            for j in 0..n {
                let lo = j.saturating_sub(m.half);
                let hi = (j + m.half).min(n - 1);
                let dense = (lo..=hi)
                    .map(|k| v[k] + m.log_band[j * bw + (k + m.half - j)])
                    .fold(f64::NEG_INFINITY, f64::max);
                assert!((fast[j] - dense).abs() < 1e-9, "trial {trial} bin {j}");
                let at = v[arg[j]] + m.log_band[j * bw + (arg[j] + m.half - j)];
                assert_eq!(at, fast[j]);
            }
        }
    }

    #[test]
    fn praat_ac_tracks_a_steady_pitch_and_leaves_silence_unvoiced() {
        let sr = 16000.0;
        let spec = PraatPitchSpec::from_params(&Params::new()).unwrap();
        let y = pulses(|_| 180.0, 1.0, sr);
        let tr = praat_ac(&y, sr, &spec).unwrap();
        // floor((1 - 0.04) / 0.01) + 1 frames, centred
        assert_eq!(tr.f0.len(), 97);
        assert!((tr.times[0] + tr.times[96] - 1.0).abs() < 1e-12);
        for (f, v) in tr.f0.iter().zip(&tr.voiced) {
            assert!(*v && (f / 180.0 - 1.0).abs() < 0.01, "{f}");
        }
        let tr = praat_ac(&vec![0.0f32; 8000], sr, &spec).unwrap();
        assert!(tr.voiced.iter().all(|v| !v));
        assert!(praat_ac(&vec![0.0f32; 100], sr, &spec).is_err());
        let p = Params::new().with("fmin", Value::Float(700.0));
        assert!(PraatPitchSpec::from_params(&p).is_err());
    }

    #[test]
    fn beta_prior_matches_closed_form() {
        // beta(2, 18) cdf: 1 - (1 - x)^18 (1 + 18 x) ... via the binomial sum
        let cdf = |x: f64| {
            let n = 19;
            (2..=n)
                .map(|j| {
                    let c = (1..=j).fold(1.0, |a, i| a * (n - j + i) as f64 / i as f64);
                    c * x.powi(j as i32) * (1.0 - x).powi((n - j) as i32)
                })
                .sum::<f64>()
        };
        let p = beta_bin_probs(2.0, 18.0, 100);
        for (m, v) in p.iter().enumerate() {
            let exact = cdf((m + 1) as f64 / 100.0) - cdf(m as f64 / 100.0);
            assert!((v - exact).abs() < 1e-12, "{m}: {v} vs {exact}");
        }
    }
}
