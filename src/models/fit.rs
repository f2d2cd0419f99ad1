//! Training entry points, one per network: the MLP (softmax regression without hidden
//! layers), the gated fusion network, the attention-pooling sequence network and the
//! dialogue network, the per-frame trace network and the layer-weighted head over hidden
//! states. Each
//! builds the network's spec from the shared [`Settings`] and the shape of its data,
//! checks the data against it, initialises the network and runs the training loop
//! ([`train::run`]) on the current rayon pool. The `affectkit._core.models.fit*` bindings
//! only convert arrays and call these.

use burn::tensor::Device;

use super::dialogue::{Context, DialogueNet, DialogueSpec, DialogueTask};
use super::fusion::{FusionSpec, FusionTask, GatedFusion};
use super::layerwise::{LayerWeighted, LayerwiseSpec, LayerwiseTask, Pooling};
use super::loss::Objective;
use super::network::{Activation, Mlp, MlpSpec};
use super::sequence::{AttentionPooling, SequenceSpec, SequenceTask};
use super::trace::{Context as TraceContext, TraceNet, TraceSpec, TraceTask};
use super::train::{self, Dataset, TrainOptions, Training};
use crate::error::{Error, Result};

/// What every network shares: the hidden layer widths, activation, dropout and layer
/// normalisation, and the training options (scikit-learn's `MLPClassifier` settings).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Hidden layer widths (MLP, sequence head) or encoder widths (fusion; the last is the
    /// shared embedding width). Empty = softmax regression.
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub dropout: f64,
    pub layer_norm: bool,
    pub train: TrainOptions,
}

/// The convolution front and attention of a sequence network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SequenceShape {
    /// Convolution filters; 0 = no convolution front.
    pub conv_channels: usize,
    /// Convolution width in frames.
    pub conv_kernel: usize,
    /// Width of the attention's hidden layer.
    pub attention_dim: usize,
}

/// Trains an MLP on `data` (`data.n_features` inputs, `data.n_targets` outputs) for
/// `objective`.
pub fn mlp(settings: &Settings, objective: Objective, data: &Dataset) -> Result<Training<Mlp>> {
    let spec = MlpSpec {
        n_inputs: data.n_features,
        hidden: settings.hidden.clone(),
        n_outputs: data.n_targets,
        activation: settings.activation,
        dropout: settings.dropout,
        layer_norm: settings.layer_norm,
    };
    train::fit(&spec, objective, data, &settings.train)
}

/// Trains a gated fusion network on `task` (one block per modality) with `n_classes`
/// outputs.
pub fn fusion(
    settings: &Settings,
    task: &FusionTask,
    n_classes: usize,
) -> Result<Training<GatedFusion>> {
    let spec = FusionSpec {
        widths: task.inputs.widths.clone(),
        hidden: settings.hidden.clone(),
        n_classes,
        activation: settings.activation,
        dropout: settings.dropout,
        layer_norm: settings.layer_norm,
    };
    task.validate(&spec)?;
    let net = GatedFusion::init(&spec, settings.train.seed, &Device::flex().autodiff())?;
    train::run(net, task, &settings.train)
}

/// Trains an attention-pooling sequence network of shape `shape` on `task` with
/// `n_classes` outputs.
pub fn sequence(
    settings: &Settings,
    shape: SequenceShape,
    task: &SequenceTask,
    n_classes: usize,
) -> Result<Training<AttentionPooling>> {
    if task.targets.len() != task.inputs.len() * n_classes {
        return Err(Error::param(
            "y",
            format!("expected one label per sequence ({})", task.inputs.len()),
        ));
    }
    let spec = SequenceSpec {
        n_features: task.inputs.n_features,
        conv_channels: shape.conv_channels,
        conv_kernel: shape.conv_kernel,
        attention_dim: shape.attention_dim,
        hidden: settings.hidden.clone(),
        n_classes,
        activation: settings.activation,
        dropout: settings.dropout,
        layer_norm: settings.layer_norm,
    };
    let net = AttentionPooling::init(&spec, settings.train.seed, &Device::flex().autodiff())?;
    train::run(net, task, &settings.train)
}

