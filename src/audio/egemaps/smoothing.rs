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
        .map(|t| {
            let centre = at(t);
            if no_zero && centre == 0.0 {
                return 0.0;
            }
            let (mut s, mut c) = (0.0, 0.0);
            for v in [at(t - 1), centre, at(t + 1)] {
                if !(no_zero && v == 0.0) {
                    s += v;
                    c += 1.0;
                }
            }
            s / c
        })
        .collect()
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
}
