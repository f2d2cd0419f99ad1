//! The Geneva Minimalistic Acoustic Parameter Sets as openSMILE computes them: eGeMAPS v02
//! (25 LLDs per 10 ms frame, 88 functionals) and GeMAPS v01b (18 LLDs, 62 functionals),
//! with openSMILE's column names and order.
//!
//! Eyben, Scherer, Schuller, Sundberg, André, Busso, Devillers, Epps, Laukka, Narayanan,
//! Truong (2016), "The Geneva Minimalistic Acoustic Parameter Set (GeMAPS) for Voice
//! Research and Affective Computing", IEEE Trans. Affective Computing 7(2).
//!
//! Clean room: each stage follows the option values of the configuration files the
//! `opensmile` 2.6 pip package ships (`eGeMAPSv02.conf`, `GeMAPSv01b.conf` and their
//! includes), openSMILE's public component documentation and black-box measurements of
//! the package (its intermediate data-memory levels, read with
//! `opensmile.Smile(feature_set=<conf>, feature_level=<level>)`); no openSMILE source was
//! used. One module per stage, in the order of the chain:
//!
//! - [`framing`]: int16 quantisation, 20 ms Hamming and 60 ms Gaussian frames every 10 ms,
//!   symmetric zero padding to 512 / 1024 points;
//! - [`loudness`], [`spectral`]: loudness, MFCC 1-4, alpha ratio, Hammarberg index, slopes,
//!   flux of the 20 ms spectrum;
//! - [`shs`]: the octave spectrum and SHS F0 candidates of the 60 ms spectrum;
//!   [`viterbi`]: the pitch smoother; the 60 ms RMS gate (F0 = 0 below 0.001);
//! - [`formants`]: F1-F3 and bandwidths (LPC of the resampled 20 ms spectrum);
//! - [`harmonics`]: H1-H2, H1-A3, formant amplitudes, HNR; [`jitter`]: jitter and shimmer;
//! - [`smoothing`]: the 3-frame smoother; [`functionals`]: the statistics;
//! - [`sets`]: the two parameter sets and their column names.
//!
//! Pitch-rate row `t` pairs the 60 ms frame `[160 t, 160 t + 960)` with the 20 ms frame
//! `[160 t, 160 t + 320)`. A clip of `N >= 960` samples (16 kHz) has `(N - 960) / 160 + 2`
//! LLD rows; shorter clips none and all-NaN functionals. Other rates at or above 16 kHz are
//! resampled to 16 kHz first (openSMILE analyses them at their own rate; see
//! docs/egemaps.md for the measured difference); lower rates are an error.
//!
//! The chain streams ([`Egemaps::stream`]): 16 kHz input is read in place, the pitch is
//! decoded as frames arrive ([`viterbi::Decoder`], the exact whole-clip path), and each
//! decided frame goes to a [`Sink`]: [`Analysis`] keeps every row, [`lld::Writer`] only
//! the output rows, [`functionals::Accumulator`] two contours (docs/egemaps.md, "Memory
//! on long recordings").

pub mod formants;
pub mod framing;
pub mod functionals;
pub mod harmonics;
pub mod jitter;
pub mod lld;
pub mod loudness;
pub mod sets;
pub mod shs;
pub mod smoothing;
pub mod spectral;
pub mod viterbi;

use crate::error::{Error, Result};
use crate::num::real::Real;
use framing::{PaddedFft, HOP, LONG, LONG_FFT, SHORT, SHORT_FFT};
use functionals as fx;
use harmonics::Harmonics;
use shs::Candidates;
use viterbi::Pitch;

pub use sets::{functional_names, Version, EGEMAPS_LLD, GEMAPS_LLD};
use sets::{N_SHORT, N_VOICE, V_F0};

/// The analysis rate; other rates are resampled to it.
pub const SAMPLE_RATE: u32 = 16000;
/// The 60 ms RMS below which F0 is 0 (`gemapsv01b_volmerge`, threshold 0.001 [C]).
const RMS_GATE: f64 = 0.001;
/// 16 kHz clips up to this many samples (65 s) are coded to int16 once; longer ones are
/// read through [`framing::quantised`], so a long file costs no copy of its size.
const COPY_LIMIT: usize = 1 << 20;

