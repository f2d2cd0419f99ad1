//! eGeMAPS / GeMAPS bindings: functionals, LLDs, loudness, batches.

use numpy::{IntoPyArray, PyArray1, PyArray2};
use pyo3::prelude::*;
use pyo3::types::PyList;

use super::convert::{jobs, shaped, signal, signals, Jobs, Signal};
use super::errors::compute;
use crate::audio::egemaps::{self as eg, Level, Unvoiced, Version};
use crate::num::real::Real;

fn options(level: &str, version: &str, unvoiced: &str) -> PyResult<(Level, Version, Unvoiced)> {
    Ok((
        level.parse::<Level>()?,
        version.parse::<Version>()?,
        unvoiced.parse::<Unvoiced>()?,
    ))
}

/// eGeMAPS v02 / GeMAPS v01b of one clip: `(n_functionals,)` or `(n_frames, n_lld)`.
#[pyfunction]
#[pyo3(signature = (y, sr, level="functionals", version="v02", unvoiced="nan"))]
pub fn egemaps<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    level: &str,
    version: &str,
    unvoiced: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let (level, version, unvoiced) = options(level, version, unvoiced)?;
    fn run<T: Real + numpy::Element>(
        py: Python<'_>,
        y: &Bound<'_, PyAny>,
        sr: f64,
        (level, version, unvoiced): (Level, Version, Unvoiced),
    ) -> PyResult<eg::Features> {
        let s: Signal<T> = signal(y, "y")?;
        let x = s.as_slice();
        compute(py, || {
            eg::shared().features(x, sr, level, version, unvoiced)
        })
    }
    let opts = (level, version, unvoiced);
    let (v, shape) = if super::convert::is_float32(y) {
        run::<f32>(py, y, sr, opts)?
    } else {
        run::<f64>(py, y, sr, opts)?
    };
    Ok(match level {
        Level::Functionals => v.into_pyarray(py).into_any(),
        Level::Lld => shaped(py, v, shape)?.into_any(),
    })
}

/// Many clips on the pool: a `(n_clips, n_functionals)` array, or a list of LLD arrays.
#[pyfunction]
#[pyo3(signature = (ys, sr, level="functionals", n_jobs=None, version="v02", unvoiced="nan"))]
pub fn egemaps_batch<'py>(
    py: Python<'py>,
    ys: &Bound<'py, PyList>,
    sr: f64,
    level: &str,
    n_jobs: Option<Jobs>,
    version: &str,
    unvoiced: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let n_jobs = jobs(n_jobs);
    let (level, version, unvoiced) = options(level, version, unvoiced)?;
    fn run<T: Real + numpy::Element>(
        py: Python<'_>,
        ys: &Bound<'_, PyList>,
        sr: f64,
        (level, version, unvoiced): (Level, Version, Unvoiced),
        n_jobs: Option<i64>,
    ) -> PyResult<Vec<eg::Features>> {
        let held: Vec<Signal<T>> = signals(ys)?;
        let slices: Vec<&[T]> = held.iter().map(|s| s.as_slice()).collect();
        compute(py, || {
            eg::shared().features_batch(&slices, sr, level, version, unvoiced, n_jobs)
        })
    }
    // float32 clips are read in place, as by `egemaps` (no float64 copy made serially
    // before the threads start); the same features either way
    let opts = (level, version, unvoiced);
    let outs = if ys.iter().all(|y| super::convert::is_float32(&y)) {
        run::<f32>(py, ys, sr, opts, n_jobs)?
    } else {
        run::<f64>(py, ys, sr, opts, n_jobs)?
    };
    match level {
        Level::Functionals => {
            let n = outs.len();
            let k = eg::functional_names(version).len();
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

/// Every per-frame stage of one clip (unsmoothed), for parity checks against openSMILE's
/// intermediate levels: a dict of arrays.
#[pyfunction]
#[pyo3(signature = (y, sr))]
pub fn egemaps_stages<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
    let s: Signal<f64> = signal(y, "y")?;
    let x = s.as_slice();
    let a = compute(py, || eg::shared().analyse(x, sr))?;
    let d = pyo3::types::PyDict::new(py);
    let n20 = a.short.len();
    let n60 = a.voice.len();
    d.set_item(
        "short",
        shaped(py, a.short.iter().flatten().copied().collect(), (n20, 10))?,
    )?;
    d.set_item(
        "voice",
        shaped(py, a.voice.iter().flatten().copied().collect(), (n60, 15))?,
    )?;
    d.set_item("energy", a.energy.clone().into_pyarray(py))?;
    d.set_item("rms", a.rms.clone().into_pyarray(py))?;
    d.set_item("f0", a.f0.clone().into_pyarray(py))?;
    let mut cand = vec![0.0; n60 * 13];
    for (t, c) in a.candidates.iter().enumerate() {
        cand[t * 13] = c.f0.len() as f64;
        for (k, f) in c.f0.iter().enumerate() {
            cand[t * 13 + 1 + k] = *f;
            cand[t * 13 + 7 + k] = c.voicing[k];
        }
    }
    d.set_item("candidates", shaped(py, cand, (n60, 13))?)?;
    d.set_item(
        "pitch",
        shaped(
            py,
            a.pitch.iter().flat_map(|p| [p.f0, p.voicing]).collect(),
            (n60, 2),
        )?,
    )?;
    Ok(d)
}
