//! Model files: a small versioned JSON header, then the weights as a Burn record
//! (burnpack).
//!
//! Layout: the magic line `AFFECTKIT-MODEL\n`, the header length as 8 little-endian
//! bytes, the header (UTF-8 JSON: format version, writing affectkit version, network
//! shape, and an opaque `extra` text the Python estimators use for their parameters
//! and classes; kept as text so that its numbers round-trip exactly), then the burnpack
//! bytes. Files from a newer (or unknown) format version are refused
//! with a message that names both versions.
//!
//! A *bundle* (format version 2) holds several named networks, e.g. the per-modality
//! classifiers of late fusion: the same magic and header with kind `bundle`, the part
//! names and byte lengths as its shape, then each part as a complete single-network
//! file. Single networks are still written as version 1, so older readers load them.

use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, Device};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::fusion::{FusionSpec, GatedFusion};
use super::network::{Mlp, MlpSpec};
use super::sequence::{AttentionPooling, SequenceSpec};
use crate::error::{Error, Result};

/// A network that model files can hold: its shape rebuilds an untrained skeleton that the
/// stored weights are loaded into.
pub trait Stored: Module + Sized {
    type Spec: Serialize + DeserializeOwned;
    /// Names the network type in the header.
    const KIND: &'static str;
    fn spec(&self) -> &Self::Spec;
    fn skeleton(spec: &Self::Spec, device: &Device) -> Result<Self>;
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
}

/// Any network a model file can hold.
// one per trained Python object and rarely moved: boxing would buy nothing
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum AnyNetwork {
    Mlp(Mlp),
    Fusion(GatedFusion),
    Sequence(AttentionPooling),
}

impl AnyNetwork {
    pub fn to_bytes(&self, extra: &str) -> Result<Vec<u8>> {
        match self {
            Self::Mlp(m) => to_bytes(m, extra),
            Self::Fusion(m) => to_bytes(m, extra),
            Self::Sequence(m) => to_bytes(m, extra),
        }
    }

    /// Reads a model file of any kind.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<(Self, String)> {
        let (header, _) = read_header(bytes, source)?;
        Ok(match header.kind.as_str() {
            "gated_fusion" => {
                let (m, e) = from_bytes(bytes, source)?;
                (Self::Fusion(m), e)
            }
            "attention_sequence" => {
                let (m, e) = from_bytes(bytes, source)?;
                (Self::Sequence(m), e)
            }
            BUNDLE_KIND => {
                return Err(Error::param(
                    source,
                    "the file holds several networks; read it with affectkit.load_model",
                ))
            }
            _ => {
                let (m, e) = from_bytes(bytes, source)?;
                (Self::Mlp(m), e)
            }
        })
    }
}

/// Bumped whenever a file written by this version cannot be read by an older one or
/// vice versa; this reader reads every version up to it (2 added bundles).
pub const FORMAT_VERSION: u32 = 2;
/// What single networks are written as: the oldest version that holds them.
const SINGLE_VERSION: u32 = 1;
const BUNDLE_KIND: &str = "bundle";
const MAGIC: &[u8] = b"AFFECTKIT-MODEL\n";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format_version: u32,
    affectkit_version: String,
    /// [`Stored::KIND`]; files from before other kinds existed hold MLPs.
    #[serde(default = "mlp_kind")]
    kind: String,
    spec: serde_json::Value,
    extra: String,
}

fn mlp_kind() -> String {
    Mlp::KIND.to_string()
}

/// Serialises `model` with the caller's `extra` metadata (any text, e.g. JSON).
pub fn to_bytes<M: Stored>(model: &M, extra: &str) -> Result<Vec<u8>> {
    let spec = serde_json::to_value(model.spec()).map_err(|e| Error::Internal(e.to_string()))?;
    let weights = model
        .clone()
        .into_record()
        .into_bytes()
        .map_err(|e| Error::Internal(format!("writing the weights: {e:?}")))?;
    write_file(SINGLE_VERSION, M::KIND, spec, extra, &[&weights])
}

/// One part of a bundle as its header lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Part {
    name: String,
    len: usize,
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
            len: f.len(),
        })
        .collect();
    let spec = serde_json::to_value(index).map_err(|e| Error::Internal(e.to_string()))?;
    let payload: Vec<&[u8]> = files.iter().map(|f| &f[..]).collect();
    write_file(FORMAT_VERSION, BUNDLE_KIND, spec, extra, &payload)
}

