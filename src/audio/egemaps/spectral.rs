//! The spectral-balance LLDs of eGeMAPS from the 20 ms magnitude spectrum (257 bins of
//! 31.25 Hz): alpha ratio, Hammarberg index, spectral slopes 0-500 and 500-1500 Hz
//! (Eyben et al. 2016, GeMAPS section 3.1.2) and spectral flux (eGeMAPS).
//!
//! The exact band edges and formulas are openSMILE's `cSpectral` with the eGeMAPS options
//! (`useLogSpectrum 1`, `squareInput 1`, `freqRange 0-5000`, `oldSlopeScale 0`), measured
//! black-box (fact sheet `egemaps-facts-5-spectral.md`, reproduced on 4402/4402 frames):
//! with `P_k = |X_k|^2`,
//!
//! - alpha ratio `= 10 log10(sum_{k=32..160} P_k / sum_{k=0..31} P_k)` (1-5 kHz over 0-1 kHz,
//!   5 kHz included);
//! - Hammarberg index `= 10 log10(max_{k=0..63} P_k / max_{k=64..160} P_k)`;
//! - slopes: with `y_k = 10 log10(max(P_k, 1e-14))`, the least-squares formula with the
//!   count replaced by count - 1 over the bins of the band, both edges included:
//!   `slope0-500 = sum_{k=0..16} (k - 8.5) y_k / 10625`,
//!   `slope500-1500 = sum_{k=16..48} (k - 33) y_k / 60500` (dB/Hz);
//! - flux (measured here, `egemapsv02_logSpectral_flux`, constant ratio on 2925 frames):
//!   `sqrt(sum_{k=0..159} (|X_k(t)| - |X_k(t-1)|)^2 / 160)`, 0 on the first frame.

/// Alpha ratio (dB); 0 when either band is empty (a digitally silent frame).
#[inline(never)]
pub fn alpha_ratio(power: &[f64]) -> f64 {
    let low: f64 = power[..32].iter().sum();
    let high: f64 = power[32..=160].iter().sum();
    ratio_db(high, low)
}

/// Hammarberg index (dB); 0 on a digitally silent frame.
#[inline(never)]
pub fn hammarberg_index(power: &[f64]) -> f64 {
    let max = |s: &[f64]| s.iter().fold(0.0f64, |m, &v| m.max(v));
    ratio_db(max(&power[..64]), max(&power[64..=160]))
}

fn ratio_db(num: f64, den: f64) -> f64 {
    if num > 0.0 && den > 0.0 {
        10.0 * (num / den).log10()
    } else {
        0.0
    }
}

/// The two eGeMAPS slopes `(0-500 Hz, 500-1500 Hz)` in dB/Hz.
#[inline(never)]
pub fn slopes(power: &[f64]) -> (f64, f64) {
    let db = |k: usize| 10.0 * power[k].max(1e-14).log10();
    let s0: f64 = (0..=16).map(|k| (k as f64 - 8.5) * db(k)).sum::<f64>() / 10625.0;
    let s1: f64 = (16..=48).map(|k| (k as f64 - 33.0) * db(k)).sum::<f64>() / 60500.0;
    (s0, s1)
}

/// Spectral flux between two consecutive magnitude spectra.
#[inline(never)]
pub fn flux(magnitude: &[f64], previous: &[f64]) -> f64 {
    let s: f64 = magnitude[..160]
        .iter()
        .zip(&previous[..160])
        .map(|(a, b)| (a - b) * (a - b))
        .sum();
    (s / 160.0).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_values() {
        let p = vec![0.0; 257];
        assert_eq!(alpha_ratio(&p), 0.0);
        assert_eq!(hammarberg_index(&p), 0.0);
        let (a, b) = slopes(&p);
        // openSMILE's values on digital silence (measured)
        assert!((a - 0.112).abs() < 1e-12 && (b - 0.0763636).abs() < 1e-6);
    }

    #[test]
    fn band_edges() {
        // a 2000 Hz tone (bin 64) belongs to the high band of the Hammarberg index
        let mut p = vec![0.0; 257];
        p[64] = 1.0;
        p[10] = 0.5;
        assert!((hammarberg_index(&p) - 10.0 * 0.5f64.log10()).abs() < 1e-12);
        let mut q = vec![1.0; 257];
        q[160] = 2.0;
        assert!((alpha_ratio(&q) - 10.0 * (130.0f64 / 32.0).log10()).abs() < 1e-12);
    }
}
