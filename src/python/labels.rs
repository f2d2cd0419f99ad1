//! Label-fusion bindings: encoded annotation arrays in, NumPy results out. The Python
//! layer (`affectkit.labels`) encodes ids and labels to codes and checks dtypes.

use numpy::{
    IntoPyArray, PyArray1, PyArray2, PyArray3, PyReadonlyArray1, PyReadonlyArray2,
    PyReadonlyArray3, PyUntypedArrayMethods,
};
use pyo3::prelude::*;

use super::convert::shaped;
use super::convert::{jobs, Jobs};
use super::errors::{compute, guard};
use crate::error::Error;
use crate::labels::{agreement, continuous, dawid_skene, glad, mace, taxonomy, vote, Annotations};

type Pair<'py> = (Bound<'py, PyArray1<i64>>, Bound<'py, PyArray2<f64>>);
type Counts<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<u64>>);
type Triple<'py, A, B, C> = (Bound<'py, A>, Bound<'py, B>, Bound<'py, C>);
type GladOut<'py> = (
    Bound<'py, PyArray2<f64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
);

fn codes<'a>(a: &'a PyReadonlyArray1<'_, i64>, name: &str) -> PyResult<&'a [i64]> {
    a.as_slice()
        .map_err(|_| Error::type_error(name, "expected a contiguous int64 array of codes").into())
}

fn floats<'a>(a: &'a PyReadonlyArray1<'_, f64>, name: &str) -> PyResult<&'a [f64]> {
    a.as_slice()
        .map_err(|_| Error::type_error(name, "expected a contiguous float64 array").into())
}

fn gold_codes(gold: &Option<PyReadonlyArray1<'_, i64>>) -> PyResult<Option<Vec<i64>>> {
    gold.as_ref()
        .map(|g| codes(g, "gold").map(|s| s.to_vec()))
        .transpose()
}

fn seed_of(seed: i64) -> u64 {
    // any integer is a valid seed; negative ones wrap
    seed as u64
}

/// `(items, annotators, labels, n_items, n_annotators, n_classes)`: the encoded annotation
/// table as `affectkit.labels` passes it to every fusion function (int64 codes).
type TableArgs<'py> = (
    PyReadonlyArray1<'py, i64>,
    PyReadonlyArray1<'py, i64>,
    PyReadonlyArray1<'py, i64>,
    usize,
    usize,
    usize,
);

/// The table's code slices and sizes; `build` makes the `Annotations` inside the GIL-free
/// section.
struct Table<'a> {
    items: &'a [i64],
    annotators: &'a [i64],
    labels: &'a [i64],
    n: (usize, usize, usize),
}

impl Table<'_> {
    fn build(&self) -> crate::Result<Annotations> {
        Annotations::new(
            self.items,
            self.annotators,
            self.labels,
            self.n.0,
            self.n.1,
            self.n.2,
        )
    }
}

fn view<'a>(t: &'a TableArgs<'_>) -> PyResult<Table<'a>> {
    Ok(Table {
        items: codes(&t.0, "items")?,
        annotators: codes(&t.1, "annotators")?,
        labels: codes(&t.2, "labels")?,
        n: (t.3, t.4, t.5),
    })
}

/// Majority vote: `(label codes, vote fractions)`.
#[pyfunction]
#[pyo3(name = "majority", signature = (table, ties, seed, weights=None, gold=None))]
pub fn labels_majority<'py>(
    py: Python<'py>,
    table: TableArgs<'py>,
    ties: &str,
    seed: i64,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    gold: Option<PyReadonlyArray1<'py, i64>>,
) -> PyResult<Pair<'py>> {
    let t = view(&table)?;
    let (n_items, _, n_classes) = t.n;
    let ties = ties.parse::<vote::Ties>()?;
    let w = weights.as_ref().map(|w| floats(w, "weights")).transpose()?;
    let g = gold_codes(&gold)?;
    let r = compute(py, || {
        vote::majority(&t.build()?, ties, seed_of(seed), w, g.as_deref())
    })?;
    Ok((
        r.labels.into_pyarray(py),
        shaped(py, r.posterior, (n_items, n_classes))?,
    ))
}