/// What the `_sma3nz` LLD columns hold on unvoiced rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unvoiced {
    /// NaN (affectkit's convention for normal missing data).
    Nan,
    /// openSMILE's own values: 0 for F0 and the voice-quality columns, -201 for the
    /// formant amplitudes, the ungated formants.
    OpenSmile,
}

impl std::str::FromStr for Unvoiced {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "nan" => Ok(Unvoiced::Nan),
            "opensmile" => Ok(Unvoiced::OpenSmile),
            other => Err(Error::param(
                "unvoiced",
                format!("expected \"nan\" or \"opensmile\", got {other:?}"),
            )),
        }
    }
}

/// What [`Egemaps::features`] returns per clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The functionals, one row.
    Functionals,
    /// The smoothed LLDs, one row per 10 ms.
    Lld,
}

impl std::str::FromStr for Level {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "functionals" => Ok(Level::Functionals),
            "lld" => Ok(Level::Lld),
            other => Err(Error::param(
                "level",
                format!("expected \"functionals\" or \"lld\", got {other:?}"),
            )),
        }
    }
}

/// Every per-frame stage output of one clip (unsmoothed), at 16 kHz: a [`Sink`] that
/// keeps every row (for the stage tests and [`egemaps_stages`](crate::python)); the
/// features themselves stream ([`Egemaps::features`]).
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// 20 ms frames: loudness, alpha ratio, Hammarberg, slope 0-500, slope 500-1500,
    /// flux, MFCC 1-4 (`n_short` rows).
    pub short: Vec<[f64; N_SHORT]>,
    /// Mean square of each raw 20 ms frame (the equivalent sound level).
    pub energy: Vec<f64>,
    /// 60 ms frames: SHS candidates, smoothed pitch, RMS of the windowed frame.
    pub candidates: Vec<Candidates>,
    pub pitch: Vec<Pitch>,
    pub rms: Vec<f64>,
    /// 60 ms frames: F0 semitones (0 unvoiced, after the RMS gate), jitter, shimmer, HNR,
    /// H1-H2, H1-A3, F1 (frequency, bandwidth, amplitude), F2 (...), F3 (...).
    pub voice: Vec<[f64; N_VOICE]>,
    /// The F0 in Hz after the gate.
    pub f0: Vec<f64>,
}

impl Analysis {
    pub fn n_short(&self) -> usize {
        self.short.len()
    }

    pub fn n_long(&self) -> usize {
        self.voice.len()
    }

    /// Voiced 60 ms frames (F0 after the gate > 0).
    pub fn voiced(&self) -> Vec<bool> {
        self.voice.iter().map(|r| voiced(r)).collect()
    }

    /// Feeds the rows to `sink` as [`Egemaps::stream`] did.
    fn replay<K: Sink>(&self, sink: &mut K) {
        sink.begin(self.n_short(), self.n_long());
        for t in 0..self.n_long() {
            sink.frame(Frame {
                short: self.short[t],
                energy: self.energy[t],
                candidates: self.candidates[t].clone(),
                pitch: self.pitch[t],
                rms: self.rms[t],
                f0: self.f0[t],
                voice: self.voice[t],
            });
        }
        for t in self.n_long()..self.n_short() {
            sink.short_only(self.short[t], self.energy[t]);
        }
    }
}

/// Whether a 60 ms row is voiced (F0 after the gate > 0).
fn voiced(row: &[f64; N_VOICE]) -> bool {
    row[V_F0] > 1e-6
}

impl Sink for Analysis {
    fn begin(&mut self, n20: usize, n60: usize) {
        self.short.reserve_exact(n20);
        self.energy.reserve_exact(n20);
        self.candidates.reserve_exact(n60);
        self.pitch.reserve_exact(n60);
        self.rms.reserve_exact(n60);
        self.voice.reserve_exact(n60);
        self.f0.reserve_exact(n60);
    }

