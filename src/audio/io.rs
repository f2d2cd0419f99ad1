//! Decoding audio files (WAV and FLAC) into float32 samples.
//!
//! WAV: 8-bit unsigned, 16/24/32-bit signed integer, 32/64-bit float PCM, any channel
//! count (RIFF/WAVE and WAVE_FORMAT_EXTENSIBLE). FLAC: every bit depth. Integers are
//! scaled by their full scale (`x / 2^(bits-1)`, unsigned 8-bit centred first), as
//! libsndfile and librosa do.

use std::fs::File;
use std::path::Path;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{CodecParameters, DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::{FormatOptions, FormatReader};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::error::{Error, Result};

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

/// What a file's header says, read without decoding the audio.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    pub sample_rate: u32,
    pub channels: usize,
    /// Frames the header promises (None when it does not say).
    pub n_frames: Option<u64>,
}

/// The header of `path`: sample rate, channels and length, without decoding the audio
/// (e.g. to learn a file's native rate before resampling it).
pub fn probe(path: &Path) -> Result<Info> {
    let shown = path.display();
    let (_, _, params) = open(path)?;
    let (sample_rate, channels) = rate_and_channels(&params, &shown)?;
    Ok(Info {
        sample_rate,
        channels,
        n_frames: params.n_frames,
    })
}

/// The sample rate and channel count a track declares (both must be there).
fn rate_and_channels(params: &CodecParameters, shown: &impl std::fmt::Display) -> Result<(u32, usize)> {
    let sample_rate = params
        .sample_rate
        .ok_or_else(|| Error::audio(shown, "has no sample rate"))?;
    let channels = params.channels.map(|c| c.count()).unwrap_or(0);
    if channels == 0 {
        return Err(Error::audio(shown, "declares no channels"));
    }
    Ok((sample_rate, channels))
}

/// Opens `path` and finds its audio track: the format reader, the track id and its
/// codec parameters.
fn open(path: &Path) -> Result<(Box<dyn FormatReader>, u32, CodecParameters)> {
    let shown = path.display();
    let file = File::open(path).map_err(|e| Error::audio(&shown, e))?;
    if file.metadata().map(|m| m.is_dir()).unwrap_or(false) {
        return Err(Error::audio(&shown, "is a directory, not an audio file"));
    }
    let mss = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            mss,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|e| {
            Error::audio(
                &shown,
                format!("not a readable WAV or FLAC file ({})", describe(&e)),
            )
        })?;
    let format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| Error::audio(&shown, "holds no audio track"))?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    Ok((format, track_id, params))
}

/// Reads `path`, keeping the frames in `[offset, offset + duration)` seconds.
pub fn decode(path: &Path, offset: f64, duration: Option<f64>) -> Result<Decoded> {
    let shown = path.display();
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
    let (mut format, track_id, params) = open(path)?;
    let (sample_rate, channels) = rate_and_channels(&params, &shown)?;
    let promised = params.n_frames;
    let mut decoder = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|e| Error::audio(&shown, format!("unsupported encoding ({})", describe(&e))))?;

    let first = (offset * sample_rate as f64).round() as u64;
    let last = duration.map(|d| first + (d * sample_rate as f64).round() as u64);
    let mut samples: Vec<f32> = Vec::with_capacity(
        promised
            .map(|n| (n.min(last.unwrap_or(u64::MAX)).saturating_sub(first)) as usize * channels)
            .unwrap_or(0),
    );
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
        let b = buf
            .get_or_insert_with(|| SampleBuffer::new(decoded.capacity() as u64, *decoded.spec()));
        if (b.capacity() as u64) < n {
            *b = SampleBuffer::new(decoded.capacity() as u64, *decoded.spec());
        }
        b.copy_interleaved_ref(decoded);
        let lo = first.saturating_sub(pos).min(n);
        let hi = last.map_or(n, |l| l.saturating_sub(pos).min(n));
        if hi > lo {
            samples.extend_from_slice(
                &b.samples()[(lo as usize) * channels..(hi as usize) * channels],
            );
        }
        pos += n;
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
