//! Ceilings on what an input may make affectkit allocate, and the checked size arithmetic
//! that enforces them.
//!
//! Every buffer whose size comes from an argument (`n_fft`, `window_length`, ...) or from a
//! file (a header's frame count or sample rate) is sized through this module before it is
//! allocated: the element count is computed with overflow checks, its bytes are compared
//! with the ceiling, and the allocation itself uses `try_reserve`, so an absurd request is
//! a [`crate::Error`] naming the argument or header field instead of an abort
//! ("memory allocation of 34359738352 bytes failed") that takes the interpreter down.
//!
//! The ceiling is per buffer, in bytes: `AFFECTKIT_MAX_ALLOC` when set (a whole number of
//! bytes, optionally with a binary suffix `K`, `M`, `G`, `T`: `"8G"`), else half the
//! physical memory capped at 16 GiB (16 GiB where the physical memory cannot be read).
//! It is a guard against corrupt headers and mistyped arguments, not a memory budget: a
//! call may hold several buffers at once.

use std::sync::OnceLock;

use crate::error::{Error, Result};

/// Environment variable that sets the per-buffer ceiling in bytes.
pub const MAX_ALLOC_ENV: &str = "AFFECTKIT_MAX_ALLOC";

/// The ceiling where the physical memory is unknown, and the most the default ever is.
pub const DEFAULT_MAX_ALLOC: u64 = 16 << 30;

/// Highest sample rate affectkit accepts in a file header or as a resampling rate (Hz).
/// Above every audio format in use (bat and ultrasound recorders stop at ~500 kHz).
pub const MAX_SAMPLE_RATE: u64 = 1_000_000;

/// Where a size came from, for the error message.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A function argument (`ParameterError` naming it).
    Arg(&'a str),
    /// A header field (or the decoded data) of an audio file (`AudioLoadError` naming the
    /// file and the field).
    Audio { path: &'a str, field: &'a str },
    /// A header field of any other file (`ReadError` naming the file and the field).
    File { path: &'a str, field: &'a str },
}

impl Source<'_> {
    /// An error about this source, phrased for its kind.
    pub fn error(&self, message: impl std::fmt::Display) -> Error {
        match *self {
            Source::Arg(name) => Error::param(name, message),
            Source::Audio { path, field } => Error::audio(path, format!("{field}: {message}")),
            Source::File { path, field } => Error::io(path, format!("{field}: {message}")),
        }
    }
}

fn physical_memory() -> Option<u64> {
    // Linux: MemTotal in kB. Elsewhere unknown (the fixed default applies).
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kb.checked_mul(1024)
}

/// The default ceiling: half the physical memory, at most [`DEFAULT_MAX_ALLOC`].
pub fn default_max_alloc() -> u64 {
    static DEFAULT: OnceLock<u64> = OnceLock::new();
    *DEFAULT.get_or_init(|| {
        physical_memory()
            .map(|m| (m / 2).clamp(1 << 30, DEFAULT_MAX_ALLOC))
            .unwrap_or(DEFAULT_MAX_ALLOC)
    })
}

/// Parses a byte count: digits with an optional binary suffix (`K`, `M`, `G`, `T`,
/// optionally followed by `B` or `iB`), e.g. `"4294967296"`, `"512M"`, `"8GiB"`.
pub fn parse_bytes(text: &str) -> Option<u64> {
    let t = text.trim();
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, suffix) = t.split_at(digits);
    let n: u64 = num.parse().ok()?;
    let shift = match suffix.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return None,
    };
    n.checked_mul(1u64 << shift)
}

/// The per-buffer ceiling in bytes now in force (`AFFECTKIT_MAX_ALLOC` or the default).
pub fn max_alloc() -> Result<u64> {
    match std::env::var(MAX_ALLOC_ENV) {
        Ok(v) if !v.trim().is_empty() => match parse_bytes(&v) {
            Some(n) if n > 0 => Ok(n),
            _ => Err(Error::param(
                MAX_ALLOC_ENV,
                format!("expected a positive number of bytes such as 8589934592 or 8G, got {v:?}"),
            )),
        },
        _ => Ok(default_max_alloc()),
    }
}

/// `bytes` for people: `34.4 GB (32.0 GiB)` style, binary units.
pub fn human(bytes: u128) -> String {
    const UNITS: [&str; 6] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut v = bytes as f64;
    let mut i = 0;
    while v >= 1024.0 && i + 1 < UNITS.len() {
        v /= 1024.0;
        i += 1;
    }
    if i == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{v:.1} {}", UNITS[i])
    }
}

fn too_big(src: Source<'_>, count: u128, elem: usize, limit: u64) -> Error {
    let bytes = count.saturating_mul(elem as u128);
    src.error(format!(
        "would need a buffer of {count} values ({}), above affectkit's limit of {} per \
         buffer (set {MAX_ALLOC_ENV}, in bytes, to change it)",
        human(bytes),
        human(limit as u128)
    ))
}

/// Checks that `count` values of `T` fit under the ceiling; returns `count`.
pub fn check<T>(count: usize, src: Source<'_>) -> Result<usize> {
    check_bytes(count as u128, std::mem::size_of::<T>(), src)?;
    Ok(count)
}

fn check_bytes(count: u128, elem: usize, src: Source<'_>) -> Result<()> {
    let limit = max_alloc()?;
    if count.saturating_mul(elem.max(1) as u128) > limit as u128 {
        return Err(too_big(src, count, elem.max(1), limit));
    }
    Ok(())
}