    fn frame(&mut self, f: Frame) {
        self.short.push(f.short);
        self.energy.push(f.energy);
        self.candidates.push(f.candidates);
        self.pitch.push(f.pitch);
        self.rms.push(f.rms);
        self.voice.push(f.voice);
        self.f0.push(f.f0);
    }

    fn short_only(&mut self, short: [f64; N_SHORT], energy: f64) {
        self.short.push(short);
        self.energy.push(energy);
    }
}

/// One pitch-rate frame `t` of the chain: the 20 ms row `t` and the 60 ms frame `t`.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Loudness, alpha ratio, Hammarberg, slopes, flux, MFCC 1-4 (unsmoothed).
    pub short: [f64; N_SHORT],
    /// Mean square of the raw 20 ms frame.
    pub energy: f64,
    pub candidates: Candidates,
    pub pitch: Pitch,
    /// RMS of the windowed 60 ms frame.
    pub rms: f64,
    /// F0 (Hz) after the RMS gate.
    pub f0: f64,
    /// The 60 ms row of [`Analysis::voice`].
    pub voice: [f64; N_VOICE],
}

/// What consumes the frames of [`Egemaps::stream`], in order: `begin`, the pitch-rate
/// frames, then the 20 ms rows past the last 60 ms frame (four, or every 20 ms row of a
/// clip too short for a 60 ms frame).
pub trait Sink {
    /// The frame counts, before any frame.
    fn begin(&mut self, _n20: usize, _n60: usize) {}
    fn frame(&mut self, f: Frame);
    fn short_only(&mut self, short: [f64; N_SHORT], energy: f64);
}

/// Spectra of the last [`RING`] frames: a frame decided soon after its analysis (on
/// speech: within 8 frames) needs no second transform for its formants and harmonics.
struct Ring {
    /// The frame each slot holds (`usize::MAX`: none).
    t: Vec<usize>,
    long: Vec<Vec<f64>>,
    /// The 20 ms complex spectra (kept only when formants wait for the pitch).
    short: Vec<Vec<rustfft::num_complex::Complex<f64>>>,
}

const RING: usize = 16;

/// Frames whose SHS runs as one group ([`Egemaps::shs_group`]).
const SHS_GROUP: usize = 4;

impl Ring {
    fn new(keep_short: bool) -> Self {
        Ring {
            t: vec![usize::MAX; RING],
            long: vec![vec![0.0; framing::LONG_BINS]; RING],
            short: if keep_short {
                vec![vec![rustfft::num_complex::Complex::new(0.0, 0.0); SHORT_FFT / 2 + 1]; RING]
            } else {
                Vec::new()
            },
        }
    }

    /// Keeps frame `t`'s spectra by swapping buffers with the caller (no copy): `long`
    /// and `short` come back holding an older frame's, to be overwritten.
    fn put(
        &mut self,
        t: usize,
        long: &mut Vec<f64>,
        short: &mut Vec<rustfft::num_complex::Complex<f64>>,
    ) {
        let i = t % RING;
        self.t[i] = t;
        std::mem::swap(&mut self.long[i], long);
        if let Some(s) = self.short.get_mut(i) {
            std::mem::swap(s, short);
        }
    }

    /// The magnitudes in the slot of frame `t` (whichever frame it holds).
    fn slot(&self, t: usize) -> &[f64] {
        &self.long[t % RING]
    }

    fn long(&self, t: usize) -> Option<&[f64]> {
        (self.t[t % RING] == t).then(|| &self.long[t % RING][..])
    }

    fn short(&self, t: usize) -> Option<&[rustfft::num_complex::Complex<f64>]> {
        let i = t % RING;
        (self.t[i] == t).then(|| self.short.get(i).map(|s| &s[..]))?
    }
}

/// What a 60 ms frame carries through the pitch decoder until its pitch is decided.
struct Held {
    t: usize,
    short: [f64; N_SHORT],
    energy: f64,
    rms: f64,
    /// Computed in the 20 ms pass when every frame's formants are wanted.
    formants: [(f64, f64); 3],
}

