//! The `affectkit._core` extension module. Bindings only: argument conversion, GIL
//! release, error mapping. No algorithm lives here.

use pyo3::prelude::*;

use errors::guard;

mod audio;
mod convert;
mod egemaps;
mod errors;
mod face;
mod labels;
mod metrics;
mod models;
mod prosody;
mod synth;

/// Panics inside the guard on purpose; the test suite checks that it surfaces as
/// `affectkit.errors.InternalError` and the interpreter survives.
#[pyfunction]
fn _debug_panic(py: Python<'_>) -> PyResult<()> {
    errors::compute(py, || -> crate::Result<()> {
        panic!("deliberate panic for the test suite")
    })
}

/// Test-only switch: while on, the compute step of every binding panics on purpose (the
/// test suite checks that each one surfaces as `affectkit.errors.InternalError`). Inert
/// unless a test turns it on; returns the previous setting.
#[pyfunction]
fn _test_panic(on: bool) -> bool {
    errors::set_test_panic(on)
}

/// Size of the worker pool `n_jobs` resolves to in this process.
#[pyfunction]
#[pyo3(signature = (n_jobs=None))]
fn resolve_n_jobs(py: Python<'_>, n_jobs: Option<convert::Jobs>) -> PyResult<usize> {
    let n_jobs = convert::jobs(n_jobs);
    guard(|| {
        let n = crate::parallel::resolve_n_jobs(n_jobs);
        errors::emit_warnings(py)?;
        Ok(n?)
    })
}

/// Adds the submodule `affectkit._core.<name>` to `parent`, filled by `fill`, and registers
/// it in `sys.modules` so that `import affectkit._core.<name>` works.
fn submodule<'py>(
    parent: &Bound<'py, PyModule>,
    name: &str,
    fill: impl FnOnce(&Bound<'py, PyModule>) -> PyResult<()>,
) -> PyResult<()> {
    let py = parent.py();
    let full = format!("{}.{name}", parent.name()?);
    let sub = PyModule::new(py, &full)?;
    fill(&sub)?;
    parent.add(name, &sub)?;
    py.import("sys")?
        .getattr("modules")?
        .set_item(&full, &sub)?;
    Ok(())
}

/// `affectkit._core.audio`: loading, the librosa/Kaldi/HTK front end, pitch, the Praat
/// family and eGeMAPS.
fn audio_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(audio::load, m)?)?;
    m.add_function(wrap_pyfunction!(audio::resample, m)?)?;
    m.add_function(wrap_pyfunction!(audio::preset_params, m)?)?;
    m.add_function(wrap_pyfunction!(audio::audio_info, m)?)?;
    m.add_function(wrap_pyfunction!(audio::mfcc, m)?)?;
    m.add_function(wrap_pyfunction!(audio::melspectrogram, m)?)?;
    m.add_function(wrap_pyfunction!(audio::mfcc_batch, m)?)?;
    m.add_function(wrap_pyfunction!(audio::melspectrogram_batch, m)?)?;
    m.add_function(wrap_pyfunction!(prosody::f0, m)?)?;
    m.add_function(wrap_pyfunction!(prosody::f0_batch, m)?)?;
    m.add_function(wrap_pyfunction!(prosody::intensity, m)?)?;
    m.add(
        "VOICE_QUALITY_NAMES",
        crate::audio::praat::voice::VOICE_QUALITY_NAMES.to_vec(),
    )?;
    m.add(
        "PROSODY_NAMES",
        crate::audio::praat::voice::PROSODY_NAMES.to_vec(),
    )?;
    m.add_function(wrap_pyfunction!(prosody::formants, m)?)?;
    m.add_function(wrap_pyfunction!(prosody::formants_batch, m)?)?;
    m.add_function(wrap_pyfunction!(prosody::voice_measures, m)?)?;
    m.add_function(wrap_pyfunction!(prosody::voice_measures_batch, m)?)?;
    m.add_function(wrap_pyfunction!(prosody::pulses, m)?)?;
    m.add_function(wrap_pyfunction!(prosody::harmonicity, m)?)?;
    m.add_function(wrap_pyfunction!(prosody::rms, m)?)?;
    m.add("EGEMAPS_LLD", crate::audio::egemaps::EGEMAPS_LLD.to_vec())?;
    m.add("GEMAPS_LLD", crate::audio::egemaps::GEMAPS_LLD.to_vec())?;
    m.add(
        "EGEMAPS_FUNCTIONALS",
        crate::audio::egemaps::functional_names(crate::audio::egemaps::Version::EgemapsV02),
    )?;
    m.add(
        "GEMAPS_FUNCTIONALS",
        crate::audio::egemaps::functional_names(crate::audio::egemaps::Version::GemapsV01b),
    )?;
    m.add_function(wrap_pyfunction!(egemaps::egemaps, m)?)?;
    m.add_function(wrap_pyfunction!(egemaps::egemaps_batch, m)?)?;
    m.add_function(wrap_pyfunction!(egemaps::loudness, m)?)?;
    m.add_function(wrap_pyfunction!(egemaps::egemaps_stages, m)?)?;
    Ok(())
}

