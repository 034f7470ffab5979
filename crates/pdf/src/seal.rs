//! The manifest inside the PDF and the seal over the whole file.
//!
//! The manifest (canonical content, signatures with their payloads and drawings) is embedded as
//! an attached file, so a verifier needs nothing but the PDF. The file is then sealed the way PDF
//! signatures are: an incremental update adds a seal dictionary whose `/ByteRange` covers every
//! byte of the file except the hex string `/Contents`, which holds the exporter's ed25519
//! signature over those bytes. Changing any byte anywhere breaks the seal.
//!
//! Why not (yet) a standard `adbe.pkcs7.detached` signature that poppler's `pdfsig` lists: that
//! needs a CMS `SignedData` with an X.509 certificate for each key, and Debian 12's NSS (what
//! `pdfsig` verifies with) does not check Ed25519 CMS signatures; the byte-range structure here is
//! the same, so the seal can become a CMS signature without touching the rest.

use lopdf::{Dictionary, Object, Stream};
use scopepact_signing::{sha256_hex, KeyPair, Payload};
use serde::{Deserialize, Serialize};

use crate::PdfError;

pub const MANIFEST_FORMAT: &str = "scopepact-manifest/v1";
pub const MANIFEST_NAME: &str = "scopepact-manifest.json";
/// Room for the seal: an ed25519 signature is 64 bytes (128 hex digits).
const CONTENTS_HEX: usize = 128;
/// Width of each `/ByteRange` number, so the numbers can be filled in after the offsets are
/// known without moving a byte.
const RANGE_DIGITS: usize = 12;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub document_id: String,
    pub title: String,
    /// The canonical content (the `scopepact/v1` file), exactly the bytes its hash covers.
    pub content: String,
    pub content_sha256: String,
    /// Automerge heads of the document exported.
    pub heads: Vec<String>,
    pub status: String,
    pub signatures: Vec<ManifestSignature>,
    /// RFC 3339.
    pub exported_at: String,
    pub exported_by: String,
    /// The exporter's public key (hex): the key that seals the file.
    pub seal_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestSignature {
    pub payload: Payload,
    pub signature: String,
    pub drawing: Vec<Vec<f64>>,
}

/// Adds the manifest as an embedded file to the document, and returns the saved bytes.
pub fn embed_manifest(mut doc: lopdf::Document, manifest: &Manifest) -> Result<Vec<u8>, PdfError> {
    let json =
        serde_json::to_vec_pretty(manifest).map_err(|e| PdfError::Manifest(e.to_string()))?;
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
    let mut bytes = vec![];
    doc.save_to(&mut bytes)
        .map_err(|e| PdfError::Pdf(e.to_string()))?;
    Ok(bytes)
}

/// Appends the seal (an incremental update) to a saved PDF.
pub fn seal(mut bytes: Vec<u8>, key: &KeyPair, sealed_at: &str) -> Result<Vec<u8>, PdfError> {
    let doc = lopdf::Document::load_mem(&bytes).map_err(|e| PdfError::Pdf(e.to_string()))?;
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| PdfError::Pdf("the PDF has no catalog".into()))?;
    let previous = last_startxref(&bytes)?;
    let id = doc.max_id + 1;
    if !bytes.ends_with(b"\n") {
        bytes.push(b'\n');
    }
    let offset = bytes.len();
    let placeholder = format!("{:0>width$}", 0, width = RANGE_DIGITS);
    let object = format!(
        "{id} 0 obj\n<< /Type /ScopePactSeal /Filter /ScopePact.Seal /SubFilter /ScopePact.ed25519 \
         /Key <{key}> /M ({sealed_at}) /ByteRange [{p} {p} {p} {p}] /Contents <{zeros}> >>\nendobj\n",
        key = key.public_key(),
        p = placeholder,
        zeros = "0".repeat(CONTENTS_HEX),
    );
    bytes.extend_from_slice(object.as_bytes());
    let xref = bytes.len();
    bytes.extend_from_slice(
        format!(
            "xref\n0 1\n0000000000 65535 f \n{id} 1\n{offset:010} 00000 n \ntrailer\n<< /Size {} /Root {} {} R /Prev {previous} /ScopePactSeal {id} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            id + 1,
            root.0,
            root.1,
        )
        .as_bytes(),
    );
    // Where the hex string starts and ends, then the byte range around it.
    let contents = find_last(&bytes, b"/Contents <")
        .ok_or_else(|| PdfError::Pdf("seal lost".into()))?
        + b"/Contents ".len();
    let after = contents + CONTENTS_HEX + 2;
    let ranges = [0, contents, after, bytes.len() - after];
    let range_text = ranges
        .iter()
        .map(|n| format!("{n:0>width$}", width = RANGE_DIGITS))
        .collect::<Vec<_>>()
        .join(" ");
    let range_at = find_last(&bytes, b"/ByteRange [")
        .ok_or_else(|| PdfError::Pdf("seal lost".into()))?
        + b"/ByteRange [".len();
    bytes[range_at..range_at + range_text.len()].copy_from_slice(range_text.as_bytes());
    let mut covered = bytes[..contents].to_vec();
    covered.extend_from_slice(&bytes[after..]);
    let signature = key.sign(&covered);
    bytes[contents + 1..contents + 1 + CONTENTS_HEX].copy_from_slice(signature.as_bytes());
    Ok(bytes)
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|window| window == needle)
}