/// The stages after the pitch, run as frames are decided: the gate, formants of voiced
/// frames, jitter and shimmer, harmonics.
struct Voice {
    all_formants: bool,
    sb: framing::FftBuffers,
    lb: framing::FftBuffers,
    fb: formants::FormantBuffers,
    jitter: jitter::Jitter,
    power: Vec<rustfft::num_complex::Complex<f64>>,
    acf: Vec<f64>,
    acf_scratch: Vec<rustfft::num_complex::Complex<f64>>,
}

impl Voice {
    fn new(eg: &Egemaps, all_formants: bool) -> Self {
        Voice {
            all_formants,
            sb: eg.short.buffers(),
            lb: eg.long.buffers(),
            fb: eg.formants.buffers(),
            jitter: jitter::Jitter::default(),
            power: eg.acf.make_input_vec(),
            acf: eg.acf.make_output_vec(),
            acf_scratch: eg.acf.make_scratch_vec(),
        }
    }

    fn frame<S: framing::Sample, K: Sink>(
        &mut self,
        eg: &Egemaps,
        x: &[S],
        ring: &Ring,
        d: viterbi::Decided<Held>,
        sink: &mut K,
    ) {
        let held = d.payload;
        let t = held.t;
        let f0 = if held.rms < RMS_GATE { 0.0 } else { d.pitch.f0 };
        let fm = if self.all_formants {
            held.formants
        } else if f0 > 0.0 {
            // the spectrum of the 20 ms pass, or the same transform again (deterministic)
            let spectrum = match ring.short(t) {
                Some(s) => s,
                None => {
                    eg.short.process(x, t * HOP, &mut self.sb);
                    &self.sb.spectrum[..]
                }
            };
            eg.formants.frame(spectrum, &mut self.fb)
        } else {
            [(0.0, 0.0); 3]
        };
        let (jit, shim) = self.jitter.frame(x, t, f0);
        let h = if f0 > 0.0 {
            // the magnitudes of the pitch pass, or the same transform again
            let mag = match ring.long(t) {
                Some(m) => m,
                None => {
                    eg.long.process(x, t * HOP, &mut self.lb);
                    &self.lb.magnitude[..]
                }
            };
            for (p, m) in self.power.iter_mut().zip(mag) {
                *p = rustfft::num_complex::Complex::new(m * m, 0.0);
            }
            // sizes come from this plan: the transform cannot fail
            let _ =
                eg.acf
                    .process_with_scratch(&mut self.power, &mut self.acf, &mut self.acf_scratch);
            harmonics::describe(mag, &self.acf, f0, [fm[0].0, fm[1].0, fm[2].0])
        } else {
            Harmonics::UNVOICED
        };
        let semitone = if f0 > 0.0 {
            12.0 * (f0 / 27.5).log2()
        } else {
            0.0
        };
        sink.frame(Frame {
            short: held.short,
            energy: held.energy,
            candidates: d.candidates,
            pitch: d.pitch,
            rms: held.rms,
            f0,
            voice: [
                semitone,
                jit,
                shim,
                h.hnr,
                h.h1_h2,
                h.h1_a3,
                fm[0].0,
                fm[0].1,
                h.amplitudes[0],
                fm[1].0,
                fm[1].1,
                h.amplitudes[1],
                fm[2].0,
                fm[2].1,
                h.amplitudes[2],
            ],
        });
    }
}

/// A planned extractor (windows, FFT plans, filterbank, spline), reusable across clips and
/// threads.
pub struct Egemaps {
    short: PaddedFft,
    long: PaddedFft,
    /// Inverse FFT of the 1024-point power spectrum: the HNR's circular autocorrelation.
    acf: std::sync::Arc<dyn realfft::ComplexToReal<f64>>,
    auditory: loudness::Auditory,
    shs: shs::Shs,
    formants: formants::Formants,
}

