//! Synthetic two-party conversations whose emotions follow a Markov process with set
//! emotional inertia and contagion, each utterance voiced and faced like the acted
//! corpus's items, so that the effect of context has a ground truth.
//!
//! A dialogue has two speakers drawn from the corpus's speakers; party 0 speaks first,
//! and after each turn the other party takes the floor with probability
//! [`SWITCH`] (else the same party goes on). The emotion of a turn by party `p` is, with
//! probability `inertia`, `p`'s own last emotion (emotional inertia, Kuppens, Allen and
//! Sheeber 2010); with probability `contagion`, the other party's last emotion
//! (emotional contagion, Hatfield, Cacioppo and Rapson 1993); otherwise, or where the
//! party in question has not spoken yet, a class drawn uniformly. With probability
//! `expressivity` the utterance portrays its emotion; otherwise it portrays a class drawn
//! uniformly (possibly the same), so that the utterance alone is an unreliable cue and
//! the context carries information. The annotators judge the true emotion.

use super::corpus::{Cast, Corpus, CorpusSpec};
use super::rng::{Domain, Rng};
use crate::error::{Error, Result};
use crate::parallel::map_batch;

/// Probability that the other party speaks next.
pub const SWITCH: f64 = 0.75;

/// What to generate; `corpus.n_items` is ignored (the turns decide it).
#[derive(Debug, Clone)]
pub struct DialogueSpec {
    pub corpus: CorpusSpec,
    pub n_dialogues: usize,
    /// Turns per dialogue, uniform on this inclusive range.
    pub turns: (usize, usize),
    pub inertia: f64,
    pub contagion: f64,
    pub expressivity: f64,
}

/// One turn of the design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    pub dialogue: usize,
    pub turn: usize,
    /// 0 for the party who speaks first, 1 for the other.
    pub party: usize,
    pub speaker: usize,
    /// Index into the classes: the true emotion.
    pub label: usize,
    /// The class the utterance portrays.
    pub portrayed: usize,
}

impl DialogueSpec {
    /// Checks every field, naming the Python argument it comes from.
    pub fn check(&self) -> Result<()> {
        if self.n_dialogues == 0 {
            return Err(Error::param(
                "n_dialogues",
                "expected at least 1 dialogue, got 0",
            ));
        }
        let (lo, hi) = self.turns;
        if !(lo >= 1 && hi >= lo && hi <= 1000) {
            return Err(Error::param(
                "turns",
                format!("expected (min, max) with 1 <= min <= max <= 1000, got ({lo}, {hi})"),
            ));
        }
        if self.corpus.n_speakers < 2 {
            return Err(Error::param(
                "n_speakers",
                format!(
                    "a dialogue needs 2 speakers, got {}",
                    self.corpus.n_speakers
                ),
            ));
        }
        for (name, p) in [
            ("inertia", self.inertia),
            ("contagion", self.contagion),
            ("expressivity", self.expressivity),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return Err(Error::param(
                    name,
                    format!("expected a probability in [0, 1], got {p}"),
                ));
            }
        }
        if self.inertia + self.contagion > 1.0 + 1e-12 {
            return Err(Error::param(
                "contagion",
                format!(
                    "inertia + contagion must be at most 1, got {} + {}",
                    self.inertia, self.contagion
                ),
            ));
        }
        let mut corpus = self.corpus.clone();
        corpus.n_items = 1;
        corpus.check()
    }

    /// The turns of every dialogue, in order; each dialogue draws from its own stream.
    pub fn design(&self) -> Result<Vec<Turn>> {
        self.check()?;
        let k = self.corpus.classes.len();
        let n = self.corpus.n_speakers;
        let mut out = Vec::new();
        for d in 0..self.n_dialogues {
            let mut rng = Rng::stream(self.corpus.seed, Domain::Dialogue, d as u64);
            let len = self.turns.0 + rng.below(self.turns.1 - self.turns.0 + 1);
            let a = rng.below(n);
            let speakers = [a, (a + 1 + rng.below(n - 1)) % n];
            let mut last: [Option<usize>; 2] = [None, None];
            let mut party = 0;
            for t in 0..len {
                if t > 0 && rng.chance(SWITCH) {
                    party = 1 - party;
                }
                let u = rng.uniform();
                let label = match (last[party], last[1 - party]) {
                    (Some(own), _) if u < self.inertia => own,
                    (_, Some(other)) if u >= self.inertia && u < self.inertia + self.contagion => {
                        other
                    }
                    _ => rng.below(k),
                };
                let portrayed = if rng.chance(self.expressivity) {
                    label
                } else {
                    rng.below(k)
                };
                last[party] = Some(label);
                out.push(Turn {
                    dialogue: d,
                    turn: t,
                    party,
                    speaker: speakers[party],
                    label,
                    portrayed,
                });
            }
        }
        Ok(out)
    }
}

