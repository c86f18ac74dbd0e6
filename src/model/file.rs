//! The model file: magic bytes, format version, payload length and SHA-256 checksum, then the
//! classifier as postcard bytes. Written atomically; the same model gives the same bytes.
//!
//! ```text
//! offset  size  field
//!      0     8  magic  b"STKMODEL"
//!      8     4  format version, u32 little-endian
//!     12     8  payload length, u64 little-endian
//!     20    32  SHA-256 of the payload
//!     52     n  payload (postcard): tag, tokenizer, tf-idf, regression, labels, metadata
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::features::{TfIdf, TfIdfParams};
use crate::model::{Classifier, Metadata, SoftmaxRegression};
use crate::text::TokenizerParams;

/// First bytes of every model file.
pub const MAGIC: &[u8; 8] = b"STKMODEL";
/// The format version this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 8 + 4 + 8 + 32;
const PAYLOAD_TAG: &str = "stancekit.classifier";

#[derive(Serialize, Deserialize)]
struct Payload {
    tag: String,
    tokenizer: TokenizerParams,
    tfidf: TfIdfParams,
    vocabulary: Vec<String>,
    idf: Vec<f64>,
    regression: SoftmaxRegression,
    labels: Vec<String>,
    metadata: Metadata,
}

/// Serializes a classifier to the bytes of a model file.
pub fn to_bytes(model: &Classifier) -> Result<Vec<u8>> {
    let payload = Payload {
        tag: PAYLOAD_TAG.into(),
        tokenizer: model.tokenizer().params().clone(),
        tfidf: model.tfidf().params().clone(),
        vocabulary: model.tfidf().vocabulary().to_vec(),
        idf: model.tfidf().idf().to_vec(),
        regression: model.regression().clone(),
        labels: model.labels().to_vec(),
        metadata: model.metadata().clone(),
    };
    let body = postcard::to_allocvec(&payload)
        .map_err(|e| Error::Params(format!("cannot serialize the model: {e}")))?;
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(body.len() as u64).to_le_bytes());
    out.extend_from_slice(&Sha256::digest(&body));
    out.extend_from_slice(&body);
    Ok(out)
}

/// Reads a classifier from model-file bytes; `origin` names the file in errors.
pub fn from_bytes(bytes: &[u8], origin: &Path) -> Result<Classifier> {
    let bad = |message: String| Error::ModelFormat {
        path: origin.to_path_buf(),
        message,
    };
    if bytes.len() < 8 || &bytes[..8] != MAGIC {
        return Err(bad("not a stancekit model file (wrong magic bytes)".into()));
    }
    if bytes.len() < HEADER_LEN {
        return Err(bad(format!(
            "truncated model file ({} bytes, the header alone has {HEADER_LEN})",
            bytes.len()
        )));
    }
    let version = u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if version > FORMAT_VERSION {
        return Err(bad(format!(
            "model format version {version} is newer than this stancekit reads ({FORMAT_VERSION}); upgrade stancekit"
        )));
    }
    if version == 0 {
        return Err(bad("model format version 0 is invalid".into()));
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&bytes[12..20]);
    let len = u64::from_le_bytes(len);
    let body = &bytes[HEADER_LEN..];
    if (body.len() as u64) < len {
        return Err(bad(format!(
            "truncated model file (payload has {} of {len} bytes)",
            body.len()
        )));
    }
    if body.len() as u64 > len {
        return Err(bad(format!(
            "model file has {} trailing bytes after the payload",
            body.len() as u64 - len
        )));
    }
    if Sha256::digest(body).as_slice() != &bytes[20..52] {
        return Err(bad("checksum mismatch: the model file is corrupted".into()));
    }
    let payload: Payload =
        postcard::from_bytes(body).map_err(|e| bad(format!("malformed model payload: {e}")))?;
    if payload.tag != PAYLOAD_TAG {
        return Err(bad(format!("unexpected payload type {:?}", payload.tag)));
    }
    if payload.vocabulary.len() != payload.idf.len() {
        return Err(bad("vocabulary and idf lengths differ".into()));
    }
    let tfidf = TfIdf::from_parts(payload.tfidf, payload.vocabulary, payload.idf);
    Classifier::from_parts(
        payload.tokenizer,
        tfidf,
        payload.regression,
        payload.labels,
        payload.metadata,
    )
    .map_err(|e| bad(e.to_string()))
}

/// Writes a model file atomically.
pub fn save(model: &Classifier, path: &Path) -> Result<()> {
    crate::io::write_atomic(path, &to_bytes(model)?)
}

/// Reads a model file.
pub fn load(path: &Path) -> Result<Classifier> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    from_bytes(&bytes, path)
}
