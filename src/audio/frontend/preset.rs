//! Presets: each reference tool's parameter names and defaults, turned into specs.
//!
//! - `librosa`: `librosa.feature.mfcc` / `melspectrogram` 0.11 (`stft`, `filters.mel`,
//!   `power_to_db`, `feature.delta`).
//! - `kaldi`: `torchaudio.compliance.kaldi.mfcc` / `fbank` (= Kaldi's `compute-mfcc-feats`
//!   with `dither=0`; Kaldi's own default dither is 1.0).
//! - `htk`: `python_speech_features.mfcc` / `logfbank` 0.6 (HTK-style mel and lifter).
//!
//! Every preset also accepts `n_mels`/`n_mfcc` as aliases of its own names, `deltas`,
//! `delta_width`, `delta_mode` and `cmvn`.

use super::cmvn::Cmvn;
use super::delta::{DeltaMethod, DeltaSpec, SavgolMode};
use super::frames::{Edges, Framing, PadMode};
use super::logmel::{EnergyColumn, EnergyLog, LogSpec, MelSpectrogramSpec};
use super::mel::{MelNorm, MelScale, MelSpec, TriangleLayout};
use super::mfcc::{C0Rule, DctSpec, Lifter, MfccSpec};
use super::spectrum::{Energy, SpectrumSpec};
use crate::error::{Error, Result};
use crate::num::window::Window;
use crate::params::{Params, Value};

/// A reference tool whose front end a preset reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    Librosa,
    Kaldi,
    Htk,
}

impl std::str::FromStr for Preset {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "librosa" => Preset::Librosa,
            "kaldi" | "torchaudio" => Preset::Kaldi,
            "htk" | "python_speech_features" | "psf" => Preset::Htk,
            other => {
                return Err(Error::param(
                    "preset",
                    format!("unknown preset {other:?}; expected \"librosa\", \"kaldi\" or \"htk\""),
                ))
            }
        })
    }
}

impl Preset {
    pub fn name(self) -> &'static str {
        match self {
            Preset::Librosa => "librosa",
            Preset::Kaldi => "kaldi",
            Preset::Htk => "htk",
        }
    }
}

/// A window given by name or as samples.
fn window_param(p: &Params, names: &[&str], default: &str, periodic: bool) -> Result<Window> {
    let (window, resolved) = match p.get(names)? {
        None | Some(Value::None) => (
            Window::named(default, periodic)?,
            Value::Str(default.into()),
        ),
        Some(Value::Str(s)) => (Window::named(s, periodic)?, Value::Str(s.clone())),
        Some(Value::Array(a)) => (Window::Custom(a.clone()), Value::Array(a.clone())),
        Some(v) => {
            return Err(Error::param(
                names[0],
                format!("expected a window name or an array, got {v:?}"),
            ))
        }
    };
    p.note(names[0], resolved);
    Ok(window)
}

fn mel_norm_param(p: &Params, names: &[&str]) -> Result<MelNorm> {
    let norm = match p.get(names)? {
        None => MelNorm::Slaney,
        Some(Value::None) => MelNorm::None,
        Some(Value::Str(s)) if s == "slaney" => MelNorm::Slaney,
        Some(Value::Int(i)) if *i > 0 => MelNorm::PNorm(*i as f64),
        Some(Value::Float(f)) if *f > 0.0 => MelNorm::PNorm(*f),
        Some(v) => {
            return Err(Error::param(
                names[0],
                format!("expected \"slaney\", None or a positive p-norm, got {v:?}"),
            ))
        }
    };
    p.note(
        names[0],
        match norm {
            MelNorm::Slaney => Value::Str("slaney".into()),
            MelNorm::None => Value::None,
            MelNorm::PNorm(f) => Value::Float(f),
        },
    );
    Ok(norm)
}

/// Per-utterance normalisation (`cmvn`: None, "mean" or "meanvar"), recorded canonically.
fn cmvn_param(p: &Params) -> Result<Cmvn> {
    let cmvn = Cmvn::from_option(p.opt_str(&["cmvn"])?.as_deref())?;
    p.note(
        "cmvn",
        match cmvn {
            Cmvn::None => Value::None,
            Cmvn::Mean => Value::Str("mean".into()),
            Cmvn::MeanVariance => Value::Str("meanvar".into()),
        },
    );
    Ok(cmvn)
}

