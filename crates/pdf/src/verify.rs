//! `scopepact verify`: what a file proves, with nothing but the file.
//!
//! 1. The seal covers every byte but its own signature, and that signature verifies with the
//!    key the seal names.
//! 2. The manifest is one this version reads, names that key, and its content matches its hash.
//! 3. Every signature it lists verifies over that content, for that document.
//! 4. The sealing key is one the signed content vouches for: the key of a signature that holds
//!    (a lead's own, or the host's that witnessed the customer's). Anyone can make a key and
//!    seal a file; only a signer's key counts.
//! 5. The file is exactly what the manifest draws: its pages, fonts and metadata are drawn
//!    again from the manifest and compared byte for byte. Pages showing anything but the
//!    signed content do not verify, whoever sealed them.

use scopepact_signing::sha256_hex;
use serde::Serialize;

use crate::manifest::{self, Manifest, ManifestSignature, LAYOUT, MANIFEST_FORMAT};
use crate::{seal, sheet, PdfError, MAX_PDF_BYTES};

/// A signer as `verify` reports it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct VerifiedSignature {
    pub signer: String,
    pub email: String,
    pub role: String,
    pub time: String,
    pub fingerprint: String,
    pub witness: Option<String>,
}

/// What a verified file holds.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Verified {
    pub document_id: String,
    pub title: String,
    pub status: String,
    pub content_sha256: String,
    pub signatures: Vec<VerifiedSignature>,
    pub exported_at: String,
    pub exported_by: String,
    pub seal_fingerprint: String,
}

pub fn verify(bytes: &[u8]) -> Result<Verified, PdfError> {
    let tampered = |why: &str| PdfError::Tampered(why.to_string());
    if bytes.len() > MAX_PDF_BYTES {
        return Err(PdfError::Pdf(format!(
            "the file is larger than the {} MiB a ScopePact PDF can be",
            MAX_PDF_BYTES / (1024 * 1024)
        )));
    }
    let seal = seal::parse(bytes)?;
    scopepact_signing::verify_bytes(seal.key, &seal.covered(bytes), seal.signature)
        .map_err(|_| tampered("the file was changed after it was sealed"))?;

    let manifest = manifest::read(bytes)?;
    if manifest.format != MANIFEST_FORMAT {
        return Err(tampered("the manifest is not a ScopePact manifest"));
    }
    if manifest.seal_key != seal.key {
        return Err(tampered(
            "the seal was made with a key other than the exporter's",
        ));
    }
    if manifest.exported_at != seal.sealed_at {
        return Err(tampered(
            "the seal's time is not the export time the manifest gives",
        ));
    }
    if sha256_hex(manifest.content.as_bytes()) != manifest.content_sha256 {
        return Err(tampered("the manifest's content does not match its hash"));
    }
    let signatures = manifest
        .signatures
        .iter()
        .map(|s| holding_signature(&manifest, s))
        .collect::<Result<Vec<_>, _>>()?;
    for s in &manifest.record.earlier_signatures {
        authentic(&manifest, s)?;
    }
    let exporter = vouched_name(&manifest)?;
    if manifest.exported_by != exporter {
        return Err(tampered(&format!(
            "the manifest names {} as exporter, but the sealing key is {exporter}'s",
            manifest.exported_by
        )));
    }
    if manifest.layout != LAYOUT {
        return Err(PdfError::Unproven(format!(
            "its pages were drawn with ScopePact's page layout {}, and this version draws layout \
             {LAYOUT}: verify it with the version that exported it",
            manifest.layout
        )));
    }
    let (model, view) = sheet::model(&manifest)?;
    if scopepact_scope::signature::content_sha256(&model) != manifest.content_sha256 {
        return Err(tampered(
            "the manifest's content is not in the canonical form signatures cover",
        ));
    }
    let (expected, contents) = sheet::sealed_unsigned(&manifest)?;
    let after = contents + seal::CONTENTS_SPAN;
    let same = expected.len() == bytes.len()
        && expected.get(..contents) == bytes.get(..contents)
        && expected.get(after..) == bytes.get(after..);
    if !same {
        return Err(tampered(
            "its pages are not the ones its signed content draws: the file was made again or \
             altered before it was sealed",
        ));
    }
    Ok(Verified {
        document_id: manifest.document_id,
        title: view.title,
        status: view.status.as_str().to_string(),
        content_sha256: manifest.content_sha256,
        signatures,
        exported_at: manifest.exported_at,
        exported_by: manifest.exported_by,
        seal_fingerprint: scopepact_signing::fingerprint(seal.key).unwrap_or_default(),
    })
}

/// A signature that verifies, over any content of this document.
fn authentic(manifest: &Manifest, s: &ManifestSignature) -> Result<(), PdfError> {
    let p = &s.payload;
    if p.document_id != manifest.document_id {
        return Err(PdfError::Tampered(format!(
            "{}'s signature is for another document",
            p.signer
        )));
    }
    scopepact_signing::verify(p, &s.signature)
        .map_err(|_| PdfError::Tampered(format!("{}'s signature does not verify", p.signer)))?;
    if scopepact_scope::signature::drawing_sha256(&s.drawing) != p.drawing_sha256 {
        return Err(PdfError::Tampered(format!(
            "{}'s drawn signature was altered",
            p.signer
        )));
    }
    Ok(())
}

/// A signature that holds for the manifest's content.
fn holding_signature(
    manifest: &Manifest,
    s: &ManifestSignature,
) -> Result<VerifiedSignature, PdfError> {
    let p = &s.payload;
    if p.document_id != manifest.document_id || p.content_sha256 != manifest.content_sha256 {
        return Err(PdfError::NotCurrent(format!(
            "{}'s signature covers other content than this file's",
            p.signer
        )));
    }
    authentic(manifest, s)?;
    Ok(VerifiedSignature {
        signer: p.signer.clone(),
        email: p.email.clone(),
        role: p.role.clone(),
        time: p.time.clone(),
        fingerprint: scopepact_signing::fingerprint(&p.public_key).unwrap_or_default(),
        witness: p.witness.clone(),
    })
}

/// Who the sealing key belongs to, as a holding signature says: the signer of their own
/// signature, or the host that witnessed a customer's.
fn vouched_name(manifest: &Manifest) -> Result<String, PdfError> {
    if manifest.signatures.is_empty() {
        return Err(PdfError::Unsigned(
            "no signature in it holds, so nothing vouches for who sealed it or for its content \
             (an unsigned draft, or a scope whose signatures lapsed)"
                .into(),
        ));
    }
    manifest
        .signatures
        .iter()
        .find(|s| s.payload.public_key == manifest.seal_key)
        .map(|s| {
            s.payload
                .witness
                .clone()
                .unwrap_or_else(|| s.payload.signer.clone())
        })
        .ok_or_else(|| {
            PdfError::Tampered(
                "it was sealed with a key that none of its signers holds: whoever sealed it did \
                 not sign this scope"
                    .into(),
            )
        })
}
