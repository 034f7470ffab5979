//! The signed PDF of a scope document (DESIGN §5): [`render`] lays the document out for print,
//! [`export`] embeds the signed manifest and seals the whole file, [`verify`] checks a file with
//! nothing but the file.

mod layout;
mod render;
mod seal;

pub use layout::Paper;
pub use render::{render, short_fingerprint, Printable};
pub use seal::{
    read_manifest, verify, Manifest, ManifestSignature, Verified, VerifiedSignature,
    MANIFEST_FORMAT,
};

use printpdf::PdfSaveOptions;
use scopepact_signing::KeyPair;

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
}

/// The finished file: laid out, fonts embedded and subset, manifest attached, sealed with `key`.
pub fn export(
    printable: &Printable<'_>,
    manifest: &Manifest,
    key: &KeyPair,
    paper: Paper,
) -> Result<Vec<u8>, PdfError> {
    let pdf = render(printable, paper)?;
    let mut warnings = vec![];
    let options = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let doc = pdf.to_lopdf_document(&options, &mut warnings);
    let bytes = seal::embed_manifest(doc, manifest)?;
    seal::seal(bytes, key, &manifest.exported_at)
}
