//! Praat's "To Pitch (ac)" (Boersma 1993): autocorrelation pitch candidates per frame and
//! Praat's path finder over them; the pitch track behind Praat's voice report
//! ([`super::voice`]).

use realfft::RealFftPlanner;
use rustfft::num_complex::Complex;

use crate::audio::pitch::F0Track;
use crate::error::{Error, Result};
use crate::num::argmax;
use crate::num::real::Real;
use crate::params::Params;

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
    crate::audio::check_finite(signal, "y")?;
    praat_ac_of(signal, sr, spec)
}

/// [`praat_ac`] of a clip already checked finite. Samples are read where they are (no
/// f64 copy of the clip) and the path finder keeps only the frames whose best path is
/// still open: the memory it adds is about the output's.
pub(crate) fn praat_ac_of<T: Real>(x: &[T], sr: f64, spec: &PraatPitchSpec) -> Result<F0Track> {
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
    let grid = crate::audio::praat::intensity::PraatGrid::new(
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
    let global_mean = crate::num::fastmath::sum_f64(x) / x.len().max(1) as f64;
    let global_peak = x
        .iter()
        .map(|v| (v.f64() - global_mean).abs())
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
    let mut paths = PathFinder::new(spec, jump, vuv, grid.n_frames);
    let mut cands: Vec<Candidate> = Vec::with_capacity(spec.max_number_of_candidates + 1);
    let mut frame = vec![0.0f64; n_win];
    let mut r = Vec::new();
    // Running sums give every frame's local mean in O(1).
    let mut cum = crate::audio::frontend::frames::RunningSums::new(x);
    let len = x.len() as isize;
    let mut rn = Vec::with_capacity(max_lag + 2);
    for f in 0..grid.n_frames {
        crate::cancel::check_every(f, 16)?;
        // The samples left and right of the frame centre (0-based).
        let left = grid.low_sample(grid.time(f));
        let right = left + 1;
        let lo = (right - n_period as isize).clamp(0, len) as usize;
        let hi = (left + n_period as isize + 1).clamp(0, len) as usize;
        let mean = cum.span(lo.min(hi), hi) / (2 * n_period) as f64;
        let start = right - half as isize;
        if start >= 0 && start + n_win as isize <= len {
            let xs = &x[start as usize..][..n_win];
            for ((v, w), s) in frame.iter_mut().zip(&hann).zip(xs) {
                *v = (s.f64() - mean) * w;
            }
        } else {
            for (j, (v, w)) in frame.iter_mut().zip(&hann).enumerate() {
                let i = start + j as isize;
                let s = if (0..len).contains(&i) {
                    x[i as usize].f64()
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
        cands.clear();
        cands.push(Candidate {
            f: 0.0,
            strength: unvoiced_strength,
            log2_f: 0.0,
        });
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
        paths.push(&cands);
    }
    let chosen = paths.finish();
    let voiced = |c: &Candidate| c.f > 0.0 && c.f < ceiling;
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
        times: (0..chosen.len()).map(|f| grid.time(f)).collect(),
    })
}

/// Praat's path finder (Viterbi), run as the frames come: maximise the summed strengths
/// minus the transition costs, where a voiced candidate scores
/// `r - octave_cost log2(ceiling / f)` and any other (unvoiced, or at/above the ceiling)
/// the frame's unvoiced strength; octave jumps cost `jump |log2 f1 - log2 f2|`, voicing
/// changes `vuv`.
///
/// A frame's candidates and back-pointers are kept only while the surviving paths
/// disagree about it: once every path into the newest frame runs through one candidate
/// of an earlier frame, the best path up to there is decided (whatever comes later) and
/// is written out (paths merge within a few frames in speech, at once in silence). The
/// result equals the whole-clip Viterbi's, ties included; memory is the undecided
/// stretch instead of every frame's candidates.
struct PathFinder {
    ceiling: f64,
    log2_ceiling: f64,
    octave_cost: f64,
    jump: f64,
    vuv: f64,
    /// Undecided frames: their candidates and back-pointers (into the frame before)
    /// flat, and where each frame starts.
    cands: Vec<Candidate>,
    back: Vec<u32>,
    starts: Vec<usize>,
    /// The newest frame's candidates and path scores.
    prev: Vec<Candidate>,
    score: Vec<f64>,
    next: Vec<f64>,
    /// Undecided frames at which the next merge check runs (doubles after a failed one).
    check_at: usize,
    survivors: Vec<u32>,
    /// The best path's candidates of the decided frames, in order.
    chosen: Vec<Candidate>,
}

/// Undecided frames before the first merge check.
const MERGE_CHECK: usize = 64;

impl PathFinder {
    fn new(spec: &PraatPitchSpec, jump: f64, vuv: f64, n_frames: usize) -> Self {
        PathFinder {
            ceiling: spec.pitch_ceiling,
            log2_ceiling: spec.pitch_ceiling.log2(),
            octave_cost: spec.octave_cost,
            jump,
            vuv,
            cands: Vec::new(),
            back: Vec::new(),
            starts: Vec::new(),
            prev: Vec::new(),
            score: Vec::new(),
            next: Vec::new(),
            check_at: MERGE_CHECK,
            survivors: Vec::new(),
            chosen: Vec::with_capacity(n_frames),
        }
    }

    fn voiced(&self, c: &Candidate) -> bool {
        c.f > 0.0 && c.f < self.ceiling
    }

    fn local(&self, cands: &[Candidate], c: &Candidate) -> f64 {
        if self.voiced(c) {
            c.strength - self.octave_cost * (self.log2_ceiling - c.log2_f)
        } else {
            cands[0].strength
        }
    }

    /// One more frame (its unvoiced candidate first).
    fn push(&mut self, cands: &[Candidate]) {
        let first = self.chosen.is_empty() && self.starts.is_empty();
        self.next.clear();
        for q in cands {
            let (bi, bv) = if first {
                (0, 0.0)
            } else {
                let qv = self.voiced(q);
                let (mut bi, mut bv) = (0, f64::NEG_INFINITY);
                for (i, (p, &ps)) in self.prev.iter().zip(&self.score).enumerate() {
                    let cost = match (self.voiced(p), qv) {
                        (false, false) => 0.0,
                        (true, true) => self.jump * (p.log2_f - q.log2_f).abs(),
                        _ => self.vuv,
                    };
                    if ps - cost > bv {
                        (bi, bv) = (i, ps - cost);
                    }
                }
                (bi, bv)
            };
            let local = self.local(cands, q);
            self.next.push(if first { local } else { bv + local });
            self.back.push(bi as u32);
        }
        std::mem::swap(&mut self.score, &mut self.next);
        self.starts.push(self.cands.len());
        self.cands.extend_from_slice(cands);
        self.prev.clear();
        self.prev.extend_from_slice(cands);
        if self.starts.len() >= self.check_at {
            if self.merge() {
                self.check_at = MERGE_CHECK;
            } else {
                self.check_at = 2 * self.starts.len();
            }
        }
    }

    /// Decides the undecided frames up to where all paths into the newest frame merge;
    /// false when they do not merge yet.
    fn merge(&mut self) -> bool {
        let n = self.starts.len();
        self.survivors.clear();
        self.survivors.extend(0..self.prev.len() as u32);
        let mut k = n - 1;
        while self.survivors.len() > 1 && k > 0 {
            let start = self.starts[k];
            for s in self.survivors.iter_mut() {
                *s = self.back[start + *s as usize];
            }
            self.survivors.sort_unstable();
            self.survivors.dedup();
            k -= 1;
        }
        if self.survivors.len() != 1 {
            return false;
        }
        let s = self.survivors[0] as usize;
        self.decide(k, s);
        true
    }

    /// Writes out the undecided frames `0..=k` of the best path through candidate `s` of
    /// frame `k`, and forgets them.
    fn decide(&mut self, k: usize, s: usize) {
        let base = self.chosen.len();
        self.chosen.resize(base + k + 1, self.cands[0]);
        let mut idx = s;
        for j in (0..=k).rev() {
            let at = self.starts[j] + idx;
            self.chosen[base + j] = self.cands[at];
            idx = self.back[at] as usize;
        }
        let cut = self.starts.get(k + 1).copied().unwrap_or(self.cands.len());
        self.cands.drain(..cut);
        self.back.drain(..cut);
        self.starts.drain(..=k);
        for st in self.starts.iter_mut() {
            *st -= cut;
        }
    }

    /// The best path's candidate of every frame.
    fn finish(mut self) -> Vec<Candidate> {
        if !self.starts.is_empty() {
            let best = argmax(&self.score).0;
            self.decide(self.starts.len() - 1, best);
        }
        self.chosen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::pitch::test_signals::pulses;
    use crate::params::Value;

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
}
