//! Error -> Python exception, and the guard every binding runs its work in.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::prelude::*;

use crate::cancel;
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
            Error::Cancelled => pyo3::exceptions::PyKeyboardInterrupt::new_err(()),
        }
    }
}

/// Set by `_core._test_panic(True)`: the compute step of every binding panics (the test
/// suite checks that each one surfaces as `InternalError`). Off unless a test turns it on.
static TEST_PANIC: AtomicBool = AtomicBool::new(false);

/// Turns the test-only panic switch of [`compute`] and [`guard`] on or off; returns the
/// previous setting.
pub fn set_test_panic(on: bool) -> bool {
    TEST_PANIC.swap(on, Ordering::Relaxed)
}

thread_local! {
    /// The exception a signal handler raised while a call ran on this thread, raised in
    /// place of the call's result.
    static PENDING: RefCell<Option<PyErr>> = const { RefCell::new(None) };
    /// `(pid, whether this is the interpreter's main thread)`: only the main thread runs
    /// Python signal handlers, so only calls made there poll for them.
    static MAIN_THREAD: Cell<Option<(u32, bool)>> = const { Cell::new(None) };
}

fn is_main_thread(py: Python<'_>) -> bool {
    let pid = std::process::id();
    if let Some((p, main)) = MAIN_THREAD.with(Cell::get) {
        if p == pid {
            return main;
        }
    }
    let main = (|| -> PyResult<bool> {
        let threading = py.import("threading")?;
        let current = threading.call_method0("current_thread")?;
        let main = threading.call_method0("main_thread")?;
        Ok(current.is(&main))
    })();
    match main {
        Ok(main) => {
            MAIN_THREAD.with(|m| m.set(Some((pid, main))));
            main
        }
        Err(e) => {
            // The Python code above is where a signal that arrived while the arguments
            // were converted (GIL held) runs its handler: its exception (Ctrl-C's
            // KeyboardInterrupt) is the call's, and only the main thread runs handlers.
            // It used to be dropped here, and the call then ran to its end.
            PENDING.with(|p| *p.borrow_mut() = Some(e));
            true
        }
    }
}

/// The poll of [`crate::cancel`] on the main thread: runs Python's signal handlers; an
/// exception they raise (KeyboardInterrupt for Ctrl-C) cancels the call and is kept for
/// [`compute`] to raise.
fn poll_signals() -> bool {
    Python::attach(|py| match py.check_signals() {
        Ok(()) => false,
        Err(e) => {
            PENDING.with(|p| *p.borrow_mut() = Some(e));
            true
        }
    })
}

/// Runs the compute step `f` of a binding: with the GIL released, with panics turned into
/// `Error::Internal` (so that no panic ever unwinds into the interpreter), and
/// cancellable: on the main thread, the long loops of `f` poll for signals
/// ([`crate::cancel`]), so Ctrl-C raises `KeyboardInterrupt` within a fraction of a
/// second instead of when the call returns. Warnings the core recorded on this thread (a
/// capped `n_jobs`) are raised as Python `UserWarning`s afterwards.
pub fn compute<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    F: FnOnce() -> crate::Result<T> + Send,
    T: Send,
{
    let poll: Option<cancel::Poll> = if is_main_thread(py) {
        Some(poll_signals)
    } else {
        None
    };
    if let Some(e) = PENDING.with(|p| p.borrow_mut().take()) {
        return Err(e); // interrupted before the work started
    }
    let out = py.detach(|| {
        cancel::scope(cancel::Token::new(), poll, || {
            guarded(|| {
                test_panic_point();
                f()
            })
        })
    });
    if let Some(e) = PENDING.with(|p| p.borrow_mut().take()) {
        // A handler's exception wins, as it would in Python code.
        crate::parallel::take_warnings();
        return Err(e);
    }
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

/// Runs a binding that keeps the GIL throughout (a table lookup, a small conversion):
/// panics become `InternalError` as in [`compute`], and the test switch of
/// [`set_test_panic`] applies to it too.
pub fn guard<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(|| {
        test_panic_point();
        f()
    })) {
        Ok(r) => r,
        Err(payload) => Err(panic_error(payload).into()),
    }
}

/// Panics when the test switch is on (see [`set_test_panic`]).
fn test_panic_point() {
    if TEST_PANIC.load(Ordering::Relaxed) {
        panic!("the compute step panics (affectkit._core._test_panic is on)");
    }
}

/// `f` with panics caught, without the test switch (the guard's own machinery).
pub fn guarded<T>(f: impl FnOnce() -> crate::Result<T>) -> crate::Result<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| Err(panic_error(payload)))
}

/// `Error::Internal` carrying a caught panic's message.
fn panic_error(payload: Box<dyn std::any::Any + Send>) -> Error {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    Error::Internal(format!("panic: {msg}"))
}
