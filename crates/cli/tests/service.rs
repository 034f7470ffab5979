//! The sync server as IT installs it: the systemd unit, `serve --config`, `backup` of the live
//! database while devices sync, and `ca init` run by root on a database the service owns.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::server::{invite, scopepact, Server};
use common::{Env, SAMPLE};
use serde_json::Value;

fn packaging(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../packaging/server")
        .join(file)
}

/// A device: a data directory with one profile and a token of the server's.
struct Device {
    env: Env,
    token: String,
}

impl Device {
    fn new(db: &Path, name: &str) -> Device {
        let env = Env::new();
        env.ok(&[
            "profile",
            "add",
            "--name",
            "Ana Ruiz",
            "--email",
            &format!("{name}@pressworks.example"),
            "--role",
            "commercial",
        ]);
        Device {
            env,
            token: invite(db, name, &[]),
        }
    }
    fn import(&self) -> String {
        self.env.ok(&["import", SAMPLE]).trim().to_string()
    }
    fn sync(&self, port: u16) {
        self.env.ok(&[
            "sync",
            "--server",
            &format!("http://127.0.0.1:{port}"),
            "--token",
            &self.token,
        ]);
    }
    fn ids(&self) -> Vec<String> {
        let list: Vec<Value> = serde_json::from_str(&self.env.ok(&["list", "--json"])).unwrap();
        list.iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect()
    }
}

#[test]
fn a_backup_taken_while_devices_sync_is_whole_and_serves_every_document_synced_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let server = Server::start(&db, &[]);
    let ana = Device::new(&db, "ana");
    let before: Vec<String> = (0..3).map(|_| ana.import()).collect();
    ana.sync(server.port);

    // Another device keeps importing and syncing while the backups are taken.
    let busy = Device::new(&db, "busy");
    let port = server.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut rounds = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || rounds < 2 {
                busy.import();
                busy.sync(port);
                rounds += 1;
            }
            rounds
        })
    };
    let mut copies = Vec::new();
    for n in 0..4 {
        let out = dir.path().join(format!("backup-{n}.sqlite3"));
        let result = scopepact(&[
            "backup",
            "--db",
            db.to_str().unwrap(),
            out.to_str().unwrap(),
        ]);
        let said = String::from_utf8_lossy(&result.stderr).to_string();
        assert!(result.status.success(), "backup failed: {said}");
        assert!(said.contains("integrity check ok"), "{said}");
        copies.push(out);
        std::thread::sleep(Duration::from_millis(300));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let rounds = writer.join().unwrap();
    assert!(rounds >= 2, "the other device synced during the backups");
    server.stop();

    for copy in &copies {
        let conn = rusqlite::Connection::open(copy).unwrap();
        let verdict: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(verdict, "ok");
        drop(conn);
        // The copy is a server: a new device with Ana's token gets every document synced
        // before the backup started.
        let restored = Server::start(copy, &[]);
        let fresh = Device {
            env: Env::new(),
            token: ana.token.clone(),
        };
        fresh.env.ok(&[
            "profile",
            "add",
            "--name",
            "Ana Ruiz",
            "--email",
            "ana@pressworks.example",
            "--role",
            "commercial",
        ]);
        fresh.sync(restored.port);
        let held = fresh.ids();
        for id in &before {
            assert!(held.contains(id), "{} lacks {id}", copy.display());
        }
        restored.stop();
    }
}