impl Default for Egemaps {
    fn default() -> Self {
        Self::new()
    }
}

/// The extractor shared by every call in this process (its plans are immutable).
pub fn shared() -> &'static Egemaps {
    static SHARED: std::sync::OnceLock<Egemaps> = std::sync::OnceLock::new();
    SHARED.get_or_init(Egemaps::new)
}

/// One clip's features: a row-major buffer and its `(rows, columns)`.
pub type Features = (Vec<f64>, (usize, usize));

impl Egemaps {
    pub fn new() -> Self {
        Egemaps {
            short: PaddedFft::new(crate::num::window::hamming(SHORT), SHORT_FFT),
            long: PaddedFft::new(crate::num::window::opensmile_gaussian(LONG, 0.4), LONG_FFT),
            acf: realfft::RealFftPlanner::<f64>::new().plan_fft_inverse(LONG_FFT),
            auditory: loudness::Auditory::new(),
            shs: shs::Shs::new(),
            formants: formants::Formants::new(),
        }
    }

    /// Every stage of a clip at `sr` Hz (resampled to 16 kHz when `sr` differs; rates below
    /// 16 kHz are an error).
    pub fn analyse<T: Real>(&self, signal: &[T], sr: f64) -> Result<Analysis> {
        self.analyse_with(signal, sr, true)
    }

    /// [`Egemaps::analyse`]; with `all_formants = false` the formants of unvoiced frames
    /// are left at 0 (the functionals only read voiced frames' formants: half the LPC
    /// work on speech).
    pub fn analyse_with<T: Real>(
        &self,
        signal: &[T],
        sr: f64,
        all_formants: bool,
    ) -> Result<Analysis> {
        let mut a = Analysis::default();
        self.stream_at(signal, sr, all_formants, &mut a)?;
        Ok(a)
    }

    /// Every stage of a quantised 16 kHz signal (formants of unvoiced frames only with
    /// `all_formants`), every row kept.
    pub fn analyse_16k<S: framing::Sample>(&self, x: &[S], all_formants: bool) -> Result<Analysis> {
        let mut a = Analysis::default();
        self.stream(x, all_formants, &mut a)?;
        Ok(a)
    }

    /// [`Egemaps::stream`] of a clip at `sr` Hz: 16 kHz input longer than 65 s is read in
    /// place through [`framing::quantised`] (no copy of the clip), shorter input through
    /// its int16 codes (the same values, faster to read); other rates are resampled to a
    /// float32 copy at 16 kHz first.
    pub fn stream_at<T: Real, K: Sink>(
        &self,
        signal: &[T],
        sr: f64,
        all_formants: bool,
        sink: &mut K,
    ) -> Result<usize> {
        crate::audio::check_finite(signal, "y")?;
        check_rate(sr)?;
        if sr == SAMPLE_RATE as f64 {
            if signal.len() <= COPY_LIMIT {
                // a short clip: its int16 codes (at most 2 MB) are cheaper to read than
                // coding every sample again each time a frame reads it; the same values
                return self.stream(&framing::quantise(signal), all_formants, sink);
            }
            return self.stream(framing::quantised(signal), all_formants, sink);
        }
        let y = resampled_16k(signal, sr)?;
        self.stream(framing::quantised(&y), all_formants, sink)
    }

