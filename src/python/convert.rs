//! NumPy and Python values -> Rust inputs, and Rust buffers -> NumPy arrays.

use ndarray::{Array, Dimension, IntoDimension};
use numpy::{
    Element, IntoPyArray, PyArray, PyArrayDescrMethods, PyReadonlyArray1, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

use crate::error::Error;
use crate::num::real::Real;
use crate::params::{Params, Value};

/// A 1-D signal: borrowed from NumPy when it already has the compute dtype and is
/// contiguous, else converted (integer PCM scaled by full scale).
pub enum Signal<'py, T: Element> {
    Borrowed(PyReadonlyArray1<'py, T>),
    Owned(Vec<T>),
}

impl<T: Element + Copy> Signal<'_, T> {
    pub fn as_slice(&self) -> &[T] {
        match self {
            // contiguity checked when the borrow was taken
            Signal::Borrowed(a) => a.as_slice().unwrap_or(&[]),
            Signal::Owned(v) => v,
        }
    }
}

fn scaled<'py, S, T>(arr: &Bound<'py, PyAny>, scale: f64, centre: f64) -> PyResult<Vec<T>>
where
    S: Element + Copy + Into<f64>,
    T: Real,
{
    let a: PyReadonlyArray1<'py, S> = arr.extract()?;
    Ok(a.as_array()
        .iter()
        .map(|&v| T::of((v.into() - centre) / scale))
        .collect())
}

/// A sample rate argument `sr` in Hz: finite and > 0 (every binding that takes one).
pub fn sample_rate(sr: f64) -> PyResult<f64> {
    if sr.is_finite() && sr > 0.0 {
        Ok(sr)
    } else {
        Err(Error::param(
            "sr",
            format!("must be a positive sample rate in Hz, got {sr}"),
        )
        .into())
    }
}

/// `obj` as a NumPy array in native byte order: big-endian (`>f4`, `>i2`) or other
/// non-native arrays are converted with `astype` (a copy), anything else passes through.
/// Every signal and matrix the bindings take goes through here or [`signal`].
pub fn native<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if let Ok(arr) = obj.cast::<PyUntypedArray>() {
        let dt = arr.dtype();
        if dt.is_native_byteorder() == Some(false) {
            let native = dt.call_method1("newbyteorder", ("=",))?;
            return obj.call_method1("astype", (native,));
        }
    }
    Ok(obj.clone())
}

/// The first finite sample of `x` beyond float32's range, as `(index, value)`.
fn beyond_float32<S: Copy + Into<f64>>(x: impl IntoIterator<Item = S>) -> Option<(usize, f64)> {
    x.into_iter()
        .map(Into::into)
        .enumerate()
        .find(|(_, v): &(usize, f64)| v.is_finite() && v.abs() > f32::MAX as f64)
}

/// Whether `obj` is a float32 array (either byte order): kernels that widen each sample
/// to f64 as they read it take such an array as it is instead of a float64 copy (twice
/// the clip's memory on a long recording); the results are the same.
pub fn is_float32(obj: &Bound<'_, PyAny>) -> bool {
    obj.cast::<PyUntypedArray>()
        .map(|a| {
            let dt = a.dtype();
            dt.kind() == b'f' && dt.itemsize() == 4
        })
        .unwrap_or(false)
}

/// Reads argument `name` as a mono signal of `T`. Big-endian arrays are converted;
/// float64 samples beyond float32's range (|x| > 3.4e38) are refused naming `name`,
/// since affectkit computes audio in float32 (NaN and infinity are refused by the
/// kernels, which name the first bad sample).
pub fn signal<'py, T: Real + Element>(
    obj: &Bound<'py, PyAny>,
    name: &str,
) -> PyResult<Signal<'py, T>> {
    let obj = &native(obj)?;
    let arr = obj.cast::<PyUntypedArray>().map_err(|_| {
        Error::type_error(
            name,
            format!(
                "expected a NumPy array of audio samples, got {}",
                type_name(obj)
            ),
        )
    })?;
    if arr.ndim() != 1 {
        return Err(Error::param(
            name,
            format!(
                "expected a mono 1-D signal, got an array of shape {:?}; mix it down first \
                 (e.g. y.mean(axis=1) for (samples, channels)) or pick one channel",
                arr.shape()
            ),
        )
        .into());
    }
    let dt = arr.dtype();
    let py = obj.py();
    let kind = dt.kind();
    let size = dt.itemsize();
    if (kind, size) == (b'f', 8) {
        let a: PyReadonlyArray1<'py, f64> = obj.extract()?;
        if let Some((i, v)) = beyond_float32(a.as_array().iter().copied()) {
            return Err(Error::param(
                name,
                format!(
                    "sample {i} is {v:e}, beyond float32's range (|x| <= 3.4e38); audio \
                     samples are expected in [-1, 1]"
                ),
            )
            .into());
        }
    }
    if dt.is_equiv_to(&numpy::dtype::<T>(py)) {
        let ro: PyReadonlyArray1<'py, T> = obj.extract()?;
        if ro.as_slice().is_ok() {
            return Ok(Signal::Borrowed(ro));
        }
        return Ok(Signal::Owned(ro.as_array().iter().copied().collect()));
    }
    let v: Vec<T> = match (kind, size) {
        (b'f', 4) => scaled::<f32, T>(obj, 1.0, 0.0)?,
        (b'f', 8) => scaled::<f64, T>(obj, 1.0, 0.0)?,
        (b'i', 1) => scaled::<i8, T>(obj, 128.0, 0.0)?,
        (b'i', 2) => scaled::<i16, T>(obj, 32768.0, 0.0)?,
        (b'i', 4) => scaled::<i32, T>(obj, 2147483648.0, 0.0)?,
        (b'u', 1) => scaled::<u8, T>(obj, 128.0, 128.0)?,
        (b'i', 8) => {
            let a: PyReadonlyArray1<'py, i64> = obj.extract()?;
            a.as_array()
                .iter()
                .map(|&v| T::of(v as f64 / 9223372036854775808.0))
                .collect()
        }
        _ => {
            return Err(Error::type_error(
                name,
                format!(
                    "expected float32/float64 samples or integer PCM (int8/16/32/64, uint8), \
                     got dtype {}",
                    dt.str()
                        .map(|s| s.to_string())
                        .unwrap_or_else(|_| "?".into())
                ),
            )
            .into())
        }
    };
    Ok(Signal::Owned(v))
}

