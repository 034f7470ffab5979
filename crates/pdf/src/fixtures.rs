//! Genuine files for the tests of this crate: the sample scope, signed by its commercial lead,
//! exported and sealed by her. The corpus of crafted files under `tests/corpus/pdf/` is made
//! from it by `write_corpus` (run by hand: `cargo test -p scopepact-pdf -- --ignored`).

use scopepact_scope::interchange::Document;
use scopepact_scope::{document, signing};
use scopepact_signing::certificate::{SigningCertificate, Subject};
use scopepact_signing::{KeyPair, Payload, PAYLOAD_FORMAT};

use crate::{export, Manifest, ManifestSignature, Paper, Record, LAYOUT, MANIFEST_FORMAT};

const SAMPLE: &str = include_str!("../../../tests/fixtures/press-line-retrofit.json");

pub fn manifest(key: &KeyPair) -> Manifest {
    let file = Document::parse(SAMPLE).expect("the sample parses");
    let model = document::model_from_file(&file);
    let content = signing::canonical_content(&model);
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

/// A PDF signing certificate for `key`'s owner, in a temporary folder.
pub fn certificate(dir: &std::path::Path) -> SigningCertificate {
    SigningCertificate::load_or_create(
        &dir.join(format!("{}.ed25519", uuid_like())),
        &Subject {
            name: "Ana Ruiz".into(),
            email: "ana.ruiz@pressworks.example".into(),
            organisation: "Pressworks S.L.".into(),
        },
    )
    .expect("a certificate")
}

fn uuid_like() -> String {
    hex::encode(rand::random::<[u8; 8]>())
}

pub fn signed_export() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let key = KeyPair::generate();
    export(&manifest(&key), &key, &certificate(dir.path())).expect("the sample exports")
}

#[test]
fn the_same_manifest_draws_the_same_revision_one() {
    let key = KeyPair::generate();
    let m = manifest(&key);
    assert_eq!(
        crate::sheet::draw(&m).unwrap().0,
        crate::sheet::draw(&m).unwrap().0
    );
    let dir = tempfile::tempdir().unwrap();
    let verified = crate::verify(&export(&m, &key, &certificate(dir.path())).unwrap()).unwrap();
    assert_eq!(verified.exported_by, "Ana Ruiz");
    assert_eq!(verified.status, "in_validation");
    assert_eq!(verified.pdf_signatures.len(), 1);
    assert_eq!(verified.pdf_signatures[0].field, "Export seal");
    assert_eq!(verified.pdf_signatures[0].issuer, "self");
    assert_eq!(
        verified.unsigned_fields,
        ["Commercial lead", "Operational lead", "Customer"]
    );
}

/// Writes the crafted files of `tests/corpus/pdf/`, each with the reason `verify` must give.
#[test]
#[ignore = "writes the committed corpus; run by hand when the file's form changes"]
fn write_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/pdf");
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
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
    let find = |bytes: &[u8], needle: &[u8]| crate::find_last(bytes, needle).unwrap();
    let replace_at = |bytes: &[u8], at: usize, old: usize, new: &[u8]| {
        let mut out = bytes[..at].to_vec();
        out.extend_from_slice(new);
        out.extend_from_slice(&bytes[at + old..]);
        out
    };
    let range_at = find(&genuine, b"/ByteRange [") + 12;
    // A shorter byte range moves every offset after it: the PDF itself no longer reads.
    write(
        "byte-range-overflow",
        &replace_at(&genuine, range_at, 51, b"0 1 18446744073709551615 1"),
        "not a whole, readable PDF",
    );
    // The same numbers, padded to their width, where the file still reads.
    write(
        "byte-range-overflow-padded",
        &replace_at(
            &genuine,
            range_at,
            51,
            b"000000000000 000000000001 18446744073709551615 0001",
        ),
        "something other than a signature was added",
    );
    let contents_at = find(&genuine, b"/Contents <") + 11;
    let upper = std::str::from_utf8(&genuine[contents_at..contents_at + 200])
        .unwrap()
        .to_uppercase();
    write(
        "upper-case-hex",
        &replace_at(&genuine, contents_at, 200, upper.as_bytes()),
        "something other than a signature was added",
    );
    write(
        "truncated",
        &genuine[..genuine.len() / 2],
        "not a whole, readable PDF",
    );
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    write("random", &noise, "does not start as a PDF does");
    let widened = format!(
        "{:012} {:012} {:012} {:012}",
        0,
        contents_at + 2,
        contents_at + 16_386,
        genuine.len() - contents_at - 16_386
    );
    write(
        "widened-range",
        &replace_at(&genuine, range_at, 51, widened.as_bytes()),
        "something other than a signature was added",
    );
    let other_at = find(&other, b"/Contents <") + 11;
    write(
        "contents-from-another-export",
        &replace_at(
            &genuine,
            contents_at,
            16_384,
            &other[other_at..other_at + 16_384],
        ),
        "Digest Mismatch",
    );
    let mut appended = genuine.clone();
    appended.extend_from_slice(b"1 0 obj\n<< >>\nendobj\n%%EOF\n");
    // Appended without a cross-reference of their own: the PDF itself no longer reads.
    write("bytes-appended", &appended, "not a whole, readable PDF");
    // Sealed by someone whose key no signature vouches for, the manifest naming it.
    let eve = KeyPair::generate();
    let mut m = manifest(&KeyPair::generate());
    m.seal_key = eve.public_key();
    let cert_dir = tempfile::tempdir().unwrap();
    write(
        "resealed-by-a-stranger",
        &export(&m, &eve, &certificate(cert_dir.path())).unwrap(),
        "none of its signers holds",
    );
    // The genuine seal's certificate swapped for a stranger's: its binding does not hold.
    let stranger = certificate(cert_dir.path());
    let key = KeyPair::generate();
    let mut m = manifest(&key);
    m.seal_key = key.public_key();
    let (first, form) = crate::sheet::draw(&m).unwrap();
    let binding =
        scopepact_signing::certificate::bind(&KeyPair::generate(), stranger.certificate());
    let forged = crate::pades::fill(
        first,
        &form,
        form.next_id,
        crate::FieldRole::Seal,
        &crate::pades::Signer {
            certificate: &stranger,
            binding: &binding,
            name: "Ana Ruiz",
            at: &m.exported_at,
        },
    )
    .unwrap();
    write(
        "certificate-not-bound",
        &forged,
        "not the one its signer bound",
    );
}

#[test]
fn a_certificate_past_its_validity_does_not_verify() {
    use scopepact_signing::certificate;
    let dir = tempfile::tempdir().unwrap();
    let root_key = certificate::create_key(&dir.path().join("root.pem")).unwrap();
    let root = certificate::root_certificate(&root_key, "Pressworks S.L.").unwrap();
    let key = KeyPair::generate();
    let ed_path = dir.path().join("ana.ed25519");
    let subject = Subject {
        name: "Ana Ruiz".into(),
        email: "ana.ruiz@pressworks.example".into(),
        organisation: "Pressworks S.L.".into(),
    };
    let mut cert = SigningCertificate::load_or_create(&ed_path, &subject).unwrap();
    // Issued for no day at all: expired as soon as it is made.
    let issued = certificate::issue(&root_key, &root, &cert.request(&subject).unwrap(), 0).unwrap();
    cert.adopt_chain(&ed_path, vec![issued, root.clone()])
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let file = export(&manifest(&key), &key, &cert).unwrap();
    let err = crate::verify_trusting(&file, &[root])
        .unwrap_err()
        .to_string();
    assert!(err.contains("expired"), "{err}");
}
