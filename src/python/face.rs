//! Face bindings: geometry, alignment, head pose, dynamics, OpenFace reader. The Python
//! layer passes C-contiguous float64 arrays; these functions check shapes through the
//! Rust core, release the GIL and convert the results.

use std::borrow::Cow;
use std::path::PathBuf;

use numpy::{
    IntoPyArray, PyArray1, PyArray2, PyArray3, PyReadonlyArray1, PyReadonlyArray2,
    PyReadonlyArray3, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::convert::shaped;
use super::convert::{jobs, Jobs};
use super::errors::{compute, guard};
use crate::error::Error;
use crate::face::{align, dynamics, geometry, openface, pose, Landmarks, Scheme};
use crate::functionals::Functional;

type Regions = Vec<(String, Vec<i64>)>;

fn scheme(name: &str, regions: Option<Regions>, n_points: Option<usize>) -> PyResult<Scheme> {
    Ok(match regions {
        Some(r) => {
            let n = n_points.ok_or_else(|| {
                Error::param(
                    "scheme",
                    "a user scheme needs n_points as well as its regions",
                )
            })?;
            Scheme::from_regions(n, &r)?
        }
        None => Scheme::named(name)?,
    })
}

fn slice3<'a>(a: &'a PyReadonlyArray3<'_, f64>) -> Cow<'a, [f64]> {
    match a.as_slice() {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(a.as_array().iter().copied().collect()),
    }
}

fn slice2<'a>(a: &'a PyReadonlyArray2<'_, f64>) -> Cow<'a, [f64]> {
    match a.as_slice() {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(a.as_array().iter().copied().collect()),
    }
}

fn shape3(a: &PyReadonlyArray3<'_, f64>) -> [usize; 3] {
    let s = a.shape();
    [s[0], s[1], s[2]]
}

/// `(geometry (n_frames, n_features), n_degenerate)`.
#[pyfunction]
#[pyo3(name = "geometry", signature = (landmarks, scheme_name="ibug68", regions=None, n_points=None, n_jobs=None))]
pub fn face_geometry<'py>(
    py: Python<'py>,
    landmarks: PyReadonlyArray3<'py, f64>,
    scheme_name: &str,
    regions: Option<Regions>,
    n_points: Option<usize>,
    n_jobs: Option<Jobs>,
) -> PyResult<(Bound<'py, PyArray2<f64>>, usize)> {
    let n_jobs = jobs(n_jobs);
    let sc = scheme(scheme_name, regions, n_points)?;
    let shape = shape3(&landmarks);
    let data = slice3(&landmarks);
    let (g, bad) = compute(py, || {
        let lm = Landmarks::new(&data, shape, &sc, "landmarks")?;
        geometry::geometry(&lm, &sc, n_jobs)
    })?;
    Ok((shaped(py, g, (shape[0], geometry::N_GEOMETRY))?, bad))
}

/// `(mesh measures (n_frames, 6), n_degenerate)` for MediaPipe schemes.
#[pyfunction]
#[pyo3(name = "mesh_geometry", signature = (landmarks, scheme_name="mediapipe478", n_jobs=None))]
pub fn face_mesh_geometry<'py>(
    py: Python<'py>,
    landmarks: PyReadonlyArray3<'py, f64>,
    scheme_name: &str,
    n_jobs: Option<Jobs>,
) -> PyResult<(Bound<'py, PyArray2<f64>>, usize)> {
    let n_jobs = jobs(n_jobs);
    let sc = Scheme::named(scheme_name)?;
    let shape = shape3(&landmarks);
    let data = slice3(&landmarks);
    let (g, bad) = compute(py, || {
        let lm = Landmarks::new(&data, shape, &sc, "landmarks")?;
        geometry::mesh_geometry(&lm, &sc, n_jobs)
    })?;
    Ok((
        shaped(py, g, (shape[0], geometry::MESH_GEOMETRY_NAMES.len()))?,
        bad,
    ))
}

#[pyfunction]
#[pyo3(name = "mesh_geometry_names")]
pub fn face_mesh_geometry_names() -> PyResult<Vec<String>> {
    guard(|| {
        Ok(geometry::MESH_GEOMETRY_NAMES
            .iter()
            .map(|s| s.to_string())
            .collect())
    })
}

#[pyfunction]
#[pyo3(name = "geometry_names")]
pub fn face_geometry_names() -> PyResult<Vec<String>> {
    guard(|| Ok(geometry::geometry_names()))
}