/// Soft labels: `(argmax codes, smoothed distributions)`.
#[pyfunction]
#[pyo3(name = "soft", signature = (table, smoothing, ties, seed, weights=None, gold=None))]
pub fn labels_soft<'py>(
    py: Python<'py>,
    table: TableArgs<'py>,
    smoothing: f64,
    ties: &str,
    seed: i64,
    weights: Option<PyReadonlyArray1<'py, f64>>,
    gold: Option<PyReadonlyArray1<'py, i64>>,
) -> PyResult<Pair<'py>> {
    let t = view(&table)?;
    let (n_items, _, n_classes) = t.n;
    let ties = ties.parse::<vote::Ties>()?;
    let w = weights.as_ref().map(|w| floats(w, "weights")).transpose()?;
    let g = gold_codes(&gold)?;
    let r = compute(py, || {
        vote::soft(&t.build()?, smoothing, w, ties, seed_of(seed), g.as_deref())
    })?;
    Ok((
        r.labels.into_pyarray(py),
        shaped(py, r.posterior, (n_items, n_classes))?,
    ))
}

/// Wawa: `(label codes, weighted vote fractions, skills)`.
#[pyfunction]
#[pyo3(name = "wawa", signature = (table, ties, seed, gold=None))]
pub fn labels_wawa<'py>(
    py: Python<'py>,
    table: TableArgs<'py>,
    ties: &str,
    seed: i64,
    gold: Option<PyReadonlyArray1<'py, i64>>,
) -> PyResult<Triple<'py, PyArray1<i64>, PyArray2<f64>, PyArray1<f64>>> {
    let t = view(&table)?;
    let (n_items, _, n_classes) = t.n;
    let ties = ties.parse::<vote::Ties>()?;
    let g = gold_codes(&gold)?;
    let (r, skills) = compute(py, || {
        vote::wawa(&t.build()?, ties, seed_of(seed), g.as_deref())
    })?;
    Ok((
        r.labels.into_pyarray(py),
        shaped(py, r.posterior, (n_items, n_classes))?,
        skills.into_pyarray(py),
    ))
}

/// Per-annotator agreement with consensus codes: `(fractions, counts)`.
#[pyfunction]
#[pyo3(name = "annotator_agreement")]
pub fn labels_annotator_agreement<'py>(
    py: Python<'py>,
    table: TableArgs<'py>,
    consensus: PyReadonlyArray1<'py, i64>,
) -> PyResult<Counts<'py>> {
    let t = view(&table)?;
    let c = codes(&consensus, "consensus")?;
    let (f, n) = compute(py, || vote::agreement_with(&t.build()?, c))?;
    let n: Vec<u64> = n.into_iter().map(|x| x as u64).collect();
    Ok((f.into_pyarray(py), n.into_pyarray(py)))
}

/// All-inclusive rule: `(n_items, n_classes)` booleans.
#[pyfunction]
#[pyo3(name = "all_inclusive")]
pub fn labels_all_inclusive<'py>(
    py: Python<'py>,
    table: TableArgs<'py>,
    min_fraction: f64,
) -> PyResult<Bound<'py, PyArray2<bool>>> {
    let t = view(&table)?;
    let (n_items, _, n_classes) = t.n;
    let v = compute(py, || vote::all_inclusive(&t.build()?, min_fraction))?;
    let a = shaped(py, v, (n_items, n_classes))?;
    Ok(a)
}

/// Unanimous rule: label codes, `-1` where annotators disagree.
#[pyfunction]
#[pyo3(name = "unanimous")]
pub fn labels_unanimous<'py>(
    py: Python<'py>,
    table: TableArgs<'py>,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let t = view(&table)?;
    let v = compute(py, || Ok(vote::unanimous(&t.build()?)))?;
    Ok(v.into_pyarray(py))
}

type DsOut<'py> = (
    Bound<'py, PyArray2<f64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray3<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
);

