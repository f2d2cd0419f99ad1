//! Glottal pulses: Praat's "Sound: To PointProcess (periodic, cc)..." reimplemented from
//! the manual's definition. Time axis: sample `k` (0-based) lies at `(k + 0.5) / sr`.
//!
//! - Pulses: from the middle of every voiced stretch of the Praat pitch track
//!   ([`super::pitch_ac::praat_ac`]), the absolute extremum within half a period, then
//!   period by period to both sides the lag (0.8 to 1.25 local periods) that maximises the
//!   normalised cross-correlation of one period of signal with the previous one, refined
//!   parabolically; a pulse is kept when that correlation exceeds 0.3 and its peak 1 % of
//!   the clip's peak (0.7 and 2.3 % past the stretch's edge).

use crate::num::fastmath::{dot, dot_shifts4};
use crate::num::real::Real;

/// Praat's sample indexing on the time axis `(k + 0.5) / sr` (0-based).
#[derive(Clone, Copy)]
pub(super) struct Axis {
    pub(super) sr: f64,
    /// Samples in the clip.
    pub(super) n: usize,
    /// The clip index of the first sample of the slice read (a stretch of the clip).
    pub(super) off: isize,
}

impl Axis {
    /// Where clip sample `i` lies in the slice read.
    #[inline(always)]
    pub(super) fn at(&self, i: isize) -> usize {
        (i - self.off) as usize
    }

    pub(super) fn low(&self, t: f64) -> isize {
        (t * self.sr - 0.5).floor() as isize
    }
    pub(super) fn high(&self, t: f64) -> isize {
        (t * self.sr - 0.5).ceil() as isize
    }
    pub(super) fn nearest(&self, t: f64) -> isize {
        (t * self.sr).floor() as isize
    }
    pub(super) fn time(&self, k: f64) -> f64 {
        (k + 0.5) / self.sr
    }
}

/// A pitch track as Praat's Pitch object: regular frames from `t1` every `dt`.
struct PitchContour<'a> {
    f0: &'a [f64],
    t1: f64,
    dt: f64,
    ceiling: f64,
    duration: f64,
}

impl PitchContour<'_> {
    fn voiced(&self, i: isize) -> Option<f64> {
        if i < 0 || i as usize >= self.f0.len() {
            return None;
        }
        let f = self.f0[i as usize];
        (f > 0.0 && f < self.ceiling).then_some(f)
    }

    /// Linear interpolation between the nearest voiced frames, the nearer one alone when
    /// the other is unvoiced (Praat's `Pitch_getValueAtTime`, linear).
    fn value_at(&self, t: f64) -> Option<f64> {
        if !(t >= 0.0 && t <= self.duration) {
            return None;
        }
        let ireal = (t - self.t1) / self.dt;
        let ileft = ireal.floor();
        let mut phase = ireal - ileft;
        let ileft = ileft as isize;
        let (near, far) = if phase < 0.5 {
            (ileft, ileft + 1)
        } else {
            phase = 1.0 - phase;
            (ileft + 1, ileft)
        };
        let fnear = self.voiced(near)?;
        Some(match self.voiced(far) {
            Some(ffar) => fnear + phase * (ffar - fnear),
            None => fnear,
        })
    }

    /// The next run of voiced frames at or after time `after`: `(t_left, t_right)` with
    /// the whole first and last frames included.
    fn voiced_interval_after(&self, after: f64) -> Option<(f64, f64)> {
        let n = self.f0.len() as isize;
        let mut left = (((after - self.t1) / self.dt).ceil() as isize).max(0);
        while left < n && self.voiced(left).is_none() {
            left += 1;
        }
        if left >= n {
            return None;
        }
        let mut right = left;
        while right + 1 < n && self.voiced(right + 1).is_some() {
            right += 1;
        }
        let tl = self.t1 + left as f64 * self.dt - 0.5 * self.dt;
        let tr = self.t1 + right as f64 * self.dt + 0.5 * self.dt;
        if tl >= self.duration - 0.5 * self.dt {
            return None;
        }
        Some((tl.max(0.0), tr.min(self.duration)))
    }
}