/// `(aligned (n_frames, n_points, dim), n_degenerate)`.
#[pyfunction]
#[pyo3(name = "align", signature = (landmarks, method="procrustes", scheme_name="ibug68", regions=None, n_points=None, n_jobs=None))]
pub fn face_align<'py>(
    py: Python<'py>,
    landmarks: PyReadonlyArray3<'py, f64>,
    method: &str,
    scheme_name: &str,
    regions: Option<Regions>,
    n_points: Option<usize>,
    n_jobs: Option<Jobs>,
) -> PyResult<(Bound<'py, PyArray3<f64>>, usize)> {
    let n_jobs = jobs(n_jobs);
    let sc = scheme(scheme_name, regions, n_points)?;
    let method = method.parse::<align::AlignMethod>()?;
    let shape = shape3(&landmarks);
    let data = slice3(&landmarks);
    let (out, bad) = compute(py, || {
        let lm = Landmarks::new(&data, shape, &sc, "landmarks")?;
        align::align(&lm, &sc, method, n_jobs)
    })?;
    let a = shaped(py, out, (shape[0], shape[1], shape[2]))?;
    Ok((a, bad))
}

/// `((n_frames, 6), n_failed)`: yaw, pitch, roll (degrees), tx, ty, tz, and the number
/// of frames with a face whose pose could not be solved. `camera` = (fx, fy, cx, cy).
#[pyfunction]
#[pyo3(name = "head_pose", signature = (landmarks, camera=None, scheme_name="ibug68", regions=None, n_points=None, n_jobs=None))]
pub fn face_head_pose<'py>(
    py: Python<'py>,
    landmarks: PyReadonlyArray3<'py, f64>,
    camera: Option<(f64, f64, f64, f64)>,
    scheme_name: &str,
    regions: Option<Regions>,
    n_points: Option<usize>,
    n_jobs: Option<Jobs>,
) -> PyResult<(Bound<'py, PyArray2<f64>>, usize)> {
    let n_jobs = jobs(n_jobs);
    let sc = scheme(scheme_name, regions, n_points)?;
    let shape = shape3(&landmarks);
    let data = slice3(&landmarks);
    let cam = camera.map(|(fx, fy, cx, cy)| pose::Camera { fx, fy, cx, cy });
    let (out, failed) = compute(py, || {
        let lm = Landmarks::new(&data, shape, &sc, "landmarks")?;
        pose::head_pose(&lm, &sc, cam, n_jobs)
    })?;
    Ok((shaped(py, out, (shape[0], 6))?, failed))
}

/// The generic 3-D face, `(68, 3)` millimetres.
#[pyfunction]
#[pyo3(name = "reference_shape")]
pub fn face_reference_shape(py: Python<'_>) -> PyResult<Bound<'_, PyArray2<f64>>> {
    guard(|| {
        let v: Vec<f64> = crate::face::scheme::REFERENCE_SHAPE_3D
            .iter()
            .flatten()
            .copied()
            .collect();
        shaped(py, v, (68, 3))
    })
}

/// The nine iBUG-68 regions a user scheme declares, `(name, point count)` in order.
#[pyfunction]
#[pyo3(name = "regions")]
pub fn face_regions() -> PyResult<Vec<(&'static str, usize)>> {
    guard(|| Ok(crate::face::scheme::REGIONS.to_vec()))
}

/// Index in the scheme of each of the 68 iBUG points.
#[pyfunction]
#[pyo3(name = "scheme_map", signature = (scheme_name="ibug68", regions=None, n_points=None))]
pub fn face_scheme_map(
    scheme_name: &str,
    regions: Option<Regions>,
    n_points: Option<usize>,
) -> PyResult<(Vec<usize>, usize)> {
    guard(|| {
        let sc = scheme(scheme_name, regions, n_points)?;
        Ok((sc.ibug68().to_vec(), sc.n_points()))
    })
}

/// AU proxies `(n_frames, 10)` from geometry and a baseline row.
#[pyfunction]
#[pyo3(name = "au_proxies")]
pub fn face_au_proxies<'py>(
    py: Python<'py>,
    geometry: PyReadonlyArray2<'py, f64>,
    baseline: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let n = geometry.shape()[0];
    let cols = geometry.shape()[1];
    if cols != geometry::N_GEOMETRY {
        return Err(Error::param(
            "geometry",
            format!(
                "expected the {} columns of ak.face.geometry, got shape ({n}, {cols})",
                geometry::N_GEOMETRY
            ),
        )
        .into());
    }
    let g = slice2(&geometry);
    let b: Vec<f64> = baseline.as_array().to_vec();
    let out = compute(py, || geometry::au_proxies(&g, n, &b))?;
    shaped(py, out, (n, geometry::AU_PROXY_NAMES.len()))
}