/// Dawid-Skene (`model="full"`) or one-coin (`model="one_coin"`): `(posterior, labels,
/// priors, confusion (annotators, true, observed), skills, loss_history)`.
#[pyfunction]
#[pyo3(name = "dawid_skene", signature = (table, model, n_iter, tol, gold=None, n_jobs=None))]
pub fn labels_dawid_skene<'py>(
    py: Python<'py>,
    table: TableArgs<'py>,
    model: &str,
    n_iter: usize,
    tol: f64,
    gold: Option<PyReadonlyArray1<'py, i64>>,
    n_jobs: Option<Jobs>,
) -> PyResult<DsOut<'py>> {
    let n_jobs = jobs(n_jobs);
    let t = view(&table)?;
    let (n_items, n_annotators, n_classes) = t.n;
    let model: dawid_skene::Model = model.parse()?;
    let gold = gold_codes(&gold)?;
    let opts = dawid_skene::Options {
        n_iter,
        tol,
        gold,
        n_jobs,
    };
    let r = compute(py, || dawid_skene::fit(&t.build()?, model, &opts))?;
    let confusion = shaped(py, r.confusion, (n_annotators, n_classes, n_classes))?;
    Ok((
        shaped(py, r.posterior, (n_items, n_classes))?,
        r.labels.into_pyarray(py),
        r.priors.into_pyarray(py),
        confusion,
        r.skills.into_pyarray(py),
        r.loss_history.into_pyarray(py),
    ))
}

/// Krippendorff's alpha of a `(coders, units)` float64 matrix (NaN = missing).
#[pyfunction]
#[pyo3(name = "krippendorff_alpha", signature = (data, level, value_domain=None))]
pub fn labels_krippendorff_alpha(
    py: Python<'_>,
    data: PyReadonlyArray2<'_, f64>,
    level: &str,
    value_domain: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<f64> {
    let level = level.parse::<agreement::Level>()?;
    let (n_coders, n_units) = (data.shape()[0], data.shape()[1]);
    let d = data
        .as_slice()
        .map_err(|_| Error::type_error("data", "expected a C-contiguous float64 matrix"))?;
    let dom = value_domain
        .as_ref()
        .map(|v| floats(v, "value_domain"))
        .transpose()?;
    compute(py, || {
        agreement::krippendorff_alpha(d, n_coders, n_units, level, dom)
    })
}

/// Fleiss' kappa of a `(subjects, categories)` float64 count table.
#[pyfunction]
#[pyo3(name = "fleiss_kappa")]
pub fn labels_fleiss_kappa(
    py: Python<'_>,
    table: PyReadonlyArray2<'_, f64>,
    randolph: bool,
) -> PyResult<f64> {
    let (n_sub, n_cat) = (table.shape()[0], table.shape()[1]);
    let t = table
        .as_slice()
        .map_err(|_| Error::type_error("table", "expected a C-contiguous float64 matrix"))?;
    compute(py, || agreement::fleiss_kappa(t, n_sub, n_cat, randolph))
}

/// Cohen's kappa of two code arrays (`-1` = missing).
#[pyfunction]
#[pyo3(name = "cohen_kappa", signature = (a, b, n_classes, weights=None))]
pub fn labels_cohen_kappa(
    py: Python<'_>,
    a: PyReadonlyArray1<'_, i64>,
    b: PyReadonlyArray1<'_, i64>,
    n_classes: usize,
    weights: Option<&str>,
) -> PyResult<f64> {
    let w = agreement::KappaWeights::from_option(weights)?;
    let (x, y) = (codes(&a, "a")?, codes(&b, "b")?);
    compute(py, || agreement::cohen_kappa(x, y, n_classes, w))
}

fn ratings_matrix<'a>(r: &'a PyReadonlyArray2<'_, f64>) -> PyResult<(&'a [f64], usize, usize)> {
    let (n, m) = (r.shape()[0], r.shape()[1]);
    let x = r
        .as_slice()
        .map_err(|_| Error::type_error("ratings", "expected a C-contiguous float64 matrix"))?;
    Ok((x, n, m))
}

