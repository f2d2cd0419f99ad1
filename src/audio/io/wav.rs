//! A WAV (RIFF/WAVE and RF64) reader that validates the header against the file and reads
//! the samples as libsndfile does.
//!
//! Supported: PCM integers of 1-32 bits (8-bit and below unsigned, as the format
//! defines), IEEE float 32/64, A-law and mu-law (G.711), in `WAVE_FORMAT_PCM`,
//! `WAVE_FORMAT_IEEE_FLOAT`, `WAVE_FORMAT_ALAW`/`MULAW` or `WAVE_FORMAT_EXTENSIBLE`
//! with one of those sub-formats; any number of channels up to libsndfile's 1024.
//!
//! libsndfile's rules, which this reader follows (checked against `soundfile` by the
//! tests):
//! - a frame is `channels x ceil(bits / 8)` bytes; the header's `block_align` and
//!   `byte_rate` are not used (a wrong `block_align` does not shift the samples);
//! - integers are scaled by the container's full scale (`x / 2^(8 bytes - 1)`;
//!   unsigned 8-bit centred first);
//! - a data chunk whose size is `0xFFFFFFFF` (a stream whose writer could not go back
//!   to fill in the size) or an RF64 file's 64-bit size reads to the end of the file;
//!   a partial last frame is dropped; the RIFF size field is not used.
//!
//! Where affectkit is stricter than libsndfile: a data chunk that promises more bytes
//! than the file holds is an error ("truncated"), not silently shorter audio; a sample
//! rate outside 1 Hz .. 1 MHz is an error.
//!
//! Every size comes from the file and is bounded by the file's length before anything is
//! allocated ([`crate::limits`]).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use crate::error::{Error, Result};
use crate::limits::{self, Source};

/// Most channels a WAV may declare (libsndfile's `SF_MAX_CHANNELS`).
pub const MAX_CHANNELS: usize = 1024;

const PCM: u16 = 0x0001;
const IEEE_FLOAT: u16 = 0x0003;
const ALAW: u16 = 0x0006;
const MULAW: u16 = 0x0007;
const EXTENSIBLE: u16 = 0xFFFE;

/// How each sample is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Integer PCM in `bytes` bytes (1: unsigned, else signed little-endian).
    Int {
        bytes: usize,
    },
    /// IEEE float, 4 or 8 bytes.
    Float {
        bytes: usize,
    },
    ALaw,
    MuLaw,
}

impl Encoding {
    fn bytes(self) -> usize {
        match self {
            Encoding::Int { bytes } | Encoding::Float { bytes } => bytes,
            Encoding::ALaw | Encoding::MuLaw => 1,
        }
    }
}

/// The validated header of a WAV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub channels: usize,
    pub sample_rate: u32,
    pub encoding: Encoding,
    /// Byte offset of the first sample.
    pub data_start: u64,
    /// Whole frames in the data chunk (bounded by the file's length).
    pub n_frames: u64,
}

impl Header {
    pub fn frame_bytes(&self) -> usize {
        self.channels * self.encoding.bytes()
    }
}

/// Whether `magic` (the first 12 bytes of a file) starts a RIFF/WAVE or RF64/WAVE file.
pub fn is_wav(magic: &[u8]) -> bool {
    magic.len() >= 12
        && (&magic[0..4] == b"RIFF" || &magic[0..4] == b"RF64")
        && &magic[8..12] == b"WAVE"
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

fn u64_at(b: &[u8], i: usize) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(a)
}

