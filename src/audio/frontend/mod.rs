//! The spectral front end of librosa, Kaldi and HTK: framing ([`frames`]), the STFT power
//! spectrum ([`spectrum`]), mel filterbanks ([`mel`]), log-mel ([`logmel`]), MFCC
//! ([`mfcc`]), deltas ([`delta`]), CMVN ([`cmvn`]), frame energy ([`energy`]) and the named
//! presets that fix every setting to one reference tool ([`preset`]).

pub mod cmvn;
pub mod delta;
pub mod energy;
pub mod frames;
pub mod logmel;
pub mod mel;
pub mod mfcc;
pub mod preset;
pub mod spectrum;
