//! The manifest embedded in a signed PDF: everything its pages are drawn from.
//!
//! The pages are a pure function of the manifest (see [`crate::sheet`]), so `verify` draws them
//! again and compares: what the pages show is what the manifest holds. Its `content` is the
//! canonical scope every signature covers; the `record` (transfer meeting, earlier signatures,
//! amendments, audit timeline) is not signed content and is vouched for by the seal alone.

use lopdf::{Dictionary, Object, Stream};
use scopepact_scope::history::TimelineEntry;
use scopepact_scope::interchange::{Meeting, Satisfaction};
use scopepact_signing::Payload;
use serde::{Deserialize, Serialize};

use crate::layout::Paper;
use crate::PdfError;

pub const MANIFEST_FORMAT: &str = "scopepact-manifest/v2";
pub const MANIFEST_NAME: &str = "scopepact-manifest.json";
/// The page layout this version draws. A file records the layout it was drawn with: `verify`
/// can prove pages only for a layout it draws the same way.
pub const LAYOUT: u32 = 1;
/// Largest manifest read back (the 300-commitment scope's is about 400 KiB).
const MAX_MANIFEST_BYTES: usize = 32 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub layout: u32,
    pub document_id: String,
    pub paper: Paper,
    /// The canonical content (the `scopepact/v1` file), exactly the bytes its hash covers.
    pub content: String,
    pub content_sha256: String,
    /// Automerge heads of the document exported.
    pub heads: Vec<String>,
    /// The signatures that hold for `content`.
    pub signatures: Vec<ManifestSignature>,
    /// What the pages show beyond the signed content.
    pub record: Record,
    /// RFC 3339.
    pub exported_at: String,
    /// The exporter, as the signature that vouches for the sealing key names them.
    pub exported_by: String,
    /// The exporter's public key (hex): the key that seals the file.
    pub seal_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestSignature {
    /// The signature's id in the document (amendments name the ones they void).
    pub id: String,
    pub payload: Payload,
    pub signature: String,
    pub drawing: Vec<Vec<f64>>,
}

impl ManifestSignature {
    /// Whose key made it: the signer's own, or, for a customer who signed on a host's laptop,
    /// the host's. That person is who a seal with this key is vouched for as.
    pub fn key_holder(&self) -> &str {
        self.payload
            .witness
            .as_deref()
            .unwrap_or(&self.payload.signer)
    }
}

/// The part of the printed document that no content signature covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Signatures given earlier that no longer hold (content changed since, or voided).
    pub earlier_signatures: Vec<ManifestSignature>,
    pub amendments: Vec<AmendmentRecord>,
    pub meeting: Option<Meeting>,
    pub satisfaction: Option<Satisfaction>,
    /// The audit certificate's timeline, from the document's history.
    pub timeline: Vec<TimelineEntry>,
    /// The company's logo printed on the first page: the PNG or JPEG file, base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmendmentRecord {
    pub by: String,
    pub at: String,
    pub reason: String,
    /// Ids of the signatures it voided.
    pub voids: Vec<String>,
}

impl Manifest {
    /// The bytes embedded in the file (and read back by [`read`]).
    pub(crate) fn to_json(&self) -> Result<Vec<u8>, PdfError> {
        serde_json::to_vec_pretty(self).map_err(|e| PdfError::Manifest(e.to_string()))
    }
}

/// Adds the manifest as an embedded file to the document.
pub(crate) fn embed(doc: &mut lopdf::Document, json: Vec<u8>) -> Result<(), PdfError> {
    let mut params = Dictionary::new();
    params.set("Size", json.len() as i64);
    let mut file_dict = Dictionary::new();
    file_dict.set("Type", "EmbeddedFile");
    file_dict.set("Subtype", Object::Name(b"application#2Fjson".to_vec()));
    file_dict.set("Params", params);
    let file = doc.add_object(Stream::new(file_dict, json));
    let mut ef = Dictionary::new();
    ef.set("F", file);
    ef.set("UF", file);
    let mut spec = Dictionary::new();
    spec.set("Type", "Filespec");
    spec.set("F", Object::string_literal(MANIFEST_NAME));
    spec.set("UF", Object::string_literal(MANIFEST_NAME));
    spec.set(
        "Desc",
        Object::string_literal("ScopePact signed manifest: content and signatures"),
    );
    spec.set("AFRelationship", "Data");
    spec.set("EF", ef);
    let spec = doc.add_object(spec);
    let mut tree = Dictionary::new();
    tree.set(
        "Names",
        vec![
            Object::string_literal(MANIFEST_NAME),
            Object::Reference(spec),
        ],
    );
    let mut names = Dictionary::new();
    names.set("EmbeddedFiles", tree);
    let catalog = doc
        .catalog_mut()
        .map_err(|e| PdfError::Pdf(e.to_string()))?;
    catalog.set("Names", names);
    catalog.set("AF", vec![Object::Reference(spec)]);
    Ok(())
}

/// The manifest embedded in a ScopePact PDF.
pub fn read(bytes: &[u8]) -> Result<Manifest, PdfError> {
    let doc = crate::load(bytes)?;
    let missing = || PdfError::Tampered("the embedded manifest is missing".into());
    let catalog = doc.catalog().map_err(|_| missing())?;
    let names = catalog
        .get(b"Names")
        .and_then(|o| doc.dereference(o).map(|(_, o)| o))
        .and_then(Object::as_dict)
        .map_err(|_| missing())?;
    let tree = names
        .get(b"EmbeddedFiles")
        .and_then(|o| doc.dereference(o).map(|(_, o)| o))
        .and_then(Object::as_dict)
        .map_err(|_| missing())?;
    let entries = tree
        .get(b"Names")
        .and_then(Object::as_array)
        .map_err(|_| missing())?;
    let spec = entries
        .chunks(2)
        .find(|pair| matches!(pair[0].as_str(), Ok(name) if name == MANIFEST_NAME.as_bytes()))
        .and_then(|pair| pair.get(1))
        .ok_or_else(missing)?;
    let spec = doc
        .dereference(spec)
        .map_err(|_| missing())?
        .1
        .as_dict()
        .map_err(|_| missing())?;
    let file = spec
        .get(b"EF")
        .and_then(Object::as_dict)
        .and_then(|ef| ef.get(b"F"))
        .and_then(|o| doc.dereference(o).map(|(_, o)| o))
        .and_then(Object::as_stream)
        .map_err(|_| missing())?;
    // The manifest is written uncompressed; a filter on it is not ours.
    if file.dict.has(b"Filter") || file.content.len() > MAX_MANIFEST_BYTES {
        return Err(PdfError::Tampered(
            "the embedded manifest is not the one ScopePact writes".into(),
        ));
    }
    let manifest: Manifest = serde_json::from_slice(&file.content).map_err(|e| {
        if serde_json::from_slice::<serde_json::Value>(&file.content)
            .ok()
            .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(str::to_string))
            .is_some_and(|format| format != MANIFEST_FORMAT)
        {
            return PdfError::Unproven(
                "the file was exported by an earlier ScopePact, whose files cannot prove what \
                 their pages show: export it again"
                    .into(),
            );
        }
        PdfError::Tampered(format!("the embedded manifest is not readable: {e}"))
    })?;
    Ok(manifest)
}