/// EWE: `(consensus, correlations, weights)`.
#[pyfunction]
#[pyo3(name = "ewe")]
pub fn labels_ewe<'py>(
    py: Python<'py>,
    ratings: PyReadonlyArray2<'py, f64>,
    reference: &str,
    non_positive: &str,
    min_overlap: usize,
) -> PyResult<Triple<'py, PyArray1<f64>, PyArray1<f64>, PyArray1<f64>>> {
    let reference: continuous::EweReference = reference.parse()?;
    let non_positive: continuous::NonPositive = non_positive.parse()?;
    let (x, n, m) = ratings_matrix(&ratings)?;
    let r = compute(py, || {
        continuous::ewe(x, n, m, reference, non_positive, min_overlap)
    })?;
    Ok((
        r.consensus.into_pyarray(py),
        r.correlations.into_pyarray(py),
        r.weights.into_pyarray(py),
    ))
}

/// Per-item mean / median / trimmed mean of a ratings matrix.
#[pyfunction]
#[pyo3(name = "summarise", signature = (ratings, how, proportiontocut=0.0))]
pub fn labels_summarise<'py>(
    py: Python<'py>,
    ratings: PyReadonlyArray2<'py, f64>,
    how: &str,
    proportiontocut: f64,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let how = continuous::Summary::named(how, proportiontocut)?;
    let (x, n, m) = ratings_matrix(&ratings)?;
    let v = compute(py, || continuous::summarise(x, n, m, how))?;
    Ok(v.into_pyarray(py))
}

/// Per-annotator z-normalisation of a ratings matrix.
#[pyfunction]
#[pyo3(name = "znorm")]
pub fn labels_znorm<'py>(
    py: Python<'py>,
    ratings: PyReadonlyArray2<'py, f64>,
    ddof: usize,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let (x, n, m) = ratings_matrix(&ratings)?;
    let v = compute(py, || continuous::znorm(x, n, m, ddof))?;
    shaped(py, v, (n, m))
}

/// GLAD: `(posterior, labels, alphas, betas, loss_history)`.
#[pyfunction]
#[pyo3(name = "glad", signature = (table, n_iter, tol, m_step_max_iter, m_step_tol, gold=None))]
pub fn labels_glad<'py>(
    py: Python<'py>,
    table: TableArgs<'py>,
    n_iter: usize,
    tol: f64,
    m_step_max_iter: usize,
    m_step_tol: f64,
    gold: Option<PyReadonlyArray1<'py, i64>>,
) -> PyResult<GladOut<'py>> {
    let t = view(&table)?;
    let (n_items, _, n_classes) = t.n;
    let opts = glad::Options {
        n_iter,
        tol,
        m_step_max_iter,
        m_step_tol,
        gold: gold_codes(&gold)?,
    };
    let r = compute(py, || glad::fit(&t.build()?, &opts))?;
    Ok((
        shaped(py, r.posterior, (n_items, n_classes))?,
        r.labels.into_pyarray(py),
        r.alphas.into_pyarray(py),
        r.betas.into_pyarray(py),
        r.loss_history.into_pyarray(py),
    ))
}

type MaceOut<'py> = (
    Bound<'py, PyArray2<f64>>,
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray2<f64>>,
    Bound<'py, PyArray2<f64>>,
    f64,
);

/// MACE from per-restart initial parameters `spamming (restarts, annotators, 2)` and
/// `thetas (restarts, annotators, classes)`: `(posterior, labels, spamming, thetas,
/// log marginal likelihood)`.
#[pyfunction]
#[pyo3(name = "mace", signature = (table, n_iter, method, alpha, beta, spamming, thetas, gold=None))]
#[allow(clippy::too_many_arguments)]
pub fn labels_mace<'py>(
    py: Python<'py>,
    table: TableArgs<'py>,
    n_iter: usize,
    method: &str,
    alpha: f64,
    beta: f64,
    spamming: PyReadonlyArray3<'py, f64>,
    thetas: PyReadonlyArray3<'py, f64>,
    gold: Option<PyReadonlyArray1<'py, i64>>,
) -> PyResult<MaceOut<'py>> {
    let t = view(&table)?;
    let (n_items, n_annotators, n_classes) = t.n;
    let method: mace::Method = method.parse()?;
    let sp = spamming.as_array();
    let th = thetas.as_array();
    if sp.shape()[1..] != [n_annotators, 2]
        || th.shape()[1..] != [n_annotators, n_classes]
        || sp.shape()[0] != th.shape()[0]
    {
        return Err(Error::Internal("MACE initialisation shapes".into()).into());
    }
    let inits: Vec<mace::Init> = (0..sp.shape()[0])
        .map(|r| mace::Init {
            spamming: sp.index_axis(ndarray::Axis(0), r).iter().copied().collect(),
            thetas: th.index_axis(ndarray::Axis(0), r).iter().copied().collect(),
        })
        .collect();
    let opts = mace::Options {
        n_iter,
        method,
        alpha,
        beta,
        gold: gold_codes(&gold)?,
    };
    let r = compute(py, || mace::fit(&t.build()?, &opts, &inits))?;
    Ok((
        shaped(py, r.posterior, (n_items, n_classes))?,
        r.labels.into_pyarray(py),
        shaped(py, r.spamming, (n_annotators, 2))?,
        shaped(py, r.thetas, (n_annotators, n_classes))?,
        r.log_marginal_likelihood,
    ))
}

