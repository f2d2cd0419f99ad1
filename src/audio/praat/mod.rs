//! The Praat family: "To Intensity" ([`intensity`]), "To Harmonicity" cc/ac
//! ([`harmonicity`]), "To Formant (burg)" ([`formants`]) and the voice report (point
//! process, jitter, shimmer, HNR, prosody summaries: [`voice`]). Praat's "To Pitch (ac)"
//! lives in [`crate::audio::pitch`].

pub mod formants;
pub mod harmonicity;
pub mod intensity;
pub mod voice;
