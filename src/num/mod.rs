//! Shared numerics: the float trait every kernel is generic over ([`real`]), vectorised
//! dot products and logarithms ([`fastmath`]), analysis windows ([`window`]), and LPC with
//! polynomial roots ([`lpc`], [`roots`]), small linear algebra ([`linalg`]: Umeyama).

pub mod fastmath;
pub mod linalg;
pub mod lpc;
pub mod real;
pub mod roots;
pub mod window;

/// First index of the maximum and the maximum.
pub fn argmax(v: &[f64]) -> (usize, f64) {
    v.iter().enumerate().fold(
        (0, f64::NEG_INFINITY),
        |b, (i, &x)| if x > b.1 { (i, x) } else { b },
    )
}
