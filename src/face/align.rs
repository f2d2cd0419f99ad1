//! Similarity alignment: Umeyama's least-squares similarity (Procrustes with scale) onto
//! the scheme's mean shape, in 2-D and 3-D, and inter-ocular normalisation.
//!
//! The least-squares fit itself is [`crate::num::linalg::umeyama`].

use nalgebra::{Matrix3, Vector3};
use rayon::prelude::*;

use super::scheme::REFERENCE_SHAPE_3D;
use super::{ibug_points, Landmarks, Scheme};
use crate::error::{Error, Result};
use crate::num::linalg::{umeyama, Similarity};
use crate::parallel;

/// Outer eye corners, the inter-ocular distance of REFERENCES.md (iBUG 36 and 45).
pub const IOD_POINTS: (usize, usize) = (36, 45);

/// The mean shape every frame is aligned to: [`REFERENCE_SHAPE_3D`] centred and scaled
/// to unit inter-ocular distance; in 2-D its frontal projection (z = 0).
pub fn mean_shape(dim: usize) -> [[f64; 3]; 68] {
    let mut c = [0.0; 3];
    for p in REFERENCE_SHAPE_3D.iter() {
        for d in 0..3 {
            c[d] += p[d] / 68.0;
        }
    }
    let (a, b) = IOD_POINTS;
    let (pa, pb) = (REFERENCE_SHAPE_3D[a], REFERENCE_SHAPE_3D[b]);
    let iod = if dim == 2 {
        ((pa[0] - pb[0]).powi(2) + (pa[1] - pb[1]).powi(2)).sqrt()
    } else {
        (0..3).map(|d| (pa[d] - pb[d]).powi(2)).sum::<f64>().sqrt()
    };
    std::array::from_fn(|i| {
        let p = REFERENCE_SHAPE_3D[i];
        let mut q = [0.0; 3];
        for d in 0..dim {
            q[d] = (p[d] - c[d]) / iod;
        }
        q
    })
}

/// How [`align`] normalises each frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlignMethod {
    /// Umeyama similarity onto the mean shape (unit inter-ocular distance, centred).
    Procrustes,
    /// Translate the outer-eye-corner midpoint to the origin and divide by the
    /// inter-ocular distance; in 2-D also rotate the eye line onto +x (removes roll).
    InterOcular,
}

impl std::str::FromStr for AlignMethod {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "procrustes" => Ok(AlignMethod::Procrustes),
            "interocular" => Ok(AlignMethod::InterOcular),
            other => Err(Error::param(
                "method",
                format!("expected \"procrustes\" or \"interocular\", got {other:?}"),
            )),
        }
    }
}

/// The similarity that normalises one frame (its 68 iBUG points), or `None` for a frame
/// without a face (non-finite points) or a degenerate one (zero inter-ocular distance).
pub fn frame_transform(
    pts: &[[f64; 3]; 68],
    dim: usize,
    method: AlignMethod,
    mean: &[[f64; 3]; 68],
) -> Option<Similarity> {
    let (a, b) = IOD_POINTS;
    let d: Vec<f64> = (0..3).map(|k| pts[b][k] - pts[a][k]).collect();
    let iod = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
    if !(iod > 0.0) || !iod.is_finite() {
        return None;
    }
    match method {
        AlignMethod::Procrustes => umeyama(pts, mean, dim, true),
        AlignMethod::InterOcular => {
            let mid = Vector3::new(
                (pts[a][0] + pts[b][0]) / 2.0,
                (pts[a][1] + pts[b][1]) / 2.0,
                (pts[a][2] + pts[b][2]) / 2.0,
            );
            let mut rotation = Matrix3::identity();
            if dim == 2 {
                let ang = d[1].atan2(d[0]);
                let (s, c) = ang.sin_cos();
                rotation[(0, 0)] = c;
                rotation[(0, 1)] = s;
                rotation[(1, 0)] = -s;
                rotation[(1, 1)] = c;
            }
            let scale = 1.0 / iod;
            Some(Similarity {
                scale,
                rotation,
                translation: -(rotation * mid) * scale,
            })
        }
    }
}

