//! The pitch smoother of eGeMAPS (`cPitchSmootherViterbi`): the lowest-cost path through
//! each frame's SHS candidates and an unvoiced state.
//!
//! Weights [C] (`gemapsv01b_pitchSmoothViterbi`): wLocal 2, wThr 4, wTvuv 10, wTvv 10,
//! wTvvd 5, wTuu 0, wRange 1. The cost terms were measured black-box (fact sheet
//! `egemaps-facts-4-viterbi.md`: voicing agreement 99.89 % and F0 identical on 2207 of
//! 2208 frames on openSMILE's own candidates):
//!
//! - a voiced state (a candidate with voicing `v` and frequency `f`) costs
//!   `wLocal (-ln max(v, 0.01)) + wLocal wThr [v < 0.7] + wRange r(f)`, with the range term
//!   `r(f) = (100 - f) / 100` below 100 Hz and 0 above (its high side is weaker in the
//!   stock chain than openSMILE's detached smoother shows and is left out);
//! - the unvoiced state costs `wLocal wThr [v0 >= 0.7]` (`v0` = candidate 0's voicing);
//! - switching between voiced and unvoiced costs `wTvuv`; staying unvoiced `wTuu`; voiced
//!   to voiced `wTvv |log2(f_t / f_{t-1})|`; `wTvvd` showed no effect and is left out;
//! - the path is a plain Viterbi over the whole clip (the 40-frame buffer is only the
//!   output lag), starting from the unvoiced state (a voiced first frame pays `wTvuv`;
//!   measured here: 2893 instead of 2892 of 2897 frames of 7 clips agree).

use super::shs::{Candidates, VOICING_CUTOFF};

const W_LOCAL: f64 = 2.0;
const W_THR: f64 = 4.0;
const W_TVUV: f64 = 10.0;
const W_TVV: f64 = 10.0;
const W_TUU: f64 = 0.0;
const W_RANGE: f64 = 1.0;

/// The smoothed pitch of one frame.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pitch {
    /// `F0final` (Hz), 0 when unvoiced.
    pub f0: f64,
    /// `voicingFinalUnclipped`: the chosen candidate's voicing, candidate 0's when unvoiced.
    pub voicing: f64,
}

fn range_cost(f: f64) -> f64 {
    if f < 100.0 {
        (100.0 - f) / 100.0
    } else {
        0.0
    }
}

fn voiced_cost(v: f64, f: f64) -> f64 {
    let mut c = W_LOCAL * -(v.max(0.01)).ln() + W_RANGE * range_cost(f);
    if v < VOICING_CUTOFF {
        c += W_LOCAL * W_THR;
    }
    c
}

fn unvoiced_cost(frame: &Candidates) -> f64 {
    if frame.voicing0() >= VOICING_CUTOFF && !frame.f0.is_empty() {
        W_LOCAL * W_THR
    } else {
        0.0
    }
}

/// The lowest-cost path through `frames`.
#[inline(never)]
pub fn smooth(frames: &[Candidates]) -> Vec<Pitch> {
    let n = frames.len();
    if n == 0 {
        return Vec::new();
    }
    // state 0 = unvoiced, state c + 1 = candidate c
    let mut back: Vec<Vec<usize>> = Vec::with_capacity(n);
    let mut prev: Vec<f64> = Vec::new();
    for (t, fr) in frames.iter().enumerate() {
        let k = fr.f0.len() + 1;
        let mut cost = vec![0.0; k];
        let mut from = vec![0usize; k];
        cost[0] = unvoiced_cost(fr);
        for c in 0..fr.f0.len() {
            cost[c + 1] = voiced_cost(fr.voicing[c], fr.f0[c]);
        }
        if t == 0 {
            // the path starts unvoiced: a voiced first frame pays the switch (measured:
            // a clip opening on a weak voiced frame, v0 0.698, stays unvoiced there)
            cost[1..].iter_mut().for_each(|c| *c += W_TVUV);
        } else {
            let pf = &frames[t - 1];
            for s in 0..k {
                let mut best = f64::INFINITY;
                let mut arg = 0;
                for (p, &pc) in prev.iter().enumerate() {
                    let trans = match (p, s) {
                        (0, 0) => W_TUU,
                        (0, _) | (_, 0) => W_TVUV,
                        (p, s) => W_TVV * (fr.f0[s - 1] / pf.f0[p - 1]).log2().abs(),
                    };
                    let v = pc + trans;
                    if v < best {
                        best = v;
                        arg = p;
                    }
                }
                cost[s] += best;
                from[s] = arg;
            }
        }
        back.push(from);
        prev = cost;
    }
    let mut state = (0..prev.len())
        .min_by(|&a, &b| prev[a].total_cmp(&prev[b]).then(a.cmp(&b)))
        .unwrap_or(0);
    let mut out = vec![Pitch::default(); n];
    for t in (0..n).rev() {
        let fr = &frames[t];
        out[t] = if state == 0 {
            Pitch {
                f0: 0.0,
                voicing: fr.voicing0(),
            }
        } else {
            Pitch {
                f0: fr.f0[state - 1],
                voicing: fr.voicing[state - 1],
            }
        };
        state = back[t][state];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(f0: &[f64], v: &[f64]) -> Candidates {
        Candidates {
            f0: f0.to_vec(),
            voicing: v.to_vec(),
            score: vec![1.0; f0.len()],
        }
    }

    #[test]
    fn keeps_confident_frames_and_bridges_a_weak_one() {
        let mut frames = vec![frame(&[200.0], &[0.9]); 10];
        frames[5] = frame(&[200.0], &[0.65]);
        frames.push(frame(&[], &[]));
        let p = smooth(&frames);
        assert!(p[..10].iter().all(|q| q.f0 == 200.0));
        assert_eq!(p[10].f0, 0.0);
        // an octave jump for one frame is corrected to the other candidate
        let mut frames = vec![frame(&[150.0, 300.0], &[0.9, 0.85]); 9];
        frames[4] = frame(&[300.0, 150.0], &[0.9, 0.85]);
        let p = smooth(&frames);
        assert!(p.iter().all(|q| q.f0 == 150.0), "{p:?}");
    }
}
