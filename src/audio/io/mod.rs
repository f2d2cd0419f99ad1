//! Decoding audio files into float32 samples, and resampling.
//!
//! [`wav`] is affectkit's own WAV reader, [`precheck`] validates FLAC and other
//! container headers before symphonia reads them, [`resample`] converts sample rates.
//!
//! WAV (RIFF/WAVE and RF64): affectkit's own reader ([`wav`]), which validates the
//! header against the file and reads as libsndfile does: 8-bit unsigned, 16/24/32-bit
//! signed integer, 32/64-bit float PCM, A-law and mu-law, any channel count, streams
//! whose data size is `0xFFFFFFFF`. Everything else goes through symphonia: FLAC (every
//! bit depth; the STREAMINFO block is validated first), MP3, Ogg/Vorbis and MP4/M4A
//! (AAC; the first audio track, so the audio of a video file such as MELD's `.mp4`
//! clips). Integers are scaled by their full scale (`x / 2^(bits-1)`, unsigned 8-bit
//! centred first), as libsndfile and librosa do; MP3 and Vorbis are decoded with their
//! encoder delay and padding removed (gapless); AAC keeps its priming samples, as FFmpeg's
//! decoder does before an MP4 edit list is applied.
//!
//! No buffer is sized from a header beyond what the file's length allows
//! ([`crate::limits`]): a corrupt frame count cannot make affectkit allocate gigabytes.

pub mod precheck;
pub mod resample;
pub mod wav;

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{CodecParameters, DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::error::{Error, Result};
use crate::limits::{self, Source};

/// File name extensions affectkit's loader reads (lower case, without the dot).
pub const EXTENSIONS: &[&str] = &["wav", "flac", "mp3", "ogg", "oga", "m4a", "mp4"];

/// The containers symphonia reads for affectkit: FLAC, MPEG audio, Ogg and ISO MP4 (not
/// symphonia's raw-ADTS reader, which is not needed for MP4/M4A and panics on short
/// files).
fn formats() -> &'static symphonia::core::probe::Probe {
    use symphonia::default::formats::{FlacReader, IsoMp4Reader, MpaReader, OggReader};
    static PROBE: std::sync::OnceLock<symphonia::core::probe::Probe> = std::sync::OnceLock::new();
    PROBE.get_or_init(|| {
        let mut p = symphonia::core::probe::Probe::default();
        p.register_all::<FlacReader>();
        p.register_all::<MpaReader>();
        p.register_all::<OggReader>();
        p.register_all::<IsoMp4Reader>();
        p
    })
}

/// Decoded audio: `samples` interleaved frame by frame (`n_frames * channels`).
#[derive(Debug, Clone)]
pub struct Decoded {
    pub samples: Vec<f32>,
    pub channels: usize,
    pub sample_rate: u32,
}

impl Decoded {
    pub fn n_frames(&self) -> usize {
        if self.channels == 0 {
            0
        } else {
            self.samples.len() / self.channels
        }
    }

    /// Averages the channels (librosa's `to_mono`).
    pub fn to_mono(&self) -> Vec<f32> {
        if self.channels == 1 {
            return self.samples.clone();
        }
        let c = self.channels as f64;
        self.samples
            .chunks_exact(self.channels)
            .map(|fr| (fr.iter().map(|&v| v as f64).sum::<f64>() / c) as f32)
            .collect()
    }

    /// Channel `ch` as its own vector.
    pub fn channel(&self, ch: usize) -> Vec<f32> {
        self.samples
            .iter()
            .skip(ch)
            .step_by(self.channels)
            .copied()
            .collect()
    }
}

/// `[first, last)` in frames for `offset`/`duration` seconds at `sample_rate`.
fn frame_range(offset: f64, duration: Option<f64>, sample_rate: u32) -> (u64, Option<u64>) {
    // float -> u64 casts saturate, so absurd offsets select nothing rather than wrap
    let first = (offset * sample_rate as f64).round() as u64;
    let last = duration.map(|d| first.saturating_add((d * sample_rate as f64).round() as u64));
    (first, last)
}

