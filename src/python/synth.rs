//! Synthetic corpus binding: builds the corpus in Rust with the GIL released and hands
//! each item's buffers to NumPy without copying.

use numpy::{PyArray1, PyArray3};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::convert::shaped;
use super::convert::{jobs, Jobs};
use super::errors::compute;
use crate::synth::corpus::{make_corpus, Corpus, CorpusSpec};
use crate::synth::dialogue::{make_dialogues, DialogueSpec};
use crate::synth::Emotion;

/// A dict: `audio` (list of float32), `landmarks` (list of (n_frames, 68, 2) float32),
/// `emotion`, `speaker` (int per item), `female` (per speaker), `skills`, `answers`
/// ((n_items, n_annotators) int64, -1 where skipped), `confusions` ((A, K, K) float64);
/// with `trace_fps`, `traces` (per item a dict: `valence`, `arousal` (n,), `valence_ratings`,
/// `arousal_ratings` (n, A)) and the trace annotators' `rater_lag_s`, `rater_gain`,
/// `rater_offset`, `rater_noise` (empty lists without).
#[pyfunction]
#[pyo3(name = "acted_corpus", signature = (n_items, n_speakers, classes, n_annotators, duration, sr, fps, seed, missing=0.0, n_jobs=None, trace_fps=None))]
#[allow(clippy::too_many_arguments)]
pub fn synth_acted_corpus<'py>(
    py: Python<'py>,
    n_items: usize,
    n_speakers: usize,
    classes: Vec<String>,
    n_annotators: usize,
    duration: (f64, f64),
    sr: f64,
    fps: f64,
    seed: u64,
    missing: f64,
    n_jobs: Option<Jobs>,
    trace_fps: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let n_jobs = jobs(n_jobs);
    let classes = classes
        .iter()
        .map(|c| Emotion::named(c, "classes"))
        .collect::<crate::Result<Vec<_>>>()?;
    let k = classes.len();
    let spec = CorpusSpec {
        n_items,
        n_speakers,
        classes,
        n_annotators,
        duration,
        sr,
        fps,
        seed,
        missing,
        traces: trace_fps,
    };
    let corpus = compute(py, || make_corpus(&spec, n_jobs))?;
    corpus_dict(py, corpus, n_annotators, k)
}

/// The dict of [`synth_acted_corpus`] for a built corpus.
fn corpus_dict<'py>(
    py: Python<'py>,
    corpus: Corpus,
    n_annotators: usize,
    k: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let n_items = corpus.items.len();
    let out = PyDict::new(py);
    let mut audio: Vec<Bound<'py, PyArray1<f32>>> = Vec::with_capacity(n_items);
    let mut lms: Vec<Bound<'py, PyArray3<f32>>> = Vec::with_capacity(n_items);
    let mut emotion = Vec::with_capacity(n_items);
    let mut portrayed = Vec::with_capacity(n_items);
    let mut speaker = Vec::with_capacity(n_items);
    let mut answers = Vec::with_capacity(n_items * n_annotators);
    let m = corpus.raters.len();
    let mut traces = Vec::new();
    for it in &corpus.items {
        if let Some(tr) = &it.traces {
            let n = tr.valence.len();
            let d = PyDict::new(py);
            d.set_item("valence", shaped(py, tr.valence.clone(), n)?)?;
            d.set_item("arousal", shaped(py, tr.arousal.clone(), n)?)?;
            d.set_item(
                "valence_ratings",
                shaped(py, tr.valence_ratings.clone(), (n, m))?,
            )?;
            d.set_item(
                "arousal_ratings",
                shaped(py, tr.arousal_ratings.clone(), (n, m))?,
            )?;
            traces.push(d);
        }
    }
    out.set_item("traces", traces)?;
    let field = |f: fn(&crate::synth::traces::Rater) -> f64| -> Vec<f64> {
        corpus.raters.iter().map(f).collect()
    };
    out.set_item("rater_lag_s", field(|r| r.lag_s))?;
    out.set_item("rater_gain", field(|r| r.gain))?;
    out.set_item("rater_offset", field(|r| r.offset))?;
    out.set_item("rater_noise", field(|r| r.noise))?;
    for it in corpus.items {
        let n = it.audio.len();
        audio.push(shaped(py, it.audio, n)?);
        lms.push(shaped(py, it.landmarks, (it.n_frames, 68, 2))?);
        emotion.push(it.emotion);
        portrayed.push(it.portrayed);
        speaker.push(it.speaker);
        answers.extend(it.answers.iter().map(|a| a.map_or(-1, |v| v as i64)));
    }
    out.set_item("audio", audio)?;
    out.set_item("landmarks", lms)?;
    out.set_item("emotion", emotion)?;
    out.set_item("portrayed", portrayed)?;
    out.set_item("speaker", speaker)?;
    out.set_item(
        "female",
        corpus.speakers.iter().map(|s| s.female).collect::<Vec<_>>(),
    )?;
    out.set_item(
        "skills",
        corpus
            .skills
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>(),
    )?;
    out.set_item("answers", shaped(py, answers, (n_items, n_annotators))?)?;
    out.set_item(
        "confusions",
        shaped(py, corpus.confusions, (n_annotators, k, k))?,
    )?;
    Ok(out)
}

/// Synthetic two-party dialogues ([`crate::synth::dialogue`]): the dict of
/// [`synth_acted_corpus`] (one item per turn, in dialogue and turn order) plus
/// `dialogue`, `turn` and `party` per item.
#[pyfunction]
#[pyo3(name = "dialogue_corpus", signature = (n_dialogues, turns, inertia, contagion, expressivity, n_speakers, classes, n_annotators, duration, sr, fps, seed, missing=0.0, n_jobs=None))]
#[allow(clippy::too_many_arguments)]
pub fn synth_dialogue_corpus<'py>(
    py: Python<'py>,
    n_dialogues: usize,
    turns: (usize, usize),
    inertia: f64,
    contagion: f64,
    expressivity: f64,
    n_speakers: usize,
    classes: Vec<String>,
    n_annotators: usize,
    duration: (f64, f64),
    sr: f64,
    fps: f64,
    seed: u64,
    missing: f64,
    n_jobs: Option<Jobs>,
) -> PyResult<Bound<'py, PyDict>> {
    let n_jobs = jobs(n_jobs);
    let classes = classes
        .iter()
        .map(|c| Emotion::named(c, "classes"))
        .collect::<crate::Result<Vec<_>>>()?;
    let k = classes.len();
    let spec = DialogueSpec {
        corpus: CorpusSpec {
            n_items: 0,
            n_speakers,
            classes,
            n_annotators,
            duration,
            sr,
            fps,
            seed,
            missing,
            traces: None,
        },
        n_dialogues,
        turns,
        inertia,
        contagion,
        expressivity,
    };
    let (corpus, design) = compute(py, || make_dialogues(&spec, n_jobs))?;
    let out = corpus_dict(py, corpus, n_annotators, k)?;
    out.set_item(
        "dialogue",
        design.iter().map(|t| t.dialogue).collect::<Vec<_>>(),
    )?;
    out.set_item("turn", design.iter().map(|t| t.turn).collect::<Vec<_>>())?;
    out.set_item("party", design.iter().map(|t| t.party).collect::<Vec<_>>())?;
    Ok(out)
}
