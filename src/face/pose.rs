//! Head pose: perspective-n-point from 2-D landmarks against a generic 3-D face
//! ([`super::scheme::REFERENCE_SHAPE_3D`]), and a rigid fit for 3-D landmarks.
//!
//! 2-D: EPnP (Lepetit, Moreno-Noguer and Fua 2009, "EPnP: an accurate O(n) solution to
//! the PnP problem", IJCV 81) gives the initial pose, which Levenberg-Marquardt refines by
//! minimising the squared reprojection error in pixels (the cost OpenCV's
//! `solvePnP(SOLVEPNP_ITERATIVE)` minimises). 3-D: Umeyama similarity of the reference
//! onto the points (Kabsch rotation plus a scale for the unknown units).
//!
//! Angles follow OpenFace: camera axes x right, y down, z away from the camera, and
//! R = Rx(pitch) · Ry(yaw) · Rz(roll), reported in degrees as (yaw, pitch, roll).

use nalgebra::{DMatrix, DVector, Matrix3, Matrix6, Rotation3, SymmetricEigen, Vector3, Vector6};
use rayon::prelude::*;

use super::scheme::REFERENCE_SHAPE_3D;
use super::{ibug_points, Landmarks, Scheme};
use crate::error::{Error, Result};
use crate::num::linalg::{umeyama, MAX_SWEEPS};
use crate::parallel;

/// Pinhole intrinsics in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Camera {
    pub fx: f64,
    pub fy: f64,
    pub cx: f64,
    pub cy: f64,
}

impl Camera {
    /// Checks that the focal lengths are positive and everything is finite.
    pub fn checked(self) -> Result<Self> {
        let ok = [self.fx, self.fy, self.cx, self.cy]
            .iter()
            .all(|v| v.is_finite())
            && self.fx > 0.0
            && self.fy > 0.0;
        if ok {
            Ok(self)
        } else {
            Err(Error::param(
                "focal",
                format!(
                    "focal lengths must be positive and the principal point finite, got \
                     fx={} fy={} cx={} cy={}",
                    self.fx, self.fy, self.cx, self.cy
                ),
            ))
        }
    }
}

/// A rigid pose: camera point = rotation · model point + translation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    pub rotation: Matrix3<f64>,
    pub translation: Vector3<f64>,
}

/// (yaw, pitch, roll) in radians from R = Rx(pitch) · Ry(yaw) · Rz(roll).
pub fn euler_from_rotation(r: &Matrix3<f64>) -> (f64, f64, f64) {
    let yaw = r[(0, 2)].clamp(-1.0, 1.0).asin();
    let pitch = (-r[(1, 2)]).atan2(r[(2, 2)]);
    let roll = (-r[(0, 1)]).atan2(r[(0, 0)]);
    (yaw, pitch, roll)
}

/// R = Rx(pitch) · Ry(yaw) · Rz(roll), angles in radians.
pub fn rotation_from_euler(yaw: f64, pitch: f64, roll: f64) -> Matrix3<f64> {
    let rx = Rotation3::from_axis_angle(&Vector3::x_axis(), pitch);
    let ry = Rotation3::from_axis_angle(&Vector3::y_axis(), yaw);
    let rz = Rotation3::from_axis_angle(&Vector3::z_axis(), roll);
    *(rx * ry * rz).matrix()
}

fn reprojection_cost(pose: &Pose, world: &[Vector3<f64>], img: &[[f64; 2]], cam: &Camera) -> f64 {
    let mut cost = 0.0;
    for (w, p) in world.iter().zip(img) {
        let c = pose.rotation * w + pose.translation;
        if !(c.z > 0.0) {
            return f64::INFINITY;
        }
        let u = cam.fx * c.x / c.z + cam.cx - p[0];
        let v = cam.fy * c.y / c.z + cam.cy - p[1];
        cost += u * u + v * v;
    }
    cost
}

