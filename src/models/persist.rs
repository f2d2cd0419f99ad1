//! Model files: a small versioned JSON header, the weights as a Burn record (burnpack),
//! and a checksum.
//!
//! Layout of format version 3 (all integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 16 | the magic line `AFFECTKIT-MODEL\n` |
//! | 8 | `header_len`, the length of the header |
//! | `header_len` | the header, UTF-8 JSON (below) |
//! | `payload_len` | the payload: the burnpack weights, or a bundle's parts |
//! | 4 | CRC-32 (IEEE 802.3, as zlib's `crc32`) of every byte before it |
//!
//! The header holds `format_version` (3), `affectkit_version` (the writer's), `kind`
//! (`mlp`, `gated_fusion`, `attention_sequence`, `dialogue`, `trace_sequence`, `layer_weighted` or `bundle`), `spec` (the network shape,
//! e.g. `{"n_inputs": 88, "hidden": [64], "n_outputs": 5, ...}`), `payload_len` and
//! `extra`: an opaque text the Python estimators fill with their parameters, classes,
//! input scaling, training history and the feature settings of the table the model was
//! trained on (kept as text so that its numbers round-trip exactly). A *bundle* holds
//! several named networks (e.g. the per-modality classifiers of late fusion): its `spec`
//! lists the part names and byte lengths, and its payload is the parts, each a complete
//! single-network file with its own header and checksum.
//!
//! Reading checks, before anything is allocated from a header's numbers: the magic, the
//! lengths against the file's size, the checksum (integrity against corruption and
//! truncation, not authenticity: anyone can write a file with a valid checksum), the
//! header's fields and types, and that the network shape's parameter count fits in the
//! stored weights (4 bytes per float32 parameter). Every failure is [`Error::Io`]
//! (`affectkit.errors.ReadError`) naming the file. Files of another format version are
//! refused with a message that names both versions: newer ones because their layout may
//! differ, older ones (1 and 2, without checksum and shape bounds) because their
//! integrity cannot be checked; retrain and save such a model again.

use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, Device};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::dialogue::{DialogueNet, DialogueSpec};
use super::fusion::{FusionSpec, GatedFusion};
use super::layerwise::{LayerWeighted, LayerwiseSpec, Pooling};
use super::network::{Mlp, MlpSpec};
use super::sequence::{AttentionPooling, SequenceSpec};
use super::trace::{TraceNet, TraceSpec};
use crate::error::{Error, Result};

/// A network that model files can hold: its shape rebuilds an untrained skeleton that the
/// stored weights are loaded into.
pub trait Stored: Module + Sized {
    type Spec: Serialize + DeserializeOwned;
    /// Names the network type in the header.
    const KIND: &'static str;
    fn spec(&self) -> &Self::Spec;
    fn skeleton(spec: &Self::Spec, device: &Device) -> Result<Self>;
    /// Number of parameters a network of shape `spec` has (None: it overflows `usize`).
    fn n_params(spec: &Self::Spec) -> Option<usize>;
}

/// Parameters of an MLP: weights and biases of each layer, two per unit of each layer norm.
pub(crate) fn mlp_params(
    n_inputs: usize,
    hidden: &[usize],
    n_outputs: usize,
    layer_norm: bool,
) -> Option<usize> {
    let mut total = 0usize;
    let mut fan_in = n_inputs;
    for &w in hidden.iter().chain([&n_outputs]) {
        total = total.checked_add(fan_in.checked_mul(w)?.checked_add(w)?)?;
        fan_in = w;
    }
    if layer_norm {
        for &w in hidden {
            total = total.checked_add(w.checked_mul(2)?)?;
        }
    }
    Some(total)
}

impl Stored for Mlp {
    type Spec = MlpSpec;
    const KIND: &'static str = "mlp";
    fn spec(&self) -> &MlpSpec {
        &self.spec
    }
    fn skeleton(spec: &MlpSpec, device: &Device) -> Result<Self> {
        Mlp::init(spec, 0, device)
    }
    fn n_params(s: &MlpSpec) -> Option<usize> {
        mlp_params(s.n_inputs, &s.hidden, s.n_outputs, s.layer_norm)
    }
}

