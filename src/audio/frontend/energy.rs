//! Frame-wise RMS energy, as `librosa.feature.rms` (librosa 0.11): the square root of the
//! mean square of each frame, frames cut by [`Framing`] (librosa's defaults: 2048
//! samples, hop 512, centred with zero padding).

use super::frames::Framing;
use crate::error::Result;
use crate::num::real::Real;

/// RMS of every frame of `signal`.
///
/// ```
/// use _core::audio::frontend::{energy::rms, frames::{Edges, Framing, PadMode}};
/// let y = vec![0.5f32; 4096];
/// let f = Framing::new(2048, 512, Edges::Snip).unwrap();
/// let r = rms(&y, &f).unwrap();
/// assert_eq!(r.len(), 5);
/// assert!(r.iter().all(|v| (v - 0.5).abs() < 1e-12));
/// ```
pub fn rms<T: Real>(signal: &[T], framing: &Framing) -> Result<Vec<f64>> {
    crate::audio::check_finite(signal, "y")?;
    let mut frame = crate::limits::filled(
        framing.frame_length,
        T::default(),
        crate::limits::Source::Arg("frame_length"),
    )?;
    Ok((0..framing.n_frames(signal.len()))
        .map(|t| {
            framing.fill(signal, t, &mut frame);
            let power = frame.iter().map(|v| v.f64() * v.f64()).sum::<f64>();
            (power / frame.len() as f64).sqrt()
        })
        .collect())
}
