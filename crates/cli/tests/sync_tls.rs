//! `scopepact serve --tls-cert --tls-key` and `scopepact sync` over TLS: `https://` and `wss://`
//! both reach it, a client that does not trust the certificate is refused with a clear reason,
//! and a plain `http://` client cannot talk to a TLS server.
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::server::invite;
use common::{Env, SAMPLE};

/// A self-signed certificate for `localhost` and 127.0.0.1, made by the `openssl` tool.
fn certificate(dir: &Path) -> (String, String) {
    let cert = dir.join("cert.pem");
    let key = dir.join("key.pem");
    let made = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(made.success(), "openssl could not make a certificate");
    (
        cert.to_string_lossy().into_owned(),
        key.to_string_lossy().into_owned(),
    )
}

struct TlsServer {
    child: Child,
    port: u16,
}

impl TlsServer {
    fn start(db: &Path, cert: &str, key: &str) -> TlsServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_scopepact"))
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--db")
            .arg(db)
            .args(["--tls-cert", cert, "--tls-key", key])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the TLS server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        TlsServer { child, port }
    }
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `scopepact sync` trusting `ca` (OpenSSL reads `SSL_CERT_FILE`), or the system's roots.
fn sync(env: &Env, server: &str, token: &str, ca: Option<&str>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_scopepact"));
    command
        .arg("--data-dir")
        .arg(env.data())
        .args([
            "sync",
            "--server",
            server,
            "--token",
            token,
            "--timeout",
            "20",
        ])
        .env_remove("SCOPEPACT_DATA_DIR")
        .env_remove("SSL_CERT_FILE");
    if let Some(ca) = ca {
        command.env("SSL_CERT_FILE", ca);
    }
    command.output().unwrap()
}

#[test]
fn devices_sync_over_tls_with_every_spelling_of_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = certificate(dir.path());
    let db = dir.path().join("server.sqlite3");
    let ana = Env::new();
    let jorg = Env::new();
    let ana_token = invite(&db, "ana-laptop", &[]);
    let jorg_token = invite(&db, "jorg-laptop", &[]);
    let server = TlsServer::start(&db, &cert, &key);

    let id = ana.ok(&["import", SAMPLE]).trim().to_string();
    let up = sync(
        &ana,
        &format!("https://localhost:{}", server.port),
        &ana_token,
        Some(&cert),
    );
    assert!(
        up.status.success(),
        "https:// sync failed: {}",
        String::from_utf8_lossy(&up.stderr)
    );
    let down = sync(
        &jorg,
        &format!("wss://127.0.0.1:{}/", server.port),
        &jorg_token,
        Some(&cert),
    );
    assert!(
        down.status.success(),
        "wss:// sync failed: {}",
        String::from_utf8_lossy(&down.stderr)
    );
    assert!(String::from_utf8_lossy(&down.stderr).contains("1 new here"));
    assert_eq!(
        jorg.ok(&["export", &id, "--format", "json"]),
        ana.ok(&["export", &id, "--format", "json"])
    );

    // A device that does not trust the certificate stops with the reason, having received nothing.
    let stranger = Env::new();
    let refused = sync(
        &stranger,
        &format!("https://localhost:{}", server.port),
        &jorg_token,
        None,
    );
    assert!(!refused.status.success());
    let why = String::from_utf8_lossy(&refused.stderr);
    assert!(why.contains("cannot reach the sync server"), "{why}");
    assert!(why.to_lowercase().contains("certificate"), "{why}");
    assert_eq!(stranger.ok(&["list"]).trim(), "");

    // Plain ws:// to a TLS port is not a silent hang: it fails, with the server's address.
    let plain = sync(
        &stranger,
        &format!("http://127.0.0.1:{}", server.port),
        &jorg_token,
        Some(&cert),
    );
    assert!(!plain.status.success());
    let why = String::from_utf8_lossy(&plain.stderr);
    assert!(why.contains(&format!("127.0.0.1:{}", server.port)), "{why}");
}

#[test]
fn a_bad_certificate_or_key_stops_the_server_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (cert, _key) = certificate(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("server.sqlite3"))
        .args(["--tls-cert", &cert, "--tls-key", &cert])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(why.contains("do not make an identity"), "{why}");

    let out = Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("server.sqlite3"))
        .args(["--tls-cert", &cert])
        .output()
        .unwrap();
    assert!(!out.status.success(), "--tls-cert without --tls-key");
}
