//! `scopepact verify`: what a file proves, with nothing but the file (decisions 0007, 0008).
//!
//! 1. The manifest is one this version reads, and its content matches its hash.
//! 2. Every content signature it lists verifies over that content, for that document.
//! 3. The sealing key is one the signed content vouches for: the key of a signature that holds
//!    (a lead's own, or the host's that witnessed the customer's). Anyone can make a key and
//!    seal a file; only a signer's key counts.
//! 4. Revision 1 is exactly what the manifest draws: pages, fonts, signature fields, metadata,
//!    drawn again and compared byte for byte.
//! 5. Every later revision is one signature filling one field, in the form ScopePact writes:
//!    the export seal first, then countersignatures. Each is a PAdES signature whose CMS covers
//!    every byte up to its end but itself, made with a certificate the field's signer bound with
//!    the ed25519 key the signed content vouches for.

use scopepact_signing::sha256_hex;
use serde::Serialize;

use crate::manifest::{self, Manifest, ManifestSignature, LAYOUT, MANIFEST_FORMAT};
use crate::pades::{self, FieldRole};
use crate::{sheet, PdfError, MAX_PDF_BYTES};

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

/// A PDF signature as `verify` reports it: one filled field.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PdfSignature {
    /// The field's name: `Export seal`, `Commercial lead`, `Operational lead`, `Customer`.
    pub field: String,
    pub signer: String,
    /// `seal`, or the signer's role (`commercial_lead`…).
    pub role: String,
    /// RFC 3339.
    pub time: String,
    /// The certificate's subject and issuer.
    pub subject: String,
    pub issuer_name: String,
    /// `self` (self-signed), `company root` (issued by a root given with `--trust`) or
    /// `unknown` (issued by someone else).
    pub issuer: String,
    /// SHA-256 of the certificate, hex.
    pub certificate_sha256: String,
    pub verdict: String,
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
    /// The PDF signatures, in the order they were made (the export seal first).
    pub pdf_signatures: Vec<PdfSignature>,
    /// Signature fields still empty.
    pub unsigned_fields: Vec<String>,
}

/// A checked file and what the checks read from it.
pub(crate) struct Checked {
    pub verified: Verified,
    pub manifest: Manifest,
    pub form: pades::Form,
    pub signed: Vec<FieldRole>,
}

/// [`verify_trusting`] with no company root.
pub fn verify(bytes: &[u8]) -> Result<Verified, PdfError> {
    verify_trusting(bytes, &[])
}

/// Checks a file; certificates issued by one of `roots` (DER) are reported as the company's.
pub fn verify_trusting(bytes: &[u8], roots: &[Vec<u8>]) -> Result<Verified, PdfError> {
    Ok(check(bytes, roots)?.verified)
}

/// [`verify_trusting`], with the manifest it read (for a caller's own checks).
pub fn verify_with_manifest(
    bytes: &[u8],
    roots: &[Vec<u8>],
) -> Result<(Verified, Manifest), PdfError> {
    let checked = check(bytes, roots)?;
    Ok((checked.verified, checked.manifest))
}

