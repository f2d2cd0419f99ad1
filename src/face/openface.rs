//! Reader for OpenFace 2.x FeatureExtraction CSV files (and py-feat's landmark columns,
//! which use the same `x_i`/`y_i` names).
//!
//! OpenFace writes `frame, face_id, timestamp, confidence, success`, then gaze
//! (`gaze_0_x` .. `gaze_angle_y`), eye landmarks (`eye_lmk_*`), pose (`pose_Tx`..`pose_Tz`
//! in mm, `pose_Rx`..`pose_Rz` in radians), 2-D landmarks `x_0..x_67, y_0..y_67`, 3-D
//! landmarks `X_0..Z_67`, shape parameters `p_*`, AU intensities `AU01_r..` and presence
//! `AU01_c..`. Headers often have a space after each comma: names are stripped. Rows with
//! `success == 0` are frames where tracking failed; their measurements become NaN.

use std::path::Path;

use crate::error::{Error, Result};

/// Frame bookkeeping columns copied as they are.
pub const META_COLUMNS: [&str; 5] = ["frame", "face_id", "timestamp", "confidence", "success"];

/// A named block of columns, `(n_frames, names.len())` row-major.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Group {
    pub names: Vec<String>,
    pub values: Vec<f64>,
}

/// A parsed file.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub n_frames: usize,
    /// Meta columns present in the file.
    pub columns: Vec<(String, Vec<f64>)>,
    pub n_landmarks: usize,
    /// `(n_frames, n_landmarks, 2)`.
    pub landmarks: Vec<f64>,
    /// `(n_frames, n_landmarks, 3)` when `X_i, Y_i, Z_i` are all present.
    pub landmarks_3d: Option<Vec<f64>>,
    /// `gaze`, `eye_landmarks`, `pose`, `shape_params`, `au_intensity`, `au_presence`,
    /// `other` (every other numeric column), each only when present.
    pub groups: Vec<(String, Group)>,
}

fn group_of(name: &str) -> Option<&'static str> {
    if name.starts_with("gaze_") {
        Some("gaze")
    } else if name.starts_with("eye_lmk_") {
        Some("eye_landmarks")
    } else if name.starts_with("pose_") {
        Some("pose")
    } else if name.starts_with("p_") {
        Some("shape_params")
    } else if name.starts_with("AU") && name.ends_with("_r") {
        Some("au_intensity")
    } else if name.starts_with("AU") && name.ends_with("_c") {
        Some("au_presence")
    } else {
        None
    }
}

const GROUP_ORDER: [&str; 7] = [
    "gaze",
    "eye_landmarks",
    "pose",
    "shape_params",
    "au_intensity",
    "au_presence",
    "other",
];

/// Reads the file at `path`.
pub fn read(path: &Path) -> Result<Table> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path.display(), e))?;
    parse(&text, &path.display().to_string())
}

