//! Property tests over mutated files: the audio readers (WAV, FLAC, MP3, Ogg/Vorbis,
//! MP4/AAC), the OpenFace CSV reader and the model-file reader never panic, never hang
//! and never return more audio than the file can hold, whatever the bytes; a damaged
//! model file is always an `Error::Io` (`ReadError`) naming the file.
//!
//! Seeds are the tiny synthetic files in `tests/data/fuzz/` (a 0.3 s tone at 8 kHz, see
//! the LICENSE.md there) and WAV headers built field by field. The number of cases per
//! property is bounded (`FUZZ_CASES`, default 200) so `cargo test` stays fast; raise it
//! for a longer local run: `FUZZ_CASES=20000 cargo test --release --no-default-features
//! --test fuzz_readers`.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use _core::audio::io::{decode, probe};
use _core::face::openface;
use _core::models::network::{Activation, Mlp, MlpSpec};
use _core::models::persist::{crc32, read_networks, AnyNetwork};
use proptest::prelude::*;
use proptest::sample::Index;

const FLAC: &[u8] = include_bytes!("data/fuzz/tone.flac");
const MP3: &[u8] = include_bytes!("data/fuzz/tone.mp3");
const OGG: &[u8] = include_bytes!("data/fuzz/tone.ogg");
const M4A: &[u8] = include_bytes!("data/fuzz/tone.m4a");

fn cases() -> u32 {
    std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// A small allocation ceiling, so that a regression (a header-sized buffer) fails the
/// property instead of exhausting the machine.
fn small_ceiling() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| std::env::set_var("AFFECTKIT_MAX_ALLOC", "512M"));
}

