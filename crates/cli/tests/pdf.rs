//! `scopepact export --format pdf` and `scopepact verify`, checked with real tools: qpdf,
//! poppler's pdfinfo, pdffonts and pdftotext. Then the file is tampered with in the ways that
//! matter and `verify` must say so.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use common::{tool, Env, JORG};

fn export(env: &Env, id: &str, paper: &str) -> std::path::PathBuf {
    let path = env.dir.path().join(format!("scope-{paper}.pdf"));
    env.ok(&[
        "--as",
        JORG,
        "export",
        id,
        "--format",
        "pdf",
        "-o",
        path.to_str().unwrap(),
        "--paper",
        paper,
    ]);
    path
}

#[test]
fn the_signed_pdf_is_valid_prints_everything_and_verifies() {
    let env = Env::new().with_sample_team();
    let id = env.sample_signed();
    for (paper, size) in [
        ("a4", "595.276 x 841.89 pts (A4)"),
        ("letter", "612 x 792 pts (letter)"),
    ] {
        let path = export(&env, &id, paper);
        let file = path.to_str().unwrap();
        tool("qpdf", &["--check", file]);
        let info = tool("pdfinfo", &[file]);
        assert!(info.contains(size), "{info}");
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert!(pages >= 5, "{pages} pages");
        let fonts = tool("pdffonts", &[file]);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(!rows.is_empty());
        for row in rows {
            // name, type, encoding, emb, sub, uni…: every font embedded and subset.
            let cells: Vec<&str> = row.split_whitespace().collect();
            let n = cells.len();
            assert_eq!(&cells[n - 5..n - 2], ["yes", "yes", "yes"], "{row}");
        }
        let text = tool("pdftotext", &["-layout", file, "-"]);
        for expected in [
            "Servo drive retrofit of the 800 t transfer press",
            "Jörg Müller",
            "Íñigo Fernández",
            "Metalúrgica del Norte S.A.",
            "Ambiguity register",
            "Audit certificate",
            &format!("page 1 of {pages}"),
            &format!("page {pages} of {pages}"),
            &id,
        ] {
            assert!(
                text.contains(expected),
                "{expected:?} missing from the PDF text"
            );
        }
        let verified = env.ok(&["verify", file]);
        assert!(verified.contains(": valid"), "{verified}");
        for signer in ["Ana Ruiz", "Jörg Müller", "Íñigo Fernández"] {
            assert!(
                verified
                    .lines()
                    .any(|l| l.starts_with(signer) && l.ends_with("valid")),
                "{signer}: {verified}"
            );
        }
    }
}

#[test]
fn verify_rejects_a_flipped_byte_an_edited_manifest_and_an_amended_document() {
    let env = Env::new().with_sample_team();
    let id = env.sample_signed();
    let path = export(&env, &id, "a4");
    let original = std::fs::read(&path).unwrap();
    let altered = env.dir.path().join("altered.pdf");
    let check = |bytes: &[u8], expected: &str| {
        std::fs::write(&altered, bytes).unwrap();
        let err = env.fails(&["verify", altered.to_str().unwrap()]);
        assert!(err.contains(expected), "{expected:?}: {err}");
    };

    // One byte flipped inside the first page's content stream.
    let stream = original.windows(6).position(|w| w == b"stream").unwrap() + 20;
    let mut flipped = original.clone();
    flipped[stream] ^= 0x01;
    check(&flipped, "changed after it was sealed");

    // The embedded manifest edited: a signer's name changed, same length.
    let at = original
        .windows("\"signer\": \"Ana Ruiz\"".len())
        .position(|w| w == "\"signer\": \"Ana Ruiz\"".as_bytes())
        .unwrap();
    let mut edited = original.clone();
    edited[at..at + 20].copy_from_slice(b"\"signer\": \"Eve Ruiz\"");
    check(&edited, "changed after it was sealed");

    // Not a ScopePact file at all, or cut short.
    check(&original[..original.len() / 2], "does not verify");

    // Untouched, it verifies; once the document is amended it is no longer the current state.
    env.ok(&["verify", path.to_str().unwrap()]);
    env.ok(&[
        "--as",
        JORG,
        "amend",
        &id,
        "--reason",
        "Customer asked for 24 spm",
    ]);
    env.ok(&[
        "--as",
        JORG,
        "validate",
        &id,
        "C-01",
        "--verdict",
        "conditional",
        "--note",
        "24 spm with die set D-120",
    ]);
    let err = env.fails(&["verify", path.to_str().unwrap()]);
    assert!(err.contains("changed after it was exported"), "{err}");
    assert!(err.contains("Customer asked for 24 spm"), "{err}");
    // Elsewhere (a device without the document), the file alone still verifies.
    let other = Env::new();
    assert!(other
        .ok(&["verify", path.to_str().unwrap()])
        .contains(": valid"));
}

