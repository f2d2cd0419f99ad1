//! Model bindings: the trained network as a picklable Python object, the training call
//! and target encoding. `affectkit.models` builds the scikit-learn estimators on these.

use numpy::{
    PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyReadonlyArray3, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use super::convert::{flat, jobs, shaped, Jobs};
use super::errors::{compute, guard};
use crate::error::{Error, Result};
use crate::models::dialogue::{self, DialogueTask, Dialogues};
use crate::models::fit;
use crate::models::fusion::{self, FusionTask, Modalities};
use crate::models::layerwise::{self, LayerInputs, LayerWeighted, LayerwiseTask};
use crate::models::loss::{class_targets, ClassWeight, Labels, Objective};
use crate::models::network::Mlp;
use crate::models::persist::{self, AnyNetwork};
use crate::models::sequence::{self, SequenceTask, Sequences};
use crate::models::trace::{self, TraceTask};
use crate::models::train;

/// A trained network (MLP, gated fusion, attention sequence, dialogue or trace model, or
/// layer-weighted head). Pickles as its model-file bytes.
#[pyclass(module = "affectkit._core.models", frozen)]
pub struct Network {
    model: AnyNetwork,
}

impl Network {
    fn mlp(&self) -> Result<&Mlp> {
        match &self.model {
            AnyNetwork::Mlp(m) => Ok(m),
            _ => Err(Error::param("network", "not an MLP")),
        }
    }

    fn layerwise(&self) -> Result<&LayerWeighted> {
        match &self.model {
            AnyNetwork::LayerWeighted(m) => Ok(m),
            _ => Err(Error::param("network", "not a layer-weighted network")),
        }
    }
}

#[pymethods]
impl Network {
    /// Rebuilds a network from `Network.to_bytes` output (used by pickle).
    #[new]
    #[pyo3(signature = (state, source="state"))]
    fn new(py: Python<'_>, state: Vec<u8>, source: &str) -> PyResult<Self> {
        Ok(Self::from_bytes(py, state, source)?.0)
    }

    /// `(n, n_outputs)` float32 of an MLP: softmax probabilities or raw outputs.
    #[pyo3(signature = (x, probabilities, n_jobs=None))]
    fn predict<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'py, f32>,
        probabilities: bool,
        n_jobs: Option<Jobs>,
    ) -> PyResult<Bound<'py, PyArray2<f32>>> {
        let n_jobs = jobs(n_jobs);
        let model = self.mlp()?;
        let n = x.shape()[0];
        let d = x.shape()[1];
        let (n_inputs, k) = (model.spec.n_inputs, model.spec.n_outputs);
        if d != n_inputs {
            return Err(
                Error::param("X", format!("expected {n_inputs} feature columns, got {d}")).into(),
            );
        }
        let xs = flat(&x);
        let out = compute(py, || {
            crate::parallel::install(n_jobs, || train::predict(model, &xs, probabilities))?
        })?;
        shaped(py, out, (n, k))
    }

    /// Gated fusion: `(probabilities (n, n_classes), gate weights (n, n_modalities))`
    /// for one block per modality (all-NaN row = missing); NaN rows for items with none.
    #[pyo3(signature = (blocks, names, n_jobs=None))]
    fn predict_fusion<'py>(
        &self,
        py: Python<'py>,
        blocks: Vec<PyReadonlyArray2<'py, f32>>,
        names: Vec<String>,
        n_jobs: Option<Jobs>,
    ) -> PyResult<Outputs<'py, PyArray2<f32>>> {
        let n_jobs = jobs(n_jobs);
        let AnyNetwork::Fusion(model) = &self.model else {
            return Err(Error::param("network", "not a gated fusion network").into());
        };
        let (widths, flats) = blocks_of(&blocks);
        let (k, n_mod) = (model.spec.n_classes, blocks.len());
        let (p, g, n) = compute(py, || {
            let slices: Vec<&[f32]> = flats.iter().map(|b| &b[..]).collect();
            let inputs = Modalities::new(&slices, &widths, &names)?;
            let (p, g) = crate::parallel::install(n_jobs, || fusion::predict(model, &inputs))??;
            Ok((p, g, inputs.n))
        })?;
        Ok((shaped(py, p, (n, k))?, shaped(py, g, (n, n_mod))?))
    }

    /// Attention sequence model: `(probabilities (n, n_classes), attention weights over
    /// all frames (total_frames,))` for frames stacked `(total_frames, n_features)` and
    /// the length of each sequence.
    #[pyo3(signature = (frames, lengths, n_jobs=None))]
    fn predict_sequence<'py>(
        &self,
        py: Python<'py>,
        frames: PyReadonlyArray2<'py, f32>,
        lengths: Vec<usize>,
        n_jobs: Option<Jobs>,
    ) -> PyResult<Outputs<'py, PyArray1<f32>>> {
        let n_jobs = jobs(n_jobs);
        let AnyNetwork::Sequence(model) = &self.model else {
            return Err(Error::param("network", "not a sequence network").into());
        };
        let d = frames.shape()[1];
        let fs = flat(&frames);
        let (k, n) = (model.spec.n_classes, lengths.len());
        let (p, a) = compute(py, || {
            let inputs = Sequences::new(&fs, &lengths, d)?;
            crate::parallel::install(n_jobs, || sequence::predict(model, &inputs))?
        })?;
        let total = a.len();
        Ok((shaped(py, p, (n, k))?, shaped(py, a, total)?))
    }

    /// Dialogue network: probabilities `(n_utterances, n_classes)` for one block per
    /// modality (utterances of all dialogues back to back; all-NaN row = missing), the
    /// length of each dialogue and the party index of each utterance.
    #[pyo3(signature = (blocks, names, lengths, parties, n_jobs=None))]
    fn predict_dialogue<'py>(
        &self,
        py: Python<'py>,
        blocks: Vec<PyReadonlyArray2<'py, f32>>,
        names: Vec<String>,
        lengths: Vec<usize>,
        parties: Vec<usize>,
        n_jobs: Option<Jobs>,
    ) -> PyResult<Bound<'py, PyArray2<f32>>> {
        let n_jobs = jobs(n_jobs);
        let AnyNetwork::Dialogue(model) = &self.model else {
            return Err(Error::param("network", "not a dialogue network").into());
        };
        let (widths, flats) = blocks_of(&blocks);
        let k = model.spec.n_classes;
        let (p, n) = compute(py, || {
            let slices: Vec<&[f32]> = flats.iter().map(|b| &b[..]).collect();
            let inputs = Dialogues::new(&slices, &widths, &names, &lengths, &parties)?;
            let p = crate::parallel::install(n_jobs, || dialogue::predict(model, &inputs))??;
            Ok((p, inputs.inputs.n))
        })?;
        shaped(py, p, (n, k))
    }

    /// Trace network: per-frame outputs `(total_frames, n_outputs)` for frames stacked
    /// `(total_frames, n_features)` and the length of each sequence.
    #[pyo3(signature = (frames, lengths, n_jobs=None))]
    fn predict_frames<'py>(
        &self,
        py: Python<'py>,
        frames: PyReadonlyArray2<'py, f32>,
        lengths: Vec<usize>,
        n_jobs: Option<Jobs>,
    ) -> PyResult<Bound<'py, PyArray2<f32>>> {
        let n_jobs = jobs(n_jobs);
        let AnyNetwork::Trace(model) = &self.model else {
            return Err(Error::param("network", "not a trace network").into());
        };
        let d = frames.shape()[1];
        let fs = flat(&frames);
        let k = model.spec.n_outputs;
        let out = compute(py, || {
            let inputs = Sequences::new(&fs, &lengths, d)?;
            crate::parallel::install(n_jobs, || trace::predict(model, &inputs))?
        })?;
        let total = out.len() / k;
        shaped(py, out, (total, k))
    }

    /// Layer-weighted head: `(outputs (n, n_outputs), attention weights over all frames
    /// (total_frames,); empty with mean pooling)` for the hidden states of each item,
    /// `(n_layers, n_frames, dim)` float32 (read in place when C-contiguous). Outputs are
    /// softmax probabilities when `probabilities`, else raw. A frame with NaN is masked
    /// out with `allow_nan`, else NaN is an error naming the item.
    #[pyo3(signature = (items, probabilities, allow_nan, n_jobs=None))]
    fn predict_layerwise<'py>(
        &self,
        py: Python<'py>,
        items: Vec<PyReadonlyArray3<'py, f32>>,
        probabilities: bool,
        allow_nan: bool,
        n_jobs: Option<Jobs>,
    ) -> PyResult<Outputs<'py, PyArray1<f32>>> {
        let n_jobs = jobs(n_jobs);
        let model = self.layerwise()?;
        let s = &model.spec;
        let values = hidden_items(&items, Some((s.n_layers, s.dim)))?.0;
        let n = items.len();
        let (out, att) = compute(py, || {
            let inputs =
                LayerInputs::new(values, s.n_layers, s.dim, s.normalize, s.pooling, allow_nan)?;
            crate::parallel::install(n_jobs, || layerwise::predict(model, &inputs, probabilities))?
        })?;
        let total = att.len();
        Ok((shaped(py, out, (n, s.n_outputs))?, shaped(py, att, total)?))
    }

    /// Every parameter of a layer-weighted head as `{name: float32 array}` (names and
    /// layouts of [`LayerWeighted::parameters`]; linear weights are `(in, out)`).
    fn layerwise_parameters<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Vec<(String, Bound<'py, numpy::PyArrayDyn<f32>>)>> {
        let model = self.layerwise()?;
        let params = compute(py, || model.parameters())?;
        params
            .into_iter()
            .map(
                |(name, dims, values)| -> PyResult<(String, Bound<'py, numpy::PyArrayDyn<f32>>)> {
                    let a = numpy::ndarray::ArrayD::from_shape_vec(
                        numpy::ndarray::IxDyn(&dims),
                        values,
                    )
                    .map_err(|e| Error::Internal(format!("parameter {name}: {e}")))?;
                    Ok((name, numpy::PyArrayDyn::from_owned_array(py, a)))
                },
            )
            .collect()
    }

    /// Softmax layer weights of a layer-weighted head, `(n_layers,)` float32.
    #[getter]
    fn layer_weights<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyArray1<f32>>> {
        let model = self.layerwise()?;
        let w = compute(py, || crate::models::fusion::to_vec(model.weights()))?;
        let n = w.len();
        shaped(py, w, n)
    }

    /// Model-file bytes with the caller's metadata `extra` (a JSON text).
    fn to_bytes<'py>(&self, py: Python<'py>, extra: &str) -> PyResult<Bound<'py, PyBytes>> {
        let model = &self.model;
        let bytes = compute(py, || model.to_bytes(extra))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// `(network, extra JSON text)` from model-file bytes; `source` names the file in errors.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: Vec<u8>, source: &str) -> PyResult<(Self, String)> {
        let source = source.to_string();
        let (model, extra) = compute(py, || AnyNetwork::from_bytes(&data, &source))?;
        Ok((Self { model }, extra))
    }

    /// Input columns: an MLP's features, a fusion network's summed modality widths, a
    /// sequence network's frame features, a layer-weighted head's layers x dims.
    #[getter]
    fn n_inputs(&self) -> PyResult<usize> {
        guard(|| {
            Ok(match &self.model {
                AnyNetwork::Mlp(m) => m.spec.n_inputs,
                AnyNetwork::Fusion(m) => m.spec.widths.iter().sum(),
                AnyNetwork::Sequence(m) => m.spec.n_features,
                AnyNetwork::Dialogue(m) => m.spec.widths.iter().sum(),
                AnyNetwork::Trace(m) => m.spec.n_features,
                AnyNetwork::LayerWeighted(m) => m.spec.n_layers * m.spec.dim,
            })
        })
    }

    #[getter]
    fn n_outputs(&self) -> PyResult<usize> {
        guard(|| {
            Ok(match &self.model {
                AnyNetwork::Mlp(m) => m.spec.n_outputs,
                AnyNetwork::Fusion(m) => m.spec.n_classes,
                AnyNetwork::Sequence(m) => m.spec.n_classes,
                AnyNetwork::Dialogue(m) => m.spec.n_classes,
                AnyNetwork::Trace(m) => m.spec.n_outputs,
                AnyNetwork::LayerWeighted(m) => m.spec.n_outputs,
            })
        })
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let bytes = slf.get().to_bytes(slf.py(), "null")?;
        Ok((slf.get_type().into_any(), (bytes,)))
    }
}

