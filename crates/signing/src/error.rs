use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    #[error("cannot read the signing key {path}: {reason}")]
    ReadKey { path: PathBuf, reason: String },
    #[error("cannot write the signing key {path}: {reason}")]
    WriteKey { path: PathBuf, reason: String },
    #[error("{path} is not a ScopePact signing key")]
    NotAKey { path: PathBuf },
    #[error("the signing key {path} can be read by other users (mode {mode:o}); make it 0600 (chmod 600) before signing")]
    KeyExposed { path: PathBuf, mode: u32 },
    #[error("\"{0}\" is not an ed25519 public key")]
    BadPublicKey(String),
    #[error("the signature is not a valid ed25519 signature by {0} over what it claims to cover")]
    BadSignature(String),
    #[error("certificate: {0}")]
    Certificate(String),
}