/// The model-side part of EPnP (control points and barycentric coordinates), computed
/// once per 3-D model.
#[derive(Debug, Clone)]
pub struct EpnpModel {
    world: Vec<Vector3<f64>>,
    src: Vec<[f64; 3]>,
    cw: [Vector3<f64>; 4],
    alphas: Vec<[f64; 4]>,
}

impl EpnpModel {
    /// `None` for fewer than 6 points or a planar/degenerate model.
    pub fn new(world: &[Vector3<f64>]) -> Option<Self> {
        let n = world.len();
        if n < 6 {
            return None;
        }
        // control points: centroid plus the principal axes of the model
        let c0 = world.iter().sum::<Vector3<f64>>() / n as f64;
        let mut cov = Matrix3::zeros();
        for w in world {
            let d = w - c0;
            cov += d * d.transpose();
        }
        let eig = SymmetricEigen::try_new(cov, f64::EPSILON, MAX_SWEEPS)?;
        let mut cw = [c0; 4];
        for j in 0..3 {
            let l = eig.eigenvalues[j];
            if !(l > 1e-12 * cov.trace()) {
                return None;
            }
            cw[j + 1] = c0 + eig.eigenvectors.column(j) * (l / n as f64).sqrt();
        }
        let cc = Matrix3::from_columns(&[cw[1] - c0, cw[2] - c0, cw[3] - c0]);
        let cc_inv = cc.try_inverse()?;
        let alphas = world
            .iter()
            .map(|w| {
                let b = cc_inv * (w - c0);
                [1.0 - b.x - b.y - b.z, b.x, b.y, b.z]
            })
            .collect();
        Some(EpnpModel {
            world: world.to_vec(),
            src: world.iter().map(|w| [w.x, w.y, w.z]).collect(),
            cw,
            alphas,
        })
    }
}

fn reference_model() -> &'static EpnpModel {
    static MODEL: std::sync::OnceLock<Option<EpnpModel>> = std::sync::OnceLock::new();
    MODEL
        .get_or_init(|| {
            let world: Vec<Vector3<f64>> = REFERENCE_SHAPE_3D.iter().map(|&p| p.into()).collect();
            EpnpModel::new(&world)
        })
        .as_ref()
        .expect("the reference face is not planar")
}

/// EPnP on normalised image coordinates `norm` (x = (u - cx)/fx, y = (v - cy)/fy).
pub fn epnp(world: &[Vector3<f64>], norm: &[[f64; 2]]) -> Option<Pose> {
    epnp_with(&EpnpModel::new(world)?, norm)
}

