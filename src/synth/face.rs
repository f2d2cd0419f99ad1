//! 68-point iBUG landmark sequences: the generic 3-D face of [`crate::face::pose`],
//! reshaped per subject, deformed by prototype expressions, moved, projected and blurred
//! with tracker noise.
//!
//! Expressions are Ekman's prototypes as FACS action units (Ekman and Friesen 1978;
//! Ekman, Friesen and Hager 2002): happiness AU6+12, sadness AU1+4+15, anger
//! AU4+5+7+23, fear AU1+2+4+5+20+26, surprise AU1+2+5+26, disgust AU9+15+16 (the nose
//! wrinkle approximated by a raised upper lip). Each unfolds with onset, apex and offset;
//! the mouth also opens with the speech envelope, the eyes blink and the head moves.

use nalgebra::Vector3;

use super::rng::Rng;
use super::Emotion;
use crate::face::pose::rotation_from_euler;
use crate::face::scheme::REFERENCE_SHAPE_3D;

/// Action units the generator can move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Au {
    InnerBrowRaiser = 1,
    OuterBrowRaiser = 2,
    BrowLowerer = 4,
    UpperLidRaiser = 5,
    CheekRaiser = 6,
    LidTightener = 7,
    NoseWrinkler = 9,
    LipCornerPuller = 12,
    LipCornerDepressor = 15,
    LowerLipDepressor = 16,
    LipStretcher = 20,
    LipTightener = 23,
    JawDrop = 26,
}

/// The prototype of an emotion: (action unit, intensity 0..1).
pub fn prototype(e: Emotion) -> &'static [(Au, f64)] {
    use Au::*;
    match e {
        Emotion::Neutral => &[],
        Emotion::Happy => &[(CheekRaiser, 0.8), (LipCornerPuller, 1.0)],
        Emotion::Sad => &[
            (InnerBrowRaiser, 1.0),
            (BrowLowerer, 0.3),
            (LipCornerDepressor, 1.0),
        ],
        Emotion::Angry => &[
            (BrowLowerer, 1.0),
            (UpperLidRaiser, 0.6),
            (LidTightener, 0.8),
            (LipTightener, 0.9),
        ],
        Emotion::Fearful => &[
            (InnerBrowRaiser, 0.8),
            (OuterBrowRaiser, 0.6),
            (BrowLowerer, 0.4),
            (UpperLidRaiser, 1.0),
            (LipStretcher, 0.9),
            (JawDrop, 0.4),
        ],
        Emotion::Disgust => &[
            (NoseWrinkler, 1.0),
            (LipCornerDepressor, 0.5),
            (LowerLipDepressor, 0.6),
        ],
        Emotion::Surprised => &[
            (InnerBrowRaiser, 1.0),
            (OuterBrowRaiser, 1.0),
            (UpperLidRaiser, 1.0),
            (JawDrop, 0.9),
        ],
    }
}

type Shape = [Vector3<f64>; 68];

fn add(s: &mut Shape, idx: &[usize], dx: f64, dy: f64) {
    for &i in idx {
        s[i].x += dx;
        s[i].y += dy;
    }
}

