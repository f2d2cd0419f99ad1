//! Multilayer perceptrons: the shared building block of every affectkit model.
//!
//! A stack of fully connected layers (Rumelhart, Hinton and Williams 1986), each hidden
//! layer followed by an optional layer norm (Ba, Kiros and Hinton 2016), a nonlinearity
//! and dropout (Srivastava et al. 2014). With no hidden layer the network is softmax
//! (multinomial logistic) regression or, for dimensional targets, linear regression.
//!
//! Weights are drawn by affectkit's own seeded generator, not Burn's global one, so that a
//! `random_state` fixes a model regardless of what else the process has trained.

use burn::module::{Module, Param};
use burn::nn::{LayerNorm, LayerNormConfig, Linear};
use burn::tensor::activation;
use burn::tensor::{Device, Tensor, TensorData};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::labels::vote::SplitMix64;

/// Nonlinearity after each hidden layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    Relu,
    /// Exact (erf) GELU, Hendrycks and Gimpel 2016.
    Gelu,
    Tanh,
}

impl std::str::FromStr for Activation {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "relu" => Ok(Self::Relu),
            "gelu" => Ok(Self::Gelu),
            "tanh" => Ok(Self::Tanh),
            other => Err(Error::param(
                "activation",
                format!("expected 'relu', 'gelu' or 'tanh', got {other:?}"),
            )),
        }
    }
}

impl Activation {
    pub(crate) fn apply<const D: usize>(self, x: Tensor<D>) -> Tensor<D> {
        match self {
            Self::Relu => activation::relu(x),
            Self::Gelu => activation::gelu(x),
            Self::Tanh => activation::tanh(x),
        }
    }
}

/// Shape and regularisation of an MLP; stored in model files next to the weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MlpSpec {
    pub n_inputs: usize,
    /// Width of each hidden layer; empty = softmax/linear regression.
    pub hidden: Vec<usize>,
    pub n_outputs: usize,
    pub activation: Activation,
    /// Probability of zeroing a hidden unit during training (inverted dropout).
    pub dropout: f64,
    /// Layer norm before each hidden nonlinearity.
    pub layer_norm: bool,
}

impl MlpSpec {
    pub fn validate(&self) -> Result<()> {
        if self.n_inputs == 0 {
            return Err(Error::param("X", "expected at least one feature column"));
        }
        if self.n_outputs == 0 {
            return Err(Error::param("y", "expected at least one output"));
        }
        if let Some(w) = self.hidden.iter().find(|&&w| w == 0) {
            return Err(Error::param(
                "hidden_layer_sizes",
                format!("expected positive layer widths, got {w}"),
            ));
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return Err(Error::param(
                "dropout",
                format!("expected a probability in [0, 1), got {}", self.dropout),
            ));
        }
        Ok(())
    }

    /// Layer widths from input to output.
    fn widths(&self) -> Vec<usize> {
        let mut w = Vec::with_capacity(self.hidden.len() + 2);
        w.push(self.n_inputs);
        w.extend_from_slice(&self.hidden);
        w.push(self.n_outputs);
        w
    }
}

/// The Burn module: linear layers and (optionally) one layer norm per hidden layer.
#[derive(Module, Debug)]
pub struct Mlp {
    pub layers: Vec<Linear>,
    pub norms: Vec<LayerNorm>,
    #[module(skip)]
    pub spec: MlpSpec,
}

/// Uniform in `[-bound, bound)` from a SplitMix64 stream.
pub(crate) fn uniform(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// Glorot-uniform values, bound sqrt(6 / (fan_in + fan_out)).
pub(crate) fn glorot(n: usize, fan_in: usize, fan_out: usize, rng: &mut SplitMix64) -> Vec<f32> {
    let bound = (6.0 / (fan_in + fan_out) as f64).sqrt();
    (0..n)
        .map(|_| ((2.0 * uniform(rng) - 1.0) * bound) as f32)
        .collect()
}

/// A fully connected layer with Glorot-uniform weights and biases drawn from `rng`.
pub(crate) fn dense(
    fan_in: usize,
    fan_out: usize,
    rng: &mut SplitMix64,
    device: &Device,
) -> Linear {
    let w = glorot(fan_in * fan_out, fan_in, fan_out, rng);
    let b = glorot(fan_out, fan_in, fan_out, rng);
    Linear {
        weight: Param::from_tensor(Tensor::from_data(
            TensorData::new(w, [fan_in, fan_out]),
            device,
        )),
        bias: Some(Param::from_tensor(Tensor::from_data(
            TensorData::new(b, [fan_out]),
            device,
        ))),
    }
}

impl Mlp {
    /// A freshly initialised network on `device`. Glorot-uniform weights and biases with
    /// bound sqrt(6 / (fan_in + fan_out)), the initialisation scikit-learn's MLP uses.
    pub fn init(spec: &MlpSpec, seed: u64, device: &Device) -> Result<Self> {
        spec.validate()?;
        let mut rng = SplitMix64::new(seed);
        let widths = spec.widths();
        let layers = widths
            .windows(2)
            .map(|io| dense(io[0], io[1], &mut rng, device))
            .collect();
        let norms = if spec.layer_norm {
            spec.hidden
                .iter()
                .map(|&w| LayerNormConfig::new(w).init(device))
                .collect()
        } else {
            Vec::new()
        };
        Ok(Self {
            layers,
            norms,
            spec: spec.clone(),
        })
    }

    /// Outputs before the final softmax (logits) or the regression outputs. `dropout`
    /// supplies the random stream for training; `None` is inference.
    pub fn forward(&self, mut x: Tensor<2>, mut dropout: Option<&mut SplitMix64>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        for (i, layer) in self.layers.iter().enumerate() {
            x = layer.forward(x);
            if i == last {
                break;
            }
            if let Some(norm) = self.norms.get(i) {
                x = norm.forward(x);
            }
            x = self.spec.activation.apply(x);
            if let Some(rng) = dropout.as_deref_mut() {
                if self.spec.dropout > 0.0 {
                    x = drop_units(x, self.spec.dropout, rng);
                }
            }
        }
        x
    }
}

/// Inverted dropout: zero each unit with probability `p`, scale survivors by 1/(1-p).
pub(crate) fn drop_units(x: Tensor<2>, p: f64, rng: &mut SplitMix64) -> Tensor<2> {
    let [rows, cols] = x.dims();
    let keep = (1.0 / (1.0 - p)) as f32;
    let mask: Vec<f32> = (0..rows * cols)
        .map(|_| if uniform(rng) < p { 0.0 } else { keep })
        .collect();
    let mask = Tensor::from_data(TensorData::new(mask, [rows, cols]), &x.device());
    x * mask
}
