//! Sample-rate conversion with rubato's synchronous FFT resampler.
//!
//! `FftFixedInOut` resamples by an exact rational ratio with a Blackman-Harris
//! anti-aliasing filter. The resampler's delay is removed and the output has
//! `ceil(n * sr_out / sr_in)` samples, aligned with the input like soxr/librosa.

use std::cell::RefCell;
use std::collections::HashMap;

use rubato::{FftFixedInOut, Resampler};

use crate::error::{Error, Result};
use crate::limits::{self, Source};

/// Minimum input chunk length; longer chunks give a sharper anti-aliasing filter.
const CHUNK: usize = 4096;

thread_local! {
    /// Planned resamplers by `(from, to)` rate, reset before reuse: planning (the sinc
    /// filter and its FFTs) costs more than resampling a few seconds, and feature
    /// extractors resample every clip between the same two rates.
    static PLANS: RefCell<HashMap<(u32, u32), FftFixedInOut<f64>>> = RefCell::new(HashMap::new());
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// An input chunk length made of an even number of the ratio's smallest input blocks:
/// then both FFT sizes are even, the filter delay is a whole number of output samples,
/// and removing it leaves no half-sample shift.
fn chunk_length(sr_in: usize, sr_out: usize) -> usize {
    let block = sr_in / gcd(sr_in, sr_out);
    let blocks = CHUNK.div_ceil(block).max(1);
    (blocks + blocks % 2) * block
}

/// Bytes rubato's `FftFixedInOut` holds for FFT blocks of `n_in` and `n_out` samples: its
/// sinc table, filter, buffers and spectra come to about 100 bytes per input-block
/// sample and 60 per output-block sample (counted from rubato 0.16's buffers), plus the
/// FFT plans; 128 per sample of either block bounds them.
fn plan_bytes(n_in: u128, n_out: u128) -> u128 {
    128 * (n_in + n_out)
}

/// Resamples `x` from `sr_in` to `sr_out` Hz. Rates share a common factor in practice;
/// two rates that share none (a prime rate) need FFT blocks as long as the rates
/// themselves, and a pair whose plan would exceed [`crate::limits`]'s ceiling is a
/// `ParameterError` naming `orig_sr`.
pub fn resample(x: &[f32], sr_in: u32, sr_out: u32) -> Result<Vec<f32>> {
    if sr_in == 0 {
        return Err(Error::param("orig_sr", "must be a positive sample rate"));
    }
    if sr_out == 0 {
        return Err(Error::param("sr", "must be a positive sample rate"));
    }
    if sr_in == sr_out || x.is_empty() {
        return Ok(x.to_vec());
    }
    let expected = (x.len() as u128 * sr_out as u128).div_ceil(sr_in as u128);
    let expected = limits::check::<f64>(
        usize::try_from(expected).unwrap_or(usize::MAX),
        Source::Arg("target_sr"),
    )?;
    let n_in = chunk_length(sr_in as usize, sr_out as usize) as u128;
    let n_out = n_in * sr_out as u128 / sr_in as u128;
    let limit = limits::max_alloc()?;
    if plan_bytes(n_in, n_out) > limit as u128 {
        return Err(Error::param(
            "orig_sr",
            format!(
                "cannot resample {sr_in} Hz -> {sr_out} Hz: the rates share no small common \
                 factor, and the exact rational resampler would need blocks of {n_in} and \
                 {n_out} samples ({}), above affectkit's limit of {} per buffer ({})",
                limits::human(plan_bytes(n_in, n_out)),
                limits::human(limit as u128),
                limits::MAX_ALLOC_ENV
            ),
        ));
    }
    let mut rs = match PLANS.with(|p| p.borrow_mut().remove(&(sr_in, sr_out))) {
        Some(mut planned) => {
            planned.reset();
            planned
        }
        None => FftFixedInOut::<f64>::new(
            sr_in as usize,
            sr_out as usize,
            chunk_length(sr_in as usize, sr_out as usize),
            1,
        )
        .map_err(|e| {
            Error::param(
                "sr",
                format!("cannot resample {sr_in} Hz -> {sr_out} Hz: {e}"),
            )
        })?,
    };
    let delay = rs.output_delay();
    let mut out: Vec<f64> = limits::with_capacity(
        expected + delay + rs.output_frames_max(),
        Source::Arg("target_sr"),
    )?;
    let mut chunk = vec![0.0f64; rs.input_frames_max()];
    let mut pos = 0;
    let resample_err = |e: rubato::ResampleError| Error::Internal(format!("resampler: {e}"));
    while out.len() < delay + expected {
        let need = rs.input_frames_next();
        chunk.resize(need, 0.0);
        let take = need.min(x.len().saturating_sub(pos));
        for (c, v) in chunk.iter_mut().zip(&x[pos..pos + take]) {
            *c = *v as f64;
        }
        chunk[take..].iter_mut().for_each(|c| *c = 0.0);
        pos += take;
        let y = rs.process(&[&chunk[..]], None).map_err(resample_err)?;
        out.extend_from_slice(&y[0]);
    }
    PLANS.with(|p| {
        let mut plans = p.borrow_mut();
        if plans.len() >= 8 {
            plans.clear();
        }
        plans.insert((sr_in, sr_out), rs);
    });
    Ok(out[delay..delay + expected]
        .iter()
        .map(|&v| v as f32)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sine_survives_resampling() {
        let (sr_in, sr_out) = (44100u32, 16000u32);
        let f = 440.0;
        let x: Vec<f32> = (0..44100)
            .map(|i| (2.0 * std::f64::consts::PI * f * i as f64 / sr_in as f64).sin() as f32)
            .collect();
        let y = resample(&x, sr_in, sr_out).unwrap();
        assert_eq!(y.len(), 16000);
        // compare away from the edges
        let mut err = 0.0f64;
        let mut sig = 0.0f64;
        for (i, v) in y.iter().enumerate().skip(200).take(15000) {
            let r = (2.0 * std::f64::consts::PI * f * i as f64 / sr_out as f64).sin();
            err += (*v as f64 - r).powi(2);
            sig += r * r;
        }
        let snr = 10.0 * (sig / err).log10();
        assert!(snr > 60.0, "snr {snr}");
    }

    #[test]
    fn a_reused_plan_gives_the_same_output_as_a_fresh_one() {
        let x: Vec<f32> = (0..20000)
            .map(|i| ((i * 7919) % 1000) as f32 / 500.0 - 1.0)
            .collect();
        let first = resample(&x, 16000, 11000).unwrap();
        // The second call reuses the cached plan; a different signal in between leaves
        // state in it that the reset must clear.
        let _ = resample(&x[..5000], 16000, 11000).unwrap();
        assert_eq!(resample(&x, 16000, 11000).unwrap(), first);
        PLANS.with(|p| p.borrow_mut().clear());
        assert_eq!(resample(&x, 16000, 11000).unwrap(), first);
    }
}
