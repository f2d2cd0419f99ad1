//! The acted corpus: speakers portray each emotion in turn, with a voice, a face and the
//! answers of a panel of annotators per item. Items are built in parallel on the
//! per-process pool; each draws from its own seeded streams, so the corpus is identical
//! for any `n_jobs`.

use super::annotators::{answer, confusion, Skill};
use super::face::{landmarks_modulated, Subject};
use super::rng::{Domain, Rng};
use super::speech::{synthesize_modulated, Speaker};
use super::traces::{panel, rate, Latent, Rater, Traces};
use super::Emotion;
use crate::error::{Error, Result};
use crate::parallel::map_batch;

/// What to generate.
#[derive(Debug, Clone)]
pub struct CorpusSpec {
    pub n_items: usize,
    pub n_speakers: usize,
    pub classes: Vec<Emotion>,
    pub n_annotators: usize,
    /// Clip durations are uniform on this range (seconds).
    pub duration: (f64, f64),
    pub sr: f64,
    pub fps: f64,
    pub seed: u64,
    /// Probability that an annotator skips an item.
    pub missing: f64,
    /// Frame rate of time-continuous valence/arousal traces, or None: no traces, and the
    /// voice and face of every item are those of the corpus without traces. With traces,
    /// a latent state moves within each item and drives voice, face and traces
    /// ([`super::traces`]).
    pub traces: Option<f64>,
}

impl CorpusSpec {
    /// Checks every field, naming the Python argument it comes from.
    pub fn check(&self) -> Result<()> {
        if self.n_items == 0 {
            return Err(Error::param("n_items", "expected at least 1 item, got 0"));
        }
        if self.n_speakers == 0 {
            return Err(Error::param(
                "n_speakers",
                "expected at least 1 speaker, got 0",
            ));
        }
        if self.classes.is_empty() {
            return Err(Error::param(
                "classes",
                "expected at least one emotion, got none",
            ));
        }
        for (i, c) in self.classes.iter().enumerate() {
            if self.classes[..i].contains(c) {
                return Err(Error::param(
                    "classes",
                    format!("{:?} is named twice", c.name()),
                ));
            }
        }
        let (lo, hi) = self.duration;
        if !(lo.is_finite() && hi.is_finite() && lo >= 0.5 && hi >= lo && hi <= 60.0) {
            return Err(Error::param(
                "duration",
                format!(
                    "expected (min, max) seconds with 0.5 <= min <= max <= 60, got ({lo}, {hi})"
                ),
            ));
        }
        if !(self.sr >= 8000.0 && self.sr <= 96000.0) {
            return Err(Error::param(
                "sr",
                format!("expected 8000 to 96000 Hz, got {}", self.sr),
            ));
        }
        if !(self.fps >= 1.0 && self.fps <= 240.0) {
            return Err(Error::param(
                "fps",
                format!("expected 1 to 240 frames per second, got {}", self.fps),
            ));
        }
        if let Some(fps) = self.traces {
            if !(fps >= 1.0 && fps <= 240.0) {
                return Err(Error::param(
                    "trace_fps",
                    format!("expected 1 to 240 frames per second, got {fps}"),
                ));
            }
        }
        if !(0.0..1.0).contains(&self.missing) {
            return Err(Error::param(
                "missing",
                format!("expected a probability in [0, 1), got {}", self.missing),
            ));
        }
        Ok(())
    }

    /// Speaker of item `i` (round robin) and its emotion index: each speaker portrays
    /// the classes in turn, so classes are balanced within every speaker.
    pub fn design(&self, i: usize) -> (usize, usize) {
        (
            i % self.n_speakers,
            (i / self.n_speakers) % self.classes.len(),
        )
    }
}

/// One recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub speaker: usize,
    /// Index into [`CorpusSpec::classes`]: the true class (what the annotators judge).
    pub emotion: usize,
    /// The class the voice and face portray: `emotion`, except for the utterances of a
    /// synthetic dialogue that do not show their emotion.
    pub portrayed: usize,
    pub audio: Vec<f32>,
    /// `(n_frames, 68, 2)` row-major, pixels.
    pub landmarks: Vec<f32>,
    pub n_frames: usize,
    /// Each annotator's answer (class index), `None` where skipped.
    pub answers: Vec<Option<usize>>,
    /// Valence/arousal traces and their ratings (with [`CorpusSpec::traces`]).
    pub traces: Option<Traces>,
}

/// The generated corpus.
#[derive(Debug, Clone, PartialEq)]
pub struct Corpus {
    pub items: Vec<Item>,
    pub speakers: Vec<Speaker>,
    /// `(n_annotators, k, k)` row-major: the true confusion matrix of each annotator.
    pub confusions: Vec<f64>,
    pub skills: Vec<Skill>,
    /// The trace annotators (empty without traces).
    pub raters: Vec<Rater>,
}