/// Model-file bytes holding several named networks (a bundle) and the caller's
/// metadata `extra` (a JSON text).
#[pyfunction]
#[pyo3(name = "bundle_to_bytes")]
pub fn models_bundle_to_bytes<'py>(
    py: Python<'py>,
    parts: Vec<(String, PyRef<'py, Network>)>,
    extra: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let named: Vec<(&str, &AnyNetwork)> =
        parts.iter().map(|(k, n)| (k.as_str(), &n.model)).collect();
    let bytes = compute(py, || persist::bundle_to_bytes(&named, extra))?;
    Ok(PyBytes::new(py, &bytes))
}

/// `([(name, network)], extra JSON text)` from any model file; a single-network file
/// gives one part named `""`. `source` names the file in errors.
#[pyfunction]
#[pyo3(name = "read_file")]
pub fn models_read_file(
    py: Python<'_>,
    data: Vec<u8>,
    source: &str,
) -> PyResult<(Vec<(String, Network)>, String)> {
    let (parts, extra) = compute(py, || persist::read_networks(&data, source))?;
    let parts = parts
        .into_iter()
        .map(|(k, model)| (k, Network { model }))
        .collect();
    Ok((parts, extra))
}

/// Probabilities and the weights the network gave (gates or attention).
type Outputs<'py, W> = (Bound<'py, PyArray2<f32>>, Bound<'py, W>);

