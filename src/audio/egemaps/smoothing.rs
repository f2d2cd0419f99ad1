//! openSMILE's `cContourSmoother` with `smaWin 3` as the eGeMAPS configuration uses it.
//!
//! Measured black-box on the `opensmile` 2.6 pip package (levels `egemapsv02_lldsetE` /
//! `egemapsv02_lldsetE_smo` and `egemapsv02_lldsetF` / `..._smo`): the output has one
//! frame more than the input; it is the centred 3-frame mean of the input padded with its
//! first value once on the left and its last value twice on the right
//! (`out[0] = (2 x_0 + x_1) / 3`, `out[n-1] = (x_{n-2} + 2 x_{n-1}) / 3`, `out[n] = x_{n-1}`).
//! With `noZeroSma` (the `_sma3nz` sets) a zero input frame stays 0 and zeros are left out
//! of a non-zero frame's mean.

/// The smoothed contour (`x.len() + 1` frames; empty input gives empty output).
pub fn sma3(x: &[f64], no_zero: bool) -> Vec<f64> {
    let n = x.len();
    if n == 0 {
        return Vec::new();
    }
    let at = |i: isize| x[i.clamp(0, n as isize - 1) as usize];
    (0..=n as isize)
        .map(|t| mean3(at(t - 1), at(t), at(t + 1), no_zero))
        .collect()
}

/// One smoothed value: the mean of `prev`, `centre` and `next` (with `no_zero`: 0 for a
/// zero centre, zeros left out of the mean).
#[inline]
fn mean3(prev: f64, centre: f64, next: f64, no_zero: bool) -> f64 {
    if no_zero && centre == 0.0 {
        return 0.0;
    }
    let (mut s, mut c) = (0.0, 0.0);
    for v in [prev, centre, next] {
        if !(no_zero && v == 0.0) {
            s += v;
            c += 1.0;
        }
    }
    s / c
}

/// [`sma3`] (or [`sma3_lagged`]) of `K` contours at once, fed one frame (a row of `K`
/// values) at a time: the same values, keeping only the last three rows.
///
/// [`Sma3Stream::push`] returns smoothed row `t` once row `t + 1` (plain) or `t + 2`
/// (lagged) has arrived; [`Sma3Stream::finish`] returns the rows that only the end of the
/// contour settles (two plain, three lagged: `x.len() + 1` rows in all).
#[derive(Debug, Clone)]
pub struct Sma3Stream<const K: usize> {
    no_zero: bool,
    lagged: bool,
    /// The last four input rows, oldest first (valid: the last `min(n, 4)`).
    last: [[f64; K]; 4],
    n: usize,
}

impl<const K: usize> Sma3Stream<K> {
    pub fn new(no_zero: bool, lagged: bool) -> Self {
        Sma3Stream {
            no_zero,
            lagged,
            last: [[0.0; K]; 4],
            n: 0,
        }
    }

    /// The input row `back` rows before the newest (0 = newest), clamped to row 0.
    fn back(&self, back: usize) -> &[f64; K] {
        &self.last[3 - back.min(self.n.saturating_sub(1))]
    }

    fn smooth(&self, prev: &[f64; K], centre: &[f64; K], next: &[f64; K]) -> [f64; K] {
        std::array::from_fn(|j| mean3(prev[j], centre[j], next[j], self.no_zero))
    }

    /// Feeds the next input row; the smoothed row it settles, if any.
    pub fn push(&mut self, row: [f64; K]) -> Option<[f64; K]> {
        self.last.rotate_left(1);
        self.last[3] = row;
        self.n += 1;
        let lag = if self.lagged { 2 } else { 1 };
        if self.n <= lag {
            return None;
        }
        // row n - 1 - lag, from its neighbours
        Some(self.smooth(self.back(lag + 1), self.back(lag), self.back(lag - 1)))
    }

    /// The rows only the end settles, in order (none for an empty contour).
    pub fn finish(&self) -> Vec<[f64; K]> {
        match self.n {
            0 => Vec::new(),
            n if !self.lagged || n == 1 => vec![
                self.smooth(self.back(1), self.back(0), self.back(0)),
                self.smooth(self.back(0), self.back(0), self.back(0)),
            ],
            // lagged: rows n - 2 and n - 1 as if the contour ended at n - 2, then the raw last
            _ => vec![
                self.smooth(self.back(2), self.back(1), self.back(1)),
                self.smooth(self.back(1), self.back(1), self.back(1)),
                *self.back(0),
            ],
        }
    }
}

/// The smoothed pitch-rate descriptors as openSMILE's LLD output holds them: the last
/// input frame reaches the smoother after the end of input and passes unsmoothed, the
/// others are smoothed as if the contour ended one frame earlier (measured on the
/// `egemapsv02_lldsetF_smo` level: `out[n-2] = (x_{n-3} + 2 x_{n-2}) / 3`,
/// `out[n-1] = x_{n-2}`, `out[n] = x_{n-1}`).
pub fn sma3_lagged(x: &[f64], no_zero: bool) -> Vec<f64> {
    let n = x.len();
    if n < 2 {
        return sma3(x, no_zero);
    }
    let mut out = sma3(&x[..n - 1], no_zero);
    out.push(x[n - 1]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_and_zeros() {
        let s = sma3(&[3.0, 6.0, 9.0, 3.0], false);
        assert_eq!(s, vec![4.0, 6.0, 6.0, 5.0, 3.0]);
        let s = sma3(&[0.0, 6.0, 9.0, 0.0, 3.0], true);
        assert_eq!(s, vec![0.0, 7.5, 7.5, 0.0, 3.0, 3.0]);
        let s = sma3_lagged(&[3.0, 6.0, 9.0, 3.0], false);
        assert_eq!(s, vec![4.0, 6.0, 8.0, 9.0, 3.0]);
    }

    /// Every length from 0 to 9, plain and lagged, with and without zeros: the stream
    /// gives the whole-contour values bit for bit.
    #[test]
    fn stream_matches_whole_contour() {
        let x = [0.1, 0.0, 0.7, 0.3, 0.0, 0.0, 0.2, 1.1, 0.9];
        for n in 0..=x.len() {
            for no_zero in [false, true] {
                for lagged in [false, true] {
                    let whole = if lagged {
                        sma3_lagged(&x[..n], no_zero)
                    } else {
                        sma3(&x[..n], no_zero)
                    };
                    let mut s = Sma3Stream::<2>::new(no_zero, lagged);
                    let mut got: Vec<f64> = x[..n]
                        .iter()
                        .filter_map(|&v| s.push([v, -v]))
                        .map(|r| r[0])
                        .collect();
                    got.extend(s.finish().iter().map(|r| r[0]));
                    assert_eq!(got, whole, "n {n} no_zero {no_zero} lagged {lagged}");
                }
            }
        }
    }
}
