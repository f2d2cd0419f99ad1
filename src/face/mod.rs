//! Facial landmark geometry: landmark layouts ([`scheme`]), similarity alignment
//! ([`align`]), named expression measures ([`geometry`]), head pose ([`pose`]), temporal
//! dynamics ([`dynamics`]) and the OpenFace 2.x CSV reader ([`openface`]).
//!
//! Landmarks travel as [`Landmarks`]: a flat, row-major `(n_frames, n_points, dim)` view
//! of `f64` with `dim` 2 or 3. A frame with any non-finite point of the 68-point layout is a
//! frame without a face: its outputs are NaN and the other frames are unaffected.

pub mod align;
pub mod dynamics;
pub mod geometry;
pub mod openface;
pub mod pose;
pub mod scheme;

use crate::error::{Error, Result};

pub use scheme::Scheme;

/// Largest coordinate magnitude a landmark may have (pixels or model units). Frames with
/// NaN or infinite points are frames without a face (NaN results); a finite coordinate
/// beyond this is a `ParameterError` naming the frame and point.
pub const MAX_COORDINATE: f64 = 1e9;

/// A borrowed `(n_frames, n_points, dim)` block of landmarks, row-major.
#[derive(Debug, Clone, Copy)]
pub struct Landmarks<'a> {
    pub data: &'a [f64],
    pub n_frames: usize,
    pub n_points: usize,
    pub dim: usize,
}

impl<'a> Landmarks<'a> {
    /// Checks the shape against `scheme` (point count) and `dim` (2 or 3).
    pub fn new(
        data: &'a [f64],
        shape: [usize; 3],
        scheme: &Scheme,
        argument: &str,
    ) -> Result<Self> {
        let [n_frames, n_points, dim] = shape;
        if n_points != scheme.n_points() || !(dim == 2 || dim == 3) {
            return Err(Error::param(
                argument,
                format!(
                    "expected shape (n_frames, {}, 2) or (n_frames, {}, 3) for scheme {:?}, \
                     got ({n_frames}, {n_points}, {dim})",
                    scheme.n_points(),
                    scheme.n_points(),
                    scheme.name(),
                ),
            ));
        }
        if data.len() != n_frames * n_points * dim {
            return Err(Error::Internal(format!(
                "landmark buffer of {} values does not match shape {shape:?}",
                data.len()
            )));
        }
        if let Some(i) = data
            .iter()
            .position(|v| v.is_finite() && v.abs() > MAX_COORDINATE)
        {
            let (frame, point) = (i / (n_points * dim), i % (n_points * dim) / dim);
            return Err(Error::param(
                argument,
                format!(
                    "frame {frame}, point {point} has the coordinate {:e}, beyond +-{MAX_COORDINATE:e}; \
                     landmarks are pixel (or model-unit) coordinates, and the geometry and pose \
                     solvers lose all precision that far out",
                    data[i]
                ),
            ));
        }
        Ok(Landmarks {
            data,
            n_frames,
            n_points,
            dim,
        })
    }

    /// The points of frame `i`, `n_points * dim` values.
    pub fn frame(&self, i: usize) -> &'a [f64] {
        let k = self.n_points * self.dim;
        &self.data[i * k..(i + 1) * k]
    }
}

/// The 68 iBUG points of one frame, as 3-vectors (z = 0 for 2-D input); `None` when any
/// of them is not finite (no face in that frame).
pub(crate) fn ibug_points(frame: &[f64], dim: usize, scheme: &Scheme) -> Option<[[f64; 3]; 68]> {
    let mut out = [[0.0; 3]; 68];
    for (k, &src) in scheme.ibug68().iter().enumerate() {
        let p = &frame[src * dim..src * dim + dim];
        for (d, &v) in p.iter().enumerate() {
            if !v.is_finite() {
                return None;
            }
            out[k][d] = v;
        }
    }
    Some(out)
}