/// EPnP with a prepared model.
pub fn epnp_with(model: &EpnpModel, norm: &[[f64; 2]]) -> Option<Pose> {
    let (world, cw, alphas) = (&model.world, &model.cw, &model.alphas);
    if norm.len() != world.len() {
        return None;
    }
    // M^T M (M is 2n x 12, rows kron(alpha_i, [1, 0, -x_i]) and kron(alpha_i, [0, 1, -y_i])):
    // block (j, k) = sum_i a_ij a_ik [[1, 0, -x_i], [0, 1, -y_i], [-x_i, -y_i, x_i^2 + y_i^2]]
    let mut s1 = [[0.0f64; 4]; 4];
    let mut sx = [[0.0f64; 4]; 4];
    let mut sy = [[0.0f64; 4]; 4];
    let mut sr = [[0.0f64; 4]; 4];
    for (a, p) in alphas.iter().zip(norm) {
        let (x, y) = (p[0], p[1]);
        let r2 = x * x + y * y;
        for j in 0..4 {
            for k in j..4 {
                let w = a[j] * a[k];
                s1[j][k] += w;
                sx[j][k] += w * x;
                sy[j][k] += w * y;
                sr[j][k] += w * r2;
            }
        }
    }
    let mut mtm = nalgebra::SMatrix::<f64, 12, 12>::zeros();
    for j in 0..4 {
        for k in j..4 {
            let block = [
                [s1[j][k], 0.0, -sx[j][k]],
                [0.0, s1[j][k], -sy[j][k]],
                [-sx[j][k], -sy[j][k], sr[j][k]],
            ];
            for (p, brow) in block.iter().enumerate() {
                for (q, &val) in brow.iter().enumerate() {
                    mtm[(3 * j + p, 3 * k + q)] = val;
                    mtm[(3 * k + q, 3 * j + p)] = val;
                }
            }
        }
    }
    let eig = SymmetricEigen::try_new(mtm, f64::EPSILON, MAX_SWEEPS)?;
    let mut order: Vec<usize> = (0..12).collect();
    order.sort_by(|&a, &b| eig.eigenvalues[a].total_cmp(&eig.eigenvalues[b]));
    let v: [nalgebra::SVector<f64, 12>; 4] =
        std::array::from_fn(|k| eig.eigenvectors.column(order[k]).into_owned());
    const PAIRS: [(usize, usize); 6] = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)];
    let mut l = nalgebra::SMatrix::<f64, 6, 10>::zeros();
    let mut rho = Vector6::zeros();
    for (r, &(a, b)) in PAIRS.iter().enumerate() {
        rho[r] = (cw[a] - cw[b]).norm_squared();
        let dv: Vec<Vector3<f64>> = v
            .iter()
            .map(|vk| {
                Vector3::new(
                    vk[3 * a] - vk[3 * b],
                    vk[3 * a + 1] - vk[3 * b + 1],
                    vk[3 * a + 2] - vk[3 * b + 2],
                )
            })
            .collect();
        let vals = [
            dv[0].dot(&dv[0]),
            2.0 * dv[0].dot(&dv[1]),
            dv[1].dot(&dv[1]),
            2.0 * dv[0].dot(&dv[2]),
            2.0 * dv[1].dot(&dv[2]),
            dv[2].dot(&dv[2]),
            2.0 * dv[0].dot(&dv[3]),
            2.0 * dv[1].dot(&dv[3]),
            2.0 * dv[2].dot(&dv[3]),
            dv[3].dot(&dv[3]),
        ];
        for (c, x) in vals.iter().enumerate() {
            l[(r, c)] = *x;
        }
    }
    let lsq = |cols: &[usize]| -> Option<DVector<f64>> {
        let a = DMatrix::from_fn(6, cols.len(), |r, c| l[(r, cols[c])]);
        let b = DVector::from_column_slice(rho.as_slice());
        a.try_svd(true, true, f64::EPSILON, MAX_SWEEPS)?
            .solve(&b, 1e-14)
            .ok()
    };
    let mut candidates: Vec<[f64; 4]> = Vec::with_capacity(3);
    if let Some(b4) = lsq(&[0, 1, 3, 6]) {
        let (s, b0) = if b4[0] < 0.0 {
            (-1.0, (-b4[0]).sqrt())
        } else {
            (1.0, b4[0].sqrt())
        };
        if b0 > 0.0 {
            candidates.push([b0, s * b4[1] / b0, s * b4[2] / b0, s * b4[3] / b0]);
        }
    }
    if let Some(b3) = lsq(&[0, 1, 2]) {
        let (mut b0, b1) = if b3[0] < 0.0 {
            (
                (-b3[0]).sqrt(),
                if b3[2] < 0.0 { (-b3[2]).sqrt() } else { 0.0 },
            )
        } else {
            (b3[0].sqrt(), if b3[2] > 0.0 { b3[2].sqrt() } else { 0.0 })
        };
        if b3[1] < 0.0 {
            b0 = -b0;
        }
        candidates.push([b0, b1, 0.0, 0.0]);
    }
    if let Some(b5) = lsq(&[0, 1, 2, 3, 4]) {
        let (mut b0, b1) = if b5[0] < 0.0 {
            (
                (-b5[0]).sqrt(),
                if b5[2] < 0.0 { (-b5[2]).sqrt() } else { 0.0 },
            )
        } else {
            (b5[0].sqrt(), if b5[2] > 0.0 { b5[2].sqrt() } else { 0.0 })
        };
        if b5[1] < 0.0 {
            b0 = -b0;
        }
        if b0 != 0.0 {
            candidates.push([b0, b1, b5[3] / b0, 0.0]);
        }
    }
    let unit = Camera {
        fx: 1.0,
        fy: 1.0,
        cx: 0.0,
        cy: 0.0,
    };
    let mut best: Option<(f64, Pose)> = None;
    for mut betas in candidates {
        gauss_newton_betas(&l, &rho, &mut betas);
        let Some(pose) = pose_from_betas(&betas, &v, alphas, &model.src) else {
            continue;
        };
        let cost = reprojection_cost(&pose, world, norm, &unit);
        if cost.is_finite() && best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, pose));
        }
    }
    best.map(|(_, p)| p)
}

