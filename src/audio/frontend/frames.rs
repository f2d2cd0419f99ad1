//! Cutting a signal into overlapping frames, with each reference tool's edge rule.

use crate::error::{Error, Result};
use crate::num::real::Real;

/// How the signal is extended at its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PadMode {
    /// Zeros (`numpy.pad(mode="constant")`, librosa >= 0.10 default).
    Constant,
    /// Mirror without repeating the edge sample (`numpy.pad(mode="reflect")`).
    Reflect,
    /// Mirror repeating the edge sample (`numpy.pad(mode="symmetric")`, Kaldi).
    Symmetric,
    /// Repeat the edge sample (`numpy.pad(mode="edge")`).
    Edge,
}

impl std::str::FromStr for PadMode {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        Ok(match name {
            "constant" => PadMode::Constant,
            "reflect" => PadMode::Reflect,
            "symmetric" => PadMode::Symmetric,
            "edge" => PadMode::Edge,
            other => {
                return Err(Error::param(
                    "pad_mode",
                    format!(
                        "unknown pad mode {other:?}; expected constant, reflect, symmetric or edge"
                    ),
                ))
            }
        })
    }
}

/// Where frames start and what happens at the ends of the signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edges {
    /// Frame `t` is centred on sample `t * hop` (librosa `center=True`): the signal is
    /// padded by `frame_length / 2` on both sides.
    Center(PadMode),
    /// Frame `t` starts at sample `t * hop`; only frames that fit completely are kept
    /// (librosa `center=False`, Kaldi `snip_edges=True`). Fewer samples than one frame
    /// give zero frames.
    Snip,
    /// Kaldi `snip_edges=False`: `(n + hop/2) / hop` frames, frame `t` starts at
    /// `t * hop + hop/2 - frame_length/2`, symmetric reflection at both ends.
    KaldiReflect,
    /// python_speech_features: frames start at `t * hop`, the tail is zero-padded to a
    /// whole frame; at least one frame, even for an empty signal.
    PadTail,
}

/// A framing plan: frame length, hop and edge rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Framing {
    pub frame_length: usize,
    pub hop_length: usize,
    pub edges: Edges,
}

impl Framing {
    pub fn new(frame_length: usize, hop_length: usize, edges: Edges) -> Result<Self> {
        if frame_length == 0 {
            return Err(Error::param("frame_length", "must be at least one sample"));
        }
        if hop_length == 0 {
            return Err(Error::param("hop_length", "must be at least one sample"));
        }
        Ok(Framing {
            frame_length,
            hop_length,
            edges,
        })
    }

    /// Number of frames for a signal of `n` samples.
    pub fn n_frames(&self, n: usize) -> usize {
        let (len, hop) = (self.frame_length, self.hop_length);
        match self.edges {
            Edges::Center(_) => {
                let padded = n.saturating_add(2 * (len / 2));
                if padded < len {
                    0
                } else {
                    1 + (padded - len) / hop
                }
            }
            Edges::Snip => {
                if n < len {
                    0
                } else {
                    1 + (n - len) / hop
                }
            }
            Edges::KaldiReflect => n.saturating_add(hop / 2) / hop,
            Edges::PadTail => {
                if n <= len {
                    1
                } else {
                    1 + (n - len).div_ceil(hop)
                }
            }
        }
    }

    /// Index of the first sample of frame `t` (negative when it starts in the padding).
    #[inline]
    pub fn frame_start(&self, t: usize) -> isize {
        let base = (t * self.hop_length) as isize;
        match self.edges {
            Edges::Center(_) => base - (self.frame_length / 2) as isize,
            Edges::KaldiReflect => {
                base + (self.hop_length / 2) as isize - (self.frame_length / 2) as isize
            }
            Edges::Snip | Edges::PadTail => base,
        }
    }

    /// Copies frame `t` of `signal` into `out` (length `frame_length`), extending the
    /// signal at its ends by the edge rule.
    #[inline(always)]
    pub fn fill<T: Copy + Default>(&self, signal: &[T], t: usize, out: &mut [T]) {
        debug_assert_eq!(out.len(), self.frame_length);
        let n = signal.len() as isize;
        let start = self.frame_start(t);
        // Fast path: the frame lies inside the signal.
        if start >= 0 && start + self.frame_length as isize <= n {
            let s = start as usize;
            out.copy_from_slice(&signal[s..s + self.frame_length]);
            return;
        }
        let mode = match self.edges {
            Edges::Center(m) => m,
            Edges::KaldiReflect => PadMode::Symmetric,
            Edges::Snip | Edges::PadTail => PadMode::Constant,
        };
        for (j, o) in out.iter_mut().enumerate() {
            *o = match source_index(start + j as isize, n, mode) {
                Some(i) => signal[i],
                None => T::default(),
            };
        }
    }
}