/// Time-continuous traces -> common grid, lag-compensated: `(values (frames,
/// annotators), lags in frames, correlations)`.
#[pyfunction]
#[pyo3(name = "align_traces")]
pub fn labels_align_traces<'py>(
    py: Python<'py>,
    traces: Vec<PyReadonlyArray1<'py, f64>>,
    fps: Vec<f64>,
    target_fps: f64,
    min_lag: super::convert::Int,
    max_lag: super::convert::Int,
) -> PyResult<Triple<'py, PyArray2<f64>, PyArray1<i64>, PyArray1<f64>>> {
    // lags beyond i64 are beyond every trace: saturate (the search stops at the traces'
    // length anyway)
    let (min_lag, max_lag) = (min_lag.saturating(), max_lag.saturating());
    let slices = traces
        .iter()
        .map(|t| floats(t, "traces"))
        .collect::<PyResult<Vec<&[f64]>>>()?;
    let m = slices.len();
    let a = compute(py, || {
        continuous::align_traces(&slices, &fps, target_fps, min_lag, max_lag)
    })?;
    Ok((
        shaped(py, a.values, (a.n_frames, m))?,
        a.lags.into_pyarray(py),
        a.correlations.into_pyarray(py),
    ))
}

type LabelSetRow = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str, &'static str, Option<i64>)>,
);

/// Built-in label sets: `(name, description, [(code, name, concept, number)])`.
#[pyfunction]
#[pyo3(name = "label_sets")]
pub fn labels_label_sets() -> PyResult<Vec<LabelSetRow>> {
    guard(|| {
        Ok(taxonomy::LABEL_SETS
            .iter()
            .map(|s| {
                let classes = s
                    .classes
                    .iter()
                    .map(|c| (c.code, c.name, c.concept, c.number))
                    .collect();
                (s.name, s.description, classes)
            })
            .collect())
    })
}

/// Class indices of `labels` in label set `taxonomy` (unknown labels are an error).
#[pyfunction]
#[pyo3(name = "class_index")]
pub fn labels_class_index(labels: Vec<String>, taxonomy: &str) -> PyResult<Vec<i64>> {
    guard(|| {
        let set = taxonomy::label_set(taxonomy)?;
        Ok(taxonomy::classes_of(set, &labels, "y")?
            .into_iter()
            .map(|c| c as i64)
            .collect())
    })
}

/// Labels of `source` -> class indices of `target`, `-1` where there is none.
#[pyfunction]
#[pyo3(name = "map_labels")]
pub fn labels_map_labels(labels: Vec<String>, source: &str, target: &str) -> PyResult<Vec<i64>> {
    guard(|| {
        let (s, t) = (taxonomy::label_set(source)?, taxonomy::label_set(target)?);
        Ok(taxonomy::map_labels(&labels, s, t)?)
    })
}

/// Warriner et al. (2013) valence, arousal, dominance of `labels`: `(n, 3)`, NaN rows
/// for classes without norms.
#[pyfunction]
#[pyo3(name = "valence_arousal")]
pub fn labels_valence_arousal<'py>(
    py: Python<'py>,
    labels: Vec<String>,
    taxonomy: &str,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    guard(|| {
        let set = taxonomy::label_set(taxonomy)?;
        let n = labels.len();
        let v = taxonomy::vad_of_labels(&labels, set)?;
        shaped(py, v, (n, 3))
    })
}
