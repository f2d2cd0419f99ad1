//! The floating-point element type of the signal kernels (`f32` or `f64`).
//!
//! Kernels are generic so that one implementation serves the fast float32 path and the
//! float64 path used for tight parity with float64 references.

use std::fmt::Debug;

use num_traits::{Float, FloatConst};
use realfft::FftNum;

/// `f32` or `f64`, with lossless-enough conversions to and from `f64`.
pub trait Real: FftNum + Float + FloatConst + Default + Send + Sync + Debug + 'static {
    /// Converts from `f64` (rounding to nearest for `f32`).
    fn of(x: f64) -> Self;
    /// Widens to `f64`.
    fn f64(self) -> f64;
    /// Machine epsilon of this type (`numpy.finfo(dtype).eps`).
    const EPS: Self;
}

impl Real for f32 {
    #[inline(always)]
    fn of(x: f64) -> Self {
        x as f32
    }
    #[inline(always)]
    fn f64(self) -> f64 {
        self as f64
    }
    const EPS: Self = f32::EPSILON;
}

impl Real for f64 {
    #[inline(always)]
    fn of(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn f64(self) -> f64 {
        self
    }
    const EPS: Self = f64::EPSILON;
}
