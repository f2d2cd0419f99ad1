//! Structure checks of FLAC, MP4 and Ogg/Vorbis files before symphonia reads them.
//!
//! symphonia sizes some buffers from counts in the file before it reads the entries they
//! count (an MP4 `stsc` table, a FLAC picture's MIME length, a Vorbis comment or codebook)
//! and aborts the process when such a count is corrupt and the allocation fails. These
//! checks walk the same structures first and refuse a count that the bytes around it
//! cannot hold, so a corrupt file is an `AudioLoadError` naming the file and the field.
//! They read only headers and tables (not the audio), and stop quietly where the file
//! ends or stops being what they understand: symphonia then reports the damage.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use crate::error::{Error, Result};

fn bad(path: &str, what: impl std::fmt::Display) -> Error {
    Error::audio(path, format!("corrupt file: {what}"))
}

fn read_at(file: &mut File, pos: u64, buf: &mut [u8]) -> Option<()> {
    file.seek(SeekFrom::Start(pos)).ok()?;
    file.read_exact(buf).ok()
}

/// At most this many bytes of one metadata block or table are read for checking.
const MAX_CHECKED: u64 = 64 << 20;

fn read_vec(file: &mut File, pos: u64, len: u64) -> Option<Vec<u8>> {
    let mut b = vec![0u8; len.min(MAX_CHECKED) as usize];
    read_at(file, pos, &mut b)?;
    Some(b)
}

// ------------------------------------------------------------------------------ FLAC

/// FLAC metadata blocks: a Vorbis comment's lengths and a picture's lengths must fit in
/// their block.
pub fn flac(file: &mut File, file_len: u64, path: &str) -> Result<()> {
    let mut pos = 4u64; // after "fLaC"
    for _ in 0..1024 {
        let mut h = [0u8; 4];
        if read_at(file, pos, &mut h).is_none() {
            return Ok(());
        }
        let (last, kind) = (h[0] & 0x80 != 0, h[0] & 0x7F);
        let len = u32::from_be_bytes([0, h[1], h[2], h[3]]) as u64;
        let body = pos + 4;
        if body + len > file_len {
            return Ok(());
        }
        if kind == 4 || kind == 6 {
            let Some(b) = read_vec(file, body, len) else {
                return Ok(());
            };
            let ok = if kind == 4 {
                vorbis_comment_fits(&b, false)
            } else {
                picture_fits(&b)
            };
            if !ok {
                let what = if kind == 4 {
                    "Vorbis comment"
                } else {
                    "picture"
                };
                return Err(bad(
                    path,
                    format!("a {what} length exceeds its metadata block"),
                ));
            }
        }
        if last {
            return Ok(());
        }
        pos = body + len;
    }
    Ok(())
}

