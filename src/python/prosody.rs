//! Prosody bindings: F0 tracks, intensity, functionals.

use numpy::{Element, IntoPyArray, PyArray1, PyArray2, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use super::convert::{jobs, params, shaped, signal, signals, with_dtype, Int, Jobs, Signal};
use super::errors::compute;
use crate::audio::pitch::{F0Method, F0Track};
use crate::audio::praat::intensity::{self as int, IntensitySpec};
use crate::audio::praat::pitch_ac::PraatPitchSpec;
use crate::error::Error;
use crate::functionals::{self as fx, Functional};
use crate::num::real::Real;

type Track<'py> = (
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<bool>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
);

fn method(sr: f64, method: &str, p: &Bound<'_, PyDict>) -> PyResult<F0Method> {
    let p = params(Some(p))?;
    let m = F0Method::from_params(method, sr, &p)?;
    p.finish(&format!("f0(method={method:?})"))?;
    Ok(m)
}

fn track<T: Real + Element>(
    py: Python<'_>,
    y: &Bound<'_, PyAny>,
    sr: f64,
    m: &F0Method,
) -> PyResult<F0Track> {
    with_signal(py, y, |x: &[T]| m.track(x, sr))
}

fn arrays(py: Python<'_>, tr: F0Track) -> Track<'_> {
    (
        tr.f0.into_pyarray(py),
        tr.voiced.into_pyarray(py),
        tr.prob.into_pyarray(py),
        tr.times.into_pyarray(py),
    )
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
    let m = self::method(sr, method, params)?;
    let tr = with_dtype!(dtype, T => track::<T>(py, y, sr, &m)?);
    Ok(arrays(py, tr))
}

fn tracks<T: Real + Element>(
    py: Python<'_>,
    ys: &Bound<'_, PyList>,
    sr: f64,
    m: &F0Method,
    n_jobs: Option<i64>,
) -> PyResult<Vec<F0Track>> {
    with_signals(py, ys, |xs: &[&[T]]| m.track_batch(xs, sr, n_jobs))
}

/// `f0` of every clip on the pool: a list of `(f0, voiced, prob, times)`.
#[pyfunction]
#[pyo3(signature = (ys, sr, method, params, n_jobs=None, dtype="float32"))]
pub fn f0_batch<'py>(
    py: Python<'py>,
    ys: &Bound<'py, PyList>,
    sr: f64,
    method: &str,
    params: &Bound<'py, PyDict>,
    n_jobs: Option<Jobs>,
    dtype: &str,
) -> PyResult<Vec<Track<'py>>> {
    let n_jobs = jobs(n_jobs);
    let m = self::method(sr, method, params)?;
    let trs = with_dtype!(dtype, T => tracks::<T>(py, ys, sr, &m, n_jobs)?);
    Ok(trs.into_iter().map(|tr| arrays(py, tr)).collect())
}

fn intensity_of<T: Real + Element>(
    py: Python<'_>,
    y: &Bound<'_, PyAny>,
    sr: f64,
    spec: &IntensitySpec,
) -> PyResult<int::Intensity> {
    with_signal(py, y, |x: &[T]| int::intensity(x, sr, spec))
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
    let it = with_dtype!(dtype, T => intensity_of::<T>(py, y, sr, &spec)?);
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
        .map(|n| n.parse::<Functional>())
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

use crate::audio::praat::formants::{self as fm, FormantSpec};
use crate::audio::praat::harmonicity::{self as hnr, HarmonicityMethod, HarmonicitySpec};
use crate::audio::praat::voice::{self, ProsodySpec, VoiceQualitySpec};

/// `f` on `y` read as `T` (float64 for the voice kernels, which compute in double), GIL
/// released.
fn with_signal<'py, T: Real + Element, R: Send>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    f: impl FnOnce(&[T]) -> crate::Result<R> + Send,
) -> PyResult<R> {
    let s: Signal<T> = signal(y, "y")?;
    let x = s.as_slice();
    compute(py, move || f(x))
}