/// Reads every signal of a batch as `T`; errors name `signals[i]`, the argument of every
/// Python `*_batch` function. Python's signal handlers run between items, so Ctrl-C during
/// the conversion of a long batch (the GIL is held) raises `KeyboardInterrupt` at once
/// instead of after it.
pub fn signals<'py, T: Real + Element>(
    ys: &Bound<'py, pyo3::types::PyList>,
) -> PyResult<Vec<Signal<'py, T>>> {
    let mut held = Vec::with_capacity(ys.len());
    for (i, y) in ys.iter().enumerate() {
        ys.py().check_signals()?;
        held.push(signal::<T>(&y, &format!("signals[{i}]"))?);
    }
    Ok(held)
}

/// The float type a binding computes in, from its `dtype` argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    F32,
    F64,
}

impl Dtype {
    /// `"float32"` or `"float64"`; anything else is a `ParameterError` naming `dtype`.
    pub fn of(dtype: &str) -> PyResult<Self> {
        match dtype {
            "float32" => Ok(Dtype::F32),
            "float64" => Ok(Dtype::F64),
            other => Err(Error::param(
                "dtype",
                format!("expected float32 or float64, got {other:?}"),
            )
            .into()),
        }
    }
}

/// `$body` with the type `$T` bound to `f32` or `f64` as the `dtype` string says: the one
/// float32/float64 dispatch of the bindings.
macro_rules! with_dtype {
    ($dtype:expr, $T:ident => $body:expr) => {
        match $crate::python::convert::Dtype::of($dtype)? {
            $crate::python::convert::Dtype::F32 => {
                type $T = f32;
                $body
            }
            $crate::python::convert::Dtype::F64 => {
                type $T = f64;
                $body
            }
        }
    };
}
pub(crate) use with_dtype;

/// A whole-number argument as Python passed it (int, NumPy integer, or a float with no
/// fractional part), range-checked by the function that knows the argument's name, so
/// that `-1` or `2**70` for a size is a `ParameterError` naming it rather than pyo3's
/// `OverflowError`.
#[derive(Debug, Clone, Copy)]
pub struct Int(Option<i64>, f64);

impl<'py> FromPyObject<'_, 'py> for Int {
    type Error = PyErr;

    fn extract(obj: pyo3::Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        if obj.is_instance_of::<PyBool>() {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "expected an integer, got a bool",
            ));
        }
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Int(Some(i), i as f64));
        }
        if obj.is_instance_of::<PyInt>() || obj.hasattr("__index__")? {
            // an integer beyond i64: keep its sign and rough size for the message
            let f: f64 = obj
                .call_method0("__float__")
                .and_then(|f| f.extract())
                .unwrap_or(f64::INFINITY);
            return Ok(Int(None, f));
        }
        if let Ok(f) = obj.extract::<f64>() {
            if f.is_finite() && f.fract() == 0.0 && f.abs() < 9.2e18 {
                return Ok(Int(Some(f as i64), f));
            }
            return Ok(Int(None, f));
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected an integer, got {}",
            type_name(&obj)
        )))
    }
}

impl From<i64> for Int {
    fn from(v: i64) -> Self {
        Int(Some(v), v as f64)
    }
}

impl Int {
    /// The value as i64, or a ParameterError naming `name`.
    pub fn get(self, name: &str) -> crate::Result<i64> {
        self.0
            .ok_or_else(|| Error::param(name, format!("expected an integer, got {}", self.1)))
    }

