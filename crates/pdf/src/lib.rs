//! The signed PDF of a scope document (DESIGN §5). Its pages are drawn from a manifest alone
//! ([`sheet`]): the canonical content every signature covers, the signatures, and the record of
//! what came after. [`export`] draws the pages, embeds the manifest and seals the whole file;
//! [`verify`] checks a file with nothing but the file, down to drawing its pages again.

mod layout;
mod manifest;
mod render;
mod seal;
mod sheet;
mod verify;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod fuzz;

pub use layout::Paper;
pub use manifest::{
    read as read_manifest, AmendmentRecord, Manifest, ManifestSignature, Record, LAYOUT,
    MANIFEST_FORMAT,
};
pub use render::{short_fingerprint, Printable};
pub use verify::{verify, Verified, VerifiedSignature};

use scopepact_signing::KeyPair;

/// Largest file `verify` reads: the 300-commitment scope's PDF is under 1 MiB.
pub const MAX_PDF_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the embedded font {0} cannot be read")]
    Font(String),
    #[error("cannot write the manifest: {0}")]
    Manifest(String),
    #[error("not a readable PDF: {0}")]
    Pdf(String),
    /// The file was altered, or a signature in it does not verify.
    #[error("the file does not verify: {0}")]
    Tampered(String),
    /// The file is intact but is not the current signed state of its document.
    #[error("{0}")]
    NotCurrent(String),
    /// Nothing in the file is signed: no signature vouches for whoever sealed it.
    #[error("the file proves nothing: {0}")]
    Unsigned(String),
    /// The file may be genuine, but this version cannot prove what its pages show.
    #[error("the file cannot be verified: {0}")]
    Unproven(String),
    /// The exporter cannot seal this document's PDF.
    #[error("{0}")]
    CannotSeal(String),
}

/// The finished file: pages drawn from the manifest, fonts embedded and subset, manifest
/// attached, sealed with `key` (the manifest's `seal_key`).
pub fn export(manifest: &Manifest, key: &KeyPair) -> Result<Vec<u8>, PdfError> {
    if manifest.seal_key != key.public_key() {
        return Err(PdfError::CannotSeal(
            "the manifest names another sealing key than the exporter's".into(),
        ));
    }
    let (bytes, contents) = sheet::sealed_unsigned(manifest)?;
    Ok(seal::sign(bytes, contents, key))
}

/// Parses a PDF, bounded in size.
fn load(bytes: &[u8]) -> Result<lopdf::Document, PdfError> {
    if bytes.len() > MAX_PDF_BYTES {
        return Err(PdfError::Pdf(format!(
            "the file is {} MiB; a ScopePact PDF is at most {} MiB",
            bytes.len() / (1024 * 1024),
            MAX_PDF_BYTES / (1024 * 1024)
        )));
    }
    lopdf::Document::load_mem(bytes).map_err(|e| PdfError::Pdf(e.to_string()))
}
