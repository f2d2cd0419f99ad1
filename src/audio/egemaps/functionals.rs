//! openSMILE's functionals with the eGeMAPS options: Moments, Percentiles, Peaks2 and
//! Segments, over the frames each one really sees.
//!
//! [C] (`*_core.func.conf.inc`): amean and `stddevNorm = 2` (population standard deviation
//! over the mean, signed, no ratio limiting); percentiles 20/50/80 with linear
//! interpolation and the 20-80 range; Peaks2 rising/falling slope means and deviations per
//! second (`relThresh 0.1`) and the number of peaks; Segments `nonX`/`eqX` with `X = 0`.
//! `nonZeroFuncts 1` (the F0, voiced and unvoiced sets) drops values that are exactly 0
//! and joins the rest. Measured black-box (fact sheet `egemaps-facts-3-segments-harmonics.md`):
//! the segment rule and which frames of the smoothed F0 contour the functionals see
//! ([`f0_frames`]).

use std::collections::VecDeque;

use super::sets::{N_SHORT, N_VOICE, V_F0, V_F1};
use super::smoothing::Sma3Stream;
use super::{voiced, Frame, Sink, Version};
use crate::functionals::peak_slopes;

/// Columns of the pitch-rate contours smoothed with `noZeroSma`: the 15 voice columns
/// (formant frequencies and bandwidths gated to voiced frames), then the 20 ms columns 1-9
/// gated to voiced frames, then columns 1-5 gated to unvoiced frames.
const NZ: usize = N_VOICE + 9 + 5;
const NZ_V: usize = N_VOICE;
const NZ_UV: usize = N_VOICE + 9;

/// The functionals of a clip accumulated as its frames stream in ([`Sink`]): moments
/// and segments one value at a time; the smoothed loudness and the voiced smoothed F0
/// kept (one float64 per frame each: their percentiles and Peaks2 need the whole
/// contour); the last frames of the pitch-rate contours held until the end settles how
/// many of them the functionals see ([`f0_frames`]).
pub struct Accumulator {
    version: Version,
    /// 20 ms side: frames, energy sum, smoothed loudness, moments of columns 5-9.
    n20: usize,
    energy: f64,
    short: Sma3Stream<N_SHORT>,
    loudness: Vec<f64>,
    short_moments: [Moments; N_SHORT],
    /// Pitch-rate side: frames, the trailing run of voiced frames (unsmoothed), the
    /// smoothed rows not yet known to be seen, and what the seen ones gave.
    n60: usize,
    trailing_voiced: usize,
    nz: Sma3Stream<NZ>,
    held: VecDeque<[f64; NZ]>,
    seen: usize,
    f0: Vec<f64>,
    nz_moments: [Moments; NZ],
    voiced_segments: Segments,
    pauses: Segments,
}

/// Smoothed pitch-rate rows held back: the end may leave up to 4 frames unseen, and the
/// last smoothed row never comes out of the stream before the end.
const HOLD: usize = 3;

impl Accumulator {
    pub fn new(version: Version) -> Self {
        Accumulator {
            version,
            n20: 0,
            energy: 0.0,
            short: Sma3Stream::new(false, false),
            loudness: Vec::new(),
            short_moments: [Moments::default(); N_SHORT],
            n60: 0,
            trailing_voiced: 0,
            nz: Sma3Stream::new(true, false),
            held: VecDeque::new(),
            seen: 0,
            f0: Vec::new(),
            nz_moments: [Moments::default(); NZ],
            voiced_segments: Segments::default(),
            pauses: Segments::default(),
        }
    }

    fn short_row(&mut self, short: [f64; N_SHORT], energy: f64) {
        self.n20 += 1;
        self.energy += energy;
        if let Some(s) = self.short.push(short) {
            self.short_smoothed(s);
        }
    }

    fn short_smoothed(&mut self, s: [f64; N_SHORT]) {
        self.loudness.push(s[0]);
        for (m, &v) in self.short_moments.iter_mut().zip(&s).skip(5) {
            m.push(v);
        }
    }

    /// A smoothed pitch-rate row the functionals see.
    fn see(&mut self, row: [f64; NZ]) {
        self.seen += 1;
        let f0 = row[0];
        if f0 != 0.0 {
            self.f0.push(f0);
        }
        self.voiced_segments.push(f0 != 0.0);
        self.pauses.push(f0 == 0.0);
        for (m, &v) in self.nz_moments.iter_mut().zip(&row).skip(1) {
            if v != 0.0 {
                m.push(v);
            }
        }
    }

