//! From a manifest to the file's bytes, deterministically: the same manifest always gives the
//! same bytes, so `verify` draws a file again and compares it with the one it was given.
//!
//! The pages are drawn from the model the manifest describes (its canonical content, with the
//! signatures and the record put back), never from the live document: what is printed is only
//! what the manifest holds.

use scopepact_scope::document;
use scopepact_scope::interchange as x;
use scopepact_scope::model::{Amendment, ScopeDoc};
use scopepact_scope::signing;
use scopepact_scope::view::DocumentView;

use crate::manifest::{self, Manifest};
use crate::render::{render, Printable};
use crate::{pades, PdfError};

/// The model the manifest describes, and its view.
pub(crate) fn model(manifest: &Manifest) -> Result<(ScopeDoc, DocumentView), PdfError> {
    let tampered = |why: String| PdfError::Tampered(why);
    let mut file: x::Document = serde_json::from_str(&manifest.content)
        .map_err(|e| tampered(format!("the manifest's content is not a scope: {e}")))?;
    let record = &manifest.record;
    file.meeting = record.meeting.clone();
    file.satisfaction = record.satisfaction.clone();
    let mut model = document::model_from_file(&file);
    for s in manifest.signatures.iter().chain(&record.earlier_signatures) {
        let kept = signing::record_of(&s.payload, &s.signature, &s.drawing).ok_or_else(|| {
            tampered(format!(
                "{}'s signature names no signer role (\"{}\")",
                s.payload.signer, s.payload.role
            ))
        })?;
        model.signatures.insert(s.id.clone(), kept);
    }
    for (n, a) in record.amendments.iter().enumerate() {
        model.amendments.insert(
            format!("{n:06}"),
            Amendment {
                by: a.by.clone(),
                at: a.at.clone(),
                reason: a.reason.clone(),
                voids: a.voids.clone(),
            },
        );
    }
    let view = DocumentView::of_model(&manifest.document_id, &model);
    Ok((model, view))
}

/// Revision 1 of the file: the pages, the signature fields and the manifest, always the same
/// bytes for the same manifest; and the form its signatures fill.
pub(crate) fn draw(manifest: &Manifest) -> Result<(Vec<u8>, pades::Form), PdfError> {
    let (model, view) = model(manifest)?;
    let seal_fingerprint = scopepact_signing::fingerprint(&manifest.seal_key)
        .map_err(|_| PdfError::Tampered("the sealing key is not an ed25519 key".into()))?;
    // A logo that does not read is left out, here and in the verifier alike: both draw the
    // same page.
    let logo = manifest.record.logo.as_deref().and_then(|encoded| {
        use base64::Engine;
        // Never decode more than a logo can be.
        if encoded.len() > crate::logo::MAX_LOGO_BYTES / 3 * 4 + 8 {
            return None;
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .ok()?;
        crate::logo::read(&bytes).ok()
    });
    let printable = Printable {
        document_id: &manifest.document_id,
        view: &view,
        timeline: &manifest.record.timeline,
        content_sha256: &manifest.content_sha256,
        exported_at: &manifest.exported_at,
        exported_by: &manifest.exported_by,
        seal_fingerprint: &seal_fingerprint,
        logo: logo.as_ref(),
    };
    let pdf = render(&printable, manifest.paper)?;
    let options = printpdf::PdfSaveOptions {
        subset_fonts: true,
        ..printpdf::PdfSaveOptions::default()
    };
    let mut doc = pdf.to_lopdf_document(&options, &mut vec![]);
    doc.version = "1.7".into();
    // printpdf names each file with random identifiers; this file's are its content's.
    let identifier = lopdf::Object::String(
        manifest
            .content_sha256
            .as_bytes()
            .get(..32)
            .unwrap_or_default()
            .to_vec(),
        lopdf::StringFormat::Literal,
    );
    doc.trailer.set("ID", vec![identifier.clone(), identifier]);
    let fields = pades::add_fields(&mut doc, &pades::roles(model.deal.is_significant()))?;
    manifest::embed(&mut doc, manifest.to_json()?)?;
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(lopdf::Object::as_reference)
        .map_err(|_| PdfError::Pdf("the PDF has no catalog".into()))?;
    let form = pades::Form {
        root,
        next_id: doc.max_id + 1,
        fields,
    };
    let mut bytes = vec![];
    doc.save_to(&mut bytes)
        .map_err(|e| PdfError::Pdf(e.to_string()))?;
    Ok((bytes, form))
}
