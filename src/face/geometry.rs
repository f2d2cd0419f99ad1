//! Named expression measures on the 68-point layout.
//!
//! Each frame is first aligned (Umeyama similarity onto the mean shape, see
//! [`super::align`]) so that "vertical" and "horizontal" mean the face's own axes (x
//! towards the subject's left, y down); every distance is then divided by the frame's
//! inter-ocular distance (outer eye corners 36-45), so the measures do not change under
//! translation, scaling or in-plane rotation of the input. Point numbers are 0-based
//! iBUG indices; "left"/"right" are the subject's (left eye = 42-47).

use nalgebra::Vector3;
use rayon::prelude::*;

use super::align::{frame_transform, mean_shape, AlignMethod};
use super::{ibug_points, Landmarks, Scheme};
use crate::error::{Error, Result};
use crate::parallel;

/// Point pairs whose normalised distance is published as `distance_A_B`.
pub const DISTANCE_PAIRS: [(usize, usize); 21] = [
    (17, 36), // right brow outer - right eye outer corner
    (21, 39), // right brow inner - right eye inner corner
    (22, 42), // left brow inner - left eye inner corner
    (26, 45), // left brow outer - left eye outer corner
    (19, 37), // right brow middle - right upper lid
    (24, 44), // left brow middle - left upper lid
    (27, 33), // nose length (nasion - subnasale)
    (31, 35), // nose width (alae)
    (33, 51), // subnasale - upper lip
    (48, 54), // mouth corners
    (51, 57), // outer lip height
    (62, 66), // inner lip gap
    (60, 64), // inner lip corners
    (33, 48), // subnasale - right mouth corner
    (33, 54), // subnasale - left mouth corner
    (57, 8),  // lower lip - chin
    (33, 8),  // subnasale - chin
    (0, 16),  // face width at the eyes
    (27, 8),  // face height (nasion - chin)
    (36, 48), // right eye outer corner - right mouth corner
    (45, 54), // left eye outer corner - left mouth corner
];

/// Interior angles (degrees) published as `angle_NAME`: (name, vertex, arm, arm).
pub const VERTEX_ANGLES: [(&str, usize, usize, usize); 6] = [
    ("mouth_corner_left", 54, 53, 55),
    ("mouth_corner_right", 48, 49, 59),
    ("eye_corner_left", 45, 44, 46),
    ("eye_corner_right", 36, 37, 41),
    ("chin", 8, 6, 10),
    ("nose_tip", 30, 31, 35),
];

/// Mirror pairs (subject's right, left) used by `face_asymmetry`.
const MIRROR_PAIRS: [(usize, usize); 29] = [
    (0, 16),
    (1, 15),
    (2, 14),
    (3, 13),
    (4, 12),
    (5, 11),
    (6, 10),
    (7, 9),
    (17, 26),
    (18, 25),
    (19, 24),
    (20, 23),
    (21, 22),
    (36, 45),
    (37, 44),
    (38, 43),
    (39, 42),
    (40, 47),
    (41, 46),
    (31, 35),
    (32, 34),
    (48, 54),
    (49, 53),
    (50, 52),
    (59, 55),
    (58, 56),
    (60, 64),
    (61, 63),
    (67, 65),
];

/// Midline points: their mean x is the face's axis of symmetry.
const MIDLINE: [usize; 10] = [8, 27, 28, 29, 30, 33, 51, 57, 62, 66];

/// The measures before the pairwise distances and vertex angles, in output order.
pub const NAMED_MEASURES: [&str; 26] = [
    "eye_aspect_ratio_left",
    "eye_aspect_ratio_right",
    "eye_openness_left",
    "eye_openness_right",
    "mouth_aspect_ratio",
    "mouth_width",
    "mouth_height",
    "mouth_opening",
    "inner_brow_raise_left",
    "inner_brow_raise_right",
    "outer_brow_raise_left",
    "outer_brow_raise_right",
    "brow_furrow",
    "lip_corner_pull_vertical_left",
    "lip_corner_pull_vertical_right",
    "lip_corner_pull_horizontal_left",
    "lip_corner_pull_horizontal_right",
    "lip_stretch",
    "upper_lip_raise",
    "jaw_drop",
    "nose_wrinkle",
    "face_asymmetry",
    "angle_brow_left",
    "angle_brow_right",
    "angle_lip_corners",
    "angle_upper_lip",
];

