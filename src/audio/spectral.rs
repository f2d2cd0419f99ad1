//! Spectral-balance descriptors of one power spectrum, as defined for eGeMAPS.
//!
//! Eyben et al. (2016), "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS)",
//! IEEE Trans. Affective Computing 7(2), section 3.1.2: alpha ratio (Patel et al. 2011),
//! Hammarberg index (Hammarberg et al. 1980), spectral slopes 0-500 Hz and 500-1500 Hz,
//! spectral flux. Each function takes a power spectrum `power[k]` at bin frequencies
//! `k * bin_hz` (and flux the magnitude spectra of two consecutive frames).
//!
//! ```
//! use _core::audio::spectral::alpha_ratio;
//! // flat power spectrum, 0-8 kHz in 10 Hz bins: 4 kHz above 1 kHz vs 1 kHz below
//! let p = vec![1.0; 801];
//! assert!((alpha_ratio(&p, 10.0) - 10.0 * 4f64.log10()).abs() < 0.1);
//! ```

/// Power below this (signal full scale 1.0) counts as silence in dB ratios.
const POWER_FLOOR: f64 = 1e-12;

/// Bins `k` with `lo <= k * bin_hz < hi`.
fn band(n_bins: usize, bin_hz: f64, lo: f64, hi: f64) -> std::ops::Range<usize> {
    let a = ((lo / bin_hz).ceil().max(0.0) as usize).min(n_bins);
    let b = ((hi / bin_hz).ceil().max(0.0) as usize).min(n_bins);
    a..b.max(a)
}

fn db(p: f64) -> f64 {
    10.0 * p.max(POWER_FLOOR).log10()
}

/// Alpha ratio: energy 1-5 kHz over energy 0-1 kHz, in dB.
pub fn alpha_ratio(power: &[f64], bin_hz: f64) -> f64 {
    let n = power.len();
    let low: f64 = power[band(n, bin_hz, 0.0, 1000.0)].iter().sum();
    let high: f64 = power[band(n, bin_hz, 1000.0, 5000.0)].iter().sum();
    db(high) - db(low)
}

/// Hammarberg index: strongest bin 0-2 kHz over strongest bin 2-5 kHz, in dB.
pub fn hammarberg_index(power: &[f64], bin_hz: f64) -> f64 {
    let n = power.len();
    let max = |r: std::ops::Range<usize>| power[r].iter().fold(0.0f64, |m, &v| m.max(v));
    db(max(band(n, bin_hz, 0.0, 2000.0))) - db(max(band(n, bin_hz, 2000.0, 5000.0)))
}

/// Least-squares slope (dB per Hz) of the dB power spectrum over `lo..=hi` Hz.
pub fn spectral_slope(power: &[f64], bin_hz: f64, lo: f64, hi: f64) -> f64 {
    // `hi` inclusive: with 31.25 Hz bins the 500 Hz and 1500 Hz bins belong to the band,
    // which matched openSMILE's slopes better (measured).
    let r = band(power.len(), bin_hz, lo, hi + 1e-9 * bin_hz);
    let m = r.len() as f64;
    if m < 2.0 {
        return f64::NAN;
    }
    let mean_f = r.clone().map(|k| k as f64 * bin_hz).sum::<f64>() / m;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for k in r {
        let f = k as f64 * bin_hz - mean_f;
        sxy += f * db(power[k]);
        sxx += f * f;
    }
    sxy / sxx
}

/// Spectral flux: Euclidean distance between consecutive magnitude spectra.
pub fn spectral_flux(magnitude: &[f64], previous: &[f64]) -> f64 {
    magnitude
        .iter()
        .zip(previous)
        .map(|(a, b)| (a - b) * (a - b))
        .sum::<f64>()
        .sqrt()
}

/// Amplitude of the harmonic near `freq` Hz: the largest magnitude within
/// `freq +- half_width` Hz (harmonics of a windowed frame are peaks a few bins wide).
pub fn harmonic_amplitude(magnitude: &[f64], bin_hz: f64, freq: f64, half_width: f64) -> f64 {
    let r = band(
        magnitude.len(),
        bin_hz,
        freq - half_width,
        freq + half_width,
    );
    magnitude[r].iter().fold(0.0f64, |m, &v| m.max(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_known_tilt() {
        // -6 dB per 500 Hz tilt, 10 Hz bins
        let p: Vec<f64> = (0..801)
            .map(|k| 10f64.powf(-6.0 * (k as f64 * 10.0) / 500.0 / 10.0))
            .collect();
        assert!((spectral_slope(&p, 10.0, 0.0, 500.0) + 6.0 / 500.0).abs() < 1e-9);
        assert!((spectral_slope(&p, 10.0, 500.0, 1500.0) + 6.0 / 500.0).abs() < 1e-9);
    }

    #[test]
    fn hammarberg_and_alpha_of_two_tones() {
        let mut p = vec![0.0; 801];
        p[50] = 1.0; // 500 Hz
        p[300] = 0.01; // 3 kHz, 20 dB down
        assert!((hammarberg_index(&p, 10.0) - 20.0).abs() < 1e-9);
        assert!((alpha_ratio(&p, 10.0) + 20.0).abs() < 1e-9);
    }

    #[test]
    fn harmonic_amplitude_picks_the_peak() {
        let mut m = vec![0.0; 100];
        m[20] = 2.0;
        m[21] = 1.0;
        assert_eq!(harmonic_amplitude(&m, 10.0, 205.0, 20.0), 2.0);
        assert_eq!(harmonic_amplitude(&m, 10.0, 500.0, 20.0), 0.0);
    }

    #[test]
    fn flux_is_distance() {
        assert_eq!(spectral_flux(&[3.0, 4.0], &[0.0, 0.0]), 5.0);
        assert_eq!(spectral_flux(&[1.0, 1.0], &[1.0, 1.0]), 0.0);
    }
}