/// What a file's header says, read without decoding the audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    pub sample_rate: u32,
    pub channels: usize,
    /// Frames the header promises (None when it does not say).
    pub n_frames: Option<u64>,
}

/// A file opened for reading, its header validated.
enum Opened {
    Wav(File, wav::Header),
    Stream(Stream),
}

/// A symphonia format reader on the audio track affectkit decodes.
struct Stream {
    format: Box<dyn FormatReader>,
    track_id: u32,
    params: CodecParameters,
    sample_rate: u32,
}

/// Runs `f` on a symphonia stream, turning a decoder panic into an `AudioLoadError`: a
/// decoder that panics on a corrupt file has met a bad file, not an affectkit bug.
fn unpanicked<T>(shown: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Error::audio(
            shown,
            format!("corrupt data (the decoder stopped: {msg})"),
        ))
    })
}

/// Opens `path`: WAV through affectkit's reader, the rest through symphonia after the
/// structure checks of [`precheck`].
fn open(path: &Path, shown: &str) -> Result<(Opened, u64)> {
    let mut file = File::open(path).map_err(|e| Error::audio(shown, e))?;
    let meta = file.metadata().map_err(|e| Error::audio(shown, e))?;
    if meta.is_dir() {
        return Err(Error::audio(shown, "is a directory, not an audio file"));
    }
    let file_len = meta.len();
    let mut magic = [0u8; 12];
    let got = read_up_to(&mut file, &mut magic).map_err(|e| Error::audio(shown, e))?;
    if wav::is_wav(&magic[..got]) {
        let header = wav::read_header(&mut file, file_len, shown)?;
        return Ok((Opened::Wav(file, header), file_len));
    }
    // Structures symphonia would size buffers from are checked against the file first.
    if got >= 4 && &magic[..4] == b"fLaC" {
        check_flac_streaminfo(&mut file, shown)?;
        precheck::flac(&mut file, file_len, shown)?;
    } else if got >= 4 && &magic[..4] == b"OggS" {
        precheck::ogg(&mut file, file_len, shown)?;
    } else if got >= 8
        && [&b"ftyp"[..], b"moov", b"mdat", b"free", b"wide", b"skip"].contains(&&magic[4..8])
    {
        precheck::mp4(&mut file, file_len, shown)?;
    }
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Error::audio(shown, e))?;
    let stream = unpanicked(shown, || open_stream(file, path, shown))?;
    Ok((Opened::Stream(stream), file_len))
}

/// The header of `path`: sample rate, channels and length, without decoding the audio
/// (e.g. to learn a file's native rate before resampling it). The header is validated
/// as by [`decode`]; an MP4 whose AAC configuration alone names the channels has its
/// first packet decoded to count them.
pub fn probe(path: &Path) -> Result<Info> {
    let shown = path.display().to_string();
    match open(path, &shown)?.0 {
        Opened::Wav(_, h) => Ok(Info {
            sample_rate: h.sample_rate,
            channels: h.channels,
            n_frames: Some(h.n_frames),
        }),
        Opened::Stream(mut st) => {
            let channels = match st.params.channels {
                Some(c) => c.count(),
                None => unpanicked(&shown, || first_packet_channels(&mut st, &shown))?,
            };
            Ok(Info {
                sample_rate: st.sample_rate,
                channels,
                n_frames: st.params.n_frames,
            })
        }
    }
}