/// Running sums `s[i] = x[0] + ... + x[i - 1]` (in f64, accumulated left to right), so
/// that the sum of any span `x[a..b]` is `s[b] - s[a]`: the local means of Praat's pitch
/// and harmonicity frames in O(1) each. The sums are computed as far as asked and
/// forgotten behind the lowest start asked for, so a pass whose spans move forward keeps
/// about a span's worth, not 8 bytes per sample of the clip (the same values as summing
/// the whole clip first, bit for bit).
pub(crate) struct RunningSums<'a, T> {
    x: &'a [T],
    /// `sums[k] = s[base + k]`.
    base: usize,
    sums: Vec<f64>,
    acc: f64,
}

impl<'a, T: Real> RunningSums<'a, T> {
    pub(crate) fn new(x: &'a [T]) -> Self {
        RunningSums {
            x,
            base: 0,
            sums: vec![0.0],
            acc: 0.0,
        }
    }

    /// `s[b] - s[a]`, the sum of `x[a..b]` (`a <= b <= x.len()`). Starts are expected
    /// not to decrease from call to call; one that does restarts the sums (same values).
    pub(crate) fn span(&mut self, a: usize, b: usize) -> f64 {
        let b = b.min(self.x.len());
        let a = a.min(b);
        if a < self.base {
            *self = RunningSums::new(self.x);
        }
        let behind = a - self.base;
        if behind >= 4096 && 2 * behind >= self.sums.len() {
            self.sums.drain(..behind);
            self.base = a;
        }
        while self.base + self.sums.len() <= b {
            self.acc += self.x[self.base + self.sums.len() - 1].f64();
            self.sums.push(self.acc);
        }
        self.sums[b - self.base] - self.sums[a - self.base]
    }
}

/// Maps a possibly out-of-range index onto the signal by `mode`; `None` means zero.
fn source_index(i: isize, n: isize, mode: PadMode) -> Option<usize> {
    if (0..n).contains(&i) {
        return Some(i as usize);
    }
    if n == 0 {
        return None;
    }
    match mode {
        PadMode::Constant => None,
        PadMode::Edge => Some(i.clamp(0, n - 1) as usize),
        PadMode::Reflect => {
            if n == 1 {
                return Some(0);
            }
            let period = 2 * (n - 1);
            let mut k = i.rem_euclid(period);
            if k >= n {
                k = period - k;
            }
            Some(k as usize)
        }
        PadMode::Symmetric => {
            let period = 2 * n;
            let mut k = i.rem_euclid(period);
            if k >= n {
                k = period - 1 - k;
            }
            Some(k as usize)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(f: &Framing, x: &[f64]) -> Vec<Vec<f64>> {
        (0..f.n_frames(x.len()))
            .map(|t| {
                let mut o = vec![0.0; f.frame_length];
                f.fill(x, t, &mut o);
                o
            })
            .collect()
    }

    #[test]
    fn center_constant_matches_librosa_counts() {
        let f = Framing::new(2048, 512, Edges::Center(PadMode::Constant)).unwrap();
        // librosa: 1 + len(y) // hop for center=True
        for n in [0usize, 1, 511, 512, 22050] {
            assert_eq!(f.n_frames(n), 1 + n / 512, "n={n}");
        }
    }

    #[test]
    fn reflect_and_symmetric_padding() {
        let x: Vec<f64> = (0..5).map(|v| v as f64).collect();
        let f = Framing::new(4, 2, Edges::Center(PadMode::Reflect)).unwrap();
        assert_eq!(frames(&f, &x)[0], vec![2.0, 1.0, 0.0, 1.0]);
        let k = Framing::new(4, 2, Edges::KaldiReflect).unwrap();
        // start = 0 + 1 - 2 = -1 -> symmetric: x[0]
        assert_eq!(frames(&k, &x)[0], vec![0.0, 0.0, 1.0, 2.0]);
        assert_eq!(k.n_frames(5), 3);
    }

    #[test]
    fn snip_and_pad_tail() {
        let s = Framing::new(400, 160, Edges::Snip).unwrap();
        assert_eq!(s.n_frames(399), 0);
        assert_eq!(s.n_frames(400), 1);
        assert_eq!(s.n_frames(16000), 98);
        let p = Framing::new(400, 160, Edges::PadTail).unwrap();
        assert_eq!(p.n_frames(0), 1);
        assert_eq!(p.n_frames(401), 2);
        let x = vec![1.0; 401];
        let fr = frames(&p, &x);
        assert_eq!(fr[1][240], 1.0);
        assert_eq!(fr[1][241], 0.0);
    }
}
