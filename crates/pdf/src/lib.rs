//! The signed PDF of a scope document (DESIGN §5). Its pages are drawn from a manifest alone
//! ([`sheet`]): the canonical content every signature covers, the signatures, and the record of
//! what came after. [`export`] draws the pages, embeds the manifest and seals the whole file;
//! [`verify`] checks a file with nothing but the file, down to drawing its pages again.

mod layout;
pub mod logo;
mod manifest;
mod pades;
mod reader;
mod render;
mod sheet;
mod verify;
mod words;

#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod fuzz;

pub use layout::Paper;
pub use manifest::{
    read as read_manifest, AmendmentRecord, Manifest, ManifestSignature, Record, LAYOUT,
    MANIFEST_FORMAT,
};
pub use pades::FieldRole;
pub use render::{short_fingerprint, Printable};
pub use verify::{
    verify, verify_trusting, verify_with_manifest, PdfSignature, Verified, VerifiedSignature,
};

use scopepact_signing::certificate::{self, SigningCertificate};
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
    #[error(transparent)]
    Logo(#[from] logo::LogoProblem),
}

/// The finished file: pages drawn from the manifest, fonts embedded and subset, signature
/// fields and manifest attached, then sealed: the exporter's PDF signature fills the seal field
/// (an incremental update), with `certificate` bound to `key` (the manifest's `seal_key`).
pub fn export(
    manifest: &Manifest,
    key: &KeyPair,
    certificate: &SigningCertificate,
) -> Result<Vec<u8>, PdfError> {
    if manifest.seal_key != key.public_key() {
        return Err(PdfError::CannotSeal(
            "the manifest names another sealing key than the exporter's".into(),
        ));
    }
    let (bytes, form) = sheet::draw(manifest)?;
    let binding = certificate::bind(key, certificate.certificate());
    pades::fill(
        bytes,
        &form,
        form.next_id,
        FieldRole::Seal,
        &pades::Signer {
            certificate,
            binding: &binding,
            name: &manifest.exported_by,
            at: &manifest.exported_at,
        },
    )
}

/// A countersigned file, with what was verified of the file before signing it (checked once:
/// a caller's further checks read these instead of verifying again).
pub struct Countersigned {
    pub file: Vec<u8>,
    pub fields: Vec<String>,
    pub verified: Verified,
    pub manifest: Manifest,
}

/// Adds the signer's PDF signature to their field(s) of a file that verifies: each field whose
/// scope signature was made with `key` (a lead's own; a host's for the customer they witnessed),
/// each in an incremental update of its own. Returns the new file and the fields filled.
pub fn countersign(
    file: &[u8],
    roots: &[Vec<u8>],
    key: &KeyPair,
    certificate: &SigningCertificate,
    at: &str,
) -> Result<Countersigned, PdfError> {
    let checked = verify::check(file, roots)?;
    let public_key = key.public_key();
    let mine: Vec<(FieldRole, String)> = checked
        .manifest
        .signatures
        .iter()
        .filter(|s| s.payload.public_key == public_key)
        .filter_map(|s| {
            let role = scopepact_scope::refusal::SignerRole::parse(&s.payload.role)?;
            let name = match &s.payload.witness {
                Some(host) => format!("{} (witnessed by {host})", s.payload.signer),
                None => s.payload.signer.clone(),
            };
            Some((FieldRole::Signer(role), name))
        })
        .filter(|(role, _)| checked.form.fields.iter().any(|f| f.role == *role))
        .collect();
    if mine.is_empty() {
        let signers: Vec<String> = checked
            .manifest
            .signatures
            .iter()
            .map(|s| s.payload.signer.clone())
            .collect();
        return Err(PdfError::CannotSeal(format!(
            "this profile did not sign this scope, so it has no field to sign in the PDF (its \
             signers: {})",
            signers.join(", ")
        )));
    }
    let open: Vec<&(FieldRole, String)> = mine
        .iter()
        .filter(|(role, _)| !checked.signed.contains(role))
        .collect();
    if open.is_empty() {
        return Err(PdfError::CannotSeal(format!(
            "the {} field is already signed in this file",
            mine[0].0.name()
        )));
    }
    let binding = certificate::bind(key, certificate.certificate());
    let mut out = file.to_vec();
    let first_id = checked.form.next_id + u32::try_from(checked.signed.len()).unwrap_or(0);
    let mut filled = vec![];
    for (next_id, (role, name)) in (first_id..).zip(open) {
        let signer = pades::Signer {
            certificate,
            binding: &binding,
            name,
            at,
        };
        out = pades::fill(out, &checked.form, next_id, *role, &signer)?;
        filled.push(role.name().to_string());
    }
    Ok(Countersigned {
        file: out,
        fields: filled,
        verified: checked.verified,
        manifest: checked.manifest,
    })
}

pub(crate) fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
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