fn last_startxref(bytes: &[u8]) -> Result<usize, PdfError> {
    let at = find_last(bytes, b"startxref").ok_or_else(|| PdfError::Pdf("no startxref".into()))?;
    std::str::from_utf8(&bytes[at + 9..])
        .ok()
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| PdfError::Pdf("unreadable startxref".into()))
}

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

/// Checks a file: the seal covers every byte but its own signature and verifies with the
/// manifest's sealing key; the manifest's content matches its hash; each signature verifies
/// over that content.
pub fn verify(bytes: &[u8]) -> Result<Verified, PdfError> {
    let tampered = |why: &str| PdfError::Tampered(why.to_string());
    let seal_at = find_last(bytes, b"/Type /ScopePactSeal").ok_or_else(|| {
        tampered(
            "it carries no ScopePact seal (not exported by ScopePact, or the seal was removed)",
        )
    })?;
    let seal = &bytes[seal_at..];
    let range_at = find_last(seal, b"/ByteRange [")
        .ok_or_else(|| tampered("the seal has no byte range"))?
        + b"/ByteRange [".len();
    let range_end = seal[range_at..]
        .iter()
        .position(|&b| b == b']')
        .ok_or_else(|| tampered("the seal's byte range is cut"))?;
    let ranges: Vec<usize> = std::str::from_utf8(&seal[range_at..range_at + range_end])
        .map_err(|_| tampered("the seal's byte range is not text"))?
        .split_whitespace()
        .map(|n| n.parse())
        .collect::<Result<_, _>>()
        .map_err(|_| tampered("the seal's byte range is not numbers"))?;
    let [start, first, second, length] = ranges[..] else {
        return Err(tampered("the seal's byte range is not two ranges"));
    };
    if start != 0
        || second + length != bytes.len()
        || first >= second
        || second - first != CONTENTS_HEX + 2
    {
        return Err(tampered("the seal does not cover the whole file"));
    }
    if bytes[first] != b'<' || bytes[second - 1] != b'>' {
        return Err(tampered(
            "the seal's signature is not where its byte range says",
        ));
    }
    let signature = std::str::from_utf8(&bytes[first + 1..second - 1])
        .map_err(|_| tampered("the seal's signature is not hex"))?;
    let key_at = find_last(seal, b"/Key <").ok_or_else(|| tampered("the seal names no key"))? + 6;
    let key_end = seal[key_at..]
        .iter()
        .position(|&b| b == b'>')
        .ok_or_else(|| tampered("the seal's key is cut"))?;
    let key = std::str::from_utf8(&seal[key_at..key_at + key_end])
        .map_err(|_| tampered("the seal's key is not hex"))?;
    let mut covered = bytes[..first].to_vec();
    covered.extend_from_slice(&bytes[second..]);
    scopepact_signing::verify_bytes(key, &covered, signature)
        .map_err(|_| tampered("the file was changed after it was sealed"))?;

    let manifest = read_manifest(bytes)?;
    if manifest.seal_key != key {
        return Err(tampered(
            "the seal was made with a key other than the exporter's",
        ));
    }
    if manifest.format != MANIFEST_FORMAT {
        return Err(tampered("the manifest is not a ScopePact manifest"));
    }
    if sha256_hex(manifest.content.as_bytes()) != manifest.content_sha256 {
        return Err(tampered("the manifest's content does not match its hash"));
    }
    let mut signatures = vec![];
    for s in &manifest.signatures {
        let p = &s.payload;
        if p.document_id != manifest.document_id || p.content_sha256 != manifest.content_sha256 {
            return Err(PdfError::NotCurrent(format!(
                "{}'s signature covers other content than this file's",
                p.signer
            )));
        }
        scopepact_signing::verify(p, &s.signature)
            .map_err(|_| tampered(&format!("{}'s signature does not verify", p.signer)))?;
        let drawn = (!s.drawing.is_empty())
            .then(|| sha256_hex(&serde_json::to_vec(&s.drawing).unwrap_or_default()));
        if drawn != p.drawing_sha256 {
            return Err(tampered(&format!(
                "{}'s drawn signature was altered",
                p.signer
            )));
        }
        signatures.push(VerifiedSignature {
            signer: p.signer.clone(),
            email: p.email.clone(),
            role: p.role.clone(),
            time: p.time.clone(),
            fingerprint: scopepact_signing::fingerprint(&p.public_key).unwrap_or_default(),
            witness: p.witness.clone(),
        });
    }
    Ok(Verified {
        document_id: manifest.document_id,
        title: manifest.title,
        status: manifest.status,
        content_sha256: manifest.content_sha256,
        signatures,
        exported_at: manifest.exported_at,
        exported_by: manifest.exported_by,
        seal_fingerprint: scopepact_signing::fingerprint(key).unwrap_or_default(),
    })
}