impl Stored for GatedFusion {
    type Spec = FusionSpec;
    const KIND: &'static str = "gated_fusion";
    fn spec(&self) -> &FusionSpec {
        &self.spec
    }
    fn skeleton(spec: &FusionSpec, device: &Device) -> Result<Self> {
        GatedFusion::init(spec, 0, device)
    }
    fn n_params(s: &FusionSpec) -> Option<usize> {
        let (&emb, inner) = s.hidden.split_last()?;
        let n_mod = s.widths.len();
        let mut total = 0usize;
        for &d in &s.widths {
            total = total.checked_add(mlp_params(d, inner, emb, s.layer_norm)?)?;
        }
        // the gate reads every embedding and the presence mask; the head one embedding
        let gate_in = n_mod.checked_mul(emb)?.checked_add(n_mod)?;
        total = total.checked_add(mlp_params(gate_in, &[], n_mod, false)?)?;
        total.checked_add(mlp_params(emb, &[], s.n_classes, false)?)
    }
}

impl Stored for AttentionPooling {
    type Spec = SequenceSpec;
    const KIND: &'static str = "attention_sequence";
    fn spec(&self) -> &SequenceSpec {
        &self.spec
    }
    fn skeleton(spec: &SequenceSpec, device: &Device) -> Result<Self> {
        AttentionPooling::init(spec, 0, device)
    }
    fn n_params(s: &SequenceSpec) -> Option<usize> {
        let (c, d) = (s.conv_channels, s.n_features);
        let conv = super::sequence::conv_params(d, c, s.conv_kernel)?;
        let width = if c > 0 { c } else { d };
        let project = mlp_params(width, &[], s.attention_dim, false)?;
        let score = mlp_params(s.attention_dim, &[], 1, false)?;
        let head = mlp_params(width, &s.hidden, s.n_classes, s.layer_norm)?;
        conv.checked_add(project)?
            .checked_add(score)?
            .checked_add(head)
    }
}

impl Stored for DialogueNet {
    type Spec = DialogueSpec;
    const KIND: &'static str = "dialogue";
    fn spec(&self) -> &DialogueSpec {
        &self.spec
    }
    fn skeleton(spec: &DialogueSpec, device: &Device) -> Result<Self> {
        DialogueNet::init(spec, 0, device)
    }
    fn n_params(s: &DialogueSpec) -> Option<usize> {
        DialogueNet::n_params(s)
    }
}

impl Stored for TraceNet {
    type Spec = TraceSpec;
    const KIND: &'static str = "trace_sequence";
    fn spec(&self) -> &TraceSpec {
        &self.spec
    }
    fn skeleton(spec: &TraceSpec, device: &Device) -> Result<Self> {
        TraceNet::init(spec, 0, device)
    }
    fn n_params(s: &TraceSpec) -> Option<usize> {
        s.n_params()
    }
}

impl Stored for LayerWeighted {
    type Spec = LayerwiseSpec;
    const KIND: &'static str = "layer_weighted";
    fn spec(&self) -> &LayerwiseSpec {
        &self.spec
    }
    fn skeleton(spec: &LayerwiseSpec, device: &Device) -> Result<Self> {
        LayerWeighted::init(spec, 0, device)
    }
    fn n_params(s: &LayerwiseSpec) -> Option<usize> {
        let attention = if s.pooling == Pooling::Attention {
            mlp_params(s.dim, &[], s.attention_dim, false)?.checked_add(mlp_params(
                s.attention_dim,
                &[],
                1,
                false,
            )?)?
        } else {
            0
        };
        let head = mlp_params(s.dim, &s.hidden, s.n_outputs, s.layer_norm)?;
        s.n_layers.checked_add(attention)?.checked_add(head)
    }
}

/// Any network a model file can hold.
// one per trained Python object and rarely moved: boxing would buy nothing
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum AnyNetwork {
    Mlp(Mlp),
    Fusion(GatedFusion),
    Sequence(AttentionPooling),
    Dialogue(DialogueNet),
    Trace(TraceNet),
    LayerWeighted(LayerWeighted),
}

