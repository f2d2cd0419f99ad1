//! The two parameter sets ([`Version`]: eGeMAPS v02, GeMAPS v01b) and their column
//! names in openSMILE's spelling: the LLDs and the functionals.

// The ten functionals of F0 and loudness: one list, shared with `functionals`.
use crate::error::{Error, Result};
pub(super) use crate::functionals::EGEMAPS_CONTOUR as CONTOUR;

/// Columns of the 20 ms descriptor set (`egemapsv02_lldsetE`).
pub(super) const N_SHORT: usize = 10;
/// Columns of the pitch-rate set (`egemapsv02_lldsetF`): F0 semitones, jitter, shimmer,
/// HNR, H1-H2, H1-A3, then F1-F3 as (frequency, bandwidth, amplitude).
pub(super) const N_VOICE: usize = 15;
pub(super) const V_F0: usize = 0;
pub(super) const V_F1: usize = 6;

/// The 25 eGeMAPS v02 LLD names, openSMILE's spelling and order.
pub const EGEMAPS_LLD: [&str; 25] = [
    "Loudness_sma3",
    "alphaRatio_sma3",
    "hammarbergIndex_sma3",
    "slope0-500_sma3",
    "slope500-1500_sma3",
    "spectralFlux_sma3",
    "mfcc1_sma3",
    "mfcc2_sma3",
    "mfcc3_sma3",
    "mfcc4_sma3",
    "F0semitoneFrom27.5Hz_sma3nz",
    "jitterLocal_sma3nz",
    "shimmerLocaldB_sma3nz",
    "HNRdBACF_sma3nz",
    "logRelF0-H1-H2_sma3nz",
    "logRelF0-H1-A3_sma3nz",
    "F1frequency_sma3nz",
    "F1bandwidth_sma3nz",
    "F1amplitudeLogRelF0_sma3nz",
    "F2frequency_sma3nz",
    "F2bandwidth_sma3nz",
    "F2amplitudeLogRelF0_sma3nz",
    "F3frequency_sma3nz",
    "F3bandwidth_sma3nz",
    "F3amplitudeLogRelF0_sma3nz",
];

/// The 18 GeMAPS v01b LLD names, openSMILE's spelling and order.
pub const GEMAPS_LLD: [&str; 18] = [
    "Loudness_sma3",
    "alphaRatio_sma3",
    "hammarbergIndex_sma3",
    "slope0-500_sma3",
    "slope500-1500_sma3",
    "F0semitoneFrom27.5Hz_sma3nz",
    "jitterLocal_sma3nz",
    "shimmerLocaldB_sma3nz",
    "HNRdBACF_sma3nz",
    "logRelF0-H1-H2_sma3nz",
    "logRelF0-H1-A3_sma3nz",
    "F1frequency_sma3nz",
    "F1bandwidth_sma3nz",
    "F1amplitudeLogRelF0_sma3nz",
    "F2frequency_sma3nz",
    "F2amplitudeLogRelF0_sma3nz",
    "F3frequency_sma3nz",
    "F3amplitudeLogRelF0_sma3nz",
];

/// The 20 ms columns with V/UV functionals: alpha ratio .. mfcc4 (v02), .. slope (v01b).
pub(super) const SPECTRAL_V_NAMES: [&str; 9] = [
    "alphaRatioV",
    "hammarbergIndexV",
    "slopeV0-500",
    "slopeV500-1500",
    "spectralFluxV",
    "mfcc1V",
    "mfcc2V",
    "mfcc3V",
    "mfcc4V",
];
pub(super) const SPECTRAL_UV_NAMES: [&str; 5] = [
    "alphaRatioUV",
    "hammarbergIndexUV",
    "slopeUV0-500",
    "slopeUV500-1500",
    "spectralFluxUV",
];
pub(super) const TEMPORAL_NAMES: [&str; 6] = [
    "loudnessPeaksPerSec",
    "VoicedSegmentsPerSec",
    "MeanVoicedSegmentLengthSec",
    "StddevVoicedSegmentLengthSec",
    "MeanUnvoicedSegmentLength",
    "StddevUnvoicedSegmentLength",
];

/// Which parameter set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// eGeMAPS v02: 25 LLDs, 88 functionals.
    EgemapsV02,
    /// GeMAPS v01b: 18 LLDs, 62 functionals.
    GemapsV01b,
}

impl std::str::FromStr for Version {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "v02" | "egemaps" | "eGeMAPSv02" => Ok(Version::EgemapsV02),
            "v01b" | "gemaps" | "GeMAPSv01b" => Ok(Version::GemapsV01b),
            other => Err(Error::param(
                "version",
                format!("expected \"v02\" (eGeMAPS v02) or \"v01b\" (GeMAPS v01b), got {other:?}"),
            )),
        }
    }
}

impl Version {
    /// The LLD names.
    pub fn lld_names(self) -> &'static [&'static str] {
        match self {
            Version::EgemapsV02 => &EGEMAPS_LLD,
            Version::GemapsV01b => &GEMAPS_LLD,
        }
    }

    /// Indices into the 10 + 15 internal columns of each LLD column.
    pub(super) fn lld_columns(self) -> Vec<usize> {
        match self {
            Version::EgemapsV02 => (0..25).collect(),
            // loudness..slopes, F0..H1-A3, F1 (freq, bw, amp), F2 (freq, amp), F3 (freq, amp)
            Version::GemapsV01b => vec![
                0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24,
            ],
        }
    }

    /// Pitch-rate columns (index into the 15) with voiced functionals.
    pub(super) fn voice_functional_columns(self) -> Vec<usize> {
        match self {
            Version::EgemapsV02 => (1..N_VOICE).collect(),
            Version::GemapsV01b => vec![1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14],
        }
    }

    /// Number of 20 ms columns (from alpha ratio on) with V functionals (9 or 4).
    pub(super) fn n_spectral_v(self) -> usize {
        match self {
            Version::EgemapsV02 => 9,
            Version::GemapsV01b => 4,
        }
    }

    pub(super) fn n_spectral_uv(self) -> usize {
        match self {
            Version::EgemapsV02 => 5,
            Version::GemapsV01b => 4,
        }
    }
}

/// The functional names of `version`, openSMILE's spelling and order.
pub fn functional_names(version: Version) -> Vec<String> {
    let mut names = Vec::with_capacity(88);
    for prefix in ["F0semitoneFrom27.5Hz_sma3nz", "loudness_sma3"] {
        names.extend(CONTOUR.iter().map(|f| format!("{prefix}_{f}")));
    }
    let pair = |names: &mut Vec<String>, base: &str| {
        names.push(format!("{base}_amean"));
        names.push(format!("{base}_stddevNorm"));
    };
    if version == Version::EgemapsV02 {
        for name in &EGEMAPS_LLD[5..10] {
            pair(&mut names, name);
        }
    }
    for j in version.voice_functional_columns() {
        pair(&mut names, EGEMAPS_LLD[10 + j]);
    }
    for n in &SPECTRAL_V_NAMES[..version.n_spectral_v()] {
        pair(&mut names, &format!("{n}_sma3nz"));
    }
    for n in &SPECTRAL_UV_NAMES[..version.n_spectral_uv()] {
        names.push(format!("{n}_sma3nz_amean"));
    }
    names.extend(TEMPORAL_NAMES.map(String::from));
    if version == Version::EgemapsV02 {
        names.push("equivalentSoundLevel_dBp".into());
    }
    names
}