/// The manifest embedded in a ScopePact PDF.
pub fn read_manifest(bytes: &[u8]) -> Result<Manifest, PdfError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| PdfError::Pdf(e.to_string()))?;
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
    let content = file
        .decompressed_content()
        .unwrap_or_else(|_| file.content.clone());
    serde_json::from_slice(&content)
        .map_err(|e| PdfError::Tampered(format!("the embedded manifest is not readable: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};
    use scopepact_signing::PAYLOAD_FORMAT;

    const CONTENT: &str = r#"{"format":"scopepact/v1","title":"Prensa 7"}"#;

    fn manifest(signer: &KeyPair, sealer: &KeyPair) -> Manifest {
        let payload = Payload {
            format: PAYLOAD_FORMAT.into(),
            document_id: "doc".into(),
            heads: vec![],
            content_sha256: sha256_hex(CONTENT.as_bytes()),
            signer: "Ana Ruiz".into(),
            email: "ana@example.com".into(),
            role: "commercial_lead".into(),
            public_key: signer.public_key(),
            witness: None,
            time: "2026-11-24T10:00:00Z".into(),
            statement: "I commit.".into(),
            drawing_sha256: None,
        };
        Manifest {
            format: MANIFEST_FORMAT.into(),
            document_id: "doc".into(),
            title: "Prensa 7".into(),
            content: CONTENT.into(),
            content_sha256: sha256_hex(CONTENT.as_bytes()),
            heads: vec![],
            status: "signed".into(),
            signatures: vec![ManifestSignature {
                signature: signer.sign(&payload.to_bytes()),
                payload,
                drawing: vec![],
            }],
            exported_at: "2026-11-24T10:01:00Z".into(),
            exported_by: "Ana Ruiz".into(),
            seal_key: sealer.public_key(),
        }
    }

    fn file(manifest: &Manifest, sealer: &KeyPair) -> Vec<u8> {
        let mut pdf = PdfDocument::new("test");
        pdf.with_pages(vec![PdfPage::new(Mm(210.0), Mm(297.0), vec![])]);
        let doc = pdf.to_lopdf_document(&PdfSaveOptions::default(), &mut vec![]);
        seal(
            embed_manifest(doc, manifest).unwrap(),
            sealer,
            "2026-11-24T10:01:00Z",
        )
        .unwrap()
    }

    fn refused(bytes: &[u8]) -> String {
        verify(bytes).unwrap_err().to_string()
    }

    #[test]
    fn a_sealed_file_verifies_and_reads_back_its_manifest() {
        let ana = KeyPair::generate();
        let m = manifest(&ana, &ana);
        let bytes = file(&m, &ana);
        let verified = verify(&bytes).unwrap();
        assert_eq!(verified.signatures.len(), 1);
        assert_eq!(verified.signatures[0].signer, "Ana Ruiz");
        assert_eq!(read_manifest(&bytes).unwrap(), m);
    }

    #[test]
    fn a_forged_manifest_fails_even_under_a_fresh_seal() {
        let (ana, eve) = (KeyPair::generate(), KeyPair::generate());

        // A signature re-made with another key, still claiming Ana's key.
        let mut m = manifest(&ana, &eve);
        m.signatures[0].signature = eve.sign(&m.signatures[0].payload.to_bytes());
        assert!(refused(&file(&m, &eve)).contains("signature does not verify"));

        // The content edited, its hash left: the content no longer matches.
        let mut m = manifest(&ana, &eve);
        m.content = CONTENT.replace("Prensa 7", "Prensa 8");
        assert!(refused(&file(&m, &eve)).contains("does not match its hash"));

        // The content and its hash edited: the signatures cover other content.
        m.content_sha256 = sha256_hex(m.content.as_bytes());
        assert!(refused(&file(&m, &eve)).contains("covers other content"));

        // Sealed with a key other than the one the manifest names.
        let m = manifest(&ana, &ana);
        assert!(refused(&file(&m, &eve)).contains("other than the exporter's"));

        // The seal removed.
        let bytes = file(&manifest(&ana, &ana), &ana);
        let cut = find_last(&bytes, b"/Type /ScopePactSeal").unwrap();
        let mut stripped = bytes.clone();
        stripped[cut..cut + 20].copy_from_slice(b"/Type /Somethingelse");
        assert!(refused(&stripped).contains("no ScopePact seal"));
    }
}
