//! `scopepact serve`, `invite` and `revoke` as an operator runs them: a real server process on a
//! random free port of 127.0.0.1, real WebSocket clients (samod, automerge-repo's protocol).
#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use automerge::{transaction::Transactable, AutoCommit, ReadDoc, ROOT};
use futures::SinkExt;
use samod::{BackoffConfig, Repo};
use tokio_tungstenite::tungstenite;

fn scopepact(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_scopepact"))
        .args(args)
        .output()
        .unwrap()
}

fn invite(db: &Path, name: &str, extra: &[&str]) -> String {
    let mut args = vec!["invite", "--db", db.to_str().unwrap(), "--name", name];
    args.extend_from_slice(extra);
    let out = scopepact(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        1,
        "the token alone on stdout: {stdout:?}"
    );
    stdout.trim().to_string()
}

struct Server {
    child: Child,
    port: u16,
    db: PathBuf,
}

impl Server {
    fn start(db: &Path, extra: &[&str]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let mut args = vec!["serve", "--listen", &listen, "--db", db.to_str().unwrap()];
        args.extend_from_slice(extra);
        let child = Command::new(env!("CARGO_BIN_EXE_scopepact"))
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server {
            child,
            port,
            db: db.to_path_buf(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while server.get("/healthz").0 != 200 {
            assert!(
                Instant::now() < deadline,
                "the server did not answer /healthz"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// A plain HTTP GET: (status, body).
    fn get(&self, path: &str) -> (u16, String) {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return (0, String::new());
        };
        let _ = write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        );
        let mut text = String::new();
        let _ = stream.read_to_string(&mut text);
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (
            status,
            text.split("\r\n\r\n")
                .nth(1)
                .unwrap_or_default()
                .to_string(),
        )
    }

    fn url(&self, token: Option<&str>) -> url::Url {
        let base = format!("ws://127.0.0.1:{}/", self.port);
        match token {
            Some(t) => format!("{base}?token={t}").parse().unwrap(),
            None => base.parse().unwrap(),
        }
    }

    /// SIGTERM, then the exit status.
    fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stored document chunks (samod also keeps its own `storage-adapter-id`).
    fn chunk_count(&self) -> i64 {
        let conn = scopepact_store::connect(&self.db).unwrap();
        conn.query_row(
            "SELECT count(*) FROM chunks WHERE key <> 'storage-adapter-id'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The HTTP status a WebSocket handshake gets (101 when upgraded).
async fn handshake_status(request: tungstenite::handshake::client::Request) -> u16 {
    match tokio_tungstenite::connect_async(request).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("unexpected handshake error: {other}"),
    }
}

fn request(
    server: &Server,
    bearer: Option<&str>,
    query: Option<&str>,
) -> tungstenite::handshake::client::Request {
    use tungstenite::client::IntoClientRequest;
    let mut request = server.url(query).as_str().into_client_request().unwrap();
    if let Some(token) = bearer {
        request
            .headers_mut()
            .insert("Authorization", format!("Bearer {token}").parse().unwrap());
    }
    request
}

async fn client(server: &Server, token: &str) -> Repo {
    let repo = Repo::build_tokio().load().await;
    let dialer = repo
        .dial_websocket(
            server.url(Some(token)),
            BackoffConfig {
                max_retries: Some(0),
                ..BackoffConfig::default()
            },
        )
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), dialer.established())
        .await
        .unwrap()
        .unwrap();
    repo
}

#[test]
fn invite_shows_the_token_once_and_keeps_only_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let token = invite(&db, "laptop-ana", &["--expires", "30d"]);
    assert!(token.starts_with("spd_") && token.len() > 40, "{token}");
    let conn = scopepact_store::connect(&db).unwrap();
    let stored: String = conn
        .query_row("SELECT token_sha256 FROM device_tokens", [], |r| r.get(0))
        .unwrap();
    assert!(!stored.contains(&token[4..]));
    let out = scopepact(&[
        "invite",
        "--db",
        db.to_str().unwrap(),
        "--name",
        "laptop-ana",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has a token"));
    let out = scopepact(&[
        "invite",
        "--db",
        db.to_str().unwrap(),
        "--name",
        "x",
        "--expires",
        "soon",
    ]);
    assert!(!out.status.success() && out.stdout.is_empty());
    let out = scopepact(&["revoke", "--db", db.to_str().unwrap(), "--name", "nobody"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no device named"));
}

#[tokio::test]
async fn without_a_valid_token_the_upgrade_is_refused_with_401_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let valid = invite(&db, "laptop-ana", &[]);
    let short = invite(&db, "laptop-temp", &["--expires", "1s"]);
    let revoked = invite(&db, "laptop-lost", &[]);
    assert!(scopepact(&[
        "revoke",
        "--db",
        db.to_str().unwrap(),
        "--name",
        "laptop-lost"
    ])
    .status
    .success());
    let server = Server::start(&db, &[]);
    assert_eq!(server.get("/healthz"), (200, "ok\n".to_string()));
    tokio::time::sleep(Duration::from_millis(1200)).await; // the 1 s token expires

    assert_eq!(handshake_status(request(&server, None, None)).await, 401);
    assert_eq!(
        handshake_status(request(&server, Some("spd_wrong"), None)).await,
        401
    );
    assert_eq!(
        handshake_status(request(&server, None, Some("spd_wrong"))).await,
        401
    );
    assert_eq!(
        handshake_status(request(&server, Some(&short), None)).await,
        401
    );
    assert_eq!(
        handshake_status(request(&server, Some(&revoked), None)).await,
        401
    );
    assert_eq!(server.chunk_count(), 0, "a refused peer stores nothing");
    // The valid token is accepted both ways.
    assert_eq!(
        handshake_status(request(&server, Some(&valid), None)).await,
        101
    );
    assert_eq!(
        handshake_status(request(&server, None, Some(&valid))).await,
        101
    );
    assert!(server.stop().success());
}

#[tokio::test]
async fn two_devices_share_a_document_through_the_server_and_it_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let (ana, jorg) = (
        invite(&db, "laptop-ana", &[]),
        invite(&db, "laptop-jorg", &[]),
    );
    let server = Server::start(&db, &[]);

    let a = client(&server, &ana).await;
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", "Línea 3 — Größe").unwrap();
    let handle = a.create(doc.document().clone()).await.unwrap();
    let id = handle.document_id().clone();

    let b = client(&server, &jorg).await;
    let found = tokio::time::timeout(Duration::from_secs(10), b.find(id.clone()))
        .await
        .unwrap()
        .unwrap();
    let title = found
        .unwrap()
        .with_document(|d| d.get(ROOT, "title").unwrap().map(|(v, _)| v.to_string()));
    assert_eq!(title.as_deref(), Some("\"Línea 3 — Größe\""));
    a.stop().await;
    b.stop().await;

    assert!(server.stop().success(), "SIGTERM stops the server cleanly");
    let restarted = Server::start(&db, &[]);
    assert!(restarted.chunk_count() > 0);
    let c = client(&restarted, &jorg).await;
    let again = tokio::time::timeout(Duration::from_secs(10), c.find(id))
        .await
        .unwrap()
        .unwrap();
    assert!(
        again.is_some(),
        "the document is served from the server's database after a restart"
    );
    c.stop().await;
}

#[tokio::test]
async fn oversized_and_malformed_frames_disconnect_the_sender_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite3");
    let (good, bad) = (
        invite(&db, "laptop-good", &[]),
        invite(&db, "laptop-bad", &[]),
    );
    let server = Server::start(&db, &["--max-message-bytes", "65536"]);
    let a = client(&server, &good).await;

    // A frame over the limit, then one that is not automerge-repo's CBOR.
    for payload in [vec![0u8; 200_000], b"\xff\x00definitely not cbor".to_vec()] {
        let (mut socket, _) = tokio_tungstenite::connect_async(request(&server, Some(&bad), None))
            .await
            .unwrap();
        let _ = socket
            .send(tungstenite::Message::Binary(payload.into()))
            .await;
        let closed = tokio::time::timeout(Duration::from_secs(10), async {
            use futures::StreamExt;
            loop {
                match socket.next().await {
                    None | Some(Err(_)) | Some(Ok(tungstenite::Message::Close(_))) => break,
                    Some(Ok(_)) => continue,
                }
            }
        })
        .await;
        assert!(
            closed.is_ok(),
            "the server must drop a peer that sends a bad frame"
        );
    }

    // The well-behaved client keeps syncing.
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", "still fine").unwrap();
    let id = a
        .create(doc.document().clone())
        .await
        .unwrap()
        .document_id()
        .clone();
    let b = client(&server, &good).await;
    let found = tokio::time::timeout(Duration::from_secs(10), b.find(id))
        .await
        .unwrap()
        .unwrap();
    assert!(found.is_some());
    assert_eq!(server.get("/healthz").0, 200);
    a.stop().await;
    b.stop().await;
}