/// Widths and flat buffers of 2-D float32 blocks.
fn blocks_of<'a>(
    blocks: &'a [PyReadonlyArray2<'_, f32>],
) -> (Vec<usize>, Vec<std::borrow::Cow<'a, [f32]>>) {
    (
        blocks.iter().map(|b| b.shape()[1]).collect(),
        blocks.iter().map(flat).collect(),
    )
}

/// Network shape and training settings shared by every fit call, passed from Python as a
/// dict.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct Settings {
    hidden: Vec<usize>,
    activation: String,
    dropout: f64,
    layer_norm: bool,
    batch_size: usize,
    max_epochs: usize,
    learning_rate: f64,
    lr_schedule: String,
    optimizer: String,
    alpha: f64,
    tol: f64,
    early_stopping: bool,
    validation_fraction: f64,
    n_iter_no_change: usize,
    seed: u64,
    /// Group code of each training item (early stopping holds out whole groups), or None.
    groups: Option<Vec<usize>>,
}

impl Settings {
    /// The core settings; the names (activation, schedule, optimizer) parse in the core.
    fn core(&self) -> Result<fit::Settings> {
        Ok(fit::Settings {
            hidden: self.hidden.clone(),
            activation: self.activation.parse()?,
            dropout: self.dropout,
            layer_norm: self.layer_norm,
            train: train::TrainOptions {
                batch_size: self.batch_size,
                max_epochs: self.max_epochs,
                learning_rate: self.learning_rate,
                schedule: self.lr_schedule.parse()?,
                optimizer: self.optimizer.parse()?,
                alpha: self.alpha,
                tol: self.tol,
                early_stopping: self.early_stopping,
                validation_fraction: self.validation_fraction,
                n_iter_no_change: self.n_iter_no_change,
                seed: self.seed,
                groups: self.groups.clone(),
            },
        })
    }
}