fn check_sr(sr: f64) -> Result<()> {
    if sr.is_finite() && sr > 0.0 {
        Ok(())
    } else {
        Err(Error::param(
            "sr",
            format!("must be a positive sample rate in Hz, got {sr}"),
        ))
    }
}

/// The front end (everything up to the log mel energies) of one preset.
struct Front {
    mel: MelSpectrogramSpec,
}

fn librosa_front(sr: f64, p: &Params, for_mfcc: bool, log: Option<bool>) -> Result<Front> {
    let n_fft = p.count(&["n_fft"], 2048)?;
    let win_length = p.opt_count(&["win_length"])?;
    // librosa: win_length=None means n_fft (the same numbers either way)
    p.note("win_length", Value::Int(win_length.unwrap_or(n_fft) as i64));
    let hop = p.count(&["hop_length"], 512)?;
    let window = window_param(p, &["window"], "hann", true)?;
    let center = p.bool(&["center"], true)?;
    let pad_mode_name = p
        .opt_str(&["pad_mode"])?
        .unwrap_or_else(|| "constant".into());
    p.note("pad_mode", Value::Str(pad_mode_name.clone()));
    let pad_mode = pad_mode_name.parse::<PadMode>()?;
    let power = p.f64(&["power"], 2.0)?;
    let n_mels = p.count(&["n_mels"], 128)?;
    let fmin = p.f64(&["fmin"], 0.0)?;
    let fmax = p.opt_f64(&["fmax"])?.unwrap_or(sr / 2.0);
    p.note("fmax", Value::Float(fmax));
    let htk = p.bool(&["htk"], false)?;
    // librosa.feature.mfcc names the filter norm `mel_norm` (its `norm` is the DCT's).
    let norm = if for_mfcc {
        mel_norm_param(p, &["mel_norm"])?
    } else {
        mel_norm_param(p, &["norm", "mel_norm"])?
    };
    let reference = match p.get(&["ref"])? {
        Some(Value::Str(s)) if s == "max" => {
            p.note("ref", Value::Str("max".into()));
            None
        }
        _ => Some(p.f64(&["ref"], 1.0)?),
    };
    let amin = p.f64(&["amin"], 1e-10)?;
    let top_db = match p.get(&["top_db"])? {
        Some(Value::None) => {
            p.note("top_db", Value::None);
            None
        }
        _ => Some(p.f64(&["top_db"], 80.0)?),
    };
    if let Some(w) = win_length {
        if w > n_fft {
            return Err(Error::param(
                "win_length",
                format!("must be <= n_fft={n_fft}, got {w}"),
            ));
        }
    }
    let edges = if center {
        Edges::Center(pad_mode)
    } else {
        Edges::Snip
    };
    let db = LogSpec::Db {
        reference,
        amin,
        top_db,
    };
    let log = if for_mfcc || log == Some(true) {
        db
    } else {
        LogSpec::None
    };
    Ok(Front {
        mel: MelSpectrogramSpec {
            sample_rate: sr,
            stft: SpectrumSpec {
                framing: Framing::new(n_fft, hop, edges)?,
                n_fft,
                window,
                win_length,
                dither: 0.0,
                dither_seed: 0,
                remove_dc: false,
                frame_preemphasis: 0.0,
                signal_preemphasis: 0.0,
                power,
                scale: 1.0,
                energy: Energy::None,
                truncate: false,
            },
            mel: MelSpec {
                n_mels,
                fmin,
                fmax,
                scale: if htk { MelScale::Htk } else { MelScale::Slaney },
                layout: TriangleLayout::Hz,
                norm,
            },
            log,
            energy_log: EnergyLog::Psf,
            energy_column: EnergyColumn::None,
            cmvn: Cmvn::None,
        },
    })
}

