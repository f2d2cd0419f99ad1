//! Landmark layouts ("schemes") and their map onto the 68-point iBUG-300W layout that every
//! measure is defined on.
//!
//! - `ibug68`: dlib / OpenFace / 300-W order, 0-based: jaw 0-16, right brow 17-21, left
//!   brow 22-26, nose bridge 27-30, lower nose 31-35, right eye 36-41, left eye 42-47,
//!   outer lips 48-59, inner lips 60-67 ("right" and "left" are the subject's).
//! - `mediapipe478` (FaceLandmarker: 468 mesh points + 10 iris points) and `mediapipe468`
//!   (FaceMesh without iris): mapped onto the 68 layout with the published index map
//!   below.
//! - user schemes: `n_points` and the indices of the nine iBUG regions ([`REGIONS`]).
//!
//! It also holds the generic 3-D face in the iBUG layout ([`REFERENCE_SHAPE_3D`]) that
//! alignment and head pose are defined against.

use crate::error::{Error, Result};

/// The nine iBUG-68 regions in order, with their point counts.
pub const REGIONS: [(&str, usize); 9] = [
    ("jaw", 17),
    ("right_brow", 5),
    ("left_brow", 5),
    ("nose_bridge", 4),
    ("lower_nose", 5),
    ("right_eye", 6),
    ("left_eye", 6),
    ("outer_lips", 12),
    ("inner_lips", 8),
];

/// A generic adult face in the 68-point iBUG layout, millimetres.
///
/// Axes as the camera's in OpenFace: x towards the subject's left (image right), y down,
/// z away from the viewer, so a face looking into the camera has R = I. The origin is
/// between the eyes: x = 0 on the midline, y = 0 on the eye-corner line, z = 0 about the
/// depth of the inner eye corners. Constructed for affectkit from average adult
/// anthropometric proportions (outer canthi 90 mm apart, inner canthi 32 mm, mouth
/// 50 mm wide, eye line to chin 105 mm, nose tip 24 mm in front of the inner canthi,
/// jaw contour 140 mm wide at eye level); it is a generic face, not a fitted mean shape.
#[rustfmt::skip]
pub const REFERENCE_SHAPE_3D: [[f64; 3]; 68] = [
    // jaw 0-16 (subject's right ear level, round the chin, to the left)
    [-70.0, 3.0, 48.0], [-69.0, 19.0, 46.0], [-67.0, 36.0, 43.0], [-64.0, 52.0, 38.0],
    [-58.0, 68.0, 30.0], [-49.0, 82.0, 19.0], [-37.0, 93.0, 8.0], [-20.0, 101.0, 0.0],
    [0.0, 105.0, -3.0],
    [20.0, 101.0, 0.0], [37.0, 93.0, 8.0], [49.0, 82.0, 19.0], [58.0, 68.0, 30.0],
    [64.0, 52.0, 38.0], [67.0, 36.0, 43.0], [69.0, 19.0, 46.0], [70.0, 3.0, 48.0],
    // right brow 17-21 (outer to inner), left brow 22-26 (inner to outer)
    [-58.0, -13.0, 14.0], [-50.0, -19.0, 4.0], [-38.0, -22.0, -3.0], [-26.0, -21.0, -6.0],
    [-13.0, -18.0, -7.0],
    [13.0, -18.0, -7.0], [26.0, -21.0, -6.0], [38.0, -22.0, -3.0], [50.0, -19.0, 4.0],
    [58.0, -13.0, 14.0],
    // nose bridge 27-30 (nasion to tip), lower nose 31-35 (right ala to left ala)
    [0.0, -2.0, -2.0], [0.0, 8.0, -9.0], [0.0, 18.0, -16.0], [0.0, 28.0, -24.0],
    [-15.0, 37.0, -6.0], [-8.0, 39.0, -11.0], [0.0, 40.0, -14.0], [8.0, 39.0, -11.0],
    [15.0, 37.0, -6.0],
    // right eye 36-41: outer corner, top, top, inner corner, bottom, bottom
    [-45.0, -1.0, 10.0], [-35.0, -5.0, 3.0], [-25.5, -5.0, 2.0], [-16.0, 0.5, 2.0],
    [-25.5, 4.0, 2.5], [-35.0, 3.5, 4.0],
    // left eye 42-47: inner corner, top, top, outer corner, bottom, bottom
    [16.0, 0.5, 2.0], [25.5, -5.0, 2.0], [35.0, -5.0, 3.0], [45.0, -1.0, 10.0],
    [35.0, 3.5, 4.0], [25.5, 4.0, 2.5],
    // outer lips 48-59 (right corner, along the upper lip, left corner, along the lower)
    [-25.0, 62.0, -2.0], [-15.0, 57.0, -10.0], [-6.0, 54.0, -14.0], [0.0, 55.0, -15.0],
    [6.0, 54.0, -14.0], [15.0, 57.0, -10.0], [25.0, 62.0, -2.0], [15.0, 68.0, -9.0],
    [7.0, 71.0, -12.0], [0.0, 72.0, -13.0], [-7.0, 71.0, -12.0], [-15.0, 68.0, -9.0],
    // inner lips 60-67
    [-21.0, 62.0, -4.0], [-8.0, 60.5, -11.0], [0.0, 61.0, -12.0], [8.0, 60.5, -11.0],
    [21.0, 62.0, -4.0], [8.0, 63.0, -11.0], [0.0, 63.5, -12.0], [-8.0, 63.0, -11.0],
];

