//! One error type for the whole crate.
//!
//! Every fallible function returns [`Result`]. The Python bindings map the variants onto
//! affectkit's exception classes (`affectkit.errors`): `Parameter` -> `ParameterError`
//! (a `ValueError`), `Type` -> `InputTypeError` (a `TypeError`), `Io` -> `ReadError`
//! (an `OSError`), `Audio` -> `AudioLoadError` (a `ReadError`), `Internal` ->
//! `InternalError` (a `RuntimeError`) and `Cancelled` -> the exception the interrupting
//! signal raised (`KeyboardInterrupt` for Ctrl-C).

use std::fmt::Display;

/// What went wrong, phrased for the person who passed the argument.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// An argument has the right type but an unusable value. The message names it.
    #[error("{0}")]
    Parameter(String),
    /// An argument has the wrong type or layout (dtype, dimensionality).
    #[error("{0}")]
    Type(String),
    /// A file could not be read or parsed. The message names the file.
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// An audio file could not be read or decoded. The message names the file.
    #[error("{path}: {message}")]
    Audio { path: String, message: String },
    /// A bug in affectkit (an invariant broke). Please report it.
    #[error("internal error: {0}")]
    Internal(String),
    /// The call was cancelled ([`crate::cancel`]: Ctrl-C while it ran).
    #[error("cancelled")]
    Cancelled,
}

/// The crate-wide result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// `argument: message`, the form every parameter error takes.
    pub fn param(argument: &str, message: impl Display) -> Self {
        Error::Parameter(format!("{argument}: {message}"))
    }

    /// A type/layout error for `argument`.
    pub fn type_error(argument: &str, message: impl Display) -> Self {
        Error::Type(format!("{argument}: {message}"))
    }

    /// A read/parse error for the file at `path`.
    pub fn io(path: impl Display, message: impl Display) -> Self {
        Error::Io {
            path: path.to_string(),
            message: message.to_string(),
        }
    }

    /// A read/decode error for the audio file at `path`.
    pub fn audio(path: impl Display, message: impl Display) -> Self {
        Error::Audio {
            path: path.to_string(),
            message: message.to_string(),
        }
    }
}
