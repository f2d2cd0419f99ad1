//! Shared numerics: the float trait every kernel is generic over ([`real`]), vectorised
//! dot products and logarithms ([`fastmath`]), analysis windows ([`window`]), and LPC with
//! polynomial roots ([`lpc`]).

pub mod fastmath;
pub mod lpc;
pub mod real;
pub mod window;
