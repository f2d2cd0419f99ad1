//! Audio bindings: load, resample, mfcc, melspectrogram (single and batch).

use std::path::PathBuf;

use numpy::{Element, IntoPyArray, PyArray1, PyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};

use super::convert::{
    jobs, params, sample_rate, shaped, signal, signals, with_dtype, Int, Jobs, Signal,
};
use super::errors::{compute, guard};
use crate::audio::io::{self, resample as rs};
use crate::audio::{Extractor, Preset};
use crate::error::Error;
use crate::num::real::Real;
use crate::params::{Params, Value};

/// A resampling rate: a whole number of Hz (an integral float such as 16000.0 too) in
/// `1 ..= limits::MAX_SAMPLE_RATE`.
fn int_rate(sr: Int, name: &str) -> PyResult<u32> {
    let n = sr
        .get(name)
        .map_err(|_| Error::param(name, "must be a positive whole number of Hz"))?;
    if n <= 0 {
        return Err(Error::param(
            name,
            format!("must be a positive whole number of Hz, got {n}"),
        )
        .into());
    }
    Ok(crate::limits::sample_rate(
        n as u64,
        crate::limits::Source::Arg(name),
    )?)
}

/// Decodes a WAV/FLAC file; returns `(samples, sr)` with samples `(n,)` when mono, else
/// `(n, channels)`.
#[pyfunction]
#[pyo3(signature = (path, sr=None, mono=true, offset=0.0, duration=None))]
pub fn load<'py>(
    py: Python<'py>,
    path: PathBuf,
    sr: Option<Int>,
    mono: bool,
    offset: f64,
    duration: Option<f64>,
) -> PyResult<(Bound<'py, PyAny>, u32)> {
    let target = sr.map(|s| int_rate(s, "sr")).transpose()?;
    let (data, channels, rate) = compute(py, || {
        let d = io::decode(&path, offset, duration)?;
        let rate = target.unwrap_or(d.sample_rate);
        if rate == d.sample_rate {
            // as decoded (libsndfile returns NaN samples of a float file as they are)
            let n_channels = if mono { 1 } else { d.channels };
            let data = if mono { d.to_mono() } else { d.samples };
            return Ok((data, n_channels, rate));
        }
        if let Some(i) = d.samples.iter().position(|v| !v.is_finite()) {
            return Err(crate::Error::audio(
                path.display(),
                format!(
                    "sample {} of channel {} is {}: a file with non-finite samples cannot be \
                     resampled (load it with sr=None)",
                    i / d.channels,
                    i % d.channels,
                    d.samples[i]
                ),
            ));
        }
        let chans: Vec<Vec<f32>> = if mono {
            vec![d.to_mono()]
        } else {
            (0..d.channels).map(|c| d.channel(c)).collect()
        };
        let chans = chans
            .iter()
            .map(|c| rs::resample(c, d.sample_rate, rate))
            .collect::<crate::Result<Vec<_>>>()?;
        let n = chans.first().map_or(0, |c| c.len());
        let mut inter = Vec::with_capacity(n * chans.len());
        for i in 0..n {
            for c in &chans {
                inter.push(c[i]);
            }
        }
        Ok((inter, chans.len(), rate))
    })?;
    let arr: Bound<'py, PyAny> = if mono {
        data.into_pyarray(py).into_any()
    } else {
        let n = data.len() / channels.max(1);
        let a = shaped(py, data, (n, channels))?;
        a.into_any()
    };
    Ok((arr, rate))
}

/// Resamples a mono signal.
#[pyfunction]
pub fn resample<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    orig_sr: Int,
    target_sr: Int,
) -> PyResult<Bound<'py, PyArray1<f32>>> {
    let (a, b) = (
        int_rate(orig_sr, "orig_sr")?,
        int_rate(target_sr, "target_sr")?,
    );
    let s: Signal<f32> = signal(y, "y")?;
    let x = s.as_slice();
    let out = compute(py, || {
        crate::audio::check_finite(x, "y")?;
        rs::resample(x, a, b)
    })?;
    Ok(out.into_pyarray(py))
}

enum Kind {
    Mfcc,
    Mel(Option<bool>),
}

/// The extractor of `kind` and the parameters it read (with what each resolved to).
fn extractor_and_params<T: Real>(
    kind: &Kind,
    preset: &str,
    sr: f64,
    p: &Bound<'_, PyDict>,
) -> PyResult<(Extractor<T>, Params)> {
    let preset: Preset = preset.parse()?;
    let p = params(Some(p))?;
    let ex = match kind {
        Kind::Mfcc => Extractor::mfcc(preset, sr, &p)?,
        Kind::Mel(log) => Extractor::melspectrogram(preset, sr, &p, *log)?,
    };
    Ok((ex, p))
}

fn extractor<T: Real>(
    kind: &Kind,
    preset: &str,
    sr: f64,
    p: &Bound<'_, PyDict>,
) -> PyResult<Extractor<T>> {
    Ok(extractor_and_params(kind, preset, sr, p)?.0)
}

fn value_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::None => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Int(i) => PyInt::new(py, *i).into_any(),
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::Str(s) => PyString::new(py, s).into_any(),
        Value::Array(a) => PyList::new(py, a)?.into_any(),
    })
}