pub(crate) fn check(bytes: &[u8], roots: &[Vec<u8>]) -> Result<Checked, PdfError> {
    let tampered = |why: &str| PdfError::Tampered(why.to_string());
    if bytes.len() > MAX_PDF_BYTES {
        return Err(PdfError::Pdf(format!(
            "the file is larger than the {} MiB a ScopePact PDF can be",
            MAX_PDF_BYTES / (1024 * 1024)
        )));
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err(PdfError::Pdf("it does not start as a PDF does".into()));
    }
    let manifest = manifest::read(bytes).map_err(|e| match e {
        PdfError::Pdf(reason) => {
            PdfError::Tampered(format!("it is not a whole, readable PDF ({reason})"))
        }
        other => other,
    })?;
    if manifest.format != MANIFEST_FORMAT {
        return Err(tampered("the manifest is not a ScopePact manifest"));
    }
    if manifest.layout != LAYOUT {
        return Err(PdfError::Unproven(format!(
            "its pages were drawn with ScopePact's page layout {}, and this version draws layout \
             {LAYOUT}: verify it with the version that exported it",
            manifest.layout
        )));
    }
    if sha256_hex(manifest.content.as_bytes()) != manifest.content_sha256 {
        return Err(tampered("the manifest's content does not match its hash"));
    }
    // Revision 1 is what the manifest draws, byte for byte: pages, fonts, fields, manifest.
    let (first, form) = sheet::draw(&manifest)?;
    if !bytes.starts_with(&first) {
        return Err(tampered(
            "the file was changed after it was sealed: its pages are not the ones its signed \
             content draws (made again, or altered)",
        ));
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
    let (model, view) = sheet::model(&manifest)?;
    if scopepact_scope::signing::content_sha256(&model) != manifest.content_sha256 {
        return Err(tampered(
            "the manifest's content is not in the canonical form signatures cover",
        ));
    }
    let signed = pades::read_updates(bytes, first.len(), &form)?;
    let mut pdf_signatures = vec![];
    for s in &signed {
        pdf_signatures.push(pdf_signature(&manifest, s, roots)?);
    }
    let unsigned_fields = form
        .fields
        .iter()
        .filter(|f| !signed.iter().any(|s| s.role == f.role))
        .map(|f| f.role.name().to_string())
        .collect();
    Ok(Checked {
        verified: Verified {
            document_id: manifest.document_id.clone(),
            title: view.title,
            status: view.status.as_str().to_string(),
            content_sha256: manifest.content_sha256.clone(),
            signatures,
            exported_at: manifest.exported_at.clone(),
            exported_by: manifest.exported_by.clone(),
            seal_fingerprint: scopepact_signing::fingerprint(&manifest.seal_key)
                .unwrap_or_default(),
            pdf_signatures,
            unsigned_fields,
        },
        signed: signed.iter().map(|s| s.role).collect(),
        manifest,
        form,
    })
}

/// The ed25519 key the signed content vouches for as the holder of a field: the exporter's for
/// the seal, the key of the holding signature in that role for a signer's field.
pub(crate) fn field_key(manifest: &Manifest, role: FieldRole) -> Option<&str> {
    match role {
        FieldRole::Seal => Some(manifest.seal_key.as_str()),
        FieldRole::Signer(r) => manifest
            .signatures
            .iter()
            .find(|s| s.payload.role == r.as_str())
            .map(|s| s.payload.public_key.as_str()),
    }
}

/// One PDF signature: its certificate bound to the key the content vouches for, its issuer.
fn pdf_signature(
    manifest: &Manifest,
    signed: &pades::Signed,
    roots: &[Vec<u8>],
) -> Result<PdfSignature, PdfError> {
    use scopepact_signing::certificate as c;
    let name = signed.role.name();
    let key = field_key(manifest, signed.role).ok_or_else(|| {
        PdfError::Tampered(format!(
            "the {name} field is signed, but nobody signed the scope in that role"
        ))
    })?;
    c::check_binding(key, &signed.certificate, &signed.binding).map_err(|_| {
        PdfError::Tampered(format!(
            "the {name} signature's certificate is not the one its signer bound to the key the \
             scope vouches for"
        ))
    })?;
    let (subject, issuer_name) =
        c::describe(&signed.certificate).map_err(|e| PdfError::Tampered(e.to_string()))?;
    let now = std::time::SystemTime::now();
    if let Some(why) = c::not_valid_at(&signed.certificate, now) {
        return Err(PdfError::Tampered(format!(
            "the certificate of the {name} signature is not valid: {why}"
        )));
    }
    let issuer = if c::issued_by(&signed.certificate, &signed.certificate, now).is_ok() {
        "self"
    } else if roots
        .iter()
        .any(|root| c::issued_by(&signed.certificate, root, now).is_ok())
    {
        "company root"
    } else {
        "unknown"
    };
    let time = chrono::NaiveDateTime::parse_from_str(
        signed.time.get(2..16).unwrap_or_default(),
        "%Y%m%d%H%M%S",
    )
    .map(|t| {
        t.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    })
    .unwrap_or_else(|_| signed.time.clone());
    Ok(PdfSignature {
        field: name.to_string(),
        signer: signed.signer.clone(),
        role: match signed.role {
            FieldRole::Seal => "seal".to_string(),
            FieldRole::Signer(r) => r.as_str().to_string(),
        },
        time,
        subject,
        issuer_name,
        issuer: issuer.to_string(),
        certificate_sha256: c::certificate_fingerprint(&signed.certificate),
        verdict: "valid".to_string(),
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
    if scopepact_scope::signing::drawing_sha256(&s.drawing) != p.drawing_sha256 {
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
        .map(|s| s.key_holder().to_string())
        .ok_or_else(|| {
            PdfError::Tampered(
                "it was sealed with a key that none of its signers holds: whoever sealed it did \
                 not sign this scope"
                    .into(),
            )
        })
}