/// Kaldi's frame sizes: `int(sr * ms / 1000)`.
fn kaldi_samples(sr: f64, ms: f64, name: &str) -> Result<usize> {
    if !(ms > 0.0) {
        return Err(Error::param(
            name,
            format!("must be positive (milliseconds), got {ms}"),
        ));
    }
    let n = (sr * ms * 0.001) as usize;
    // the window is padded to the next power of two: check that size here, naming the
    // argument (a frame_length of 2**62 ms used to be blamed on n_fft)
    let padded = n.checked_next_power_of_two().unwrap_or(usize::MAX);
    crate::limits::product::<f64>(&[padded], crate::limits::Source::Arg(name))?;
    if n == 0 {
        return Err(Error::param(
            name,
            format!("{ms} ms at {sr} Hz is less than one sample"),
        ));
    }
    Ok(n)
}

fn kaldi_front(
    sr: f64,
    p: &Params,
    for_mfcc: bool,
    log: Option<bool>,
) -> Result<(Front, bool, bool, f64)> {
    if let Some(fs) = p.opt_f64(&["sample_frequency"])? {
        if fs != sr {
            return Err(Error::param(
                "sample_frequency",
                format!("is {fs} but sr is {sr}; pass the signal's rate as sr (they must agree)"),
            ));
        }
    }
    p.note("sample_frequency", Value::Float(sr));
    let frame_length = p.f64(&["frame_length"], 25.0)?;
    let frame_shift = p.f64(&["frame_shift"], 10.0)?;
    let win = kaldi_samples(sr, frame_length, "frame_length")?;
    let shift = kaldi_samples(sr, frame_shift, "frame_shift")?;
    if win < 2 {
        return Err(Error::param(
            "frame_length",
            "the window must hold at least 2 samples",
        ));
    }
    let round_pow2 = p.bool(&["round_to_power_of_two"], true)?;
    let n_fft = if round_pow2 {
        win.next_power_of_two()
    } else {
        win
    };
    if n_fft % 2 != 0 {
        return Err(Error::param(
            "frame_length",
            format!(
                "the padded window ({n_fft} samples) must be even; use round_to_power_of_two=True"
            ),
        ));
    }
    let snip = p.bool(&["snip_edges"], true)?;
    let window_type = p
        .opt_str(&["window_type"])?
        .unwrap_or_else(|| "povey".into());
    p.note("window_type", Value::Str(window_type.clone()));
    let blackman_coeff = p.f64(&["blackman_coeff"], 0.42)?;
    let window = match window_type.as_str() {
        "hanning" => Window::Hann { periodic: false },
        "hamming" => Window::Hamming { periodic: false },
        "povey" => Window::Povey,
        "rectangular" => Window::Rectangular,
        "blackman" => Window::Blackman {
            coeff: blackman_coeff,
            periodic: false,
        },
        other => {
            return Err(Error::param(
                "window_type",
                format!("expected hamming, hanning, povey, rectangular or blackman, got {other:?}"),
            ))
        }
    };
    let dither = p.f64(&["dither"], 0.0)?;
    let dither_seed = p.index(&["dither_seed"], 0)? as u64;
    let energy_floor = p.f64(&["energy_floor"], 1.0)?;
    let raw_energy = p.bool(&["raw_energy"], true)?;
    let remove_dc = p.bool(&["remove_dc_offset"], true)?;
    let preemph = p.f64(&["preemphasis_coefficient"], 0.97)?;
    let low_freq = p.f64(&["low_freq", "fmin"], 20.0)?;
    let high_freq = p.f64(&["high_freq", "fmax"], 0.0)?;
    let n_mels = p.count(&["num_mel_bins", "n_mels"], 23)?;
    let use_energy = p.bool(&["use_energy"], false)?;
    let htk_compat = p.bool(&["htk_compat"], false)?;
    let subtract_mean = p.bool(&["subtract_mean"], false)?;
    let vtln_warp = p.f64(&["vtln_warp"], 1.0)?;
    let vtln_low = p.f64(&["vtln_low"], 100.0)?;
    let vtln_high = p.f64(&["vtln_high"], -500.0)?;
    let min_duration = p.f64(&["min_duration"], 0.0)?;
    let (use_log, use_power) = if for_mfcc {
        (true, true)
    } else {
        let use_log = log.unwrap_or(p.bool(&["use_log_fbank"], true)?);
        p.note("use_log_fbank", Value::Bool(use_log));
        (use_log, p.bool(&["use_power"], true)?)
    };
    if n_mels <= 3 {
        return Err(Error::param(
            "num_mel_bins",
            format!("Kaldi needs more than 3 mel bins, got {n_mels}"),
        ));
    }
    let nyquist = sr / 2.0;
    let high = if high_freq <= 0.0 {
        high_freq + nyquist
    } else {
        high_freq
    };
    let energy_column = match (for_mfcc, use_energy, htk_compat) {
        (false, true, false) => EnergyColumn::First,
        (false, true, true) => EnergyColumn::Last,
        _ => EnergyColumn::None,
    };
    let front = Front {
        mel: MelSpectrogramSpec {
            sample_rate: sr,
            stft: SpectrumSpec {
                framing: Framing::new(
                    win,
                    shift,
                    if snip {
                        Edges::Snip
                    } else {
                        Edges::KaldiReflect
                    },
                )?,
                n_fft,
                window,
                win_length: None,
                dither,
                dither_seed,
                remove_dc,
                frame_preemphasis: preemph,
                signal_preemphasis: 0.0,
                power: if use_power { 2.0 } else { 1.0 },
                scale: 1.0,
                energy: if raw_energy {
                    Energy::Raw
                } else {
                    Energy::Windowed
                },
                truncate: false,
            },
            mel: MelSpec {
                n_mels,
                fmin: low_freq,
                fmax: high,
                scale: MelScale::Kaldi,
                layout: TriangleLayout::Mel {
                    vtln_warp,
                    vtln_low,
                    vtln_high,
                },
                norm: MelNorm::None,
            },
            log: if use_log {
                LogSpec::LnFloor {
                    floor: f32::EPSILON as f64,
                }
            } else {
                LogSpec::None
            },
            energy_log: EnergyLog::Kaldi { energy_floor },
            energy_column,
            cmvn: if subtract_mean {
                Cmvn::Mean
            } else {
                Cmvn::None
            },
        },
    };
    Ok((front, use_energy, htk_compat, min_duration))
}