/// The people of a corpus: voices, faces and the annotator panel.
pub(crate) struct Cast {
    pub speakers: Vec<Speaker>,
    pub subjects: Vec<Subject>,
    pub skills: Vec<Skill>,
    pub confusions: Vec<f64>,
    /// The trace annotators (empty without [`CorpusSpec::traces`]).
    pub raters: Vec<Rater>,
}

impl Cast {
    pub(crate) fn draw(spec: &CorpusSpec) -> Self {
        let k = spec.classes.len();
        // speakers alternate male / female
        let speakers: Vec<Speaker> = (0..spec.n_speakers)
            .map(|s| {
                Speaker::draw(
                    s % 2 == 1,
                    &mut Rng::stream(spec.seed, Domain::Speaker, s as u64),
                )
            })
            .collect();
        let subjects: Vec<Subject> = speakers
            .iter()
            .enumerate()
            .map(|(s, spk)| {
                Subject::draw(
                    spk.female,
                    &mut Rng::stream(spec.seed, Domain::Face, u64::MAX - s as u64),
                )
            })
            .collect();
        let skills = Skill::panel(spec.n_annotators);
        let confusions: Vec<f64> = skills
            .iter()
            .enumerate()
            .flat_map(|(j, &sk)| {
                confusion(
                    sk,
                    k,
                    &mut Rng::stream(spec.seed, Domain::Annotator, j as u64),
                )
            })
            .collect();
        let raters = if spec.traces.is_some() {
            panel(spec.seed, spec.n_annotators)
        } else {
            Vec::new()
        };
        Self {
            speakers,
            subjects,
            skills,
            confusions,
            raters,
        }
    }

    /// Item `i`: speaker `s` voices and faces the class `portrayed`; the annotators judge
    /// an item whose true class is `label`. Draws from item `i`'s own streams.
    pub(crate) fn item(
        &self,
        spec: &CorpusSpec,
        i: usize,
        s: usize,
        portrayed: usize,
        label: usize,
    ) -> Item {
        let k = spec.classes.len();
        let emotion = spec.classes[portrayed];
        let mut voice = Rng::stream(spec.seed, Domain::Voice, i as u64);
        let dur = voice.range(spec.duration.0, spec.duration.1);
        // the latent state draws from its own stream: the other streams stay as without it
        let mut trace_rng = Rng::stream(spec.seed, Domain::Trace, i as u64);
        let latent = spec
            .traces
            .map(|_| Latent::draw(emotion, dur, &mut trace_rng));
        let voice_of = latent.as_ref().map(|l| move |t: f64| l.voice(t));
        let face_of = latent.as_ref().map(|l| move |t: f64| l.intensity(t));
        let utt = synthesize_modulated(
            &self.speakers[s],
            emotion,
            dur,
            spec.sr,
            &mut voice,
            voice_of.as_ref().map(|f| f as &dyn Fn(f64) -> (f64, f64)),
        );
        let mut face = Rng::stream(spec.seed, Domain::Face, i as u64);
        let lm = landmarks_modulated(
            &self.subjects[s],
            emotion,
            dur,
            spec.fps,
            &utt.envelope,
            &mut face,
            face_of.as_ref().map(|f| f as &dyn Fn(f64) -> f64),
        );
        let traces = match (&latent, spec.traces) {
            (Some(l), Some(fps)) => Some(rate(l, dur, fps, &self.raters, &mut trace_rng)),
            _ => None,
        };
        let mut ans = Rng::stream(spec.seed, Domain::Answers, i as u64);
        let answers = (0..spec.n_annotators)
            .map(|j| {
                answer(
                    &self.confusions[j * k * k..(j + 1) * k * k],
                    k,
                    label,
                    spec.missing,
                    &mut ans,
                )
            })
            .collect();
        Item {
            speaker: s,
            emotion: label,
            portrayed,
            audio: utt.samples,
            n_frames: lm.len() / 136,
            landmarks: lm,
            answers,
            traces,
        }
    }

    pub(crate) fn into_corpus(self, items: Vec<Item>) -> Corpus {
        Corpus {
            items,
            speakers: self.speakers,
            confusions: self.confusions,
            skills: self.skills,
            raters: self.raters,
        }
    }
}