/// The full parameter set of `mfcc` (`kind="mfcc"`) or `melspectrogram`
/// (`kind="melspectrogram"`, with `log`) for `preset` at `sr`: every keyword the preset
/// reads, by its reference name, with the value it runs with (defaults filled in). The
/// parameters are validated as the extractor does, without audio.
#[pyfunction]
#[pyo3(signature = (kind, preset, sr, params, log=None))]
pub fn preset_params<'py>(
    py: Python<'py>,
    kind: &str,
    preset: &str,
    sr: f64,
    params: &Bound<'py, PyDict>,
    log: Option<bool>,
) -> PyResult<Bound<'py, PyDict>> {
    guard(|| {
        let sr = sample_rate(sr)?;
        let kind = match kind {
            "mfcc" => Kind::Mfcc,
            "melspectrogram" => Kind::Mel(log),
            other => {
                return Err(Error::param(
                    "kind",
                    format!("expected \"mfcc\" or \"melspectrogram\", got {other:?}"),
                )
                .into())
            }
        };
        let (_, p) = extractor_and_params::<f32>(&kind, preset, sr, params)?;
        let out = PyDict::new(py);
        out.set_item("preset", preset.parse::<Preset>()?.name())?;
        for (name, v) in p.resolved() {
            out.set_item(name, value_to_py(py, &v)?)?;
        }
        Ok(out)
    })
}

/// What an audio file's header says, without decoding it: `(sample_rate, channels,
/// n_frames)` (`n_frames` None when the header does not say).
#[pyfunction]
#[pyo3(name = "info")]
pub fn audio_info(py: Python<'_>, path: PathBuf) -> PyResult<(u32, usize, Option<u64>)> {
    let info = compute(py, || io::probe(&path))?;
    Ok((info.sample_rate, info.channels, info.n_frames))
}

fn one<'py, T: Real + Element>(
    py: Python<'py>,
    kind: Kind,
    y: &Bound<'py, PyAny>,
    sr: f64,
    preset: &str,
    p: &Bound<'py, PyDict>,
    n_jobs: Option<i64>,
) -> PyResult<Bound<'py, PyAny>> {
    let sr = sample_rate(sr)?;
    let s: Signal<T> = signal(y, "y")?;
    let ex = extractor::<T>(&kind, preset, sr, p)?;
    let x = s.as_slice();
    let out = compute(py, || ex.compute_with_jobs(x, n_jobs))?;
    Ok(out.into_pyarray(py).into_any())
}

fn batch<'py, T: Real + Element>(
    py: Python<'py>,
    kind: Kind,
    ys: &Bound<'py, PyList>,
    sr: f64,
    preset: &str,
    p: &Bound<'py, PyDict>,
    n_jobs: Option<i64>,
) -> PyResult<Bound<'py, PyList>> {
    let sr = sample_rate(sr)?;
    let held: Vec<Signal<T>> = signals(ys)?;
    let ex = extractor::<T>(&kind, preset, sr, p)?;
    let slices: Vec<&[T]> = held.iter().map(|s| s.as_slice()).collect();
    let outs = compute(py, || ex.compute_batch(&slices, n_jobs))?;
    let arrays: Vec<Bound<'py, PyArray2<T>>> =
        outs.into_iter().map(|a| a.into_pyarray(py)).collect();
    PyList::new(py, arrays)
}

#[pyfunction]
#[pyo3(signature = (y, sr, preset, params, dtype="float32", n_jobs=Some(Jobs(1))))]
pub fn mfcc<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    preset: &str,
    params: &Bound<'py, PyDict>,
    dtype: &str,
    n_jobs: Option<Jobs>,
) -> PyResult<Bound<'py, PyAny>> {
    let n_jobs = jobs(n_jobs);
    with_dtype!(dtype, T => one::<T>(py, Kind::Mfcc, y, sr, preset, params, n_jobs))
}

#[pyfunction]
#[pyo3(signature = (y, sr, preset, params, log=None, dtype="float32", n_jobs=Some(Jobs(1))))]
#[allow(clippy::too_many_arguments)]
pub fn melspectrogram<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    preset: &str,
    params: &Bound<'py, PyDict>,
    log: Option<bool>,
    dtype: &str,
    n_jobs: Option<Jobs>,
) -> PyResult<Bound<'py, PyAny>> {
    let n_jobs = jobs(n_jobs);
    with_dtype!(dtype, T => one::<T>(py, Kind::Mel(log), y, sr, preset, params, n_jobs))
}

#[pyfunction]
#[pyo3(signature = (ys, sr, preset, params, n_jobs=None, dtype="float32"))]
pub fn mfcc_batch<'py>(
    py: Python<'py>,
    ys: &Bound<'py, PyList>,
    sr: f64,
    preset: &str,
    params: &Bound<'py, PyDict>,
    n_jobs: Option<Jobs>,
    dtype: &str,
) -> PyResult<Bound<'py, PyList>> {
    let n_jobs = jobs(n_jobs);
    with_dtype!(dtype, T => batch::<T>(py, Kind::Mfcc, ys, sr, preset, params, n_jobs))
}

#[pyfunction]
#[pyo3(signature = (ys, sr, preset, params, log=None, n_jobs=None, dtype="float32"))]
#[allow(clippy::too_many_arguments)]
pub fn melspectrogram_batch<'py>(
    py: Python<'py>,
    ys: &Bound<'py, PyList>,
    sr: f64,
    preset: &str,
    params: &Bound<'py, PyDict>,
    log: Option<bool>,
    n_jobs: Option<Jobs>,
    dtype: &str,
) -> PyResult<Bound<'py, PyList>> {
    let n_jobs = jobs(n_jobs);
    with_dtype!(dtype, T => batch::<T>(py, Kind::Mel(log), ys, sr, preset, params, n_jobs))
}
