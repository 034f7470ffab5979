//! Issue 12, finding 3: a stock JavaScript automerge-repo peer, through the real server, writes
//! values ScopePact's model does not allow. On an honest device every command goes on working:
//! the document opens, the damage is listed with who wrote it, the export imports again, a new
//! device gets the document, and `repair` restores what was there.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::server::{invite, Server};
use common::{Env, JORG, SAMPLE};
use serde_json::Value;

fn hostile(server: &Server, token: &str, id: &str, mode: &str) {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/interop"));
    let automerge_id = scopepact_store::storage_id(&id.parse().unwrap());
    let out = Command::new("node")
        .current_dir(dir)
        .arg("hostile.mjs")
        .arg(server.url(Some(token)).as_str())
        .args([automerge_id.as_str(), mode])
        .output()
        .expect("node is installed");
    assert!(
        out.status.success(),
        "the hostile peer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn sync(env: &Env, server: &Server, token: &str) {
    env.ok(&[
        "sync",
        "--server",
        &format!("http://127.0.0.1:{}", server.port),
        "--token",
        token,
    ]);
}

#[test]
fn every_command_works_on_a_document_a_hostile_peer_wrote_into_and_repair_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let laptop = invite(&db, "jorg-laptop", &[]);
    let script = invite(&db, "a-broken-script", &[]);
    let server = Server::start(&db, &[]);

    let jorg = Env::new().with_sample_team();
    let id = jorg.ok(&["import", SAMPLE]).trim().to_string();
    let second = jorg.ok(&["import", SAMPLE]).trim().to_string();
    let original: Value =
        serde_json::from_str(&jorg.ok(&["export", &id, "--format", "json"])).unwrap();
    sync(&jorg, &server, &laptop);
    hostile(&server, &script, &id, "many");
    hostile(&server, &script, &second, "list");
    sync(&jorg, &server, &laptop);

    // status lists the damage and who wrote it; the gate waits for it.
    let status: Value = serde_json::from_str(&jorg.ok(&["status", &id, "--json"])).unwrap();
    let damage = status["damage"].as_array().unwrap();
    let fields: Vec<(&str, &str)> = damage
        .iter()
        .map(|d| (d["item"].as_str().unwrap(), d["field"].as_str().unwrap()))
        .collect();
    for expected in [
        ("C-01", "price"),
        ("C-02", "kind"),
        ("header", "title"),
        ("header", "people"),
        ("header", "signatures"),
        ("header", "import_base"),
    ] {
        assert!(fields.contains(&expected), "{expected:?} not in {fields:?}");
    }
    assert!(status["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "damaged"));
    assert!(jorg.ok(&["status", &id]).contains("damaged values"));

    // The rest works: list, a verdict on an intact commitment, the export that imports again,
    // a re-import into it, the PDF of the draft.
    let listed: Value = serde_json::from_str(&jorg.ok(&["list", "--json"])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id.as_str())
        .unwrap();
    assert_eq!(
        row["status"], status["status"],
        "the list follows the document: {row}"
    );
    assert_eq!(
        row["status"], "draft",
        "without a title it is a draft again"
    );
    jorg.ok(&["import", SAMPLE, "--into", &id]);
    jorg.ok(&[
        "--as",
        JORG,
        "validate",
        &id,
        "C-03",
        "--verdict",
        "feasible",
    ]);
    let exported = jorg.ok(&["export", &id, "--format", "json"]);
    let file = jorg.file("exported.json", &exported);
    Env::new().ok(&["import", &file]);
    let pdf = jorg.dir.path().join("draft.pdf");
    jorg.ok(&[
        "--as",
        JORG,
        "export",
        &id,
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);

    // A device that never had the documents gets them, damaged or not.
    let fresh = Env::new();
    sync(&fresh, &server, &laptop);
    let listed: Value = serde_json::from_str(&fresh.ok(&["list", "--json"])).unwrap();
    assert_eq!(
        listed.as_array().unwrap().len(),
        2,
        "the new device has both"
    );

    // repair restores the last values that read; nothing else is lost.
    let repaired: Value =
        serde_json::from_str(&jorg.ok(&["--as", JORG, "repair", &id, "--json"])).unwrap();
    assert!(
        !repaired["restored"].as_array().unwrap().is_empty(),
        "{repaired}"
    );
    let after: Value =
        serde_json::from_str(&jorg.ok(&["export", &id, "--format", "json"])).unwrap();
    assert_eq!(after["title"], original["title"]);
    assert_eq!(after["people"], original["people"]);
    let c = |doc: &Value, r: &str| {
        doc["commitments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["ref"] == r)
            .unwrap()
            .clone()
    };
    assert_eq!(c(&after, "C-01")["price"], c(&original, "C-01")["price"]);
    assert_eq!(c(&after, "C-02")["kind"], c(&original, "C-02")["kind"]);
    assert_eq!(
        c(&after, "C-03")["validation"]["status"],
        "feasible",
        "the verdict given meanwhile stays"
    );
    let status: Value = serde_json::from_str(&jorg.ok(&["status", &id, "--json"])).unwrap();
    assert!(
        status["damage"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["blocks_gate"] == false),
        "the scope content reads again: {status}"
    );

    // The document whose commitments became a list gets every one of them back.
    let text = jorg.ok(&["--as", JORG, "repair", &second]);
    assert!(text.contains("restored"), "{text}");
    let after: Value =
        serde_json::from_str(&jorg.ok(&["export", &second, "--format", "json"])).unwrap();
    assert_eq!(after["commitments"], original["commitments"]);
    // The repair travels like any edit.
    sync(&jorg, &server, &laptop);
    sync(&fresh, &server, &laptop);
    let there: Value =
        serde_json::from_str(&fresh.ok(&["export", &second, "--format", "json"])).unwrap();
    assert_eq!(there["commitments"], original["commitments"]);
}