/// python_speech_features' `round_half_up(x)` (decimal ROUND_HALF_UP of the float).
fn round_half_up(x: f64) -> usize {
    (x + 0.5).floor().max(0.0) as usize
}

fn htk_front(sr: f64, p: &Params, for_mfcc: bool, log: Option<bool>) -> Result<Front> {
    let winlen = p.f64(&["winlen"], 0.025)?;
    let winstep = p.f64(&["winstep"], 0.01)?;
    let n_mels = p.count(&["nfilt", "n_mels"], 26)?;
    let nfft = p.count(&["nfft", "n_fft"], 512)?;
    let lowfreq = p.f64(&["lowfreq", "fmin"], 0.0)?;
    let highfreq = match p.opt_f64(&["highfreq", "fmax"])? {
        None => sr / 2.0,
        Some(0.0) => sr / 2.0, // psf: `highfreq or samplerate/2`
        Some(h) => h,
    };
    p.note("highfreq", Value::Float(highfreq));
    let preemph = p.f64(&["preemph"], 0.97)?;
    let window = window_param(p, &["winfunc"], "rectangular", false)?;
    let frame_len = round_half_up(winlen * sr);
    let step = round_half_up(winstep * sr);
    if frame_len == 0 {
        return Err(Error::param(
            "winlen",
            format!("{winlen} s at {sr} Hz is less than one sample"),
        ));
    }
    if step == 0 {
        return Err(Error::param(
            "winstep",
            format!("{winstep} s at {sr} Hz is less than one sample"),
        ));
    }
    let log = if for_mfcc || log.unwrap_or(true) {
        LogSpec::LnZeroEps { eps: f64::EPSILON }
    } else {
        LogSpec::None
    };
    Ok(Front {
        mel: MelSpectrogramSpec {
            sample_rate: sr,
            stft: SpectrumSpec {
                framing: Framing::new(frame_len, step, Edges::PadTail)?,
                n_fft: nfft,
                window,
                win_length: None,
                dither: 0.0,
                dither_seed: 0,
                remove_dc: false,
                frame_preemphasis: 0.0,
                signal_preemphasis: preemph,
                power: 2.0,
                scale: 1.0 / nfft as f64,
                energy: Energy::Spectral,
                truncate: true,
            },
            mel: MelSpec {
                n_mels,
                fmin: lowfreq,
                fmax: highfreq,
                scale: MelScale::Htk,
                layout: TriangleLayout::Bins,
                norm: MelNorm::None,
            },
            log,
            energy_log: EnergyLog::Psf,
            energy_column: EnergyColumn::None,
            cmvn: Cmvn::None,
        },
    })
}