/// `(network, loss curve, validation loss, best epoch, validation items)`.
type Fitted = (Network, Vec<f64>, Vec<f64>, usize, Vec<usize>);

fn fitted<M>(t: train::Training<M>, wrap: impl FnOnce(M) -> AnyNetwork) -> Fitted {
    (
        Network {
            model: wrap(t.model),
        },
        t.loss_curve,
        t.validation_loss,
        t.best_epoch,
        t.validation_indices,
    )
}

/// Trains an MLP ([`fit::mlp`]). `objective`: "cross_entropy" (targets = class
/// distributions), "mse", "ccc" (per-item `weights` in each), or
/// "multitask_ccc" / "multitask_mse": `n_classes` logits then the dimensions (NaN =
/// missing), the dimensional loss weighted by `dimension_weight`.
#[pyfunction]
#[pyo3(name = "fit", signature = (x, targets, weights, objective, settings, n_jobs=None, n_classes=0, dimension_weight=1.0))]
#[allow(clippy::too_many_arguments)]
pub fn models_fit<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f32>,
    targets: PyReadonlyArray2<'py, f32>,
    weights: Option<PyReadonlyArray1<'py, f32>>,
    objective: &str,
    settings: Settings,
    n_jobs: Option<Jobs>,
    n_classes: usize,
    dimension_weight: f64,
) -> PyResult<Fitted> {
    let n_jobs = jobs(n_jobs);
    let objective = Objective::named(objective, n_classes, dimension_weight)?;
    let settings = settings.core()?;
    let xs = flat(&x);
    let ts = flat(&targets);
    let ws = weights.as_ref().map(flat);
    let data = train::Dataset {
        x: &xs,
        n_features: x.shape()[1],
        targets: &ts,
        n_targets: targets.shape()[1],
        weights: ws.as_deref(),
    };
    let t = compute(py, || {
        crate::parallel::install(n_jobs, || fit::mlp(&settings, objective, &data))?
    })?;
    Ok(fitted(t, AnyNetwork::Mlp))
}

