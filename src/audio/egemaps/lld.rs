//! The smoothed LLD rows of a clip, written as the frames stream in.
//!
//! openSMILE's LLD output (measured, see [`smoothing`](super::smoothing)): the 20 ms
//! descriptors smoothed by [`sma3`](super::smoothing::sma3), the pitch-rate ones by
//! [`sma3_lagged`](super::smoothing::sma3_lagged) with `noZeroSma`, `n60 + 1` rows; with
//! [`Unvoiced::Nan`] the pitch-rate columns of rows whose smoothed F0 is 0 are NaN.

use std::collections::VecDeque;

use super::sets::{N_SHORT, N_VOICE, V_F0};
use super::smoothing::Sma3Stream;
use super::{Features, Frame, Sink, Unvoiced, Version};

/// A [`Sink`] that keeps only the output rows (one row of up to 25 float64 per 10 ms:
/// the output itself) and three frames of smoothing state.
pub struct Writer {
    unvoiced: Unvoiced,
    /// Indices into the 10 + 15 internal columns of each output column.
    which: Vec<usize>,
    short: Sma3Stream<N_SHORT>,
    voice: Sma3Stream<N_VOICE>,
    /// Smoothed 20 ms rows waiting for their pitch-rate row (at most three).
    waiting: VecDeque<[f64; N_SHORT]>,
    /// Output rows still to write (`n60 + 1`, 0 for a clip without a 60 ms frame).
    rows: usize,
    out: Vec<f64>,
}

impl Writer {
    pub fn new(version: Version, unvoiced: Unvoiced) -> Self {
        Writer {
            unvoiced,
            which: version.lld_columns(),
            short: Sma3Stream::new(false, false),
            voice: Sma3Stream::new(true, true),
            waiting: VecDeque::new(),
            rows: 0,
            out: Vec::new(),
        }
    }

    fn short_row(&mut self, short: [f64; N_SHORT]) {
        if let Some(s) = self.short.push(short) {
            self.waiting.push_back(s);
        }
    }

    fn write(&mut self, voice: [f64; N_VOICE]) {
        if self.rows == 0 {
            return;
        }
        let Some(short) = self.waiting.pop_front() else {
            return;
        };
        self.rows -= 1;
        let nan = self.unvoiced == Unvoiced::Nan && voice[V_F0] == 0.0;
        for &j in &self.which {
            self.out.push(match j {
                j if j < N_SHORT => short[j],
                _ if nan => f64::NAN,
                j => voice[j - N_SHORT],
            });
        }
    }

    /// The rows, `(rows, columns)`.
    pub fn finish(mut self) -> Features {
        for s in self.short.finish() {
            self.waiting.push_back(s);
        }
        for v in self.voice.finish() {
            self.write(v);
        }
        let cols = self.which.len();
        let rows = self.out.len() / cols;
        (self.out, (rows, cols))
    }
}

impl Sink for Writer {
    fn begin(&mut self, _n20: usize, n60: usize) {
        self.rows = if n60 > 0 { n60 + 1 } else { 0 };
        self.out.reserve_exact(self.rows * self.which.len());
    }

    fn frame(&mut self, f: Frame) {
        self.short_row(f.short);
        if let Some(v) = self.voice.push(f.voice) {
            self.write(v);
        }
    }

    fn short_only(&mut self, short: [f64; N_SHORT], _energy: f64) {
        self.short_row(short);
    }
}