/// Vendor string, comment count and comments of a Vorbis comment block (little-endian
/// lengths; `framed`: the Ogg form ends with a framing bit we do not need).
fn vorbis_comment_fits(b: &[u8], _framed: bool) -> bool {
    let u32_at = |i: usize| {
        b.get(i..i + 4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
    };
    let Some(vendor) = u32_at(0) else { return true };
    let mut i = 4usize.saturating_add(vendor);
    if i > b.len() {
        return false;
    }
    let Some(n) = u32_at(i) else { return true };
    i += 4;
    if n.saturating_mul(4) > b.len() - i {
        return false;
    }
    for _ in 0..n {
        let Some(l) = u32_at(i) else { return false };
        i = i + 4;
        if l > b.len() - i {
            return false;
        }
        i += l;
    }
    true
}

fn picture_fits(b: &[u8]) -> bool {
    let u32_at = |i: usize| {
        b.get(i..i + 4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
    };
    let mut i = 4; // picture type
    for _ in 0..2 {
        // MIME type, description
        let Some(l) = u32_at(i) else { return false };
        i += 4;
        if l > b.len().saturating_sub(i) {
            return false;
        }
        i += l;
    }
    i += 16; // width, height, depth, colours
    match u32_at(i) {
        Some(l) => l <= b.len().saturating_sub(i + 4),
        None => false,
    }
}

// ------------------------------------------------------------------------------- MP4

/// Container boxes whose children are boxes.
const CONTAINERS: [&[u8; 4]; 11] = [
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"moof", b"traf", b"mvex",
    b"udta",
];

/// Sample tables and the bytes of one entry: the count (after version and flags) must
/// fit in the box.
fn table_entry(kind: &[u8; 4]) -> Option<u64> {
    match kind {
        b"stco" | b"stss" => Some(4),
        b"co64" | b"stts" | b"ctts" => Some(8),
        b"stsc" => Some(12),
        b"elst" => Some(12),
        _ => None,
    }
}

/// The boxes of an MP4/M4A/MOV file: every sample table's entry count must fit in its box.
pub fn mp4(file: &mut File, file_len: u64, path: &str) -> Result<()> {
    boxes(file, 0, file_len, 0, path)
}

fn boxes(file: &mut File, start: u64, end: u64, depth: usize, path: &str) -> Result<()> {
    if depth > 16 {
        return Ok(());
    }
    let mut pos = start;
    let mut n_boxes = 0;
    while pos + 8 <= end && n_boxes < 100_000 {
        n_boxes += 1;
        let mut h = [0u8; 16];
        if read_at(file, pos, &mut h[..8]).is_none() {
            return Ok(());
        }
        let kind: [u8; 4] = [h[4], h[5], h[6], h[7]];
        let (header, size) = match u32::from_be_bytes([h[0], h[1], h[2], h[3]]) {
            0 => (8, end - pos),
            1 => {
                if read_at(file, pos + 8, &mut h[8..16]).is_none() {
                    return Ok(());
                }
                let mut l = [0u8; 8];
                l.copy_from_slice(&h[8..16]);
                (16, u64::from_be_bytes(l))
            }
            s => (8, s as u64),
        };
        if size < header {
            return Ok(());
        }
        let body = pos + header;
        // a box may claim more than the file holds (a cut file): check what is there
        let body_end = pos.saturating_add(size).min(end);
        if CONTAINERS.contains(&&kind) {
            boxes(file, body, body_end, depth + 1, path)?;
        } else if kind == *b"meta" {
            boxes(file, body + 4, body_end, depth + 1, path)?;
        } else if let Some(entry) = table_entry(&kind) {
            let mut c = [0u8; 8];
            if read_at(file, body, &mut c).is_some() {
                let count = u32::from_be_bytes([c[4], c[5], c[6], c[7]]) as u64;
                let room = body_end.saturating_sub(body + 8);
                // elst entries are 20 bytes in version 1
                let entry = if kind == *b"elst" && c[0] == 1 {
                    20
                } else {
                    entry
                };
                if count * entry > room {
                    return Err(bad(
                        path,
                        format!(
                            "the {} table counts {count} entries but its box holds {room} bytes",
                            String::from_utf8_lossy(&kind)
                        ),
                    ));
                }
            }
        } else if kind == *b"stsz" {
            let mut c = [0u8; 12];
            if read_at(file, body, &mut c).is_some() {
                let fixed = u32::from_be_bytes([c[4], c[5], c[6], c[7]]);
                let count = u32::from_be_bytes([c[8], c[9], c[10], c[11]]) as u64;
                let room = body_end.saturating_sub(body + 12);
                if fixed == 0 && count * 4 > room {
                    return Err(bad(
                        path,
                        format!(
                            "the stsz table counts {count} samples but its box holds {room} bytes"
                        ),
                    ));
                }
            }
        }
        if size == 0 {
            break;
        }
        pos = pos.saturating_add(size);
    }
    Ok(())
}

// ---------------------------------------------------------------------------- Ogg

/// The first packets of an Ogg file's first logical stream (at most `n`), reassembled
/// from its pages; `None` when the pages cannot be followed.
fn ogg_packets(file: &mut File, file_len: u64, n: usize) -> Vec<Vec<u8>> {
    let mut packets: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    let mut pos = 0u64;
    let mut serial: Option<u32> = None;
    while packets.len() < n && pos + 27 <= file_len {
        let mut h = [0u8; 27];
        if read_at(file, pos, &mut h).is_none() || &h[0..4] != b"OggS" {
            break;
        }
        let page_serial = u32::from_le_bytes([h[14], h[15], h[16], h[17]]);
        let n_seg = h[26] as usize;
        let mut lacing = vec![0u8; n_seg];
        if read_at(file, pos + 27, &mut lacing).is_none() {
            break;
        }
        let body_len: u64 = lacing.iter().map(|&l| l as u64).sum();
        let body = pos + 27 + n_seg as u64;
        let Some(data) = read_vec(file, body, body_len) else {
            break;
        };
        if serial.get_or_insert(page_serial) == &page_serial {
            let mut i = 0usize;
            for &l in &lacing {
                cur.extend_from_slice(&data[i..i + l as usize]);
                i += l as usize;
                if l < 255 {
                    packets.push(std::mem::take(&mut cur));
                    if packets.len() == n {
                        break;
                    }
                }
            }
        }
        pos = body + body_len;
    }
    packets
}

/// LSB-first bit reader (Vorbis packing).
struct Bits<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    fn read(&mut self, n: u32) -> Option<u64> {
        let mut v = 0u64;
        for k in 0..n {
            let byte = *self.b.get(self.pos / 8)?;
            v |= (((byte >> (self.pos % 8)) & 1) as u64) << k;
            self.pos += 1;
        }
        Some(v)
    }

    fn skip(&mut self, n: u64) -> Option<()> {
        let p = (self.pos as u64).checked_add(n)?;
        if p > 8 * self.b.len() as u64 {
            return None;
        }
        self.pos = p as usize;
        Some(())
    }
}

fn ilog(v: u64) -> u32 {
    64 - v.leading_zeros()
}

/// `floor(entries^(1/dims))`, the Vorbis spec's lookup1_values.
fn lookup1_values(entries: u64, dims: u64) -> u64 {
    let mut r = (entries as f64).powf(1.0 / dims as f64).floor() as u64;
    let pow = |x: u64| (0..dims).try_fold(1u64, |a, _| a.checked_mul(x));
    while r > 0 && pow(r).is_none_or(|p| p > entries) {
        r -= 1;
    }
    while pow(r + 1).is_some_and(|p| p <= entries) {
        r += 1;
    }
    r
}

/// Checks the codebooks of a Vorbis setup header: libvorbis refuses a codebook with
/// `ilog(dimensions) + ilog(entries) > 24` (its lookup table would exceed 2^24 values).
/// `Err(message)` for a codebook that breaks it; `Ok` also when the packet ends early.
fn vorbis_codebooks(packet: &[u8]) -> std::result::Result<(), String> {
    if packet.len() < 7 || packet[0] != 5 || &packet[1..7] != b"vorbis" {
        return Ok(());
    }
    let mut bits = Bits {
        b: &packet[7..],
        pos: 0,
    };
    let parse = |bits: &mut Bits<'_>| -> Option<std::result::Result<(), String>> {
        let count = bits.read(8)? + 1;
        for c in 0..count {
            if bits.read(24)? != 0x564342 {
                return Some(Ok(())); // not a codebook: symphonia reports it
            }
            let dims = bits.read(16)?;
            let entries = bits.read(24)?;
            if ilog(dims) + ilog(entries) > 24 {
                return Some(Err(format!(
                    "Vorbis codebook {c} has {entries} entries of {dims} dimensions \
                     (libvorbis refuses more than 2^24 values)"
                )));
            }
            if bits.read(1)? == 0 {
                let sparse = bits.read(1)? == 1;
                for _ in 0..entries {
                    if !sparse || bits.read(1)? == 1 {
                        bits.read(5)?;
                    }
                }
            } else {
                bits.read(5)?;
                let mut cur = 0u64;
                while cur < entries {
                    cur += bits.read(ilog(entries - cur))?;
                }
            }
            match bits.read(4)? {
                0 => {}
                t @ (1 | 2) => {
                    bits.skip(64)?;
                    let value_bits = bits.read(4)? + 1;
                    bits.read(1)?;
                    if dims == 0 {
                        return Some(Err(format!("Vorbis codebook {c} has 0 dimensions")));
                    }
                    let values = if t == 1 {
                        lookup1_values(entries, dims)
                    } else {
                        entries * dims
                    };
                    bits.skip(values * value_bits)?;
                }
                _ => return Some(Ok(())),
            }
        }
        Some(Ok(()))
    };
    parse(&mut bits).unwrap_or(Ok(()))
}

