//! Prosody bindings: F0 tracks.

use numpy::{Element, IntoPyArray, PyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::convert::{params, signal, Signal};
use super::errors::compute;
use crate::audio::pitch::{self, F0Track, PyinSpec, YinSpec};
use crate::error::Error;
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
    let spec = YinSpec::from_params(sr, &p)?;
    enum M {
        Yin(f64),
        Pyin(PyinSpec),
    }
    let m = match method {
        "yin" => M::Yin(p.f64(&["trough_threshold"], 0.1)?),
        "pyin" => M::Pyin(PyinSpec::from_params(&p)?),
        other => {
            return Err(Error::param(
                "method",
                format!("unknown F0 method {other:?}; expected \"pyin\" or \"yin\""),
            )
            .into())
        }
    };
    p.finish(&format!("f0(method={method:?})"))?;
    let s: Signal<T> = signal(y, "y")?;
    let x = s.as_slice();
    compute(py, || match &m {
        M::Yin(th) => pitch::yin(x, &spec, *th),
        M::Pyin(ps) => pitch::pyin(x, &spec, ps),
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
