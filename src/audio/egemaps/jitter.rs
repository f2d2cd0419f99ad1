//! Jitter (local) and shimmer (local, dB) of eGeMAPS: openSMILE's `cPitchJitter`.
//!
//! Eyben et al. (2016), GeMAPS section 3.1.1: jitter is the mean absolute difference of
//! consecutive period lengths over the mean period, shimmer the mean difference of the
//! amplitudes of consecutive periods, in dB. Options [C] (`gemapsv01b_pitchJitter`):
//! `searchRangeRel 0.1`, `minCC 0.5`, F0 from the energy-gated Viterbi output. How periods
//! are searched, measured and assigned to frames was measured black-box (fact sheets
//! `egemaps-facts-6-jitter.md` and `egemaps-facts-8-jitter-periods.md`: all outputs exact on
//! 4350/4350 real-speech frames):
//!
//! - one period attempt at sample p with `T0 = 16000 / F0`: the Pearson correlation of
//!   `x[p, p+L)` with `x[p+L, p+2L)` for every lag L in `floor(0.9 T0) ..= floor(1.1 T0)`;
//!   the largest strict interior local maximum L* (none: the attempt fails); period
//!   `L* + d` and correlation `c` from a 3-point parabola; `c < 0.5` rejects the period;
//!   the next attempt starts at `p + L*` (after a failure at `p + round(T0)`);
//! - amplitudes: the peak-to-peak value of `x[p+1, p+L*-1)` and of the partner stretch
//!   `x[p+L*+1, p+2L*-1)`;
//! - frame t (F0 frame, starting at `160 t`): a voiced stretch starts at its first frame's
//!   first sample with one forced attempt; a later frame makes its first attempt if
//!   `p <= 160 t - 2` or `p + 2 floor(1.1 T0) <= 160 t + 156`, every further attempt only
//!   under the second condition; a frame with no attempt re-evaluates the last attempt with
//!   its own T0;
//! - jitter = mean `|T_i - T_{i-1}|` over the frame's accepted periods that have a
//!   predecessor in the stretch, over the mean of the frame's periods, capped at 1;
//!   shimmer = `20 log10(1 + S)`, `S = sum |A_i - B_i| / sum (A_i + B_i) / 2` capped at 1;
//!   a frame without an accepted period repeats the stretch's last values; unvoiced
//!   frames are 0.
use super::framing::Sample;

const DATA_LIMIT: isize = 156;
const FIRST_SLACK: isize = 2;
const MIN_CC: f64 = 0.5;

/// `(jitterLocal, shimmerLocalDB)` of every F0 frame (`f0[t]` in Hz, 0 = unvoiced) of the
/// signal `x` (any scale).
pub fn jitter_shimmer<S: Sample>(x: &[S], f0: &[f64]) -> Vec<(f64, f64)> {
    let mut j = Jitter::default();
    f0.iter()
        .enumerate()
        .map(|(t, &f)| j.frame(x, t, f))
        .collect()
}

/// The frame-by-frame state of [`jitter_shimmer`]: F0 frames are fed in order, each
/// gets its values at once (the period search reads at most `2 floor(1.1 T0)` samples
/// past the frame's start).
#[derive(Default)]
pub struct Jitter {
    st: Option<Stretch>,
}

impl Jitter {
    /// `(jitterLocal, shimmerLocalDB)` of F0 frame `t` (F0 `f` Hz, 0 = unvoiced); frames
    /// `0..t` must have been fed before.
    pub fn frame<S: Sample>(&mut self, x: &[S], t: usize, f: f64) -> (f64, f64) {
        if !(f > 0.0) {
            self.st = None;
            return (0.0, 0.0);
        }
        let t0 = 16000.0 / f;
        let hi = (1.1 * t0).floor() as isize;
        let start = (t * 160) as isize;
        let mut frame = FramePeriods::default();
        match self.st.as_mut() {
            None => {
                let mut s = Stretch::new(start);
                // the forced first attempt
                s.attempt(x, t0, &mut frame);
                while s.p + 2 * hi <= start + DATA_LIMIT {
                    s.attempt(x, t0, &mut frame);
                }
                self.st = Some(s);
            }
            Some(s) => {
                if s.p <= start - FIRST_SLACK || s.p + 2 * hi <= start + DATA_LIMIT {
                    s.attempt(x, t0, &mut frame);
                    while s.p + 2 * hi <= start + DATA_LIMIT {
                        s.attempt(x, t0, &mut frame);
                    }
                } else {
                    s.reevaluate(x, t0, &mut frame);
                }
            }
        }
        match self.st.as_mut() {
            Some(s) => s.report(&frame),
            None => (0.0, 0.0),
        }
    }
}

#[derive(Default)]
struct FramePeriods {
    /// Accepted periods: (length, jitter difference if it has a predecessor, A, B).
    accepted: Vec<(f64, Option<f64>, f64, f64)>,
}

