//! Model files: a small versioned JSON header, then the weights as a Burn record
//! (burnpack).
//!
//! Layout: the magic line `AFFECTKIT-MODEL\n`, the header length as 8 little-endian
//! bytes, the header (UTF-8 JSON: format version, writing affectkit version, network
//! shape, and an opaque `extra` text the Python estimators use for their parameters
//! and classes; kept as text so that its numbers round-trip exactly), then the burnpack
//! bytes. Files with another format version are refused
//! with a message that names both versions.

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
            _ => {
                let (m, e) = from_bytes(bytes, source)?;
                (Self::Mlp(m), e)
            }
        })
    }
}

/// Bumped whenever a file written by this version cannot be read by an older one or
/// vice versa.
pub const FORMAT_VERSION: u32 = 1;
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
    let header = Header {
        format_version: FORMAT_VERSION,
        affectkit_version: env!("CARGO_PKG_VERSION").to_string(),
        kind: M::KIND.to_string(),
        spec: serde_json::to_value(model.spec()).map_err(|e| Error::Internal(e.to_string()))?,
        extra: extra.to_string(),
    };
    let header = serde_json::to_vec(&header).map_err(|e| Error::Internal(e.to_string()))?;
    let weights = model
        .clone()
        .into_record()
        .into_bytes()
        .map_err(|e| Error::Internal(format!("writing the weights: {e:?}")))?;
    let mut out = Vec::with_capacity(MAGIC.len() + 8 + header.len() + weights.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(header.len() as u64).to_le_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(&weights);
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
    if version != Some(FORMAT_VERSION as u64) {
        let writer = value
            .get("affectkit_version")
            .and_then(|v| v.as_str())
            .unwrap_or("an unknown version");
        return Err(Error::param(
            source,
            format!(
                "model file format version {} (written by affectkit {writer}) cannot be read by \
                 affectkit {} (format version {FORMAT_VERSION}); load it with the affectkit \
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