    /// Runs the chain over a 16 kHz signal and hands each frame to `sink` as soon as its
    /// pitch is decided ([`viterbi::Decoder`]); returns the most 60 ms frames that were
    /// held undecided at once. Cancellable ([`crate::cancel`]) every 256 frames.
    ///
    /// Memory: besides what `sink` keeps, the spectra of the last 16 frames and the
    /// frames the pitch decoder has not decided yet (at most 8 on the bundled speech; a
    /// voiced frame decided later than 16 frames after its analysis has its spectra
    /// computed again).
    pub fn stream<S: framing::Sample, K: Sink>(
        &self,
        x: &[S],
        all_formants: bool,
        sink: &mut K,
    ) -> Result<usize> {
        let n20 = framing::n_short(x.len());
        let n60 = framing::n_long(x.len());
        sink.begin(n20, n60);
        let mut sb = self.short.buffers();
        let mut lb = self.long.buffers();
        let mut fb = self.formants.buffers();
        let mut hbs: [shs::ShsBuffers; SHS_GROUP] = Default::default();
        let mut waiting: Vec<Held> = Vec::with_capacity(SHS_GROUP);
        let mut found: Vec<shs::Candidates> = Vec::with_capacity(SHS_GROUP);
        let mut prev = vec![0.0; framing::SHORT_BINS];
        let mut power = vec![0.0; framing::SHORT_BINS];
        let mut raw = vec![0.0f64; SHORT];
        let mut decoder = viterbi::Decoder::new();
        let mut voice = Voice::new(self, all_formants);
        let mut ring = Ring::new(!all_formants);
        let mut tail = Vec::new();
        for t in 0..n20 {
            crate::cancel::check_every(t, 256)?;
            let start = t * HOP;
            for (r, v) in raw.iter_mut().zip(&x[start..start + SHORT]) {
                *r = v.value();
            }
            let energy = crate::num::fastmath::dot(&raw, &raw) / SHORT as f64;
            self.short.process(x, start, &mut sb);
            for (p, m) in power.iter_mut().zip(&sb.magnitude) {
                *p = m * m;
            }
            let (loud, mfcc) = self.auditory.frame(&power);
            let (s0, s1) = spectral::slopes(&power);
            let flux = if t == 0 {
                0.0
            } else {
                spectral::flux(&sb.magnitude, &prev)
            };
            prev.copy_from_slice(&sb.magnitude);
            let short = [
                loud,
                spectral::alpha_ratio(&power),
                spectral::hammarberg_index(&power),
                s0,
                s1,
                flux,
                mfcc[0],
                mfcc[1],
                mfcc[2],
                mfcc[3],
            ];
            if t >= n60 {
                tail.push((short, energy));
                continue;
            }
            let formants = if all_formants {
                self.formants.frame(&sb.spectrum, &mut fb)
            } else {
                [(0.0, 0.0); 3]
            };
            let e = self.long.process_with_energy(x, start, &mut lb) / LONG as f64;
            // frame t's magnitudes are read from its ring slot from here on
            ring.put(t, &mut lb.magnitude, &mut sb.spectrum);
            let held = Held {
                t,
                short,
                energy,
                rms: e.sqrt(),
                formants,
            };
            // SHS four frames at a time (Shs::frame_group: the same candidates, the
            // octave spectra's serial recurrences overlapped): frames wait for the group
            // (their magnitudes stay in the ring, which holds the last 16 frames)
            waiting.push(held);
            if waiting.len() == SHS_GROUP || t + 1 == n60 {
                self.shs_group(&ring, &waiting, &mut hbs, &mut found);
                for (c, h) in found.drain(..).zip(waiting.drain(..)) {
                    decoder.push(c, h, |d| voice.frame(self, x, &ring, d, sink));
                }
            }
        }
        let held = decoder.max_pending();
        decoder.finish(|d| voice.frame(self, x, &ring, d, sink));
        for (short, energy) in tail {
            sink.short_only(short, energy);
        }
        Ok(held)
    }

    /// SHS candidates of the waiting frames (at most [`SHS_GROUP`], their magnitudes in
    /// the ring) into `out`, in order: four through [`shs::Shs::frame_group`], the last
    /// one to three of a clip as a smaller group. Every way gives the same bits.
    fn shs_group(
        &self,
        ring: &Ring,
        waiting: &[Held],
        b: &mut [shs::ShsBuffers; SHS_GROUP],
        out: &mut Vec<shs::Candidates>,
    ) {
        let [b0, b1, b2, b3] = b.each_mut();
        let m = |i: usize| ring.slot(waiting[i].t);
        match waiting.len() {
            4 => out.extend(
                self.shs
                    .frame_group([m(0), m(1), m(2), m(3)], [b0, b1, b2, b3]),
            ),
            3 => out.extend(self.shs.frame_group([m(0), m(1), m(2)], [b0, b1, b2])),
            2 => out.extend(self.shs.frame_group([m(0), m(1)], [b0, b1])),
            1 => out.push(self.shs.frame(m(0), b0)),
            _ => {}
        }
    }

