//! F0 candidates by subharmonic summation (Hermes 1988) on openSMILE's octave spectrum:
//! the `cSpecScale` + `cPitchShs` stages of eGeMAPS.
//!
//! Hermes (1988), "Measurement of pitch by subharmonic summation", JASA 83(1): on a
//! log-frequency axis the harmonics of F0 lie at fixed distances `log2(h)` above it, so the
//! spectrum summed over shifts by those distances, weighted `c^(h-1)`, peaks at F0.
//! eGeMAPS' options ([C] `gemapsv01b_scale`, `gemapsv01b_shs`): octave scale from 25 Hz to
//! Nyquist with as many points as input bins (513), spline interpolation, peak enhancement,
//! smoothing and auditory weighting; 15 harmonics, compression 0.85, 6 candidates in
//! 55-1000 Hz, voicing cutoff 0.7. The exact steps were measured black-box (fact sheet
//! `egemaps-facts-2-shs.md`, exact on 4350/4350 frames):
//!
//! 1. peak enhancement: keep the bins within +-2 of a strict local maximum and the bins
//!    before the first / after the last one, zero the rest;
//! 2. smoothing `[0.25, 0.5, 0.25]`, a zero left of bin 0, the last bin unchanged;
//! 3. a natural cubic spline through `(log2 f_k, m_k)` (bin 0 placed at half a bin) read
//!    at 513 points evenly spaced in log2 f from 25 to 8000 Hz;
//! 4. auditory weighting `0.5 + atan(3 (x - 4.98992)) / pi` (x = log2 f on a 513-step axis),
//!    negative values set to 0;
//! 5. subharmonic sum `S_i = (1/15) sum_h 0.85^(h-1) X_{i + k_h}` with measured integer
//!    shifts `k_h`; candidates are the 6 largest strict local maxima of `S` over the whole
//!    axis (by raw value), refined by a parabola, those outside 55-1000 Hz dropped, the best
//!    interpolated one swapped to the front; voicing `max(0, 1 - mean(S) / score)`.

use super::framing::LONG_BINS;

/// Points of the octave axis (as many as input bins).
pub const N_POINTS: usize = LONG_BINS;
const F_MIN: f64 = 25.0;
const F_TOP: f64 = 8000.0;
const PITCH_MIN: f64 = 55.0;
const PITCH_MAX: f64 = 1000.0;
const N_CANDIDATES: usize = 6;
/// `voicingCutoff` [C].
pub const VOICING_CUTOFF: f64 = 0.7;
const COMPRESSION: f64 = 0.85;
/// Shift (axis points) of harmonic h = 1..15 (measured, fact sheet A3.1).
const SHIFTS: [usize; 15] = [
    0, 61, 97, 123, 143, 159, 173, 184, 195, 204, 213, 220, 228, 234, 240,
];
/// Centre of the auditory weighting on the log2 axis (measured).
const WEIGHT_CENTRE: f64 = 4.98992;

/// One frame's F0 candidates as `cPitchShs` writes them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Candidates {
    /// F0 (Hz), voicing and score of each kept candidate, best first.
    pub f0: Vec<f64>,
    pub voicing: Vec<f64>,
    pub score: Vec<f64>,
}

impl Candidates {
    /// Voicing of candidate 0 (0 without candidates).
    pub fn voicing0(&self) -> f64 {
        self.voicing.first().copied().unwrap_or(0.0)
    }

    /// `F0raw`: candidate 0's F0 if its voicing exceeds the cutoff, else 0.
    pub fn f0_raw(&self) -> f64 {
        if self.voicing0() > VOICING_CUTOFF {
            self.f0[0]
        } else {
            0.0
        }
    }
}

/// The planned octave-axis resampling and SHS.
pub struct Shs {
    /// `1 / (x_{j+1} - x_j)` of each knot interval.
    inv_h: Vec<f64>,
    /// Thomas-algorithm factors of the natural-spline system (interior knots): the
    /// reciprocal pivots, the upper diagonal and the elimination multipliers (the system
    /// is the same for every frame, so only the right-hand side is solved per frame).
    inv_diag: Vec<f64>,
    upper: Vec<f64>,
    lower: Vec<f64>,
    /// For each axis point: the knot interval `j` and the spline coefficients
    /// `(A, B, C, D)` of `A y_j + B y_{j+1} + C M_j + D M_{j+1}`.
    eval: Vec<(usize, [f64; 4])>,
    weights: Vec<f64>,
    /// Octave step of the axis.
    step: f64,
}