/// `f` on every signal of `ys` read as `T`, GIL released.
fn with_signals<'py, T: Real + Element, R: Send>(
    py: Python<'py>,
    ys: &Bound<'py, PyList>,
    f: impl FnOnce(&[&[T]]) -> crate::Result<R> + Send,
) -> PyResult<R> {
    let held = signals::<T>(ys)?;
    let slices: Vec<&[T]> = held.iter().map(|s| s.as_slice()).collect();
    compute(py, move || f(&slices))
}

fn formant_spec(p: &Bound<'_, PyDict>) -> PyResult<FormantSpec> {
    let p = params(Some(p))?;
    let spec = FormantSpec::from_params(&p)?;
    p.finish("formants")?;
    Ok(spec)
}

/// `(values, times)` of a contour.
type Contour<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

type FormantArrays<'py> = (Bound<'py, PyArray2<f64>>, Bound<'py, PyArray1<f64>>);

fn formant_arrays<'py>(py: Python<'py>, tr: fm::FormantTrack) -> PyResult<FormantArrays<'py>> {
    let n = tr.times.len();
    Ok((shaped(py, tr.table(3), (n, 6))?, tr.times.into_pyarray(py)))
}

/// Praat "To Formant (burg)": `(table (n_frames, 6): F1-F3 then B1-B3, times)`.
#[pyfunction]
pub fn formants<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    params: &Bound<'py, PyDict>,
) -> PyResult<FormantArrays<'py>> {
    let spec = formant_spec(params)?;
    let tr = with_signal::<f64, _>(py, y, |x| fm::formants(x, sr, &spec))?;
    formant_arrays(py, tr)
}

/// `formants` of every clip, on the pool.
#[pyfunction]
#[pyo3(signature = (ys, sr, params, n_jobs=None))]
pub fn formants_batch<'py>(
    py: Python<'py>,
    ys: &Bound<'py, PyList>,
    sr: f64,
    params: &Bound<'py, PyDict>,
    n_jobs: Option<Jobs>,
) -> PyResult<Vec<FormantArrays<'py>>> {
    let n_jobs = jobs(n_jobs);
    let spec = formant_spec(params)?;
    let out = with_signals::<f64, _>(py, ys, |xs| fm::formants_batch(xs, sr, &spec, n_jobs))?;
    out.into_iter().map(|tr| formant_arrays(py, tr)).collect()
}

fn voice_spec(p: &Bound<'_, PyDict>, context: &str) -> PyResult<VoiceQualitySpec> {
    let p = params(Some(p))?;
    let spec = VoiceQualitySpec::from_params(&p)?;
    p.finish(context)?;
    Ok(spec)
}

fn prosody_spec(p: &Bound<'_, PyDict>) -> PyResult<ProsodySpec> {
    let p = params(Some(p))?;
    let spec = ProsodySpec::from_params(&p)?;
    p.finish("prosody")?;
    Ok(spec)
}

/// A per-clip measure set: `"voice_quality"` (order of `VOICE_QUALITY_NAMES`) or
/// `"prosody"` (order of `PROSODY_NAMES`).
enum Measures {
    Voice(VoiceQualitySpec),
    Prosody(ProsodySpec),
}

impl Measures {
    fn new(kind: &str, p: &Bound<'_, PyDict>) -> PyResult<Self> {
        match kind {
            "voice_quality" => Ok(Measures::Voice(voice_spec(p, kind)?)),
            "prosody" => Ok(Measures::Prosody(prosody_spec(p)?)),
            other => Err(Error::param(
                "kind",
                format!("expected \"voice_quality\" or \"prosody\", got {other:?}"),
            )
            .into()),
        }
    }

    fn width(&self) -> usize {
        match self {
            Measures::Voice(_) => voice::VOICE_QUALITY_NAMES.len(),
            Measures::Prosody(_) => voice::PROSODY_NAMES.len(),
        }
    }

    fn of<T: Real>(&self, x: &[T], sr: f64) -> crate::Result<Vec<f64>> {
        match self {
            Measures::Voice(spec) => voice::voice_quality(x, sr, spec),
            Measures::Prosody(spec) => voice::prosody(x, sr, spec),
        }
    }
}