    /// The smoothed LLDs of an analysis, `(rows, columns)` row-major.
    pub fn lld(&self, a: &Analysis, version: Version, unvoiced: Unvoiced) -> Features {
        let mut w = lld::Writer::new(version, unvoiced);
        a.replay(&mut w);
        w.finish()
    }

    /// The functionals of an analysis, in [`functional_names`] order.
    pub fn functionals(&self, a: &Analysis, version: Version) -> Vec<f64> {
        let mut acc = fx::Accumulator::new(version);
        a.replay(&mut acc);
        acc.finish()
    }

    /// Features of one clip at `level`, streamed: the functionals keep two contours of
    /// one float64 per frame (loudness and the voiced F0, for the percentiles and peaks),
    /// the LLDs only their output rows.
    pub fn features<T: Real>(
        &self,
        signal: &[T],
        sr: f64,
        level: Level,
        version: Version,
        unvoiced: Unvoiced,
    ) -> Result<Features> {
        Ok(match level {
            Level::Lld => {
                let mut w = lld::Writer::new(version, unvoiced);
                self.stream_at(signal, sr, true, &mut w)?;
                w.finish()
            }
            Level::Functionals => {
                let mut acc = fx::Accumulator::new(version);
                self.stream_at(signal, sr, false, &mut acc)?;
                let f = acc.finish();
                let k = f.len();
                (f, (1, k))
            }
        })
    }

    /// [`Egemaps::features`] of many clips on the `n_jobs` pool, in input order; an error
    /// names its clip.
    pub fn features_batch<T: Real>(
        &self,
        signals: &[&[T]],
        sr: f64,
        level: Level,
        version: Version,
        unvoiced: Unvoiced,
        n_jobs: Option<i64>,
    ) -> Result<Vec<Features>> {
        crate::parallel::map_clips(signals, n_jobs, |s| {
            self.features(s, sr, level, version, unvoiced)
        })
    }

    /// The loudness contour of a clip (`Loudness_sma3` over every 20 ms frame, or
    /// unsmoothed) and the start time (s) of each frame.
    pub fn loudness<T: Real>(
        &self,
        signal: &[T],
        sr: f64,
        smooth: bool,
    ) -> Result<(Vec<f64>, Vec<f64>)> {
        let mut raw = Loudness::default();
        self.stream_at(signal, sr, false, &mut raw)?;
        let raw = raw.0;
        let l = if smooth {
            let mut s = smoothing::sma3(&raw, false);
            s.truncate(raw.len());
            s
        } else {
            raw
        };
        let times = (0..l.len()).map(|t| t as f64 / 100.0).collect();
        Ok((l, times))
    }
}

/// The unsmoothed loudness of every 20 ms frame.
#[derive(Default)]
struct Loudness(Vec<f64>);

impl Sink for Loudness {
    fn begin(&mut self, n20: usize, _n60: usize) {
        self.0.reserve_exact(n20);
    }

    fn frame(&mut self, f: Frame) {
        self.0.push(f.short[0]);
    }

    fn short_only(&mut self, short: [f64; N_SHORT], _energy: f64) {
        self.0.push(short[0]);
    }
}

/// Rates eGeMAPS can analyse: at least 16 kHz.
fn check_rate(sr: f64) -> Result<()> {
    if !(sr.is_finite() && sr >= SAMPLE_RATE as f64) {
        return Err(Error::param(
            "sr",
            format!(
                "eGeMAPS needs a sample rate of at least 16000 Hz (its spectral descriptors \
                 use the band up to 8 kHz), got {sr}"
            ),
        ));
    }
    Ok(())
}