/// Aligns every frame: estimates the frame's similarity on its 68 iBUG points and applies
/// it to all of the scheme's points. Returns the aligned block (same shape as the input)
/// and the number of frames with a face whose inter-ocular distance was zero (NaN).
pub fn align(
    lm: &Landmarks<'_>,
    scheme: &Scheme,
    method: AlignMethod,
    n_jobs: Option<i64>,
) -> Result<(Vec<f64>, usize)> {
    let dim = lm.dim;
    let k = lm.n_points * dim;
    let mean = mean_shape(dim);
    let mut out = vec![f64::NAN; lm.n_frames * k];
    if k == 0 {
        return Ok((out, 0));
    }
    let degenerate = parallel::install(n_jobs, || {
        out.par_chunks_mut(k)
            .enumerate()
            .map(|(i, o)| {
                let frame = lm.frame(i);
                let Some(pts) = ibug_points(frame, dim, scheme) else {
                    return 0usize;
                };
                let Some(tf) = frame_transform(&pts, dim, method, &mean) else {
                    return 1;
                };
                for (p, q) in frame.chunks_exact(dim).zip(o.chunks_exact_mut(dim)) {
                    let mut v = [0.0; 3];
                    v[..dim].copy_from_slice(p);
                    let w = tf.apply(v);
                    q.copy_from_slice(&w[..dim]);
                }
                0
            })
            .sum::<usize>()
    })?;
    Ok((out, degenerate))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;
    use nalgebra::Rotation3;

    fn transformed(s: f64, r: &Matrix3<f64>, t: [f64; 3], dim: usize) -> [[f64; 3]; 68] {
        std::array::from_fn(|i| {
            let mut p = REFERENCE_SHAPE_3D[i];
            if dim == 2 {
                p[2] = 0.0;
            }
            let q = r * Vector3::from(p) * s + Vector3::from(t);
            [q.x, q.y, if dim == 2 { 0.0 } else { q.z }]
        })
    }

    #[test]
    fn umeyama_recovers_a_3d_similarity() {
        let r = *Rotation3::from_euler_angles(0.3, -0.2, 0.5).matrix();
        let src: [[f64; 3]; 68] = REFERENCE_SHAPE_3D;
        let dst = transformed(2.5, &r, [10.0, -4.0, 300.0], 3);
        let tf = umeyama(&src, &dst, 3, true).unwrap();
        assert_abs_diff_eq!(tf.scale, 2.5, epsilon = 1e-9);
        assert_abs_diff_eq!(tf.rotation, r, epsilon = 1e-9);
        assert_abs_diff_eq!(
            tf.translation,
            Vector3::new(10.0, -4.0, 300.0),
            epsilon = 1e-7
        );
    }

    #[test]
    fn procrustes_alignment_is_similarity_invariant_in_2d() {
        let mean = mean_shape(2);
        let a = transformed(1.0, &Matrix3::identity(), [0.0; 3], 2);
        let r = *Rotation3::from_euler_angles(0.0, 0.0, 0.7).matrix();
        let b = transformed(3.0, &r, [50.0, 80.0, 0.0], 2);
        let ta = frame_transform(&a, 2, AlignMethod::Procrustes, &mean).unwrap();
        let tb = frame_transform(&b, 2, AlignMethod::Procrustes, &mean).unwrap();
        for i in 0..68 {
            let (pa, pb) = (ta.apply(a[i]), tb.apply(b[i]));
            for d in 0..3 {
                assert_abs_diff_eq!(pa[d], pb[d], epsilon = 1e-10);
            }
            // the reference aligns onto the mean shape exactly
            for d in 0..2 {
                assert_abs_diff_eq!(pa[d], mean[i][d], epsilon = 1e-10);
            }
        }
        let ti = frame_transform(&b, 2, AlignMethod::InterOcular, &mean).unwrap();
        let (l, r) = (ti.apply(b[36]), ti.apply(b[45]));
        assert_abs_diff_eq!(r[0] - l[0], 1.0, epsilon = 1e-12);
        assert_abs_diff_eq!(r[1] - l[1], 0.0, epsilon = 1e-12);
    }

    #[test]
    fn degenerate_and_missing_frames() {
        let scheme = Scheme::named("ibug68").unwrap();
        let mut data = vec![1.0; 3 * 68 * 2];
        // frame 1: a real face; frame 0: all points equal; frame 2: one NaN point
        let face = transformed(1.0, &Matrix3::identity(), [0.0; 3], 2);
        for i in 0..68 {
            data[136 + 2 * i] = face[i][0];
            data[136 + 2 * i + 1] = face[i][1];
            data[272 + 2 * i] = face[i][0];
            data[272 + 2 * i + 1] = face[i][1];
        }
        data[272 + 10] = f64::NAN;
        let lm = Landmarks::new(&data, [3, 68, 2], &scheme, "landmarks").unwrap();
        let (out, bad) = align(&lm, &scheme, AlignMethod::Procrustes, Some(1)).unwrap();
        assert_eq!(bad, 1);
        assert!(out[..136].iter().all(|v| v.is_nan()));
        assert!(out[136..272].iter().all(|v| v.is_finite()));
        assert!(out[272..].iter().all(|v| v.is_nan()));
    }
}
