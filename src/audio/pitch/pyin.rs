//! Probabilistic YIN (Mauch & Dixon 2014), as librosa 0.11's `librosa.pyin` implements
//! the official pYIN software: 100 thresholds with a beta(2, 18) prior, a Boltzmann prior
//! over troughs, pitch bins of `resolution` semitones, and Viterbi decoding over voiced
//! and unvoiced copies of every pitch bin with a triangular local transition band.
//!
//! librosa computes the Viterbi recursion over the dense `2 n x 2 n` transition matrix
//! with every zero entry floored at the smallest float (`log(tiny) = -708.4`). Here the
//! band is evaluated directly, the voiced/unvoiced switch is applied after the in-band
//! maximum, and the floored out-of-band entries are covered by the global maximum of the
//! previous column; back-pointers are recomputed only along the decoded path. The
//! decoded states are those of the dense recursion up to floating-point rounding
//! (`log(0.99 T)` is evaluated as `log T + log 0.99`).

use std::sync::{Arc, Mutex};

use super::track::F0Track;
use super::yin::{check_signal, frame_times, is_trough, parabolic_shift, Cmndf, YinSpec, TINY};
use crate::error::{Error, Result};
use crate::num::argmax;
use crate::num::real::Real;
use crate::params::{Params, Value};

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
        let max_semitones =
            (p.max_transition_rate * 12.0 * spec.hop_length as f64 / spec.sr).round_ties_even();
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
    ///
    /// Memory: one back-pointer per frame and state (`n_frames x 2 n_bins`), as u16 where
    /// the states fit (2 bytes each: 1.4 kB a frame at the defaults), u32 otherwise.
    fn viterbi(&self, n_frames: usize, logp: impl FnMut(usize, &mut [f64])) -> Result<Vec<usize>> {
        if 2 * self.n_bins <= 1 << 16 {
            self.viterbi_with::<u16>(n_frames, logp)
        } else {
            self.viterbi_with::<u32>(n_frames, logp)
        }
    }

    /// [`Self::viterbi`] with back-pointers stored as `P`.
    fn viterbi_with<P: BackPointer>(
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
            crate::limits::product::<P>(&[n_frames, ns], crate::limits::Source::Arg("y"))?,
            P::default(),
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
                    ptr[t * ns + s] = P::of(best.1);
                }
            }
            std::mem::swap(&mut prev, &mut cur);
        }
        let mut states = vec![0usize; n_frames];
        states[n_frames - 1] = argmax(&prev).0;
        for t in (1..n_frames).rev() {
            states[t - 1] = ptr[t * ns + states[t]].index();
        }
        Ok(states)
    }
}

/// A Viterbi back-pointer (a state index) as stored: u16 or u32.
trait BackPointer: Copy + Default {
    fn of(state: usize) -> Self;
    fn index(self) -> usize;
}

impl BackPointer for u16 {
    #[inline(always)]
    fn of(state: usize) -> Self {
        state as u16
    }
    #[inline(always)]
    fn index(self) -> usize {
        self as usize
    }
}

impl BackPointer for u32 {
    #[inline(always)]
    fn of(state: usize) -> Self {
        state as u32
    }
    #[inline(always)]
    fn index(self) -> usize {
        self as usize
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

#[cfg(test)]
mod tests {
    use super::super::test_signals::{pulses, spec};
    use super::super::yin;
    use super::*;

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
        let mut rng = crate::num::TestRng(7);
        for trial in 0..20 {
            let v: Vec<f64> = (0..n)
                .map(|i| {
                    let r = rng.uniform();
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
