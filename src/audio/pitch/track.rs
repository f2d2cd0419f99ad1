//! The F0 track every tracker returns (YIN, pYIN and Praat's "To Pitch (ac)").

/// An F0 track. `f0` holds the best estimate for every frame, voiced or not (librosa's
/// `fill_na=None` form); [`F0Track::f0_or_nan`] gives NaN on unvoiced frames.
#[derive(Debug, Clone, PartialEq)]
pub struct F0Track {
    pub f0: Vec<f64>,
    pub voiced: Vec<bool>,
    /// Voicing probability (pYIN) or periodicity `1 - d'(tau)` clipped to [0, 1] (YIN).
    pub prob: Vec<f64>,
    /// Time of each frame's centre in seconds.
    pub times: Vec<f64>,
}

impl F0Track {
    /// F0 with NaN on unvoiced frames.
    pub fn f0_or_nan(&self) -> Vec<f64> {
        self.f0
            .iter()
            .zip(&self.voiced)
            .map(|(&f, &v)| if v { f } else { f64::NAN })
            .collect()
    }
}