/// Time of the largest absolute sample in `[tmin, tmax]`, parabolically refined.
fn absolute_extremum(x: &[f64], ax: Axis, tmin: f64, tmax: f64) -> f64 {
    let lo = ax.low(tmin).max(0);
    let hi = ax.high(tmax).min(ax.n as isize - 1);
    let n = hi - lo + 1;
    // Position within the window, 1-based as fractional index.
    let pos: f64 = match n {
        i if i <= 0 => return 0.5 * (tmin + tmax),
        1 => 1.0,
        2 => {
            let (a, b) = (x[ax.at(lo)].abs(), x[ax.at(lo) + 1].abs());
            if a > b {
                1.0
            } else if a < b {
                2.0
            } else {
                1.5
            }
        }
        _ => {
            let w = &x[ax.at(lo)..=ax.at(hi)];
            let (mut imin, mut imax) = (0usize, 0usize);
            for (i, v) in w.iter().enumerate() {
                if *v < w[imin] {
                    imin = i;
                }
                if *v > w[imax] {
                    imax = i;
                }
            }
            if w[imin] == w[imax] {
                0.5 * (n as f64 + 1.0)
            } else {
                let e = if w[imin].abs() > w[imax].abs() {
                    imin
                } else {
                    imax
                };
                if e == 0 || e == w.len() - 1 {
                    (e + 1) as f64
                } else {
                    let (l, m, r) = (w[e - 1], w[e], w[e + 1]);
                    (e + 1) as f64 + 0.5 * (r - l) / (2.0 * m - l - r)
                }
            }
        }
    };
    ax.time(lo as f64 + pos - 1.0)
}

crate::num::fastmath::avx2_dispatch! {
/// The lag in `[tmin2, tmax2]` at which one window (`window` s, centred on `t1`) best
/// correlates with the signal: `(r, time, peak)`, `r = -1` when no lag qualified (its dot
/// products 4-wide on AVX2).
fn maximum_correlation(
    x: &[f64],
    ax: Axis,
    t1: f64,
    window: f64,
    tmin2: f64,
    tmax2: f64,
    lags: &mut LagScratch,
) -> (f64, f64, f64) {
    let half = 0.5 * window;
    let left1 = ax.nearest(t1 - half);
    let right1 = ax.nearest(t1 + half);
    let (lo2, hi2) = (ax.low(tmin2 - half), ax.high(tmax2 - half));
    let (mut best, mut r2, mut r3) = (-1.0f64, 0.0f64, 0.0f64);
    let (mut r1_best, mut r3_best, mut ir, mut peak) = (0.0, 0.0, 0.0f64, 0.0);
    let n = ax.n as isize;
    // The first window's energy only changes where the overlap is clipped at an edge.
    let mut n1_cache: Option<((isize, isize), f64)> = None;
    // The second window's energy slides with the lag: one sample leaves, one enters.
    // (range, running energy, energy when last summed in full)
    let mut n2_run: Option<((isize, isize), f64, f64)> = None;
    // Away from the edges every lag overlaps the whole first window: its products come
    // four lags per pass (the same sums as one `dot` per lag).
    let whole = left1 >= 0 && right1 >= left1 && lo2 >= 0 && right1 + (hi2 - left1) < n;
    let LagScratch { prods, energies, spans, r } = lags;
    prods.clear();
    energies.clear();
    spans.clear();
    if whole && hi2 >= lo2 {
        let a = &x[ax.at(left1)..=ax.at(right1)];
        let (first, lags) = (ax.at(lo2), (hi2 - lo2 + 1) as usize);
        prods.resize(lags, 0.0);
        let quads = lags - lags % 4;
        for k in (0..quads).step_by(4) {
            prods[k..k + 4].copy_from_slice(&dot_shifts4(a, x, first + k));
        }
        for k in quads..lags {
            prods[k] = dot(a, &x[first + k..first + k + a.len()]);
        }
    }
    // Products and energies per lag first; the square roots and divisions then run over
    // all lags at once (vectorised), and the peak search last.
    for left2 in lo2..=hi2 {
        // The overlap where both windows lie inside the signal.
        let shift = left2 - left1;
        let i_lo = left1.max(0).max(-shift);
        let i_hi = right1.min(n - 1).min(n - 1 - shift);
        let (mut n1, mut n2, mut prod) = (0.0, 0.0, 0.0);
        let mut current = 0..0;
        if i_hi >= i_lo {
            let a = &x[ax.at(i_lo)..=ax.at(i_hi)];
            let b = &x[ax.at(i_lo + shift)..=ax.at(i_hi + shift)];
            n1 = match n1_cache {
                Some((range, v)) if range == (i_lo, i_hi) => v,
                _ => {
                    let v = dot(a, a);
                    n1_cache = Some(((i_lo, i_hi), v));
                    v
                }
            };
            let b_range = (i_lo + shift, i_hi + shift);
            n2 = match n2_run {
                Some(((lo, hi), v, exact)) if (lo + 1, hi + 1) == b_range => {
                    let (out, into) = (x[ax.at(lo)], x[ax.at(b_range.1)]);
                    let slid = v - out * out + into * into;
                    // Sum afresh when most of the energy has left (cancellation).
                    if slid > 0.25 * exact {
                        n2_run = Some((b_range, slid, exact));
                        slid
                    } else {
                        let v = dot(b, b);
                        n2_run = Some((b_range, v, v));
                        v
                    }
                }
                _ => {
                    let v = dot(b, b);
                    n2_run = Some((b_range, v, v));
                    v
                }
            };
            prod = if whole {
                prods[(left2 - lo2) as usize]
            } else {
                dot(a, b)
            };
            current = ax.at(b_range.0)..ax.at(b_range.1) + 1;
        }
        if !whole {
            prods.push(prod);
        }
        energies.push(n1 * n2);
        spans.push(current);
    }
    r.clear();
    r.extend(prods.iter().zip(energies.iter()).map(|(&prod, &e)| {
        if prod != 0.0 {
            prod / e.sqrt()
        } else {
            0.0
        }
    }));
    for (k, &r_lag) in r.iter().enumerate() {
        let r1 = r2;
        r2 = r3;
        r3 = r_lag;
        // r2 belongs to the previous lag; the peak is the current one's (as Praat).
        if r2 > best && r2 >= r1 && r2 >= r3 {
            r1_best = r1;
            best = r2;
            r3_best = r3;
            ir = (lo2 + k as isize - 1) as f64;
            peak = x[spans[k].clone()]
                .iter()
                .fold(0.0f64, |m, v| m.max(v.abs()));
        }
    }
    if best <= -1.0 {
        return (-1.0, t1, peak);
    }
    let d2r = 2.0 * best - r1_best - r3_best;
    if d2r != 0.0 {
        let dr = 0.5 * (r3_best - r1_best);
        best += 0.5 * dr * dr / d2r;
        ir += dr / d2r;
    }
    (best, t1 + (ir - left1 as f64) / ax.sr, peak)
}
}