/// Moves `s` (millimetres, y down, x towards the subject's left) by `au` at intensity `w`.
/// Displacements are a few millimetres at full intensity, the scale of the visible
/// changes in the FACS manual's descriptions.
pub fn apply_au(s: &mut Shape, au: Au, w: f64) {
    // mirrored pairs: (right-side points, left-side points) move with opposite x
    let sym = |s: &mut Shape, right: &[usize], left: &[usize], dx: f64, dy: f64| {
        add(s, right, -dx, dy);
        add(s, left, dx, dy);
    };
    match au {
        Au::InnerBrowRaiser => {
            sym(s, &[20, 21], &[22, 23], 0.0, -4.0 * w);
            sym(s, &[19], &[24], 0.0, -2.0 * w);
        }
        Au::OuterBrowRaiser => {
            sym(s, &[17, 18], &[25, 26], 0.0, -4.0 * w);
            sym(s, &[19], &[24], 0.0, -2.0 * w);
        }
        Au::BrowLowerer => {
            sym(s, &[19, 20, 21], &[22, 23, 24], -2.0 * w, 3.5 * w);
            sym(s, &[17, 18], &[25, 26], 0.0, 2.0 * w);
        }
        Au::UpperLidRaiser => add(s, &[37, 38, 43, 44], 0.0, -1.6 * w),
        Au::CheekRaiser => {
            add(s, &[40, 41, 46, 47], 0.0, -1.3 * w);
            sym(s, &[1, 2], &[14, 15], 0.0, -w);
        }
        Au::LidTightener => {
            add(s, &[37, 38, 43, 44], 0.0, 0.9 * w);
            add(s, &[40, 41, 46, 47], 0.0, -0.9 * w);
        }
        Au::NoseWrinkler => {
            add(s, &[31, 32, 33, 34, 35], 0.0, -1.5 * w);
            add(s, &[49, 50, 51, 52, 53, 61, 62, 63], 0.0, -2.5 * w);
            sym(s, &[21], &[22], -w, 2.0 * w);
        }
        Au::LipCornerPuller => {
            sym(s, &[48, 60], &[54, 64], 4.0 * w, -5.5 * w);
            sym(s, &[49, 59], &[53, 55], 1.5 * w, -2.0 * w);
        }
        Au::LipCornerDepressor => {
            sym(s, &[48, 60], &[54, 64], 0.5 * w, 4.5 * w);
            sym(s, &[59], &[55], 0.0, 1.5 * w);
        }
        Au::LowerLipDepressor => add(s, &[56, 57, 58, 65, 66, 67], 0.0, 2.5 * w),
        Au::LipStretcher => {
            sym(s, &[48, 60], &[54, 64], 4.5 * w, 0.5 * w);
            sym(s, &[49, 59, 67, 61], &[53, 55, 65, 63], 2.0 * w, 0.0);
        }
        Au::LipTightener => {
            sym(s, &[48, 60], &[54, 64], -2.5 * w, 0.0);
            add(s, &[49, 50, 51, 52, 53], 0.0, 1.0 * w);
            add(s, &[55, 56, 57, 58, 59], 0.0, -w);
        }
        Au::JawDrop => jaw(s, 9.0 * w),
    }
}

/// Opens the jaw by `mm` at the chin: lower lip and chin move down, the jaw contour
/// less towards the ears.
fn jaw(s: &mut Shape, mm: f64) {
    for (i, p) in s.iter_mut().enumerate().take(15).skip(2) {
        let along = 1.0 - ((i as f64 - 8.0).abs() / 7.0);
        p.y += mm * along.max(0.0);
    }
    add(s, &[55, 56, 57, 58, 59], 0.0, mm);
    add(s, &[65, 66, 67], 0.0, 0.9 * mm);
    add(s, &[48, 54, 60, 64], 0.0, 0.3 * mm);
}

/// One subject's face and manner.
#[derive(Debug, Clone)]
pub struct Subject {
    shape: Shape,
    /// How strongly this subject shows expressions (0.3..1): people differ widely in
    /// facial expressivity, so some faces say little.
    pub expressivity: f64,
    /// Distance from the camera (mm).
    distance: f64,
}

impl Subject {
    /// A face reshaped from the generic one: width, height, eye spacing, mouth width,
    /// brow height, and a small fixed offset per point.
    pub fn draw(female: bool, rng: &mut Rng) -> Self {
        let size = if female { 0.94 } else { 1.0 };
        let (sx, sy) = (size * rng.gauss(1.0, 0.04), size * rng.gauss(1.0, 0.04));
        let eye = rng.gauss(1.0, 0.04);
        let mouth = rng.gauss(1.0, 0.06);
        let brow = rng.gauss(0.0, 1.5);
        let mut shape = [Vector3::zeros(); 68];
        for (i, p) in REFERENCE_SHAPE_3D.iter().enumerate() {
            let mut v = Vector3::new(p[0] * sx, p[1] * sy, p[2] * size);
            if (36..48).contains(&i) {
                v.x *= eye;
            }
            if (48..68).contains(&i) {
                v.x *= mouth;
            }
            if (17..27).contains(&i) {
                v.y += brow;
            }
            shape[i] = v + Vector3::new(rng.gauss(0.0, 0.6), rng.gauss(0.0, 0.6), 0.0);
        }
        Subject {
            shape,
            expressivity: rng.range(0.3, 1.0),
            distance: rng.range(450.0, 650.0),
        }
    }
}

