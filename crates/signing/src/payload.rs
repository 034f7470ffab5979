//! What a signature covers. The payload is serialized as JSON with its fields in a fixed order
//! (the struct's), so the same payload always gives the same bytes, in any language that reads
//! the manifest.

use ed25519_dalek::Signature;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::key::verifying_key;
use crate::SigningError;

pub const PAYLOAD_FORMAT: &str = "scopepact-signature/v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// Always [`PAYLOAD_FORMAT`]: a signature made for another purpose cannot pass for one.
    pub format: String,
    pub document_id: String,
    /// Automerge heads of the document when signed, sorted hex.
    pub heads: Vec<String>,
    /// SHA-256 (hex) of the canonical scope content (DESIGN §5).
    pub content_sha256: String,
    pub signer: String,
    pub email: String,
    /// `commercial_lead`, `operational_lead` or `customer`.
    pub role: String,
    /// The key that signs, hex: the signer's own, or the host's when a customer signs on the
    /// host's laptop.
    pub public_key: String,
    /// The host whose key witnesses a customer's signature.
    pub witness: Option<String>,
    /// RFC 3339.
    pub time: String,
    pub statement: String,
    /// SHA-256 (hex) of the drawn signature's strokes, when there is a drawing.
    pub drawing_sha256: Option<String>,
}

impl Payload {
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// Hex as this crate writes it: lower case only, so one signature has one spelling (a file
/// whose signature could be re-cased without breaking it could be changed unnoticed).
pub(crate) fn decode_hex(text: &str) -> Option<Vec<u8>> {
    text.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        .then(|| hex::decode(text).ok())
        .flatten()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Checks that `signature` (hex) is the payload's key's signature over the payload.
pub fn verify(payload: &Payload, signature_hex: &str) -> Result<(), SigningError> {
    let bad = || SigningError::BadSignature(payload.signer.clone());
    if payload.format != PAYLOAD_FORMAT {
        return Err(bad());
    }
    let key = verifying_key(&payload.public_key)?;
    let bytes: [u8; 64] = decode_hex(signature_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    key.verify_strict(&payload.to_bytes(), &Signature::from_bytes(&bytes))
        .map_err(|_| bad())
}

/// Checks that `signature` (hex) is the signature of `message` by the key `public_key` (hex).
pub fn verify_bytes(
    public_key: &str,
    message: &[u8],
    signature_hex: &str,
) -> Result<(), SigningError> {
    let key = verifying_key(public_key)?;
    let bad = || SigningError::BadSignature(crate::fingerprint(public_key).unwrap_or_default());
    let bytes: [u8; 64] = decode_hex(signature_hex)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    key.verify_strict(message, &Signature::from_bytes(&bytes))
        .map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_read_in_lower_case_only() {
        let key = crate::KeyPair::generate();
        let signature = key.sign(b"scope");
        verify_bytes(&key.public_key(), b"scope", &signature).unwrap();
        assert!(verify_bytes(&key.public_key(), b"scope", &signature.to_uppercase()).is_err());
        assert!(verify_bytes(&key.public_key().to_uppercase(), b"scope", &signature).is_err());
    }

    use super::*;
    use crate::KeyPair;

    fn payload(key: &KeyPair) -> Payload {
        Payload {
            format: PAYLOAD_FORMAT.into(),
            document_id: "0193".into(),
            heads: vec!["ab".into()],
            content_sha256: sha256_hex(b"content"),
            signer: "Jörg Müller".into(),
            email: "j.mueller@pressworks.example".into(),
            role: "operational_lead".into(),
            public_key: key.public_key(),
            witness: None,
            time: "2026-11-24T10:00:00Z".into(),
            statement: "I commit operations to this scope.".into(),
            drawing_sha256: None,
        }
    }

    #[test]
    fn a_signature_verifies_and_any_change_breaks_it() {
        let key = KeyPair::generate();
        let signed = payload(&key);
        let signature = key.sign(&signed.to_bytes());
        verify(&signed, &signature).unwrap();

        let mut changed = signed.clone();
        changed.content_sha256 = sha256_hex(b"other content");
        assert!(verify(&changed, &signature).is_err());
        let mut changed = signed.clone();
        changed.role = "commercial_lead".into();
        assert!(verify(&changed, &signature).is_err());
        // The same payload re-signed with another key, claiming the first key: refused.
        let other = KeyPair::generate();
        assert!(verify(&signed, &other.sign(&signed.to_bytes())).is_err());
        // Not hex, wrong length.
        assert!(verify(&signed, "zz").is_err());
        assert!(verify(&signed, &signature[..64]).is_err());
    }

    #[test]
    fn the_payload_bytes_are_stable() {
        let key = KeyPair::generate();
        let p = payload(&key);
        assert_eq!(p.to_bytes(), p.clone().to_bytes());
        let text = String::from_utf8(p.to_bytes()).unwrap();
        assert!(text.starts_with("{\"format\":\"scopepact-signature/v1\",\"document_id\""));
    }
}