/// Trains a gated fusion network ([`fit::fusion`]) on one block per modality (all-NaN
/// row = missing) and class distributions `targets`.
#[pyfunction]
#[pyo3(name = "fit_fusion", signature = (blocks, names, targets, weights, modality_dropout, settings, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn models_fit_fusion<'py>(
    py: Python<'py>,
    blocks: Vec<PyReadonlyArray2<'py, f32>>,
    names: Vec<String>,
    targets: PyReadonlyArray2<'py, f32>,
    weights: Option<PyReadonlyArray1<'py, f32>>,
    modality_dropout: f64,
    settings: Settings,
    n_jobs: Option<Jobs>,
) -> PyResult<Fitted> {
    let n_jobs = jobs(n_jobs);
    let (widths, flats) = blocks_of(&blocks);
    let settings = settings.core()?;
    let n_classes = targets.shape()[1];
    let ts = flat(&targets);
    let ws = weights.as_ref().map(flat);
    let t = compute(py, || {
        let slices: Vec<&[f32]> = flats.iter().map(|b| &b[..]).collect();
        let inputs = Modalities::new(&slices, &widths, &names)?;
        let task = FusionTask {
            inputs: &inputs,
            targets: &ts,
            weights: ws.as_deref(),
            modality_dropout,
        };
        crate::parallel::install(n_jobs, || fit::fusion(&settings, &task, n_classes))?
    })?;
    Ok(fitted(t, AnyNetwork::Fusion))
}

/// Trains an attention-pooling sequence network ([`fit::sequence`]) on frames stacked
/// `(total_frames, n_features)`, the length of each sequence and class distributions
/// `targets`.
#[pyfunction]
#[pyo3(name = "fit_sequence", signature = (frames, lengths, targets, weights, conv_channels, conv_kernel, attention_dim, settings, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn models_fit_sequence<'py>(
    py: Python<'py>,
    frames: PyReadonlyArray2<'py, f32>,
    lengths: Vec<usize>,
    targets: PyReadonlyArray2<'py, f32>,
    weights: Option<PyReadonlyArray1<'py, f32>>,
    conv_channels: usize,
    conv_kernel: usize,
    attention_dim: usize,
    settings: Settings,
    n_jobs: Option<Jobs>,
) -> PyResult<Fitted> {
    let n_jobs = jobs(n_jobs);
    let shape = fit::SequenceShape {
        conv_channels,
        conv_kernel,
        attention_dim,
    };
    let settings = settings.core()?;
    let n_features = frames.shape()[1];
    let n_classes = targets.shape()[1];
    let fs = flat(&frames);
    let ts = flat(&targets);
    let ws = weights.as_ref().map(flat);
    let t = compute(py, || {
        let inputs = Sequences::new(&fs, &lengths, n_features)?;
        let task = SequenceTask {
            inputs: &inputs,
            targets: &ts,
            weights: ws.as_deref(),
        };
        crate::parallel::install(n_jobs, || fit::sequence(&settings, shape, &task, n_classes))?
    })?;
    Ok(fitted(t, AnyNetwork::Sequence))
}