#[pyfunction]
#[pyo3(name = "au_proxy_names")]
pub fn face_au_proxy_names() -> PyResult<Vec<String>> {
    guard(|| {
        Ok(geometry::AU_PROXY_NAMES
            .iter()
            .map(|s| s.to_string())
            .collect())
    })
}

/// Per-second derivative along frames.
#[pyfunction]
#[pyo3(name = "derivative")]
pub fn face_derivative<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    fps: f64,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let (n, f) = (x.shape()[0], x.shape()[1]);
    let d = slice2(&x);
    let out = compute(py, || dynamics::derivative(&d, n, f, fps))?;
    shaped(py, out, (n, f))
}

/// Linear interpolation over gaps of at most `max_gap` NaN frames.
#[pyfunction]
#[pyo3(name = "interpolate_gaps")]
pub fn face_interpolate_gaps<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    max_gap: usize,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let (n, f) = (x.shape()[0], x.shape()[1]);
    let d = slice2(&x);
    let out = compute(py, || dynamics::interpolate_gaps(&d, n, f, max_gap))?;
    shaped(py, out, (n, f))
}

/// Blinks from an EAR track, as a dict.
#[pyfunction]
#[pyo3(name = "blinks", signature = (ear, fps, threshold=0.2, min_frames=2, max_frames=None))]
pub fn face_blinks<'py>(
    py: Python<'py>,
    ear: PyReadonlyArray1<'py, f64>,
    fps: f64,
    threshold: f64,
    min_frames: usize,
    max_frames: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let e: Vec<f64> = ear.as_array().to_vec();
    let b = compute(py, || {
        dynamics::blinks(&e, fps, threshold, min_frames, max_frames)
    })?;
    let d = PyDict::new(py);
    d.set_item("closed", b.closed.into_pyarray(py))?;
    d.set_item("onsets", b.onsets.into_pyarray(py))?;
    d.set_item("durations", b.durations.into_pyarray(py))?;
    d.set_item("rate_per_minute", b.rate_per_minute)?;
    d.set_item("mean_duration_s", b.mean_duration_s)?;
    Ok(d)
}

fn stats(names: &[String]) -> PyResult<Vec<Functional>> {
    Ok(names
        .iter()
        .map(|s| Functional::named(s, "functionals"))
        .collect::<crate::Result<Vec<_>>>()?)
}

/// Window statistics `(n_windows, f * len(stats))` and window start frames.
#[pyfunction]
#[pyo3(name = "window_functionals")]
pub fn face_window_functionals<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    window: usize,
    hop: usize,
    functionals: Vec<String>,
    fps: f64,
) -> PyResult<(Bound<'py, PyArray2<f64>>, Bound<'py, PyArray1<usize>>)> {
    let (n, f) = (x.shape()[0], x.shape()[1]);
    let st = stats(&functionals)?;
    let d = slice2(&x);
    let (out, starts) = compute(py, || {
        dynamics::window_functionals(&d, n, f, window, hop, &st, fps)
    })?;
    let rows = starts.len();
    Ok((
        shaped(py, out, (rows, f * st.len()))?,
        starts.into_pyarray(py),
    ))
}

/// Per-column statistic over the frames where `mask` is true.
#[pyfunction]
#[pyo3(name = "column_stat", signature = (x, mask=None, stat="median"))]
pub fn face_column_stat<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f64>,
    mask: Option<Vec<bool>>,
    stat: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let (n, f) = (x.shape()[0], x.shape()[1]);
    let s = Functional::named(stat, "stat")?;
    let d = slice2(&x);
    let out = compute(py, || dynamics::column_stat(&d, n, f, mask.as_deref(), s))?;
    Ok(out.into_pyarray(py))
}

/// Reads an OpenFace 2.x / py-feat CSV into a dict of arrays.
#[pyfunction]
#[pyo3(name = "read_openface")]
pub fn face_read_openface(py: Python<'_>, path: PathBuf) -> PyResult<Bound<'_, PyDict>> {
    let t = compute(py, || openface::read(&path))?;
    let n = t.n_frames;
    let d = PyDict::new(py);
    for (name, values) in t.columns {
        d.set_item(name, values.into_pyarray(py))?;
    }
    let lm = shaped(py, t.landmarks, (n, t.n_landmarks, 2))?;
    d.set_item("landmarks", lm)?;
    if let Some(l3) = t.landmarks_3d {
        let a = shaped(py, l3, (n, t.n_landmarks, 3))?;
        d.set_item("landmarks_3d", a)?;
    }
    for (key, group) in t.groups {
        let sub = PyDict::new(py);
        sub.set_item("names", group.names.clone())?;
        let w = group.names.len();
        sub.set_item("values", shaped(py, group.values, (n, w))?)?;
        d.set_item(key, sub)?;
    }
    Ok(d)
}