    /// A count >= `min`.
    pub fn at_least(self, name: &str, min: usize) -> crate::Result<usize> {
        match self.0 {
            Some(i) if i >= min as i64 => {
                usize::try_from(i).map_err(|_| Error::param(name, format!("{i} is too large")))
            }
            _ => Err(Error::param(
                name,
                format!("must be an integer >= {min}, got {}", self.describe()),
            )),
        }
    }

    /// The value, saturated to i64's range by its sign when it lies beyond (NaN: 0).
    pub fn saturating(self) -> i64 {
        match self.0 {
            Some(i) => i,
            None if self.1 > 0.0 => i64::MAX,
            None if self.1 < 0.0 => i64::MIN,
            None => 0,
        }
    }

    fn describe(self) -> String {
        match self.0 {
            Some(i) => i.to_string(),
            None => format!("{}", self.1),
        }
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A flat row-major buffer handed to NumPy with `shape`, without copying.
pub fn shaped<'py, T: Element, Sh: IntoDimension>(
    py: Python<'py>,
    v: Vec<T>,
    shape: Sh,
) -> PyResult<Bound<'py, PyArray<T, Sh::Dim>>>
where
    Sh::Dim: Dimension,
{
    // The kernels size their outputs from the same shape, so a mismatch is a bug.
    let a = Array::from_shape_vec(shape, v).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(a.into_pyarray(py))
}

/// A Python dict of keyword parameters -> [`Params`].
pub fn params(dict: Option<&Bound<'_, PyDict>>) -> PyResult<Params> {
    let mut p = Params::new();
    let Some(dict) = dict else { return Ok(p) };
    for (k, v) in dict.iter() {
        let key: String = k.extract()?;
        p.set(key.clone(), value(&key, &v)?);
    }
    Ok(p)
}

fn value(key: &str, v: &Bound<'_, PyAny>) -> PyResult<Value> {
    if v.is_none() {
        return Ok(Value::None);
    }
    if v.is_instance_of::<PyBool>() || type_name(v) == "bool_" {
        return Ok(Value::Bool(v.is_truthy()?));
    }
    if v.is_instance_of::<PyString>() {
        return Ok(Value::Str(v.extract()?));
    }
    if v.is_instance_of::<PyInt>() {
        return v
            .extract::<i64>()
            .map(Value::Int)
            .map_err(|_| Error::param(key, "integer out of range").into());
    }
    if v.is_instance_of::<PyFloat>() {
        return Ok(Value::Float(v.extract()?));
    }
    // NumPy scalars and other numbers
    if let Ok(i) = v.extract::<i64>() {
        return Ok(Value::Int(i));
    }
    if let Ok(f) = v.extract::<f64>() {
        return Ok(Value::Float(f));
    }
    if let Ok(a) = v.extract::<Vec<f64>>() {
        return Ok(Value::Array(a));
    }
    if let Ok(a) = v.extract::<PyReadonlyArray1<f64>>() {
        return Ok(Value::Array(a.as_array().to_vec()));
    }
    if let Ok(a) = v.extract::<PyReadonlyArray1<f32>>() {
        return Ok(Value::Array(
            a.as_array().iter().map(|&x| x as f64).collect(),
        ));
    }
    Err(Error::type_error(key, format!("unsupported value of type {}", type_name(v))).into())
}

/// A read-only NumPy array as a flat row-major slice, copied only when not contiguous.
pub fn flat<'a, T: Element + Copy, D: Dimension>(
    a: &'a numpy::PyReadonlyArray<'_, T, D>,
) -> std::borrow::Cow<'a, [T]> {
    match a.as_slice() {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => std::borrow::Cow::Owned(a.as_array().iter().copied().collect()),
    }
}

/// An `n_jobs` argument: any Python integer. One beyond the 64-bit range keeps its sign
/// (above: "as many as allowed", capped with a warning as any large value; below: as
/// joblib's negative counts), so `n_jobs=2**64` is never an `OverflowError`.
pub struct Jobs(pub i64);

impl<'py> FromPyObject<'_, 'py> for Jobs {
    type Error = PyErr;

    fn extract(obj: pyo3::Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        let Int(v, f) = obj.extract::<Int>().map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err(format!(
                "n_jobs: expected an integer or None, got {}",
                type_name(&obj)
            ))
        })?;
        match v {
            Some(v) => Ok(Jobs(v)),
            None if f.fract() == 0.0 || f.is_infinite() => {
                Ok(Jobs(if f > 0.0 { i64::MAX } else { i64::MIN }))
            }
            None => Err(
                crate::Error::param("n_jobs", format!("must be a whole number, got {f}")).into(),
            ),
        }
    }
}

/// `n_jobs` as the core takes it.
pub fn jobs(n_jobs: Option<Jobs>) -> Option<i64> {
    n_jobs.map(|j| j.0)
}
