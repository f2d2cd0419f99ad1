//! Stage-by-stage checks against openSMILE's own intermediate levels of two real clips
//! (tests/data/egemaps/*.json, written by tests/make_egemaps_fixtures.py with the
//! `opensmile` 2.6 pip package from tests/data/cmu_cards_001.wav and the bundled LibriVox
//! clip 0880).

use super::sets::V_F1;
use super::*;
use serde_json::Value;

struct Level {
    columns: Vec<String>,
    values: Vec<Vec<f64>>,
}

impl Level {
    fn col(&self, name: &str) -> Vec<f64> {
        let j = self
            .columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name}"));
        self.values.iter().map(|r| r[j]).collect()
    }
}

type Levels = std::collections::HashMap<String, Level>;

/// Both fixtures: (clip name, our analysis, openSMILE's levels).
fn fixtures() -> Vec<(&'static str, Analysis, Levels)> {
    [
        ("cards_001", "tests/data/cmu_cards_001.wav"),
        (
            "librivox_0880",
            "python/affectkit/data/samples/librivox_sense_and_sensibility_0880.flac",
        ),
    ]
    .into_iter()
    .map(|(name, audio)| {
        let (a, l) = fixture(name, audio);
        (name, a, l)
    })
    .collect()
}

/// The rows of a stored level (`[[f64, ...], ...]`), as the fixture scripts in tests/
/// write them.
pub(super) fn json_rows(values: &Value) -> Vec<Vec<f64>> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect()
        })
        .collect()
}

fn fixture(name: &str, audio: &str) -> (Analysis, Levels) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text =
        std::fs::read_to_string(root.join(format!("tests/data/egemaps/{name}.json"))).unwrap();
    let json: Value = serde_json::from_str(&text).unwrap();
    let mut levels = std::collections::HashMap::new();
    for (k, v) in json["levels"].as_object().unwrap() {
        let columns = v["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect();
        let values = json_rows(&v["values"]);
        levels.insert(k.clone(), Level { columns, values });
    }
    let d = crate::audio::io::decode(&root.join(audio), 0.0, None).unwrap();
    assert_eq!(d.sample_rate, 16000);
    let y: Vec<f32> = d.to_mono();
    (shared().analyse(&y, 16000.0).unwrap(), levels)
}

/// Max of `|a - b| / (|b| + floor)` over the common frames.
fn max_rel(a: &[f64], b: &[f64], floor: f64) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / (y.abs() + floor))
        .fold(0.0, f64::max)
}

#[test]
fn framing_spectral_loudness_mfcc() {
    for (clip, a, l) in fixtures() {
        let e = &l["lldsetE"];
        assert_eq!(a.n_short(), e.values.len());
        let names = [
            "Loudness",
            "alphaRatio",
            "hammarbergIndex",
            "slope0-500",
            "slope500-1500",
            "spectralFlux",
            "mfcc1",
            "mfcc2",
            "mfcc3",
            "mfcc4",
        ];
        for (j, name) in names.iter().enumerate() {
            let ours: Vec<f64> = a.short.iter().map(|r| r[j]).collect();
            let err = max_rel(&ours, &e.col(name), 1e-2);
            assert!(err < 2e-3, "{clip} {name}: {err}");
        }
    }
}

#[test]
fn shs_candidates_viterbi_and_gate() {
    for (clip, a, l) in fixtures() {
        let shs = &l["shs"];
        assert_eq!(a.n_long(), shs.values.len());
        let n = shs.col("nCandidates");
        let f0 = shs.col("F0Cand[0]");
        let v0 = shs.col("candVoicing[0]");
        for t in 0..a.n_long() {
            let c = &a.candidates[t];
            assert_eq!(c.f0.len() as f64, n[t], "{clip} frame {t}");
            if n[t] > 0.0 {
                assert!((c.f0[0] / f0[t] - 1.0).abs() < 1e-3, "{clip} frame {t}");
                assert!((c.voicing[0] - v0[t]).abs() < 1e-3, "{clip} frame {t}");
            }
        }
        let raw = l["pitch_raw"].col("F0final");
        let gated = l["pitch"].col("F0final");
        for t in 0..a.n_long() {
            assert!(
                (a.pitch[t].f0 - raw[t]).abs() < 1e-3 * raw[t].max(1.0),
                "{clip} frame {t}"
            );
            assert!(
                (a.f0[t] - gated[t]).abs() < 1e-3 * gated[t].max(1.0),
                "{clip} frame {t}"
            );
        }
        let rms = l["rms60"].col("pcm_RMSenergy");
        assert!(max_rel(&a.rms, &rms, 1e-6) < 1e-4);
    }
}