/// Per-lag buffers of [`maximum_correlation`], kept across its calls: the products, the
/// energy products `n1 n2`, the second window's sample range, and the correlations.
#[derive(Default)]
struct LagScratch {
    prods: Vec<f64>,
    energies: Vec<f64>,
    spans: Vec<std::ops::Range<usize>>,
    r: Vec<f64>,
}

/// The stretch of the clip the pulse search reads, in f64: converted around one voiced
/// stretch at a time (the whole clip is never copied) and widened when a search reaches
/// past it.
struct Region<'a, T> {
    x: &'a [T],
    data: Vec<f64>,
    start: isize,
}

impl<T: Real> Region<'_, T> {
    /// Makes samples `lo..=hi` (clipped to the clip) readable; with `fresh`, forgets the
    /// rest.
    fn ensure(&mut self, lo: isize, hi: isize, fresh: bool) {
        let n = self.x.len() as isize;
        let (mut lo, mut hi) = (lo.clamp(0, n), hi.clamp(-1, n - 1));
        let end = self.start + self.data.len() as isize - 1;
        if !fresh && !self.data.is_empty() {
            if lo >= self.start && hi <= end {
                return;
            }
            lo = lo.min(self.start);
            hi = hi.max(end);
        }
        self.data.clear();
        if hi >= lo {
            self.data
                .extend(self.x[lo as usize..=hi as usize].iter().map(|v| v.f64()));
        }
        self.start = lo;
    }

    /// Readies the samples [`maximum_correlation`] reads for these arguments.
    fn ensure_correlation(&mut self, ax: Axis, t1: f64, window: f64, tmin2: f64, tmax2: f64) {
        let half = 0.5 * window;
        let (left1, right1) = (ax.nearest(t1 - half), ax.nearest(t1 + half));
        let (lo2, hi2) = (ax.low(tmin2 - half), ax.high(tmax2 - half));
        let reach = (right1 - left1).max(0);
        self.ensure(left1.min(lo2) - 1, right1.max(hi2 + reach) + 1, false);
    }
}

