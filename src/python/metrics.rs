//! Metric bindings: `affectkit.metrics` encodes labels to codes and splits columns.

use numpy::{PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::prelude::*;

use super::convert::{flat, shaped};
use super::errors::{compute, guard};
use crate::metrics;

/// Confusion matrix `(n_classes, n_classes)`, rows = truth.
#[pyfunction]
#[pyo3(name = "confusion")]
pub fn metrics_confusion<'py>(
    py: Python<'py>,
    y_true: PyReadonlyArray1<'py, i64>,
    y_pred: PyReadonlyArray1<'py, i64>,
    n_classes: usize,
) -> PyResult<Bound<'py, PyArray2<u64>>> {
    let (t, p) = (flat(&y_true), flat(&y_pred));
    let cm = compute(py, || metrics::confusion_matrix(&t, &p, n_classes))?;
    shaped(py, cm, (n_classes, n_classes))
}

type Scores<'py> = (
    f64,
    f64,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    f64,
    f64,
    f64,
);

/// `(UA, WA, recall per class, F1 per class, macro F1, weighted F1, micro F1)`.
#[pyfunction]
#[pyo3(name = "from_confusion")]
pub fn metrics_from_confusion<'py>(
    py: Python<'py>,
    cm: PyReadonlyArray2<'py, u64>,
) -> PyResult<Scores<'py>> {
    guard(|| {
        let k = cm.shape()[0];
        let cm = flat(&cm);
        Ok((
            metrics::unweighted_accuracy(&cm, k),
            metrics::weighted_accuracy(&cm, k),
            shaped(py, metrics::per_class_recall(&cm, k), k)?,
            shaped(py, metrics::per_class_f1(&cm, k), k)?,
            metrics::f1(&cm, k, metrics::Average::Macro),
            metrics::f1(&cm, k, metrics::Average::Weighted),
            metrics::f1(&cm, k, metrics::Average::Micro),
        ))
    })
}

/// `(CCC, Pearson r, MAE, RMSE)` of one target column.
#[pyfunction]
#[pyo3(name = "dimensional")]
pub fn metrics_dimensional(
    y_true: PyReadonlyArray1<'_, f64>,
    y_pred: PyReadonlyArray1<'_, f64>,
) -> PyResult<(f64, f64, f64, f64)> {
    guard(|| {
        let (t, p) = (flat(&y_true), flat(&y_pred));
        Ok((
            metrics::ccc(&t, &p)?,
            metrics::pearson(&t, &p)?,
            metrics::mae(&t, &p)?,
            metrics::rmse(&t, &p)?,
        ))
    })
}

/// `(soft cross-entropy in nats, Jensen-Shannon divergence in bits)`, means over items.
#[pyfunction]
#[pyo3(name = "soft")]
pub fn metrics_soft(
    p_true: PyReadonlyArray2<'_, f64>,
    p_pred: PyReadonlyArray2<'_, f64>,
) -> PyResult<(f64, f64)> {
    guard(|| {
        let k = p_true.shape()[1];
        if p_pred.shape() != p_true.shape() {
            return Err(crate::Error::param(
                "p_pred",
                format!(
                    "expected shape {:?} (as p_true), got {:?}",
                    p_true.shape(),
                    p_pred.shape()
                ),
            )
            .into());
        }
        let (t, p) = (flat(&p_true), flat(&p_pred));
        Ok((
            metrics::soft_cross_entropy(&t, &p, k)?,
            metrics::jensen_shannon(&t, &p, k)?,
        ))
    })
}
