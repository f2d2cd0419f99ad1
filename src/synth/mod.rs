//! A synthetic acted-emotion corpus: speech, face landmarks and crowd annotations whose
//! ground truth is known, for demos and tests.
//!
//! It is synthetic: the voices are source-filter buzz through formant resonators and the
//! faces are a generic 3-D face deformed by prototype expressions. The emotion cues move in
//! the directions the literature reports, so models can learn them, but accuracies on
//! this corpus say nothing about accuracy on real recordings.
//!
//! - [`speech`]: voices whose F0 level and range, tempo, loudness, jitter, shimmer,
//!   spectral tilt and breathiness follow Juslin and Laukka (2003, Psychological Bulletin
//!   129(5), 770-814, Table 7);
//! - [`face`]: 68-point iBUG landmark sequences with Ekman's prototype expressions
//!   (FACS action units), head motion, blinks and a mouth that moves with the speech;
//! - [`annotators`]: good, average and near-random annotators, each a confusion matrix;
//! - [`traces`]: time-continuous valence and arousal, lagged annotator ratings;
//! - [`corpus`]: the items, built in parallel, identical for any thread count;
//! - [`dialogue`]: two-party conversations with emotional inertia and contagion.

pub mod annotators;
pub mod corpus;
pub mod dialogue;
pub mod face;
pub mod rng;
pub mod speech;
pub mod traces;

use crate::error::{Error, Result};

/// The emotions an acted corpus can portray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emotion {
    Neutral,
    Happy,
    Sad,
    Angry,
    Fearful,
    Disgust,
    Surprised,
}

impl Emotion {
    /// Every emotion, in the order of [`Emotion::name`].
    pub const ALL: [Emotion; 7] = [
        Emotion::Neutral,
        Emotion::Happy,
        Emotion::Sad,
        Emotion::Angry,
        Emotion::Fearful,
        Emotion::Disgust,
        Emotion::Surprised,
    ];

    /// The five classes used when none are named.
    pub const DEFAULT: [Emotion; 5] = [
        Emotion::Neutral,
        Emotion::Happy,
        Emotion::Sad,
        Emotion::Angry,
        Emotion::Fearful,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Emotion::Neutral => "neutral",
            Emotion::Happy => "happy",
            Emotion::Sad => "sad",
            Emotion::Angry => "angry",
            Emotion::Fearful => "fearful",
            Emotion::Disgust => "disgust",
            Emotion::Surprised => "surprised",
        }
    }

    /// The emotion called `name` (see the [`FromStr`](std::str::FromStr) impl); `argument`
    /// names the parameter in the error.
    pub fn named(name: &str, argument: &str) -> Result<Self> {
        Emotion::ALL
            .iter()
            .copied()
            .find(|e| e.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Emotion::ALL.iter().map(|e| e.name()).collect();
                Error::param(
                    argument,
                    format!("unknown emotion {name:?}; expected one of {known:?}"),
                )
            })
    }
}

/// One of [`Emotion::ALL`] by its [`Emotion::name`]; the error names the argument `emotion`.
impl std::str::FromStr for Emotion {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        Self::named(name, "emotion")
    }
}