/// Glottal pulse times (s) of `x` following the pitch track `f0` (Hz, NaN or 0 where
/// unvoiced; frames at `t1 + i dt`), as Praat's "Sound & Pitch: To PointProcess (cc)".
/// The samples are read where they are: only the voiced stretch being searched is
/// converted to f64.
pub fn pulses_cc<T: Real>(
    x: &[T],
    sr: f64,
    f0: &[f64],
    t1: f64,
    dt: f64,
    ceiling: f64,
) -> Vec<f64> {
    let pitch = PitchContour {
        f0,
        t1,
        dt,
        ceiling,
        duration: x.len() as f64 / sr,
    };
    let global_peak = x.iter().fold(0.0f64, |m, v| m.max(v.f64().abs()));
    let mut region = Region {
        x,
        data: Vec::new(),
        start: 0,
    };
    let axis = |region: &Region<T>| Axis {
        sr,
        n: x.len(),
        off: region.start,
    };
    let mut points: Vec<f64> = Vec::new();
    let mut lags = LagScratch::default();
    let mut added_right = f64::NEG_INFINITY;
    let mut t = 0.0;
    while let Some((tl, tr)) = pitch.voiced_interval_after(t) {
        let tmid = 0.5 * (tl + tr);
        let Some(f0mid) = pitch.value_at(tmid) else {
            break;
        };
        // The stretch and a few of its longest periods each side (searches reaching
        // further widen it).
        let ax = axis(&region);
        let margin = 3.0 / f0mid;
        region.ensure(ax.low(tl - margin) - 2, ax.high(tr + margin) + 2, true);
        let (tmin, tmax) = (tmid - 0.5 / f0mid, tmid + 0.5 / f0mid);
        region.ensure(ax.low(tmin) - 1, ax.high(tmax) + 1, false);
        let start = absolute_extremum(&region.data, axis(&region), tmin, tmax);
        points.push(start);
        // Leftwards, one period at a time.
        let mut tmax = start;
        while let Some(f) = pitch.value_at(tmax) {
            let (window, tmin2, tmax2) = (1.0 / f, tmax - 1.25 / f, tmax - 0.8 / f);
            region.ensure_correlation(ax, tmax, window, tmin2, tmax2);
            let (r, tnew, peak) = maximum_correlation(
                &region.data,
                axis(&region),
                tmax,
                window,
                tmin2,
                tmax2,
                &mut lags,
            );
            tmax = if r == -1.0 { tmax - 1.0 / f } else { tnew };
            if tmax < tl {
                if r > 0.7 && peak > 0.023333 * global_peak && tmax - added_right > 0.8 / f {
                    points.push(tmax);
                }
                break;
            }
            // Do not fill in a short unvoiced gap twice.
            if r > 0.3 && (peak == 0.0 || peak > 0.01 * global_peak) && tmax - added_right > 0.8 / f
            {
                points.push(tmax);
            }
        }
        // Rightwards.
        let mut tmax = start;
        while let Some(f) = pitch.value_at(tmax) {
            let (window, tmin2, tmax2) = (1.0 / f, tmax + 0.8 / f, tmax + 1.25 / f);
            region.ensure_correlation(ax, tmax, window, tmin2, tmax2);
            let (r, tnew, peak) = maximum_correlation(
                &region.data,
                axis(&region),
                tmax,
                window,
                tmin2,
                tmax2,
                &mut lags,
            );
            tmax = if r == -1.0 { tmax + 1.0 / f } else { tnew };
            if tmax > tr {
                if r > 0.7 && peak > 0.023333 * global_peak {
                    points.push(tmax);
                    added_right = tmax;
                }
                break;
            }
            if r > 0.3 && (peak == 0.0 || peak > 0.01 * global_peak) {
                points.push(tmax);
                added_right = tmax;
            }
        }
        t = tr;
    }
    points.sort_by(f64::total_cmp);
    points.dedup();
    points
}
