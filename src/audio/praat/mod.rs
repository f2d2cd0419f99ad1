//! The Praat family, reimplemented from the Praat manual's definitions: "To Pitch (ac)"
//! ([`pitch_ac`]), "To Intensity" ([`intensity`]), "To Harmonicity" cc/ac
//! ([`harmonicity`]), "To Formant (burg)" ([`formants`]), "To PointProcess (periodic,
//! cc)" ([`pulses`]), jitter and shimmer ([`perturbation`]) and the voice report and
//! prosody summaries built from them ([`voice`]).

pub mod formants;
pub mod harmonicity;
pub mod intensity;
pub mod perturbation;
pub mod pitch_ac;
pub mod pulses;
pub mod voice;
