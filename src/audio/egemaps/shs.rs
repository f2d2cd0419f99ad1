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
    kept: Vec<f64>,
    smooth: Vec<f64>,
    rhs: Vec<f64>,
    second: Vec<f64>,
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
    #[inline(never)]
    pub fn octave_spectrum(&self, mag: &[f64], b: &mut ShsBuffers) {
        let n = mag.len();
        // 1. peak enhancement: a bin is kept when a strict local maximum lies within +-2
        // bins, or before the first / after the last maximum
        b.kept.clear();
        b.kept.resize(n, 0.0);
        let mut first = None;
        let mut last = 0;
        let mut covered_to = 0usize; // bins below this index are already copied
        for j in 0..n {
            let left = j == 0 || mag[j] > mag[j - 1];
            let right = j + 1 == n || mag[j] > mag[j + 1];
            if left && right {
                if first.is_none() {
                    first = Some(j);
                }
                last = j;
                let lo = j.saturating_sub(2).max(covered_to);
                let hi = (j + 3).min(n);
                if lo < hi {
                    b.kept[lo..hi].copy_from_slice(&mag[lo..hi]);
                }
                covered_to = hi;
            }
        }
        match first {
            None => b.kept.copy_from_slice(&mag[..n]),
            Some(f) => {
                b.kept[..f].copy_from_slice(&mag[..f]);
                b.kept[last..].copy_from_slice(&mag[last..]);
            }
        }
        // 2. smoothing
        b.smooth.clear();
        b.smooth.resize(n, 0.0);
        b.smooth[0] = 0.5 * b.kept[0] + 0.25 * b.kept[1];
        for j in 1..n - 1 {
            b.smooth[j] = 0.25 * b.kept[j - 1] + 0.5 * b.kept[j] + 0.25 * b.kept[j + 1];
        }
        b.smooth[n - 1] = b.kept[n - 1];
        // 3. natural cubic spline on the log2 knots: right-hand side and forward
        // elimination in one pass (the running value stays in a register), then the back
        // substitution
        let y = &b.smooth[..n];
        let m = n - 2;
        let (inv_h, lower, upper, inv_diag) = (
            &self.inv_h[..n - 1],
            &self.lower[..m],
            &self.upper[..m],
            &self.inv_diag[..m],
        );
        b.rhs.clear();
        b.rhs.resize(m, 0.0);
        let rhs = &mut b.rhs[..m];
        let mut slope_left = (y[1] - y[0]) * inv_h[0];
        let mut prev = 0.0;
        for i in 0..m {
            let j = i + 1;
            let slope_right = (y[j + 1] - y[j]) * inv_h[j];
            let r = 6.0 * (slope_right - slope_left) - lower[i] * prev;
            rhs[i] = r;
            prev = r;
            slope_left = slope_right;
        }
        b.second.clear();
        b.second.resize(n, 0.0);
        let second = &mut b.second[..n];
        let mut next = 0.0;
        for i in (0..m).rev() {
            next = (rhs[i] - upper[i] * next) * inv_diag[i];
            second[i + 1] = next;
        }
        b.octave.clear();
        for (&(j, c), w) in self.eval.iter().zip(&self.weights) {
            let v = c[0] * y[j] + c[1] * y[j + 1] + c[2] * b.second[j] + c[3] * b.second[j + 1];
            // 4.-5. auditory weighting, negatives to 0
            b.octave.push((v * w).max(0.0));
        }
    }

    /// The subharmonic sum of `b.octave` into `b.sum`.
    #[inline(never)]
    pub fn subharmonic_sum(&self, b: &mut ShsBuffers) {
        let n = b.octave.len();
        b.sum.clear();
        b.sum.resize(n, 0.0);
        let mut weight = 1.0 / 15.0;
        for &k in &SHIFTS {
            if k < n {
                for (s, v) in b.sum[..n - k].iter_mut().zip(&b.octave[k..]) {
                    *s += weight * v;
                }
            }
            weight *= COMPRESSION;
        }
    }

    /// The candidates of `b.sum`.
    #[inline(never)]
    pub fn candidates(&self, b: &ShsBuffers) -> Candidates {
        let s = &b.sum;
        let n = s.len();
        let mean = s.iter().sum::<f64>() / n as f64;
        // the 6 largest strict local maxima by raw value (lower index first on ties)
        let mut peaks: Vec<usize> = Vec::with_capacity(N_CANDIDATES + 1);
        // the smallest value still in the list once it is full: most maxima fall below it
        let mut floor = f64::NEG_INFINITY;
        for i in 1..n - 1 {
            if s[i] > floor && s[i] > s[i - 1] && s[i] > s[i + 1] {
                let at = peaks
                    .iter()
                    .position(|&q| s[i] > s[q])
                    .unwrap_or(peaks.len());
                if at < N_CANDIDATES {
                    peaks.insert(at, i);
                    peaks.truncate(N_CANDIDATES);
                    if peaks.len() == N_CANDIDATES {
                        floor = s[peaks[N_CANDIDATES - 1]];
                    }
                }
            }
        }
        let mut out = Candidates::default();
        for &i in &peaks {
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