/// Per-thread buffers.
#[derive(Default)]
pub struct ShsBuffers {
    /// Strict local maxima of the input (1) with two zeros of padding either side.
    peak: Vec<u64>,
    kept: Vec<f64>,
    smooth: Vec<f64>,
    rhs: Vec<f64>,
    /// The octave spectrum (`gemapsv01b_hpsG60`).
    pub octave: Vec<f64>,
    /// The subharmonic sum.
    pub sum: Vec<f64>,
}

impl Default for Shs {
    fn default() -> Self {
        Self::new()
    }
}

impl Shs {
    pub fn new() -> Self {
        let n = LONG_BINS;
        let df: f64 = 16000.0 / 1024.0;
        let knots: Vec<f64> = (0..n)
            .map(|k| {
                if k == 0 {
                    (0.5 * df).log2()
                } else {
                    (k as f64 * df).log2()
                }
            })
            .collect();
        let h: Vec<f64> = knots.windows(2).map(|w| w[1] - w[0]).collect();
        // interior unknowns M_1..M_{n-2}; tridiagonal h_{j-1}, 2(h_{j-1}+h_j), h_j
        let m = n - 2;
        let mut diag = vec![0.0; m];
        let mut upper = vec![0.0; m];
        let mut lower = vec![0.0; m];
        for i in 0..m {
            let j = i + 1;
            lower[i] = h[j - 1];
            diag[i] = 2.0 * (h[j - 1] + h[j]);
            upper[i] = h[j];
        }
        // forward elimination factors (Thomas): diag becomes the pivots
        for i in 1..m {
            let f = lower[i] / diag[i - 1];
            diag[i] -= f * upper[i - 1];
            lower[i] = f;
        }
        let step = (F_TOP / F_MIN).log2() / (N_POINTS - 1) as f64;
        let mut j = 0usize;
        let eval = (0..N_POINTS)
            .map(|i| {
                let x = F_MIN.log2() + i as f64 * step;
                while j + 2 < n && knots[j + 1] < x {
                    j += 1;
                }
                let hj = h[j];
                let a = (knots[j + 1] - x) / hj;
                let b = 1.0 - a;
                (
                    j,
                    [
                        a,
                        b,
                        (a * a * a - a) * hj * hj / 6.0,
                        (b * b * b - b) * hj * hj / 6.0,
                    ],
                )
            })
            .collect();
        let wstep = (F_TOP / F_MIN).log2() / N_POINTS as f64;
        let weights = (0..N_POINTS)
            .map(|i| {
                let x = F_MIN.log2() + i as f64 * wstep;
                0.5 + (3.0 * (x - WEIGHT_CENTRE)).atan() / std::f64::consts::PI
            })
            .collect();
        Shs {
            inv_h: h.iter().map(|v| 1.0 / v).collect(),
            inv_diag: diag.iter().map(|v| 1.0 / v).collect(),
            upper,
            lower,
            eval,
            weights,
            step,
        }
    }

    /// The octave spectrum of one 513-bin magnitude spectrum into `b.octave`.
    ///
    /// Costs: the spline's two recurrences (forward elimination, back substitution) are
    /// serial chains, so the rest of the work is arranged around them: the peak
    /// enhancement and smoothing are branch-free vectorisable passes, and each axis point
    /// is evaluated and weighted inside the back substitution as soon as the two second
    /// derivatives it reads are known (the same operations on the same values as
    /// evaluating afterwards, so the same bits). [`Shs::frame_group`] runs the chains
    /// of several frames side by side.
    #[inline(never)]
    pub fn octave_spectrum(&self, mag: &[f64], b: &mut ShsBuffers) {
        enhance(mag, b);
        self.spline([b]);
    }
}

