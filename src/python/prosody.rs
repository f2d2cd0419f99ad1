//! Prosody bindings: F0 tracks, intensity, functionals.

use numpy::{Element, IntoPyArray, PyArray1, PyArray2, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::convert::{params, shaped, signal, Signal};
use super::errors::compute;
use crate::audio::intensity::{self as int, IntensitySpec};
use crate::audio::pitch::{self, F0Track, PraatPitchSpec, PyinSpec, YinSpec};
use crate::error::Error;
use crate::functionals::{self as fx, Functional};
use crate::real::Real;

type Track<'py> = (
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<bool>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
);

fn track<T: Real + Element>(
    py: Python<'_>,
    y: &Bound<'_, PyAny>,
    sr: f64,
    method: &str,
    p: &Bound<'_, PyDict>,
) -> PyResult<F0Track> {
    let p = params(Some(p))?;
    enum M {
        Yin(YinSpec, f64),
        Pyin(YinSpec, PyinSpec),
        Praat(PraatPitchSpec),
    }
    let m = match method {
        "yin" => M::Yin(
            YinSpec::from_params(sr, &p)?,
            p.f64(&["trough_threshold"], 0.1)?,
        ),
        "pyin" => M::Pyin(YinSpec::from_params(sr, &p)?, PyinSpec::from_params(&p)?),
        "praat" => M::Praat(PraatPitchSpec::from_params(&p)?),
        other => {
            return Err(Error::param(
                "method",
                format!("unknown F0 method {other:?}; expected \"pyin\", \"yin\" or \"praat\""),
            )
            .into())
        }
    };
    p.finish(&format!("f0(method={method:?})"))?;
    let s: Signal<T> = signal(y, "y")?;
    let x = s.as_slice();
    compute(py, || match &m {
        M::Yin(spec, th) => pitch::yin(x, spec, *th),
        M::Pyin(spec, ps) => pitch::pyin(x, spec, ps),
        M::Praat(ps) => pitch::praat_ac(x, sr, ps),
    })
}

/// F0 track of one clip: `(f0, voiced, prob, times)`, `f0` defined on every frame.
#[pyfunction]
#[pyo3(signature = (y, sr, method, params, dtype="float32"))]
pub fn f0<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    method: &str,
    params: &Bound<'py, PyDict>,
    dtype: &str,
) -> PyResult<Track<'py>> {
    let tr = match dtype {
        "float32" => track::<f32>(py, y, sr, method, params)?,
        "float64" => track::<f64>(py, y, sr, method, params)?,
        other => {
            return Err(Error::param(
                "dtype",
                format!("expected float32 or float64, got {other:?}"),
            )
            .into())
        }
    };
    Ok((
        tr.f0.into_pyarray(py),
        tr.voiced.into_pyarray(py),
        tr.prob.into_pyarray(py),
        tr.times.into_pyarray(py),
    ))
}

fn intensity_of<T: Real + Element>(
    py: Python<'_>,
    y: &Bound<'_, PyAny>,
    sr: f64,
    spec: &IntensitySpec,
) -> PyResult<int::Intensity> {
    let s: Signal<T> = signal(y, "y")?;
    let x = s.as_slice();
    compute(py, || int::intensity(x, sr, spec))
}

/// Praat-style intensity contour: `(db, times)`.
#[pyfunction]
#[pyo3(signature = (y, sr, minimum_pitch=100.0, time_step=None, subtract_mean=true, dtype="float32"))]
pub fn intensity<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    minimum_pitch: f64,
    time_step: Option<f64>,
    subtract_mean: bool,
    dtype: &str,
) -> PyResult<(Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>)> {
    let spec = IntensitySpec {
        minimum_pitch,
        time_step,
        subtract_mean,
    };
    let it = match dtype {
        "float32" => intensity_of::<f32>(py, y, sr, &spec)?,
        "float64" => intensity_of::<f64>(py, y, sr, &spec)?,
        other => {
            return Err(Error::param(
                "dtype",
                format!("expected float32 or float64, got {other:?}"),
            )
            .into())
        }
    };
    Ok((it.db.into_pyarray(py), it.times.into_pyarray(py)))
}

/// Functionals of every column of `contour` `(n_frames, n_columns)`: an array
/// `(n_columns, len(which))`.
#[pyfunction]
#[pyo3(signature = (contour, which, frame_rate=100.0))]
pub fn functionals<'py>(
    py: Python<'py>,
    contour: PyReadonlyArray2<'py, f64>,
    which: Vec<String>,
    frame_rate: f64,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let fs = which
        .iter()
        .map(|n| Functional::from_name(n))
        .collect::<crate::Result<Vec<_>>>()?;
    let (n, c) = (contour.shape()[0], contour.shape()[1]);
    let a = contour.as_array();
    let cols: Vec<Vec<f64>> = (0..c)
        .map(|j| (0..n).map(|i| a[[i, j]]).collect())
        .collect();
    let out = compute(py, || {
        let mut out = Vec::with_capacity(c * fs.len());
        for col in &cols {
            out.extend(fx::functionals(col, &fs, frame_rate)?);
        }
        Ok(out)
    })?;
    let arr = shaped(py, out, (c, fs.len()))?;
    Ok(arr)
}