/// The signal resampled to 16 kHz (float32, as every affectkit resampling).
fn resampled_16k<T: Real>(signal: &[T], sr: f64) -> Result<Vec<f32>> {
    if sr.fract() != 0.0 || sr > u32::MAX as f64 {
        return Err(Error::param(
            "sr",
            format!("must be a whole number of Hz to be resampled to 16000, got {sr}"),
        ));
    }
    let resample = |x: &[f32]| crate::audio::io::resample::resample(x, sr as u32, SAMPLE_RATE);
    match as_f32(signal) {
        Some(x) => resample(x),
        None => resample(&signal.iter().map(|v| v.f64() as f32).collect::<Vec<f32>>()),
    }
}

/// `x` itself when `T` is `f32`.
fn as_f32<T: Real>(x: &[T]) -> Option<&[f32]> {
    if std::any::TypeId::of::<T>() == std::any::TypeId::of::<f32>() {
        // SAFETY: T is f32 (checked above), so the slice reinterpretation is the identity.
        Some(unsafe { std::slice::from_raw_parts(x.as_ptr() as *const f32, x.len()) })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vowel(f0: f64, secs: f64, amp: f64) -> Vec<f64> {
        let n = (secs * 16000.0) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / 16000.0;
                amp * (1..15)
                    .map(|h| (2.0 * std::f64::consts::PI * f0 * h as f64 * t).sin() / h as f64)
                    .sum::<f64>()
            })
            .collect()
    }

    #[test]
    fn names_and_shapes() {
        let v02 = functional_names(Version::EgemapsV02);
        assert_eq!(v02.len(), 88);
        assert_eq!(v02[0], "F0semitoneFrom27.5Hz_sma3nz_amean");
        assert_eq!(v02[87], "equivalentSoundLevel_dBp");
        let v01b = functional_names(Version::GemapsV01b);
        assert_eq!(v01b.len(), 62);
        assert_eq!(v01b[37], "F2frequency_sma3nz_stddevNorm");
        assert_eq!(v01b[38], "F2amplitudeLogRelF0_sma3nz_amean");
        assert_eq!(v01b[61], "StddevUnvoicedSegmentLength");
        let eg = Egemaps::new();
        let a = eg.analyse(&vec![0.0f32; 16000], 16000.0).unwrap();
        let (_, shape) = eg.lld(&a, Version::EgemapsV02, Unvoiced::Nan);
        assert_eq!(shape, (96, 25));
        let (_, shape) = eg.lld(&a, Version::GemapsV01b, Unvoiced::Nan);
        assert_eq!(shape, (96, 18));
        assert_eq!(eg.functionals(&a, Version::EgemapsV02).len(), 88);
        assert_eq!(eg.functionals(&a, Version::GemapsV01b).len(), 62);
    }

    #[test]
    fn f0_of_a_harmonic_tone() {
        let eg = Egemaps::new();
        for f0 in [110.0, 220.0] {
            let a = eg.analyse(&vowel(f0, 1.0, 0.1), 16000.0).unwrap();
            let st = 12.0 * (f0 / 27.5f64).log2();
            let f = eg.functionals(&a, Version::EgemapsV02);
            assert!((f[0] - st).abs() < 0.2, "{} vs {st}", f[0]);
            assert!(a.voiced().iter().filter(|&&v| v).count() > 80);
        }
    }

    #[test]
    fn silence_and_rates() {
        let eg = Egemaps::new();
        let a = eg.analyse(&vec![0.0f64; 16000], 16000.0).unwrap();
        let f = eg.functionals(&a, Version::EgemapsV02);
        assert!(f[0].is_nan());
        assert_eq!(f[82], 0.0); // VoicedSegmentsPerSec
        assert!(eg.analyse(&vec![0.0f32; 8000], 8000.0).is_err());
        let short = eg.analyse(&vec![0.1f32; 500], 16000.0).unwrap();
        assert!(eg
            .functionals(&short, Version::EgemapsV02)
            .iter()
            .all(|v| v.is_nan()));
    }
}

#[cfg(test)]
mod stage_tests;