fn gauss_newton_betas(l: &nalgebra::SMatrix<f64, 6, 10>, rho: &Vector6<f64>, betas: &mut [f64; 4]) {
    for _ in 0..5 {
        let b = *betas;
        let prod = [
            b[0] * b[0],
            b[0] * b[1],
            b[1] * b[1],
            b[0] * b[2],
            b[1] * b[2],
            b[2] * b[2],
            b[0] * b[3],
            b[1] * b[3],
            b[2] * b[3],
            b[3] * b[3],
        ];
        let mut jac = nalgebra::SMatrix::<f64, 6, 4>::zeros();
        let mut res = Vector6::zeros();
        for r in 0..6 {
            let lr = |c: usize| l[(r, c)];
            jac[(r, 0)] = 2.0 * b[0] * lr(0) + b[1] * lr(1) + b[2] * lr(3) + b[3] * lr(6);
            jac[(r, 1)] = b[0] * lr(1) + 2.0 * b[1] * lr(2) + b[2] * lr(4) + b[3] * lr(7);
            jac[(r, 2)] = b[0] * lr(3) + b[1] * lr(4) + 2.0 * b[2] * lr(5) + b[3] * lr(8);
            jac[(r, 3)] = b[0] * lr(6) + b[1] * lr(7) + b[2] * lr(8) + 2.0 * b[3] * lr(9);
            res[r] = rho[r] - (0..10).map(|c| lr(c) * prod[c]).sum::<f64>();
        }
        // normal equations of the 6 x 4 system (well conditioned near the solution)
        let Some(chol) = (jac.transpose() * jac).cholesky() else {
            return;
        };
        let delta = chol.solve(&(jac.transpose() * res));
        for k in 0..4 {
            betas[k] += delta[k];
        }
    }
}

fn pose_from_betas(
    betas: &[f64; 4],
    v: &[nalgebra::SVector<f64, 12>; 4],
    alphas: &[[f64; 4]],
    src: &[[f64; 3]],
) -> Option<Pose> {
    let mut ccs = [Vector3::zeros(); 4];
    for (k, vk) in v.iter().enumerate() {
        for (j, c) in ccs.iter_mut().enumerate() {
            *c += Vector3::new(vk[3 * j], vk[3 * j + 1], vk[3 * j + 2]) * betas[k];
        }
    }
    let mut pcs: Vec<[f64; 3]> = alphas
        .iter()
        .map(|a| {
            let p = ccs[0] * a[0] + ccs[1] * a[1] + ccs[2] * a[2] + ccs[3] * a[3];
            [p.x, p.y, p.z]
        })
        .collect();
    let mean_z = pcs.iter().map(|p| p[2]).sum::<f64>();
    if mean_z < 0.0 {
        for p in pcs.iter_mut() {
            *p = [-p[0], -p[1], -p[2]];
        }
    }
    let tf = umeyama(src, &pcs, 3, false)?;
    Some(Pose {
        rotation: tf.rotation,
        translation: tf.translation,
    })
}