/// Reads a single-network file (one part named `""`) or a bundle: the named networks
/// and `extra`.
pub fn read_networks(bytes: &[u8], source: &str) -> Result<(Vec<(String, AnyNetwork)>, String)> {
    let (header, payload) = read_header(bytes, source)?;
    if header.kind != BUNDLE_KIND {
        let (m, extra) = AnyNetwork::from_bytes(bytes, source)?;
        return Ok((vec![(String::new(), m)], extra));
    }
    let index: Vec<Part> = serde_json::from_value(header.spec)
        .map_err(|e| Error::param(source, format!("unreadable bundle index: {e}")))?;
    let mut rest = payload;
    let mut out = Vec::with_capacity(index.len());
    for part in index {
        if part.len > rest.len() {
            return Err(Error::param(
                source,
                "truncated model file (a bundled network is cut short)",
            ));
        }
        let (file, tail) = rest.split_at(part.len);
        let (m, _) = AnyNetwork::from_bytes(file, source)?;
        out.push((part.name, m));
        rest = tail;
    }
    Ok((out, header.extra))
}

fn write_file(
    version: u32,
    kind: &str,
    spec: serde_json::Value,
    extra: &str,
    payload: &[&[u8]],
) -> Result<Vec<u8>> {
    let header = Header {
        format_version: version,
        affectkit_version: env!("CARGO_PKG_VERSION").to_string(),
        kind: kind.to_string(),
        spec,
        extra: extra.to_string(),
    };
    let header = serde_json::to_vec(&header).map_err(|e| Error::Internal(e.to_string()))?;
    let size: usize = payload.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(MAGIC.len() + 8 + header.len() + size);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    for p in payload {
        out.extend_from_slice(p);
    }
    Ok(out)
}

/// Reads what [`to_bytes`] wrote: the model (on the inference device) and `extra`.
/// `source` names the file in error messages.
pub fn from_bytes<M: Stored>(bytes: &[u8], source: &str) -> Result<(M, String)> {
    let (header, weights) = read_header(bytes, source)?;
    if header.kind != M::KIND {
        return Err(Error::param(
            source,
            format!(
                "the file holds a {} network, expected {}",
                header.kind,
                M::KIND
            ),
        ));
    }
    let spec: M::Spec = serde_json::from_value(header.spec)
        .map_err(|e| Error::param(source, format!("unreadable network shape: {e}")))?;
    let skeleton = M::skeleton(&spec, &Device::flex())?;
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(weights.to_vec()))
        .map_err(|e| Error::param(source, format!("unreadable weights: {e:?}")))?;
    let model = skeleton
        .try_load_record(record)
        .map_err(|e| Error::param(source, format!("weights do not fit the network: {e:?}")))?;
    Ok((model, header.extra))
}

/// The checked header and the weight bytes after it.
fn read_header<'a>(bytes: &'a [u8], source: &str) -> Result<(Header, &'a [u8])> {
    let not_ours = || {
        Error::param(
            source,
            "not an affectkit model file (bad magic bytes or truncated)",
        )
    };
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(not_ours)?;
    let len_bytes: [u8; 8] = rest
        .get(..8)
        .ok_or_else(not_ours)?
        .try_into()
        .map_err(|_| not_ours())?;
    let len = u64::from_le_bytes(len_bytes) as usize;
    let header_bytes = rest
        .get(8..8usize.saturating_add(len))
        .ok_or_else(not_ours)?;
    let value: serde_json::Value = serde_json::from_slice(header_bytes)
        .map_err(|e| Error::param(source, format!("unreadable model header: {e}")))?;
    let version = value.get("format_version").and_then(|v| v.as_u64());
    if !matches!(version, Some(v) if (1..=FORMAT_VERSION as u64).contains(&v)) {
        let writer = value
            .get("affectkit_version")
            .and_then(|v| v.as_str())
            .unwrap_or("an unknown version");
        return Err(Error::param(
            source,
            format!(
                "model file format version {} (written by affectkit {writer}) cannot be read by \
                 affectkit {} (format versions 1 to {FORMAT_VERSION}); load it with the affectkit \
                 version that wrote it and retrain or re-save",
                version.map_or("unknown".to_string(), |v| v.to_string()),
                env!("CARGO_PKG_VERSION"),
            ),
        ));
    }
    let header: Header = serde_json::from_value(value)
        .map_err(|e| Error::param(source, format!("unreadable model header: {e}")))?;
    Ok((header, &rest[8 + len..]))
}
