//! Loudness and MFCC 1-4 of eGeMAPS from the 20 ms magnitude spectrum.
//!
//! Loudness (Eyben et al. 2016, section 3.1.1): an auditory spectrum after Hermansky's PLP
//! (1990): 26 mel bands of the power spectrum, equal-loudness weighting and the
//! intensity-loudness power law `^0.33`, summed. MFCC 1-4: HTK's definition (Young et
//! al., The HTK Book) on 26 mel bands, lifter 22.
//!
//! What openSMILE's `cMelspec` / `cPlp` / `cMfcc` with the eGeMAPS options compute, measured
//! black-box on the `opensmile` 2.6 pip package (levels `gemapsv01b_melspec1`,
//! `gemapsv01b_audspec`, `gemapsv01b_loudness`, `egemapsv02_melspecMfcc`,
//! `egemapsv02_mfcc`; 2925 frames of 7 clips):
//!
//! - band energies: triangles on the HTK mel scale (`1127 ln(1 + f/700)`), 26 bands with
//!   edges evenly spaced from mel(20 Hz) to mel(8000 Hz), weights of the power `|X_k|^2`
//!   peaking near 1 (not area-normalised), bins 0 and 1 left out (relative error 1e-5);
//! - loudness = `sum_b w_b E_b^0.33` with one measured weight per band (the equal-loudness
//!   curve at the band centre, PLP's cube-root compression, openSMILE's constant and its
//!   mean over the 26 bands folded in; spread of each weight over the frames 6e-8);
//! - MFCC: `ln(max(E_b 32767^2, 1))` (the samples on the int16 scale, HTK), the DCT-II
//!   `sqrt(2/26) cos(pi k (b + 0.5) / 26)`, lifter `1 + 11 sin(pi k / 22)`.

/// Measured loudness weight of each band (see the module docs).
const LOUDNESS_WEIGHTS: [f64; 26] = [
    0.00496985, 0.0104634, 0.01613569, 0.0213249, 0.02575881, 0.02945754, 0.03257801, 0.03530112,
    0.03777883, 0.04011921, 0.04238843, 0.04461808, 0.04681272, 0.04895526, 0.05100814, 0.05290695,
    0.05454063, 0.05571081, 0.0560722, 0.055104, 0.05225946, 0.04739768, 0.04112134, 0.03445875,
    0.02824032, 0.02285889,
];
/// Band energy floor of the loudness (a digitally silent frame gives openSMILE's
/// 0.00103397, measured).
const LOUDNESS_FLOOR: f64 = 9.3e-10;
const N_BANDS: usize = 26;

/// The planned filterbank and cepstrum.
pub struct Auditory {
    /// `(band, first bin, weights)`.
    bands: Vec<(usize, Vec<f64>)>,
    /// Liftered DCT rows of MFCC 1-4, `(4, 26)`.
    cepstrum: Vec<f64>,
}

impl Default for Auditory {
    fn default() -> Self {
        Self::new()
    }
}

impl Auditory {
    pub fn new() -> Self {
        let mel = |f: f64| 1127.0 * (1.0 + f / 700.0).ln();
        let (lo, hi) = (mel(20.0), mel(8000.0));
        let edge = |i: usize| lo + (hi - lo) * i as f64 / (N_BANDS + 1) as f64;
        let bands = (0..N_BANDS)
            .map(|b| {
                let (l, c, r) = (edge(b), edge(b + 1), edge(b + 2));
                let w: Vec<f64> = (0..super::framing::SHORT_BINS)
                    .map(|k| {
                        if k < 2 {
                            return 0.0;
                        }
                        let m = mel(k as f64 * 31.25);
                        ((m - l) / (c - l)).min((r - m) / (r - c)).max(0.0)
                    })
                    .collect();
                let first = w.iter().position(|&v| v > 0.0).unwrap_or(0);
                let last = w.iter().rposition(|&v| v > 0.0).unwrap_or(0);
                (first, w[first..=last.max(first)].to_vec())
            })
            .collect();
        let cepstrum = (1..=4)
            .flat_map(|k| {
                let lift = 1.0 + 11.0 * (std::f64::consts::PI * k as f64 / 22.0).sin();
                (0..N_BANDS).map(move |j| {
                    lift * (2.0 / N_BANDS as f64).sqrt()
                        * (std::f64::consts::PI * k as f64 * (j as f64 + 0.5) / N_BANDS as f64)
                            .cos()
                })
            })
            .collect();
        Auditory { bands, cepstrum }
    }

    /// `(loudness, [mfcc1..4])` of one power spectrum (257 bins).
    #[inline(never)]
    pub fn frame(&self, power: &[f64]) -> (f64, [f64; 4]) {
        let mut energies = [0.0f64; N_BANDS];
        for (e, (first, w)) in energies.iter_mut().zip(&self.bands) {
            *e = crate::fastmath::dot(w, &power[*first..*first + w.len()]);
        }
        let loud = energies
            .iter()
            .zip(&LOUDNESS_WEIGHTS)
            .map(|(e, w)| w * e.max(LOUDNESS_FLOOR).powf(0.33))
            .sum();
        let logs: Vec<f64> = energies
            .iter()
            .map(|e| (e * 32767.0 * 32767.0).max(1.0).ln())
            .collect();
        let mut mfcc = [0.0; 4];
        for (k, m) in mfcc.iter_mut().enumerate() {
            *m = crate::fastmath::dot(&self.cepstrum[k * N_BANDS..(k + 1) * N_BANDS], &logs);
        }
        (loud, mfcc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silence_and_scaling() {
        let a = Auditory::new();
        let (l, m) = a.frame(&[0.0; 257]);
        assert!((l - 0.00103397).abs() < 2e-7, "{l}");
        assert_eq!(m, [0.0; 4]);
        let p1 = vec![1e-4; 257];
        let p2 = vec![8e-4; 257];
        let (l1, _) = a.frame(&p1);
        let (l2, _) = a.frame(&p2);
        assert!((l2 / l1 - 8f64.powf(0.33)).abs() < 1e-9);
    }
}