#[test]
fn backup_refuses_a_missing_database_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.sqlite3");
    let result = scopepact(&[
        "backup",
        "--db",
        dir.path().join("typo.sqlite3").to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert!(!result.status.success());
    let said = String::from_utf8_lossy(&result.stderr);
    assert!(
        said.contains("typo.sqlite3") && said.contains("no such database"),
        "{said}"
    );
    assert!(!out.exists());
}

fn serve_with(args: &[&str]) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .arg("serve")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve {args:?} kept running: it should have refused its configuration");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `scopepact serve ARGS`, once something listens on `port`.
fn serve_until_listening(args: &[&str], port: u16, failure: &str) -> std::process::Child {
    let child = Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .arg("serve")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{failure}");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

#[test]
fn serve_reads_its_settings_from_a_config_file_and_names_a_bad_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("server.toml");
    // A typo: refused with the key and its line, before anything listens.
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\nmax_conections = 5\n").unwrap();
    let out = serve_with(&["--config", config.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("max_conections") && said.contains("line 2"),
        "{said}"
    );
    assert!(said.contains("server.toml"), "{said}");
    assert_eq!(said.trim_end().lines().count(), 1, "one line: {said}");
    // A value of the wrong type names its key too.
    std::fs::write(&config, "max_connections = \"many\"\n").unwrap();
    let said = String::from_utf8_lossy(&serve_with(&["--config", config.to_str().unwrap()]).stderr)
        .to_string();
    assert!(said.contains("max_connections"), "{said}");
    // No database anywhere: said so.
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\n").unwrap();
    let said = String::from_utf8_lossy(&serve_with(&["--config", config.to_str().unwrap()]).stderr)
        .to_string();
    assert!(said.contains("needs a database"), "{said}");

    // The shipped file with this test's database and port: it serves, and its limits apply.
    let db = dir.path().join("server.sqlite3");
    let port = free_port();
    let shipped = std::fs::read_to_string(packaging("server.toml")).unwrap();
    let text = shipped
        .replace("127.0.0.1:8080", &format!("127.0.0.1:{port}"))
        .replace("/var/lib/scopepact/server.sqlite3", db.to_str().unwrap());
    assert_ne!(text, shipped, "the shipped file sets listen and db");
    std::fs::write(&config, text).unwrap();
    let mut child = serve_until_listening(
        &["--config", config.to_str().unwrap()],
        port,
        "the configured server did not listen",
    );
    assert!(db.exists(), "the database named in the file was created");
    let _ = child.kill();
    let _ = child.wait();

    // A flag wins over the file.
    let other = dir.path().join("other.sqlite3");
    let port2 = free_port();
    let listen = format!("127.0.0.1:{port2}");
    let mut child = serve_until_listening(
        &[
            "--config",
            config.to_str().unwrap(),
            "--db",
            other.to_str().unwrap(),
            "--listen",
            &listen,
        ],
        port2,
        "the server did not listen where the flag said",
    );
    assert!(other.exists());
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_service_unit_passes_systemd_analyze_verify() {
    let Ok(found) = Command::new("systemd-analyze").arg("--version").output() else {
        panic!("systemd-analyze is missing: run scripts/setup-tests.sh");
    };
    assert!(found.status.success());
    let dir = tempfile::tempdir().unwrap();
    let unit = std::fs::read_to_string(packaging("scopepact-server.service")).unwrap();
    assert!(unit.contains("ExecStart=/usr/bin/scopepact serve --config /etc/scopepact/server.toml"));
    for hardening in [
        "DynamicUser=yes",
        "StateDirectory=scopepact",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
    ] {
        assert!(unit.contains(hardening), "{hardening} is set");
    }
    // verify checks that ExecStart's program exists: point it at the binary built here.
    let here = unit.replace("/usr/bin/scopepact", env!("CARGO_BIN_EXE_scopepact"));
    let path = dir.path().join("scopepact-server.service");
    std::fs::write(&path, here).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "systemd-analyze verify: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And the unit's verdict fails on a broken unit, so this check can fail.
    std::fs::write(&path, "[Service]\nExecStart=relative/path\nBogus=1\n").unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    assert!(!out.status.success() || !out.stderr.is_empty());
}

#[test]
fn ca_init_run_by_root_gives_the_key_to_the_user_the_service_runs_as() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let server = Server::start(&db, &[]);
    server.stop();
    if std::fs::metadata(&db).unwrap().uid() != 0 {
        eprintln!("not root: the ownership hand-over is root's case only");
        return;
    }
    // As the service's dynamic user would own it.
    std::os::unix::fs::chown(&db, Some(61_234), Some(61_234)).unwrap();
    let out = scopepact(&[
        "ca",
        "init",
        "--db",
        db.to_str().unwrap(),
        "--organisation",
        "Pressworks",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let key = dir.path().join("server.sqlite3.ca-key.pem");
    let meta = std::fs::metadata(&key).unwrap();
    assert_eq!(
        (meta.uid(), meta.gid()),
        (61_234, 61_234),
        "{}",
        key.display()
    );
    assert_eq!(meta.mode() & 0o777, 0o600);
}