/// Number of geometry columns.
pub const N_GEOMETRY: usize = NAMED_MEASURES.len() + DISTANCE_PAIRS.len() + VERTEX_ANGLES.len();

/// Column names of [`geometry`]'s output, in order.
pub fn geometry_names() -> Vec<String> {
    let mut v: Vec<String> = NAMED_MEASURES.iter().map(|s| s.to_string()).collect();
    v.extend(
        DISTANCE_PAIRS
            .iter()
            .map(|(a, b)| format!("distance_{a}_{b}")),
    );
    v.extend(VERTEX_ANGLES.iter().map(|(n, ..)| format!("angle_{n}")));
    v
}

fn interior_angle(v: Vector3<f64>, a: Vector3<f64>, b: Vector3<f64>) -> f64 {
    let (x, y) = (a - v, b - v);
    // atan2 of |x × y| and x·y is accurate for small and near-straight angles alike
    x.cross(&y).norm().atan2(x.dot(&y)).to_degrees()
}

/// Measures of one frame from its 68 aligned points; writes [`N_GEOMETRY`] values.
/// Returns false (and writes NaN) when the inter-ocular distance is zero.
pub fn frame_measures(p: &[Vector3<f64>; 68], out: &mut [f64]) -> bool {
    let d = |i: usize, j: usize| (p[i] - p[j]).norm();
    let x = |i: usize| p[i].x;
    let y = |i: usize| p[i].y;
    let iod = d(36, 45);
    if !(iod > 0.0) || !iod.is_finite() {
        out.iter_mut().for_each(|v| *v = f64::NAN);
        return false;
    }
    // Soukupova and Cech (2016): (|p2-p6| + |p3-p5|) / (2 |p1-p4|)
    let ear = |e: usize| (d(e + 1, e + 5) + d(e + 2, e + 4)) / (2.0 * d(e, e + 3));
    let openness = |e: usize| (d(e + 1, e + 5) + d(e + 2, e + 4)) / (2.0 * iod);
    let midline_x = MIDLINE.iter().map(|&i| x(i)).sum::<f64>() / MIDLINE.len() as f64;
    let asym = MIRROR_PAIRS
        .iter()
        .map(|&(r, l)| {
            let m = Vector3::new(2.0 * midline_x - p[l].x, p[l].y, p[l].z);
            (m - p[r]).norm()
        })
        .sum::<f64>()
        / (MIRROR_PAIRS.len() as f64 * iod);
    let slope = |from: usize, to: usize| (y(from) - y(to)).atan2((x(to) - x(from)).abs());
    let named = [
        ear(42),
        ear(36),
        openness(42),
        openness(36),
        (d(61, 67) + d(62, 66) + d(63, 65)) / (2.0 * d(60, 64)),
        d(48, 54) / iod,
        d(51, 57) / iod,
        d(62, 66) / iod,
        (y(42) - y(22)) / iod,
        (y(39) - y(21)) / iod,
        (y(45) - y(26)) / iod,
        (y(36) - y(17)) / iod,
        d(21, 22) / iod,
        (y(33) - y(54)) / iod,
        (y(33) - y(48)) / iod,
        (x(54) - x(33)) / iod,
        (x(33) - x(48)) / iod,
        d(60, 64) / iod,
        (y(33) - y(51)) / iod,
        (y(8) - y(33)) / iod,
        -(d(31, 39) + d(35, 42)) / (2.0 * iod),
        asym,
        // brow slope: positive when the outer end is higher than the inner one
        slope(22, 26).to_degrees(),
        slope(21, 17).to_degrees(),
        // mouth tilt: positive when the left corner (54) is higher
        (y(48) - y(54)).atan2(x(54) - x(48)).to_degrees(),
        interior_angle(p[51], p[48], p[54]),
    ];
    let n0 = named.len();
    out[..n0].copy_from_slice(&named);
    for (k, &(a, b)) in DISTANCE_PAIRS.iter().enumerate() {
        out[n0 + k] = d(a, b) / iod;
    }
    let n1 = n0 + DISTANCE_PAIRS.len();
    for (k, &(_, v, a, b)) in VERTEX_ANGLES.iter().enumerate() {
        out[n1 + k] = interior_angle(p[v], p[a], p[b]);
    }
    true
}

