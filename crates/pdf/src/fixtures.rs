//! Genuine files for the tests of this crate: the sample scope, signed by its commercial lead,
//! exported and sealed by her. The corpus of crafted files under `tests/corpus/pdf/` is made
//! from it by `write_corpus` (run by hand: `cargo test -p scopepact-pdf -- --ignored`).

use scopepact_scope::interchange::Document;
use scopepact_scope::{document, signature};
use scopepact_signing::{KeyPair, Payload, PAYLOAD_FORMAT};

use crate::{export, Manifest, ManifestSignature, Paper, Record, LAYOUT, MANIFEST_FORMAT};

const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

pub fn manifest(key: &KeyPair) -> Manifest {
    let file = Document::parse(SAMPLE).expect("the sample parses");
    let model = document::model_from_file(&file);
    let content = signature::canonical_content(&model);
    let content_sha256 = scopepact_signing::sha256_hex(content.as_bytes());
    let payload = Payload {
        format: PAYLOAD_FORMAT.into(),
        document_id: "0192f5a0-0000-7000-8000-000000000001".into(),
        heads: vec![],
        content_sha256: content_sha256.clone(),
        signer: "Ana Ruiz".into(),
        email: "ana.ruiz@pressworks.example".into(),
        role: "commercial_lead".into(),
        public_key: key.public_key(),
        witness: None,
        time: "2026-11-24T10:00:00Z".into(),
        statement: "I commit to this scope.".into(),
        drawing_sha256: None,
    };
    Manifest {
        format: MANIFEST_FORMAT.into(),
        layout: LAYOUT,
        document_id: payload.document_id.clone(),
        paper: Paper::A4,
        content,
        content_sha256,
        heads: vec![],
        signatures: vec![ManifestSignature {
            id: "0192f5a0-0000-7000-8000-0000000000a1".into(),
            signature: key.sign(&payload.to_bytes()),
            payload,
            drawing: vec![],
        }],
        record: Record::default(),
        exported_at: "2026-11-24T10:01:00Z".into(),
        exported_by: "Ana Ruiz".into(),
        seal_key: key.public_key(),
    }
}

pub fn signed_export() -> Vec<u8> {
    let key = KeyPair::generate();
    export(&manifest(&key), &key).expect("the sample exports")
}

#[test]
fn the_same_manifest_draws_the_same_file() {
    let key = KeyPair::generate();
    let m = manifest(&key);
    assert_eq!(export(&m, &key).unwrap(), export(&m, &key).unwrap());
    let verified = crate::verify(&export(&m, &key).unwrap()).unwrap();
    assert_eq!(verified.exported_by, "Ana Ruiz");
    assert_eq!(verified.status, "in_validation");
}

/// Writes the crafted files of `tests/corpus/pdf/`, each with the reason `verify` must give.
#[test]
#[ignore = "writes the committed corpus; run by hand when the seal's form changes"]
fn write_corpus() {
    use crate::seal::{self, find_last};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/pdf");
    std::fs::create_dir_all(&dir).unwrap();
    let genuine = signed_export();
    let other = signed_export();
    let write = |name: &str, bytes: &[u8], expected: &str| {
        std::fs::write(dir.join(format!("{name}.pdf")), bytes).unwrap();
        std::fs::write(
            dir.join(format!("{name}.expected")),
            format!("{expected}\n"),
        )
        .unwrap();
    };
    let seal_of = |bytes: &[u8]| {
        let s = seal::parse(bytes).unwrap();
        (s.contents_at, s.signature.to_string(), s.key.to_string())
    };
    let replace_at = |bytes: &[u8], at: usize, old: usize, new: &[u8]| {
        let mut out = bytes[..at].to_vec();
        out.extend_from_slice(new);
        out.extend_from_slice(&bytes[at + old..]);
        out
    };
    let range_at = find_last(&genuine, b"/ByteRange [").unwrap() + 12;
    write(
        "byte-range-overflow",
        &replace_at(&genuine, range_at, 51, b"0 1 18446744073709551615 1"),
        "not in the form ScopePact writes",
    );
    let (contents, signature, key) = seal_of(&genuine);
    write(
        "upper-case-hex",
        &replace_at(
            &genuine,
            contents + 1,
            128,
            signature.to_uppercase().as_bytes(),
        ),
        "not in the form ScopePact writes",
    );
    let key_at = find_last(&genuine, key.as_bytes()).unwrap();
    write(
        "upper-case-key",
        &replace_at(&genuine, key_at, 64, key.to_uppercase().as_bytes()),
        "not in the form ScopePact writes",
    );
    write(
        "truncated",
        &genuine[..genuine.len() / 2],
        "carries no ScopePact seal",
    );
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write("random", &noise, "carries no ScopePact seal");
    let widened = format!(
        "{:012} {:012} {:012} {:012}",
        0,
        contents + 2,
        contents + 130,
        genuine.len() - contents - 130
    );
    write(
        "widened-range",
        &replace_at(&genuine, range_at, 51, widened.as_bytes()),
        "does not cover the whole file",
    );
    let (_, other_signature, _) = seal_of(&other);
    write(
        "contents-from-another-export",
        &replace_at(&genuine, contents + 1, 128, other_signature.as_bytes()),
        "changed after it was sealed",
    );
    let mut appended = genuine.clone();
    appended.extend_from_slice(b"1 0 obj\n<< >>\nendobj\n%%EOF\n");
    write("bytes-appended", &appended, "does not cover the whole file");
    // Re-sealed by someone else's key, the manifest naming it.
    let eve = KeyPair::generate();
    let mut m = manifest(&KeyPair::generate());
    m.seal_key = eve.public_key();
    write(
        "resealed-by-a-stranger",
        &export(&m, &eve).unwrap(),
        "none of its signers holds",
    );
}