/// An Ogg/Vorbis file's headers: the comment lengths fit in their packet, and every
/// codebook is one libvorbis would accept.
pub fn ogg(file: &mut File, file_len: u64, path: &str) -> Result<()> {
    let packets = ogg_packets(file, file_len, 3);
    if let Some(p) = packets.get(1) {
        if p.len() >= 7 && p[0] == 3 && &p[1..7] == b"vorbis" && !vorbis_comment_fits(&p[7..], true)
        {
            return Err(bad(path, "a Vorbis comment length exceeds its packet"));
        }
    }
    if let Some(p) = packets.get(2) {
        vorbis_codebooks(p).map_err(|m| bad(path, m))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup1_values_is_the_integer_root() {
        assert_eq!(lookup1_values(81, 4), 3);
        assert_eq!(lookup1_values(80, 4), 2);
        assert_eq!(lookup1_values(1, 7), 1);
        assert_eq!(lookup1_values(1 << 24, 1), 1 << 24);
    }

    #[test]
    fn comment_and_picture_lengths() {
        let mut c = Vec::new();
        c.extend_from_slice(&3u32.to_le_bytes());
        c.extend_from_slice(b"abc");
        c.extend_from_slice(&1u32.to_le_bytes());
        c.extend_from_slice(&2u32.to_le_bytes());
        c.extend_from_slice(b"xy");
        assert!(vorbis_comment_fits(&c, false));
        let n = c.len();
        c[n - 6..n - 2].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        assert!(!vorbis_comment_fits(&c, false));
        let mut p = vec![0u8; 4];
        p.extend_from_slice(&0xFFFF_FFFFu32.to_be_bytes());
        assert!(!picture_fits(&p));
    }
}