#[test]
fn a_long_scope_breaks_across_pages_with_the_table_header_repeated() {
    let env = Env::new().with_sample_team();
    let id = env.ok(&["import", common::SAMPLE]).trim().to_string();
    common::add_long_commitments(&env.data(), &id, 60);
    let path = export(&env, &id, "a4");
    let file = path.to_str().unwrap();
    tool("qpdf", &["--check", file]);
    let info = tool("pdfinfo", &[file]);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages >= 12, "{pages} pages");
    let mut scope_pages = 0;
    for page in 1..=pages {
        let n = page.to_string();
        let text = tool("pdftotext", &["-f", &n, "-l", &n, "-layout", file, "-"]);
        assert!(
            text.contains(&format!("page {page} of {pages}")),
            "page {page}"
        );
        if text.contains("Schweißnaht") {
            scope_pages += 1;
            assert!(
                text.contains("Operational verdict"),
                "page {page} continues the scope table without its header"
            );
        }
    }
    assert!(scope_pages >= 8, "{scope_pages} pages of scope");
    // Every one of the 67 commitments is printed.
    let text = tool("pdftotext", &[file, "-"]);
    for n in [0, 30, 59] {
        assert!(text.contains(&format!("Línea {n}:")), "Línea {n}");
    }
}

#[test]
fn the_transfer_meeting_is_printed_once_held_and_the_file_still_verifies() {
    use scopepact_scope::edit::{AttendeeRole, Edit};
    let env = Env::new().with_sample_team();
    let id = env.sample_signed();
    let before = export(&env, &id, "a4");
    let text = tool("pdftotext", &[before.to_str().unwrap(), "-"]);
    assert!(
        !text.contains("Transfer meeting"),
        "printed before it was held"
    );

    let mut ws = scopepact_workspace::Workspace::open(Some(env.data())).unwrap();
    ws.act_as(Some(common::ANA.into())).unwrap();
    let edits = [
        Edit::ScheduleMeeting {
            at: "2026-12-02T09:30".into(),
            place: "Planta Avilés, sala de reuniones".into(),
        },
        Edit::SetAttendee {
            id: None,
            name: "Ana Ruiz".into(),
            email: String::new(),
            role: AttendeeRole::CommercialLead,
            present: true,
        },
        Edit::SetAttendee {
            id: None,
            name: "Jörg Müller".into(),
            email: String::new(),
            role: AttendeeRole::OperationalLead,
            present: true,
        },
        Edit::SetAttendee {
            id: None,
            name: "Íñigo Fernández".into(),
            email: "ifernandez@metanorte.example".into(),
            role: AttendeeRole::Customer,
            present: false,
        },
        Edit::UpdateMeetingNotes {
            agenda: None,
            minutes: Some("Pit depth confirmed; FAT in week 7.".into()),
        },
        Edit::AddDecision {
            text: "Łukasz Wiśniewski joins commissioning".into(),
        },
        Edit::AddActionItem {
            text: "Send the pit drawing".into(),
            owner: "Íñigo Fernández".into(),
            due: Some("2026-12-09".into()),
        },
        Edit::RecordMeetingHeld {
            at: "2026-12-02T11:00".into(),
        },
    ];
    for edit in &edits {
        ws.edit(&id, edit).unwrap();
    }
    drop(ws);

    let after = export(&env, &id, "a4");
    let file = after.to_str().unwrap();
    tool("qpdf", &["--check", file]);
    let text = tool("pdftotext", &["-layout", file, "-"]);
    for expected in [
        "Transfer meeting",
        "2 Dec 2026, 11:00 UTC", // dates are printed for people (issue 13), not as stored
        "Planta Avilés, sala de reuniones",
        "incomplete: customer not present",
        "absent",
        "Pit depth confirmed; FAT in week 7.",
        "1. Łukasz Wiśniewski joins commissioning",
        "Send the pit drawing",
        "recorded the transfer meeting as held",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    // The meeting is not signed content: the signatures still hold and the file verifies.
    let verified = env.ok(&["verify", file]);
    assert!(verified.contains(": valid"), "{verified}");
}

#[test]
fn an_old_pdf_is_not_current_once_the_document_is_amended() {
    let env = Env::new().with_sample_team();
    let id = env.sample_signed();
    let path = export(&env, &id, "a4");
    let file = path.to_str().unwrap();
    assert!(env.ok(&["verify", file]).contains(": valid"));
    // The amendment alone voids the signatures, though no content changed yet.
    env.ok(&["--as", JORG, "amend", &id, "--reason", "Die set changes"]);
    let err = env.fails(&["verify", file]);
    assert!(err.contains("amended after it was exported"), "{err}");
    assert!(err.contains("Die set changes"), "{err}");
}

/// What a forger does with a genuine export (finding 1 of issue 12): draws something else on
/// page 1, edits the manifest as they please (naming a key of their choosing), and would seal
/// the result again with it. Returns the forged file.
fn forge(
    genuine: &[u8],
    key: &scopepact_signing::KeyPair,
    draw_on_page_one: bool,
    edit_manifest: impl FnOnce(&mut serde_json::Value),
) -> Vec<u8> {
    use lopdf::{Object, Stream};
    // Revision 1 is everything up to the first %%EOF: the seal comes after it.
    let end = genuine.windows(6).position(|w| w == b"%%EOF\n").unwrap() + 6;
    let mut doc = lopdf::Document::load_mem(&genuine[..end]).unwrap();
    if draw_on_page_one {
        let page = *doc.get_pages().get(&1).unwrap();
        let mut content = doc.get_page_content(page);
        // A white box over the summary's figures, and a figure of the forger's own.
        content.extend_from_slice(
            b"\nq 1 g 150 560 300 160 re f 0 g 0 0 1 rg 150 640 120 12 re f Q\n",
        );
        doc.change_page_content(page, content).unwrap();
    }
    let manifest_id = doc
        .objects
        .iter()
        .find(|(_, o)| {
            o.as_stream().is_ok_and(|s| {
                s.dict.get(b"Type").and_then(Object::as_name).ok()
                    == Some(b"EmbeddedFile".as_slice())
            })
        })
        .map(|(id, _)| *id)
        .unwrap();
    let stream = doc
        .get_object_mut(manifest_id)
        .unwrap()
        .as_stream_mut()
        .unwrap();
    let mut manifest: serde_json::Value = serde_json::from_slice(&stream.content).unwrap();
    edit_manifest(&mut manifest);
    let json = serde_json::to_vec_pretty(&manifest).unwrap();
    let mut dict = stream.dict.clone();
    let mut params = lopdf::Dictionary::new();
    params.set("Size", json.len() as i64);
    dict.set("Params", params);
    *stream = Stream::new(dict, json);
    let mut bytes = vec![];
    doc.save_to(&mut bytes).unwrap();
    // The forger's own seal would follow; what verify checks first already refuses the file,
    // whatever seal comes after it.
    let _ = key;
    bytes
}

#[test]
fn a_forged_pdf_does_not_verify_even_against_the_real_document() {
    let env = Env::new().with_sample_team();
    let id = env.sample_signed();
    let path = export(&env, &id, "a4");
    let genuine = std::fs::read(&path).unwrap();
    let forged_path = env.dir.path().join("forged.pdf");
    let verify_forged = |bytes: &[u8]| {
        std::fs::write(&forged_path, bytes).unwrap();
        env.fails(&["verify", forged_path.to_str().unwrap()])
    };

    // The attack as found: other figures drawn on page 1, re-sealed with a fresh key that the
    // manifest names, the exporter's name kept.
    let eve = scopepact_signing::KeyPair::generate();
    let forged = forge(&genuine, &eve, true, |m| {
        m["seal_key"] = eve.public_key().into();
    });
    let err = verify_forged(&forged);
    assert!(err.contains("pages are not the ones its signed"), "{err}");

    // The same re-sealed file with the pages untouched: the pages print the sealing key, so
    // they are not what the forged manifest draws either. (A file drawn whole from a forged
    // manifest is refused for its key: tests/corpus/pdf/resealed-by-a-stranger.pdf.)
    let err = verify_forged(&forge(&genuine, &eve, false, |m| {
        m["seal_key"] = eve.public_key().into();
    }));
    assert!(err.contains("pages are not the ones its signed"), "{err}");

    // A genuine signer's own key cannot make the pages say something else either.
    let ana_key = {
        let manifest = scopepact_pdf_manifest(&genuine);
        let ana = manifest["signatures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["payload"]["signer"] == "Ana Ruiz")
            .unwrap()["payload"]["public_key"]
            .as_str()
            .unwrap()
            .to_string();
        std::fs::read_dir(env.data().join("keys"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ed25519"))
            .map(|p| scopepact_signing::KeyPair::load(&p).unwrap())
            .find(|k| k.public_key() == ana)
            .unwrap()
    };
    let err = verify_forged(&forge(&genuine, &ana_key, true, |m| {
        m["seal_key"] = ana_key.public_key().into();
        m["exported_by"] = "Ana Ruiz".into();
    }));
    assert!(
        err.contains("pages are not the ones its signed content draws"),
        "{err}"
    );

    // Nor rename the exporter, or retitle the manifest's record.
    let err = verify_forged(&forge(&genuine, &ana_key, false, |m| {
        m["seal_key"] = ana_key.public_key().into();
        m["exported_by"] = "Carmen Díaz".into();
    }));
    assert!(
        err.contains("pages are not the ones its signed content draws"),
        "{err}"
    );
    let err = verify_forged(&forge(&genuine, &ana_key, false, |m| {
        m["seal_key"] = ana_key.public_key().into();
        m["exported_by"] = "Ana Ruiz".into();
        m["record"]["timeline"][0]["by"] = "Someone else".into();
    }));
    assert!(
        err.contains("pages are not the ones its signed content draws"),
        "{err}"
    );

    // The genuine file itself still verifies.
    assert!(env
        .ok(&["verify", path.to_str().unwrap()])
        .contains(": valid"));
}

#[test]
fn a_draft_pdf_proves_nothing_and_only_a_signer_seals_a_signed_one() {
    let env = Env::new().with_sample_team();
    let id = env.ok(&["import", common::SAMPLE]).trim().to_string();
    let path = export(&env, &id, "a4");
    let err = env.fails(&["verify", path.to_str().unwrap()]);
    assert!(
        err.contains("proves nothing") && err.contains("unsigned draft"),
        "{err}"
    );
    let signed = env.sample_signed();
    let out = env.dir.path().join("by-carmen.pdf");
    let err = env.fails(&[
        "--as",
        common::CARMEN,
        "export",
        &signed,
        "--format",
        "pdf",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        err.contains("only someone who signed this scope can seal its PDF"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

fn scopepact_pdf_manifest(bytes: &[u8]) -> serde_json::Value {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let stream = doc
        .objects
        .values()
        .find_map(|o| {
            o.as_stream().ok().filter(|s| {
                s.dict.get(b"Type").and_then(lopdf::Object::as_name).ok()
                    == Some(b"EmbeddedFile".as_slice())
            })
        })
        .unwrap();
    serde_json::from_slice(&stream.content).unwrap()
}

/// pdfsig's report, one block per signature field: (field, lines of the block).
fn pdfsig_blocks(path: &std::path::Path, extra: &[&str]) -> Vec<(String, String)> {
    let mut args: Vec<&str> = extra.to_vec();
    let file = path.to_str().unwrap();
    args.push(file);
    // pdfsig exits 0 even on invalid signatures: its text is what tells.
    let out = std::process::Command::new("pdfsig")
        .args(&args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.split("Signature #")
        .skip(1)
        .map(|block| {
            let field = block
                .lines()
                .find_map(|l| l.trim().strip_prefix("- Signature Field Name: "))
                .unwrap_or_default()
                .to_string();
            (field, block.to_string())
        })
        .collect()
}

#[test]
fn readers_see_a_pades_seal_and_each_countersignature_and_every_change() {
    let env = Env::new().with_sample_team();
    let id = env.sample_signed();
    let path = export(&env, &id, "a4");
    let blocks = pdfsig_blocks(&path, &[]);
    assert_eq!(
        blocks.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        [
            "Export seal",
            "Commercial lead",
            "Operational lead",
            "Customer"
        ]
    );
    let seal = &blocks[0].1;
    for expected in [
        "Signature Validation: Signature is Valid.",
        "Signing Hash Algorithm: SHA-256",
        "Signature Type: ETSI.CAdES.detached",
        "Signer Certificate Common Name: Jörg Müller",
        "Total document signed",
    ] {
        assert!(seal.contains(expected), "{expected:?} in {seal}");
    }
    for (_, block) in &blocks[1..] {
        assert!(
            block.contains("The signature form field is not signed."),
            "{block}"
        );
    }
    tool("qpdf", &["--check", path.to_str().unwrap()]);
    assert!(tool("pdfinfo", &[path.to_str().unwrap()])
        .lines()
        .any(|l| l.starts_with("PDF version:") && l.ends_with(" 1.7")));

    // The other lead and the customer's host countersign, each on their own device's profile:
    // every signature stays valid.
    let file = path.to_str().unwrap();
    let said = env.ok(&["--as", common::ANA, "countersign", file]);
    assert!(
        said.contains("Commercial lead") && said.contains("Customer"),
        "{said}"
    );
    let signed = env.dir.path().join("signed-by-both.pdf");
    env.ok(&[
        "--as",
        JORG,
        "countersign",
        file,
        "-o",
        signed.to_str().unwrap(),
    ]);
    let blocks = pdfsig_blocks(&signed, &[]);
    assert_eq!(blocks.len(), 4);
    for (field, block) in &blocks {
        assert!(block.contains("Signature is Valid."), "{field}: {block}");
    }
    assert!(
        blocks[1].1.contains("Common Name: Ana Ruiz"),
        "{}",
        blocks[1].1
    );
    let verified: serde_json::Value =
        serde_json::from_str(&env.ok(&["verify", signed.to_str().unwrap(), "--json"])).unwrap();
    let fields: Vec<&str> = verified["pdf_signatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "Export seal",
            "Commercial lead",
            "Customer",
            "Operational lead"
        ]
    );
    for s in verified["pdf_signatures"].as_array().unwrap() {
        assert_eq!(s["verdict"], "valid");
        assert_eq!(s["issuer"], "self");
    }

    // openssl checks the seal's CMS over the bytes it covers.
    let dump = env.dir.path().join("dump");
    std::fs::create_dir_all(&dump).unwrap();
    let copy = dump.join("s.pdf");
    std::fs::copy(&signed, &copy).unwrap();
    std::process::Command::new("pdfsig")
        .current_dir(&dump)
        .args(["-dump", "s.pdf"])
        .output()
        .unwrap();
    let bytes = std::fs::read(&copy).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let at = text.find("/ByteRange [").unwrap() + 12;
    let numbers: Vec<usize> = text[at..at + 51]
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let mut covered = bytes[..numbers[1]].to_vec();
    covered.extend_from_slice(&bytes[numbers[2]..numbers[2] + numbers[3]]);
    std::fs::write(dump.join("covered.bin"), covered).unwrap();
    let out = std::process::Command::new("openssl")
        .current_dir(&dump)
        .args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "s.pdf.sig0",
            "-content",
            "covered.bin",
            "-noverify",
            "-out",
            "/dev/null",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // One flipped byte in revision 1: every signature is a digest mismatch and verify fails.
    let mut flipped = std::fs::read(&signed).unwrap();
    let stream = flipped.windows(6).position(|w| w == b"stream").unwrap() + 40;
    flipped[stream] ^= 0x01;
    let broken = env.dir.path().join("flipped.pdf");
    std::fs::write(&broken, &flipped).unwrap();
    for (field, block) in pdfsig_blocks(&broken, &[]) {
        assert!(block.contains("Digest Mismatch"), "{field}: {block}");
    }
    env.fails(&["verify", broken.to_str().unwrap()]);
    // Bytes after the last revision.
    let mut appended = std::fs::read(&signed).unwrap();
    appended.extend_from_slice(b"\n% a comment\n");
    std::fs::write(&broken, &appended).unwrap();
    let err = env.fails(&["verify", broken.to_str().unwrap()]);
    assert!(err.contains("does not verify"), "{err}");
}

#[test]
fn countersigning_is_refused_with_the_reason_and_writes_nothing() {
    let env = Env::new().with_sample_team();
    let id = env.sample_signed();
    let path = export(&env, &id, "a4");
    let out = env.dir.path().join("out.pdf");
    let o = out.to_str().unwrap();
    // The executive did not sign the scope: no field of hers.
    let err = env.fails(&[
        "--as",
        common::CARMEN,
        "countersign",
        path.to_str().unwrap(),
        "-o",
        o,
    ]);
    assert!(err.contains("did not sign this scope"), "{err}");
    // The exporter's own field, once filled, is not filled twice.
    env.ok(&["--as", JORG, "countersign", path.to_str().unwrap(), "-o", o]);
    let err = env.fails(&["--as", JORG, "countersign", o, "-o", o]);
    assert!(err.contains("already signed"), "{err}");
    // A file that does not verify is not signed.
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.windows(6).position(|w| w == b"stream").unwrap() + 40;
    bytes[at] ^= 0x01;
    let broken = env.dir.path().join("broken.pdf");
    std::fs::write(&broken, &bytes).unwrap();
    let target = env.dir.path().join("never.pdf");
    let err = env.fails(&[
        "--as",
        common::ANA,
        "countersign",
        broken.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert!(err.contains("does not verify"), "{err}");
    assert!(!target.exists(), "nothing written");
    // Once the document is amended, its old PDF is no longer one to sign.
    env.ok(&["--as", JORG, "amend", &id, "--reason", "New die set"]);
    let err = env.fails(&[
        "--as",
        common::ANA,
        "countersign",
        path.to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert!(err.contains("amended after it was exported"), "{err}");
    assert!(!target.exists(), "nothing written");
}

#[test]
fn a_profile_made_before_pdf_certificates_gets_one_on_first_use() {
    let env = Env::new().with_sample_team();
    let id = env.sample_signed();
    // As a data directory of the previous version: ed25519 keys only.
    for entry in std::fs::read_dir(env.data().join("keys")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e != "ed25519") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let path = export(&env, &id, "a4");
    assert!(env
        .ok(&["verify", path.to_str().unwrap()])
        .contains(": valid"));
    let made: Vec<String> = std::fs::read_dir(env.data().join("keys"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".p256.pem") || n.ends_with(".crt.pem"))
        .collect();
    assert_eq!(made.len(), 2, "{made:?}");
}

/// Issue 13: the company's authority on the sync server issues the team's PDF certificates;
/// a reader that trusts the company root (an NSS database, as a customer's would) says so.
#[test]
fn a_company_root_on_the_server_issues_certificates_readers_trust() {
    use common::server::{invite, scopepact, Server};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let out = scopepact(&[
        "ca",
        "init",
        "--db",
        db.to_str().unwrap(),
        "--organisation",
        "Pressworks S.L.",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let again = scopepact(&[
        "ca",
        "init",
        "--db",
        db.to_str().unwrap(),
        "--organisation",
        "X",
    ]);
    assert!(!again.status.success(), "a second root is refused");
    let root = String::from_utf8(scopepact(&["ca", "export", "--db", db.to_str().unwrap()]).stdout)
        .unwrap();
    assert!(root.starts_with("-----BEGIN CERTIFICATE-----"), "{root}");
    let root_path = dir.path().join("company-root.pem");
    std::fs::write(&root_path, &root).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let key = dir.path().join("server.sqlite3.ca-key.pem");
        assert_eq!(
            std::fs::metadata(key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let laptop = invite(&db, "jorg-laptop", &[]);
    let server = Server::start(&db, &[]);

    let env = Env::new().with_sample_team();
    let id = env.sample_signed();
    let url = format!("http://127.0.0.1:{}", server.port);
    env.ok(&["sync", "--server", &url, "--token", &laptop]);
    let path = export(&env, &id, "a4");
    let file = path.to_str().unwrap();

    // Without the root a reader does not know the issuer; with it in an NSS database it trusts it.
    let seal = &pdfsig_blocks(&path, &[])[0].1;
    assert!(seal.contains("Signature is Valid."), "{seal}");
    assert!(seal.contains("Certificate issuer is unknown."), "{seal}");
    let nss = dir.path().join("nss");
    std::fs::create_dir_all(&nss).unwrap();
    let nssdir = format!("sql:{}", nss.display());
    tool("certutil", &["-N", "--empty-password", "-d", &nssdir]);
    tool(
        "certutil",
        &[
            "-A",
            "-n",
            "Pressworks root",
            "-t",
            "CT,C,C",
            "-i",
            root_path.to_str().unwrap(),
            "-d",
            &nssdir,
        ],
    );
    let seal = &pdfsig_blocks(&path, &["-nssdir", &nssdir])[0].1;
    assert!(seal.contains("Certificate is Trusted."), "{seal}");
    assert!(
        seal.contains("O=Pressworks S.L.") || seal.contains("Jörg Müller"),
        "{seal}"
    );

    // verify reports the chain: given the root, and on the device that learned it by syncing.
    let elsewhere = Env::new();
    let verified: serde_json::Value = serde_json::from_str(&elsewhere.ok(&[
        "verify",
        file,
        "--json",
        "--trust",
        root_path.to_str().unwrap(),
    ]))
    .unwrap();
    assert_eq!(verified["pdf_signatures"][0]["issuer"], "company root");
    let unknown: serde_json::Value =
        serde_json::from_str(&elsewhere.ok(&["verify", file, "--json"])).unwrap();
    assert_eq!(unknown["pdf_signatures"][0]["issuer"], "unknown");
    let here: serde_json::Value =
        serde_json::from_str(&env.ok(&["verify", file, "--json"])).unwrap();
    assert_eq!(here["pdf_signatures"][0]["issuer"], "company root");

    // Revoking the laptop's token revokes its certificates: a device that syncs learns it.
    let out = scopepact(&[
        "revoke",
        "--db",
        db.to_str().unwrap(),
        "--name",
        "jorg-laptop",
    ]);
    assert!(out.status.success());
    let other_token = invite(&db, "other-laptop", &[]);
    let other = Env::new();
    other.ok(&["sync", "--server", &url, "--token", &other_token]);
    let err = other.fails(&["verify", file]);
    assert!(err.contains("revoked by the company"), "{err}");
}

/// Issue 13: a document in Spanish prints in Spanish: labels, dates, amounts, the signature
/// statements; the language travels in the interchange file.
#[test]
fn a_spanish_document_prints_in_spanish() {
    let env = Env::new().with_sample_team();
    let mut sample: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(common::SAMPLE).unwrap()).unwrap();
    sample["language"] = "es".into();
    let file = env.file("es.json", &sample.to_string());
    let id = env.signed_from(&file);
    let exported: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", &id, "--format", "json"])).unwrap();
    assert_eq!(exported["language"], "es");
    let path = export(&env, &id, "a4");
    let text = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    for expected in [
        "ALCANCE COMPROMETIDO",
        "Registro de ambigüedades",
        "Certificado de auditoría",
        "1.240.000,00 €",
        "18 dic 2026",
        "Comprometo a la empresa con el alcance anterior",
        "página 1 de",
        "firmado",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }
    // No raw RFC 3339 time on the page.
    let raw = text
        .split_whitespace()
        .find(|w| w.len() >= 20 && w.get(4..5) == Some("-") && w.contains('T') && w.ends_with('Z'));
    assert!(raw.is_none(), "a raw time is printed: {raw:?}");
    assert!(env
        .ok(&["verify", path.to_str().unwrap()])
        .contains(": valid"));
}
