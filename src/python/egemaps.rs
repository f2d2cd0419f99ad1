//! eGeMAPS bindings: functionals, LLDs, loudness, batches.

use numpy::{IntoPyArray, PyArray1, PyArray2};
use pyo3::prelude::*;
use pyo3::types::PyList;

use super::convert::{jobs, shaped, signal, Jobs, Signal};
use super::errors::compute;
use crate::audio::egemaps::{self as eg, Level};

/// eGeMAPS of one clip: `(88,)` functionals or `(n_frames, 25)` LLDs.
#[pyfunction]
#[pyo3(signature = (y, sr, level="functionals"))]
pub fn egemaps<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    level: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let level = Level::from_name(level)?;
    let s: Signal<f64> = signal(y, "y")?;
    let x = s.as_slice();
    let (v, shape) = compute(py, || eg::shared().features(x, sr, level))?;
    Ok(match level {
        Level::Functionals => v.into_pyarray(py).into_any(),
        Level::Lld => shaped(py, v, shape)?.into_any(),
    })
}

/// eGeMAPS of many clips on the pool: a `(n_clips, 88)` array of functionals, or a list
/// of `(n_frames, 25)` LLD arrays.
#[pyfunction]
#[pyo3(signature = (ys, sr, level="functionals", n_jobs=None))]
pub fn egemaps_batch<'py>(
    py: Python<'py>,
    ys: &Bound<'py, PyList>,
    sr: f64,
    level: &str,
    n_jobs: Option<Jobs>,
) -> PyResult<Bound<'py, PyAny>> {
    let n_jobs = jobs(n_jobs);
    let level = Level::from_name(level)?;
    let mut held: Vec<Signal<f64>> = Vec::with_capacity(ys.len());
    for (i, y) in ys.iter().enumerate() {
        held.push(signal(&y, &format!("signals[{i}]"))?);
    }
    let slices: Vec<&[f64]> = held.iter().map(|s| s.as_slice()).collect();
    let outs = compute(py, || {
        eg::shared().features_batch(&slices, sr, level, n_jobs)
    })?;
    match level {
        Level::Functionals => {
            let n = outs.len();
            let k = eg::functional_names().len();
            let flat: Vec<f64> = outs.into_iter().flat_map(|(v, _)| v).collect();
            Ok(shaped(py, flat, (n, k))?.into_any())
        }
        Level::Lld => {
            let arrays = outs
                .into_iter()
                .map(|(v, shape)| shaped(py, v, shape))
                .collect::<PyResult<Vec<Bound<'py, PyArray2<f64>>>>>()?;
            Ok(PyList::new(py, arrays)?.into_any())
        }
    }
}

/// eGeMAPS loudness of one clip: `(loudness, times)`, smoothed (`Loudness_sma3`) or raw.
#[pyfunction]
#[pyo3(signature = (y, sr, smooth=true))]
pub fn loudness<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    smooth: bool,
) -> PyResult<(Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>)> {
    let s: Signal<f64> = signal(y, "y")?;
    let x = s.as_slice();
    let (l, t) = compute(py, || eg::shared().loudness(x, sr, smooth))?;
    Ok((l.into_pyarray(py), t.into_pyarray(py)))
}