    /// The functionals, in [`functional_names`](super::functional_names) order.
    pub fn finish(mut self) -> Vec<f64> {
        let version = self.version;
        let names = super::functional_names(version).len();
        if self.n60 == 0 {
            return vec![f64::NAN; names];
        }
        // the end of the contours: the last 20 ms row, and the pitch-rate rows seen
        if let Some(s) = self.short.finish().first() {
            self.short_smoothed(*s);
        }
        let frames = seen_frames(self.n60, self.trailing_voiced);
        while self.seen < frames {
            let Some(row) = self.held.pop_front() else {
                break;
            };
            self.see(row);
        }
        let n20 = self.n20;
        let mut out = Vec::with_capacity(names);
        out.extend(contour_of(std::mem::take(&mut self.f0)));
        let peaks = num_peaks(&self.loudness);
        out.extend(contour_of(std::mem::take(&mut self.loudness)));
        if version == Version::EgemapsV02 {
            for m in &self.short_moments[5..] {
                out.extend(m.get());
            }
        }
        for j in version.voice_functional_columns() {
            out.extend(self.nz_moments[j].get());
        }
        for m in &self.nz_moments[NZ_V..NZ_V + version.n_spectral_v()] {
            out.extend(m.get());
        }
        for m in &self.nz_moments[NZ_UV..NZ_UV + version.n_spectral_uv()] {
            out.push(m.get()[0]);
        }
        // temporal
        out.push(peaks as f64 / (n20 as f64 * 0.01));
        let seconds = frames as f64 * 0.01;
        let voiced_segments = self.voiced_segments.finish();
        out.push(if seconds > 0.0 {
            voiced_segments.len() as f64 / seconds
        } else {
            0.0
        });
        let (m, s) = segment_stats(&voiced_segments);
        out.extend([m, s]);
        let (m, s) = segment_stats(&self.pauses.finish());
        out.extend([m, s]);
        if version == Version::EgemapsV02 {
            let mean = self.energy / n20 as f64;
            out.push(if mean > 0.0 {
                10.0 * mean.log10()
            } else {
                // openSMILE's dBp of 0 power is its floor; digital silence only
                -100.0
            });
        }
        out
    }
}

impl Sink for Accumulator {
    fn begin(&mut self, n20: usize, n60: usize) {
        self.loudness.reserve_exact(n20);
        self.f0.reserve_exact(n60);
    }

    fn frame(&mut self, f: Frame) {
        self.short_row(f.short, f.energy);
        self.n60 += 1;
        let v = f.voice;
        let on = voiced(&v);
        if v[V_F0] != 0.0 {
            self.trailing_voiced += 1;
        } else {
            self.trailing_voiced = 0;
        }
        let mut row = [0.0; NZ];
        for (j, (o, &x)) in row.iter_mut().zip(&v).enumerate() {
            // formant frequencies and bandwidths: gated for the functionals only
            let formant = (V_F1..N_VOICE).contains(&j) && (j - V_F1) % 3 != 2;
            *o = if formant && !on { 0.0 } else { x };
        }
        for j in 1..10 {
            row[NZ_V + j - 1] = if on { f.short[j] } else { 0.0 };
        }
        for j in 1..6 {
            row[NZ_UV + j - 1] = if on { 0.0 } else { f.short[j] };
        }
        if let Some(r) = self.nz.push(row) {
            self.held.push_back(r);
            if self.held.len() > HOLD {
                if let Some(r) = self.held.pop_front() {
                    self.see(r);
                }
            }
        }
    }

    fn short_only(&mut self, short: [f64; N_SHORT], energy: f64) {
        self.short_row(short, energy);
    }
}

/// `[amean, stddevNorm]` of `x` (exactly-zero values left out when `non_zero`); NaN
/// when no value is left (openSMILE writes 0 there; see `mod.rs`).
pub fn moments(x: &[f64], non_zero: bool) -> [f64; 2] {
    let mut m = Moments::default();
    for &v in x.iter().filter(|&&v| !(non_zero && v == 0.0)) {
        m.push(v);
    }
    m.get()
}

/// `[amean, stddevNorm]` accumulated one value at a time (no values kept): the mean is
/// the plain running sum over the count; the variance comes from compensated sums of the
/// deviations from the first value (`sum (d - m)^2 = S2 - 2 m S1 + n m^2` with
/// `d = x - x_0`, `m = mean - x_0`), equal to a two-pass variance to about 1e-15
/// relative.
#[derive(Debug, Clone, Copy, Default)]
pub struct Moments {
    n: usize,
    sum: f64,
    first: f64,
    s1: Compensated,
    s2: Compensated,
}