crate::num::fastmath::avx2_dispatch! {
/// Steps 1-2 (peak enhancement, smoothing) into `b.smooth`: comparisons, selections and
/// a 3-tap smoothing, the same values in either build (with AVX2 they run 4 wide instead of 2).
fn enhance(mag: &[f64], b: &mut ShsBuffers) -> () {
        let n = N_POINTS;
        let mag = &mag[..n];
        // 1. peak enhancement: a bin is kept when a strict local maximum lies within +-2
        // bins, or before the first / after the last maximum. `peak[j + 2]` flags bin j
        // (two zeros of padding each side).
        // (no clearing per frame: every entry but the zero padding is written below)
        b.peak.resize(n + 4, 0);
        let peak = &mut b.peak[..n + 4];
        peak[2] = (mag[0] > mag[1]) as u64;
        for (p, w) in peak[3..n + 1].iter_mut().zip(mag.windows(3)) {
            *p = ((w[1] > w[0]) & (w[1] > w[2])) as u64;
        }
        peak[n + 1] = (mag[n - 1] > mag[n - 2]) as u64;
        b.kept.resize(n, 0.0);
        let kept = &mut b.kept[..n];
        match (
            peak.iter().position(|&v| v != 0),
            peak.iter().rposition(|&v| v != 0),
        ) {
            (Some(first), Some(last)) => {
                let (first, last) = (first - 2, last - 2);
                kept[..first].copy_from_slice(&mag[..first]);
                for ((k, &m), f) in kept[first..last]
                    .iter_mut()
                    .zip(&mag[first..last])
                    .zip(peak[first..].windows(5))
                {
                    let near = f[0] | f[1] | f[2] | f[3] | f[4];
                    *k = if near != 0 { m } else { 0.0 };
                }
                kept[last..].copy_from_slice(&mag[last..]);
            }
            _ => kept.copy_from_slice(mag),
        }
        // 2. smoothing
        b.smooth.resize(n, 0.0);
        let y = &mut b.smooth[..n];
        y[0] = 0.5 * kept[0] + 0.25 * kept[1];
        for (s, k) in y[1..n - 1].iter_mut().zip(kept.windows(3)) {
            *s = 0.25 * k[0] + 0.5 * k[1] + 0.25 * k[2];
        }
        y[n - 1] = kept[n - 1];
}
}

impl Shs {
    /// Steps 3-5 of `K` frames at once (each buffer's `smooth` in, `rhs` as scratch,
    /// `octave` out): each frame gets exactly the operations of a frame alone, the
    /// frames' serial chains interleaved so that their latencies overlap.
    #[inline(always)]
    fn spline<const K: usize>(&self, bufs: [&mut ShsBuffers; K]) {
        let n = N_POINTS;
        let m = n - 2;
        // (smoothed spectrum, rhs, octave) of each frame; every entry of the last two is
        // written below: sized, not cleared
        let f: [(&[f64], &mut [f64], &mut [f64]); K] = bufs.map(|b| {
            let ShsBuffers {
                smooth,
                rhs,
                octave,
                ..
            } = b;
            rhs.resize(m, 0.0);
            octave.resize(n, 0.0);
            (&smooth[..n], &mut rhs[..m], &mut octave[..n])
        });
        // 3. natural cubic spline on the log2 knots: right-hand side and forward
        // elimination in one pass (the running value stays in a register), then the back
        // substitution
        let (inv_h, lower, upper, inv_diag) = (
            &self.inv_h[..n - 1],
            &self.lower[..m],
            &self.upper[..m],
            &self.inv_diag[..m],
        );
        let mut slope_left: [f64; K] = std::array::from_fn(|k| (f[k].0[1] - f[k].0[0]) * inv_h[0]);
        let mut prev = [0.0; K];
        for i in 0..m {
            let j = i + 1;
            for k in 0..K {
                let slope_right = (f[k].0[j + 1] - f[k].0[j]) * inv_h[j];
                let r = 6.0 * (slope_right - slope_left[k]) - lower[i] * prev[k];
                f[k].1[i] = r;
                prev[k] = r;
                slope_left[k] = slope_right;
            }
        }
        let eval = &self.eval[..n];
        let weights = &self.weights[..n];
        // 4.-5. point p of knot interval j from M_j and M_{j+1}, auditory weighting,
        // negatives to 0
        let point = |y: &[f64], p: usize, m_j: f64, m_next: f64| -> f64 {
            let (j, c) = eval[p];
            let v = c[0] * y[j] + c[1] * y[j + 1] + c[2] * m_j + c[3] * m_next;
            (v * weights[p]).max(0.0)
        };
        // Back substitution from M_{n-2} down to M_1 (M_0 = M_{n-1} = 0, natural spline);
        // the points of interval j are evaluated as soon as M_j is known, both second
        // derivatives still in registers (points p.. are done; they are sorted by j).
        let mut p = n;
        let mut next = [0.0; K];
        for i in (0..m).rev() {
            let above = next;
            for k in 0..K {
                next[k] = (f[k].1[i] - upper[i] * next[k]) * inv_diag[i];
            }
            while p > 0 && eval[p - 1].0 == i + 1 {
                p -= 1;
                for k in 0..K {
                    f[k].2[p] = point(f[k].0, p, next[k], above[k]);
                }
            }
        }
        while p > 0 {
            p -= 1;
            for k in 0..K {
                f[k].2[p] = point(f[k].0, p, 0.0, next[k]);
            }
        }
    }

