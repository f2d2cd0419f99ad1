//! Loudness as eGeMAPS defines it: the sum over an auditory spectrum.
//!
//! Eyben et al. (2016), GeMAPS, section 3.1.1: "an estimate of perceived signal
//! intensity from an auditory spectrum". The auditory spectrum follows Hermansky's PLP
//! (Hermansky 1990, "Perceptual linear predictive (PLP) analysis of speech", JASA 87(4)):
//! mel band energies weighted by the equal-loudness curve
//! `E(w) = (w^2 + 56.8e6) w^4 / ((w^2 + 6.3e6)^2 (w^2 + 0.38e9))` at each band's centre
//! (`w = 2 pi f`) and compressed by the intensity-loudness power law `^0.33`.
//!
//! ```
//! use _core::audio::loudness::equal_loudness;
//! // the curve rises through the speech range: 0.006 at 200 Hz, 0.17 at 1 kHz, 0.67 at 4 kHz
//! assert!(equal_loudness(200.0) < equal_loudness(1000.0));
//! assert!((equal_loudness(1000.0) - 0.171).abs() < 0.001);
//! assert!((equal_loudness(4000.0) - 0.667).abs() < 0.001);
//! ```

/// Stevens' intensity-loudness power law exponent (PLP's cube-root compression).
pub const POWER_LAW: f64 = 0.33;

/// Hermansky's equal-loudness weight at `f` Hz.
pub fn equal_loudness(f: f64) -> f64 {
    let w2 = (2.0 * std::f64::consts::PI * f).powi(2);
    (w2 + 56.8e6) * w2 * w2 / ((w2 + 6.3e6).powi(2) * (w2 + 0.38e9))
}

/// Loudness from auditory band energies: `scale * sum_i (weight_i e_i)^0.33`.
pub fn loudness(band_energies: &[f64], weights: &[f64], scale: f64) -> f64 {
    scale
        * band_energies
            .iter()
            .zip(weights)
            .map(|(e, w)| (e * w).max(0.0).powf(POWER_LAW))
            .sum::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loudness_grows_as_a_power_law() {
        let w = [1.0, 0.5];
        let a = loudness(&[1.0, 2.0], &w, 1.0);
        let b = loudness(&[8.0, 16.0], &w, 1.0);
        // 8x the energy -> 8^0.33 the loudness
        assert!((b / a - 8f64.powf(POWER_LAW)).abs() < 1e-12);
        assert_eq!(loudness(&[0.0, 0.0], &w, 1.0), 0.0);
    }
}