/// The context part of a dialogue network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialogueShape {
    pub context: Context,
    pub speaker_state: bool,
    pub causal: bool,
    pub window: Option<usize>,
    pub hidden_size: usize,
    pub n_heads: usize,
    pub n_layers: usize,
}

/// Trains a dialogue network of shape `shape` on `task` with `n_classes` outputs; the
/// parties with their own state and embedding are those of the training dialogues.
pub fn dialogue(
    settings: &Settings,
    shape: DialogueShape,
    task: &DialogueTask,
    n_classes: usize,
) -> Result<Training<DialogueNet>> {
    let spec = DialogueSpec {
        widths: task.inputs.inputs.widths.clone(),
        hidden: settings.hidden.clone(),
        hidden_size: shape.hidden_size,
        context: shape.context,
        speaker_state: shape.speaker_state,
        causal: shape.causal,
        window: shape.window,
        n_heads: shape.n_heads,
        n_layers: shape.n_layers,
        n_parties: task.inputs.n_parties(),
        n_classes,
        activation: settings.activation,
        dropout: settings.dropout,
        layer_norm: settings.layer_norm,
    };
    spec.validate()?;
    task.validate(&spec)?;
    let net = DialogueNet::init(&spec, settings.train.seed, &Device::flex().autodiff())?;
    train::run(net, task, &settings.train)
}

/// The convolution front and context of a trace network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceShape {
    /// Convolution filters; 0 = no convolution front.
    pub conv_channels: usize,
    /// Convolution width in frames.
    pub conv_kernel: usize,
    pub context: TraceContext,
    /// GRU units.
    pub context_dim: usize,
}

/// Trains a per-frame trace network of shape `shape` on `task` (one output per target
/// column).
pub fn trace(
    settings: &Settings,
    shape: TraceShape,
    task: &TraceTask,
) -> Result<Training<TraceNet>> {
    task.validate()?;
    let spec = TraceSpec {
        n_features: task.inputs.n_features,
        conv_channels: shape.conv_channels,
        conv_kernel: shape.conv_kernel,
        context: shape.context,
        context_dim: shape.context_dim,
        hidden: settings.hidden.clone(),
        n_outputs: task.n_targets,
        activation: settings.activation,
        dropout: settings.dropout,
        layer_norm: settings.layer_norm,
    };
    let net = TraceNet::init(&spec, settings.train.seed, &Device::flex().autodiff())?;
    train::run(net, task, &settings.train)
}

/// The layer mixing and pooling of a layer-weighted network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerwiseShape {
    pub n_layers: usize,
    pub dim: usize,
    /// Layer norm (no affine) of each frame's vector of each layer.
    pub normalize: bool,
    pub pooling: Pooling,
    /// Width of the attention's hidden layer (attention pooling only).
    pub attention_dim: usize,
}

/// Trains a layer-weighted head ([`LayerWeighted`]) of shape `shape` on `task` with
/// `n_outputs` outputs.
pub fn layerwise(
    settings: &Settings,
    shape: LayerwiseShape,
    task: &LayerwiseTask,
    n_outputs: usize,
) -> Result<Training<LayerWeighted>> {
    let spec = LayerwiseSpec {
        n_layers: shape.n_layers,
        dim: shape.dim,
        normalize: shape.normalize,
        pooling: shape.pooling,
        attention_dim: shape.attention_dim,
        hidden: settings.hidden.clone(),
        n_outputs,
        activation: settings.activation,
        dropout: settings.dropout,
        layer_norm: settings.layer_norm,
    };
    task.validate(&spec)?;
    let net = LayerWeighted::init(&spec, settings.train.seed, &Device::flex().autodiff())?;
    train::run(net, task, &settings.train)
}