    /// The subharmonic sum of `b.octave` into `b.sum`.
    #[inline(never)]
    pub fn subharmonic_sum(&self, b: &mut ShsBuffers) {
        b.sum.resize(b.octave.len(), 0.0);
        shift_sum(&b.octave, &mut b.sum);
    }

    /// The candidates of `b.sum`.
    #[inline(never)]
    pub fn candidates(&self, b: &ShsBuffers) -> Candidates {
        let [mean] = sum_means([b.sum.as_slice()]);
        self.candidates_with_mean(b, mean)
    }

    /// [`Shs::candidates`] given the mean of `b.sum` (from [`sum_means`]).
    #[inline(always)]
    fn candidates_with_mean(&self, b: &ShsBuffers, mean: f64) -> Candidates {
        let s = &b.sum[..N_POINTS];
        // the strict interior local maxima, gathered without branches
        let mut maxima = [0u16; N_POINTS];
        let mut count = 0;
        for (i, w) in (1..).zip(s.windows(3)) {
            if let Some(slot) = maxima.get_mut(count) {
                *slot = i;
            }
            count += ((w[1] > w[0]) & (w[1] > w[2])) as usize;
        }
        // the 6 largest of them by raw value (lower index first on ties)
        // (on the stack: no allocation per frame)
        let mut list = [0usize; N_CANDIDATES];
        let mut len = 0;
        // the smallest value still in the list once it is full: most maxima fall below it
        let mut floor = f64::NEG_INFINITY;
        for &i in &maxima[..count] {
            let i = i as usize;
            if s[i] > floor {
                let at = list[..len].iter().position(|&q| s[i] > s[q]).unwrap_or(len);
                if at < N_CANDIDATES {
                    len = (len + 1).min(N_CANDIDATES);
                    list.copy_within(at..len - 1, at + 1);
                    list[at] = i;
                    if len == N_CANDIDATES {
                        floor = s[list[N_CANDIDATES - 1]];
                    }
                }
            }
        }
        let peaks = &list[..len];
        let mut out = Candidates {
            f0: Vec::with_capacity(N_CANDIDATES),
            voicing: Vec::with_capacity(N_CANDIDATES),
            score: Vec::with_capacity(N_CANDIDATES),
        };
        for &i in peaks {
            let (a, bb, c) = (s[i - 1], s[i], s[i + 1]);
            let den = a - 2.0 * bb + c;
            let p = if den != 0.0 {
                (a - c) / (2.0 * den)
            } else {
                0.0
            };
            let score = bb - (a - c) * p / 4.0;
            let f0 = F_MIN * 2f64.powf((i as f64 + p) * self.step);
            if (PITCH_MIN..=PITCH_MAX).contains(&f0) {
                out.f0.push(f0);
                out.score.push(score);
                // openSMILE writes no negative voicing (measured: 0 on 1120 of 1120
                // frames where 1 - mean / score is below 0)
                out.voicing.push(if score > 0.0 {
                    (1.0 - mean / score).max(0.0)
                } else {
                    0.0
                });
            }
        }
        if let Some(best) = (0..out.f0.len()).max_by(|&a, &b| {
            out.score[a].total_cmp(&out.score[b]).then(b.cmp(&a)) // the first of equal scores
        }) {
            out.f0.swap(0, best);
            out.score.swap(0, best);
            out.voicing.swap(0, best);
        }
        out
    }