/// `voice_quality` or `prosody` of one clip: a list of floats.
#[pyfunction]
pub fn voice_measures<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    kind: &str,
    params: &Bound<'py, PyDict>,
) -> PyResult<Vec<f64>> {
    let m = Measures::new(kind, params)?;
    if super::convert::is_float32(y) {
        with_signal::<f32, _>(py, y, |x| m.of(x, sr))
    } else {
        with_signal::<f64, _>(py, y, |x| m.of(x, sr))
    }
}

/// `voice_measures` of every clip on the pool: `(n_clips, width)`.
#[pyfunction]
#[pyo3(signature = (ys, sr, kind, params, n_jobs=None))]
pub fn voice_measures_batch<'py>(
    py: Python<'py>,
    ys: &Bound<'py, PyList>,
    sr: f64,
    kind: &str,
    params: &Bound<'py, PyDict>,
    n_jobs: Option<Jobs>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let n_jobs = jobs(n_jobs);
    let m = Measures::new(kind, params)?;
    let out = with_signals::<f64, _>(py, ys, |xs| {
        crate::parallel::map_clips(xs, n_jobs, |x| m.of(x, sr))
    })?;
    let n = out.len();
    shaped(py, out.concat(), (n, m.width()))
}

/// Glottal pulse times (s), as Praat's "To PointProcess (periodic, cc)".
#[pyfunction]
pub fn pulses<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    params: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let p = super::convert::params(Some(params))?;
    let spec = PraatPitchSpec::from_params(&p)?;
    p.finish("pulses")?;
    Ok(with_signal::<f64, _>(py, y, |x| voice::pulses(x, sr, &spec))?.into_pyarray(py))
}

/// Praat "To Harmonicity (cc)" or "(ac)": `(db with NaN where unvoiced, times)`;
/// `periods_per_window=None` is Praat's default of the method (cc 1.0, ac 4.5).
#[pyfunction]
#[pyo3(signature = (y, sr, method="cc", time_step=0.01, minimum_pitch=75.0, silence_threshold=0.1, periods_per_window=None))]
#[allow(clippy::too_many_arguments)]
pub fn harmonicity<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    method: &str,
    time_step: f64,
    minimum_pitch: f64,
    silence_threshold: f64,
    periods_per_window: Option<f64>,
) -> PyResult<Contour<'py>> {
    let method: HarmonicityMethod = method.parse()?;
    let spec = HarmonicitySpec {
        time_step,
        minimum_pitch,
        silence_threshold,
        periods_per_window: periods_per_window.unwrap_or(method.default_periods_per_window()),
        method,
    };
    let h = with_signal::<f64, _>(py, y, |x| hnr::harmonicity(x, sr, &spec))?;
    Ok((h.db.into_pyarray(py), h.times.into_pyarray(py)))
}

/// Frame-wise RMS (`librosa.feature.rms`): `(one value per frame, frame times in s)`.
#[pyfunction]
#[pyo3(signature = (y, sr, frame_length=Int::from(2048), hop_length=Int::from(512), center=true, pad_mode="constant"))]
pub fn rms<'py>(
    py: Python<'py>,
    y: &Bound<'py, PyAny>,
    sr: f64,
    frame_length: Int,
    hop_length: Int,
    center: bool,
    pad_mode: &str,
) -> PyResult<Contour<'py>> {
    let sr = super::convert::sample_rate(sr)?;
    let frame_length = frame_length.at_least("frame_length", 1)?;
    let hop_length = hop_length.at_least("hop_length", 1)?;
    use crate::audio::frontend::frames::{Edges, Framing, PadMode};
    let edges = if center {
        Edges::Center(pad_mode.parse::<PadMode>()?)
    } else {
        Edges::Snip
    };
    let framing = Framing::new(frame_length, hop_length, edges)?;
    let values =
        with_signal::<f64, _>(py, y, |x| crate::audio::frontend::energy::rms(x, &framing))?;
    let times: Vec<f64> = (0..values.len())
        .map(|t| (t * hop_length) as f64 / sr)
        .collect();
    Ok((values.into_pyarray(py), times.into_pyarray(py)))
}
