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
use serde::{Deserialize, Serialize};

use super::network::{Mlp, MlpSpec};
use crate::error::{Error, Result};

/// Bumped whenever a file written by this version cannot be read by an older one or
/// vice versa.
pub const FORMAT_VERSION: u32 = 1;
const MAGIC: &[u8] = b"AFFECTKIT-MODEL\n";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Header {
    format_version: u32,
    affectkit_version: String,
    spec: MlpSpec,
    extra: String,
}

/// Serialises `model` with the caller's `extra` metadata (any text, e.g. JSON).
pub fn to_bytes(model: &Mlp, extra: &str) -> Result<Vec<u8>> {
    let header = Header {
        format_version: FORMAT_VERSION,
        affectkit_version: env!("CARGO_PKG_VERSION").to_string(),
        spec: model.spec.clone(),
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
pub fn from_bytes(bytes: &[u8], source: &str) -> Result<(Mlp, String)> {
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
    let device = Device::flex();
    let skeleton = Mlp::init(&header.spec, 0, &device)?;
    let weights = Bytes::from_bytes_vec(rest[8 + len..].to_vec());
    let record = ModuleRecord::from_bytes(weights)
        .map_err(|e| Error::param(source, format!("unreadable weights: {e:?}")))?;
    let model = skeleton
        .try_load_record(record)
        .map_err(|e| Error::param(source, format!("weights do not fit the network: {e:?}")))?;
    Ok((model, header.extra))
}