    /// Octave spectrum, sum and candidates of one magnitude spectrum.
    pub fn frame(&self, mag: &[f64], b: &mut ShsBuffers) -> Candidates {
        self.octave_spectrum(mag, b);
        self.subharmonic_sum(b);
        self.candidates(b)
    }

    /// [`Shs::frame`] of `K` magnitude spectra (each with its own buffers), bit for bit the
    /// same candidates: the octave spectrum's serial spline recurrences (the larger part of
    /// a frame's cost in the profile) of the `K` frames run side by side, so their
    /// latencies overlap, and the means of the `K` sums are added side by side too. The
    /// driver feeds four (two at a time took 0.94x the whole-process time of one at a
    /// time, measured once on 4 s clips; four interleaved chains hide more than two).
    #[inline(never)]
    pub fn frame_group<const K: usize>(
        &self,
        mags: [&[f64]; K],
        mut buffers: [&mut ShsBuffers; K],
    ) -> [Candidates; K] {
        for (mag, b) in mags.into_iter().zip(buffers.iter_mut()) {
            enhance(mag, b);
        }
        self.spline(buffers.each_mut().map(|b| &mut **b));
        for b in buffers.iter_mut() {
            self.subharmonic_sum(b);
        }
        let means = sum_means(buffers.each_ref().map(|b| b.sum.as_slice()));
        std::array::from_fn(|k| self.candidates_with_mean(&*buffers[k], means[k]))
    }
}

/// The means of `K` frames' subharmonic sums, each added in index order from -0.0 (as
/// `Iterator::sum` adds: the same bits). One running sum is a serial chain of additions
/// (about a fifth of the candidate search's time); the frames' chains run side by side
/// in one loop.
#[inline(always)]
fn sum_means<const K: usize>(sums: [&[f64]; K]) -> [f64; K] {
    let sums = sums.map(|s| &s[..N_POINTS]);
    let mut acc = [-0.0f64; K];
    for i in 0..N_POINTS {
        for k in 0..K {
            acc[k] += sums[k][i];
        }
    }
    acc.map(|s| s / N_POINTS as f64)
}