/// The product of `factors` as a count of `T` values, checked for overflow and against
/// the ceiling (e.g. `[n_frames, n_features]`).
pub fn product<T>(factors: &[usize], src: Source<'_>) -> Result<usize> {
    let mut n: u128 = 1;
    for &f in factors {
        n = n.saturating_mul(f as u128);
    }
    check_bytes(n, std::mem::size_of::<T>(), src)?;
    // under the ceiling, hence well inside usize
    Ok(n as usize)
}

/// A count computed in floating point (`window * fps`, `2 * window_length * sr`):
/// finite, >= 0, rounded to the nearest whole number and under the ceiling for `T`.
pub fn count_from_f64<T>(x: f64, src: Source<'_>) -> Result<usize> {
    if !x.is_finite() || x < 0.0 {
        return Err(src.error(format!("gives an unusable length of {x} values")));
    }
    let n = x.round();
    // f64 above u128::MAX cannot occur for any usable size: compare in f64 first
    let elem = std::mem::size_of::<T>().max(1) as f64;
    let limit = max_alloc()?;
    if n * elem > limit as f64 {
        return Err(too_big(
            src,
            n.min(u128::MAX as f64) as u128,
            elem as usize,
            limit,
        ));
    }
    Ok(n as usize)
}

fn reserve_failed(src: Source<'_>, count: usize, elem: usize) -> Error {
    src.error(format!(
        "cannot allocate a buffer of {count} values ({}): out of memory",
        human(count as u128 * elem as u128)
    ))
}

/// An empty vector with room for `count` values, checked against the ceiling and
/// allocated with `try_reserve_exact` (no abort when memory is short).
pub fn with_capacity<T>(count: usize, src: Source<'_>) -> Result<Vec<T>> {
    check::<T>(count, src)?;
    let mut v = Vec::new();
    v.try_reserve_exact(count)
        .map_err(|_| reserve_failed(src, count, std::mem::size_of::<T>()))?;
    Ok(v)
}

/// `vec![value; count]`, checked against the ceiling and allocated without aborting.
pub fn filled<T: Clone>(count: usize, value: T, src: Source<'_>) -> Result<Vec<T>> {
    let mut v = with_capacity(count, src)?;
    v.resize(count, value);
    Ok(v)
}

/// Makes room for `additional` more values in `v` when its size grows with the data
/// (decoding): the new total is checked against the ceiling and reserved with
/// `try_reserve` (amortised growth).
pub fn reserve<T>(v: &mut Vec<T>, additional: usize, src: Source<'_>) -> Result<()> {
    let total = v.len().saturating_add(additional);
    if total > v.capacity() {
        check::<T>(total, src)?;
        v.try_reserve(additional)
            .map_err(|_| reserve_failed(src, total, std::mem::size_of::<T>()))?;
    }
    Ok(())
}

/// A sample rate (Hz) from a header or an argument: a whole number in
/// `1..=MAX_SAMPLE_RATE`.
pub fn sample_rate(rate: u64, src: Source<'_>) -> Result<u32> {
    if rate == 0 || rate > MAX_SAMPLE_RATE {
        return Err(src.error(format!(
            "{rate} Hz is outside the supported range of sample rates, 1 .. {MAX_SAMPLE_RATE} Hz"
        )));
    }
    Ok(rate as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_parse_with_binary_suffixes() {
        assert_eq!(parse_bytes("1024"), Some(1024));
        assert_eq!(parse_bytes("8G"), Some(8 << 30));
        assert_eq!(parse_bytes(" 512MiB "), Some(512 << 20));
        assert_eq!(parse_bytes("3kb"), Some(3 << 10));
        assert_eq!(parse_bytes("1.5G"), None);
        assert_eq!(parse_bytes("G"), None);
        assert_eq!(parse_bytes("99999999999999999999T"), None);
    }

    #[test]
    fn absurd_sizes_are_errors_naming_the_source() {
        let e = check::<f64>(1 << 40, Source::Arg("n_fft")).unwrap_err();
        assert!(
            matches!(&e, Error::Parameter(m) if m.starts_with("n_fft: ") && m.contains("8.0 TiB")),
            "{e}"
        );
        let e = product::<f64>(&[usize::MAX, 3], Source::Arg("window")).unwrap_err();
        assert!(matches!(e, Error::Parameter(_)));
        let e = with_capacity::<f32>(
            usize::MAX / 2,
            Source::Audio {
                path: "x.wav",
                field: "sample rate",
            },
        )
        .unwrap_err();
        assert!(
            matches!(&e, Error::Audio { path, message } if path == "x.wav" && message.contains("sample rate"))
        );
        assert!(count_from_f64::<f64>(f64::NAN, Source::Arg("w")).is_err());
        assert!(count_from_f64::<f64>(-1.0, Source::Arg("w")).is_err());
        assert!(count_from_f64::<f64>(1e30, Source::Arg("w")).is_err());
        assert_eq!(count_from_f64::<f64>(2.6, Source::Arg("w")).unwrap(), 3);
    }

    #[test]
    fn ordinary_sizes_allocate() {
        let v = filled(1000, 0.5f32, Source::Arg("n")).unwrap();
        assert_eq!(v.len(), 1000);
        let mut w: Vec<u8> = Vec::new();
        reserve(&mut w, 10, Source::Arg("n")).unwrap();
        assert!(w.capacity() >= 10);
        assert!(default_max_alloc() >= 1 << 30 && default_max_alloc() <= DEFAULT_MAX_ALLOC);
    }

    #[test]
    fn sample_rates_outside_the_range_are_refused() {
        assert_eq!(sample_rate(16000, Source::Arg("sr")).unwrap(), 16000);
        assert!(sample_rate(0, Source::Arg("sr")).is_err());
        assert!(sample_rate(0xFFFF_FFFE, Source::Arg("sr")).is_err());
    }
}