/// Geometry of every frame, `(n_frames, N_GEOMETRY)` row-major, and the number of
/// frames whose face was degenerate (zero inter-ocular distance; NaN rows). Frames with
/// non-finite points are NaN rows too but are not counted (no face found).
pub fn geometry(
    lm: &Landmarks<'_>,
    scheme: &Scheme,
    n_jobs: Option<i64>,
) -> Result<(Vec<f64>, usize)> {
    let dim = lm.dim;
    let mean = mean_shape(dim);
    let mut out = vec![f64::NAN; lm.n_frames * N_GEOMETRY];
    let degenerate = parallel::install(n_jobs, || {
        out.par_chunks_mut(N_GEOMETRY)
            .enumerate()
            .map(|(i, o)| {
                let Some(pts) = ibug_points(lm.frame(i), dim, scheme) else {
                    return 0usize;
                };
                let Some(tf) = frame_transform(&pts, dim, AlignMethod::Procrustes, &mean) else {
                    return 1;
                };
                let aligned: [Vector3<f64>; 68] =
                    std::array::from_fn(|k| Vector3::from(tf.apply(pts[k])));
                usize::from(!frame_measures(&aligned, o))
            })
            .sum::<usize>()
    })?;
    Ok((out, degenerate))
}

/// Column names of [`mesh_geometry`].
pub const MESH_GEOMETRY_NAMES: [&str; 6] = [
    "mesh_eye_aspect_ratio_left",
    "mesh_eye_aspect_ratio_right",
    "iris_horizontal_left",
    "iris_horizontal_right",
    "iris_vertical_left",
    "iris_vertical_right",
];

/// Measures that need the dense MediaPipe mesh, `(n_frames, 6)` row-major:
///
/// - `mesh_eye_aspect_ratio_*`: the eye aspect ratio over the full eyelid contours, the
///   mean of seven upper-lower lid distances divided by the corner distance (the
///   six-point EAR uses two);
/// - `iris_horizontal_*`: iris centre along the eye's corner line, from the corners'
///   midpoint, in eye widths, positive towards the subject's left (both eyes);
/// - `iris_vertical_*`: iris centre above the corners' midpoint in eye widths (positive
///   = up), in the aligned face frame.
///
/// Iris columns are NaN for `mediapipe468` (no iris points). Needs a MediaPipe scheme.
pub fn mesh_geometry(
    lm: &Landmarks<'_>,
    scheme: &Scheme,
    n_jobs: Option<i64>,
) -> Result<(Vec<f64>, usize)> {
    use super::scheme::{
        MEDIAPIPE_IRIS_CENTRES, MEDIAPIPE_LEFT_CORNERS, MEDIAPIPE_LEFT_EYELIDS,
        MEDIAPIPE_RIGHT_CORNERS, MEDIAPIPE_RIGHT_EYELIDS,
    };
    if !scheme.is_mediapipe() {
        return Err(Error::param(
            "scheme",
            format!(
                "mesh measures need \"mediapipe478\" or \"mediapipe468\", got {:?}",
                scheme.name()
            ),
        ));
    }
    let dim = lm.dim;
    let has_iris = scheme.n_points() > MEDIAPIPE_IRIS_CENTRES.1;
    let mean = mean_shape(dim);
    const W: usize = MESH_GEOMETRY_NAMES.len();
    let mut out = vec![f64::NAN; lm.n_frames * W];
    let degenerate = parallel::install(n_jobs, || {
        out.par_chunks_mut(W)
            .enumerate()
            .map(|(i, o)| {
                let frame = lm.frame(i);
                let Some(pts) = ibug_points(frame, dim, scheme) else {
                    return 0usize;
                };
                let Some(tf) = frame_transform(&pts, dim, AlignMethod::Procrustes, &mean) else {
                    return 1;
                };
                let p = |k: usize| -> Vector3<f64> {
                    let mut v = [0.0; 3];
                    v[..dim].copy_from_slice(&frame[k * dim..k * dim + dim]);
                    Vector3::from(tf.apply(v))
                };
                let eye = |lids: &[(usize, usize); 7], (outer, inner): (usize, usize)| {
                    let width = (p(outer) - p(inner)).norm();
                    let lid = lids.iter().map(|&(u, l)| (p(u) - p(l)).norm()).sum::<f64>()
                        / lids.len() as f64;
                    lid / width
                };
                // iris offset from the corners' midpoint in eye widths (aligned frame)
                let iris = |c: usize, (outer, inner): (usize, usize)| {
                    let (a, b) = (p(outer), p(inner));
                    let width = (a - b).norm();
                    let d = p(c) - (a + b) / 2.0;
                    (d.x / width, -d.y / width)
                };
                o[0] = eye(&MEDIAPIPE_LEFT_EYELIDS, MEDIAPIPE_LEFT_CORNERS);
                o[1] = eye(&MEDIAPIPE_RIGHT_EYELIDS, MEDIAPIPE_RIGHT_CORNERS);
                if has_iris {
                    let (hl, vl) = iris(MEDIAPIPE_IRIS_CENTRES.1, MEDIAPIPE_LEFT_CORNERS);
                    let (hr, vr) = iris(MEDIAPIPE_IRIS_CENTRES.0, MEDIAPIPE_RIGHT_CORNERS);
                    o[2..6].copy_from_slice(&[hl, hr, vl, vr]);
                }
                // a frame whose mesh-only points are missing stays NaN throughout
                if o.iter()
                    .take(if has_iris { 6 } else { 2 })
                    .any(|v| !v.is_finite())
                {
                    o.iter_mut().for_each(|v| *v = f64::NAN);
                }
                0
            })
            .sum::<usize>()
    })?;
    Ok((out, degenerate))
}