fn temp_file(bytes: &[u8], ext: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let p = std::env::temp_dir().join(format!(
        "affectkit-fuzz-{}-{}.{ext}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::File::create(&p).unwrap().write_all(bytes).unwrap();
    p
}

/// Decodes `bytes` as a file with extension `ext` and checks the invariants.
fn check_decode(
    bytes: &[u8],
    ext: &str,
    offset: f64,
    duration: Option<f64>,
) -> Result<(), TestCaseError> {
    let p = temp_file(bytes, ext);
    let r = decode(&p, offset, duration);
    let info = probe(&p);
    let _ = std::fs::remove_file(&p);
    if let (Ok(d), Ok(i)) = (&r, &info) {
        // the header probe and the decoder agree on what they both read
        prop_assert_eq!(d.sample_rate, i.sample_rate);
        prop_assert_eq!(d.channels, i.channels);
    }
    if let Ok(d) = r {
        prop_assert!(d.channels >= 1);
        prop_assert!(d.sample_rate >= 1 && d.sample_rate <= 1_000_000);
        prop_assert_eq!(d.samples.len() % d.channels, 0);
        // uncompressed audio has at most one value per byte; lossy formats expand, but
        // not beyond what their frames can code (generous bound)
        let bound = if ext == "wav" {
            bytes.len()
        } else {
            4096 * bytes.len() + 1 << 20
        };
        prop_assert!(
            d.samples.len() <= bound,
            "{} values from {} bytes",
            d.samples.len(),
            bytes.len()
        );
    }
    Ok(())
}

fn mutated(seed: &[u8], edits: &[(Index, u8)], cut: Option<Index>) -> Vec<u8> {
    let mut b = seed.to_vec();
    for (i, v) in edits {
        let k = i.index(b.len());
        b[k] = *v;
    }
    if let Some(c) = cut {
        b.truncate(c.index(b.len() + 1));
    }
    b
}

fn edits() -> impl Strategy<Value = (Vec<(Index, u8)>, Option<Index>)> {
    (
        prop::collection::vec((any::<Index>(), any::<u8>()), 1..12),
        prop::option::weighted(0.2, any::<Index>()),
    )
}

/// A WAV file whose every header field is chosen by the strategy.
#[allow(clippy::too_many_arguments)]
fn wav(
    riff: &[u8; 4],
    tag: u16,
    channels: u16,
    rate: u32,
    block_align: u16,
    bits: u16,
    data_size: u32,
    data: &[u8],
    ds64: Option<u64>,
) -> Vec<u8> {
    let mut fmt = Vec::new();
    fmt.extend_from_slice(&tag.to_le_bytes());
    fmt.extend_from_slice(&channels.to_le_bytes());
    fmt.extend_from_slice(&rate.to_le_bytes());
    fmt.extend_from_slice(&rate.wrapping_mul(block_align as u32).to_le_bytes());
    fmt.extend_from_slice(&block_align.to_le_bytes());
    fmt.extend_from_slice(&bits.to_le_bytes());
    if tag == 0xFFFE {
        fmt.extend_from_slice(&22u16.to_le_bytes());
        fmt.extend_from_slice(&bits.to_le_bytes());
        fmt.extend_from_slice(&0u32.to_le_bytes());
        let mut guid = [0u8; 16];
        guid[0] = (bits % 3) as u8 + 1; // PCM, ADPCM(2) or float
        fmt.extend_from_slice(&guid);
    }
    let mut body = b"WAVE".to_vec();
    if let Some(n) = ds64 {
        body.extend_from_slice(b"ds64");
        body.extend_from_slice(&28u32.to_le_bytes());
        body.extend_from_slice(&0u64.to_le_bytes());
        body.extend_from_slice(&n.to_le_bytes());
        body.extend_from_slice(&[0u8; 12]);
    }
    body.extend_from_slice(b"fmt ");
    body.extend_from_slice(&(fmt.len() as u32).to_le_bytes());
    body.extend_from_slice(&fmt);
    body.extend_from_slice(b"data");
    body.extend_from_slice(&data_size.to_le_bytes());
    body.extend_from_slice(data);
    let mut out = riff.to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

fn header_field<T: Arbitrary + Copy + 'static>(usual: &'static [T]) -> impl Strategy<Value = T> {
    prop_oneof![3 => prop::sample::select(usual), 1 => any::<T>()]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn wav_headers(
        rf64 in any::<bool>(),
        tag in header_field(&[1u16, 3, 6, 7, 0xFFFE]),
        channels in header_field(&[0u16, 1, 2, 6]),
        rate in header_field(&[0u32, 8000, 16000, 44100, 0xFFFF_FFFE]),
        block_align in header_field(&[0u16, 1, 2, 3, 4, 32767]),
        bits in header_field(&[0u16, 8, 12, 16, 24, 32, 64]),
        data_size in header_field(&[0u32, 15, 4000, 0xFFFF_FFFF]),
        data in prop::collection::vec(any::<u8>(), 0..4000),
        ds64 in prop::option::of(header_field(&[0u64, 100, u64::MAX])),
        offset in prop_oneof![Just(0.0), 0.0f64..1.0, Just(1e300)],
        duration in prop::option::of(prop_oneof![0.0f64..1.0, Just(1e300)]),
    ) {
        small_ceiling();
        let riff = if rf64 { b"RF64" } else { b"RIFF" };
        let bytes = wav(riff, tag, channels, rate, block_align, bits, data_size, &data, ds64.filter(|_| rf64));
        check_decode(&bytes, "wav", offset, duration)?;
    }

    #[test]
    fn mutated_flac((e, cut) in edits()) {
        small_ceiling();
        check_decode(&mutated(FLAC, &e, cut), "flac", 0.0, None)?;
    }

    #[test]
    fn mutated_mp3((e, cut) in edits()) {
        small_ceiling();
        check_decode(&mutated(MP3, &e, cut), "mp3", 0.0, None)?;
    }

    #[test]
    fn mutated_ogg((e, cut) in edits()) {
        small_ceiling();
        check_decode(&mutated(OGG, &e, cut), "ogg", 0.0, None)?;
    }

    #[test]
    fn mutated_m4a((e, cut) in edits()) {
        small_ceiling();
        check_decode(&mutated(M4A, &e, cut), "m4a", 0.0, None)?;
    }

    #[test]
    fn arbitrary_bytes_under_any_name(
        bytes in prop::collection::vec(any::<u8>(), 0..600),
        ext in prop::sample::select(&["wav", "flac", "mp3", "ogg", "m4a", "mp4", "bin"][..]),
    ) {
        small_ceiling();
        check_decode(&bytes, ext, 0.0, None)?;
    }

    #[test]
    fn openface_csv(
        rows in prop::collection::vec(
            prop::collection::vec(prop_oneof![
                Just(String::new()), Just("nan".to_string()), Just("1e308".to_string()),
                Just("-inf".to_string()), "[0-9.eE+-]{1,8}", "\\PC{0,6}",
            ], 0..8),
            0..6),
        header in prop::sample::subsequence(
            vec!["frame", "timestamp", "confidence", "success", "x_0", "y_0", "x_1", "y_1",
                 "X_0", "Y_0", "Z_0", "AU01_r", "AU01_c", "pose_Rx", "gaze_0_x", "p_scale"], 0..16),
        noise in "\\PC{0,40}",
    ) {
        let mut text = header.join(", ");
        text.push('\n');
        for r in &rows {
            text.push_str(&r.join(","));
            text.push('\n');
        }
        text.push_str(&noise);
        if let Ok(t) = openface::parse(&text, "fuzz.csv") {
            prop_assert_eq!(t.landmarks.len(), t.n_frames * t.n_landmarks * 2);
        }
    }

    #[test]
    fn mutated_model_files(
        (e, cut) in edits(),
        recompute_checksum in any::<bool>(),
        bundle in any::<bool>(),
    ) {
        small_ceiling();
        let seed = if bundle { &model_files().1 } else { &model_files().0 };
        let mut b = mutated(seed, &e, cut);
        // with the checksum made right again, the mutation reaches the header and
        // weight parsers (a file written on purpose, or damaged before it was summed)
        if recompute_checksum && b.len() > 4 {
            let n = b.len() - 4;
            let sum = crc32(&b[..n]);
            b[n..].copy_from_slice(&sum.to_le_bytes());
        }
        match read_networks(&b, "fuzz.akm") {
            Ok((parts, _)) => prop_assert!(!parts.is_empty()),
            Err(e @ _core::Error::Io { .. }) => prop_assert!(e.to_string().contains("fuzz.akm"), "{}", e),
            Err(other) => prop_assert!(false, "not a ReadError: {:?}", other),
        }
    }

    #[test]
    fn model_header_json_edits(
        at in any::<Index>(),
        text in prop_oneof![
            Just("1e400".to_string()), Just("-1".to_string()), Just("18446744073709551615".to_string()),
            Just("null".to_string()), Just("[]".to_string()), Just("{}".to_string()), Just("\"x\"".to_string()),
            "[0-9]{1,20}", "\\PC{0,4}",
        ],
    ) {
        small_ceiling();
        // replace one JSON value-ish span of the header (after a ':') and fix the lengths
        // and the checksum, as a hand-edited file would
        let seed = &model_files().0;
        let len = u64::from_le_bytes(seed[16..24].try_into().unwrap()) as usize;
        let header = std::str::from_utf8(&seed[24..24 + len]).unwrap();
        let colons: Vec<usize> = header.match_indices(':').map(|(i, _)| i + 1).collect();
        let start = colons[at.index(colons.len())];
        let end = header[start..].find([',', '}', ']']).map_or(header.len(), |k| start + k);
        let edited = format!("{}{}{}", &header[..start], text, &header[end..]);
        let mut out = seed[..16].to_vec();
        out.extend_from_slice(&(edited.len() as u64).to_le_bytes());
        out.extend_from_slice(edited.as_bytes());
        out.extend_from_slice(&seed[24 + len..seed.len() - 4]);
        let sum = crc32(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        match read_networks(&out, "fuzz.akm") {
            Ok(_) => {}
            Err(e @ _core::Error::Io { .. }) => prop_assert!(e.to_string().contains("fuzz.akm"), "{}", e),
            Err(other) => prop_assert!(false, "not a ReadError: {:?}", other),
        }
    }
}

/// A small valid MLP file and a bundle of two, built once.
fn model_files() -> &'static (Vec<u8>, Vec<u8>) {
    static FILES: std::sync::OnceLock<(Vec<u8>, Vec<u8>)> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let spec = MlpSpec {
            n_inputs: 4,
            hidden: vec![3],
            n_outputs: 2,
            activation: Activation::Relu,
            dropout: 0.0,
            layer_norm: true,
        };
        let net = AnyNetwork::Mlp(Mlp::init(&spec, 1, &burn::tensor::Device::flex()).unwrap());
        let one = net.to_bytes("{\"classes\": [0, 1]}").unwrap();
        let bundle =
            _core::models::persist::bundle_to_bytes(&[("a", &net), ("b", &net)], "null").unwrap();
        (one, bundle)
    })
}
