//! A stock automerge-repo peer in Node (npm `@automerge/automerge-repo` with
//! `@automerge/automerge-repo-network-websocket`, nothing of ScopePact's) connects to
//! `scopepact serve` with `?token=`, reads a document made by ScopePact and edits it the way
//! JavaScript code does; the edit arrives in ScopePact with the next sync and is read.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::server::{invite, Server};
use common::{Env, SAMPLE};
use serde_json::Value;

fn interop_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/interop"));
    assert!(
        dir.join("node_modules/@automerge/automerge-repo").is_dir(),
        "the Node peers' packages are missing: run `npm ci` in tests/interop (scripts/setup.sh does)"
    );
    dir
}

fn sync(env: &Env, server: &Server, token: &str) -> String {
    let out = env.run(&[
        "sync",
        "--server",
        &format!("http://127.0.0.1:{}", server.port),
        "--token",
        token,
    ]);
    assert!(
        out.status.success(),
        "sync failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_stock_automerge_repo_peer_reads_and_edits_a_scopepact_document() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let laptop_token = invite(&db, "ana-laptop", &[]);
    let node_token = invite(&db, "a-node-script", &[]);
    let server = Server::start(&db, &[]);

    let ana = Env::new();
    let id = ana.ok(&["import", SAMPLE]).trim().to_string();
    sync(&ana, &server, &laptop_token);
    let automerge_id = scopepact_store::storage_id(&id.parse().unwrap());

    // The Node peer cannot set headers on its WebSocket: it presents the token in the URL.
    let appended = " Añadido desde Node: Größe ±0,02 mm.";
    let out = Command::new("node")
        .current_dir(interop_dir())
        .arg("peer.mjs")
        .arg(server.url(Some(&node_token)).as_str())
        .args([automerge_id.as_str(), "C-01", "990000", appended])
        .output()
        .expect("node is installed");
    assert!(
        out.status.success(),
        "the Node peer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read["title"], "Servo press line retrofit — Línea 3");
    assert_eq!(read["customer"], "Metalúrgica del Norte S.A.");
    assert_eq!(read["commitments"], 7);
    assert_eq!(read["price"], 910000);

    assert!(sync(&ana, &server, &laptop_token).contains("1 received changes"));
    let exported: Value =
        serde_json::from_str(&ana.ok(&["export", &id, "--format", "json"])).unwrap();
    let c01 = exported["commitments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["ref"] == "C-01")
        .unwrap();
    assert_eq!(c01["price"], 990000.0);
    assert!(c01["description"].as_str().unwrap().ends_with(appended));
    // Everything else is as ScopePact left it.
    assert_eq!(exported["commitments"].as_array().unwrap().len(), 7);
    let listed: Value = serde_json::from_str(&ana.ok(&["list", "--json"])).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn the_node_peer_is_refused_without_a_valid_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let server = Server::start(&db, &[]);
    // The stock client retries a refused socket forever; what matters is that the server
    // answers its upgrade with 401 and stores nothing.
    let out = Command::new("node")
        .current_dir(interop_dir())
        .args(["--input-type=module", "-e"])
        .arg(format!(
            "const ws = new (await import('ws')).default('{}');\
             ws.on('unexpected-response', (_, res) => {{ console.log(res.statusCode); process.exit(0) }});\
             ws.on('open', () => {{ console.log('open'); process.exit(1) }});",
            server.url(Some("spd_wrong_token"))
        ))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "401");
    assert_eq!(server.chunk_count(), 0);
}