/// Builds the corpus of `spec` on the `n_jobs` pool.
///
/// ```
/// use _core::synth::{corpus::{make_corpus, CorpusSpec}, Emotion};
/// let spec = CorpusSpec { n_items: 4, n_speakers: 2, classes: Emotion::DEFAULT.to_vec(),
///     n_annotators: 3, duration: (1.0, 1.0), sr: 16000.0, fps: 30.0, seed: 0, missing: 0.0,
///     traces: None };
/// let c = make_corpus(&spec, Some(1)).unwrap();
/// assert_eq!(c.items[0].audio.len(), 16000);
/// assert_eq!(c.items[0].n_frames, 30);
/// ```
pub fn make_corpus(spec: &CorpusSpec, n_jobs: Option<i64>) -> Result<Corpus> {
    spec.check()?;
    let cast = Cast::draw(spec);
    let index: Vec<usize> = (0..spec.n_items).collect();
    let items = map_batch(&index, n_jobs, |_, &i| {
        let (s, e) = spec.design(i);
        Ok(cast.item(spec, i, s, e, e))
    })?;
    Ok(cast.into_corpus(items))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> CorpusSpec {
        CorpusSpec {
            n_items: 20,
            n_speakers: 4,
            classes: Emotion::DEFAULT.to_vec(),
            n_annotators: 5,
            duration: (1.0, 1.5),
            sr: 16000.0,
            fps: 25.0,
            seed: 9,
            missing: 0.1,
            traces: None,
        }
    }

    #[test]
    fn identical_for_any_thread_count() {
        let a = make_corpus(&spec(), Some(1)).unwrap();
        let b = make_corpus(&spec(), Some(3)).unwrap();
        assert_eq!(a, b);
        let mut other = spec();
        other.seed = 10;
        assert_ne!(
            a.items[0].audio,
            make_corpus(&other, Some(1)).unwrap().items[0].audio
        );
    }

    #[test]
    fn traces_leave_everything_else_alone_without_them() {
        let plain = make_corpus(&spec(), Some(1)).unwrap();
        assert!(plain.items.iter().all(|it| it.traces.is_none()));
        let mut with = spec();
        with.traces = Some(25.0);
        with.duration = (4.0, 4.0);
        let c = make_corpus(&with, Some(2)).unwrap();
        assert_eq!(c, make_corpus(&with, Some(1)).unwrap());
        assert_eq!(c.raters.len(), 5);
        // item 12 portrays anger (speaker 0, the fourth class)
        let tr = c.items[12].traces.as_ref().unwrap();
        assert_eq!(tr.arousal.len(), 100);
        assert_eq!(tr.arousal_ratings.len(), 500);
        // the voice follows arousal: the level the latent state adds to each 0.2 s
        // window (against the same item without traces) rises with arousal
        let mut plain = with.clone();
        plain.traces = None;
        let p = make_corpus(&plain, Some(1)).unwrap();
        let db = |x: &[f32]| {
            x.chunks(3200)
                .map(|w| {
                    let ms = w.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / w.len() as f64;
                    10.0 * ms.max(1e-20).log10()
                })
                .collect::<Vec<f64>>()
        };
        let added: Vec<f64> = db(&c.items[12].audio)
            .iter()
            .zip(db(&p.items[12].audio))
            .map(|(a, b)| a - b)
            .collect();
        let a: Vec<f64> = tr
            .arousal
            .chunks(5)
            .map(|w| w.iter().sum::<f64>() / 5.0)
            .collect();
        let r = crate::metrics::pearson(&a, &added).unwrap();
        assert!(r > 0.8, "{r}");
        assert_eq!(c.items[12].emotion, p.items[12].emotion);
    }

    #[test]
    fn design_is_balanced_and_sizes_match() {
        let c = make_corpus(&spec(), Some(2)).unwrap();
        for s in 0..4 {
            let mut seen: Vec<usize> = c
                .items
                .iter()
                .filter(|it| it.speaker == s)
                .map(|it| it.emotion)
                .collect();
            seen.sort();
            assert_eq!(seen, vec![0, 1, 2, 3, 4]);
        }
        for it in &c.items {
            let secs = it.audio.len() as f64 / 16000.0;
            assert!((1.0..=1.5).contains(&secs));
            assert_eq!(it.n_frames, (secs * 25.0).floor() as usize);
            assert_eq!(it.answers.len(), 5);
        }
        assert_eq!(c.confusions.len(), 5 * 25);
    }

    #[test]
    fn bad_parameters_name_their_argument() {
        let cases: Vec<(&str, Box<dyn Fn(&mut CorpusSpec)>)> = vec![
            ("n_items", Box::new(|s| s.n_items = 0)),
            ("n_speakers", Box::new(|s| s.n_speakers = 0)),
            ("classes", Box::new(|s| s.classes.clear())),
            ("duration", Box::new(|s| s.duration = (2.0, 1.0))),
            ("sr", Box::new(|s| s.sr = 100.0)),
            ("fps", Box::new(|s| s.fps = 0.0)),
            ("missing", Box::new(|s| s.missing = 1.0)),
            ("trace_fps", Box::new(|s| s.traces = Some(0.0))),
        ];
        for (name, f) in cases {
            let mut s = spec();
            f(&mut s);
            let e = make_corpus(&s, Some(1)).unwrap_err().to_string();
            assert!(e.starts_with(name), "{e}");
        }
    }
}