/// MediaPipe face-mesh indices of the 68 iBUG points, in iBUG order.
pub const MEDIAPIPE_TO_IBUG68: [usize; 68] = [
    // jaw 0-16
    127, 234, 93, 132, 58, 172, 136, 150, 176, 148, 152, 377, 400, 379, 365, 397, 356,
    // right brow 17-21, left brow 22-26
    70, 63, 105, 66, 107, 336, 296, 334, 293, 300, //
    // nose bridge 27-30, lower nose 31-35
    168, 6, 195, 4, 240, 75, 1, 305, 460, //
    // right eye 36-41, left eye 42-47
    33, 160, 158, 133, 153, 144, 362, 385, 387, 263, 373, 380, //
    // outer lips 48-59
    61, 39, 37, 0, 267, 269, 291, 405, 314, 17, 84, 181, //
    // inner lips 60-67
    78, 82, 13, 312, 308, 317, 14, 87,
];

/// MediaPipe eyelid contours, outer corner to inner corner: (upper lid, lower lid) point
/// pairs at matching positions (the FACEMESH_RIGHT_EYE / FACEMESH_LEFT_EYE contours of
/// MediaPipe's face_mesh_connections, without the corners).
pub const MEDIAPIPE_RIGHT_EYELIDS: [(usize, usize); 7] = [
    (246, 7),
    (161, 163),
    (160, 144),
    (159, 145),
    (158, 153),
    (157, 154),
    (173, 155),
];
/// See [`MEDIAPIPE_RIGHT_EYELIDS`]; subject's left eye.
pub const MEDIAPIPE_LEFT_EYELIDS: [(usize, usize); 7] = [
    (466, 249),
    (388, 390),
    (387, 373),
    (386, 374),
    (385, 380),
    (384, 381),
    (398, 382),
];
/// Eye corners (outer, inner) of the subject's right and left eye.
pub const MEDIAPIPE_RIGHT_CORNERS: (usize, usize) = (33, 133);
pub const MEDIAPIPE_LEFT_CORNERS: (usize, usize) = (263, 362);
/// Iris centres (FaceLandmarker / refined FaceMesh, 478 points): subject's right, left.
pub const MEDIAPIPE_IRIS_CENTRES: (usize, usize) = (468, 473);

/// A landmark layout: how many points it has and where the 68 iBUG points are in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheme {
    name: String,
    n_points: usize,
    ibug68: [usize; 68],
}

impl Scheme {
    /// `ibug68`, `mediapipe478` or `mediapipe468`.
    pub fn named(name: &str) -> Result<Self> {
        let (n_points, map) = match name {
            "ibug68" => (68, std::array::from_fn(|i| i)),
            "mediapipe478" => (478, MEDIAPIPE_TO_IBUG68),
            "mediapipe468" => (468, MEDIAPIPE_TO_IBUG68),
            other => {
                return Err(Error::param(
                    "scheme",
                    format!(
                        "expected \"ibug68\", \"mediapipe478\", \"mediapipe468\" or a user \
                         scheme (n_points and the nine iBUG regions), got {other:?}"
                    ),
                ))
            }
        };
        Ok(Scheme {
            name: name.to_string(),
            n_points,
            ibug68: map,
        })
    }

