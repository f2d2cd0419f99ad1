//! Model bindings: the trained network as a picklable Python object, the training call
//! and target encoding. `affectkit.models` builds the scikit-learn estimators on these.

use numpy::{PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use super::convert::{flat, shaped};
use super::errors::compute;
use crate::error::Error;
use crate::models::loss::{class_targets, ClassWeight, Labels, Objective};
use crate::models::network::{Activation, Mlp, MlpSpec};
use crate::models::{persist, train};

/// A trained network. Pickles as its model-file bytes.
#[pyclass(module = "affectkit._core", frozen)]
pub struct Network {
    model: Mlp,
}

impl Network {
    /// `(n_inputs, n_outputs)`.
    fn shape(&self) -> (usize, usize) {
        (self.model.spec.n_inputs, self.model.spec.n_outputs)
    }
}

#[pymethods]
impl Network {
    /// Rebuilds a network from `Network.to_bytes` output (used by pickle).
    #[new]
    #[pyo3(signature = (state, source="state"))]
    fn new(py: Python<'_>, state: Vec<u8>, source: &str) -> PyResult<Self> {
        let source = source.to_string();
        let (model, _) = compute(py, || persist::from_bytes(&state, &source))?;
        Ok(Self { model: model })
    }

    /// `(n, n_outputs)` float32: softmax probabilities or raw outputs.
    #[pyo3(signature = (x, probabilities, n_jobs=None))]
    fn predict<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'py, f32>,
        probabilities: bool,
        n_jobs: Option<i64>,
    ) -> PyResult<Bound<'py, PyArray2<f32>>> {
        let n = x.shape()[0];
        let d = x.shape()[1];
        let (n_inputs, k) = self.shape();
        if d != n_inputs {
            return Err(
                Error::param("X", format!("expected {n_inputs} feature columns, got {d}")).into(),
            );
        }
        let xs = flat(&x);
        let model = &self.model;
        let out = compute(py, || {
            crate::parallel::install(n_jobs, || train::predict(model, &xs, probabilities))?
        })?;
        shaped(py, out, (n, k))
    }

    /// Model-file bytes with the caller's metadata `extra` (a JSON text).
    fn to_bytes<'py>(&self, py: Python<'py>, extra: &str) -> PyResult<Bound<'py, PyBytes>> {
        let model = &self.model;
        let bytes = compute(py, || persist::to_bytes(model, extra))?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// `(network, extra JSON text)` from model-file bytes; `source` names the file in errors.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: Vec<u8>, source: &str) -> PyResult<(Self, String)> {
        let source = source.to_string();
        let (model, extra) = compute(py, || persist::from_bytes(&data, &source))?;
        Ok((Self { model: model }, extra))
    }

    #[getter]
    fn n_inputs(&self) -> usize {
        self.shape().0
    }

    #[getter]
    fn n_outputs(&self) -> usize {
        self.shape().1
    }

    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (Bound<'py, PyBytes>,))> {
        let bytes = slf.get().to_bytes(slf.py(), "null")?;
        Ok((slf.get_type().into_any(), (bytes,)))
    }
}

type Fitted<'py> = (Network, Vec<f64>, Vec<f64>, usize);

/// Trains an MLP. `objective`: "cross_entropy" (targets = class distributions, with
/// per-item `weights`), "mse" or "ccc".
#[pyfunction]
#[pyo3(signature = (x, targets, weights, objective, hidden, activation, dropout, layer_norm,
    batch_size, max_epochs, learning_rate, lr_schedule, optimizer, alpha, tol, early_stopping,
    validation_fraction, n_iter_no_change, seed, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn models_fit<'py>(
    py: Python<'py>,
    x: PyReadonlyArray2<'py, f32>,
    targets: PyReadonlyArray2<'py, f32>,
    weights: Option<PyReadonlyArray1<'py, f32>>,
    objective: &str,
    hidden: Vec<usize>,
    activation: &str,
    dropout: f64,
    layer_norm: bool,
    batch_size: usize,
    max_epochs: usize,
    learning_rate: f64,
    lr_schedule: &str,
    optimizer: &str,
    alpha: f64,
    tol: f64,
    early_stopping: bool,
    validation_fraction: f64,
    n_iter_no_change: usize,
    seed: u64,
    n_jobs: Option<i64>,
) -> PyResult<Fitted<'py>> {
    let objective = match objective {
        "cross_entropy" => Objective::CrossEntropy,
        other => Objective::parse_regression(other)?,
    };
    let spec = MlpSpec {
        n_inputs: x.shape()[1],
        hidden,
        n_outputs: targets.shape()[1],
        activation: Activation::parse(activation)?,
        dropout,
        layer_norm,
    };
    let opts = train::TrainOptions {
        batch_size,
        max_epochs,
        learning_rate,
        schedule: train::Schedule::parse(lr_schedule)?,
        optimizer: train::Optimizer::parse(optimizer)?,
        alpha,
        tol,
        early_stopping,
        validation_fraction,
        n_iter_no_change,
        seed,
    };
    let xs = flat(&x);
    let ts = flat(&targets);
    let ws = weights.as_ref().map(flat);
    let data = train::Dataset {
        x: &xs,
        n_features: spec.n_inputs,
        targets: &ts,
        n_targets: spec.n_outputs,
        weights: ws.as_deref(),
    };
    let fitted = compute(py, || {
        crate::parallel::install(n_jobs, || train::fit(&spec, objective, &data, &opts))?
    })?;
    Ok((
        Network {
            model: fitted.model,
        },
        fitted.loss_curve,
        fitted.validation_loss,
        fitted.best_epoch,
    ))
}

type Encoded<'py> = (Bound<'py, PyArray2<f32>>, Bound<'py, PyArray1<f32>>);

/// `(training distributions (n, n_classes), item weights (n,))` from class codes or soft
/// labels. `class_weight`: None, "balanced" or one weight per class.
#[pyfunction]
#[pyo3(signature = (n_classes, codes=None, soft=None, label_smoothing=0.0, balanced=false, class_weight=None))]
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
