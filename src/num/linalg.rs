//! Small dense linear algebra shared by the face and audio code: Umeyama's least-squares
//! similarity between point sets, and the iteration bound of every decomposition.
//!
//! Umeyama, S. (1991). Least-squares estimation of transformation parameters between two
//! point patterns. IEEE TPAMI 13(4). The SVD is nalgebra's.

use nalgebra::{Matrix2, Matrix3, Vector3};

/// Iteration bound of every eigen/singular value decomposition: nalgebra's default
/// (0) iterates until convergence, which never comes for non-finite or absurdly scaled
/// points; the small matrices here converge in a few dozen sweeps.
pub const MAX_SWEEPS: usize = 1000;

/// `dst ≈ scale * rotation * src + translation`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Similarity {
    pub scale: f64,
    pub rotation: Matrix3<f64>,
    pub translation: Vector3<f64>,
}

impl Similarity {
    pub fn apply(&self, p: [f64; 3]) -> [f64; 3] {
        let q = self.rotation * Vector3::from(p) * self.scale + self.translation;
        [q.x, q.y, q.z]
    }
}

/// Least-squares similarity (or rigid motion when `with_scale` is false) taking `src` onto
/// `dst`, using the first `dim` (2 or 3) coordinates; reflections are excluded. `None`
/// when `src` is degenerate (all points equal) or the SVD fails.
pub fn umeyama(
    src: &[[f64; 3]],
    dst: &[[f64; 3]],
    dim: usize,
    with_scale: bool,
) -> Option<Similarity> {
    let n = src.len().min(dst.len());
    if n == 0 {
        return None;
    }
    let nf = n as f64;
    let mut ms = Vector3::zeros();
    let mut md = Vector3::zeros();
    for i in 0..n {
        ms += Vector3::from(src[i]);
        md += Vector3::from(dst[i]);
    }
    ms /= nf;
    md /= nf;
    let mut cov = Matrix3::zeros();
    let mut var_s = 0.0;
    for i in 0..n {
        let a = Vector3::from(src[i]) - ms;
        let b = Vector3::from(dst[i]) - md;
        cov += b * a.transpose();
        var_s += a.norm_squared();
    }
    cov /= nf;
    var_s /= nf;
    if !(var_s > 0.0) || !var_s.is_finite() {
        return None;
    }
    let (rotation, trace_ds) = if dim == 2 {
        let c = Matrix2::new(cov[(0, 0)], cov[(0, 1)], cov[(1, 0)], cov[(1, 1)]);
        let svd = c.try_svd(true, true, f64::EPSILON, MAX_SWEEPS)?;
        let (u, v_t) = (svd.u?, svd.v_t?);
        let mut s = Matrix2::identity();
        if u.determinant() * v_t.determinant() < 0.0 {
            s[(1, 1)] = -1.0;
        }
        let r2 = u * s * v_t;
        let tr = svd.singular_values[0] * s[(0, 0)] + svd.singular_values[1] * s[(1, 1)];
        let mut r = Matrix3::identity();
        r.fixed_view_mut::<2, 2>(0, 0).copy_from(&r2);
        (r, tr)
    } else {
        let svd = cov.try_svd(true, true, f64::EPSILON, MAX_SWEEPS)?;
        let (u, v_t) = (svd.u?, svd.v_t?);
        let mut s = Matrix3::identity();
        if u.determinant() * v_t.determinant() < 0.0 {
            s[(2, 2)] = -1.0;
        }
        let tr = (0..3).map(|k| svd.singular_values[k] * s[(k, k)]).sum();
        (u * s * v_t, tr)
    };
    let scale = if with_scale { trace_ds / var_s } else { 1.0 };
    if !(scale > 0.0) || !scale.is_finite() {
        return None;
    }
    let translation = md - rotation * ms * scale;
    Some(Similarity {
        scale,
        rotation,
        translation,
    })
}