/// Parses and validates the header of the WAV file `file` (of `file_len` bytes) at `path`.
pub fn read_header(file: &mut File, file_len: u64, path: &str) -> Result<Header> {
    let bad = |m: String| Error::audio(path, m);
    let field = |f: &'static str| Source::Audio { path, field: f };
    let mut head = [0u8; 12];
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.read_exact(&mut head))
        .map_err(|_| bad("not a readable WAV file (shorter than a RIFF header)".into()))?;
    if !is_wav(&head) {
        return Err(bad("not a RIFF/WAVE file".into()));
    }
    let rf64 = &head[0..4] == b"RF64";
    let mut pos: u64 = 12;
    let mut fmt: Option<Vec<u8>> = None;
    let mut ds64_data: Option<u64> = None;
    let mut data: Option<(u64, u64)> = None; // (start, declared size)
    let mut peak_size: Option<u64> = None;
    while pos + 8 <= file_len {
        let mut ch = [0u8; 8];
        file.seek(SeekFrom::Start(pos))
            .and_then(|_| file.read_exact(&mut ch))
            .map_err(|e| bad(format!("cannot read chunk header at byte {pos} ({e})")))?;
        let id = [ch[0], ch[1], ch[2], ch[3]];
        let size = u32_at(&ch, 4) as u64;
        let body = pos + 8;
        match &id {
            b"fmt " => {
                if size < 16 {
                    return Err(bad(format!(
                        "the fmt chunk has {size} bytes; at least 16 expected"
                    )));
                }
                // fmt is small; anything beyond 64 bytes is an extension we do not need
                let n = size.min(64).min(file_len.saturating_sub(body)) as usize;
                let mut b = vec![0u8; n];
                file.read_exact(&mut b)
                    .map_err(|_| bad("truncated inside the fmt chunk".into()))?;
                if b.len() < 16 {
                    return Err(bad("truncated inside the fmt chunk".into()));
                }
                fmt = Some(b);
            }
            b"ds64" if rf64 => {
                let mut b = [0u8; 24];
                file.read_exact(&mut b)
                    .map_err(|_| bad("truncated inside the ds64 chunk".into()))?;
                ds64_data = Some(u64_at(&b, 8));
            }
            b"data" => {
                data = Some((body, size));
                break;
            }
            b"PEAK" => peak_size = Some(size),
            _ => {}
        }
        // chunks are word-aligned: an odd size is followed by a pad byte
        pos = body.saturating_add(size).saturating_add(size & 1);
    }
    let fmt = fmt.ok_or_else(|| bad("has no fmt chunk before its data".into()))?;
    let (data_start, declared) = data.ok_or_else(|| bad("has no data chunk".into()))?;

    let mut tag = u16_at(&fmt, 0);
    let channels = u16_at(&fmt, 2) as usize;
    let rate = u32_at(&fmt, 4);
    let bits = u16_at(&fmt, 14) as usize;
    if tag == EXTENSIBLE {
        if fmt.len() < 40 {
            return Err(bad(
                "WAVE_FORMAT_EXTENSIBLE header shorter than 40 bytes".into()
            ));
        }
        // the sub-format GUID is {format code-0000-0010-8000-00AA00389B71}
        const GUID_TAIL: [u8; 14] = [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71];
        if fmt[26..40] != GUID_TAIL {
            return Err(bad(
                "unsupported encoding (WAVE_FORMAT_EXTENSIBLE with an unknown sub-format \
                 GUID); affectkit reads PCM, IEEE float, A-law and mu-law WAV"
                    .into(),
            ));
        }
        tag = u16_at(&fmt, 24);
    }
    if channels == 0 {
        return Err(bad("declares no channels".into()));
    }
    if let Some(size) = peak_size {
        // a PEAK chunk holds one (value, position) pair per channel: libsndfile refuses a
        // file where it disagrees with the channel count, and so does affectkit
        if size != 8 + 8 * channels as u64 {
            return Err(field("channels").error(format!(
                "{channels} channels, but the PEAK chunk describes {}",
                size.saturating_sub(8) / 8
            )));
        }
    }
    if channels > MAX_CHANNELS {
        return Err(field("channels").error(format!(
            "{channels} channels, more than the {MAX_CHANNELS} libsndfile reads"
        )));
    }
    let sample_rate = limits::sample_rate(rate as u64, field("sample rate"))?;
    let encoding = match (tag, bits) {
        (PCM, 1..=32) => Encoding::Int {
            bytes: bits.div_ceil(8),
        },
        (IEEE_FLOAT, 32) => Encoding::Float { bytes: 4 },
        (IEEE_FLOAT, 64) => Encoding::Float { bytes: 8 },
        (ALAW, 8) => Encoding::ALaw,
        (MULAW, 8) => Encoding::MuLaw,
        (PCM | IEEE_FLOAT | ALAW | MULAW, b) => {
            return Err(field("bits per sample")
                .error(format!("{b} bits is not valid for format code {tag:#06x}")))
        }
        (t, _) => {
            return Err(bad(format!(
                "unsupported encoding (WAV format code {t:#06x}); affectkit reads PCM, IEEE \
                 float, A-law and mu-law WAV"
            )))
        }
    };
    let frame = (channels * encoding.bytes()) as u64;
    let available = file_len.saturating_sub(data_start);
    let bytes = if rf64 && declared == 0xFFFF_FFFF {
        match ds64_data {
            Some(n) if n <= available => n,
            Some(n) => {
                return Err(bad(format!(
                    "truncated: the ds64 chunk promises {n} bytes of audio but the file holds {available}"
                )))
            }
            None => available,
        }
    } else if declared == 0xFFFF_FFFF {
        // a stream whose size was never filled in: to the end of the file
        available
    } else if declared > available {
        return Err(bad(format!(
            "truncated: the data chunk promises {declared} bytes ({} frames) but the file \
             holds {available}",
            declared / frame
        )));
    } else {
        declared
    };
    Ok(Header {
        channels,
        sample_rate,
        encoding,
        data_start,
        n_frames: bytes / frame,
    })
}