impl AnyNetwork {
    pub fn to_bytes(&self, extra: &str) -> Result<Vec<u8>> {
        match self {
            Self::Mlp(m) => to_bytes(m, extra),
            Self::Fusion(m) => to_bytes(m, extra),
            Self::Sequence(m) => to_bytes(m, extra),
            Self::Dialogue(m) => to_bytes(m, extra),
            Self::Trace(m) => to_bytes(m, extra),
            Self::LayerWeighted(m) => to_bytes(m, extra),
        }
    }

    /// Reads a single-network model file of any kind: the network and `extra`.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<(Self, String)> {
        let (header, payload) = read_file(bytes, source)?;
        let extra = header.extra.clone();
        Ok((Self::load(header, payload, source)?, extra))
    }

    fn load(header: Header, payload: &[u8], source: &str) -> Result<Self> {
        Ok(match header.kind.as_str() {
            <Mlp as Stored>::KIND => Self::Mlp(load(header, payload, source)?),
            <GatedFusion as Stored>::KIND => Self::Fusion(load(header, payload, source)?),
            <AttentionPooling as Stored>::KIND => Self::Sequence(load(header, payload, source)?),
            <DialogueNet as Stored>::KIND => Self::Dialogue(load(header, payload, source)?),
            <TraceNet as Stored>::KIND => Self::Trace(load(header, payload, source)?),
            <LayerWeighted as Stored>::KIND => Self::LayerWeighted(load(header, payload, source)?),
            BUNDLE_KIND => {
                return Err(Error::io(
                    source,
                    "the file holds several networks; read it with affectkit.load_model",
                ))
            }
            other => {
                return Err(Error::io(
                    source,
                    format!("unknown network kind {other:?} in the model header"),
                ))
            }
        })
    }
}

/// The format this version writes and the only one it reads (1: single networks,
/// 2: bundles, 3: payload length, CRC-32 and shape bounds).
pub const FORMAT_VERSION: u32 = 3;
const BUNDLE_KIND: &str = "bundle";
const MAGIC: &[u8] = b"AFFECTKIT-MODEL\n";
/// Magic, header length field, checksum.
const FRAMING: usize = MAGIC.len() + 8 + 4;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format_version: u32,
    affectkit_version: String,
    /// [`Stored::KIND`] or `bundle`.
    kind: String,
    spec: serde_json::Value,
    payload_len: u64,
    extra: String,
}