/// Reads `path`, keeping the frames in `[offset, offset + duration)` seconds.
pub fn decode(path: &Path, offset: f64, duration: Option<f64>) -> Result<Decoded> {
    let shown = path.display().to_string();
    if !(offset.is_finite() && offset >= 0.0) {
        return Err(Error::param(
            "offset",
            format!("must be >= 0 seconds, got {offset}"),
        ));
    }
    if let Some(d) = duration {
        if !(d.is_finite() && d >= 0.0) {
            return Err(Error::param(
                "duration",
                format!("must be >= 0 seconds, got {d}"),
            ));
        }
    }
    match open(path, &shown)? {
        (Opened::Wav(mut file, header), _) => {
            let (first, last) = frame_range(offset, duration, header.sample_rate);
            let samples = wav::read_frames(&mut file, &header, first, last, &shown)?;
            Ok(Decoded {
                samples,
                channels: header.channels,
                sample_rate: header.sample_rate,
            })
        }
        (Opened::Stream(st), file_len) => unpanicked(&shown, || {
            decode_stream(st, &shown, file_len, offset, duration)
        }),
    }
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Validates a FLAC file's STREAMINFO (sample rate, channels, bits) before symphonia sees
/// it: a zero sample rate would otherwise reach symphonia's time base.
fn check_flac_streaminfo(file: &mut File, path: &str) -> Result<()> {
    let mut b = [0u8; 4 + 4 + 34];
    file.seek(SeekFrom::Start(0))
        .map_err(|e| Error::audio(path, e))?;
    let n = read_up_to(file, &mut b).map_err(|e| Error::audio(path, e))?;
    if n < b.len() || b[4] & 0x7F != 0 {
        return Err(Error::audio(
            path,
            "not a readable FLAC file (no STREAMINFO block first)",
        ));
    }
    let si = &b[8..];
    let rate = ((si[10] as u64) << 12) | ((si[11] as u64) << 4) | ((si[12] as u64) >> 4);
    limits::sample_rate(
        rate,
        Source::Audio {
            path,
            field: "sample rate",
        },
    )?;
    let bits = (((si[12] & 1) << 4) | (si[13] >> 4)) + 1;
    if bits < 4 {
        return Err(Error::audio(
            path,
            format!("bits per sample: {bits} is not a valid FLAC bit depth (4 .. 32)"),
        ));
    }
    Ok(())
}

fn open_stream(file: File, path: &Path, shown: &str) -> Result<Stream> {
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let format_options = FormatOptions {
        enable_gapless: true,
        ..Default::default()
    };
    let probed = formats()
        .format(&hint, mss, &format_options, &MetadataOptions::default())
        .map_err(|e| {
            Error::audio(
                &shown,
                format!(
                    "not a readable audio file ({}); affectkit reads WAV, FLAC, MP3, \
                     Ogg/Vorbis and MP4/M4A (AAC)",
                    describe(&e)
                ),
            )
        })?;
    let format = probed.format;
    let codecs = symphonia::default::get_codecs();
    // The first track affectkit can decode: a video file's video track is skipped.
    let track = format
        .tracks()
        .iter()
        .find(|t| {
            t.codec_params.codec != CODEC_TYPE_NULL
                && codecs.get_codec(t.codec_params.codec).is_some()
        })
        .or_else(|| {
            format
                .tracks()
                .iter()
                .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        })
        .ok_or_else(|| Error::audio(&shown, "holds no audio track"))?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    let sample_rate = params
        .sample_rate
        .ok_or_else(|| Error::audio(&shown, "has no sample rate"))?;
    let sample_rate = limits::sample_rate(
        sample_rate as u64,
        Source::Audio {
            path: shown,
            field: "sample rate",
        },
    )?;
    if params.channels.is_some_and(|c| c.count() == 0) {
        return Err(Error::audio(shown, "declares no channels"));
    }
    Ok(Stream {
        format,
        track_id,
        params,
        sample_rate,
    })
}

fn make_decoder(st: &Stream, shown: &str) -> Result<Box<dyn symphonia::core::codecs::Decoder>> {
    symphonia::default::get_codecs()
        .make(&st.params, &DecoderOptions::default())
        .map_err(|e| Error::audio(shown, format!("unsupported encoding ({})", describe(&e))))
}

/// Channels of the first decoded packet (AAC in MP4 names them only in its own
/// configuration).
fn first_packet_channels(st: &mut Stream, shown: &str) -> Result<usize> {
    let mut decoder = make_decoder(st, shown)?;
    for _ in 0..64 {
        let packet = match st.format.next_packet() {
            Ok(p) => p,
            Err(_) => break,
        };
        if packet.track_id() != st.track_id {
            continue;
        }
        let decoded = decoder
            .decode(&packet)
            .map_err(|e| Error::audio(shown, format!("corrupt data ({})", describe(&e))))?;
        if decoded.frames() > 0 {
            return Ok(decoded.spec().channels.count());
        }
    }
    Err(Error::audio(shown, "holds no decodable audio"))
}

fn decode_stream(
    st: Stream,
    shown: &str,
    file_len: u64,
    offset: f64,
    duration: Option<f64>,
) -> Result<Decoded> {
    let shown = shown.to_string();
    let mut decoder = make_decoder(&st, &shown)?;
    let Stream {
        mut format,
        track_id,
        params,
        sample_rate,
    } = st;
    // AAC in MP4 declares its channels inside the codec's own configuration: then the
    // first decoded packet tells.
    let mut channels = params.channels.map(|c| c.count()).unwrap_or(0);
    let promised = params.n_frames;

    let (first, last) = frame_range(offset, duration, sample_rate);
    // Never more frames than the header promises (libsndfile's rule: a Vorbis stream's
    // last granule position or a FLAC STREAMINFO count ends the audio).
    let last = match (last, promised) {
        (Some(l), Some(p)) => Some(l.min(p)),
        (l, p) => l.or(p),
    };
    let grow = Source::Audio {
        path: &shown,
        field: "decoded audio",
    };
    // Pre-allocate what the header promises, but never more values than the file has
    // bytes: a corrupt frame count must not reserve gigabytes. Longer audio (lossy or
    // highly compressed files) grows the buffer as it is decoded.
    let promised_values = promised
        .map(|n| n.min(last.unwrap_or(u64::MAX)).saturating_sub(first))
        .unwrap_or(0)
        .saturating_mul(channels.max(1) as u64);
    let mut samples: Vec<f32> =
        limits::with_capacity(promised_values.min(file_len) as usize, grow)?;
    let mut pos: u64 = 0; // frames decoded so far
    let mut buf: Option<SampleBuffer<f32>> = None;
    loop {
        if last.is_some_and(|l| pos >= l) {
            break;
        }
        let packet = match format.next_packet() {
            Ok(p) => p,
            Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymError::ResetRequired) => break,
            Err(e) => {
                return Err(Error::audio(
                    &shown,
                    format!("corrupt data ({})", describe(&e)),
                ))
            }
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = decoder.decode(&packet).map_err(|e| {
            Error::audio(
                &shown,
                format!("corrupt data at frame {pos} ({})", describe(&e)),
            )
        })?;
        let n = decoded.frames() as u64;
        if n == 0 {
            continue;
        }
        let got = decoded.spec().channels.count();
        if channels == 0 {
            channels = got;
        }
        if got != channels || got == 0 {
            return Err(Error::audio(
                &shown,
                format!(
                    "corrupt data at frame {pos}: {got} channels where the stream began with \
                     {channels}"
                ),
            ));
        }
        let b = buf
            .get_or_insert_with(|| SampleBuffer::new(decoded.capacity() as u64, *decoded.spec()));
        if (b.capacity() as u64) < n {
            *b = SampleBuffer::new(decoded.capacity() as u64, *decoded.spec());
        }
        b.copy_interleaved_ref(decoded);
        let lo = first.saturating_sub(pos).min(n);
        let hi = last.map_or(n, |l| l.saturating_sub(pos).min(n));
        if hi > lo {
            let part = &b.samples()[(lo as usize) * channels..(hi as usize) * channels];
            limits::reserve(&mut samples, part.len(), grow)?;
            samples.extend_from_slice(part);
        }
        pos += n;
    }
    if channels == 0 {
        return Err(Error::audio(&shown, "holds no decodable audio"));
    }
    if let Some(p) = promised {
        // A file cut short decodes "successfully" up to the cut; refuse it instead of
        // returning less audio than the header promises.
        let wanted_end = last.map_or(p, |l| l.min(p));
        if pos < wanted_end {
            return Err(Error::audio(
                &shown,
                format!(
                    "truncated: the header promises {p} frames but only {pos} could be decoded"
                ),
            ));
        }
    }
    Ok(Decoded {
        samples,
        channels,
        sample_rate,
    })
}

fn describe(e: &SymError) -> String {
    match e {
        SymError::IoError(io) => io.to_string(),
        SymError::DecodeError(m) => (*m).to_string(),
        SymError::Unsupported(m) => format!("unsupported: {m}"),
        other => other.to_string(),
    }
}