fn ulaw(u: u8) -> f32 {
    // G.711 mu-law to 16-bit linear, then full scale (as libsndfile)
    let u = !u;
    let mut t = (((u & 0x0F) as i32) << 3) + 0x84;
    t <<= (u & 0x70) >> 4;
    let v = if u & 0x80 != 0 { 0x84 - t } else { t - 0x84 };
    v as f32 / 32768.0
}

fn alaw(a: u8) -> f32 {
    let a = a ^ 0x55;
    let mut t = ((a & 0x0F) as i32) << 4;
    let seg = (a & 0x70) >> 4;
    match seg {
        0 => t += 8,
        1 => t += 0x108,
        _ => {
            t += 0x108;
            t <<= seg - 1;
        }
    }
    let v = if a & 0x80 != 0 { t } else { -t };
    v as f32 / 32768.0
}

/// Converts raw little-endian samples to float32 (libsndfile's scaling).
fn convert(raw: &[u8], encoding: Encoding, out: &mut Vec<f32>) {
    match encoding {
        Encoding::Int { bytes: 1 } => out.extend(raw.iter().map(|&b| (b as f32 - 128.0) / 128.0)),
        Encoding::Int { bytes: 2 } => out.extend(
            raw.chunks_exact(2)
                .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 / 32768.0),
        ),
        Encoding::Int { bytes: 3 } => out.extend(raw.chunks_exact(3).map(|c| {
            let v = i32::from_le_bytes([0, c[0], c[1], c[2]]) >> 8;
            v as f32 / 8388608.0
        })),
        Encoding::Int { .. } => {
            out.extend(raw.chunks_exact(4).map(|c| {
                (i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64 / 2147483648.0) as f32
            }))
        }
        Encoding::Float { bytes: 4 } => out.extend(
            raw.chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        ),
        Encoding::Float { .. } => out.extend(raw.chunks_exact(8).map(|c| {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            f64::from_le_bytes(a) as f32
        })),
        Encoding::ALaw => out.extend(raw.iter().map(|&b| alaw(b))),
        Encoding::MuLaw => out.extend(raw.iter().map(|&b| ulaw(b))),
    }
}

/// Reads frames `[first, last)` (clipped to the file) as interleaved float32.
pub fn read_frames(
    file: &mut File,
    header: &Header,
    first: u64,
    last: Option<u64>,
    path: &str,
) -> Result<Vec<f32>> {
    let end = last.map_or(header.n_frames, |l| l.min(header.n_frames));
    let first = first.min(end);
    let n_frames = end - first;
    let fb = header.frame_bytes();
    // n_frames * fb <= the data chunk's bytes, which the file holds
    let total = (n_frames as usize).saturating_mul(header.channels);
    let mut out: Vec<f32> = limits::with_capacity(
        total,
        Source::Audio {
            path,
            field: "data size",
        },
    )?;
    file.seek(SeekFrom::Start(header.data_start + first * fb as u64))
        .map_err(|e| Error::audio(path, format!("cannot seek to the audio data ({e})")))?;
    const BLOCK_FRAMES: usize = 1 << 14;
    let mut raw = vec![0u8; BLOCK_FRAMES * fb];
    let mut left = n_frames as usize;
    while left > 0 {
        let n = left.min(BLOCK_FRAMES);
        let buf = &mut raw[..n * fb];
        file.read_exact(buf).map_err(|e| {
            Error::audio(
                path,
                format!(
                    "truncated: cannot read frame {} of {} ({e})",
                    first as usize + (n_frames as usize - left),
                    header.n_frames
                ),
            )
        })?;
        convert(buf, header.encoding, &mut out);
        left -= n;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g711_tables_match_the_standard_end_points() {
        // mu-law 0x00 / 0x80 are the extremes (-32124 / 32124), 0xFF and 0x7F are zero
        assert_eq!(ulaw(0x00) * 32768.0, -32124.0);
        assert_eq!(ulaw(0x80) * 32768.0, 32124.0);
        assert_eq!(ulaw(0xFF), 0.0);
        assert_eq!(ulaw(0x7F), 0.0);
        // A-law 0xD5 / 0x55 are the smallest magnitudes (+-8), 0xAA / 0x2A the largest
        assert_eq!(alaw(0xD5) * 32768.0, 8.0);
        assert_eq!(alaw(0x55) * 32768.0, -8.0);
        assert_eq!(alaw(0xAA) * 32768.0, 32256.0);
        assert_eq!(alaw(0x2A) * 32768.0, -32256.0);
    }
}