/// `affectkit._core.pooling`: the functionals vocabulary shared by audio pooling, face
/// windows and eGeMAPS.
fn pooling_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add(
        "EGEMAPS_CONTOUR_FUNCTIONALS",
        crate::functionals::EGEMAPS_CONTOUR.to_vec(),
    )?;
    m.add_function(wrap_pyfunction!(prosody::functionals, m)?)?;
    Ok(())
}

/// `affectkit._core.face`: landmark geometry, alignment, head pose, AU proxies, dynamics.
fn face_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(face::face_geometry, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_geometry_names, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_mesh_geometry, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_mesh_geometry_names, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_align, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_head_pose, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_reference_shape, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_scheme_map, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_regions, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_au_proxies, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_au_proxy_names, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_derivative, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_interpolate_gaps, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_blinks, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_window_functionals, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_column_stat, m)?)?;
    m.add_function(wrap_pyfunction!(face::face_read_openface, m)?)?;
    Ok(())
}

/// `affectkit._core.labels`: label fusion, agreement, continuous traces, taxonomies.
fn labels_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(labels::labels_majority, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_soft, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_wawa, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_glad, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_mace, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_annotator_agreement, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_all_inclusive, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_unanimous, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_dawid_skene, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_krippendorff_alpha, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_fleiss_kappa, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_cohen_kappa, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_ewe, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_summarise, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_znorm, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_align_traces, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_label_sets, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_class_index, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_map_labels, m)?)?;
    m.add_function(wrap_pyfunction!(labels::labels_valence_arousal, m)?)?;
    Ok(())
}

/// `affectkit._core.models`: the network class, training entry points, model files.
fn models_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<models::Network>()?;
    m.add_function(wrap_pyfunction!(models::models_fit, m)?)?;
    m.add_function(wrap_pyfunction!(models::models_class_targets, m)?)?;
    m.add_function(wrap_pyfunction!(models::models_fit_fusion, m)?)?;
    m.add_function(wrap_pyfunction!(models::models_fit_sequence, m)?)?;
    m.add_function(wrap_pyfunction!(models::models_fit_dialogue, m)?)?;
    m.add_function(wrap_pyfunction!(models::models_fit_trace, m)?)?;
    m.add_function(wrap_pyfunction!(models::models_fit_layerwise, m)?)?;
    m.add_function(wrap_pyfunction!(models::models_bundle_to_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(models::models_read_file, m)?)?;
    Ok(())
}

/// `affectkit._core.metrics`: confusion-matrix and continuous metrics.
fn metrics_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(metrics::metrics_confusion, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::metrics_from_confusion, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::metrics_dimensional, m)?)?;
    m.add_function(wrap_pyfunction!(metrics::metrics_soft, m)?)?;
    Ok(())
}

/// `affectkit._core.synth`: the synthetic acted corpus.
fn synth_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(synth::synth_acted_corpus, m)?)?;
    m.add_function(wrap_pyfunction!(synth::synth_dialogue_corpus, m)?)?;
    Ok(())
}

/// The extension module: one submodule per area (`_core.audio`, `_core.face`,
/// `_core.labels`, `_core.metrics`, `_core.models`, `_core.pooling`, `_core.synth`) and the
/// process-wide helpers at the top.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(resolve_n_jobs, m)?)?;
    m.add_function(wrap_pyfunction!(_debug_panic, m)?)?;
    m.add_function(wrap_pyfunction!(_test_panic, m)?)?;
    submodule(m, "audio", audio_module)?;
    submodule(m, "face", face_module)?;
    submodule(m, "labels", labels_module)?;
    submodule(m, "metrics", metrics_module)?;
    submodule(m, "models", models_module)?;
    submodule(m, "pooling", pooling_module)?;
    submodule(m, "synth", synth_module)?;
    Ok(())
}