impl Moments {
    pub fn push(&mut self, v: f64) {
        if self.n == 0 {
            self.first = v;
        }
        self.n += 1;
        self.sum += v;
        let d = v - self.first;
        self.s1.add(d);
        self.s2.add(d * d);
    }

    /// `[amean, stddevNorm]`; NaN for no values.
    pub fn get(&self) -> [f64; 2] {
        if self.n == 0 {
            return [f64::NAN; 2];
        }
        let n = self.n as f64;
        let mean = self.sum / n;
        let m = mean - self.first;
        let squares = self.s2.value() - 2.0 * m * self.s1.value() + n * m * m;
        let var = squares.max(0.0) / n;
        [mean, if mean != 0.0 { var.sqrt() / mean } else { 0.0 }]
    }
}

/// A Neumaier-compensated sum.
#[derive(Debug, Clone, Copy, Default)]
struct Compensated {
    sum: f64,
    carry: f64,
}

impl Compensated {
    fn add(&mut self, v: f64) {
        let t = self.sum + v;
        if self.sum.abs() >= v.abs() {
            self.carry += (self.sum - t) + v;
        } else {
            self.carry += (v - t) + self.sum;
        }
        self.sum = t;
    }

    fn value(&self) -> f64 {
        self.sum + self.carry
    }
}

/// The ten contour functionals of F0 and loudness over the values `v` (taken, sorted in
/// place: no copy): amean, stddevNorm, percentiles 20/50/80, pctlrange0-2, rising slope
/// mean/stddev, falling slope mean/stddev.
pub fn contour_of(mut v: Vec<f64>) -> [f64; 10] {
    if v.is_empty() {
        return [f64::NAN; 10];
    }
    let [mean, norm] = moments(&v, false);
    let slopes = peak_slopes(&v, 100.0, 0.1);
    let (rm, rs) = slopes.mean_std(true);
    let (fm, fs) = slopes.mean_std(false);
    v.sort_by(f64::total_cmp);
    let pct = |q: f64| crate::functionals::percentile_sorted(&v, q);
    let (p20, p50, p80) = (pct(0.2), pct(0.5), pct(0.8));
    [mean, norm, p20, p50, p80, p80 - p20, rm, rs, fm, fs]
}

/// Number of frames of the smoothed F0 contour the F0 functionals see, from the unsmoothed
/// gated contour `f0` (`n60` frames; measured rule, exact on 21/21 real items): the last
/// frame unvoiced: `n60 - 1`; a trailing voiced run of `r >= 5` frames: `n60 - 2`;
/// `r <= 4`: `n60 - r`.
pub fn f0_frames(f0: &[f64]) -> usize {
    seen_frames(f0.len(), f0.iter().rev().take_while(|&&v| v != 0.0).count())
}

/// [`f0_frames`] of a contour of `n` frames that ends in `trailing_voiced` voiced ones.
fn seen_frames(n: usize, trailing_voiced: usize) -> usize {
    let cut = match trailing_voiced {
        0 => 1,
        r if r >= 5 => 2,
        r => r,
    };
    n.saturating_sub(cut)
}

/// Lengths (in frames, last active index - first) of the segments of `active` frames:
/// a single inactive frame between active ones is bridged, a segment needs at least 3
/// active frames (openSMILE's `segMinLng` and `pauseMinLng` defaults, measured).
pub fn segments(active: &[bool]) -> Vec<usize> {
    let mut s = Segments::default();
    for &a in active {
        s.push(a);
    }
    s.finish()
}

/// [`segments`] fed one frame at a time (keeps the segment lengths only).
#[derive(Debug, Clone, Default)]
pub struct Segments {
    lengths: Vec<usize>,
    /// Frames seen.
    i: usize,
    /// The open segment: first and last active frame, active frames, and whether the
    /// previous frame was an inactive one (a gap that the next active frame bridges).
    open: Option<(usize, usize, usize, bool)>,
}

impl Segments {
    pub fn push(&mut self, active: bool) {
        let i = self.i;
        self.i += 1;
        match (&mut self.open, active) {
            (None, true) => self.open = Some((i, i, 1, false)),
            (None, false) => {}
            (Some((_, last, count, gap)), true) => {
                *last = i;
                *count += 1;
                *gap = false;
            }
            (Some((_, _, _, gap)), false) if !*gap => *gap = true,
            (Some(_), false) => self.close(),
        }
    }

    fn close(&mut self) {
        if let Some((first, last, count, _)) = self.open.take() {
            if count >= 3 {
                self.lengths.push(last - first);
            }
        }
    }

