//! affectkit's Rust core: audio features and label fusion, with Python bindings behind the `python`
//! feature.
//!
//! The crate is pure Rust except [`python`], which only converts arguments, releases the
//! GIL and maps [`Error`] onto Python exceptions.

pub mod audio;
pub mod cancel;
pub mod error;
pub mod face;
pub mod functionals;
pub mod labels;
pub mod limits;
pub mod metrics;
pub mod models;
pub mod num;
pub mod parallel;
pub mod params;
pub mod synth;

#[cfg(feature = "python")]
mod python;

pub use error::{Error, Result};
