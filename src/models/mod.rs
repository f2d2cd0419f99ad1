//! Emotion models: small neural networks trained with Burn on its pure-Rust `flex` CPU
//! backend.
//!
//! [`network`] defines the MLP (softmax regression when it has no hidden layer),
//! [`loss`] the objectives and target encodings (hard, smoothed and soft labels, class
//! weights, MSE and CCC), [`train`] the training loop and batched inference, [`fusion`]
//! and [`sequence`] the gated fusion and attention-pooling networks, [`layerwise`] the
//! layer-weighted head over self-supervised hidden states, [`fit`] the training
//! entry point of each network, and [`persist`] the versioned model file. The
//! scikit-learn estimators in `affectkit.models` wrap these.
//!
//! ```
//! use _core::models::{loss::Objective, network::{Activation, MlpSpec}, train};
//! // two well separated classes, two features
//! let x: Vec<f32> = (0..40).flat_map(|i| { let s = if i < 20 { -1.0 } else { 1.0 }; [s, s * 0.5] }).collect();
//! let y: Vec<f32> = (0..40).flat_map(|i| if i < 20 { [1.0, 0.0] } else { [0.0, 1.0] }).collect();
//! let spec = MlpSpec { n_inputs: 2, hidden: vec![8], n_outputs: 2, activation: Activation::Relu, dropout: 0.0, layer_norm: false };
//! let data = train::Dataset { x: &x, n_features: 2, targets: &y, n_targets: 2, weights: None };
//! let opts = train::TrainOptions { batch_size: 16, max_epochs: 50, learning_rate: 0.01,
//!     schedule: train::Schedule::Constant, optimizer: train::Optimizer::Adam, alpha: 0.0, tol: 1e-4,
//!     early_stopping: false, validation_fraction: 0.1, n_iter_no_change: 10, seed: 0, groups: None };
//! let fitted = train::fit(&spec, Objective::CrossEntropy, &data, &opts).unwrap();
//! let p = train::predict(&fitted.model, &[-1.0, -0.5], true).unwrap();
//! assert!(p[0] > 0.9);
//! ```

pub mod dialogue;
pub mod fit;
pub mod fusion;
pub mod gru;
pub mod layerpool;
pub mod layerwise;
pub mod loss;
pub mod network;
pub mod persist;
pub mod sequence;
pub mod trace;
pub mod train;