    /// A user scheme: `n_points` and, for each of the nine [`REGIONS`] (any order), the
    /// indices of that region's points in iBUG order.
    pub fn from_regions(n_points: usize, regions: &[(String, Vec<i64>)]) -> Result<Self> {
        let mut map = [0usize; 68];
        let mut start = 0;
        for (region, count) in REGIONS {
            let found: Vec<&(String, Vec<i64>)> =
                regions.iter().filter(|(n, _)| n == region).collect();
            let idx = match found.as_slice() {
                [(_, idx)] => idx,
                [] => {
                    return Err(Error::param(
                        "scheme",
                        format!(
                            "user scheme lacks region {region:?}; it needs all of {:?}",
                            REGIONS.iter().map(|r| r.0).collect::<Vec<_>>()
                        ),
                    ))
                }
                _ => {
                    return Err(Error::param(
                        "scheme",
                        format!("region {region:?} is given more than once"),
                    ))
                }
            };
            if idx.len() != count {
                return Err(Error::param(
                    "scheme",
                    format!("region {region:?} needs {count} indices, got {}", idx.len()),
                ));
            }
            for (k, &i) in idx.iter().enumerate() {
                if i < 0 || i as usize >= n_points {
                    return Err(Error::param(
                        "scheme",
                        format!("region {region:?} index {i} is outside 0..{n_points} (n_points)"),
                    ));
                }
                map[start + k] = i as usize;
            }
            start += count;
        }
        if let Some((n, _)) = regions
            .iter()
            .find(|(n, _)| !REGIONS.iter().any(|r| r.0 == n))
        {
            return Err(Error::param(
                "scheme",
                format!(
                    "unknown region {n:?}; expected {:?}",
                    REGIONS.iter().map(|r| r.0).collect::<Vec<_>>()
                ),
            ));
        }
        Ok(Scheme {
            name: "user".to_string(),
            n_points,
            ibug68: map,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Points per frame in this layout.
    pub fn n_points(&self) -> usize {
        self.n_points
    }

    /// Whether this is one of the MediaPipe mesh layouts.
    pub fn is_mediapipe(&self) -> bool {
        self.name.starts_with("mediapipe")
    }

    /// Index in this layout of each of the 68 iBUG points.
    pub fn ibug68(&self) -> &[usize; 68] {
        &self.ibug68
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_schemes() {
        let s = Scheme::named("ibug68").unwrap();
        assert_eq!(s.n_points(), 68);
        assert_eq!(s.ibug68()[45], 45);
        let m = Scheme::named("mediapipe478").unwrap();
        assert_eq!(m.n_points(), 478);
        assert_eq!(m.ibug68()[36], 33);
        assert_eq!(m.ibug68()[45], 263);
        assert!(m.ibug68().iter().all(|&i| i < 468));
        assert!(Scheme::named("dlib5").is_err());
    }

    #[test]
    fn mediapipe_map_has_no_duplicates() {
        let mut v = MEDIAPIPE_TO_IBUG68.to_vec();
        v.sort();
        v.dedup();
        assert_eq!(v.len(), 68);
    }

    #[test]
    fn user_scheme_from_regions() {
        let mut regions = Vec::new();
        let mut start = 100i64;
        for (name, count) in REGIONS {
            regions.push((name.to_string(), (start..start + count as i64).collect()));
            start += count as i64;
        }
        let s = Scheme::from_regions(200, &regions).unwrap();
        assert_eq!(s.ibug68()[0], 100);
        assert_eq!(s.ibug68()[67], 167);
        let e = Scheme::from_regions(150, &regions).unwrap_err();
        assert!(e.to_string().contains("outside"));
        regions.pop();
        let e = Scheme::from_regions(200, &regions).unwrap_err();
        assert!(e.to_string().contains("inner_lips"));
    }
}
