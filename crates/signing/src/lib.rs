//! Signatures for ScopePact (DESIGN §5). Each profile has an ed25519 key pair made when the
//! profile is; the private half stays in a file of the data directory readable only by its
//! owner, never in a document and never synced. A signature covers a [`Payload`]: what was
//! signed (document, heads, content hash), by whom, in which role, when, and the statement.

pub mod certificate;
mod cms;
mod error;
mod key;
mod payload;

pub use cms::{verify_detached, CmsSignature};
pub use error::SigningError;
pub use key::{fingerprint, KeyPair};
pub use payload::{sha256_hex, verify, verify_bytes, Payload, PAYLOAD_FORMAT};