struct Stretch {
    p: isize,
    q: isize,
    last_period: Option<f64>,
    last: (f64, f64),
}

impl Stretch {
    fn new(p: isize) -> Self {
        Stretch {
            p,
            q: p,
            last_period: None,
            last: (0.0, 0.0),
        }
    }

    fn attempt<S: Sample>(&mut self, x: &[S], t0: f64, frame: &mut FramePeriods) {
        self.q = self.p;
        match search(x, self.p, t0) {
            Some(found) => {
                self.p += found.lag as isize;
                self.take(found, frame);
            }
            None => self.p += t0.round() as isize,
        }
    }

    fn reevaluate<S: Sample>(&mut self, x: &[S], t0: f64, frame: &mut FramePeriods) {
        match search(x, self.q, t0) {
            Some(found) => {
                self.p = self.q + found.lag as isize;
                self.take(found, frame);
            }
            None => self.p = self.q + t0.round() as isize,
        }
    }

    fn take(&mut self, found: Period, frame: &mut FramePeriods) {
        if found.cc >= MIN_CC {
            let diff = self.last_period.map(|prev| (found.length - prev).abs());
            frame
                .accepted
                .push((found.length, diff, found.amp, found.partner_amp));
            self.last_period = Some(found.length);
        }
    }

    fn report(&mut self, frame: &FramePeriods) -> (f64, f64) {
        if frame.accepted.is_empty() {
            return self.last;
        }
        let n = frame.accepted.len() as f64;
        let mean = frame.accepted.iter().map(|a| a.0).sum::<f64>() / n;
        let diffs: Vec<f64> = frame.accepted.iter().filter_map(|a| a.1).collect();
        let jitter = if diffs.is_empty() || mean <= 0.0 {
            0.0
        } else {
            (diffs.iter().sum::<f64>() / diffs.len() as f64 / mean).min(1.0)
        };
        let num: f64 = frame.accepted.iter().map(|a| (a.2 - a.3).abs()).sum();
        let den: f64 = frame.accepted.iter().map(|a| 0.5 * (a.2 + a.3)).sum();
        let s = if den > 0.0 { (num / den).min(1.0) } else { 0.0 };
        self.last = (jitter, 20.0 * (1.0 + s).log10());
        self.last
    }
}

struct Period {
    lag: usize,
    length: f64,
    cc: f64,
    amp: f64,
    partner_amp: f64,
}

crate::num::fastmath::avx2_dispatch! {
    /// `c[k]` = [`pearson`] at lag `lo + k` from the start of `x`, and the index of the
    /// largest strict interior local maximum of `c` (with AVX2 the dot products run 4
    /// wide; the arithmetic, and so every value, is the same).
    fn correlations(x: &[f64], cs: &[f64], cq: &[f64], lo: usize, c: &mut [f64]) -> Option<usize> {
        // four lags at a time share their first chunks' loads (self_dots4), the rest one
        // by one; the same products in the same order either way
        let mut quads = c.chunks_exact_mut(4);
        for (q, v) in (&mut quads).enumerate() {
            let l = lo + 4 * q;
            let sab = crate::num::fastmath::self_dots4(x, l);
            for (k, v) in v.iter_mut().enumerate() {
                *v = pearson_of(sab[k], cs, cq, 0, l + k);
            }
        }
        let rest = quads.into_remainder().len();
        let done = c.len() - rest;
        for (k, v) in c.iter_mut().enumerate().skip(done) {
            *v = pearson(x, cs, cq, 0, lo + k);
        }
        let mut best: Option<usize> = None;
        for i in 1..c.len() - 1 {
            if c[i - 1] < c[i] && c[i] > c[i + 1] && best.is_none_or(|b| c[i] > c[b]) {
                best = Some(i);
            }
        }
        best
    }
}

/// Pearson correlation of `x[p, p+l)` and `x[p+l, p+2l)` (0 when either is constant),
/// with the sums and sums of squares from the prefix sums `cs`, `cq` of `x` and `x^2`.
#[inline(always)]
fn pearson(x: &[f64], cs: &[f64], cq: &[f64], p: usize, l: usize) -> f64 {
    let (a, b) = (&x[p..p + l], &x[p + l..p + 2 * l]);
    pearson_of(crate::num::fastmath::dot(a, b), cs, cq, p, l)
}

/// [`pearson`] given the sum of products `sab` of the two stretches.
#[inline(always)]
fn pearson_of(sab: f64, cs: &[f64], cq: &[f64], p: usize, l: usize) -> f64 {
    let n = l as f64;
    let sa = cs[p + l] - cs[p];
    let sb = cs[p + 2 * l] - cs[p + l];
    let saa = cq[p + l] - cq[p];
    let sbb = cq[p + 2 * l] - cq[p + l];
    let cov = sab - sa * sb / n;
    let va = saa - sa * sa / n;
    let vb = sbb - sb * sb / n;
    if va > 0.0 && vb > 0.0 {
        cov / (va * vb).sqrt()
    } else {
        0.0
    }
}