/// Parses CSV text; `source` names the file in messages.
pub fn parse(text: &str, source: &str) -> Result<Table> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(Error::io(source, "the file is empty"));
    };
    let names: Vec<String> = header
        .trim_start_matches('\u{feff}')
        .split(',')
        .map(|s| s.trim().to_string())
        .collect();
    let find = |n: &str| names.iter().position(|c| c == n);

    // 2-D landmarks: x_0.., y_0.. as far as both run
    let mut n_landmarks = 0;
    while find(&format!("x_{n_landmarks}")).is_some() && find(&format!("y_{n_landmarks}")).is_some()
    {
        n_landmarks += 1;
    }
    let n_x = (0..)
        .take_while(|i| find(&format!("x_{i}")).is_some())
        .count();
    let n_y = (0..)
        .take_while(|i| find(&format!("y_{i}")).is_some())
        .count();
    if n_landmarks == 0 || n_x != n_y {
        let missing = if n_x > n_y {
            format!("y_{n_y}")
        } else if n_y > n_x {
            format!("x_{n_x}")
        } else {
            "x_0 .. x_67 and y_0 .. y_67".to_string()
        };
        return Err(Error::io(
            source,
            format!(
                "no usable 2-D landmark columns (missing {missing}); expected \
                 OpenFace/py-feat columns x_0 .. x_N and y_0 .. y_N; the header has {} \
                 columns starting {:?}",
                names.len(),
                names.iter().take(8).collect::<Vec<_>>()
            ),
        ));
    }
    let xi: Vec<usize> = (0..n_landmarks)
        .filter_map(|i| find(&format!("x_{i}")))
        .collect();
    let yi: Vec<usize> = (0..n_landmarks)
        .filter_map(|i| find(&format!("y_{i}")))
        .collect();
    let zi: Option<Vec<[usize; 3]>> = (0..n_landmarks)
        .map(|i| {
            Some([
                find(&format!("X_{i}"))?,
                find(&format!("Y_{i}"))?,
                find(&format!("Z_{i}"))?,
            ])
        })
        .collect();
    let used: std::collections::HashSet<usize> = xi
        .iter()
        .chain(&yi)
        .copied()
        .chain(zi.iter().flatten().flatten().copied())
        .collect();

    // parse every row into columns (NaN for empty fields; None for non-numeric text)
    let width = names.len();
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); width];
    let mut numeric = vec![true; width];
    for (ln, line) in lines {
        let fields: Vec<&str> = line.split(',').collect();
        if fields.len() != width {
            return Err(Error::io(
                source,
                format!(
                    "line {} has {} fields, the header has {width}",
                    ln + 1,
                    fields.len()
                ),
            ));
        }
        for (c, f) in fields.iter().enumerate() {
            let f = f.trim();
            let v = if f.is_empty() {
                f64::NAN
            } else {
                match f.parse::<f64>() {
                    Ok(v) => v,
                    Err(_) => {
                        let required = used.contains(&c)
                            || META_COLUMNS.contains(&names[c].as_str())
                            || group_of(&names[c]).is_some();
                        if required {
                            return Err(Error::io(
                                source,
                                format!(
                                    "line {}, column {:?}: expected a number, got {f:?}",
                                    ln + 1,
                                    names[c]
                                ),
                            ));
                        }
                        numeric[c] = false;
                        f64::NAN
                    }
                }
            };
            cols[c].push(v);
        }
    }
    let n = cols.first().map_or(0, |c| c.len());
    let failed: Vec<bool> = match find("success") {
        Some(s) => cols[s].iter().map(|&v| v == 0.0).collect(),
        None => vec![false; n],
    };
    let val = |c: usize, r: usize| if failed[r] { f64::NAN } else { cols[c][r] };

    let mut landmarks = Vec::with_capacity(n * n_landmarks * 2);
    for r in 0..n {
        for k in 0..n_landmarks {
            landmarks.push(val(xi[k], r));
            landmarks.push(val(yi[k], r));
        }
    }
    let landmarks_3d = zi.map(|zi| {
        let mut out = Vec::with_capacity(n * n_landmarks * 3);
        for r in 0..n {
            for idx in &zi {
                out.extend(idx.iter().map(|&c| val(c, r)));
            }
        }
        out
    });
    let columns: Vec<(String, Vec<f64>)> = META_COLUMNS
        .iter()
        .filter_map(|m| find(m).map(|c| (m.to_string(), cols[c].clone())))
        .collect();
    let mut groups = Vec::new();
    for g in GROUP_ORDER {
        let members: Vec<usize> = (0..width)
            .filter(|&c| {
                if used.contains(&c) || META_COLUMNS.contains(&names[c].as_str()) {
                    return false;
                }
                match group_of(&names[c]) {
                    Some(k) => k == g,
                    None => g == "other" && numeric[c] && !names[c].is_empty(),
                }
            })
            .collect();
        if members.is_empty() {
            continue;
        }
        let mut values = Vec::with_capacity(n * members.len());
        for r in 0..n {
            for &c in &members {
                values.push(if g == "other" { cols[c][r] } else { val(c, r) });
            }
        }
        groups.push((
            g.to_string(),
            Group {
                names: members.iter().map(|&c| names[c].clone()).collect(),
                values,
            },
        ));
    }
    Ok(Table {
        n_frames: n,
        columns,
        n_landmarks,
        landmarks,
        landmarks_3d,
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spaces_failures_and_groups() {
        let text = "frame, face_id, timestamp, confidence, success, gaze_0_x, pose_Tx, pose_Rx, \
                    x_0, x_1, y_0, y_1, X_0, X_1, Y_0, Y_1, Z_0, Z_1, AU01_r, AU01_c, note\n\
                    1, 0, 0.000, 0.98, 1, 0.1, 10, 0.05, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1.5, 1, a\n\
                    2, 0, 0.033, 0.00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b\n";
        let t = parse(text, "t.csv").unwrap();
        assert_eq!(t.n_frames, 2);
        assert_eq!(t.n_landmarks, 2);
        assert_eq!(&t.landmarks[..4], &[1.0, 3.0, 2.0, 4.0]);
        assert!(t.landmarks[4..].iter().all(|v| v.is_nan()));
        assert_eq!(
            &t.landmarks_3d.as_ref().unwrap()[..6],
            &[5.0, 7.0, 9.0, 6.0, 8.0, 10.0]
        );
        let names: Vec<&str> = t.groups.iter().map(|(g, _)| g.as_str()).collect();
        assert_eq!(names, ["gaze", "pose", "au_intensity", "au_presence"]);
        let pose = &t.groups[1].1;
        assert_eq!(pose.names, ["pose_Tx", "pose_Rx"]);
        assert_eq!(pose.values[..2], [10.0, 0.05]);
        assert!(pose.values[2].is_nan());
        assert_eq!(t.columns[4].1, vec![1.0, 0.0]);
    }

    #[test]
    fn missing_landmarks_and_bad_rows() {
        let e = parse("frame, success, AU01_r\n1, 1, 0.5\n", "a.csv").unwrap_err();
        assert!(e.to_string().contains("x_0"), "{e}");
        let e = parse("x_0, x_1, y_0\n1,2,3\n", "b.csv").unwrap_err();
        assert!(e.to_string().contains("y_1"), "{e}");
        let e = parse("x_0, y_0\n1\n", "c.csv").unwrap_err();
        assert!(e.to_string().contains("line 2"), "{e}");
        let e = parse("x_0, y_0\n1, zz\n", "d.csv").unwrap_err();
        assert!(e.to_string().contains("y_0"), "{e}");
        assert!(parse("", "e.csv").is_err());
    }
}