crate::num::fastmath::avx2_dispatch! {
/// `sum[i] = (1/15) sum_h 0.85^(h-1) octave[i + k_h]` over the shifts that stay on the
/// axis, the terms added in harmonic order (the first term assigned: the same value as
/// added to zero, as the terms are not negative).
fn shift_sum(octave: &[f64], sum: &mut [f64]) -> () {
    let n = octave.len().min(sum.len());
    let mut weight = 1.0 / 15.0;
    for (s, v) in sum[..n].iter_mut().zip(&octave[..n]) {
        *s = weight * v;
    }
    weight *= COMPRESSION;
    for &k in &SHIFTS[1..] {
        if k < n {
            for (s, v) in sum[..n - k].iter_mut().zip(&octave[k..n]) {
                *s += weight * v;
            }
        }
        weight *= COMPRESSION;
    }
}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every candidate value's bits (F0s, voicings, scores), to compare two runs exactly.
    fn bits(c: &Candidates) -> Vec<u64> {
        c.f0.iter()
            .chain(&c.voicing)
            .chain(&c.score)
            .map(|v| v.to_bits())
            .collect()
    }

    #[test]
    fn harmonic_spectrum_gives_its_f0() {
        let shs = Shs::new();
        let mut b = ShsBuffers::default();
        for f0 in [90.0f64, 150.0, 230.0] {
            let mut mag = vec![1e-4; LONG_BINS];
            let mut h = 1.0;
            while f0 * h < 7900.0 {
                let pos = f0 * h / 15.625;
                let k = pos.round() as usize;
                mag[k] += 1.0 / h;
                mag[k - 1] += 0.5 / h;
                mag[k + 1] += 0.5 / h;
                h += 1.0;
            }
            let c = shs.frame(&mag, &mut b);
            assert!((c.f0[0] / f0 - 1.0).abs() < 0.03, "{f0}: {c:?}");
            assert!(c.voicing0() > 0.7);
        }
        let c = shs.frame(&vec![0.0; LONG_BINS], &mut b);
        assert_eq!(c.f0_raw(), 0.0);
    }

    #[test]
    fn pairs_give_the_single_frame_candidates_bit_for_bit() {
        let shs = Shs::new();
        let (mut b1, mut b2, mut b3) = Default::default();
        let mut rng = crate::num::TestRng(11);
        let mut uniform = || rng.uniform();
        for trial in 0..20 {
            let f0 = 80.0 + 15.0 * trial as f64;
            let spectra: Vec<Vec<f64>> = (0..2)
                .map(|s| {
                    (0..LONG_BINS)
                        .map(|k| {
                            let h = (k as f64 * 15.625 / (f0 * (1.0 + 0.1 * s as f64))).fract();
                            (-(h - 0.5).abs() * 8.0).exp() + 0.3 * uniform()
                        })
                        .collect()
                })
                .collect();
            let one = shs.frame(&spectra[0], &mut b1);
            let octave = b1.octave.clone();
            let two = shs.frame(&spectra[1], &mut b1);
            let pair = shs.frame_group([&spectra[0], &spectra[1]], [&mut b2, &mut b3]);
            assert_eq!(bits(&one), bits(&pair[0]), "trial {trial}");
            assert_eq!(bits(&two), bits(&pair[1]), "trial {trial}");
            assert!(octave
                .iter()
                .zip(&b2.octave)
                .all(|(x, y)| x.to_bits() == y.to_bits()));
        }
    }

    #[test]
    fn groups_of_four_give_the_single_frame_candidates_bit_for_bit() {
        let shs = Shs::new();
        let mut single = ShsBuffers::default();
        let mut bufs: [ShsBuffers; 4] = Default::default();
        let mut rng = crate::num::TestRng(5);
        for trial in 0..10 {
            let spectra: Vec<Vec<f64>> = (0..4)
                .map(|s| {
                    let f0 = 70.0 + 23.0 * trial as f64 + 9.0 * s as f64;
                    (0..LONG_BINS)
                        .map(|k| {
                            let h = (k as f64 * 15.625 / f0).fract();
                            (-(h - 0.5).abs() * 8.0).exp() + 0.3 * rng.uniform()
                        })
                        .collect()
                })
                .collect();
            let group =
                shs.frame_group([0, 1, 2, 3].map(|i| spectra[i].as_slice()), bufs.each_mut());
            for (s, g) in spectra.iter().zip(&group) {
                let one = shs.frame(s, &mut single);
                assert!(!one.f0.is_empty(), "trial {trial}");
                assert_eq!(bits(&one), bits(g), "trial {trial}");
            }
        }
    }

    #[test]
    fn means_add_in_index_order_as_iterator_sum() {
        let mut rng = crate::num::TestRng(3);
        let a: Vec<f64> = (0..N_POINTS).map(|_| 1e3 * rng.uniform()).collect();
        let b: Vec<f64> = (0..N_POINTS)
            .map(|i| 1e-9 * i as f64 + 1e5 * rng.uniform())
            .collect();
        let sum_then_mean = |v: &[f64]| v.iter().sum::<f64>() / N_POINTS as f64;
        let [ma, mb] = sum_means([&a[..], &b[..]]);
        assert_eq!(ma.to_bits(), sum_then_mean(&a).to_bits());
        assert_eq!(mb.to_bits(), sum_then_mean(&b).to_bits());
        let zeros = vec![0.0; N_POINTS];
        assert_eq!(
            sum_means([&zeros[..]])[0].to_bits(),
            sum_then_mean(&zeros).to_bits()
        );
    }
}