fn peak_to_peak(s: &[f64]) -> f64 {
    if s.is_empty() {
        return 0.0;
    }
    // four independent minimum/maximum chains (exact: the order does not matter)
    let mut lo = [f64::INFINITY; 4];
    let mut hi = [f64::NEG_INFINITY; 4];
    let chunks = s.chunks_exact(4);
    for &v in chunks.remainder() {
        lo[0] = lo[0].min(v);
        hi[0] = hi[0].max(v);
    }
    for c in chunks {
        for i in 0..4 {
            lo[i] = lo[i].min(c[i]);
            hi[i] = hi[i].max(c[i]);
        }
    }
    let lo = lo[0].min(lo[1]).min(lo[2].min(lo[3]));
    let hi = hi[0].max(hi[1]).max(hi[2].max(hi[3]));
    hi - lo
}

/// One period attempt at `p` with expected period `t0`; `None` when it fails.
fn search<S: Sample>(x: &[S], p: isize, t0: f64) -> Option<Period> {
    let lo = (0.9 * t0).floor() as usize;
    let hi = (1.1 * t0).floor() as usize;
    if p < 0 || lo < 2 || hi <= lo + 1 {
        return None;
    }
    let p = p as usize;
    if p + 2 * hi > x.len() {
        return None;
    }
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let Scratch { span, cs, cq, c } = &mut *scratch;
        // prefix sums over the stretch this attempt reads (local: cancellation stays small)
        span.clear();
        span.extend(x[p..p + 2 * hi].iter().map(|v| v.value()));
        prefix_sums(span, cs, cq);
        c.clear();
        c.resize(hi - lo + 1, 0.0);
        let i = correlations(span, cs, cq, lo, c)?;
        let (a, b, cc) = (c[i - 1], c[i], c[i + 1]);
        let den = a - 2.0 * b + cc;
        let d = if den != 0.0 {
            (a - cc) / (2.0 * den)
        } else {
            0.0
        };
        let lag = lo + i;
        Some(Period {
            lag,
            length: lag as f64 + d,
            cc: b - (a - cc) * d / 4.0,
            amp: peak_to_peak(&span[1..lag - 1]),
            partner_amp: peak_to_peak(&span[lag + 1..2 * lag - 1]),
        })
    })
}

/// `cs[i]`, `cq[i]`: the sums of `span[..i]` and of its squares, added in sample order.
/// Written into sized slices (not pushed): `push` reloads the vector's pointer and length
/// and checks its capacity for every sample, which cost more than the two additions.
fn prefix_sums(span: &[f64], cs: &mut Vec<f64>, cq: &mut Vec<f64>) {
    let n = span.len() + 1;
    cs.resize(n, 0.0);
    cq.resize(n, 0.0);
    let (cs, cq) = (&mut cs[..n], &mut cq[..n]);
    cs[0] = 0.0;
    cq[0] = 0.0;
    let (mut s1, mut s2) = (0.0, 0.0);
    for ((&v, a), b) in span.iter().zip(&mut cs[1..]).zip(&mut cq[1..]) {
        s1 += v;
        s2 += v * v;
        *a = s1;
        *b = s2;
    }
}

/// Per-thread buffers of [`search`] (several period attempts per 10 ms frame: no
/// allocation per attempt).
#[derive(Default)]
struct Scratch {
    span: Vec<f64>,
    cs: Vec<f64>,
    cq: Vec<f64>,
    c: Vec<f64>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_to_peak_takes_every_sample() {
        // the extremes at every position modulo the four chains, and in the remainder
        for n in 1..14 {
            for at in 0..n {
                let mut s: Vec<f64> = (0..n).map(|i| (i as f64 * 0.7).sin()).collect();
                s[at] = 5.0;
                s[(at + 1) % n] = if n > 1 { -3.0 } else { 5.0 };
                let naive = s.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
                    - s.iter().cloned().fold(f64::INFINITY, f64::min);
                assert_eq!(peak_to_peak(&s), naive, "n {n} at {at}");
            }
        }
        assert_eq!(peak_to_peak(&[]), 0.0);
    }

    #[test]
    fn a_steady_pulse_train_has_no_jitter() {
        let x: Vec<f64> = (0..16000)
            .map(|i| {
                let ph = (i % 128) as f64;
                (-ph / 10.0).exp() * (ph * 0.4).sin()
            })
            .collect();
        let f0 = vec![125.0; 90];
        let js = jitter_shimmer(&x, &f0);
        assert!(
            js[5..85].iter().all(|&(j, s)| j < 1e-3 && s < 0.05),
            "{:?}",
            &js[..10]
        );
        let f0: Vec<f64> = (0..90).map(|t| if t < 30 { 0.0 } else { 125.0 }).collect();
        let js = jitter_shimmer(&x, &f0);
        assert_eq!(js[10], (0.0, 0.0));
    }
}