/// Expression intensity at time `t` of a clip of `dur` seconds: a smooth onset to the
/// apex, a hold and a partial offset (onset-apex-offset dynamics).
fn intensity(t: f64, onset: f64, rise: f64, offset: f64, dur: f64) -> f64 {
    let smooth = |x: f64| {
        let x = x.clamp(0.0, 1.0);
        x * x * (3.0 - 2.0 * x)
    };
    let up = smooth((t - onset) / rise);
    let down = 1.0 - 0.6 * smooth((t - offset) / (dur - offset).max(1e-3));
    up * down
}

/// Landmarks `(n_frames, 68, 2)` in pixels of a 640x480 camera, row-major, for `dur`
/// seconds at `fps`. `speech_envelope` (0..1, any length) drives the talking mouth.
pub fn landmarks(
    subject: &Subject,
    emotion: Emotion,
    dur: f64,
    fps: f64,
    speech_envelope: &[f32],
    rng: &mut Rng,
) -> Vec<f32> {
    landmarks_modulated(subject, emotion, dur, fps, speech_envelope, rng, None)
}

/// [`landmarks`] whose expression intensity over time is `apex * intensity(t)` (seconds
/// -> 0..1) instead of the onset-apex-offset curve; None is [`landmarks`], frame for frame.
pub fn landmarks_modulated(
    subject: &Subject,
    emotion: Emotion,
    dur: f64,
    fps: f64,
    speech_envelope: &[f32],
    rng: &mut Rng,
    intensity_of: Option<&dyn Fn(f64) -> f64>,
) -> Vec<f32> {
    let n_frames = ((dur * fps).floor() as usize).max(1);
    let onset = rng.range(0.0, 0.25 * dur);
    let rise = rng.range(0.2, 0.5);
    let offset = rng.range(0.7, 0.9) * dur;
    let apex = subject.expressivity * rng.range(0.7, 1.0);
    // head motion: a sum of two slow sines per angle with random phases (degrees)
    let mut head = [[0.0f64; 5]; 3];
    for h in head.iter_mut() {
        *h = [
            rng.gauss(0.0, 4.0),
            rng.range(1.0, 3.0),
            rng.range(0.2, 0.6),
            rng.range(0.0, 6.3),
            rng.range(0.0, 6.3),
        ];
    }
    let blink_rate = 0.3; // blinks per second
    let blink_frames = ((0.15 * fps).round() as usize).max(1);
    let mut blink_left = 0usize;
    let (fx, cx, cy) = (800.0, 320.0, 240.0);
    let mut out = Vec::with_capacity(n_frames * 136);
    let n_env = speech_envelope.len();
    for f in 0..n_frames {
        let t = f as f64 / fps;
        let mut s = subject.shape;
        let k = apex
            * match intensity_of {
                Some(f) => f(t),
                None => intensity(t, onset, rise, offset, dur),
            };
        for &(au, w) in prototype(emotion) {
            apply_au(&mut s, au, k * w);
        }
        // talking: the mean speech envelope over this video frame opens the jaw
        if n_env > 0 {
            let a = (f * n_env / n_frames).min(n_env - 1);
            let b = ((f + 1) * n_env / n_frames).clamp(a + 1, n_env);
            let e = speech_envelope[a..b].iter().map(|&v| v as f64).sum::<f64>() / (b - a) as f64;
            jaw(&mut s, 5.0 * e);
        }
        if blink_left == 0 && rng.chance(blink_rate / fps) {
            blink_left = blink_frames;
        }
        if blink_left > 0 {
            // upper lids fall onto the lower ones, deepest mid-blink
            let phase = (blink_frames - blink_left) as f64 + 0.5;
            let closure = (std::f64::consts::PI * phase / blink_frames as f64).sin();
            for (up, low) in [(37, 41), (38, 40), (43, 47), (44, 46)] {
                s[up].y += closure * 0.9 * (s[low].y - s[up].y);
            }
            blink_left -= 1;
        }
        let ang = |h: &[f64; 5]| {
            (h[0]
                + h[1] * (h[2] * t * std::f64::consts::TAU + h[3]).sin()
                + 0.5 * h[1] * (1.7 * h[2] * t * std::f64::consts::TAU + h[4]).sin())
            .to_radians()
        };
        let r = rotation_from_euler(ang(&head[0]), ang(&head[1]), 0.5 * ang(&head[2]));
        for p in s.iter() {
            let c = r * p + Vector3::new(0.0, 0.0, subject.distance);
            out.push((fx * c.x / c.z + cx + rng.gauss(0.0, 0.4)) as f32);
            out.push((fx * c.y / c.z + cy + rng.gauss(0.0, 0.4)) as f32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::rng::Domain;
    use super::*;
    use crate::face::geometry::{frame_measures, geometry_names, N_GEOMETRY};

    fn measure(shape: &Shape, name: &str) -> f64 {
        let mut out = vec![0.0; N_GEOMETRY];
        assert!(frame_measures(shape, &mut out));
        let k = geometry_names().iter().position(|n| n == name).unwrap();
        out[k]
    }

    fn posed(au: Au) -> (Shape, Shape) {
        let neutral: Shape = REFERENCE_SHAPE_3D.map(|p| Vector3::new(p[0], p[1], p[2]));
        let mut s = neutral;
        apply_au(&mut s, au, 1.0);
        (neutral, s)
    }

    #[test]
    fn action_units_move_their_measures() {
        let (n, s) = posed(Au::LipCornerPuller);
        assert!(
            measure(&s, "lip_corner_pull_vertical_left")
                > measure(&n, "lip_corner_pull_vertical_left")
        );
        let (n, s) = posed(Au::InnerBrowRaiser);
        assert!(measure(&s, "inner_brow_raise_left") > measure(&n, "inner_brow_raise_left"));
        let (n, s) = posed(Au::BrowLowerer);
        assert!(measure(&s, "brow_furrow") < measure(&n, "brow_furrow"));
        let (n, s) = posed(Au::JawDrop);
        assert!(measure(&s, "mouth_opening") > measure(&n, "mouth_opening"));
        let (n, s) = posed(Au::UpperLidRaiser);
        assert!(measure(&s, "eye_aspect_ratio_left") > measure(&n, "eye_aspect_ratio_left"));
    }

    #[test]
    fn sequences_have_the_right_shape_and_are_reproducible() {
        let make = || {
            let mut r = Rng::stream(5, Domain::Face, 2);
            let subj = Subject::draw(true, &mut r);
            landmarks(&subj, Emotion::Happy, 2.0, 30.0, &[0.5; 100], &mut r)
        };
        let a = make();
        assert_eq!(a.len(), 60 * 68 * 2);
        assert!(a.iter().all(|v| v.is_finite() && *v > 0.0 && *v < 640.0));
        assert_eq!(a, make());
    }

    #[test]
    fn onset_apex_offset() {
        assert_eq!(intensity(0.1, 0.2, 0.3, 1.5, 2.0), 0.0);
        assert!((intensity(1.0, 0.2, 0.3, 1.5, 2.0) - 1.0).abs() < 1e-12);
        assert!((intensity(2.0, 0.2, 0.3, 1.5, 2.0) - 0.4).abs() < 1e-12);
    }
}