/// Levenberg-Marquardt refinement of `pose` on the pixel reprojection error.
pub fn refine_lm(pose: Pose, world: &[Vector3<f64>], img: &[[f64; 2]], cam: &Camera) -> Pose {
    let mut pose = pose;
    let mut cost = reprojection_cost(&pose, world, img, cam);
    if !cost.is_finite() {
        return pose;
    }
    let mut lambda = 1e-3;
    for _ in 0..30 {
        let mut jtj = Matrix6::<f64>::zeros();
        let mut jtr = Vector6::<f64>::zeros();
        for (w, p) in world.iter().zip(img) {
            let q = pose.rotation * w;
            let c = q + pose.translation;
            let iz = 1.0 / c.z;
            let (x, y) = (c.x * iz, c.y * iz);
            let ru = cam.fx * x + cam.cx - p[0];
            let rv = cam.fy * y + cam.cy - p[1];
            // d(u, v)/dc
            let du = Vector3::new(cam.fx * iz, 0.0, -cam.fx * x * iz);
            let dv = Vector3::new(0.0, cam.fy * iz, -cam.fy * y * iz);
            // dc/d(delta) = -[q]x  =>  du/d(delta) = q x du  (row vector)
            let ju = Vector6::new(
                q.y * du.z - q.z * du.y,
                q.z * du.x - q.x * du.z,
                q.x * du.y - q.y * du.x,
                du.x,
                du.y,
                du.z,
            );
            let jv = Vector6::new(
                q.y * dv.z - q.z * dv.y,
                q.z * dv.x - q.x * dv.z,
                q.x * dv.y - q.y * dv.x,
                dv.x,
                dv.y,
                dv.z,
            );
            jtj += ju * ju.transpose() + jv * jv.transpose();
            jtr += ju * ru + jv * rv;
        }
        let mut improved = false;
        for _ in 0..10 {
            let mut a = jtj;
            for k in 0..6 {
                a[(k, k)] += lambda * jtj[(k, k)].max(1e-12);
            }
            let Some(chol) = a.cholesky() else {
                lambda *= 10.0;
                continue;
            };
            let delta = chol.solve(&(-jtr));
            let rot = Rotation3::new(Vector3::new(delta[0], delta[1], delta[2]));
            let cand = Pose {
                rotation: rot.matrix() * pose.rotation,
                translation: pose.translation + Vector3::new(delta[3], delta[4], delta[5]),
            };
            let c = reprojection_cost(&cand, world, img, cam);
            if c < cost {
                let rel = (cost - c) / cost.max(1e-300);
                pose = cand;
                cost = c;
                lambda = (lambda / 10.0).max(1e-12);
                improved = rel > 1e-10 && delta.norm() > 1e-12;
                break;
            }
            lambda *= 10.0;
        }
        if !improved {
            break;
        }
    }
    pose
}

/// Pose of one frame from its 68 2-D points (pixels); `None` when it cannot be solved.
pub fn solve_pnp(img: &[[f64; 2]; 68], cam: &Camera) -> Option<Pose> {
    let model = reference_model();
    let norm: Vec<[f64; 2]> = img
        .iter()
        .map(|p| [(p[0] - cam.cx) / cam.fx, (p[1] - cam.cy) / cam.fy])
        .collect();
    let init = epnp_with(model, &norm)?;
    let pose = refine_lm(init, &model.world, img, cam);
    let ok = pose.rotation.iter().all(|v| v.is_finite())
        && pose.translation.iter().all(|v| v.is_finite());
    ok.then_some(pose)
}

