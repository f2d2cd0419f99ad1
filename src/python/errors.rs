//! Error -> Python exception, and the guard every binding runs its work in.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;

use crate::error::Error;

pyo3::import_exception!(affectkit.errors, ParameterError);
pyo3::import_exception!(affectkit.errors, InputTypeError);
pyo3::import_exception!(affectkit.errors, AudioLoadError);
pyo3::import_exception!(affectkit.errors, ReadError);
pyo3::import_exception!(affectkit.errors, InternalError);

impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        match e {
            Error::Parameter(m) => ParameterError::new_err(m),
            Error::Type(m) => InputTypeError::new_err(m),
            e @ Error::Io { .. } => ReadError::new_err(e.to_string()),
            e @ Error::Audio { .. } => AudioLoadError::new_err(e.to_string()),
            e @ Error::Internal(_) => {
                InternalError::new_err(format!("{e}; this is a bug in affectkit, please report it"))
            }
        }
    }
}

/// Runs `f` with the GIL released and turns a panic into `Error::Internal`, so that no
/// panic ever unwinds into the interpreter. Warnings the core recorded on this thread
/// (a capped `n_jobs`) are raised as Python `UserWarning`s afterwards.
pub fn compute<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> crate::Result<T> + Send,
    T: Send,
{
    let out = py.detach(|| guarded(f));
    emit_warnings(py)?;
    out.map_err(PyErr::from)
}

/// Raises the warnings recorded by [`crate::parallel::warn`] on this thread as
/// `UserWarning`s (an error only when a warnings filter turns them into errors).
pub fn emit_warnings(py: Python<'_>) -> PyResult<()> {
    for message in crate::parallel::take_warnings() {
        let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
        let text = std::ffi::CString::new(message.replace('\0', " "))
            .unwrap_or_else(|_| c"affectkit warning".to_owned());
        PyErr::warn(py, &category, &text, 1)?;
    }
    Ok(())
}

/// `f` with panics caught (for work that must hold the GIL).
pub fn guarded<T>(f: impl FnOnce() -> crate::Result<T>) -> crate::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(Error::Internal(format!("panic: {msg}")))
        }
    }
}