/// Names of [`au_proxies`]' columns.
pub const AU_PROXY_NAMES: [&str; 10] = [
    "AU01_proxy",
    "AU02_proxy",
    "AU04_proxy",
    "AU05_proxy",
    "AU12_proxy",
    "AU15_proxy",
    "AU20_proxy",
    "AU25_proxy",
    "AU26_proxy",
    "AU45_proxy",
];

fn col(name: &str) -> usize {
    NAMED_MEASURES
        .iter()
        .position(|n| *n == name)
        .unwrap_or(usize::MAX)
}

/// Action-unit proxies: changes of geometry measures relative to a neutral `baseline`
/// (one value per geometry column), `(n_frames, 10)` row-major. Signed: positive = more
/// of the action. Geometric proxies, not FACS coding.
pub fn au_proxies(g: &[f64], n_frames: usize, baseline: &[f64]) -> Result<Vec<f64>> {
    if g.len() != n_frames * N_GEOMETRY {
        return Err(Error::param(
            "geometry",
            format!(
                "expected {N_GEOMETRY} geometry columns, got {} values for {n_frames} frames",
                g.len()
            ),
        ));
    }
    if baseline.len() != N_GEOMETRY {
        return Err(Error::param(
            "neutral",
            format!(
                "expected a baseline of {N_GEOMETRY} values, got {}",
                baseline.len()
            ),
        ));
    }
    let mut out = vec![f64::NAN; n_frames * AU_PROXY_NAMES.len()];
    let [earl, earr, opl, opr, ibl, ibr, obl, obr, furrow, cvl, cvr, stretch, opening, jaw] = [
        "eye_aspect_ratio_left",
        "eye_aspect_ratio_right",
        "eye_openness_left",
        "eye_openness_right",
        "inner_brow_raise_left",
        "inner_brow_raise_right",
        "outer_brow_raise_left",
        "outer_brow_raise_right",
        "brow_furrow",
        "lip_corner_pull_vertical_left",
        "lip_corner_pull_vertical_right",
        "lip_stretch",
        "mouth_opening",
        "jaw_drop",
    ]
    .map(col);
    for (row, o) in g.chunks_exact(N_GEOMETRY).zip(out.chunks_exact_mut(10)) {
        let delta = |c: usize| row[c] - baseline[c];
        let mean_delta = |a: usize, b: usize| (delta(a) + delta(b)) / 2.0;
        let base_ear = (baseline[earl] + baseline[earr]) / 2.0;
        o.copy_from_slice(&[
            mean_delta(ibl, ibr),
            mean_delta(obl, obr),
            -delta(furrow) - mean_delta(ibl, ibr),
            mean_delta(opl, opr),
            mean_delta(cvl, cvr),
            -mean_delta(cvl, cvr),
            delta(stretch),
            delta(opening),
            delta(jaw),
            -mean_delta(earl, earr) / base_ear,
        ]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::face::scheme::REFERENCE_SHAPE_3D;
    use approx::assert_abs_diff_eq;

    fn reference_2d(scale: f64, angle: f64, shift: [f64; 2]) -> Vec<f64> {
        let (s, c) = angle.sin_cos();
        REFERENCE_SHAPE_3D
            .iter()
            .flat_map(|p| {
                [
                    scale * (c * p[0] - s * p[1]) + shift[0],
                    scale * (s * p[0] + c * p[1]) + shift[1],
                ]
            })
            .collect()
    }

    #[test]
    fn names_match_columns() {
        assert_eq!(geometry_names().len(), N_GEOMETRY);
        assert!(AU_PROXY_NAMES.iter().all(|n| n.ends_with("_proxy")));
        assert!(col("jaw_drop") < N_GEOMETRY);
    }

    #[test]
    fn eye_aspect_ratio_formula() {
        let scheme = Scheme::named("ibug68").unwrap();
        let data = reference_2d(1.0, 0.0, [0.0, 0.0]);
        let lm = Landmarks::new(&data, [1, 68, 2], &scheme, "landmarks").unwrap();
        let (g, bad) = geometry(&lm, &scheme, Some(1)).unwrap();
        assert_eq!(bad, 0);
        let p = |i: usize| [data[2 * i], data[2 * i + 1]];
        let dist = |a: usize, b: usize| {
            let (pa, pb) = (p(a), p(b));
            ((pa[0] - pb[0]).powi(2) + (pa[1] - pb[1]).powi(2)).sqrt()
        };
        let ear_left = (dist(43, 47) + dist(44, 46)) / (2.0 * dist(42, 45));
        assert_abs_diff_eq!(g[0], ear_left, epsilon = 1e-12);
        assert!(g.iter().all(|v| v.is_finite()));
        // the reference face is symmetric
        assert_abs_diff_eq!(g[col("face_asymmetry")], 0.0, epsilon = 1e-12);
    }

    #[test]
    fn invariant_to_similarity() {
        let scheme = Scheme::named("ibug68").unwrap();
        let a = reference_2d(1.0, 0.0, [0.0, 0.0]);
        let b = reference_2d(3.7, 0.9, [400.0, -20.0]);
        let la = Landmarks::new(&a, [1, 68, 2], &scheme, "landmarks").unwrap();
        let lb = Landmarks::new(&b, [1, 68, 2], &scheme, "landmarks").unwrap();
        let (ga, _) = geometry(&la, &scheme, Some(1)).unwrap();
        let (gb, _) = geometry(&lb, &scheme, Some(1)).unwrap();
        for (x, y) in ga.iter().zip(&gb) {
            assert_abs_diff_eq!(x, y, epsilon = 1e-9);
        }
    }

    #[test]
    fn mesh_measures_need_mediapipe() {
        let scheme = Scheme::named("ibug68").unwrap();
        let a = reference_2d(1.0, 0.0, [0.0, 0.0]);
        let la = Landmarks::new(&a, [1, 68, 2], &scheme, "landmarks").unwrap();
        assert!(mesh_geometry(&la, &scheme, Some(1)).is_err());
    }

    #[test]
    fn au_proxies_are_zero_at_baseline() {
        let scheme = Scheme::named("ibug68").unwrap();
        let a = reference_2d(1.0, 0.0, [0.0, 0.0]);
        let la = Landmarks::new(&a, [1, 68, 2], &scheme, "landmarks").unwrap();
        let (g, _) = geometry(&la, &scheme, Some(1)).unwrap();
        let au = au_proxies(&g, 1, &g).unwrap();
        assert!(au.iter().all(|v| v.abs() < 1e-12));
        assert!(au_proxies(&g, 1, &g[..3]).is_err());
    }
}