/// Pose of one frame from its 68 3-D points: the similarity taking the reference onto
/// them (translation in the points' units; the scale absorbs unit differences).
pub fn fit_3d(pts: &[[f64; 3]; 68]) -> Option<Pose> {
    let tf = umeyama(&REFERENCE_SHAPE_3D, pts, 3, true)?;
    Some(Pose {
        rotation: tf.rotation,
        translation: tf.translation,
    })
}

/// Column names of [`head_pose`]'s output.
pub const POSE_NAMES: [&str; 6] = ["yaw", "pitch", "roll", "tx", "ty", "tz"];

/// Head pose of every frame, `(n_frames, 6)` row-major: yaw, pitch, roll (degrees), tx,
/// ty, tz, and the number of frames with a face where no pose could be solved
/// (degenerate points). 2-D landmarks need `camera`; 3-D ones ignore it. Frames without a
/// face and unsolvable frames are NaN rows.
pub fn head_pose(
    lm: &Landmarks<'_>,
    scheme: &Scheme,
    camera: Option<Camera>,
    n_jobs: Option<i64>,
) -> Result<(Vec<f64>, usize)> {
    let cam = match (lm.dim, camera) {
        (2, None) => {
            return Err(Error::param(
                "image_size",
                "2-D landmarks need the camera: pass image_size=(width, height) \
                 (or focal and principal_point)",
            ))
        }
        (2, Some(c)) => Some(c.checked()?),
        _ => None,
    };
    let mut out = vec![f64::NAN; lm.n_frames * 6];
    let failed = parallel::install(n_jobs, || {
        out.par_chunks_mut(6)
            .enumerate()
            .map(|(i, o)| {
                let Some(pts) = ibug_points(lm.frame(i), lm.dim, scheme) else {
                    return 0usize;
                };
                let pose = match cam {
                    Some(cam) => {
                        let img: [[f64; 2]; 68] = std::array::from_fn(|k| [pts[k][0], pts[k][1]]);
                        solve_pnp(&img, &cam)
                    }
                    None => fit_3d(&pts),
                };
                let Some(p) = pose else {
                    return 1;
                };
                let (yaw, pitch, roll) = euler_from_rotation(&p.rotation);
                let row = [
                    yaw.to_degrees(),
                    pitch.to_degrees(),
                    roll.to_degrees(),
                    p.translation.x,
                    p.translation.y,
                    p.translation.z,
                ];
                if row.iter().all(|v| v.is_finite()) {
                    o.copy_from_slice(&row);
                    0
                } else {
                    1
                }
            })
            .sum::<usize>()
    })?;
    Ok((out, failed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn project(r: &Matrix3<f64>, t: Vector3<f64>, cam: &Camera) -> [[f64; 2]; 68] {
        std::array::from_fn(|i| {
            let c = r * Vector3::from(REFERENCE_SHAPE_3D[i]) + t;
            [cam.fx * c.x / c.z + cam.cx, cam.fy * c.y / c.z + cam.cy]
        })
    }

    #[test]
    fn euler_round_trip() {
        let r = rotation_from_euler(0.4, -0.3, 0.2);
        let (y, p, ro) = euler_from_rotation(&r);
        assert_abs_diff_eq!(y, 0.4, epsilon = 1e-12);
        assert_abs_diff_eq!(p, -0.3, epsilon = 1e-12);
        assert_abs_diff_eq!(ro, 0.2, epsilon = 1e-12);
    }

    #[test]
    fn pnp_recovers_exact_poses() {
        let cam = Camera {
            fx: 640.0,
            fy: 640.0,
            cx: 320.0,
            cy: 240.0,
        };
        for &(yaw, pitch, roll) in &[
            (0.0, 0.0, 0.0),
            (30.0, 10.0, -5.0),
            (-45.0, -20.0, 15.0),
            (10.0, 35.0, 25.0),
        ] {
            let r = rotation_from_euler(
                f64::to_radians(yaw),
                f64::to_radians(pitch),
                f64::to_radians(roll),
            );
            let t = Vector3::new(20.0, -10.0, 600.0);
            let img = project(&r, t, &cam);
            let pose = solve_pnp(&img, &cam).unwrap();
            let (y, p, ro) = euler_from_rotation(&pose.rotation);
            assert_abs_diff_eq!(y.to_degrees(), yaw, epsilon = 1e-6);
            assert_abs_diff_eq!(p.to_degrees(), pitch, epsilon = 1e-6);
            assert_abs_diff_eq!(ro.to_degrees(), roll, epsilon = 1e-6);
            assert_abs_diff_eq!(pose.translation, t, epsilon = 1e-4);
        }
    }

    #[test]
    fn epnp_alone_is_close() {
        let cam = Camera {
            fx: 1.0,
            fy: 1.0,
            cx: 0.0,
            cy: 0.0,
        };
        let r = rotation_from_euler(0.3, 0.1, -0.2);
        let t = Vector3::new(5.0, 3.0, 500.0);
        let img = project(&r, t, &cam);
        let world: Vec<Vector3<f64>> = REFERENCE_SHAPE_3D.iter().map(|&p| p.into()).collect();
        let pose = epnp(&world, &img).unwrap();
        assert_abs_diff_eq!(pose.rotation, r, epsilon = 1e-6);
    }

    #[test]
    fn fit_3d_recovers_rotation() {
        let r = rotation_from_euler(-0.5, 0.2, 0.1);
        let pts: [[f64; 3]; 68] = std::array::from_fn(|i| {
            let c = r * Vector3::from(REFERENCE_SHAPE_3D[i]) * 0.01 + Vector3::new(0.5, 0.4, 0.0);
            [c.x, c.y, c.z]
        });
        let pose = fit_3d(&pts).unwrap();
        assert_abs_diff_eq!(pose.rotation, r, epsilon = 1e-9);
    }

    /// `cargo test --release --no-default-features pnp_speed -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn pnp_speed() {
        let cam = Camera {
            fx: 1280.0,
            fy: 1280.0,
            cx: 640.0,
            cy: 360.0,
        };
        let imgs: Vec<[[f64; 2]; 68]> = (0..5000)
            .map(|i| {
                let a = i as f64 * 0.001;
                let r = rotation_from_euler(0.5 * a.sin(), 0.3 * (3.0 * a).cos(), 0.2 * a);
                let mut img = project(&r, Vector3::new(0.0, 0.0, 650.0), &cam);
                for (k, p) in img.iter_mut().enumerate() {
                    p[0] += ((k * 7 + i) % 13) as f64 / 6.0 - 1.0;
                    p[1] += ((k * 5 + i) % 11) as f64 / 5.0 - 1.0;
                }
                img
            })
            .collect();
        let model = reference_model();
        let t = std::time::Instant::now();
        for img in &imgs {
            let norm: Vec<[f64; 2]> = img
                .iter()
                .map(|p| [(p[0] - cam.cx) / cam.fx, (p[1] - cam.cy) / cam.fy])
                .collect();
            std::hint::black_box(epnp_with(model, &norm));
        }
        let e = t.elapsed().as_secs_f64() / imgs.len() as f64;
        let t = std::time::Instant::now();
        for img in &imgs {
            std::hint::black_box(solve_pnp(img, &cam));
        }
        let f = t.elapsed().as_secs_f64() / imgs.len() as f64;
        println!(
            "epnp {:.1} us, epnp+lm {:.1} us per frame",
            e * 1e6,
            f * 1e6
        );
    }

    #[test]
    fn two_d_needs_a_camera() {
        let scheme = Scheme::named("ibug68").unwrap();
        let data = vec![0.0; 68 * 2];
        let lm = Landmarks::new(&data, [1, 68, 2], &scheme, "landmarks").unwrap();
        let e = head_pose(&lm, &scheme, None, Some(1)).unwrap_err();
        assert!(e.to_string().contains("image_size"));
    }
}