#[test]
fn formants() {
    for (clip, a, l) in fixtures() {
        let f = &l["formants"];
        for i in 1..=3 {
            let freq = f.col(&format!("formantFreqLpc[{i}]"));
            let bw = f.col(&format!("formantBandwidthLpc[{i}]"));
            let (mut close, mut n) = (0, 0);
            for t in 0..a.n_long() {
                let r = &a.voice[t];
                n += 1;
                if (r[V_F1 + 3 * (i - 1)] - freq[t]).abs() < 1.0 + 2e-3 * freq[t]
                    && (r[V_F1 + 3 * (i - 1) + 1] - bw[t]).abs() < 1.0 + 2e-3 * bw[t]
                {
                    close += 1;
                }
            }
            // float32 rounding in openSMILE moves a few ill-conditioned frames
            assert!(close * 100 >= n * 95, "{clip} F{i}: {close} of {n}");
        }
    }
}

#[test]
fn harmonics_jitter_shimmer() {
    for (clip, a, l) in fixtures() {
        let h = &l["harmonics"];
        let cols = [
            (3, "HarmonicsToNoiseRatioACFLogdB"),
            (4, "HarmonicDifferenceLogRelH1-H2"),
            (5, "HarmonicDifferenceLogRelH1-A3"),
            (8, "FormantAmplitudeByMaxHarmonicLogRelF0[1]"),
            (11, "FormantAmplitudeByMaxHarmonicLogRelF0[2]"),
            (14, "FormantAmplitudeByMaxHarmonicLogRelF0[3]"),
        ];
        for (j, name) in cols {
            let want = h.col(name);
            let ok = (0..a.n_long())
                .filter(|&t| (a.voice[t][j] - want[t]).abs() < 0.01)
                .count();
            // HNR: the autocorrelation peak rule matches 98 % of voiced frames (harmonics.rs)
            let need = if j == 3 { 97 } else { 99 };
            assert!(
                ok * 100 >= a.n_long() * need,
                "{clip} {name}: {ok} of {}",
                a.n_long()
            );
        }
        let js = &l["jitter"];
        for (j, name, tol) in [(1, "jitterLocal", 1e-4), (2, "shimmerLocalDB", 1e-3)] {
            let want = js.col(name);
            for t in 0..a.n_long() {
                assert!(
                    (a.voice[t][j] - want[t]).abs() < tol,
                    "{clip} {name} frame {t}"
                );
            }
        }
    }
}

#[test]
fn smoothed_llds_and_functionals() {
    for (clip, a, l) in fixtures() {
        let eg = shared();
        let (lld, (rows, cols)) = eg.lld(&a, Version::EgemapsV02, Unvoiced::OpenSmile);
        let want = &l["lld"];
        assert_eq!((rows, cols), (want.values.len(), 25));
        for (j, name) in EGEMAPS_LLD.iter().enumerate() {
            let ours: Vec<f64> = (0..rows).map(|t| lld[t * cols + j]).collect();
            let w = want.col(name);
            let ok = (0..rows)
                .filter(|&t| (ours[t] - w[t]).abs() <= 1e-3 * w[t].abs() + 1e-3)
                .count();
            // ungated formants on unvoiced rows: openSMILE's float32 LPC moves a few
            // ill-conditioned frames (see `formants()`), the rest agree to rounding
            let need = if name.contains("frequency") || name.contains("bandwidth") {
                85
            } else if name.starts_with("HNR") {
                // one unmatched HNR frame moves three smoothed rows
                93
            } else {
                97
            };
            assert!(ok * 100 >= rows * need, "{clip} {name}: {ok} of {rows}");
        }
        for (version, key) in [
            (Version::EgemapsV02, "func"),
            (Version::GemapsV01b, "gemaps_func"),
        ] {
            let f = eg.functionals(&a, version);
            let want = &l[key];
            assert_eq!(want.columns, functional_names(version));
            for (j, name) in want.columns.iter().enumerate() {
                let w = want.values[0][j];
                // formant bandwidths inherit the LPC's float32 rounding (see `formants()`), the
                // HNR spread the 2 % of frames whose autocorrelation peak differs
                let tol = if name.contains("bandwidth") || name.starts_with("HNR") {
                    1e-2
                } else {
                    2e-3
                };
                assert!(
                    (f[j] - w).abs() <= tol * w.abs() + 1e-4,
                    "{clip} {key} {name}: {} vs {w}",
                    f[j]
                );
            }
        }
    }
}

/// The streaming pitch decoder holds few frames on real speech (issue 15: memory grows
/// only across ambiguous stretches): every bundled clip end to end, and each clip's
/// frames are those of its own whole-clip analysis.
#[test]
fn pitch_decisions_lag_little_on_real_speech() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<std::path::PathBuf> = ["tests/data", "python/affectkit/data/samples"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wav" | "flac")))
        .collect();
    paths.sort();
    let mut y: Vec<f32> = Vec::new();
    for p in &paths {
        y.extend(crate::audio::io::decode(p, 0.0, None).unwrap().to_mono());
    }
    let mut a = Analysis::default();
    let held = shared()
        .stream(framing::quantised(&y), true, &mut a)
        .unwrap();
    eprintln!(
        "{} clips, {} frames: at most {held} frames undecided at once",
        paths.len(),
        a.n_long()
    );
    assert!(held < 200, "{held}");
    assert_eq!(a.n_long(), framing::n_long(y.len()));
}