fn common_tail(p: &Params, preset: Preset) -> Result<(DeltaSpec, Cmvn)> {
    let order = p.index(&["deltas"], 0)?;
    let (method, width) = match preset {
        Preset::Librosa => (DeltaMethod::Savgol, 9),
        Preset::Kaldi => (DeltaMethod::Kaldi, 5),
        Preset::Htk => (DeltaMethod::Regression, 5),
    };
    let method = match p.opt_str(&["delta_method"])?.as_deref() {
        None => method,
        Some("savgol") => DeltaMethod::Savgol,
        Some("regression") | Some("htk") => DeltaMethod::Regression,
        Some("kaldi") => DeltaMethod::Kaldi,
        Some(o) => {
            return Err(Error::param(
                "delta_method",
                format!("expected savgol, regression or kaldi, got {o:?}"),
            ))
        }
    };
    p.note(
        "delta_method",
        Value::Str(
            match method {
                DeltaMethod::Savgol => "savgol",
                DeltaMethod::Regression => "regression",
                DeltaMethod::Kaldi => "kaldi",
            }
            .into(),
        ),
    );
    let width = p.count(&["delta_width"], width)?;
    let mode_name = p
        .opt_str(&["delta_mode"])?
        .unwrap_or_else(|| "interp".into());
    p.note("delta_mode", Value::Str(mode_name.clone()));
    let mode = mode_name.parse::<SavgolMode>()?;
    let cmvn = cmvn_param(p)?;
    let spec = DeltaSpec {
        order,
        method,
        width,
        mode,
    };
    spec.validate()?;
    Ok((spec, cmvn))
}

/// HTK-style cepstra (Kaldi and psf): orthonormal DCT-II, lifter counted from C0.
fn htk_style_mfcc(
    mel: MelSpectrogramSpec,
    n_mfcc: usize,
    lifter: f64,
    c0: C0Rule,
    deltas: DeltaSpec,
) -> MfccSpec {
    MfccSpec {
        mel,
        n_mfcc,
        dct: DctSpec {
            dct_type: 2,
            ortho: true,
        },
        lifter: Lifter {
            coeff: lifter,
            librosa_indexing: false,
        },
        c0,
        deltas,
    }
}

/// The mel-spectrogram recipe of `preset` with the given parameters. `log = None` keeps
/// the reference function's own output (librosa: power; Kaldi `fbank` and psf
/// `logfbank`: natural log). Returns the spec and Kaldi's `min_duration` (seconds).
pub fn melspectrogram_spec(
    preset: Preset,
    sr: f64,
    p: &Params,
    log: Option<bool>,
) -> Result<(MelSpectrogramSpec, f64)> {
    check_sr(sr)?;
    let (mut mel, min_duration) = match preset {
        Preset::Librosa => (librosa_front(sr, p, false, log)?.mel, 0.0),
        Preset::Kaldi => {
            let (f, _, _, md) = kaldi_front(sr, p, false, log)?;
            (f.mel, md)
        }
        Preset::Htk => (htk_front(sr, p, false, log)?.mel, 0.0),
    };
    let cmvn = cmvn_param(p)?;
    if cmvn != Cmvn::None {
        mel.cmvn = cmvn;
    }
    p.finish(&format!("melspectrogram(preset={:?})", preset.name()))?;
    Ok((mel, min_duration))
}