/// Trains a dialogue network ([`fit::dialogue`]) on one block per modality (utterances
/// of all dialogues back to back; all-NaN row = missing), the length of each dialogue,
/// the party index of each utterance, class distributions `targets` and one weight per
/// utterance (0 = unlabelled: context only). `shape`: context ("none", "gru",
/// "transformer"), speaker_state, causal, window, hidden_size, n_heads, n_layers.
#[pyfunction]
#[pyo3(name = "fit_dialogue", signature = (blocks, names, lengths, parties, targets, weights, shape, settings, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn models_fit_dialogue<'py>(
    py: Python<'py>,
    blocks: Vec<PyReadonlyArray2<'py, f32>>,
    names: Vec<String>,
    lengths: Vec<usize>,
    parties: Vec<usize>,
    targets: PyReadonlyArray2<'py, f32>,
    weights: PyReadonlyArray1<'py, f32>,
    shape: DialogueShape,
    settings: Settings,
    n_jobs: Option<Jobs>,
) -> PyResult<Fitted> {
    let n_jobs = jobs(n_jobs);
    let (widths, flats) = blocks_of(&blocks);
    let settings = settings.core()?;
    let shape = shape.core()?;
    let n_classes = targets.shape()[1];
    let ts = flat(&targets);
    let ws = flat(&weights);
    let t = compute(py, || {
        let slices: Vec<&[f32]> = flats.iter().map(|b| &b[..]).collect();
        let inputs = Dialogues::new(&slices, &widths, &names, &lengths, &parties)?;
        let task = DialogueTask {
            inputs: &inputs,
            targets: &ts,
            weights: &ws,
        };
        crate::parallel::install(n_jobs, || fit::dialogue(&settings, shape, &task, n_classes))?
    })?;
    Ok(fitted(t, AnyNetwork::Dialogue))
}

/// The context part of a dialogue network, passed from Python as a dict.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct DialogueShape {
    context: String,
    speaker_state: bool,
    causal: bool,
    window: Option<usize>,
    hidden_size: usize,
    n_heads: usize,
    n_layers: usize,
}

impl DialogueShape {
    fn core(&self) -> Result<fit::DialogueShape> {
        Ok(fit::DialogueShape {
            context: self.context.parse()?,
            speaker_state: self.speaker_state,
            causal: self.causal,
            window: self.window,
            hidden_size: self.hidden_size,
            n_heads: self.n_heads,
            n_layers: self.n_layers,
        })
    }
}

/// Trains a per-frame trace network ([`fit::trace`]) on frames stacked
/// `(total_frames, n_features)`, the length of each sequence and per-frame `targets`
/// `(total_frames, n_targets)` (NaN = unrated); `weights` one per sequence; `objective`
/// "ccc" or "mse"; `context` "gru" or "none".
#[pyfunction]
#[pyo3(name = "fit_trace", signature = (frames, lengths, targets, weights, objective, conv_channels, conv_kernel, context, context_dim, settings, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn models_fit_trace<'py>(
    py: Python<'py>,
    frames: PyReadonlyArray2<'py, f32>,
    lengths: Vec<usize>,
    targets: PyReadonlyArray2<'py, f32>,
    weights: Option<PyReadonlyArray1<'py, f32>>,
    objective: &str,
    conv_channels: usize,
    conv_kernel: usize,
    context: &str,
    context_dim: usize,
    settings: Settings,
    n_jobs: Option<Jobs>,
) -> PyResult<Fitted> {
    let n_jobs = jobs(n_jobs);
    let shape = fit::TraceShape {
        conv_channels,
        conv_kernel,
        context: context.parse()?,
        context_dim,
    };
    let objective: Objective = objective.parse()?;
    let settings = settings.core()?;
    let n_features = frames.shape()[1];
    let n_targets = targets.shape()[1];
    let fs = flat(&frames);
    let ts = flat(&targets);
    let ws = weights.as_ref().map(flat);
    let t = compute(py, || {
        let inputs = Sequences::new(&fs, &lengths, n_features)?;
        let task = TraceTask {
            inputs: &inputs,
            targets: &ts,
            n_targets,
            weights: ws.as_deref(),
            objective,
            min_frames: 0,
        };
        crate::parallel::install(n_jobs, || fit::trace(&settings, shape, &task))?
    })?;
    Ok(fitted(t, AnyNetwork::Trace))
}