/// Builds the conversations of `spec` on the `n_jobs` pool: the corpus (one item per
/// turn, in dialogue and turn order) and the design. Identical for any `n_jobs`.
pub fn make_dialogues(spec: &DialogueSpec, n_jobs: Option<i64>) -> Result<(Corpus, Vec<Turn>)> {
    let turns = spec.design()?;
    let mut corpus = spec.corpus.clone();
    corpus.n_items = turns.len();
    let cast = Cast::draw(&corpus);
    let items = map_batch(&turns, n_jobs, |i, t| {
        Ok(cast.item(&corpus, i, t.speaker, t.portrayed, t.label))
    })?;
    Ok((cast.into_corpus(items), turns))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::Emotion;

    fn spec(inertia: f64, contagion: f64) -> DialogueSpec {
        DialogueSpec {
            corpus: CorpusSpec {
                n_items: 0,
                n_speakers: 4,
                classes: Emotion::DEFAULT.to_vec(),
                n_annotators: 0,
                duration: (0.5, 0.6),
                sr: 8000.0,
                fps: 10.0,
                seed: 4,
                missing: 0.0,
                traces: None,
            },
            n_dialogues: 400,
            turns: (4, 12),
            inertia,
            contagion,
            expressivity: 0.5,
        }
    }

    /// Share of turns whose emotion equals the same party's previous one.
    fn kept(turns: &[Turn]) -> f64 {
        let (mut same, mut n) = (0, 0);
        let mut last = [None, None];
        for t in turns {
            if t.turn == 0 {
                last = [None, None];
            }
            if let Some(prev) = last[t.party] {
                n += 1;
                same += usize::from(prev == t.label);
            }
            last[t.party] = Some(t.label);
        }
        same as f64 / n as f64
    }

    #[test]
    fn inertia_sets_how_often_a_party_keeps_its_emotion() {
        // keeping = inertia + (1 - inertia - contagion-share) / 5 by chance
        let low = kept(&spec(0.2, 0.0).design().unwrap());
        let high = kept(&spec(0.8, 0.0).design().unwrap());
        assert!((low - (0.2 + 0.8 / 5.0)).abs() < 0.03, "{low}");
        assert!((high - (0.8 + 0.2 / 5.0)).abs() < 0.03, "{high}");
        let turns = spec(0.5, 0.2).design().unwrap();
        let portrayed = turns.iter().filter(|t| t.portrayed == t.label).count() as f64;
        assert!((portrayed / turns.len() as f64 - 0.6).abs() < 0.03);
        assert!(turns.iter().all(|t| t.turn > 0 || t.party == 0));
    }

    #[test]
    fn identical_for_any_thread_count_and_bad_values_named() {
        let mut s = spec(0.5, 0.3);
        s.n_dialogues = 3;
        let (a, ta) = make_dialogues(&s, Some(1)).unwrap();
        let (b, tb) = make_dialogues(&s, Some(2)).unwrap();
        assert_eq!((a, ta.clone()), (b, tb));
        assert_eq!(ta.iter().filter(|t| t.turn == 0).count(), 3);
        for (name, f) in [
            (
                "contagion",
                Box::new(|s: &mut DialogueSpec| s.contagion = 0.9)
                    as Box<dyn Fn(&mut DialogueSpec)>,
            ),
            ("inertia", Box::new(|s: &mut DialogueSpec| s.inertia = -0.1)),
            ("turns", Box::new(|s: &mut DialogueSpec| s.turns = (0, 3))),
            (
                "n_speakers",
                Box::new(|s: &mut DialogueSpec| s.corpus.n_speakers = 1),
            ),
            (
                "n_dialogues",
                Box::new(|s: &mut DialogueSpec| s.n_dialogues = 0),
            ),
        ] {
            let mut bad = spec(0.5, 0.3);
            f(&mut bad);
            let e = bad.design().unwrap_err().to_string();
            assert!(e.starts_with(name), "{e}");
        }
    }
}