    /// The segment lengths, the open segment closed.
    pub fn finish(mut self) -> Vec<usize> {
        self.close();
        self.lengths
    }
}

/// `(mean, population stddev)` of segment lengths in seconds; `(0, 0)` without segments.
pub fn segment_stats(lengths: &[usize]) -> (f64, f64) {
    if lengths.is_empty() {
        return (0.0, 0.0);
    }
    let v: Vec<f64> = lengths.iter().map(|&l| l as f64 * 0.01).collect();
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|a| (a - mean) * (a - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Number of peaks of `x` by Peaks2's rule (`relThresh 0.1`): the peaks of the turning
/// points of [`peak_slopes`].
pub fn num_peaks(x: &[f64]) -> usize {
    crate::functionals::peak_turning_points(x, 0.1)
        .iter()
        .filter(|p| p.1 == Some(true))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_rule() {
        let b = |s: &str| s.chars().map(|c| c == '1').collect::<Vec<bool>>();
        assert_eq!(segments(&b("111")), vec![2]);
        assert!(segments(&b("11")).is_empty());
        assert!(segments(&b("101")).is_empty());
        assert_eq!(segments(&b("1011")), vec![3]);
        assert_eq!(segments(&b("11011")), vec![4]);
        assert_eq!(segments(&b("111001111")), vec![2, 3]);
        // the cards_001 pattern of the fact sheet (U20 V17 U16 V17 U33): 2 segments of 16
        let mut v = vec![false; 20];
        v.extend([true; 17]);
        v.extend([false; 16]);
        v.extend([true; 17]);
        v.extend([false; 33]);
        assert_eq!(segments(&v), vec![16, 16]);
        let inv: Vec<bool> = v.iter().map(|a| !a).collect();
        assert_eq!(segments(&inv), vec![19, 15, 32]);
    }

    /// The one-frame-at-a-time segmenter against the rule written out over the whole
    /// contour (every pattern of up to 12 frames).
    #[test]
    fn streamed_segments_follow_the_rule() {
        fn whole(active: &[bool]) -> Vec<usize> {
            let n = active.len();
            let mut out = Vec::new();
            let mut i = 0;
            while i < n {
                if !active[i] {
                    i += 1;
                    continue;
                }
                let (first, mut last, mut count) = (i, i, 0);
                while i < n {
                    if active[i] {
                        last = i;
                        count += 1;
                        i += 1;
                    } else if i + 1 < n && active[i + 1] {
                        i += 1;
                    } else {
                        break;
                    }
                }
                if count >= 3 {
                    out.push(last - first);
                }
            }
            out
        }
        for n in 0..=12 {
            for bits in 0u32..1 << n {
                let v: Vec<bool> = (0..n).map(|i| bits >> i & 1 == 1).collect();
                assert_eq!(segments(&v), whole(&v), "{v:?}");
            }
        }
    }

    #[test]
    fn streamed_moments_match_two_pass() {
        let two_pass = |v: &[f64]| {
            let n = v.len() as f64;
            let mean = v.iter().sum::<f64>() / n;
            let var = v.iter().map(|a| (a - mean) * (a - mean)).sum::<f64>() / n;
            [mean, var.sqrt() / mean]
        };
        let mut x = 0.37f64;
        let v: Vec<f64> = (0..200_000)
            .map(|i| {
                x = (x * 3.9 * (1.0 - x)).clamp(1e-9, 1.0 - 1e-9);
                1e3 + 50.0 * x + (i % 7) as f64 * 1e-3
            })
            .collect();
        let (a, b) = (moments(&v, false), two_pass(&v));
        assert_eq!(a[0], b[0]);
        assert!((a[1] - b[1]).abs() <= 1e-12 * b[1].abs(), "{a:?} {b:?}");
        // a constant contour: the mean's rounding is the only deviation, as in two passes
        let c = vec![0.1; 1000];
        let (a, b) = (moments(&c, false), two_pass(&c));
        assert!(
            (a[1] - b[1]).abs() <= 1e-12 * b[1].abs().max(1e-300),
            "{a:?} {b:?}"
        );
    }

    #[test]
    fn frame_range() {
        assert_eq!(f0_frames(&[1.0, 0.0]), 1);
        assert_eq!(f0_frames(&[0.0, 1.0, 1.0, 1.0]), 1);
        assert_eq!(f0_frames(&[0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]), 5);
        assert_eq!(moments(&[0.0, 2.0, 4.0], true), [3.0, 1.0 / 3.0]);
    }
}
