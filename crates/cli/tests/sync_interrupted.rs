//! Power cuts during sync: the server killed with SIGKILL in the middle of a sync and restarted,
//! a client killed mid-sync. Wherever the kill lands, the next sync loses nothing and both
//! databases stay sound.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::path::Path;
use std::time::Duration;

use common::server::{invite, Server};
use common::{Env, SAMPLE};
use serde_json::Value;

/// The sample with 300 commitments: a document big enough that a sync takes a moment.
fn big_file(dir: &Path) -> String {
    let mut file: Value = serde_json::from_str(&std::fs::read_to_string(SAMPLE).unwrap()).unwrap();
    let template = file["commitments"][0].clone();
    file["ambiguities"] = serde_json::json!([]);
    file["commitments"] = (1..=300)
        .map(|n| {
            let mut c = template.clone();
            c["ref"] = format!("C-{n:03}").into();
            c["title"] = format!("Lot {n}: Größe/Übermaß check").into();
            c
        })
        .collect();
    let path = dir.join("big.json");
    std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

fn laptop(db: &Path, name: &str) -> (Env, String) {
    let env = Env::new();
    env.ok(&[
        "profile",
        "add",
        "--name",
        name,
        "--email",
        &format!("{name}@example.com"),
        "--role",
        "commercial",
    ]);
    (env, invite(db, name, &[]))
}

fn sync_args<'a>(server: &'a str, token: &'a str) -> [&'a str; 5] {
    ["sync", "--server", server, "--token", token]
}

fn integrity(db: &Path) {
    let conn = scopepact_store::connect(db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{}", db.display());
}

#[test]
fn the_server_killed_mid_sync_loses_nothing_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let (a, token_a) = laptop(&db, "ana");
    let (b, token_b) = laptop(&db, "jorg");
    let id = a.ok(&["import", &big_file(dir.path())]).trim().to_string();

    for delay_ms in [30, 120, 400] {
        let server = Server::start(&db, &[]);
        let url = format!("http://127.0.0.1:{}", server.port);
        let mut sync = a.spawn(&sync_args(&url, &token_a));
        std::thread::sleep(Duration::from_millis(delay_ms));
        server.kill_hard();
        // A client whose server vanished says so at once, not after its whole time limit.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while sync.try_wait().unwrap().is_none() {
            assert!(
                std::time::Instant::now() < deadline,
                "sync still hanging 10 s after the server died"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        integrity(&db);
    }
    let server = Server::start(&db, &[]);
    let url = format!("http://127.0.0.1:{}", server.port);
    a.ok(&sync_args(&url, &token_a));
    b.ok(&sync_args(&url, &token_b));
    let export = |env: &Env| env.ok(&["export", &id, "--format", "json"]);
    assert_eq!(export(&b), export(&a));
}

#[test]
fn a_client_killed_mid_sync_keeps_its_data_and_finishes_next_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let (a, token_a) = laptop(&db, "ana");
    let (b, token_b) = laptop(&db, "jorg");
    let server = Server::start(&db, &[]);
    let url = format!("http://127.0.0.1:{}", server.port);
    let id = a.ok(&["import", &big_file(dir.path())]).trim().to_string();
    let before = a.ok(&["export", &id, "--format", "json"]);

    for delay_ms in [30, 120, 400] {
        let mut sync = a.spawn(&sync_args(&url, &token_a));
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = sync.kill();
        let _ = sync.wait();
        integrity(&a.data().join("scopepact.sqlite3"));
        assert_eq!(
            a.ok(&["export", &id, "--format", "json"]),
            before,
            "the local document is intact"
        );
    }
    // B, interrupted while receiving, then finishing.
    let mut sync = b.spawn(&sync_args(&url, &token_b));
    std::thread::sleep(Duration::from_millis(80));
    let _ = sync.kill();
    let _ = sync.wait();
    a.ok(&sync_args(&url, &token_a));
    b.ok(&sync_args(&url, &token_b));
    assert_eq!(b.ok(&["export", &id, "--format", "json"]), before);
    assert!(server.chunk_count() > 0);
}