/// CRC-32 with the IEEE 802.3 polynomial (reflected 0xEDB88320, initial and final
/// value 0xFFFFFFFF): the checksum of zlib, gzip and PNG, so `zlib.crc32` checks it.
pub fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut i = 0;
        while i < 256 {
            let mut c = i as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[i] = c;
            i += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |c, &b| {
        TABLE[((c ^ b as u32) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// Serialises `model` with the caller's `extra` metadata (any text, e.g. JSON).
pub fn to_bytes<M: Stored>(model: &M, extra: &str) -> Result<Vec<u8>> {
    let spec = serde_json::to_value(model.spec()).map_err(|e| Error::Internal(e.to_string()))?;
    let weights = model
        .clone()
        .into_record()
        .into_bytes()
        .map_err(|e| Error::Internal(format!("writing the weights: {e:?}")))?;
    write_file(M::KIND, spec, extra, &[&weights])
}

/// One part of a bundle as its header lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Part {
    name: String,
    len: u64,
}

/// Serialises several named networks into one file (a bundle) with `extra` metadata.
pub fn bundle_to_bytes(parts: &[(&str, &AnyNetwork)], extra: &str) -> Result<Vec<u8>> {
    let files = parts
        .iter()
        .map(|(_, m)| m.to_bytes(""))
        .collect::<Result<Vec<_>>>()?;
    let index: Vec<Part> = parts
        .iter()
        .zip(&files)
        .map(|((name, _), f)| Part {
            name: name.to_string(),
            len: f.len() as u64,
        })
        .collect();
    let spec = serde_json::to_value(index).map_err(|e| Error::Internal(e.to_string()))?;
    let payload: Vec<&[u8]> = files.iter().map(|f| &f[..]).collect();
    write_file(BUNDLE_KIND, spec, extra, &payload)
}

/// Reads a single-network file (one part named `""`) or a bundle: the named networks
/// and `extra`.
pub fn read_networks(bytes: &[u8], source: &str) -> Result<(Vec<(String, AnyNetwork)>, String)> {
    let (header, payload) = read_file(bytes, source)?;
    if header.kind != BUNDLE_KIND {
        let extra = header.extra.clone();
        return Ok((
            vec![(String::new(), AnyNetwork::load(header, payload, source)?)],
            extra,
        ));
    }
    let index: Vec<Part> = serde_json::from_value(header.spec).map_err(|e| {
        Error::io(
            source,
            format!("malformed bundle index in the model header: {e}"),
        )
    })?;
    let total = index.iter().try_fold(0u64, |sum, p| sum.checked_add(p.len));
    if total != Some(payload.len() as u64) {
        return Err(Error::io(
            source,
            format!(
                "the bundle index lists {} bytes of parts, the payload holds {}",
                total.map_or("more than 2^64".to_string(), |t| t.to_string()),
                payload.len()
            ),
        ));
    }
    let mut rest = payload;
    let mut out = Vec::with_capacity(index.len());
    for part in index {
        // within the payload: the sum was checked above
        let (file, tail) = rest.split_at(part.len as usize);
        let (h, p) = read_file(file, &format!("{source} (part {:?})", part.name))?;
        out.push((part.name, AnyNetwork::load(h, p, source)?));
        rest = tail;
    }
    Ok((out, header.extra))
}

fn write_file(
    kind: &str,
    spec: serde_json::Value,
    extra: &str,
    payload: &[&[u8]],
) -> Result<Vec<u8>> {
    let size: usize = payload.iter().map(|p| p.len()).sum();
    let header = Header {
        format_version: FORMAT_VERSION,
        affectkit_version: env!("CARGO_PKG_VERSION").to_string(),
        kind: kind.to_string(),
        spec,
        payload_len: size as u64,
        extra: extra.to_string(),
    };
    let header = serde_json::to_vec(&header).map_err(|e| Error::Internal(e.to_string()))?;
    let mut out = Vec::with_capacity(FRAMING + header.len() + size);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    for p in payload {
        out.extend_from_slice(p);
    }
    let sum = crc32(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    Ok(out)
}

/// Reads what [`to_bytes`] wrote: the model (on the inference device) and `extra`.
/// `source` names the file in error messages.
pub fn from_bytes<M: Stored>(bytes: &[u8], source: &str) -> Result<(M, String)> {
    let (header, payload) = read_file(bytes, source)?;
    let extra = header.extra.clone();
    Ok((load(header, payload, source)?, extra))
}

/// The network a checked header and its weights describe. The shape is bounded by the
/// weights' size before the skeleton is allocated.
fn load<M: Stored>(header: Header, weights: &[u8], source: &str) -> Result<M> {
    if header.kind != M::KIND {
        return Err(Error::io(
            source,
            format!(
                "the file holds a {} network, expected {}",
                header.kind,
                M::KIND
            ),
        ));
    }
    let spec: M::Spec = serde_json::from_value(header.spec).map_err(|e| {
        Error::io(
            source,
            format!("malformed network shape in the model header: {e}"),
        )
    })?;
    let needed = M::n_params(&spec).and_then(|n| n.checked_mul(std::mem::size_of::<f32>()));
    if !matches!(needed, Some(b) if b <= weights.len()) {
        return Err(Error::io(
            source,
            format!(
                "the header's network shape needs {} bytes of weights, the file holds {}",
                needed.map_or("more than 2^64".to_string(), |b| b.to_string()),
                weights.len()
            ),
        ));
    }
    let skeleton = M::skeleton(&spec, &Device::flex()).map_err(|e| {
        Error::io(
            source,
            format!("invalid network shape in the model header ({e})"),
        )
    })?;
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(weights.to_vec()))
        .map_err(|e| Error::io(source, format!("unreadable weights: {e:?}")))?;
    skeleton
        .try_load_record(record)
        .map_err(|e| Error::io(source, format!("weights do not fit the network: {e:?}")))
}

/// The checked header and the payload after it: magic, lengths, version and checksum.
fn read_file<'a>(bytes: &'a [u8], source: &str) -> Result<(Header, &'a [u8])> {
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| {
        Error::io(
            source,
            "not an affectkit model file (its first bytes are not AFFECTKIT-MODEL)",
        )
    })?;
    let truncated = |what: &str| {
        Error::io(
            source,
            format!(
                "truncated model file ({} bytes; {what} is cut short)",
                bytes.len()
            ),
        )
    };
    let len_bytes: [u8; 8] = rest
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| truncated("the header length"))?;
    let header_len = usize::try_from(u64::from_le_bytes(len_bytes)).unwrap_or(usize::MAX);
    let header_bytes = rest
        .get(8..8usize.saturating_add(header_len))
        .ok_or_else(|| truncated("the header"))?;
    let intact = bytes.len() >= FRAMING && {
        let (body, sum) = bytes.split_at(bytes.len() - 4);
        crc32(body).to_le_bytes() == sum
    };
    let corrupted = || {
        Error::io(
            source,
            "checksum mismatch: the model file is corrupted (changed or cut short after it was written)",
        )
    };
    let value: serde_json::Value = match serde_json::from_slice(header_bytes) {
        Ok(v) => v,
        Err(_) if !intact => return Err(corrupted()),
        Err(e) => return Err(Error::io(source, format!("unreadable model header: {e}"))),
    };
    let version = value.get("format_version").and_then(|v| v.as_u64());
    if version != Some(FORMAT_VERSION as u64) {
        let Some(version) = version else {
            return Err(if intact {
                Error::io(source, "the model header has no format_version")
            } else {
                corrupted()
            });
        };
        let writer = value
            .get("affectkit_version")
            .and_then(|v| v.as_str())
            .unwrap_or("an unknown version");
        let advice = if version < FORMAT_VERSION as u64 {
            "older files carry no checksum, so their integrity cannot be checked; retrain the model and save it again"
        } else {
            "read it with the affectkit version that wrote it (or a newer one)"
        };
        return Err(Error::io(
            source,
            format!(
                "model file format version {version} (written by affectkit {writer}) cannot be read by \
                 affectkit {} (format version {FORMAT_VERSION}): {advice}",
                env!("CARGO_PKG_VERSION"),
            ),
        ));
    }
    let header: Header = serde_json::from_value(value)
        .map_err(|e| Error::io(source, format!("malformed model header: {e}")))?;
    let expected = usize::try_from(header.payload_len)
        .ok()
        .and_then(|p| p.checked_add(header_len)?.checked_add(FRAMING));
    match expected {
        Some(n) if n == bytes.len() => {}
        Some(n) if n > bytes.len() => {
            return Err(Error::io(
                source,
                format!(
                    "truncated model file: its header announces {n} bytes, the file has {}",
                    bytes.len()
                ),
            ))
        }
        _ if !intact => return Err(corrupted()),
        _ => {
            return Err(Error::io(
                source,
                format!(
                    "the model header's payload_len {} does not match the file size ({} bytes)",
                    header.payload_len,
                    bytes.len()
                ),
            ))
        }
    }
    if !intact {
        return Err(corrupted());
    }
    let start = MAGIC.len() + 8 + header_len;
    Ok((header, &bytes[start..bytes.len() - 4]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::network::Activation;

    fn mlp(n_inputs: usize, layer_norm: bool) -> Mlp {
        let spec = MlpSpec {
            n_inputs,
            hidden: vec![5, 3],
            n_outputs: 2,
            activation: Activation::Relu,
            dropout: 0.0,
            layer_norm,
        };
        Mlp::init(&spec, 1, &Device::flex()).unwrap()
    }

    /// The file with its header text edited by `f` and the checksum recomputed: a
    /// deliberately written file, which the shape bounds must still catch.
    fn rewrite(bytes: &[u8], f: impl Fn(&str) -> String) -> Vec<u8> {
        let len = u64::from_le_bytes(bytes[16..24].try_into().unwrap()) as usize;
        let header = f(std::str::from_utf8(&bytes[24..24 + len]).unwrap());
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&(header.len() as u64).to_le_bytes());
        out.extend_from_slice(header.as_bytes());
        out.extend_from_slice(&bytes[24 + len..bytes.len() - 4]);
        let sum = crc32(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }

    #[test]
    fn crc32_is_the_ieee_checksum() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn parameter_counts_match_the_networks() {
        for layer_norm in [false, true] {
            let m = mlp(7, layer_norm);
            assert_eq!(Mlp::n_params(&m.spec), Some(m.num_params()));
            let bytes = to_bytes(&m, "").unwrap();
            // the weights hold 4 bytes per parameter (plus burnpack's own small header)
            let (h, payload) = read_file(&bytes, "f").unwrap();
            assert_eq!(h.payload_len as usize, payload.len());
            assert!(payload.len() >= 4 * m.num_params());
        }
        let spec = FusionSpec {
            widths: vec![3, 4],
            hidden: vec![6, 5],
            n_classes: 3,
            activation: Activation::Relu,
            dropout: 0.0,
            layer_norm: true,
        };
        let g = GatedFusion::init(&spec, 0, &Device::flex()).unwrap();
        assert_eq!(GatedFusion::n_params(&spec), Some(g.num_params()));
        for conv_channels in [0, 4] {
            let spec = SequenceSpec {
                n_features: 3,
                conv_channels,
                conv_kernel: 3,
                attention_dim: 5,
                hidden: vec![4],
                n_classes: 2,
                activation: Activation::Relu,
                dropout: 0.0,
                layer_norm: false,
            };
            let s = AttentionPooling::init(&spec, 0, &Device::flex()).unwrap();
            assert_eq!(AttentionPooling::n_params(&spec), Some(s.num_params()));
        }
    }

    #[test]
    fn damaged_files_are_read_errors_naming_the_file() {
        let bytes = to_bytes(&mlp(4, false), "{\"k\":1}").unwrap();
        assert_eq!(from_bytes::<Mlp>(&bytes, "m.ak").unwrap().1, "{\"k\":1}");
        let err = |b: &[u8]| match from_bytes::<Mlp>(b, "m.ak") {
            Err(e @ Error::Io { .. }) => e.to_string(),
            other => panic!("expected a read error, got {other:?}"),
        };
        // every single flipped byte, header or weights or checksum, is caught
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(err(&b).starts_with("m.ak: "), "byte {i}");
        }
        for cut in [0, 10, 20, 30, bytes.len() / 2, bytes.len() - 1] {
            assert!(err(&bytes[..cut]).starts_with("m.ak: "), "cut at {cut}");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(err(&long).contains("checksum"));
        let mut flipped = bytes.clone();
        let n = flipped.len();
        flipped[n - 10] ^= 1;
        assert!(err(&flipped).contains("checksum mismatch"));
        // a header claiming 10^12 inputs (checksum valid): refused before allocating
        let huge = rewrite(&bytes, |h| {
            h.replace("\"n_inputs\":4", "\"n_inputs\":1000000000000")
        });
        assert!(
            err(&huge).contains("needs 20000000000124 bytes of weights"),
            "{}",
            err(&huge)
        );
        let overflow = rewrite(&bytes, |h| {
            h.replace("\"n_inputs\":4", "\"n_inputs\":18446744073709551615")
        });
        assert!(err(&overflow).contains("more than 2^64"));
        let wrong_type = rewrite(&bytes, |h| {
            h.replace("\"n_inputs\":4", "\"n_inputs\":\"4\"")
        });
        assert!(err(&wrong_type).contains("malformed network shape"));
        let missing = rewrite(&bytes, |h| h.replace("\"kind\":\"mlp\",", ""));
        assert!(err(&missing).contains("malformed model header"));
        let zero = rewrite(&bytes, |h| {
            h.replace("\"hidden\":[5,3]", "\"hidden\":[5,0]")
        });
        assert!(err(&zero).contains("invalid network shape"));
        let newer = rewrite(&bytes, |h| {
            h.replace("\"format_version\":3", "\"format_version\":9")
        });
        assert!(err(&newer).contains("format version 9"), "{}", err(&newer));
        let older = rewrite(&bytes, |h| {
            h.replace("\"format_version\":3", "\"format_version\":1")
        });
        assert!(err(&older).contains("retrain"), "{}", err(&older));
        assert!(err(b"nope").contains("not an affectkit model file"));
    }
}
