//! The gated recurrent unit (Cho et al. 2014, EMNLP) shared by the recurrent networks: the
//! dialogue context ([`super::dialogue`]) and the per-frame trace network
//! ([`super::trace`]). Written out from Burn's linear layers so that its initialisation
//! follows the crate's seeded [`dense`] layers and its gate layout PyTorch's `nn.GRU`
//! (reset, update, new), whose weights it can then be compared with.

use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::activation::{sigmoid, tanh};
use burn::tensor::{Device, Tensor};

use super::network::dense;
use crate::labels::vote::SplitMix64;

/// A GRU cell with PyTorch's gate layout: input and hidden projections to
/// `[reset, update, new]`, `h' = (1 - z) n + z h`.
#[derive(Module, Debug)]
pub struct GruCell {
    pub input: Linear,
    pub hidden: Linear,
}

impl GruCell {
    pub(crate) fn init(
        d_input: usize,
        d_hidden: usize,
        rng: &mut SplitMix64,
        device: &Device,
    ) -> Self {
        Self {
            input: dense(d_input, 3 * d_hidden, rng, device),
            hidden: dense(d_hidden, 3 * d_hidden, rng, device),
        }
    }

    pub(crate) fn n_params(d_input: usize, h: usize) -> Option<usize> {
        let three = h.checked_mul(3)?;
        d_input.checked_add(h)?.checked_add(2)?.checked_mul(three)
    }

    /// One step from the input projection `xi` `(b, 3h)` (precomputed for all turns).
    pub(crate) fn step(&self, xi: Tensor<2>, h: Tensor<2>) -> Tensor<2> {
        let d = h.dims()[1];
        let hh = self.hidden.forward(h.clone());
        // one sigmoid over both gates: fewer (tiny) ops per step, whose fixed cost dominates
        let rz = sigmoid(xi.clone().narrow(1, 0, 2 * d) + hh.clone().narrow(1, 0, 2 * d));
        let (r, z) = (rz.clone().narrow(1, 0, d), rz.narrow(1, d, d));
        let n = tanh(xi.narrow(1, 2 * d, d) + r * hh.narrow(1, 2 * d, d));
        n.clone() + z * (h - n)
    }

    /// States `(b, t, h)` over inputs `(b * t, d)` from a zero state.
    pub(crate) fn run(&self, x: Tensor<2>, b: usize, t: usize) -> Tensor<3> {
        let d = self.hidden.weight.dims()[0];
        let xi = self.input.forward(x).reshape([b, t, 3 * d]);
        let mut h = Tensor::<2>::zeros([b, d], &xi.device());
        let mut out = Vec::with_capacity(t);
        for s in 0..t {
            h = self.step(xi.clone().narrow(1, s, 1).reshape([b, 3 * d]), h);
            out.push(h.clone());
        }
        Tensor::stack(out, 1)
    }
}