/// The values of hidden-state items `(n_layers, n_frames, dim)` (borrowed when
/// C-contiguous) and their common `(n_layers, dim)`: `expected` (the fitted shape) or the
/// first item's. An item of other layers or dim is an error naming it (`H[i]`).
fn hidden_items<'a>(
    items: &'a [PyReadonlyArray3<'_, f32>],
    expected: Option<(usize, usize)>,
) -> PyResult<(Vec<std::borrow::Cow<'a, [f32]>>, (usize, usize))> {
    let first = items.first().map(|a| (a.shape()[0], a.shape()[2]));
    let Some(shape) = expected.or(first) else {
        return Err(Error::param("H", "expected at least one item").into());
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, a) in items.iter().enumerate() {
        let got = (a.shape()[0], a.shape()[2]);
        if got != shape {
            return Err(Error::param(
                &format!("H[{i}]"),
                format!(
                    "has {} layers of dim {}, expected {} layers of dim {}",
                    got.0, got.1, shape.0, shape.1
                ),
            )
            .into());
        }
        out.push(flat(a));
    }
    Ok((out, shape))
}

/// Trains a layer-weighted head ([`fit::layerwise`]) on the hidden states of each item,
/// `(n_layers, n_frames, dim)` float32 (read in place when C-contiguous), and targets
/// `(n, n_outputs)`: class distributions with `objective` "cross_entropy", dimensions
/// with "ccc" or "mse". A frame with NaN is masked out with `allow_nan`, else NaN is an
/// error naming the item.
#[pyfunction]
#[pyo3(name = "fit_layerwise", signature = (items, targets, weights, objective, normalize, pooling, attention_dim, allow_nan, settings, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn models_fit_layerwise<'py>(
    py: Python<'py>,
    items: Vec<PyReadonlyArray3<'py, f32>>,
    targets: PyReadonlyArray2<'py, f32>,
    weights: Option<PyReadonlyArray1<'py, f32>>,
    objective: &str,
    normalize: bool,
    pooling: &str,
    attention_dim: usize,
    allow_nan: bool,
    settings: Settings,
    n_jobs: Option<Jobs>,
) -> PyResult<Fitted> {
    let n_jobs = jobs(n_jobs);
    let objective: Objective = objective.parse()?;
    let pooling: layerwise::Pooling = pooling.parse()?;
    let settings = settings.core()?;
    let (values, (n_layers, dim)) = hidden_items(&items, None)?;
    let shape = fit::LayerwiseShape {
        n_layers,
        dim,
        normalize,
        pooling,
        attention_dim,
    };
    let n_outputs = targets.shape()[1];
    let ts = flat(&targets);
    let ws = weights.as_ref().map(flat);
    let t = compute(py, || {
        let inputs = LayerInputs::new(values, n_layers, dim, normalize, pooling, allow_nan)?;
        let task = LayerwiseTask {
            inputs: &inputs,
            objective,
            targets: &ts,
            weights: ws.as_deref(),
        };
        crate::parallel::install(n_jobs, || {
            fit::layerwise(&settings, shape, &task, n_outputs)
        })?
    })?;
    Ok(fitted(t, AnyNetwork::LayerWeighted))
}

type Encoded<'py> = (Bound<'py, PyArray2<f32>>, Bound<'py, PyArray1<f32>>);

/// `(training distributions (n, n_classes), item weights (n,))` from class codes or soft
/// labels. `class_weight`: None, "balanced" or one weight per class.
#[pyfunction]
#[pyo3(name = "class_targets", signature = (n_classes, codes=None, soft=None, label_smoothing=0.0, balanced=false, class_weight=None))]
pub fn models_class_targets<'py>(
    py: Python<'py>,
    n_classes: usize,
    codes: Option<PyReadonlyArray1<'py, i64>>,
    soft: Option<PyReadonlyArray2<'py, f32>>,
    label_smoothing: f64,
    balanced: bool,
    class_weight: Option<Vec<f64>>,
) -> PyResult<Encoded<'py>> {
    let weighting = match (balanced, class_weight) {
        (true, _) => ClassWeight::Balanced,
        (false, Some(w)) => ClassWeight::Given(w),
        (false, None) => ClassWeight::Uniform,
    };
    let codes = codes.as_ref().map(flat);
    let soft = soft.as_ref().map(flat);
    let labels = match (&codes, &soft) {
        (Some(c), None) => Labels::Hard(c),
        (None, Some(s)) => Labels::Soft(s),
        _ => return Err(Error::Internal("pass exactly one of codes and soft".into()).into()),
    };
    let (t, w) = compute(py, || {
        class_targets(labels, n_classes, label_smoothing, &weighting)
    })?;
    let n = w.len();
    Ok((shaped(py, t, (n, n_classes))?, shaped(py, w, n)?))
}