/// The MFCC recipe of `preset` with the given parameters, and Kaldi's `min_duration`.
pub fn mfcc_spec(preset: Preset, sr: f64, p: &Params) -> Result<(MfccSpec, f64)> {
    check_sr(sr)?;
    let (deltas, cmvn) = common_tail(p, preset)?;
    let (mut spec, min_duration) = match preset {
        Preset::Librosa => {
            let front = librosa_front(sr, p, true, None)?;
            let n_mfcc = p.count(&["n_mfcc"], 20)?;
            let dct_type = p.index(&["dct_type"], 2)? as u8;
            let ortho = match p.get(&["norm"])? {
                None => true,
                Some(Value::None) => false,
                Some(Value::Str(s)) if s == "ortho" => true,
                Some(v) => {
                    return Err(Error::param(
                        "norm",
                        format!("the DCT norm must be \"ortho\" or None, got {v:?}"),
                    ))
                }
            };
            p.note(
                "norm",
                if ortho {
                    Value::Str("ortho".into())
                } else {
                    Value::None
                },
            );
            let lifter = p.f64(&["lifter"], 0.0)?;
            let spec = MfccSpec {
                mel: front.mel,
                n_mfcc,
                dct: DctSpec { dct_type, ortho },
                lifter: Lifter {
                    coeff: lifter,
                    librosa_indexing: true,
                },
                c0: C0Rule {
                    replace_with_energy: None,
                    htk_compat: false,
                },
                deltas,
            };
            (spec, 0.0)
        }
        Preset::Kaldi => {
            let (front, use_energy, htk_compat, md) = kaldi_front(sr, p, true, None)?;
            let n_mfcc = p.count(&["num_ceps", "n_mfcc"], 13)?;
            let lifter = p.f64(&["cepstral_lifter", "lifter"], 22.0)?;
            let energy_log = front.mel.energy_log;
            let c0 = C0Rule {
                replace_with_energy: use_energy.then_some(energy_log),
                htk_compat,
            };
            (htk_style_mfcc(front.mel, n_mfcc, lifter, c0, deltas), md)
        }
        Preset::Htk => {
            let front = htk_front(sr, p, true, None)?;
            let n_mfcc = p.count(&["numcep", "n_mfcc"], 13)?;
            // psf: a lifter <= 0 means off
            let lifter = p.f64(&["ceplifter", "lifter"], 22.0)?.max(0.0);
            let append_energy = p.bool(&["appendEnergy", "append_energy"], true)?;
            let c0 = C0Rule {
                replace_with_energy: append_energy.then_some(EnergyLog::Psf),
                htk_compat: false,
            };
            (htk_style_mfcc(front.mel, n_mfcc, lifter, c0, deltas), 0.0)
        }
    };
    if cmvn != Cmvn::None {
        spec.mel.cmvn = cmvn;
    }
    p.finish(&format!("mfcc(preset={:?})", preset.name()))?;
    Ok((spec, min_duration))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mfcc_spec_resolves_every_default_of_the_preset() {
        let p = Params::new();
        mfcc_spec(Preset::Librosa, 16000.0, &p).unwrap();
        let r = p.resolved();
        assert_eq!(r["n_mfcc"], Value::Int(20));
        assert_eq!(r["n_fft"], Value::Int(2048));
        assert_eq!(r["win_length"], Value::Int(2048));
        assert_eq!(r["fmax"], Value::Float(8000.0));
        assert_eq!(r["window"], Value::Str("hann".into()));
        assert_eq!(r["mel_norm"], Value::Str("slaney".into()));
        assert_eq!(r["norm"], Value::Str("ortho".into()));
        assert_eq!(r["delta_method"], Value::Str("savgol".into()));
        let k = Params::new();
        mfcc_spec(Preset::Kaldi, 16000.0, &k).unwrap();
        let r = k.resolved();
        assert_eq!(r["num_ceps"], Value::Int(13));
        assert_eq!(r["window_type"], Value::Str("povey".into()));
        assert_eq!(r["sample_frequency"], Value::Float(16000.0));
        assert_eq!(r["high_freq"], Value::Float(0.0));
    }
}
