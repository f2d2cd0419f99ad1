//! Shared numerics: the float trait every kernel is generic over ([`real`]), vectorised
//! dot products and logarithms ([`fastmath`]), analysis windows ([`window`]), and LPC with
//! polynomial roots ([`lpc`], [`roots`]), small linear algebra ([`linalg`]: Umeyama).

pub mod fastmath;
pub mod linalg;
pub mod lpc;
pub mod real;
pub mod roots;
pub mod window;

/// The tests' seeded uniform numbers in [0, 1): a 64-bit linear congruential generator
/// (Knuth's MMIX constants), the top 53 bits of its state.
#[cfg(test)]
pub(crate) struct TestRng(pub(crate) u64);

#[cfg(test)]
impl TestRng {
    pub(crate) fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// First index of the maximum and the maximum.
pub fn argmax(v: &[f64]) -> (usize, f64) {
    v.iter().enumerate().fold(
        (0, f64::NEG_INFINITY),
        |b, (i, &x)| if x > b.1 { (i, x) } else { b },
    )
}
